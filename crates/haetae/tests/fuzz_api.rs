//! Property test: arbitrary bodies and headers thrown at the running gateway never get a 5xx (or a panic).

mod support;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use support::{mock, start_gateway};

fn arb_path() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("/v1/chat/completions"),
        Just("/v1/embeddings"),
        Just("/v1/models"),
        Just("/admin/v1/orgs"),
        Just("/admin/v1/keys"),
        Just("/admin/v1/models"),
        Just("/admin/v1/tiers/x"),
    ]
}

fn arb_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        ".{0,200}".prop_map(String::into_bytes),
        (".{0,20}", proptest::collection::vec(".{0,20}", 0..3), any::<bool>(), any::<i64>()).prop_map(|(model, msgs, stream, n)| {
            let messages: Vec<serde_json::Value> = msgs.into_iter().map(|c| serde_json::json!({"role": "user", "content": c})).collect();
            serde_json::to_vec(&serde_json::json!({"model": model, "messages": messages, "stream": stream, "max_tokens": n,
                                                    "input": "x", "name": model, "country": "KR", "rank": n, "member_id": "m"}))
            .unwrap_or_default()
        }),
        Just(br#"{"model":"mock-1","messages":[{"role":"user","content":"hi"}]}"#.to_vec()),
    ]
}

fn arb_header_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(
            any::<u8>().prop_filter("header byte", |b| *b == b'\t' || (*b >= 0x20 && *b != 0x7f)),
            0..80
        ),
        Just(b"Bearer ".to_vec()),
        "hk_[A-Za-z0-9]{12}_[A-Za-z0-9]{32}".prop_map(|s| format!("Bearer {s}").into_bytes()),
    ]
}

#[test]
fn arbitrary_requests_never_get_a_server_error() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let upstream = rt.block_on(mock());
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(dir.path(), &upstream.base_url(), &[]);
    let root = gw.root_url();
    let good_key = gw.key("public").to_string();
    let admin_key = gw.admin_key().to_string();
    let client = reqwest::Client::new();

    let cases = std::env::var("HAETAE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(128);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        arb_path(),
        arb_body(),
        arb_header_value(),
        arb_header_value(),
        0u8..4,
        any::<bool>(),
    );
    let result = runner.run(
        &strategy,
        |(path, body, auth, content_type, auth_kind, post)| {
            let mut req = if post {
                client.post(format!("{root}{path}"))
            } else {
                client.get(format!("{root}{path}"))
            };
            req = match auth_kind {
                0 => req.header("authorization", format!("Bearer {good_key}")),
                1 => req.header("authorization", format!("Bearer {admin_key}")),
                2 => match reqwest::header::HeaderValue::from_bytes(&auth) {
                    Ok(v) => req.header("authorization", v),
                    Err(_) => req,
                },
                _ => req,
            };
            if let Ok(v) = reqwest::header::HeaderValue::from_bytes(&content_type) {
                req = req.header("content-type", v);
            }
            let resp = rt
                .block_on(req.body(body).send())
                .map_err(|e| TestCaseError::fail(format!("transport: {e}")))?;
            let status = resp.status();
            let has_id = resp.headers().contains_key("x-request-id");
            let text = rt.block_on(resp.text()).unwrap_or_default();
            prop_assert!(
                !status.is_server_error(),
                "{} {} -> {} {}",
                if post { "POST" } else { "GET" },
                path,
                status,
                text
            );
            prop_assert!(has_id);
            if status.is_client_error() {
                let v: serde_json::Value = serde_json::from_str(&text)
                    .map_err(|_| TestCaseError::fail(format!("non-JSON error: {text}")))?;
                prop_assert!(v["error"]["message"].is_string(), "{}", text);
            }
            Ok(())
        },
    );
    if let Err(e) = result {
        panic!("{e}");
    }
    drop(gw);
}
