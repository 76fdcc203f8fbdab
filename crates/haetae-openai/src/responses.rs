//! The Responses API (`POST /v1/responses`): request, response object and output items.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::chat::Role;
use crate::{WireError, check_min, check_model, check_range, from_value};

/// `POST /v1/responses`. Fields Haetae does not interpret travel on in `extra`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ResponsesRequest {
    #[serde(default)]
    #[schema(min_length = 1, required = true)]
    pub model: String,
    /// A string (one user message), or a list of input items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(required = true)]
    pub input: Option<ResponseInput>,
    /// A system message put before the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<ResponseTool>>,
    /// `"none"`, `"auto"`, `"required"`, or `{"type": "function", "name": …}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub tool_choice: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1)]
    pub max_output_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0.0, maximum = 2.0)]
    pub temperature: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub top_p: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
    /// Not supported: Haetae stores no responses (a 400 names this field). Send the whole conversation as `input`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_response_id: Option<String>,
    /// Accepted and ignored: Haetae never stores a response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<TextConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel_tool_calls: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ResponsesRequest {
    /// What serde cannot check: required fields, ranges, and what this gateway cannot serve.
    pub fn validate(&self) -> Result<(), WireError> {
        if self.model.is_empty() {
            return Err(WireError::new("model", "'model' is required."));
        }
        check_model(&self.model)?;
        match &self.input {
            None => return Err(WireError::new("input", "'input' is required.")),
            Some(ResponseInput::Items(items)) if items.is_empty() => {
                return Err(WireError::new("input", "'input' must not be empty."));
            }
            Some(_) => {}
        }
        check_range("temperature", self.temperature, 0.0, 2.0)?;
        check_range("top_p", self.top_p, 0.0, 1.0)?;
        check_min("max_output_tokens", self.max_output_tokens, 1)?;
        if self.previous_response_id.is_some() {
            return Err(WireError::new(
                "previous_response_id",
                "'previous_response_id' is not supported: this gateway stores no responses. Send the whole \
                 conversation in 'input' (earlier output items can be passed back as input items).",
            ));
        }
        Ok(())
    }

    pub fn is_stream(&self) -> bool {
        self.stream.unwrap_or(false)
    }
}

/// A string, or a list of input items.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ResponseInput {
    Text(String),
    Items(Vec<InputItem>),
}

/// serde's untagged enums report only "no variant matched"; parsing by hand keeps the path of the error inside an
/// item (`input[1].content[0].type`).
impl<'de> Deserialize<'de> for ResponseInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) => Ok(ResponseInput::Text(s)),
            Value::Array(values) => values
                .iter()
                .enumerate()
                .map(|(i, v)| InputItem::parse(v).map_err(|e| e.within(&format!("[{i}]"))))
                .collect::<Result<Vec<_>, _>>()
                .map(ResponseInput::Items)
                .map_err(|e| D::Error::custom(crate::nested(e))),
            _ => Err(D::Error::custom(
                "expected a string or an array of input items",
            )),
        }
    }
}

/// One input item: a message, a function call the model made earlier, or the output of such a call.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum InputItem {
    Message(InputMessage),
    FunctionCall(FunctionCallItem),
    FunctionCallOutput(FunctionCallOutputItem),
}

/// Item types this gateway translates; the rest (reasoning, item references, built-in tool calls) need state or
/// tools it does not have.
const ITEM_TYPES: &str = "message, function_call, function_call_output";

impl InputItem {
    /// Parses one item by its `type` (a message when absent, as the API allows).
    pub fn parse(value: &Value) -> Result<InputItem, WireError> {
        let kind = match value.get("type") {
            None | Some(Value::Null) => "message",
            Some(Value::String(s)) => s.as_str(),
            Some(_) => return Err(WireError::new("type", "'type' must be a string.")),
        };
        match kind {
            "message" => from_value(value).map(InputItem::Message),
            "function_call" => from_value(value).map(InputItem::FunctionCall),
            "function_call_output" => from_value(value).map(InputItem::FunctionCallOutput),
            other => Err(WireError::new(
                "type",
                format!(
                    "'type' '{other}' is not supported for input items; use one of {ITEM_TYPES}."
                ),
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InputMessage {
    /// `"message"`, or absent.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub role: Role,
    pub content: InputContent,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Text, or a list of content parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged, expecting = "a string or an array of content parts")]
pub enum InputContent {
    Text(String),
    Parts(Vec<InputPart>),
}

/// A content part of an input message: `input_text`, `input_image`, `input_file`, or, in an assistant message
/// passed back, `output_text` / `refusal`. Kept as one permissive struct; translation checks the type.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct InputPart {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FunctionCallItem {
    #[serde(rename = "type")]
    pub kind: String,
    pub call_id: String,
    pub name: String,
    pub arguments: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FunctionCallOutputItem {
    #[serde(rename = "type")]
    pub kind: String,
    pub call_id: String,
    pub output: InputContent,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A tool of the Responses API. Function tools are flat (`{"type": "function", "name", "parameters"}`); other
/// kinds (web search, file search, …) are refused by translation: they run on OpenAI's side.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ResponseTool {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub parameters: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct TextConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<TextFormat>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{"type": "text"}`, `{"type": "json_object"}` or `{"type": "json_schema", "name", "schema", "strict"}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct TextFormat {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
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

/// A `response` object.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ResponseObject {
    pub id: String,
    #[serde(default = "response_object")]
    pub object: String,
    pub created_at: u64,
    /// `in_progress`, `completed`, `incomplete` or `failed`.
    pub status: String,
    pub model: String,
    pub output: Vec<OutputItem>,
    #[serde(default)]
    pub usage: Option<ResponseUsage>,
    #[serde(default)]
    pub error: Option<ResponseError>,
    #[serde(default)]
    pub incomplete_details: Option<IncompleteDetails>,
    #[serde(default)]
    pub instructions: Option<String>,
    #[serde(default)]
    pub max_output_tokens: Option<u64>,
    #[serde(default)]
    pub metadata: Map<String, Value>,
    #[serde(default)]
    pub parallel_tool_calls: bool,
    #[serde(default)]
    pub previous_response_id: Option<String>,
    #[serde(default)]
    pub temperature: Option<f64>,
    #[serde(default)]
    pub top_p: Option<f64>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub tool_choice: Value,
    #[serde(default)]
    pub tools: Vec<ResponseTool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<TextConfig>,
    #[serde(default)]
    pub store: bool,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn response_object() -> String {
    "response".into()
}

impl ResponseObject {
    /// The text of every `output_text` part, joined (the SDKs' `output_text`).
    pub fn output_text(&self) -> String {
        let mut text = String::new();
        for item in &self.output {
            if let OutputItem::Message { content, .. } = item {
                for part in content {
                    if let OutputContent::OutputText { text: t, .. } = part {
                        text.push_str(t);
                    }
                }
            }
        }
        text
    }
}

/// An output item: an assistant message or a function call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OutputItem {
    Message {
        id: String,
        role: Role,
        /// `in_progress`, `completed` or `incomplete`.
        status: String,
        content: Vec<OutputContent>,
    },
    FunctionCall {
        id: String,
        call_id: String,
        name: String,
        arguments: String,
        status: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OutputContent {
    OutputText {
        text: String,
        #[schema(value_type = Vec<Object>)]
        annotations: Vec<Value>,
    },
    Refusal {
        refusal: String,
    },
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct ResponseUsage {
    pub input_tokens: u64,
    #[serde(default)]
    pub input_tokens_details: InputTokensDetails,
    pub output_tokens: u64,
    #[serde(default)]
    pub output_tokens_details: OutputTokensDetails,
    pub total_tokens: u64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct InputTokensDetails {
    #[serde(default)]
    pub cached_tokens: u64,
    #[serde(default)]
    pub cache_write_tokens: u64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct OutputTokensDetails {
    #[serde(default)]
    pub reasoning_tokens: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ResponseError {
    /// One of the API's error codes (`server_error`, `rate_limit_exceeded`, …).
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IncompleteDetails {
    /// `max_output_tokens` or `content_filter`.
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::from_slice;
    use serde_json::json;

    fn parse(v: &Value) -> Result<ResponsesRequest, WireError> {
        let req: ResponsesRequest = from_slice(v.to_string().as_bytes())?;
        req.validate()?;
        Ok(req)
    }

    #[test]
    fn names_the_offending_field() {
        let cases = [
            (json!({"input": "hi"}), "model"),
            (json!({"model": "m"}), "input"),
            (json!({"model": "m", "input": []}), "input"),
            (json!({"model": "m", "input": 5}), "input"),
            (
                json!({"model": "m", "input": [{"role": "user", "content": "a"}, {"role": "user", "content": 5}]}),
                "input[1].content",
            ),
            (
                json!({"model": "m", "input": [{"role": "wizard", "content": "a"}]}),
                "input[0].role",
            ),
            (
                json!({"model": "m", "input": [{"type": "reasoning", "summary": []}]}),
                "input[0].type",
            ),
            (
                json!({"model": "m", "input": [{"type": "function_call", "call_id": "c", "name": "f"}]}),
                "input[0].arguments",
            ),
            (
                json!({"model": "m", "input": [{"type": "function_call_output", "call_id": 3, "output": "x"}]}),
                "input[0].call_id",
            ),
            (
                json!({"model": "m", "input": "x", "max_output_tokens": 0}),
                "max_output_tokens",
            ),
            (
                json!({"model": "m", "input": "x", "temperature": 3}),
                "temperature",
            ),
            (
                json!({"model": "m", "input": "x", "tools": [{"name": "f"}]}),
                "tools[0].type",
            ),
            (
                json!({"model": "m", "input": "x", "text": {"format": {"type": 1}}}),
                "text.format.type",
            ),
            (
                json!({"model": "m", "input": "x", "previous_response_id": "resp_1"}),
                "previous_response_id",
            ),
        ];
        for (body, param) in cases {
            let err = parse(&body).expect_err("invalid");
            assert_eq!(err.param.as_deref(), Some(param), "{body}: {err}");
            assert!(!err.message.contains('\u{1}'), "{err:?}");
        }
    }

    #[test]
    fn realistic_requests_round_trip_with_unknown_fields() {
        let bodies = [
            json!({"model": "gpt-4.1", "input": "Summarise CVE-2024-3094.", "instructions": "Be brief.",
                   "reasoning": {"effort": "low"}, "include": ["reasoning.encrypted_content"], "truncation": "auto"}),
            json!({"model": "gpt-4.1", "input": [
                    {"role": "user", "content": [{"type": "input_text", "text": "What is in this screenshot?"},
                        {"type": "input_image", "image_url": "data:image/png;base64,AAAA", "detail": "high"}]},
                    {"type": "message", "role": "assistant", "id": "msg_1", "status": "completed",
                        "content": [{"type": "output_text", "text": "A login page.", "annotations": []}]},
                    {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "whois",
                        "arguments": "{\"domain\":\"example.com\"}", "status": "completed"},
                    {"type": "function_call_output", "call_id": "call_1", "output": "registrar: X"}],
                  "tools": [{"type": "function", "name": "whois", "description": "WHOIS lookup", "strict": true,
                      "parameters": {"type": "object", "properties": {"domain": {"type": "string"}}}}],
                  "tool_choice": "auto", "max_output_tokens": 800, "temperature": 0.3, "top_p": 1.0,
                  "stream": true, "store": false, "metadata": {"case": "IR-7"}, "parallel_tool_calls": true,
                  "text": {"format": {"type": "json_schema", "name": "verdict", "strict": true,
                      "schema": {"type": "object", "properties": {"malicious": {"type": "boolean"}}}},
                      "verbosity": "low"},
                  "service_tier": "auto", "user": "analyst-7"}),
        ];
        for body in bodies {
            let req = parse(&body).expect("valid");
            assert_eq!(serde_json::to_value(&req).expect("serialises"), body);
        }
    }
}
