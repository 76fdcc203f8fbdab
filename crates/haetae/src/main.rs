//! `haetae`: the command-line entry point. Serves the gateway, administers the programme, and (as later
//! subcommands land) audits the ledger and runs evaluations.

mod admin_cli;
mod agentic_cli;
mod audit;
mod backends;
mod config;
mod ledger_setup;
mod ops_cli;
mod policy_cli;
mod release_cli;
mod up;
mod witness_cli;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "haetae",
    version,
    about = "Haetae (해태): trusted access to, and safety evaluation of, cyber-capable AI models",
    long_about = "Haetae gives vetted institutions tiered access to AI models for lawful defensive work, through an \
OpenAI-compatible gateway, and records every decision.\n\nStart here: `haetae up` serves a demo programme on this machine."
)]
struct Cli {
    /// Configuration file (default: ./haetae.toml if present).
    #[arg(long, global = true, env = "HAETAE_CONFIG")]
    config: Option<PathBuf>,
    /// Data directory (overrides the configuration).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Store URL, sqlite://… or postgres://… (overrides the configuration).
    #[arg(long, global = true)]
    store_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Set up and serve a demo programme on this machine: store, model, one organisation per tier, keys.
    Up(up::UpArgs),
    /// Serve the gateway with the configured store and backends.
    Serve {
        /// Address to listen on (overrides the configuration).
        #[arg(long)]
        listen: Option<SocketAddr>,
    },
    /// Write a commented haetae.toml.
    Init {
        /// Where to write it.
        #[arg(long, default_value = "haetae.toml")]
        path: PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Organisations and their vetting.
    #[command(subcommand)]
    Org(admin_cli::OrgCommand),
    /// Members of organisations.
    #[command(subcommand)]
    Member(admin_cli::MemberCommand),
    /// Member API keys.
    #[command(subcommand)]
    Key(admin_cli::KeyCommand),
    /// Administrator keys for the admin API.
    #[command(subcommand)]
    AdminKey(admin_cli::AdminKeyCommand),
    /// The model catalogue.
    #[command(subcommand)]
    Model(admin_cli::ModelCommand),
    /// The tier ladder.
    #[command(subcommand)]
    Tier(admin_cli::TierCommand),
    /// Engagements: authorised tests of named targets that unlock exploitation help for trusted tiers.
    #[command(subcommand)]
    Engagement(ops_cli::EngagementCommand),
    /// The review queue: misuse signals and requests held by the policy.
    #[command(subcommand)]
    Review(ops_cli::ReviewCommand),
    /// Usage reports per organisation, member, key, model, use-case and day.
    #[command(subcommand)]
    Usage(ops_cli::UsageCommand),
    /// Rate limits and token budgets of tiers, organisations and keys.
    #[command(subcommand)]
    Limits(ops_cli::LimitsCommand),
    /// Check a gateway's transparency ledger from the outside: signatures, consistency, inclusion.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// The release gate: from evaluation logs and a release policy, the tiers a model may serve.
    #[command(subcommand)]
    Release(haetae_eval::release::ReleaseCommand),
    /// Witness a gateway's ledger: cosign each checkpoint that is consistent with the last one cosigned.
    #[command(subcommand)]
    Witness(witness_cli::WitnessCommand),
    /// Access policies (Cedar): validate them and run policy test cases.
    #[command(subcommand)]
    Policy(policy_cli::PolicyCommand),
    /// The cyber-use guard: classify text, or measure it on a labelled set.
    #[command(subcommand)]
    Guard(policy_cli::GuardCommand),
    /// Evaluate models: run suites, report, compare.
    #[command(subcommand)]
    Eval(haetae_eval::cli::EvalCommand),
    /// Agentic high-risk-domain environments: list tools and invariants, print policies, verify task sets.
    #[command(subcommand)]
    Agentic(agentic_cli::AgenticCommand),
    /// Find, reproduce, patch and verify vulnerabilities in a repository, through the gateway (docs/scan.md).
    Scan(haetae_scan::cli::ScanArgs),
    /// Scan many repositories: a job queue (SQLite here, PostgreSQL across machines) and its workers (docs/scan.md).
    #[command(subcommand)]
    ScanQueue(haetae_scan::cli::QueueCommand),
    /// Triage logs with Sigma rules, file samples with YARA rules (`yara` feature); findings in the scan's
    /// formats (docs/scan.md).
    #[command(subcommand)]
    Triage(haetae_scan::triage::TriageCommand),
}

fn init_tracing(format: &str) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("HAETAE_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut config = config::Config::load(cli.config.as_deref())?;
    if let Some(dir) = cli.data_dir {
        config.data_dir = dir;
    }
    if let Some(url) = cli.store_url {
        config.store_url = url;
    }
    match cli.command {
        Command::Init { path, force } => {
            anyhow::ensure!(
                force || !path.exists(),
                "{} exists; pass --force to replace it",
                path.display()
            );
            std::fs::write(&path, config::TEMPLATE)?;
            println!("wrote {}", path.display());
            Ok(())
        }
        Command::Up(args) => {
            init_tracing(&config.log_format);
            up::run(config, args).await
        }
        Command::Serve { listen } => {
            init_tracing(&config.log_format);
            if let Some(listen) = listen {
                config.listen = listen;
            }
            up::serve_configured(config).await
        }
        Command::Org(cmd) => admin_cli::org(&config, cmd).await,
        Command::Member(cmd) => admin_cli::member(&config, cmd).await,
        Command::Key(cmd) => admin_cli::key(&config, cmd).await,
        Command::AdminKey(cmd) => admin_cli::admin_key(&config, cmd).await,
        Command::Model(cmd) => admin_cli::model(&config, cmd).await,
        Command::Tier(cmd) => admin_cli::tier(&config, cmd).await,
        Command::Engagement(cmd) => ops_cli::engagement(&config, cmd).await,
        Command::Review(cmd) => ops_cli::review(&config, cmd).await,
        Command::Usage(cmd) => ops_cli::usage(&config, cmd).await,
        Command::Limits(cmd) => ops_cli::limits(&config, cmd).await,
        Command::Audit(cmd) => audit::run(cmd).await,
        Command::Witness(cmd) => witness_cli::run(cmd).await,
        Command::Release(cmd) => release_cli::run(&config, cmd).await,
        Command::Policy(cmd) => policy_cli::policy(cmd),
        Command::Guard(cmd) => policy_cli::guard(cmd),
        Command::Agentic(cmd) => agentic_cli::run(cmd).await,
        Command::Scan(args) => haetae_scan::cli::run(args)
            .await
            .map(|_| ())
            .map_err(Into::into),
        Command::ScanQueue(cmd) => {
            let default = format!(
                "sqlite://{}",
                config.data_dir.join("scan-queue.db").display()
            );
            haetae_scan::cli::run_queue(cmd, &default)
                .await
                .map_err(Into::into)
        }
        Command::Triage(cmd) => haetae_scan::triage::run(cmd).map_err(Into::into),
        // The harness plus the agentic high-risk-domain environments (haetae-agentic).
        Command::Eval(cmd) => haetae_eval::cli::run_cli_with(cmd, haetae_agentic::registry()).await,
    }
}
