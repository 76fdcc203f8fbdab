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
    #[error("model '{model}': {source}{}", upstream_detail(source))]
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

/// The OpenAI-format error an upstream (or a Haetae gateway) answered with, so a log says *why* a sample failed
/// (e.g. a gateway's policy denial and the deciding policy), not only the status.
fn upstream_detail(source: &BackendError) -> String {
    let BackendError::Upstream { body, .. } = source else {
        return String::new();
    };
    let error = &body["error"];
    match (error["message"].as_str(), error["code"].as_str()) {
        (Some(message), Some(code)) => format!(": {message} ({code})"),
        (Some(message), None) => format!(": {message}"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_errors_carry_the_upstream_message() {
        let err = EvalError::Model {
            model: "gateway:http://x/v1#m".into(),
            source: BackendError::Upstream {
                status: 403,
                body: serde_json::json!({"error": {"message": "classified as credential-theft", "code": "use_case_not_permitted"}}),
            },
        };
        assert_eq!(
            err.to_string(),
            "model 'gateway:http://x/v1#m': the model backend returned status 403: classified as credential-theft (use_case_not_permitted)"
        );
        let bare = EvalError::Model {
            model: "m".into(),
            source: BackendError::Upstream {
                status: 500,
                body: serde_json::json!("oops"),
            },
        };
        assert_eq!(
            bare.to_string(),
            "model 'm': the model backend returned status 500"
        );
    }
}
