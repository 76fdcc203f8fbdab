//! `haetae scan <repo>`: the command the CLI binary mounts.

use std::path::{Path, PathBuf};
use std::time::Duration;

use time::OffsetDateTime;

use crate::client::{GatewayClient, GatewayConfig};
use crate::disclosure::Embargo;
use crate::output;
use crate::pipeline::{ScanOptions, ScanReport, Scanner, Status, prepare_repository};
use crate::{Result, ScanError};

/// Scan a repository (a local path or a git URL) through the gateway: find, reproduce, patch, verify.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// A local directory or a git URL (cloned, depth 1, into a temporary directory).
    pub repo: String,
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
    /// Where report.json, results.sarif, osv/ and patches/ go.
    #[arg(long, default_value = "haetae-scan-out")]
    pub out: PathBuf,
    /// At most this many candidates are reproduced (after de-duplication).
    #[arg(long, default_value_t = 25)]
    pub max_candidates: usize,
    /// Seconds per model call.
    #[arg(long, default_value_t = 600)]
    pub timeout: u64,
    /// Start an embargo per verified finding with this maintainer contact: writes disclosure/<id>.embargo.json
    /// (the commitment, to publish now) and disclosure/<id>.opening.json (to keep private until disclosure).
    #[arg(long)]
    pub maintainer: Option<String>,
    /// Days until the embargo deadline.
    #[arg(long, default_value_t = 90)]
    pub embargo_days: i64,
}

/// Runs a scan and writes its outputs; returns the report. The key comes from `--api-key-env`.
pub async fn run(args: ScanArgs) -> Result<ScanReport> {
    let api_key = std::env::var(&args.api_key_env).unwrap_or_default();
    run_with_key(args, api_key).await
}

/// [`run`] with the key given (tests; callers holding the key elsewhere).
pub async fn run_with_key(args: ScanArgs, api_key: String) -> Result<ScanReport> {
    let client = GatewayClient::new(GatewayConfig {
        base_url: args.gateway.clone(),
        api_key,
        model: args.model.clone(),
        use_case: args.use_case.clone(),
        engagement: args.engagement.clone(),
        timeout: Duration::from_secs(args.timeout),
        max_tokens: 2048,
    })
    .map_err(|e| ScanError::Config(format!("{e} (set {})", args.api_key_env)))?;
    let (root, _clone) = prepare_repository(&args.repo).await?;
    let scanner = Scanner {
        client: &client,
        options: ScanOptions {
            max_candidates: args.max_candidates,
            ..ScanOptions::default()
        },
    };
    let report = scanner.scan(&root, &args.repo).await?;
    output::write_all(&report, &args.out)?;
    if let Some(contact) = &args.maintainer {
        write_embargoes(&report, contact, args.embargo_days, &args.out)?;
    }
    println!("{}", summary(&report));
    println!("outputs in {}", args.out.display());
    Ok(report)
}

fn write_embargoes(report: &ScanReport, contact: &str, days: i64, out: &Path) -> Result<()> {
    let now = OffsetDateTime::now_utc();
    let dir = out.join("disclosure");
    std::fs::create_dir_all(&dir)
        .map_err(|e| ScanError::io(format!("creating {}", dir.display()), e))?;
    for f in &report.findings {
        let (embargo, opening) = Embargo::start(f, contact, now + time::Duration::days(days), now)?;
        let public = dir.join(format!("{}.embargo.json", f.id));
        std::fs::write(&public, serde_json::to_vec_pretty(&embargo)?)
            .map_err(|e| ScanError::io(format!("writing {}", public.display()), e))?;
        let private = dir.join(format!("{}.opening.json", f.id));
        write_private(&private, &serde_json::to_vec_pretty(&opening)?)?;
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
    for c in &report.candidates {
        let label = if c.status == Status::Verified {
            "FINDING   "
        } else {
            "unverified"
        };
        s.push_str(&format!(
            "{label} {} {}:{}-{} {} [{}] {}\n",
            c.candidate.id,
            c.candidate.file,
            c.candidate.start_line,
            c.candidate.end_line,
            c.candidate.cwe,
            output::status_name(c.status),
            c.stages.last().map(|s| s.note.as_str()).unwrap_or_default()
        ));
    }
    s
}
