//! Errors in the OpenAI form `{"error":{"message","type","param","code"}}`, with the status that goes with them.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub code: Option<String>,
    pub param: Option<String>,
    pub message: String,
    pub retry_after_secs: Option<u32>,
    /// Extra response headers (`x-ratelimit-*` on refusals by the meter or earlier stages).
    pub headers: Box<[(&'static str, String)]>,
}

impl ApiError {
    pub(crate) fn new(
        status: StatusCode,
        kind: &'static str,
        code: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            kind,
            code: code.map(str::to_owned),
            param: None,
            message: message.into(),
            retry_after_secs: None,
            headers: Box::default(),
        }
    }

    pub fn with_param(mut self, param: impl Into<String>) -> Self {
        self.param = Some(param.into());
        self
    }

    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            None,
            message,
        )
    }

    pub fn invalid_api_key(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            Some("invalid_api_key"),
            message,
        )
    }

    /// A refusal. `code` names the rule that refused, so the caller (and their administrator) can act on it.
    pub fn permission_denied(code: &str, message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "permission_denied",
            Some(code),
            message,
        )
    }

    pub fn model_not_found(model: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            Some("model_not_found"),
            format!("The model '{model}' does not exist or you do not have access to it."),
        )
        .with_param("model")
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            Some("not_found"),
            message,
        )
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "invalid_request_error",
            Some("conflict"),
            message,
        )
    }

    /// A 429 from the meter: `code` is `rate_limit_exceeded` or `insufficient_quota`.
    pub fn rate_limited(code: &str, kind: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, kind, Some(code), message)
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "invalid_request_error",
            Some("method_not_allowed"),
            "This method is not allowed on this path.",
        )
    }

    pub fn body_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "invalid_request_error",
            Some("request_too_large"),
            format!("The request body is larger than the {limit}-byte limit."),
        )
    }

    pub fn upstream_failed(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_GATEWAY,
            "upstream_error",
            Some("upstream_error"),
            message,
        )
    }

    pub fn upstream_timeout(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::GATEWAY_TIMEOUT,
            "upstream_error",
            Some("upstream_timeout"),
            message,
        )
    }

    pub fn overloaded(message: impl Into<String>, retry_after_secs: u64) -> Self {
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "server_error",
            Some("model_overloaded"),
            message,
        );
        e.retry_after_secs = Some(u32::try_from(retry_after_secs).unwrap_or(u32::MAX));
        e
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "server_error",
            Some("service_unavailable"),
            message,
        )
    }

    /// Something went wrong on our side. The detail goes to the log, not to the caller.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            Some("internal_error"),
            "The gateway failed to handle this request.",
        )
    }

    pub fn body(&self) -> serde_json::Value {
        json!({"error": {"message": self.message, "type": self.kind, "param": self.param, "code": self.code}})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body())).into_response();
        if let Some(secs) = self.retry_after_secs {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        crate::stages::meter::apply_headers(&mut response, &self.headers);
        response
    }
}

impl From<haetae_store::StoreError> for ApiError {
    fn from(e: haetae_store::StoreError) -> Self {
        use haetae_store::StoreError as S;
        match e {
            S::NotFound(what) => ApiError::not_found(format!("{what} not found")),
            S::Conflict(msg) => ApiError::conflict(msg),
            S::Invalid(msg) => ApiError::invalid_request(msg),
            // The store failing (unreachable, read-only, disk full) is not the caller's fault and not a bug
            // here: say so, and that nothing was changed (a failed write is rolled back).
            other => {
                tracing::error!(error = %other, "programme store failed");
                let mut e = ApiError::unavailable(
                    "The programme store cannot be read or written right now, so the request was not carried out and nothing was changed. Try again shortly.",
                );
                e.code = Some("store_unavailable".into());
                e
            }
        }
    }
}
