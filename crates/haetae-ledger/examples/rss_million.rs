//! Memory of the local-file ledger over a large log: appends N entries (default 1,000,000) through the
//! library, then runs 500 inclusion proofs and request-id lookups, reopens the log in the same process, and
//! prints VmRSS / VmHWM from `/proc/self/status` at each step (Linux only).
//!
//! ```text
//! cargo run --release -p haetae-ledger --example rss_million -- [ENTRIES] [DIR]
//! ```
//!
//! The figure to compare between versions is "after appends" minus "empty": what the ledger keeps in
//! memory per entry while it serves a growing log.

// A measurement program: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use haetae_ledger::note::NoteSigner;
use haetae_ledger::storage::{Ledger, LedgerConfig};
use haetae_ledger::{Decision, Entry, EntryKind, merkle};

fn status() -> (u64, u64) {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        s.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn report(step: &str, base: u64) {
    let (rss, hwm) = status();
    println!(
        "{step:<28} VmRSS {:>8.1} MiB (+{:>7.1})  VmHWM {:>8.1} MiB",
        rss as f64 / 1024.0,
        rss.saturating_sub(base) as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
}

fn config() -> LedgerConfig {
    let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    LedgerConfig::new(NoteSigner::from_signing_key("rss.example/ledger", 1, key).unwrap())
}

fn entry(i: u64) -> Entry {
    let mut e = Entry::new(
        EntryKind::Request,
        Decision::Allow,
        1_700_000_000_000 + i,
        &format!("req-{i:016x}"),
    );
    e.model = "smollm2".into();
    e.prompt_tokens = i;
    e
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().map_or(1_000_000, |s| s.parse().unwrap());
    let tmp;
    let dir = match args.next() {
        Some(d) => std::path::PathBuf::from(d),
        None => {
            tmp = tempfile::tempdir().unwrap();
            tmp.path().to_owned()
        }
    };
    let (base, _) = status();
    let ledger = Ledger::open(&dir, config()).unwrap();
    let had = ledger.size();
    report("empty ledger open", base);
    let t = Instant::now();
    // 4096 appenders in flight keep group commits full (max_batch 1024).
    let lanes = 4096u64;
    let mut set = tokio::task::JoinSet::new();
    for lane in 0..lanes {
        let l = ledger.clone();
        set.spawn(async move {
            let mut i = had + lane;
            while i < had + n {
                l.append(&entry(i)).await.unwrap();
                i += lanes;
            }
        });
    }
    while let Some(r) = set.join_next().await {
        r.unwrap();
    }
    let total = ledger.size();
    println!(
        "appended {n} entries in {:.1} s ({} group commits)",
        t.elapsed().as_secs_f64(),
        ledger.commit_count()
    );
    report("after appends", base);
    // Request ids were appended out of order across lanes; look them up by value, not index.
    let t = Instant::now();
    let size = ledger.size();
    let root = ledger.root();
    for k in 0..500u64 {
        let i = k.wrapping_mul(0x9E37_79B9_7F4A_7C15) % total;
        let id = ledger.entry(i).unwrap().request_id;
        assert_eq!(ledger.lookup(&id), Some(i));
        let proof = ledger.inclusion_proof(i, size).unwrap();
        let leaf = merkle::leaf_hash(&ledger.entry_bytes(i).unwrap());
        merkle::verify_inclusion(i, size, &leaf, &proof, &root).unwrap();
    }
    assert_eq!(ledger.lookup("absent"), None);
    println!(
        "500 lookups + inclusion proofs in {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    report("after proofs and lookups", base);
    drop(ledger);
    let t = Instant::now();
    let ledger = Ledger::open(&dir, config()).unwrap();
    println!(
        "reopened {} entries in {:.2} s",
        ledger.size(),
        t.elapsed().as_secs_f64()
    );
    report("after reopen", base);
}
