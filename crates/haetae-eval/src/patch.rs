//! Patch verification (suite `cyber-defense/patch-verification`): a dataset format that turns a directory of
//! tasks into samples with the program's files in the prompt, and the `patch_verify` scorer that writes the
//! model's files over the editable ones in a sandbox and runs the build, the regular tests and the
//! proof-of-vulnerability (PoV). A patch passes only if all three exit 0; the PoV exits 0 iff the program is
//! not vulnerable.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::dataset::{Sample, bad, check_unique_ids};
use crate::error::{EvalError, Result};
use crate::sandbox::{ExecResult, Sandbox, SandboxLimits};
use crate::scorer::{Score, Scorer};
use crate::solver::{SolveContext, TaskState, params};

/// `task.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchTask {
    pub id: String,
    pub language: String,
    pub cwe: String,
    pub title: String,
    pub description: String,
    pub editable: Vec<String>,
    pub build: String,
    pub pov: String,
    pub tests: String,
}

/// What the model never sees: the reference fixes.
const HIDDEN_DIRS: &[&str] = &["reference"];

impl PatchTask {
    pub fn load(dir: &Path) -> Result<PatchTask> {
        let path = dir.join("task.json");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| EvalError::io(format!("reading {}", path.display()), e))?;
        let task: PatchTask = serde_json::from_str(&text)
            .map_err(|e| bad(&path, e.line(), "(task)", format!("invalid task.json: {e}")))?;
        let dir_name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
        if dir_name.as_deref() != Some(task.id.as_str()) {
            return Err(bad(
                &path,
                1,
                "id",
                format!(
                    "'{}' does not match the directory name '{}'",
                    task.id,
                    dir_name.unwrap_or_default()
                ),
            ));
        }
        if task.editable.is_empty() {
            return Err(bad(&path, 1, "editable", "no editable files"));
        }
        for f in &task.editable {
            if !is_plain_name(f) {
                return Err(bad(
                    &path,
                    1,
                    "editable",
                    format!("'{f}' must be a relative path without '..'"),
                ));
            }
            if !dir.join(f).is_file() {
                return Err(bad(&path, 1, "editable", format!("no file '{f}'")));
            }
        }
        Ok(task)
    }
}

fn is_plain_name(f: &str) -> bool {
    let p = Path::new(f);
    !f.is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// The task directories under `root`, sorted by name.
fn task_dirs(root: &Path) -> Result<Vec<PathBuf>> {
    let rd = std::fs::read_dir(root)
        .map_err(|e| EvalError::io(format!("reading the task directory {}", root.display()), e))?;
    let mut dirs: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("task.json").is_file())
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// Every file of a task, relative to its directory, sorted; `reference/` and `task.json` left out.
fn shown_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let name = e.file_name();
            let r = rel.join(&name);
            let Ok(ty) = e.file_type() else { continue };
            if ty.is_dir() {
                if rel.as_os_str().is_empty() && HIDDEN_DIRS.iter().any(|h| name == *h) {
                    continue;
                }
                walk(&e.path(), &r, out);
            } else if ty.is_file() {
                // task.json is restated in the prompt's own words (title, description, editable files,
                // commands), without its `cwe`, which would give the answer away.
                if rel.as_os_str().is_empty() && name == "task.json" {
                    continue;
                }
                out.push(r);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, Path::new(""), &mut out);
    out.sort();
    out
}

/// All files under the task root (the suite's content hash).
pub fn task_files(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(root, &mut out);
    out.sort();
    out
}

/// A code fence longer than any run of backticks in `text`, so a file that itself holds a fence (Markdown)
/// cannot close its block early.
pub fn fence_for(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

/// The prompt for one task: what the program does, what may be edited, how it is checked, the answer format and
/// every file except the reference fixes. The CWE is not shown.
pub fn prompt(task: &PatchTask, dir: &Path) -> Result<String> {
    let mut files = shown_files(dir);
    // Editable files first: they are what the model has to read most closely.
    files.sort_by_key(|f| !task.editable.iter().any(|e| Path::new(e) == f.as_path()));
    let mut out = format!(
        "{}\n\n{}\n\nFiles you may edit: {}\n\n\
         The harness copies the task into a fresh directory, writes your files over the editable ones and runs, \
         in that directory: the build (`{}`), the regular tests (`{}`) and the proof-of-vulnerability test (`{}`, \
         exit status 0 means the program is not vulnerable). The patch passes only if all three succeed, so keep \
         the documented behaviour.\n\n\
         Reply with the full new contents of each file you change, each in a fenced code block whose info string \
         is `file=` followed by the file name, for example:\n\n```file={}\n<the whole new file>\n```\n\n\
         The task's files:\n",
        task.title,
        task.description,
        task.editable.join(", "),
        if task.build.is_empty() {
            "none"
        } else {
            &task.build
        },
        task.tests,
        task.pov,
        task.editable[0],
    );
    for f in files {
        let path = dir.join(&f);
        let name = f.to_string_lossy();
        match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => {
                    let fence = fence_for(&text);
                    let nl = if text.ends_with('\n') { "" } else { "\n" };
                    out.push_str(&format!("\n{fence}file={name}\n{text}{nl}{fence}\n"));
                }
                Err(e) => out.push_str(&format!(
                    "\n(file {name}: {} bytes of binary data, not shown)\n",
                    e.as_bytes().len()
                )),
            },
            Err(e) => return Err(EvalError::io(format!("reading {}", path.display()), e)),
        }
    }
    Ok(out)
}

/// One sample per task directory under `root`. Metadata: `task_dir` (absolute), `language`, `cwe`, `title`,
/// `editable`, `build`, `pov`, `tests`.
pub fn load_tasks(root: &Path) -> Result<Vec<Sample>> {
    let abs_root = std::fs::canonicalize(root)
        .map_err(|e| EvalError::io(format!("resolving {}", root.display()), e))?;
    let mut samples = Vec::new();
    for dir in task_dirs(&abs_root)? {
        let task = PatchTask::load(&dir)?;
        let input = prompt(&task, &dir)?;
        let metadata = BTreeMap::from([
            (
                "task_dir".to_owned(),
                json!(dir.to_string_lossy().into_owned()),
            ),
            ("language".to_owned(), json!(task.language)),
            ("cwe".to_owned(), json!(task.cwe)),
            ("title".to_owned(), json!(task.title)),
            ("editable".to_owned(), json!(task.editable)),
            ("build".to_owned(), json!(task.build)),
            ("pov".to_owned(), json!(task.pov)),
            ("tests".to_owned(), json!(task.tests)),
        ]);
        samples.push(Sample {
            id: task.id,
            input: Value::String(input),
            target: Vec::new(),
            choices: None,
            metadata,
        });
    }
    if samples.is_empty() {
        return Err(bad(
            root,
            0,
            "(dir)",
            "no task directories (with task.json)",
        ));
    }
    check_unique_ids(root, &samples)?;
    Ok(samples)
}

/// A file block in a model reply: ```` ```file=<name> ```` … ```` ``` ````. The opening fence may be longer
/// than three backticks (or use tildes); the closing fence must use the same character, be at least as long,
/// and stand alone on its line.
#[derive(Debug, Clone, PartialEq)]
pub struct FileBlock {
    pub name: String,
    pub contents: String,
}

// Compiles only literal patterns (covered by this module's tests): `expect` cannot fail on input.
#[allow(clippy::expect_used)]
pub fn parse_file_blocks(reply: &str) -> Vec<FileBlock> {
    use std::sync::OnceLock;
    static OPEN: OnceLock<regex::Regex> = OnceLock::new();
    let open = OPEN.get_or_init(|| {
        regex::Regex::new(r"^[ \t]*(`{3,}|~{3,})[ \t]*(?:[A-Za-z0-9_+-]+[ \t]+)?file=(\S+)[ \t]*$")
            .expect("static regex")
    });
    let lines: Vec<&str> = reply.split_inclusive('\n').collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end_matches(['\n', '\r']);
        if let Some(c) = open.captures(line) {
            let fence = &c[1];
            let (ch, len) = (fence.chars().next().unwrap_or('`'), fence.len());
            let name = c[2].trim_matches(['"', '\'', '`']).to_owned();
            let mut body = String::new();
            let mut j = i + 1;
            let mut closed = false;
            while j < lines.len() {
                let t = lines[j].trim_end_matches(['\n', '\r']).trim();
                if t.len() >= len && t.chars().all(|x| x == ch) {
                    closed = true;
                    break;
                }
                body.push_str(lines[j]);
                j += 1;
            }
            // An unclosed block (the reply was cut off at max_tokens) is not a file: applying half a file would
            // only turn "PoV still fails" into "build failed".
            if closed {
                if !body.ends_with('\n') {
                    body.push('\n');
                }
                blocks.push(FileBlock {
                    name,
                    contents: body,
                });
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    blocks
}

/// The outcome of verifying one patch.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchOutcome {
    pub applied: Vec<String>,
    pub ignored: Vec<String>,
    pub build: Option<ExecResult>,
    pub tests: Option<ExecResult>,
    pub pov: Option<ExecResult>,
}

impl PatchOutcome {
    fn ok(r: &Option<ExecResult>) -> bool {
        r.as_ref().is_none_or(ExecResult::success)
    }
    pub fn passed(&self) -> bool {
        self.build.as_ref().is_none_or(ExecResult::success)
            && self.tests.as_ref().is_some_and(ExecResult::success)
            && self.pov.as_ref().is_some_and(ExecResult::success)
    }
    /// `pass`, or the failures joined by `+`: `build_failed`, `tests_failed`, `pov_failed`.
    pub fn verdict(&self) -> String {
        if self.passed() {
            return "pass".into();
        }
        if !Self::ok(&self.build) {
            return "build_failed".into();
        }
        let mut v = Vec::new();
        if !self.tests.as_ref().is_some_and(ExecResult::success) {
            v.push("tests_failed");
        }
        if !self.pov.as_ref().is_some_and(ExecResult::success) {
            v.push("pov_failed");
        }
        v.join("+")
    }
    pub fn explain(&self) -> String {
        let tail = |s: &str| crate::sandbox::tail(s, 600).to_owned();
        let step = |name: &str, r: &Option<ExecResult>| match r {
            None => format!("{name}: not run"),
            Some(r) => {
                let status = r.ending();
                if r.success() {
                    format!("{name}: {status}")
                } else {
                    format!(
                        "{name}: {status}\n{}{}",
                        tail(&r.stdout),
                        if r.stderr.is_empty() {
                            String::new()
                        } else {
                            format!("\n[stderr] {}", tail(&r.stderr))
                        }
                    )
                }
            }
        };
        let mut s = format!(
            "applied: [{}]; ignored blocks: [{}]\n",
            self.applied.join(", "),
            self.ignored.join(", ")
        );
        s.push_str(&step("build", &self.build));
        s.push('\n');
        s.push_str(&step("tests", &self.tests));
        s.push('\n');
        s.push_str(&step("pov", &self.pov));
        s
    }
}

/// The limits the task suite was validated under: 10 s of CPU and 512 MiB of address space per process, a 60 s
/// wall clock per command.
pub fn default_patch_limits() -> SandboxLimits {
    SandboxLimits {
        cpu_seconds: 10,
        memory_bytes: 512 << 20,
        file_size_bytes: 64 << 20,
        max_processes: 64,
        wall_seconds: 60.0,
        output_bytes: 16 << 10,
        require_no_network: false,
    }
}

/// Copies the task (without `reference/`) into a fresh sandbox, applies the reply's blocks for editable files,
/// and runs build, tests and PoV.
pub async fn verify_patch(
    task_dir: &Path,
    editable: &[String],
    build: &str,
    tests: &str,
    pov: &str,
    reply: &str,
    limits: &SandboxLimits,
) -> Result<PatchOutcome> {
    let sandbox = Sandbox::new(limits.clone())?;
    sandbox.copy_in(task_dir, HIDDEN_DIRS)?;
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut ignored = Vec::new();
    for b in parse_file_blocks(reply) {
        if editable.contains(&b.name) {
            // The last block for a file wins.
            files.insert(b.name, b.contents);
        } else {
            ignored.push(b.name);
        }
    }
    for (name, contents) in &files {
        sandbox.write_file(Path::new(name), contents.as_bytes())?;
    }
    let mut outcome = PatchOutcome {
        applied: files.into_keys().collect(),
        ignored,
        build: None,
        tests: None,
        pov: None,
    };
    if !build.trim().is_empty() {
        let r = sandbox.exec(build).await?;
        let ok = r.success();
        outcome.build = Some(r);
        if !ok {
            return Ok(outcome);
        }
    }
    outcome.tests = Some(sandbox.exec(tests).await?);
    outcome.pov = Some(sandbox.exec(pov).await?);
    Ok(outcome)
}

/// The `patch_verify` scorer. Params: `limits` (sandbox limits, defaults above). Reads the task from the
/// sample's metadata (`task_dir`, `editable`, `build`, `tests`, `pov`), as the `patch_tasks` dataset format
/// writes it. The score's answer is [`PatchOutcome::verdict`], so failure reasons can be counted from the log.
pub struct PatchVerify {
    limits: SandboxLimits,
}

impl PatchVerify {
    pub fn from_params(v: &Value) -> Result<Self> {
        #[derive(Deserialize, Default)]
        #[serde(deny_unknown_fields)]
        struct P {
            limits: Option<SandboxLimits>,
        }
        let p: P = params("patch_verify", v)?;
        Ok(PatchVerify {
            limits: p.limits.unwrap_or_else(default_patch_limits),
        })
    }
}

fn meta_str<'a>(sample: &'a Sample, key: &str, scorer: &str) -> Result<&'a str> {
    sample
        .metadata
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| EvalError::Scorer {
            scorer: scorer.into(),
            message: format!(
                "sample '{}' has no string metadata '{key}' (use dataset format patch_tasks)",
                sample.id
            ),
        })
}

#[async_trait]
impl Scorer for PatchVerify {
    fn name(&self) -> &str {
        "patch_verify"
    }
    async fn score(&self, state: &TaskState, _: &SolveContext) -> Result<Score> {
        let s = &state.sample;
        let task_dir = PathBuf::from(meta_str(s, "task_dir", "patch_verify")?);
        let editable: Vec<String> = s
            .metadata
            .get("editable")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .ok_or_else(|| EvalError::Scorer {
                scorer: "patch_verify".into(),
                message: format!("sample '{}' has no metadata 'editable' list", s.id),
            })?;
        let outcome = verify_patch(
            &task_dir,
            &editable,
            meta_str(s, "build", "patch_verify")?,
            meta_str(s, "tests", "patch_verify")?,
            meta_str(s, "pov", "patch_verify")?,
            &state.output,
            &self.limits,
        )
        .await?;
        Ok(Score::bool(outcome.passed(), outcome.verdict()).explained(outcome.explain()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_blocks_are_parsed_with_long_fences_and_the_last_wins() {
        let reply = "Here is the fix.\n```file=a.c\nint x;\n```\ntext\n````file=b.md\n```\ninner\n```\n````\n```c file=a.c\nint y;\n```\n```file=cut.c\nhalf";
        let b = parse_file_blocks(reply);
        assert_eq!(
            b,
            vec![
                FileBlock {
                    name: "a.c".into(),
                    contents: "int x;\n".into()
                },
                FileBlock {
                    name: "b.md".into(),
                    contents: "```\ninner\n```\n".into()
                },
                FileBlock {
                    name: "a.c".into(),
                    contents: "int y;\n".into()
                },
            ],
            "the unclosed block is dropped"
        );
        assert!(parse_file_blocks("```python\nprint(1)\n```").is_empty());
    }

    #[test]
    fn fences_outgrow_the_content() {
        assert_eq!(fence_for("plain"), "```");
        assert_eq!(fence_for("a ``` b"), "````");
    }
}
