//! Running a suite: samples × epochs through the solver chain and scorers, concurrently, with a progress bar,
//! per-sample timeouts, cancellation that keeps what finished, and resume from an existing log.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{Value, json};
use tokio::sync::Notify;

use crate::dataset::Sample;
use crate::error::{EvalError, Result};
use crate::log::{Footer, Header, LogLine, LogWriter, RunLog, SampleRecord, now_rfc3339};
use crate::metrics;
use crate::model::{Model, Usage};
use crate::scorer::Scorer;
use crate::solver::{SolveContext, Solver, TaskState};
use crate::suite::{Registry, Suite};

/// A cancellation signal (Ctrl-C, or a test stopping a run part-way).
#[derive(Clone, Default)]
pub struct Cancel(Arc<(AtomicBool, Notify)>);

impl Cancel {
    pub fn cancel(&self) {
        self.0.0.store(true, Ordering::SeqCst);
        self.0.1.notify_waiters();
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.0.load(Ordering::SeqCst)
    }
    pub async fn cancelled(&self) {
        loop {
            let notified = self.0.1.notified();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }
}

pub struct RunOptions {
    pub log_path: PathBuf,
    /// Continue an existing log at `log_path` (finishing only the missing samples). Without it, an existing log
    /// is an error unless `overwrite`.
    pub resume: bool,
    pub overwrite: bool,
    pub progress: bool,
    /// Override the suite's epochs / sample limit / concurrency.
    pub epochs: Option<u32>,
    pub limit: Option<usize>,
    pub max_samples: Option<usize>,
    pub cancel: Cancel,
    /// Cancel after this many samples finish in this invocation (tests simulate an interrupted run with it).
    pub cancel_after: Option<usize>,
    /// Listen for Ctrl-C.
    pub ctrl_c: bool,
}

impl RunOptions {
    pub fn new(log_path: impl Into<PathBuf>) -> Self {
        RunOptions {
            log_path: log_path.into(),
            resume: false,
            overwrite: false,
            progress: false,
            epochs: None,
            limit: None,
            max_samples: None,
            cancel: Cancel::default(),
            cancel_after: None,
            ctrl_c: false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct RunOutcome {
    pub log_path: PathBuf,
    pub footer: Footer,
    /// Samples (× epochs) run by this invocation.
    pub ran: usize,
    /// Samples found done in the log and skipped.
    pub skipped: usize,
}

struct Prepared {
    solvers: Vec<Arc<dyn Solver>>,
    scorers: Vec<(String, Arc<dyn Scorer>)>,
}

/// Runs (or resumes) a suite against a target model; `grader` defaults to the target.
pub async fn run_suite(
    suite: &Suite,
    registry: &Registry,
    target: Arc<Model>,
    grader: Option<Arc<Model>>,
    opts: RunOptions,
) -> Result<RunOutcome> {
    let started = Instant::now();
    let grader = grader.unwrap_or_else(|| Arc::clone(&target));
    let prepared = Arc::new(Prepared {
        solvers: suite
            .solvers
            .iter()
            .map(|c| registry.solver(c))
            .collect::<Result<_>>()?,
        scorers: suite
            .scorers
            .iter()
            .map(|c| registry.scorer(c))
            .collect::<Result<_>>()?,
    });
    let mut names = HashSet::new();
    for (n, _) in &prepared.scorers {
        if !names.insert(n) {
            return Err(EvalError::config(format!(
                "two scorers are named '{n}'; rename one with `as:`"
            )));
        }
    }
    let mut samples = suite.samples()?;
    if let Some(limit) = opts.limit {
        samples.truncate(limit);
    }
    let epochs = opts.epochs.unwrap_or(suite.epochs).max(1);
    let header = Header {
        format_version: crate::log::FORMAT_VERSION,
        run_id: uuid::Uuid::now_v7().to_string(),
        created: now_rfc3339(),
        suite: suite.name.clone(),
        suite_path: suite.path.display().to_string(),
        suite_hash: suite.content_hash(),
        model: target.spec.clone(),
        grader: grader.spec.clone(),
        epochs,
        samples: samples.len(),
        harness_version: env!("CARGO_PKG_VERSION").to_owned(),
        spec: serde_json::to_value(suite).unwrap_or(Value::Null),
    };

    // Resume: keep finished (sample, epoch) pairs, run the rest.
    let (mut writer, mut records) = if opts.log_path.exists() && opts.resume {
        let log = RunLog::read(&opts.log_path)?;
        if log.header.suite_hash != header.suite_hash || log.header.model != header.model {
            return Err(EvalError::Log {
                path: opts.log_path.clone(),
                message: format!(
                    "was written for suite {} (hash {}) and model {}; this run is {} (hash {}) and model {}",
                    log.header.suite,
                    log.header.suite_hash,
                    log.header.model,
                    header.suite,
                    header.suite_hash,
                    header.model
                ),
            });
        }
        let done = log.completed();
        (LogWriter::resume(&log)?, done)
    } else if opts.log_path.exists() && !opts.overwrite {
        return Err(EvalError::Log {
            path: opts.log_path.clone(),
            message: "exists; pass --resume to finish it or --overwrite".into(),
        });
    } else {
        (LogWriter::create(&opts.log_path, &header)?, Vec::new())
    };
    let done: HashSet<(String, u32)> = records
        .iter()
        .map(|r| (r.sample_id.clone(), r.epoch))
        .collect();
    let skipped = done.len();
    let work: Vec<(Sample, u32)> = (0..epochs)
        .flat_map(|e| samples.iter().map(move |s| (s.clone(), e)))
        .filter(|(s, e)| !done.contains(&(s.id.clone(), *e)))
        .collect();
    let total = samples.len() * epochs as usize;

    let bar = progress_bar(opts.progress, total as u64, skipped as u64, &suite.name);
    let ctx = SolveContext {
        target: Arc::clone(&target),
        grader,
        generate: suite.generate.clone(),
    };
    let timeout = suite.limits.sample_timeout_s.map(Duration::from_secs_f64);
    let concurrency = opts.max_samples.unwrap_or(suite.limits.max_samples).max(1);
    if opts.ctrl_c {
        let cancel = opts.cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancel.cancel();
            }
        });
    }

    // The futures borrow the suite, registry and context: the stream never outlives this function.
    let (prep, ctx_ref) = (&*prepared, &ctx);
    let mut stream = futures::stream::iter(work.into_iter().map(|(sample, epoch)| async move {
        run_sample(suite, registry, prep, ctx_ref, sample, epoch, timeout).await
    }))
    .buffer_unordered(concurrency);

    let mut ran = 0usize;
    let mut interrupted = false;
    let first_scorer = prepared
        .scorers
        .first()
        .map(|(n, _)| n.clone())
        .unwrap_or_default();
    loop {
        let next = tokio::select! {
            biased;
            _ = opts.cancel.cancelled() => { interrupted = true; break; }
            n = stream.next() => n,
        };
        let Some(record) = next else { break };
        writer.write(&LogLine::Sample(Box::new(record.clone())))?;
        ran += 1;
        records.push(record);
        bar.inc(1);
        if ran % 16 == 1 {
            let vals: Vec<f64> = records
                .iter()
                .filter_map(|r| r.scores.get(&first_scorer).map(|s| s.value))
                .collect();
            bar.set_message(format!("{first_scorer} {:.3}", metrics::mean(&vals)));
        }
        if opts.cancel_after.is_some_and(|k| ran >= k) {
            opts.cancel.cancel();
        }
    }
    // Dropping the stream drops the samples in flight (and their requests): they are not in the log, so a resume
    // runs them again.
    drop(stream);
    bar.finish_and_clear();

    let completed: Vec<SampleRecord> = records
        .iter()
        .filter(|r| r.error.is_none())
        .cloned()
        .collect();
    let errored = records.len() - completed.len();
    let mut usage = Usage::default();
    for r in &records {
        usage.add(&r.usage);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let footer = Footer {
        status: if interrupted {
            "interrupted".into()
        } else {
            "complete".into()
        },
        finished: now_rfc3339(),
        samples_completed: completed.len(),
        samples_errored: errored,
        samples_total: total,
        metrics: {
            let mut m = metrics::compute(&completed, &suite.metrics);
            for (name, scorer) in &prepared.scorers {
                if let Some(sm) = m.get_mut(name) {
                    sm.tag_vocabulary = scorer.tag_vocabulary();
                }
            }
            m
        },
        usage,
        requests: target.stats.requests.load(Ordering::Relaxed),
        cache_hits: target.stats.cache_hits.load(Ordering::Relaxed),
        retries: target.stats.retries.load(Ordering::Relaxed),
        duration_s: elapsed,
        samples_per_second: if elapsed > 0.0 {
            ran as f64 / elapsed
        } else {
            0.0
        },
        resumed_samples: skipped,
    };
    writer.write(&LogLine::Footer(Box::new(footer.clone())))?;
    writer.sync()?;
    Ok(RunOutcome {
        log_path: opts.log_path,
        footer,
        ran,
        skipped,
    })
}

fn progress_bar(visible: bool, total: u64, done: u64, name: &str) -> indicatif::ProgressBar {
    if !visible {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    let style = indicatif::ProgressStyle::with_template(
        "{prefix} {bar:30.cyan/blue} {pos}/{len} [{elapsed_precise} < {eta_precise}] {per_sec} {msg}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_prefix(name.to_owned());
    bar.set_position(done);
    // The rate and ETA should reflect this invocation, not samples skipped by a resume.
    bar.reset_eta();
    bar
}

async fn run_sample(
    suite: &Suite,
    registry: &Registry,
    prepared: &Prepared,
    ctx: &SolveContext,
    sample: Sample,
    epoch: u32,
    timeout: Option<Duration>,
) -> SampleRecord {
    let started_at = now_rfc3339();
    let t0 = Instant::now();
    let mut record = SampleRecord {
        sample_id: sample.id.clone(),
        epoch,
        input: sample.input.clone(),
        target: sample.target.clone(),
        choices: sample.choices.clone(),
        metadata: sample.metadata.clone(),
        messages: Vec::new(),
        events: Vec::new(),
        output: String::new(),
        scores: Default::default(),
        usage: Usage::default(),
        model_calls: 0,
        environment: Value::Null,
        started: started_at,
        duration_ms: 0,
        error: None,
    };
    let work = async {
        let mut state = TaskState::new(sample, epoch);
        let result = solve_and_score(suite, registry, prepared, ctx, &mut state).await;
        (state, result)
    };
    let outcome = match timeout {
        Some(t) => tokio::time::timeout(t, work).await.map_err(|_| t),
        None => Ok(work.await),
    };
    match outcome {
        Ok((state, result)) => {
            record.messages = state.messages.clone();
            record.events = state.events.clone();
            record.output = state.output.clone();
            record.usage = state.usage;
            record.model_calls = state.model_calls;
            if !state.environments.is_empty() {
                record.environment = state.environment_state();
            }
            match result {
                Ok(scores) => record.scores = scores,
                Err(e) => record.error = Some(e.to_string()),
            }
        }
        Err(t) => {
            record.error = Some(EvalError::SampleTimeout(t.as_secs_f64()).to_string());
            record
                .events
                .push(json!({"type": "limit", "limit": "sample_timeout"}));
        }
    }
    record.duration_ms = t0.elapsed().as_millis() as u64;
    record
}

async fn solve_and_score(
    suite: &Suite,
    registry: &Registry,
    prepared: &Prepared,
    ctx: &SolveContext,
    state: &mut TaskState,
) -> Result<std::collections::BTreeMap<String, crate::scorer::Score>> {
    for c in &suite.environments {
        let env = registry.environment(c, &state.sample)?;
        state.environments.push(env);
    }
    for solver in &prepared.solvers {
        if state.completed {
            break;
        }
        solver.solve(state, ctx).await?;
    }
    let mut scores = std::collections::BTreeMap::new();
    for (name, scorer) in &prepared.scorers {
        if !scorer.applies(&state.sample) {
            continue;
        }
        let score = scorer.score(state, ctx).await?;
        // Later scorers may derive from earlier ones (crate::scorer::earlier_score).
        if let Value::Object(m) = state
            .store
            .entry("scores".to_owned())
            .or_insert_with(|| json!({}))
        {
            m.insert(
                name.clone(),
                serde_json::to_value(&score).unwrap_or(Value::Null),
            );
        }
        scores.insert(name.clone(), score);
    }
    Ok(scores)
}
