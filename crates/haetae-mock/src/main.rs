//! `haetae-mock-upstream`: the mock OpenAI-compatible upstream as a process, for benchmarks and manual testing.

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use haetae_mock::{MockConfig, router_with};

#[derive(Parser)]
#[command(
    about = "A mock OpenAI-compatible upstream with configurable latency and injected faults"
)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8081")]
    listen: SocketAddr,
    /// Delay before each answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Delay between streamed chunks, in milliseconds.
    #[arg(long, default_value_t = 0)]
    chunk_delay_ms: u64,
    /// Model ids to list.
    #[arg(long, value_delimiter = ',', default_value = "mock-1,mock-2")]
    models: Vec<String>,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let config = MockConfig {
        latency: Duration::from_millis(args.latency_ms),
        chunk_delay: Duration::from_millis(args.chunk_delay_ms),
        models: args.models,
        record_requests: false,
    };
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    println!(
        "mock upstream listening on http://{}/v1",
        listener.local_addr()?
    );
    axum::serve(listener, router_with(config)).await
}
