//! Coordinated disclosure end to end: `haetae scan` (through a real gateway whose upstream is the scripted model, the
//! real pipeline on the c-greet fixture) verifies a finding and records its commitment in the gateway's ledger under
//! the member's key; the public entry reveals nothing
//! of it; `haetae audit disclose` opens it, and `haetae audit verify-disclosure` checks the bundle against the log
//! from outside, refusing a tampered one. Needs `cc` with AddressSanitizer, `make` and `git`, as the scan's own
//! end-to-end tests do.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::Path;

use haetae_scan::scripted::c_greet;
use serde_json::{Value, json};
use support::{eventually, start_gateway};

async fn haetae(dir: &Path, key: &str, args: &[&str]) -> (bool, String) {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_haetae"))
        .args(args)
        .env("HAETAE_LOG", "warn")
        .env("SCAN_TEST_KEY", key)
        .env_remove("HAETAE_CONFIG")
        .current_dir(dir)
        .output()
        .await
        .expect("run haetae");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Registers an engagement for the demo `trusted` organisation (through the admin API); returns its id.
async fn register_engagement(gw: &support::Gateway) -> String {
    let now = haetae_core::now_unix();
    let http = reqwest::Client::new();
    let org = format!("{}/admin/v1/orgs/Demo trusted organisation", gw.root_url());
    // Only an organisation's owners register its engagements; the demo members are analysts.
    let owner: Value = http
        .post(format!("{org}/members"))
        .bearer_auth(gw.admin_key())
        .json(&json!({
            "identity": "owner@trusted.example",
            "display_name": "Owner",
            "role": "owner",
            "identity_verified": true,
        }))
        .send()
        .await
        .expect("admin API")
        .json()
        .await
        .expect("json");
    let member = owner["id"]
        .as_str()
        .unwrap_or_else(|| panic!("the owner: {owner}"));
    let resp = http
        .post(format!("{org}/engagements"))
        .bearer_auth(gw.admin_key())
        .json(&json!({
            "name": "greet audit",
            "targets": ["app.corp.example"],
            "valid_from": now - 60,
            "valid_until": now + 3600,
            "registered_by": member,
        }))
        .send()
        .await
        .expect("admin API");
    let status = resp.status();
    let body: Value = resp.json().await.expect("json");
    assert_eq!(status, reqwest::StatusCode::CREATED, "{body}");
    body["id"].as_str().expect("engagement id").to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_finding_committed_in_the_ledger_is_disclosed_and_verified_with_haetae_audit() {
    // The scripted model is the gateway's upstream: the scan reaches it only through the gateway, as a member would.
    let (model_url, _script) = haetae_scan::scripted::serve(c_greet::rules(c_greet::GOOD_PATCH))
        .await
        .expect("scripted model");
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(dir.path(), &model_url, &[]);
    let root = gw.root_url();
    let log_key = gw.vars["HAETAE_LEDGER_KEY"].clone();
    let engagement = register_engagement(&gw).await;

    // Discovery: the scan verifies the strcpy overflow and records its commitment through the gateway, under the
    // member's key and engagement.
    let out = dir.path().join("scan-out");
    let fixture = c_greet::fixture();
    let (ok, text) = haetae(
        dir.path(),
        gw.key("trusted"),
        &[
            "scan",
            fixture.to_str().expect("utf8"),
            "--gateway",
            gw.base_url(),
            "--model",
            "scripted",
            "--api-key-env",
            "SCAN_TEST_KEY",
            "--engagement",
            &engagement,
            "--out",
            out.to_str().expect("utf8"),
            "--maintainer",
            "security@example.org",
            "--ledger",
        ],
    )
    .await;
    assert!(ok, "{text}");
    let report: Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).expect("report"))
            .expect("json");
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{text}");
    let id = findings[0]["id"].as_str().expect("id").to_string();
    let embargo_path = out.join(format!("disclosure/{id}.embargo.json"));
    let opening_path = out.join(format!("disclosure/{id}.opening.json"));
    let embargo: Value =
        serde_json::from_slice(&std::fs::read(&embargo_path).expect("embargo")).expect("json");
    let request_id = embargo["ledger_request_id"]
        .as_str()
        .expect("the embargo names its ledger entry")
        .to_string();
    let digest = embargo["commitment"]["digest"]
        .as_str()
        .expect("digest")
        .to_string();

    // The entry is in the log (provable once a checkpoint covers it); the public entry holds commitments only.
    let proved = proved(dir.path(), &root, &log_key, &request_id).await;
    for secret in [
        id.as_str(),
        digest.as_str(),
        "greet",
        "CWE",
        "scan",
        engagement.as_str(),
        "example.org",
        "Demo trusted",
    ] {
        assert!(
            !proved.contains(secret),
            "the public entry reveals {secret:?}: {proved}"
        );
    }
    assert!(proved.contains("\"detail\""), "{proved}");

    // Disclosure: an administrator opens the entry; the gateway records the opening in the ledger.
    let bundle_path = dir.path().join("bundle.json");
    let (ok, text) = haetae(
        dir.path(),
        "",
        &[
            "audit",
            "disclose",
            "--embargo",
            embargo_path.to_str().expect("utf8"),
            "--opening",
            opening_path.to_str().expect("utf8"),
            "--out",
            bundle_path.to_str().expect("utf8"),
            "--url",
            &root,
            "--admin-key",
            gw.admin_key(),
        ],
    )
    .await;
    assert!(ok, "{text}");
    let disclosed: Value =
        serde_json::from_slice(&std::fs::read(&embargo_path).expect("embargo")).expect("json");
    assert!(disclosed["disclosed_at"].is_string());

    // Anyone verifies the bundle with the log's URL and key (once a checkpoint covers the disclosure entry).
    let verify = |path: std::path::PathBuf| {
        let (dir, root, key) = (dir.path().to_path_buf(), root.clone(), log_key.clone());
        async move {
            haetae(
                &dir,
                "",
                &[
                    "audit",
                    "verify-disclosure",
                    path.to_str().expect("utf8"),
                    "--url",
                    &root,
                    "--key",
                    &key,
                ],
            )
            .await
        }
    };
    let verified = eventually("the disclosure to verify", || {
        let v = verify(bundle_path.clone());
        async move {
            let (ok, text) = v.await;
            ok.then_some(text)
        }
    })
    .await;
    assert!(verified.contains(&format!("finding {id}")), "{verified}");
    assert!(verified.contains("CWE-121 at greet.c:8"), "{verified}");
    assert!(
        verified.contains(&format!("engagement {engagement}")),
        "{verified}"
    );

    // Tampered bundles fail: another finding text, another digest in the opened entry, another disclosure entry.
    let bundle: Value =
        serde_json::from_slice(&std::fs::read(&bundle_path).expect("bundle")).expect("json");
    let canonical = bundle["opening"]["canonical"].as_str().expect("canonical");
    let tampers: Vec<(&str, Value)> = vec![
        ("a moved finding", {
            let mut b = bundle.clone();
            b["opening"]["canonical"] =
                json!(canonical.replace("\"start_line\":8", "\"start_line\":9"));
            b
        }),
        ("another digest in the opened entry", {
            let mut b = bundle.clone();
            let value = b["ledger_opening"]["value"].as_str().expect("value");
            b["ledger_opening"]["value"] = json!(value.replace(&digest, &"0".repeat(64)));
            b
        }),
        ("the commitment entry passed off as its disclosure", {
            let mut b = bundle.clone();
            b["disclosure_request_id"] = json!(request_id);
            b
        }),
    ];
    for (what, tampered) in tampers {
        let path = dir.path().join("tampered.json");
        std::fs::write(&path, tampered.to_string()).expect("write");
        let (ok, text) = verify(path).await;
        assert!(!ok, "{what} must not verify: {text}");
        assert!(
            text.contains("DISCLOSURE DOES NOT VERIFY"),
            "{what}: {text}"
        );
    }
}

/// Scans queued with `--maintainer --ledger` record their commitments when a worker runs them: through the
/// worker's gateway, under its key and engagement, each provable in the log.
#[tokio::test(flavor = "multi_thread")]
async fn queued_scans_record_their_commitments_through_the_workers_gateway() {
    let (model_url, _script) = haetae_scan::scripted::serve(c_greet::rules(c_greet::GOOD_PATCH))
        .await
        .expect("scripted model");
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(dir.path(), &model_url, &[]);
    let root = gw.root_url();
    let log_key = gw.vars["HAETAE_LEDGER_KEY"].clone();
    let engagement = register_engagement(&gw).await;
    let queue = format!("sqlite://{}", dir.path().join("queue.db").display());
    let fixture = c_greet::fixture();
    let (ok, text) = haetae(
        dir.path(),
        "",
        &[
            "scan-queue",
            "add",
            fixture.to_str().expect("utf8"),
            "--maintainer",
            "security@example.org",
            "--ledger",
            "--queue",
            &queue,
        ],
    )
    .await;
    assert!(ok, "{text}");
    let job = text
        .split_whitespace()
        .next()
        .expect("the job id")
        .to_string();
    let out = dir.path().join("queue-out");
    let (ok, text) = haetae(
        dir.path(),
        gw.key("trusted"),
        &[
            "scan-queue",
            "work",
            "--queue",
            &queue,
            "--gateway",
            gw.base_url(),
            "--model",
            "scripted",
            "--api-key-env",
            "SCAN_TEST_KEY",
            "--engagement",
            &engagement,
            "--out",
            out.to_str().expect("utf8"),
        ],
    )
    .await;
    assert!(ok, "{text}");
    let disclosure = out.join(&job).join("disclosure");
    let embargoes: Vec<_> = std::fs::read_dir(&disclosure)
        .unwrap_or_else(|e| panic!("{}: {e}; worker said: {text}", disclosure.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".embargo.json"))
        .collect();
    assert_eq!(embargoes.len(), 1, "{text}");
    let embargo: Value =
        serde_json::from_slice(&std::fs::read(embargoes[0].path()).expect("embargo"))
            .expect("json");
    let request_id = embargo["ledger_request_id"]
        .as_str()
        .expect("the embargo names its ledger entry")
        .to_string();
    proved(dir.path(), &root, &log_key, &request_id).await;
}

/// `haetae audit prove`'s output for the entry of `request_id`, once a checkpoint covers it.
async fn proved(dir: &Path, root: &str, log_key: &str, request_id: &str) -> String {
    eventually("the commitment in the ledger", || async move {
        let (ok, text) = haetae(
            dir,
            "",
            &[
                "audit", "prove", request_id, "--url", root, "--key", log_key,
            ],
        )
        .await;
        ok.then_some(text)
    })
    .await
}
