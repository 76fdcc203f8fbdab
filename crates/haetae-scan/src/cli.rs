//! `haetae scan <repo>` and `haetae scan-queue`: the commands the CLI binary mounts.

use std::path::{Path, PathBuf};
use std::time::Duration;

use time::OffsetDateTime;

use crate::client::{GatewayClient, GatewayConfig, ScanBudget};
use crate::disclosure::Embargo;
use crate::output;
use crate::pipeline::{
    DEFAULT_ATTEMPTS, ScanOptions, ScanReport, Scanner, Status, prepare_repository,
};
use crate::queue::{self, DisclosureSpec, Job, JobContext, JobSpec, Queue, WorkerOptions};
use crate::{Result, ScanError};

/// How the scan reaches the model: the gateway, the model, and as whom.
#[derive(Debug, Clone, clap::Args)]
pub struct GatewayArgs {
    /// The gateway's OpenAI-compatible base URL.
    #[arg(
        long,
        env = "HAETAE_GATEWAY_URL",
        default_value = "http://127.0.0.1:8080/v1"
    )]
    pub gateway: String,
    /// The model name in the gateway's catalogue.
    #[arg(long)]
    pub model: String,
    /// The environment variable holding the caller's gateway key (hk_…).
    #[arg(long, default_value = "HAETAE_API_KEY")]
    pub api_key_env: String,
    /// The declared use-case (docs/use-cases.md).
    #[arg(long, default_value = "vulnerability-research")]
    pub use_case: String,
    /// A registered engagement's id.
    #[arg(long)]
    pub engagement: Option<String>,
    /// Seconds per model call.
    #[arg(long, default_value_t = 600)]
    pub timeout: u64,
    /// Most tokens per model answer (reserved against the caller's budget before each call).
    #[arg(long, default_value_t = 2048)]
    pub max_tokens: u64,
}

impl GatewayArgs {
    /// The client, under `api_key`.
    pub fn client(&self, api_key: String) -> Result<GatewayClient> {
        GatewayClient::new(GatewayConfig {
            base_url: self.gateway.clone(),
            api_key,
            model: self.model.clone(),
            use_case: self.use_case.clone(),
            engagement: self.engagement.clone(),
            timeout: Duration::from_secs(self.timeout),
            max_tokens: self.max_tokens,
        })
        .map_err(|e| ScanError::Config(format!("{e} (set {})", self.api_key_env)))
    }
}

/// How many times a stage the model can get wrong is tried, the failure fed back each time.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct AttemptArgs {
    /// PoVs asked for per candidate: one that does not trigger (or does not compile or run) is asked for again with
    /// its command's exit status and the end of its output. Each attempt is a model call; 1 asks once.
    #[arg(long, default_value_t = DEFAULT_ATTEMPTS, value_parser = clap::value_parser!(u32).range(1..))]
    pub pov_attempts: u32,
    /// Patches asked for per reproduced candidate: one that does not apply, breaks the build or the tests, or leaves
    /// the PoV triggering is asked for again with that failure. Each attempt is a model call; 1 asks once.
    #[arg(long, default_value_t = DEFAULT_ATTEMPTS, value_parser = clap::value_parser!(u32).range(1..))]
    pub patch_attempts: u32,
}

impl Default for AttemptArgs {
    fn default() -> Self {
        AttemptArgs {
            pov_attempts: DEFAULT_ATTEMPTS,
            patch_attempts: DEFAULT_ATTEMPTS,
        }
    }
}

/// Scan a repository (a local path or a git URL) through the gateway: find, reproduce, patch, verify.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// A local directory or a git URL (cloned, depth 1, into a temporary directory).
    pub repo: String,
    #[command(flatten)]
    pub gateway: GatewayArgs,
    /// Where report.json, results.sarif, osv/ and patches/ go.
    #[arg(long, default_value = "haetae-scan-out")]
    pub out: PathBuf,
    /// At most this many candidates are reproduced (after de-duplication).
    #[arg(long, default_value_t = 25)]
    pub max_candidates: usize,
    #[command(flatten)]
    pub attempts: AttemptArgs,
    /// Start an embargo per verified finding with this maintainer contact: writes disclosure/<id>.embargo.json
    /// (the commitment, to publish now) and disclosure/<id>.opening.json (to keep private until disclosure).
    #[arg(long)]
    pub maintainer: Option<String>,
    /// Days until the embargo deadline.
    #[arg(long, default_value_t = 90)]
    pub embargo_days: i64,
    /// With --maintainer: also record each commitment in the programme's transparency ledger, through the gateway
    /// under the scan's own key and engagement (the public entry holds only keyed commitments).
    #[arg(long, requires = "maintainer")]
    pub ledger: bool,
}

/// Runs a scan and writes its outputs; returns the report. The key comes from `--api-key-env`.
pub async fn run(args: ScanArgs) -> Result<ScanReport> {
    let api_key = std::env::var(&args.gateway.api_key_env).unwrap_or_default();
    run_with_key(args, api_key).await
}

/// [`run`] with the key given (tests; callers holding the key elsewhere).
pub async fn run_with_key(args: ScanArgs, api_key: String) -> Result<ScanReport> {
    let client = args.gateway.client(api_key.clone())?;
    let (root, _clone) = prepare_repository(&args.repo).await?;
    let scanner = Scanner {
        client: &client,
        options: ScanOptions {
            max_candidates: args.max_candidates,
            pov_attempts: args.attempts.pov_attempts,
            patch_attempts: args.attempts.patch_attempts,
            ..ScanOptions::default()
        },
    };
    let report = scanner.scan(&root, &args.repo).await?;
    output::write_all(&report, &args.out)?;
    if let Some(contact) = &args.maintainer {
        let ledger = args.ledger.then(|| LedgerTarget {
            gateway: &args.gateway,
            api_key: &api_key,
        });
        write_embargoes(&report, contact, args.embargo_days, &args.out, ledger).await?;
    }
    println!("{}", summary(&report));
    if args.ledger && !report.findings.is_empty() {
        println!(
            "commitments recorded in the ledger: disclosure/<id>.embargo.json names each entry's request id"
        );
    }
    println!("outputs in {}", args.out.display());
    Ok(report)
}

/// Where and as whom `--ledger` records commitments: the scan's own gateway, key and engagement.
struct LedgerTarget<'a> {
    gateway: &'a GatewayArgs,
    api_key: &'a str,
}

async fn write_embargoes(
    report: &ScanReport,
    contact: &str,
    days: i64,
    out: &Path,
    ledger: Option<LedgerTarget<'_>>,
) -> Result<()> {
    let now = OffsetDateTime::now_utc();
    let dir = out.join("disclosure");
    std::fs::create_dir_all(&dir)
        .map_err(|e| ScanError::io(format!("creating {}", dir.display()), e))?;
    for f in &report.findings {
        let (mut embargo, opening) =
            Embargo::start(f, contact, now + time::Duration::days(days), now)?;
        // The opening first: a commitment in the ledger whose opening was lost could never be disclosed.
        let private = dir.join(format!("{}.opening.json", f.id));
        write_private(&private, &serde_json::to_vec_pretty(&opening)?)?;
        if let Some(l) = &ledger {
            let id = crate::ledger::record_commitment(
                &l.gateway.gateway,
                l.api_key,
                &embargo.commitment,
                l.gateway.engagement.as_deref(),
                Duration::from_secs(l.gateway.timeout.max(1)),
            )
            .await?;
            embargo.ledger_request_id = Some(id);
        }
        let public = dir.join(format!("{}.embargo.json", f.id));
        std::fs::write(&public, serde_json::to_vec_pretty(&embargo)?)
            .map_err(|e| ScanError::io(format!("writing {}", public.display()), e))?;
    }
    Ok(())
}

/// Writes a file readable by its owner only: the opening reveals the finding.
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| ScanError::io(format!("writing {}", path.display()), e))?;
    f.write_all(bytes)
        .map_err(|e| ScanError::io(format!("writing {}", path.display()), e))
}

/// One line per candidate and a total.
pub fn summary(report: &ScanReport) -> String {
    let mut s = format!(
        "{} files, {} units, {} candidates ({} duplicates, {} over budget), {} verified findings\n",
        report.files,
        report.units,
        report.candidates.len(),
        report.duplicates.len(),
        report.over_budget.len(),
        report.findings.len()
    );
    for f in &report.find_failures {
        s.push_str(&format!(
            "NOT SCANNED {} units (the find call got no answer: {}): {}\n",
            f.units.len(),
            f.error,
            f.units.join(", ")
        ));
    }
    for c in &report.candidates {
        let label = if c.status == Status::Verified {
            "FINDING   "
        } else {
            "unverified"
        };
        let last = c.stages.last();
        // A stage tried again says which attempt the line's note is from.
        let attempt = match last.map(|s| s.attempt) {
            Some(n) if n > 1 => format!(" (attempt {n})"),
            _ => String::new(),
        };
        s.push_str(&format!(
            "{label} {} {}:{}-{} {} [{}] {}{attempt}\n",
            c.candidate.id,
            c.candidate.file,
            c.candidate.start_line,
            c.candidate.end_line,
            c.candidate.cwe,
            output::status_name(c.status),
            last.map(|s| s.note.as_str()).unwrap_or_default()
        ));
    }
    s
}

/// The scan queue's database.
#[derive(Debug, Clone, clap::Args)]
pub struct QueueArgs {
    /// `postgres://…` for workers on several machines, or `sqlite://PATH` on one (default: scan-queue.db in the
    /// data directory).
    #[arg(long = "queue", env = "HAETAE_SCAN_QUEUE_URL")]
    pub url: Option<String>,
    /// The queue's table (several queues may share a database).
    #[arg(long, default_value = "haetae_scan_jobs")]
    pub table: String,
}

impl QueueArgs {
    async fn open(&self, default_url: &str) -> Result<Queue> {
        Queue::connect(self.url.as_deref().unwrap_or(default_url), &self.table).await
    }
}

/// `haetae scan-queue`: scanning many repositories with workers on one or several machines.
#[derive(Debug, clap::Subcommand)]
pub enum QueueCommand {
    /// Queue repositories (local paths or git URLs) for scanning.
    Add {
        repos: Vec<String>,
        /// Tokens each scan may spend on model calls (all its attempts together).
        #[arg(long)]
        budget_tokens: Option<u64>,
        /// At most this many candidates are reproduced per repository.
        #[arg(long, default_value_t = 25)]
        max_candidates: usize,
        #[command(flatten)]
        attempts: AttemptArgs,
        /// Start an embargo per verified finding with this maintainer contact, as `haetae scan --maintainer` does
        /// (in OUT/<job id>/disclosure/ of the worker that runs it).
        #[arg(long)]
        maintainer: Option<String>,
        /// Days until the embargo deadline.
        #[arg(long, default_value_t = 90, requires = "maintainer")]
        embargo_days: i64,
        /// With --maintainer: the worker also records each commitment in the programme's ledger, through its
        /// gateway under its own key and engagement.
        #[arg(long, requires = "maintainer")]
        ledger: bool,
        #[command(flatten)]
        queue: QueueArgs,
    },
    /// Run a worker: claim jobs and scan them until the queue is empty (with --follow, wait for more).
    Work {
        #[command(flatten)]
        queue: QueueArgs,
        #[command(flatten)]
        gateway: GatewayArgs,
        /// Each job's outputs go to OUT/<job id>/.
        #[arg(long, default_value = "haetae-scan-queue-out")]
        out: PathBuf,
        /// This worker's name (default: host and process id).
        #[arg(long)]
        name: Option<String>,
        /// Seconds a claimed job stays this worker's without a heartbeat; a crashed worker's jobs are taken again
        /// after it.
        #[arg(long, default_value_t = 60)]
        lease_secs: u64,
        /// Keep waiting for jobs when the queue is empty.
        #[arg(long)]
        follow: bool,
    },
    /// The jobs and their states.
    List {
        #[command(flatten)]
        queue: QueueArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Tokens the scan's model calls spent, from its report.
pub fn report_tokens(report: &ScanReport) -> u64 {
    let stage_calls = report
        .candidates
        .iter()
        .flat_map(|c| c.stages.iter().filter_map(|s| s.call.as_ref()));
    report
        .find_calls
        .iter()
        .chain(stage_calls)
        .map(|c| c.prompt_tokens + c.completion_tokens)
        .sum()
}

/// Runs one queued scan: its outputs go to `out_root/<job id>/`; the result names them and counts findings.
pub async fn scan_job(
    job: Job,
    ctx: JobContext,
    gateway: &GatewayArgs,
    api_key: &str,
    out_root: &Path,
) -> Result<serde_json::Value> {
    let mut client = gateway.client(api_key.to_owned())?;
    let before = ctx.used_tokens.load(std::sync::atomic::Ordering::Relaxed);
    if let Some(tokens) = job.spec.budget_tokens {
        client =
            client.with_budget(ScanBudget::new(&job.id, tokens, ctx.used_tokens.clone()).await?);
    }
    let (root, _clone) = prepare_repository(&job.spec.repo).await?;
    let scanner = Scanner {
        client: &client,
        options: ScanOptions {
            max_candidates: job.spec.max_candidates,
            pov_attempts: job.spec.pov_attempts,
            patch_attempts: job.spec.patch_attempts,
            ..ScanOptions::default()
        },
    };
    let report = scanner.scan(&root, &job.spec.repo).await?;
    if client.budget().is_none() {
        // Without a budget nothing counted the calls as they went; the report has them all.
        ctx.used_tokens.store(
            before + report_tokens(&report),
            std::sync::atomic::Ordering::Relaxed,
        );
    }
    let out = out_root.join(&job.id);
    output::write_all(&report, &out)?;
    if let Some(d) = &job.spec.disclosure {
        let ledger = d.ledger.then_some(LedgerTarget { gateway, api_key });
        write_embargoes(&report, &d.maintainer, d.embargo_days, &out, ledger).await?;
    }
    Ok(serde_json::json!({
        "out": out.display().to_string(),
        "findings": report.findings.len(),
        "candidates": report.candidates.len(),
        "tokens": report_tokens(&report),
        "embargoes": job.spec.disclosure.as_ref().map_or(0, |_| report.findings.len()),
    }))
}

/// Runs a `haetae scan-queue` command; `default_url` is the single-machine queue (SQLite in the data directory).
pub async fn run_queue(cmd: QueueCommand, default_url: &str) -> Result<()> {
    match cmd {
        QueueCommand::Add {
            repos,
            budget_tokens,
            max_candidates,
            attempts,
            maintainer,
            embargo_days,
            ledger,
            queue,
        } => {
            if repos.is_empty() {
                return Err(ScanError::Config("name at least one repository".into()));
            }
            let q = queue.open(default_url).await?;
            for repo in repos {
                let id = q
                    .enqueue(&JobSpec {
                        repo: repo.clone(),
                        budget_tokens,
                        max_candidates,
                        pov_attempts: attempts.pov_attempts,
                        patch_attempts: attempts.patch_attempts,
                        disclosure: maintainer.as_ref().map(|m| DisclosureSpec {
                            maintainer: m.clone(),
                            embargo_days,
                            ledger,
                        }),
                    })
                    .await?;
                println!("{id} {repo}");
            }
            Ok(())
        }
        QueueCommand::Work {
            queue,
            gateway,
            out,
            name,
            lease_secs,
            follow,
        } => {
            let q = queue.open(default_url).await?;
            let api_key = std::env::var(&gateway.api_key_env).unwrap_or_default();
            let name = name.unwrap_or_else(|| {
                let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
                format!("{}-{}", host.trim(), std::process::id())
            });
            let opts = WorkerOptions {
                name,
                lease: Duration::from_secs(lease_secs.max(3)),
                poll: Duration::from_secs(2),
                exit_when_idle: !follow,
            };
            let n = queue::work(&q, &opts, |job, ctx| {
                let (gateway, api_key, out) = (&gateway, &api_key, &out);
                async move { scan_job(job, ctx, gateway, api_key, out).await }
            })
            .await?;
            println!("{} finished {n} jobs", opts.name);
            Ok(())
        }
        QueueCommand::List { queue, json } => {
            let jobs = queue.open(default_url).await?.list().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&jobs)?);
            } else {
                for j in &jobs {
                    println!(
                        "{} {:<8} attempts={} tokens={} {} {}",
                        j.id,
                        j.state,
                        j.attempts,
                        j.used_tokens,
                        j.repo,
                        j.error.as_deref().unwrap_or_default()
                    );
                }
            }
            Ok(())
        }
    }
}
