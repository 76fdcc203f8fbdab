//! Every decision lands in the ledger, and an outsider verifies it with `haetae audit` and nothing but the
//! gateway's URL and public key.

mod support;

use std::process::Command;

use serde_json::json;
use support::{client, mock, start_gateway};

fn audit(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_haetae"))
        .arg("audit")
        .args(args)
        .output()
        .expect("run haetae audit");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test(flavor = "multi_thread")]
async fn decisions_are_recorded_and_verifiable_from_outside() {
    let upstream = mock().await;
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(dir.path(), &upstream.base_url(), &[]);
    let root = gw.root_url();
    let key = gw.vars["HAETAE_LEDGER_KEY"].clone();
    let body = json!({"model": "mock-1", "messages": [{"role": "user", "content": "hi"}]});

    // An allowed request: its entry is durable before the response, which names its index.
    let resp = client()
        .post(format!("{}/chat/completions", gw.base_url()))
        .bearer_auth(gw.key("public"))
        .json(&body)
        .send()
        .await
        .expect("chat");
    assert_eq!(resp.status(), 200);
    let request_id = resp.headers()["x-request-id"]
        .to_str()
        .expect("id")
        .to_string();
    assert!(resp.headers().contains_key("x-haetae-ledger-index"));

    // A denial (an admin-added government model called with a public key) is recorded too.
    let added = client()
        .post(format!("{root}/admin/v1/models"))
        .bearer_auth(gw.admin_key())
        .json(&json!({"name": "gov", "backend": "upstream", "upstream_model": "mock-2", "min_tier": "government"}))
        .send()
        .await
        .expect("admin");
    assert!(
        added.headers().contains_key("x-haetae-ledger-index"),
        "admin changes are recorded"
    );
    let denied = client()
        .post(format!("{}/chat/completions", gw.base_url()))
        .bearer_auth(gw.key("public"))
        .json(&json!({"model": "gov", "messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await
        .expect("deny");
    assert_eq!(denied.status(), 403);
    let denied_id = denied.headers()["x-request-id"]
        .to_str()
        .expect("id")
        .to_string();

    // Wait for the periodic checkpoint to cover the entries.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let saved = dir.path().join("saved-checkpoint.txt");
    let saved_str = saved.to_str().expect("utf8 path");
    let (ok, text) = audit(&[
        "verify",
        "--url",
        &root,
        "--key",
        &key,
        "--checkpoint",
        saved_str,
        "--full",
    ]);
    assert!(ok, "{text}");
    assert!(text.contains("recomputed the tree from all"), "{text}");

    // More traffic, then the new checkpoint must be consistent with the saved one.
    for _ in 0..3 {
        let r = client()
            .post(format!("{}/chat/completions", gw.base_url()))
            .bearer_auth(gw.key("trusted"))
            .json(&body)
            .send()
            .await
            .expect("chat");
        assert_eq!(r.status(), 200);
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let (ok, text) = audit(&[
        "verify",
        "--url",
        &root,
        "--key",
        &key,
        "--checkpoint",
        saved_str,
    ]);
    assert!(ok, "{text}");
    assert!(
        text.contains("consistent with the saved checkpoint"),
        "{text}"
    );

    let (ok, text) = audit(&["prove", &request_id, "--url", &root, "--key", &key]);
    assert!(ok, "{text}");
    assert!(text.contains("\"decision\": \"Allow\""), "{text}");
    assert!(
        !text.contains("hi\""),
        "entries hold digests, never prompt text"
    );
    let (ok, text) = audit(&["prove", &denied_id, "--url", &root, "--key", &key]);
    assert!(ok, "{text}");
    assert!(
        text.contains("\"decision\": \"Deny\"") && text.contains("tier_insufficient"),
        "{text}"
    );

    // A different key must not verify.
    let (ok, _) = audit(&[
        "verify",
        "--url",
        &root,
        "--key",
        "other/ledger+00000000+AZq8c4QZB2cAXK0hUoXdXbSTpz4HmvkvTkg1CXHkFvJk",
    ]);
    assert!(!ok, "a checkpoint must not verify under another key");

    let (ok, text) = audit(&["show", "--url", &root, "--key", &key]);
    assert!(ok, "{text}");
    assert!(
        text.contains("chat.completions") && text.contains("Deny"),
        "{text}"
    );
}
