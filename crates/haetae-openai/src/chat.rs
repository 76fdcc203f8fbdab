//! Chat completions: request, response and stream chunk.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::{WireError, check_min, check_model, check_range};

/// `POST /v1/chat/completions`. Fields Haetae does not interpret travel on in `extra`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ChatCompletionRequest {
    /// A model of the catalogue (`GET /v1/models`).
    // `default` so that a missing field gets validate()'s message naming it; the schema still says required.
    #[serde(default)]
    #[schema(min_length = 1, required = true)]
    pub model: String,
    #[serde(default)]
    #[schema(min_items = 1, required = true)]
    pub messages: Vec<ChatMessage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_options: Option<StreamOptions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1)]
    pub max_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1)]
    pub max_completion_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0.0, maximum = 2.0)]
    pub temperature: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub top_p: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = -2.0, maximum = 2.0)]
    pub presence_penalty: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = -2.0, maximum = 2.0)]
    pub frequency_penalty: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1)]
    pub n: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<ChatTool>>,
    /// `"none"`, `"auto"`, `"required"`, or `{"type": "function", "function": {"name": …}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub tool_choice: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ResponseFormat>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<Stop>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ChatCompletionRequest {
    /// What serde cannot check: required fields present, ranges, non-empty lists.
    pub fn validate(&self) -> Result<(), WireError> {
        if self.model.is_empty() {
            return Err(WireError::new("model", "'model' is required."));
        }
        check_model(&self.model)?;
        if self.messages.is_empty() {
            return Err(WireError::new(
                "messages",
                "'messages' is required and must hold at least one message.",
            ));
        }
        check_range("temperature", self.temperature, 0.0, 2.0)?;
        check_range("top_p", self.top_p, 0.0, 1.0)?;
        check_range("presence_penalty", self.presence_penalty, -2.0, 2.0)?;
        check_range("frequency_penalty", self.frequency_penalty, -2.0, 2.0)?;
        check_min("n", self.n, 1)?;
        check_min("max_tokens", self.max_tokens, 1)?;
        check_min("max_completion_tokens", self.max_completion_tokens, 1)?;
        if let Some(format) = &self.response_format {
            format.validate().map_err(|e| e.within("response_format"))?;
        }
        Ok(())
    }

    pub fn is_stream(&self) -> bool {
        self.stream.unwrap_or(false)
    }

    pub fn include_usage(&self) -> bool {
        self.stream_options
            .as_ref()
            .and_then(|o| o.include_usage)
            .unwrap_or(false)
    }

    /// The completion bound the caller set (`max_completion_tokens` wins over the older `max_tokens`).
    pub fn completion_bound(&self) -> Option<u64> {
        self.max_completion_tokens.or(self.max_tokens)
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct StreamOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_usage: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    Developer,
    #[default]
    User,
    Assistant,
    Tool,
    Function,
}

/// One message of a conversation (request) or the model's answer (response).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ChatMessage {
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<MessageContent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<Vec<ToolCall>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ChatMessage {
    pub fn text(role: Role, text: impl Into<String>) -> Self {
        ChatMessage {
            role,
            content: Some(MessageContent::Text(text.into())),
            ..ChatMessage::default()
        }
    }
}

/// Text, or an array of content parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged, expecting = "a string or an array of content parts")]
pub enum MessageContent {
    Text(String),
    Parts(Vec<ContentPart>),
}

impl MessageContent {
    /// The text of the content: the string, or the text parts joined.
    pub fn as_text(&self) -> String {
        match self {
            MessageContent::Text(t) => t.clone(),
            MessageContent::Parts(parts) => parts
                .iter()
                .filter_map(|p| p.text.as_deref())
                .collect::<Vec<_>>()
                .join(""),
        }
    }
}

/// A content part: `text`, `image_url`, `input_audio`, `file`, `refusal`, …; the part's other fields stay in
/// `extra`, so part types Haetae does not know pass through.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ContentPart {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<ImageUrl>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ImageUrl {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A tool the model may call. `function` tools are typed; other kinds pass through in `extra`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ChatTool {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<FunctionDefinition>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct FunctionDefinition {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A JSON Schema object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub parameters: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A tool call the model made (in a response, or replayed in a later request's assistant message).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ToolCall {
    pub id: String,
    #[serde(rename = "type", default = "function_kind")]
    pub kind: String,
    pub function: FunctionCall,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn function_kind() -> String {
    "function".into()
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct FunctionCall {
    pub name: String,
    /// The arguments as a JSON text (as the model wrote them; not necessarily valid JSON).
    #[serde(default)]
    pub arguments: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{"type": "text"}`, `{"type": "json_object"}` or `{"type": "json_schema", "json_schema": {…}}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ResponseFormat {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json_schema: Option<JsonSchemaFormat>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ResponseFormat {
    fn validate(&self) -> Result<(), WireError> {
        if self.kind == "json_schema" && self.json_schema.is_none() {
            return Err(WireError::new(
                "json_schema",
                "'json_schema' is required when the type is json_schema.",
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct JsonSchemaFormat {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub schema: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged, expecting = "a string or an array of strings")]
pub enum Stop {
    One(String),
    Many(Vec<String>),
}

/// A `chat.completion` object. Parsing is lenient where upstreams differ (missing `id`, `created`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ChatCompletion {
    #[serde(default)]
    pub id: String,
    #[serde(default = "completion_object")]
    pub object: String,
    #[serde(default)]
    pub created: u64,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub choices: Vec<Choice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn completion_object() -> String {
    "chat.completion".into()
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct Choice {
    #[serde(default)]
    pub index: u32,
    pub message: ChatMessage,
    #[serde(default)]
    pub finish_reason: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Token usage of a chat completion or embeddings call.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct Usage {
    #[serde(default)]
    pub prompt_tokens: u64,
    #[serde(default)]
    pub completion_tokens: u64,
    #[serde(default)]
    pub total_tokens: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_tokens_details: Option<PromptTokensDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_tokens_details: Option<CompletionTokensDetails>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct PromptTokensDetails {
    #[serde(default)]
    pub cached_tokens: Option<u64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct CompletionTokensDetails {
    #[serde(default)]
    pub reasoning_tokens: Option<u64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A `chat.completion.chunk` object of a streamed completion.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ChatCompletionChunk {
    #[serde(default)]
    pub id: String,
    #[serde(default = "chunk_object")]
    pub object: String,
    #[serde(default)]
    pub created: u64,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub choices: Vec<ChunkChoice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn chunk_object() -> String {
    "chat.completion.chunk".into()
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ChunkChoice {
    #[serde(default)]
    pub index: u32,
    #[serde(default)]
    pub delta: Delta,
    #[serde(default)]
    pub finish_reason: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct Delta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<Vec<ToolCallDelta>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A piece of a streamed tool call: the first piece of each call carries `id` and the name, later pieces carry
/// more of the arguments; `index` says which call a piece belongs to.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ToolCallDelta {
    #[serde(default)]
    pub index: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<FunctionCallDelta>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct FunctionCallDelta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{from_slice, from_value};
    use serde_json::json;

    fn parse(v: Value) -> Result<ChatCompletionRequest, WireError> {
        let req: ChatCompletionRequest = from_value(&v)?;
        req.validate()?;
        Ok(req)
    }

    #[test]
    fn names_the_offending_field() {
        let cases = [
            (
                json!({"messages": [{"role": "user", "content": "x"}]}),
                "model",
            ),
            (json!({"model": 3, "messages": []}), "model"),
            (json!({"model": null, "messages": []}), "model"),
            (
                json!({"model": " ", "messages": [{"role": "user"}]}),
                "model",
            ),
            (json!({"model": "m"}), "messages"),
            (json!({"model": "m", "messages": "hi"}), "messages"),
            (json!({"model": "m", "messages": []}), "messages"),
            (
                json!({"model": "m", "messages": [{"content": "x"}]}),
                "messages[0].role",
            ),
            (
                json!({"model": "m", "messages": [{"role": "wizard", "content": "x"}]}),
                "messages[0].role",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}, {"role": "user"}, {"role": "user", "content": 5}]}),
                "messages[2].content",
            ),
            (
                json!({"model": "m", "messages": [{"role": "assistant", "tool_calls": [{"id": "c", "function": {"name": 1}}]}]}),
                "messages[0].tool_calls[0].function.name",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "stream": "yes"}),
                "stream",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "temperature": 9}),
                "temperature",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "top_p": -1}),
                "top_p",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "max_tokens": 0}),
                "max_tokens",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "max_tokens": "5"}),
                "max_tokens",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "max_tokens": -5}),
                "max_tokens",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "tools": {}}),
                "tools",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "tools": [{"type": 3}]}),
                "tools[0].type",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "stop": [1]}),
                "stop",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "stream_options": {"include_usage": 1}}),
                "stream_options.include_usage",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "response_format": {"type": "json_schema"}}),
                "response_format.json_schema",
            ),
        ];
        for (body, param) in cases {
            let err = parse(body.clone()).expect_err("invalid");
            assert_eq!(err.param.as_deref(), Some(param), "{body}: {err}");
            let last = param.rsplit('.').next().unwrap_or(param);
            assert!(
                err.message.contains(last.split('[').next().unwrap_or(last)),
                "{err}"
            );
        }
    }

    #[test]
    fn paths_survive_parsing_from_bytes() {
        let body = br#"{"model": "m", "messages": [{"role": "user", "content": "a"}, {"role": "user", "content": [{"type": "text", "text": 7}]}]}"#;
        let err = from_slice::<ChatCompletionRequest>(body).expect_err("invalid");
        assert_eq!(err.param.as_deref(), Some("messages[1].content"));
        assert!(
            err.message
                .contains("a string or an array of content parts"),
            "{err}"
        );
    }

    #[test]
    fn realistic_requests_round_trip_with_unknown_fields() {
        let bodies = [
            json!({"model": "gpt-4o", "messages": [
                    {"role": "system", "content": "You are a SOC assistant.", "x_note": 1},
                    {"role": "user", "content": [
                        {"type": "text", "text": "What is in this pcap?"},
                        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA", "detail": "low"}},
                        {"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}}]},
                    {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function",
                        "function": {"name": "lookup", "arguments": "{\"ip\":\"203.0.113.7\"}"}}]},
                    {"role": "tool", "tool_call_id": "call_1", "content": "clean"}],
                  "tools": [{"type": "function", "function": {"name": "lookup", "description": "IOC lookup",
                      "parameters": {"type": "object", "properties": {"ip": {"type": "string"}}}, "strict": true}}],
                  "tool_choice": {"type": "function", "function": {"name": "lookup"}},
                  "response_format": {"type": "json_schema", "json_schema": {"name": "verdict", "strict": true,
                      "schema": {"type": "object"}}},
                  "stream": true, "stream_options": {"include_usage": true, "include_obfuscation": false},
                  "temperature": 0.2, "top_p": 0.9, "seed": -3, "stop": ["\n\n"], "n": 1,
                  "max_completion_tokens": 512, "logit_bias": {"50256": -100}, "top_k": 40,
                  "reasoning_effort": "low", "parallel_tool_calls": false, "user": "analyst-7"}),
            json!({"model": "m", "messages": [{"role": "developer", "content": "d", "name": "ops"}],
                   "metadata": {"ticket": "T-1"}, "modalities": ["text"], "service_tier": "auto"}),
        ];
        for body in bodies {
            let req: ChatCompletionRequest = from_value(&body).expect("parses");
            req.validate().expect("valid");
            assert_eq!(serde_json::to_value(&req).expect("serialises"), body);
        }
    }

    #[test]
    fn responses_and_chunks_parse_leniently() {
        let completion: ChatCompletion = from_value(&json!({"choices": [{"message": {"role": "assistant",
            "content": "hi"}, "finish_reason": "stop"}], "usage": {"prompt_tokens": 3, "completion_tokens": 1,
            "total_tokens": 4, "prompt_tokens_details": {"cached_tokens": 2}}, "system_fingerprint": "fp"}))
        .expect("parses");
        assert_eq!(
            completion.choices[0]
                .message
                .content
                .as_ref()
                .map(MessageContent::as_text)
                .as_deref(),
            Some("hi")
        );
        assert_eq!(
            completion.extra.get("system_fingerprint"),
            Some(&json!("fp"))
        );
        let chunk: ChatCompletionChunk = from_value(&json!({"id": "c", "choices": [{"index": 0, "delta":
            {"tool_calls": [{"index": 0, "id": "call_1", "type": "function", "function": {"name": "f",
            "arguments": ""}}]}, "finish_reason": null}]})).expect("parses");
        assert_eq!(
            chunk.choices[0].delta.tool_calls.as_ref().map(Vec::len),
            Some(1)
        );
    }
}
