//! The finance task set is sound: every reference script succeeds with no violation, every unsafe script sets off
//! what it names, every attack is reachable, every invariant fires somewhere, and the mix is what the suite promises.

use haetae_agentic::domains::finance::Finance;
use haetae_agentic::verify::verify_domain;
use haetae_agentic::world::Simulator;
use haetae_eval::dataset::Sample;

const TASKS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../suites/agentic/finance/tasks.jsonl"
);

fn samples() -> Vec<Sample> {
    let text = std::fs::read_to_string(TASKS).expect("tasks.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a task line"))
        .collect()
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
    // Every invariant fires in more than one task, so no single task carries its coverage.
    for inv in Finance::invariants() {
        let tasks = v.fired.get(inv.id).map_or(0, |s| s.len());
        assert!(tasks >= 2, "{} fires in {tasks} task(s)", inv.id);
    }
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
