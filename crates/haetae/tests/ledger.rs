//! Every decision lands in the ledger, and an outsider verifies it with `haetae audit` and nothing but the
//! gateway's URL and public key.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use serde_json::json;
use support::{audit, checkpoint_covering, client, ledger_index, mock, start_gateway};

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
    let denied_at = ledger_index(denied.headers());
    let denied_id = denied.headers()["x-request-id"]
        .to_str()
        .expect("id")
        .to_string();

    // The periodic checkpoint must cover the entries.
    checkpoint_covering(&root, denied_at).await;
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
    let mut last = denied_at;
    for _ in 0..3 {
        let r = client()
            .post(format!("{}/chat/completions", gw.base_url()))
            .bearer_auth(gw.key("trusted"))
            .json(&body)
            .send()
            .await
            .expect("chat");
        assert_eq!(r.status(), 200);
        last = ledger_index(r.headers());
    }
    checkpoint_covering(&root, last).await;
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

/// The public ledger proves without revealing: through the real gateway, an organisation with a distinctive name,
/// an engagement with distinctive targets, caller-chosen header values, paths, model names and a member-API
/// denial all leave entries, and none of those strings is in any served entry tile. An organisation commitment
/// opens to a named auditor (recorded), verifies from outside, and a tampered opening does not.
#[tokio::test(flavor = "multi_thread")]
async fn public_tiles_reveal_no_names_targets_or_caller_text() {
    use support::{admin, chat, member_key, verified_org};
    const ORG_NAME: &str = "Qzx Vormund Redteam Org";
    const TARGET: &str = "qzx-target-7741.example.kr";
    const CALLER: &str = "qzx-caller-text-5529";
    let upstream = mock().await;
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(dir.path(), &upstream.base_url(), &[]);
    let root = gw.root_url();
    let log_key = gw.vars["HAETAE_LEDGER_KEY"].clone();

    let org = verified_org(&gw, ORG_NAME, "trusted").await;
    let (owner_id, owner) = member_key(&gw, &org, "owner@qzx.example", "owner").await;
    let (_, analyst) = member_key(&gw, &org, "analyst@qzx.example", "analyst").await;
    // Engagements, by the admin API and by the owner.
    let until = haetae_core::now_unix() + 3600;
    let (s, b) = admin(
        &gw,
        reqwest::Method::POST,
        &format!("/orgs/{org}/engagements"),
        Some(json!({"name": CALLER, "targets": [TARGET], "valid_from": haetae_core::now_unix(), "valid_until": until, "registered_by": owner_id})),
    )
    .await;
    assert!(s.is_success(), "{b}");
    let r = client()
        .post(format!("{}/engagements", gw.base_url()))
        .bearer_auth(&owner)
        .json(&json!({"name": CALLER, "targets": [format!("app.{TARGET}")], "valid_until": until}))
        .send()
        .await
        .expect("register");
    assert!(
        r.status().is_success(),
        "{}",
        r.text().await.unwrap_or_default()
    );
    // Caller text in headers, the model field and the path; an allowed request; a member-API Cedar denial.
    let (s, _, _) = chat(
        &gw,
        &analyst,
        "mock-1",
        "hi",
        &[("x-haetae-engagement", CALLER)],
    )
    .await;
    assert!(s.is_client_error(), "an unknown engagement is refused");
    let (s, _, _) = chat(&gw, &analyst, CALLER, "hi", &[]).await;
    assert!(s.is_client_error());
    let (s, _, h) = chat(&gw, &analyst, "mock-1", "hi", &[]).await;
    assert_eq!(s, 200);
    let allowed = h["x-request-id"].to_str().expect("id").to_string();
    let r = client()
        .post(format!("{}/engagements/{CALLER}/revoke", gw.base_url()))
        .bearer_auth(&analyst)
        .send()
        .await
        .expect("revoke");
    assert_eq!(r.status(), 403, "an analyst may not manage engagements");
    assert!(
        r.headers().contains_key("x-haetae-ledger-index"),
        "member-API denials are recorded"
    );

    // Open the allowed request's organisation to an auditor, and check it from outside.
    let opening = dir.path().join("opening.json");
    let (ok, open_text) = audit(&[
        "open",
        &allowed,
        "--field",
        "org",
        "--auditor",
        "qzx auditor",
        "--url",
        &root,
        "--admin-key",
        gw.admin_key(),
        "--out",
        opening.to_str().expect("utf8"),
    ]);
    assert!(ok, "{open_text}");
    assert!(open_text.contains(&org), "{open_text}");
    let (ok, text) = audit(&[
        "verify-opening",
        opening.to_str().expect("utf8"),
        "--url",
        &root,
        "--key",
        &log_key,
    ]);
    assert!(ok, "{text}");
    assert!(text.contains("is in the log"), "{text}");
    let mut forged: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&opening).expect("read")).expect("json");
    forged["value"] = json!("org-someone-else");
    let forged_path = dir.path().join("forged.json");
    std::fs::write(&forged_path, forged.to_string()).expect("write");
    let (ok, text) = audit(&["verify-opening", forged_path.to_str().expect("utf8")]);
    assert!(!ok, "a wrong value must not verify: {text}");

    // Every served entry tile, once a checkpoint covers the opening: none of the names, targets or caller text.
    let opened_at: u64 = open_text
        .rsplit("ledger entry ")
        .next()
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(0);
    let size = checkpoint_covering(&root, opened_at).await;
    assert!(opened_at >= 8, "{open_text}");
    let mut public = Vec::new();
    for n in 0..size.div_ceil(256) {
        let width = (size - n * 256).min(256);
        let path = if width == 256 {
            format!("{root}/ledger/tile/entries/{n:03}")
        } else {
            format!("{root}/ledger/tile/entries/{n:03}.p/{width}")
        };
        let r = client().get(path).send().await.expect("tile");
        assert_eq!(r.status(), 200);
        public.extend_from_slice(&r.bytes().await.expect("bytes"));
    }
    let public = String::from_utf8_lossy(&public).to_lowercase();
    for secret in [
        ORG_NAME,
        &org,
        TARGET,
        CALLER,
        "owner@qzx.example",
        "qzx auditor",
        &owner_id,
    ] {
        assert!(
            !public.contains(&secret.to_lowercase()),
            "{secret:?} is in a public entry tile"
        );
    }
    assert!(
        public.contains("opened entry"),
        "the opening is itself recorded"
    );
}
