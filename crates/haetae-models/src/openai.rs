//! An OpenAI-compatible upstream (OpenAI, vLLM, llama.cpp server, Ollama, another Haetae gateway).

use std::time::Duration;

use async_trait::async_trait;
use futures::StreamExt;
use serde_json::Value;

use crate::{Backend, BackendError, ChunkStream};

#[derive(Debug, Clone)]
pub struct OpenAiConfig {
    /// The configured backend name.
    pub name: String,
    /// Base URL including the version prefix, e.g. `http://127.0.0.1:8081/v1`.
    pub base_url: String,
    /// Bearer key sent upstream, if any. Never logged.
    pub api_key: Option<String>,
    pub connect_timeout: Duration,
    /// Longest wait for the response head, and between two chunks of a stream.
    pub read_timeout: Duration,
    /// Extra attempts when the connection itself fails (never after the upstream has seen the request body).
    pub connect_retries: u32,
}

impl OpenAiConfig {
    pub fn new(name: impl Into<String>, base_url: impl Into<String>) -> Self {
        OpenAiConfig {
            name: name.into(),
            base_url: base_url.into(),
            api_key: None,
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(120),
            connect_retries: 2,
        }
    }
}

pub struct OpenAiBackend {
    config: OpenAiConfig,
    client: reqwest::Client,
}

impl OpenAiBackend {
    pub fn new(config: OpenAiConfig) -> Result<Self, BackendError> {
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_max_idle_per_host(256)
            .tcp_nodelay(true)
            .build()
            .map_err(|e| BackendError::Internal(format!("cannot build HTTP client: {e}")))?;
        Ok(OpenAiBackend { config, client })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{}", self.config.base_url.trim_end_matches('/'), path)
    }

    /// Sends a request, retrying only when no connection could be made: a request that reached the upstream may
    /// have been acted on (and billed), so it is never sent twice.
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<reqwest::Response, BackendError> {
        let mut attempt = 0;
        loop {
            let mut req = self.client.request(method.clone(), self.url(path));
            if let Some(key) = &self.config.api_key {
                req = req.bearer_auth(key);
            }
            if let Some(body) = body {
                req = req.json(body);
            }
            match req.send().await {
                Ok(resp) => return Ok(resp),
                Err(e) if e.is_connect() && attempt < self.config.connect_retries => {
                    attempt += 1;
                    tracing::debug!(backend = %self.config.name, attempt, "upstream connect failed, retrying");
                    tokio::time::sleep(Duration::from_millis(50 * u64::from(attempt))).await;
                }
                Err(e) => return Err(classify_reqwest_error(e)),
            }
        }
    }

    async fn json_call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, BackendError> {
        let resp = self.send(method, path, body).await?;
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(classify_reqwest_error)?;
        if !status.is_success() {
            return Err(upstream_error(status.as_u16(), &bytes));
        }
        serde_json::from_slice(&bytes)
            .map_err(|e| BackendError::InvalidResponse(format!("not JSON: {e}")))
    }
}

fn classify_reqwest_error(e: reqwest::Error) -> BackendError {
    if e.is_timeout() {
        BackendError::Timeout(e.to_string())
    } else if e.is_connect() {
        BackendError::Unavailable(e.to_string())
    } else {
        BackendError::InvalidResponse(e.to_string())
    }
}

fn upstream_error(status: u16, bytes: &[u8]) -> BackendError {
    let body = serde_json::from_slice(bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()));
    BackendError::Upstream { status, body }
}

#[async_trait]
impl Backend for OpenAiBackend {
    fn name(&self) -> &str {
        &self.config.name
    }

    async fn chat(&self, body: Value) -> Result<Value, BackendError> {
        let value = self
            .json_call(reqwest::Method::POST, "chat/completions", Some(&body))
            .await?;
        if value.get("choices").is_none_or(|c| !c.is_array()) {
            return Err(BackendError::InvalidResponse(
                "chat completion without choices".into(),
            ));
        }
        Ok(value)
    }

    async fn chat_stream(&self, body: Value) -> Result<ChunkStream, BackendError> {
        let resp = self
            .send(reqwest::Method::POST, "chat/completions", Some(&body))
            .await?;
        let status = resp.status();
        if !status.is_success() {
            let bytes = resp.bytes().await.map_err(classify_reqwest_error)?;
            return Err(upstream_error(status.as_u16(), &bytes));
        }
        let mut bytes = resp.bytes_stream();
        let stream = async_stream(move |tx| async move {
            let mut parser = SseParser::default();
            while let Some(next) = bytes.next().await {
                let chunk = match next {
                    Ok(chunk) => chunk,
                    Err(e) => {
                        let _ = tx.send(Err(classify_reqwest_error(e))).await;
                        return;
                    }
                };
                for event in parser.push(&chunk) {
                    let item = match event {
                        SseData::Done => return,
                        SseData::Json(v) => Ok(v),
                        SseData::Invalid(msg) => Err(BackendError::InvalidResponse(msg)),
                    };
                    let failed = item.is_err();
                    if tx.send(item).await.is_err() || failed {
                        return;
                    }
                }
            }
            if !parser.saw_done {
                let _ = tx
                    .send(Err(BackendError::InvalidResponse(
                        "the upstream closed the stream before [DONE]".into(),
                    )))
                    .await;
            }
        });
        Ok(stream)
    }

    async fn embeddings(&self, body: Value) -> Result<Value, BackendError> {
        self.json_call(reqwest::Method::POST, "embeddings", Some(&body))
            .await
    }

    async fn list_models(&self) -> Result<Vec<String>, BackendError> {
        let value = self.json_call(reqwest::Method::GET, "models", None).await?;
        let data = value
            .get("data")
            .and_then(Value::as_array)
            .ok_or_else(|| BackendError::InvalidResponse("model list without data".into()))?;
        Ok(data
            .iter()
            .filter_map(|m| m.get("id").and_then(Value::as_str).map(str::to_owned))
            .collect())
    }
}

/// Runs a producer task feeding a bounded channel and returns the receiving side as a stream. Dropping the stream
/// closes the channel, the producer's next send fails and it stops (and with it the upstream connection).
pub(crate) fn async_stream<F, Fut>(producer: F) -> ChunkStream
where
    F: FnOnce(tokio::sync::mpsc::Sender<Result<Value, BackendError>>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel(32);
    tokio::spawn(producer(tx));
    Box::pin(futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }))
}

#[derive(Debug, PartialEq)]
pub(crate) enum SseData {
    Json(Value),
    Done,
    Invalid(String),
}

/// Incremental parser for the `data:` events of a server-sent-event stream. Written by hand because it is a few
/// lines and the crates for it are client frameworks of their own; it handles events split across network reads.
#[derive(Default)]
pub(crate) struct SseParser {
    buffer: Vec<u8>,
    data: Vec<u8>,
    saw_done: bool,
}

impl SseParser {
    pub(crate) fn push(&mut self, bytes: &[u8]) -> Vec<SseData> {
        self.buffer.extend_from_slice(bytes);
        let mut out = Vec::new();
        while let Some(pos) = self.buffer.iter().position(|&b| b == b'\n') {
            let mut line: Vec<u8> = self.buffer.drain(..=pos).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            if line.is_empty() {
                if !self.data.is_empty() {
                    let data = std::mem::take(&mut self.data);
                    if data == b"[DONE]" {
                        self.saw_done = true;
                        out.push(SseData::Done);
                    } else {
                        out.push(match serde_json::from_slice(&data) {
                            Ok(v) => SseData::Json(v),
                            Err(e) => SseData::Invalid(format!("stream event is not JSON: {e}")),
                        });
                    }
                }
            } else if let Some(rest) = line.strip_prefix(b"data:") {
                let rest = rest.strip_prefix(b" ").unwrap_or(rest);
                if !self.data.is_empty() {
                    self.data.push(b'\n');
                }
                self.data.extend_from_slice(rest);
            }
            // Comments (":"), "event:", "id:" and "retry:" lines carry nothing the OpenAI protocol uses.
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sse_events_split_across_reads_are_reassembled() {
        let mut p = SseParser::default();
        let mut events = p.push(b"data: {\"a\":");
        assert!(events.is_empty());
        events.extend(p.push(b"1}\r\n\r\n: keep-alive\n\ndata: [DONE]\n\n"));
        assert_eq!(
            events,
            vec![SseData::Json(serde_json::json!({"a":1})), SseData::Done]
        );
        assert!(p.saw_done);
    }

    #[test]
    fn invalid_event_is_reported_not_swallowed() {
        let mut p = SseParser::default();
        let events = p.push(b"data: not json\n\n");
        assert!(matches!(events.as_slice(), [SseData::Invalid(_)]));
    }
}
