//! A streamed answer on its way to the caller. Each chunk is relabelled with the catalogue name and its deltas
//! (content and tool-call arguments) pass the output check. When the backend ends, the call is recorded
//! *before* `[DONE]`, so a stream the caller saw complete is recorded. A mid-stream failure, or an output block,
//! ends it with an error event and no `[DONE]`, so a truncated answer never passes for a complete one. A
//! stream the caller abandons is settled and recorded by the call guard's `Drop`.

use axum::body::Bytes;
use haetae_models::ChunkStream;
use serde_json::Value;

use futures::StreamExt;

use super::{CallGuard, Ending, Refusal, StreamCheck, output_refusal, push_message_text};
use crate::catalogue;
use crate::stages::dispatch;
use crate::stages::record::usage_tokens;

pub struct AnswerStream {
    chunks: ChunkStream,
    call: CallGuard,
    check: Box<dyn StreamCheck>,
    model: String,
    backend: String,
    client_wants_usage: bool,
    finished: bool,
    /// Set for the Responses API: chunks leave as Responses events (`crate::responses`).
    responses: Option<crate::responses::ResponsesFrames>,
}

fn event(r: &Refusal, call: &CallGuard) -> Bytes {
    let e = catalogue::render(r, call.language());
    Bytes::from(format!("data: {}\n\n", e.body()))
}

impl AnswerStream {
    pub fn new(
        chunks: ChunkStream,
        call: CallGuard,
        check: Box<dyn StreamCheck>,
        model: String,
        backend: String,
        client_wants_usage: bool,
    ) -> Self {
        AnswerStream {
            chunks,
            call,
            check,
            model,
            backend,
            client_wants_usage,
            finished: false,
            responses: None,
        }
    }

    /// Sends the answer as Responses events instead of chat chunks.
    pub fn with_responses(mut self, frames: Option<crate::responses::ResponsesFrames>) -> Self {
        self.responses = frames;
        self
    }

    /// The frame that ends a cut stream: an error event, or `response.failed` for the Responses API.
    fn error_frame(&mut self, r: &Refusal) -> Bytes {
        match self.responses.as_mut() {
            Some(frames) => frames.failed(&catalogue::render(r, self.call.language())),
            None => event(r, &self.call),
        }
    }

    /// Cuts the stream: records the block, and tells the caller why.
    async fn cut(&mut self, block: haetae_policy::OutputBlock) -> Bytes {
        self.finished = true;
        let refusal = output_refusal(&block);
        let usage = self.call.tokens_so_far();
        let response = self.call.take_sent();
        let ending = Ending::OutputBlocked {
            block,
            usage,
            response,
        };
        match self.call.end(ending).await {
            Ok(_) => self.error_frame(&refusal),
            Err(ledger) => self.error_frame(&ledger),
        }
    }

    pub async fn next_event(&mut self) -> Option<Bytes> {
        if self.finished {
            return None;
        }
        loop {
            return match self.chunks.next().await {
                Some(Ok(chunk)) => {
                    if let Some(u) = chunk.get("usage").filter(|u| !u.is_null()) {
                        self.call.stream_usage(usage_tokens(Some(u)));
                    }
                    let choices = chunk.get("choices").and_then(Value::as_array);
                    let is_usage_only = choices.is_some_and(Vec::is_empty);
                    let mut text = String::new();
                    let mut has_delta = false;
                    for choice in choices.into_iter().flatten() {
                        if let Some(d) = choice.get("delta") {
                            has_delta |= d.get("content").is_some_and(|c| !c.is_null())
                                || d.get("tool_calls").is_some();
                            push_message_text(d, &mut text);
                        }
                    }
                    if !text.is_empty() {
                        if let Some(block) = self.check.push(&text) {
                            return Some(self.cut(block).await);
                        }
                    }
                    if is_usage_only && !self.client_wants_usage {
                        continue;
                    }
                    let mut chunk = dispatch::inbound_body(chunk, &self.model);
                    if !self.client_wants_usage {
                        if let Some(o) = chunk.as_object_mut() {
                            o.remove("usage");
                        }
                    }
                    let bytes = match self.responses.as_mut() {
                        Some(frames) => frames.chunk(&chunk),
                        None => Bytes::from(format!("data: {chunk}\n\n")),
                    };
                    self.call.sent(&bytes, has_delta);
                    Some(bytes)
                }
                Some(Err(e)) => {
                    tracing::warn!(error = %e, "stream failed mid-way");
                    self.finished = true;
                    let state = &self.call.pipeline().state;
                    state.metrics.upstream_error(&self.backend, "stream");
                    let refusal: Refusal = e.into();
                    let usage = self.call.tokens_so_far();
                    let response = Some(self.call.take_sent());
                    let ending = Ending::Failed {
                        refusal: refusal.clone(),
                        usage,
                        response,
                    };
                    match self.call.end(ending).await {
                        Ok(_) => Some(self.error_frame(&refusal)),
                        Err(ledger) => Some(self.error_frame(&ledger)),
                    }
                }
                None => {
                    if let Some(block) = self.check.finish() {
                        return Some(self.cut(block).await);
                    }
                    self.finished = true;
                    let usage = self.call.tokens_so_far();
                    let response = self.call.take_sent();
                    let ending = Ending::Served {
                        usage,
                        response,
                        detail: "stream",
                    };
                    match self.call.end(ending).await {
                        Ok(_) => Some(match self.responses.as_mut() {
                            Some(frames) => frames.done(),
                            None => Bytes::from_static(b"data: [DONE]\n\n"),
                        }),
                        Err(ledger) => Some(self.error_frame(&ledger)),
                    }
                }
            };
        }
    }
}
