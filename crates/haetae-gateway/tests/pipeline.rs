//! The pipeline in process: the router on an in-memory SQLite store, a real ledger in a temporary directory and
//! scripted backends, driven with tower's `oneshot`. Table-driven: each refusal class appends exactly one
//! ledger entry, unknown and foreign engagements read the same, refusals speak the caller's language, and the
//! output check replaces a reply or cuts a stream.

// A test file: its helpers fail the test loudly, as its #[test] functions do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use haetae_core::{Quota, now_unix};
use haetae_ledger::Decision;
use haetae_models::scripted::ScriptedReply;
use haetae_store::NewEngagement;
use serde_json::{Value, json};
use support::*;
use tower::ServiceExt as _;

/// Every refusal class after authentication appends exactly one entry, a deny, whose detail is only the code.
#[tokio::test]
async fn every_refusal_class_appends_exactly_one_entry() {
    let h = harness(vec![]).await;
    let trusted = h.keys["trusted"].clone();
    let public = h.keys["public"].clone();
    let other_org = h.org_ids["other"].clone();
    let foreign = h
        .store
        .register_engagement(
            &other_org,
            &NewEngagement {
                name: "other's test".into(),
                targets: vec!["app.corp.example".into()],
                valid_from: now_unix() - 60,
                valid_until: now_unix() + 3600,
                registered_by: h.members["other"].clone(),
            },
        )
        .await
        .expect("engagement")
        .id;
    // A key allowed one request a minute, its one request spent.
    h.store
        .set_key_limits(
            &h.key_ids["rate"],
            &Quota {
                requests_per_minute: Some(1),
                ..Quota::default()
            },
        )
        .await
        .expect("rate limit");
    let (s, _, body) = send(
        &h,
        request(
            &h.keys["rate"],
            chat_body("mock-1", "hello").to_string(),
            &[],
        ),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::OK,
        "the rate-limited key's first request: {body}"
    );
    // A key whose day budget holds one "hello" (about 1,050 tokens reserved) but not one after ~500 tokens were
    // spent: refused until the day rolls over, so with a firm retry-after (a request larger than the whole
    // budget gets none: retrying never helps).
    h.store
        .set_key_limits(
            &h.key_ids["budget"],
            &Quota {
                tokens_per_day: Some(1200),
                ..Quota::default()
            },
        )
        .await
        .expect("budget");
    let spend = json!({"model": "mock-1", "max_tokens": 8,
        "messages": [{"role": "user", "content": "w ".repeat(500)}]});
    let (s, _, body) = send(&h, request(&h.keys["budget"], spend.to_string(), &[])).await;
    assert_eq!(
        s,
        StatusCode::OK,
        "the budgeted key's first request: {body}"
    );
    let big = "x".repeat(BODY_LIMIT + 1);
    let harmful_invalid =
        json!({"model": "mock-1", "messages": [{"role": "wizard", "content": HARMFUL}]});
    let cases: Vec<(&str, Request<Body>, StatusCode, Option<&str>)> = vec![
        (
            "standing",
            request(
                &h.keys["suspended"],
                chat_body("mock-1", "hello").to_string(),
                &[],
            ),
            StatusCode::FORBIDDEN,
            Some("organisation_suspended"),
        ),
        (
            "not declared as JSON",
            Request::post("/v1/chat/completions")
                .header("authorization", format!("Bearer {trusted}"))
                .header("content-type", "text/plain")
                .body(Body::from(chat_body("mock-1", "hello").to_string()))
                .expect("request"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Some("unsupported_media_type"),
        ),
        (
            "body too large",
            request(&trusted, big, &[]),
            StatusCode::PAYLOAD_TOO_LARGE,
            Some("request_too_large"),
        ),
        (
            "not JSON",
            request(&trusted, "{\"model\":", &[]),
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "invalid with a harmful prompt",
            request(&trusted, harmful_invalid.to_string(), &[]),
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "unknown use-case header",
            request(
                &trusted,
                chat_body("mock-1", "hello").to_string(),
                &[("x-haetae-use-case", "hacking")],
            ),
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "unknown model",
            request(
                &trusted,
                chat_body("no-such-model", "hello").to_string(),
                &[],
            ),
            StatusCode::NOT_FOUND,
            Some("model_not_found"),
        ),
        (
            "unknown engagement",
            request(
                &trusted,
                chat_body("mock-1", "hello").to_string(),
                &[("x-haetae-engagement", "eng_nope")],
            ),
            StatusCode::FORBIDDEN,
            Some("engagement_not_found"),
        ),
        (
            "another organisation's engagement",
            request(
                &trusted,
                chat_body("mock-1", "hello").to_string(),
                &[("x-haetae-engagement", &foreign)],
            ),
            StatusCode::FORBIDDEN,
            Some("engagement_not_found"),
        ),
        (
            "policy",
            request(&public, chat_body("mock-1", HARMFUL).to_string(), &[]),
            StatusCode::FORBIDDEN,
            Some("use_case_not_permitted"),
        ),
        (
            "rate limit",
            request(
                &h.keys["rate"],
                chat_body("mock-1", "hello").to_string(),
                &[],
            ),
            StatusCode::TOO_MANY_REQUESTS,
            Some("rate_limit_exceeded"),
        ),
        (
            "budget",
            request(
                &h.keys["budget"],
                chat_body("mock-1", "hello").to_string(),
                &[],
            ),
            StatusCode::TOO_MANY_REQUESTS,
            Some("insufficient_quota"),
        ),
    ];
    for (what, req, status, code) in cases {
        let before = h.ledger.size();
        let (s, headers, body) = send(&h, req).await;
        assert_eq!(s, status, "{what}: {body}");
        assert_eq!(body["error"]["code"].as_str(), code, "{what}: {body}");
        if status == StatusCode::TOO_MANY_REQUESTS {
            let retry: u64 = headers
                .get("retry-after")
                .unwrap_or_else(|| panic!("{what}: no retry-after"))
                .to_str()
                .expect("text")
                .parse()
                .expect("seconds");
            assert!(retry >= 1, "{what}: retry-after {retry}");
        }
        assert_eq!(h.ledger.size(), before + 1, "{what}: exactly one entry");
        let index: u64 = headers["x-haetae-ledger-index"]
            .to_str()
            .expect("text")
            .parse()
            .expect("index");
        let entry = h.ledger.entry(index).expect("entry");
        assert_eq!(entry.decision, Decision::Deny, "{what}");
        // The public entry holds no caller-supplied string.
        let bytes =
            String::from_utf8_lossy(&h.ledger.entry_bytes(index).expect("entry bytes")).to_string();
        for supplied in [
            "eng_nope",
            foreign.as_str(),
            "hacking",
            "no-such-model",
            "wizard",
            "ransomware",
        ] {
            assert!(
                !bytes.contains(supplied),
                "{what}: the entry holds '{supplied}'"
            );
        }
    }
}

/// Authentication comes first: a request with no key gets 401 whatever its media type, and (nobody being known)
/// no entry.
#[tokio::test]
async fn unauthenticated_non_json_is_401_and_unrecorded() {
    let h = harness(vec![]).await;
    for ctype in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json",
    ] {
        let before = h.ledger.size();
        let req = Request::post("/v1/chat/completions")
            .header("content-type", ctype)
            .body(Body::from(chat_body("mock-1", "hello").to_string()))
            .expect("request");
        let (s, _, body) = send(&h, req).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{ctype}: {body}");
        assert_eq!(h.ledger.size(), before, "{ctype}");
    }
}

/// Limits an operator sets on a key that has already been used (its lookup cached) apply to its next request.
#[tokio::test]
async fn key_limits_apply_to_the_next_request() {
    let h = harness(vec![]).await;
    let key = h.keys["budget"].clone();
    let hello = || request(&key, chat_body("mock-1", "hello").to_string(), &[]);
    let (s, _, body) = send(&h, hello()).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    h.store
        .set_key_limits(
            &h.key_ids["budget"],
            &Quota {
                tokens_per_day: Some(1),
                ..Quota::default()
            },
        )
        .await
        .expect("limits");
    let before = h.ledger.size();
    let (s, _, body) = send(&h, hello()).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["error"]["code"], "insufficient_quota", "{body}");
    assert_eq!(h.ledger.size(), before + 1);
}

/// An unknown engagement id and another organisation's get byte-identical answers.
#[tokio::test]
async fn unknown_and_foreign_engagements_read_the_same() {
    let h = harness(vec![]).await;
    let foreign = h
        .store
        .register_engagement(
            &h.org_ids["other"],
            &NewEngagement {
                name: "n".into(),
                targets: vec!["app.corp.example".into()],
                valid_from: now_unix() - 60,
                valid_until: now_unix() + 3600,
                registered_by: h.members["other"].clone(),
            },
        )
        .await
        .expect("engagement")
        .id;
    let mut answers = Vec::new();
    for id in ["eng_0000000000000000000000000000", foreign.as_str()] {
        let req = request(
            &h.keys["trusted"],
            chat_body("mock-1", "hello").to_string(),
            &[("x-haetae-engagement", id)],
        );
        let (s, _, body) = send(&h, req).await;
        answers.push((s, body));
    }
    assert_eq!(answers[0], answers[1]);
}

/// (what, request, status, decision recorded, error code)
type Ending = (
    &'static str,
    Request<Body>,
    StatusCode,
    Decision,
    Option<&'static str>,
);

/// Allowed calls, upstream failures and output blocks: one entry each, with the right decision.
#[tokio::test]
async fn every_ending_appends_exactly_one_entry() {
    // A defanged stand-in (working parts removed) from the mock upstream's corpus.
    let artefact = haetae_mock::artefacts::defanged_artefact("ransomware").expect("corpus sample");
    let h = harness(vec![
        ScriptedReply::Text("A summary.".into()),
        ScriptedReply::Error {
            status: 500,
            message: "boom".into(),
        },
        ScriptedReply::Text(artefact.into()),
        ScriptedReply::Text(artefact.into()),
        ScriptedReply::Text("Streamed answer here.".into()),
    ])
    .await;
    let key = h.keys["trusted"].clone();
    let stream = |text: &str| {
        json!({"model": "mock-1", "stream": true, "messages": [{"role": "user", "content": text}]})
            .to_string()
    };
    let cases: Vec<Ending> = vec![
        (
            "served",
            request(
                &key,
                chat_body("mock-1", "Summarise this report.").to_string(),
                &[],
            ),
            StatusCode::OK,
            Decision::Allow,
            None,
        ),
        (
            "upstream failed",
            request(
                &key,
                chat_body("mock-1", "Summarise this report.").to_string(),
                &[],
            ),
            StatusCode::BAD_GATEWAY,
            Decision::Allow,
            Some("upstream_error"),
        ),
        (
            "output blocked",
            request(
                &key,
                chat_body("mock-1", "Summarise this report.").to_string(),
                &[],
            ),
            StatusCode::FORBIDDEN,
            Decision::Deny,
            Some("output_blocked"),
        ),
        (
            "stream cut",
            request(&key, stream("Summarise this report."), &[]),
            StatusCode::OK,
            Decision::Deny,
            None,
        ),
        (
            "stream served",
            request(&key, stream("Summarise this report."), &[]),
            StatusCode::OK,
            Decision::Allow,
            None,
        ),
    ];
    for (what, req, status, decision, code) in cases {
        let before = h.ledger.size();
        let (s, _, body) = send(&h, req).await;
        assert_eq!(s, status, "{what}: {body}");
        if let Some(code) = code {
            assert_eq!(body["error"]["code"], code, "{what}: {body}");
        }
        assert_eq!(h.ledger.size(), before + 1, "{what}: exactly one entry");
        let entry = h.ledger.entry(before).expect("entry");
        assert_eq!(entry.decision, decision, "{what}");
        match what {
            "output blocked" | "stream cut" => {
                assert!(
                    entry
                        .policy_ids
                        .iter()
                        .any(|p| p.starts_with("output-guard.")),
                    "{what}: {:?}",
                    entry.policy_ids
                );
            }
            _ => {}
        }
        if what == "stream cut" {
            let text = body.as_str().expect("an event stream");
            assert!(text.contains("output_blocked"), "{text}");
            assert!(
                !text.contains("[DONE]"),
                "a cut stream never looks complete: {text}"
            );
        }
        if what == "stream served" {
            assert!(
                body.as_str()
                    .is_some_and(|t| t.ends_with("data: [DONE]\n\n")),
                "{body}"
            );
        }
    }
}

/// A client that hangs up before the reply (whole or streamed) still leaves exactly one entry.
#[tokio::test]
async fn a_client_hanging_up_is_recorded_once() {
    let h = harness(vec![]).await;
    for stream in [false, true] {
        let before = h.ledger.size();
        let body = json!({"model": "hang-1", "stream": stream, "messages": [{"role": "user", "content": "hello"}]});
        let call = h
            .app
            .clone()
            .oneshot(request(&h.keys["trusted"], body.to_string(), &[]));
        tokio::select! {
            r = call => panic!("the hanging backend answered: {:?}", r.map(|r| (r.status(), r.headers().clone()))),
            _ = h.called.notified() => {}
        }
        // The call future is dropped here: the client went away while the backend was working.
        ledger_reaches(&h.ledger, before + 1).await;
        // Admitted before the client left: recorded as the allowed call it was.
        let entry = h.ledger.entry(before).expect("entry");
        assert_eq!(entry.decision, Decision::Allow, "stream: {stream}");
        // Nothing else arrives for it.
        tokio::task::yield_now().await;
        assert_eq!(h.ledger.size(), before + 1);
    }
}

/// Refusals speak the caller's language: Accept-Language first, else the request's own language.
#[tokio::test]
async fn refusals_speak_the_callers_language() {
    let h = harness(vec![]).await;
    let hangul = |v: &Value| {
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)))
    };
    let cases: Vec<(&str, Request<Body>, bool)> = vec![
        ("auth, Korean header", Request::post("/v1/chat/completions").header("accept-language", "ko-KR,ko;q=0.9").body(Body::from("{}")).expect("req"), true),
        ("auth, no header", Request::post("/v1/chat/completions").body(Body::from("{}")).expect("req"), false),
        ("standing, Korean header", request(&h.keys["suspended"], chat_body("mock-1", "hello").to_string(), &[("accept-language", "ko")]), true),
        ("validation, Korean prompt", request(&h.keys["trusted"], json!({"model": "mock-1", "messages": [{"role": "wizard", "content": "로그를 분석해 주세요"}]}).to_string(), &[]), true),
        ("validation, Korean prompt, English header", request(&h.keys["trusted"], json!({"model": "mock-1", "messages": [{"role": "wizard", "content": "로그를 분석해 주세요"}]}).to_string(), &[("accept-language", "en-US")]), false),
        ("unknown model, Korean prompt", request(&h.keys["trusted"], chat_body("nope", "침해 사고 보고서를 요약해 주세요").to_string(), &[]), true),
        ("policy, English prompt", request(&h.keys["public"], chat_body("mock-1", HARMFUL).to_string(), &[]), false),
        ("policy, English prompt, Korean header", request(&h.keys["public"], chat_body("mock-1", HARMFUL).to_string(), &[("accept-language", "ko")]), true),
    ];
    for (what, req, korean) in cases {
        let (s, _, body) = send(&h, req).await;
        assert!(s.is_client_error(), "{what}: {s} {body}");
        assert_eq!(hangul(&body), korean, "{what}: {body}");
    }
}

/// The catalogue entry and the tier ladder are read through the store's generation cache (one primary-key read
/// per request for an unchanged programme): a change to either, made between two requests, is what the second
/// request is decided on. Each step sends twice, so the second answer comes from the cache.
#[tokio::test]
async fn catalogue_and_tier_changes_are_effective_on_the_next_request() {
    let h = harness(vec![]).await;
    let public = h.keys["public"].clone();
    let status = |key: String| {
        let h = &h;
        async move {
            let (s, _, body) = send(
                h,
                request(&key, chat_body("mock-1", "hello").to_string(), &[]),
            )
            .await;
            (s, body)
        }
    };
    let model = |min_tier: &str| haetae_store::NewModel {
        name: "mock-1".into(),
        backend: "scripted".into(),
        upstream_model: "upstream".into(),
        min_tier: min_tier.into(),
        description: String::new(),
    };
    for _ in 0..2 {
        let (s, body) = status(public.clone()).await;
        assert_eq!(s, StatusCode::OK, "before any change: {body}");
    }
    // The model's minimum tier rises above the caller's.
    h.store
        .upsert_model(&model("verified"))
        .await
        .expect("raise the minimum tier");
    for _ in 0..2 {
        let (s, body) = status(public.clone()).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "minimum tier raised: {body}");
    }
    // The ladder changes: `verified` now ranks below `public`, so the same entry admits the caller again.
    h.store
        .upsert_tier(&haetae_core::Tier {
            name: "verified".into(),
            rank: -5,
            description: String::new(),
        })
        .await
        .expect("re-rank a tier");
    for _ in 0..2 {
        let (s, body) = status(public.clone()).await;
        assert_eq!(s, StatusCode::OK, "tier re-ranked: {body}");
    }
    // The entry is removed, then added back.
    h.store.remove_model("mock-1").await.expect("remove");
    for _ in 0..2 {
        let (s, body) = status(public.clone()).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "model removed: {body}");
        assert_eq!(body["error"]["code"], "model_not_found", "{body}");
    }
    h.store
        .upsert_model(&model("public"))
        .await
        .expect("add back");
    let (s, body) = status(public.clone()).await;
    assert_eq!(s, StatusCode::OK, "model added back: {body}");
}
