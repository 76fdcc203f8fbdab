//! Model backends behind one interface, spoken in the OpenAI wire format.
//!
//! A backend takes an OpenAI request body (`serde_json::Value`) whose `model` is already the backend's own model
//! id, and returns an OpenAI response body or a stream of `chat.completion.chunk` objects. Keeping the wire format
//! (instead of a narrower typed request) lets tools, `response_format` and future fields pass through an upstream
//! untouched, while the embedded backend reads only what it understands.
//!
//! Dropping a [`ChunkStream`] means the client went away: backends must stop work promptly when that happens.

#[cfg(feature = "embedded")]
pub mod embedded;
pub mod openai;
pub mod scripted;

use std::pin::Pin;

use futures::Stream;
use serde_json::Value;

#[cfg(feature = "embedded")]
pub use embedded::{EmbeddedBackend, EmbeddedConfig};
pub use openai::{OpenAiBackend, OpenAiConfig};
pub use scripted::ScriptedBackend;

/// Chunks of a streamed chat completion, each an OpenAI `chat.completion.chunk` object.
pub type ChunkStream = Pin<Box<dyn Stream<Item = Result<Value, BackendError>> + Send>>;

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The backend did not answer in time (connect, first byte or whole-response timeout).
    #[error("the model backend timed out: {0}")]
    Timeout(String),
    /// The backend could not be reached at all.
    #[error("the model backend could not be reached: {0}")]
    Unavailable(String),
    /// The backend answered with an error status; `body` is its (OpenAI-format, if it spoke it) error object.
    #[error("the model backend returned status {status}")]
    Upstream { status: u16, body: Value },
    /// The backend answered with something that is not the OpenAI protocol.
    #[error("the model backend sent an invalid response: {0}")]
    InvalidResponse(String),
    /// Local capacity is exhausted (e.g. the embedded model's queue is full); try again later.
    #[error("the model is busy: {message}")]
    Overloaded {
        message: String,
        retry_after_secs: u64,
    },
    /// The request is well-formed JSON but this backend cannot honour it. A refusal about one field starts by
    /// naming it, as ``"`path`: why"`` with a dotted path into the request body ([`BackendError::invalid_field`]).
    #[error("{0}")]
    InvalidRequest(String),
    /// The backend does not offer this operation (e.g. embeddings on a chat-only model).
    #[error("{0}")]
    Unsupported(String),
    #[error("model backend failure: {0}")]
    Internal(String),
}

impl BackendError {
    /// The backend cannot honour the request because of one field: `path` (dotted, into the request body).
    pub fn invalid_field(path: &str, why: impl std::fmt::Display) -> Self {
        BackendError::InvalidRequest(format!("`{path}`: {why}"))
    }

    /// The field an [`invalid_field`](BackendError::invalid_field) refusal names, in the terms of whoever sent
    /// the request before it was translated for the backend: `rename` maps the body's path to the caller's field
    /// (`None` leaves it). Every other error is returned as it is.
    pub fn rename_field(self, rename: impl FnOnce(&str) -> Option<String>) -> Self {
        let BackendError::InvalidRequest(message) = self else {
            return self;
        };
        let named = message
            .strip_prefix('`')
            .and_then(|rest| rest.split_once("`: "));
        match named.and_then(|(path, why)| Some((rename(path)?, why))) {
            Some((field, why)) => BackendError::invalid_field(&field, why),
            None => BackendError::InvalidRequest(message),
        }
    }
}

#[async_trait::async_trait]
pub trait Backend: Send + Sync {
    /// The configured name of this backend (what catalogue entries refer to).
    fn name(&self) -> &str;

    /// A non-streaming chat completion. Returns a `chat.completion` object.
    async fn chat(&self, body: Value) -> Result<Value, BackendError>;

    /// A streaming chat completion. The returned stream yields `chat.completion.chunk` objects; when the request
    /// asked for `stream_options.include_usage`, the last chunk carries `usage`.
    async fn chat_stream(&self, body: Value) -> Result<ChunkStream, BackendError>;

    /// An embeddings request. Returns a `list` of `embedding` objects.
    async fn embeddings(&self, body: Value) -> Result<Value, BackendError>;

    /// Model ids this backend serves.
    async fn list_models(&self) -> Result<Vec<String>, BackendError>;
}

#[cfg(test)]
mod tests {
    use super::BackendError;

    fn message(e: BackendError) -> String {
        match e {
            BackendError::InvalidRequest(m) => m,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_named_field_is_renamed_and_nothing_else_is_touched() {
        let to_text = |p: &str| {
            p.strip_prefix("response_format")
                .map(|r| format!("text.format{r}"))
        };
        let e = BackendError::invalid_field(
            "response_format.json_schema.schema.maximum",
            "not enforced",
        );
        assert_eq!(
            message(e.rename_field(to_text)),
            "`text.format.json_schema.schema.maximum`: not enforced"
        );
        let e = BackendError::invalid_field("messages[0]", "too long");
        assert_eq!(message(e.rename_field(to_text)), "`messages[0]`: too long");
        let e = BackendError::InvalidRequest("the prompt is 9000 tokens".into());
        assert_eq!(
            message(e.rename_field(to_text)),
            "the prompt is 9000 tokens"
        );
        let e = BackendError::Unsupported("`response_format`: no".into()).rename_field(to_text);
        assert!(matches!(e, BackendError::Unsupported(m) if m == "`response_format`: no"));
    }
}
