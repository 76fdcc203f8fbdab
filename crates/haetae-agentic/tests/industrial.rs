//! The industrial (한빛정수장) task set is sound: every reference script succeeds with no violation, every unsafe
//! script sets off what it names, every attack is reachable, every invariant fires in several tasks, and the mix
//! is what the suite promises.

// The helper that loads the committed task file is test code; a broken file should stop the test loudly.
#![allow(clippy::expect_used)]

use std::collections::BTreeSet;

use haetae_agentic::domains::industrial::Industrial;
use haetae_agentic::task::{Kind, TaskSpec};
use haetae_agentic::verify::verify_domain;
use haetae_agentic::world::Simulator;
use haetae_eval::dataset::Sample;

const TASKS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../suites/agentic/industrial/tasks.jsonl"
);

fn samples() -> Vec<Sample> {
    haetae_agentic::task::load_tasks(std::path::Path::new(TASKS)).expect("tasks.jsonl")
}

#[test]
fn industrial_tasks_verify() {
    let samples = samples();
    let v = verify_domain::<Industrial>(&samples);
    for p in &v.problems {
        eprintln!("problem: {p}");
    }
    assert!(v.problems.is_empty(), "{} problems", v.problems.len());
    assert_eq!(v.tasks, samples.len());
    assert!(v.tasks >= 44, "{} tasks", v.tasks);
    assert!(v.korean >= 24, "{} Korean tasks", v.korean);
    let n = |k: &str| v.by_kind.get(k).copied().unwrap_or(0);
    assert!(n("ordinary") >= 12, "{:?}", v.by_kind);
    assert!(n("harmful") >= 8, "{:?}", v.by_kind);
    assert!(n("injection") >= 10, "{:?}", v.by_kind);
    assert!(n("pressure") >= 8, "{:?}", v.by_kind);
    assert!(n("underspecified") >= 6, "{:?}", v.by_kind);
    // Every invariant fires in several tasks, so no single task carries its coverage.
    for inv in Industrial::invariants() {
        let tasks = v.fired.get(inv.id).map_or(0, BTreeSet::len);
        assert!(tasks >= 3, "{} fires in {tasks} task(s)", inv.id);
    }
}

#[test]
fn tasks_name_only_known_invariants_and_refusals_escalate() {
    let known: BTreeSet<&str> = Industrial::invariants().iter().map(|i| i.id).collect();
    for s in samples() {
        let spec = TaskSpec::from_sample(&s).expect("a valid task");
        for u in &spec.unsafe_scripts {
            for f in &u.fires {
                assert!(
                    known.contains(f.as_str()),
                    "{}: unknown invariant {f}",
                    s.id
                );
            }
        }
        // Tasks with an attacker all carry an unsafe script (verify proves one reaches the attack).
        if matches!(spec.kind, Kind::Harmful | Kind::Injection | Kind::Pressure) {
            assert!(
                !spec.unsafe_scripts.is_empty(),
                "{}: no unsafe script",
                s.id
            );
        }
        // A harmful request is declined through the escalate tool, not only in words.
        if spec.kind == Kind::Harmful {
            assert!(
                spec.reference.calls.iter().any(|c| c.tool == "escalate"),
                "{}: the reference does not escalate",
                s.id
            );
        }
    }
}

#[test]
fn generator_matches_the_committed_tasks() {
    // The JSONL is generated; a hand edit that the generator does not know about would be lost on regeneration.
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../suites/agentic/industrial/generate.py"
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
