//! The synchronous part of the gateway's request path on arbitrary bytes: body parsing and validation
//! (`validate::parse_json`, `chat_request`, `embeddings_request`), then what the handlers do with a valid body
//! before any I/O (guard text, token estimate, outbound relabel), and the request headers the pipeline reads
//! (`Authorization`, `X-Haetae-Use-Case`, `X-Haetae-Engagement`).
//!
//! Invariant (ARCHITECTURE.md): every error a client can cause is an OpenAI-format 4xx that names the problem —
//! never a panic, never a 5xx.
//!
//! Input: the body; if it contains a 0xFF byte (never valid UTF-8, so never a valid body) the bytes after the
//! first 0xFF are split on further 0xFF bytes into header values instead.

#![no_main]

use haetae_gateway::ApiError;
use haetae_gateway::stages::{authenticate, classify, dispatch, meter};
use haetae_gateway::validate;
use http::{HeaderMap, HeaderValue, header};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn assert_client_error(e: &ApiError, what: &str) {
    assert!(
        e.status.is_client_error(),
        "{what}: status {} for client input: {e:?}",
        e.status
    );
    assert!(!e.message.trim().is_empty(), "{what}: empty message");
    let body = e.body();
    assert!(
        body.pointer("/error/message")
            .and_then(Value::as_str)
            .is_some()
            && body
                .pointer("/error/type")
                .and_then(Value::as_str)
                .is_some(),
        "{what}: not an OpenAI-format error: {body}"
    );
}

fn check_headers(values: &[&[u8]]) {
    let names = [
        header::AUTHORIZATION.as_str(),
        classify::USE_CASE_HEADER,
        classify::ENGAGEMENT_HEADER,
    ];
    let mut headers = HeaderMap::new();
    for (name, value) in names.iter().zip(values) {
        // Only what hyper would accept as a header value reaches the pipeline.
        if let Ok(v) = HeaderValue::from_bytes(value) {
            headers.insert(*name, v);
        }
    }
    match authenticate::bearer(&headers) {
        Ok(token) => {
            let _ = haetae_core::keys::ParsedKey::parse(token);
        }
        Err(e) => {
            assert_client_error(&e, "bearer");
            assert_eq!(e.status, 401);
        }
    }
    match classify::declared(&headers) {
        Ok(d) => {
            if let Some(id) = d.engagement {
                assert!(!id.is_empty() && id.len() <= 128, "engagement id {id:?}");
            }
        }
        Err(e) => {
            assert_client_error(&e, "declared");
            assert_eq!(e.status, 400);
        }
    }
}

fn check_body(data: &[u8]) {
    let body = match validate::parse_json(data) {
        Ok(b) => b,
        Err(e) => {
            assert_client_error(&e, "parse_json");
            assert_eq!(e.status, 400);
            return;
        }
    };
    match validate::chat_request(&body) {
        Ok(req) => {
            assert!(!req.model.trim().is_empty(), "accepted an empty model");
            assert!(
                body.get("messages")
                    .and_then(Value::as_array)
                    .is_some_and(|m| !m.is_empty()),
                "accepted a chat request without messages"
            );
            assert!(
                req.max_tokens.is_none_or(|m| m >= 1),
                "max_tokens 0 accepted"
            );
            let value = Value::Object(body.clone());
            let text = haetae_policy::request_text(&value);
            let estimate = meter::chat_estimate(&value, &text, req.max_tokens);
            assert!(estimate >= req.max_tokens.unwrap_or(0));
            let out = dispatch::outbound_body(value, "upstream-model");
            assert_eq!(
                out.get("model").and_then(Value::as_str),
                Some("upstream-model")
            );
        }
        Err(e) => assert_client_error(&e, "chat_request"),
    }
    match validate::embeddings_request(&body) {
        Ok(req) => {
            assert!(!req.model.trim().is_empty(), "accepted an empty model");
            let _ = classify::embeddings_text(&Value::Object(body));
        }
        Err(e) => assert_client_error(&e, "embeddings_request"),
    }
}

fuzz_target!(|data: &[u8]| {
    match data.iter().position(|&b| b == 0xff) {
        None => check_body(data),
        Some(i) => {
            check_body(&data[..i]);
            let values: Vec<&[u8]> = data[i + 1..].split(|&b| b == 0xff).take(3).collect();
            check_headers(&values);
        }
    }
});
