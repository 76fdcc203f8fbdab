//! Durable appends per second from 3 concurrent writers: into the shared PostgreSQL ledger (3 replicas on one
//! schema, each with its own sequencer and group commit; one of them elected integrator), and, in the same run,
//! into the local-file ledger (3 writer groups into one log) as the baseline. Every figure counts only appends
//! whose `append` returned: committed by PostgreSQL (`synchronous_commit = on`) or fsync'd.
//!
//! `HAETAE_TEST_POSTGRES_URL=postgres://… cargo bench -p haetae-ledger --bench shared`. `LEDGER_SHARED_SECS`
//! (default 5) sets each run's length, `LEDGER_SHARED_CONCURRENCY` (default 128) the appends in flight per
//! writer. Without the URL it says so and measures the file ledger only.

// Bench helpers: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use haetae_ledger::postgres::PostgresOptions;
use haetae_ledger::{Ledger, LedgerConfig, NoteSigner};

mod support;
use support::entry;

const WRITERS: usize = 3;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Appends from `concurrency` tasks on each writer for `secs`; returns (appends, latencies).
async fn drive(writers: &[Ledger], concurrency: u64, secs: u64) -> (u64, Vec<Duration>) {
    let end = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for (w, l) in writers.iter().enumerate() {
        for c in 0..concurrency {
            let l = l.clone();
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut i = ((w as u64) << 40) | (c << 24);
                while Instant::now() < end {
                    let t = Instant::now();
                    l.append(&entry(i)).await.expect("durable append");
                    lat.push(t.elapsed());
                    i += 1;
                }
                lat
            }));
        }
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort_unstable();
    (all.len() as u64, all)
}

fn row(name: &str, n: u64, secs: u64, commits: u64, lat: &[Duration], extra: &str) {
    println!(
        "| {name} | {:.0} | {n} | {:.1} | {:.1} ms | {:.1} ms | {extra} |",
        n as f64 / secs as f64,
        n as f64 / commits.max(1) as f64,
        pct(lat, 0.5).as_secs_f64() * 1e3,
        pct(lat, 0.99).as_secs_f64() * 1e3,
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let secs = env_u64("LEDGER_SHARED_SECS", 5);
    let concurrency = env_u64("LEDGER_SHARED_CONCURRENCY", 128);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "{WRITERS} writers × {concurrency} appends in flight, {secs} s per run; load before: {}",
        load.split(' ').take(3).collect::<Vec<_>>().join(" ")
    );
    println!("| ledger | durable appends/s | appends | entries per commit | p50 | p99 | notes |");
    println!("|---|---:|---:|---:|---:|---:|---|");

    // Baseline: the local-file ledger, 3 writer groups into one log.
    let dir = tempfile::tempdir().unwrap();
    let signer = NoteSigner::generate("bench.example/ledger").unwrap();
    let file = Ledger::open(dir.path(), LedgerConfig::new(signer.clone())).unwrap();
    let writers = vec![file.clone(); WRITERS];
    let (n, lat) = drive(&writers, concurrency, secs).await;
    row(
        "local file (1 log, fsync)",
        n,
        secs,
        file.commit_count(),
        &lat,
        "",
    );
    drop((writers, file));

    let Some(url) = std::env::var("HAETAE_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        println!(
            "!!!!! HAETAE_TEST_POSTGRES_URL is not set: the PostgreSQL ledger was not measured !!!!!"
        );
        return;
    };
    let schema = format!("ledger_bench_{}", hex::encode(rand::random::<[u8; 4]>()));
    let mut replicas = Vec::new();
    for _ in 0..WRITERS {
        let mut o = PostgresOptions::new(&url);
        o.schema = schema.clone();
        replicas.push(
            Ledger::open_postgres(o, LedgerConfig::new(signer.clone()))
                .await
                .unwrap(),
        );
    }
    let (n, lat) = drive(&replicas, concurrency, secs).await;
    let commits: u64 = replicas.iter().map(|r| r.commit_count()).sum();
    let t = Instant::now();
    let pg = replicas[0].postgres().unwrap();
    assert!(
        pg.wait_integrated(n, Duration::from_secs(300))
            .await
            .unwrap()
    );
    let lag = t.elapsed();
    // The last entry is provable against the signed checkpoint.
    let last = replicas[1].entry(n - 1).unwrap();
    let proof = replicas[2].prove_request(&last.request_id).unwrap();
    proof.verify(&signer.verifier()).unwrap();
    row(
        "PostgreSQL (3 replicas, 1 log)",
        n,
        secs,
        commits,
        &lat,
        &format!(
            "all {n} integrated and signed {:.2} s after the last append",
            lag.as_secs_f64()
        ),
    );
    drop(replicas);
    let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    sqlx::query(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
        .execute(&mut c)
        .await
        .unwrap();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "load after: {}",
        load.split(' ').take(3).collect::<Vec<_>>().join(" ")
    );
}
