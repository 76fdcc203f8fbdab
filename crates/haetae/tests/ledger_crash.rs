//! The gateway is `kill -9`ed again and again while clients keep sending chat requests, and restarted on the same
//! data directory each time. Afterwards every request that was answered 200 has its entry (verified inclusion
//! proof, at the index the response named), the whole ledger verifies from outside (`haetae audit verify --full`),
//! and every checkpoint anyone saw during the run is consistent with every later one: a crash never loses an
//! answered request and never forks the log.

mod support;

use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use haetae_ledger::api::InclusionProofResponse;
use haetae_ledger::client::LedgerClient;
use haetae_ledger::merkle::{self, MerkleTree};
use haetae_ledger::{Checkpoint, NoteVerifier};
use serde_json::json;
use support::{lift_public_limits, mock, start_gateway};

const KILLS: usize = 5;
const CLIENTS: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_under_load_loses_no_answered_request_and_never_forks() {
    let started = Instant::now();
    let upstream = mock().await;
    let dir = tempfile::tempdir().expect("tmp");
    let upstream_url = upstream.base_url();
    let mut gw = start_gateway(dir.path(), &upstream_url, &[]);
    // The demo programme's keys and the ledger key survive restarts (they live in the data directory).
    let member_key = gw.key("public").to_string();
    let log_key = gw.vars["HAETAE_LEDGER_KEY"].clone();
    let log = NoteVerifier::parse(&log_key).expect("log key");
    lift_public_limits(&gw).await;

    let (url_tx, url_rx) = tokio::sync::watch::channel(gw.root_url());
    let stop = Arc::new(AtomicBool::new(false));
    // (request id, ledger index named by the response) of every 200.
    let answered: Arc<Mutex<Vec<(String, u64)>>> = Arc::default();
    let refused = Arc::new(AtomicU64::new(0));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");

    let mut load = Vec::new();
    for c in 0..CLIENTS {
        let (url_rx, stop, answered, refused, http, key) = (
            url_rx.clone(),
            stop.clone(),
            answered.clone(),
            refused.clone(),
            http.clone(),
            member_key.clone(),
        );
        load.push(tokio::spawn(async move {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let root = url_rx.borrow().clone();
                let body = json!({"model": "mock-1", "messages": [{"role": "user", "content": format!("client {c} request {n}")}]});
                let resp = http
                    .post(format!("{root}/v1/chat/completions"))
                    .bearer_auth(&key)
                    .json(&body)
                    .send()
                    .await;
                match resp {
                    Ok(r) if r.status() == 200 => {
                        let id = r.headers()["x-request-id"].to_str().expect("id").to_string();
                        let index: u64 = r.headers()["x-haetae-ledger-index"]
                            .to_str()
                            .expect("index")
                            .parse()
                            .expect("index is a number");
                        // The status line is not enough: the body must have arrived too for this to count as
                        // answered.
                        if r.bytes().await.is_ok() {
                            answered.lock().expect("lock").push((id, index));
                        }
                    }
                    // Killed mid-request, or not listening yet: not answered, so nothing is promised.
                    _ => {
                        refused.fetch_add(1, Ordering::Relaxed);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
            }
        }));
    }

    // Everything /ledger/checkpoint served during the run, in the order it was seen.
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let watcher = {
        let (url_rx, stop, seen, http) = (url_rx.clone(), stop.clone(), seen.clone(), http.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let root = url_rx.borrow().clone();
                if let Ok(r) = http.get(format!("{root}/ledger/checkpoint")).send().await
                    && r.status() == 200
                    && let Ok(text) = r.text().await
                {
                    let mut seen = seen.lock().expect("lock");
                    if seen.last() != Some(&text) {
                        seen.push(text);
                    }
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };

    let mut answered_before_kill = Vec::new();
    for round in 0..KILLS {
        // Kill at a different moment in each round, after at least one checkpoint tick.
        tokio::time::sleep(Duration::from_millis(1100 + 170 * round as u64)).await;
        gw.child.kill().expect("SIGKILL"); // std's Child::kill is SIGKILL on Unix
        gw.child.wait().expect("reap");
        answered_before_kill.push(answered.lock().expect("lock").len());
        let (d, u) = (dir.path().to_path_buf(), upstream_url.clone());
        gw = tokio::task::spawn_blocking(move || start_gateway(&d, &u, &[]))
            .await
            .expect("restart");
        assert_eq!(
            gw.vars["HAETAE_LEDGER_KEY"], log_key,
            "the restarted gateway signs with the same key"
        );
        url_tx.send(gw.root_url()).expect("new url");
    }
    tokio::time::sleep(Duration::from_millis(1000)).await;
    stop.store(true, Ordering::Relaxed);
    for t in load {
        t.await.expect("load task");
    }
    watcher.await.expect("watcher");

    let answered = answered.lock().expect("lock").clone();
    let mut progress = vec![0];
    progress.extend(&answered_before_kill);
    progress.push(answered.len());
    assert!(
        progress.windows(2).all(|w| w[1] > w[0]),
        "every incarnation of the gateway answered requests under load: {progress:?}"
    );
    let root = gw.root_url();

    // 1. Every answered request is in the log, at the index its response named, with a verified proof.
    let latest_needed = answered.iter().map(|(_, i)| *i).max().unwrap_or(0) + 1;
    let client = LedgerClient::new(&root, log.clone()).expect("client");
    let deadline = Instant::now() + Duration::from_secs(10);
    let final_cp = loop {
        let (cp, _) = client.fetch_checkpoint().await.expect("checkpoint");
        if cp.size >= latest_needed {
            break cp;
        }
        assert!(
            Instant::now() < deadline,
            "no checkpoint covers index {latest_needed}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let checks = futures::stream::iter(answered.iter().cloned())
        .map(|(id, index)| {
            let (http, root, log) = (http.clone(), root.clone(), log.clone());
            async move {
                let resp = http
                    .get(format!("{root}/ledger/proof/inclusion"))
                    .query(&[("request_id", &id)])
                    .send()
                    .await
                    .expect("proof request");
                assert_eq!(resp.status(), 200, "no entry for answered request {id}");
                let proof: InclusionProofResponse = resp.json().await.expect("proof json");
                let (_, entry) = proof
                    .verify(&log)
                    .unwrap_or_else(|e| panic!("proof for {id} fails: {e}"));
                assert_eq!(
                    proof.leaf_index, index,
                    "{id} is at another index than its response said"
                );
                assert_eq!(entry.request_id, id);
            }
        })
        .buffer_unordered(16)
        .collect::<Vec<()>>();
    checks.await;

    // 2. The whole ledger verifies from outside, including against a checkpoint saved in the first round.
    let seen = seen.lock().expect("lock").clone();
    assert!(seen.len() > KILLS, "checkpoints seen: {}", seen.len());
    let saved = dir.path().join("saved-checkpoint.txt");
    std::fs::write(&saved, &seen[0]).expect("save");
    let out = Command::new(env!("CARGO_BIN_EXE_haetae"))
        .args([
            "audit",
            "verify",
            "--url",
            &root,
            "--key",
            &log_key,
            "--full",
            "--checkpoint",
        ])
        .arg(&saved)
        .env_remove("HAETAE_CONFIG")
        .current_dir(dir.path())
        .output()
        .expect("haetae audit verify");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("recomputed the tree from all")
            && text.contains("consistent with the saved checkpoint"),
        "{text}"
    );

    // 3. Every checkpoint seen is consistent with every later one. Rebuild the tree from the served entries (the
    //    client checks they hash to the final root), then check each pair's consistency proof, and ask the
    //    gateway's tiles for each consecutive pair independently.
    let mut tree = MerkleTree::new();
    client
        .verify_all_entries(&final_cp, |_, e| {
            tree.push_leaf_hash(merkle::leaf_hash(&e.encode().expect("canonical")));
        })
        .await
        .expect("all entries");
    let cps: Vec<Checkpoint> = seen
        .iter()
        .map(|t| {
            Checkpoint::open(t, &log)
                .expect("every served checkpoint is signed by the log key")
                .0
        })
        .collect();
    for (i, old) in cps.iter().enumerate() {
        assert_eq!(
            tree.root_at(old.size).ok(),
            Some(old.root),
            "checkpoint {i} (size {}) is not a prefix",
            old.size
        );
        for new in &cps[i + 1..] {
            assert!(
                new.size >= old.size,
                "a later checkpoint is smaller: {} after {}",
                new.size,
                old.size
            );
            let proof = tree.consistency_proof(old.size, new.size).expect("proof");
            merkle::verify_consistency(old.size, new.size, &old.root, &new.root, &proof)
                .unwrap_or_else(|e| {
                    panic!("sizes {} and {} are inconsistent: {e}", old.size, new.size)
                });
        }
    }
    for pair in cps.windows(2) {
        client
            .verify_consistency(&pair[0], &pair[1])
            .await
            .expect("consistent by the gateway's tiles");
    }

    eprintln!(
        "{} requests answered, {} refused or cut by {KILLS} kills; ledger size {}; {} checkpoints seen; {:.1}s",
        answered.len(),
        refused.load(Ordering::Relaxed),
        final_cp.size,
        cps.len(),
        started.elapsed().as_secs_f64()
    );
    gw.stop();
}
