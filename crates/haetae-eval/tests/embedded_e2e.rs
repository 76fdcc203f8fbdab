//! The example suite end to end against the embedded model (feature `embedded`, and the GGUF on disk).
#![cfg(feature = "embedded")]

use std::path::Path;

use haetae_eval::log::RunLog;
use haetae_eval::model::ModelSpec;
use haetae_eval::{Registry, RunOptions, Suite, run_suite};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn example_suite_runs_against_the_embedded_model() {
    let path = haetae_models::embedded::default_model_path();
    if !path.exists() {
        println!(
            "SKIPPED: no embedded model at {} (scripts/fetch-model.sh fetches it)",
            path.display()
        );
        return;
    }
    let suite = Suite::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../suites/examples/arithmetic-mc.yaml"),
    )
    .expect("suite");
    let model = ModelSpec::parse("embedded", None)
        .expect("spec")
        .build()
        .await
        .expect("model loads");
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("e2e.jsonl");
    let outcome = run_suite(
        &suite,
        &Registry::builtin(),
        std::sync::Arc::new(model),
        None,
        RunOptions::new(&log),
    )
    .await
    .expect("run");
    assert_eq!(outcome.footer.status, "complete");
    let run = RunLog::read(&log).expect("log");
    assert_eq!(run.samples.len(), 10);
    assert!(
        run.samples
            .iter()
            .all(|s| s.error.is_none() && !s.output.is_empty()),
        "every sample got an answer"
    );
    let m = &outcome.footer.metrics["choice"];
    println!(
        "embedded model accuracy: {:.2} [{:.2}, {:.2}]",
        m.overall.mean, m.overall.ci_low, m.overall.ci_high
    );
}
