//! `haetae triage log`: Sigma rules over a log file, with findings written in the scan's formats (`triage.json`,
//! SARIF 2.1.0) so that the same code-scanning and case tools take both.
//!
//! Rules are evaluated by `rsigma-eval` (the maintained Rust Sigma engine of the rsigma toolkit; rules parsed by
//! `rsigma-parser`). Each line of the log is one event: a JSON object is matched field by field (nested objects by
//! dotted names, as Sigma rules write them); any other line is a plain-text event that only keyword detections
//! match. A finding is one (line, rule) pair; its id is `HT-` and 12 hex digits of SHA-256 over the log's name,
//! the line and the rule, so re-running the triage on the same log gives the same ids.

use std::path::{Path, PathBuf};

use rsigma_eval::{Engine, JsonEvent, PlainEvent};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use serde_sarif::sarif;
use sha2::{Digest, Sha256};

use crate::output::{
    file_location, location, property_bag, rule_descriptor, sarif_log, write_file,
};
use crate::pipeline::TriageState;
use crate::{Result, ScanError};

/// The tool name in the triage's SARIF.
pub const TOOL: &str = "haetae-triage";

/// One rule match on one event (a log line) or on one file sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageFinding {
    pub id: String,
    /// The log file or the sample file, as given (a sample found in a directory: the directory joined with its
    /// relative path).
    pub source: String,
    /// 1-based line of the event. 0, and left out of the JSON, for a finding on a file sample: a byte offset is not
    /// a line, so `sample` locates those instead.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub line: usize,
    /// `sigma` or `yara`.
    pub engine: String,
    pub rule_id: Option<String>,
    pub rule_title: String,
    /// The rule's level (`informational`, `low`, `medium`, `high`, `critical`), empty when it has none.
    pub level: String,
    pub tags: Vec<String>,
    /// The fields (or `keyword`) that matched, with the event's values; for YARA, each string identifier that
    /// matched with its number of matches.
    pub matched: Vec<(String, Value)>,
    pub triage: TriageState,
    // The fields below are YARA's; absent from Sigma findings (and their JSON), so `triage log` output and older
    // triage.json files are unchanged.
    /// The rule's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The rule's metadata in the rule's order (YARA allows a key more than once).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metadata: Vec<(String, Value)>,
    /// The sample's digest and size, and where the rule's strings matched in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample: Option<SampleMatch>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A YARA rule's match on one sample file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleMatch {
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// Bytes.
    pub size: u64,
    /// The first string matches, at most [`crate::sample::MAX_RECORDED_MATCHES`] per rule.
    pub strings: Vec<StringMatch>,
    /// Every string match of the rule in the file, recorded or not.
    pub strings_total: usize,
}

/// One match of one rule string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StringMatch {
    /// The string's identifier, as `$name`.
    pub identifier: String,
    /// 0-based byte offset in the file.
    pub offset: u64,
    pub length: u64,
}

/// The triage of one log file, or of one sample file or directory of samples.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TriageReport {
    pub source: String,
    pub engine: String,
    /// The rule files read and the number of detection rules they held.
    pub rule_files: Vec<String>,
    pub rules: usize,
    /// Log lines read as events, or sample files scanned.
    pub events: usize,
    /// Lines read as plain text (not JSON objects); 0 for samples.
    pub plain_lines: usize,
    pub findings: Vec<TriageFinding>,
    /// For a sample triage: the walk's counts and every file that was not scanned, with why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<SampleSummary>,
}

/// What a sample triage looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleSummary {
    /// Files scanned (equals the report's `events`).
    pub scanned: usize,
    pub bytes_scanned: u64,
    /// The per-file size cap and scan timeout the run used.
    pub max_size: u64,
    pub timeout_secs: u64,
    /// Entries found and not scanned: a triage that quietly passed over a file would read as clean.
    pub skipped: Vec<SkippedSample>,
}

/// An entry of the sample walk that was not scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedSample {
    pub path: String,
    pub reason: SkipReason,
    /// Human-readable detail (the size and the cap, the I/O or scan error).
    pub detail: String,
}

/// Why a sample was not scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Larger than the size cap (`--max-size`).
    TooLarge,
    /// A symbolic link inside the directory walk (not followed: it may point outside the evidence).
    Symlink,
    /// A FIFO, socket or device: reading one could block or never end.
    NotRegular,
    /// Could not be opened or read (permissions, vanished during the walk).
    Unreadable,
    /// The scan ran past the per-file timeout (`--timeout`).
    Timeout,
    /// The engine refused the scan for another reason.
    ScanError,
}

/// The files with one of the extensions `exts` under `paths` (files as given, whatever their name; directories
/// recursively, sorted).
pub(crate) fn rule_files(paths: &[PathBuf], exts: &[&str]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| ScanError::io(format!("reading {}", p.display()), e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            let (dirs, files): (Vec<PathBuf>, Vec<PathBuf>) =
                entries.into_iter().partition(|e| e.is_dir());
            out.extend(
                files
                    .into_iter()
                    .filter(|f| f.extension().is_some_and(|x| exts.iter().any(|e| x == *e))),
            );
            out.extend(rule_files(&dirs, exts)?);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// A Sigma engine holding every detection rule in `paths`. A file that does not parse, or a rule that does not
/// compile, is an error naming it: a triage silently missing a rule would report a clean log.
pub fn sigma_engine(paths: &[PathBuf]) -> Result<(Engine, Vec<String>, usize)> {
    let files = rule_files(paths, &["yml", "yaml"])?;
    if files.is_empty() {
        return Err(ScanError::Config(
            "no Sigma rules (.yml/.yaml) in the given paths".into(),
        ));
    }
    let mut engine = Engine::new();
    let mut rules = 0;
    for f in &files {
        let text = std::fs::read_to_string(f)
            .map_err(|e| ScanError::io(format!("reading {}", f.display()), e))?;
        let collection = rsigma_parser::parse_sigma_yaml(&text)
            .map_err(|e| ScanError::Config(format!("{}: {e}", f.display())))?
            .into_result()
            .map_err(|errors| {
                ScanError::Config(format!("{}: {}", f.display(), errors.join("; ")))
            })?;
        rules += collection.rules.len();
        engine
            .add_collection(&collection)
            .map_err(|e| ScanError::Config(format!("{}: {e}", f.display())))?;
    }
    let names = files.iter().map(|f| f.display().to_string()).collect();
    Ok((engine, names, rules))
}

fn finding_id(source: &str, line: usize, rule: &str) -> String {
    let mut h = Sha256::new();
    h.update(source.as_bytes());
    h.update([0]);
    h.update(line.to_string().as_bytes());
    h.update([0]);
    h.update(rule.as_bytes());
    format!("HT-{}", &hex::encode(h.finalize())[..12])
}

/// Evaluates `engine` on each line of `log`; `source` names it in the findings.
pub fn triage_log(engine: &Engine, log: &str, source: &str) -> (Vec<TriageFinding>, usize, usize) {
    let mut findings: Vec<TriageFinding> = Vec::new();
    let (mut events, mut plain) = (0, 0);
    for (i, text) in log.lines().enumerate() {
        if text.trim().is_empty() {
            continue;
        }
        events += 1;
        let results = match serde_json::from_str::<Value>(text) {
            Ok(v @ Value::Object(_)) => engine.evaluate(&JsonEvent::borrow(&v)),
            _ => {
                plain += 1;
                engine.evaluate(&PlainEvent::new(text.to_owned()))
            }
        };
        for r in results {
            let Some(detection) = r.as_detection() else {
                continue;
            };
            let rule = r
                .header
                .rule_id
                .clone()
                .unwrap_or_else(|| r.header.rule_title.clone());
            let id = finding_id(source, i + 1, &rule);
            // One finding per (line, rule), whatever the number of selections that matched.
            if findings.iter().any(|f| f.id == id) {
                continue;
            }
            findings.push(TriageFinding {
                id,
                source: source.to_owned(),
                line: i + 1,
                engine: "sigma".into(),
                rule_id: r.header.rule_id.clone(),
                rule_title: r.header.rule_title.clone(),
                level: r
                    .header
                    .level
                    .as_ref()
                    .map(|l| l.as_str().to_owned())
                    .unwrap_or_default(),
                tags: r.header.tags.clone(),
                matched: detection
                    .matched_fields
                    .iter()
                    .map(|m| (m.field.clone(), m.value.clone()))
                    .collect(),
                triage: TriageState::New,
                namespace: None,
                metadata: Vec::new(),
                sample: None,
            });
        }
    }
    (findings, events, plain)
}

/// Triage of the log file at `log` with the Sigma rules under `rules`.
pub fn run_log(log: &Path, rules: &[PathBuf]) -> Result<TriageReport> {
    let (engine, rule_files, n_rules) = sigma_engine(rules)?;
    let text =
        std::fs::read(log).map_err(|e| ScanError::io(format!("reading {}", log.display()), e))?;
    // Logs are not always valid UTF-8; an invalid byte must not hide the rest of the line from the rules.
    let text = String::from_utf8_lossy(&text);
    let source = log.display().to_string();
    let (findings, events, plain_lines) = triage_log(&engine, &text, &source);
    Ok(TriageReport {
        source,
        engine: "sigma (rsigma-eval)".into(),
        rule_files,
        rules: n_rules,
        events,
        plain_lines,
        findings,
        samples: None,
    })
}

fn sarif_level(level: &str) -> sarif::ResultLevel {
    match level {
        "critical" | "high" => sarif::ResultLevel::Error,
        "medium" => sarif::ResultLevel::Warning,
        _ => sarif::ResultLevel::Note,
    }
}

/// The SARIF log of a triage: one rule per rule that matched, one result per finding, located at the event's line
/// in the log, or for a file sample at each recorded string match (byte offset and length; the file alone for a
/// rule that matched on its condition without strings).
pub fn sarif(report: &TriageReport) -> sarif::Sarif {
    let mut rule_keys: Vec<(String, &str)> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.rule_id.clone().unwrap_or_else(|| f.rule_title.clone()),
                f.rule_title.as_str(),
            )
        })
        .collect();
    rule_keys.sort();
    rule_keys.dedup();
    let rules: Vec<sarif::ReportingDescriptor> = rule_keys
        .iter()
        .map(|(id, title)| rule_descriptor(id, title))
        .collect();
    let results: Vec<sarif::Result> = report
        .findings
        .iter()
        .map(|f| {
            let key = f.rule_id.clone().unwrap_or_else(|| f.rule_title.clone());
            let rule_index = rule_keys.iter().position(|(k, _)| *k == key).unwrap_or(0) as i64;
            let fields: Vec<&str> = f.matched.iter().map(|(k, _)| k.as_str()).collect();
            let mut fingerprints = std::collections::BTreeMap::new();
            fingerprints.insert("haetae-triage/v1".to_owned(), f.id.clone());
            let mut properties = property_bag([
                ("findingId", json!(f.id)),
                ("triage", json!(f.triage)),
                ("engine", json!(f.engine)),
                ("level", json!(f.level)),
                ("tags", json!(f.tags)),
                ("matched", json!(f.matched)),
            ]);
            let (text, locations) = match &f.sample {
                None => (
                    format!(
                        "{} (line {}; matched {})",
                        f.rule_title,
                        f.line,
                        fields.join(", ")
                    ),
                    vec![location(&f.source, f.line, f.line)],
                ),
                Some(sample) => {
                    properties.additional_properties.extend([
                        ("namespace".to_owned(), json!(f.namespace)),
                        ("metadata".to_owned(), json!(f.metadata)),
                        ("sha256".to_owned(), json!(sample.sha256)),
                        ("size".to_owned(), json!(sample.size)),
                        ("strings".to_owned(), json!(sample.strings)),
                        ("stringsTotal".to_owned(), json!(sample.strings_total)),
                    ]);
                    let strings = if fields.is_empty() {
                        "on its condition, no strings".to_owned()
                    } else {
                        format!("strings {}", fields.join(", "))
                    };
                    let locations = if sample.strings.is_empty() {
                        vec![file_location(&f.source, None)]
                    } else {
                        sample
                            .strings
                            .iter()
                            .map(|m| file_location(&f.source, Some((m.offset, m.length))))
                            .collect()
                    };
                    (
                        format!(
                            "{} matched {} (sha256 {}; {strings})",
                            f.rule_title, f.source, sample.sha256
                        ),
                        locations,
                    )
                }
            };
            sarif::Result::builder()
                .rule_id(key.as_str())
                .rule_index(rule_index)
                .level(sarif_level(&f.level))
                .message(sarif::Message::builder().text(text).build())
                .locations(locations)
                .partial_fingerprints(fingerprints)
                .properties(properties)
                .build()
        })
        .collect();
    let driver = sarif::ToolComponent::builder()
        .name(TOOL)
        .version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    let mut run_properties = property_bag([
        ("engine", json!(report.engine)),
        ("events", json!(report.events)),
        ("rules", json!(report.rules)),
    ]);
    let mut run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .build();
    if let Some(samples) = &report.samples {
        run_properties.additional_properties.extend([
            ("samplesScanned".to_owned(), json!(samples.scanned)),
            ("samplesSkipped".to_owned(), json!(samples.skipped)),
        ]);
        // Each sample with a finding as an artifact with its SHA-256, so case tools can pivot on the hash.
        let mut artifacts: Vec<(&str, &SampleMatch)> = report
            .findings
            .iter()
            .filter_map(|f| f.sample.as_ref().map(|s| (f.source.as_str(), s)))
            .collect();
        artifacts.sort_by_key(|(path, _)| *path);
        artifacts.dedup_by_key(|(path, _)| *path);
        run.artifacts = Some(
            artifacts
                .into_iter()
                .map(|(path, s)| {
                    sarif::Artifact::builder()
                        .location(sarif::ArtifactLocation::builder().uri(path).build())
                        .length(s.size as i64)
                        .hashes(std::collections::BTreeMap::from([(
                            "sha-256".to_owned(),
                            s.sha256.clone(),
                        )]))
                        .build()
                })
                .collect(),
        );
    }
    run.properties = Some(run_properties);
    sarif_log(run)
}

/// Writes `triage.json` and `results.sarif` under `dir`.
pub fn write_all(report: &TriageReport, dir: &Path) -> Result<()> {
    write_file(dir, "triage.json", &serde_json::to_vec_pretty(report)?)?;
    write_file(
        dir,
        "results.sarif",
        &serde_json::to_vec_pretty(&sarif(report))?,
    )
}

/// `haetae triage`: detection rules over logs and file samples, with findings in the scan's formats.
#[derive(Debug, clap::Subcommand)]
pub enum TriageCommand {
    /// Sigma rules over a log file (one event a line: JSON objects, or plain text for keyword rules).
    Log {
        /// The log file.
        log: PathBuf,
        /// A Sigma rule file, or a directory of them (.yml/.yaml, recursively). Repeat for several.
        #[arg(long = "sigma", required = true, value_name = "PATH")]
        sigma: Vec<PathBuf>,
        /// Where triage.json and results.sarif go.
        #[arg(long, default_value = "haetae-triage-out")]
        out: PathBuf,
    },
    /// YARA rules over a file sample or a directory of samples (recursively, sorted, symbolic links not
    /// followed). Needs a build with the `yara` feature.
    Sample {
        /// The sample file, or a directory of samples.
        path: PathBuf,
        /// A YARA rule file, or a directory of them (.yar/.yara, recursively); all are compiled together. Repeat
        /// for several.
        #[arg(long = "yara", required = true, value_name = "PATH")]
        yara: Vec<PathBuf>,
        /// Where triage.json and results.sarif go.
        #[arg(long, default_value = "haetae-triage-out")]
        out: PathBuf,
        /// Files larger than this are skipped and listed in the report (bytes, or with K, M or G, 1024-based).
        #[arg(long = "max-size", default_value = "64M", value_parser = crate::sample::parse_size)]
        max_size: u64,
        /// Per-file scan timeout in seconds; a file that runs past it is skipped and listed in the report.
        #[arg(long, default_value_t = crate::sample::DEFAULT_TIMEOUT_SECS, value_name = "SECONDS")]
        timeout: u64,
    },
}

/// Runs a triage command; prints one line per finding.
pub fn run(cmd: TriageCommand) -> Result<()> {
    match cmd {
        TriageCommand::Log { log, sigma, out } => {
            let report = run_log(&log, &sigma)?;
            write_all(&report, &out)?;
            println!(
                "{} events ({} plain-text), {} Sigma rules, {} findings",
                report.events,
                report.plain_lines,
                report.rules,
                report.findings.len()
            );
            for f in &report.findings {
                println!(
                    "{} {}:{} [{}] {}",
                    f.id, f.source, f.line, f.level, f.rule_title
                );
            }
            println!("outputs in {}", out.display());
            Ok(())
        }
        TriageCommand::Sample {
            path,
            yara,
            out,
            max_size,
            timeout,
        } => {
            let opts = crate::sample::SampleOptions {
                max_size,
                timeout_secs: timeout,
            };
            let report = crate::sample::run_sample(&path, &yara, opts)?;
            write_all(&report, &out)?;
            let skipped = report
                .samples
                .as_ref()
                .map(|s| s.skipped.as_slice())
                .unwrap_or_default();
            println!(
                "{} files scanned, {} skipped, {} YARA rules, {} findings",
                report.events,
                skipped.len(),
                report.rules,
                report.findings.len()
            );
            for f in &report.findings {
                let (sha, strings) = f
                    .sample
                    .as_ref()
                    .map(|s| (s.sha256.as_str(), s.strings_total))
                    .unwrap_or_default();
                println!(
                    "{} {} [{}] {} (sha256 {sha}, {strings} string matches)",
                    f.id, f.source, f.level, f.rule_title
                );
            }
            for s in skipped {
                println!("skipped {}: {}", s.path, s.detail);
            }
            println!("outputs in {}", out.display());
            Ok(())
        }
    }
}
