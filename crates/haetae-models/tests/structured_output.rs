//! `response_format` on the real embedded model: the answer parses as JSON and is an instance of the schema.
//!
//! Needs the model file (`scripts/fetch-model.sh`, or `HAETAE_MODEL_PATH`): without it these tests say so and
//! pass, except under `CI=true`, where CI has fetched the model and a missing file is a failure.

// Test helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(feature = "embedded")]

mod common;

use common::model_path;

use std::sync::{Arc, OnceLock};

use futures::StreamExt;
use haetae_models::embedded::{self, EmbeddedBackend, EmbeddedConfig};
use haetae_models::{Backend, BackendError};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn backend() -> Option<Arc<EmbeddedBackend>> {
    static BACKEND: OnceLock<Option<Arc<EmbeddedBackend>>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            let config = EmbeddedConfig {
                parallel: 2,
                queue_depth: 16,
                threads: 1,
                context_len: 1024,
                model_id: "smollm2-135m".into(),
            };
            Some(Arc::new(
                EmbeddedBackend::load(model_path()?, config).expect("load the model"),
            ))
        })
        .clone()
}

fn request(question: &str, schema: Value, temperature: f64, seed: u64) -> Value {
    json!({
        "model": "smollm2-135m",
        "messages": [{"role": "user", "content": question}],
        "temperature": temperature,
        "seed": seed,
        "max_tokens": 400,
        "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "strict": true, "schema": schema}},
    })
}

/// The answer of a non-streamed chat completion, which must have ended by itself (not at `max_tokens`).
fn answer(resp: &Value) -> Value {
    assert_eq!(resp["choices"][0]["finish_reason"], "stop", "{resp}");
    let text = resp["choices"][0]["message"]["content"].as_str().unwrap();
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A JSON Schema validator for the subset the embedded model enforces (written here so that the test does not
/// trust the code under test).
fn validate(v: &Value, schema: &Value, root: &Value, path: &str) -> Result<(), String> {
    let fail = |why: String| Err(format!("{path}: {why} (value {v})"));
    let s = schema.as_object().unwrap();
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        return validate(v, root.pointer(&r[1..]).unwrap(), root, path);
    }
    if let Some(alts) = s.get("anyOf").and_then(Value::as_array) {
        if alts.iter().any(|a| validate(v, a, root, path).is_ok()) {
            return Ok(());
        }
        return fail("matches no anyOf alternative".into());
    }
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(t) => vec![t.as_str()],
            Value::Array(a) => a.iter().map(|t| t.as_str().unwrap()).collect(),
            _ => unreachable!(),
        };
        if !types.iter().any(|t| embedded::structured::is_of_type(v, t)) {
            return fail(format!("not of type {types:?}"));
        }
    }
    if let Some(c) = s.get("const")
        && v != c
    {
        return fail(format!("not the constant {c}"));
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        return fail("not in the enum".into());
    }
    let bound = |k: &str| s.get(k).and_then(Value::as_f64);
    if let Some(n) = v.as_f64()
        && (bound("minimum").is_some_and(|m| n < m)
            || bound("maximum").is_some_and(|m| n > m)
            || bound("exclusiveMinimum").is_some_and(|m| n <= m)
            || bound("exclusiveMaximum").is_some_and(|m| n >= m))
    {
        return fail("out of bounds".into());
    }
    let count = |k: &str| s.get(k).and_then(Value::as_u64).map(|n| n as usize);
    if let Some(text) = v.as_str() {
        let len = text.chars().count();
        if count("minLength").is_some_and(|m| len < m)
            || count("maxLength").is_some_and(|m| len > m)
        {
            return fail("length out of bounds".into());
        }
        if let Some(p) = s.get("pattern").and_then(Value::as_str)
            && !regex::Regex::new(p).unwrap().is_match(text)
        {
            return fail(format!("does not match {p}"));
        }
        let format = s.get("format").and_then(Value::as_str).map(|f| match f {
            "date" => r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
            "time" => r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{3})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$",
            "date-time" => r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{3})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$",
            "uuid" => r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
            other => panic!("format {other} in a test schema"),
        });
        if let Some(f) = format
            && !regex::Regex::new(f).unwrap().is_match(text)
        {
            return fail("not of its format".into());
        }
    }
    if let Some(items) = v.as_array() {
        if count("minItems").is_some_and(|m| items.len() < m)
            || count("maxItems").is_some_and(|m| items.len() > m)
        {
            return fail("item count out of bounds".into());
        }
        let tuple = s
            .get("prefixItems")
            .or(s.get("items").filter(|i| i.is_array()));
        if let Some(tuple) = tuple.and_then(Value::as_array) {
            if tuple.len() != items.len() {
                return fail(format!("not a {}-tuple", tuple.len()));
            }
            for (i, (item, sub)) in items.iter().zip(tuple).enumerate() {
                validate(item, sub, root, &format!("{path}[{i}]"))?;
            }
        } else if let Some(sub) = s.get("items") {
            for (i, item) in items.iter().enumerate() {
                validate(item, sub, root, &format!("{path}[{i}]"))?;
            }
        }
    }
    if let Some(obj) = v.as_object() {
        let empty = Map::new();
        let props = s
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for name in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !obj.contains_key(name.as_str().unwrap()) {
                return fail(format!("lacks required {name}"));
            }
        }
        for (k, item) in obj {
            match (props.get(k), s.get("additionalProperties")) {
                (Some(sub), _) => validate(item, sub, root, &format!("{path}.{k}"))?,
                (None, Some(Value::Bool(false))) => return fail(format!("has extra property {k}")),
                (None, Some(sub @ Value::Object(_))) => {
                    validate(item, sub, root, &format!("{path}.{k}"))?
                }
                (None, _) => {}
            }
        }
    }
    Ok(())
}

fn finding_schema() -> Value {
    json!({
        "$defs": {"severity": {"type": "string", "enum": ["low", "medium", "high", "critical"]}},
        "type": "object",
        "properties": {
            "cve": {"type": "string", "pattern": "^CVE-[0-9]{4}-[0-9]{4,7}$"},
            "severity": {"$ref": "#/$defs/severity"},
            "cvss": {"type": "number"},
            "affected_hosts": {"type": "integer", "minimum": 0, "maximum": 500},
            "exploited": {"type": "boolean"},
            "summary": {"type": "string", "maxLength": 80},
            "reported": {"type": "string", "format": "date"},
            "ports": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 65535}, "maxItems": 4},
            "owner": {"type": ["string", "null"], "maxLength": 20},
        },
        "required": ["cve", "severity", "cvss", "affected_hosts", "exploited", "summary", "reported", "ports", "owner"],
        "additionalProperties": false,
    })
}

#[tokio::test]
async fn a_json_schema_answer_is_an_instance_of_the_schema() {
    let Some(b) = backend() else { return };
    let schema = finding_schema();
    let resp = b
        .chat(request(
            "Describe one vulnerability finding from last week's scan.",
            schema.clone(),
            0.0,
            1,
        ))
        .await
        .unwrap();
    let v = answer(&resp);
    validate(&v, &schema, &schema, "$").unwrap();
}

#[tokio::test]
async fn a_streamed_json_schema_answer_is_an_instance_of_the_schema() {
    let Some(b) = backend() else { return };
    let schema = finding_schema();
    let mut body = request("Report a finding as JSON.", schema.clone(), 0.8, 7);
    body["stream"] = json!(true);
    let mut stream = b.chat_stream(body).await.unwrap();
    let (mut text, mut finish) = (String::new(), Value::Null);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.unwrap();
        if let Some(t) = chunk["choices"][0]["delta"]["content"].as_str() {
            text.push_str(t);
        }
        if !chunk["choices"][0]["finish_reason"].is_null() {
            finish = chunk["choices"][0]["finish_reason"].clone();
        }
    }
    assert_eq!(finish, "stop");
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    validate(&v, &schema, &schema, "$").unwrap();
}

#[tokio::test]
async fn json_object_gives_a_json_object() {
    let Some(b) = backend() else { return };
    let mut body = request("List two colours.", json!({}), 0.0, 1);
    body["response_format"] = json!({"type": "json_object"});
    body["max_tokens"] = json!(1000);
    let resp = b.chat(body).await.unwrap();
    let text = resp["choices"][0]["message"]["content"].as_str().unwrap();
    // An open object may run to max_tokens; what was produced must still be the start of one.
    assert!(text.trim_start().starts_with('{'), "{text}");
    if resp["choices"][0]["finish_reason"] == "stop" {
        assert!(
            serde_json::from_str::<Value>(text).unwrap().is_object(),
            "{text}"
        );
    }
}

#[tokio::test]
async fn an_unenforceable_schema_is_a_bad_request_naming_the_keyword() {
    let Some(b) = backend() else { return };
    let schema =
        json!({"type": "object", "properties": {"score": {"type": "number", "multipleOf": 0.5}}});
    match b.chat(request("Score it.", schema, 0.0, 1)).await {
        Err(BackendError::InvalidRequest(m)) => assert!(
            m.contains("response_format.json_schema.schema.properties.score.multipleOf"),
            "{m}"
        ),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

/// Small schemas from the enforced subset whose every instance is short, so a sampled answer always ends.
fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"type": "boolean"})),
        Just(json!({"type": "null"})),
        Just(json!({"type": "number"})),
        (-50i64..50, 0i64..100)
            .prop_map(|(lo, span)| json!({"type": "integer", "minimum": lo, "maximum": lo + span})),
        (0u64..4, 0u64..12).prop_map(
            |(lo, span)| json!({"type": "string", "minLength": lo, "maxLength": lo + span})
        ),
        prop::collection::btree_set("[a-z]{1,6}", 1..4)
            .prop_map(|s| json!({"type": "string", "enum": s.into_iter().collect::<Vec<_>>()})),
        Just(json!({"type": "string", "format": "date"})),
        Just(json!({"type": "string", "pattern": "^[A-Z]{2}-[0-9]{3}$"})),
        Just(json!({"type": ["integer", "null"], "minimum": 0, "maximum": 9})),
        Just(json!({"const": "fixed"})),
        Just(
            json!({"anyOf": [{"type": "boolean"}, {"type": "integer", "minimum": 0, "maximum": 5}]})
        ),
    ]
}

fn schema_strategy() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            (inner.clone(), 0u64..3).prop_map(|(items, max)| json!({"type": "array", "items": items, "maxItems": max + 1})),
            prop::collection::btree_map("[a-z]{1,8}", inner, 1..4).prop_flat_map(|props| {
                let names: Vec<String> = props.keys().cloned().collect();
                (Just(props), prop::sample::subsequence(names.clone(), 0..=names.len()))
            })
            .prop_map(|(props, required)| json!({
                "type": "object",
                "properties": props,
                "required": required,
                "additionalProperties": false,
            })),
        ]
    })
    .prop_map(|s| if s["type"] == "object" { s } else { json!({"type": "object", "properties": {"value": s}, "required": ["value"], "additionalProperties": false}) })
}

proptest! {
    // Each case is a sampled generation on the real model, so few cases; the seed varies with the case.
    #![proptest_config(ProptestConfig { cases: 10, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_sampled_answer_is_an_instance_of_its_schema(schema in schema_strategy(), seed in any::<u32>()) {
        let Some(b) = backend() else { return Ok(()) };
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let resp = rt
            .block_on(b.chat(request("Fill in the form.", schema.clone(), 1.0, u64::from(seed))))
            .unwrap();
        let v = answer(&resp);
        prop_assert!(validate(&v, &schema, &schema, "$").is_ok(), "{} for {}: {:?}", v, schema, validate(&v, &schema, &schema, "$"));
    }
}
