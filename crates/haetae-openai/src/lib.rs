//! The OpenAI wire format, typed: chat completions, embeddings and the Responses API.
//!
//! Every type keeps the fields Haetae does not interpret in a flattened `extra` map, so a request or response
//! passes through the gateway with vendor extensions and newer OpenAI fields intact. Parsing with
//! [`from_slice`] / [`from_value`] names the JSON path of a type error (`messages[2].content`), and each request's
//! `validate` checks what serde cannot (ranges, non-empty lists), again naming the field.
//!
//! [`translate`] maps a Responses API request onto a chat completion request and a chat completion back onto a
//! Responses object; [`stream::ResponsesStream`] turns a stream of chat completion chunks into the Responses API's
//! server-sent events. The gateway runs every stage on the chat form, so the Responses endpoint is an adapter.
//!
//! No haetae dependencies: the mock upstream and the backends can use these types too.

pub mod chat;
pub mod embeddings;
pub mod responses;
pub mod stream;
pub mod translate;

use serde::de::DeserializeOwned;

pub use chat::{
    ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, ChatMessage, ChatTool, ContentPart,
    MessageContent, ResponseFormat, Role, ToolCall, Usage,
};
pub use embeddings::{EmbeddingsInput, EmbeddingsRequest};
pub use responses::{
    InputItem, OutputItem, ResponseInput, ResponseObject, ResponseUsage, ResponsesRequest,
};
pub use stream::{ResponseStreamEvent, ResponsesStream, SequencedEvent};
pub use translate::{ResponseIds, chat_to_response, responses_to_chat};

/// A client error in an OpenAI request: what is wrong, and the field (a JSON path) it is wrong in.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct WireError {
    /// The offending field as a path (`messages[2].content`, `input[0].content[1].type`); `None` for the body.
    pub param: Option<String>,
    pub message: String,
}

impl WireError {
    pub fn new(param: impl Into<String>, message: impl Into<String>) -> Self {
        WireError {
            param: Some(param.into()),
            message: message.into(),
        }
    }

    pub fn body(message: impl Into<String>) -> Self {
        WireError {
            param: None,
            message: message.into(),
        }
    }

    /// The same error one level down: `param` becomes `prefix.param` (or `prefix[i]` for an index path), and a
    /// message that starts by quoting the field quotes the new path.
    pub fn within(self, prefix: &str) -> Self {
        let new = match self.param.as_deref() {
            None => prefix.to_string(),
            Some(p) if p.starts_with('[') => format!("{prefix}{p}"),
            Some(p) => format!("{prefix}.{p}"),
        };
        self.renamed(new)
    }

    /// The same error about the field `new` (a message that starts by quoting the field quotes the new name).
    pub fn renamed(mut self, new: String) -> Self {
        self.message = match self.param.as_deref() {
            Some(old) => match self.message.strip_prefix(&format!("'{old}'")) {
                Some(rest) => format!("'{new}'{rest}"),
                None => self.message,
            },
            None => match self.message.strip_prefix(BODY_INVALID) {
                Some(rest) => format!("'{new}': {rest}"),
                None => self.message,
            },
        };
        self.param = Some(new);
        self
    }
}

const BODY_INVALID: &str = "The request body is invalid: ";

/// serde's error trait carries only a message, so an error found inside a hand-parsed value carries its own path
/// in the message between these markers; [`from_path_error`] takes it out again and joins the paths.
const NESTED: char = '\u{1}';

pub(crate) fn nested(e: WireError) -> String {
    format!(
        "{NESTED}{}{NESTED}{}",
        e.param.as_deref().unwrap_or(""),
        e.message
    )
}

fn error_at(path: String, message: String) -> WireError {
    let at_body = path == "." || path.is_empty();
    if let Some(rest) = message.strip_prefix(NESTED)
        && let Some((inner_param, inner_message)) = rest.split_once(NESTED)
    {
        let inner = WireError {
            param: (!inner_param.is_empty()).then(|| inner_param.to_string()),
            message: inner_message.to_string(),
        };
        return if at_body { inner } else { inner.within(&path) };
    }
    // serde reports a missing field at the object that lacks it; the field itself is what the caller must fix.
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        let param = if at_body {
            field.to_string()
        } else {
            format!("{path}.{field}")
        };
        return WireError::new(param.clone(), format!("'{param}' is required."));
    }
    if at_body {
        return WireError::body(format!("{BODY_INVALID}{message}."));
    }
    match humanise(&message) {
        Some(rest) => WireError::new(path.clone(), format!("'{path}' {rest}.")),
        None => WireError::new(path.clone(), format!("'{path}': {message}.")),
    }
}

/// serde's wording, for people who write JSON rather than Rust: what the field must be, and what it was.
fn humanise(message: &str) -> Option<String> {
    if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return Some(format!("must be {}, not {found}", json_kind(expected)));
    }
    if let Some(rest) = message.strip_prefix("unknown variant ")
        && let Some((given, expected)) = rest.split_once(", expected one of ")
    {
        return Some(format!(
            "{} is not one of {}",
            given.replace('`', "'"),
            expected.replace('`', "")
        ));
    }
    // An untagged enum's or a hand-written parser's `expecting` text is the whole message.
    let expected = message.strip_prefix("expected ").unwrap_or(message);
    (expected.starts_with("a ") || expected.starts_with("an "))
        .then(|| format!("must be {expected}"))
}

/// A Rust type in serde's "expected …" as the JSON it reads.
fn json_kind(expected: &str) -> &str {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number of at least 0",
        "i8" | "i16" | "i32" | "i64" | "isize" => "an integer",
        "f32" | "f64" => "a number",
        "a sequence" => "an array",
        "a map" => "an object",
        e if e.starts_with("struct ") => "an object",
        e => e,
    }
}

fn from_path_error(e: serde_path_to_error::Error<serde_json::Error>) -> WireError {
    let path = e.path().to_string();
    // serde_json appends "at line L column C"; the path says where far better, and the message is read by people.
    let mut message = e.into_inner().to_string();
    if let Some(at) = message.rfind(" at line ") {
        message.truncate(at);
    }
    error_at(path, message)
}

/// Parses a JSON body into `T`, naming the path of the first error.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WireError> {
    if bytes.is_empty() {
        return Err(WireError::body(
            "The request body is empty; send a JSON object.",
        ));
    }
    if std::str::from_utf8(bytes).is_err() {
        return Err(WireError::body("The request body is not valid UTF-8."));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        if e.inner().is_syntax() || e.inner().is_eof() {
            WireError::body(format!(
                "The request body is not valid JSON: {}.",
                e.inner()
            ))
        } else {
            from_path_error(e)
        }
    })?;
    de.end()
        .map_err(|e| WireError::body(format!("The request body is not valid JSON: {e}.")))?;
    Ok(value)
}

/// Converts an already-parsed JSON value into `T`, naming the path of the first error.
pub fn from_value<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, WireError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        error_at(path, e.into_inner().to_string())
    })
}

/// Checks that an optional number lies in `min..=max`.
pub(crate) fn check_range(
    field: &str,
    value: Option<f64>,
    min: f64,
    max: f64,
) -> Result<(), WireError> {
    match value {
        Some(v) if !(min..=max).contains(&v) => Err(WireError::new(
            field,
            format!("'{field}' must be between {min} and {max}."),
        )),
        _ => Ok(()),
    }
}

/// Checks that an optional count is at least `min`.
pub(crate) fn check_min(field: &str, value: Option<u64>, min: u64) -> Result<(), WireError> {
    match value {
        Some(v) if v < min => Err(WireError::new(
            field,
            format!("'{field}' must be a whole number of at least {min}."),
        )),
        _ => Ok(()),
    }
}

/// Checks that a required string is present and not blank.
pub(crate) fn check_model(model: &str) -> Result<(), WireError> {
    if model.trim().is_empty() {
        return Err(WireError::new("model", "'model' must not be empty."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_level_errors_have_no_param() {
        let cases: [&[u8]; 4] = [b"", b"{\"a\":", &[0x7b, 0xff, 0x7d], b"{} x"];
        for bytes in cases {
            let err = from_slice::<ChatCompletionRequest>(bytes).expect_err("invalid");
            assert_eq!(err.param, None, "{bytes:?}: {err}");
        }
    }

    #[test]
    fn type_errors_read_as_json_and_name_the_field() {
        use serde_json::json;
        let cases = [
            (
                json!({"model": 3, "messages": []}),
                "'model' must be a string, not integer `3`.",
            ),
            (
                json!({"model": "m", "messages": [{"role": "wizard"}]}),
                "'messages[0].role' 'wizard' is not one of system, developer, user, assistant, tool, function.",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "max_tokens": -5}),
                "'max_tokens' must be a whole number of at least 0, not integer `-5`.",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "temperature": "hot"}),
                "'temperature' must be a number, not string \"hot\".",
            ),
            (
                json!({"model": "m", "messages": "hi"}),
                "'messages' must be an array, not string \"hi\".",
            ),
            (
                json!({"model": "m", "messages": ["hi"]}),
                "'messages[0]' must be an object, not string \"hi\".",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user", "content": 5}]}),
                "'messages[0].content' must be a string or an array of content parts.",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "stream": "yes"}),
                "'stream' must be a boolean, not string \"yes\".",
            ),
        ];
        for (body, message) in cases {
            let err = from_value::<ChatCompletionRequest>(&body).expect_err("invalid");
            assert_eq!(err.message, message, "{body}");
        }
    }

    #[test]
    fn within_prefixes_paths() {
        assert_eq!(
            WireError::new("content[0].type", "x")
                .within("input[1]")
                .param
                .as_deref(),
            Some("input[1].content[0].type")
        );
        assert_eq!(
            WireError::new("[3]", "x").within("input").param.as_deref(),
            Some("input[3]")
        );
        assert_eq!(
            WireError::body("x").within("input[0]").param.as_deref(),
            Some("input[0]")
        );
    }
}
