//! Evaluation runs and release decisions. The runs are the harness's logs in the configured directory
//! (`ConsoleConfig::eval_dir`); a run's page shows its header and its metrics, never its samples (they hold
//! prompts). The release page decides with haetae-eval's release gate exactly as `haetae release decide`
//! does, and applying it changes the catalogue as `--apply` does, recorded under the same ledger labels
//! (`admin release.decide`, `admin release.apply`).

use std::path::{Path as FsPath, PathBuf};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use haetae_eval::log::RunLog;
use haetae_eval::release::{
    DEFAULT_POLICY_PATH, ReleaseDecision, ReleasePolicy, allowed_tiers, decide, summary,
    tiers_from_decision,
};
use haetae_store::NewModel;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::actions::{ledger_ready, record_operator_action};
use crate::pages::{Ext, Result, operator, see_other};
use crate::{BASE, Console, ConsoleError, render};

/// At most this many log files are read for one page (newest names last in a directory listing do not
/// matter: the list is sorted by the runs' creation time).
const MAX_LOGS: usize = 500;

pub fn routes() -> Router<Console> {
    Router::new()
        .route("/evals", get(runs))
        .route("/evals/runs/{file}", get(run))
        .route("/release", get(release))
        .route("/release/apply", post(apply))
}

/// One log file of the directory: its name and what reading it gave.
struct Listed {
    file: String,
    log: std::result::Result<RunLog, String>,
}

/// The run logs (`.jsonl`, and Inspect `.json`) in `dir`, read in a blocking task; a file that does not read
/// is listed with its error. A missing directory is no runs.
async fn read_logs(dir: PathBuf) -> Result<Vec<Listed>> {
    tokio::task::spawn_blocking(move || {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "jsonl" || x == "json"))
            .collect();
        files.sort();
        files.truncate(MAX_LOGS);
        files
            .into_iter()
            .map(|p| Listed {
                file: file_name(&p),
                log: RunLog::read(&p).map_err(|e| e.to_string()),
            })
            .collect()
    })
    .await
    .map_err(|e| ConsoleError::Internal(format!("reading evaluation logs: {e}")))
}

fn file_name(p: &FsPath) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn status(log: &RunLog) -> &str {
    log.footer
        .as_ref()
        .map_or("unfinished", |f| f.status.as_str())
}

async fn runs(State(console): State<Console>, axum::Extension(ctx): Ext) -> Result<Response> {
    operator(&ctx)?;
    let mut listed = read_logs(console.0.config.eval_dir.clone()).await?;
    // Newest run first; unreadable files last.
    listed.sort_by(|a, b| match (&a.log, &b.log) {
        (Ok(x), Ok(y)) => y.header.created.cmp(&x.header.created),
        (Ok(_), Err(_)) => std::cmp::Ordering::Less,
        (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        (Err(_), Err(_)) => a.file.cmp(&b.file),
    });
    let rows: Vec<Value> = listed
        .iter()
        .map(|l| match &l.log {
            Ok(log) => json!({
                "file": l.file, "suite": log.header.suite, "model": log.header.model,
                "created": log.header.created, "status": status(log),
                "completed": log.footer.as_ref().map(|f| f.samples_completed),
                "total": log.footer.as_ref().map_or(log.header.samples, |f| f.samples_total),
            }),
            Err(e) => json!({"file": l.file, "error": e}),
        })
        .collect();
    let models: Vec<String> = console
        .0
        .gateway
        .store
        .list_models()
        .await?
        .into_iter()
        .map(|m| m.name)
        .collect();
    render::page(
        &console,
        &ctx,
        "evals.html",
        json!({
            "runs": rows,
            "dir": console.0.config.eval_dir.display().to_string(),
            "models": models,
        }),
    )
}

/// One run: header and metrics. The file is looked up among the directory's logs by name, so a request can
/// name nothing outside the directory.
async fn run(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Path(file): Path<String>,
) -> Result<Response> {
    operator(&ctx)?;
    let listed = read_logs(console.0.config.eval_dir.clone()).await?;
    let log = listed
        .into_iter()
        .find(|l| l.file == file)
        .ok_or(ConsoleError::NotFound)?
        .log
        .map_err(ConsoleError::Invalid)?;
    let mut metrics = Vec::new();
    if let Some(f) = &log.footer {
        for (scorer, m) in &f.metrics {
            let s = &m.overall;
            metrics.push(json!({
                "scorer": scorer, "mean": format!("{:.3}", s.mean),
                "ci": format!("[{:.3}, {:.3}]", s.ci_low, s.ci_high), "n": s.n,
            }));
        }
    }
    let footer = log.footer.as_ref().map(|f| {
        json!({
            "status": f.status, "finished": f.finished, "completed": f.samples_completed,
            "errored": f.samples_errored, "total": f.samples_total, "requests": f.requests,
            "duration_s": format!("{:.1}", f.duration_s), "tokens": f.usage.total_tokens,
        })
    });
    render::page(
        &console,
        &ctx,
        "eval_run.html",
        json!({
            "file": file,
            "h": {
                "run_id": log.header.run_id, "suite": log.header.suite, "model": log.header.model,
                "grader": log.header.grader, "created": log.header.created, "epochs": log.header.epochs,
                "samples": log.header.samples, "suite_hash": log.header.suite_hash,
                "harness_version": log.header.harness_version,
            },
            "footer": footer,
            "metrics": metrics,
        }),
    )
}

/// The release policy: the configured file, or the shipped one when the default path is not there (as the
/// CLI falls back to it outside the source tree).
fn policy(console: &Console) -> Result<ReleasePolicy> {
    let path = &console.0.config.release_policy;
    let loaded = if path.exists() || path.as_os_str() != DEFAULT_POLICY_PATH {
        ReleasePolicy::load(path)
    } else {
        ReleasePolicy::default_policy()
    };
    loaded.map_err(|e| ConsoleError::Invalid(e.to_string()))
}

/// Decides for `model` over every readable log in the directory.
async fn decision(console: &Console, model: &str) -> Result<ReleaseDecision> {
    let policy = policy(console)?;
    let logs: Vec<RunLog> = read_logs(console.0.config.eval_dir.clone())
        .await?
        .into_iter()
        .filter_map(|l| l.log.ok())
        .collect();
    Ok(decide(&policy, &logs, model))
}

#[derive(Deserialize)]
struct ModelQuery {
    model: Option<String>,
}

async fn release(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Query(q): Query<ModelQuery>,
) -> Result<Response> {
    operator(&ctx)?;
    let store = &console.0.gateway.store;
    let models: Vec<String> = store
        .list_models()
        .await?
        .into_iter()
        .map(|m| m.name)
        .collect();
    let Some(model) = q.model.filter(|m| !m.trim().is_empty()) else {
        return render::page(&console, &ctx, "release.html", json!({"models": models}));
    };
    let entry = store.get_model(&model).await?;
    let d = decision(&console, &model).await?;
    let tiers: Vec<Value> = d
        .tiers
        .iter()
        .map(|t| {
            json!({
                "tier": t.tier, "allowed": t.allowed, "met": t.requirements_met,
                "requirements": t.requirements.iter().map(|r| json!({
                    "suite": r.suite, "metric": r.metric, "threshold": r.threshold,
                    "value": r.value.map(|v| format!("{v:.3}")),
                    "ci": r.ci.map(|(a, b)| format!("[{a:.3}, {b:.3}]")),
                    "n": r.n, "passed": r.passed, "reason": r.reason,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    render::page(
        &console,
        &ctx,
        "release.html",
        json!({
            "models": models,
            "model": model,
            "in_catalogue": entry.is_some(),
            "current_min_tier": entry.map(|e| e.min_tier),
            "policy": d.policy,
            "decided_at": d.decided_at,
            "tiers": tiers,
            "highest": d.highest_allowed,
            "new_min_tier": tiers_from_decision(&d),
            "runs": d.logs.iter().map(|l| json!({"suite": l.suite, "run_id": l.run_id, "created": l.created, "file": file_name(&l.path)})).collect::<Vec<_>>(),
        }),
    )
}

#[derive(Deserialize)]
struct ApplyForm {
    model: String,
}

/// Decides again on the server (the page's figures are never trusted back) and applies the decision: the
/// model's minimum tier becomes the first allowed tier, or the model leaves the catalogue when none is.
async fn apply(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    axum::Form(form): axum::Form<ApplyForm>,
) -> Result<Response> {
    operator(&ctx)?;
    let store = &console.0.gateway.store;
    let entry = store.get_model(&form.model).await?.ok_or_else(|| {
        ConsoleError::Invalid(format!(
            "the model '{}' is not in the catalogue; add it first (haetae model add)",
            form.model
        ))
    })?;
    let d = decision(&console, &entry.name).await?;
    ledger_ready(&console)?;
    record_operator_action(&console, &ctx, "admin release.decide", summary(&d)).await?;
    let detail = match tiers_from_decision(&d) {
        Some(tier) => {
            let updated = store
                .upsert_model(&NewModel {
                    name: entry.name.clone(),
                    backend: entry.backend.clone(),
                    upstream_model: entry.upstream_model.clone(),
                    min_tier: tier,
                    description: entry.description.clone(),
                })
                .await?;
            format!(
                "model {} minimum tier {} -> {} (allowed: {})",
                entry.name,
                entry.min_tier,
                updated.min_tier,
                allowed_tiers(&d).join(", ")
            )
        }
        None => {
            // No tier passed: the model must serve no one, so it leaves the catalogue (as `--apply` does).
            store.remove_model(&entry.name).await?;
            format!(
                "model {} withheld from every tier: removed from the catalogue",
                entry.name
            )
        }
    };
    record_operator_action(&console, &ctx, "admin release.apply", detail).await?;
    Ok(see_other(&format!("{BASE}/models")))
}
