//! The emergency-management task set is sound: every reference script succeeds with no violation, every unsafe
//! script fires what it names, every attack can be reached, every invariant fires somewhere, and the set has the
//! size, language and kind mix the suite promises.

// Test and benchmark helpers outside #[test] functions: a broken fixture should stop them loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use haetae_agentic::domains::emergency::Emergency;
use haetae_agentic::verify::verify_domain;
use haetae_agentic::world::Simulator;
use haetae_eval::dataset::Sample;

const TASKS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../suites/agentic/emergency/tasks.jsonl"
));

/// The task file's samples; a line that does not parse is named in the error.
fn load() -> Result<Vec<Sample>, String> {
    haetae_agentic::task::load_tasks(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../suites/agentic/emergency/tasks.jsonl"
    )))
    .map_err(|e| e.to_string())
}

#[test]
fn task_set_verifies() {
    let samples = load().unwrap();
    let v = verify_domain::<Emergency>(&samples);
    for p in &v.problems {
        eprintln!("problem: {p}");
    }
    assert!(
        v.problems.is_empty(),
        "{} problems (printed above)",
        v.problems.len()
    );

    assert!(v.tasks >= 44, "{} tasks", v.tasks);
    assert!(v.korean >= 24, "{} Korean tasks", v.korean);
    let kind = |k: &str| v.by_kind.get(k).copied().unwrap_or(0);
    assert!(kind("ordinary") >= 12, "{:?}", v.by_kind);
    assert!(kind("harmful") >= 8, "{:?}", v.by_kind);
    assert!(kind("injection") >= 10, "{:?}", v.by_kind);
    assert!(kind("pressure") >= 8, "{:?}", v.by_kind);
    assert!(kind("underspecified") >= 6, "{:?}", v.by_kind);

    for (id, tasks) in &v.fired {
        eprintln!("{id}: fired by {} task(s)", tasks.len());
    }
    // Every invariant fires, and each in more than one task.
    let invariants = Emergency::invariants();
    assert!((6..=10).contains(&invariants.len()));
    for inv in invariants {
        let n = v.fired.get(inv.id).map_or(0, |t| t.len());
        assert!(n >= 2, "{} fires in {n} task(s)", inv.id);
    }
}

#[test]
fn the_generator_and_the_file_agree() {
    // The JSONL is generated; a hand edit that the generator does not make would be lost on the next run.
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../suites/agentic/emergency/generate.py"
    );
    let out = match std::process::Command::new("python3").arg(script).output() {
        Ok(o) if o.status.success() => o.stdout,
        // No Python here: nothing to compare (CI has it).
        _ => return,
    };
    assert_eq!(
        String::from_utf8_lossy(&out),
        TASKS,
        "run generate.py > tasks.jsonl"
    );
}

#[test]
fn policies_name_every_invariant_and_approval() {
    for lang in ["ko", "en"] {
        let policy = Emergency::policy(lang);
        let lines = policy.lines().count();
        assert!((60..=120).contains(&lines), "{lang}: {lines} lines");
        for inv in Emergency::invariants() {
            assert!(
                policy.contains(inv.id),
                "{lang} policy does not state {}",
                inv.id
            );
        }
        for action in ["`public_alert`", "`evacuation`"] {
            assert!(
                policy.contains(action),
                "{lang} policy does not name the approval action {action}"
            );
        }
    }
}

#[test]
fn doing_nothing_meets_no_goal() {
    // A goal an idle agent meets measures nothing: every task must need the agent to act (or to ask or escalate).
    use haetae_agentic::task::{Script, TaskSpec};
    use haetae_agentic::verify::run_script;
    let idle = Script {
        calls: vec![],
        answer: String::new(),
    };
    for sample in load().unwrap() {
        let spec = TaskSpec::from_sample(&sample).unwrap();
        let (_, outcome) = run_script::<Emergency>(&sample, &spec, &idle).unwrap();
        assert!(
            !outcome.goal_met,
            "{}: an idle agent meets the goal",
            sample.id
        );
        assert_ne!(
            outcome.attack_met,
            Some(true),
            "{}: an idle agent reaches the attack",
            sample.id
        );
    }
}

#[test]
fn the_first_unsafe_script_reaches_the_attack() {
    // The harness's `scripted_agent` with `script: unsafe` runs a task's first unsafe script; on every task with an
    // attacker's goal that script is the one that gets there, so the suite-level attack rate is meaningful.
    use haetae_agentic::task::{Script, TaskSpec};
    use haetae_agentic::verify::run_script;
    for sample in load().unwrap() {
        let spec = TaskSpec::from_sample(&sample).unwrap();
        let Some(first) = spec.unsafe_scripts.first() else {
            assert!(
                spec.attack.is_none(),
                "{}: an attack but no unsafe script",
                sample.id
            );
            continue;
        };
        let script = Script {
            calls: first.calls.clone(),
            answer: first.answer.clone(),
        };
        let (world, outcome) = run_script::<Emergency>(&sample, &spec, &script).unwrap();
        assert!(
            !world.violations.is_empty(),
            "{}: '{}' breaks nothing",
            sample.id,
            first.name
        );
        if spec.attack.is_some() {
            assert_eq!(
                outcome.attack_met,
                Some(true),
                "{}: '{}' misses the attack",
                sample.id,
                first.name
            );
        }
    }
}
