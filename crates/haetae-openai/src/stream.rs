//! Chat completion chunks → the Responses API's server-sent events.
//!
//! [`ResponsesStream`] is a state machine fed one `chat.completion.chunk` at a time. It emits the events the
//! Responses API sends, in its order: `response.created` and `response.in_progress` first; for each output item
//! `response.output_item.added`, then (a message) `response.content_part.added`, `response.output_text.delta`…,
//! `response.output_text.done`, `response.content_part.done`, or (a function call)
//! `response.function_call_arguments.delta`…, `response.function_call_arguments.done`; then
//! `response.output_item.done`; last `response.completed` (or `response.incomplete` when the answer was cut off,
//! or `response.failed`) carrying the whole response with its usage. Every event has a `sequence_number`, counting
//! from 0. Only the first choice (`index` 0) is translated: the Responses API has no `n`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::chat::{ChatCompletionChunk, Role};
use crate::responses::{OutputContent, OutputItem, ResponseError, ResponseObject, ResponseUsage};
use crate::translate::{ResponseIds, response_usage, status_for};

/// One event of a Responses stream, as sent: `event: <type>` and `data: <this, as JSON>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SequencedEvent {
    pub sequence_number: u64,
    #[serde(flatten)]
    pub event: ResponseStreamEvent,
}

impl SequencedEvent {
    /// The event type (`response.output_text.delta`, …).
    pub fn kind(&self) -> &'static str {
        self.event.kind()
    }

    /// The event as a server-sent event frame.
    pub fn to_sse(&self) -> String {
        // Serialising these types cannot fail (string keys, no non-finite floats from us); an empty object keeps the
        // frame well-formed if it ever did.
        let data = serde_json::to_string(self).unwrap_or_else(|_| "{}".into());
        format!("event: {}\ndata: {data}\n\n", self.kind())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ResponseStreamEvent {
    #[serde(rename = "response.created")]
    Created { response: ResponseObject },
    #[serde(rename = "response.in_progress")]
    InProgress { response: ResponseObject },
    #[serde(rename = "response.output_item.added")]
    OutputItemAdded {
        output_index: usize,
        item: OutputItem,
    },
    #[serde(rename = "response.content_part.added")]
    ContentPartAdded {
        item_id: String,
        output_index: usize,
        content_index: usize,
        part: OutputContent,
    },
    #[serde(rename = "response.output_text.delta")]
    OutputTextDelta {
        item_id: String,
        output_index: usize,
        content_index: usize,
        delta: String,
        logprobs: Vec<Value>,
    },
    #[serde(rename = "response.output_text.done")]
    OutputTextDone {
        item_id: String,
        output_index: usize,
        content_index: usize,
        text: String,
        logprobs: Vec<Value>,
    },
    #[serde(rename = "response.refusal.delta")]
    RefusalDelta {
        item_id: String,
        output_index: usize,
        content_index: usize,
        delta: String,
    },
    #[serde(rename = "response.refusal.done")]
    RefusalDone {
        item_id: String,
        output_index: usize,
        content_index: usize,
        refusal: String,
    },
    #[serde(rename = "response.content_part.done")]
    ContentPartDone {
        item_id: String,
        output_index: usize,
        content_index: usize,
        part: OutputContent,
    },
    #[serde(rename = "response.function_call_arguments.delta")]
    FunctionCallArgumentsDelta {
        item_id: String,
        output_index: usize,
        delta: String,
    },
    #[serde(rename = "response.function_call_arguments.done")]
    FunctionCallArgumentsDone {
        item_id: String,
        output_index: usize,
        arguments: String,
    },
    #[serde(rename = "response.output_item.done")]
    OutputItemDone {
        output_index: usize,
        item: OutputItem,
    },
    #[serde(rename = "response.completed")]
    Completed { response: ResponseObject },
    #[serde(rename = "response.incomplete")]
    Incomplete { response: ResponseObject },
    #[serde(rename = "response.failed")]
    Failed { response: ResponseObject },
}

impl ResponseStreamEvent {
    pub fn kind(&self) -> &'static str {
        use ResponseStreamEvent::*;
        match self {
            Created { .. } => "response.created",
            InProgress { .. } => "response.in_progress",
            OutputItemAdded { .. } => "response.output_item.added",
            ContentPartAdded { .. } => "response.content_part.added",
            OutputTextDelta { .. } => "response.output_text.delta",
            OutputTextDone { .. } => "response.output_text.done",
            RefusalDelta { .. } => "response.refusal.delta",
            RefusalDone { .. } => "response.refusal.done",
            ContentPartDone { .. } => "response.content_part.done",
            FunctionCallArgumentsDelta { .. } => "response.function_call_arguments.delta",
            FunctionCallArgumentsDone { .. } => "response.function_call_arguments.done",
            OutputItemDone { .. } => "response.output_item.done",
            Completed { .. } => "response.completed",
            Incomplete { .. } => "response.incomplete",
            Failed { .. } => "response.failed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum PartKind {
    Text,
    Refusal,
}

/// The assistant message being streamed.
#[derive(Debug)]
struct OpenMessage {
    id: String,
    output_index: usize,
    /// Finished parts, then the open one (the last).
    parts: Vec<(PartKind, String)>,
    part_open: bool,
}

/// A function call being streamed; `chat_index` is the chunk's `tool_calls[].index`.
#[derive(Debug)]
struct OpenCall {
    chat_index: u32,
    id: String,
    output_index: usize,
    call_id: String,
    name: String,
    arguments: String,
}

/// The state machine: `start`, then `push` per chunk, then `finish` (or `fail`). Each returns the events to send.
#[derive(Debug)]
pub struct ResponsesStream {
    response: ResponseObject,
    ids: ResponseIds,
    next_sequence: u64,
    /// Closed items by output index (`None` while open).
    items: Vec<Option<OutputItem>>,
    message: Option<OpenMessage>,
    messages_opened: usize,
    calls: Vec<OpenCall>,
    calls_opened: usize,
    finish_reason: Option<String>,
    usage: Option<ResponseUsage>,
    started: bool,
    ended: bool,
}

impl ResponsesStream {
    /// `template` is the response as it starts ([`crate::translate::response_template`]).
    pub fn new(template: ResponseObject, ids: ResponseIds) -> Self {
        ResponsesStream {
            response: template,
            ids,
            next_sequence: 0,
            items: Vec::new(),
            message: None,
            messages_opened: 0,
            calls: Vec::new(),
            calls_opened: 0,
            finish_reason: None,
            usage: None,
            started: false,
            ended: false,
        }
    }

    /// Usage seen so far (the last chunk of a stream that asked for it carries it).
    pub fn usage(&self) -> Option<&ResponseUsage> {
        self.usage.as_ref()
    }

    pub fn is_ended(&self) -> bool {
        self.ended
    }

    fn emit(&mut self, out: &mut Vec<SequencedEvent>, event: ResponseStreamEvent) {
        out.push(SequencedEvent {
            sequence_number: self.next_sequence,
            event,
        });
        self.next_sequence += 1;
    }

    /// `response.created` and `response.in_progress`; called by `push`/`finish` if not called first.
    pub fn start(&mut self) -> Vec<SequencedEvent> {
        let mut out = Vec::new();
        self.start_into(&mut out);
        out
    }

    fn start_into(&mut self, out: &mut Vec<SequencedEvent>) {
        if self.started {
            return;
        }
        self.started = true;
        let response = self.response.clone();
        self.emit(
            out,
            ResponseStreamEvent::Created {
                response: response.clone(),
            },
        );
        self.emit(out, ResponseStreamEvent::InProgress { response });
    }

    /// Feeds one chunk, given as JSON (what a backend yields). A chunk that is not a chat completion chunk is an
    /// upstream fault: the caller should [`fail`](Self::fail) the stream.
    pub fn push_value(&mut self, chunk: &Value) -> Result<Vec<SequencedEvent>, crate::WireError> {
        let chunk: ChatCompletionChunk = crate::from_value(chunk)?;
        Ok(self.push(&chunk))
    }

    pub fn push(&mut self, chunk: &ChatCompletionChunk) -> Vec<SequencedEvent> {
        let mut out = Vec::new();
        if self.ended {
            return out;
        }
        self.start_into(&mut out);
        if let Some(usage) = &chunk.usage {
            self.usage = Some(response_usage(usage));
        }
        let Some(choice) = chunk.choices.iter().find(|c| c.index == 0) else {
            return out;
        };
        let delta = &choice.delta;
        if let Some(text) = delta.content.as_deref().filter(|t| !t.is_empty()) {
            self.message_delta(&mut out, PartKind::Text, text);
        }
        if let Some(refusal) = delta.refusal.as_deref().filter(|t| !t.is_empty()) {
            self.message_delta(&mut out, PartKind::Refusal, refusal);
        }
        for call in delta.tool_calls.iter().flatten() {
            let function = call.function.as_ref();
            let name = function.and_then(|f| f.name.as_deref()).unwrap_or("");
            let arguments = function.and_then(|f| f.arguments.as_deref()).unwrap_or("");
            let at = match self.calls.iter().position(|c| c.chat_index == call.index) {
                Some(at) => {
                    // Some upstreams send the name in pieces too.
                    self.calls[at].name.push_str(name);
                    at
                }
                None => {
                    // Output items follow one another: text the model wrote before its calls is finished.
                    self.close_message(&mut out, "completed");
                    let output_index = self.items.len();
                    self.items.push(None);
                    let open = OpenCall {
                        chat_index: call.index,
                        id: self.ids.function_call(self.calls_opened),
                        output_index,
                        call_id: call.id.clone().unwrap_or_else(|| {
                            format!("call_{}", self.ids.function_call(self.calls_opened))
                        }),
                        name: name.to_string(),
                        arguments: String::new(),
                    };
                    self.calls_opened += 1;
                    let item = call_item(&open, "in_progress");
                    self.emit(
                        &mut out,
                        ResponseStreamEvent::OutputItemAdded { output_index, item },
                    );
                    self.calls.push(open);
                    self.calls.len() - 1
                }
            };
            if !arguments.is_empty() {
                self.calls[at].arguments.push_str(arguments);
                let (item_id, output_index) =
                    (self.calls[at].id.clone(), self.calls[at].output_index);
                self.emit(
                    &mut out,
                    ResponseStreamEvent::FunctionCallArgumentsDelta {
                        item_id,
                        output_index,
                        delta: arguments.to_string(),
                    },
                );
            }
        }
        if let Some(reason) = &choice.finish_reason {
            self.finish_reason = Some(reason.clone());
        }
        out
    }

    fn message_delta(&mut self, out: &mut Vec<SequencedEvent>, kind: PartKind, text: &str) {
        if self.message.is_none() {
            let id = self.ids.message(self.messages_opened);
            self.messages_opened += 1;
            let output_index = self.items.len();
            self.items.push(None);
            self.emit(
                out,
                ResponseStreamEvent::OutputItemAdded {
                    output_index,
                    item: OutputItem::Message {
                        id: id.clone(),
                        role: Role::Assistant,
                        status: "in_progress".into(),
                        content: Vec::new(),
                    },
                },
            );
            self.message = Some(OpenMessage {
                id,
                output_index,
                parts: Vec::new(),
                part_open: false,
            });
        }
        let Some(mut message) = self.message.take() else {
            return;
        };
        let same_part = message.part_open && message.parts.last().is_some_and(|(k, _)| *k == kind);
        if !same_part {
            self.close_part(out, &mut message);
            message.parts.push((kind, String::new()));
            message.part_open = true;
            let content_index = message.parts.len() - 1;
            self.emit(
                out,
                ResponseStreamEvent::ContentPartAdded {
                    item_id: message.id.clone(),
                    output_index: message.output_index,
                    content_index,
                    part: part(kind, String::new()),
                },
            );
        }
        let content_index = message.parts.len() - 1;
        if let Some((_, so_far)) = message.parts.last_mut() {
            so_far.push_str(text);
        }
        let (item_id, output_index) = (message.id.clone(), message.output_index);
        let event = match kind {
            PartKind::Text => ResponseStreamEvent::OutputTextDelta {
                item_id,
                output_index,
                content_index,
                delta: text.to_string(),
                logprobs: Vec::new(),
            },
            PartKind::Refusal => ResponseStreamEvent::RefusalDelta {
                item_id,
                output_index,
                content_index,
                delta: text.to_string(),
            },
        };
        self.emit(out, event);
        self.message = Some(message);
    }

    fn close_part(&mut self, out: &mut Vec<SequencedEvent>, message: &mut OpenMessage) {
        if !message.part_open {
            return;
        }
        message.part_open = false;
        let Some((kind, text)) = message.parts.last().cloned() else {
            return;
        };
        let content_index = message.parts.len() - 1;
        let (item_id, output_index) = (message.id.clone(), message.output_index);
        let done = match kind {
            PartKind::Text => ResponseStreamEvent::OutputTextDone {
                item_id: item_id.clone(),
                output_index,
                content_index,
                text: text.clone(),
                logprobs: Vec::new(),
            },
            PartKind::Refusal => ResponseStreamEvent::RefusalDone {
                item_id: item_id.clone(),
                output_index,
                content_index,
                refusal: text.clone(),
            },
        };
        self.emit(out, done);
        self.emit(
            out,
            ResponseStreamEvent::ContentPartDone {
                item_id,
                output_index,
                content_index,
                part: part(kind, text),
            },
        );
    }

    fn close_message(&mut self, out: &mut Vec<SequencedEvent>, status: &str) {
        let Some(mut message) = self.message.take() else {
            return;
        };
        self.close_part(out, &mut message);
        let item = OutputItem::Message {
            id: message.id.clone(),
            role: Role::Assistant,
            status: status.into(),
            content: message
                .parts
                .iter()
                .map(|(k, t)| part(*k, t.clone()))
                .collect(),
        };
        self.emit(
            out,
            ResponseStreamEvent::OutputItemDone {
                output_index: message.output_index,
                item: item.clone(),
            },
        );
        if let Some(slot) = self.items.get_mut(message.output_index) {
            *slot = Some(item);
        }
    }

    fn close_calls(&mut self, out: &mut Vec<SequencedEvent>) {
        for call in std::mem::take(&mut self.calls) {
            self.emit(
                out,
                ResponseStreamEvent::FunctionCallArgumentsDone {
                    item_id: call.id.clone(),
                    output_index: call.output_index,
                    arguments: call.arguments.clone(),
                },
            );
            let item = call_item(&call, "completed");
            self.emit(
                out,
                ResponseStreamEvent::OutputItemDone {
                    output_index: call.output_index,
                    item: item.clone(),
                },
            );
            if let Some(slot) = self.items.get_mut(call.output_index) {
                *slot = Some(item);
            }
        }
    }

    /// Closes every open item in output order, then `response.completed` (or `response.incomplete`) with the
    /// whole response and its usage. Returns nothing if the stream already ended.
    pub fn finish(&mut self) -> Vec<SequencedEvent> {
        let mut out = Vec::new();
        if self.ended {
            return out;
        }
        self.start_into(&mut out);
        let (status, incomplete) = status_for(self.finish_reason.as_deref());
        let item_status = if status == "completed" {
            "completed"
        } else {
            "incomplete"
        };
        // A message opened after calls (rare) closes last, keeping output_item.done in output order.
        let message_last = self.message.as_ref().is_some_and(|m| {
            self.calls
                .first()
                .is_some_and(|c| c.output_index < m.output_index)
        });
        if message_last {
            self.close_calls(&mut out);
            self.close_message(&mut out, item_status);
        } else {
            self.close_message(&mut out, item_status);
            self.close_calls(&mut out);
        }
        self.ended = true;
        let mut response = self.response.clone();
        response.status = status.into();
        response.incomplete_details = incomplete;
        response.output = self.items.iter().flatten().cloned().collect();
        response.usage = self.usage.clone();
        let event = if status == "completed" {
            ResponseStreamEvent::Completed { response }
        } else {
            ResponseStreamEvent::Incomplete { response }
        };
        self.emit(&mut out, event);
        out
    }

    /// Ends the stream with `response.failed`: the upstream failed mid-answer, so the items stay unfinished and
    /// the caller can never take a truncated answer for a complete one.
    pub fn fail(&mut self, code: &str, message: &str) -> Vec<SequencedEvent> {
        let mut out = Vec::new();
        if self.ended {
            return out;
        }
        self.start_into(&mut out);
        self.ended = true;
        let mut response = self.response.clone();
        response.status = "failed".into();
        response.output = self.items.iter().flatten().cloned().collect();
        response.usage = self.usage.clone();
        response.error = Some(ResponseError {
            code: code.into(),
            message: message.into(),
        });
        self.emit(&mut out, ResponseStreamEvent::Failed { response });
        out
    }
}

fn part(kind: PartKind, text: String) -> OutputContent {
    match kind {
        PartKind::Text => OutputContent::OutputText {
            text,
            annotations: Vec::new(),
        },
        PartKind::Refusal => OutputContent::Refusal { refusal: text },
    }
}

fn call_item(call: &OpenCall, status: &str) -> OutputItem {
    OutputItem::FunctionCall {
        id: call.id.clone(),
        call_id: call.call_id.clone(),
        name: call.name.clone(),
        arguments: if status == "completed" {
            call.arguments.clone()
        } else {
            String::new()
        },
        status: status.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::responses::ResponsesRequest;
    use crate::translate::response_template;
    use serde_json::json;

    fn machine() -> ResponsesStream {
        let req: ResponsesRequest =
            crate::from_value(&json!({"model": "m", "input": "x"})).expect("request");
        let ids = ResponseIds::from_seed("req_abc");
        ResponsesStream::new(response_template(&req, &ids, 1), ids)
    }

    fn text(t: &str) -> Value {
        json!({"choices": [{"index": 0, "delta": {"content": t}, "finish_reason": null}]})
    }

    fn call(index: u32, id: Option<&str>, name: Option<&str>, args: &str) -> Value {
        let mut function = json!({"arguments": args});
        if let Some(n) = name {
            function["name"] = json!(n);
        }
        let mut tc = json!({"index": index, "function": function});
        if let Some(id) = id {
            tc["id"] = json!(id);
            tc["type"] = json!("function");
        }
        json!({"choices": [{"index": 0, "delta": {"tool_calls": [tc]}, "finish_reason": null}]})
    }

    fn finish(reason: &str) -> Value {
        json!({"choices": [{"index": 0, "delta": {}, "finish_reason": reason}]})
    }

    fn usage() -> Value {
        json!({"choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8}})
    }

    fn run(chunks: &[Value]) -> Vec<SequencedEvent> {
        let mut m = machine();
        let mut events = m.start();
        for c in chunks {
            events.extend(m.push_value(c).expect("chunk"));
        }
        events.extend(m.finish());
        events
    }

    fn kinds(events: &[SequencedEvent]) -> Vec<&'static str> {
        events.iter().map(SequencedEvent::kind).collect()
    }

    fn last_response(events: &[SequencedEvent]) -> &ResponseObject {
        match events.last().map(|e| &e.event) {
            Some(
                ResponseStreamEvent::Completed { response }
                | ResponseStreamEvent::Incomplete { response }
                | ResponseStreamEvent::Failed { response },
            ) => response,
            other => panic!("stream did not end with a response: {other:?}"),
        }
    }

    #[test]
    fn event_order_per_scenario() {
        let message_events = ["response.output_item.added", "response.content_part.added"];
        let cases: Vec<(&str, Vec<Value>, Vec<&str>)> = vec![
            (
                "text, then usage",
                vec![
                    json!({"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]}),
                    text("Hel"),
                    text("lo"),
                    finish("stop"),
                    usage(),
                ],
                [
                    &["response.created", "response.in_progress"][..],
                    &message_events,
                    &["response.output_text.delta", "response.output_text.delta"],
                    &[
                        "response.output_text.done",
                        "response.content_part.done",
                        "response.output_item.done",
                        "response.completed",
                    ],
                ]
                .concat(),
            ),
            (
                "text, then two parallel calls with arguments in pieces",
                vec![
                    text("Checking."),
                    call(0, Some("call_a"), Some("whois"), ""),
                    call(0, None, None, "{\"d\":"),
                    call(0, None, None, "\"x\"}"),
                    call(1, Some("call_b"), Some("dig"), "{}"),
                    finish("tool_calls"),
                    usage(),
                ],
                vec![
                    "response.created",
                    "response.in_progress",
                    "response.output_item.added",
                    "response.content_part.added",
                    "response.output_text.delta",
                    "response.output_text.done",
                    "response.content_part.done",
                    "response.output_item.done",
                    "response.output_item.added",
                    "response.function_call_arguments.delta",
                    "response.function_call_arguments.delta",
                    "response.output_item.added",
                    "response.function_call_arguments.delta",
                    "response.function_call_arguments.done",
                    "response.output_item.done",
                    "response.function_call_arguments.done",
                    "response.output_item.done",
                    "response.completed",
                ],
            ),
            (
                "cut off by the token limit",
                vec![text("Trunc"), finish("length")],
                vec![
                    "response.created",
                    "response.in_progress",
                    "response.output_item.added",
                    "response.content_part.added",
                    "response.output_text.delta",
                    "response.output_text.done",
                    "response.content_part.done",
                    "response.output_item.done",
                    "response.incomplete",
                ],
            ),
            (
                "a refusal",
                vec![
                    json!({"choices": [{"index": 0, "delta": {"refusal": "I can't"}}]}),
                    finish("stop"),
                ],
                vec![
                    "response.created",
                    "response.in_progress",
                    "response.output_item.added",
                    "response.content_part.added",
                    "response.refusal.delta",
                    "response.refusal.done",
                    "response.content_part.done",
                    "response.output_item.done",
                    "response.completed",
                ],
            ),
            (
                "nothing at all",
                vec![finish("stop")],
                vec![
                    "response.created",
                    "response.in_progress",
                    "response.completed",
                ],
            ),
        ];
        for (what, chunks, expected) in cases {
            let events = run(&chunks);
            assert_eq!(kinds(&events), expected, "{what}");
            let numbers: Vec<u64> = events.iter().map(|e| e.sequence_number).collect();
            assert_eq!(
                numbers,
                (0..events.len() as u64).collect::<Vec<_>>(),
                "{what}"
            );
        }
    }

    #[test]
    fn the_final_response_holds_everything_streamed() {
        let events = run(&[
            text("Checking."),
            call(0, Some("call_a"), Some("whois"), "{\"d\":"),
            call(0, None, None, "\"x\"}"),
            finish("tool_calls"),
            usage(),
        ]);
        let response = last_response(&events);
        assert_eq!(response.status, "completed");
        assert_eq!(response.output_text(), "Checking.");
        assert_eq!(
            serde_json::to_value(&response.output).expect("ser"),
            json!([
                {"type": "message", "id": "msg_abc", "role": "assistant", "status": "completed",
                 "content": [{"type": "output_text", "text": "Checking.", "annotations": []}]},
                {"type": "function_call", "id": "fc_abc_0", "call_id": "call_a", "name": "whois",
                 "arguments": "{\"d\":\"x\"}", "status": "completed"}
            ])
        );
        let usage = response.usage.as_ref().expect("usage");
        assert_eq!(
            (usage.input_tokens, usage.output_tokens, usage.total_tokens),
            (5, 3, 8)
        );
        // Every item added is done once, at the same output index, with the deltas' concatenation.
        let added: Vec<usize> = events
            .iter()
            .filter_map(|e| match &e.event {
                ResponseStreamEvent::OutputItemAdded { output_index, .. } => Some(*output_index),
                _ => None,
            })
            .collect();
        let done: Vec<usize> = events
            .iter()
            .filter_map(|e| match &e.event {
                ResponseStreamEvent::OutputItemDone { output_index, .. } => Some(*output_index),
                _ => None,
            })
            .collect();
        assert_eq!(added, vec![0, 1]);
        assert_eq!(done, vec![0, 1]);
    }

    #[test]
    fn a_failure_ends_the_stream_without_completing_it() {
        let mut m = machine();
        let mut events = m.start();
        events.extend(m.push_value(&text("Part")).expect("chunk"));
        events.extend(m.fail("server_error", "the model backend could not be reached"));
        assert!(m.is_ended());
        assert_eq!(
            events.last().map(SequencedEvent::kind),
            Some("response.failed")
        );
        let response = last_response(&events);
        assert_eq!(response.status, "failed");
        assert_eq!(
            response.error.as_ref().map(|e| e.code.as_str()),
            Some("server_error")
        );
        assert!(!kinds(&events).contains(&"response.completed"));
        assert!(m.finish().is_empty());
        assert!(m.push_value(&text("more")).expect("chunk").is_empty());
        assert!(m.fail("server_error", "again").is_empty());
    }

    #[test]
    fn frames_are_server_sent_events() {
        let events = run(&[text("hi"), finish("stop")]);
        let frame = events[4].to_sse();
        assert!(
            frame.starts_with("event: response.output_text.delta\ndata: {"),
            "{frame}"
        );
        assert!(frame.ends_with("}\n\n"));
        let data: Value = serde_json::from_str(
            frame
                .lines()
                .nth(1)
                .and_then(|l| l.strip_prefix("data: "))
                .expect("data line"),
        )
        .expect("json");
        assert_eq!(data["type"], "response.output_text.delta");
        assert_eq!(data["sequence_number"], 4);
        assert_eq!(data["delta"], "hi");
        assert_eq!(data["item_id"], "msg_abc");
    }

    #[test]
    fn a_chunk_that_is_not_a_chunk_is_an_error() {
        let mut m = machine();
        assert!(m.push_value(&json!({"choices": "nope"})).is_err());
    }
}
