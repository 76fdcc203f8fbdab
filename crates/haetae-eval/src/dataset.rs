//! Datasets: JSONL and CSV files mapped onto [`Sample`]s, with a seeded shuffle, metadata filters and ranges.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rand::SeedableRng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{EvalError, Result};

/// One evaluation item.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Sample {
    pub id: String,
    /// The prompt: a string, or (JSONL only) a list of OpenAI chat messages.
    pub input: Value,
    /// Zero or more acceptable answers.
    #[serde(default)]
    pub target: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<String>>,
    #[serde(default)]
    pub metadata: BTreeMap<String, Value>,
}

impl Sample {
    /// The input as plain text (the last user message when the input is a message list).
    pub fn input_text(&self) -> String {
        match &self.input {
            Value::String(s) => s.clone(),
            Value::Array(msgs) => msgs
                .iter()
                .rev()
                .find(|m| m.get("role").and_then(Value::as_str) == Some("user"))
                .and_then(|m| m.get("content").and_then(Value::as_str))
                .unwrap_or_default()
                .to_owned(),
            other => other.to_string(),
        }
    }
}

/// Which source field feeds which sample field. Defaults follow Inspect's names.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldMap {
    #[serde(default = "d_input")]
    pub input: String,
    #[serde(default = "d_target")]
    pub target: String,
    #[serde(default = "d_choices")]
    pub choices: String,
    #[serde(default = "d_id")]
    pub id: String,
    /// Fields copied into metadata. Empty means "every field not mapped elsewhere" (JSONL: also a `metadata` object).
    #[serde(default)]
    pub metadata: Vec<String>,
}

fn d_input() -> String {
    "input".into()
}
fn d_target() -> String {
    "target".into()
}
fn d_choices() -> String {
    "choices".into()
}
fn d_id() -> String {
    "id".into()
}

impl Default for FieldMap {
    fn default() -> Self {
        FieldMap {
            input: d_input(),
            target: d_target(),
            choices: d_choices(),
            id: d_id(),
            metadata: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Jsonl,
    Csv,
    /// A directory of patch-verification tasks (`<id>/task.json` and the program's files): one sample per task,
    /// the files in the prompt ([`crate::patch`]).
    PatchTasks,
    /// A malware-triage `tasks.jsonl`: one sample per task, the shown sample files in the prompt
    /// ([`crate::triage`]).
    TriageTasks,
}

/// The `dataset:` section of a suite.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetSpec {
    /// Relative paths are relative to the suite file.
    pub path: PathBuf,
    /// Inferred from the extension when absent.
    #[serde(default)]
    pub format: Option<Format>,
    #[serde(default)]
    pub fields: FieldMap,
    /// Shuffle with this seed (a seed makes the order reproducible across runs, which resume relies on).
    #[serde(default)]
    pub shuffle: bool,
    #[serde(default)]
    pub seed: Option<u64>,
    /// Keep samples whose metadata field equals the value (or any value in a list).
    #[serde(default)]
    pub filter: BTreeMap<String, Value>,
    /// `[start, end)` after filtering and shuffling.
    #[serde(default)]
    pub range: Option<(usize, usize)>,
    /// At most this many samples (applied after `range`).
    #[serde(default)]
    pub limit: Option<usize>,
    /// Shuffle each sample's choices (seeded by `seed`, Haetae's generator), remapping a letter target.
    #[serde(default)]
    pub shuffle_choices: bool,
    /// Shuffle each sample's choices exactly as Inspect's `shuffle_choices=<seed>` does (Python's generator;
    /// [`crate::inspect_compat::shuffle_choices_like_inspect`]); not together with `shuffle_choices`.
    #[serde(default)]
    pub inspect_shuffle_choices: Option<u64>,
}

impl DatasetSpec {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        DatasetSpec {
            path: path.into(),
            format: None,
            fields: FieldMap::default(),
            shuffle: false,
            seed: None,
            filter: BTreeMap::new(),
            range: None,
            limit: None,
            shuffle_choices: false,
            inspect_shuffle_choices: None,
        }
    }

    fn resolved(&self, base: &Path) -> PathBuf {
        if self.path.is_absolute() {
            self.path.clone()
        } else {
            base.join(&self.path)
        }
    }

    /// The files the samples are made from (for the suite's content hash).
    pub fn content_files(&self, base: &Path) -> Vec<PathBuf> {
        let path = self.resolved(base);
        match self.format {
            Some(Format::PatchTasks) => crate::patch::task_files(&path),
            Some(Format::TriageTasks) => crate::triage::task_files(&path),
            _ => vec![path],
        }
    }

    /// Loads, filters, shuffles and slices. `base` resolves a relative `path`.
    pub fn load(&self, base: &Path) -> Result<Vec<Sample>> {
        let path = self.resolved(base);
        let format = match self.format {
            Some(f) => f,
            None => match path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("csv") => Format::Csv,
                Some("jsonl") | Some("ndjson") | Some("json") => Format::Jsonl,
                _ => {
                    return Err(EvalError::Dataset {
                        path,
                        line: 0,
                        field: "format".into(),
                        message: "cannot infer the format from the extension; set dataset.format"
                            .into(),
                    });
                }
            },
        };
        let mut samples = match format {
            Format::Jsonl => load_jsonl(&path, &self.fields)?,
            Format::Csv => load_csv(&path, &self.fields)?,
            Format::PatchTasks => crate::patch::load_tasks(&path)?,
            Format::TriageTasks => crate::triage::load_tasks(&path)?,
        };
        samples.retain(|s| matches_filter(s, &self.filter));
        if self.shuffle {
            let mut rng = rand::rngs::StdRng::seed_from_u64(self.seed.unwrap_or(0));
            samples.shuffle(&mut rng);
        }
        if self.shuffle_choices && self.inspect_shuffle_choices.is_some() {
            return Err(EvalError::config(
                "dataset: set shuffle_choices or inspect_shuffle_choices, not both",
            ));
        }
        if let Some(seed) = self.inspect_shuffle_choices {
            crate::inspect_compat::shuffle_choices_like_inspect(&mut samples, seed).map_err(
                |m| EvalError::Dataset {
                    path: path.clone(),
                    line: 0,
                    field: "target".into(),
                    message: m,
                },
            )?;
        }
        if self.shuffle_choices {
            let mut rng = rand::rngs::StdRng::seed_from_u64(self.seed.unwrap_or(0) ^ 0x9e37_79b9);
            for s in &mut samples {
                shuffle_choices(s, &mut rng);
            }
        }
        if let Some((start, end)) = self.range {
            let end = end.min(samples.len());
            let start = start.min(end);
            samples = samples.drain(start..end).collect();
        }
        if let Some(limit) = self.limit {
            samples.truncate(limit);
        }
        Ok(samples)
    }
}

fn matches_filter(sample: &Sample, filter: &BTreeMap<String, Value>) -> bool {
    filter.iter().all(|(k, want)| {
        let Some(have) = sample.metadata.get(k) else {
            return false;
        };
        let eq = |w: &Value| {
            w == have || (w.as_str().is_some() && w.as_str() == value_text(have).as_deref())
        };
        match want {
            Value::Array(options) => options.iter().any(eq),
            w => eq(w),
        }
    })
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Shuffles choices and rewrites letter targets so they still point at the same choice text.
fn shuffle_choices(sample: &mut Sample, rng: &mut rand::rngs::StdRng) {
    let Some(choices) = sample.choices.as_mut() else {
        return;
    };
    // Letters name only the first 26 choices: shuffled further, a letter target could not follow its choice.
    if choices.len() > 26 {
        return;
    }
    let mut order: Vec<usize> = (0..choices.len()).collect();
    order.shuffle(rng);
    let old = choices.clone();
    *choices = order.iter().map(|&i| old[i].clone()).collect();
    for t in &mut sample.target {
        if let Some(old_idx) = letter_index(t)
            && let Some(new_idx) = order.iter().position(|&i| i == old_idx)
        {
            *t = index_letter(new_idx);
        }
    }
}

/// `"A"` → 0, `"b"` → 1; anything else → `None`.
pub fn letter_index(s: &str) -> Option<usize> {
    let s = s.trim();
    let mut chars = s.chars();
    let c = chars.next()?;
    if chars.next().is_some() || !c.is_ascii_alphabetic() {
        return None;
    }
    Some((c.to_ascii_uppercase() as u8 - b'A') as usize)
}

pub fn index_letter(i: usize) -> String {
    // Past Z the letters would stop being letters; 26 choices is far beyond any real item.
    char::from(b'A' + (i.min(25) as u8)).to_string()
}

pub(crate) fn bad(path: &Path, line: usize, field: &str, message: impl Into<String>) -> EvalError {
    EvalError::Dataset {
        path: path.to_owned(),
        line,
        field: field.to_owned(),
        message: message.into(),
    }
}

fn load_jsonl(path: &Path, fields: &FieldMap) -> Result<Vec<Sample>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| EvalError::io(format!("reading {}", path.display()), e))?;
    let mut samples = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let lineno = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let row: Value = serde_json::from_str(line)
            .map_err(|e| bad(path, lineno, "(row)", format!("invalid JSON: {e}")))?;
        let Value::Object(obj) = row else {
            return Err(bad(
                path,
                lineno,
                "(row)",
                "each line must be a JSON object",
            ));
        };
        let input = match obj.get(&fields.input) {
            Some(v @ Value::String(_)) => v.clone(),
            Some(v @ Value::Array(msgs)) if msgs.iter().all(|m| m.get("role").is_some()) => {
                v.clone()
            }
            Some(_) => {
                return Err(bad(
                    path,
                    lineno,
                    &fields.input,
                    "must be a string or a list of chat messages",
                ));
            }
            None => return Err(bad(path, lineno, &fields.input, "missing")),
        };
        let target =
            match obj.get(&fields.target) {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|v| {
                        value_text(v).ok_or_else(|| {
                            bad(path, lineno, &fields.target, "list items must be scalars")
                        })
                    })
                    .collect::<Result<_>>()?,
                Some(v) => vec![value_text(v).ok_or_else(|| {
                    bad(path, lineno, &fields.target, "must be a scalar or a list")
                })?],
            };
        let choices = match obj.get(&fields.choices) {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|v| {
                        value_text(v).ok_or_else(|| {
                            bad(path, lineno, &fields.choices, "choices must be scalars")
                        })
                    })
                    .collect::<Result<Vec<_>>>()?,
            ),
            Some(_) => return Err(bad(path, lineno, &fields.choices, "must be a list")),
        };
        let id = match obj.get(&fields.id) {
            None | Some(Value::Null) => lineno.to_string(),
            Some(v) => value_text(v)
                .ok_or_else(|| bad(path, lineno, &fields.id, "must be a string or number"))?,
        };
        let mut metadata = BTreeMap::new();
        if fields.metadata.is_empty() {
            let mapped = [&fields.input, &fields.target, &fields.choices, &fields.id];
            for (k, v) in &obj {
                if k == "metadata"
                    && let Value::Object(m) = v
                {
                    metadata.extend(m.iter().map(|(k, v)| (k.clone(), v.clone())));
                } else if !mapped.contains(&k) {
                    metadata.insert(k.clone(), v.clone());
                }
            }
        } else {
            for k in &fields.metadata {
                let v = obj
                    .get(k)
                    .or_else(|| obj.get("metadata").and_then(|m| m.get(k)));
                if let Some(v) = v {
                    metadata.insert(k.clone(), v.clone());
                }
            }
        }
        samples.push(Sample {
            id,
            input,
            target,
            choices,
            metadata,
        });
    }
    check_unique_ids(path, &samples)?;
    Ok(samples)
}

fn load_csv(path: &Path, fields: &FieldMap) -> Result<Vec<Sample>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .map_err(|e| bad(path, 1, "(file)", e.to_string()))?;
    let headers = reader
        .headers()
        .map_err(|e| bad(path, 1, "(header)", e.to_string()))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let input_col = col(&fields.input)
        .ok_or_else(|| bad(path, 1, &fields.input, "no such column in the header"))?;
    let target_col = col(&fields.target);
    let id_col = col(&fields.id);
    // Choices: one column holding a JSON list or '|'-separated text, or columns named like the letters (A, B, …).
    let choices_col = col(&fields.choices);
    let letter_cols: Vec<usize> = (0..26).map_while(|i| col(&index_letter(i))).collect();
    let mut samples = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let lineno = i + 2;
        let record = record.map_err(|e| {
            let line = e.position().map_or(lineno, |p| p.line() as usize);
            bad(path, line, "(row)", e.to_string())
        })?;
        let get = |c: usize| record.get(c).unwrap_or_default().to_owned();
        let input = get(input_col);
        if input.trim().is_empty() {
            return Err(bad(path, lineno, &fields.input, "empty"));
        }
        let target = target_col
            .map(get)
            .filter(|t| !t.is_empty())
            .map(|t| vec![t])
            .unwrap_or_default();
        let choices = if let Some(c) = choices_col {
            let raw = get(c);
            if raw.trim().is_empty() {
                None
            } else if raw.trim_start().starts_with('[') {
                Some(serde_json::from_str::<Vec<String>>(&raw).map_err(|e| {
                    bad(
                        path,
                        lineno,
                        &fields.choices,
                        format!("invalid JSON list: {e}"),
                    )
                })?)
            } else {
                Some(raw.split('|').map(|s| s.trim().to_owned()).collect())
            }
        } else if !letter_cols.is_empty() {
            Some(
                letter_cols
                    .iter()
                    .map(|&c| get(c))
                    .filter(|s| !s.is_empty())
                    .collect(),
            )
        } else {
            None
        };
        let id = id_col
            .map(get)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| (lineno - 1).to_string());
        let mut metadata = BTreeMap::new();
        for (c, h) in headers.iter().enumerate() {
            let mapped = Some(c) == Some(input_col)
                || Some(c) == target_col
                || Some(c) == id_col
                || Some(c) == choices_col
                || letter_cols.contains(&c);
            let wanted = if fields.metadata.is_empty() {
                !mapped
            } else {
                fields.metadata.iter().any(|m| m == h)
            };
            if wanted {
                metadata.insert(h.to_owned(), Value::String(get(c)));
            }
        }
        samples.push(Sample {
            id,
            input: Value::String(input),
            target,
            choices,
            metadata,
        });
    }
    check_unique_ids(path, &samples)?;
    Ok(samples)
}

/// Resume keys on sample ids, so duplicates would make a resumed run skip the wrong samples.
pub(crate) fn check_unique_ids(path: &Path, samples: &[Sample]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for s in samples {
        if !seen.insert(s.id.as_str()) {
            return Err(bad(
                path,
                0,
                "id",
                format!("duplicate sample id '{}'", s.id),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        let mut f = std::fs::File::create(&p).expect("create");
        f.write_all(text.as_bytes()).expect("write");
        p
    }

    #[test]
    fn jsonl_with_field_mapping_filter_shuffle_and_range() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut text = String::new();
        for i in 0..20 {
            let cat = if i % 2 == 0 { "even" } else { "odd" };
            text.push_str(&format!("{{\"q\": \"question {i}\", \"a\": {i}, \"key\": \"k{i}\", \"opts\": [\"x\", \"y\"], \"cat\": \"{cat}\"}}\n"));
        }
        write(dir.path(), "d.jsonl", &text);
        let mut spec = DatasetSpec::new("d.jsonl");
        spec.fields = FieldMap {
            input: "q".into(),
            target: "a".into(),
            choices: "opts".into(),
            id: "key".into(),
            metadata: vec![],
        };
        let all = spec.load(dir.path()).expect("load");
        assert_eq!(all.len(), 20);
        assert_eq!(all[3].id, "k3");
        assert_eq!(all[3].target, vec!["3".to_owned()]);
        assert_eq!(
            all[3].choices.as_deref(),
            Some(&["x".to_owned(), "y".to_owned()][..])
        );
        assert_eq!(all[3].metadata["cat"], serde_json::json!("odd"));

        spec.filter.insert("cat".into(), serde_json::json!("even"));
        spec.shuffle = true;
        spec.seed = Some(7);
        spec.range = Some((2, 8));
        let a = spec.load(dir.path()).expect("load");
        let b = spec.load(dir.path()).expect("load");
        assert_eq!(a, b, "seeded shuffle is reproducible");
        assert_eq!(a.len(), 6);
        assert!(a.iter().all(|s| s.metadata["cat"] == "even"));
        spec.seed = Some(8);
        assert_ne!(
            spec.load(dir.path()).expect("load"),
            a,
            "another seed, another order"
        );
    }

    #[test]
    fn csv_with_letter_columns_and_pipe_choices() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "d.csv",
            "id,question,A,B,C,answer,topic\n1,2+2?,3,4,5,B,math\n2,Capital?,Seoul,Busan,,A,geo\n",
        );
        let mut spec = DatasetSpec::new("d.csv");
        spec.fields.input = "question".into();
        spec.fields.target = "answer".into();
        let s = spec.load(dir.path()).expect("load");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].choices.as_ref().map(Vec::len), Some(3));
        assert_eq!(
            s[1].choices.as_ref().map(Vec::len),
            Some(2),
            "empty letter cells are dropped"
        );
        assert_eq!(s[1].metadata["topic"], "geo");
        write(dir.path(), "p.csv", "input,choices,target\nq,a|b|c,c\n");
        let p = DatasetSpec::new("p.csv").load(dir.path()).expect("load");
        assert_eq!(
            p[0].choices.as_deref().map(|c| c.join(",")),
            Some("a,b,c".into())
        );
    }

    #[test]
    fn bad_rows_name_file_line_and_field() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "bad.jsonl",
            "{\"input\": \"ok\"}\n{\"input\": 5}\n",
        );
        let e = DatasetSpec::new("bad.jsonl")
            .load(dir.path())
            .expect_err("bad input type")
            .to_string();
        assert!(e.contains("bad.jsonl:2") && e.contains("'input'"), "{e}");
        write(
            dir.path(),
            "bad2.jsonl",
            "{\"input\": \"ok\"}\n\n{not json\n",
        );
        let e = DatasetSpec::new("bad2.jsonl")
            .load(dir.path())
            .expect_err("bad json")
            .to_string();
        assert!(e.contains("bad2.jsonl:3"), "{e}");
        write(dir.path(), "bad.csv", "input,target\nq1,a\n,b\n");
        let e = DatasetSpec::new("bad.csv")
            .load(dir.path())
            .expect_err("empty input")
            .to_string();
        assert!(e.contains("bad.csv:3") && e.contains("'input'"), "{e}");
        write(dir.path(), "ragged.csv", "input,target\nq1,a\nq2,b,extra\n");
        let e = DatasetSpec::new("ragged.csv")
            .load(dir.path())
            .expect_err("ragged")
            .to_string();
        assert!(e.contains("ragged.csv:3"), "{e}");
        write(dir.path(), "nocol.csv", "question,target\nq1,a\n");
        let e = DatasetSpec::new("nocol.csv")
            .load(dir.path())
            .expect_err("no column")
            .to_string();
        assert!(e.contains("nocol.csv:1") && e.contains("'input'"), "{e}");
    }

    /// `inspect_shuffle_choices` is Inspect's seed: Python's generator decides the order (checked against
    /// Inspect by suites/parity/), targets follow their choice, and a target naming no choice is an error.
    #[test]
    fn an_integer_choice_shuffle_seed_shuffles_like_inspect() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "mc.jsonl",
            "{\"id\": \"a\", \"input\": \"q\", \"choices\": [\"w\", \"x\", \"y\", \"z\"], \"target\": \"B\"}\n",
        );
        let spec: DatasetSpec =
            serde_yaml::from_str("{path: mc.jsonl, inspect_shuffle_choices: 42}").expect("spec");
        let s = &spec.load(dir.path()).expect("load")[0];
        let choices = s.choices.clone().expect("choices");
        let idx = letter_index(&s.target[0]).expect("letter");
        assert_eq!(choices[idx], "x", "the target follows its choice");
        let mut sorted = choices.clone();
        sorted.sort();
        assert_eq!(sorted, ["w", "x", "y", "z"]);
        let both: DatasetSpec = serde_yaml::from_str(
            "{path: mc.jsonl, shuffle_choices: true, inspect_shuffle_choices: 1}",
        )
        .expect("spec");
        assert!(both.load(dir.path()).is_err(), "two shuffles");

        write(
            dir.path(),
            "bad.jsonl",
            "{\"id\": \"b\", \"input\": \"q\", \"choices\": [\"w\", \"x\"], \"target\": \"E\"}\n",
        );
        let mut bad = DatasetSpec::new("bad.jsonl");
        bad.inspect_shuffle_choices = Some(1);
        let e = bad.load(dir.path()).expect_err("bad target").to_string();
        assert!(e.contains("target 'E'"), "{e}");
    }

    /// Regression (found by fuzz/fuzz_targets/eval_dataset.rs): with more than 26 choices a shuffled-away correct
    /// choice had its letter target rewritten to "Z", silently marking another choice correct.
    #[test]
    fn choice_shuffle_leaves_items_letters_cannot_address() {
        let dir = tempfile::tempdir().expect("tempdir");
        let choices: Vec<String> = (0..30).map(|i| format!("c{i}")).collect();
        let mut text = String::new();
        for i in 0..10 {
            text.push_str(&format!(
                "{}\n",
                serde_json::json!({"id": i, "input": "q", "choices": choices, "target": "A"})
            ));
        }
        write(dir.path(), "many.jsonl", &text);
        let mut spec = DatasetSpec::new("many.jsonl");
        spec.shuffle_choices = true;
        for s in spec.load(dir.path()).expect("load") {
            let idx = letter_index(&s.target[0]).expect("letter");
            assert_eq!(
                s.choices.as_ref().expect("choices")[idx],
                "c0",
                "sample {}",
                s.id
            );
        }
    }

    #[test]
    fn choice_shuffle_remaps_letter_targets() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "mc.jsonl",
            "{\"input\": \"q\", \"choices\": [\"w\", \"x\", \"y\", \"z\"], \"target\": \"C\"}\n",
        );
        let mut spec = DatasetSpec::new("mc.jsonl");
        spec.shuffle_choices = true;
        spec.seed = Some(3);
        let s = &spec.load(dir.path()).expect("load")[0];
        let idx = letter_index(&s.target[0]).expect("letter");
        assert_eq!(s.choices.as_ref().expect("choices")[idx], "y");
    }
}
