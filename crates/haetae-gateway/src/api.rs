//! The OpenAI-compatible API: `/v1/chat/completions`, `/v1/embeddings`, `/v1/models`.
//!
//! Model calls are adapters onto the one pipeline ([`crate::pipeline`]): each names its request
//! [`Adapter`](crate::pipeline::Adapter) and hands the request over. `/v1/models` needs only the caller.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json};
use haetae_core::{Principal, QuotaLevels};
use haetae_ledger::Decision;
use haetae_meter::misuse::{Observation, Signal};
use serde_json::{Value, json};

use crate::catalogue::{Language, render};
use crate::error::ApiError;
use crate::pipeline::{self, Pipeline};
use crate::stages::record::{LEDGER_INDEX_HEADER, Record};
use crate::stages::{authenticate, meter, principal};
use crate::{AppState, RequestId};

/// The routes, with the pipeline built once for `state` (its stage implementations chosen here).
pub fn routes(state: &AppState) -> Router<AppState> {
    let pipeline = Pipeline::new(state.clone());
    Router::new()
        .route("/v1/chat/completions", post(chat_completions))
        .route("/v1/embeddings", post(embeddings))
        .route("/v1/responses", post(crate::responses::create_response))
        .route("/v1/models", get(list_models))
        .layer(Extension(pipeline))
}

/// The authenticated caller of a non-model endpoint (`/v1/models`, the member API): authenticate and
/// principal. A refusal on standing is recorded.
pub struct Caller {
    pub principal: Principal,
    /// The limits of the caller's key, organisation and tier, for the meter stage.
    pub quotas: QuotaLevels,
}

pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = Language::from_accept_language(&parts.headers).unwrap_or(Language::En);
        if let Some(recorder) = &state.recorder {
            recorder.ensure_healthy()?;
        }
        let (record, _) = authenticate::authenticate_member(&state.store, &parts.headers)
            .await
            .map_err(|r| render(&r, lang))?;
        let quotas = record.quotas;
        let p = principal::principal_of(record);
        let Some(refusal) = principal::standing(&p) else {
            return Ok(Caller {
                principal: p,
                quotas,
            });
        };
        // An authenticated caller refused for its standing is a decision: record it.
        if let Some(cause) = refusal.code.denial_cause() {
            observe(
                state,
                Observation::denied(now_ms(), &p.org.id, &p.key_id, cause),
                client_addr(parts),
            );
        }
        let mut refused = render(&refusal, lang);
        if let Some(recorder) = &state.recorder {
            let request_id = parts
                .extensions
                .get::<RequestId>()
                .map(|r| r.0.clone())
                .unwrap_or_default();
            let index = recorder
                .record(Record {
                    request_id: &request_id,
                    principal: Some(&p),
                    action: "member",
                    decision: Some(Decision::Deny),
                    policy_ids: refusal.recorded_policy_ids(),
                    detail: refusal.code.as_str().to_string(),
                    ..Record::default()
                })
                .await?;
            // The answer names its entry, as every other recorded refusal does.
            let mut headers = refused.headers.into_vec();
            headers.push((LEDGER_INDEX_HEADER, index.to_string()));
            refused.headers = headers.into();
        }
        Err(refused)
    }
}

fn client_addr(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

/// The client's address, when the server was started with connection info (always, outside unit tests).
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(client_addr(parts)))
    }
}

/// Feeds the misuse detector; signals it raises are filed as review items off the request's path.
pub(crate) fn observe(state: &AppState, mut obs: Observation, addr: Option<IpAddr>) {
    if let Some(addr) = addr {
        obs = obs.with_addr(addr);
    }
    if let Some(shared) = state.shared_misuse.clone() {
        // One Redis round trip, off the request's path. While Redis is unreachable this
        // replica's own windows keep watching, so detection degrades instead of stopping.
        let (local, store) = (state.misuse.clone(), state.store.clone());
        tokio::spawn(async move {
            let signals = match shared.observe(&obs).await {
                Ok(signals) => signals,
                Err(e) => {
                    tracing::warn!(error = %e, "shared misuse windows unreachable; using this replica's");
                    local.observe(&obs)
                }
            };
            file_signals_to(store, signals);
        });
        return;
    }
    let signals = state.misuse.observe(&obs);
    file_signals(state, signals);
}

pub(crate) fn file_signals(state: &AppState, signals: Vec<Signal>) {
    file_signals_to(state.store.clone(), signals);
}

fn file_signals_to(store: haetae_store::Store, signals: Vec<Signal>) {
    if signals.is_empty() {
        return;
    }
    tokio::spawn(async move {
        for signal in signals {
            let kind = signal.kind.as_str();
            // A store outage must not lose a signal: retry with backoff for up to about ten minutes.
            let mut wait = std::time::Duration::from_millis(200);
            loop {
                match store.file_signal(signal.clone()).await {
                    Ok((item, true)) => {
                        tracing::warn!(item = %item.id, kind, "misuse signal opened a review item");
                        break;
                    }
                    Ok((item, false)) => {
                        tracing::info!(item = %item.id, kind, "misuse signal attached to a review item");
                        break;
                    }
                    Err(e) if wait < std::time::Duration::from_secs(300) => {
                        tracing::warn!(error = %e, kind, "cannot file a misuse signal yet; retrying");
                        tokio::time::sleep(wait).await;
                        wait *= 2;
                    }
                    Err(e) => {
                        tracing::error!(error = %e, kind, signal = ?signal, "gave up filing a misuse signal");
                        break;
                    }
                }
            }
        }
    });
}

/// Creates a chat completion, streamed as server-sent events when `stream` is true.
#[utoipa::path(post, path = "/v1/chat/completions", tag = "openai",
    request_body(content = crate::openapi::ChatCompletionRequest, description = "An OpenAI chat completion request"),
    params(("x-haetae-use-case" = Option<String>, Header, description = "The declared use-case (docs/use-cases.md)"),
           ("x-haetae-engagement" = Option<String>, Header, description = "A registered engagement's id")),
    responses((status = 200, description = "A chat.completion object, or an SSE stream of chat.completion.chunk objects"),
              (status = 400, description = "Invalid request"), (status = 401, description = "Invalid API key"),
              (status = 403, description = "Refused by the programme (deny or review)"), (status = 404, description = "Unknown model"),
              (status = 413, description = "Body too large"), (status = 429, description = "Rate limit or budget exceeded"),
              (status = 502, description = "Upstream failure"), (status = 503, description = "Overloaded, or a fail-closed stage is down"),
              (status = 504, description = "Upstream timeout")),
    security(("member_key" = [])))]
pub async fn chat_completions(
    Extension(pipeline): Extension<Arc<Pipeline>>,
    Extension(request_id): Extension<RequestId>,
    ClientAddr(addr): ClientAddr,
    request: Request,
) -> Response {
    pipeline::serve(pipeline, &pipeline::CHAT, request_id.0, addr, request).await
}

/// Creates embeddings.
#[utoipa::path(post, path = "/v1/embeddings", tag = "openai",
    request_body(content = crate::openapi::EmbeddingsRequest, description = "An OpenAI embeddings request"),
    responses((status = 200, description = "A list of embedding objects"), (status = 400, description = "Invalid request"),
              (status = 401, description = "Invalid API key"), (status = 403, description = "Refused by the programme"),
              (status = 404, description = "Unknown model"), (status = 429, description = "Rate limit or budget exceeded"),
              (status = 502, description = "Upstream failure"), (status = 504, description = "Upstream timeout")),
    security(("member_key" = [])))]
pub async fn embeddings(
    Extension(pipeline): Extension<Arc<Pipeline>>,
    Extension(request_id): Extension<RequestId>,
    ClientAddr(addr): ClientAddr,
    request: Request,
) -> Response {
    pipeline::serve(pipeline, &pipeline::EMBEDDINGS, request_id.0, addr, request).await
}

/// Lists the models the caller's tier may use.
#[utoipa::path(get, path = "/v1/models", tag = "openai",
    responses((status = 200, description = "A list of model objects"), (status = 401, description = "Invalid API key")),
    security(("member_key" = [])))]
pub async fn list_models(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let tiers = state.store.list_tiers().await?;
    let rank_of = |name: &str| tiers.iter().find(|t| t.name == name).map(|t| t.rank);
    let rank = caller.principal.tier.rank;
    let data: Vec<Value> = state
        .store
        .list_models()
        .await?
        .into_iter()
        .filter(|m| rank_of(&m.min_tier).is_some_and(|min| rank >= min))
        .map(|m| json!({"id": m.name, "object": "model", "created": m.created_at, "owned_by": "haetae", "min_tier": m.min_tier}))
        .collect();
    let mut response = Json(json!({"object": "list", "data": data})).into_response();
    if let Some(m) = &state.meter {
        let h = meter::peek(m, &caller.principal, &caller.quotas).await;
        meter::apply_headers(&mut response, &h.to_pairs());
    }
    Ok(response)
}
