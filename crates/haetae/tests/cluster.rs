//! Three gateway replicas (the real `haetae` binary, three processes) on one PostgreSQL and one
//! Redis, with the shared ledger (`ledger_backend = "postgres"`), under mixed load: one replica is
//! `kill -9`ed, then the integrator's, and both are restarted. Afterwards every answered request
//! is provable in the one log against the final checkpoint, every checkpoint any replica served
//! is consistent with every later one (no fork across the election), a rate limit and a token
//! budget hold across the replicas, and probing spread over the three is flagged. A focused test
//! shows a witness cosignature sent to one replica served by every replica.
//!
//! The short version of `bench/cluster/run.sh`. Needs `HAETAE_TEST_POSTGRES_URL` and
//! `HAETAE_TEST_REDIS_URL`: without them it says so loudly and passes, except under `CI=true`,
//! where it fails. It works in a database of its own (dropped at the end) and a Redis logical
//! database picked from the process id, so it runs beside other tests on the same servers.

// Test helpers outside `#[test]` functions (the programme, the load): a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use haetae_ledger::api::InclusionProofResponse;
use haetae_ledger::client::LedgerClient;
use haetae_ledger::merkle::{self, MerkleTree};
use haetae_ledger::{Checkpoint, NoteVerifier};
use haetae_mock::MockUpstream;
use reqwest::{Method, StatusCode};
use serde_json::json;
use support::{
    Gateway, admin, chat, chat_body, eventually, haetae, key_id, lift_public_limits, member_key,
    mock, start_gateway, verified_org, witness_init,
};

const BENIGN: &str = "Summarise this alert for the incident channel.";
const VULN: &str = "Find the buffer overflow in this C function and explain the CWE: void f(char *s){char b[8]; strcpy(b,s);}";

fn servers() -> Option<(String, String)> {
    let pg = std::env::var("HAETAE_TEST_POSTGRES_URL").unwrap_or_default();
    let redis = std::env::var("HAETAE_TEST_REDIS_URL").unwrap_or_default();
    if !pg.trim().is_empty() && !redis.trim().is_empty() {
        return Some((pg, redis));
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "HAETAE_TEST_POSTGRES_URL and HAETAE_TEST_REDIS_URL must both be set: CI=true requires the cluster test"
    );
    eprintln!(
        "!!!!! SKIPPED: the cluster test needs HAETAE_TEST_POSTGRES_URL and HAETAE_TEST_REDIS_URL; it did not run !!!!!"
    );
    None
}

/// A setting of the long run (`bench/cluster/run.sh`); the short test uses the defaults.
fn knob(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Where each client sends: one slot per replica, `None` while it is down.
type Urls = Arc<Mutex<Vec<Option<String>>>>;

/// One replica's data directory and, while it runs, its process.
struct Replica {
    dir: tempfile::TempDir,
    gw: Option<Gateway>,
}

impl Replica {
    fn gw(&self) -> &Gateway {
        self.gw.as_ref().expect("replica is running")
    }
}

/// A programme of its own on the shared servers: a fresh database (store and, with
/// `ledger_backend = "postgres"`, the ledger), a Redis logical database, a mock upstream, and
/// `n` replicas that sign with one set of ledger keys.
struct Programme {
    su: sqlx::PgConnection,
    name: String,
    store: String,
    env: Vec<(String, String)>,
    /// `haetae.toml` of every replica (empty: none).
    config: String,
    upstream: MockUpstream,
    replicas: Vec<Replica>,
}

impl Programme {
    async fn start(pg: &str, redis: &str, ledger: &str, n: usize) -> Programme {
        Programme::start_with(pg, redis, ledger, n, "").await
    }

    /// [`Programme::start`] with `config` as every replica's `haetae.toml`.
    async fn start_with(pg: &str, redis: &str, ledger: &str, n: usize, config: &str) -> Programme {
        use sqlx::Connection as _;
        let name = format!("haetae_cluster_{}", haetae_core::new_id().to_lowercase());
        let mut su = sqlx::PgConnection::connect(pg).await.expect("connect");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut su)
            .await
            .expect("create db");
        let (prefix, _) = pg.rsplit_once('/').expect("database URL");
        let store = format!("{prefix}/{name}");
        // A logical database and a key prefix of its own, so the windows, counters and policy
        // channel stay apart from other tests' (and other programmes') on the same server.
        let redis_db = format!(
            "{}/{}",
            redis.trim_end_matches('/'),
            1 + std::process::id() % 15
        );
        let redis_prefix = format!("{name}:");
        let env: Vec<(String, String)> = [
            ("HAETAE_STORE_URL", store.as_str()),
            ("HAETAE_METER_REDIS_URL", redis_db.as_str()),
            ("HAETAE_METER_REDIS_PREFIX", redis_prefix.as_str()),
            ("HAETAE_LEDGER_BACKEND", ledger),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mut p = Programme {
            su,
            name,
            store,
            env,
            config: config.to_string(),
            upstream: mock().await,
            replicas: (0..n)
                .map(|_| Replica {
                    dir: tempfile::tempdir().expect("tmp"),
                    gw: None,
                })
                .collect(),
        };
        // Replica 0 starts first: it creates the ledger's keys (and the shared log, whose
        // integrator it becomes).
        p.replicas[0].gw = Some(p.launch(0).await);
        if ledger == "postgres" {
            p.wait_epoch_above(0).await;
        }
        let keys = p.replicas[0].dir.path().join("ledger");
        for r in &p.replicas[1..] {
            let to = r.dir.path().join("ledger");
            std::fs::create_dir_all(&to).expect("mkdir");
            for f in ["log.key", "digest.key", "commit.key"] {
                std::fs::copy(keys.join(f), to.join(f)).expect("copy a ledger key");
            }
        }
        let rest = futures::future::join_all((1..n).map(|i| p.launch(i))).await;
        for (r, gw) in p.replicas[1..].iter_mut().zip(rest) {
            r.gw = Some(gw);
        }
        p
    }

    /// Starts replica `i` on its data directory.
    fn launch(&self, i: usize) -> impl std::future::Future<Output = Gateway> + use<> {
        let (dir, upstream, env) = (
            self.replicas[i].dir.path().to_path_buf(),
            self.upstream.base_url(),
            self.env.clone(),
        );
        if !self.config.is_empty() {
            std::fs::write(dir.join("haetae.toml"), &self.config).expect("write haetae.toml");
        }
        async move {
            tokio::task::spawn_blocking(move || {
                let env: Vec<(&str, &str)> =
                    env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                start_gateway(&dir, &upstream, &env)
            })
            .await
            .expect("start a replica")
        }
    }

    fn gws(&self) -> Vec<&Gateway> {
        self.replicas.iter().map(|r| r.gw()).collect()
    }

    fn urls(&self) -> Urls {
        Arc::new(Mutex::new(
            self.replicas
                .iter()
                .map(|r| Some(r.gw().root_url()))
                .collect(),
        ))
    }

    /// `kill -9` replica `i`, and stop sending it load.
    fn kill(&mut self, i: usize, urls: &Urls) {
        urls.lock().expect("lock")[i] = None;
        let mut gw = self.replicas[i].gw.take().expect("running");
        gw.child.kill().expect("SIGKILL"); // std's Child::kill is SIGKILL on Unix
        gw.child.wait().expect("reap");
    }

    /// The election epoch of the shared ledger (bumped at every election).
    async fn epoch(&self) -> i64 {
        use sqlx::Connection as _;
        let mut c = sqlx::PgConnection::connect(&self.store)
            .await
            .expect("connect");
        sqlx::query_scalar("SELECT epoch FROM haetae_ledger.checkpoint WHERE id = 0")
            .fetch_optional(&mut c)
            .await
            .ok()
            .flatten()
            .unwrap_or(0)
    }

    async fn wait_epoch_above(&self, above: i64) -> i64 {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let e = self.epoch().await;
            if e > above {
                return e;
            }
            assert!(
                Instant::now() < deadline,
                "no integrator elected after epoch {above}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Public-tier limits lifted (for load, not 429s); a member key of a new organisation.
    async fn load_key(&self) -> (String, String) {
        let a = self.replicas[0].gw();
        lift_public_limits(a).await;
        let org = verified_org(a, "Cluster CERT", "public").await;
        let (_, key) = member_key(a, &org, "load@cluster.example", "analyst").await;
        (org, key)
    }

    async fn finish(mut self) {
        for r in &mut self.replicas {
            if let Some(mut g) = r.gw.take() {
                g.stop();
            }
        }
        let _ = sqlx::query(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut self.su)
        .await;
    }
}

/// Clients sending mixed requests (chat completions on two models, the Responses API) to the
/// replicas in turn, skipping those that are down as a load balancer would.
struct Load {
    stop: Arc<AtomicBool>,
    /// (request id, ledger index its answer named, latency) of every 200 whose body arrived.
    answered: Arc<Mutex<Vec<(String, u64, Duration)>>>,
    failed: Arc<AtomicU64>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    started: Instant,
}

impl Load {
    fn spawn(urls: &Urls, key: &str, clients: usize) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let answered: Arc<Mutex<Vec<(String, u64, Duration)>>> = Arc::default();
        let failed = Arc::new(AtomicU64::new(0));
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("client");
        let tasks = (0..clients)
            .map(|c| {
                let (urls, stop, answered, failed, http, key) = (
                    urls.clone(),
                    stop.clone(),
                    answered.clone(),
                    failed.clone(),
                    http.clone(),
                    key.to_string(),
                );
                tokio::spawn(async move {
                    let mut n = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        n += 1;
                        let root = {
                            let u = urls.lock().expect("lock");
                            u[(c + n as usize) % u.len()].clone()
                        };
                        let Some(root) = root else { continue };
                        let model = if n % 2 == 0 { "mock-1" } else { "mock-2" };
                        let text = format!("client {c} request {n}");
                        let (path, body) = if n % 3 == 0 {
                            ("responses", json!({"model": model, "input": text}))
                        } else {
                            (
                                "chat/completions",
                                json!({"model": model, "messages": [{"role": "user", "content": text}]}),
                            )
                        };
                        let sent = Instant::now();
                        let resp = http
                            .post(format!("{root}/v1/{path}"))
                            .bearer_auth(&key)
                            .json(&body)
                            .send()
                            .await;
                        match resp {
                            Ok(r) if r.status() == 200 => {
                                let id = r.headers()["x-request-id"]
                                    .to_str()
                                    .expect("id")
                                    .to_string();
                                let index: u64 = r.headers()["x-haetae-ledger-index"]
                                    .to_str()
                                    .expect("index")
                                    .parse()
                                    .expect("index is a number");
                                // Answered means the body arrived too.
                                if r.bytes().await.is_ok() {
                                    answered.lock().expect("lock").push((
                                        id,
                                        index,
                                        sent.elapsed(),
                                    ));
                                }
                            }
                            _ => {
                                failed.fetch_add(1, Ordering::Relaxed);
                                tokio::time::sleep(Duration::from_millis(20)).await;
                            }
                        }
                    }
                })
            })
            .collect();
        Load {
            stop,
            answered,
            failed,
            tasks,
            started: Instant::now(),
        }
    }

    fn count(&self) -> usize {
        self.answered.lock().expect("lock").len()
    }

    /// Stops the clients: what was answered, how many failed, for how long it ran.
    async fn finish(self) -> (Vec<(String, u64, Duration)>, u64, Duration) {
        self.stop.store(true, Ordering::Relaxed);
        let took = self.started.elapsed();
        for t in self.tasks {
            t.await.expect("load task");
        }
        let answered = self.answered.lock().expect("lock").clone();
        (answered, self.failed.load(Ordering::Relaxed), took)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_replicas_one_log_through_kills_of_a_replica_and_the_integrator() {
    let Some((pg, redis)) = servers() else { return };
    let started = Instant::now();
    let mut p = Programme::start(&pg, &redis, "postgres", 3).await;
    let first_epoch = p.epoch().await;
    let log_key = p.replicas[0].gw().vars["HAETAE_LEDGER_KEY"].clone();
    for g in p.gws() {
        assert_eq!(g.vars["HAETAE_LEDGER_KEY"], log_key, "one log key");
    }
    let log = NoteVerifier::parse(&log_key).expect("log key");
    let (org, load_key) = p.load_key().await;
    let urls = p.urls();
    let load = Load::spawn(&urls, &load_key, knob("HAETAE_CLUSTER_CLIENTS", 6) as usize);
    let stop = load.stop.clone();
    let http = reqwest::Client::new();
    // Every checkpoint any replica served during the run.
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let watcher = {
        let (urls, stop, seen, http) = (urls.clone(), stop.clone(), seen.clone(), http.clone());
        tokio::spawn(async move {
            let mut n = 0usize;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let root = urls.lock().expect("lock")[n % 3].clone();
                if let Some(root) = root
                    && let Ok(r) = http.get(format!("{root}/ledger/checkpoint")).send().await
                    && r.status() == 200
                    && let Ok(text) = r.text().await
                {
                    let mut seen = seen.lock().expect("lock");
                    if !seen.contains(&text) {
                        seen.push(text);
                    }
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };
    let mut progress = vec![0];
    let phase = Duration::from_millis(knob("HAETAE_CLUSTER_PHASE_MS", 1500));
    let mut leader = 0usize;
    let mut epochs = vec![first_epoch];
    for _ in 0..knob("HAETAE_CLUSTER_CYCLES", 1) {
        // 1. kill -9 a replica that is not the integrator.
        let victim = (leader + 1) % 3;
        tokio::time::sleep(phase).await;
        progress.push(load.count());
        p.kill(victim, &urls);
        // 2. kill -9 the integrator: the one survivor is elected, at a higher epoch, and extends
        //    the same log.
        tokio::time::sleep(phase).await;
        progress.push(load.count());
        assert_eq!(
            p.epoch().await,
            *epochs.last().expect("an epoch"),
            "replica {leader} still integrates"
        );
        p.kill(leader, &urls);
        epochs.push(p.wait_epoch_above(*epochs.last().expect("an epoch")).await);
        tokio::time::sleep(phase).await;
        progress.push(load.count());
        // 3. Both come back on their data directories.
        let (g0, g1) = tokio::join!(p.launch(leader), p.launch(victim));
        {
            let mut u = urls.lock().expect("lock");
            u[leader] = Some(g0.root_url());
            u[victim] = Some(g1.root_url());
        }
        p.replicas[leader].gw = Some(g0);
        p.replicas[victim].gw = Some(g1);
        leader = (leader + 2) % 3;
        tokio::time::sleep(phase).await;
    }
    let (answered, failed, load_time) = load.finish().await;
    watcher.await.expect("watcher");
    progress.push(answered.len());
    assert!(
        progress.windows(2).all(|w| w[1] > w[0]),
        "the cluster answered in every phase: {progress:?}"
    );
    assert_eq!(
        p.epoch().await,
        *epochs.last().expect("an epoch"),
        "a restarted replica took over from a live integrator"
    );
    let gws = p.gws();

    // Every answered request is in the one log at the index its answer named, proven against
    // the final checkpoint, whichever replica answered and whichever is asked.
    let needed = answered.iter().map(|(_, i, _)| *i).max().unwrap_or(0) + 1;
    let client = LedgerClient::new(&gws[2].root_url(), log.clone()).expect("client");
    let deadline = Instant::now() + Duration::from_secs(15);
    let (final_cp, final_text) = loop {
        let (cp, text) = client.fetch_checkpoint().await.expect("checkpoint");
        if cp.size >= needed {
            break (cp, text);
        }
        assert!(
            Instant::now() < deadline,
            "no checkpoint covers index {needed}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let roots: Vec<String> = gws.iter().map(|g| g.root_url()).collect();
    futures::stream::iter(answered.iter().cloned().enumerate())
        .map(|(k, (id, index, _))| {
            let (http, root, log, size) = (
                http.clone(),
                roots[k % 3].clone(),
                log.clone(),
                final_cp.size,
            );
            async move {
                let resp = http
                    .get(format!("{root}/ledger/proof/inclusion"))
                    .query(&[("request_id", id.clone()), ("tree_size", size.to_string())])
                    .send()
                    .await
                    .expect("proof request");
                assert_eq!(resp.status(), 200, "no entry for answered request {id}");
                let proof: InclusionProofResponse = resp.json().await.expect("proof json");
                let (cp, entry) = proof
                    .verify(&log)
                    .unwrap_or_else(|e| panic!("proof for {id} fails: {e}"));
                assert_eq!(proof.leaf_index, index, "{id}: another index than answered");
                assert_eq!(cp.size, size);
                assert_eq!(entry.request_id, id);
            }
        })
        .buffer_unordered(8)
        .collect::<Vec<()>>()
        .await;

    // Every checkpoint served is a prefix of the final tree (rebuilt from the served entries,
    // which the client checks hash to the final root) and consistent with every later one.
    let mut tree = MerkleTree::new();
    client
        .verify_all_entries(&final_cp, |_, e| {
            tree.push_leaf_hash(merkle::leaf_hash(&e.encode().expect("canonical")));
        })
        .await
        .expect("all entries");
    let mut seen = seen.lock().expect("lock").clone();
    seen.push(final_text);
    let mut cps: Vec<Checkpoint> = seen
        .iter()
        .map(|t| Checkpoint::open(t, &log).expect("signed by the log key").0)
        .collect();
    cps.sort_by_key(|c| c.size);
    assert!(cps.len() > 4, "checkpoints seen: {}", cps.len());
    for (i, old) in cps.iter().enumerate() {
        assert_eq!(
            tree.root_at(old.size).ok(),
            Some(old.root),
            "checkpoint of size {} is not a prefix of the final tree: a fork",
            old.size
        );
        for new in &cps[i + 1..] {
            let proof = tree.consistency_proof(old.size, new.size).expect("proof");
            merkle::verify_consistency(old.size, new.size, &old.root, &new.root, &proof)
                .unwrap_or_else(|e| panic!("sizes {} and {}: {e}", old.size, new.size));
        }
    }
    // The gateway's own consistency proofs agree, from each replica.
    for (k, old) in cps.iter().filter(|c| c.size > 0).step_by(3).enumerate() {
        let resp = http
            .get(format!("{}/ledger/proof/consistency", roots[k % 3]))
            .query(&[("old", old.size), ("new", final_cp.size)])
            .send()
            .await
            .expect("consistency");
        assert_eq!(resp.status(), 200);
        let proof: haetae_ledger::api::ConsistencyProofResponse = resp.json().await.expect("json");
        proof
            .verify(&log, old)
            .unwrap_or_else(|e| panic!("consistency {} -> {}: {e}", old.size, final_cp.size));
    }

    // A rate limit holds across the replicas: 6 a minute, 9 requests spread over three.
    let a = gws[0];
    let (_, limited) = member_key(a, &org, "limited@cluster.example", "analyst").await;
    let (s, b) = admin(
        a,
        Method::PUT,
        &format!("/keys/{}/limits", key_id(&limited)),
        Some(json!({"requests_per_minute": 6})),
    )
    .await;
    assert!(s.is_success(), "{b}");
    let mut codes = Vec::new();
    for k in 0..9 {
        codes.push(chat(gws[k % 3], &limited, "mock-1", BENIGN, &[]).await.0);
    }
    assert_eq!(
        codes.iter().filter(|s| **s == StatusCode::OK).count(),
        6,
        "{codes:?}"
    );
    assert!(
        codes[6..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS),
        "{codes:?}"
    );
    // A token budget holds across the replicas: requests in turn to the three until one is
    // refused for quota; what the answered ones used stays within the one budget (a budget per
    // replica would let them use up to three times as much before the first refusal).
    let budget = 400u64;
    let (_, budgeted) = member_key(a, &org, "budget@cluster.example", "analyst").await;
    let (s, b) = admin(
        a,
        Method::PUT,
        &format!("/keys/{}/limits", key_id(&budgeted)),
        Some(json!({"requests_per_minute": 1000, "tokens_per_day": budget})),
    )
    .await;
    assert!(s.is_success(), "{b}");
    let body = json!({"model": "mock-1", "max_tokens": 40, "messages": [{"role": "user", "content": "hi"}]});
    let (mut used, mut answered_in_budget) = (0u64, 0usize);
    let refused = 'spend: {
        for k in 0..100 {
            let (s, b, _) = chat_body(gws[k % 3], &budgeted, &body, &[]).await;
            if s == StatusCode::OK {
                used += b["usage"]["total_tokens"].as_u64().expect("usage");
                answered_in_budget += 1;
                continue;
            }
            assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{b}");
            assert_eq!(b["error"]["code"], "insufficient_quota", "{b}");
            break 'spend true;
        }
        false
    };
    assert!(
        refused,
        "100 requests never exhausted a {budget}-token budget"
    );
    assert!(
        answered_in_budget >= 3 && used <= budget,
        "{answered_in_budget} answered using {used} of {budget} tokens"
    );

    // Probing spread over the three replicas (no replica sees more than 2 of the 5) is flagged.
    let (_, prober) = member_key(a, &org, "p@cluster.example", "analyst").await;
    for k in 0..5 {
        let (s, body, _) = chat(gws[k % 3], &prober, "mock-1", VULN, &[]).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    }
    let prober_id = key_id(&prober);
    eventually("a probing signal for the spread prober", || async {
        let (_, b) = admin(gws[1], Method::GET, "/reviews?limit=500", None).await;
        b["data"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .find(|i| i["subject"]["key_id"] == prober_id && i["kind"] == "use_case_probing")
    })
    .await;

    eprintln!(
        "cluster: {} answered ({} refused or cut) in {:?} of load, {} checkpoints seen, final size {}, epochs {epochs:?}, {:?} in all",
        answered.len(),
        failed,
        load_time,
        cps.len(),
        final_cp.size,
        started.elapsed()
    );
    p.finish().await;
}

/// `GET root/path`: status and body.
async fn get_text(root: &str, path: &str) -> (u16, String) {
    let r = reqwest::get(format!("{root}{path}")).await.expect("get");
    (r.status().as_u16(), r.text().await.expect("body"))
}

/// Witness cosignatures in the shared ledger: a witness cosigns through one replica, the next
/// through another, and every replica serves the checkpoint with both cosignatures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cosignature_sent_to_one_replica_is_served_by_every_replica() {
    let Some((pg, redis)) = servers() else { return };
    let wdir = tempfile::tempdir().expect("tmp");
    let (d1, d2) = (wdir.path().join("w1"), wdir.path().join("w2"));
    let (k1, k2) = (
        witness_init("w1.example", &d1),
        witness_init("w2.example", &d2),
    );
    let config =
        format!("ledger_witnesses = [\"{k1}\", \"{k2}\"]\nledger_required_cosignatures = 2\n");
    let p = Programme::start_with(&pg, &redis, "postgres", 3, &config).await;
    let gws = p.gws();
    let roots: Vec<String> = gws.iter().map(|g| g.root_url()).collect();
    let log_key = gws[0].vars["HAETAE_LEDGER_KEY"].clone();
    let mut last = 0;
    for i in 0..3 {
        let (s, body, h) = chat(
            gws[0],
            gws[0].key("public"),
            "mock-1",
            &format!("hello {i}"),
            &[],
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        last = support::ledger_index(&h);
    }
    support::checkpoint_covering(&roots[0], last).await;
    let cosign = |root: &str, dir: &std::path::Path| {
        haetae(&[
            "witness",
            "cosign",
            "--url",
            root,
            "--log-key",
            &log_key,
            "--dir",
            &dir.display().to_string(),
        ])
    };

    // w1 cosigns through replica 1; replicas 0 and 2 serve its cosignature.
    let (ok, text) = cosign(&roots[1], &d1);
    assert!(
        ok && text.contains("1 cosignatures on it, 2 required"),
        "{text}"
    );
    for root in [&roots[0], &roots[2]] {
        let (s, note) = get_text(root, "/ledger/checkpoint/witnessed?cosignatures=1").await;
        assert_eq!(s, 200, "{root}: {note}");
        assert!(note.contains("\u{2014} w1.example "), "{root}: {note}");
        let (s, note) = get_text(root, "/ledger/checkpoint/witnessed").await;
        assert_eq!(
            s, 404,
            "{root}: one cosignature of two does not count: {note}"
        );
    }

    // w2 cosigns the same round's candidate through replica 2: the checkpoint counts, everywhere.
    let (ok, text) = cosign(&roots[2], &d2);
    assert!(
        ok && text.contains("2 cosignatures on it, 2 required"),
        "{text}"
    );
    let log = NoteVerifier::parse(&log_key).expect("log key");
    let witnesses = [
        NoteVerifier::parse(&k1).expect("w1 key"),
        NoteVerifier::parse(&k2).expect("w2 key"),
    ];
    let mut served = Vec::new();
    for root in &roots {
        let (s, note) = get_text(root, "/ledger/checkpoint/witnessed").await;
        assert_eq!(s, 200, "{root}: {note}");
        let cp = haetae_ledger::witness::open_witnessed_checkpoint(&note, &log, &witnesses, 2)
            .unwrap_or_else(|e| panic!("{root}: {e}: {note}"));
        assert!(
            cp.size > last,
            "{root}: the witnessed checkpoint covers the traffic"
        );
        served.push(note);
    }
    assert!(served.iter().all(|n| *n == served[0]), "{served:?}");
    p.finish().await;
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// `bench/cluster/run.sh throughput`: answered requests per second through 1 and 3 replicas,
/// with the local-file ledger (each replica its own log, as before issue 15) and the shared
/// PostgreSQL ledger, one after the other in one run. Every answered request of the PostgreSQL
/// runs is then proven in the one log, so the figure counts only provable answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "a benchmark: bench/cluster/run.sh runs it"]
async fn bench_throughput_one_and_three_replicas() {
    let Some((pg, redis)) = servers() else { return };
    let secs = knob("HAETAE_CLUSTER_BENCH_SECS", 10);
    let clients = knob("HAETAE_CLUSTER_CLIENTS", 32) as usize;
    println!(
        "| ledger | replicas | clients | answered/s | answered | failed | p50 | p99 |\n|---|---:|---:|---:|---:|---:|---:|---:|"
    );
    for ledger in ["file", "postgres"] {
        for n in [1usize, 3] {
            let p = Programme::start(&pg, &redis, ledger, n).await;
            let (_, key) = p.load_key().await;
            let load = Load::spawn(&p.urls(), &key, clients);
            tokio::time::sleep(Duration::from_secs(secs)).await;
            let (answered, failed, took) = load.finish().await;
            let mut lat: Vec<Duration> = answered.iter().map(|a| a.2).collect();
            lat.sort_unstable();
            println!(
                "| {ledger} | {n} | {clients} | {:.0} | {} | {failed} | {:.1} ms | {:.1} ms |",
                answered.len() as f64 / took.as_secs_f64(),
                answered.len(),
                percentile(&lat, 0.5).as_secs_f64() * 1e3,
                percentile(&lat, 0.99).as_secs_f64() * 1e3,
            );
            if ledger == "postgres" {
                let gw = p.replicas[0].gw();
                let log = NoteVerifier::parse(&gw.vars["HAETAE_LEDGER_KEY"]).expect("key");
                let client = LedgerClient::new(&gw.root_url(), log).expect("client");
                let needed = answered.iter().map(|a| a.1).max().unwrap_or(0) + 1;
                let deadline = Instant::now() + Duration::from_secs(30);
                while client.fetch_checkpoint().await.expect("checkpoint").0.size < needed {
                    assert!(Instant::now() < deadline, "not integrated");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                for (id, _, _) in answered.iter().step_by(answered.len() / 200 + 1) {
                    let (_, entry) = client.prove_request(id).await.expect("provable");
                    assert_eq!(&entry.request_id, id);
                }
            }
            p.finish().await;
        }
    }
}

fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// `bench/cluster/run.sh rss`: a replica's resident memory on an empty log and on a log of
/// `HAETAE_CLUSTER_RSS_ENTRIES` (default 1 000 000) entries, with the local-file ledger (the
/// whole tree and request index in memory) and the PostgreSQL one (tiles and index in the
/// database, a bounded tile cache). The log is filled through the ledger library with the
/// replica's own keys, then the replica restarts on it and serves 500 requests and 500 proofs.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "a benchmark: bench/cluster/run.sh runs it"]
async fn bench_replica_memory_over_a_large_log() {
    use haetae_ledger::{Decision, Entry, EntryKind, Ledger, LedgerConfig, NoteSigner};
    let Some((pg, redis)) = servers() else { return };
    let entries = knob("HAETAE_CLUSTER_RSS_ENTRIES", 1_000_000);
    println!(
        "| ledger | log entries | RSS after 500 requests + 500 proofs | peak RSS |\n|---|---:|---:|---:|"
    );
    for ledger in ["file", "postgres"] {
        let mut p = Programme::start(&pg, &redis, ledger, 1).await;
        let (_, key) = p.load_key().await;
        let exercise = |p: &Programme| {
            let gw = p.replicas[0].gw();
            let (root, key) = (gw.root_url(), key.clone());
            let pid = gw.child.id();
            async move {
                let http = reqwest::Client::new();
                for i in 0..500 {
                    let r = http
                        .post(format!("{root}/v1/chat/completions"))
                        .bearer_auth(&key)
                        .json(&json!({"model": "mock-1", "messages": [{"role": "user", "content": format!("rss {i}")}]}))
                        .send()
                        .await
                        .expect("chat");
                    assert_eq!(r.status(), 200);
                }
                // Proofs at spread indices (their tiles are read, and cached, as a verifier's would be).
                for i in 0..500u64 {
                    let r = http
                        .get(format!("{root}/ledger/proof/inclusion"))
                        .query(&[("request_id", format!("fill_{}", i * 1999))])
                        .send()
                        .await
                        .expect("proof");
                    let _ = r.bytes().await;
                }
                rss_kib(pid)
            }
        };
        let (empty, empty_peak) = exercise(&p).await;
        println!(
            "| {ledger} | 0 | {} MiB | {} MiB |",
            empty / 1024,
            empty_peak / 1024
        );
        p.replicas[0].gw.take().expect("running").stop();
        let dir = p.replicas[0].dir.path().join("ledger");
        let signer = NoteSigner::load_private_key(dir.join("log.key")).expect("log key");
        let config = LedgerConfig::new(signer);
        let filled = Instant::now();
        let l = if ledger == "file" {
            let d = dir.clone();
            tokio::task::spawn_blocking(move || Ledger::open(&d, config))
                .await
                .expect("task")
                .expect("open the file ledger")
        } else {
            let options = haetae_ledger::postgres::PostgresOptions::new(&p.store);
            Ledger::open_postgres(options, config)
                .await
                .expect("open the shared ledger")
        };
        let base = l.size();
        futures::stream::iter(0..entries)
            .map(|i| {
                let l = l.clone();
                async move {
                    let mut e = Entry::new(
                        EntryKind::Request,
                        Decision::Allow,
                        1_764_000_000_000 + i,
                        &format!("fill_{i}"),
                    );
                    e.policy_ids = vec!["allow-vetted".into()];
                    e.prompt_tokens = i;
                    l.append(&e).await.expect("append");
                }
            })
            .buffer_unordered(1024)
            .collect::<Vec<()>>()
            .await;
        if let Some(pg) = l.postgres() {
            assert!(
                pg.wait_integrated(base + entries, Duration::from_secs(600))
                    .await
                    .expect("integrated")
            );
        }
        let fill = filled.elapsed();
        drop(l);
        // The file ledger's writer thread lets go of the directory lock once the last handle is gone.
        tokio::time::sleep(Duration::from_secs(1)).await;
        p.replicas[0].gw = Some(p.launch(0).await);
        let (full, full_peak) = exercise(&p).await;
        println!(
            "| {ledger} | {} | {} MiB | {} MiB |",
            base + entries,
            full / 1024,
            full_peak / 1024
        );
        eprintln!("{ledger}: filled {entries} entries in {fill:?}");
        p.finish().await;
    }
}
