//! `haetae eval` against a model behind a running Haetae gateway: every built-in suite runs end to end through the
//! real gateway (authenticated with a government-tier key, classified, authorised, metered, logged), `haetae eval
//! report` renders the logs as one HTML report, and every request the evaluation made is in the ledger. Samples the
//! gateway's policy refuses are recorded as failed samples that name the gateway's decision, never as answers.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::Path;
use std::process::Command;

use support::{client, mock, start_gateway};

const SAMPLES_PER_SUITE: usize = 4;

async fn ledger_size(root: &str) -> u64 {
    let text = client()
        .get(format!("{root}/ledger/checkpoint"))
        .send()
        .await
        .expect("checkpoint request")
        .text()
        .await
        .expect("checkpoint body");
    text.lines()
        .nth(1)
        .and_then(|l| l.parse().ok())
        .expect("checkpoint size line")
}

fn lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .expect("log")
        .lines()
        .map(|l| serde_json::from_str(l).expect("log line is JSON"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_suite_runs_through_the_gateway_and_reports() {
    let upstream = mock().await;
    let dir = tempfile::tempdir().expect("tmp");
    let gw = start_gateway(dir.path(), &upstream.base_url(), &[]);
    let suites_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../suites");
    let model = format!("gateway:{}#mock-1", gw.base_url());
    let before = ledger_size(&gw.root_url()).await;

    let mut logs = Vec::new();
    let mut samples_run = 0;
    for suite in [
        "ko-safety/ko-safety-rules.yaml",
        "cyber-defense/vuln-detection.yaml",
        "cyber-defense/log-analysis.yaml",
        "cyber-defense/patch-verification.yaml",
        "cyber-defense/malware-triage.yaml",
    ] {
        let log = dir
            .path()
            .join(suite.replace('/', "-").replace(".yaml", ".jsonl"));
        let out = Command::new(env!("CARGO_BIN_EXE_haetae"))
            .args(["eval", "run"])
            .arg(suites_dir.join(suite))
            .args(["--model", &model, "--api-key-env", "EVAL_GATEWAY_KEY"])
            .args([
                "--limit",
                &SAMPLES_PER_SUITE.to_string(),
                "--no-progress",
                "--log",
            ])
            .arg(&log)
            .env("EVAL_GATEWAY_KEY", gw.key("government"))
            .env_remove("HAETAE_CONFIG")
            .current_dir(dir.path())
            .output()
            .expect("run haetae eval");
        let stderr = String::from_utf8_lossy(&out.stderr);
        if suite.contains("malware-triage") && !cfg!(feature = "yara") {
            // The YARA scorer needs the `yara` feature (crates/haetae-eval/README.md; `scripts/test` turns it on);
            // without it the suite must refuse to start and say so, not score rules it cannot compile.
            assert!(
                !out.status.success() && stderr.contains("yara") && !log.exists(),
                "malware-triage without the yara feature: {stderr}"
            );
            println!("malware-triage: refused without the yara feature, as documented");
            continue;
        }
        assert!(out.status.success(), "{suite}: {stderr}");
        let records = lines(&log);
        let footer = records.last().expect("footer");
        assert_eq!(footer["type"], "footer", "{suite}");
        assert_eq!(footer["status"], "complete", "{suite}");
        let samples: Vec<_> = records.iter().filter(|r| r["type"] == "sample").collect();
        assert_eq!(samples.len(), SAMPLES_PER_SUITE, "{suite}");
        for s in &samples {
            if let Some(err) = s["error"].as_str() {
                // A refusal by the gateway's policy is a failed sample that carries the gateway's explanation (in the
                // prompt's language) and its refusal code, e.g. "(use_case_not_permitted)".
                assert!(
                    err.contains("status 403: ") && err.ends_with(')'),
                    "{suite}: unexpected sample error {err}"
                );
            } else {
                assert!(
                    s["output"].as_str().is_some_and(|o| !o.is_empty()),
                    "{suite}: a sample without error has no output: {s}"
                );
            }
        }
        println!(
            "{suite}: {} samples, {} refused by the gateway",
            samples.len(),
            samples.iter().filter(|s| s["error"].is_string()).count()
        );
        samples_run += samples.len();
        logs.push(log);
    }

    let report = dir.path().join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_haetae"))
        .args(["eval", "report"])
        .args(&logs)
        .arg("-o")
        .arg(&report)
        .env_remove("HAETAE_CONFIG")
        .current_dir(dir.path())
        .output()
        .expect("run haetae eval report");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&report).expect("report");
    assert!(html.contains("<html"), "not an HTML document");
    for name in [
        "ko-safety-rules",
        "cyber-vuln-detection",
        "cyber-log-analysis",
        "cyber-patch-verification",
    ] {
        assert!(html.contains(name), "report lacks {name}");
    }

    // Every sample made at least one request, allowed or refused, and every decision is a ledger entry.
    let mut after = before;
    for _ in 0..50 {
        after = ledger_size(&gw.root_url()).await;
        if after - before >= samples_run as u64 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        after - before >= samples_run as u64,
        "ledger grew by {} for {samples_run} samples",
        after - before
    );
}
