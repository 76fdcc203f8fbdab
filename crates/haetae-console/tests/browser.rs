//! The console end to end in real headless Chromium (Debian's `chromium`, driven by Python playwright), with
//! Chromium's virtual authenticator (CDP `WebAuthn.addVirtualAuthenticator`) as the passkey: enrol from the
//! one-time link, sign out, sign in with the passkey, vet an organisation, verify an inclusion proof in the
//! page, switch to Korean (`tests/browser/console_e2e.py`).
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
    store
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
    let console = Console::new(
        state.clone(),
        ConsoleConfig::new(origin.clone()),
        Arc::new(haetae_meter::SystemClock),
    )
    .expect("console");
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
}
