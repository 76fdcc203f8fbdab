//! Server-side render time of every console page at programme scale (issue 17: every page in under 100 ms
//! with 10,000 organisations and 100,000 keys), against the same pages over a 10-organisation programme
//! measured in the same run.
//!
//! Each programme is a real store (a SQLite file; PostgreSQL too when `HAETAE_TEST_POSTGRES_URL` is set, in
//! a fresh database dropped afterwards) behind the gateway's router with the console merged in, as `haetae
//! up` serves it. Requests go in process through tower's `oneshot` with a signed-in operator's (or owner's)
//! session cookie, so a sample is the whole server side: session layer, store queries, template, body.
//!
//! Seeding: tiers, models, review items, console users and their passkeys go through the store's own
//! functions. Organisations, vetting evidence, members, API keys, engagements and usage rows are written in
//! batched multi-row INSERTs in one transaction, with the columns and values the store's `create_org`,
//! `record_vetting`, `add_member`, `issue_key` (a real `ApiKeySecret` id and hash per key),
//! `register_engagement` and `add_usage` write, and the usage rollups from `Store::rebuild_usage_rollups`;
//! one row of each kind is then read back through the store to show the rows are what it reads.
//!
//! Run: `bench/console/run.sh` (or `cargo bench -p haetae-console --bench render`). Knobs:
//! `HAETAE_BENCH_ORGS` (10000), `HAETAE_BENCH_KEYS_PER_ORG` (10), `HAETAE_BENCH_BACKENDS` (`sqlite,postgres`).

// A benchmark: its setup fails loudly, as a test's does.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use haetae_console::chart::day_string;
use haetae_console::session::hash_token;
use haetae_console::{Console, ConsoleConfig, ConsoleRole, SessionUser, issue_enrolment};
use haetae_core::{ApiKeySecret, KeyKind, new_id, now_unix};
use haetae_gateway::stages::record::Recorder;
use haetae_gateway::{AppState, Backends, GatewayOptions};
use haetae_ledger::{CommitKey, DigestKey, Ledger, LedgerConfig, NoteSigner};
use haetae_meter::misuse::Signal;
use haetae_store::{NewModel, Page, Store, UsageQuery};
use http_body_util::BodyExt as _;
use sqlx::AnyPool;
use tower::ServiceExt as _;

/// The target issue 17 sets for every page.
const TARGET: Duration = Duration::from_millis(100);
/// Samples per page: at least `MIN_SAMPLES`, then more until `BUDGET` is spent or `MAX_SAMPLES` are taken.
const MIN_SAMPLES: usize = 10;
const MAX_SAMPLES: usize = 100;
const BUDGET: Duration = Duration::from_secs(1);
const WARM_UP: usize = 3;
/// Rows per multi-row INSERT (9 columns at most: 4,500 parameters, under both databases' limits).
const BATCH: usize = 500;
const MEMBERS_PER_ORG: usize = 3;
const USAGE_DAYS: i64 = 90;
const MODELS: [&str; 4] = ["gpt-sec", "gpt-sec-mini", "ko-llama", "smollm2-135m"];
const USE_CASES: [&str; 3] = ["malware-analysis", "vuln-research", "incident-response"];

#[derive(Clone, Copy)]
struct Scale {
    orgs: usize,
    keys_per_org: usize,
}

impl Scale {
    fn keys(&self) -> usize {
        self.orgs * self.keys_per_org
    }
    /// Usage rows a day: 2% of keys used on any one day.
    fn usage_per_day(&self) -> usize {
        (self.keys() / 50).max(1)
    }
    /// One organisation in ten has an open review item, an enrolled owner and (one in five) an engagement.
    fn tenth(&self) -> usize {
        (self.orgs / 10).max(1)
    }
}

struct Seeded {
    org_ids: Vec<String>,
    /// (key id, org id, member id), in insertion order.
    keys: Vec<(String, String, String)>,
    /// The owner member of each organisation.
    owners: Vec<String>,
    review_ids: Vec<String>,
}

/// A multi-row INSERT of `rows` (each with the same number of values) in batches, inside `tx`.
async fn insert_rows(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    table: &str,
    columns: &str,
    rows: &[Vec<Value>],
) {
    for chunk in rows.chunks(BATCH) {
        let width = chunk[0].len();
        let mut n = 0;
        let values: Vec<String> = chunk
            .iter()
            .map(|_| {
                let params: Vec<String> = (0..width)
                    .map(|_| {
                        n += 1;
                        format!("${n}")
                    })
                    .collect();
                format!("({})", params.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({columns}) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for v in row {
                q = match v {
                    Value::Text(s) => q.bind(s.clone()),
                    Value::Int(i) => q.bind(*i),
                    Value::OptInt(i) => q.bind(*i),
                };
            }
        }
        q.execute(&mut **tx)
            .await
            .unwrap_or_else(|e| panic!("insert into {table}: {e}"));
    }
}

enum Value {
    Text(String),
    Int(i64),
    OptInt(Option<i64>),
}

fn t(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

/// Vetting states in proportion: 70% verified, 20% applied, 5% suspended, 5% revoked.
fn state_of(i: usize) -> &'static str {
    match i % 20 {
        0..=13 => "verified",
        14..=17 => "applied",
        18 => "suspended",
        _ => "revoked",
    }
}

async fn seed(store: &Store, url: &str, scale: Scale) -> Seeded {
    store.ensure_default_tiers().await.unwrap();
    let tiers: Vec<String> = store
        .list_tiers()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    for (i, m) in MODELS.iter().enumerate() {
        store
            .upsert_model(&NewModel {
                name: (*m).into(),
                backend: "upstream".into(),
                upstream_model: format!("{m}-upstream"),
                min_tier: tiers[i % tiers.len()].clone(),
                description: format!("{m} for the bench"),
            })
            .await
            .unwrap();
    }
    let now = now_unix();
    let day = 86_400;
    let pool = AnyPool::connect(url).await.expect("bulk connection");
    let mut tx = pool.begin().await.unwrap();

    let mut org_rows = Vec::with_capacity(scale.orgs);
    let mut evidence = Vec::new();
    let mut org_ids = Vec::with_capacity(scale.orgs);
    for i in 0..scale.orgs {
        let id = new_id();
        let state = state_of(i);
        let expires = (state == "verified").then(|| now + ((i as i64 * 37) % 365 + 1) * day);
        org_rows.push(vec![
            t(&id),
            t(format!("Org {i:05}")),
            t(["KR", "JP", "US", "DE", "SG"][i % 5]),
            t(["cert", "finance", "energy", "telecom"][i % 4]),
            t(state),
            t(&tiers[i % tiers.len()]),
            Value::OptInt(expires),
            Value::Int(now - 200 * day),
            Value::Int(now - 100 * day),
        ]);
        if state != "applied" {
            evidence.push(vec![
                t(new_id()),
                t(&id),
                t("vetting officer"),
                t("registry, references"),
                t(state),
                t(""),
                Value::Int(now - 100 * day),
            ]);
        }
        org_ids.push(id);
    }
    insert_rows(
        &mut tx,
        "organisations",
        "id, name, country, sector, vetting_state, tier, vetting_expires_at, created_at, updated_at",
        &org_rows,
    )
    .await;
    insert_rows(
        &mut tx,
        "vetting_evidence",
        "id, org_id, reviewer, checked, decision, notes, created_at",
        &evidence,
    )
    .await;

    let mut member_rows = Vec::new();
    let mut members: Vec<[String; MEMBERS_PER_ORG]> = Vec::with_capacity(scale.orgs);
    for (i, org) in org_ids.iter().enumerate() {
        let ids = [new_id(), new_id(), new_id()];
        for (j, (id, role)) in ids.iter().zip(["owner", "analyst", "analyst"]).enumerate() {
            let identity = format!("{role}{j}@org{i}.example");
            member_rows.push(vec![
                t(id),
                t(org),
                t(&identity),
                t(&identity),
                t(role),
                Value::Int(1),
                Value::Int(now - 100 * day),
            ]);
        }
        members.push(ids);
    }
    insert_rows(
        &mut tx,
        "members",
        "id, org_id, identity, display_name, role, identity_verified, created_at",
        &member_rows,
    )
    .await;

    let mut key_rows = Vec::with_capacity(scale.keys());
    let mut keys = Vec::with_capacity(scale.keys());
    for (i, org) in org_ids.iter().enumerate() {
        for k in 0..scale.keys_per_org {
            let secret = ApiKeySecret::generate(KeyKind::Member);
            let member = &members[i][k % MEMBERS_PER_ORG];
            key_rows.push(vec![
                t(&secret.public_id),
                t(member),
                t(org),
                t(&secret.secret_hash),
                t(format!("key {k}")),
                Value::Int(now - 90 * day + k as i64),
                Value::OptInt((k == 9).then_some(now + 30 * day)),
                Value::OptInt(((i + k) % 20 == 0).then_some(now - day)),
            ]);
            keys.push((secret.public_id, org.clone(), member.clone()));
        }
    }
    insert_rows(
        &mut tx,
        "api_keys",
        "id, member_id, org_id, secret_hash, label, created_at, expires_at, revoked_at",
        &key_rows,
    )
    .await;

    let engagement_rows: Vec<_> = org_ids
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 5 == 0)
        .map(|(i, org)| {
            vec![
                t(new_id()),
                t(org),
                t(format!("Org {i:05} pentest")),
                t(format!(r#"["*.org{i}.example"]"#)),
                Value::Int(now - day),
                Value::Int(now + 90 * day),
                t(&members[i][0]),
                Value::Int(now - day),
                Value::OptInt(None),
            ]
        })
        .collect();
    insert_rows(
        &mut tx,
        "engagements",
        "id, org_id, name, targets, valid_from, valid_until, registered_by, created_at, revoked_at",
        &engagement_rows,
    )
    .await;

    // Usage: the last USAGE_DAYS days, 2% of keys a day (a different block of keys each day).
    let today = now.div_euclid(day);
    let per_day = scale.usage_per_day().min(keys.len());
    let mut usage_rows = Vec::with_capacity(per_day * USAGE_DAYS as usize);
    for d in 0..USAGE_DAYS {
        let day_text = day_string(today - d);
        for j in 0..per_day {
            let (key, org, member) = &keys[(d as usize * per_day + j) % keys.len()];
            let requests = 1 + ((j * 31 + d as usize) % 50) as i64;
            usage_rows.push(vec![
                t(&day_text),
                t(org),
                t(member),
                t(key),
                t(MODELS[(d as usize + j) % MODELS.len()]),
                t(USE_CASES[j % USE_CASES.len()]),
                Value::Int(requests),
                Value::Int(requests * 400),
                Value::Int(requests * 120),
            ]);
        }
    }
    insert_rows(
        &mut tx,
        "usage_daily",
        "day, org_id, member_id, key_id, model, use_case, requests, prompt_tokens, completion_tokens",
        &usage_rows,
    )
    .await;
    tx.commit().await.unwrap();
    pool.close().await;
    // `add_usage` keeps the per-day rollups with the rows; rows written here directly get theirs from the
    // store's own rebuild (the statements migration 0006 fills them with).
    let seeded_requests: i64 = usage_rows
        .iter()
        .map(|row| match row[6] {
            Value::Int(n) => n,
            _ => 0,
        })
        .sum();
    store.rebuild_usage_rollups().await.unwrap();

    // The store reads back what was written: a key with its member, organisation and tier, and usage.
    let (key, org, _) = &keys[keys.len() / 2];
    let record = store.lookup_key(key).await.unwrap().expect("seeded key");
    assert_eq!(&record.org.id, org);
    assert!(!store.list_evidence(&org_ids[0]).await.unwrap().is_empty());
    let total = store
        .usage_grouped(&UsageQuery::default(), &[], None)
        .await
        .unwrap();
    assert_eq!(total.rows[0].requests, seeded_requests as u64);
    assert!(
        !store
            .list_engagements(&org_ids[0], &Page::first(10))
            .await
            .unwrap()
            .data
            .is_empty()
    );

    // Review items through the store: one open item per key filed, one in five claimed.
    let mut review_ids = Vec::new();
    for n in 0..scale.tenth() {
        let (key, org, _) = &keys[n * 10 * scale.keys_per_org % keys.len()];
        let signal = Signal::policy_review(
            (now as u64 - 3600) * 1000,
            org.as_str(),
            key.as_str(),
            new_id(),
            MODELS[n % MODELS.len()],
            vec!["review-exploit-dev".into()],
            vec![USE_CASES[n % USE_CASES.len()].into()],
        );
        let (item, _) = store.file_signal(signal).await.unwrap();
        let id = item.id.simple().to_string();
        if n % 5 == 0 {
            store.claim_review(&id, "reviewer").await.unwrap();
        }
        review_ids.push(id);
    }
    Seeded {
        owners: members.iter().map(|m| m[0].clone()).collect(),
        org_ids,
        keys,
        review_ids,
    }
}

/// Enrols a console user through a one-time link (a stand-in passkey record: the store does not read it)
/// and opens a session; returns the cookie.
async fn session(
    store: &Store,
    console: &Console,
    name: &str,
    owner_of: Option<(&str, &str)>,
) -> String {
    let role = if owner_of.is_some() {
        ConsoleRole::Owner
    } else {
        ConsoleRole::Operator
    };
    let now = now_unix();
    let token = issue_enrolment(store, role, name, owner_of, "bench", now, 3600)
        .await
        .unwrap();
    let passkey_id = format!("cred-{name}");
    let user = store
        .complete_enrolment(
            &hash_token(&token),
            now,
            &passkey_id,
            "{}",
            &uuid::Uuid::new_v4().to_string(),
        )
        .await
        .unwrap();
    let token = console.sign_in(SessionUser {
        user_id: user.id,
        name: user.name,
        role: user.role,
        org_id: user.org_id,
        member_id: user.member_id,
        passkey_id,
    });
    format!("haetae_console={token}")
}

/// A finished evaluation run for `model` in the harness's log format.
fn write_run(dir: &std::path::Path, suite: &str, model: &str) -> String {
    let stat =
        serde_json::json!({"n": 200, "mean": 0.02, "stderr": 0.0, "ci_low": 0.0, "ci_high": 0.04});
    let header = serde_json::json!({
        "type": "header", "format_version": 1, "run_id": format!("run-{suite}"),
        "created": "2026-11-20T10:00:00Z", "suite": suite, "suite_path": format!("suites/{suite}.yaml"),
        "suite_hash": "ab12", "model": format!("gateway:http://127.0.0.1:8080/v1#{model}"), "grader": "mock",
        "epochs": 1, "samples": 200, "harness_version": "bench", "spec": {},
    });
    let footer = serde_json::json!({
        "type": "footer", "status": "complete", "finished": "2026-11-20T11:00:00Z", "samples_completed": 200,
        "samples_errored": 0, "samples_total": 200,
        "metrics": {"harmful_compliance": stat, "over_refusal": stat},
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}, "requests": 200,
        "cache_hits": 0, "retries": 0, "duration_s": 12.5, "samples_per_second": 16.0, "resumed_samples": 0,
    });
    let file = format!("{suite}-{model}.jsonl");
    std::fs::write(dir.join(&file), format!("{header}\n{footer}\n")).unwrap();
    file
}

struct Programme {
    app: Router,
    store: Store,
    /// (page, URI, cookie); the cookie is `None` for a public page.
    pages: Vec<(&'static str, String, Option<String>)>,
    seed_time: Duration,
    _dir: tempfile::TempDir,
}

async fn programme(url: &str, scale: Scale) -> Programme {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(url).await.unwrap();
    let started = Instant::now();
    let seeded = seed(&store, url, scale).await;
    let signer = NoteSigner::generate("bench.example/ledger").unwrap();
    let verifier = signer.verifier().to_string();
    let ledger = Ledger::open(dir.path().join("ledger"), LedgerConfig::new(signer)).unwrap();
    let recorder = Recorder::new(
        ledger,
        Arc::new(DigestKey::generate("d1").unwrap()),
        Arc::new(CommitKey::generate("c1").unwrap()),
    );
    let options = GatewayOptions {
        max_body_bytes: 64 * 1024,
        request_timeout: Duration::from_secs(30),
    };
    let state =
        AppState::new(store.clone(), Backends::default(), options).with_ledger(recorder, verifier);
    let evals = dir.path().join("evals");
    std::fs::create_dir_all(&evals).unwrap();
    let mut run_file = String::new();
    for suite in ["ko-safety", "kobbq", "click", "k-haters", "kosbi", "square"] {
        run_file = write_run(&evals, suite, "gpt-sec");
    }
    let mut config = ConsoleConfig::new("http://localhost:8080");
    config.eval_dir = evals;
    let console = Console::new(state.clone(), config, Arc::new(haetae_meter::SystemClock)).unwrap();
    let app = haetae_gateway::router(state).merge(console.router());

    let operator = session(&store, &console, "operator", None).await;
    // Owners enrolled for one organisation in ten; the bench signs in as the one of the middle organisation.
    let mid = (scale.orgs / 2) / 10 * 10;
    let mut owner = String::new();
    for i in (0..scale.orgs).step_by(10) {
        let cookie = session(
            &store,
            &console,
            &format!("owner-{i}"),
            Some((&seeded.owners[i], &seeded.org_ids[i])),
        )
        .await;
        if i == mid {
            owner = cookie;
        }
    }
    let seed_time = started.elapsed();

    let org = &seeded.org_ids[mid];
    let key_after = &seeded.keys[seeded.keys.len() / 2].0;
    let review = &seeded.review_ids[seeded.review_ids.len() / 2];
    let op = || Some(operator.clone());
    let pages = vec![
        ("overview", "/console/overview".into(), op()),
        ("orgs", "/console/orgs".into(), op()),
        (
            "orgs, a later page",
            format!("/console/orgs?after={org}"),
            op(),
        ),
        ("an organisation", format!("/console/orgs/{org}"), op()),
        ("keys", "/console/keys".into(), op()),
        (
            "keys, a later page",
            format!("/console/keys?after={key_after}"),
            op(),
        ),
        (
            "keys of an organisation",
            format!("/console/keys?org={org}"),
            op(),
        ),
        ("models", "/console/models".into(), op()),
        ("limits", "/console/limits".into(), op()),
        ("usage", "/console/usage".into(), op()),
        (
            "usage of an organisation",
            format!("/console/usage?org={org}"),
            op(),
        ),
        (
            "review queue (open)",
            "/console/reviews?state=open".into(),
            op(),
        ),
        ("review queue (all)", "/console/reviews".into(), op()),
        ("a review item", format!("/console/reviews/{review}"), op()),
        ("evaluation runs", "/console/evals".into(), op()),
        (
            "an evaluation run",
            format!("/console/evals/runs/{run_file}"),
            op(),
        ),
        (
            "release decision",
            "/console/release?model=gpt-sec".into(),
            op(),
        ),
        ("policies", "/console/policies".into(), op()),
        ("console users", "/console/people".into(), op()),
        ("ledger (public)", "/console/ledger".into(), None),
        (
            "owner: organisation",
            "/console/org".into(),
            Some(owner.clone()),
        ),
        ("owner: usage", "/console/org/usage".into(), Some(owner)),
    ];
    Programme {
        app,
        store,
        pages,
        seed_time,
        _dir: dir,
    }
}

/// Render times of one page; a page that does not answer 200 stops the bench.
async fn measure(app: &Router, uri: &str, cookie: Option<&str>) -> Vec<Duration> {
    let once = || async move {
        let mut r = Request::get(uri);
        if let Some(c) = cookie {
            r = r.header("cookie", c);
        }
        let started = Instant::now();
        let response = app
            .clone()
            .oneshot(r.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let took = started.elapsed();
        assert_eq!(
            status,
            200,
            "{uri}: {}",
            String::from_utf8_lossy(&body[..body.len().min(2000)])
        );
        took
    };
    for _ in 0..WARM_UP {
        once().await;
    }
    let mut samples = Vec::new();
    let started = Instant::now();
    while samples.len() < MAX_SAMPLES && (samples.len() < MIN_SAMPLES || started.elapsed() < BUDGET)
    {
        samples.push(once().await);
    }
    samples.sort();
    samples
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

async fn fresh_postgres(base: &str) -> (String, String) {
    use sqlx::Connection;
    let name = format!("haetae_console_bench_{}", new_id().replace('-', ""));
    let mut admin = sqlx::PgConnection::connect(base).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let (prefix, _) = base
        .rsplit_once('/')
        .expect("HAETAE_TEST_POSTGRES_URL names a database");
    (format!("{prefix}/{name}"), name)
}

async fn drop_postgres(base: &str, name: &str) {
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(base).await.unwrap();
    if let Err(e) = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
    {
        eprintln!("could not drop the bench database {name}: {e}");
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn run_backend(backend: &str, scale: Scale) {
    let baseline = Scale {
        orgs: 10,
        keys_per_org: scale.keys_per_org,
    };
    let mut programmes = Vec::new();
    let mut databases = Vec::new();
    let pg = std::env::var("HAETAE_TEST_POSTGRES_URL").ok();
    let sqlite_dir = tempfile::tempdir().unwrap();
    for (n, s) in [baseline, scale].into_iter().enumerate() {
        let url = match backend {
            "postgres" => {
                let base = pg.as_deref().expect("HAETAE_TEST_POSTGRES_URL");
                let (url, name) = fresh_postgres(base).await;
                databases.push(name);
                url
            }
            _ => format!(
                "sqlite://{}",
                sqlite_dir.path().join(format!("haetae-{n}.db")).display()
            ),
        };
        let p = programme(&url, s).await;
        eprintln!(
            "{backend}: seeded {} organisations, {} keys, {} usage rows in {:.1} s",
            s.orgs,
            s.keys(),
            s.usage_per_day() * USAGE_DAYS as usize,
            p.seed_time.as_secs_f64()
        );
        programmes.push(p);
    }
    println!();
    println!(
        "### {backend}: {} organisations, {} keys (baseline: {} organisations, {} keys)",
        scale.orgs,
        scale.keys(),
        baseline.orgs,
        baseline.keys()
    );
    println!();
    println!(
        "| page | baseline p50 ms | baseline p99 ms | at scale p50 ms | at scale p99 ms | samples | p50 ratio | p99 under 100 ms |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    let (base, big) = (&programmes[0], &programmes[1]);
    let mut over = Vec::new();
    for ((label, base_uri, base_cookie), (_, uri, cookie)) in base.pages.iter().zip(&big.pages) {
        let b = measure(&base.app, base_uri, base_cookie.as_deref()).await;
        let s = measure(&big.app, uri, cookie.as_deref()).await;
        let (b50, b99) = (percentile(&b, 0.5), percentile(&b, 0.99));
        let (s50, s99) = (percentile(&s, 0.5), percentile(&s, 0.99));
        let under = s99 < TARGET;
        if !under {
            over.push(*label);
        }
        println!(
            "| {label} | {} | {} | {} | {} | {} | {:.2} | {} |",
            ms(b50),
            ms(b99),
            ms(s50),
            ms(s99),
            s.len(),
            s50.as_secs_f64() / b50.as_secs_f64(),
            if under { "yes" } else { "**no**" }
        );
    }
    println!();
    if over.is_empty() {
        println!("Every page's p99 is under 100 ms at scale.");
    } else {
        println!("Over 100 ms at p99: {}.", over.join(", "));
    }
    for p in programmes {
        p.store.close().await;
    }
    if let Some(base) = pg.as_deref() {
        for name in databases {
            drop_postgres(base, &name).await;
        }
    }
}

fn main() {
    // `cargo bench` passes `--bench`; this harness takes no arguments of its own.
    let scale = Scale {
        orgs: env_usize("HAETAE_BENCH_ORGS", 10_000),
        keys_per_org: env_usize("HAETAE_BENCH_KEYS_PER_ORG", 10),
    };
    let backends =
        std::env::var("HAETAE_BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        sqlx::any::install_default_drivers();
        for backend in backends.split(',').map(str::trim) {
            if backend == "postgres" && std::env::var("HAETAE_TEST_POSTGRES_URL").is_err() {
                eprintln!("postgres: HAETAE_TEST_POSTGRES_URL is not set; skipped");
                continue;
            }
            run_backend(backend, scale).await;
        }
    });
}
