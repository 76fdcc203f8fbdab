//! Inspect's log format both ways, so an institute can mix runs of both harnesses.
//!
//! - [`to_inspect_json`]: a Haetae run log as an Inspect JSON log (`EvalLog`, format version 2), which
//!   `inspect view` and `inspect log dump` open and `inspect_ai.log.read_eval_log` reads. Haetae's scores are
//!   numbers and stay numbers (Inspect's accuracy treats 1.0 and `C` alike); each score's tags go in its
//!   `metadata.tags`; the Haetae header (suite path and hash, grader) is kept under `eval.metadata.haetae`.
//! - [`from_inspect_json`]: an Inspect JSON log as a [`RunLog`], so `haetae eval compare`, the HTML report and the
//!   release gate read it like a Haetae log ([`RunLog::read`] recognises it). Score values are converted as
//!   Inspect's `value_to_float` does (`C` 1, `P` 0.5, `I`/`N` 0, yes/no, true/false, numbers); an unscored sample
//!   (value null) has no score.
//! - [`to_inspect_eval`] / [`from_inspect_eval`]: the same log as Inspect's `.eval` archive, the format Inspect
//!   writes by default (a zip: `_journal/start.json`, `samples/<id>_epoch_<n>.json`, `summaries.json`,
//!   `reductions.json`, `header.json`, as `inspect_ai/log/_recorders/eval.py` lays it out). Haetae writes deflate
//!   members; it reads deflate and the zstd members Inspect 0.3.x writes.

use std::collections::BTreeMap;
use std::io::{Cursor, Read as _, Write as _};
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::error::{EvalError, Result};
use crate::log::{Footer, Header, RunLog, SampleRecord};
use crate::metrics::{MetricsSpec, compute};
use crate::model::Usage;
use crate::scorer::Score;

/// Inspect's `EvalLog.version` this module writes and reads.
pub const INSPECT_LOG_VERSION: u64 = 2;

/// Whether a parsed JSON document is an Inspect log.
pub fn is_inspect_log(v: &Value) -> bool {
    v.get("eval").is_some_and(Value::is_object) && v.get("version").is_some_and(Value::is_u64)
}

/// Inspect model names are `provider/model`; a Haetae model label without a provider gets `haetae/`.
fn inspect_model_name(label: &str) -> String {
    if label.contains('/') {
        label.to_owned()
    } else {
        format!("haetae/{label}")
    }
}

fn text_of(content: &Value) -> String {
    match content {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// One OpenAI-wire message as an Inspect `ChatMessage`.
fn to_inspect_message(m: &Value, model: &str) -> Value {
    let role = m.get("role").and_then(Value::as_str).unwrap_or("user");
    let content = text_of(m.get("content").unwrap_or(&Value::Null));
    let mut out = json!({"role": role, "content": content});
    match role {
        "assistant" => {
            out["model"] = json!(model);
            out["source"] = json!("generate");
            if let Some(Value::Array(calls)) = m.get("tool_calls") {
                let calls: Vec<Value> = calls
                    .iter()
                    .map(|c| {
                        let f = c.get("function").cloned().unwrap_or(Value::Null);
                        let args = f.get("arguments").map_or(json!({}), |a| match a {
                            Value::String(s) => {
                                serde_json::from_str(s).unwrap_or(json!({"raw": s}))
                            }
                            other => other.clone(),
                        });
                        json!({
                            "id": c.get("id").cloned().unwrap_or(json!("")),
                            "function": f.get("name").cloned().unwrap_or(json!("")),
                            "arguments": args,
                            "type": "function",
                        })
                    })
                    .collect();
                if !calls.is_empty() {
                    out["tool_calls"] = json!(calls);
                }
            }
        }
        "tool" => {
            out["tool_call_id"] = m.get("tool_call_id").cloned().unwrap_or(Value::Null);
            if let Some(name) = m.get("name") {
                out["function"] = name.clone();
            }
        }
        "user" => out["source"] = json!("input"),
        _ => {}
    }
    out
}

fn usage_json(u: &Usage) -> Value {
    json!({
        "input_tokens": u.prompt_tokens,
        "output_tokens": u.completion_tokens,
        "total_tokens": u.total_tokens,
    })
}

fn status_of(log: &RunLog) -> &'static str {
    match log.footer.as_ref().map(|f| f.status.as_str()) {
        Some("complete") => "success",
        Some(_) => "cancelled",
        None => "started",
    }
}

/// A Haetae run log as an Inspect `EvalLog` (JSON).
pub fn to_inspect_json(log: &RunLog) -> Value {
    let h = &log.header;
    let model = inspect_model_name(&h.model);
    let records = log.completed();
    let spec: MetricsSpec = h
        .spec
        .get("metrics")
        .and_then(|m| serde_json::from_value(m.clone()).ok())
        .unwrap_or_default();
    let metrics = match &log.footer {
        Some(f) if f.status == "complete" => f.metrics.clone(),
        _ => compute(&records, &spec),
    };
    let mut ids: Vec<&str> = records.iter().map(|r| r.sample_id.as_str()).collect();
    ids.dedup();
    let scores: Vec<Value> = metrics
        .iter()
        .map(|(name, m)| {
            json!({
                "name": name,
                "scorer": name,
                "scored_samples": m.overall.n,
                "unscored_samples": 0,
                "params": {},
                "metrics": {
                    "mean": {"name": "mean", "value": m.overall.mean, "params": {}},
                    "stderr": {"name": "stderr", "value": m.overall.stderr, "params": {}},
                },
            })
        })
        .collect();
    let mut total = Usage::default();
    let samples: Vec<Value> = records
        .iter()
        .map(|r| {
            total.add(&r.usage);
            sample_json(r, &model)
        })
        .collect();
    let steps: Vec<Value> = h
        .spec
        .get("solvers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|s| match s {
                    Value::String(n) => json!({"solver": n, "params": {}}),
                    Value::Object(m) => m.iter().next().map_or(json!({"solver": "?", "params": {}}), |(n, p)| {
                        json!({"solver": n, "params": if p.is_object() { p.clone() } else { json!({}) }})
                    }),
                    other => json!({"solver": other.to_string(), "params": {}}),
                })
                .collect()
        })
        .unwrap_or_default();
    let finished = log
        .footer
        .as_ref()
        .map_or_else(|| h.created.clone(), |f| f.finished.clone());
    let mut out = json!({
        "version": INSPECT_LOG_VERSION,
        "status": status_of(log),
        "eval": {
            "eval_id": h.run_id,
            "run_id": h.run_id,
            "created": h.created,
            "task": h.suite,
            "task_id": h.suite_hash.chars().take(22).collect::<String>(),
            "task_version": 0,
            "task_file": h.suite_path,
            "task_attribs": {},
            "task_args": {},
            "dataset": {"name": h.suite, "samples": h.samples, "sample_ids": ids, "shuffled": false},
            "model": model,
            "model_generate_config": h.spec.get("generate").cloned().unwrap_or(json!({})),
            "model_args": {},
            "config": {"epochs": h.epochs},
            "packages": {"haetae": h.harness_version},
            "metadata": {"haetae": {
                "suite_path": h.suite_path,
                "suite_hash": h.suite_hash,
                "grader": h.grader,
                "model": h.model,
            }},
        },
        "plan": {"name": "plan", "steps": steps, "config": {}},
        "stats": {
            "started_at": h.created,
            "completed_at": finished,
            "model_usage": {model.clone(): usage_json(&total)},
        },
        "samples": samples,
    });
    if !scores.is_empty() {
        out["results"] = json!({
            "total_samples": h.samples * usize::try_from(h.epochs).unwrap_or(1),
            "completed_samples": records.len(),
            "scores": scores,
        });
    }
    out
}

fn sample_json(r: &SampleRecord, model: &str) -> Value {
    let messages: Vec<Value> = r
        .messages
        .iter()
        .map(|m| to_inspect_message(m, model))
        .collect();
    let input = match &r.input {
        Value::String(s) => json!(s),
        Value::Array(msgs) => json!(
            msgs.iter()
                .map(|m| to_inspect_message(m, model))
                .collect::<Vec<_>>()
        ),
        other => json!(other.to_string()),
    };
    let target = match r.target.as_slice() {
        [one] => json!(one),
        many => json!(many),
    };
    let scores: Map<String, Value> = r
        .scores
        .iter()
        .map(|(name, s)| {
            let mut v = json!({"value": s.value});
            if let Some(a) = &s.answer {
                v["answer"] = json!(a);
            }
            if let Some(e) = &s.explanation {
                v["explanation"] = json!(e);
            }
            if !s.tags.is_empty() {
                v["metadata"] = json!({"tags": s.tags});
            }
            (name.clone(), v)
        })
        .collect();
    let mut out = json!({
        "id": r.sample_id,
        "epoch": r.epoch,
        "input": input,
        "target": target,
        "messages": messages,
        "output": {
            "model": model,
            "choices": [{
                "message": {"role": "assistant", "content": r.output, "model": model, "source": "generate"},
                "stop_reason": "stop",
            }],
            "completion": r.output,
            "usage": usage_json(&r.usage),
        },
        "scores": scores,
        "metadata": r.metadata,
        "store": {},
        "events": [],
        "model_usage": {model: usage_json(&r.usage)},
        "started_at": r.started,
        "total_time": r.duration_ms as f64 / 1000.0,
        "working_time": r.duration_ms as f64 / 1000.0,
    });
    if let Some(c) = &r.choices {
        out["choices"] = json!(c);
    }
    out
}

/// A JSON object written with its keys in a given order.
struct Ordered<'a>(Vec<(&'a str, &'a Value)>);

impl serde::Serialize for Ordered<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Writes [`to_inspect_json`] of a log to `path`, top-level keys in Inspect's order: its header-only reader (what
/// `inspect view` lists logs with) streams the file and stops at `samples`, so `version` and the header must come
/// first.
pub fn write_inspect_json(log: &RunLog, path: &Path) -> Result<()> {
    let doc = to_inspect_json(log);
    let order = ["version", "status", "eval", "plan", "results", "stats"];
    let mut fields: Vec<(&str, &Value)> = order
        .iter()
        .filter_map(|k| doc.get(*k).map(|v| (*k, v)))
        .collect();
    if let Value::Object(m) = &doc {
        fields.extend(
            m.iter()
                .filter(|(k, _)| !order.contains(&k.as_str()) && k.as_str() != "samples")
                .map(|(k, v)| (k.as_str(), v)),
        );
    }
    if let Some(samples) = doc.get("samples") {
        fields.push(("samples", samples));
    }
    let text = serde_json::to_string_pretty(&Ordered(fields)).map_err(|e| EvalError::Log {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    write_file(path, text.as_bytes())
}

/// Writes a log as Inspect's `.eval` archive ([`to_inspect_eval`]) to `path`.
pub fn write_inspect_eval(log: &RunLog, path: &Path) -> Result<()> {
    write_file(path, &to_inspect_eval(log, path)?)
}

/// Writes a log in Inspect's format, the archive for a `.eval` path and JSON otherwise (as Inspect's own
/// `--log-format` names them).
pub fn write_inspect_log(log: &RunLog, path: &Path) -> Result<()> {
    if is_eval_path(path) {
        write_inspect_eval(log, path)
    } else {
        write_inspect_json(log, path)
    }
}

/// Whether a path names an Inspect `.eval` archive.
pub fn is_eval_path(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "eval")
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| EvalError::io(format!("creating {}", dir.display()), e))?;
    }
    std::fs::write(path, bytes).map_err(|e| EvalError::io(format!("writing {}", path.display()), e))
}

const HEADER_JSON: &str = "header.json";
const START_JSON: &str = "_journal/start.json";
const SUMMARIES_JSON: &str = "summaries.json";
const REDUCTIONS_JSON: &str = "reductions.json";
const SAMPLES_DIR: &str = "samples/";

/// The largest member this reader inflates: the sizes come from the archive itself, so a hostile file could
/// otherwise ask for any allocation.
const MAX_MEMBER_BYTES: u64 = 1 << 30;

fn zip_err(path: &Path, e: impl std::fmt::Display) -> EvalError {
    EvalError::Log {
        path: path.to_owned(),
        message: format!("Inspect .eval archive: {e}"),
    }
}

/// The sample summary Inspect's viewer lists samples from (`EvalSample.summary()`'s fields that Haetae has).
fn sample_summary(sample: &Value) -> Value {
    let mut out = Map::new();
    for key in [
        "id",
        "epoch",
        "input",
        "choices",
        "target",
        "metadata",
        "scores",
        "model_usage",
        "started_at",
        "total_time",
        "working_time",
        "error",
    ] {
        if let Some(v) = sample.get(key).filter(|v| !v.is_null()) {
            out.insert(key.to_owned(), v.clone());
        }
    }
    let messages = sample["messages"].as_array().map_or(0, Vec::len);
    out.insert("message_count".into(), json!(messages));
    out.insert("retries".into(), json!(0));
    out.insert("completed".into(), json!(true));
    Value::Object(out)
}

/// Per scorer, each sample's score over its epochs reduced by the mean (Inspect's default reducer).
fn reductions(samples: &[Value], epochs: u32) -> Vec<Value> {
    // scorer -> sample id -> (sum, n, first score record)
    let mut by_scorer: BTreeMap<String, BTreeMap<String, (f64, u32, Value)>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for s in samples {
        let id = s["id"].as_str().unwrap_or_default().to_owned();
        if !order.contains(&id) {
            order.push(id.clone());
        }
        for (name, sc) in s["scores"].as_object().into_iter().flatten() {
            let Some(v) = sc["value"].as_f64() else {
                continue;
            };
            let e = by_scorer
                .entry(name.clone())
                .or_default()
                .entry(id.clone())
                .or_insert_with(|| (0.0, 0, sc.clone()));
            e.0 += v;
            e.1 += 1;
        }
    }
    by_scorer
        .into_iter()
        .map(|(scorer, per_sample)| {
            let rows: Vec<Value> = order
                .iter()
                .filter_map(|id| per_sample.get(id).map(|r| (id, r)))
                .map(|(id, (sum, n, first))| {
                    let mut row = first.clone();
                    row["value"] = json!(sum / f64::from(*n));
                    row["sample_id"] = json!(id);
                    row
                })
                .collect();
            let mut r = json!({"scorer": scorer, "samples": rows});
            if epochs > 1 {
                r["reducer"] = json!("mean");
            }
            r
        })
        .collect()
}

/// A Haetae run log as Inspect's `.eval` archive (bytes): the members Inspect's recorder writes, in its order,
/// built from [`to_inspect_json`]. `path` only names the file in errors.
pub fn to_inspect_eval(log: &RunLog, path: &Path) -> Result<Vec<u8>> {
    let mut doc = to_inspect_json(log);
    let samples = match doc.as_object_mut().and_then(|m| m.remove("samples")) {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    };
    let start = json!({"version": doc["version"], "eval": doc["eval"], "plan": doc["plan"]});
    let mut members: Vec<(String, Value)> = vec![(START_JSON.to_owned(), start)];
    for s in &samples {
        let id = s["id"].as_str().unwrap_or_default();
        let epoch = s["epoch"].as_u64().unwrap_or(1);
        members.push((format!("{SAMPLES_DIR}{id}_epoch_{epoch}.json"), s.clone()));
    }
    members.push((
        SUMMARIES_JSON.to_owned(),
        Value::Array(samples.iter().map(sample_summary).collect()),
    ));
    if doc.get("results").is_some() {
        members.push((
            REDUCTIONS_JSON.to_owned(),
            json!(reductions(&samples, log.header.epochs)),
        ));
    }
    members.push((HEADER_JSON.to_owned(), doc));

    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    for (name, value) in members {
        let text = serde_json::to_vec(&value).map_err(|e| zip_err(path, e))?;
        zip.start_file(name, opts).map_err(|e| zip_err(path, e))?;
        zip.write_all(&text)
            .map_err(|e| EvalError::io(format!("writing {}", path.display()), e))?;
    }
    Ok(zip.finish().map_err(|e| zip_err(path, e))?.into_inner())
}

/// Whether bytes are a zip archive (how an Inspect `.eval` log starts).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// One member's bytes: stored and deflate through the zip crate, zstd (method 93, Inspect's default) through
/// `ruzstd`.
fn read_member(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    index: usize,
    path: &Path,
) -> Result<(String, Vec<u8>)> {
    let (name, method, size) = {
        let f = zip.by_index_raw(index).map_err(|e| zip_err(path, e))?;
        (f.name().to_owned(), f.compression(), f.size())
    };
    if size > MAX_MEMBER_BYTES {
        return Err(zip_err(
            path,
            format!("member {name} is {size} bytes, over the {MAX_MEMBER_BYTES}-byte limit"),
        ));
    }
    let capacity = usize::try_from(size).map_err(|e| zip_err(path, e))?;
    let mut out = Vec::with_capacity(capacity);
    if method == zip::CompressionMethod::ZSTD {
        let mut raw = Vec::new();
        zip.by_index_raw(index)
            .map_err(|e| zip_err(path, e))?
            .read_to_end(&mut raw)
            .map_err(|e| zip_err(path, format!("{name}: {e}")))?;
        ruzstd::decoding::FrameDecoder::new()
            .decode_all_to_vec(&raw, &mut out)
            .map_err(|e| zip_err(path, format!("{name}: zstd: {e}")))?;
        if out.len() != capacity {
            return Err(zip_err(
                path,
                format!(
                    "{name}: {} bytes inflated, the archive says {size}",
                    out.len()
                ),
            ));
        }
    } else {
        zip.by_index(index)
            .map_err(|e| zip_err(path, format!("{name}: {e}")))?
            .take(MAX_MEMBER_BYTES)
            .read_to_end(&mut out)
            .map_err(|e| zip_err(path, format!("{name}: {e}")))?;
    }
    Ok((name, out))
}

/// Replaces `attachment://<hash>` strings (Inspect moves long message text into the sample's `attachments`) with
/// the text they stand for.
fn resolve_attachments(v: &mut Value, attachments: &Map<String, Value>) {
    match v {
        Value::String(s) => {
            if let Some(text) = s
                .strip_prefix("attachment://")
                .and_then(|h| attachments.get(h))
                .and_then(Value::as_str)
            {
                *s = text.to_owned();
            }
        }
        Value::Array(a) => a
            .iter_mut()
            .for_each(|x| resolve_attachments(x, attachments)),
        Value::Object(m) => m
            .iter_mut()
            .filter(|(k, _)| !matches!(k.as_str(), "events" | "events_data" | "attachments"))
            .for_each(|(_, x)| resolve_attachments(x, attachments)),
        _ => {}
    }
}

/// Inspect's sample order: by epoch, then by id (numeric ids zero-filled, as `sort_samples` does).
fn sample_order(s: &Value) -> (u64, String) {
    let id = match &s["id"] {
        Value::String(t) => t.clone(),
        other => format!("{:0>20}", other.to_string()),
    };
    (s["epoch"].as_u64().unwrap_or(1), id)
}

/// An Inspect `.eval` archive as a [`RunLog`]: `header.json` (or, for a run still going or killed,
/// `_journal/start.json`) and every `samples/*.json` member, read as [`from_inspect_json`] reads a JSON log.
pub fn from_inspect_eval(bytes: &[u8], path: &Path) -> Result<RunLog> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_err(path, e))?;
    let mut header = None;
    let mut start = None;
    // A re-logged sample is written again under the same name; the last member wins, as in Inspect's reader.
    let mut samples: BTreeMap<String, Value> = BTreeMap::new();
    for i in 0..zip.len() {
        let name = zip
            .by_index_raw(i)
            .map_err(|e| zip_err(path, e))?
            .name()
            .to_owned();
        let wanted = name == HEADER_JSON
            || name == START_JSON
            || (name.starts_with(SAMPLES_DIR) && name.ends_with(".json"));
        if !wanted {
            continue;
        }
        let (name, data) = read_member(&mut zip, i, path)?;
        let v: Value =
            serde_json::from_slice(&data).map_err(|e| zip_err(path, format!("{name}: {e}")))?;
        match name.as_str() {
            HEADER_JSON => header = Some(v),
            START_JSON => start = Some(v),
            _ => {
                samples.insert(name, v);
            }
        }
    }
    let mut doc = match (header, start) {
        (Some(h), _) => h,
        // No header yet: the run had not finished when the archive was copied.
        (None, Some(mut s)) => {
            s["status"] = json!("started");
            s
        }
        (None, None) => return Err(zip_err(path, "neither header.json nor _journal/start.json")),
    };
    let mut samples: Vec<Value> = samples.into_values().collect();
    for s in &mut samples {
        let attachments = s["attachments"].as_object().cloned().unwrap_or_default();
        if !attachments.is_empty() {
            resolve_attachments(s, &attachments);
        }
    }
    samples.sort_by_key(sample_order);
    doc["samples"] = Value::Array(samples);
    from_inspect_json(&doc, path)
}

/// Inspect's `value_to_float` with its default sentinels; `None` for a null (unscored) value.
pub fn value_to_float(v: &Value) -> Option<f64> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Value::Number(n) => n.as_f64(),
        Value::String(s) => Some(match s.as_str() {
            "C" => 1.0,
            "P" => 0.5,
            "I" | "N" => 0.0,
            other => match other.to_lowercase().as_str() {
                "yes" | "true" => 1.0,
                "no" | "false" => 0.0,
                t => t.parse().unwrap_or(0.0),
            },
        }),
        // Inspect warns and returns 0 for lists and dicts.
        _ => Some(0.0),
    }
}

fn usage_from(v: Option<&Value>) -> Usage {
    let mut u = Usage::default();
    if let Some(Value::Object(models)) = v {
        for m in models.values() {
            let n = |k: &str| m.get(k).and_then(Value::as_u64).unwrap_or(0);
            u.add(&Usage {
                prompt_tokens: n("input_tokens"),
                completion_tokens: n("output_tokens"),
                total_tokens: n("total_tokens"),
            });
        }
    }
    u
}

/// An Inspect JSON log as a [`RunLog`] (`path` is where it was read from, for the record).
pub fn from_inspect_json(v: &Value, path: &Path) -> Result<RunLog> {
    let err = |m: &str| EvalError::Log {
        path: path.to_owned(),
        message: format!("Inspect log: {m}"),
    };
    if !is_inspect_log(v) {
        return Err(err("no `eval` object or `version`"));
    }
    let version = v["version"].as_u64().unwrap_or(0);
    if version > INSPECT_LOG_VERSION {
        return Err(err(&format!(
            "version {version} is newer than this reader ({INSPECT_LOG_VERSION})"
        )));
    }
    let e = &v["eval"];
    let s = |x: &Value| x.as_str().unwrap_or_default().to_owned();
    let epochs = e["config"]["epochs"]
        .as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(1);
    let header = Header {
        format_version: crate::log::FORMAT_VERSION,
        run_id: s(&e["run_id"]),
        created: s(&e["created"]),
        suite: s(&e["task"]),
        suite_path: path.display().to_string(),
        suite_hash: s(&e["task_id"]),
        model: s(&e["model"]),
        grader: String::new(),
        epochs,
        samples: e["dataset"]["samples"]
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0),
        harness_version: format!(
            "inspect_ai {}",
            e["packages"]["inspect_ai"].as_str().unwrap_or("?")
        ),
        spec: json!({"inspect": {"task": e["task"], "plan": v.get("plan"), "source": "inspect"}}),
    };
    let mut samples = Vec::new();
    for smp in v
        .get("samples")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = match &smp["id"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let messages: Vec<Value> = smp
            .get("messages")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|m| {
                        json!({
                            "role": m.get("role").cloned().unwrap_or(json!("user")),
                            "content": text_of(m.get("content").unwrap_or(&Value::Null)),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let input = match &smp["input"] {
            Value::String(s) => json!(s),
            Value::Array(msgs) => json!(
                msgs.iter()
                    .map(|m| json!({"role": m.get("role").cloned().unwrap_or(json!("user")), "content": text_of(m.get("content").unwrap_or(&Value::Null))}))
                    .collect::<Vec<_>>()
            ),
            other => other.clone(),
        };
        let target = match &smp["target"] {
            Value::String(t) => vec![t.clone()],
            Value::Array(a) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        let mut scores = BTreeMap::new();
        if let Some(Value::Object(m)) = smp.get("scores") {
            for (name, sc) in m {
                let Some(value) = value_to_float(&sc["value"]) else {
                    continue;
                };
                let tags = sc["metadata"]["tags"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                scores.insert(
                    name.clone(),
                    Score {
                        value,
                        answer: sc["answer"].as_str().map(str::to_owned),
                        explanation: sc["explanation"].as_str().map(str::to_owned),
                        tags,
                    },
                );
            }
        }
        let metadata: BTreeMap<String, Value> = smp
            .get("metadata")
            .and_then(|m| serde_json::from_value(m.clone()).ok())
            .unwrap_or_default();
        let error = smp.get("error").filter(|x| !x.is_null()).map(|x| {
            x.get("message")
                .and_then(Value::as_str)
                .map_or_else(|| x.to_string(), str::to_owned)
        });
        let total_time = smp["total_time"].as_f64().unwrap_or(0.0);
        samples.push(SampleRecord {
            sample_id: id,
            epoch: smp["epoch"]
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(1),
            input,
            target,
            choices: smp["choices"].as_array().map(|a| {
                a.iter()
                    .map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_owned))
                    .collect()
            }),
            metadata,
            messages,
            events: Vec::new(),
            output: s(&smp["output"]["completion"]),
            scores,
            usage: usage_from(smp.get("model_usage")),
            model_calls: 0,
            environment: Value::Null,
            started: s(&smp["started_at"]),
            duration_ms: (total_time * 1000.0).round() as u64,
            error,
        });
    }
    let completed: Vec<SampleRecord> = samples
        .iter()
        .filter(|r| r.error.is_none())
        .cloned()
        .collect();
    let metrics = compute(&completed, &MetricsSpec::default());
    let mut usage = Usage::default();
    for r in &completed {
        usage.add(&r.usage);
    }
    let status = match v["status"].as_str() {
        Some("success") => "complete",
        Some(other) => other,
        None => "interrupted",
    };
    let footer = (v["status"].as_str() != Some("started")).then(|| Footer {
        status: status.to_owned(),
        finished: s(&v["stats"]["completed_at"]),
        samples_completed: completed.len(),
        samples_errored: samples.len() - completed.len(),
        samples_total: header.samples * usize::try_from(epochs).unwrap_or(1),
        metrics,
        usage,
        requests: 0,
        cache_hits: 0,
        retries: 0,
        duration_s: 0.0,
        samples_per_second: 0.0,
        resumed_samples: 0,
    });
    Ok(RunLog {
        path: path.to_owned(),
        header,
        samples,
        footer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspect_score_values_convert_like_value_to_float() {
        assert_eq!(value_to_float(&json!("C")), Some(1.0));
        assert_eq!(value_to_float(&json!("P")), Some(0.5));
        assert_eq!(value_to_float(&json!("I")), Some(0.0));
        assert_eq!(value_to_float(&json!("N")), Some(0.0));
        assert_eq!(value_to_float(&json!("yes")), Some(1.0));
        assert_eq!(value_to_float(&json!(0.25)), Some(0.25));
        assert_eq!(value_to_float(&json!(true)), Some(1.0));
        assert_eq!(value_to_float(&Value::Null), None);
    }
}
