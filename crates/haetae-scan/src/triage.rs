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

use crate::output::{location, property_bag, rule_descriptor, sarif_log, write_file};
use crate::pipeline::TriageState;
use crate::{Result, ScanError};

/// The tool name in the triage's SARIF.
pub const TOOL: &str = "haetae-triage";

/// One rule match on one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageFinding {
    pub id: String,
    /// The log file, as given.
    pub source: String,
    /// 1-based line of the event.
    pub line: usize,
    /// `sigma`.
    pub engine: String,
    pub rule_id: Option<String>,
    pub rule_title: String,
    /// The rule's level (`informational`, `low`, `medium`, `high`, `critical`), empty when it has none.
    pub level: String,
    pub tags: Vec<String>,
    /// The fields (or `keyword`) that matched, with the event's values.
    pub matched: Vec<(String, Value)>,
    pub triage: TriageState,
}

/// The triage of one log file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TriageReport {
    pub source: String,
    pub engine: String,
    /// The rule files read and the number of detection rules they held.
    pub rule_files: Vec<String>,
    pub rules: usize,
    pub events: usize,
    /// Lines read as plain text (not JSON objects).
    pub plain_lines: usize,
    pub findings: Vec<TriageFinding>,
}

/// The `.yml` / `.yaml` files under `paths` (files as given, directories recursively, sorted).
fn rule_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
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
                    .filter(|f| f.extension().is_some_and(|x| x == "yml" || x == "yaml")),
            );
            out.extend(rule_files(&dirs)?);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// A Sigma engine holding every detection rule in `paths`. A file that does not parse, or a rule that does not
/// compile, is an error naming it: a triage silently missing a rule would report a clean log.
pub fn sigma_engine(paths: &[PathBuf]) -> Result<(Engine, Vec<String>, usize)> {
    let files = rule_files(paths)?;
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
    })
}

fn sarif_level(level: &str) -> sarif::ResultLevel {
    match level {
        "critical" | "high" => sarif::ResultLevel::Error,
        "medium" => sarif::ResultLevel::Warning,
        _ => sarif::ResultLevel::Note,
    }
}

/// The SARIF log of a triage: one rule per Sigma rule that matched, one result per finding, located at the
/// event's line in the log.
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
            sarif::Result::builder()
                .rule_id(key.as_str())
                .rule_index(rule_index)
                .level(sarif_level(&f.level))
                .message(
                    sarif::Message::builder()
                        .text(format!(
                            "{} (line {}; matched {})",
                            f.rule_title,
                            f.line,
                            fields.join(", ")
                        ))
                        .build(),
                )
                .locations(vec![location(&f.source, f.line, f.line)])
                .partial_fingerprints(fingerprints)
                .properties(property_bag([
                    ("findingId", json!(f.id)),
                    ("triage", json!(f.triage)),
                    ("engine", json!(f.engine)),
                    ("level", json!(f.level)),
                    ("tags", json!(f.tags)),
                    ("matched", json!(f.matched)),
                ]))
                .build()
        })
        .collect();
    let driver = sarif::ToolComponent::builder()
        .name(TOOL)
        .version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .properties(property_bag([
            ("engine", json!(report.engine)),
            ("events", json!(report.events)),
            ("rules", json!(report.rules)),
        ]))
        .build();
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

/// `haetae triage`: detection rules over logs, with findings in the scan's formats.
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
    }
}
