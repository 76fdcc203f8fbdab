//! `haetae release` as a standalone binary, for trying the release gate before the main CLI mounts it:
//! `cargo run -p haetae-eval --example release_cli -- decide --model embedded logs/*.jsonl`
//! (it prints the decision; recording it in the ledger and applying it to the catalogue is the main binary's).

use clap::Parser;

#[derive(Parser)]
#[command(name = "haetae-release")]
struct Cli {
    #[command(subcommand)]
    cmd: haetae_eval::release::ReleaseCommand,
}

fn main() -> anyhow::Result<()> {
    haetae_eval::release::run_decide(&Cli::parse().cmd)?;
    Ok(())
}
