//! `/v1/responses` in process: the router on an in-memory SQLite store, a real ledger and a scripted backend
//! (`support`). Answers are Responses objects or events and recorded under their own action; refusals name the
//! Responses field the caller sent, including a backend's refusal of the chat request it was translated into.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use axum::http::StatusCode;
use haetae_ledger::Decision;
use haetae_models::scripted::ScriptedReply;
use haetae_openai::SequencedEvent;
use serde_json::{Value, json};
use support::*;

async fn respond(h: &Harness, key: &str, body: &Value) -> (StatusCode, http::HeaderMap, String) {
    send_text(h, post("/v1/responses", key, body.to_string(), &[])).await
}

/// The events of a Responses stream, checking the framing: `event:` names the data's `type`.
fn events(text: &str) -> Vec<SequencedEvent> {
    text.split("\n\n")
        .filter(|f| !f.is_empty())
        .map(|frame| {
            let mut lines = frame.lines();
            let kind = lines
                .next()
                .and_then(|l| l.strip_prefix("event: "))
                .expect("event line");
            let data = lines
                .next()
                .and_then(|l| l.strip_prefix("data: "))
                .expect("data line");
            let event: SequencedEvent = serde_json::from_str(data).expect("a Responses event");
            assert_eq!(event.kind(), kind);
            event
        })
        .collect()
}

#[tokio::test]
async fn served_answers_are_responses_and_recorded_as_such() {
    let h = harness(vec![
        ScriptedReply::Text("The alert is benign.".into()),
        ScriptedReply::Text("Streamed summary of the alert.".into()),
        ScriptedReply::ToolCalls(vec![(
            "lookup_ioc".into(),
            json!({"target": "203.0.113.7"}),
        )]),
        ScriptedReply::ToolCalls(vec![(
            "lookup_ioc".into(),
            json!({"target": "203.0.113.7"}),
        )]),
    ])
    .await;
    let key = h.keys["trusted"].clone();
    let tools = json!([{"type": "function", "name": "lookup_ioc",
        "parameters": {"type": "object", "properties": {"target": {"type": "string"}}}}]);
    let cases = [
        (
            "plain",
            json!({"model": "mock-1", "instructions": "Be brief.", "input": "Triage alert 7",
            "metadata": {"case": "IR-7"}, "max_output_tokens": 100}),
        ),
        (
            "streamed",
            json!({"model": "mock-1", "input": "Triage alert 7", "stream": true}),
        ),
        (
            "tools",
            json!({"model": "mock-1", "input": [{"role": "user", "content": [
            {"type": "input_text", "text": "Look up 203.0.113.7"}]}], "tools": tools}),
        ),
        (
            "tools streamed",
            json!({"model": "mock-1", "input": "Look up 203.0.113.7", "tools": tools,
            "stream": true}),
        ),
    ];
    for (i, (what, body)) in cases.into_iter().enumerate() {
        let before = h.ledger.size();
        let (status, headers, text) = respond(&h, &key, &body).await;
        assert_eq!(status, StatusCode::OK, "{what}: {text}");
        let response: haetae_openai::ResponseObject = if body["stream"] == json!(true) {
            assert_eq!(headers["content-type"], "text/event-stream", "{what}");
            assert!(
                !text.contains("[DONE]"),
                "{what}: Responses streams have no [DONE]"
            );
            let events = events(&text);
            let numbers: Vec<u64> = events.iter().map(|e| e.sequence_number).collect();
            assert_eq!(
                numbers,
                (0..events.len() as u64).collect::<Vec<_>>(),
                "{what}"
            );
            assert_eq!(events[0].kind(), "response.created", "{what}");
            match events.last().map(|e| e.event.clone()) {
                Some(haetae_openai::ResponseStreamEvent::Completed { response }) => response,
                other => panic!("{what}: ended with {other:?}"),
            }
        } else {
            assert!(headers.contains_key("x-haetae-ledger-index"), "{what}");
            serde_json::from_str(&text).expect("a response object")
        };
        assert_eq!(response.status, "completed", "{what}");
        assert_eq!(
            response.model, "mock-1",
            "{what}: the catalogue name, not the upstream id"
        );
        assert!(response.id.starts_with("resp_"), "{what}");
        assert!(
            response.usage.as_ref().is_some_and(|u| u.total_tokens > 0),
            "{what}: usage"
        );
        if what.starts_with("tools") {
            let v = serde_json::to_value(&response.output).expect("ser");
            assert_eq!(v[0]["type"], "function_call", "{what}: {v}");
            assert_eq!(v[0]["name"], "lookup_ioc", "{what}");
            let args: Value = serde_json::from_str(v[0]["arguments"].as_str().expect("arguments"))
                .expect("arguments are JSON");
            assert_eq!(args, json!({"target": "203.0.113.7"}), "{what}");
        } else {
            assert!(
                response.output_text().contains("summary")
                    || response.output_text().contains("benign"),
                "{what}: {}",
                response.output_text()
            );
        }
        // The backend was asked in the chat format.
        let sent = &h.backend.requests()[i];
        assert!(sent.get("input").is_none(), "{what}: {sent}");
        assert_eq!(
            sent["messages"].as_array().map(Vec::len),
            Some(if what == "plain" { 2 } else { 1 }),
            "{what}: {sent}"
        );
        if what.starts_with("tools") {
            assert_eq!(
                sent["tools"][0]["function"]["name"], "lookup_ioc",
                "{what}: {sent}"
            );
        }
        if what == "plain" {
            assert_eq!(
                sent["messages"][0],
                json!({"role": "system", "content": "Be brief."})
            );
            assert_eq!(sent["max_tokens"], 100);
            assert_eq!(response.metadata.get("case"), Some(&json!("IR-7")));
        }
        // One ledger entry, under its own action.
        assert_eq!(h.ledger.size(), before + 1, "{what}");
        let entry = h.ledger.entry(before).expect("entry");
        assert_eq!(entry.decision, Decision::Allow, "{what}");
        assert_eq!(entry.action, "responses", "{what}");
    }
}

#[tokio::test]
async fn refusals_name_the_field_and_are_recorded() {
    let h = harness(vec![]).await;
    let trusted = h.keys["trusted"].clone();
    let public = h.keys["public"].clone();
    let cases: [(&str, &str, Value, StatusCode, Option<&str>); 6] = [
        (
            "no input",
            &trusted,
            json!({"model": "mock-1"}),
            StatusCode::BAD_REQUEST,
            Some("input"),
        ),
        (
            "stored state",
            &trusted,
            json!({"model": "mock-1", "input": "x", "previous_response_id": "resp_1"}),
            StatusCode::BAD_REQUEST,
            Some("previous_response_id"),
        ),
        (
            "built-in tool",
            &trusted,
            json!({"model": "mock-1", "input": "x", "tools": [{"type": "web_search"}]}),
            StatusCode::BAD_REQUEST,
            Some("tools[0].type"),
        ),
        (
            "bad item",
            &trusted,
            json!({"model": "mock-1", "input": [{"role": "user", "content": "a"},
            {"role": "user", "content": [{"type": "input_text", "text": 5}]}]}),
            StatusCode::BAD_REQUEST,
            Some("input[1].content"),
        ),
        (
            "unknown model",
            &trusted,
            json!({"model": "nope", "input": "x"}),
            StatusCode::NOT_FOUND,
            None,
        ),
        // The guard reads the translated conversation: a tool's output is text it classifies too.
        (
            "policy sees items",
            &public,
            json!({"model": "mock-1", "input": [
            {"role": "user", "content": "Summarise the tool output."},
            {"type": "function_call", "call_id": "c1", "name": "fetch", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "c1", "output": HARMFUL}]}),
            StatusCode::FORBIDDEN,
            None,
        ),
    ];
    for (what, key, body, status, param) in cases {
        let before = h.ledger.size();
        let (s, _, text) = respond(&h, key, &body).await;
        assert_eq!(s, status, "{what}: {text}");
        let error: Value = serde_json::from_str(&text).expect("an OpenAI error body");
        if let Some(param) = param {
            assert_eq!(error["error"]["param"], param, "{what}: {text}");
        }
        assert_eq!(h.ledger.size(), before + 1, "{what}: exactly one entry");
        let entry = h.ledger.entry(before).expect("entry");
        assert_eq!(entry.decision, Decision::Deny, "{what}");
        assert_eq!(entry.action, "responses", "{what}");
    }
    assert!(
        h.backend.requests().is_empty(),
        "nothing refused reached the backend"
    );
}

/// A backend's refusal of one field of the translated chat request (the embedded model's schema check) names
/// the field the caller sent: `text.format…` on the Responses API, `response_format…` on chat, whole or streamed.
#[tokio::test]
async fn a_backend_refusing_the_schema_names_the_field_the_caller_sent() {
    let h = harness(vec![]).await;
    let key = h.keys["trusted"].clone();
    let schema =
        json!({"type": "object", "properties": {"n": {"type": "number", "multipleOf": 0.5}}});
    for stream in [false, true] {
        let body = json!({"model": "strict-1", "input": "How many?", "stream": stream,
            "text": {"format": {"type": "json_schema", "name": "count", "schema": schema}}});
        let before = h.ledger.size();
        let (s, _, text) = respond(&h, &key, &body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "stream {stream}: {text}");
        let error: Value = serde_json::from_str(&text).expect("an OpenAI error body");
        let message = error["error"]["message"].as_str().expect("message");
        assert!(
            message.contains("`text.format.schema.properties.n.multipleOf`"),
            "stream {stream}: {message}"
        );
        assert!(!message.contains("response_format"), "{message}");
        assert_eq!(h.ledger.size(), before + 1, "stream {stream}: one entry");
        assert_eq!(h.ledger.entry(before).expect("entry").action, "responses");
    }
    let chat = json!({"model": "strict-1", "messages": [{"role": "user", "content": "How many?"}],
        "response_format": {"type": "json_schema", "json_schema": {"name": "count", "schema": schema}}});
    let (s, _, body) = send(&h, request(&key, chat.to_string(), &[])).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["error"]["message"].as_str().is_some_and(
            |m| m.contains("`response_format.json_schema.schema.properties.n.multipleOf`")
        ),
        "{body}"
    );
    // A schema the backend can enforce is served.
    let fine = json!({"model": "strict-1", "input": "How many?",
        "text": {"format": {"type": "json_schema", "name": "count", "schema": {"type": "object"}}}});
    let (s, _, text) = respond(&h, &key, &fine).await;
    assert_eq!(s, StatusCode::OK, "{text}");
}
