//! The request pipeline for model calls, as one straight line:
//!
//! authenticate → principal → parse/validate → classify → authorise (catalogue, engagement, Cedar) → meter →
//! dispatch → output check → record.
//!
//! Stages return a typed [`Refusal`]; only [`edge`] turns one into HTTP, through the message catalogue. From
//! authentication on, a [`CallGuard`] owns the call: whatever ends it — an answer, a refusal at any stage, an
//! upstream failure, a stream that completes, fails or is abandoned, a client that hangs up — it settles the
//! meter, records usage, tells the misuse detector and appends the ledger entry exactly once. Switched-off
//! stages ([`crate::Stages`]) are no-op implementations chosen when the router is built, not checks in the path.
//! An endpoint is a request [`Adapter`]: how to validate its body, what text the guard reads, how to call the
//! backend, and what the answer's text and usage are.

mod guard;
mod refusal;
mod stages;

use std::net::IpAddr;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::future::BoxFuture;
use haetae_core::{ModelEntry, now_unix};
use haetae_meter::misuse::Signal;
use haetae_models::{Backend, BackendError, ChunkStream};
use haetae_policy::{AuthzEffect, Classification, EngagementStatus, OutputBlock, check_scope};
use serde_json::{Map, Value, json};

use crate::catalogue::{self, Language};
use crate::error::ApiError;
use crate::stages::authorize::{self, InvokeRequest};
use crate::stages::record::{LEDGER_INDEX_HEADER, usage_tokens};
use crate::stages::{authenticate, classify, dispatch, meter, principal};
use crate::{AppState, ModelLabel, validate};

pub use guard::{CallGuard, Ending};
pub use refusal::{Params, Refusal, RefusalCode, Stage, TierGap};
pub use stages::{GuardStage, LedgerStage, MeterStage, OutputStage, StreamCheck};

/// The pipeline: the gateway's state and the stage implementations chosen for it at startup.
pub struct Pipeline {
    pub state: AppState,
    pub guard: Box<dyn GuardStage>,
    pub meter: Box<dyn MeterStage>,
    pub ledger: Box<dyn LedgerStage>,
    pub output: Box<dyn OutputStage>,
}

impl Pipeline {
    /// Chooses each stage's implementation from the state's [`crate::Stages`] once.
    pub fn new(state: AppState) -> Arc<Pipeline> {
        let guard = stages::guard_stage(&state);
        let meter = stages::meter_stage(&state);
        let ledger = stages::ledger_stage(&state);
        let output = stages::output_stage(&state);
        Arc::new(Pipeline {
            state,
            guard,
            meter,
            ledger,
            output,
        })
    }
}

/// What an endpoint's body says, once validated.
pub struct Parsed {
    pub model: String,
    /// The body as it travels on (the catalogue name is swapped for the backend's model id).
    pub body: Value,
    /// What the guard reads.
    pub text: String,
    /// Tokens to reserve.
    pub estimate: u64,
    /// The prompt's share of it (charged for a stream abandoned before the backend reported usage).
    pub prompt_estimate: u64,
    pub stream: bool,
    pub include_usage: bool,
    /// Set by the Responses adapter: the answer is translated into the Responses API's shape on the way out.
    pub responses: Option<Box<crate::responses::ResponsesReply>>,
}

/// A backend's answer.
pub enum Reply {
    Whole(Value),
    Stream(ChunkStream),
}

/// How an endpoint calls its backend: (backend, outbound body, stream?) → the answer.
pub type DispatchFn =
    fn(Arc<dyn Backend>, Value, bool) -> BoxFuture<'static, Result<Reply, BackendError>>;

/// One endpoint: everything the pipeline needs to know about its wire format.
pub struct Adapter {
    /// The ledger's action name.
    pub action: &'static str,
    /// Takes the body by value: it travels on without a copy.
    pub parse: fn(Map<String, Value>) -> Result<Parsed, Refusal>,
    pub dispatch: DispatchFn,
    /// The text of a whole answer the output check reads.
    pub answer_text: fn(&Value) -> String,
    /// Prompt and completion tokens of a whole answer.
    pub usage: fn(&Value) -> (u64, u64),
}

fn validation(e: ApiError) -> Refusal {
    Refusal::field(e.param.unwrap_or_default(), e.message)
}

fn parse_chat(body: Map<String, Value>) -> Result<Parsed, Refusal> {
    let body = Value::Object(body);
    let request = validate::chat_request(&body).map_err(validate::refusal)?;
    Ok(chat_parsed(request, body))
}

/// A validated chat request and the body it travels on as.
pub(crate) fn chat_parsed(request: validate::ChatRequest, body: Value) -> Parsed {
    let text = haetae_policy::request_text(&body);
    let estimate = meter::chat_estimate(&body, &text, request.max_tokens);
    Parsed {
        model: request.model,
        body,
        text,
        estimate,
        prompt_estimate: estimate.saturating_sub(
            request
                .max_tokens
                .unwrap_or(meter::DEFAULT_COMPLETION_RESERVE),
        ),
        stream: request.stream,
        include_usage: request.include_usage,
        responses: None,
    }
}

pub(crate) fn dispatch_chat(
    backend: Arc<dyn Backend>,
    mut body: Value,
    stream: bool,
) -> BoxFuture<'static, Result<Reply, BackendError>> {
    Box::pin(async move {
        if !stream {
            return backend.chat(body).await.map(Reply::Whole);
        }
        // The meter needs the real usage of every stream: ask the backend for it (the stream drops the usage
        // chunk again if the caller did not ask for it).
        if let Some(obj) = body.as_object_mut() {
            let opts = obj.entry("stream_options").or_insert_with(|| json!({}));
            if let Some(o) = opts.as_object_mut() {
                o.insert("include_usage".into(), Value::Bool(true));
            }
        }
        backend.chat_stream(body).await.map(Reply::Stream)
    })
}

/// Content and tool-call arguments of every choice: what a model said, in the order it said it.
pub(crate) fn chat_answer_text(v: &Value) -> String {
    let mut out = String::new();
    for choice in v
        .get("choices")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let message = choice.get("message").or_else(|| choice.get("delta"));
        if let Some(m) = message {
            push_message_text(m, &mut out);
        }
    }
    out
}

fn push_message_text(m: &Value, out: &mut String) {
    if let Some(c) = m.get("content").and_then(Value::as_str) {
        out.push_str(c);
    }
    for call in m
        .get("tool_calls")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(args) = call.pointer("/function/arguments").and_then(Value::as_str) {
            out.push_str(args);
        }
    }
}

pub static CHAT: Adapter = Adapter {
    action: "chat.completions",
    parse: parse_chat,
    dispatch: dispatch_chat,
    answer_text: chat_answer_text,
    usage: |v| usage_tokens(v.get("usage")),
};

fn parse_embeddings(body: Map<String, Value>) -> Result<Parsed, Refusal> {
    let body = Value::Object(body);
    let request = validate::embeddings_request(&body).map_err(validate::refusal)?;
    let text = classify::embeddings_text(&body);
    let estimate = meter::estimate_prompt_tokens(&text, 1);
    Ok(Parsed {
        model: request.model,
        body,
        text,
        estimate,
        prompt_estimate: estimate,
        stream: false,
        include_usage: false,
        responses: None,
    })
}

pub static EMBEDDINGS: Adapter = Adapter {
    action: "embeddings",
    parse: parse_embeddings,
    dispatch: |backend, body, _| {
        Box::pin(async move { backend.embeddings(body).await.map(Reply::Whole) })
    },
    // Vectors are not text an artefact can hide in.
    answer_text: |_| String::new(),
    usage: |v| (usage_tokens(v.get("usage")).0, 0),
};

/// The refusal rendered at the edge, with the caller's rate-limit headers and the ledger index of its entry.
pub fn edge(
    r: &Refusal,
    lang: Language,
    rate_headers: &[(&'static str, String)],
    index: Option<u64>,
) -> Response {
    let mut e = catalogue::render(r, lang);
    if e.headers.is_empty() {
        e.headers = rate_headers.to_vec().into();
    }
    let mut response = e.into_response();
    if let Some(i) = index {
        response.headers_mut().insert(LEDGER_INDEX_HEADER, i.into());
    }
    response
}

/// Serves one model call through every stage. The only function that runs the stages; handlers are adapters.
pub async fn serve(
    pipeline: Arc<Pipeline>,
    adapter: &'static Adapter,
    request_id: String,
    addr: Option<IpAddr>,
    request: Request,
) -> Response {
    let accept = Language::from_accept_language(request.headers());
    let refuse_early = |r: Refusal| edge(&r, accept.unwrap_or(Language::En), &[], None);

    // authenticate (a refusal here is not recorded: nobody is known to record it against)
    if let Err(r) = pipeline.ledger.healthy() {
        return refuse_early(r);
    }
    let (record, generation) =
        match authenticate::authenticate_member(&pipeline.state.store, request.headers()).await {
            Ok(r) => r,
            Err(r) => return refuse_early(r),
        };
    let quotas = record.quotas;

    // principal: from here on the call guard records whatever happens
    let principal = principal::principal_of(record);
    let standing = principal::standing(&principal);
    let mut call = CallGuard::new(
        pipeline.clone(),
        principal,
        quotas,
        request_id,
        adapter.action,
        addr,
        accept,
    );
    if let Some(r) = standing {
        return call.refuse(r).await;
    }

    let (parts, body) = request.into_parts();
    let headers = parts.headers.clone();
    let admitted = match admit(
        &pipeline,
        adapter,
        &mut call,
        &headers,
        generation,
        Request::from_parts(parts, body),
    )
    .await
    {
        Ok(a) => a,
        Err(r) => return call.refuse(r).await,
    };
    dispatch_and_answer(&pipeline, adapter, call, admitted).await
}

/// What parse … meter let through.
pub struct Admitted {
    entry: ModelEntry,
    backend: Arc<dyn Backend>,
    parsed: Parsed,
    rate_headers: Vec<(&'static str, String)>,
}

/// Parse/validate → classify → authorise → meter, in order; the first refusal ends it.
async fn admit(
    pipeline: &Pipeline,
    adapter: &Adapter,
    call: &mut CallGuard,
    headers: &HeaderMap,
    generation: i64,
    request: Request,
) -> Result<Admitted, Refusal> {
    let state = &pipeline.state;

    // parse and validate
    let bytes = Bytes::from_request(request, &())
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Refusal::new(Stage::Parse, RefusalCode::BodyTooLarge).with_params(Params::Limit {
                    bytes: state.options.max_body_bytes,
                })
            } else {
                Refusal::new(Stage::Parse, RefusalCode::BodyUnreadable)
            }
        })?;
    call.set_request(&bytes);
    // After authentication, so that the refusal is recorded against the caller like every other.
    validate::json_media_type(headers).map_err(|declared| {
        Refusal::new(Stage::Parse, RefusalCode::UnsupportedMediaType)
            .with_params(Params::MediaType { declared })
    })?;
    let body = validate::parse_json(&bytes).map_err(validation)?;
    let parsed = (adapter.parse)(body)?;
    let declared = classify::declared(headers)?;

    // classify
    let classification = match pipeline.guard.classify(parsed.text.clone()).await {
        Ok(c) => c,
        Err(refusal) => {
            call.classified(refusal.rules, declared.use_case);
            return Err(refusal.refusal);
        }
    };
    let korean = classification.lang;
    call.classified(classification.clone(), declared.use_case);
    call.detected(Language::from_detected(korean));

    // authorise: catalogue, engagement, Cedar
    let entry = state
        .store
        .model_at(generation, &parsed.model)
        .await
        .map_err(|e| Refusal::store(Stage::Authorise, e))?
        .ok_or_else(|| {
            Refusal::new(Stage::Authorise, RefusalCode::ModelNotFound)
                .with_policies(vec!["catalogue.unknown-model".into()])
                .with_params(Params::Model {
                    name: parsed.model.chars().take(256).collect(),
                })
        })?;
    call.set_model(&entry.name);
    let p = call.principal().clone();
    let now = now_unix();
    let engagement = match &declared.engagement {
        None => check_scope(None, &p.org.id, now, &parsed.text),
        Some(id) => {
            let record = state
                .store
                .get_engagement(id)
                .await
                .map_err(|e| Refusal::store(Stage::Authorise, e))?;
            // Unknown and another organisation's engagement get the same answer and the same ledger entry.
            let Some(record) = record.filter(|r| r.org_id == p.org.id) else {
                return Err(
                    Refusal::new(Stage::Authorise, RefusalCode::EngagementNotFound)
                        .with_policies(vec!["engagement.unknown".into()]),
                );
            };
            match authorize::engagement_for_policy(&record) {
                Ok(e) => check_scope(Some(&e), &p.org.id, now, &parsed.text),
                Err(why) => {
                    tracing::error!(%why, "stored engagement is corrupt");
                    EngagementStatus::none(&[])
                }
            }
        }
    };
    let tiers = state
        .store
        .tiers_at(generation)
        .await
        .map_err(|e| Refusal::store(Stage::Authorise, e))?;
    let (decision, _input) = authorize::decide(
        &state.policy,
        InvokeRequest {
            principal: &p,
            model: &entry,
            tiers: &tiers,
            classification: &classification,
            declared: declared.use_case,
            engagement,
            now,
        },
    );
    match decision.effect {
        AuthzEffect::Allow => {}
        AuthzEffect::Deny => return Err(authorize::refusal(&decision, &p, &entry, None)),
        AuthzEffect::Review => {
            let mut use_cases: Vec<String> = classification
                .labels()
                .iter()
                .map(|u| u.as_str().to_string())
                .collect();
            if let Some(d) = declared.use_case {
                use_cases.push(d.as_str().to_string());
            }
            let signal = Signal::policy_review(
                crate::api::now_ms(),
                &p.org.id,
                &p.key_id,
                call.request_id(),
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
            return Err(authorize::refusal(&decision, &p, &entry, item));
        }
    }
    let backend = state.backends.get(&entry.backend).ok_or_else(|| {
        tracing::error!(model = %entry.name, backend = %entry.backend, "catalogue names a backend that is not configured");
        Refusal::new(Stage::Authorise, RefusalCode::ModelUnavailable).with_params(Params::Model {
            name: entry.name.clone(),
        })
    })?;

    // meter
    let settlement = pipeline
        .meter
        .reserve(&p, call.quotas(), parsed.estimate)
        .await?;
    let rate_headers = settlement.headers();
    call.admitted(
        settlement,
        decision.policy_ids.clone(),
        parsed.prompt_estimate,
    );
    Ok(Admitted {
        entry,
        backend,
        parsed,
        rate_headers,
    })
}

/// Dispatch → output check → record, for a whole answer or a stream.
async fn dispatch_and_answer(
    pipeline: &Arc<Pipeline>,
    adapter: &'static Adapter,
    mut call: CallGuard,
    admitted: Admitted,
) -> Response {
    let Admitted {
        entry,
        backend,
        parsed,
        rate_headers,
    } = admitted;
    let state = &pipeline.state;
    tracing::debug!(request_id = call.request_id(), model = %entry.name, stream = parsed.stream, "dispatching");
    let outbound = dispatch::outbound_body(parsed.body, &entry.upstream_model);
    let reply = match tokio::time::timeout(
        state.options.request_timeout,
        (adapter.dispatch)(backend, outbound, parsed.stream),
    )
    .await
    {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            return call
                .fail(upstream_failure(state, &entry.backend, e), &rate_headers)
                .await;
        }
        Err(_) => {
            let e = BackendError::Timeout("the gateway's request timeout passed".into());
            return call
                .fail(upstream_failure(state, &entry.backend, e), &rate_headers)
                .await;
        }
    };
    match reply {
        Reply::Whole(answer) => {
            let answer = dispatch::inbound_body(answer, &entry.name);
            let bytes = match serde_json::to_vec(&answer) {
                Ok(b) => b,
                Err(e) => return call.refuse(Refusal::internal(Stage::Dispatch, e)).await,
            };
            let usage = (adapter.usage)(&answer);
            let bytes = match &parsed.responses {
                None => bytes,
                Some(reply) => match reply.whole(&answer, call.request_id()) {
                    Ok(b) => b,
                    Err(r) => return call.refuse(r).await,
                },
            };
            // output check
            if let Some(block) = pipeline.output.scan_whole(&(adapter.answer_text)(&answer)) {
                return call
                    .output_blocked(block, usage, bytes, &rate_headers)
                    .await;
            }
            // record
            let lang = call.language();
            let index = match call
                .end(Ending::Served {
                    usage,
                    response: bytes.clone(),
                    detail: "",
                })
                .await
            {
                Ok(i) => i,
                Err(r) => return edge(&r, lang, &rate_headers, None),
            };
            let mut http = labelled(
                ([(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
                &entry.name,
            );
            meter::apply_headers(&mut http, &rate_headers);
            if let Some(i) = index {
                http.headers_mut().insert(LEDGER_INDEX_HEADER, i.into());
            }
            http
        }
        Reply::Stream(chunks) => {
            call.streaming();
            let responses = parsed
                .responses
                .as_ref()
                .map(|r| r.frames(call.request_id()));
            let stream = stream::AnswerStream::new(
                chunks,
                call,
                pipeline.output.stream_check(),
                entry.name.clone(),
                entry.backend.clone(),
                parsed.include_usage,
            )
            .with_responses(responses);
            let events = futures::stream::unfold(stream, |mut st| async move {
                let bytes = st.next_event().await?;
                Some((Ok::<Bytes, std::convert::Infallible>(bytes), st))
            });
            let response = Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, "text/event-stream")
                .header(header::CACHE_CONTROL, "no-cache")
                .header("x-accel-buffering", "no")
                .body(Body::from_stream(events));
            let mut response = match response {
                Ok(r) => r,
                Err(e) => return ApiError::internal(e).into_response(),
            };
            meter::apply_headers(&mut response, &rate_headers);
            labelled(response, &entry.name)
        }
    }
}

fn upstream_failure(state: &AppState, backend: &str, error: BackendError) -> Refusal {
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

pub(crate) fn labelled(mut response: Response, model: &str) -> Response {
    response
        .extensions_mut()
        .insert(ModelLabel(model.to_string()));
    response
}

/// The classification's labels as the ledger records them.
pub(crate) fn labels(c: &Classification) -> String {
    c.labels()
        .iter()
        .map(|u| u.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// A guard hit worth the misuse detector's attention: a restricted use-case, and the rule that found it.
pub(crate) fn guard_hit(c: &Classification) -> Option<(String, Option<String>)> {
    let top = c.use_cases.first()?;
    haetae_policy::is_restricted(top.use_case).then(|| {
        (
            top.use_case.as_str().to_string(),
            top.evidence.first().map(|e| e.rule_id.clone()),
        )
    })
}

/// The refusal an output block becomes.
pub fn output_refusal(block: &OutputBlock) -> Refusal {
    Refusal::new(Stage::OutputCheck, RefusalCode::OutputBlocked)
        .with_policies(vec![format!("output-guard.{}", block.rule_id)])
        .with_params(Params::Output {
            use_case: block.use_case,
            rule_id: block.rule_id.clone(),
        })
}

mod stream;
