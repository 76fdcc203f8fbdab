//! The four agentic suites through the whole harness (suite file → runner → log → metrics): the reference agent
//! scores perfectly, the unsafe agents break invariants and reach attacks, and a model driving the real agent loop
//! with the reference calls gets exactly the scripted agent's outcome.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] fns

use std::path::PathBuf;
use std::sync::Arc;

use haetae_eval::log::RunLog;
use haetae_eval::model::Model;
use haetae_eval::suite::{Component, Suite};
use haetae_eval::{RunOptions, run_suite};
use haetae_models::scripted::ScriptedReply;
use haetae_models::{Backend, ScriptedBackend};
use serde_json::{Value, json};

const DOMAINS: [&str; 4] = ["finance", "industrial", "military", "emergency"];

fn suite_path(domain: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../suites/agentic/{domain}.yaml"))
}

/// A model that must not be called (the scripted agents act without one).
fn no_model() -> Arc<Model> {
    let backend = Arc::new(ScriptedBackend::new("none", []));
    Arc::new(Model::new(
        backend as Arc<dyn Backend>,
        "none",
        "scripted:none",
    ))
}

async fn run_with(domain: &str, solvers: Vec<Component>, model: Arc<Model>) -> RunLog {
    let mut suite = Suite::load(&suite_path(domain)).unwrap();
    suite.solvers = solvers;
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("run.jsonl");
    let outcome = run_suite(
        &suite,
        &haetae_agentic::registry(),
        model,
        None,
        RunOptions::new(&log_path),
    )
    .await
    .unwrap();
    assert_eq!(
        outcome.footer.samples_errored, 0,
        "{domain}: samples errored"
    );
    RunLog::read(&log_path).unwrap()
}

fn component(name: &str, params: Value) -> Component {
    Component {
        name: name.into(),
        params,
    }
}

fn metric(log: &RunLog, scorer: &str) -> f64 {
    let footer = log.footer.as_ref().expect("a finished run has a footer");
    footer
        .metrics
        .get(scorer)
        .map_or(f64::NAN, |m| m.overall.mean)
}

#[tokio::test]
async fn reference_agents_score_perfectly_through_the_harness() {
    for domain in DOMAINS {
        let log = run_with(
            domain,
            vec![
                component("agentic_policy", Value::Null),
                component("scripted_agent", json!({"script": "reference"})),
            ],
            no_model(),
        )
        .await;
        assert!(
            log.completed().len() >= 40,
            "{domain}: {} tasks",
            log.completed().len()
        );
        assert_eq!(metric(&log, "agentic_success"), 1.0, "{domain}");
        assert_eq!(metric(&log, "agentic_utility"), 1.0, "{domain}");
        assert_eq!(metric(&log, "agentic_violation"), 0.0, "{domain}");
        assert_eq!(metric(&log, "agentic_attack_success"), 0.0, "{domain}");
        assert_eq!(metric(&log, "agentic_safe_move"), 1.0, "{domain}");
        // The transcript carries each step's state diff.
        let record = &log.completed()[0];
        assert!(
            record.events.iter().any(|e| e.get("step").is_some()),
            "{domain}: tool events carry step records"
        );
    }
}

#[tokio::test]
async fn unsafe_agents_break_invariants_and_reach_attacks() {
    for domain in DOMAINS {
        let log = run_with(
            domain,
            vec![
                component("agentic_policy", Value::Null),
                component("scripted_agent", json!({"script": "unsafe"})),
            ],
            no_model(),
        )
        .await;
        assert!(metric(&log, "agentic_violation") > 0.3, "{domain}");
        assert!(metric(&log, "agentic_attack_success") > 0.5, "{domain}");
        assert!(metric(&log, "agentic_success") < 0.7, "{domain}");
        let steps_that_fired = log
            .completed()
            .iter()
            .flat_map(|r| r.events.iter())
            .filter_map(|e| e.get("step"))
            .filter(|s| s["fired"].as_array().is_some_and(|f| !f.is_empty()))
            .count();
        assert!(
            steps_that_fired > 0,
            "{domain}: the transcript shows the step an invariant fired at"
        );
    }
}

/// The real agent loop, with a scripted model that replays the reference calls one per turn, ends in the same
/// world as the scripted agent: nothing in scoring depends on who drove the tools.
#[tokio::test]
async fn the_agent_loop_and_the_scripted_agent_reach_the_same_world() {
    for domain in DOMAINS {
        let suite = Suite::load(&suite_path(domain)).unwrap();
        let samples = suite.samples().unwrap();
        let sample = samples
            .iter()
            .find(|s| s.metadata.get("kind") == Some(&json!("injection")))
            .unwrap();
        let spec = haetae_agentic::task::TaskSpec::from_sample(sample).unwrap();
        let mut replies: Vec<ScriptedReply> = spec
            .reference
            .calls
            .iter()
            .map(|c| ScriptedReply::ToolCalls(vec![(c.tool.clone(), c.arguments.clone())]))
            .collect();
        replies.push(ScriptedReply::ToolCalls(vec![(
            "submit".into(),
            json!({"answer": spec.reference.answer}),
        )]));
        let backend = Arc::new(ScriptedBackend::new("m", replies));
        let model = Arc::new(Model::new(
            backend as Arc<dyn Backend>,
            "m",
            "scripted:replay",
        ));

        let mut one = suite.clone();
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("one.jsonl");
        std::fs::write(&data, serde_json::to_string(sample).unwrap()).unwrap();
        one.dataset.path = data;
        let run = |solvers: Vec<Component>, model: Arc<Model>, log: PathBuf| {
            let mut s = one.clone();
            s.solvers = solvers;
            async move {
                run_suite(
                    &s,
                    &haetae_agentic::registry(),
                    model,
                    None,
                    RunOptions::new(&log),
                )
                .await
                .unwrap();
                RunLog::read(&log).unwrap()
            }
        };
        let looped = run(
            vec![
                component("agentic_policy", Value::Null),
                component("agent", json!({"max_turns": 40})),
            ],
            model,
            dir.path().join("loop.jsonl"),
        )
        .await;
        let scripted = run(
            vec![
                component("agentic_policy", Value::Null),
                component("scripted_agent", Value::Null),
            ],
            no_model(),
            dir.path().join("scripted.jsonl"),
        )
        .await;
        let (a, b) = (&looped.completed()[0], &scripted.completed()[0]);
        assert_eq!(a.environment, b.environment, "{domain}: same final world");
        assert_eq!(a.scores, b.scores, "{domain}: same scores");
        assert_eq!(a.scores["agentic_success"].value, 1.0, "{domain}");
    }
}

/// The release gate decides from agentic results: the shipped policy's agentic requirements (every tier that has
/// them) allow a model whose runs look like the reference agent's and withhold one whose runs look like the
/// unsafe agents', naming the agentic metrics that failed.
#[tokio::test]
async fn the_release_gate_decides_from_agentic_results() {
    use haetae_eval::release::{ReleasePolicy, decide, render_table};
    let shipped = ReleasePolicy::default_policy().unwrap();
    let mut policy = shipped.clone();
    for tier in &mut policy.tiers {
        tier.requirements
            .retain(|r| r.suite.starts_with("agentic-"));
    }
    policy.tiers.retain(|t| !t.requirements.is_empty());
    assert!(
        policy.tiers.len() >= 2,
        "the shipped policy gates at least two tiers on agentic suites"
    );
    async fn runs(script: &str) -> Vec<RunLog> {
        let mut logs = Vec::new();
        for domain in DOMAINS {
            let mut suite = Suite::load(&suite_path(domain)).unwrap();
            suite.solvers = vec![
                component("agentic_policy", Value::Null),
                component("scripted_agent", json!({ "script": script })),
            ];
            // pass^4 needs four epochs.
            suite.epochs = 4;
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("run.jsonl");
            run_suite(
                &suite,
                &haetae_agentic::registry(),
                no_model(),
                None,
                RunOptions::new(&path),
            )
            .await
            .unwrap();
            logs.push(RunLog::read(&path).unwrap());
        }
        logs
    }
    let good = decide(&policy, &runs("reference").await, "scripted:none");
    assert!(
        good.tiers.iter().all(|t| t.allowed),
        "{}",
        render_table(&good)
    );
    let bad = decide(&policy, &runs("unsafe").await, "scripted:none");
    assert!(
        bad.tiers.iter().all(|t| !t.allowed),
        "{}",
        render_table(&bad)
    );
    let failed: Vec<String> = bad.tiers[0]
        .requirements
        .iter()
        .filter(|r| !r.passed)
        .map(|r| r.metric.clone())
        .collect();
    for metric in [
        "agentic_violation[severity:critical]",
        "agentic_attack_success",
    ] {
        assert!(
            failed
                .iter()
                .any(|m| m.starts_with(metric.split('[').next().unwrap_or(metric))),
            "{metric} should fail: {failed:?}"
        );
    }
}
