//! A member records a commitment to a finding (`POST /v1/findings/commitments`, what `haetae scan --ledger` calls):
//! the router on an in-memory SQLite store and a real ledger, driven with tower's `oneshot`. The entry's public part
//! holds nothing of the finding; its committed `detail` names the finding, digest, engagement and member; every
//! refusal after authentication is one entry.

// A test file: its helpers fail the test loudly, as its #[test] functions do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use axum::http::StatusCode;
use haetae_core::now_unix;
use haetae_ledger::api::{FINDING_COMMITMENTS_PATH, parse_finding_commitment};
use haetae_ledger::{Decision, EntryKind, PrivateRecord};
use haetae_store::NewEngagement;
use serde_json::{Value, json};
use support::*;

async fn engagement(h: &Harness, org: &str) -> String {
    h.store
        .register_engagement(
            &h.org_ids[org],
            &NewEngagement {
                name: format!("{org}'s audit"),
                targets: vec!["app.corp.example".into()],
                valid_from: now_unix() - 60,
                valid_until: now_unix() + 3600,
                registered_by: h.members[org].clone(),
            },
        )
        .await
        .expect("engagement")
        .id
}

fn index_of(headers: &http::HeaderMap) -> u64 {
    headers
        .get("x-haetae-ledger-index")
        .unwrap_or_else(|| panic!("no ledger index in {headers:?}"))
        .to_str()
        .expect("text")
        .parse()
        .expect("index")
}

/// The clear value of a committed field, from the ledger's private part (what an opening would disclose).
fn committed(h: &Harness, index: u64, field: &str) -> Option<String> {
    let bytes = h.ledger.private_bytes(index).expect("private");
    if bytes.is_empty() {
        return None;
    }
    let private = PrivateRecord::decode(&bytes).expect("private record");
    private
        .values
        .into_iter()
        .find(|(f, _)| f == field)
        .map(|(_, v)| v)
}

#[tokio::test]
async fn a_member_records_a_commitment_that_reveals_nothing_in_public() {
    let h = harness(vec![]).await;
    let own = engagement(&h, "trusted").await;
    let digest = "3f".repeat(32);
    let before = h.ledger.size();
    let (s, headers, body) = send(
        &h,
        post(
            FINDING_COMMITMENTS_PATH,
            &h.keys["trusted"],
            json!({"finding_id": "HS-0a1b2c3d4e5f", "digest": digest, "engagement": own})
                .to_string(),
            &[],
        ),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(h.ledger.size(), before + 1);
    let index = index_of(&headers);
    assert_eq!(body["leaf_index"].as_u64(), Some(index), "{body}");
    let request_id = body["request_id"].as_str().expect("request id");
    assert_eq!(headers["x-request-id"].to_str().expect("text"), request_id);

    let entry = h.ledger.entry(index).expect("entry");
    assert_eq!(entry.kind, EntryKind::Admin);
    assert_eq!(entry.decision, Decision::Allow);
    assert_eq!(entry.request_id, request_id);
    let public = String::from_utf8_lossy(&h.ledger.entry_bytes(index).expect("bytes")).to_string();
    for secret in [
        "HS-0a1b2c3d4e5f",
        digest.as_str(),
        own.as_str(),
        h.members["trusted"].as_str(),
        h.org_ids["trusted"].as_str(),
        "finding",
    ] {
        assert!(
            !public.contains(secret),
            "the public entry holds {secret:?}"
        );
    }
    let detail = committed(&h, index, "detail").expect("a committed detail");
    assert_eq!(
        parse_finding_commitment(&detail),
        Some(("HS-0a1b2c3d4e5f", digest.as_str())),
        "{detail}"
    );
    assert!(detail.contains(&format!("engagement {own}")), "{detail}");
    assert!(detail.contains(&h.members["trusted"]), "{detail}");

    // Without an engagement, the same (a scan need not run under one).
    let (s, _, body) = send(
        &h,
        post(
            FINDING_COMMITMENTS_PATH,
            &h.keys["public"],
            json!({"finding_id": "HS-2", "digest": digest}).to_string(),
            &[],
        ),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn every_refused_commitment_is_one_entry_and_records_no_finding() {
    let h = harness(vec![]).await;
    let foreign = engagement(&h, "other").await;
    let digest = "3f".repeat(32);
    let body = |v: Value| v.to_string();
    let trusted = h.keys["trusted"].clone();
    let cases: Vec<(&str, &str, String, StatusCode, Option<&str>)> = vec![
        (
            "a suspended organisation",
            &h.keys["suspended"],
            body(json!({"finding_id": "HS-1", "digest": digest})),
            StatusCode::FORBIDDEN,
            None,
        ),
        (
            "another organisation's engagement",
            &trusted,
            body(json!({"finding_id": "HS-1", "digest": digest, "engagement": foreign})),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "an unknown engagement",
            &trusted,
            body(json!({"finding_id": "HS-1", "digest": digest, "engagement": "eng_nope"})),
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "a digest that is not SHA-256 hex",
            &trusted,
            body(json!({"finding_id": "HS-1", "digest": "3F".repeat(32)})),
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "a finding id with spaces",
            &trusted,
            body(json!({"finding_id": "HS 1 ransomware", "digest": digest})),
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "an unknown field",
            &trusted,
            body(json!({"finding_id": "HS-1", "digest": digest, "repository": "wizard"})),
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "a body that is not JSON",
            &trusted,
            "finding HS-1".to_string(),
            StatusCode::BAD_REQUEST,
            None,
        ),
    ];
    for (what, key, req, status, code) in cases {
        let before = h.ledger.size();
        let (s, headers, answer) = send(&h, post(FINDING_COMMITMENTS_PATH, key, req, &[])).await;
        assert_eq!(s, status, "{what}: {answer}");
        if let Some(code) = code {
            assert_eq!(
                answer["error"]["code"].as_str(),
                Some(code),
                "{what}: {answer}"
            );
        }
        assert_eq!(h.ledger.size(), before + 1, "{what}: exactly one entry");
        let index = index_of(&headers);
        let entry = h.ledger.entry(index).expect("entry");
        assert_eq!(entry.decision, Decision::Deny, "{what}");
        let public =
            String::from_utf8_lossy(&h.ledger.entry_bytes(index).expect("bytes")).to_string();
        for supplied in [
            "HS-1",
            "HS 1",
            "eng_nope",
            foreign.as_str(),
            "wizard",
            "ransomware",
        ] {
            assert!(
                !public.contains(supplied),
                "{what}: the entry holds {supplied:?}"
            );
        }
        let detail = committed(&h, index, "detail").unwrap_or_default();
        assert_eq!(
            parse_finding_commitment(&detail),
            None,
            "{what}: a refusal commits to no finding"
        );
    }
    // An engagement of the other organisation and one that does not exist read the same.
    assert_eq!(
        engagement_refusal(&h, &trusted, &digest, &foreign).await,
        engagement_refusal(&h, &trusted, &digest, "eng_nope").await
    );
}

/// The message a commitment naming `engagement` is refused with, the engagement's id blanked.
async fn engagement_refusal(h: &Harness, key: &str, digest: &str, engagement: &str) -> String {
    let req = post(
        FINDING_COMMITMENTS_PATH,
        key,
        json!({"finding_id": "HS-1", "digest": digest, "engagement": engagement}).to_string(),
        &[],
    );
    let (_, _, body) = send(h, req).await;
    body["error"]["message"]
        .as_str()
        .expect("a message")
        .replace(engagement, "…")
}
