//! bench/scan: the pipeline's own cost per candidate with the scripted model, and the queue's throughput with
//! several workers. Run with `bench/scan/run.sh` (the command and the last figures are in bench/scan/README.md).
//!
//! * pipeline: `--scans N` scans of the c-greet fixture (three candidates go through the stages: one verified, one
//!   refuted at reproduction, one invalid; plus a duplicate), reporting wall time per scan and per processed
//!   candidate. The scripted model answers at once, so this is the pipeline itself: tree-sitter, sandboxed builds,
//!   AddressSanitizer PoVs, `git apply`, the project's tests.
//! * queue: `--jobs J` no-op jobs drained by 1, 2, 4 and 8 workers (jobs/s: claim + heartbeat + finish), on SQLite
//!   and, with `HAETAE_TEST_POSTGRES_URL`, on PostgreSQL; then `--scan-jobs S` queued c-greet scans with 1 and 2
//!   workers.

use std::time::{Duration, Instant};

use haetae_scan::cli::scan_job;
use haetae_scan::client::{GatewayClient, GatewayConfig};
use haetae_scan::pipeline::{DEFAULT_ATTEMPTS, ScanOptions, Scanner, Status};
use haetae_scan::queue::{JobSpec, Queue, WorkerOptions, work};
use haetae_scan::scripted::{self, c_greet};
use serde_json::json;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn opts(name: String) -> WorkerOptions {
    WorkerOptions {
        name,
        lease: Duration::from_secs(30),
        poll: Duration::from_millis(20),
        exit_when_idle: true,
    }
}

async fn pipeline(url: &str, scans: usize) -> Result<(), Box<dyn std::error::Error>> {
    let client = GatewayClient::new(GatewayConfig {
        base_url: url.to_owned(),
        api_key: "hk_bench".into(),
        model: "scripted".into(),
        use_case: "vulnerability-research".into(),
        engagement: None,
        timeout: Duration::from_secs(60),
        max_tokens: 2048,
    })?;
    let scanner = Scanner {
        client: &client,
        options: ScanOptions::default(),
    };
    let fixture = c_greet::fixture();
    let mut walls = Vec::new();
    let mut processed = 0;
    for _ in 0..scans {
        let t = Instant::now();
        let report = scanner.scan(&fixture, "c-greet").await?;
        walls.push(t.elapsed().as_secs_f64());
        processed = report
            .candidates
            .iter()
            .filter(|c| c.status != Status::Invalid)
            .count();
        assert_eq!(
            report.findings.len(),
            1,
            "the bench expects the true finding"
        );
    }
    walls.sort_by(f64::total_cmp);
    let median = walls[walls.len() / 2];
    println!(
        "pipeline: {scans} scans of c-greet, {processed} candidates through the stages each: median {:.2} s per \
         scan (min {:.2}, max {:.2}), {:.2} s per processed candidate",
        median,
        walls[0],
        walls[walls.len() - 1],
        median / processed.max(1) as f64
    );
    Ok(())
}

async fn queue_noop(url: &str, label: &str, jobs: usize) -> Result<(), Box<dyn std::error::Error>> {
    for workers in [1usize, 2, 4, 8] {
        let table = format!("scan_bench_{}", hex::encode(rand::random::<[u8; 4]>()));
        let q = Queue::connect(url, &table).await?;
        for i in 0..jobs {
            q.enqueue(&JobSpec {
                repo: format!("repo-{i}"),
                budget_tokens: None,
                max_candidates: 25,
                pov_attempts: DEFAULT_ATTEMPTS,
                patch_attempts: DEFAULT_ATTEMPTS,
                disclosure: None,
            })
            .await?;
        }
        let t = Instant::now();
        let mut handles = Vec::new();
        for w in 0..workers {
            let q = q.clone();
            handles.push(tokio::spawn(async move {
                work(&q, &opts(format!("w{w}")), |_, _| async { Ok(json!({})) }).await
            }));
        }
        let mut done = 0;
        for h in handles {
            done += h.await??;
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "queue ({label}): {done} no-op jobs, {workers} workers: {:.2} s, {:.0} jobs/s",
            secs,
            done as f64 / secs
        );
        q.drop_table().await?;
    }
    Ok(())
}

async fn queue_scans(
    url: &str,
    model: &str,
    jobs: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let out = tempfile::tempdir()?;
    for workers in [1usize, 2] {
        let q = Queue::connect(url, &format!("scan_bench_scans_{workers}")).await?;
        for _ in 0..jobs {
            q.enqueue(&JobSpec {
                repo: c_greet::fixture().display().to_string(),
                budget_tokens: Some(1_000_000),
                max_candidates: 25,
                pov_attempts: DEFAULT_ATTEMPTS,
                patch_attempts: DEFAULT_ATTEMPTS,
                disclosure: None,
            })
            .await?;
        }
        let gw = scripted::gateway_args(model);
        let t = Instant::now();
        let mut handles = Vec::new();
        for w in 0..workers {
            let (q, gw, out) = (q.clone(), gw.clone(), out.path().to_owned());
            handles.push(tokio::spawn(async move {
                work(&q, &opts(format!("w{w}")), |job, ctx| {
                    let (gw, out) = (&gw, &out);
                    async move { scan_job(job, ctx, gw, "hk_bench", out).await }
                })
                .await
            }));
        }
        let mut done = 0;
        for h in handles {
            done += h.await??;
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "queue (sqlite): {done} c-greet scans, {workers} workers: {:.1} s, {:.2} scans/min",
            secs,
            done as f64 * 60.0 / secs
        );
        q.drop_table().await?;
    }
    Ok(())
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (url, _script) = scripted::serve(c_greet::rules(c_greet::GOOD_PATCH)).await?;
    pipeline(&url, arg("--scans", 5)).await?;
    let dir = tempfile::tempdir()?;
    let sqlite = format!("sqlite://{}", dir.path().join("queue.db").display());
    let jobs = arg("--jobs", 500);
    queue_noop(&sqlite, "sqlite", jobs).await?;
    match std::env::var("HAETAE_TEST_POSTGRES_URL") {
        Ok(pg) if !pg.trim().is_empty() => queue_noop(&pg, "postgres", jobs).await?,
        _ => println!("queue (postgres): skipped, HAETAE_TEST_POSTGRES_URL is not set"),
    }
    queue_scans(&sqlite, &url, arg("--scan-jobs", 4)).await?;
    Ok(())
}
