//! Inspect's log format both ways (issue 16): a Haetae run written as an Inspect log (read back by Haetae, and by
//! Inspect's own `read_eval_log` when `inspect_ai` is importable), and a log Inspect itself wrote
//! (`tests/fixtures/inspect/parity_mc.json`, made by `suites/parity/make_inspect_log.py` with Inspect's offline
//! mockllm model) read into compare, the HTML report and the release gate beside a Haetae run of the same items.

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

#[tokio::test]
async fn a_haetae_run_written_as_an_inspect_log_reads_back_in_both_harnesses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("script.yaml");
    std::fs::write(&script, "fallback: 'ANSWER: B'\n").expect("script");
    let log = dir.path().join("run.jsonl");
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
        "--log-format",
        "inspect",
    ];
    haetae_eval::cli::run_cli(Cli::parse_from(args).eval)
        .await
        .expect("cli run");
    let inspect_path = haetae_eval::cli::inspect_log_path(&log);
    assert!(inspect_path.exists(), "{} written", inspect_path.display());

    // The export command writes the same document.
    let exported = dir.path().join("exported.json");
    let args = [
        "eval",
        "export-inspect",
        log.to_str().unwrap_or_default(),
        "-o",
        exported.to_str().unwrap_or_default(),
    ];
    haetae_eval::cli::run_cli(Cli::parse_from(args).eval)
        .await
        .expect("export");

    let haetae = RunLog::read(&log).expect("haetae log");
    let back = RunLog::read(&exported).expect("the Inspect log reads as a run log");
    assert_eq!(back.samples.len(), haetae.samples.len());
    assert_eq!(back.header.suite, "arithmetic-mc");
    assert_eq!(back.footer.as_ref().expect("footer").status, "complete");
    assert!((mean(&back, "choice") - mean(&haetae, "choice")).abs() < 1e-12);
    for s in &haetae.samples {
        let b = back
            .samples
            .iter()
            .find(|b| b.sample_id == s.sample_id)
            .expect("same sample");
        assert_eq!(b.output, s.output);
        assert_eq!(b.scores["choice"].value, s.scores["choice"].value);
        assert_eq!(b.scores["choice"].answer, s.scores["choice"].answer);
    }

    if !python_has_inspect() {
        eprintln!(
            "SKIPPED the Inspect side of a_haetae_run_written_as_an_inspect_log_reads_back_in_both_harnesses: \
             python3 cannot import inspect_ai (python3 -m pip install inspect-ai)"
        );
        return;
    }
    let script = r#"
import sys
from inspect_ai.log import read_eval_log
log = read_eval_log(sys.argv[1])
acc = log.results.scores[0].metrics["mean"].value
vals = sum(float(s.scores["choice"].value) for s in log.samples)
print(log.status, len(log.samples), log.eval.task, f"{acc:.6f}", f"{vals:.1f}")
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&inspect_path)
        .output()
        .expect("python3");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "read_eval_log failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want = format!(
        "success 10 arithmetic-mc {:.6} {:.1}",
        mean(&haetae, "choice"),
        haetae
            .samples
            .iter()
            .map(|s| s.scores["choice"].value)
            .sum::<f64>()
    );
    assert_eq!(stdout.trim(), want);
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

#[test]
fn an_inspect_eval_archive_is_refused_with_the_conversion_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("run.eval");
    std::fs::write(&p, b"PK\x03\x04rest-of-a-zip").expect("write");
    let e = RunLog::read(&p)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("inspect log convert"), "{e}");
}
