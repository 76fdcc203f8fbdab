//! `haetae eval …`: the clap subcommands the CLI binary mounts, and their entry point.
//!
//! ```ignore
//! #[derive(clap::Subcommand)]
//! enum Command { #[command(subcommand)] Eval(haetae_eval::cli::EvalCommand), … }
//! Command::Eval(cmd) => haetae_eval::cli::run_cli(cmd).await?,
//! ```

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

use crate::model::{ModelSpec, ResponseCache, RetryPolicy};
use crate::report::{ReportRun, compare_table, html};
use crate::runner::{RunOptions, run_suite};
use crate::suite::{Registry, Suite};

#[derive(Debug, clap::Subcommand)]
pub enum EvalCommand {
    /// Run (or resume) a suite against a model and write a JSONL log.
    Run(RunArgs),
    /// Render a self-contained HTML report (inline SVG plots) from one or more logs.
    Report {
        /// Run logs (JSONL).
        #[arg(required = true)]
        logs: Vec<PathBuf>,
        /// Where to write the HTML.
        #[arg(short, long, default_value = "eval-report.html")]
        output: PathBuf,
    },
    /// Print a comparison table of several runs (Haetae JSONL logs and Inspect JSON or `.eval` logs alike).
    Compare {
        #[arg(required = true)]
        logs: Vec<PathBuf>,
    },
    /// Write a Haetae run log as an Inspect log (`inspect view` / `inspect log dump` open it): Inspect's `.eval`
    /// archive when the output ends in `.eval`, its JSON log otherwise.
    ExportInspect {
        /// The Haetae run log (JSONL).
        log: PathBuf,
        /// Where to write the Inspect log (`.eval` archive or JSON).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// List the registered solvers, scorers and environments, and the suites in a directory.
    List {
        #[arg(default_value = "suites")]
        dir: PathBuf,
    },
    /// Convert a public dataset into a built-in suite's item format.
    #[command(subcommand)]
    Import(crate::import::ImportCommand),
    /// Cohen's kappa, overall and per category, between human refusal labels and the graders (the rule-based
    /// detector and, from a grader run's log, the model-graded rubric), and between the two human passes.
    /// Reads DIR/responses.jsonl and DIR/labels/{pass-a,pass-b,adjudicated}.jsonl (suites/ko-graders/README.md).
    Agreement {
        /// The suite folder holding responses.jsonl and labels/.
        #[arg(default_value = "suites/ko-graders")]
        dir: PathBuf,
        /// The run log of the grader over the responses (DIR/grade.yaml), for the human-vs-grader rows.
        #[arg(long)]
        grader_log: Option<PathBuf>,
        /// The name the grader's scorer is logged under in that log.
        #[arg(long, default_value = "grader")]
        grader_scorer: String,
        /// Also write the report as JSON here.
        #[arg(long)]
        json: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The suite file (YAML or TOML).
    pub suite: PathBuf,
    /// The target model: `embedded`, `embedded:/path/model.gguf`, `openai:<base_url>#<model>`,
    /// `gateway:<base_url>#<model>` (key in HAETAE_API_KEY) or `scripted:<file>`. Defaults to the suite's
    /// `roles.target`.
    #[arg(long, short)]
    pub model: Option<String>,
    /// The grader model (same syntax); defaults to the suite's `roles.grader`, else the target.
    #[arg(long)]
    pub grader: Option<String>,
    /// Environment variable holding the API key for openai:/gateway: specs.
    #[arg(long)]
    pub api_key_env: Option<String>,
    /// The log file. Defaults to logs/<suite>-<time>.jsonl.
    #[arg(long)]
    pub log: Option<PathBuf>,
    /// Finish an interrupted run: keep the samples in --log and run only the missing ones.
    #[arg(long, requires = "log")]
    pub resume: bool,
    /// Replace an existing log.
    #[arg(long)]
    pub overwrite: bool,
    /// Run at most this many samples.
    #[arg(long)]
    pub limit: Option<usize>,
    #[arg(long)]
    pub epochs: Option<u32>,
    /// Samples in flight at once.
    #[arg(long)]
    pub max_samples: Option<usize>,
    /// Requests in flight per model.
    #[arg(long)]
    pub max_connections: Option<usize>,
    #[arg(long)]
    pub max_retries: Option<u32>,
    /// Per-request timeout in seconds.
    #[arg(long)]
    pub request_timeout: Option<f64>,
    /// Cap every generation (the target's and the grader's) at this many tokens, whatever the suite says: for a
    /// slow model on a small machine. The suite recorded in the log shows the capped `generate.max_tokens`.
    #[arg(long)]
    pub max_tokens: Option<u64>,
    /// Cache responses on disk (keyed by model and request); `--cache-dir` picks the directory.
    #[arg(long)]
    pub cache: bool,
    #[arg(long)]
    pub cache_dir: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// `inspect`: besides the JSONL log (which resume needs), write the run as an Inspect JSON log next to it
    /// (same name, `.inspect.json`); `inspect-eval`: as Inspect's `.eval` archive (same name, `.eval`).
    #[arg(long, value_enum, default_value = "haetae")]
    pub log_format: LogFormat,
}

/// What `haetae eval run` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// The JSONL run log.
    Haetae,
    /// The JSONL run log and an Inspect JSON log.
    Inspect,
    /// The JSONL run log and an Inspect `.eval` archive (Inspect's default log format).
    InspectEval,
}

/// Where `--log-format inspect` writes the Inspect log for a run log.
pub fn inspect_log_path(log: &std::path::Path) -> PathBuf {
    log.with_extension("inspect.json")
}

/// Where `--log-format inspect-eval` writes the Inspect `.eval` archive for a run log.
pub fn inspect_eval_log_path(log: &std::path::Path) -> PathBuf {
    log.with_extension("eval")
}

/// Runs an `eval` subcommand with the built-in registry.
pub async fn run_cli(cmd: EvalCommand) -> anyhow::Result<()> {
    run_cli_with(cmd, Registry::builtin()).await
}

/// Runs an `eval` subcommand with a registry extended by other crates (extra solvers, scorers, environments).
pub async fn run_cli_with(cmd: EvalCommand, registry: Registry) -> anyhow::Result<()> {
    match cmd {
        EvalCommand::Run(args) => run(args, registry).await,
        EvalCommand::Report { logs, output } => {
            let runs = read_runs(&logs)?;
            std::fs::write(&output, html(&runs))
                .with_context(|| format!("writing {}", output.display()))?;
            println!("wrote {}", output.display());
            Ok(())
        }
        EvalCommand::Compare { logs } => {
            print!("{}", compare_table(&read_runs(&logs)?));
            Ok(())
        }
        EvalCommand::ExportInspect { log, output } => {
            let log = crate::log::RunLog::read(&log)?;
            crate::inspect_log::write_inspect_log(&log, &output)?;
            println!("wrote {}", output.display());
            Ok(())
        }
        EvalCommand::Import(cmd) => {
            crate::import::run_import(cmd)?;
            Ok(())
        }
        EvalCommand::Agreement {
            dir,
            grader_log,
            grader_scorer,
            json,
        } => {
            let inputs = crate::agreement::load(&dir, grader_log.as_deref(), &grader_scorer)?;
            let report = crate::agreement::compute(&inputs);
            print!("{}", crate::agreement::render_markdown(&report));
            if let Some(path) = json {
                std::fs::write(&path, serde_json::to_string_pretty(&report)?)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            Ok(())
        }
        EvalCommand::List { dir } => {
            for (kind, names) in registry.names() {
                println!("{kind}: {}", names.join(", "));
            }
            let mut suites = Vec::new();
            collect_suites(&dir, &mut suites);
            suites.sort();
            if !suites.is_empty() {
                println!("suites in {}:", dir.display());
            }
            for p in suites {
                match Suite::load(&p) {
                    Ok(s) => println!(
                        "  {:<24} {}  {}",
                        s.name,
                        p.display(),
                        s.description.unwrap_or_default()
                    ),
                    Err(e) => println!("  (invalid) {}: {e}", p.display()),
                }
            }
            Ok(())
        }
    }
}

fn collect_suites(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_suites(&p, out);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "toml")
        ) && std::fs::read_to_string(&p).is_ok_and(|t| t.contains("scorers"))
        {
            out.push(p);
        }
    }
}

fn read_runs(logs: &[PathBuf]) -> anyhow::Result<Vec<ReportRun>> {
    logs.iter()
        .map(|p| Ok(ReportRun::from_log(crate::log::RunLog::read(p)?)))
        .collect()
}

async fn run(args: RunArgs, registry: Registry) -> anyhow::Result<()> {
    let mut suite = Suite::load(&args.suite)?;
    if let Some(cap) = args.max_tokens {
        // Recorded in the log header's copy of the suite; the models enforce it on every call.
        suite.generate.max_tokens = Some(suite.generate.max_tokens.map_or(cap, |m| m.min(cap)));
    }
    let target_spec = args
        .model
        .clone()
        .or_else(|| suite.roles.target.clone())
        .context("no model: pass --model or set roles.target in the suite")?;
    let key_env = args.api_key_env.as_deref();
    let cache = if args.cache {
        Some(ResponseCache::new(
            args.cache_dir
                .clone()
                .unwrap_or_else(ResponseCache::default_dir),
        )?)
    } else {
        None
    };
    let limits = &suite.limits;
    let retry = RetryPolicy {
        max_retries: args
            .max_retries
            .or(limits.max_retries)
            .unwrap_or(RetryPolicy::default().max_retries),
        ..RetryPolicy::default()
    };
    let timeout = args
        .request_timeout
        .or(limits.request_timeout_s)
        .map(Duration::from_secs_f64);
    let connections = args.max_connections.unwrap_or(limits.max_connections);
    let build = |spec: String| {
        let cache = cache.clone();
        let retry = retry.clone();
        async move {
            let mut m = ModelSpec::parse(&spec, key_env)?
                .build()
                .await?
                .with_retry(retry)
                .with_cache(cache)
                .with_max_tokens_cap(args.max_tokens);
            // The embedded model limits itself to one generation; never raise that.
            if !spec.starts_with("embedded") {
                m = m.with_max_connections(connections);
            }
            if let Some(t) = timeout {
                m = m.with_request_timeout(t);
            }
            Ok::<_, crate::EvalError>(Arc::new(m))
        }
    };
    let target = build(target_spec.clone()).await?;
    let grader = match args.grader.clone().or_else(|| suite.roles.grader.clone()) {
        Some(g) if g != target_spec => Some(build(g).await?),
        _ => None,
    };
    let log_path = args.log.clone().unwrap_or_else(|| {
        let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
        PathBuf::from("logs").join(format!("{}-{stamp}.jsonl", suite.name))
    });
    let mut opts = RunOptions::new(&log_path);
    opts.resume = args.resume;
    opts.overwrite = args.overwrite;
    opts.progress = !args.no_progress;
    opts.epochs = args.epochs;
    opts.limit = args.limit;
    opts.max_samples = args.max_samples;
    opts.ctrl_c = true;
    let outcome = run_suite(&suite, &registry, target, grader, opts).await?;
    let f = &outcome.footer;
    eprintln!(
        "{}: {} samples run, {} resumed from the log, {} errored, {:.1} samples/s, {} tokens → {}",
        f.status,
        outcome.ran,
        outcome.skipped,
        f.samples_errored,
        f.samples_per_second,
        f.usage.total_tokens,
        outcome.log_path.display()
    );
    let run_log = crate::log::RunLog::read(&outcome.log_path)?;
    let inspect_path = match args.log_format {
        LogFormat::Haetae => None,
        LogFormat::Inspect => Some(inspect_log_path(&outcome.log_path)),
        LogFormat::InspectEval => Some(inspect_eval_log_path(&outcome.log_path)),
    };
    if let Some(path) = inspect_path {
        crate::inspect_log::write_inspect_log(&run_log, &path)?;
        eprintln!("Inspect log → {}", path.display());
    }
    let run = ReportRun::from_log(run_log);
    print!("{}", compare_table(std::slice::from_ref(&run)));
    if f.status != "complete" {
        eprintln!(
            "interrupted: finish it with --resume --log {}",
            outcome.log_path.display()
        );
    }
    Ok(())
}
