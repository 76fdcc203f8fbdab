//! Request validation: everything a client sends is checked here, so malformed input becomes a 400 that names
//! the field, never a 500 or an upstream error. Unknown fields pass through to the backend untouched.

use serde_json::{Map, Value};

use crate::error::ApiError;

/// What the pipeline needs from a chat request; the body itself travels on as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatRequest {
    pub model: String,
    pub stream: bool,
    pub include_usage: bool,
    pub max_tokens: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddingsRequest {
    pub model: String,
}

const ROLES: [&str; 6] = [
    "system",
    "developer",
    "user",
    "assistant",
    "tool",
    "function",
];

pub fn parse_json(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.is_empty() {
        return Err(ApiError::invalid_request(
            "The request body is empty; send a JSON object.",
        ));
    }
    if std::str::from_utf8(bytes).is_err() {
        return Err(ApiError::invalid_request(
            "The request body is not valid UTF-8.",
        ));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid_request(
            "The request body must be a JSON object.",
        )),
        Err(e) => Err(ApiError::invalid_request(format!(
            "The request body is not valid JSON: {e}."
        ))),
    }
}

/// The body's declared media type must be JSON: `application/json` or `application/<something>+json`, any
/// parameters (e.g. `charset=utf-8`). A body declared as something else (`text/plain`, a form) is refused with
/// 415 before it is parsed, rather than read as JSON anyway. A request without `Content-Type` is read as JSON:
/// many HTTP clients omit it. `Err` carries the declared type when it is short printable ASCII (safe to echo).
pub fn json_media_type(headers: &axum::http::HeaderMap) -> Result<(), Option<String>> {
    let mut values = headers.get_all(axum::http::header::CONTENT_TYPE).iter();
    let Some(value) = values.next() else {
        return Ok(());
    };
    let essence = value.to_str().ok().map(|v| {
        v.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    });
    let json = values.next().is_none()
        && essence.as_deref().is_some_and(|m| {
            m == "application/json"
                || m.strip_prefix("application/")
                    .is_some_and(|sub| sub.ends_with("+json") && sub.len() > 5)
        });
    if json {
        return Ok(());
    }
    Err(essence.filter(|m| m.len() <= 100 && m.bytes().all(|b| b.is_ascii_graphic())))
}

/// [`json_media_type`] as the admin and member APIs' body extractor answers it: an OpenAI-format 415. (Model
/// calls check it in the pipeline, after authentication, so that their 415 is recorded.)
pub fn content_type(headers: &axum::http::HeaderMap) -> Result<(), ApiError> {
    let Err(declared) = json_media_type(headers) else {
        return Ok(());
    };
    let mut e = ApiError::invalid_request(format!(
        "The request body must be JSON (Content-Type: application/json), not {}.",
        declared
            .map(|m| format!("'{m}'"))
            .unwrap_or_else(|| "what was declared".into())
    ))
    .with_param("content-type");
    e.status = axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE;
    e.code = Some("unsupported_media_type".into());
    Err(e)
}

fn wrong_type(field: &str, expected: &str) -> ApiError {
    ApiError::invalid_request(format!("'{field}' must be {expected}.")).with_param(field)
}

fn model_field(body: &Map<String, Value>) -> Result<String, ApiError> {
    match body.get("model") {
        None | Some(Value::Null) => {
            Err(ApiError::invalid_request("'model' is required.").with_param("model"))
        }
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(Value::String(_)) => {
            Err(ApiError::invalid_request("'model' must not be empty.").with_param("model"))
        }
        Some(_) => Err(wrong_type("model", "a string")),
    }
}

fn optional_bool(body: &Map<String, Value>, field: &str) -> Result<Option<bool>, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(wrong_type(field, "a boolean")),
    }
}

fn optional_number(
    body: &Map<String, Value>,
    field: &str,
    min: f64,
    max: f64,
) -> Result<(), ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(v) if (min..=max).contains(&v) => Ok(()),
            _ => Err(ApiError::invalid_request(format!(
                "'{field}' must be between {min} and {max}."
            ))
            .with_param(field)),
        },
        Some(_) => Err(wrong_type(field, "a number")),
    }
}

fn optional_count(
    body: &Map<String, Value>,
    field: &str,
    min: u64,
) -> Result<Option<u64>, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(v) if v >= min => Ok(Some(v)),
            _ => Err(ApiError::invalid_request(format!(
                "'{field}' must be a whole number of at least {min}."
            ))
            .with_param(field)),
        },
        Some(_) => Err(wrong_type(field, "an integer")),
    }
}

fn optional_of(
    body: &Map<String, Value>,
    field: &str,
    ok: fn(&Value) -> bool,
    expected: &str,
) -> Result<(), ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(()),
        Some(v) if ok(v) => Ok(()),
        Some(_) => Err(wrong_type(field, expected)),
    }
}

fn validate_message(i: usize, message: &Value) -> Result<(), ApiError> {
    let param = format!("messages[{i}]");
    let obj = message
        .as_object()
        .ok_or_else(|| wrong_type(&param, "an object"))?;
    match obj.get("role") {
        Some(Value::String(role)) if ROLES.contains(&role.as_str()) => {}
        Some(Value::String(role)) => {
            return Err(ApiError::invalid_request(format!(
                "'{param}.role' '{role}' is not one of {}.",
                ROLES.join(", ")
            ))
            .with_param(format!("{param}.role")));
        }
        Some(_) => return Err(wrong_type(&format!("{param}.role"), "a string")),
        None => {
            return Err(
                ApiError::invalid_request(format!("'{param}.role' is required."))
                    .with_param(format!("{param}.role")),
            );
        }
    }
    match obj.get("content") {
        None | Some(Value::Null) | Some(Value::String(_)) => Ok(()),
        Some(Value::Array(parts)) if parts.iter().all(Value::is_object) => Ok(()),
        Some(_) => Err(wrong_type(
            &format!("{param}.content"),
            "a string or an array of content parts",
        )),
    }
}

pub fn chat_request(body: &Map<String, Value>) -> Result<ChatRequest, ApiError> {
    let model = model_field(body)?;
    let messages = match body.get("messages") {
        Some(Value::Array(m)) if !m.is_empty() => m,
        Some(Value::Array(_)) => {
            return Err(
                ApiError::invalid_request("'messages' must not be empty.").with_param("messages")
            );
        }
        None | Some(Value::Null) => {
            return Err(ApiError::invalid_request("'messages' is required.").with_param("messages"));
        }
        Some(_) => return Err(wrong_type("messages", "an array")),
    };
    for (i, message) in messages.iter().enumerate() {
        validate_message(i, message)?;
    }
    let stream = optional_bool(body, "stream")?.unwrap_or(false);
    let include_usage = match body.get("stream_options") {
        None | Some(Value::Null) => false,
        Some(Value::Object(opts)) => optional_bool(opts, "include_usage")
            .map_err(|_| wrong_type("stream_options.include_usage", "a boolean"))?
            .unwrap_or(false),
        Some(_) => return Err(wrong_type("stream_options", "an object")),
    };
    optional_number(body, "temperature", 0.0, 2.0)?;
    optional_number(body, "top_p", 0.0, 1.0)?;
    optional_number(body, "presence_penalty", -2.0, 2.0)?;
    optional_number(body, "frequency_penalty", -2.0, 2.0)?;
    optional_count(body, "n", 1)?;
    optional_count(body, "seed", 0).or_else(|_| match body.get("seed") {
        Some(Value::Number(n)) if n.is_i64() => Ok(None),
        _ => Err(wrong_type("seed", "an integer")),
    })?;
    let max_tokens = optional_count(body, "max_tokens", 1)?;
    let max_completion_tokens = optional_count(body, "max_completion_tokens", 1)?;
    optional_of(body, "tools", Value::is_array, "an array")?;
    optional_of(body, "response_format", Value::is_object, "an object")?;
    optional_of(
        body,
        "stop",
        |v| v.is_string() || v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        "a string or an array of strings",
    )?;
    Ok(ChatRequest {
        model,
        stream,
        include_usage,
        max_tokens: max_completion_tokens.or(max_tokens),
    })
}

pub fn embeddings_request(body: &Map<String, Value>) -> Result<EmbeddingsRequest, ApiError> {
    let model = model_field(body)?;
    let valid_input = match body.get("input") {
        Some(Value::String(_)) => true,
        Some(Value::Array(items)) if !items.is_empty() => {
            items.iter().all(Value::is_string)
                || items.iter().all(Value::is_u64)
                || items
                    .iter()
                    .all(|i| i.as_array().is_some_and(|a| a.iter().all(Value::is_u64)))
        }
        None | Some(Value::Null) => {
            return Err(ApiError::invalid_request("'input' is required.").with_param("input"));
        }
        _ => false,
    };
    if !valid_input {
        return Err(wrong_type(
            "input",
            "a string, an array of strings, or an array of token arrays",
        ));
    }
    Ok(EmbeddingsRequest { model })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn chat(v: Value) -> Result<ChatRequest, ApiError> {
        chat_request(v.as_object().expect("object"))
    }

    #[test]
    fn accepts_a_full_request() {
        let req = chat(json!({"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": true,
                              "stream_options": {"include_usage": true}, "max_tokens": 5, "temperature": 0.5,
                              "tools": [], "response_format": {"type": "json_object"}, "stop": ["\n"], "seed": -1}))
        .expect("valid");
        assert_eq!(
            req,
            ChatRequest {
                model: "m".into(),
                stream: true,
                include_usage: true,
                max_tokens: Some(5)
            }
        );
    }

    #[test]
    fn names_the_offending_field() {
        let cases = [
            (
                json!({"messages": [{"role": "user", "content": "x"}]}),
                "model",
            ),
            (json!({"model": 3, "messages": []}), "model"),
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
                json!({"model": "m", "messages": [{"role": "user", "content": 5}]}),
                "messages[0].content",
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
                json!({"model": "m", "messages": [{"role": "user"}], "max_tokens": 0}),
                "max_tokens",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "max_tokens": "5"}),
                "max_tokens",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "tools": {}}),
                "tools",
            ),
        ];
        for (body, param) in cases {
            let err = chat(body.clone()).expect_err("invalid");
            assert_eq!(err.param.as_deref(), Some(param), "{body}");
            assert_eq!(err.status, 400);
        }
    }

    #[test]
    fn rejects_non_objects_and_bad_bytes() {
        assert!(parse_json(b"").is_err());
        assert!(parse_json(b"[1]").is_err());
        assert!(parse_json(b"{\"a\":").is_err());
        assert!(parse_json(&[0x7b, 0xff, 0x7d]).is_err());
        assert!(parse_json(b"{}").is_ok());
    }

    #[test]
    fn embeddings_inputs() {
        let ok = |v: Value| embeddings_request(v.as_object().expect("object")).is_ok();
        assert!(ok(json!({"model": "e", "input": "x"})));
        assert!(ok(json!({"model": "e", "input": ["x", "y"]})));
        assert!(ok(json!({"model": "e", "input": [[1, 2]]})));
        assert!(!ok(json!({"model": "e", "input": [1, "x"]})));
        assert!(!ok(json!({"model": "e"})));
        assert!(!ok(json!({"model": "e", "input": []})));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            if let Ok(map) = parse_json(&bytes) {
                let _ = chat_request(&map);
                let _ = embeddings_request(&map);
            }
        }

        #[test]
        fn arbitrary_json_gets_a_client_error_or_passes(v in arb_json()) {
            if let Some(map) = v.as_object() {
                if let Err(e) = chat_request(map) {
                    prop_assert_eq!(e.status, 400);
                }
            }
        }
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| json!(f)),
            prop_oneof![Just("model".to_string()), Just("user".to_string()), ".*"]
                .prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::vec(
                    (
                        prop_oneof![
                            Just("model".to_string()),
                            Just("messages".to_string()),
                            Just("role".to_string()),
                            Just("content".to_string()),
                            Just("stream".to_string()),
                            Just("max_tokens".to_string()),
                            Just("stream_options".to_string()),
                            ".*"
                        ],
                        inner
                    ),
                    0..5
                )
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }
}

#[cfg(test)]
mod content_type_tests {
    use super::content_type;
    use axum::http::{HeaderMap, HeaderValue, header};

    #[test]
    fn only_json_media_types_pass() {
        let cases: [(&[&str], bool); 12] = [
            (&[], true),
            (&["application/json"], true),
            (&["application/json; charset=utf-8"], true),
            (&["Application/JSON"], true),
            (&["application/vnd.api+json"], true),
            (&["text/plain"], false),
            (&["text/plain; charset=utf-8"], false),
            (&["application/x-www-form-urlencoded"], false),
            (&["multipart/form-data; boundary=x"], false),
            (&["application/+json"], false),
            (&["text/json"], false),
            (&["application/json", "text/plain"], false),
        ];
        for (values, ok) in cases {
            let mut h = HeaderMap::new();
            for v in values {
                h.append(header::CONTENT_TYPE, HeaderValue::from_static(v));
            }
            match content_type(&h) {
                Ok(()) => assert!(ok, "{values:?} passed"),
                Err(e) => {
                    assert!(!ok, "{values:?} refused");
                    assert_eq!(e.status, 415);
                    assert_eq!(e.param.as_deref(), Some("content-type"));
                }
            }
        }
    }
}
