//! Importers: public datasets turned into the built-in suites' item formats (`haetae eval import …`).
//!
//! - [`import_primevul`]: PrimeVul-style JSONL (`func`, `target` 0/1, `cwe` list, `idx`, `project`,
//!   `commit_id`) → vuln-detection items (`suites/cyber-defense/vuln-detection/README.md`).
//! - [`import_kmmlu`] and the Korean benchmarks in [`crate::korean`] (KoBBQ, CLIcK, K-HATERS, KoSBi, SQuARe):
//!   their published files → the MC dataset format, read from the user's copy (none of their data ships).
//! - [`import_mcq`]: multiple-choice JSONL (`question`, `choices`, `answer` as a letter, a 0-based index or the
//!   text of a choice) → the MC dataset format (`id`, `input`, `choices`, `target` letter; other fields kept as
//!   metadata).
//!
//! A bad row stops the import with an error naming the file, the line and the field: a silently skipped row
//! would change what a suite measures.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::dataset::{bad, index_letter, letter_index};
use crate::error::{EvalError, Result};

/// `haetae eval import …`.
#[derive(Debug, clap::Subcommand)]
pub enum ImportCommand {
    /// PrimeVul-style JSONL (func, target, cwe, idx, project, commit_id) → vuln-detection items.
    Primevul {
        /// The PrimeVul JSONL file.
        input: PathBuf,
        /// Where to write the items (JSONL).
        #[arg(short, long)]
        output: PathBuf,
        /// The language of the functions (PrimeVul is C/C++).
        #[arg(long, default_value = "c")]
        language: String,
    },
    /// KMMLU CSV (question, answer 1-4, A, B, C, D, Category, Human Accuracy) → the MC dataset format. KMMLU is
    /// CC BY-ND 4.0: import from your own copy at run time; Haetae ships none of it.
    Kmmlu {
        /// One KMMLU CSV file (e.g. Accounting-test.csv).
        input: PathBuf,
        /// Where to write the dataset (JSONL).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// KoBBQ TSV (sample_id, context, question, choices, biased_answer, answer, …) → the MC dataset format. KoBBQ
    /// is MIT-licensed (NAVER Cloud): import from your own copy; Haetae ships none of it.
    Kobbq {
        /// KoBBQ_test_samples.tsv or KoBBQ_all_samples.tsv.
        input: PathBuf,
        /// Where to write the dataset (JSONL).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// CLIcK JSON or JSONL (id, paragraph, question, choices, answer) → the MC dataset format. CLIcK is CC BY 4.0:
    /// import from your own copy; Haetae ships none of it.
    Click {
        /// One CLIcK file (e.g. "Dataset/Culture/Korean Law/Law_KIIP.json").
        input: PathBuf,
        /// Where to write the dataset (JSONL).
        #[arg(short, long)]
        output: PathBuf,
        /// The category to record (default: the file's directory, e.g. "Korean Law").
        #[arg(long)]
        category: Option<String>,
    },
    /// K-HATERS JSONL (text, label, target_label, …) → four-way classification items. K-HATERS is CC BY 4.0:
    /// import from your own copy; Haetae ships none of it.
    Khaters {
        /// train.jsonl, val.jsonl or test.jsonl.
        input: PathBuf,
        /// Where to write the dataset (JSONL).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// KoSBi JSON (demographic_category, demographic_group, context, sentence, sentence_label, …) → safe/unsafe
    /// items. From naver-ai/korean-safety-benchmarks (MIT): import from your own copy; Haetae ships none of it.
    Kosbi {
        /// kosbi_test.json or kosbi_valid.json.
        input: PathBuf,
        /// Where to write the dataset (JSONL).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// SQuARe JSON: question files (question, sensitive?, category) or response files (question, response,
    /// acceptable?, category) → two-way items. From naver-ai/korean-safety-benchmarks (MIT): import from your own
    /// copy; Haetae ships none of it.
    Square {
        /// e.g. question_test.json or response_test_ood.json.
        input: PathBuf,
        /// Where to write the dataset (JSONL).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Multiple-choice JSONL (question, choices, answer) → the MC dataset format.
    Mcq {
        /// The multiple-choice JSONL file.
        input: PathBuf,
        /// Where to write the dataset (JSONL).
        #[arg(short, long)]
        output: PathBuf,
    },
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub rows: usize,
    pub output: PathBuf,
    /// Per-kind counts worth printing (e.g. `vulnerable`, `patched`, `pairs`).
    pub counts: BTreeMap<String, usize>,
}

/// Runs an import subcommand and prints what it wrote.
pub fn run_import(cmd: ImportCommand) -> Result<ImportSummary> {
    let summary = match cmd {
        ImportCommand::Primevul {
            input,
            output,
            language,
        } => import_primevul(&input, &output, &language)?,
        ImportCommand::Mcq { input, output } => import_mcq(&input, &output)?,
        ImportCommand::Kmmlu { input, output } => import_kmmlu(&input, &output)?,
        ImportCommand::Kobbq { input, output } => crate::korean::import_kobbq(&input, &output)?,
        ImportCommand::Click {
            input,
            output,
            category,
        } => crate::korean::import_click(&input, &output, category.as_deref())?,
        ImportCommand::Khaters { input, output } => crate::korean::import_khaters(&input, &output)?,
        ImportCommand::Kosbi { input, output } => crate::korean::import_kosbi(&input, &output)?,
        ImportCommand::Square { input, output } => crate::korean::import_square(&input, &output)?,
    };
    let counts: Vec<String> = summary
        .counts
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    println!(
        "wrote {} items to {} ({})",
        summary.rows,
        summary.output.display(),
        counts.join(", ")
    );
    Ok(summary)
}

/// The JSON object on each non-blank line, with its 1-based line number.
fn read_rows(path: &Path) -> Result<Vec<(usize, Map<String, Value>)>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| EvalError::io(format!("reading {}", path.display()), e))?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let lineno = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(m)) => rows.push((lineno, m)),
            Ok(_) => {
                return Err(bad(
                    path,
                    lineno,
                    "(row)",
                    "each line must be a JSON object",
                ));
            }
            Err(e) => return Err(bad(path, lineno, "(row)", format!("invalid JSON: {e}"))),
        }
    }
    if rows.is_empty() {
        return Err(bad(path, 0, "(file)", "no rows"));
    }
    Ok(rows)
}

pub(crate) fn write_rows(path: &Path, rows: &[Value]) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| EvalError::io(format!("creating {}", dir.display()), e))?;
    }
    // Write next to the destination and rename, so a failed import never leaves half a dataset behind.
    let tmp = path.with_extension("import-tmp");
    {
        let file = std::fs::File::create(&tmp)
            .map_err(|e| EvalError::io(format!("creating {}", tmp.display()), e))?;
        let mut w = std::io::BufWriter::new(file);
        for r in rows {
            serde_json::to_writer(&mut w, r).map_err(|e| EvalError::Log {
                path: tmp.clone(),
                message: e.to_string(),
            })?;
            w.write_all(b"\n")
                .map_err(|e| EvalError::io(format!("writing {}", tmp.display()), e))?;
        }
        w.flush()
            .map_err(|e| EvalError::io(format!("writing {}", tmp.display()), e))?;
    }
    std::fs::rename(&tmp, path)
        .map_err(|e| EvalError::io(format!("renaming to {}", path.display()), e))
}

/// A CSV or TSV file's reader and its header row; a file that cannot be opened or has no header names the file.
pub(crate) fn open_table(
    input: &Path,
    delimiter: u8,
) -> Result<(csv::Reader<std::fs::File>, csv::StringRecord)> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_path(input)
        .map_err(|e| bad(input, 0, "(file)", e.to_string()))?;
    let headers = reader
        .headers()
        .map_err(|e| bad(input, 1, "(header)", e.to_string()))?
        .clone();
    Ok((reader, headers))
}

/// The index of a named column (a UTF-8 byte-order mark before the first name is ignored).
pub(crate) fn column(headers: &csv::StringRecord, input: &Path, name: &str) -> Result<usize> {
    headers
        .iter()
        .position(|h| h.trim().trim_start_matches('\u{feff}') == name)
        .ok_or_else(|| bad(input, 1, name, "missing column"))
}

/// A scalar id (string or integer) as text.
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
        _ => None,
    }
}

/// The function's name: the identifier before the first `(` of its signature. PrimeVul pairs a vulnerable
/// function with its patched version from the same commit; the name tells pairs within one commit apart.
// Compiles only literal patterns (covered by this module's tests): `expect` cannot fail on input.
#[allow(clippy::expect_used)]
fn function_name(code: &str) -> Option<String> {
    use std::sync::OnceLock;
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE
        .get_or_init(|| regex::Regex::new(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(").expect("static regex"));
    let head: String = code.chars().take(2000).collect();
    let head = head.split('{').next().unwrap_or_default();
    re.captures_iter(head)
        .filter(|c| {
            !matches!(
                &c[1],
                "if" | "while" | "for" | "switch" | "return" | "sizeof"
            )
        })
        .last()
        .map(|c| c[1].to_owned())
}

/// PrimeVul-style JSONL → vuln-detection items. Fields: `func` (non-empty string), `target` (0/1 or a boolean),
/// `cwe` (a list of strings, or one string; may be empty), `idx` (string or integer, unique), `project` and
/// `commit_id` (non-empty strings). Items sharing project, commit and function name get one `pair_id`; the
/// others are their own pair (their `pair_id` is their id), so pair-wise metrics only count true pairs.
pub fn import_primevul(input: &Path, output: &Path, language: &str) -> Result<ImportSummary> {
    let rows = read_rows(input)?;
    struct Row {
        id: String,
        key: (String, String, String),
        vulnerable: bool,
        cwe: String,
        code: String,
        project: String,
        commit: String,
        idx: String,
    }
    let mut parsed = Vec::new();
    let mut seen = HashSet::new();
    for (line, obj) in rows {
        let str_field = |name: &str| -> Result<String> {
            match obj.get(name) {
                Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
                Some(Value::String(_)) => Err(bad(input, line, name, "empty")),
                Some(_) => Err(bad(input, line, name, "must be a string")),
                None => Err(bad(input, line, name, "missing")),
            }
        };
        let code = str_field("func")?;
        let project = str_field("project")?;
        let commit = str_field("commit_id")?;
        let vulnerable = match obj.get("target") {
            Some(Value::Bool(b)) => *b,
            Some(Value::Number(n)) if n.as_u64() == Some(1) => true,
            Some(Value::Number(n)) if n.as_u64() == Some(0) => false,
            Some(other) => {
                return Err(bad(
                    input,
                    line,
                    "target",
                    format!("must be 0 or 1, not {other}"),
                ));
            }
            None => return Err(bad(input, line, "target", "missing")),
        };
        let cwes: Vec<String> = match obj.get("cwe") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| bad(input, line, "cwe", "list items must be strings"))
                })
                .collect::<Result<_>>()?,
            Some(_) => return Err(bad(input, line, "cwe", "must be a list of strings")),
        };
        let idx = obj
            .get("idx")
            .ok_or_else(|| bad(input, line, "idx", "missing"))
            .and_then(|v| {
                id_text(v).ok_or_else(|| bad(input, line, "idx", "must be a string or an integer"))
            })?;
        let id = format!("pv-{idx}");
        if !seen.insert(id.clone()) {
            return Err(bad(input, line, "idx", format!("duplicate idx '{idx}'")));
        }
        // The first CWE that looks like one; PrimeVul also carries NVD-CWE-Other / NVD-CWE-noinfo.
        let cwe = cwes
            .iter()
            .find(|c| c.starts_with("CWE-"))
            .or_else(|| cwes.first())
            .cloned()
            .unwrap_or_default();
        let name = function_name(&code).unwrap_or_default();
        parsed.push(Row {
            id,
            key: (project.clone(), commit.clone(), name),
            vulnerable,
            cwe,
            code,
            project,
            commit,
            idx,
        });
    }
    // A pair is exactly one vulnerable and one patched function with the same key.
    let mut groups: HashMap<&(String, String, String), (usize, usize)> = HashMap::new();
    for r in &parsed {
        let g = groups.entry(&r.key).or_default();
        if r.vulnerable {
            g.0 += 1;
        } else {
            g.1 += 1;
        }
    }
    let mut pair_ids: HashMap<&(String, String, String), String> = HashMap::new();
    let mut out = Vec::new();
    let mut counts = BTreeMap::new();
    for r in &parsed {
        let paired = !r.key.2.is_empty() && groups.get(&r.key) == Some(&(1, 1));
        let pair_id = if paired {
            pair_ids
                .entry(&r.key)
                .or_insert_with(|| format!("{}-pair", r.id))
                .clone()
        } else {
            r.id.clone()
        };
        *counts
            .entry(
                if r.vulnerable {
                    "vulnerable"
                } else {
                    "patched"
                }
                .to_owned(),
            )
            .or_insert(0) += 1;
        out.push(json!({
            "id": r.id,
            "pair_id": pair_id,
            "language": language,
            "cwe": r.cwe,
            "cwe_name": "",
            "vulnerable": r.vulnerable,
            "code": r.code,
            "rationale": format!("Imported from PrimeVul: project {}, commit {}, idx {}.", r.project, r.commit, r.idx),
        }));
    }
    counts.insert("pairs".into(), pair_ids.len());
    write_rows(output, &out)?;
    Ok(ImportSummary {
        rows: out.len(),
        output: output.to_owned(),
        counts,
    })
}

/// Multiple-choice JSONL → the MC dataset format. Fields: `question` (non-empty string), `choices` (a list of
/// at least two strings or numbers), `answer` (a letter `A`…, a 0-based index, or the exact text of one choice),
/// optional `id` (default: the line number). Every other field is kept (it becomes metadata, e.g. `category`).
/// KMMLU (HAERAE-HUB): one CSV per subject and split with the columns `question`, `answer` (1-based index of the
/// correct choice), `A`, `B`, `C`, `D`, `Category` and `Human Accuracy`. Each row becomes an MC sample
/// (`id` = file stem and row number, four choices, the target letter, `category` and `human_accuracy` as
/// metadata), ready for `multiple_choice` + `choice`. Licence: CC BY-ND 4.0 (no derivatives), so the data is read
/// from the user's copy when a run starts and none of it is shipped or committed.
pub fn import_kmmlu(input: &Path, output: &Path) -> Result<ImportSummary> {
    let (mut reader, headers) = open_table(input, b',')?;
    let col = |name: &str| column(&headers, input, name);
    let (q, a) = (col("question")?, col("answer")?);
    let letters = [col("A")?, col("B")?, col("C")?, col("D")?];
    let category = col("Category").ok();
    let human = col("Human Accuracy").ok();
    let stem = input
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("kmmlu")
        .to_owned();
    let mut out = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (i, rec) in reader.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| bad(input, line, "(row)", e.to_string()))?;
        let field = |c: usize| rec.get(c).unwrap_or_default().trim().to_owned();
        let question = field(q);
        if question.is_empty() {
            return Err(bad(input, line, "question", "empty"));
        }
        let choices: Vec<String> = letters.iter().map(|&c| field(c)).collect();
        if let Some(k) = choices.iter().position(String::is_empty) {
            return Err(bad(input, line, &index_letter(k), "empty choice"));
        }
        let answer = field(a);
        let idx = answer
            .parse::<f64>()
            .ok()
            .filter(|n| n.fract() == 0.0 && (1.0..=4.0).contains(n))
            .map(|n| n as usize - 1)
            .ok_or_else(|| {
                bad(
                    input,
                    line,
                    "answer",
                    format!("'{answer}' is not 1, 2, 3 or 4"),
                )
            })?;
        let mut sample = json!({
            "id": format!("{stem}-{}", i + 1),
            "input": question,
            "choices": choices,
            "target": index_letter(idx),
            "source": "KMMLU",
        });
        if let Some(c) = category {
            let cat = field(c);
            *counts.entry(cat.clone()).or_insert(0) += 1;
            sample["category"] = json!(cat);
        }
        if let Some(h) = human
            && let Ok(v) = field(h).parse::<f64>()
        {
            sample["human_accuracy"] = json!(v);
        }
        out.push(sample);
    }
    if out.is_empty() {
        return Err(bad(input, 0, "(file)", "no rows"));
    }
    write_rows(output, &out)?;
    Ok(ImportSummary {
        rows: out.len(),
        output: output.to_owned(),
        counts,
    })
}

pub fn import_mcq(input: &Path, output: &Path) -> Result<ImportSummary> {
    let rows = read_rows(input)?;
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut counts = BTreeMap::new();
    for (line, obj) in rows {
        let question = match obj.get("question") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(Value::String(_)) => return Err(bad(input, line, "question", "empty")),
            Some(_) => return Err(bad(input, line, "question", "must be a string")),
            None => return Err(bad(input, line, "question", "missing")),
        };
        let choices: Vec<String> = match obj.get("choices") {
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.clone()),
                    Value::Number(n) => Ok(n.to_string()),
                    _ => Err(bad(
                        input,
                        line,
                        "choices",
                        "choices must be strings or numbers",
                    )),
                })
                .collect::<Result<_>>()?,
            Some(_) => return Err(bad(input, line, "choices", "must be a list")),
            None => return Err(bad(input, line, "choices", "missing")),
        };
        if choices.len() < 2 {
            return Err(bad(input, line, "choices", "needs at least two choices"));
        }
        if choices.len() > 26 {
            return Err(bad(
                input,
                line,
                "choices",
                "more than 26 choices cannot be lettered",
            ));
        }
        let answer = obj
            .get("answer")
            .ok_or_else(|| bad(input, line, "answer", "missing"))?;
        let index = match answer {
            Value::Number(n) => n
                .as_u64()
                .map(|i| i as usize)
                .filter(|&i| i < choices.len())
                .ok_or_else(|| {
                    bad(
                        input,
                        line,
                        "answer",
                        format!("index {n} is not in 0..{}", choices.len()),
                    )
                })?,
            Value::String(s) => {
                let t = s.trim();
                if let Some(i) = letter_index(t).filter(|&i| i < choices.len()) {
                    // A one-letter answer is a letter, even if a choice happens to be that letter too (then
                    // both readings must agree, or the row is ambiguous).
                    if let Some(j) = choices.iter().position(|c| c.trim() == t)
                        && j != i
                    {
                        return Err(bad(
                            input,
                            line,
                            "answer",
                            format!(
                                "'{t}' is both the letter of choice {i} and the text of choice {j}"
                            ),
                        ));
                    }
                    i
                } else if let Some(j) = choices.iter().position(|c| c.trim() == t) {
                    j
                } else {
                    return Err(bad(
                        input,
                        line,
                        "answer",
                        format!("'{t}' is neither a choice letter nor the text of a choice"),
                    ));
                }
            }
            _ => {
                return Err(bad(
                    input,
                    line,
                    "answer",
                    "must be a letter, a 0-based index or the text of a choice",
                ));
            }
        };
        let id = match obj.get("id") {
            None | Some(Value::Null) => line.to_string(),
            Some(v) => id_text(v)
                .ok_or_else(|| bad(input, line, "id", "must be a string or an integer"))?,
        };
        if !seen.insert(id.clone()) {
            return Err(bad(input, line, "id", format!("duplicate id '{id}'")));
        }
        let mut row = Map::new();
        row.insert("id".into(), json!(id));
        row.insert("input".into(), json!(question));
        row.insert("choices".into(), json!(choices));
        row.insert("target".into(), json!(index_letter(index)));
        for (k, v) in &obj {
            if !matches!(
                k.as_str(),
                "id" | "question" | "choices" | "answer" | "input" | "target"
            ) {
                row.insert(k.clone(), v.clone());
            }
        }
        *counts
            .entry(format!("answer {}", index_letter(index)))
            .or_insert(0) += 1;
        out.push(Value::Object(row));
    }
    write_rows(output, &out)?;
    Ok(ImportSummary {
        rows: out.len(),
        output: output.to_owned(),
        counts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A KMMLU-format file written by the team (same columns as the published CSVs; not KMMLU data).
    #[test]
    fn kmmlu_csv_becomes_mc_samples_and_bad_rows_name_their_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = dir.path().join("Law-test.csv");
        std::fs::write(
            &input,
            "question,answer,A,B,C,D,Category,Human Accuracy\n\
             \"민법상 성년의 나이는?\",3,17세,18세,19세,20세,Law,0.62\n\
             \"형법상 형사미성년자의 기준 나이는?\",2,12세,14세,16세,18세,Law,\n",
        )
        .expect("write");
        let output = dir.path().join("out.jsonl");
        let summary = import_kmmlu(&input, &output).expect("import");
        assert_eq!(summary.rows, 2);
        assert_eq!(summary.counts.get("Law"), Some(&2));
        let rows: Vec<Value> = std::fs::read_to_string(&output)
            .expect("read")
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        assert_eq!(rows[0]["id"], "Law-test-1");
        assert_eq!(rows[0]["target"], "C");
        assert_eq!(rows[0]["choices"][2], "19세");
        assert_eq!(rows[0]["human_accuracy"], 0.62);
        assert_eq!(rows[1]["target"], "B");
        assert!(rows[1].get("human_accuracy").is_none());
        // The output loads as an MC dataset.
        let samples = crate::dataset::DatasetSpec::new(&output)
            .load(dir.path())
            .expect("load");
        assert_eq!(samples[0].choices.as_ref().map(Vec::len), Some(4));

        std::fs::write(
            &input,
            "question,answer,A,B,C,D,Category,Human Accuracy\nq,5,a,b,c,d,Law,0.5\n",
        )
        .expect("write");
        let e = import_kmmlu(&input, &output)
            .expect_err("answer 5")
            .to_string();
        assert!(e.contains("Law-test.csv:2") && e.contains("answer"), "{e}");
        std::fs::write(&input, "question,answer,A,B,C\nq,1,a,b,c\n").expect("write");
        let e = import_kmmlu(&input, &output).expect_err("no D").to_string();
        assert!(e.contains("'D'") || e.contains("D"), "{e}");
    }
    use crate::dataset::DatasetSpec;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).expect("write fixture");
        p
    }

    #[test]
    fn primevul_rows_become_paired_vuln_detection_items() {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = write(
            dir.path(),
            "pv.jsonl",
            concat!(
                r#"{"idx": 10, "project": "openssl", "commit_id": "abc123", "target": 1, "cwe": ["CWE-787"], "func": "int parse(char *p) {\n  memcpy(buf, p, n);\n}"}"#,
                "\n",
                r#"{"idx": 11, "project": "openssl", "commit_id": "abc123", "target": 0, "cwe": ["CWE-787"], "func": "int parse(char *p) {\n  if (n > 8) return -1;\n  memcpy(buf, p, n);\n}"}"#,
                "\n",
                r#"{"idx": "12", "project": "curl", "commit_id": "ff00", "target": 1, "cwe": [], "func": "void lone(void) { }"}"#,
                "\n\n"
            ),
        );
        let out = dir.path().join("out/items.jsonl");
        let s = import_primevul(&input, &out, "c").expect("import");
        assert_eq!(s.rows, 3);
        assert_eq!(s.counts["pairs"], 1);
        assert_eq!(s.counts["vulnerable"], 2);
        let rows: Vec<Value> = std::fs::read_to_string(&out)
            .expect("read")
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        assert_eq!(rows[0]["id"], "pv-10");
        assert_eq!(rows[0]["pair_id"], rows[1]["pair_id"]);
        assert_eq!(rows[0]["vulnerable"], true);
        assert_eq!(rows[1]["vulnerable"], false);
        assert_eq!(rows[0]["cwe"], "CWE-787");
        assert_eq!(
            rows[2]["pair_id"], "pv-12",
            "an unpaired function is its own pair"
        );
        assert_eq!(rows[2]["cwe"], "");
        // The output loads as a dataset with the vuln-detection suite's field mapping.
        let mut spec = DatasetSpec::new(&out);
        spec.fields.input = "code".into();
        let samples = spec.load(dir.path()).expect("loads");
        assert_eq!(samples[1].metadata["pair_id"], rows[1]["pair_id"]);
    }

    #[test]
    fn primevul_bad_rows_name_file_line_and_field() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("o.jsonl");
        for (text, line, field) in [
            (
                "{\"idx\": 1, \"project\": \"p\", \"commit_id\": \"c\", \"target\": 2, \"func\": \"f()\"}\n",
                1,
                "target",
            ),
            (
                "{\"idx\": 1, \"project\": \"p\", \"commit_id\": \"c\", \"target\": 1, \"func\": \"f()\"}\n{\"idx\": 2, \"project\": \"p\", \"commit_id\": \"c\", \"target\": 1}\n",
                2,
                "func",
            ),
            (
                "{\"idx\": 1, \"project\": \"p\", \"commit_id\": \"c\", \"target\": 1, \"func\": \"f()\", \"cwe\": [7]}\n",
                1,
                "cwe",
            ),
            (
                "{\"idx\": 1, \"project\": \"p\", \"commit_id\": \"c\", \"target\": 1, \"func\": \"f()\"}\n{\"idx\": 1, \"project\": \"p\", \"commit_id\": \"c\", \"target\": 0, \"func\": \"g()\"}\n",
                2,
                "idx",
            ),
            ("not json\n", 1, "(row)"),
        ] {
            let input = write(dir.path(), "bad.jsonl", text);
            let e = import_primevul(&input, &out, "c")
                .expect_err("bad row")
                .to_string();
            assert!(
                e.contains(&format!("bad.jsonl:{line}")) && e.contains(&format!("'{field}'")),
                "{e}"
            );
        }
        assert!(!out.exists(), "a failed import writes nothing");
    }

    #[test]
    fn mcq_answers_as_letter_index_or_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = write(
            dir.path(),
            "mc.jsonl",
            concat!(
                r#"{"question": "2+2?", "choices": ["3", "4", "5"], "answer": "b", "subject": "math"}"#,
                "\n",
                r#"{"id": "q2", "question": "Capital of Korea?", "choices": ["Busan", "Seoul"], "answer": 1}"#,
                "\n",
                r#"{"question": "Colour of the sky?", "choices": ["green", "blue"], "answer": "blue"}"#,
                "\n"
            ),
        );
        let out = dir.path().join("mc-out.jsonl");
        let s = import_mcq(&input, &out).expect("import");
        assert_eq!(s.rows, 3);
        let samples = DatasetSpec::new(&out).load(dir.path()).expect("loads");
        assert_eq!(samples[0].id, "1");
        assert_eq!(samples[0].target, vec!["B".to_owned()]);
        assert_eq!(samples[0].metadata["subject"], "math");
        assert_eq!(samples[1].id, "q2");
        assert_eq!(samples[1].target, vec!["B".to_owned()]);
        assert_eq!(samples[2].target, vec!["B".to_owned()]);
        assert_eq!(samples[2].choices.as_ref().map(Vec::len), Some(2));
    }

    #[test]
    fn mcq_bad_rows_name_file_line_and_field() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("o.jsonl");
        let ok = r#"{"question": "q", "choices": ["a", "b"], "answer": "A"}"#;
        for (row, field) in [
            (r#"{"choices": ["a", "b"], "answer": "A"}"#, "question"),
            (
                r#"{"question": "q", "choices": ["a"], "answer": "A"}"#,
                "choices",
            ),
            (
                r#"{"question": "q", "choices": "a|b", "answer": "A"}"#,
                "choices",
            ),
            (
                r#"{"question": "q", "choices": ["a", "b"], "answer": 2}"#,
                "answer",
            ),
            (
                r#"{"question": "q", "choices": ["a", "b"], "answer": "C"}"#,
                "answer",
            ),
            (r#"{"question": "q", "choices": ["a", "b"]}"#, "answer"),
            (
                r#"{"question": "q", "choices": ["B", "A"], "answer": "A"}"#,
                "answer",
            ),
            (
                r#"{"question": "q", "choices": ["a", "b"], "answer": "A", "id": 1}"#,
                "id",
            ),
        ] {
            let input = write(
                dir.path(),
                "bad.jsonl",
                &format!("{}\n{row}\n", ok.replace("}", ", \"id\": 1}")),
            );
            let e = import_mcq(&input, &out).expect_err(row).to_string();
            assert!(
                e.contains("bad.jsonl:2") && e.contains(&format!("'{field}'")),
                "{row}: {e}"
            );
        }
    }

    #[test]
    fn import_is_an_eval_subcommand() {
        use clap::Parser as _;
        #[derive(clap::Parser)]
        struct Cli {
            #[command(subcommand)]
            cmd: crate::cli::EvalCommand,
        }
        let cli = Cli::try_parse_from([
            "haetae",
            "import",
            "primevul",
            "in.jsonl",
            "-o",
            "out.jsonl",
        ])
        .expect("parses");
        assert!(matches!(
            cli.cmd,
            crate::cli::EvalCommand::Import(ImportCommand::Primevul { ref language, .. }) if language == "c"
        ));
        let cli =
            Cli::try_parse_from(["haetae", "import", "mcq", "in.jsonl", "--output", "o.jsonl"])
                .expect("parses");
        assert!(matches!(
            cli.cmd,
            crate::cli::EvalCommand::Import(ImportCommand::Mcq { .. })
        ));
        assert!(
            Cli::try_parse_from(["haetae", "import", "mcq", "in.jsonl"]).is_err(),
            "-o is required"
        );
    }

    #[test]
    fn function_names_are_read_from_the_signature() {
        assert_eq!(
            function_name("static int\nparse_hdr(const char *p, size_t n)\n{ if (x) f(); }")
                .as_deref(),
            Some("parse_hdr")
        );
        assert_eq!(function_name("no parens here").as_deref(), None);
    }
}
