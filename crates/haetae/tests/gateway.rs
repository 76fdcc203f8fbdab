//! The gateway end to end: the real binary, on loopback, in front of the mock upstream.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use haetae_core::now_unix;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Gateway, client, mock, start_gateway};

fn chat_body(model: &str, text: &str) -> Value {
    json!({"model": model, "messages": [{"role": "system", "content": "You are a SOC assistant."}, {"role": "user", "content": text}]})
}

async fn post(
    gw: &Gateway,
    path: &str,
    key: &str,
    body: &Value,
) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    let resp = client()
        .post(format!("{}{path}", gw.base_url()))
        .bearer_auth(key)
        .json(body)
        .send()
        .await
        .expect("request");
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
        headers,
    )
}

async fn admin(
    gw: &Gateway,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = client()
        .request(method, format!("{}/admin/v1{path}", gw.root_url()))
        .bearer_auth(gw.admin_key());
    if let Some(body) = body {
        req = req.json(&body);
    }
    let resp = req.send().await.expect("admin request");
    let status = resp.status();
    let text = resp.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn assert_openai_error(body: &Value, code: Option<&str>) {
    let err = body
        .get("error")
        .unwrap_or_else(|| panic!("not an OpenAI error: {body}"));
    for field in ["message", "type", "param", "code"] {
        assert!(err.get(field).is_some(), "error lacks '{field}': {body}");
    }
    assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()));
    if let Some(code) = code {
        assert_eq!(err["code"], code, "{body}");
    }
}

/// Collects an SSE stream: the concatenated content, whether it ended with [DONE], and the usage chunk.
async fn stream_chat(
    gw: &Gateway,
    key: &str,
    mut body: Value,
) -> (String, bool, Option<Value>, Vec<Value>) {
    body["stream"] = json!(true);
    body["stream_options"] = json!({"include_usage": true});
    let resp = client()
        .post(format!("{}/chat/completions", gw.base_url()))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .expect("stream");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/event-stream")
    );
    let text = resp.text().await.expect("stream body");
    let mut content = String::new();
    let mut done = false;
    let mut usage = None;
    let mut chunks = Vec::new();
    for event in text.split("\n\n").filter(|e| !e.trim().is_empty()) {
        let data = event
            .strip_prefix("data: ")
            .unwrap_or_else(|| panic!("not an SSE data event: {event:?}"));
        if data == "[DONE]" {
            done = true;
            continue;
        }
        let chunk: Value = serde_json::from_str(data).expect("chunk JSON");
        if let Some(piece) = chunk
            .pointer("/choices/0/delta/content")
            .and_then(Value::as_str)
        {
            content.push_str(piece);
        }
        if chunk.get("usage").is_some_and(|u| !u.is_null()) {
            usage = Some(chunk["usage"].clone());
        }
        chunks.push(chunk);
    }
    (content, done, usage, chunks)
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_streaming_tools_embeddings_and_models() {
    let upstream = mock().await;
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(dir.path(), &upstream.base_url(), &[]);
    let key = gw.key("public").to_string();

    // Non-streaming.
    let (status, body, headers) = post(
        &gw,
        "/chat/completions",
        &key,
        &chat_body("mock-1", "Summarise this alert"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["object"], "chat.completion");
    assert_eq!(body["model"], "mock-1");
    let answer = body["choices"][0]["message"]["content"]
        .as_str()
        .expect("content")
        .to_string();
    assert!(answer.contains("Summarise this alert"), "{answer}");
    assert!(
        body["usage"]["total_tokens"]
            .as_u64()
            .is_some_and(|t| t > 0)
    );
    assert!(
        headers
            .get("x-request-id")
            .is_some_and(|v| v.to_str().is_ok_and(|s| s.starts_with("req_")))
    );

    // Streaming: the chunks concatenate to the non-streaming answer, end with [DONE], carry usage.
    let (content, done, usage, chunks) =
        stream_chat(&gw, &key, chat_body("mock-1", "Summarise this alert")).await;
    assert_eq!(content, answer);
    assert!(done, "stream must end with [DONE]");
    assert_eq!(usage, Some(body["usage"].clone()));
    assert!(chunks.iter().all(|c| c["model"] == "mock-1"));

    // Tools and response_format reach the upstream unchanged; tool calls come back.
    let tools = json!([{"type": "function", "function": {"name": "lookup_ioc", "description": "Look up an indicator",
                        "parameters": {"type": "object", "properties": {"target": {"type": "string"}}}}}]);
    let mut body = chat_body("mock-1", "check 203.0.113.7");
    body["tools"] = tools.clone();
    body["tool_choice"] = json!("auto");
    let (status, resp, _) = post(&gw, "/chat/completions", &key, &body).await;
    assert_eq!(status, StatusCode::OK, "{resp}");
    assert_eq!(resp["choices"][0]["finish_reason"], "tool_calls");
    assert_eq!(
        resp["choices"][0]["message"]["tool_calls"][0]["function"]["name"],
        "lookup_ioc"
    );
    let mut body = chat_body("mock-1", "give json");
    body["response_format"] = json!({"type": "json_object"});
    let (status, resp, _) = post(&gw, "/chat/completions", &key, &body).await;
    assert_eq!(status, StatusCode::OK);
    let content = resp["choices"][0]["message"]["content"]
        .as_str()
        .expect("content");
    assert!(
        serde_json::from_str::<Value>(content).is_ok_and(|v| v.is_object()),
        "{content}"
    );
    let seen = upstream.requests();
    assert!(
        seen.iter()
            .any(|r| r["tools"] == tools && r["tool_choice"] == "auto"),
        "tools must pass through"
    );
    assert!(
        seen.iter()
            .any(|r| r["response_format"]["type"] == "json_object")
    );

    // Embeddings.
    let (status, resp, _) = post(
        &gw,
        "/embeddings",
        &key,
        &json!({"model": "mock-1", "input": ["a", "b"]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{resp}");
    assert_eq!(resp["data"].as_array().map(Vec::len), Some(2));
    assert_eq!(resp["model"], "mock-1");

    // Tier filtering of /v1/models: a government-only model is invisible to public, visible to government.
    let (status, _) = admin(&gw, reqwest::Method::POST, "/models", Some(json!({"name": "gov-model", "backend": "upstream", "upstream_model": "mock-2", "min_tier": "government"}))).await;
    assert_eq!(status, StatusCode::OK);
    let list = |key: String| {
        let url = format!("{}/models", gw.base_url());
        async move {
            let v: Value = client()
                .get(url)
                .bearer_auth(key)
                .send()
                .await
                .expect("models")
                .json()
                .await
                .expect("json");
            v["data"]
                .as_array()
                .expect("data")
                .iter()
                .map(|m| m["id"].as_str().unwrap_or_default().to_string())
                .collect::<Vec<_>>()
        }
    };
    let public_models = list(key.clone()).await;
    assert!(public_models.contains(&"mock-1".to_string()));
    assert!(
        !public_models.contains(&"gov-model".to_string()),
        "{public_models:?}"
    );
    assert!(
        list(gw.key("government").to_string())
            .await
            .contains(&"gov-model".to_string())
    );
    assert!(
        !list(gw.key("trusted").to_string())
            .await
            .contains(&"gov-model".to_string())
    );

    // The tier rule refuses, and says which rule.
    let (status, resp, _) = post(
        &gw,
        "/chat/completions",
        &key,
        &chat_body("gov-model", "hi"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_openai_error(&resp, Some("tier_insufficient"));
    assert!(
        resp["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("government")
    );
    let (status, resp, _) = post(
        &gw,
        "/chat/completions",
        gw.key("government"),
        &chat_body("gov-model", "hi"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{resp}");
    assert_eq!(
        resp["model"], "gov-model",
        "callers see catalogue names, not upstream ids"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_client_error_is_an_openai_error() {
    let upstream = mock().await;
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(
        dir.path(),
        &upstream.base_url(),
        &[
            ("HAETAE_MAX_BODY_BYTES", "65536"),
            ("HAETAE_REQUEST_TIMEOUT_SECS", "1"),
        ],
    );
    let key = gw.key("public").to_string();
    let url = format!("{}/chat/completions", gw.base_url());
    let raw = |body: Vec<u8>, auth: Option<String>| {
        let url = url.clone();
        async move {
            let mut req = client()
                .post(url)
                .header("content-type", "application/json")
                .body(body);
            if let Some(a) = auth {
                req = req.header("authorization", a);
            }
            let resp = req.send().await.expect("send");
            let status = resp.status();
            assert!(
                resp.headers().contains_key("x-request-id"),
                "every response carries x-request-id"
            );
            (status, resp.json::<Value>().await.expect("JSON error body"))
        }
    };
    let good = serde_json::to_vec(&chat_body("mock-1", "hi")).expect("json");
    let bearer = Some(format!("Bearer {key}"));

    let (s, b) = raw(good.clone(), None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_openai_error(&b, Some("invalid_api_key"));
    let (s, b) = raw(
        good.clone(),
        Some("Bearer hk_AAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB".into()),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_openai_error(&b, Some("invalid_api_key"));
    // Change the secret's last character (to one it is not, or the "wrong" key would be the key itself).
    let last = if key.ends_with('x') { 'y' } else { 'x' };
    let (s, b) = raw(
        good.clone(),
        Some(format!("Bearer {}{last}", &key[..key.len() - 1])),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "a wrong secret for a real id");
    assert_openai_error(&b, Some("invalid_api_key"));
    let (s, b) = raw(good.clone(), Some(format!("Basic {key}"))).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_openai_error(&b, Some("invalid_api_key"));
    let (s, b) = raw(good.clone(), Some(format!("Bearer {}", gw.admin_key()))).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "admin keys cannot call models");
    assert_openai_error(&b, Some("invalid_api_key"));

    for body in [
        b"{not json".to_vec(),
        b"[]".to_vec(),
        vec![b'{', 0xff, 0xfe, b'}'],
        Vec::new(),
        br#"{"model": 1, "messages": []}"#.to_vec(),
        br#"{"model": "mock-1"}"#.to_vec(),
        br#"{"model": "mock-1", "messages": [{"role": "user", "content": "x"}], "stream": "yes"}"#
            .to_vec(),
    ] {
        let (s, b) = raw(body.clone(), bearer.clone()).await;
        assert_eq!(
            s,
            StatusCode::BAD_REQUEST,
            "{}",
            String::from_utf8_lossy(&body)
        );
        assert_openai_error(&b, None);
        assert_eq!(b["error"]["type"], "invalid_request_error");
    }

    let mut big = chat_body("mock-1", &"x".repeat(70_000));
    big["pad"] = json!(1);
    let (s, b) = raw(serde_json::to_vec(&big).expect("json"), bearer.clone()).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_openai_error(&b, Some("request_too_large"));

    let (s, b) = raw(
        serde_json::to_vec(&chat_body("no-such-model", "hi")).expect("json"),
        bearer.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_openai_error(&b, Some("model_not_found"));

    // Upstream failures: catalogue entries that point at the mock's injected faults.
    for (name, upstream_model, want) in [
        ("broken", "mock-error-500", StatusCode::BAD_GATEWAY),
        ("garbage", "mock-garbage", StatusCode::BAD_GATEWAY),
        ("slow", "mock-slow-5000", StatusCode::GATEWAY_TIMEOUT),
    ] {
        let (status, _) = admin(&gw, reqwest::Method::POST, "/models", Some(json!({"name": name, "backend": "upstream", "upstream_model": upstream_model, "min_tier": "public"}))).await;
        assert_eq!(status, StatusCode::OK);
        let (s, b) = raw(
            serde_json::to_vec(&chat_body(name, "hi")).expect("json"),
            bearer.clone(),
        )
        .await;
        assert_eq!(s, want, "{name}: {b}");
        assert_openai_error(&b, None);
    }
    // An upstream that goes away altogether.
    let (status, _) = admin(
        &gw,
        reqwest::Method::POST,
        "/models",
        Some(
            json!({"name": "gone", "backend": "nope", "upstream_model": "x", "min_tier": "public"}),
        ),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "unknown backends are refused at registration"
    );

    // Unknown paths and methods.
    let resp = client()
        .get(format!("{}/nothing-here", gw.base_url()))
        .send()
        .await
        .expect("404");
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_openai_error(&resp.json().await.expect("json"), None);
    let resp = client()
        .get(url.clone())
        .bearer_auth(&key)
        .send()
        .await
        .expect("405");
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_openai_error(&resp.json().await.expect("json"), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn suspension_revocation_and_expiry_take_effect_on_the_next_request() {
    let upstream = mock().await;
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(dir.path(), &upstream.base_url(), &[]);
    let body = chat_body("mock-1", "hi");

    // Revoked key.
    let verified_key = gw.key("verified").to_string();
    assert_eq!(
        post(&gw, "/chat/completions", &verified_key, &body).await.0,
        StatusCode::OK
    );
    let key_id = verified_key.split('_').nth(1).expect("id").to_string();
    let (status, _) = admin(
        &gw,
        reqwest::Method::POST,
        &format!("/keys/{key_id}/revoke"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (s, b, _) = post(&gw, "/chat/completions", &verified_key, &body).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("revoked")
    );

    // Suspended organisation.
    let trusted_key = gw.key("trusted").to_string();
    assert_eq!(
        post(&gw, "/chat/completions", &trusted_key, &body).await.0,
        StatusCode::OK
    );
    let (status, _) = admin(&gw, reqwest::Method::POST, "/orgs/Demo trusted organisation/vetting",
        Some(json!({"reviewer": "ops@kisa.example", "checked": "misuse report", "decision": "suspended", "notes": "test"}))).await;
    assert_eq!(status, StatusCode::OK);
    let (s, b, _) = post(&gw, "/chat/completions", &trusted_key, &body).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_openai_error(&b, Some("organisation_suspended"));
    let resp = client()
        .get(format!("{}/models", gw.base_url()))
        .bearer_auth(&trusted_key)
        .send()
        .await
        .expect("models");
    assert_eq!(
        resp.status(),
        StatusCode::FORBIDDEN,
        "suspension covers every endpoint"
    );

    // Expired vetting.
    let gov_key = gw.key("government").to_string();
    assert_eq!(
        post(&gw, "/chat/completions", &gov_key, &body).await.0,
        StatusCode::OK
    );
    let (status, b) = admin(&gw, reqwest::Method::POST, "/orgs/Demo government organisation/vetting",
        Some(json!({"reviewer": "ops", "checked": "renewal", "decision": "verified", "expires_at": now_unix() - 1}))).await;
    assert_eq!(status, StatusCode::OK, "{b}");
    let (s, b, _) = post(&gw, "/chat/completions", &gov_key, &body).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_openai_error(&b, Some("vetting_expired"));

    // The public organisation is untouched by all of this.
    assert_eq!(
        post(&gw, "/chat/completions", gw.key("public"), &body)
            .await
            .0,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_api_operations_and_a_second_start_reuses_the_programme() {
    let upstream = mock().await;
    let dir = tempfile::tempdir().expect("tmp");
    let mut gw = start_gateway(dir.path(), &upstream.base_url(), &[]);

    let (s, org) = admin(&gw, reqwest::Method::POST, "/orgs", Some(json!({"name": "Seoul Hospital SOC", "country": "KR", "sector": "health", "tier": "verified"}))).await;
    assert_eq!(s, StatusCode::CREATED, "{org}");
    assert_eq!(org["vetting_state"], "applied");
    let org_id = org["id"].as_str().expect("id").to_string();
    let (s, dup) = admin(
        &gw,
        reqwest::Method::POST,
        "/orgs",
        Some(json!({"name": "Seoul Hospital SOC", "country": "KR"})),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_openai_error(&dup, Some("conflict"));
    let (s, member) = admin(
        &gw,
        reqwest::Method::POST,
        &format!("/orgs/{org_id}/members"),
        Some(json!({"identity": "lee@hospital.example", "role": "analyst"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{member}");
    let (s, issued) = admin(
        &gw,
        reqwest::Method::POST,
        "/keys",
        Some(json!({"member_id": member["id"], "label": "t"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    let new_key = issued["key"].as_str().expect("key").to_string();

    // An applied (not yet verified) organisation's key is refused, then works once verified.
    let (s, b, _) = post(
        &gw,
        "/chat/completions",
        &new_key,
        &chat_body("mock-1", "hi"),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_openai_error(&b, Some("organisation_not_verified"));
    let (s, _) = admin(
        &gw,
        reqwest::Method::POST,
        &format!("/orgs/{org_id}/vetting"),
        Some(json!({"reviewer": "kim", "checked": "registry extract", "decision": "verified"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        post(
            &gw,
            "/chat/completions",
            &new_key,
            &chat_body("mock-1", "hi")
        )
        .await
        .0,
        StatusCode::OK
    );
    let (s, evidence) = admin(
        &gw,
        reqwest::Method::GET,
        &format!("/orgs/{org_id}/vetting"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(evidence["data"][0]["checked"], "registry extract");

    // Pagination.
    let (s, page) = admin(&gw, reqwest::Method::GET, "/orgs?limit=2", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(page["data"].as_array().map(Vec::len), Some(2));
    let cursor = page["next_cursor"].as_str().expect("cursor").to_string();
    let (_, page2) = admin(
        &gw,
        reqwest::Method::GET,
        &format!("/orgs?limit=2&after={cursor}"),
        None,
    )
    .await;
    assert_ne!(page["data"][0]["id"], page2["data"][0]["id"]);
    let (s, bad) = admin(&gw, reqwest::Method::GET, "/orgs?limit=abc", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_openai_error(&bad, None);

    // The admin API refuses member keys and no key.
    let resp = client()
        .get(format!("{}/admin/v1/orgs", gw.root_url()))
        .bearer_auth(gw.key("government"))
        .send()
        .await
        .expect("req");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let resp = client()
        .get(format!("{}/admin/v1/orgs", gw.root_url()))
        .send()
        .await
        .expect("req");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);

    // Operations endpoints.
    let doc: Value = client()
        .get(format!("{}/openapi.json", gw.root_url()))
        .send()
        .await
        .expect("openapi")
        .json()
        .await
        .expect("json");
    assert!(doc["paths"]["/v1/chat/completions"].is_object());
    assert!(doc["paths"]["/admin/v1/orgs"].is_object());
    assert_eq!(
        client()
            .get(format!("{}/healthz", gw.root_url()))
            .send()
            .await
            .expect("h")
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        client()
            .get(format!("{}/readyz", gw.root_url()))
            .send()
            .await
            .expect("r")
            .status(),
        StatusCode::OK
    );
    let metrics = client()
        .get(format!("{}/metrics", gw.root_url()))
        .send()
        .await
        .expect("m")
        .text()
        .await
        .expect("text");
    assert!(metrics.contains("haetae_http_requests_total"), "{metrics}");
    assert!(metrics.contains("model=\"mock-1\""));
    assert!(metrics.contains("haetae_http_request_duration_seconds_bucket"));

    // A second start with the same data directory prints the same keys, and they work.
    let first = gw.vars.clone();
    gw.stop();
    let gw2 = start_gateway(dir.path(), &upstream.base_url(), &[]);
    for k in [
        "HAETAE_ADMIN_KEY",
        "HAETAE_KEY_PUBLIC",
        "HAETAE_KEY_VERIFIED",
        "HAETAE_KEY_TRUSTED",
        "HAETAE_KEY_GOVERNMENT",
    ] {
        assert_eq!(first.get(k), gw2.vars.get(k), "{k} must be reused");
    }
    assert_eq!(
        post(
            &gw2,
            "/chat/completions",
            gw2.key("public"),
            &chat_body("mock-1", "hi")
        )
        .await
        .0,
        StatusCode::OK
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("demo-keys.json"))
            .expect("keys file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
