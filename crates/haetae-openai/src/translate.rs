//! Responses API ⇄ chat completions.
//!
//! The gateway serves `POST /v1/responses` by translating the request into a chat completion request before any
//! stage runs (so the guard, the policy and the meter see exactly what the model will), and the chat answer back
//! into a `response` object (or, streamed, into Responses events: [`crate::stream`]).
//!
//! What does not translate is refused with a 400 naming the field, never dropped silently when it would change
//! the answer: built-in tools (web search, file search, computer use…) that run on OpenAI's side, stored state
//! (`previous_response_id`, `conversation`, stored `prompt` templates), `background` mode, and input items other
//! than messages, function calls and their outputs.

use serde_json::{Map, Value, json};

use crate::WireError;
use crate::chat::{
    ChatCompletion, ChatCompletionRequest, ChatMessage, ChatTool, ContentPart, FunctionCall,
    FunctionDefinition, ImageUrl, JsonSchemaFormat, MessageContent, ResponseFormat, Role,
    StreamOptions, ToolCall, Usage,
};
use crate::responses::{
    IncompleteDetails, InputContent, InputItem, InputPart, InputTokensDetails, OutputContent,
    OutputItem, OutputTokensDetails, ResponseInput, ResponseObject, ResponseTool, ResponseUsage,
    ResponsesRequest, TextConfig, TextFormat,
};

/// Fields of a Responses request that have no meaning for a chat completion and are dropped: they shape what
/// OpenAI stores or returns about its own state (`include`, `truncation`, cache retention), or were translated.
const DROPPED: [&str; 8] = [
    "background",
    "include",
    "truncation",
    "prompt_cache_retention",
    "stream_options",
    "max_tool_calls",
    "context_management",
    "reasoning",
];

/// Fields that need state or machinery this gateway does not have: refused, because ignoring them would answer
/// a different question than the one asked.
const REFUSED: [(&str, &str); 3] = [
    (
        "conversation",
        "'conversation' is not supported: this gateway stores no conversations. Send the whole conversation in 'input'.",
    ),
    (
        "prompt",
        "'prompt' (a stored prompt template) is not supported: send the prompt's text in 'instructions' and 'input'.",
    ),
    (
        "background",
        "'background' is not supported: this gateway answers while the request is open (use 'stream' for long answers).",
    ),
];

/// The ids of one response and its items, derived from one seed (the gateway's request id), so a response can be
/// traced to its ledger entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseIds {
    seed: String,
}

impl ResponseIds {
    /// `seed` is reduced to its ASCII letters and digits (a `req_<uuid>` becomes the uuid's hex).
    pub fn from_seed(seed: &str) -> Self {
        let seed = seed.strip_prefix("req_").unwrap_or(seed);
        ResponseIds {
            seed: seed.chars().filter(char::is_ascii_alphanumeric).collect(),
        }
    }

    pub fn response(&self) -> String {
        format!("resp_{}", self.seed)
    }

    /// The assistant message item; `n` counts messages within the response.
    pub fn message(&self, n: usize) -> String {
        if n == 0 {
            format!("msg_{}", self.seed)
        } else {
            format!("msg_{}_{n}", self.seed)
        }
    }

    pub fn function_call(&self, n: usize) -> String {
        format!("fc_{}_{n}", self.seed)
    }
}

/// Translates a Responses request into the chat completion request the pipeline runs. Validates first.
pub fn responses_to_chat(req: &ResponsesRequest) -> Result<ChatCompletionRequest, WireError> {
    req.validate()?;
    for (field, why) in REFUSED {
        match req.extra.get(field) {
            None | Some(Value::Null) | Some(Value::Bool(false)) => {}
            Some(_) => return Err(WireError::new(field, why)),
        }
    }

    let mut messages = Vec::new();
    if let Some(instructions) = &req.instructions {
        messages.push(ChatMessage::text(Role::System, instructions.clone()));
    }
    match &req.input {
        Some(ResponseInput::Text(text)) => {
            messages.push(ChatMessage::text(Role::User, text.clone()))
        }
        Some(ResponseInput::Items(items)) => {
            for (i, item) in items.iter().enumerate() {
                add_item(&mut messages, item).map_err(|e| e.within(&format!("input[{i}]")))?;
            }
        }
        None => {}
    }

    let tools = match &req.tools {
        None => None,
        Some(tools) => Some(
            tools
                .iter()
                .enumerate()
                .map(|(i, t)| chat_tool(t).map_err(|e| e.within(&format!("tools[{i}]"))))
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let tool_choice = req
        .tool_choice
        .as_ref()
        .map(|c| chat_tool_choice(c).map_err(|e| e.within("tool_choice")))
        .transpose()?;
    let response_format = match req.text.as_ref().and_then(|t| t.format.as_ref()) {
        None => None,
        Some(format) => chat_response_format(format).map_err(|e| e.within("text.format"))?,
    };

    let mut extra: Map<String, Value> = req
        .extra
        .iter()
        .filter(|(k, _)| !DROPPED.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let Some(effort) = req.extra.get("reasoning").and_then(|r| r.get("effort")) {
        extra.insert("reasoning_effort".into(), effort.clone());
    }
    if let Some(p) = req.parallel_tool_calls {
        extra.insert("parallel_tool_calls".into(), Value::Bool(p));
    }

    let stream = req.is_stream();
    Ok(ChatCompletionRequest {
        model: req.model.clone(),
        messages,
        stream: stream.then_some(true),
        // The Responses stream ends with the usage in `response.completed`: always ask for it.
        stream_options: stream.then(|| StreamOptions {
            include_usage: Some(true),
            extra: Map::new(),
        }),
        max_tokens: req.max_output_tokens,
        temperature: req.temperature,
        top_p: req.top_p,
        tools,
        tool_choice,
        response_format,
        extra,
        ..ChatCompletionRequest::default()
    })
}

fn add_item(messages: &mut Vec<ChatMessage>, item: &InputItem) -> Result<(), WireError> {
    match item {
        InputItem::Message(m) => {
            if matches!(m.role, Role::Tool | Role::Function) {
                return Err(WireError::new(
                    "role",
                    "'role' must be user, system, developer or assistant; send a tool's result as a \
                     function_call_output item.",
                ));
            }
            let content = match &m.content {
                InputContent::Text(t) => MessageContent::Text(t.clone()),
                InputContent::Parts(parts) => chat_parts(parts).map_err(|e| e.within("content"))?,
            };
            messages.push(ChatMessage {
                role: m.role,
                content: Some(content),
                ..ChatMessage::default()
            });
        }
        InputItem::FunctionCall(call) => {
            let tool_call = ToolCall {
                id: call.call_id.clone(),
                kind: "function".into(),
                function: FunctionCall {
                    name: call.name.clone(),
                    arguments: call.arguments.clone(),
                    extra: Map::new(),
                },
                extra: Map::new(),
            };
            // Calls the model made together (and the text it wrote before them) are one assistant message.
            match messages.last_mut() {
                Some(last) if last.role == Role::Assistant => {
                    last.tool_calls.get_or_insert_with(Vec::new).push(tool_call);
                }
                _ => messages.push(ChatMessage {
                    role: Role::Assistant,
                    tool_calls: Some(vec![tool_call]),
                    ..ChatMessage::default()
                }),
            }
        }
        InputItem::FunctionCallOutput(output) => {
            let content = match &output.output {
                InputContent::Text(t) => MessageContent::Text(t.clone()),
                InputContent::Parts(parts) => chat_parts(parts).map_err(|e| e.within("output"))?,
            };
            messages.push(ChatMessage {
                role: Role::Tool,
                content: Some(content),
                tool_call_id: Some(output.call_id.clone()),
                ..ChatMessage::default()
            });
        }
    }
    Ok(())
}

/// Input parts → chat content parts; a single text part becomes a plain string, which every backend reads.
fn chat_parts(parts: &[InputPart]) -> Result<MessageContent, WireError> {
    let converted = parts
        .iter()
        .enumerate()
        .map(|(j, p)| chat_part(p).map_err(|e| e.within(&format!("[{j}]"))))
        .collect::<Result<Vec<_>, _>>()?;
    match converted.as_slice() {
        [only] if only.kind == "text" => {
            Ok(MessageContent::Text(only.text.clone().unwrap_or_default()))
        }
        _ => Ok(MessageContent::Parts(converted)),
    }
}

fn chat_part(part: &InputPart) -> Result<ContentPart, WireError> {
    let text_part = |text: &Option<String>| -> Result<ContentPart, WireError> {
        let text = text
            .clone()
            .ok_or_else(|| WireError::new("text", "'text' is required in a text part."))?;
        Ok(ContentPart {
            kind: "text".into(),
            text: Some(text),
            ..ContentPart::default()
        })
    };
    match part.kind.as_str() {
        "input_text" | "output_text" => text_part(&part.text),
        "refusal" => Ok(ContentPart {
            kind: "refusal".into(),
            extra: [(
                "refusal".to_string(),
                json!(part.refusal.clone().unwrap_or_default()),
            )]
            .into_iter()
            .collect(),
            ..ContentPart::default()
        }),
        "input_image" => match (&part.image_url, &part.file_id) {
            (Some(url), _) => Ok(ContentPart {
                kind: "image_url".into(),
                image_url: Some(ImageUrl {
                    url: url.clone(),
                    detail: part.detail.clone(),
                    extra: Map::new(),
                }),
                ..ContentPart::default()
            }),
            (None, Some(_)) => Err(WireError::new(
                "file_id",
                "'file_id' is not supported: this gateway has no file store; send the image as 'image_url' \
                 (a URL or a data: URL).",
            )),
            (None, None) => Err(WireError::new(
                "image_url",
                "'image_url' is required in an input_image part.",
            )),
        },
        "input_file" => {
            let mut file = Map::new();
            for key in ["file_data", "filename"] {
                if let Some(v) = part.extra.get(key) {
                    file.insert(key.into(), v.clone());
                }
            }
            if let Some(id) = &part.file_id {
                file.insert("file_id".into(), json!(id));
            }
            Ok(ContentPart {
                kind: "file".into(),
                extra: [("file".to_string(), Value::Object(file))]
                    .into_iter()
                    .collect(),
                ..ContentPart::default()
            })
        }
        other => Err(WireError::new(
            "type",
            format!(
                "'type' '{other}' is not supported for content parts; use input_text, input_image, \
                 input_file, output_text or refusal."
            ),
        )),
    }
}

fn chat_tool(tool: &ResponseTool) -> Result<ChatTool, WireError> {
    if tool.kind != "function" {
        return Err(WireError::new(
            "type",
            format!(
                "'type' '{}' is not supported: built-in tools run on OpenAI's side; this gateway passes \
                 function tools only.",
                tool.kind
            ),
        ));
    }
    let name = match &tool.name {
        Some(n) if !n.is_empty() => n.clone(),
        _ => {
            return Err(WireError::new(
                "name",
                "'name' is required for a function tool.",
            ));
        }
    };
    Ok(ChatTool {
        kind: "function".into(),
        function: Some(FunctionDefinition {
            name,
            description: tool.description.clone(),
            parameters: tool.parameters.clone(),
            strict: tool.strict,
            extra: Map::new(),
        }),
        extra: Map::new(),
    })
}

fn chat_tool_choice(choice: &Value) -> Result<Value, WireError> {
    match choice {
        Value::String(s) if ["none", "auto", "required"].contains(&s.as_str()) => {
            Ok(choice.clone())
        }
        Value::Object(o) if o.get("type").and_then(Value::as_str) == Some("function") => {
            match o.get("name").and_then(Value::as_str) {
                Some(name) => Ok(json!({"type": "function", "function": {"name": name}})),
                None => Err(WireError::new(
                    "name",
                    "'name' is required to choose a function.",
                )),
            }
        }
        _ => Err(WireError::body(
            "'tool_choice' must be none, auto, required, or {\"type\": \"function\", \"name\": …}.",
        )),
    }
}

fn chat_response_format(format: &TextFormat) -> Result<Option<ResponseFormat>, WireError> {
    let plain = |kind: &str| ResponseFormat {
        kind: kind.into(),
        ..ResponseFormat::default()
    };
    match format.kind.as_str() {
        "text" => Ok(None),
        "json_object" => Ok(Some(plain("json_object"))),
        "json_schema" => {
            let name = format.name.clone().ok_or_else(|| {
                WireError::new("name", "'name' is required for a json_schema format.")
            })?;
            Ok(Some(ResponseFormat {
                kind: "json_schema".into(),
                json_schema: Some(JsonSchemaFormat {
                    name,
                    description: format.description.clone(),
                    schema: format.schema.clone(),
                    strict: format.strict,
                    extra: Map::new(),
                }),
                extra: Map::new(),
            }))
        }
        other => Err(WireError::new(
            "type",
            format!("'type' '{other}' is not one of text, json_object, json_schema."),
        )),
    }
}

/// The field of a Responses request that a path into its translated chat request ([`responses_to_chat`]) came
/// from, where one field maps onto one: so that a validator or a backend refusing part of the chat request is
/// answered in the terms the caller used (`response_format.json_schema.schema.x` → `text.format.schema.x`,
/// `max_tokens` → `max_output_tokens`, `tools[2].function.parameters` → `tools[2].parameters`). `None` where the
/// path has no single source (a message may come from `instructions`, an input item or several of them).
pub fn responses_field(chat_path: &str) -> Option<String> {
    // `path` is `field` or lies inside it: the rest starts a new segment.
    fn inside<'a>(path: &'a str, field: &str) -> Option<&'a str> {
        path.strip_prefix(field)
            .filter(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
    }
    if let Some(rest) = inside(chat_path, "response_format.json_schema") {
        return Some(format!("text.format{rest}"));
    }
    if let Some(rest) = inside(chat_path, "response_format") {
        return Some(format!("text.format{rest}"));
    }
    if let Some(rest) = inside(chat_path, "max_tokens") {
        return Some(format!("max_output_tokens{rest}"));
    }
    if let Some(rest) = chat_path.strip_prefix("tools[")
        && let Some((index, rest)) = rest.split_once(']')
        && index.parse::<usize>().is_ok()
    {
        // Tools translate one to one and in order; the function's fields sit on the Responses tool itself.
        let rest = inside(rest, ".function").unwrap_or(rest);
        return Some(format!("tools[{index}]{rest}"));
    }
    [
        "model",
        "temperature",
        "top_p",
        "stream",
        "parallel_tool_calls",
    ]
    .iter()
    .find_map(|f| inside(chat_path, f).map(|_| chat_path.to_string()))
}

/// [`responses_field`] for an error about the translated chat request: renamed where the field maps.
pub fn in_responses_terms(e: WireError) -> WireError {
    match e.param.as_deref().and_then(responses_field) {
        Some(field) => e.renamed(field),
        None => e,
    }
}

/// The `response` object a request starts as: `in_progress`, no output; echoes the request's settings.
pub fn response_template(
    req: &ResponsesRequest,
    ids: &ResponseIds,
    created_at: u64,
) -> ResponseObject {
    ResponseObject {
        id: ids.response(),
        object: "response".into(),
        created_at,
        status: "in_progress".into(),
        model: req.model.clone(),
        output: Vec::new(),
        usage: None,
        error: None,
        incomplete_details: None,
        instructions: req.instructions.clone(),
        max_output_tokens: req.max_output_tokens,
        metadata: req.metadata.clone().unwrap_or_default(),
        parallel_tool_calls: req.parallel_tool_calls.unwrap_or(true),
        previous_response_id: None,
        temperature: req.temperature,
        top_p: req.top_p,
        tool_choice: req.tool_choice.clone().unwrap_or_else(|| json!("auto")),
        tools: req.tools.clone().unwrap_or_default(),
        text: Some(req.text.clone().unwrap_or_else(|| TextConfig {
            format: Some(TextFormat {
                kind: "text".into(),
                ..TextFormat::default()
            }),
            extra: Map::new(),
        })),
        store: false,
        extra: Map::new(),
    }
}

/// Chat usage → Responses usage (`prompt_tokens` → `input_tokens`, `completion_tokens` → `output_tokens`).
pub fn response_usage(usage: &Usage) -> ResponseUsage {
    ResponseUsage {
        input_tokens: usage.prompt_tokens,
        input_tokens_details: InputTokensDetails {
            cached_tokens: usage
                .prompt_tokens_details
                .as_ref()
                .and_then(|d| d.cached_tokens)
                .unwrap_or(0),
            cache_write_tokens: 0,
        },
        output_tokens: usage.completion_tokens,
        output_tokens_details: OutputTokensDetails {
            reasoning_tokens: usage
                .completion_tokens_details
                .as_ref()
                .and_then(|d| d.reasoning_tokens)
                .unwrap_or(0),
        },
        total_tokens: if usage.total_tokens > 0 {
            usage.total_tokens
        } else {
            usage.prompt_tokens + usage.completion_tokens
        },
    }
}

/// The response's status for a chat finish reason: a cut-off answer is `incomplete`, saying why.
pub(crate) fn status_for(finish_reason: Option<&str>) -> (&'static str, Option<IncompleteDetails>) {
    let incomplete = |reason: &str| {
        (
            "incomplete",
            Some(IncompleteDetails {
                reason: reason.into(),
            }),
        )
    };
    match finish_reason {
        Some("length") => incomplete("max_output_tokens"),
        Some("content_filter") => incomplete("content_filter"),
        _ => ("completed", None),
    }
}

/// Translates a chat completion into the `response` object of the request it answers.
pub fn chat_to_response(
    chat: &ChatCompletion,
    req: &ResponsesRequest,
    ids: &ResponseIds,
    created_at: u64,
) -> ResponseObject {
    let mut response = response_template(
        req,
        ids,
        if chat.created > 0 {
            chat.created
        } else {
            created_at
        },
    );
    if !chat.model.is_empty() {
        response.model = chat.model.clone();
    }
    let choice = chat
        .choices
        .iter()
        .find(|c| c.index == 0)
        .or(chat.choices.first());
    let (status, incomplete) = status_for(choice.and_then(|c| c.finish_reason.as_deref()));
    if let Some(choice) = choice {
        let message = &choice.message;
        let mut content = Vec::new();
        let text = message
            .content
            .as_ref()
            .map(MessageContent::as_text)
            .unwrap_or_default();
        if !text.is_empty() {
            content.push(OutputContent::OutputText {
                text,
                annotations: Vec::new(),
            });
        }
        if let Some(refusal) = message.refusal.as_ref().filter(|r| !r.is_empty()) {
            content.push(OutputContent::Refusal {
                refusal: refusal.clone(),
            });
        }
        if !content.is_empty() {
            response.output.push(OutputItem::Message {
                id: ids.message(0),
                role: Role::Assistant,
                status: if status == "completed" {
                    "completed"
                } else {
                    "incomplete"
                }
                .into(),
                content,
            });
        }
        for (n, call) in message.tool_calls.iter().flatten().enumerate() {
            response.output.push(OutputItem::FunctionCall {
                id: ids.function_call(n),
                call_id: call.id.clone(),
                name: call.function.name.clone(),
                arguments: call.function.arguments.clone(),
                status: "completed".into(),
            });
        }
    }
    response.status = status.into();
    response.incomplete_details = incomplete;
    response.usage = chat.usage.as_ref().map(response_usage);
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::from_value;

    fn translate(v: Value) -> Result<Value, WireError> {
        let req: ResponsesRequest = from_value(&v)?;
        let chat = responses_to_chat(&req)?;
        chat.validate()?;
        Ok(serde_json::to_value(chat).expect("serialises"))
    }

    /// A dotted request path (`a.b[2].c`) as a JSON pointer.
    fn pointer(path: &str) -> String {
        path.replace('[', ".")
            .replace(']', "")
            .split('.')
            .map(|s| format!("/{s}"))
            .collect()
    }

    /// Every path `responses_field` maps leads, in the caller's Responses request, to the very value the
    /// translated chat request holds at the chat path; paths with no single source are not mapped.
    #[test]
    fn chat_paths_map_back_to_the_responses_fields_they_came_from() {
        let schema =
            json!({"type": "object", "properties": {"n": {"type": "number", "multipleOf": 0.5}}});
        let request = json!({"model": "m", "input": "hi", "instructions": "Be brief.", "max_output_tokens": 9,
            "temperature": 0.1, "top_p": 0.9, "stream": true, "parallel_tool_calls": false,
            "text": {"format": {"type": "json_schema", "name": "n", "strict": true, "schema": schema}},
            "tools": [{"type": "function", "name": "a"}, {"type": "function", "name": "b",
                       "parameters": {"type": "object", "properties": {"x": {"type": "string"}}}}]});
        let chat = translate(request.clone()).expect("translates");
        let mapped = [
            (
                "response_format.json_schema.schema.properties.n.multipleOf",
                "text.format.schema.properties.n.multipleOf",
            ),
            ("response_format.json_schema.schema", "text.format.schema"),
            ("response_format.json_schema.name", "text.format.name"),
            ("response_format.json_schema.strict", "text.format.strict"),
            ("response_format.type", "text.format.type"),
            ("max_tokens", "max_output_tokens"),
            (
                "tools[1].function.parameters.properties.x",
                "tools[1].parameters.properties.x",
            ),
            ("tools[0].function.name", "tools[0].name"),
            ("tools[1].type", "tools[1].type"),
            ("temperature", "temperature"),
            ("top_p", "top_p"),
            ("model", "model"),
            ("stream", "stream"),
            ("parallel_tool_calls", "parallel_tool_calls"),
        ];
        for (chat_path, field) in mapped {
            assert_eq!(
                responses_field(chat_path).as_deref(),
                Some(field),
                "{chat_path}"
            );
            let there = chat.pointer(&pointer(chat_path));
            assert!(there.is_some(), "{chat_path} is in {chat}");
            assert_eq!(
                there,
                request.pointer(&pointer(field)),
                "{chat_path} → {field}"
            );
        }
        for unmapped in [
            "messages[0].content",
            "response_formats",
            "max_tokensx",
            "tools[x]",
            "stream_options",
        ] {
            assert_eq!(responses_field(unmapped), None, "{unmapped}");
        }
        let e = in_responses_terms(WireError::new(
            "max_tokens",
            "'max_tokens' must be a whole number of at least 1.",
        ));
        assert_eq!(e.param.as_deref(), Some("max_output_tokens"));
        assert_eq!(
            e.message,
            "'max_output_tokens' must be a whole number of at least 1."
        );
    }

    #[test]
    fn requests_translate_to_chat() {
        let cases = [
            (
                "string input, instructions, limits",
                json!({"model": "m", "input": "hi", "instructions": "Be brief.", "max_output_tokens": 50,
                       "temperature": 0.2, "top_p": 0.5}),
                json!({"model": "m", "messages": [{"role": "system", "content": "Be brief."},
                       {"role": "user", "content": "hi"}], "max_tokens": 50, "temperature": 0.2, "top_p": 0.5}),
            ),
            (
                "streaming asks for usage",
                json!({"model": "m", "input": "hi", "stream": true}),
                json!({"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": true,
                       "stream_options": {"include_usage": true}}),
            ),
            (
                "parts, images, a replayed tool call and its output",
                json!({"model": "m", "input": [
                    {"role": "developer", "content": [{"type": "input_text", "text": "Triage."}]},
                    {"type": "message", "role": "user", "content": [
                        {"type": "input_text", "text": "Look"},
                        {"type": "input_image", "image_url": "https://x/y.png", "detail": "low"}]},
                    {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Checking.", "annotations": []}]},
                    {"type": "function_call", "call_id": "call_1", "name": "whois", "arguments": "{}"},
                    {"type": "function_call", "call_id": "call_2", "name": "dig", "arguments": "{\"q\":1}"},
                    {"type": "function_call_output", "call_id": "call_1", "output": "registrar X"},
                    {"type": "function_call_output", "call_id": "call_2", "output": [{"type": "input_text", "text": "A 1.2.3.4"}]}]}),
                json!({"model": "m", "messages": [
                    {"role": "developer", "content": "Triage."},
                    {"role": "user", "content": [{"type": "text", "text": "Look"},
                        {"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "low"}}]},
                    {"role": "assistant", "content": "Checking.", "tool_calls": [
                        {"id": "call_1", "type": "function", "function": {"name": "whois", "arguments": "{}"}},
                        {"id": "call_2", "type": "function", "function": {"name": "dig", "arguments": "{\"q\":1}"}}]},
                    {"role": "tool", "tool_call_id": "call_1", "content": "registrar X"},
                    {"role": "tool", "tool_call_id": "call_2", "content": "A 1.2.3.4"}]}),
            ),
            (
                "a function call with no text before it is its own assistant message",
                json!({"model": "m", "input": [{"role": "user", "content": "go"},
                    {"type": "function_call", "call_id": "c", "name": "f", "arguments": ""}]}),
                json!({"model": "m", "messages": [{"role": "user", "content": "go"},
                    {"role": "assistant", "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": ""}}]}]}),
            ),
            (
                "function tools, a forced choice, a JSON schema",
                json!({"model": "m", "input": "x",
                    "tools": [{"type": "function", "name": "f", "description": "d", "parameters": {"type": "object"}, "strict": true}],
                    "tool_choice": {"type": "function", "name": "f"}, "parallel_tool_calls": false,
                    "text": {"format": {"type": "json_schema", "name": "v", "schema": {"type": "object"}, "strict": true}}}),
                json!({"model": "m", "messages": [{"role": "user", "content": "x"}],
                    "tools": [{"type": "function", "function": {"name": "f", "description": "d", "parameters": {"type": "object"}, "strict": true}}],
                    "tool_choice": {"type": "function", "function": {"name": "f"}}, "parallel_tool_calls": false,
                    "response_format": {"type": "json_schema", "json_schema": {"name": "v", "schema": {"type": "object"}, "strict": true}}}),
            ),
            (
                "json_object and text formats; string tool choices",
                json!({"model": "m", "input": "x", "text": {"format": {"type": "json_object"}}, "tool_choice": "required"}),
                json!({"model": "m", "messages": [{"role": "user", "content": "x"}], "tool_choice": "required",
                    "response_format": {"type": "json_object"}}),
            ),
            (
                "unknown fields pass through; Responses-only ones are dropped; reasoning effort is renamed",
                json!({"model": "m", "input": "x", "text": {"format": {"type": "text"}}, "store": true,
                    "metadata": {"a": "b"}, "user": "u-1", "service_tier": "auto", "top_k": 5,
                    "include": ["reasoning.encrypted_content"], "truncation": "auto", "reasoning": {"effort": "high"},
                    "background": false}),
                json!({"model": "m", "messages": [{"role": "user", "content": "x"}], "user": "u-1",
                    "service_tier": "auto", "top_k": 5, "reasoning_effort": "high"}),
            ),
        ];
        for (what, input, expected) in cases {
            assert_eq!(translate(input).expect(what), expected, "{what}");
        }
    }

    #[test]
    fn untranslatable_requests_name_the_field() {
        let cases = [
            (
                json!({"model": "m", "input": "x", "tools": [{"type": "function", "name": "f"}, {"type": "web_search"}]}),
                "tools[1].type",
            ),
            (
                json!({"model": "m", "input": "x", "tools": [{"type": "function"}]}),
                "tools[0].name",
            ),
            (
                json!({"model": "m", "input": "x", "tool_choice": {"type": "file_search"}}),
                "tool_choice",
            ),
            (
                json!({"model": "m", "input": "x", "tool_choice": {"type": "function"}}),
                "tool_choice.name",
            ),
            (
                json!({"model": "m", "input": "x", "text": {"format": {"type": "json_schema"}}}),
                "text.format.name",
            ),
            (
                json!({"model": "m", "input": "x", "text": {"format": {"type": "xml"}}}),
                "text.format.type",
            ),
            (
                json!({"model": "m", "input": [{"role": "user", "content": [{"type": "input_audio"}]}]}),
                "input[0].content[0].type",
            ),
            (
                json!({"model": "m", "input": [{"role": "user", "content": "a"}, {"role": "user", "content": [{"type": "input_image", "file_id": "file_1"}]}]}),
                "input[1].content[0].file_id",
            ),
            (
                json!({"model": "m", "input": [{"role": "tool", "content": "a"}]}),
                "input[0].role",
            ),
            (
                json!({"model": "m", "input": [{"type": "function_call_output", "call_id": "c", "output": [{"type": "input_text"}]}]}),
                "input[0].output[0].text",
            ),
            (
                json!({"model": "m", "input": "x", "conversation": "conv_1"}),
                "conversation",
            ),
            (
                json!({"model": "m", "input": "x", "background": true}),
                "background",
            ),
            (
                json!({"model": "m", "input": "x", "prompt": {"id": "pmpt_1"}}),
                "prompt",
            ),
            (
                json!({"model": "m", "input": "x", "previous_response_id": "resp_1"}),
                "previous_response_id",
            ),
        ];
        for (body, param) in cases {
            let err = translate(body.clone()).expect_err("refused");
            assert_eq!(err.param.as_deref(), Some(param), "{body}: {err}");
            assert!(
                err.message.contains(&format!("'{param}'"))
                    || err
                        .message
                        .contains(param.rsplit('.').next().unwrap_or(param)),
                "{err}"
            );
        }
    }

    #[test]
    fn chat_answers_translate_to_responses() {
        let req: ResponsesRequest = from_value(
            &json!({"model": "cat-model", "input": "x", "metadata": {"k": "v"},
            "tools": [{"type": "function", "name": "whois"}]}),
        )
        .expect("parses");
        let ids = ResponseIds::from_seed("req_0190-ab");
        let cases = [
            (
                json!({"id": "c1", "created": 7, "model": "cat-model", "choices": [{"index": 0, "finish_reason": "stop",
                    "message": {"role": "assistant", "content": "Benign."}}],
                    "usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11,
                        "prompt_tokens_details": {"cached_tokens": 4}}}),
                "completed",
                json!([{"type": "message", "id": "msg_0190ab", "role": "assistant", "status": "completed",
                    "content": [{"type": "output_text", "text": "Benign.", "annotations": []}]}]),
                Some(
                    json!({"input_tokens": 9, "input_tokens_details": {"cached_tokens": 4, "cache_write_tokens": 0},
                    "output_tokens": 2, "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 11}),
                ),
            ),
            (
                json!({"choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant", "content": null,
                    "tool_calls": [{"id": "call_9", "type": "function", "function": {"name": "whois", "arguments": "{\"d\":\"x\"}"}}]}}]}),
                "completed",
                json!([{"type": "function_call", "id": "fc_0190ab_0", "call_id": "call_9", "name": "whois",
                    "arguments": "{\"d\":\"x\"}", "status": "completed"}]),
                None,
            ),
            (
                json!({"choices": [{"index": 0, "finish_reason": "length", "message": {"role": "assistant", "content": "Trunc"}}]}),
                "incomplete",
                json!([{"type": "message", "id": "msg_0190ab", "role": "assistant", "status": "incomplete",
                    "content": [{"type": "output_text", "text": "Trunc", "annotations": []}]}]),
                None,
            ),
            (
                json!({"choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "refusal": "No."}}]}),
                "completed",
                json!([{"type": "message", "id": "msg_0190ab", "role": "assistant", "status": "completed",
                    "content": [{"type": "refusal", "refusal": "No."}]}]),
                None,
            ),
        ];
        for (chat, status, output, usage) in cases {
            let chat: ChatCompletion = from_value(&chat).expect("chat parses");
            let response = chat_to_response(&chat, &req, &ids, 100);
            let v = serde_json::to_value(&response).expect("serialises");
            assert_eq!(v["id"], "resp_0190ab");
            assert_eq!(v["object"], "response");
            assert_eq!(v["status"], status);
            assert_eq!(v["output"], output);
            assert_eq!(v["usage"], usage.unwrap_or(Value::Null));
            assert_eq!(v["model"], "cat-model");
            assert_eq!(v["metadata"], json!({"k": "v"}));
            assert_eq!(v["tools"], json!([{"type": "function", "name": "whois"}]));
            assert_eq!(
                status == "incomplete",
                v["incomplete_details"]["reason"] == "max_output_tokens"
            );
            let back: ResponseObject = from_value(&v).expect("round-trips");
            assert_eq!(back, response);
        }
    }
}
