//! Request validation: everything a client sends is checked here, so malformed input becomes a 400 that names
//! the field, never a 500 or an upstream error. Unknown fields pass through to the backend untouched.
//!
//! A model call's body is validated by reading it into the typed request of `haetae-openai`
//! ([`ChatCompletionRequest`], [`WireEmbeddings`]): the same serde types the OpenAPI document (`openapi.rs`) is
//! generated from, so what is documented and what is enforced cannot drift apart. The body itself travels on as
//! the JSON it arrived as (fields Haetae does not read are not re-serialised); the typed copy only answers what
//! the pipeline needs to know.

use haetae_openai::{ChatCompletionRequest, EmbeddingsRequest as WireEmbeddings, WireError};
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::pipeline::Refusal;

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

/// A request field the wire types refused, as the pipeline's refusal (rendered at the edge, in the caller's
/// language, naming the field).
pub fn refusal(e: WireError) -> Refusal {
    Refusal::field(e.param.unwrap_or_default(), e.message)
}

/// Validates a chat completion request: its shape by the typed request, then what serde cannot check (ranges,
/// required and non-empty fields).
pub fn chat_request(body: &Value) -> Result<ChatRequest, WireError> {
    let request: ChatCompletionRequest = haetae_openai::from_value(body)?;
    chat(&request)
}

/// [`chat_request`] for a request that is already typed (the Responses API's translation).
pub fn chat(request: &ChatCompletionRequest) -> Result<ChatRequest, WireError> {
    request.validate()?;
    Ok(ChatRequest {
        model: request.model.clone(),
        stream: request.is_stream(),
        include_usage: request.include_usage(),
        max_tokens: request.completion_bound(),
    })
}

pub fn embeddings_request(body: &Value) -> Result<EmbeddingsRequest, WireError> {
    let request: WireEmbeddings = haetae_openai::from_value(body)?;
    request.validate()?;
    Ok(EmbeddingsRequest {
        model: request.model,
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{Language, render};
    use proptest::prelude::*;
    use serde_json::json;

    fn chat(v: Value) -> Result<ChatRequest, WireError> {
        chat_request(&v)
    }

    #[test]
    fn accepts_a_full_request() {
        let req = chat(json!({"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": true,
                              "stream_options": {"include_usage": true}, "max_tokens": 5, "temperature": 0.5,
                              "tools": [], "response_format": {"type": "json_object"}, "stop": ["\n"], "seed": -1,
                              "x_vendor_extension": {"anything": [1, 2]}}))
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
        let req = chat(
            json!({"model": "m", "messages": [{"role": "user"}], "max_tokens": 5,
                              "max_completion_tokens": 7}),
        )
        .expect("valid");
        assert_eq!(req.max_tokens, Some(7), "max_completion_tokens wins");
    }

    /// Each refusal is a 400 whose `param` is the field and whose message quotes it.
    #[test]
    fn names_the_offending_field() {
        let cases = [
            (
                json!({"messages": [{"role": "user", "content": "x"}]}),
                "model",
            ),
            (json!({"model": 3, "messages": []}), "model"),
            (
                json!({"model": "  ", "messages": [{"role": "user"}]}),
                "model",
            ),
            (json!({"model": "m"}), "messages"),
            (json!({"model": "m", "messages": "hi"}), "messages"),
            (json!({"model": "m", "messages": []}), "messages"),
            (json!({"model": "m", "messages": ["hi"]}), "messages[0]"),
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
                json!({"model": "m", "messages": [{"role": "user"}], "stream_options": {"include_usage": 1}}),
                "stream_options.include_usage",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "stream_options": true}),
                "stream_options",
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
                json!({"model": "m", "messages": [{"role": "user"}], "seed": 1.5}),
                "seed",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "tools": {}}),
                "tools",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "response_format": "json"}),
                "response_format",
            ),
            (
                json!({"model": "m", "messages": [{"role": "user"}], "stop": [1]}),
                "stop",
            ),
        ];
        for (body, param) in cases {
            let err = chat(body.clone()).expect_err("invalid");
            assert_eq!(err.param.as_deref(), Some(param), "{body}: {err}");
            assert!(
                err.message.starts_with(&format!("'{param}'")),
                "{body}: {err}"
            );
            let rendered = render(&refusal(err), Language::En);
            assert_eq!(rendered.status, 400, "{body}");
            assert_eq!(rendered.param.as_deref(), Some(param), "{body}");
        }
    }

    /// The OpenAPI document and validation read one schema: every bound the document states for a request
    /// field is the bound validation enforces, at the boundary on both sides, and every field it calls
    /// required is refused when missing.
    #[test]
    fn validation_enforces_what_the_openapi_document_states() {
        let doc = serde_json::to_value(crate::openapi::document()).expect("document");
        let valid =
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"}], "input": "x"});
        let mut bounds = 0;
        for name in ["ChatCompletionRequest", "EmbeddingsRequest"] {
            let schema = &doc["components"]["schemas"][name];
            let check = |body: &Value| -> Result<(), WireError> {
                if name == "ChatCompletionRequest" {
                    chat_request(body).map(drop)
                } else {
                    embeddings_request(body).map(drop)
                }
            };
            check(&valid).expect("the base request is valid");
            for field in schema["required"].as_array().expect("required") {
                let field = field.as_str().expect("name");
                let mut body = valid.clone();
                body.as_object_mut().expect("object").remove(field);
                let err = check(&body).expect_err(field);
                assert_eq!(err.param.as_deref(), Some(field), "{name}: {err}");
            }
            for (field, prop) in schema["properties"].as_object().expect("properties") {
                let integer = prop["type"] == "integer"
                    || prop["type"]
                        .as_array()
                        .is_some_and(|t| t.contains(&json!("integer")));
                let step = if integer { 1.0 } else { 0.01 };
                let number = |x: f64| if integer { json!(x as i64) } else { json!(x) };
                let at = |value: Value, ok: bool| {
                    let mut body = valid.clone();
                    body[field.as_str()] = value.clone();
                    match check(&body) {
                        Ok(()) => assert!(ok, "{name}.{field} = {value} passed"),
                        Err(e) => {
                            assert!(!ok, "{name}.{field} = {value} refused: {e}");
                            assert_eq!(e.param.as_deref(), Some(field.as_str()), "{e}");
                        }
                    }
                };
                if let Some(min) = prop["minimum"].as_f64() {
                    bounds += 1;
                    at(number(min), true);
                    at(number(min - step), false);
                }
                if let Some(max) = prop["maximum"].as_f64() {
                    bounds += 1;
                    at(number(max), true);
                    at(number(max + step), false);
                }
                if prop["minLength"] == 1 {
                    bounds += 1;
                    at(json!(""), false);
                }
                if prop["minItems"] == 1 {
                    bounds += 1;
                    at(json!([]), false);
                }
            }
        }
        assert!(bounds >= 12, "the document states the bounds ({bounds})");
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
        let ok = |v: Value| embeddings_request(&v).is_ok();
        assert!(ok(json!({"model": "e", "input": "x"})));
        assert!(ok(json!({"model": "e", "input": ["x", "y"]})));
        assert!(ok(json!({"model": "e", "input": [[1, 2]]})));
        assert!(!ok(json!({"model": "e", "input": [1, "x"]})));
        assert!(!ok(json!({"model": "e"})));
        assert!(!ok(json!({"model": "e", "input": []})));
        assert!(!ok(json!({"model": "", "input": "x"})));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            if let Ok(map) = parse_json(&bytes) {
                let body = Value::Object(map);
                let _ = chat_request(&body);
                let _ = embeddings_request(&body);
            }
        }

        #[test]
        fn arbitrary_json_gets_a_client_error_naming_a_field_or_passes(v in arb_json()) {
            if v.is_object() {
                if let Err(e) = chat_request(&v) {
                    let rendered = render(&refusal(e), Language::En);
                    prop_assert_eq!(rendered.status, 400);
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
