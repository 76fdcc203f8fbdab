//! `haetae triage log`: Sigma rules (a JSON-field rule and a keyword rule) over a small mixed log written for the
//! test (documentation addresses, no real hosts), findings at the right lines, SARIF valid against the schema.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod schema;

use std::path::{Path, PathBuf};

use haetae_scan::triage::{TriageCommand, run, run_log, sarif};
use serde_json::Value;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/triage")
        .join(rel)
}

#[test]
fn sigma_rules_flag_the_matching_lines_and_nothing_else() {
    let report = run_log(&fixture("host.log"), &[fixture("rules")]).unwrap();
    assert_eq!(report.rules, 2, "both files, the nested directory too");
    assert_eq!((report.events, report.plain_lines), (6, 3));
    let hits: Vec<(usize, Option<&str>, &str)> = report
        .findings
        .iter()
        .map(|f| (f.line, f.rule_id.as_deref(), f.level.as_str()))
        .collect();
    // Line 5 has whoami in a notepad command line (not cmd.exe); line 7 is a failed password for another user.
    assert_eq!(
        hits,
        vec![
            (3, Some("0b7c2a8e-haetae-test-recon"), "medium"),
            (4, Some("5d1e9f40-haetae-test-ssh-root"), "high"),
        ]
    );
    let recon = &report.findings[0];
    assert!(
        recon
            .matched
            .iter()
            .any(|(field, value)| field == "process.command_line"
                && value.as_str() == Some("cmd /c whoami /all")),
        "{:?}",
        recon.matched
    );
    assert!(recon.tags.iter().any(|t| t == "attack.t1033"));
    assert!(recon.id.starts_with("HT-") && recon.id.len() == 15);

    // The same log and rules give the same ids.
    let again = run_log(&fixture("host.log"), &[fixture("rules")]).unwrap();
    let ids = |r: &haetae_scan::triage::TriageReport| {
        r.findings.iter().map(|f| f.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&report), ids(&again));

    let log = serde_json::to_value(sarif(&report)).unwrap();
    let errors = schema::validate_sarif(&log);
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["level"], "warning");
    assert_eq!(results[1]["level"], "error");
    assert_eq!(
        results[1]["locations"][0]["physicalLocation"]["region"]["startLine"],
        4
    );
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_rule_that_does_not_parse_is_an_error_naming_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.yml");
    std::fs::write(
        &bad,
        "title: broken\nlogsource:\n    product: linux\ndetection:\n    condition: selection\n",
    )
    .unwrap();
    let err = run_log(&fixture("host.log"), &[bad])
        .unwrap_err()
        .to_string();
    assert!(err.contains("broken.yml"), "{err}");
    let empty = tempfile::tempdir().unwrap();
    assert!(run_log(&fixture("host.log"), &[empty.path().to_owned()]).is_err());
}

#[test]
fn the_command_writes_the_report_and_sarif() {
    let out = tempfile::tempdir().unwrap();
    run(TriageCommand::Log {
        log: fixture("host.log"),
        sigma: vec![fixture("rules/recon.yml")],
        out: out.path().to_owned(),
    })
    .unwrap();
    let report: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("triage.json")).unwrap()).unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), 1);
    assert_eq!(report["findings"][0]["line"], 3);
    let log: Value =
        serde_json::from_slice(&std::fs::read(out.path().join("results.sarif")).unwrap()).unwrap();
    assert!(schema::validate_sarif(&log).is_empty());
}
