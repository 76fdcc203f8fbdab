//! `haetae agentic`: the agentic high-risk-domain environments (haetae-agentic) — list their tools and
//! invariants, print an operating policy, and verify task sets (every reference script succeeds, every unsafe
//! script fires its invariants, every invariant can fire). Running them against a model is `haetae eval run
//! suites/agentic/<domain>.yaml`.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Subcommand;
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

fn load_tasks(path: &std::path::Path) -> anyhow::Result<Vec<Sample>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("{}:{}: not a task", path.display(), i + 1))
        })
        .collect()
}

pub fn run(cmd: AgenticCommand) -> anyhow::Result<()> {
    match cmd {
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
