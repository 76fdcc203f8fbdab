//! A scripted model for tests: it answers from a list of prepared replies, in order, and records what it was
//! asked. It speaks the same wire format as real backends, streaming included, so code under test cannot tell.

use std::collections::VecDeque;
use std::sync::Mutex;

use async_trait::async_trait;
use serde_json::{Value, json};

use crate::{Backend, BackendError, ChunkStream};

/// One prepared reply.
#[derive(Debug, Clone)]
pub enum ScriptedReply {
    /// An assistant message with this text.
    Text(String),
    /// An assistant message calling tools: (name, JSON arguments) pairs.
    ToolCalls(Vec<(String, Value)>),
    /// An error the backend returns instead of answering.
    Error { status: u16, message: String },
}

pub struct ScriptedBackend {
    name: String,
    model: String,
    replies: Mutex<VecDeque<ScriptedReply>>,
    /// Replies when the script is exhausted; `None` makes an exhausted script an error.
    fallback: Option<ScriptedReply>,
    requests: Mutex<Vec<Value>>,
}

impl ScriptedBackend {
    pub fn new(model: impl Into<String>, replies: impl IntoIterator<Item = ScriptedReply>) -> Self {
        let model = model.into();
        ScriptedBackend {
            name: "scripted".into(),
            model,
            replies: Mutex::new(replies.into_iter().collect()),
            fallback: None,
            requests: Mutex::new(Vec::new()),
        }
    }

    /// Always answers with `reply` once the script runs out.
    pub fn with_fallback(mut self, reply: ScriptedReply) -> Self {
        self.fallback = Some(reply);
        self
    }

    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Every request body received so far, in order.
    pub fn requests(&self) -> Vec<Value> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    fn next_reply(&self, body: &Value) -> Result<ScriptedReply, BackendError> {
        if let Ok(mut requests) = self.requests.lock() {
            requests.push(body.clone());
        }
        let next = self.replies.lock().ok().and_then(|mut r| r.pop_front());
        next.or_else(|| self.fallback.clone())
            .ok_or_else(|| BackendError::Internal("the scripted model has no reply left".into()))
    }

    fn prompt_tokens(body: &Value) -> u64 {
        // A stand-in token count (words) so usage is plausible and deterministic.
        body.get("messages")
            .and_then(Value::as_array)
            .map(|msgs| {
                msgs.iter()
                    .filter_map(|m| m.get("content").and_then(Value::as_str))
                    .map(|c| c.split_whitespace().count() as u64)
                    .sum()
            })
            .unwrap_or(0)
    }

    fn message_and_finish(reply: &ScriptedReply) -> (Value, &'static str) {
        match reply {
            ScriptedReply::Text(text) => (json!({"role": "assistant", "content": text}), "stop"),
            ScriptedReply::ToolCalls(calls) => {
                let calls: Vec<Value> = calls
                    .iter()
                    .enumerate()
                    .map(|(i, (name, args))| {
                        json!({"id": format!("call_{i}"), "type": "function",
                               "function": {"name": name, "arguments": args.to_string()}})
                    })
                    .collect();
                (
                    json!({"role": "assistant", "content": null, "tool_calls": calls}),
                    "tool_calls",
                )
            }
            ScriptedReply::Error { .. } => (Value::Null, "stop"),
        }
    }
}

fn completion_tokens(message: &Value) -> u64 {
    let text = message
        .get("content")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let calls = message
        .get("tool_calls")
        .map(|c| c.to_string())
        .unwrap_or_default();
    (text.split_whitespace().count() + calls.split_whitespace().count()) as u64
}

#[async_trait]
impl Backend for ScriptedBackend {
    fn name(&self) -> &str {
        &self.name
    }

    async fn chat(&self, body: Value) -> Result<Value, BackendError> {
        let reply = self.next_reply(&body)?;
        if let ScriptedReply::Error { status, message } = &reply {
            return Err(BackendError::Upstream {
                status: *status,
                body: json!({"error": {"message": message}}),
            });
        }
        let (message, finish) = Self::message_and_finish(&reply);
        let prompt = Self::prompt_tokens(&body);
        let completion = completion_tokens(&message);
        Ok(json!({
            "id": format!("chatcmpl-{}", uuid::Uuid::new_v4().simple()),
            "object": "chat.completion",
            "created": 0,
            "model": self.model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
        }))
    }

    async fn chat_stream(&self, body: Value) -> Result<ChunkStream, BackendError> {
        let full = self.chat(body.clone()).await?;
        let include_usage = body
            .pointer("/stream_options/include_usage")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let id = full["id"].clone();
        let message = full["choices"][0]["message"].clone();
        let finish = full["choices"][0]["finish_reason"].clone();
        let chunk = |delta: Value, finish: Value| {
            json!({"id": id, "object": "chat.completion.chunk", "created": 0, "model": self.model,
                   "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
        };
        let mut chunks = vec![chunk(
            json!({"role": "assistant", "content": ""}),
            Value::Null,
        )];
        if let Some(text) = message.get("content").and_then(Value::as_str) {
            // Split after each space so the pieces concatenate back to the exact text.
            for piece in text.split_inclusive(' ') {
                chunks.push(chunk(json!({"content": piece}), Value::Null));
            }
        }
        if let Some(calls) = message.get("tool_calls").and_then(Value::as_array) {
            let indexed: Vec<Value> = calls
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let mut c = c.clone();
                    c["index"] = json!(i);
                    c
                })
                .collect();
            chunks.push(chunk(json!({"tool_calls": indexed}), Value::Null));
        }
        chunks.push(chunk(json!({}), finish));
        if include_usage {
            chunks.push(json!({"id": id, "object": "chat.completion.chunk", "created": 0, "model": self.model,
                               "choices": [], "usage": full["usage"].clone()}));
        }
        Ok(Box::pin(futures::stream::iter(chunks.into_iter().map(Ok))))
    }

    async fn embeddings(&self, body: Value) -> Result<Value, BackendError> {
        // Deterministic toy vectors derived from the input text, so tests can compare them.
        let inputs: Vec<String> = match body.get("input") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => {
                return Err(BackendError::InvalidRequest(
                    "'input' must be a string or an array of strings".into(),
                ));
            }
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
        Ok(json!({"object": "list", "data": data, "model": self.model,
                  "usage": {"prompt_tokens": inputs.len(), "total_tokens": inputs.len()}}))
    }

    async fn list_models(&self) -> Result<Vec<String>, BackendError> {
        Ok(vec![self.model.clone()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    #[tokio::test]
    async fn replies_in_order_and_streams_concatenate() {
        let backend = ScriptedBackend::new("m", [ScriptedReply::Text("hello there world".into())])
            .with_fallback(ScriptedReply::Text("again".into()));
        let body = json!({"model": "m", "messages": [{"role": "user", "content": "hi"}],
                          "stream_options": {"include_usage": true}});
        let mut stream = backend.chat_stream(body.clone()).await.expect("stream");
        let mut text = String::new();
        let mut saw_usage = false;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.expect("chunk");
            if let Some(piece) = chunk
                .pointer("/choices/0/delta/content")
                .and_then(Value::as_str)
            {
                text.push_str(piece);
            }
            saw_usage |= chunk.get("usage").is_some();
        }
        assert_eq!(text, "hello there world");
        assert!(saw_usage);
        let again = backend.chat(body).await.expect("fallback");
        assert_eq!(again["choices"][0]["message"]["content"], "again");
        assert_eq!(backend.requests().len(), 2);
    }

    #[tokio::test]
    async fn exhausted_script_is_an_error() {
        let backend = ScriptedBackend::new("m", []);
        assert!(backend.chat(json!({"messages": []})).await.is_err());
    }
}
