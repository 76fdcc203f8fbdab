//! The OpenAI-compatible API: `/v1/chat/completions`, `/v1/embeddings`, `/v1/models`.
//!
//! Every model call runs [`admit`] (classify → authorise → meter) after the [`Caller`] extractor (authenticate →
//! principal), then dispatches, settles the meter and records the decision. Refusals at any stage are recorded
//! too, and reported to the misuse detector.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::connect_info::ConnectInfo;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures::StreamExt;
use haetae_core::{ModelEntry, Principal, QuotaLevels, UseCase, now_unix};
use haetae_ledger::Decision;
use haetae_meter::misuse::{DenialCause, Observation, Signal};
use haetae_meter::usage::UsageRecord;
use haetae_models::{Backend, BackendError};
use haetae_policy::{AuthzDecision, AuthzEffect, Classification, EngagementStatus, check_scope};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::stages::authorize::{self, InvokeRequest};
use crate::stages::classify::{self, Declared};
use crate::stages::meter::{self, Settlement};
use crate::stages::record::{LEDGER_INDEX_HEADER, Record, usage_tokens};
use crate::stages::{authenticate, dispatch, principal};
use crate::{AppState, ModelLabel, RequestId, validate};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/chat/completions", post(chat_completions))
        .route("/v1/embeddings", post(embeddings))
        .route("/v1/models", get(list_models))
}

/// The authenticated caller: stages 1 (authenticate) and 2 (principal) run as this extractor.
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

fn request_id_of(parts: &Parts) -> String {
    parts
        .extensions
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default()
}

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
        let quotas = record.quotas;
        let key_record = record.clone();
        match principal::resolve(record) {
            Ok(p) => Ok(Caller {
                principal: p,
                quotas,
            }),
            Err(refusal) => {
                // An authenticated caller refused for its standing is a decision: record it.
                let p = Principal {
                    key_id: key_record.key.id,
                    member: key_record.member,
                    org: key_record.org,
                    tier: key_record.tier,
                };
                observe(
                    state,
                    Observation::denied(now_ms(), &p.org.id, &p.key_id, DenialCause::Policy),
                    client_addr(parts),
                );
                if let Some(recorder) = &state.recorder {
                    recorder
                        .record(Record {
                            request_id: &request_id_of(parts),
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
    let signals = state.misuse.observe(&obs);
    file_signals(state, signals);
}

pub(crate) fn file_signals(state: &AppState, signals: Vec<Signal>) {
    if signals.is_empty() {
        return;
    }
    let store = state.store.clone();
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

fn body_bytes(body: Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::body_too_large(limit)
        } else {
            ApiError::invalid_request(format!("The request body could not be read: {rejection}"))
        }
    })
}

/// One model call as it passes the pipeline.
struct Call<'a> {
    state: &'a AppState,
    caller: &'a Caller,
    request_id: &'a str,
    action: &'static str,
    bytes: &'a Bytes,
    addr: Option<IpAddr>,
}

/// What authorise and meter let through.
struct Admitted {
    entry: ModelEntry,
    backend: Arc<dyn Backend>,
    decision: AuthzDecision,
    classification: Classification,
    declared: Option<UseCase>,
    settlement: Settlement,
}

impl Admitted {
    /// The use-case usage is accounted under: what the caller declared, else the guard's primary label.
    fn use_case(&self) -> String {
        self.declared
            .unwrap_or_else(|| self.classification.primary())
            .as_str()
            .to_string()
    }

    fn classified(&self) -> String {
        labels(&self.classification)
    }
}

fn labels(c: &Classification) -> String {
    c.labels()
        .iter()
        .map(|u| u.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// A guard hit worth the misuse detector's attention: a restricted use-case, and the rule that found it.
fn guard_hit(c: &Classification) -> Option<(String, Option<String>)> {
    let top = c.use_cases.first()?;
    haetae_policy::is_restricted(top.use_case).then(|| {
        (
            top.use_case.as_str().to_string(),
            top.evidence.first().map(|e| e.rule_id.clone()),
        )
    })
}

impl Call<'_> {
    fn principal(&self) -> &Principal {
        &self.caller.principal
    }

    /// Records a refusal, tells the misuse detector, and adds the caller's rate-limit headers.
    #[allow(clippy::too_many_arguments)]
    async fn refuse(
        &self,
        model: &str,
        mut error: ApiError,
        policy_ids: Vec<String>,
        cause: DenialCause,
        classification: Option<&Classification>,
        declared: Option<UseCase>,
    ) -> ApiError {
        let p = self.principal();
        let mut obs = Observation::denied(now_ms(), &p.org.id, &p.key_id, cause);
        if let Some(c) = classification {
            obs = obs.with_use_case(declared.unwrap_or_else(|| c.primary()).as_str());
            if let Some((uc, rule)) = guard_hit(c) {
                obs = obs.with_guard_hit(uc, rule);
            }
        }
        observe(self.state, obs, self.addr);
        if error.headers.is_empty() {
            if let Some(m) = &self.state.meter {
                error.headers = meter::peek(m, p, &self.caller.quotas)
                    .await
                    .to_pairs()
                    .into();
            }
        }
        if let Some(recorder) = &self.state.recorder {
            let classified = classification.map(labels).unwrap_or_default();
            let record = Record {
                request_id: self.request_id,
                principal: Some(p),
                model,
                action: self.action,
                decision: Some(Decision::Deny),
                policy_ids,
                declared_use_case: declared.map(|u| u.as_str()).unwrap_or_default(),
                classified_use_case: &classified,
                request_body: Some(self.bytes),
                detail: format!("{}: {}", error.code.as_deref().unwrap_or(""), error.message),
                ..Record::default()
            };
            if let Err(e) = recorder.record(record).await {
                return e;
            }
        }
        error
    }

    /// Stages 3–5 for a named model: catalogue, classify, authorise, meter.
    async fn admit(
        &self,
        model: &str,
        headers: &HeaderMap,
        text: String,
        estimate: u64,
    ) -> Result<Admitted, ApiError> {
        let state = self.state;
        let p = self.principal();
        let Declared {
            use_case: declared,
            engagement,
        } = classify::declared(headers)?;
        let entry = state
            .store
            .get_model(model)
            .await?
            .ok_or_else(|| ApiError::model_not_found(model))?;

        let classification = if state.stages.guard {
            let scope_text = text.clone();
            match classify::classify(text, state.model_guard.as_ref()).await {
                Ok(c) => (c, scope_text),
                Err(refusal) => {
                    let e = self
                        .refuse(
                            &entry.name,
                            refusal.error,
                            vec!["guard-unavailable".into()],
                            DenialCause::Guard,
                            Some(&refusal.rules),
                            declared,
                        )
                        .await;
                    return Err(e);
                }
            }
        } else {
            (haetae_policy::classify(""), text)
        };
        let (classification, scope_text) = classification;
        let korean = classification.lang.is_korean();
        let now = now_unix();

        let engagement_status = match &engagement {
            None => check_scope(None, &p.org.id, now, &scope_text),
            Some(id) => match state.store.get_engagement(id).await? {
                Some(record) => match authorize::engagement_for_policy(&record) {
                    Ok(e) => check_scope(Some(&e), &p.org.id, now, &scope_text),
                    Err(why) => {
                        tracing::error!(engagement = %id, %why, "stored engagement is corrupt");
                        EngagementStatus::none(&[])
                    }
                },
                None => {
                    let message = if korean {
                        format!("점검(engagement) '{id}'을(를) 찾을 수 없습니다.")
                    } else {
                        format!("There is no engagement '{id}'.")
                    };
                    let e = self
                        .refuse(
                            &entry.name,
                            ApiError::permission_denied("engagement_not_found", message)
                                .with_param(classify::ENGAGEMENT_HEADER),
                            vec!["engagement.unknown".into()],
                            DenialCause::Policy,
                            Some(&classification),
                            declared,
                        )
                        .await;
                    return Err(e);
                }
            },
        };

        let tiers = state.store.list_tiers().await?;
        let (decision, _input) = authorize::decide(
            &state.policy,
            InvokeRequest {
                principal: p,
                model: &entry,
                tiers: &tiers,
                classification: &classification,
                declared,
                engagement: engagement_status,
                now,
            },
        );
        match decision.effect {
            AuthzEffect::Allow => {}
            AuthzEffect::Review => {
                let use_cases = {
                    let mut v: Vec<String> = classification
                        .labels()
                        .iter()
                        .map(|u| u.as_str().to_string())
                        .collect();
                    if let Some(d) = declared {
                        v.push(d.as_str().to_string());
                    }
                    v
                };
                let signal = Signal::policy_review(
                    now_ms(),
                    &p.org.id,
                    &p.key_id,
                    self.request_id,
                    &entry.name,
                    decision.policy_ids.clone(),
                    use_cases,
                );
                // The reviewer must see the item before the caller is told to wait for one.
                let item = match state.store.file_signal(signal).await {
                    Ok((item, _)) => Some(item.id.simple().to_string()),
                    Err(e) => {
                        tracing::error!(error = %e, "cannot open a review item");
                        None
                    }
                };
                let e = self
                    .refuse(
                        &entry.name,
                        authorize::refusal(&decision, korean, item.as_deref(), None),
                        decision.policy_ids.clone(),
                        DenialCause::Policy,
                        Some(&classification),
                        declared,
                    )
                    .await;
                return Err(e);
            }
            AuthzEffect::Deny => {
                let cause = if authorize::refusal_code(&decision) == "use_case_not_permitted" {
                    DenialCause::UseCaseNotPermitted
                } else {
                    DenialCause::Policy
                };
                let e = self
                    .refuse(
                        &entry.name,
                        authorize::refusal(
                            &decision,
                            korean,
                            None,
                            authorize::refusal_detail(&decision, p, &entry, korean),
                        ),
                        decision.policy_ids.clone(),
                        cause,
                        Some(&classification),
                        declared,
                    )
                    .await;
                return Err(e);
            }
        }

        let backend = state.backends.get(&entry.backend).ok_or_else(|| {
            tracing::error!(model = %entry.name, backend = %entry.backend, "catalogue names a backend that is not configured");
            ApiError::unavailable(format!("The model '{}' is not being served right now.", entry.name))
        })?;

        let reservation = match &state.meter {
            Some(m) => match meter::reserve(m, p, &self.caller.quotas, estimate, korean).await {
                Ok(r) => Some(r),
                Err(e) => {
                    let cause = if e.code.as_deref() == Some("insufficient_quota") {
                        DenialCause::Quota
                    } else {
                        DenialCause::RateLimited
                    };
                    let code = e.code.clone().unwrap_or_default();
                    let e = self
                        .refuse(
                            &entry.name,
                            e,
                            vec![format!("meter.{code}")],
                            cause,
                            Some(&classification),
                            declared,
                        )
                        .await;
                    return Err(e);
                }
            },
            None => None,
        };
        Ok(Admitted {
            entry,
            backend,
            decision,
            classification,
            declared,
            settlement: Settlement::new(reservation),
        })
    }

    /// After a call was served (or failed at the backend): usage, misuse observation, and the ledger entry.
    async fn finish(
        &self,
        admitted: &mut Admitted,
        usage: (u64, u64),
        response_body: Option<&[u8]>,
        detail: String,
    ) -> Result<Option<u64>, ApiError> {
        finish_call(
            FinishContext {
                state: self.state.clone(),
                principal: self.principal().clone(),
                request_id: self.request_id.to_string(),
                action: self.action,
                request_body: self.bytes.clone(),
                addr: self.addr,
            },
            admitted,
            usage,
            response_body,
            detail,
        )
        .await
    }
}

/// What finishing a call needs, owned, so a stream can finish after its handler has returned.
struct FinishContext {
    state: AppState,
    principal: Principal,
    request_id: String,
    action: &'static str,
    request_body: Bytes,
    addr: Option<IpAddr>,
}

async fn finish_call(
    ctx: FinishContext,
    admitted: &mut Admitted,
    (prompt_tokens, completion_tokens): (u64, u64),
    response_body: Option<&[u8]>,
    detail: String,
) -> Result<Option<u64>, ApiError> {
    let total = prompt_tokens.saturating_add(completion_tokens);
    let served = response_body.is_some();
    if served {
        admitted.settlement.reconcile(total).await;
    } else {
        admitted.settlement.release().await;
    }
    let p = &ctx.principal;
    let use_case = admitted.use_case();
    if served {
        ctx.state.usage.record(UsageRecord::request(
            &p.org.id,
            &p.member.id,
            &p.key_id,
            &admitted.entry.name,
            &use_case,
            now_ms(),
            prompt_tokens,
            completion_tokens,
        ));
    }
    let mut obs =
        Observation::allowed(now_ms(), &p.org.id, &p.key_id, total).with_use_case(&use_case);
    if let Some((uc, rule)) = guard_hit(&admitted.classification) {
        obs = obs.with_guard_hit(uc, rule);
    }
    observe(&ctx.state, obs, ctx.addr);
    let Some(recorder) = &ctx.state.recorder else {
        return Ok(None);
    };
    let classified = admitted.classified();
    let index = recorder
        .record(Record {
            request_id: &ctx.request_id,
            principal: Some(p),
            model: &admitted.entry.name,
            action: ctx.action,
            decision: Some(Decision::Allow),
            policy_ids: admitted.decision.policy_ids.clone(),
            declared_use_case: admitted.declared.map(|u| u.as_str()).unwrap_or_default(),
            classified_use_case: &classified,
            prompt_tokens,
            completion_tokens,
            request_body: Some(&ctx.request_body),
            response_body,
            detail,
            ..Record::default()
        })
        .await?;
    Ok(Some(index))
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

fn json_response(bytes: Vec<u8>, model: &str) -> Response {
    labelled(
        ([(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        model,
    )
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
    State(state): State<AppState>,
    caller: Caller,
    ClientAddr(addr): ClientAddr,
    axum::Extension(request_id): axum::Extension<RequestId>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let bytes = body_bytes(body, state.options.max_body_bytes)?;
    let body = validate::parse_json(&bytes)?;
    let request = validate::chat_request(&body)?;
    let body = Value::Object(body);
    let text = haetae_policy::request_text(&body);
    let estimate = meter::chat_estimate(&body, &text, request.max_tokens);
    let call = Call {
        state: &state,
        caller: &caller,
        request_id: &request_id.0,
        action: "chat.completions",
        bytes: &bytes,
        addr,
    };
    let mut admitted = call.admit(&request.model, &headers, text, estimate).await?;
    tracing::debug!(request_id = %request_id.0, org = %caller.principal.org.id, key = %caller.principal.key_id, model = %admitted.entry.name, stream = request.stream, "dispatching");
    let rate_headers = admitted.settlement.headers();
    let mut outbound = dispatch::outbound_body(body, &admitted.entry.upstream_model);

    if !request.stream {
        let backend = admitted.backend.clone();
        let result = with_timeout(&state, &admitted.entry.backend, backend.chat(outbound)).await;
        let response = match result {
            Ok(r) => r,
            Err(mut e) => {
                call.finish(
                    &mut admitted,
                    (0, 0),
                    None,
                    format!("dispatch failed: {}", e.status),
                )
                .await?;
                e.headers = rate_headers.into();
                return Err(e);
            }
        };
        let response = dispatch::inbound_body(response, &admitted.entry.name);
        let response_bytes = serde_json::to_vec(&response).map_err(ApiError::internal)?;
        let index = call
            .finish(
                &mut admitted,
                usage_tokens(response.get("usage")),
                Some(&response_bytes),
                String::new(),
            )
            .await?;
        let mut http = json_response(response_bytes, &admitted.entry.name);
        meter::apply_headers(&mut http, &rate_headers);
        if let Some(index) = index {
            http.headers_mut().insert(LEDGER_INDEX_HEADER, index.into());
        }
        return Ok(http);
    }

    // The meter needs the real usage of every stream: ask the backend for it, and drop the usage chunk again
    // if the caller did not ask for it.
    if let Some(obj) = outbound.as_object_mut() {
        let opts = obj.entry("stream_options").or_insert_with(|| json!({}));
        if let Some(o) = opts.as_object_mut() {
            o.insert("include_usage".into(), Value::Bool(true));
        }
    }
    let backend = admitted.backend.clone();
    let chunks = match with_timeout(
        &state,
        &admitted.entry.backend,
        backend.chat_stream(outbound),
    )
    .await
    {
        Ok(c) => c,
        Err(mut e) => {
            call.finish(
                &mut admitted,
                (0, 0),
                None,
                format!("dispatch failed: {}", e.status),
            )
            .await?;
            e.headers = rate_headers.into();
            return Err(e);
        }
    };
    let model_name = admitted.entry.name.clone();
    let stream = ChatStream {
        chunks,
        finished: false,
        sent: Vec::new(),
        usage: None,
        client_wants_usage: request.include_usage,
        prompt_estimate: estimate.saturating_sub(
            request
                .max_tokens
                .unwrap_or(meter::DEFAULT_COMPLETION_RESERVE),
        ),
        finish: Some(FinishContext {
            state: state.clone(),
            principal: caller.principal.clone(),
            request_id: request_id.0.clone(),
            action: "chat.completions",
            request_body: bytes.clone(),
            addr,
        }),
        admitted: Some(admitted),
    };
    let events = futures::stream::unfold(stream, |mut st| async move {
        let bytes = st.next_event().await?;
        Some((Ok::<Bytes, Infallible>(bytes), st))
    });
    let mut response = Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .header("x-accel-buffering", "no")
        .body(Body::from_stream(events))
        .map_err(ApiError::internal)?;
    meter::apply_headers(&mut response, &rate_headers);
    Ok(labelled(response, &model_name))
}

/// A chat stream on its way to the caller. Each chunk is relabelled with the catalogue name. When the backend
/// ends, the call is settled and recorded *before* `[DONE]`, so a stream the caller saw complete is recorded;
/// after a mid-stream failure the caller gets an error event and no `[DONE]`, so a truncated answer never
/// passes for a complete one. A stream the caller abandons is settled and recorded when it is dropped.
struct ChatStream {
    chunks: haetae_models::ChunkStream,
    finished: bool,
    /// The bytes sent so far, for the response digest in the ledger.
    sent: Vec<u8>,
    usage: Option<Value>,
    client_wants_usage: bool,
    prompt_estimate: u64,
    finish: Option<FinishContext>,
    admitted: Option<Admitted>,
}

impl ChatStream {
    fn produced_tokens(&self) -> (u64, u64) {
        match &self.usage {
            Some(u) => usage_tokens(Some(u)),
            None => (
                self.prompt_estimate,
                self.admitted.as_ref().map_or(0, |a| a.settlement.produced),
            ),
        }
    }

    async fn next_event(&mut self) -> Option<Bytes> {
        if self.finished {
            return None;
        }
        loop {
            return match self.chunks.next().await {
                Some(Ok(chunk)) => {
                    if let Some(u) = chunk.get("usage").filter(|u| !u.is_null()) {
                        self.usage = Some(u.clone());
                    }
                    let is_usage_only = chunk
                        .get("choices")
                        .and_then(Value::as_array)
                        .is_some_and(Vec::is_empty);
                    if is_usage_only && !self.client_wants_usage {
                        continue;
                    }
                    if let Some(a) = self.admitted.as_mut() {
                        let has_delta = chunk.pointer("/choices/0/delta").is_some_and(|d| {
                            d.get("content").is_some_and(|c| !c.is_null())
                                || d.get("tool_calls").is_some()
                        });
                        if has_delta {
                            a.settlement.produced += 1;
                        }
                    }
                    let name = self
                        .admitted
                        .as_ref()
                        .map(|a| a.entry.name.clone())
                        .unwrap_or_default();
                    let mut chunk = dispatch::inbound_body(chunk, &name);
                    if !self.client_wants_usage {
                        if let Some(o) = chunk.as_object_mut() {
                            o.remove("usage");
                        }
                    }
                    let bytes = Bytes::from(format!("data: {chunk}\n\n"));
                    self.sent.extend_from_slice(&bytes);
                    Some(bytes)
                }
                Some(Err(e)) => {
                    tracing::warn!(error = %e, "stream failed mid-way");
                    self.finished = true;
                    let backend = self
                        .admitted
                        .as_ref()
                        .map(|a| a.entry.backend.clone())
                        .unwrap_or_default();
                    if let Some(ctx) = &self.finish {
                        ctx.state.metrics.upstream_error(&backend, "stream");
                    }
                    let err: ApiError = e.into();
                    let tokens = self.produced_tokens();
                    let sent = std::mem::take(&mut self.sent);
                    if let (Some(ctx), Some(mut admitted)) =
                        (self.finish.take(), self.admitted.take())
                    {
                        let _ = finish_call(
                            ctx,
                            &mut admitted,
                            tokens,
                            Some(&sent),
                            "stream failed mid-way".into(),
                        )
                        .await;
                    }
                    Some(Bytes::from(format!("data: {}\n\n", err.body())))
                }
                None => {
                    self.finished = true;
                    let tokens = self.produced_tokens();
                    let sent = std::mem::take(&mut self.sent);
                    let mut end = Bytes::from_static(b"data: [DONE]\n\n");
                    if let (Some(ctx), Some(mut admitted)) =
                        (self.finish.take(), self.admitted.take())
                    {
                        if let Err(err) =
                            finish_call(ctx, &mut admitted, tokens, Some(&sent), "stream".into())
                                .await
                        {
                            end = Bytes::from(format!("data: {}\n\n", err.body()));
                        }
                    }
                    Some(end)
                }
            };
        }
    }
}

impl Drop for ChatStream {
    fn drop(&mut self) {
        let (Some(ctx), Some(mut admitted)) = (self.finish.take(), self.admitted.take()) else {
            return;
        };
        let tokens = self.produced_tokens();
        let sent = std::mem::take(&mut self.sent);
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async move {
                let _ = finish_call(
                    ctx,
                    &mut admitted,
                    tokens,
                    Some(&sent),
                    "stream abandoned by the client".into(),
                )
                .await;
            });
        }
    }
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
    State(state): State<AppState>,
    caller: Caller,
    ClientAddr(addr): ClientAddr,
    axum::Extension(request_id): axum::Extension<RequestId>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let bytes = body_bytes(body, state.options.max_body_bytes)?;
    let body = validate::parse_json(&bytes)?;
    let request = validate::embeddings_request(&body)?;
    let body = Value::Object(body);
    let text = classify::embeddings_text(&body);
    let estimate = meter::estimate_prompt_tokens(&text, 1);
    let call = Call {
        state: &state,
        caller: &caller,
        request_id: &request_id.0,
        action: "embeddings",
        bytes: &bytes,
        addr,
    };
    let mut admitted = call.admit(&request.model, &headers, text, estimate).await?;
    let rate_headers = admitted.settlement.headers();
    let outbound = dispatch::outbound_body(body, &admitted.entry.upstream_model);
    let backend = admitted.backend.clone();
    let result = with_timeout(
        &state,
        &admitted.entry.backend,
        backend.embeddings(outbound),
    )
    .await;
    let response = match result {
        Ok(r) => dispatch::inbound_body(r, &admitted.entry.name),
        Err(mut e) => {
            call.finish(
                &mut admitted,
                (0, 0),
                None,
                format!("dispatch failed: {}", e.status),
            )
            .await?;
            e.headers = rate_headers.into();
            return Err(e);
        }
    };
    let response_bytes = serde_json::to_vec(&response).map_err(ApiError::internal)?;
    let (p, _) = usage_tokens(response.get("usage"));
    let index = call
        .finish(&mut admitted, (p, 0), Some(&response_bytes), String::new())
        .await?;
    let mut http = json_response(response_bytes, &admitted.entry.name);
    meter::apply_headers(&mut http, &rate_headers);
    if let Some(index) = index {
        http.headers_mut().insert(LEDGER_INDEX_HEADER, index.into());
    }
    Ok(http)
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
    let mut response = axum::Json(json!({"object": "list", "data": data})).into_response();
    if let Some(m) = &state.meter {
        let h = meter::peek(m, &caller.principal, &caller.quotas).await;
        meter::apply_headers(&mut response, &h.to_pairs());
    }
    Ok(response)
}
