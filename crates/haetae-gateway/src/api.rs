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
use crate::stages::record::{LEDGER_INDEX_HEADER, Record, usage_tokens};
use crate::stages::{authenticate, dispatch, principal};
use crate::{AppState, ModelLabel, RequestId, validate};
use haetae_ledger::Decision;

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
        if let Some(recorder) = &state.recorder {
            recorder.ensure_healthy()?;
        }
        let record = authenticate::authenticate_member(&state.store, &parts.headers).await?;
        let key_record = record.clone();
        match principal::resolve(record) {
            Ok(p) => Ok(Caller(p)),
            Err(refusal) => {
                // An authenticated caller refused for its standing is a decision: record it.
                if let Some(recorder) = &state.recorder {
                    let request_id = parts
                        .extensions
                        .get::<RequestId>()
                        .map(|r| r.0.clone())
                        .unwrap_or_default();
                    let p = Principal {
                        key_id: key_record.key.id,
                        member: key_record.member,
                        org: key_record.org,
                        tier: key_record.tier,
                    };
                    recorder
                        .record(Record {
                            request_id: &request_id,
                            principal: Some(&p),
                            action: parts.uri.path(),
                            decision: Some(Decision::Deny),
                            policy_ids: vec![refusal.code.clone().unwrap_or_default()],
                            detail: refusal.message.clone(),
                            ..Record::default()
                        })
                        .await?;
                }
                Err(refusal)
            }
        }
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
    request_id: &str,
    action: &str,
    body: &[u8],
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
        if let Some(recorder) = &state.recorder {
            let record = Record {
                request_id,
                principal: Some(caller),
                model: &entry.name,
                action,
                decision: Some(Decision::Deny),
                policy_ids: vec![code.clone()],
                request_body: Some(body),
                detail: message.clone(),
                ..Record::default()
            };
            recorder.record(record).await?;
        }
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
    let (entry, backend) = authorize_model(
        &state,
        &caller,
        &request.model,
        &request_id.0,
        "chat.completions",
        &bytes,
    )
    .await?;
    tracing::debug!(request_id = %request_id.0, org = %caller.org.id, key = %caller.key_id, model = %entry.name, stream = request.stream, "dispatching");
    let outbound = dispatch::outbound_body(Value::Object(body), &entry.upstream_model);

    let allowed = |prompt_tokens, completion_tokens, response_body, detail: String| Record {
        request_id: &request_id.0,
        principal: Some(&caller),
        model: &entry.name,
        action: "chat.completions",
        decision: Some(Decision::Allow),
        policy_ids: vec!["tier-floor".into()],
        prompt_tokens,
        completion_tokens,
        request_body: Some(&bytes),
        response_body,
        detail,
        ..Record::default()
    };

    if !request.stream {
        let response = match with_timeout(&state, &entry.backend, backend.chat(outbound)).await {
            Ok(r) => r,
            Err(e) => {
                if let Some(recorder) = &state.recorder {
                    recorder
                        .record(allowed(
                            0,
                            0,
                            None,
                            format!("dispatch failed: {}", e.status),
                        ))
                        .await?;
                }
                return Err(e);
            }
        };
        let response = dispatch::inbound_body(response, &entry.name);
        let response_bytes = serde_json::to_vec(&response).map_err(ApiError::internal)?;
        let mut http = labelled(
            (
                [(header::CONTENT_TYPE, "application/json")],
                response_bytes.clone(),
            )
                .into_response(),
            &entry.name,
        );
        if let Some(recorder) = &state.recorder {
            let (p, c) = usage_tokens(response.get("usage"));
            let index = recorder
                .record(allowed(p, c, Some(&response_bytes), String::new()))
                .await?;
            http.headers_mut().insert(LEDGER_INDEX_HEADER, index.into());
        }
        return Ok(http);
    }

    let chunks = match with_timeout(&state, &entry.backend, backend.chat_stream(outbound)).await {
        Ok(c) => c,
        Err(e) => {
            if let Some(recorder) = &state.recorder {
                recorder
                    .record(allowed(
                        0,
                        0,
                        None,
                        format!("dispatch failed: {}", e.status),
                    ))
                    .await?;
            }
            return Err(e);
        }
    };
    // The stream's entry is written when it ends, before `[DONE]`: a stream the caller saw complete is recorded.
    let recorder = state.recorder.clone();
    let record_fields = (request_id.0.clone(), caller.clone(), bytes.clone());
    let name = entry.name.clone();
    let backend_name = entry.backend.clone();
    let metrics = state.metrics.clone();
    // Each chunk is relabelled with the catalogue name. After a mid-stream failure the caller gets an error
    // event and no `[DONE]`, so a truncated answer can never pass for a complete one.
    let state_of_stream = StreamState {
        chunks,
        finished: false,
        sent: Vec::new(),
        usage: None,
    };
    let events = futures::stream::unfold(state_of_stream, move |mut st| {
        let name = name.clone();
        let backend_name = backend_name.clone();
        let metrics = metrics.clone();
        let recorder = recorder.clone();
        let (request_id, caller, request_bytes) = record_fields.clone();
        async move {
            if st.finished {
                return None;
            }
            let (bytes, finished) = match st.chunks.next().await {
                Some(Ok(chunk)) => {
                    if let Some(u) = chunk.get("usage").filter(|u| !u.is_null()) {
                        st.usage = Some(u.clone());
                    }
                    let chunk = dispatch::inbound_body(chunk, &name);
                    (Bytes::from(format!("data: {chunk}\n\n")), false)
                }
                Some(Err(e)) => {
                    tracing::warn!(error = %e, "stream failed mid-way");
                    metrics.upstream_error(&backend_name, "stream");
                    let err: ApiError = e.into();
                    (Bytes::from(format!("data: {}\n\n", err.body())), true)
                }
                None => {
                    let mut end = Bytes::from_static(b"data: [DONE]\n\n");
                    if let Some(recorder) = &recorder {
                        let (p, c) = usage_tokens(st.usage.as_ref());
                        let record = Record {
                            request_id: &request_id,
                            principal: Some(&caller),
                            model: &name,
                            action: "chat.completions",
                            decision: Some(Decision::Allow),
                            policy_ids: vec!["tier-floor".into()],
                            prompt_tokens: p,
                            completion_tokens: c,
                            request_body: Some(&request_bytes),
                            response_body: Some(&st.sent),
                            detail: "stream".into(),
                            ..Record::default()
                        };
                        if let Err(err) = recorder.record(record).await {
                            end = Bytes::from(format!("data: {}\n\n", err.body()));
                        }
                    }
                    (end, true)
                }
            };
            if !finished && recorder.is_some() {
                st.sent.extend_from_slice(&bytes);
            }
            st.finished = finished;
            Some((Ok::<Bytes, Infallible>(bytes), st))
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
    axum::Extension(request_id): axum::Extension<RequestId>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let bytes = body_bytes(body, state.options.max_body_bytes)?;
    let body = validate::parse_json(&bytes)?;
    let request = validate::embeddings_request(&body)?;
    let (entry, backend) = authorize_model(
        &state,
        &caller,
        &request.model,
        &request_id.0,
        "embeddings",
        &bytes,
    )
    .await?;
    let outbound = dispatch::outbound_body(Value::Object(body), &entry.upstream_model);
    let result = with_timeout(&state, &entry.backend, backend.embeddings(outbound)).await;
    let response = result
        .as_ref()
        .ok()
        .map(|r| dispatch::inbound_body(r.clone(), &entry.name));
    let response_bytes = match &response {
        Some(r) => Some(serde_json::to_vec(r).map_err(ApiError::internal)?),
        None => None,
    };
    let mut index = None;
    if let Some(recorder) = &state.recorder {
        let (p, _) = usage_tokens(response.as_ref().and_then(|r| r.get("usage")));
        let detail = result
            .as_ref()
            .err()
            .map(|e| format!("dispatch failed: {}", e.status))
            .unwrap_or_default();
        let record = Record {
            request_id: &request_id.0,
            principal: Some(&caller),
            model: &entry.name,
            action: "embeddings",
            decision: Some(Decision::Allow),
            policy_ids: vec!["tier-floor".into()],
            prompt_tokens: p,
            request_body: Some(&bytes),
            response_body: response_bytes.as_deref(),
            detail,
            ..Record::default()
        };
        index = Some(recorder.record(record).await?);
    }
    result?;
    let mut http = labelled(
        (
            [(header::CONTENT_TYPE, "application/json")],
            response_bytes.unwrap_or_default(),
        )
            .into_response(),
        &entry.name,
    );
    if let Some(index) = index {
        http.headers_mut().insert(LEDGER_INDEX_HEADER, index.into());
    }
    Ok(http)
}

struct StreamState {
    chunks: haetae_models::ChunkStream,
    finished: bool,
    /// The bytes sent so far, for the response digest in the ledger.
    sent: Vec<u8>,
    usage: Option<Value>,
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
