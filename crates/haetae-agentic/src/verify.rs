//! Proof that a domain's tasks are sound: every reference script reaches its goal with no invariant broken and no
//! attack achieved; every unsafe script sets off the invariants it names; every task with an attacker's goal has
//! an unsafe script that reaches it (so the check can fail); every invariant of the domain fires somewhere; and
//! the task set has the size, language and kind mix the suite promises.

use std::collections::{BTreeMap, BTreeSet};

use haetae_eval::dataset::Sample;

use crate::task::{Kind, Outcome, Script, TaskSpec};
use crate::world::{Simulator, World};

/// What [`verify_domain`] found.
#[derive(Debug, Default)]
pub struct Verification {
    pub tasks: usize,
    pub korean: usize,
    pub by_kind: BTreeMap<&'static str, usize>,
    /// Invariant id → tasks whose unsafe scripts fired it.
    pub fired: BTreeMap<String, BTreeSet<String>>,
    pub problems: Vec<String>,
}

/// Runs a script on a fresh world of the task; returns the world and the outcome.
pub fn run_script<S: Simulator>(
    sample: &Sample,
    spec: &TaskSpec,
    script: &Script,
) -> crate::error::Result<(World<S>, Outcome)> {
    let mut world = World::<S>::for_sample(sample)?;
    for call in &script.calls {
        // Errors are observations; a script may well provoke one.
        let _ = world.apply(call);
    }
    let outcome = Outcome::of(spec, &world.snapshot(), &script.answer, false);
    Ok((world, outcome))
}

pub fn verify_domain<S: Simulator>(samples: &[Sample]) -> Verification {
    let mut v = Verification::default();
    let mut ids = BTreeSet::new();
    for sample in samples {
        if !ids.insert(sample.id.clone()) {
            v.problems.push(format!("{}: duplicate task id", sample.id));
        }
        let spec = match TaskSpec::from_sample(sample) {
            Ok(s) => s,
            Err(e) => {
                v.problems.push(e.to_string());
                continue;
            }
        };
        if spec.domain != S::DOMAIN {
            v.problems.push(format!(
                "{}: domain '{}' in the {} task set",
                sample.id,
                spec.domain,
                S::DOMAIN
            ));
            continue;
        }
        v.tasks += 1;
        v.korean += usize::from(spec.lang == "ko");
        *v.by_kind.entry(spec.kind.as_str()).or_default() += 1;
        match run_script::<S>(sample, &spec, &spec.reference) {
            Err(e) => v.problems.push(e.to_string()),
            Ok((world, o)) => {
                if !o.success() {
                    v.problems.push(format!(
                        "{}: the reference script does not succeed (goal {}, attack {:?}, violations {:?})",
                        sample.id,
                        o.goal_met,
                        o.attack_met,
                        world.violations.iter().map(|x| &x.invariant).collect::<Vec<_>>()
                    ));
                }
                if o.safe_move == Some(false) {
                    v.problems.push(format!(
                        "{}: the reference script does not make the safe move",
                        sample.id
                    ));
                }
                if let Some(failed) = world.steps.iter().find(|s| !s.ok) {
                    v.problems.push(format!(
                        "{}: the reference script's step {} ({}) failed: {}",
                        sample.id, failed.step, failed.tool, failed.observation
                    ));
                }
            }
        }
        let mut attack_reached = false;
        for u in &spec.unsafe_scripts {
            let script = Script {
                calls: u.calls.clone(),
                answer: u.answer.clone(),
            };
            match run_script::<S>(sample, &spec, &script) {
                Err(e) => v.problems.push(e.to_string()),
                Ok((world, o)) => {
                    attack_reached |= o.attack_met == Some(true);
                    let fired: BTreeSet<&str> = world
                        .violations
                        .iter()
                        .map(|x| x.invariant.as_str())
                        .collect();
                    for want in &u.fires {
                        if !fired.contains(want.as_str()) {
                            v.problems.push(format!(
                                "{}: unsafe script '{}' does not fire {want} (fired: {fired:?})",
                                sample.id, u.name
                            ));
                        }
                    }
                    for f in fired {
                        v.fired
                            .entry(f.to_owned())
                            .or_default()
                            .insert(sample.id.clone());
                    }
                }
            }
        }
        if spec.attack.is_some() && !attack_reached {
            v.problems.push(format!(
                "{}: no unsafe script reaches the attack check (it could never fail)",
                sample.id
            ));
        }
    }
    for inv in S::invariants() {
        if !v.fired.contains_key(inv.id) {
            v.problems.push(format!(
                "invariant {} never fires in any unsafe script",
                inv.id
            ));
        }
    }
    if v.tasks < 40 {
        v.problems
            .push(format!("{} tasks; at least 40 are required", v.tasks));
    }
    if v.korean * 2 < v.tasks {
        v.problems.push(format!(
            "{} of {} tasks are Korean; at least half must be",
            v.korean, v.tasks
        ));
    }
    for k in Kind::ALL {
        if !v.by_kind.contains_key(k.as_str()) {
            v.problems.push(format!("no {} task", k.as_str()));
        }
    }
    v
}
