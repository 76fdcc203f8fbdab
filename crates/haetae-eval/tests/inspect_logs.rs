//! Inspect's log format both ways (issue 16): a Haetae run written as an Inspect log, JSON or `.eval` archive (read
//! back by Haetae, and by Inspect's own `read_eval_log` when `inspect_ai` is importable), and logs Inspect itself
//! wrote (`tests/fixtures/inspect/parity_mc.json`, made by `suites/parity/make_inspect_log.py`, and
//! `parity_mc.eval`, made by the same script with `--eval`, both with Inspect's offline mockllm
//! model) read into compare, the HTML report and the release gate beside a Haetae run of the same items.
//!
//! Without `inspect_ai` the Inspect side says so loudly and is skipped, except under `CI=true`, where it fails.

// Test helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Parser;
use haetae_eval::log::RunLog;
use haetae_eval::model::Model;
use haetae_eval::report::{ReportRun, compare_table, html};
use haetae_eval::{Registry, RunOptions, Suite, run_suite};
use haetae_models::scripted::ScriptedReply;
use haetae_models::{Backend, ScriptedBackend};

#[derive(clap::Parser)]
struct Cli {
    #[command(subcommand)]
    eval: haetae_eval::cli::EvalCommand,
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inspect/parity_mc.json")
}

fn mean(log: &RunLog, scorer: &str) -> f64 {
    ReportRun::from_log(log.clone()).metrics[scorer]
        .overall
        .mean
}

fn python_has_inspect() -> bool {
    std::process::Command::new("python3")
        .args(["-c", "import inspect_ai"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether the Inspect side of a test can run; under `CI=true` its absence fails the test instead of skipping.
fn inspect_side(test: &str) -> bool {
    if python_has_inspect() {
        return true;
    }
    let why = "python3 cannot import inspect_ai (python3 -m pip install inspect-ai)";
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: {why}; the Inspect side must run under CI");
    }
    eprintln!("SKIPPED the Inspect side of {test}: {why}");
    false
}

/// Runs the arithmetic example suite through the CLI with a scripted model, with `--log-format <format>`.
async fn cli_run(dir: &Path, format: &str) -> PathBuf {
    let script = dir.join("script.yaml");
    std::fs::write(&script, "fallback: 'ANSWER: B'\n").expect("script");
    let log = dir.join("run.jsonl");
    let suite =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../suites/examples/arithmetic-mc.yaml");
    let model = format!("scripted:{}", script.display());
    let args = [
        "eval",
        "run",
        suite.to_str().unwrap_or_default(),
        "--model",
        &model,
        "--log",
        log.to_str().unwrap_or_default(),
        "--no-progress",
        "--overwrite",
        "--log-format",
        format,
    ];
    haetae_eval::cli::run_cli(Cli::parse_from(args).eval)
        .await
        .expect("cli run");
    log
}

fn assert_same_run(back: &RunLog, haetae: &RunLog) {
    assert_eq!(back.samples.len(), haetae.samples.len());
    assert_eq!(back.header.suite, haetae.header.suite);
    assert_eq!(back.footer.as_ref().expect("footer").status, "complete");
    assert!((mean(back, "choice") - mean(haetae, "choice")).abs() < 1e-12);
    for s in &haetae.samples {
        let b = back
            .samples
            .iter()
            .find(|b| b.sample_id == s.sample_id)
            .expect("same sample");
        assert_eq!(b.output, s.output);
        assert_eq!(b.input, s.input);
        assert_eq!(b.scores["choice"].value, s.scores["choice"].value);
        assert_eq!(b.scores["choice"].answer, s.scores["choice"].answer);
    }
}

/// `haetae eval export-inspect LOG -o OUT` (the extension picks the format).
async fn export(log: &Path, out: &Path) {
    let args = [
        "eval",
        "export-inspect",
        log.to_str().unwrap_or_default(),
        "-o",
        out.to_str().unwrap_or_default(),
    ];
    haetae_eval::cli::run_cli(Cli::parse_from(args).eval)
        .await
        .expect("export");
}

/// Inspect's own reader, its header-only read (what `inspect view` lists) and its sample summaries on `path`
/// agree with the Haetae run.
fn inspect_reads(path: &Path, haetae: &RunLog) {
    let script = r#"
import sys
from inspect_ai.log import read_eval_log, read_eval_log_sample_summaries
log = read_eval_log(sys.argv[1])
head = read_eval_log(sys.argv[1], header_only=True)
summaries = read_eval_log_sample_summaries(sys.argv[1])
acc = log.results.scores[0].metrics["mean"].value
vals = sum(float(s.scores["choice"].value) for s in log.samples)
print(log.status, head.status, len(log.samples), len(summaries), log.eval.task, f"{acc:.6f}", f"{vals:.1f}")
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "read_eval_log failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let n = haetae.samples.len();
    let want = format!(
        "success success {n} {n} {} {:.6} {:.1}",
        haetae.header.suite,
        mean(haetae, "choice"),
        haetae
            .samples
            .iter()
            .map(|s| s.scores["choice"].value)
            .sum::<f64>()
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), want);
}

#[tokio::test]
async fn a_haetae_run_written_as_an_inspect_log_reads_back_in_both_harnesses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = cli_run(dir.path(), "inspect").await;
    let inspect_path = haetae_eval::cli::inspect_log_path(&log);
    assert!(inspect_path.exists(), "{} written", inspect_path.display());
    // The export command writes the same document.
    let exported = dir.path().join("exported.json");
    export(&log, &exported).await;

    let haetae = RunLog::read(&log).expect("haetae log");
    for path in [&inspect_path, &exported] {
        let back = RunLog::read(path).expect("the Inspect log reads as a run log");
        assert_same_run(&back, &haetae);
    }
    if !inspect_side("a_haetae_run_written_as_an_inspect_log_reads_back_in_both_harnesses") {
        return;
    }
    inspect_reads(&inspect_path, &haetae);
}

#[tokio::test]
async fn a_log_inspect_wrote_compares_with_a_haetae_run_of_the_same_items() {
    let inspect = RunLog::read(&fixture()).expect("Inspect's own log reads as a run log");
    assert_eq!(inspect.header.suite, "parity_mc");
    assert_eq!(inspect.header.model, "mockllm/model");
    assert!(inspect.header.harness_version.starts_with("inspect_ai "));
    assert_eq!(inspect.samples.len(), 3);
    let by_id = |log: &RunLog, id: &str| {
        let s = log
            .samples
            .iter()
            .find(|s| s.sample_id == id)
            .expect("sample");
        (s.scores["choice"].value, s.scores["choice"].answer.clone())
    };
    assert_eq!(by_id(&inspect, "q1"), (1.0, Some("B".into())));
    assert_eq!(by_id(&inspect, "q2"), (0.0, Some(String::new())));
    assert!((mean(&inspect, "choice") - 1.0 / 3.0).abs() < 1e-12);

    // The same three items and the same three completions through Haetae (its defaults are Inspect's).
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("data.jsonl"),
        concat!(
            "{\"id\": \"q1\", \"input\": \"Which HTTP status means 'unauthorized'?\", \"choices\": [\"200\", \"401\", \"403\", \"404\"], \"target\": \"B\"}\n",
            "{\"id\": \"q2\", \"input\": \"2 + 2 = ?\", \"choices\": [\"3\", \"4\", \"5\"], \"target\": \"B\"}\n",
            "{\"id\": \"q3\", \"input\": \"Capital of Korea?\", \"choices\": [\"Busan\", \"Seoul\"], \"target\": \"B\"}\n",
        ),
    )
    .expect("data");
    let suite_path = dir.path().join("parity_mc.yaml");
    std::fs::write(
        &suite_path,
        "name: parity_mc\ndataset: { path: data.jsonl }\nsolvers: [multiple_choice]\nscorers: [choice]\nlimits: { max_samples: 1 }\n",
    )
    .expect("suite");
    let replies = ["ANSWER: B", "A) 3\nB) 4", "ANSWER: A"]
        .map(|t| ScriptedReply::Text(t.into()))
        .to_vec();
    let backend = Arc::new(ScriptedBackend::new("m", replies));
    let model = Arc::new(Model::new(
        backend as Arc<dyn Backend>,
        "m",
        "scripted:test",
    ));
    let log_path = dir.path().join("haetae.jsonl");
    let mut opts = RunOptions::new(&log_path);
    opts.overwrite = true;
    let suite = Suite::load(&suite_path).expect("suite");
    run_suite(&suite, &Registry::builtin(), model, None, opts)
        .await
        .expect("run");
    let haetae = RunLog::read(&log_path).expect("haetae log");
    for id in ["q1", "q2", "q3"] {
        assert_eq!(by_id(&haetae, id), by_id(&inspect, id), "{id}");
    }

    let runs = vec![
        ReportRun::from_log(haetae.clone()),
        ReportRun::from_log(inspect.clone()),
    ];
    let table = compare_table(&runs);
    assert!(
        table.contains("mockllm/model") && table.matches("0.333").count() >= 2,
        "{table}"
    );
    let page = html(&runs);
    assert!(page.contains("parity_mc") && page.contains("mockllm/model"));

    // The release gate reads Inspect logs too (RunLog::read is what `haetae eval release` uses).
    assert!(haetae_eval::release::log_is_for(&inspect, "mockllm/model"));
}

#[tokio::test]
async fn a_haetae_run_written_as_an_eval_archive_reads_back_in_both_harnesses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = cli_run(dir.path(), "inspect-eval").await;
    let archive = haetae_eval::cli::inspect_eval_log_path(&log);
    assert!(archive.exists(), "{} written", archive.display());
    let bytes = std::fs::read(&archive).expect("read archive");
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip archive");

    // `export-inspect` picks the archive from the extension and writes the same members.
    let exported = dir.path().join("exported.eval");
    export(&log, &exported).await;

    let haetae = RunLog::read(&log).expect("haetae log");
    for path in [&archive, &exported] {
        let back = RunLog::read(path).expect("the .eval archive reads as a run log");
        assert_same_run(&back, &haetae);
        // The scripted model's label has a `/`, so it stands as Inspect's `provider/model` unchanged.
        assert_eq!(back.header.model, haetae.header.model);
    }
    // Compare and the report take the archive beside the JSONL log.
    let runs = vec![
        ReportRun::from_log(haetae.clone()),
        ReportRun::from_log(RunLog::read(&archive).expect("archive")),
    ];
    assert!(
        compare_table(&runs)
            .matches("arithmetic-mc · scripted:")
            .count()
            >= 2
    );
    assert!(html(&runs).matches("arithmetic-mc").count() >= 2);

    if !inspect_side("a_haetae_run_written_as_an_eval_archive_reads_back_in_both_harnesses") {
        return;
    }
    inspect_reads(&archive, &haetae);
}

/// The scores of one log, by sample id: (value, extracted answer).
fn scores(log: &RunLog) -> Vec<(String, f64, Option<String>)> {
    let mut v: Vec<_> = log
        .samples
        .iter()
        .map(|s| {
            (
                s.sample_id.clone(),
                s.scores["choice"].value,
                s.scores["choice"].answer.clone(),
            )
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

fn check_inspect_archive(path: &Path) {
    let archive = RunLog::read(path).expect("Inspect's .eval archive reads as a run log");
    let json = RunLog::read(&fixture()).expect("Inspect's JSON log");
    assert_eq!(archive.header.suite, "parity_mc");
    assert_eq!(archive.header.model, "mockllm/model");
    assert!(archive.header.harness_version.starts_with("inspect_ai "));
    assert_eq!(archive.footer.as_ref().expect("footer").status, "complete");
    // The same run written both ways by Inspect reads the same (zstd members decoded, attachments resolved).
    assert_eq!(scores(&archive), scores(&json));
    assert_eq!(
        scores(&archive).iter().map(|s| s.1).collect::<Vec<_>>(),
        [1.0, 0.0, 0.0]
    );
    for s in &archive.samples {
        assert!(!s.output.is_empty(), "{}: completion read", s.sample_id);
        assert!(
            s.messages.iter().all(|m| !m["content"]
                .as_str()
                .unwrap_or_default()
                .starts_with("attachment://")),
            "{}: attachments resolved",
            s.sample_id
        );
    }
    assert!((mean(&archive, "choice") - 1.0 / 3.0).abs() < 1e-12);
    assert!(haetae_eval::release::log_is_for(&archive, "mockllm/model"));
    let runs = vec![ReportRun::from_log(archive), ReportRun::from_log(json)];
    assert!(compare_table(&runs).matches("0.333").count() >= 2);
}

#[test]
fn an_eval_archive_inspect_wrote_reads_like_its_json_log() {
    let stored =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inspect/parity_mc.eval");
    check_inspect_archive(&stored);

    // And one the installed Inspect writes now, so a change of its archive layout shows here.
    if !inspect_side("an_eval_archive_inspect_wrote_reads_like_its_json_log") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let fresh = dir.path().join("fresh.eval");
    let status = std::process::Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../suites/parity/make_inspect_log.py"))
        .arg("--eval")
        .arg(&fresh)
        .status()
        .expect("python3");
    assert!(status.success(), "make_inspect_log.py --eval failed");
    check_inspect_archive(&fresh);
}

#[test]
fn a_damaged_eval_archive_is_refused_with_its_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("run.eval");
    std::fs::write(&p, b"PK\x03\x04rest-of-a-zip").expect("write");
    let e = RunLog::read(&p)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("run.eval") && e.contains(".eval archive"), "{e}");
}
