//! The library's error type. The CLI turns these into `anyhow` errors at its boundary only.

use std::path::PathBuf;

use haetae_models::BackendError;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: {message}")]
    Suite { path: PathBuf, message: String },
    /// A bad dataset row: names the file, the line (1-based, counting a CSV header as line 1) and the field.
    #[error("{path}:{line}: field '{field}': {message}")]
    Dataset {
        path: PathBuf,
        line: usize,
        field: String,
        message: String,
    },
    #[error("{0}")]
    Config(String),
    #[error("unknown {kind} '{name}' (known: {known})")]
    Unknown {
        kind: &'static str,
        name: String,
        known: String,
    },
    #[error("template error: {0}")]
    Template(String),
    #[error("model '{model}': {source}")]
    Model {
        model: String,
        #[source]
        source: BackendError,
    },
    #[error("invalid model spec '{spec}': {message}")]
    ModelSpec { spec: String, message: String },
    #[error("sandbox: {0}")]
    Sandbox(String),
    #[error("environment: {0}")]
    Environment(String),
    #[error("scorer '{scorer}': {message}")]
    Scorer { scorer: String, message: String },
    #[error("log {path}: {message}")]
    Log { path: PathBuf, message: String },
    #[error("sample timed out after {0:.1}s")]
    SampleTimeout(f64),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl EvalError {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        EvalError::Io {
            context: context.into(),
            source,
        }
    }
    pub fn config(message: impl Into<String>) -> Self {
        EvalError::Config(message.into())
    }
}

pub type Result<T, E = EvalError> = std::result::Result<T, E>;
