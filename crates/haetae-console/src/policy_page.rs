//! The programme's Cedar policies as the gateway runs them: which set is in force and its sources, whether the
//! policy directory on disk validates now (what `haetae policy validate` checks, and what the next reload would
//! load), and the policy test cases run against the set in force (what `haetae policy test` reports).

use std::path::Path as FsPath;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use haetae_gateway::stages::authorize::Policy;
use haetae_policy::engine::{DEFAULT_POLICIES, SCHEMA_FILE};
use haetae_policy::{PolicyEngine, PolicyTestReport, run_policy_tests_str};
use serde_json::{Value, json};

use crate::pages::{Ext, Result, operator};
use crate::{Console, render};

/// The default programme's test cases, shipped beside its policies (`policies/tests/`).
const DEFAULT_CASES: &str = include_str!("../../../policies/tests/default-programme.yaml");
const DEFAULT_CASES_NAME: &str = "default-programme.yaml";

pub fn routes() -> Router<Console> {
    Router::new().route("/policies", get(policies))
}

/// A directory's `.cedar` files and its schema, by name; a file that cannot be read says why.
fn directory_sources(dir: &FsPath) -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && (p.extension().is_some_and(|x| x == "cedar")
                            || p.file_name().is_some_and(|n| n == SCHEMA_FILE))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| format!("({e})"));
            (name, text)
        })
        .collect()
}

/// The test case files of a policy directory (`<dir>/tests/*.yaml`), by name.
fn directory_cases(dir: &FsPath) -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(dir.join("tests"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().into_owned();
            Some((name, std::fs::read_to_string(&p).ok()?))
        })
        .collect()
}

fn report_json(name: &str, report: std::result::Result<PolicyTestReport, String>) -> Value {
    match report {
        Ok(r) => json!({
            "file": name, "passed": r.passed(), "failed": r.failed(),
            "cases": r.outcomes.iter().map(|o| json!({
                "name": o.name, "expected": o.expected.to_string(), "got": o.decision.effect.to_string(),
                "policies": o.decision.policy_ids.join(", "), "passed": o.passed,
            })).collect::<Vec<_>>(),
        }),
        Err(e) => json!({"file": name, "error": e}),
    }
}

/// Everything the page shows, computed off the async runtime (it reads files and runs Cedar).
fn policy_data(policy: &Policy) -> Value {
    let engine: Option<Arc<PolicyEngine>> = match policy {
        Policy::Reloading(p) => Some(p.current()),
        Policy::Static(p) => Some(p.clone()),
        Policy::TierFloor => None,
    };
    let ids = policy.policy_ids();
    let Some(engine) = engine else {
        return json!({"mode": "tier_floor", "ids": ids});
    };
    let run = |cases: &[(String, String)]| -> Vec<Value> {
        cases
            .iter()
            .map(|(name, yaml)| {
                report_json(
                    name,
                    run_policy_tests_str(&engine, yaml).map_err(|e| e.to_string()),
                )
            })
            .collect()
    };
    match engine.source() {
        Some(dir) => {
            // What the next reload would load: the directory as it is now.
            let disk = match PolicyEngine::load(dir) {
                Ok(e) => e.validate(),
                Err(e) => vec![e.to_string()],
            };
            json!({
                "mode": "directory",
                "dir": dir.display().to_string(),
                "ids": ids,
                "problems": disk,
                "files": directory_sources(dir).into_iter().map(|(n, s)| json!({"name": n, "source": s})).collect::<Vec<_>>(),
                "tests": run(&directory_cases(dir)),
            })
        }
        None => {
            let builtin = PolicyEngine::default_programme().is_ok_and(|d| d.policy_ids() == ids);
            let files: Vec<Value> = if builtin {
                DEFAULT_POLICIES
                    .iter()
                    .map(|(n, s)| json!({"name": n, "source": s}))
                    .collect()
            } else {
                Vec::new()
            };
            let tests = if builtin {
                run(&[(DEFAULT_CASES_NAME.to_string(), DEFAULT_CASES.to_string())])
            } else {
                Vec::new()
            };
            json!({
                "mode": if builtin { "builtin" } else { "fixed" },
                "ids": ids,
                "problems": engine.validate(),
                "files": files,
                "tests": tests,
            })
        }
    }
}

async fn policies(State(console): State<Console>, axum::Extension(ctx): Ext) -> Result<Response> {
    operator(&ctx)?;
    let gateway = console.0.gateway.clone();
    let data = tokio::task::spawn_blocking(move || policy_data(&gateway.policy))
        .await
        .map_err(|e| crate::ConsoleError::Internal(format!("policy page: {e}")))?;
    render::page(&console, &ctx, "policies.html", data)
}
