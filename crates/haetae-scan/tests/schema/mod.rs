//! A JSON Schema (draft-07) checker for the keywords the SARIF 2.1.0 schema uses: `$ref`, `type`, `enum`,
//! `properties`, `additionalProperties`, `required`, `items`, `minItems`, `uniqueItems`, `minimum`, `maximum`,
//! `pattern`, `anyOf`, `oneOf`. `format` (uri, date-time) is not checked. The schema is the one the `serde-sarif`
//! crate ships (`src/schema.json` of its crates.io package), copied to `tests/fixtures/sarif-schema-2.1.0.json`.

use serde_json::Value;

pub fn validate_sarif(v: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(include_str!("../fixtures/sarif-schema-2.1.0.json"))
        .expect("the schema is JSON");
    let mut errors = Vec::new();
    check(&schema, &schema, v, "$", &mut errors);
    errors
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => false,
    }
}

fn check(root: &Value, s: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        match r.strip_prefix("#").and_then(|p| root.pointer(p)) {
            Some(target) => check(root, target, v, path, errors),
            None => errors.push(format!("{path}: unresolvable $ref {r}")),
        }
        return;
    }
    match s.get("type") {
        Some(Value::String(t)) if !type_ok(t, v) => {
            errors.push(format!("{path}: expected {t}, got {v}"));
            return;
        }
        Some(Value::Array(ts)) if !ts.iter().filter_map(Value::as_str).any(|t| type_ok(t, v)) => {
            errors.push(format!("{path}: expected one of {ts:?}"));
            return;
        }
        _ => {}
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        errors.push(format!("{path}: {v} is not one of {e:?}"));
    }
    if let Some(n) = v.as_f64() {
        if let Some(min) = s.get("minimum").and_then(Value::as_f64)
            && n < min
        {
            errors.push(format!("{path}: {n} < minimum {min}"));
        }
        if let Some(max) = s.get("maximum").and_then(Value::as_f64)
            && n > max
        {
            errors.push(format!("{path}: {n} > maximum {max}"));
        }
    }
    if let (Some(p), Some(text)) = (s.get("pattern").and_then(Value::as_str), v.as_str()) {
        match regex::Regex::new(p) {
            Ok(re) if !re.is_match(text) => {
                errors.push(format!("{path}: '{text}' does not match {p}"))
            }
            Ok(_) => {}
            Err(e) => errors.push(format!("{path}: bad pattern {p}: {e}")),
        }
    }
    if let Some(items) = v.as_array() {
        if let Some(min) = s.get("minItems").and_then(Value::as_u64)
            && (items.len() as u64) < min
        {
            errors.push(format!("{path}: fewer than {min} items"));
        }
        if s.get("uniqueItems") == Some(&Value::Bool(true)) {
            for (i, a) in items.iter().enumerate() {
                if items[..i].contains(a) {
                    errors.push(format!("{path}[{i}]: duplicate item"));
                }
            }
        }
        if let Some(item_schema) = s.get("items") {
            for (i, item) in items.iter().enumerate() {
                check(root, item_schema, item, &format!("{path}[{i}]"), errors);
            }
        }
    }
    if let Some(obj) = v.as_object() {
        let props = s.get("properties").and_then(Value::as_object);
        for req in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(k) = req.as_str()
                && !obj.contains_key(k)
            {
                errors.push(format!("{path}: missing required {k}"));
            }
        }
        for (k, child) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(sub) => check(root, sub, child, &format!("{path}.{k}"), errors),
                None => match s.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        errors.push(format!("{path}: unexpected property {k}"))
                    }
                    Some(sub @ Value::Object(_)) => {
                        check(root, sub, child, &format!("{path}.{k}"), errors)
                    }
                    _ => {}
                },
            }
        }
    }
    let passes = |sub: &Value| {
        let mut e = Vec::new();
        check(root, sub, v, path, &mut e);
        e.is_empty()
    };
    if let Some(any) = s.get("anyOf").and_then(Value::as_array)
        && !any.iter().any(passes)
    {
        errors.push(format!("{path}: matches none of anyOf"));
    }
    if let Some(one) = s.get("oneOf").and_then(Value::as_array)
        && one.iter().filter(|sub| passes(sub)).count() != 1
    {
        errors.push(format!("{path}: does not match exactly one of oneOf"));
    }
}
