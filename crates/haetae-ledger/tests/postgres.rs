//! The shared (PostgreSQL) ledger against a real server: several replicas appending into one log,
//! every entry provable against the signed checkpoint, successive checkpoints consistent,
//! integrator failover, the fencing race, restart, and witness cosignatures taken by one replica
//! served by every other.
//!
//! Needs `HAETAE_TEST_POSTGRES_URL` (e.g. `postgres://postgres@127.0.0.1:5432/test`); without it
//! each test says so loudly and passes, except under `CI=true`, where it fails. Each test works
//! in a schema of its own, dropped at the end, so tests run in parallel with anyone else's.

// Test helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::time::Duration;

use haetae_ledger::api::InclusionProofResponse;
use haetae_ledger::note::{ALG_COSIGNATURE_V1, Note};
use haetae_ledger::postgres::{Integrator, PostgresOptions};
use haetae_ledger::witness::{self, Witness};
use haetae_ledger::{
    Checkpoint, CosignError, Decision, Entry, EntryKind, Ledger, LedgerConfig, LedgerError,
    MerkleTree, NoteSigner, NoteVerifier, WitnessPolicy,
};

const WAIT: Duration = Duration::from_secs(30);

fn pg_url() -> Option<String> {
    match std::env::var("HAETAE_TEST_POSTGRES_URL") {
        Ok(u) if !u.trim().is_empty() => Some(u),
        _ => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!(
                    "HAETAE_TEST_POSTGRES_URL is not set, and CI=true requires the PostgreSQL ledger tests"
                );
            }
            eprintln!(
                "!!!!! SKIPPED: HAETAE_TEST_POSTGRES_URL is not set; the PostgreSQL ledger tests did not run !!!!!"
            );
            None
        }
    }
}

struct Db {
    url: String,
    schema: String,
    signer: NoteSigner,
}

impl Db {
    fn new(url: String) -> Db {
        Db {
            url,
            schema: format!("ledger_test_{}", hex::encode(rand::random::<[u8; 6]>())),
            signer: NoteSigner::generate("test.example/ledger").unwrap(),
        }
    }

    fn options(&self, integrate: bool) -> PostgresOptions {
        let mut o = PostgresOptions::new(&self.url);
        o.schema = self.schema.clone();
        o.integrate = integrate;
        o.integrate_interval = Duration::from_millis(10);
        o.election_interval = Duration::from_millis(50);
        o.pool_size = 4;
        o
    }

    fn config(&self) -> LedgerConfig {
        LedgerConfig::new(self.signer.clone())
    }

    /// [`Db::config`] accepting cosignatures from `witnesses`.
    fn witnessed_config(
        &self,
        witnesses: &[&NoteSigner],
        required: usize,
        round: Duration,
    ) -> LedgerConfig {
        let mut c = self.config();
        c.witnesses = WitnessPolicy {
            witnesses: witnesses.iter().map(|w| w.verifier()).collect(),
            required,
            round,
        };
        c
    }

    /// A witness of this log signing with `key`, its state in `dir`.
    fn witness(&self, dir: &std::path::Path, key: &NoteSigner) -> Witness {
        let v = self.verifier();
        Witness::open(
            key.clone(),
            [(v.name().to_owned(), v)],
            dir.join(format!("{}.json", key.name())),
        )
        .unwrap()
    }

    async fn replica(&self, integrate: bool) -> Ledger {
        Ledger::open_postgres(self.options(integrate), self.config())
            .await
            .unwrap()
    }

    fn verifier(&self) -> NoteVerifier {
        self.signer.verifier()
    }

    async fn sql(&self, q: &str) {
        let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&self.url)
            .await
            .unwrap();
        sqlx::query(q).execute(&mut c).await.unwrap();
    }

    async fn terminate(&self, pid: i32) {
        self.sql(&format!("SELECT pg_terminate_backend({pid})"))
            .await;
    }

    async fn drop_schema(self) {
        self.sql(&format!(
            "DROP SCHEMA IF EXISTS \"{}\" CASCADE",
            self.schema
        ))
        .await;
    }
}

fn entry(i: u64, writer: usize) -> Entry {
    let mut e = Entry::new(
        EntryKind::Request,
        Decision::Allow,
        1_764_000_000_000 + i,
        &format!("req_w{writer}n{i}"),
    );
    e.policy_ids = vec!["allow-vetted".into()];
    e.prompt_tokens = i;
    e
}

/// Each replica appends entries `start..end` (its own request ids), `concurrency` in flight per
/// replica. Returns request id → leaf index as the appends reported.
async fn append_from(
    replicas: &[Ledger],
    end: u64,
    concurrency: u64,
    start: u64,
) -> BTreeMap<String, u64> {
    let mut tasks = Vec::new();
    for (w, l) in replicas.iter().enumerate() {
        for c in 0..concurrency {
            let l = l.clone();
            tasks.push(tokio::spawn(async move {
                let mut got = Vec::new();
                let mut i = start + c;
                while i < end {
                    let e = entry(i, w);
                    let index = l.append(&e).await.unwrap();
                    got.push((e.request_id, index));
                    i += concurrency;
                }
                got
            }));
        }
    }
    let mut all = BTreeMap::new();
    for t in tasks {
        for (id, index) in t.await.unwrap() {
            assert!(all.insert(id, index).is_none());
        }
    }
    all
}

/// Every appended entry is provable against the latest signed checkpoint, at the index its
/// append returned, through any replica; and the replicas' indices are exactly 0..n.
fn check_all_provable(
    replicas: &[Ledger],
    verifier: &NoteVerifier,
    appended: &BTreeMap<String, u64>,
) {
    let mut indices: Vec<u64> = appended.values().copied().collect();
    indices.sort_unstable();
    assert_eq!(
        indices,
        (0..appended.len() as u64).collect::<Vec<_>>(),
        "gap-free indices"
    );
    for (k, (id, index)) in appended.iter().enumerate() {
        let l = &replicas[k % replicas.len()];
        let proof: InclusionProofResponse = l.prove_request(id).unwrap();
        let (cp, e) = proof.verify(verifier).unwrap();
        assert_eq!(proof.leaf_index, *index, "{id}");
        assert_eq!(&e.request_id, id);
        assert!(cp.size >= appended.len() as u64);
    }
}

/// The tree rebuilt from the stored entries has the checkpoint's root.
fn check_tree_matches(l: &Ledger, verifier: &NoteVerifier) -> Checkpoint {
    let (cp, _) = Checkpoint::open(&l.checkpoint().unwrap(), verifier).unwrap();
    let mut tree = MerkleTree::new();
    for i in 0..cp.size {
        tree.push_leaf_hash(haetae_ledger::merkle::leaf_hash(&l.entry_bytes(i).unwrap()));
    }
    assert_eq!(tree.root(), cp.root);
    cp
}

fn check_consistent(l: &Ledger, verifier: &NoteVerifier, old: &Checkpoint, new: &Checkpoint) {
    let p = l.prove_consistency(old.size, Some(new.size)).unwrap();
    let cp = p.verify(verifier, old).unwrap();
    assert_eq!(cp.root, new.root, "{} -> {}", old.size, new.size);
}

async fn wait_size(l: &Ledger, n: u64) {
    assert!(
        l.postgres()
            .unwrap()
            .wait_integrated(n, WAIT)
            .await
            .unwrap(),
        "not integrated to {n} within {WAIT:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appends_from_three_replicas_are_provable_and_checkpoints_consistent() {
    let Some(url) = pg_url() else { return };
    let db = Db::new(url);
    let replicas = vec![
        db.replica(true).await,
        db.replica(true).await,
        db.replica(true).await,
    ];
    let v = db.verifier();
    let mut appended = BTreeMap::new();
    let mut checkpoints: Vec<Checkpoint> = Vec::new();
    for round in 0..3u64 {
        appended.extend(append_from(&replicas, (round + 1) * 150, 16, round * 150).await);
        wait_size(&replicas[0], appended.len() as u64).await;
        checkpoints.push(check_tree_matches(&replicas[(round % 3) as usize], &v));
    }
    check_all_provable(&replicas, &v, &appended);
    for w in checkpoints.windows(2) {
        check_consistent(&replicas[1], &v, &w[0], &w[1]);
    }
    // Exactly one integrator.
    let leaders = replicas
        .iter()
        .filter(|r| r.postgres().unwrap().integrator().is_some())
        .count();
    assert_eq!(leaders, 1);
    // Group commit batched the concurrent appends.
    let commits: u64 = replicas.iter().map(|r| r.commit_count()).sum();
    assert!(commits < appended.len() as u64, "{commits} commits");
    // A request id that was never appended is not found.
    assert!(matches!(
        replicas[0].prove_request("req_never"),
        Err(LedgerError::NotFound(_))
    ));
    drop(replicas);
    db.drop_schema().await;
}

#[cfg(feature = "client")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outsiders_verifier_audits_a_replica_from_its_tiles() {
    use axum::extract::{Path, State};
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    use axum::routing::get;
    let Some(url) = pg_url() else { return };
    let db = Db::new(url);
    let writer = db.replica(true).await;
    let reader = db.replica(false).await;
    let first = append_from(std::slice::from_ref(&writer), 700, 32, 0).await;
    wait_size(&writer, 700).await;

    async fn checkpoint(State(l): State<Ledger>) -> axum::response::Response {
        l.published_checkpoint().unwrap().into_response()
    }
    async fn tile(State(l): State<Ledger>, Path(p): Path<String>) -> axum::response::Response {
        match l.tile_by_path(&p) {
            Ok(b) => b.into_response(),
            Err(_) => StatusCode::NOT_FOUND.into_response(),
        }
    }
    let app = axum::Router::new()
        .route(haetae_ledger::api::CHECKPOINT_PATH, get(checkpoint))
        .route(
            &format!("{}{{*path}}", haetae_ledger::api::TILE_PREFIX),
            get(tile),
        )
        .with_state(reader.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client =
        haetae_ledger::client::LedgerClient::new(&format!("http://{addr}"), db.verifier()).unwrap();
    let audit = client.audit(None, true).await.unwrap();
    assert_eq!(audit.checkpoint.size, 700);
    assert_eq!(audit.entries_verified, Some(700));
    let more = append_from(std::slice::from_ref(&writer), 900, 32, 700).await;
    wait_size(&writer, 900).await;
    let again = client
        .audit(Some(&audit.checkpoint_text), false)
        .await
        .unwrap();
    assert_eq!(again.consistent_with, Some(700));
    assert!(first.len() + more.len() == 900);
    // The reader's cache holds only full tiles, within its bound.
    assert!(reader.postgres().unwrap().cached_tiles() <= 4096);
    drop((writer, reader));
    db.drop_schema().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integrator_failover_continues_the_same_log() {
    let Some(url) = pg_url() else { return };
    let db = Db::new(url);
    let mut replicas = vec![
        db.replica(true).await,
        db.replica(true).await,
        db.replica(true).await,
    ];
    let v = db.verifier();
    let mut appended = append_from(&replicas, 200, 8, 0).await;
    wait_size(&replicas[0], appended.len() as u64).await;
    let before = check_tree_matches(&replicas[0], &v);
    let epoch_before = replicas[0].postgres().unwrap().epoch().await.unwrap();

    // Cut the leader's lock connection: it must notice and stop; someone is elected again.
    let (_, pid) = leader(&replicas).await;
    db.terminate(pid).await;
    appended.extend(append_from(&replicas, 400, 8, 200).await);
    wait_size(&replicas[1], appended.len() as u64).await;
    assert!(replicas[0].postgres().unwrap().epoch().await.unwrap() > epoch_before);
    let middle = check_tree_matches(&replicas[2], &v);
    check_consistent(&replicas[2], &v, &before, &middle);

    // Now the leader's whole replica dies: another one must take over.
    let (now, _) = leader(&replicas).await;
    let dead = replicas.remove(now);
    drop(dead);
    appended.extend(append_from(&replicas, 600, 8, 400).await);
    wait_size(&replicas[0], appended.len() as u64).await;
    let after = check_tree_matches(&replicas[0], &v);
    check_consistent(&replicas[1], &v, &middle, &after);
    check_consistent(&replicas[0], &v, &before, &after);
    check_all_provable(&replicas, &v, &appended);
    assert!(leader_index(&replicas).is_some());
    drop(replicas);
    db.drop_schema().await;
}

fn leader_index(replicas: &[Ledger]) -> Option<(usize, i32)> {
    replicas
        .iter()
        .enumerate()
        .find_map(|(i, r)| r.postgres().unwrap().integrator().map(|pid| (i, pid)))
}

async fn leader(replicas: &[Ledger]) -> (usize, i32) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(l) = leader_index(replicas) {
            return l;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no integrator elected"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paused_old_integrator_is_fenced_off() {
    let Some(url) = pg_url() else { return };
    let db = Db::new(url);
    // A replica that sequences but never integrates: the test plays the integrators.
    let l = db.replica(false).await;
    let v = db.verifier();
    let mut appended = append_from(std::slice::from_ref(&l), 300, 8, 0).await;

    let opts = db.options(true);
    let mut a = Integrator::connect(&opts, db.config()).await.unwrap();
    let mut b = Integrator::connect(&opts, db.config()).await.unwrap();
    assert!(a.elect().await.unwrap());
    assert!(!b.elect().await.unwrap(), "the lock admits one integrator");
    assert_eq!(a.round().await.unwrap(), 300);
    let first = check_tree_matches(&l, &v);

    appended.extend(append_from(std::slice::from_ref(&l), 600, 8, 300).await);
    // A reads the new entries and computes its round, then pauses before writing.
    let stale = a.prepare().await.unwrap().unwrap();
    assert_eq!(stale.size(), 600);
    // Meanwhile A's session is lost (its lock connection dropped): B is elected.
    db.terminate(a.lock_pid().await.unwrap()).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while !b.elect().await.unwrap() {
        assert!(tokio::time::Instant::now() < deadline, "B never elected");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(b.epoch() > a.epoch());
    // A wakes up and publishes: refused, even before B wrote anything.
    let err = a.publish(stale).await.unwrap_err();
    assert!(matches!(err, LedgerError::Fenced(_)), "{err}");
    assert_eq!(
        check_tree_matches(&l, &v),
        first,
        "nothing of A's round was written"
    );

    // B integrates; A prepares again and races B's next round: still refused.
    appended.extend(append_from(std::slice::from_ref(&l), 700, 8, 600).await);
    let stale = a.prepare().await.unwrap().unwrap();
    assert_eq!(b.round().await.unwrap(), 400);
    let err = a.publish(stale).await.unwrap_err();
    assert!(matches!(err, LedgerError::Fenced(_)), "{err}");
    // A's own loop would also find its lock connection gone.
    assert!(a.round().await.is_err());

    let last = check_tree_matches(&l, &v);
    assert_eq!(last.size, 700);
    check_consistent(&l, &v, &first, &last);
    check_all_provable(std::slice::from_ref(&l), &v, &appended);
    drop(l);
    db.drop_schema().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_recovers_and_extends_the_log() {
    let Some(url) = pg_url() else { return };
    let db = Db::new(url);
    let v = db.verifier();
    let l = db.replica(true).await;
    let mut appended = append_from(std::slice::from_ref(&l), 300, 8, 0).await;
    wait_size(&l, 300).await;
    let before = check_tree_matches(&l, &v);
    drop(l);

    // An integrator that read a round and died before writing it leaves nothing behind.
    let seq = db.replica(false).await;
    appended.extend(append_from(std::slice::from_ref(&seq), 450, 8, 300).await);
    let mut crashed = Integrator::connect(&db.options(true), db.config())
        .await
        .unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    while !crashed.elect().await.unwrap() {
        assert!(tokio::time::Instant::now() < deadline, "never elected");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(crashed.prepare().await.unwrap().is_some());
    drop(crashed);

    let l = db.replica(true).await;
    appended.extend(append_from(std::slice::from_ref(&l), 600, 8, 450).await);
    wait_size(&l, 600).await;
    let after = check_tree_matches(&l, &v);
    check_consistent(&l, &v, &before, &after);
    check_all_provable(&[l.clone(), seq.clone()], &v, &appended);

    // A replica with another log key is refused: its checkpoints would not verify together.
    let other = NoteSigner::generate("test.example/ledger").unwrap();
    let err = Ledger::open_postgres(db.options(false), LedgerConfig::new(other))
        .await
        .unwrap_err();
    assert!(matches!(err, LedgerError::Config(_)), "{err}");
    drop((l, seq));
    db.drop_schema().await;
}

/// The log key rotates on PostgreSQL as on the file backend: one replica started with the new key and the old
/// key named retires it; the tree continues (the old checkpoint is consistent with every later one, each checked
/// with the key that signed it), an integrator elected under the old key can neither publish nor be elected
/// again, replicas still running the old key keep sequencing, and a restart with the old key is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_key_rotates_and_the_old_key_signs_nothing_more() {
    let Some(url) = pg_url() else { return };
    let db = Db::new(url);
    let old_v = db.verifier();
    let l = db.replica(true).await;
    let mut appended = append_from(std::slice::from_ref(&l), 200, 8, 0).await;
    wait_size(&l, 200).await;
    let before = check_tree_matches(&l, &old_v);
    drop(l);

    // An old-key replica that only sequences, and an old-key integrator with a round prepared.
    let seq = db.replica(false).await;
    let mut old = Integrator::connect(&db.options(true), db.config())
        .await
        .unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    while !old.elect().await.unwrap() {
        assert!(tokio::time::Instant::now() < deadline, "never elected");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    appended.extend(append_from(std::slice::from_ref(&seq), 260, 8, 200).await);
    let stale = old.prepare().await.unwrap().unwrap();

    let new_signer = NoteSigner::generate("test.example/ledger").unwrap();
    let new_v = new_signer.verifier();
    let new_config = LedgerConfig::new(new_signer.clone());
    // A new key without the rotation setting, or naming a key that is not the log's: refused, nothing rotated.
    let err = Ledger::open_postgres(db.options(false), new_config.clone())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, LedgerError::Config(m) if m.contains("rotate_from")),
        "{err}"
    );
    let mut wrong = db.options(false);
    wrong.rotate_from = Some(new_v.to_string());
    let err = Ledger::open_postgres(wrong, new_config.clone())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, LedgerError::Config(m) if m.contains("nothing was rotated")),
        "{err}"
    );
    check_tree_matches(&seq, &old_v);

    // The rotation: the current head, re-signed with the new key, is the same tree.
    let mut rotate = db.options(false);
    rotate.rotate_from = Some(format!(" {old_v} "));
    let rotated = Ledger::open_postgres(rotate.clone(), new_config.clone())
        .await
        .unwrap();
    let head = check_tree_matches(&rotated, &new_v);
    assert_eq!((head.size, head.root), (before.size, before.root));
    assert!(Checkpoint::open(&rotated.checkpoint().unwrap(), &old_v).is_err());

    // The old integrator's prepared round is fenced, and it cannot be elected again.
    let err = old.publish(stale).await.unwrap_err();
    assert!(matches!(err, LedgerError::Fenced(_)), "{err}");
    old.step_down().await;
    let err = old.elect().await.unwrap_err();
    assert!(matches!(err, LedgerError::Config(_)), "{err}");
    check_tree_matches(&rotated, &new_v);

    // An integrator with the new key takes over; the old-key replica's entries are still sequenced and integrated.
    let integrating = Ledger::open_postgres(db.options(true), new_config.clone())
        .await
        .unwrap();
    appended.extend(append_from(&[seq.clone(), integrating.clone()], 400, 8, 260).await);
    wait_size(&integrating, 400).await;
    let after = check_tree_matches(&integrating, &new_v);
    check_consistent(&integrating, &new_v, &before, &after);
    check_all_provable(&[integrating.clone(), rotated.clone()], &new_v, &appended);

    // The retired key is on record with the head it signed last.
    let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&db.url)
        .await
        .unwrap();
    let (key, successor, size): (String, String, i64) = sqlx::query_as(&format!(
        "SELECT log_key, successor, size FROM \"{}\".retired_log_keys",
        db.schema
    ))
    .fetch_one(&mut c)
    .await
    .unwrap();
    assert_eq!(
        (key, successor, size),
        (old_v.to_string(), new_v.to_string(), 200)
    );
    // Restarting with the old key is refused; restarting with the setting still there rotates nothing again.
    let err = Ledger::open_postgres(db.options(false), db.config())
        .await
        .unwrap_err();
    assert!(matches!(err, LedgerError::Config(_)), "{err}");
    let again = Ledger::open_postgres(rotate, new_config).await.unwrap();
    check_tree_matches(&again, &new_v);
    // Rotating back to a retired key is refused.
    let mut back = db.options(false);
    back.rotate_from = Some(new_v.to_string());
    let err = Ledger::open_postgres(back, db.config()).await.unwrap_err();
    assert!(
        matches!(&err, LedgerError::Config(m) if m.contains("retired")),
        "{err}"
    );
    check_tree_matches(&again, &new_v);
    drop((seq, rotated, integrating, again, old));
    db.drop_schema().await;
}

/// Takes `LOCK TABLE … IN ACCESS EXCLUSIVE MODE` on `table` of the test's schema in a
/// transaction that holds it until `hold` has passed, so any read of that table waits for the
/// lock meanwhile.
async fn hold_table_lock(url: &str, schema: &str, table: &str, hold: Duration) {
    let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(url)
        .await
        .unwrap();
    let mut tx = sqlx::Connection::begin(&mut c).await.unwrap();
    sqlx::query(&format!(
        "LOCK TABLE \"{schema}\".{table} IN ACCESS EXCLUSIVE MODE"
    ))
    .execute(&mut *tx)
    .await
    .unwrap();
    tokio::time::sleep(hold).await;
    tx.commit().await.unwrap();
}

/// The gateway's async handlers look request ids up and serve tiles with
/// [`Ledger::find_request`] and [`Ledger::fetch_tile`]. On a single-threaded runtime, each is
/// awaited while the only other task on that thread holds a table lock the query waits for and
/// releases it later: a call that blocked the thread for its database round trip would never
/// let that task release the lock, and the test would time out instead of finishing.
#[test]
fn async_reads_do_not_hold_the_callers_thread() {
    let Some(url) = pg_url() else { return };
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let db = Db::new(url);
            let l = db.replica(true).await;
            let index = l.append(&entry(0, 0)).await.unwrap();
            wait_size(&l, 1).await;
            let hold = Duration::from_millis(300);
            let started = std::time::Instant::now();
            let (found, ()) = tokio::join!(
                l.find_request("req_w0n0"),
                hold_table_lock(&db.url, &db.schema, "request_index", hold)
            );
            assert_eq!(found.unwrap(), Some(index));
            assert!(
                started.elapsed() >= hold,
                "the lookup did not wait for the lock"
            );
            let (tile, ()) = tokio::join!(
                l.fetch_tile("0/000.p/1"),
                hold_table_lock(&db.url, &db.schema, "tiles", hold)
            );
            assert_eq!(tile.unwrap().len(), 32);
            // A lookup the database cannot answer is an error, not "not recorded".
            db.sql(&format!("DROP TABLE \"{}\".request_index", db.schema))
                .await;
            assert!(l.find_request("req_w0n0").await.is_err());
            drop(l);
            db.drop_schema().await;
        });
        let _ = done_tx.send(());
    });
    done_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("an async ledger read blocked its runtime's only thread (deadlock)");
}

/// The integrator integrates on the sequencers' `NOTIFY`, not on its poll: with the poll set to
/// a minute, every append from another replica is still integrated within a couple of seconds,
/// also after the integrator's listening connection was cut (it subscribes again).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_wake_the_integrator() {
    let Some(url) = pg_url() else { return };
    let db = Db::new(url);
    let mut options = db.options(true);
    options.integrate_interval = Duration::from_secs(60);
    let channel = options.notify_channel();
    let integrator = Ledger::open_postgres(options, db.config()).await.unwrap();
    let appender = db.replica(false).await;
    leader(std::slice::from_ref(&integrator)).await;
    // Its first round (an empty log) is over once the checkpoint row has its first epoch.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let prompt = Duration::from_secs(5);
    let mut worst = Duration::ZERO;
    for i in 0..5u64 {
        if i == 3 {
            // Cut the listening connection: the integrator's next wait reconnects.
            let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&db.url)
                .await
                .unwrap();
            let cut: i64 = sqlx::query_scalar(&format!(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
                 WHERE query = 'LISTEN \"{channel}\";' OR query = 'LISTEN \"{channel}\"'"
            ))
            .fetch_one(&mut c)
            .await
            .unwrap();
            assert_eq!(cut, 1, "the integrator's one listening connection");
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        let index = appender.append(&entry(i, 1)).await.unwrap();
        let appended = std::time::Instant::now();
        assert!(
            integrator
                .postgres()
                .unwrap()
                .wait_integrated(index + 1, prompt)
                .await
                .unwrap(),
            "entry {index} not integrated within {prompt:?} with the poll at a minute"
        );
        worst = worst.max(appended.elapsed());
        let proof = appender.prove_request(&format!("req_w1n{i}")).unwrap();
        proof.verify(&db.verifier()).unwrap();
    }
    eprintln!("slowest append-to-checkpoint with notifications: {worst:?}");
    drop((integrator, appender));
    db.drop_schema().await;
}

fn witness_key(name: &str, seed: u8) -> NoteSigner {
    let key = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
    NoteSigner::from_signing_key(name, ALG_COSIGNATURE_V1, key).unwrap()
}

/// What `haetae witness cosign` does, minus HTTP: the witness checks `note_text` against what it
/// cosigned before (a consistency proof from `ledger`) and returns the note with its line.
fn cosigned(w: &mut Witness, ledger: &Ledger, note_text: &str, ts: u64) -> String {
    let cp = Checkpoint::parse_body(&Note::parse(note_text).unwrap().text).unwrap();
    let old = w.latest(&cp.origin).map_or(0, |s| s.size);
    let proof = ledger.consistency_proof(old, cp.size).unwrap();
    let line = w.add_checkpoint(note_text, old, &proof, ts).unwrap();
    format!("{note_text}{line}")
}

fn size_of(note_text: &str) -> u64 {
    Checkpoint::parse_body(&Note::parse(note_text).unwrap().text)
        .unwrap()
        .size
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cosignatures_taken_by_one_replica_are_served_by_every_replica() {
    let Some(url) = pg_url() else { return };
    let db = Db::new(url);
    let v = db.verifier();
    let wdir = tempfile::tempdir().unwrap();
    let (k1, k2, k3) = (
        witness_key("w1.example", 1),
        witness_key("w2.example", 2),
        witness_key("w3.example", 3),
    );
    let keys = [k1.verifier(), k2.verifier()];
    let config = |witnesses: &[&NoteSigner], required: usize, round: Duration| {
        db.witnessed_config(witnesses, required, round)
    };
    let hour = Duration::from_secs(3600);
    let a = Ledger::open_postgres(db.options(true), config(&[&k1, &k2], 2, hour))
        .await
        .unwrap();
    let b = Ledger::open_postgres(db.options(false), config(&[&k1, &k2], 2, hour))
        .await
        .unwrap();
    let witness = |k: &NoteSigner| db.witness(wdir.path(), k);
    let (mut w1, mut w2, mut w3) = (witness(&k1), witness(&k2), witness(&k3));
    append_from(std::slice::from_ref(&a), 10, 2, 0).await;
    wait_size(&a, 10).await;

    // w1 cosigns through replica a; replica b serves the cosignature.
    let candidate = a.witness_candidate().unwrap();
    assert_eq!(size_of(&candidate), 10);
    let r = a
        .add_cosignatures(&cosigned(&mut w1, &a, &candidate, 100))
        .unwrap();
    assert_eq!(
        (r.accepted.clone(), r.cosignatures, r.required, r.counts),
        (vec!["w1.example".to_string()], 1, 2, false)
    );
    assert!(b.published_checkpoint().unwrap().contains("w1.example"));
    let one = b.witnessed_checkpoint(1).unwrap().unwrap();
    let cp = witness::open_witnessed_checkpoint(&one, &v, &keys, 1).unwrap();
    assert_eq!(cp.size, 10);
    assert!(b.witnessed_checkpoint(2).unwrap().is_none());

    // The round is the programme's: the log grew, but b shows the witnesses the same candidate,
    // with w1's line on it, until every witness cosigned it.
    append_from(std::slice::from_ref(&a), 15, 1, 10).await;
    wait_size(&a, 15).await;
    let candidate = b.witness_candidate().unwrap();
    assert_eq!(size_of(&candidate), 10);
    assert!(candidate.contains("w1.example"));
    let r = b
        .add_cosignatures(&cosigned(&mut w2, &b, &candidate, 101))
        .unwrap();
    assert_eq!(
        (r.accepted.clone(), r.cosignatures, r.counts),
        (vec!["w2.example".to_string()], 2, true)
    );
    let counted = a.witnessed_checkpoint(2).unwrap().unwrap();
    assert_eq!(b.witnessed_checkpoint(2).unwrap().unwrap(), counted);
    let cp = witness::open_witnessed_checkpoint(&counted, &v, &keys, 2).unwrap();
    assert_eq!(cp.size, 10);
    // A resubmission through the other replica adds nothing; a stranger is refused by either.
    let again = a
        .add_cosignatures(&cosigned(&mut w2, &a, &candidate, 102))
        .unwrap();
    assert!(again.accepted.is_empty() && again.cosignatures == 2);
    for l in [&a, &b] {
        let r = l.add_cosignatures(&cosigned(&mut w3, l, &candidate, 103));
        assert!(
            matches!(&r, Err(LedgerError::Cosign(CosignError::UnknownWitness { name, .. })) if name == "w3.example"),
            "{r:?}"
        );
    }

    // Everyone cosigned: both replicas move to the latest checkpoint. Once it is cosigned by the
    // same witnesses, the size-10 rows are redundant and dropped.
    let next = a.witness_candidate().unwrap();
    assert_eq!(size_of(&next), 15);
    assert_eq!(b.witness_candidate().unwrap(), next);
    b.add_cosignatures(&cosigned(&mut w1, &b, &next, 104))
        .unwrap();
    a.add_cosignatures(&cosigned(&mut w2, &a, &next, 105))
        .unwrap();
    let counted = b.witnessed_checkpoint(2).unwrap().unwrap();
    assert_eq!(size_of(&counted), 15);
    assert!(a.published_checkpoint().unwrap().contains("w2.example"));
    let kept: Vec<i64> = {
        let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&db.url)
            .await
            .unwrap();
        sqlx::query_scalar(&format!(
            "SELECT size FROM \"{}\".cosignatures ORDER BY size",
            db.schema
        ))
        .fetch_all(&mut c)
        .await
        .unwrap()
    };
    assert_eq!(kept, vec![15, 15]);

    // Proofs through either replica carry the cosignatures of their checkpoint.
    let id = a.entry(3).unwrap().request_id;
    assert_eq!(
        b.prove_request_at(&id, Some(15)).unwrap().checkpoint,
        counted
    );

    // A round that has lasted long enough moves on without the missing witness.
    let quick = Ledger::open_postgres(db.options(false), config(&[&k1, &k2], 2, Duration::ZERO))
        .await
        .unwrap();
    append_from(std::slice::from_ref(&a), 16, 1, 15).await;
    wait_size(&a, 16).await;
    let c16 = quick.witness_candidate().unwrap();
    assert_eq!(size_of(&c16), 16);
    quick
        .add_cosignatures(&cosigned(&mut w1, &quick, &c16, 106))
        .unwrap();
    append_from(std::slice::from_ref(&a), 17, 1, 16).await;
    wait_size(&a, 17).await;
    assert_eq!(
        size_of(&quick.witness_candidate().unwrap()),
        17,
        "w2 never cosigned 16, but the round is over"
    );

    // Kept across restarts; a replica counts only the witnesses it is configured with.
    drop((a, b, quick));
    let c = Ledger::open_postgres(db.options(false), config(&[&k1], 1, hour))
        .await
        .unwrap();
    assert!(c.witnessed_checkpoint(2).unwrap().is_none());
    let only = c.witnessed_checkpoint(1).unwrap().unwrap();
    assert_eq!(size_of(&only), 16);
    assert!(only.contains("w1.example") && !only.contains("w2.example"));
    drop(c);
    db.drop_schema().await;
}

/// Every cosignature row is `(size, witness)` of `expected`, in order (`w1` for `w1.example`).
async fn assert_rows(db: &Db, expected: &[(i64, &str)]) {
    let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&db.url)
        .await
        .unwrap();
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT size, split_part(witness, '.', 1) FROM \"{}\".cosignatures ORDER BY size, witness",
        db.schema
    ))
    .fetch_all(&mut c)
    .await
    .unwrap();
    let expected: Vec<(i64, String)> = expected.iter().map(|(s, w)| (*s, w.to_string())).collect();
    assert_eq!(rows, expected);
}

/// Moves every cosignature row `days` into the past, as if that long had passed since it came.
async fn age_cosignatures(db: &Db, days: u32) {
    db.sql(&format!(
        "UPDATE \"{}\".cosignatures SET added = added - interval '{days} days'",
        db.schema
    ))
    .await;
}

/// The log grows from `from` to `to` entries (appended through `a`), then each of `witnesses`
/// cosigns the candidate, the new checkpoint, through `via`.
async fn cosign_round(
    a: &Ledger,
    from: u64,
    to: u64,
    via: &Ledger,
    witnesses: &mut [&mut Witness],
) {
    append_from(std::slice::from_ref(a), to, 1, from).await;
    wait_size(a, to).await;
    let candidate = via.witness_candidate().unwrap();
    assert_eq!(size_of(&candidate), to);
    for w in witnesses {
        via.add_cosignatures(&cosigned(w, via, &candidate, to))
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retired_witnesss_cosignatures_go_after_the_grace_period() {
    let Some(url) = pg_url() else { return };
    let db = Db::new(url);
    let wdir = tempfile::tempdir().unwrap();
    let (k1, k2) = (witness_key("w1.example", 1), witness_key("w2.example", 2));
    // Round zero: the candidate is always the latest checkpoint.
    let config = |witnesses: &[&NoteSigner]| db.witnessed_config(witnesses, 1, Duration::ZERO);
    let open = |witnesses: &[&NoteSigner], grace: Option<Duration>| {
        let mut o = db.options(false);
        if let Some(g) = grace {
            o.retired_witness_grace = g;
        }
        Ledger::open_postgres(o, config(witnesses))
    };
    let (mut w1, mut w2) = (db.witness(wdir.path(), &k1), db.witness(wdir.path(), &k2));
    // `a` lists both witnesses; `r` has had w2 removed from its list (a rolling change).
    let a = Ledger::open_postgres(db.options(true), config(&[&k1, &k2]))
        .await
        .unwrap();
    cosign_round(&a, 0, 10, &a, &mut [&mut w1, &mut w2]).await;
    cosign_round(&a, 10, 15, &a, &mut [&mut w1]).await;
    // w2's row keeps checkpoint 10 from being dominated by 15.
    let before = [(10, "w1"), (10, "w2"), (15, "w1")];
    assert_rows(&db, &before).await;

    // Inside the grace period nothing of w2's goes, neither when `r` opens nor when it stores a
    // cosignature; `r` never counts w2.
    let r = open(&[&k1], None).await.unwrap();
    assert_rows(&db, &before).await;
    assert!(r.witnessed_checkpoint(2).unwrap().is_none());
    assert_eq!(size_of(&a.witnessed_checkpoint(2).unwrap().unwrap()), 10);
    cosign_round(&a, 15, 20, &r, &mut [&mut w1]).await;
    assert_rows(&db, &[(10, "w1"), (10, "w2"), (20, "w1")]).await;

    // Eight days on. A replica that lists w2 deletes none of its rows, however old, nor w1's.
    age_cosignatures(&db, 8).await;
    drop(open(&[&k1, &k2], None).await.unwrap());
    cosign_round(&a, 20, 25, &a, &mut [&mut w1]).await;
    let listed = [(10, "w1"), (10, "w2"), (25, "w1")];
    assert_rows(&db, &listed).await;
    // Nor does one that does not list it but gives it a longer grace.
    let patient = open(&[&k1], Some(Duration::from_secs(30 * 86_400)));
    drop(patient.await.unwrap());
    assert_rows(&db, &listed).await;
    // A replica opening without w2 past its grace drops w2's rows; w1's old row stays (w1 is
    // configured) until a larger checkpoint dominates it.
    drop(open(&[&k1], None).await.unwrap());
    assert_rows(&db, &[(10, "w1"), (25, "w1")]).await;

    // The same when `r` stores a cosignature: w2 cosigns again (a fresh row: kept), then falls
    // silent for eight days, and `r`'s next cosignature takes its rows, so 30 is dominated too.
    cosign_round(&a, 25, 30, &a, &mut [&mut w1, &mut w2]).await;
    cosign_round(&a, 30, 35, &r, &mut [&mut w1]).await;
    assert_rows(&db, &[(30, "w1"), (30, "w2"), (35, "w1")]).await;
    age_cosignatures(&db, 8).await;
    cosign_round(&a, 35, 40, &r, &mut [&mut w1]).await;
    assert_rows(&db, &[(40, "w1")]).await;
    assert_eq!(size_of(&r.witnessed_checkpoint(1).unwrap().unwrap()), 40);
    drop((a, r));
    db.drop_schema().await;
}
