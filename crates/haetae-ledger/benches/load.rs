//! Load run for the ledger, complementing the criterion benches in `ledger.rs` with sustained runs and latency
//! percentiles:
//!
//! 1. durable appends (fsync on, group commit) for 1 … 1024 concurrent appenders, each run for a fixed time:
//!    appends per second, entries per fsync, append latency p50/p99/max; and one appender at a fixed rate, as the
//!    gateway appends at a steady request rate, where each append is a group commit of its own and waits for its
//!    own `fdatasync` (bench/RESULTS.md, run G: that is where the record stage's time goes);
//! 2. a durable ledger of 1M entries: time to write it, time to reopen it (crash recovery: scan, checksum and
//!    rebuild the tree), and the latency of inclusion proofs by request id, consistency proofs and tiles at 1M;
//! 3. full verification of the 1M entries as an outsider does it: `LedgerClient::audit(.., download_all)` over
//!    loopback HTTP (entry bundles fetched, every entry decoded and re-hashed, root compared).
//!
//! `cargo bench -p haetae-ledger --bench load` (release). `LEDGER_LOAD_SECS` (default 5) sets the length of each
//! append run, `LEDGER_LOAD_ENTRIES` (default 1000000) the size of the big ledger, `LEDGER_LOAD_RATE` (default 200)
//! the paced appender's rate; `LEDGER_LOAD_PACED_ONLY=1` runs only the paced rows. Files go in the system temp
//! directory (`TMPDIR`), so its disk is the one measured.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use haetae_ledger::client::LedgerClient;
use haetae_ledger::{Ledger, LedgerConfig, NoteSigner, TileKind, TilePath};

mod support;
use support::entry;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn config() -> LedgerConfig {
    LedgerConfig::new(NoteSigner::generate("load.example/ledger").expect("key"))
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn us(total: Duration, n: u64) -> String {
    format!("{:.1} µs", total.as_secs_f64() * 1e6 / n as f64)
}

/// One appender at `rate` appends a second for `secs`, each append timed from when it was due (latency-corrected:
/// a slow append makes the next ones late, and that counts), except that a timer waking late is not the ledger's
/// doing, so an append the loop had to wait for is timed from when it started. Returns the printed row.
async fn paced(rate: u64, secs: u64) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = Ledger::open(dir.path(), config()).expect("open");
    let n = rate * secs;
    let period = Duration::from_secs_f64(1.0 / rate.max(1) as f64);
    let start = Instant::now();
    let mut lat = Vec::with_capacity(n as usize);
    for i in 0..n {
        let due = start + period.mul_f64(i as f64);
        let t0 = if Instant::now() < due {
            tokio::time::sleep_until(due.into()).await;
            Instant::now()
        } else {
            due
        };
        ledger.append(&entry(i)).await.expect("append");
        lat.push(t0.elapsed());
    }
    lat.sort_unstable();
    format!(
        "| {rate} | {n} | {} | {} | {} | {} | {} | {} |",
        ledger.commit_count(),
        ms(pct(&lat, 0.5)),
        ms(pct(&lat, 0.9)),
        ms(pct(&lat, 0.99)),
        ms(pct(&lat, 0.999)),
        ms(*lat.last().unwrap_or(&Duration::ZERO)),
    )
}

/// Appends from `appenders` tasks for `secs`; returns the printed row.
async fn sustained(appenders: u64, secs: u64) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = Ledger::open(dir.path(), config()).expect("open");
    let deadline = Instant::now() + Duration::from_secs(secs);
    let start = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for t in 0..appenders {
        let l = ledger.clone();
        set.spawn(async move {
            let mut lat = Vec::new();
            let mut i = 0u64;
            while Instant::now() < deadline {
                let e = entry(t * 100_000_000 + i);
                let t0 = Instant::now();
                l.append(&e).await.expect("append");
                lat.push(t0.elapsed());
                i += 1;
            }
            lat
        });
    }
    let mut lat = Vec::new();
    while let Some(r) = set.join_next().await {
        lat.extend(r.expect("task"));
    }
    let elapsed = start.elapsed();
    lat.sort_unstable();
    let n = lat.len() as u64;
    let commits = ledger.commit_count().max(1);
    format!(
        "| {appenders} | {n} | {:.0} | {commits} | {:.1} | {} | {} | {} |",
        n as f64 / elapsed.as_secs_f64(),
        n as f64 / commits as f64,
        ms(pct(&lat, 0.5)),
        ms(pct(&lat, 0.99)),
        ms(*lat.last().unwrap_or(&Duration::ZERO)),
    )
}

async fn serve_checkpoint(State(l): State<Ledger>) -> Response {
    match l.published_checkpoint() {
        Ok(t) => t.into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

async fn serve_tile(State(l): State<Ledger>, Path(p): Path<String>) -> Response {
    match l.tile_by_path(&p) {
        Ok(b) => b.into_response(),
        Err(e) => (StatusCode::NOT_FOUND, e.to_string()).into_response(),
    }
}

fn main() {
    let secs = env_u64("LEDGER_LOAD_SECS", 5);
    let n = env_u64("LEDGER_LOAD_ENTRIES", 1_000_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let entry_len = entry(0).encode().expect("encode").len();
    println!("entry size: {entry_len} bytes (+16 bytes framing on disk)\n");

    let rate = env_u64("LEDGER_LOAD_RATE", 200);
    println!("## One appender at {rate} appends/s ({secs} s per row, latency-corrected), twice\n");
    println!("| rate | appends | fsyncs | p50 | p90 | p99 | p99.9 | max |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for _ in 0..2 {
        println!("{}", rt.block_on(paced(rate, secs)));
    }
    if std::env::var_os("LEDGER_LOAD_PACED_ONLY").is_some() {
        return;
    }

    println!("## Sustained durable appends ({secs} s per row, fdatasync per group commit)\n");
    println!("| appenders | appends | appends/s | fsyncs | entries/fsync | p50 | p99 | max |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for appenders in [1u64, 16, 256, 1024] {
        println!("{}", rt.block_on(sustained(appenders, secs)));
    }

    println!("\n## A durable ledger of {n} entries\n");
    let dir = tempfile::tempdir().expect("tempdir");
    let signer = NoteSigner::generate("load.example/ledger").expect("key");
    let log = signer.verifier();
    let ledger = Ledger::open(dir.path(), LedgerConfig::new(signer.clone())).expect("open");
    let start = Instant::now();
    rt.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        let appenders = 1024u64;
        for t in 0..appenders {
            let l = ledger.clone();
            set.spawn(async move {
                let mut i = t;
                while i < n {
                    l.append(&entry(i)).await.expect("append");
                    i += appenders;
                }
            });
        }
        while set.join_next().await.is_some() {}
    });
    let wrote = start.elapsed();
    ledger.checkpoint().expect("checkpoint");
    let commits = ledger.commit_count();
    drop(ledger);
    let file_len = std::fs::metadata(dir.path().join("entries.log"))
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "- write {n} entries, 1024 appenders: {:.2} s ({:.0} appends/s, {commits} fsyncs, {:.0} entries/fsync), \
         entries.log {:.0} MiB",
        wrote.as_secs_f64(),
        n as f64 / wrote.as_secs_f64(),
        n as f64 / commits.max(1) as f64,
        file_len as f64 / (1 << 20) as f64
    );
    let start = Instant::now();
    let ledger = Ledger::open(dir.path(), LedgerConfig::new(signer)).expect("reopen");
    println!(
        "- reopen (crash recovery: scan, checksum, decode, rebuild the tree): {:.2} s",
        start.elapsed().as_secs_f64()
    );
    assert_eq!(ledger.size(), n);

    // Deterministic spread of indices over the whole log (a multiplicative hash, no RNG needed).
    let spread = |k: u64| k.wrapping_mul(0x9E37_79B9_7F4A_7C15) % n;
    let reps = 10_000u64;
    let start = Instant::now();
    for k in 0..reps {
        let id = format!("req_{:032}", spread(k));
        std::hint::black_box(ledger.prove_request(&id).expect("proof"));
    }
    println!(
        "- inclusion proof by request id at {n} (lookup, proof, entry read, checkpoint): {} each ({reps} samples)",
        us(start.elapsed(), reps)
    );
    let start = Instant::now();
    for k in 0..reps {
        std::hint::black_box(ledger.inclusion_proof(spread(k), n).expect("proof"));
    }
    println!(
        "- inclusion proof by index at {n}: {} each",
        us(start.elapsed(), reps)
    );
    let start = Instant::now();
    for k in 0..reps {
        std::hint::black_box(ledger.consistency_proof(spread(k) + 1, n).expect("proof"));
    }
    println!(
        "- consistency proof (random old size → {n}): {} each",
        us(start.elapsed(), reps)
    );
    let tiles = n / 256;
    let start = Instant::now();
    for k in 0..1000 {
        let p = TilePath::for_tree_size(TileKind::Hash(0), k * 7919 % tiles, n).expect("tile");
        std::hint::black_box(ledger.tile(&p).expect("tile"));
    }
    println!(
        "- hash tile (level 0, 256 hashes): {} each",
        us(start.elapsed(), 1000)
    );
    let start = Instant::now();
    for k in 0..1000 {
        let p = TilePath::for_tree_size(TileKind::Entries, k * 7919 % tiles, n).expect("tile");
        std::hint::black_box(ledger.tile(&p).expect("tile"));
    }
    println!(
        "- entry bundle (256 entries read from disk): {} each",
        us(start.elapsed(), 1000)
    );

    println!("\n## Full verification of {n} entries over HTTP (loopback)\n");
    rt.block_on(async {
        let app = Router::new()
            .route("/ledger/checkpoint", get(serve_checkpoint))
            .route("/ledger/tile/{*path}", get(serve_tile))
            .with_state(ledger.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, app).await });
        let client = LedgerClient::new(&format!("http://{addr}"), log).expect("client");
        let start = Instant::now();
        let report = client.audit(None, true).await.expect("audit");
        let t = start.elapsed();
        println!(
            "- `LedgerClient::audit(full)`: {:.2} s for {} entries ({:.0} entries/s): {} bundles fetched, every entry \
             decoded and re-hashed, root matches",
            t.as_secs_f64(),
            report.entries_verified.unwrap_or(0),
            n as f64 / t.as_secs_f64(),
            n.div_ceil(256)
        );
        let (cp, _) = client.fetch_checkpoint().await.expect("checkpoint");
        let old = haetae_ledger::Checkpoint {
            size: n / 2 + 1,
            root: ledger.root_at(n / 2 + 1).expect("root"),
            ..cp.clone()
        };
        let start = Instant::now();
        client.verify_consistency(&old, &cp).await.expect("consistent");
        println!(
            "- consistency of a saved checkpoint (size {}) with the latest, proven from tiles over HTTP: {}",
            n / 2 + 1,
            ms(start.elapsed())
        );
    });
}
