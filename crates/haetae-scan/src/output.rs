//! Defenders' formats: SARIF 2.1.0 for code-scanning tools (verified findings only), OSV records for advisories,
//! and each verified patch as a git-format patch (`git am` applies it).

use std::path::Path;

use serde_json::{Value, json};
use serde_sarif::sarif;
use time::OffsetDateTime;
use time::format_description::well_known::{Rfc2822, Rfc3339};

use crate::pipeline::{Finding, ScanReport, Status};
use crate::{Result, ScanError};

/// The tool name in SARIF and patches.
pub const TOOL: &str = "haetae-scan";

/// The SARIF log of a scan: one run, one rule per CWE, one result per verified finding (unverified candidates are
/// not results; the run's properties count them by status).
pub fn sarif(report: &ScanReport) -> sarif::Sarif {
    let mut cwes: Vec<&str> = report.findings.iter().map(|f| f.cwe.as_str()).collect();
    cwes.sort_unstable();
    cwes.dedup();
    let rules: Vec<sarif::ReportingDescriptor> = cwes
        .iter()
        .map(|cwe| {
            let n = cwe.trim_start_matches("CWE-");
            let mut rule = rule_descriptor(cwe, cwe);
            rule.help_uri = Some(format!("https://cwe.mitre.org/data/definitions/{n}.html"));
            rule
        })
        .collect();
    let results: Vec<sarif::Result> = report
        .findings
        .iter()
        .map(|f| {
            let rule_index = cwes.iter().position(|c| *c == f.cwe).unwrap_or(0) as i64;
            let location = location(&f.file, f.start_line, f.end_line);
            let mut fingerprints = std::collections::BTreeMap::new();
            fingerprints.insert("haetae-scan/v1".to_owned(), f.id.clone());
            let props = property_bag([
                ("findingId", json!(f.id)),
                ("triage", json!(f.triage)),
                ("verified", json!(true)),
                ("unit", json!(f.unit)),
                ("patch", json!(format!("patches/{}.patch", f.id))),
            ]);
            sarif::Result::builder()
                .rule_id(f.cwe.as_str())
                .rule_index(rule_index)
                .level(sarif::ResultLevel::Error)
                .message(
                    sarif::Message::builder()
                        .text(format!("{}: {}", f.title, f.reasoning))
                        .build(),
                )
                .locations(vec![location])
                .partial_fingerprints(fingerprints)
                .properties(props)
                .build()
        })
        .collect();
    let mut counts = std::collections::BTreeMap::new();
    for c in &report.candidates {
        *counts.entry(status_name(c.status)).or_insert(0u64) += 1;
    }
    let run_props = property_bag([
        ("candidatesByStatus", json!(counts)),
        ("model", json!(report.model)),
        ("useCase", json!(report.use_case)),
    ]);
    let driver = sarif::ToolComponent::builder()
        .name(TOOL)
        .version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    let mut run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .properties(run_props)
        .build();
    if let Some(commit) = &report.repository.commit {
        run.version_control_provenance = Some(vec![
            sarif::VersionControlDetails::builder()
                .repository_uri(report.repository.source.as_str())
                .revision_id(commit.as_str())
                .build(),
        ]);
    }
    sarif_log(run)
}

/// A SARIF 2.1.0 log of one run.
pub(crate) fn sarif_log(run: sarif::Run) -> sarif::Sarif {
    sarif::Sarif::builder()
        .version(json!(sarif::Version::V2_1_0.to_string()))
        .schema(sarif::SCHEMA_URL)
        .runs(vec![run])
        .build()
}

/// A rule: its id, and its name as its short description too.
pub(crate) fn rule_descriptor(id: &str, name: &str) -> sarif::ReportingDescriptor {
    sarif::ReportingDescriptor::builder()
        .id(id)
        .name(name)
        .short_description(
            sarif::MultiformatMessageString::builder()
                .text(name)
                .build(),
        )
        .build()
}

/// A location in a file, lines 1-based.
pub(crate) fn location(uri: &str, start_line: usize, end_line: usize) -> sarif::Location {
    let region = sarif::Region::builder()
        .start_line(start_line as i64)
        .end_line(end_line as i64)
        .build();
    sarif::Location::builder()
        .physical_location(
            sarif::PhysicalLocation::builder()
                .artifact_location(sarif::ArtifactLocation::builder().uri(uri).build())
                .region(region)
                .build(),
        )
        .build()
}

/// A location in a file by bytes: `(offset, length)`, 0-based; the file alone without it.
pub(crate) fn file_location(uri: &str, bytes: Option<(u64, u64)>) -> sarif::Location {
    let artifact = sarif::ArtifactLocation::builder().uri(uri).build();
    let physical = match bytes {
        Some((offset, length)) => sarif::PhysicalLocation::builder()
            .artifact_location(artifact)
            .region(
                sarif::Region::builder()
                    .byte_offset(offset as i64)
                    .byte_length(length as i64)
                    .build(),
            )
            .build(),
        None => sarif::PhysicalLocation::builder()
            .artifact_location(artifact)
            .build(),
    };
    sarif::Location::builder()
        .physical_location(physical)
        .build()
}

/// A property bag from named values.
pub(crate) fn property_bag<const N: usize>(props: [(&str, Value); N]) -> sarif::PropertyBag {
    sarif::PropertyBag::builder()
        .additional_properties(
            props
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect::<std::collections::BTreeMap<_, _>>(),
        )
        .build()
}

/// Writes `bytes` to `dir/rel`, creating the directories on the way.
pub(crate) fn write_file(dir: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| ScanError::io(format!("creating {}", parent.display()), e))?;
    }
    std::fs::write(&path, bytes)
        .map_err(|e| ScanError::io(format!("writing {}", path.display()), e))
}

pub fn status_name(s: Status) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// One OSV record (schema 1.6) per verified finding. The affected range is the scanned revision of the git
/// repository; when the bug was introduced is not known, so `introduced` is `0`.
pub fn osv(report: &ScanReport, now: OffsetDateTime) -> Vec<Value> {
    let modified = now.format(&Rfc3339).unwrap_or_default();
    report
        .findings
        .iter()
        .map(|f| {
            let mut affected = json!({
                "database_specific": {
                    "file": f.file,
                    "start_line": f.start_line,
                    "end_line": f.end_line,
                    "unit": f.unit,
                }
            });
            if let Some(commit) = &report.repository.commit {
                affected["ranges"] = json!([{
                    "type": "GIT",
                    "repo": report.repository.source,
                    "events": [{"introduced": "0"}],
                }]);
                affected["versions"] = json!([commit]);
            }
            json!({
                "schema_version": "1.6.0",
                "id": format!("HAETAE-{}", f.id),
                "modified": modified,
                "summary": f.title,
                "details": format!(
                    "{}\n\nReproduced with a proof of vulnerability in a sandbox, patched, and verified: the \
                     patched project builds and its tests pass, the PoV no longer triggers on the patched code \
                     and still triggers on the unpatched code.",
                    f.reasoning
                ),
                "affected": [affected],
                "database_specific": {
                    "cwe_ids": [f.cwe],
                    "triage": f.triage,
                    "tool": TOOL,
                },
            })
        })
        .collect()
}

/// The verified patch as a git-format patch (what `git format-patch` writes; `git am` applies it).
pub fn git_patch(f: &Finding, base_commit: Option<&str>, now: OffsetDateTime) -> String {
    let date = now.format(&Rfc2822).unwrap_or_default();
    let base = base_commit.unwrap_or("0000000000000000000000000000000000000000");
    let title: String = f.title.chars().filter(|c| *c != '\n').collect();
    format!(
        "From {base} Mon Sep 17 00:00:00 2001\nFrom: {TOOL} <{TOOL}@localhost>\nDate: {date}\nSubject: [PATCH] \
         Fix {cwe} in {file}: {title}\n\n{reasoning}\n\nVerified by {TOOL} ({id}): the project builds and its tests \
         pass with this patch;\nthe proof of vulnerability triggers before it and not after.\n---\n{diff}-- \n{TOOL}\n",
        cwe = f.cwe,
        file = f.file,
        reasoning = f.reasoning.trim(),
        id = f.id,
        diff = f.patch,
    )
}

/// Writes `report.json`, `results.sarif`, `osv/<id>.json` and `patches/<id>.patch` under `dir`.
pub fn write_all(report: &ScanReport, dir: &Path) -> Result<()> {
    let now = OffsetDateTime::now_utc();
    let write = |rel: &str, bytes: &[u8]| write_file(dir, rel, bytes);
    write("report.json", &serde_json::to_vec_pretty(report)?)?;
    write("results.sarif", &serde_json::to_vec_pretty(&sarif(report))?)?;
    for (f, record) in report.findings.iter().zip(osv(report, now)) {
        write(
            &format!("osv/{}.json", f.id),
            &serde_json::to_vec_pretty(&record)?,
        )?;
        write(
            &format!("patches/{}.patch", f.id),
            git_patch(f, report.repository.commit.as_deref(), now).as_bytes(),
        )?;
    }
    Ok(())
}
