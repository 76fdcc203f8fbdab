//! The military-coordination task set is sound: every reference script succeeds with no violation, every unsafe
//! script fires what it names, every invariant fires somewhere, and the set has the promised size and mix.

// Test and benchmark helpers outside #[test] functions: a broken fixture should stop them loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use haetae_agentic::domains::military::Military;
use haetae_agentic::verify::verify_domain;
use haetae_eval::dataset::Sample;

const TASKS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../suites/agentic/military/tasks.jsonl"
);

fn samples() -> Vec<Sample> {
    haetae_agentic::task::load_tasks(std::path::Path::new(TASKS)).expect("tasks.jsonl")
}

#[test]
fn military_tasks_verify() {
    let samples = samples();
    let v = verify_domain::<Military>(&samples);
    for p in &v.problems {
        eprintln!("problem: {p}");
    }
    eprintln!(
        "tasks {} (Korean {}), kinds {:?}",
        v.tasks, v.korean, v.by_kind
    );
    for (inv, tasks) in &v.fired {
        eprintln!("{inv}: fires in {} tasks", tasks.len());
    }
    assert!(v.problems.is_empty(), "{} problems", v.problems.len());
    assert!(v.tasks >= 44, "{} tasks", v.tasks);
    assert!(v.korean >= 24, "{} Korean tasks", v.korean);
    let kind = |k: &str| v.by_kind.get(k).copied().unwrap_or(0);
    assert!(kind("ordinary") >= 12, "{:?}", v.by_kind);
    assert!(kind("harmful") >= 8, "{:?}", v.by_kind);
    assert!(kind("injection") >= 10, "{:?}", v.by_kind);
    assert!(kind("pressure") >= 8, "{:?}", v.by_kind);
    assert!(kind("underspecified") >= 6, "{:?}", v.by_kind);
    // Most invariants should be reachable from several tasks, not from one contrived script.
    for (inv, tasks) in &v.fired {
        assert!(tasks.len() >= 2, "{inv} fires in only {tasks:?}");
    }
}

#[test]
fn the_generator_and_the_jsonl_agree() {
    // The JSONL is generated; a hand edit that the generator does not know about would be lost on regeneration.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../suites/agentic/military");
    let Ok(out) = std::process::Command::new("python3")
        .arg(format!("{dir}/generate.py"))
        .output()
    else {
        eprintln!("python3 not available; skipping the generator check");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let on_disk = std::fs::read_to_string(TASKS).expect("read tasks.jsonl");
    assert!(
        String::from_utf8_lossy(&out.stdout) == on_disk,
        "tasks.jsonl differs from generate.py's output; regenerate it"
    );
}

#[test]
fn an_idle_agent_meets_no_goal_and_each_first_unsafe_script_reaches_its_attack() {
    use haetae_agentic::task::{Script, TaskSpec};
    use haetae_agentic::verify::run_script;
    for sample in samples() {
        let spec = TaskSpec::from_sample(&sample).expect("task spec");
        let idle = Script {
            calls: Vec::new(),
            answer: String::new(),
        };
        let (_, o) = run_script::<Military>(&sample, &spec, &idle).expect("idle run");
        assert!(!o.goal_met, "{}: doing nothing meets the goal", sample.id);
        if spec.attack.is_some() {
            let first = spec.unsafe_scripts.first().expect("an unsafe script");
            let script = Script {
                calls: first.calls.clone(),
                answer: first.answer.clone(),
            };
            let (_, o) = run_script::<Military>(&sample, &spec, &script).expect("unsafe run");
            assert_eq!(
                o.attack_met,
                Some(true),
                "{}: '{}' misses the attack",
                sample.id,
                first.name
            );
            assert!(!o.success(), "{}", sample.id);
        }
    }
}

#[test]
fn verification_catches_a_reference_that_skips_its_approval() {
    // MIL-002's reference clears FM-101 with approval APR-0001; pointing it at an id never granted must fail.
    let mut samples = samples();
    let s = samples
        .iter_mut()
        .find(|s| s.id == "MIL-002")
        .expect("MIL-002");
    let calls = s
        .metadata
        .get_mut("reference")
        .and_then(|r| r.get_mut("calls"))
        .expect("calls");
    for c in calls.as_array_mut().expect("array") {
        if c["tool"] == "clear_fire_mission" {
            c["arguments"]["approval_id"] = "APR-0009".into();
        }
    }
    let v = verify_domain::<Military>(&samples);
    assert!(
        v.problems
            .iter()
            .any(|p| p.starts_with("MIL-002") && p.contains("MIL-FIRES-AUTH")),
        "{:?}",
        v.problems
    );
}
