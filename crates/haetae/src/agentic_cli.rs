//! `haetae agentic`: the agentic high-risk-domain environments (haetae-agentic) — list their tools and
//! invariants, print an operating policy, and verify task sets (every reference script succeeds, every unsafe
//! script fires its invariants, every invariant can fire). Running them against a model is `haetae eval run
//! suites/agentic/<domain>.yaml`.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Subcommand;
use haetae_agentic::task::load_tasks;
use haetae_agentic::{domains, find_domain};
use haetae_eval::dataset::Sample;

#[derive(Debug, Subcommand)]
pub enum AgenticCommand {
    /// The domains with their tools and safety invariants.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Print a domain's written operating policy (what the agent is given).
    Policy {
        domain: String,
        #[arg(long, default_value = "ko")]
        lang: String,
    },
    /// Serve one task's world to an external agent over MCP (`/mcp`) and a plain HTTP tool API, wait for it to
    /// submit (or Ctrl-C), then print its scores. For whole suites use the `external_agent` solver.
    Serve {
        /// The task id (e.g. FIN-001); its domain's task set is searched.
        task: String,
        #[arg(long, default_value = "127.0.0.1:8700")]
        listen: String,
        #[arg(long, default_value = "suites/agentic")]
        dir: PathBuf,
    },
    /// Check task sets with the scripted reference and unsafe agents.
    Verify {
        /// The directory holding `<domain>/tasks.jsonl`.
        #[arg(long, default_value = "suites/agentic")]
        dir: PathBuf,
        /// Only this domain.
        #[arg(long)]
        domain: Option<String>,
    },
}

/// Finds a task by id in every domain's task set.
fn find_task(dir: &std::path::Path, id: &str) -> anyhow::Result<Sample> {
    for d in domains() {
        let path = dir.join(d.name).join("tasks.jsonl");
        if !path.exists() {
            continue;
        }
        if let Some(s) = load_tasks(&path)?.into_iter().find(|s| s.id == id) {
            return Ok(s);
        }
    }
    bail!("no task '{id}' under {}", dir.display())
}

async fn serve(task: &str, listen: &str, dir: &std::path::Path) -> anyhow::Result<()> {
    use haetae_agentic::scoring::{Measure, score_outcome};
    use haetae_agentic::serve::{ServeConfig, Served, TaskInfo};
    use haetae_agentic::task::{Outcome, TaskSpec};

    let sample = find_task(dir, task)?;
    let spec = TaskSpec::from_sample(&sample)?;
    let domain =
        find_domain(&spec.domain).with_context(|| format!("unknown domain '{}'", spec.domain))?;
    let world = (domain.world)(&sample)?;
    let info = TaskInfo {
        id: sample.id.clone(),
        lang: spec.lang.clone(),
        instruction: sample.input_text(),
        policy: haetae_agentic::policy_text(&domain, &spec.lang),
    };
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let served = Served::start(
        listener,
        vec![world],
        Vec::new(),
        info,
        ServeConfig::default(),
    )
    .await?;
    println!(
        "task {} ({}, {}, {})",
        sample.id,
        spec.domain,
        spec.kind.as_str(),
        spec.lang
    );
    println!("HAETAE_MCP_URL={}", served.mcp_url());
    println!("HAETAE_TOOLS_URL={}", served.base_url());
    println!("waiting for the agent to submit (Ctrl-C ends the task as it stands) …");
    tokio::select! {
        _ = served.submitted() => {}
        _ = tokio::signal::ctrl_c() => println!("interrupted: scoring the world as it stands"),
    }
    let finished = served.finish().await;
    let snapshot = finished
        .environments
        .first()
        .map(|e| e.state())
        .context("the world was not returned")?;
    let answer = finished.answer.unwrap_or_default();
    let outcome = Outcome::of(&spec, &snapshot, &answer, false);
    let mut scores = serde_json::Map::new();
    for m in Measure::ALL {
        let applies = match m {
            Measure::AttackSuccess => spec.attack.is_some(),
            Measure::SafeMove => outcome.safe_move.is_some(),
            _ => true,
        };
        if applies {
            scores.insert(
                m.scorer_name().into(),
                serde_json::to_value(score_outcome(m, &outcome))?,
            );
        }
    }
    let calls = finished
        .events
        .iter()
        .filter(|e| e["type"] == "tool")
        .count();
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({"task": sample.id, "tool_calls": calls,
            "answer": answer, "scores": scores, "violations": outcome.violations}))?
    );
    Ok(())
}

pub async fn run(cmd: AgenticCommand) -> anyhow::Result<()> {
    match cmd {
        AgenticCommand::Serve { task, listen, dir } => serve(&task, &listen, &dir).await,
        AgenticCommand::List { json } => {
            let all = domains();
            if json {
                let v: Vec<serde_json::Value> = all
                    .iter()
                    .map(|d| {
                        serde_json::json!({"domain": d.name,
                            "tools": (d.tools)().iter().map(|t| t.to_openai()).collect::<Vec<_>>(),
                            "invariants": (d.invariants)()})
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&v)?);
                return Ok(());
            }
            for d in all {
                let tools: Vec<String> = (d.tools)().into_iter().map(|t| t.name).collect();
                println!("{}\n  tools: {}", d.name, tools.join(", "));
                for i in (d.invariants)() {
                    println!(
                        "  {:<28} {:<8} {}",
                        i.id,
                        i.severity.to_string(),
                        i.rationale
                    );
                }
            }
            Ok(())
        }
        AgenticCommand::Policy { domain, lang } => {
            let d = find_domain(&domain).with_context(|| format!("unknown domain '{domain}'"))?;
            if !matches!(lang.as_str(), "ko" | "en") {
                bail!("--lang is 'ko' or 'en'");
            }
            println!("{}", (d.policy)(&lang));
            Ok(())
        }
        AgenticCommand::Verify { dir, domain } => {
            let mut failed = false;
            for d in domains() {
                if domain.as_deref().is_some_and(|want| want != d.name) {
                    continue;
                }
                let samples = load_tasks(&dir.join(d.name).join("tasks.jsonl"))?;
                let v = (d.verify)(&samples);
                let kinds: Vec<String> =
                    v.by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
                println!(
                    "{}: {} tasks ({} Korean; {}), {} of {} invariants fired by unsafe agents",
                    d.name,
                    v.tasks,
                    v.korean,
                    kinds.join(", "),
                    v.fired.len(),
                    (d.invariants)().len()
                );
                for p in &v.problems {
                    println!("  problem: {p}");
                }
                failed |= !v.problems.is_empty();
            }
            if failed {
                bail!("task sets have problems (above)");
            }
            Ok(())
        }
    }
}
