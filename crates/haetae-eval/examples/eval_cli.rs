//! `haetae eval` as a standalone binary, for benchmarks and for trying the harness before the main CLI mounts it:
//! `cargo run --release -p haetae-eval --example eval_cli -- run suite.yaml --model …`

use clap::Parser;

#[derive(Parser)]
#[command(name = "haetae-eval")]
struct Cli {
    #[command(subcommand)]
    cmd: haetae_eval::cli::EvalCommand,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    haetae_eval::cli::run_cli(Cli::parse().cmd).await
}
