//! The Responses shapes Haetae produces, kept in `tests/fixtures/responses.json` and checked from both sides:
//! here, that the translator still produces exactly the fixture from its chat inputs; in
//! `crates/haetae/tests/sdk/test_responses_fixture.py`, that every event and response in it validates against the
//! official `openai` SDK's own models. `HAETAE_BLESS=1 cargo test -p haetae-openai --test sdk_fixture` rewrites
//! the fixture after a deliberate change.

// A test file: its helpers (outside #[test] functions, which clippy.toml already allows) may fail loudly too.
#![allow(clippy::expect_used)]

use haetae_openai::translate::response_template;
use haetae_openai::{
    ChatCompletion, ResponseIds, ResponsesRequest, ResponsesStream, chat_to_response, from_value,
};
use serde_json::{Value, json};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/responses.json");

fn chunk(delta: Value, finish: Value) -> Value {
    json!({"id": "chatcmpl-B9", "object": "chat.completion.chunk", "created": 1733300000, "model": "gpt-4o-mini",
           "system_fingerprint": "fp_1", "choices": [{"index": 0, "delta": delta, "logprobs": null,
           "finish_reason": finish}]})
}

fn usage_chunk() -> Value {
    json!({"id": "chatcmpl-B9", "object": "chat.completion.chunk", "created": 1733300000, "model": "gpt-4o-mini",
           "choices": [], "usage": {"prompt_tokens": 31, "completion_tokens": 12, "total_tokens": 43,
           "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
           "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0}}})
}

fn request() -> ResponsesRequest {
    from_value(&json!({"model": "mock-1", "instructions": "You are a SOC assistant.", "input": "Triage alert 7",
        "tools": [{"type": "function", "name": "lookup_ioc", "description": "Look up an indicator",
                   "parameters": {"type": "object", "properties": {"target": {"type": "string"}}}}],
        "max_output_tokens": 256, "metadata": {"case": "IR-7"}, "stream": true}))
    .expect("request")
}

fn stream_cases() -> Vec<(&'static str, Vec<Value>)> {
    vec![
        (
            "text",
            vec![
                chunk(
                    json!({"role": "assistant", "content": "", "refusal": null}),
                    Value::Null,
                ),
                chunk(json!({"content": "The alert"}), Value::Null),
                chunk(json!({"content": " is benign."}), Value::Null),
                chunk(json!({}), json!("stop")),
                usage_chunk(),
            ],
        ),
        (
            "tool_calls",
            vec![
                chunk(json!({"role": "assistant", "content": null}), Value::Null),
                chunk(
                    json!({"tool_calls": [{"index": 0, "id": "call_Q1", "type": "function",
                    "function": {"name": "lookup_ioc", "arguments": ""}}]}),
                    Value::Null,
                ),
                chunk(
                    json!({"tool_calls": [{"index": 0, "function": {"arguments": "{\"target\":"}}]}),
                    Value::Null,
                ),
                chunk(
                    json!({"tool_calls": [{"index": 0, "function": {"arguments": "\"203.0.113.7\"}"}}]}),
                    Value::Null,
                ),
                chunk(
                    json!({"tool_calls": [{"index": 1, "id": "call_Q2", "type": "function",
                    "function": {"name": "lookup_ioc", "arguments": "{\"target\":\"evil.example\"}"}}]}),
                    Value::Null,
                ),
                chunk(json!({}), json!("tool_calls")),
                usage_chunk(),
            ],
        ),
        (
            "text_then_tool_call",
            vec![
                chunk(
                    json!({"role": "assistant", "content": "Let me check."}),
                    Value::Null,
                ),
                chunk(
                    json!({"tool_calls": [{"index": 0, "id": "call_Q3", "type": "function",
                    "function": {"name": "lookup_ioc", "arguments": "{\"target\":\"x\"}"}}]}),
                    Value::Null,
                ),
                chunk(json!({}), json!("tool_calls")),
                usage_chunk(),
            ],
        ),
        (
            "cut_off",
            vec![
                chunk(
                    json!({"role": "assistant", "content": "The alert is"}),
                    Value::Null,
                ),
                chunk(json!({}), json!("length")),
                usage_chunk(),
            ],
        ),
        (
            "refusal",
            vec![
                chunk(
                    json!({"role": "assistant", "refusal": "I can't help with that."}),
                    Value::Null,
                ),
                chunk(json!({}), json!("stop")),
            ],
        ),
    ]
}

fn completions() -> Vec<(&'static str, Value)> {
    vec![
        (
            "text",
            json!({"id": "chatcmpl-C1", "object": "chat.completion", "created": 1733300000, "model": "mock-1",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "The alert is benign.",
                "refusal": null}, "logprobs": null, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 31, "completion_tokens": 5, "total_tokens": 36}}),
        ),
        (
            "tool_calls",
            json!({"id": "chatcmpl-C2", "object": "chat.completion", "created": 1733300000, "model": "mock-1",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": null, "tool_calls": [
                {"id": "call_Q1", "type": "function", "function": {"name": "lookup_ioc",
                 "arguments": "{\"target\":\"203.0.113.7\"}"}}]}, "finish_reason": "tool_calls"}],
                "usage": {"prompt_tokens": 40, "completion_tokens": 9, "total_tokens": 49}}),
        ),
    ]
}

fn build() -> Value {
    let req = request();
    let ids = ResponseIds::from_seed("req_0193a5f0-1111-7000-8000-000000000001");
    let mut streams = serde_json::Map::new();
    for (name, chunks) in stream_cases() {
        let mut machine =
            ResponsesStream::new(response_template(&req, &ids, 1733300000), ids.clone());
        let mut events = machine.start();
        for c in &chunks {
            events.extend(machine.push_value(c).expect("chunk"));
        }
        events.extend(machine.finish());
        streams.insert(name.into(), json!({"chunks": chunks, "events": events}));
    }
    let mut failed = ResponsesStream::new(response_template(&req, &ids, 1733300000), ids.clone());
    let mut events = failed.start();
    events.extend(
        failed
            .push_value(&chunk(json!({"content": "Partial"}), Value::Null))
            .expect("chunk"),
    );
    events.extend(failed.fail("server_error", "The model backend could not be reached."));
    streams.insert("failed".into(), json!({"chunks": [], "events": events}));

    let mut responses = serde_json::Map::new();
    for (name, completion) in completions() {
        let chat: ChatCompletion = from_value(&completion).expect("completion");
        responses.insert(
            name.into(),
            json!(chat_to_response(&chat, &req, &ids, 1733300000)),
        );
    }
    json!({"streams": streams, "responses": responses})
}

#[test]
fn translator_output_matches_the_fixture() {
    let built = build();
    if std::env::var_os("HAETAE_BLESS").is_some() {
        let text = serde_json::to_string_pretty(&built).expect("ser") + "\n";
        std::fs::write(FIXTURE, text).expect("write fixture");
    }
    let stored: Value =
        serde_json::from_str(&std::fs::read_to_string(FIXTURE).expect("fixture exists"))
            .expect("fixture is JSON");
    assert_eq!(
        built, stored,
        "the translator's output changed; rerun with HAETAE_BLESS=1 if that is intended"
    );
}
