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
    /// The request is well-formed JSON but this backend cannot honour it.
    #[error("{0}")]
    InvalidRequest(String),
    /// The backend does not offer this operation (e.g. embeddings on a chat-only model).
    #[error("{0}")]
    Unsupported(String),
    #[error("model backend failure: {0}")]
    Internal(String),
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
