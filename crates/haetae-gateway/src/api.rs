//! The OpenAI-compatible API: `/v1/chat/completions`, `/v1/embeddings`, `/v1/models`.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures::StreamExt;
use haetae_core::{ModelEntry, Principal};
use haetae_models::{Backend, BackendError};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::stages::authorize::{AuthzRequest, Verdict};
use crate::stages::{authenticate, dispatch, principal};
use crate::{AppState, ModelLabel, RequestId, validate};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/chat/completions", post(chat_completions))
        .route("/v1/embeddings", post(embeddings))
        .route("/v1/models", get(list_models))
}

/// The authenticated caller: stages 1 (authenticate) and 2 (principal) run as this extractor.
pub struct Caller(pub Principal);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let record = authenticate::authenticate_member(&state.store, &parts.headers).await?;
        Ok(Caller(principal::resolve(record)?))
    }
}

fn body_bytes(body: Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::body_too_large(limit)
        } else {
            ApiError::invalid_request(format!("The request body could not be read: {rejection}"))
        }
    })
}

/// Stage 4 for a named model: catalogue lookup, then the authoriser's verdict.
async fn authorize_model(
    state: &AppState,
    caller: &Principal,
    model: &str,
) -> Result<(ModelEntry, Arc<dyn Backend>), ApiError> {
    let entry = state
        .store
        .get_model(model)
        .await?
        .ok_or_else(|| ApiError::model_not_found(model))?;
    let min_tier = state.store.get_tier(&entry.min_tier).await?;
    let verdict = state.authorizer.authorize(&AuthzRequest {
        principal: caller,
        model: &entry,
        model_min_rank: min_tier.rank,
    });
    if let Verdict::Deny { code, message } = verdict {
        return Err(ApiError::permission_denied(&code, message));
    }
    let backend = state.backends.get(&entry.backend).ok_or_else(|| {
        tracing::error!(model = %entry.name, backend = %entry.backend, "catalogue names a backend that is not configured");
        ApiError::unavailable(format!("The model '{}' is not being served right now.", entry.name))
    })?;
    Ok((entry, backend))
}

fn upstream_failure(state: &AppState, backend: &str, error: BackendError) -> ApiError {
    let kind = match &error {
        BackendError::Timeout(_) => "timeout",
        BackendError::Unavailable(_) => "unavailable",
        BackendError::Upstream { .. } => "status",
        BackendError::InvalidResponse(_) => "invalid_response",
        BackendError::Overloaded { .. } => "overloaded",
        _ => "other",
    };
    state.metrics.upstream_error(backend, kind);
    error.into()
}

async fn with_timeout<T>(
    state: &AppState,
    backend: &str,
    call: impl Future<Output = Result<T, BackendError>>,
) -> Result<T, ApiError> {
    match tokio::time::timeout(state.options.request_timeout, call).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(upstream_failure(state, backend, e)),
        Err(_) => Err(upstream_failure(
            state,
            backend,
            BackendError::Timeout("the gateway's request timeout passed".into()),
        )),
    }
}

fn labelled(mut response: Response, model: &str) -> Response {
    response
        .extensions_mut()
        .insert(ModelLabel(model.to_string()));
    response
}

/// Creates a chat completion, streamed as server-sent events when `stream` is true.
#[utoipa::path(post, path = "/v1/chat/completions", tag = "openai",
    request_body(content = Object, description = "An OpenAI chat completion request"),
    responses((status = 200, description = "A chat.completion object, or an SSE stream of chat.completion.chunk objects"),
              (status = 400, description = "Invalid request"), (status = 401, description = "Invalid API key"),
              (status = 403, description = "Refused by the programme"), (status = 404, description = "Unknown model"),
              (status = 413, description = "Body too large"), (status = 502, description = "Upstream failure"),
              (status = 504, description = "Upstream timeout")),
    security(("member_key" = [])))]
pub async fn chat_completions(
    State(state): State<AppState>,
    Caller(caller): Caller,
    axum::Extension(request_id): axum::Extension<RequestId>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let bytes = body_bytes(body, state.options.max_body_bytes)?;
    let body = validate::parse_json(&bytes)?;
    let request = validate::chat_request(&body)?;
    let (entry, backend) = authorize_model(&state, &caller, &request.model).await?;
    tracing::debug!(request_id = %request_id.0, org = %caller.org.id, key = %caller.key_id, model = %entry.name, stream = request.stream, "dispatching");
    let outbound = dispatch::outbound_body(Value::Object(body), &entry.upstream_model);

    if !request.stream {
        let response = with_timeout(&state, &entry.backend, backend.chat(outbound)).await?;
        let response = dispatch::inbound_body(response, &entry.name);
        return Ok(labelled(axum::Json(response).into_response(), &entry.name));
    }

    let chunks = with_timeout(&state, &entry.backend, backend.chat_stream(outbound)).await?;
    let name = entry.name.clone();
    let backend_name = entry.backend.clone();
    let metrics = state.metrics.clone();
    // Each chunk is relabelled with the catalogue name. After a mid-stream failure the caller gets an error
    // event and no `[DONE]`, so a truncated answer can never pass for a complete one.
    let events = futures::stream::unfold((chunks, false), move |(mut chunks, finished)| {
        let name = name.clone();
        let backend_name = backend_name.clone();
        let metrics = metrics.clone();
        async move {
            if finished {
                return None;
            }
            match chunks.next().await {
                Some(Ok(chunk)) => {
                    let chunk = dispatch::inbound_body(chunk, &name);
                    Some((
                        Ok::<Bytes, Infallible>(Bytes::from(format!("data: {chunk}\n\n"))),
                        (chunks, false),
                    ))
                }
                Some(Err(e)) => {
                    tracing::warn!(error = %e, "stream failed mid-way");
                    metrics.upstream_error(&backend_name, "stream");
                    let err: ApiError = e.into();
                    Some((
                        Ok(Bytes::from(format!("data: {}\n\n", err.body()))),
                        (chunks, true),
                    ))
                }
                None => Some((Ok(Bytes::from_static(b"data: [DONE]\n\n")), (chunks, true))),
            }
        }
    });
    let response = Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .header("x-accel-buffering", "no")
        .body(Body::from_stream(events))
        .map_err(ApiError::internal)?;
    Ok(labelled(response, &entry.name))
}

/// Creates embeddings.
#[utoipa::path(post, path = "/v1/embeddings", tag = "openai",
    request_body(content = Object, description = "An OpenAI embeddings request"),
    responses((status = 200, description = "A list of embedding objects"), (status = 400, description = "Invalid request"),
              (status = 401, description = "Invalid API key"), (status = 403, description = "Refused by the programme"),
              (status = 404, description = "Unknown model")),
    security(("member_key" = [])))]
pub async fn embeddings(
    State(state): State<AppState>,
    Caller(caller): Caller,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let bytes = body_bytes(body, state.options.max_body_bytes)?;
    let body = validate::parse_json(&bytes)?;
    let request = validate::embeddings_request(&body)?;
    let (entry, backend) = authorize_model(&state, &caller, &request.model).await?;
    let outbound = dispatch::outbound_body(Value::Object(body), &entry.upstream_model);
    let response = with_timeout(&state, &entry.backend, backend.embeddings(outbound)).await?;
    Ok(labelled(
        axum::Json(dispatch::inbound_body(response, &entry.name)).into_response(),
        &entry.name,
    ))
}

/// Lists the models the caller's tier may use.
#[utoipa::path(get, path = "/v1/models", tag = "openai",
    responses((status = 200, description = "A list of model objects"), (status = 401, description = "Invalid API key")),
    security(("member_key" = [])))]
pub async fn list_models(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Result<Response, ApiError> {
    let tiers = state.store.list_tiers().await?;
    let rank_of = |name: &str| tiers.iter().find(|t| t.name == name).map(|t| t.rank);
    let data: Vec<Value> = state
        .store
        .list_models()
        .await?
        .into_iter()
        .filter(|m| rank_of(&m.min_tier).is_some_and(|min| caller.tier.rank >= min))
        .map(|m| json!({"id": m.name, "object": "model", "created": m.created_at, "owned_by": "haetae", "min_tier": m.min_tier}))
        .collect();
    Ok(axum::Json(json!({"object": "list", "data": data})).into_response())
}
