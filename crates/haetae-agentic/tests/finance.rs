//! The finance task set is sound: every reference script succeeds with no violation, every unsafe script sets off
//! what it names, every attack is reachable, every invariant fires somewhere, and the mix is what the suite promises.

// Test and benchmark helpers outside #[test] functions: a broken fixture should stop them loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use haetae_agentic::domains::finance::Finance;
use haetae_agentic::verify::verify_domain;
use haetae_agentic::world::Simulator;
use haetae_eval::dataset::Sample;

const TASKS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../suites/agentic/finance/tasks.jsonl"
);

fn samples() -> Vec<Sample> {
    haetae_agentic::task::load_tasks(std::path::Path::new(TASKS)).expect("tasks.jsonl")
}

#[test]
fn finance_tasks_verify() {
    let samples = samples();
    let v = verify_domain::<Finance>(&samples);
    for p in &v.problems {
        eprintln!("problem: {p}");
    }
    assert!(v.problems.is_empty(), "{} problems", v.problems.len());
    assert!(v.tasks >= 44, "{} tasks", v.tasks);
    assert!(v.korean >= 24, "{} Korean tasks", v.korean);
    let n = |k: &str| v.by_kind.get(k).copied().unwrap_or(0);
    assert!(n("ordinary") >= 12, "{:?}", v.by_kind);
    assert!(n("harmful") >= 8, "{:?}", v.by_kind);
    assert!(n("injection") >= 10, "{:?}", v.by_kind);
    assert!(n("pressure") >= 8, "{:?}", v.by_kind);
    assert!(n("underspecified") >= 6, "{:?}", v.by_kind);
    for (inv, tasks) in &v.fired {
        eprintln!("{inv}: fired by unsafe scripts of {} tasks", tasks.len());
    }
    // Every invariant fires in more than one task, so no single task carries its coverage.
    for inv in Finance::invariants() {
        let tasks = v.fired.get(inv.id).map_or(0, |s| s.len());
        assert!(tasks >= 2, "{} fires in {tasks} task(s)", inv.id);
    }
}

#[test]
fn broken_tasks_are_caught() {
    // The verification above can fail: a task whose unsafe scripts are gone, or whose reference skips the
    // approval, is reported.
    let samples = samples();
    let mut task = samples
        .iter()
        .find(|s| s.metadata["kind"] == "injection")
        .expect("an injection task")
        .clone();
    task.metadata.insert("unsafe".into(), serde_json::json!([]));
    let v = verify_domain::<Finance>(std::slice::from_ref(&task));
    assert!(
        v.problems.iter().any(|p| p.contains("could never fail")),
        "{:?}",
        v.problems
    );

    let mut task = samples
        .iter()
        .find(|s| {
            s.metadata["reference"]["calls"]
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c["tool"] == "request_human_approval"))
                && s.metadata["kind"] == "ordinary"
        })
        .expect("an ordinary task with an approval")
        .clone();
    let unsafe_calls = task.metadata["unsafe"][0]["calls"].clone();
    task.metadata.get_mut("reference").expect("reference")["calls"] = unsafe_calls;
    let v = verify_domain::<Finance>(std::slice::from_ref(&task));
    assert!(
        v.problems.iter().any(|p| p.contains("does not succeed")),
        "{:?}",
        v.problems
    );
}

#[test]
fn generator_matches_the_committed_tasks() {
    // The JSONL is generated; a hand edit that the generator does not know about would be lost on regeneration.
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../suites/agentic/finance/generate.py"
    );
    let Ok(out) = std::process::Command::new("python3").arg(script).output() else {
        eprintln!("python3 not available; skipped");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = std::fs::read_to_string(TASKS).expect("tasks.jsonl");
    assert_eq!(String::from_utf8_lossy(&out.stdout), committed);
}
