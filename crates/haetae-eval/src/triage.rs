//! Malware triage (suite `cyber-defense/malware-triage`): a dataset format that turns `tasks.jsonl` into samples
//! with the shown files in the prompt, and two scorers: `yara_detection` (the answer's YARA rule, compiled with
//! yara-x, matches every positive and no negative) and `triage_family` (the `FAMILY:` line names the task's
//! family).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::dataset::{Sample, bad, check_unique_ids};
use crate::error::{EvalError, Result};
use crate::patch::fence_for;
use crate::scorer::{Score, Scorer};
use crate::solver::{SolveContext, TaskState};

/// One line of `tasks.jsonl`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageTask {
    pub id: String,
    pub family: String,
    pub description: String,
    pub show: Vec<String>,
    pub positives: Vec<String>,
    pub negatives: Vec<String>,
    pub reference_rule: String,
}

/// Reads and checks `tasks.jsonl`: every named file must exist under the file's directory (and stay inside it).
pub fn read_tasks(path: &Path) -> Result<Vec<TriageTask>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| EvalError::io(format!("reading {}", path.display()), e))?;
    let root = path.parent().unwrap_or(Path::new("."));
    let mut tasks = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let lineno = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let task: TriageTask = serde_json::from_str(line)
            .map_err(|e| bad(path, lineno, "(row)", format!("invalid task: {e}")))?;
        for (field, list) in [
            ("show", &task.show),
            ("positives", &task.positives),
            ("negatives", &task.negatives),
        ] {
            for f in list {
                let ok = Path::new(f)
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)));
                if !ok || !root.join(f).is_file() {
                    return Err(bad(
                        path,
                        lineno,
                        field,
                        format!("'{f}' is not a file under {}", root.display()),
                    ));
                }
            }
        }
        if task.positives.is_empty() {
            return Err(bad(path, lineno, "positives", "empty"));
        }
        tasks.push(task);
    }
    Ok(tasks)
}

/// `tasks.jsonl` and every sample file it names (the suite's content hash).
pub fn task_files(path: &Path) -> Vec<PathBuf> {
    let root = path.parent().unwrap_or(Path::new(".")).to_owned();
    let mut out = vec![path.to_owned()];
    if let Ok(tasks) = read_tasks(path) {
        let mut names: Vec<&String> = tasks
            .iter()
            .flat_map(|t| t.show.iter().chain(&t.positives).chain(&t.negatives))
            .collect();
        names.sort();
        names.dedup();
        out.extend(names.into_iter().map(|n| root.join(n)));
    }
    out
}

/// The prompt: the task's description (it states the answer format and the family vocabulary), then each shown
/// file under its path (sample paths carry no label).
pub fn prompt(task: &TriageTask, root: &Path) -> Result<String> {
    let mut out = format!("{}\n\nThe collected files:\n", task.description);
    for f in &task.show {
        let p = root.join(f);
        let bytes =
            std::fs::read(&p).map_err(|e| EvalError::io(format!("reading {}", p.display()), e))?;
        let text = String::from_utf8_lossy(&bytes);
        let fence = fence_for(&text);
        let nl = if text.ends_with('\n') { "" } else { "\n" };
        out.push_str(&format!("\n{f}:\n{fence}text\n{text}{nl}{fence}\n"));
    }
    Ok(out)
}

/// One sample per task. Target: the family. Metadata: `family`, `root` (absolute directory the paths are
/// relative to), `show`, `positives`, `negatives`, `reference_rule` (never shown to the model; kept so the
/// suite's self-test can score it).
pub fn load_tasks(path: &Path) -> Result<Vec<Sample>> {
    let tasks = read_tasks(path)?;
    let root = std::fs::canonicalize(path.parent().unwrap_or(Path::new(".")))
        .map_err(|e| EvalError::io(format!("resolving {}", path.display()), e))?;
    let mut samples = Vec::new();
    for t in tasks {
        let input = prompt(&t, &root)?;
        let metadata = BTreeMap::from([
            ("family".to_owned(), json!(t.family)),
            (
                "root".to_owned(),
                json!(root.to_string_lossy().into_owned()),
            ),
            ("show".to_owned(), json!(t.show)),
            ("positives".to_owned(), json!(t.positives)),
            ("negatives".to_owned(), json!(t.negatives)),
            ("reference_rule".to_owned(), json!(t.reference_rule)),
        ]);
        samples.push(Sample {
            id: t.id,
            input: Value::String(input),
            target: vec![t.family],
            choices: None,
            metadata,
        });
    }
    check_unique_ids(path, &samples)?;
    Ok(samples)
}

/// The last `FAMILY: <slug>` line of an answer.
// Compiles only literal patterns (covered by this module's tests): `expect` cannot fail on input.
#[allow(clippy::expect_used)]
pub fn parse_family(answer: &str) -> Option<String> {
    use std::sync::OnceLock;
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"(?im)^\s*FAMILY:\s*([a-z0-9-]+)\s*$").expect("static regex")
    });
    re.captures_iter(answer).last().map(|c| c[1].to_owned())
}

/// The bodies of the ```` ```yara ```` blocks of an answer.
// Compiles only literal patterns (covered by this module's tests): `expect` cannot fail on input.
#[allow(clippy::expect_used)]
pub fn yara_blocks(answer: &str) -> Vec<String> {
    use std::sync::OnceLock;
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE
        .get_or_init(|| regex::Regex::new(r"(?si)```yara[ \t]*\n(.*?)```").expect("static regex"));
    re.captures_iter(answer).map(|c| c[1].to_owned()).collect()
}

/// `triage_family`: the `FAMILY:` slug equals the task's family (its target).
pub struct TriageFamily;

#[async_trait]
impl Scorer for TriageFamily {
    fn name(&self) -> &str {
        "triage_family"
    }
    async fn score(&self, state: &TaskState, _: &SolveContext) -> Result<Score> {
        let Some(answered) = parse_family(&state.output) else {
            return Ok(Score::bool(false, "").explained("no FAMILY: line"));
        };
        let ok = state.sample.target.contains(&answered);
        Ok(Score::bool(ok, answered))
    }
}

/// The detection result of one rule over a task's corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    pub compiles: bool,
    pub positives_matched: usize,
    pub positives: usize,
    pub negatives_matched: Vec<String>,
    pub missed: Vec<String>,
    pub error: Option<String>,
}

impl Detection {
    pub fn passed(&self) -> bool {
        self.compiles
            && self.error.is_none()
            && self.positives_matched == self.positives
            && self.negatives_matched.is_empty()
    }
}

/// Compiles one rule block and runs it over the positives and negatives (files relative to `root`). A file counts
/// as matched when any rule in the block matches it.
#[cfg(feature = "yara")]
pub fn detect(
    source: &str,
    root: &Path,
    positives: &[String],
    negatives: &[String],
) -> Result<Detection> {
    let mut d = Detection {
        compiles: false,
        positives_matched: 0,
        positives: positives.len(),
        negatives_matched: Vec::new(),
        missed: Vec::new(),
        error: None,
    };
    let rules = match yara_x::compile(source) {
        Ok(r) => r,
        Err(e) => {
            d.error = Some(format!("does not compile: {e}"));
            return Ok(d);
        }
    };
    d.compiles = true;
    let mut scanner = yara_x::Scanner::new(&rules);
    // A pathological rule must not hang the run; the corpus is a few kilobytes per file.
    scanner.set_timeout(std::time::Duration::from_secs(10));
    let mut hit = |rel: &str| -> Result<std::result::Result<bool, String>> {
        let p = root.join(rel);
        let data =
            std::fs::read(&p).map_err(|e| EvalError::io(format!("reading {}", p.display()), e))?;
        Ok(scanner
            .scan(&data)
            .map(|res| res.matching_rules().len() > 0)
            .map_err(|e| format!("scanning {rel} failed: {e}")))
    };
    // A rule that cannot be run over the corpus (a scan timeout) fails the task: it would not work on an estate.
    for p in positives {
        match hit(p)? {
            Ok(true) => d.positives_matched += 1,
            Ok(false) => d.missed.push(p.clone()),
            Err(e) => {
                d.error = Some(e);
                return Ok(d);
            }
        }
    }
    for n in negatives {
        match hit(n)? {
            Ok(true) => d.negatives_matched.push(n.clone()),
            Ok(false) => {}
            Err(e) => {
                d.error = Some(e);
                return Ok(d);
            }
        }
    }
    Ok(d)
}

/// `yara_detection`: exactly one ```` ```yara ```` block that compiles with yara-x, matches every positive and
/// none of the negatives. Needs the crate feature `yara` (on by default); without it the scorer cannot be built.
pub struct YaraDetection;

impl YaraDetection {
    pub fn from_params(_: &Value) -> Result<Self> {
        if cfg!(feature = "yara") {
            Ok(YaraDetection)
        } else {
            Err(EvalError::config(
                "yara_detection: this build has no YARA engine (build haetae-eval with the `yara` feature)",
            ))
        }
    }
}

fn string_list(sample: &Sample, key: &str) -> Result<Vec<String>> {
    sample
        .metadata
        .get(key)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .ok_or_else(|| EvalError::Scorer {
            scorer: "yara_detection".into(),
            message: format!(
                "sample '{}' has no metadata list '{key}' (use dataset format triage_tasks)",
                sample.id
            ),
        })
}

#[async_trait]
impl Scorer for YaraDetection {
    fn name(&self) -> &str {
        "yara_detection"
    }
    async fn score(&self, state: &TaskState, _: &SolveContext) -> Result<Score> {
        let blocks = yara_blocks(&state.output);
        if blocks.len() != 1 {
            return Ok(Score::bool(false, "").explained(format!(
                "expected exactly one ```yara block, found {}",
                blocks.len()
            )));
        }
        let s = &state.sample;
        let root = PathBuf::from(
            s.metadata
                .get("root")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        );
        let positives = string_list(s, "positives")?;
        let negatives = string_list(s, "negatives")?;
        let source = blocks.into_iter().next().unwrap_or_default();
        #[cfg(feature = "yara")]
        {
            // Compiling a rule set builds wasm code: keep it off the async executor.
            let d =
                tokio::task::spawn_blocking(move || detect(&source, &root, &positives, &negatives))
                    .await
                    .map_err(|e| EvalError::Scorer {
                        scorer: "yara_detection".into(),
                        message: format!("the YARA worker failed: {e}"),
                    })??;
            let answer = format!(
                "{}/{} positives, {} negatives matched",
                d.positives_matched,
                d.positives,
                d.negatives_matched.len()
            );
            let mut why = Vec::new();
            if let Some(e) = &d.error {
                why.push(e.clone());
            }
            if !d.missed.is_empty() {
                why.push(format!("missed: {}", d.missed.join(", ")));
            }
            if !d.negatives_matched.is_empty() {
                why.push(format!(
                    "false positives: {}",
                    d.negatives_matched.join(", ")
                ));
            }
            let score = Score::bool(d.passed(), answer);
            Ok(if why.is_empty() {
                score
            } else {
                score.explained(why.join("; "))
            })
        }
        #[cfg(not(feature = "yara"))]
        {
            let _ = (source, root, positives, negatives);
            Err(EvalError::config(
                "yara_detection: this build has no YARA engine",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_and_blocks_are_parsed() {
        let a = "FAMILY: benign\nthinking...\nFAMILY: php-webshell\n```yara\nrule a { condition: true }\n```\n";
        assert_eq!(parse_family(a).as_deref(), Some("php-webshell"));
        assert_eq!(yara_blocks(a).len(), 1);
        assert_eq!(parse_family("family is php"), None);
        assert_eq!(yara_blocks("```yara\na\n```\n```YARA\nb\n```").len(), 2);
    }
}
