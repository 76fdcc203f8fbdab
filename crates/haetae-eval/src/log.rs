//! The run log: JSONL, one header line, one line per finished sample (epoch), a footer with metrics. Lines are
//! written and flushed as samples finish, so a killed run loses at most the samples in flight; resume reads the
//! log back, keeps the finished samples and runs only the rest. Format: `docs/eval-log-format.md`.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{EvalError, Result};
use crate::metrics::RunMetrics;
use crate::model::Usage;
use crate::scorer::Score;

pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Header {
    pub format_version: u32,
    pub run_id: String,
    /// RFC 3339, UTC.
    pub created: String,
    pub suite: String,
    pub suite_path: String,
    /// SHA-256 of the suite file and dataset file: resume refuses a log written for different content.
    pub suite_hash: String,
    pub model: String,
    pub grader: String,
    pub epochs: u32,
    /// Samples per epoch after filters and limits.
    pub samples: usize,
    pub harness_version: String,
    /// The parsed suite, for the record.
    pub spec: Value,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SampleRecord {
    pub sample_id: String,
    pub epoch: u32,
    pub input: Value,
    #[serde(default)]
    pub target: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<String>>,
    #[serde(default)]
    pub metadata: BTreeMap<String, Value>,
    /// The full conversation (OpenAI wire format), tool calls and results included.
    pub messages: Vec<Value>,
    /// Tool calls with their environment, limits hit, critiques, retries.
    #[serde(default)]
    pub events: Vec<Value>,
    pub output: String,
    #[serde(default)]
    pub scores: BTreeMap<String, Score>,
    #[serde(default)]
    pub usage: Usage,
    #[serde(default)]
    pub model_calls: u32,
    /// Final environment state (when the suite has environments).
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub environment: Value,
    pub started: String,
    pub duration_ms: u64,
    /// Set when the sample failed (model error, timeout): it has no scores and a resume runs it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Footer {
    /// `complete`, or `interrupted` (Ctrl-C / cancellation: resume with the same log).
    pub status: String,
    pub finished: String,
    pub samples_completed: usize,
    pub samples_errored: usize,
    pub samples_total: usize,
    pub metrics: RunMetrics,
    pub usage: Usage,
    pub requests: u64,
    pub cache_hits: u64,
    pub retries: u64,
    /// Wall time of this invocation (a resumed run counts only its own time).
    pub duration_s: f64,
    pub samples_per_second: f64,
    /// Samples this invocation found already done in the log.
    pub resumed_samples: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LogLine {
    Header(Box<Header>),
    Sample(Box<SampleRecord>),
    Footer(Box<Footer>),
}

/// A parsed log.
#[derive(Debug, Clone)]
pub struct RunLog {
    pub path: PathBuf,
    pub header: Header,
    pub samples: Vec<SampleRecord>,
    pub footer: Option<Footer>,
}

impl RunLog {
    /// Reads a log: a Haetae JSONL log, or an Inspect JSON or `.eval` log ([`crate::inspect_log`]), so compare,
    /// report and the release gate take runs of either harness. A truncated last line (a run killed mid-write) is ignored;
    /// any other bad line is an error.
    pub fn read(path: &Path) -> Result<RunLog> {
        let err = |m: String| EvalError::Log {
            path: path.to_owned(),
            message: m,
        };
        let bytes = std::fs::read(path)
            .map_err(|e| EvalError::io(format!("reading {}", path.display()), e))?;
        if crate::inspect_log::is_zip(&bytes) {
            return crate::inspect_log::from_inspect_eval(&bytes, path);
        }
        // An Inspect log is one JSON document with `version` and `eval`; a Haetae log is one object a line.
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
            && let Ok(v) = serde_json::from_slice::<Value>(&bytes)
            && crate::inspect_log::is_inspect_log(&v)
        {
            return crate::inspect_log::from_inspect_json(&v, path);
        }
        let lines: Vec<String> = bytes
            .as_slice()
            .lines()
            .collect::<std::io::Result<_>>()
            .map_err(|e| EvalError::io(format!("reading {}", path.display()), e))?;
        let mut header = None;
        let mut samples = Vec::new();
        let mut footer = None;
        let last = lines.len().saturating_sub(1);
        for (i, line) in lines.iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<LogLine>(line) {
                Ok(LogLine::Header(h)) if header.is_none() => header = Some(*h),
                Ok(LogLine::Header(_)) => {
                    return Err(err(format!("line {}: a second header", i + 1)));
                }
                Ok(LogLine::Sample(s)) => samples.push(*s),
                // A footer from an earlier, interrupted invocation is superseded by later lines.
                Ok(LogLine::Footer(f)) => footer = Some(*f),
                Err(_) if i == last => {
                    tracing::warn!(path = %path.display(), "ignoring a truncated last line")
                }
                Err(e) => return Err(err(format!("line {}: {e}", i + 1))),
            }
        }
        let header = header.ok_or_else(|| err("no header line".into()))?;
        if header.format_version > FORMAT_VERSION {
            return Err(err(format!(
                "format version {} is newer than this harness ({FORMAT_VERSION})",
                header.format_version
            )));
        }
        Ok(RunLog {
            path: path.to_owned(),
            header,
            samples,
            footer,
        })
    }

    /// The latest successful record per (sample, epoch).
    pub fn completed(&self) -> Vec<SampleRecord> {
        let mut seen = HashSet::new();
        let mut out: Vec<SampleRecord> = self
            .samples
            .iter()
            .rev()
            .filter(|s| s.error.is_none() && seen.insert((s.sample_id.clone(), s.epoch)))
            .cloned()
            .collect();
        out.reverse();
        out
    }
}

/// Appends lines, flushing each one: a line is on disk (in the page cache) before the next sample starts.
pub struct LogWriter {
    file: std::io::BufWriter<std::fs::File>,
    path: PathBuf,
}

impl LogWriter {
    /// Starts a new log (truncating) with this header.
    pub fn create(path: &Path, header: &Header) -> Result<LogWriter> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| EvalError::io(format!("creating {}", dir.display()), e))?;
        }
        let file = std::fs::File::create(path)
            .map_err(|e| EvalError::io(format!("creating {}", path.display()), e))?;
        let mut w = LogWriter {
            file: std::io::BufWriter::new(file),
            path: path.to_owned(),
        };
        w.write(&LogLine::Header(Box::new(header.clone())))?;
        Ok(w)
    }

    /// Rewrites a log to its header and completed samples (dropping old footers, failed samples and a torn last
    /// line) via a temporary file and a rename, then opens it for appending.
    pub fn resume(log: &RunLog) -> Result<LogWriter> {
        let tmp = log.path.with_extension("jsonl.resume-tmp");
        {
            let mut w = LogWriter::create(&tmp, &log.header)?;
            for s in log.completed() {
                w.write(&LogLine::Sample(Box::new(s)))?;
            }
            w.sync()?;
        }
        std::fs::rename(&tmp, &log.path)
            .map_err(|e| EvalError::io(format!("replacing {}", log.path.display()), e))?;
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(&log.path)
            .map_err(|e| EvalError::io(format!("opening {}", log.path.display()), e))?;
        Ok(LogWriter {
            file: std::io::BufWriter::new(file),
            path: log.path.clone(),
        })
    }

    pub fn write(&mut self, line: &LogLine) -> Result<()> {
        let io = |e| EvalError::io(format!("writing {}", self.path.display()), e);
        serde_json::to_writer(&mut self.file, line).map_err(|e| EvalError::Log {
            path: self.path.clone(),
            message: e.to_string(),
        })?;
        self.file.write_all(b"\n").map_err(io)?;
        self.file
            .flush()
            .map_err(|e| EvalError::io(format!("writing {}", self.path.display()), e))
    }

    /// fsync, for the footer: a finished run's log survives a power cut.
    pub fn sync(&mut self) -> Result<()> {
        self.file
            .flush()
            .map_err(|e| EvalError::io("flushing the log", e))?;
        self.file
            .get_ref()
            .sync_all()
            .map_err(|e| EvalError::io("syncing the log", e))
    }
}

pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
