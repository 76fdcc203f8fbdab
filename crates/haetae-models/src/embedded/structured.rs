//! `response_format` for the embedded model: JSON output enforced while sampling, with a llama.cpp grammar.
//!
//! `{"type": "json_schema", "json_schema": {"schema": …}}` is translated to GBNF by llama.cpp's own
//! JSON-schema converter (the one its server uses); `{"type": "json_object"}` is the schema `{"type": "object"}`.
//! The grammar sampler then masks every token that would leave the language, so the answer is an instance of the
//! schema unless generation is cut short by `max_tokens`.
//!
//! llama.cpp's converter silently ignores what it cannot enforce (`multipleOf`, `minimum` on a number, a `format`
//! it does not know, keywords beside a `$ref` …). A caller who sends such a schema would get output that may break
//! it, so [`check_schema`] first accepts only the subset the grammar really enforces — broadly what OpenAI's
//! structured outputs allow — and refuses anything else with an error naming the keyword's place in the request.

use serde_json::{Map, Value};

/// Keywords that describe and never constrain; accepted anywhere.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "$schema",
    "$id",
    "$comment",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
];

const TYPES: &[&str] = &[
    "object", "array", "string", "integer", "number", "boolean", "null",
];

/// `format`s the grammar enforces.
const FORMATS: &[&str] = &["date", "time", "date-time", "uuid"];

/// A schema the embedded model cannot enforce: where (a dotted path into the request body) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{path}`: {reason}")]
pub struct SchemaError {
    pub path: String,
    pub reason: String,
}

fn err(path: &str, reason: impl Into<String>) -> SchemaError {
    SchemaError {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

/// The constraint a request's `response_format` asks for: `None` for free text, else the JSON schema to enforce.
pub fn requested_schema(body: &Value) -> Result<Option<Value>, SchemaError> {
    let format = match body.get("response_format") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(f)) => f,
        Some(_) => return Err(err("response_format", "must be an object")),
    };
    match format.get("type").and_then(Value::as_str) {
        Some("text") => Ok(None),
        Some("json_object") => Ok(Some(serde_json::json!({"type": "object"}))),
        Some("json_schema") => {
            let schema = format
                .get("json_schema")
                .and_then(|j| j.get("schema"))
                .filter(|s| !s.is_null())
                .ok_or_else(|| {
                    err(
                        "response_format.json_schema.schema",
                        "the embedded model needs the schema to enforce",
                    )
                })?;
            check_schema(schema, "response_format.json_schema.schema")?;
            Ok(Some(schema.clone()))
        }
        Some(other) => Err(err(
            "response_format.type",
            format!("`{other}` is not one of text, json_object, json_schema"),
        )),
        None => Err(err(
            "response_format.type",
            "is required (text, json_object or json_schema)",
        )),
    }
}

/// Checks that every keyword of `schema` is one the grammar enforces (see the module documentation).
pub fn check_schema(schema: &Value, path: &str) -> Result<(), SchemaError> {
    Checker { root: schema }.node(schema, path)
}

struct Checker<'a> {
    root: &'a Value,
}

impl Checker<'_> {
    fn node(&self, schema: &Value, path: &str) -> Result<(), SchemaError> {
        let obj = schema.as_object().ok_or_else(|| {
            err(
                path,
                "must be a schema object (boolean schemas are not supported)",
            )
        })?;
        // Definitions are checked where they are written, whether or not anything refers to them.
        for defs in ["$defs", "definitions"] {
            if let Some(d) = obj.get(defs) {
                let d = d
                    .as_object()
                    .ok_or_else(|| err(&format!("{path}.{defs}"), "must be an object"))?;
                for (name, sub) in d {
                    self.node(sub, &format!("{path}.{defs}.{name}"))?;
                }
            }
        }
        let constraints: Vec<&str> = obj
            .keys()
            .map(String::as_str)
            .filter(|k| !ANNOTATIONS.contains(k) && *k != "$defs" && *k != "definitions")
            .collect();
        for k in &constraints {
            if let Some(reason) = unsupported_reason(k) {
                return Err(err(&format!("{path}.{k}"), reason));
            }
        }
        // `$ref` and `anyOf` stand alone: llama.cpp ignores any constraint written beside them.
        for alone in ["$ref", "anyOf"] {
            if obj.contains_key(alone)
                && let Some(other) = constraints.iter().find(|k| **k != alone)
            {
                return Err(err(
                    &format!("{path}.{other}"),
                    format!(
                        "cannot be combined with `{alone}` by the embedded model; move it inside"
                    ),
                ));
            }
        }
        if let Some(r) = obj.get("$ref") {
            return self.reference(r, &format!("{path}.$ref"));
        }
        if let Some(alts) = obj.get("anyOf") {
            let alts = alts
                .as_array()
                .filter(|a| !a.is_empty())
                .ok_or_else(|| err(&format!("{path}.anyOf"), "must be a non-empty array"))?;
            for (i, alt) in alts.iter().enumerate() {
                self.node(alt, &format!("{path}.anyOf[{i}]"))?;
            }
            return Ok(());
        }
        let types = types_of(obj, path)?;
        for values_key in ["enum", "const"] {
            if let Some(v) = obj.get(values_key) {
                if let Some(other) = constraints
                    .iter()
                    .find(|k| **k != values_key && **k != "type")
                {
                    return Err(err(
                        &format!("{path}.{other}"),
                        format!("cannot be combined with `{values_key}` by the embedded model"),
                    ));
                }
                let at = format!("{path}.{values_key}");
                let values = if values_key == "enum" {
                    v.as_array()
                        .filter(|a| !a.is_empty())
                        .ok_or_else(|| err(&at, "must be a non-empty array"))?
                        .iter()
                        .collect()
                } else {
                    vec![v]
                };
                if let Some(types) = &types
                    && let Some(bad) = values
                        .iter()
                        .find(|v| !types.iter().any(|t| is_of_type(v, t)))
                {
                    return Err(err(&at, format!("{bad} is not of the schema's type")));
                }
                return Ok(());
            }
        }
        let Some(types) = types else {
            // No type: only `{}` (any JSON value) is unambiguous; with constraints, llama.cpp would guess the type.
            return match constraints.first() {
                None => Ok(()),
                Some(k) => Err(err(
                    &format!("{path}.{k}"),
                    "needs a `type` beside it for the embedded model",
                )),
            };
        };
        self.keywords(obj, &types, path)
    }

    fn keywords(
        &self,
        obj: &Map<String, Value>,
        types: &[&str],
        path: &str,
    ) -> Result<(), SchemaError> {
        let has = |t: &str| types.contains(&t);
        let at = |k: &str| format!("{path}.{k}");
        let needs = |k: &str, t: &str| -> Result<(), SchemaError> {
            if obj.contains_key(k) && !has(t) {
                return Err(err(
                    &at(k),
                    format!("applies to type {t}, which this schema's `type` does not include"),
                ));
            }
            Ok(())
        };
        for k in ["properties", "required", "additionalProperties"] {
            needs(k, "object")?;
        }
        for k in ["items", "prefixItems", "minItems", "maxItems"] {
            needs(k, "array")?;
        }
        for k in ["minLength", "maxLength", "pattern", "format"] {
            needs(k, "string")?;
        }
        for k in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] {
            if obj.contains_key(k) {
                if has("number") {
                    return Err(err(
                        &at(k),
                        "the embedded model enforces bounds on integers only, not on numbers",
                    ));
                }
                needs(k, "integer")?;
                if !obj[k].is_number() {
                    return Err(err(&at(k), "must be a number"));
                }
            }
        }
        if obj.contains_key("minimum") && obj.contains_key("exclusiveMinimum")
            || obj.contains_key("maximum") && obj.contains_key("exclusiveMaximum")
        {
            return Err(err(
                path,
                "give one of minimum/exclusiveMinimum and one of maximum/exclusiveMaximum",
            ));
        }

        // Objects.
        let properties = match obj.get("properties") {
            None => None,
            Some(Value::Object(p)) => Some(p),
            Some(_) => return Err(err(&at("properties"), "must be an object")),
        };
        for (name, sub) in properties.into_iter().flatten() {
            self.node(sub, &format!("{path}.properties.{name}"))?;
        }
        if let Some(req) = obj.get("required") {
            let names = req
                .as_array()
                .ok_or_else(|| err(&at("required"), "must be an array of property names"))?;
            for (i, name) in names.iter().enumerate() {
                let here = format!("{path}.required[{i}]");
                let name = name
                    .as_str()
                    .ok_or_else(|| err(&here, "must be a property name"))?;
                if !properties.is_some_and(|p| p.contains_key(name)) {
                    return Err(err(
                        &here,
                        format!(
                            "`{name}` is not in `properties`; the embedded model can require declared properties only"
                        ),
                    ));
                }
            }
        }
        match obj.get("additionalProperties") {
            None | Some(Value::Bool(_)) => {}
            Some(sub @ Value::Object(_)) => self.node(sub, &at("additionalProperties"))?,
            Some(_) => {
                return Err(err(
                    &at("additionalProperties"),
                    "must be a boolean or a schema",
                ));
            }
        }

        // Arrays.
        let tuple = match (obj.get("items"), obj.get("prefixItems")) {
            (Some(_), Some(_)) => {
                return Err(err(
                    &at("prefixItems"),
                    "cannot be combined with `items` by the embedded model",
                ));
            }
            (Some(Value::Array(items)), None) => Some(("items", items)),
            (None, Some(Value::Array(items))) => Some(("prefixItems", items)),
            (None, Some(_)) => return Err(err(&at("prefixItems"), "must be an array of schemas")),
            (Some(sub), None) => {
                self.node(sub, &at("items"))?;
                None
            }
            (None, None) => None,
        };
        if let Some((key, items)) = tuple {
            for (i, sub) in items.iter().enumerate() {
                self.node(sub, &format!("{path}.{key}[{i}]"))?;
            }
            for k in ["minItems", "maxItems"] {
                if obj.contains_key(k) {
                    return Err(err(
                        &at(k),
                        format!("cannot be combined with a tuple `{key}` by the embedded model"),
                    ));
                }
            }
        }
        count_range(obj, "minItems", "maxItems", path)?;

        // Strings.
        count_range(obj, "minLength", "maxLength", path)?;
        if let Some(p) = obj.get("pattern") {
            let p = p
                .as_str()
                .ok_or_else(|| err(&at("pattern"), "must be a string"))?;
            if !(p.starts_with('^') && p.ends_with('$')) {
                return Err(err(
                    &at("pattern"),
                    "must be anchored with ^ and $ for the embedded model",
                ));
            }
        }
        if let Some(f) = obj.get("format") {
            let f = f
                .as_str()
                .ok_or_else(|| err(&at("format"), "must be a string"))?;
            if !FORMATS.contains(&f) {
                return Err(err(
                    &at("format"),
                    format!(
                        "`{f}` is not enforced by the embedded model (supported: {})",
                        FORMATS.join(", ")
                    ),
                ));
            }
        }
        // llama.cpp applies one of pattern, format and the length bounds to a string, not several.
        let string_rules: Vec<&str> = ["pattern", "format", "minLength", "maxLength"]
            .into_iter()
            .filter(|k| obj.contains_key(*k))
            .collect();
        if string_rules.len() > 1
            && (string_rules.contains(&"pattern") || string_rules.contains(&"format"))
        {
            return Err(err(
                &at(string_rules[1]),
                format!(
                    "cannot be combined with `{}` by the embedded model",
                    string_rules[0]
                ),
            ));
        }
        Ok(())
    }

    fn reference(&self, r: &Value, path: &str) -> Result<(), SchemaError> {
        let r = r.as_str().ok_or_else(|| err(path, "must be a string"))?;
        let pointer = r
            .strip_prefix('#')
            .filter(|p| p.is_empty() || p.starts_with('/'));
        let Some(pointer) = pointer else {
            return Err(err(
                path,
                format!(
                    "`{r}` is not a reference into this schema (only `#/…` references are supported)"
                ),
            ));
        };
        if self.root.pointer(pointer).is_none() {
            return Err(err(path, format!("`{r}` does not resolve in this schema")));
        }
        Ok(())
    }
}

/// Why the embedded model refuses a keyword, or `None` when it is enforced.
fn unsupported_reason(keyword: &str) -> Option<String> {
    const SUPPORTED: &[&str] = &[
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "prefixItems",
        "minItems",
        "maxItems",
        "enum",
        "const",
        "anyOf",
        "$ref",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
    ];
    if SUPPORTED.contains(&keyword) {
        return None;
    }
    Some(match keyword {
        "oneOf" => "is not enforced by the embedded model (exclusivity cannot be checked while sampling); use anyOf".into(),
        "allOf" => "is not supported by the embedded model; write the combined schema out".into(),
        _ => format!("`{keyword}` is not enforced by the embedded model's constrained decoding"),
    })
}

fn types_of<'v>(
    obj: &'v Map<String, Value>,
    path: &str,
) -> Result<Option<Vec<&'v str>>, SchemaError> {
    let at = format!("{path}.type");
    let names: Vec<&Value> = match obj.get("type") {
        None => return Ok(None),
        Some(Value::Array(a)) if !a.is_empty() => a.iter().collect(),
        Some(t @ Value::String(_)) => vec![t],
        Some(_) => return Err(err(&at, "must be a type name or a non-empty array of them")),
    };
    let mut types = Vec::with_capacity(names.len());
    for t in names {
        match t.as_str() {
            Some(name) if TYPES.contains(&name) => {
                if types.contains(&name) {
                    return Err(err(&at, format!("lists `{name}` twice")));
                }
                types.push(name);
            }
            _ => {
                return Err(err(&at, format!("{t} is not one of {}", TYPES.join(", "))));
            }
        }
    }
    Ok(Some(types))
}

fn count_range(
    obj: &Map<String, Value>,
    min: &str,
    max: &str,
    path: &str,
) -> Result<(), SchemaError> {
    let count = |k: &str| -> Result<Option<u64>, SchemaError> {
        match obj.get(k) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .filter(|n| *n <= i32::MAX as u64)
                .map(Some)
                .ok_or_else(|| err(&format!("{path}.{k}"), "must be a non-negative integer")),
        }
    };
    if let (Some(lo), Some(hi)) = (count(min)?, count(max)?)
        && lo > hi
    {
        return Err(err(
            &format!("{path}.{min}"),
            format!("is greater than `{max}`"),
        ));
    }
    Ok(())
}

/// llama.cpp's number rule lets an exponent run to sixteen digits, so `1e+3220082435124635` is in the grammar's
/// language — and sampled, given enough tries — yet no JSON parser holds it (serde_json: "number out of range").
/// The exponent is bounded to two digits: with at most sixteen integral digits every number the grammar allows is
/// then a finite f64 (below 10^116).
const UNBOUNDED_EXPONENT: &str = "[eE] [-+]? integral-part";
const BOUNDED_EXPONENT: &str = "[eE] [-+]? [0-9]{1,2}";

/// llama.cpp's grammar for `schema`, with every number's exponent bounded (see [`UNBOUNDED_EXPONENT`]).
pub fn grammar_for(schema: &Value) -> Result<String, String> {
    let grammar =
        llama_cpp_2::json_schema_to_grammar(&schema.to_string()).map_err(|e| e.to_string())?;
    Ok(grammar.replace(UNBOUNDED_EXPONENT, BOUNDED_EXPONENT))
}

/// Whether `v` is of JSON Schema type `t` (an integer-valued number counts as an integer).
pub fn is_of_type(v: &Value, t: &str) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(schema: Value) -> Result<(), SchemaError> {
        check_schema(&schema, "s")
    }

    fn refused_at(schema: Value) -> String {
        match check(schema) {
            Err(e) => e.path,
            Ok(()) => String::from("<accepted>"),
        }
    }

    #[test]
    fn the_structured_outputs_subset_is_accepted() {
        let schema = json!({
            "$defs": {"tag": {"type": "string", "maxLength": 20}},
            "type": "object",
            "title": "A finding",
            "properties": {
                "severity": {"type": "string", "enum": ["low", "high"]},
                "cvss": {"type": "number", "description": "base score"},
                "count": {"type": "integer", "minimum": 0, "maximum": 10},
                "id": {"type": "string", "pattern": "^CVE-[0-9]{4}-[0-9]+$"},
                "seen": {"type": "string", "format": "date"},
                "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}, "maxItems": 3},
                "pair": {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "boolean"}]},
                "note": {"type": ["string", "null"]},
                "either": {"anyOf": [{"type": "integer"}, {"const": "none"}]},
                "any": {},
            },
            "required": ["severity", "count"],
            "additionalProperties": false,
        });
        assert_eq!(check(schema), Ok(()));
    }

    #[test]
    fn unenforceable_keywords_are_refused_at_their_place() {
        let cases = [
            (json!({"type": "number", "multipleOf": 2}), "s.multipleOf"),
            (json!({"type": "number", "minimum": 0}), "s.minimum"),
            (
                json!({"type": "object", "properties": {"a": {"type": "string", "format": "email"}}}),
                "s.properties.a.format",
            ),
            (json!({"oneOf": [{"type": "string"}]}), "s.oneOf"),
            (json!({"allOf": [{"type": "string"}]}), "s.allOf"),
            (
                json!({"type": "array", "uniqueItems": true}),
                "s.uniqueItems",
            ),
            (
                json!({"type": "object", "patternProperties": {}}),
                "s.patternProperties",
            ),
            (json!({"not": {"type": "string"}}), "s.not"),
            (json!({"type": "string", "pattern": "[a-z]+"}), "s.pattern"),
            (
                json!({"type": "string", "pattern": "^a$", "maxLength": 3}),
                "s.maxLength",
            ),
            (
                json!({"$ref": "#/$defs/x", "type": "string", "$defs": {"x": {"type": "string"}}}),
                "s.type",
            ),
            (json!({"$ref": "https://example.org/s.json"}), "s.$ref"),
            (json!({"$ref": "#/$defs/missing"}), "s.$ref"),
            (
                json!({"type": "object", "required": ["a"]}),
                "s.required[0]",
            ),
            (json!({"type": "string", "minimum": 1}), "s.minimum"),
            (json!({"type": "string", "enum": [1]}), "s.enum"),
            (
                json!({"type": "string", "enum": ["a"], "maxLength": 1}),
                "s.maxLength",
            ),
            (json!({"minLength": 3}), "s.minLength"),
            (json!({"type": "strng"}), "s.type"),
            (
                json!({"type": "array", "items": [{"type": "string"}], "minItems": 1}),
                "s.minItems",
            ),
            (
                json!({"type": "string", "minLength": 5, "maxLength": 2}),
                "s.minLength",
            ),
            (
                json!({"type": "object", "properties": {"a": true}}),
                "s.properties.a",
            ),
            (
                json!({"type": "object", "$defs": {"d": {"type": "integer", "multipleOf": 3}}}),
                "s.$defs.d.multipleOf",
            ),
            (json!({"type": "object", "requird": ["a"]}), "s.requird"),
        ];
        for (schema, path) in cases {
            assert_eq!(refused_at(schema.clone()), path, "{schema}");
        }
    }

    #[test]
    fn every_number_the_grammar_allows_fits_an_f64() {
        // If llama.cpp renames its rules the replacement silently stops applying: this fails first.
        for schema in [
            json!({"type": "number"}),
            json!({"type": "object"}),
            json!({"type": "object", "properties": {"w": {"type": ["number", "null"]}}}),
        ] {
            let raw = llama_cpp_2::json_schema_to_grammar(&schema.to_string()).unwrap();
            assert!(
                raw.contains(UNBOUNDED_EXPONENT),
                "llama.cpp's number rule changed: {raw}"
            );
            let bounded = grammar_for(&schema).unwrap();
            assert!(!bounded.contains(UNBOUNDED_EXPONENT), "{bounded}");
            assert!(bounded.contains(BOUNDED_EXPONENT), "{bounded}");
        }
        // The largest number the bounded rule spells parses; the one CI once sampled does not.
        assert!(serde_json::from_str::<Value>("-9999999999999999.9999999999999999e+99").is_ok());
        assert!(serde_json::from_str::<Value>("11230.0000000700170900e+3220082435124635").is_err());
    }

    #[test]
    fn response_format_kinds() {
        assert_eq!(requested_schema(&json!({})), Ok(None));
        assert_eq!(
            requested_schema(&json!({"response_format": {"type": "text"}})),
            Ok(None)
        );
        assert_eq!(
            requested_schema(&json!({"response_format": {"type": "json_object"}})),
            Ok(Some(json!({"type": "object"})))
        );
        let e = requested_schema(
            &json!({"response_format": {"type": "json_schema", "json_schema": {"name": "x"}}}),
        )
        .unwrap_err();
        assert_eq!(e.path, "response_format.json_schema.schema");
        let e = requested_schema(&json!({"response_format": {"type": "json_schema",
            "json_schema": {"name": "x", "schema": {"type": "number", "maximum": 1}}}}))
        .unwrap_err();
        assert_eq!(e.path, "response_format.json_schema.schema.maximum");
        assert!(
            e.to_string()
                .starts_with("`response_format.json_schema.schema.maximum`: ")
        );
        let e = requested_schema(&json!({"response_format": {"type": "xml"}})).unwrap_err();
        assert_eq!(e.path, "response_format.type");
    }
}
