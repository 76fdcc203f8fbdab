//! A real process crash: a child process appends as fast as it can and is SIGKILLed; every
//! append it saw acknowledged must be present after reopening, and the log must continue.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use haetae_ledger::note::NoteSigner;
use haetae_ledger::{Decision, Entry, EntryKind, Ledger, LedgerConfig};

fn config() -> LedgerConfig {
    let key = ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]);
    LedgerConfig::new(NoteSigner::from_signing_key("crash.example/ledger", 1, key).unwrap())
}

fn entry(i: u64) -> Entry {
    Entry::new(EntryKind::Request, Decision::Allow, i, &format!("req-{i}"))
}

/// The child half: only does something when spawned by `sigkill_loses_no_acknowledged_entry`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_child() {
    let Ok(dir) = std::env::var("HAETAE_LEDGER_CRASH_DIR") else {
        return;
    };
    let ledger = Ledger::open(&dir, config()).unwrap();
    let start: u64 = ledger.size();
    let mut set = tokio::task::JoinSet::new();
    for t in 0..8u64 {
        let l = ledger.clone();
        set.spawn(async move {
            for k in 0.. {
                let i = start + 1_000_000 * t + k;
                let idx = l.append(&entry(i)).await.unwrap();
                // Printed only after the append resolved, i.e. after fsync.
                println!("ack {i} {idx}");
                if k % 16 == 0 {
                    l.checkpoint().unwrap();
                }
            }
        });
    }
    while set.join_next().await.is_some() {}
}

#[test]
fn sigkill_loses_no_acknowledged_entry() {
    if std::env::var("HAETAE_LEDGER_CRASH_DIR").is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for round in 0..2 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env("HAETAE_LEDGER_CRASH_DIR", dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut acked = Vec::new();
        let deadline = Instant::now() + Duration::from_millis(400);
        let mut line = String::new();
        while Instant::now() < deadline || acked.len() < 50 {
            line.clear();
            if out.read_line(&mut line).unwrap() == 0 {
                break;
            }
            if let Some(rest) = line.trim().strip_prefix("ack ") {
                let (i, idx) = rest.split_once(' ').unwrap();
                acked.push((i.parse::<u64>().unwrap(), idx.parse::<u64>().unwrap()));
            }
        }
        child.kill().unwrap(); // SIGKILL mid-stream
        child.wait().unwrap();
        assert!(
            !acked.is_empty(),
            "round {round}: child acknowledged nothing"
        );

        let ledger = Ledger::open(dir.path(), config()).unwrap();
        for &(i, idx) in &acked {
            assert_eq!(
                ledger.entry(idx).unwrap(),
                entry(i),
                "round {round}: acked entry {i} lost"
            );
            assert_eq!(ledger.lookup(&format!("req-{i}")), Some(idx));
        }
        // The persisted checkpoint (checked on open) is a prefix, and we can keep appending.
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let n = ledger.size();
        assert_eq!(
            rt.block_on(ledger.append(&entry(u64::MAX - round)))
                .unwrap(),
            n
        );
    }
}
