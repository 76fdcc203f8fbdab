//! A mock OpenAI-compatible upstream: deterministic answers, streamed chunks, tool calls, configurable latency
//! and injected faults. Tests and benchmarks use it in place of a remote provider.
//!
//! Behaviour is chosen by the `model` id the request names, so a gateway catalogue entry can point at a fault:
//! - `mock-error-<status>`: answers that HTTP status with an OpenAI-format error;
//! - `mock-garbage`: answers 200 with a body that is not JSON;
//! - `mock-reset`: streams two chunks, then drops the connection without `[DONE]`;
//! - `mock-slow-<ms>`: waits that long before answering;
//! - `mock-artefact-<name>`: answers a *defanged* malicious artefact from [`artefacts`] (`ransomware`, `stealer`,
//!   `phishing-kit`, `evasion`, `keylogger`, or a variant such as `ransomware-go`; see [`artefacts::samples`]),
//!   streamed in [`ARTEFACT_CHUNK_CHARS`]-character deltas so that its signals are split across chunks; with
//!   `tools` in the request the artefact is the first tool call's `{"code": …}` arguments, streamed the same way.
//!   These exist to exercise the gateway's output guard; none of them is a working sample;
//! - `mock-lookalike-<name>`: the same for a benign look-alike (a YARA or Sigma rule, a backup script that
//!   encrypts, a password manager export, …) that the output guard must let through;
//! - any other id: answers normally.
//!
//! A fault can also be switched on for every request at run time (`POST /mock/fault {"fault": "error-500"}`,
//! `{"fault": null}` to clear, or [`MockUpstream::set_fault`]), so a test can see a gateway recover when the
//! upstream does. The fault names are the ids above without `mock-`. With `tools` in the request it calls the first tool; with a
//!   `response_format` of `json_object`/`json_schema` the content is a JSON object.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bytes::Bytes;
use serde_json::{Value, json};

pub mod artefacts;

pub use artefacts::{ARTEFACT_KINDS, Sample, defanged_artefact, lookalike, samples};

/// Characters per streamed delta for `mock-artefact-*` and `mock-lookalike-*` answers.
pub const ARTEFACT_CHUNK_CHARS: usize = 5;

/// The corpus text a model id selects (`mock-artefact-<name>`, `mock-lookalike-<name>`).
fn corpus_text(behaviour: &str) -> Option<&'static str> {
    if let Some(name) = behaviour.strip_prefix("mock-artefact-") {
        return defanged_artefact(name);
    }
    behaviour
        .strip_prefix("mock-lookalike-")
        .and_then(lookalike)
}

/// Splits a text into deltas of `n` characters (the last may be shorter); they concatenate back to it exactly.
fn char_chunks(text: &str, n: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(n.max(1)).map(|c| c.iter().collect()).collect()
}

#[derive(Debug, Clone)]
pub struct MockConfig {
    /// Delay before every answer (the first chunk, for streams).
    pub latency: Duration,
    /// Delay between streamed chunks.
    pub chunk_delay: Duration,
    /// Ids listed by `/v1/models`.
    pub models: Vec<String>,
    /// Keep request bodies for `requests()` (off for benchmarks).
    pub record_requests: bool,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            latency: Duration::ZERO,
            chunk_delay: Duration::ZERO,
            models: vec!["mock-1".into(), "mock-2".into()],
            record_requests: true,
        }
    }
}

#[derive(Clone)]
struct MockState {
    config: Arc<MockConfig>,
    requests: Arc<Mutex<Vec<Value>>>,
    /// A fault applied to every request, as a model id would select it (`mock-error-500`, …).
    fault: Arc<Mutex<Option<String>>>,
}

impl MockState {
    fn new(config: MockConfig) -> Self {
        MockState {
            config: Arc::new(config),
            requests: Arc::new(Mutex::new(Vec::new())),
            fault: Arc::new(Mutex::new(None)),
        }
    }

    /// The id that selects the behaviour: the switched-on fault, else the model asked for.
    fn behaviour(&self, model: &str) -> String {
        self.fault
            .lock()
            .ok()
            .and_then(|f| f.clone())
            .unwrap_or_else(|| model.to_string())
    }
}

pub struct MockUpstream {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Value>>>,
    fault: Arc<Mutex<Option<String>>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl MockUpstream {
    /// Starts the mock on an ephemeral loopback port.
    pub async fn start(config: MockConfig) -> std::io::Result<Self> {
        Self::start_on(
            "127.0.0.1:0".parse().map_err(std::io::Error::other)?,
            config,
        )
        .await
    }

    pub async fn start_on(addr: SocketAddr, config: MockConfig) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let state = MockState::new(config);
        let requests = state.requests.clone();
        let fault = state.fault.clone();
        let app = router(state);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(MockUpstream {
            addr,
            requests,
            fault,
            shutdown: Some(tx),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The OpenAI base URL, e.g. `http://127.0.0.1:4242/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// Request bodies received so far.
    pub fn requests(&self) -> Vec<Value> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Switches a fault on for every request (`"error-500"`, `"garbage"`, `"reset"`, `"slow-3000"`), or off.
    pub fn set_fault(&self, fault: Option<&str>) {
        if let Ok(mut f) = self.fault.lock() {
            *f = fault.map(|f| format!("mock-{f}"));
        }
    }
}

impl Drop for MockUpstream {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub fn router_with(config: MockConfig) -> Router {
    router(MockState::new(config))
}

fn router(state: MockState) -> Router {
    Router::new()
        .route("/v1/chat/completions", post(chat))
        .route("/v1/embeddings", post(embeddings))
        .route("/v1/models", get(models))
        .route("/mock/fault", post(set_fault))
        .with_state(state)
}

async fn set_fault(State(state): State<MockState>, body: Bytes) -> Response {
    let fault = serde_json::from_slice::<Value>(&body).ok().and_then(|v| {
        v.get("fault")
            .and_then(Value::as_str)
            .map(|f| format!("mock-{f}"))
    });
    if let Ok(mut f) = state.fault.lock() {
        *f = fault.clone();
    }
    axum::Json(json!({"fault": fault})).into_response()
}

fn error(status: StatusCode, message: &str) -> Response {
    let body =
        json!({"error": {"message": message, "type": "mock_error", "param": null, "code": null}});
    (status, axum::Json(body)).into_response()
}

fn word_count(body: &Value) -> u64 {
    body.get("messages")
        .and_then(Value::as_array)
        .map(|m| {
            m.iter()
                .filter_map(|m| m.get("content").and_then(Value::as_str))
                .map(|c| c.split_whitespace().count() as u64)
                .sum()
        })
        .unwrap_or(0)
}

fn reply_text(body: &Value) -> String {
    let wants_json = matches!(
        body.pointer("/response_format/type")
            .and_then(Value::as_str),
        Some("json_object") | Some("json_schema")
    );
    if wants_json {
        return json!({"mock": true, "answer": "ok"}).to_string();
    }
    let last = body
        .get("messages")
        .and_then(Value::as_array)
        .and_then(|m| m.last())
        .and_then(|m| m.get("content"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let echo: String = last.chars().take(64).collect();
    format!("This is the mock upstream answering: {echo}")
}

/// Splits a text into pieces that concatenate back to it exactly.
fn pieces(text: &str) -> Vec<String> {
    text.split_inclusive(' ').map(str::to_owned).collect()
}

async fn chat(State(state): State<MockState>, body: Bytes) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, "mock: request body is not JSON");
    };
    if state.config.record_requests {
        if let Ok(mut r) = state.requests.lock() {
            r.push(body.clone());
        }
    }
    let model = body
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or("mock-1")
        .to_string();
    let behaviour = state.behaviour(&model);
    let mut latency = state.config.latency;
    if let Some(status) = behaviour
        .strip_prefix("mock-error-")
        .and_then(|s| s.parse::<u16>().ok())
    {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return error(status, "mock: injected failure");
    }
    if let Some(ms) = behaviour
        .strip_prefix("mock-slow-")
        .and_then(|s| s.parse::<u64>().ok())
    {
        latency += Duration::from_millis(ms);
    }
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if behaviour == "mock-garbage" {
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            "<html>not json",
        )
            .into_response();
    }
    let prompt_tokens = word_count(&body);
    let tool = body
        .pointer("/tools/0/function/name")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let corpus = corpus_text(&behaviour);
    let (message, finish, completion_tokens) = match &tool {
        Some(name) => {
            let arguments = match corpus {
                Some(text) => json!({"code": text}).to_string(),
                None => "{\"target\":\"example\"}".to_string(),
            };
            let call = json!({"id": "call_mock_0", "type": "function", "function": {"name": name, "arguments": arguments}});
            (
                json!({"role": "assistant", "content": null, "tool_calls": [call]}),
                "tool_calls",
                5u64,
            )
        }
        None => {
            let text = corpus.map_or_else(|| reply_text(&body), str::to_owned);
            let n = text.split_whitespace().count() as u64;
            (json!({"role": "assistant", "content": text}), "stop", n)
        }
    };
    let usage = json!({"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens});
    let id = "chatcmpl-mock";
    if body.get("stream").and_then(Value::as_bool) != Some(true) {
        return axum::Json(json!({
            "id": id, "object": "chat.completion", "created": 1_700_000_000, "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": usage,
        }))
        .into_response();
    }

    let include_usage = body
        .pointer("/stream_options/include_usage")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let chunk = |delta: Value, finish: Value| {
        json!({"id": id, "object": "chat.completion.chunk", "created": 1_700_000_000, "model": model,
               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
    };
    let mut events = vec![chunk(
        json!({"role": "assistant", "content": ""}),
        Value::Null,
    )];
    if let Some(text) = message.get("content").and_then(Value::as_str) {
        let parts = match corpus {
            Some(_) => char_chunks(text, ARTEFACT_CHUNK_CHARS),
            None => pieces(text),
        };
        events.extend(
            parts
                .into_iter()
                .map(|p| chunk(json!({"content": p}), Value::Null)),
        );
    }
    if let Some(calls) = message.get("tool_calls").and_then(Value::as_array) {
        let mut call = calls[0].clone();
        call["index"] = json!(0);
        match (
            corpus,
            call.pointer("/function/arguments").and_then(Value::as_str),
        ) {
            // The arguments arrive in small fragments after a first delta that names the call, as providers do.
            (Some(_), Some(arguments)) => {
                let fragments = char_chunks(arguments, ARTEFACT_CHUNK_CHARS);
                call["function"]["arguments"] = json!("");
                events.push(chunk(json!({"tool_calls": [call]}), Value::Null));
                events.extend(fragments.into_iter().map(|f| {
                    chunk(
                        json!({"tool_calls": [{"index": 0, "function": {"arguments": f}}]}),
                        Value::Null,
                    )
                }));
            }
            _ => events.push(chunk(json!({"tool_calls": [call]}), Value::Null)),
        }
    }
    events.push(chunk(json!({}), json!(finish)));
    if include_usage {
        events.push(json!({"id": id, "object": "chat.completion.chunk", "created": 1_700_000_000, "model": model, "choices": [], "usage": usage}));
    }
    let reset = behaviour == "mock-reset";
    let delay = state.config.chunk_delay;
    let stream = async_stream_events(events, delay, reset);
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Body::from_stream(stream))
        .unwrap_or_else(|_| {
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "mock: cannot build response",
            )
        })
}

fn async_stream_events(
    events: Vec<Value>,
    delay: Duration,
    reset: bool,
) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    let total = events.len();
    futures::stream::unfold(
        (events.into_iter().enumerate(), false),
        move |(mut it, done)| async move {
            if done {
                return None;
            }
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            match it.next() {
                Some((i, _)) if reset && i >= 2.min(total) => Some((
                    Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionReset,
                        "mock: injected reset",
                    )),
                    (it, true),
                )),
                Some((_, event)) => {
                    Some((Ok(Bytes::from(format!("data: {event}\n\n"))), (it, false)))
                }
                None => Some((Ok(Bytes::from_static(b"data: [DONE]\n\n")), (it, true))),
            }
        },
    )
}

async fn embeddings(State(state): State<MockState>, body: Bytes) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, "mock: request body is not JSON");
    };
    if !state.config.latency.is_zero() {
        tokio::time::sleep(state.config.latency).await;
    }
    let inputs: Vec<String> = match body.get("input") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect(),
        _ => return error(StatusCode::BAD_REQUEST, "mock: 'input' is required"),
    };
    let data: Vec<Value> = inputs
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let mut v = [0f32; 8];
            for (j, b) in text.bytes().enumerate() {
                v[j % 8] += f32::from(b) / 255.0;
            }
            json!({"object": "embedding", "index": i, "embedding": v.to_vec()})
        })
        .collect();
    let tokens: usize = inputs.iter().map(|t| t.split_whitespace().count()).sum();
    axum::Json(json!({"object": "list", "data": data, "model": body.get("model").cloned().unwrap_or(Value::Null),
                      "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}))
    .into_response()
}

async fn models(State(state): State<MockState>) -> Response {
    let data: Vec<Value> = state
        .config
        .models
        .iter()
        .map(|m| json!({"id": m, "object": "model", "created": 0, "owned_by": "mock"}))
        .collect();
    axum::Json(json!({"object": "list", "data": data})).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    async fn call(body: Value) -> (StatusCode, String) {
        let app = router_with(MockConfig::default());
        let req = Request::post("/v1/chat/completions")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("request");
        let resp = app.oneshot(req).await.expect("response");
        let status = resp.status();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    fn events(sse: &str) -> Vec<Value> {
        sse.split("\n\n")
            .filter_map(|e| e.strip_prefix("data: "))
            .filter(|d| *d != "[DONE]")
            .filter_map(|d| serde_json::from_str(d).ok())
            .collect()
    }

    #[tokio::test]
    async fn artefact_models_answer_the_corpus_whole_and_streamed() {
        for s in samples() {
            let prefix = if s.harmful {
                "mock-artefact"
            } else {
                "mock-lookalike"
            };
            let model = format!("{prefix}-{}", s.name);
            let messages = json!([{"role": "user", "content": "hi"}]);
            let (status, body) = call(json!({"model": model, "messages": messages})).await;
            assert_eq!(status, StatusCode::OK);
            let v: Value = serde_json::from_str(&body).expect("json");
            assert_eq!(
                v.pointer("/choices/0/message/content")
                    .and_then(Value::as_str),
                Some(s.text),
                "{model}"
            );

            let (_, sse) =
                call(json!({"model": model, "messages": messages, "stream": true})).await;
            assert!(sse.ends_with("data: [DONE]\n\n"));
            let deltas: Vec<String> = events(&sse)
                .iter()
                .filter_map(|e| {
                    e.pointer("/choices/0/delta/content")
                        .and_then(Value::as_str)
                })
                .map(str::to_owned)
                .collect();
            assert_eq!(deltas.concat(), s.text, "{model}");
            assert!(
                deltas
                    .iter()
                    .all(|d| d.chars().count() <= ARTEFACT_CHUNK_CHARS)
            );
            assert!(deltas.len() > 20, "{model} streamed in small chunks");
        }
    }

    #[tokio::test]
    async fn artefact_in_streamed_tool_call_arguments() {
        let text = defanged_artefact("stealer").expect("stealer");
        let body = json!({"model": "mock-artefact-stealer", "stream": true,
            "messages": [{"role": "user", "content": "hi"}],
            "tools": [{"type": "function", "function": {"name": "write_file", "parameters": {}}}]});
        let (_, sse) = call(body).await;
        let args: String = events(&sse)
            .iter()
            .filter_map(|e| {
                e.pointer("/choices/0/delta/tool_calls/0/function/arguments")
                    .and_then(Value::as_str)
            })
            .collect();
        let v: Value = serde_json::from_str(&args).expect("arguments are JSON");
        assert_eq!(v["code"].as_str(), Some(text));
    }

    #[tokio::test]
    async fn unknown_artefact_names_answer_normally() {
        let (_, body) = call(json!({"model": "mock-artefact-nope", "messages": [{"role": "user", "content": "hello"}]})).await;
        assert!(body.contains("This is the mock upstream answering: hello"));
    }
}
