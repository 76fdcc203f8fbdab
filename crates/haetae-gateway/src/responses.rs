//! `POST /v1/responses`: the OpenAI Responses API, as an adapter over the chat path.
//!
//! The request is translated into a chat completion request *before* any stage runs ([`haetae_openai::translate`]),
//! so the guard classifies, the policy decides on, the meter reserves for and the backend answers exactly the
//! conversation the Responses request describes. The answer is translated back on the way out: a whole chat
//! completion becomes a `response` object, a stream of chunks becomes the Responses events
//! ([`haetae_openai::ResponsesStream`]). The ledger records these calls under the action `responses`, with the
//! digest of what the caller received.
//!
//! The gateway keeps no responses: `previous_response_id`, `conversation` and stored prompts are refused with a
//! 400 naming the field (send the whole conversation as `input` items instead); `store` is accepted and ignored.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::Request;
use axum::response::Response;
use futures::future::BoxFuture;
use haetae_core::now_unix;
use haetae_models::{Backend, BackendError};
use haetae_openai::translate::{in_responses_terms, response_template, responses_field};
use haetae_openai::{
    ChatCompletion, ResponseIds, ResponsesRequest, ResponsesStream, chat_to_response, from_value,
    responses_to_chat,
};
use serde_json::{Map, Value};

use crate::api::ClientAddr;
use crate::error::ApiError;
use crate::pipeline::{self, Adapter, Parsed, Pipeline, Refusal, Reply, Stage};
use crate::stages::record::usage_tokens;
use crate::{RequestId, validate};

/// `created_at`: a clock before 1970 reads as 0 rather than wrapping.
fn unix_now() -> u64 {
    u64::try_from(now_unix()).unwrap_or(0)
}

/// What a Responses answer needs from its request: the settings a `response` object echoes back.
#[derive(Debug)]
pub struct ResponsesReply {
    /// The request without its input (the echo does not carry it, and it can be large).
    request: ResponsesRequest,
}

impl ResponsesReply {
    /// A whole chat completion (already relabelled with the catalogue name) → the `response` object's JSON.
    pub fn whole(&self, answer: &Value, request_id: &str) -> Result<Vec<u8>, Refusal> {
        let chat: ChatCompletion = from_value(answer).map_err(|e| {
            Refusal::internal(
                Stage::Dispatch,
                format!("the backend's answer is not a chat completion: {e}"),
            )
        })?;
        let ids = ResponseIds::from_seed(request_id);
        let response = chat_to_response(&chat, &self.request, &ids, unix_now());
        serde_json::to_vec(&response).map_err(|e| Refusal::internal(Stage::Dispatch, e))
    }

    /// The translator a streamed answer's chunks go through.
    pub fn frames(&self, request_id: &str) -> ResponsesFrames {
        let ids = ResponseIds::from_seed(request_id);
        let template = response_template(&self.request, &ids, unix_now());
        ResponsesFrames {
            machine: ResponsesStream::new(template, ids),
        }
    }
}

/// A Responses stream as server-sent-event bytes: [`ResponsesStream`] plus framing.
#[derive(Debug)]
pub struct ResponsesFrames {
    machine: ResponsesStream,
}

fn frames(events: Vec<haetae_openai::SequencedEvent>) -> Bytes {
    let mut out = String::new();
    for e in &events {
        out.push_str(&e.to_sse());
    }
    Bytes::from(out)
}

impl ResponsesFrames {
    /// The events one chunk (relabelled, usage included) becomes; empty for a chunk that adds nothing.
    pub fn chunk(&mut self, chunk: &Value) -> Bytes {
        match self.machine.push_value(chunk) {
            Ok(events) => frames(events),
            Err(e) => {
                tracing::warn!(error = %e, "the backend streamed something that is not a chat completion chunk");
                frames(
                    self.machine
                        .fail("server_error", "The model backend sent an invalid stream."),
                )
            }
        }
    }

    /// The end of a complete answer: the open items close and `response.completed` carries the whole response.
    pub fn done(&mut self) -> Bytes {
        frames(self.machine.finish())
    }

    /// The end of a cut answer (upstream failure, output block, ledger failure): `response.failed` with the
    /// refusal's message in the caller's language.
    pub fn failed(&mut self, error: &ApiError) -> Bytes {
        frames(self.machine.fail("server_error", &error.message))
    }
}

fn parse(body: Map<String, Value>) -> Result<Parsed, Refusal> {
    let request: ResponsesRequest = from_value(&Value::Object(body)).map_err(validate::refusal)?;
    let chat = responses_to_chat(&request).map_err(validate::refusal)?;
    // Validated as the chat request the stages run on; what it refuses is named as the caller sent it.
    let checked = validate::chat(&chat).map_err(|e| validate::refusal(in_responses_terms(e)))?;
    let body = serde_json::to_value(&chat).map_err(|e| Refusal::internal(Stage::Parse, e))?;
    let mut parsed = pipeline::chat_parsed(checked, body);
    // The translator needs the usage chunk for `response.completed`; the caller never sees it as a chunk.
    parsed.include_usage = parsed.stream;
    let mut echo = request;
    echo.input = None;
    parsed.responses = Some(Box::new(ResponsesReply { request: echo }));
    Ok(parsed)
}

/// The chat call, with a backend's refusal of one field (the embedded model's `response_format` schema check)
/// naming the field of the Responses request it came from (`text.format…`).
fn dispatch(
    backend: Arc<dyn Backend>,
    body: Value,
    stream: bool,
) -> BoxFuture<'static, Result<Reply, BackendError>> {
    let call = pipeline::dispatch_chat(backend, body, stream);
    Box::pin(async move { call.await.map_err(|e| e.rename_field(responses_field)) })
}

pub static RESPONSES: Adapter = Adapter {
    action: "responses",
    parse,
    dispatch,
    answer_text: pipeline::chat_answer_text,
    usage: |v| usage_tokens(v.get("usage")),
};

/// Creates a model response (the Responses API), streamed as Responses events when `stream` is true.
#[utoipa::path(post, path = "/v1/responses", tag = "openai",
    request_body(content = haetae_openai::ResponsesRequest, description = "An OpenAI Responses API request. Function tools only; \
        previous_response_id, conversation and stored prompts are refused (the gateway stores no responses)."),
    params(("x-haetae-use-case" = Option<String>, Header, description = "The declared use-case (docs/use-cases.md)"),
           ("x-haetae-engagement" = Option<String>, Header, description = "A registered engagement's id")),
    responses((status = 200, description = "A response object, or an SSE stream of Responses events"),
              (status = 400, description = "Invalid request (the message names the field)"), (status = 401, description = "Invalid API key"),
              (status = 403, description = "Refused by the programme (deny or review)"), (status = 404, description = "Unknown model"),
              (status = 413, description = "Body too large"), (status = 429, description = "Rate limit or budget exceeded"),
              (status = 502, description = "Upstream failure"), (status = 503, description = "Overloaded, or a fail-closed stage is down"),
              (status = 504, description = "Upstream timeout")),
    security(("member_key" = [])))]
pub async fn create_response(
    Extension(pipeline): Extension<Arc<Pipeline>>,
    Extension(request_id): Extension<RequestId>,
    ClientAddr(addr): ClientAddr,
    request: Request,
) -> Response {
    pipeline::serve(pipeline, &RESPONSES, request_id.0, addr, request).await
}
