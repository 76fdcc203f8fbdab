//! The console end to end in real headless Chromium (Debian's `chromium`, driven by Python playwright), with
//! Chromium's virtual authenticator (CDP `WebAuthn.addVirtualAuthenticator`) as the passkey: enrol from the
//! one-time link, sign out, sign in with the passkey, issue a key (shown once) and revoke it, resolve a review
//! item, enrol an owner who registers an engagement and cannot see another organisation or post with a stale
//! CSRF token, revoke that owner's passkey (which closes their session), vet an organisation, verify an inclusion
//! proof in the page, switch to Korean (`tests/browser/console_e2e.py`).
//!
//! With `CONSOLE_SCREENSHOTS=<dir>` the script also saves a screenshot of every page in English and Korean
//! there (how `docs/console/` is made: `CONSOLE_SCREENSHOTS=$PWD/docs/console cargo test -p haetae-console
//! --test browser`).
//!
//! Without `/usr/bin/chromium` or playwright the test says so loudly and passes, except under `CI=true`, where
//! it fails (.ci/run installs both).

// A test file: its helpers fail the test loudly, as its #[test] functions do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Duration;

use haetae_console::{Console, ConsoleConfig, ConsoleRole, issue_enrolment};
use haetae_core::{Role, VettingState};
use haetae_gateway::stages::record::Recorder;
use haetae_gateway::{AppState, Backends, GatewayOptions};
use haetae_ledger::{CommitKey, DigestKey, Ledger, LedgerConfig, NoteSigner};
use haetae_store::{NewEvidence, NewMember, NewOrganisation, Store};

const CHROMIUM: &str = "/usr/bin/chromium";

fn browser_available() -> bool {
    let chromium = std::path::Path::new(CHROMIUM).exists();
    let playwright = std::process::Command::new("python3")
        .args(["-c", "import playwright.sync_api"])
        .status()
        .is_ok_and(|s| s.success());
    if chromium && playwright {
        return true;
    }
    let why = format!(
        "the console's browser test needs {CHROMIUM} (apt-get install chromium) and Python playwright \
         (pip install playwright); found chromium: {chromium}, playwright: {playwright}"
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{why}");
    }
    eprintln!("\n!!!!! SKIPPED: {why} !!!!!\n");
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passkey_sign_in_and_actions_in_chromium() {
    if !browser_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite:file:console-e2e-{}?mode=memory&cache=shared",
        haetae_core::new_id()
    );
    let store = Store::connect(&url).await.expect("store");
    store.ensure_default_tiers().await.expect("tiers");
    let org = store
        .create_org(&NewOrganisation {
            name: "Busan CERT".into(),
            country: "KR".into(),
            sector: "cert".into(),
            tier: Some("trusted".into()),
        })
        .await
        .expect("org");
    store
        .record_vetting(
            &org.id,
            &NewEvidence {
                reviewer: "setup".into(),
                checked: "registry".into(),
                decision: VettingState::Verified,
                notes: String::new(),
                expires_at: None,
            },
        )
        .await
        .expect("vetting");
    let owner = store
        .add_member(
            &org.id,
            &NewMember {
                identity: "owner@busan.example".into(),
                display_name: "Owner".into(),
                role: Role::Owner,
                identity_verified: true,
            },
        )
        .await
        .expect("owner");
    let other = store
        .create_org(&NewOrganisation {
            name: "Seoul CERT".into(),
            country: "KR".into(),
            sector: "cert".into(),
            tier: Some("verified".into()),
        })
        .await
        .expect("other org");
    let evals = dir.path().join("evals");
    let now_ms = haetae_core::now_unix() as u64 * 1000;
    fill_pages(&store, &org.id, &owner.id, &other.id, &evals, now_ms).await;

    let signer = NoteSigner::generate("test.example/ledger").expect("signer");
    let verifier = signer.verifier().to_string();
    let ledger = Ledger::open(dir.path(), LedgerConfig::new(signer)).expect("ledger");
    let recorder = Recorder::new(
        ledger,
        Arc::new(DigestKey::generate("d1").expect("digest key")),
        Arc::new(CommitKey::generate("c1").expect("commit key")),
    );
    let options = GatewayOptions {
        max_body_bytes: 64 * 1024,
        request_timeout: Duration::from_secs(30),
    };
    let state =
        AppState::new(store.clone(), Backends::default(), options).with_ledger(recorder, verifier);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let origin = format!("http://localhost:{port}");
    let mut config = ConsoleConfig::new(origin.clone());
    config.eval_dir = evals;
    let console =
        Console::new(state.clone(), config, Arc::new(haetae_meter::SystemClock)).expect("console");
    let token = issue_enrolment(
        &store,
        ConsoleRole::Operator,
        "operator",
        None,
        "test",
        haetae_core::now_unix(),
        3600,
    )
    .await
    .expect("link");
    let app = haetae_gateway::router(state).merge(console.router());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(haetae_gateway::server::serve(listener, app, async {
        let _ = stopped.await;
    }));

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/console_e2e.py");
    let output = tokio::process::Command::new("python3")
        .arg(script)
        .arg(format!("{origin}/console"))
        .arg(console.enrolment_url(&token))
        .arg(&org.id)
        .arg(&other.id)
        .output()
        .await
        .expect("run the browser script");
    let _ = stop.send(());
    let _ = server.await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the browser script failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("console e2e: passed"), "{stdout}");
    let vetted = store.get_org(&org.id).await.expect("org");
    assert_eq!(vetted.vetting_state, VettingState::Suspended);
    // What the browser did is in the store: the owner's engagement (and not the one sent with a stale token),
    // the key issued and revoked, the review item resolved.
    let engagements = store
        .list_engagements(&org.id, &haetae_store::Page::first(50))
        .await
        .expect("engagements");
    let names: Vec<&str> = engagements.data.iter().map(|e| e.name.as_str()).collect();
    assert!(names.contains(&"Harbour red team"), "{names:?}");
    assert!(!names.contains(&"Stale form"), "{names:?}");
    let keys = store
        .list_keys(Some(&org.id), &haetae_store::Page::first(50))
        .await
        .expect("keys");
    assert!(
        keys.data
            .iter()
            .any(|k| k.label == "browser laptop" && k.revoked_at.is_some()),
        "{:?}",
        keys.data
    );
    let open = store
        .list_reviews(
            Some(haetae_meter::review::ReviewState::Open),
            &haetae_store::Page::first(50),
        )
        .await
        .expect("reviews");
    assert!(open.data.is_empty(), "the review item was resolved");
}

/// What the pages show beyond the two organisations: a model, a review item, usage over the last days and an
/// evaluation run (so the screenshots show real pages, and the review and release steps have something to act on).
async fn fill_pages(
    store: &Store,
    org: &str,
    owner: &str,
    other: &str,
    evals: &std::path::Path,
    now_ms: u64,
) {
    store
        .upsert_model(&haetae_store::NewModel {
            name: "gpt-sec".into(),
            backend: "mock".into(),
            upstream_model: "gpt-sec-1".into(),
            min_tier: "trusted".into(),
            description: "Security analysis model".into(),
        })
        .await
        .expect("model");
    let (key, _) = store
        .issue_key(owner, "ci runner", None)
        .await
        .expect("key");
    let key_id = key.id;
    store
        .file_signal(haetae_meter::misuse::Signal::policy_review(
            now_ms,
            org,
            &key_id,
            "req_0123456789abcdef",
            "gpt-sec",
            vec!["review.exploit".into()],
            vec!["exploit_development".into()],
        ))
        .await
        .expect("review item");
    let mut usage = Vec::new();
    for day in 0..30u64 {
        for (o, use_case, n) in [
            (org, "malware-analysis", 3 + day % 5),
            (other, "vulnerability-research", 1 + day % 3),
        ] {
            for _ in 0..n {
                usage.push(haetae_meter::usage::UsageRecord::request(
                    o,
                    owner,
                    key_id.as_str(),
                    "gpt-sec",
                    use_case,
                    now_ms - day * 86_400_000,
                    400 + day * 10,
                    120,
                ));
            }
        }
    }
    store.add_usage(&usage).await.expect("usage");
    std::fs::create_dir_all(evals).expect("evals dir");
    let stat = |mean: f64, lo: f64, hi: f64| serde_json::json!({"n": 221, "mean": mean, "stderr": 0.01, "ci_low": lo, "ci_high": hi});
    let header = serde_json::json!({
        "type": "header", "format_version": 1, "run_id": "01JD8R3KQ3", "created": "2026-12-01T09:00:00Z",
        "suite": "ko-safety", "suite_path": "suites/ko-safety/suite.yaml", "suite_hash": "9f2c41d0",
        "model": "gateway:http://127.0.0.1:8080/v1#gpt-sec", "grader": "gateway:http://127.0.0.1:8080/v1#gpt-sec",
        "epochs": 1, "samples": 221, "harness_version": env!("CARGO_PKG_VERSION"), "spec": {},
    });
    let footer = serde_json::json!({
        "type": "footer", "status": "complete", "finished": "2026-12-01T09:41:00Z", "samples_completed": 221,
        "samples_errored": 0, "samples_total": 221,
        "metrics": {"harmful_compliance": stat(0.014, 0.0, 0.032), "over_refusal": stat(0.081, 0.045, 0.118)},
        "usage": {"prompt_tokens": 90_000, "completion_tokens": 41_000, "total_tokens": 131_000},
        "requests": 442, "cache_hits": 0, "retries": 1, "duration_s": 2460.0, "samples_per_second": 0.09,
        "resumed_samples": 0,
    });
    std::fs::write(
        evals.join("ko-safety-20261201T090000.jsonl"),
        format!("{header}\n{footer}\n"),
    )
    .expect("run log");
}
