//! A small, fast OpenAI-compatible mock server for benchmarks and demos.
//!
//! `cargo run --release -p haetae-eval --example mock_openai -- --port 8099 --latency-ms 0`
//!
//! `/v1/chat/completions` answers `ANSWER: <letter>` for multiple-choice prompts (the letter is a hash of the last
//! user message, so answers are deterministic and about a quarter are right), and echoes a short text otherwise.
//! `/v1/models` lists `mock-model`. Every reply carries usage.

use std::hash::{Hash, Hasher};
use std::time::Duration;

use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut port = 8099u16;
    let mut latency_ms = 0u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--port" => port = args.next().ok_or("--port needs a value")?.parse()?,
            "--latency-ms" => {
                latency_ms = args.next().ok_or("--latency-ms needs a value")?.parse()?
            }
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let app = Router::new()
        .route("/v1/models", get(|| async { Json(json!({"object": "list", "data": [{"id": "mock-model", "object": "model", "owned_by": "haetae"}]})) }))
        .route(
            "/v1/chat/completions",
            post(move |Json(body): Json<Value>| async move {
                if latency_ms > 0 {
                    tokio::time::sleep(Duration::from_millis(latency_ms)).await;
                }
                Json(reply(&body))
            }),
        );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    eprintln!("mock OpenAI server on http://127.0.0.1:{port}/v1");
    axum::serve(listener, app).await?;
    Ok(())
}

fn reply(body: &Value) -> Value {
    let last = body
        .get("messages")
        .and_then(Value::as_array)
        .and_then(|m| m.iter().rev().find(|m| m["role"] == "user"))
        .and_then(|m| m.get("content"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    last.hash(&mut h);
    let text = if last.contains("ANSWER: $LETTER") {
        format!(
            "ANSWER: {}",
            ["A", "B", "C", "D"][(h.finish() % 4) as usize]
        )
    } else {
        "The answer is 4.".to_owned()
    };
    let prompt_tokens = last.split_whitespace().count();
    json!({
        "id": format!("chatcmpl-{:016x}", h.finish()),
        "object": "chat.completion",
        "created": 0,
        "model": body.get("model").cloned().unwrap_or(json!("mock-model")),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": 2, "total_tokens": prompt_tokens + 2}
    })
}
