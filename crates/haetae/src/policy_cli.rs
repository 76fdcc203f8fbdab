//! `haetae policy` and `haetae guard`: check the programme's Cedar policies and the cyber-use guard.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use haetae_policy::PolicyEngine;

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// Validate a policy directory (schema + .cedar files) against the schema.
    Validate {
        #[arg(long, default_value = "policies")]
        dir: PathBuf,
    },
    /// Run policy test cases (YAML) against a policy directory.
    Test {
        cases: PathBuf,
        #[arg(long, default_value = "policies")]
        dir: PathBuf,
    },
    /// Write the default programme's policies into a directory, to read and change.
    Init {
        #[arg(long, default_value = "policies")]
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum GuardCommand {
    /// Classify a text (from the argument or standard input) and show the evidence.
    Classify { text: Option<String> },
    /// Measure the guard on a labelled JSONL set. The adversarial set (items with `messages`, e.g.
    /// suites/guard-adversarial/set.jsonl) reports harmful pass-through and false refusals per technique, language
    /// and use-case, per split, for the public and trusted tiers, deciding as the gateway does (guard labels, then
    /// the Cedar programme). The older text set reports per-use-case precision and recall.
    Eval {
        #[arg(default_value = "crates/haetae-policy/testdata/guard-set.jsonl")]
        set: PathBuf,
        /// Only these splits of the adversarial set (repeatable; default: all).
        #[arg(long = "split")]
        splits: Vec<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// The Cedar programme that decides (adversarial set).
        #[arg(long, default_value = "policies")]
        policies: PathBuf,
        /// Skip the output guard pass over the mock upstream's defanged stand-in answers.
        #[arg(long)]
        no_output_guard: bool,
    },
}

pub fn policy(cmd: PolicyCommand) -> anyhow::Result<()> {
    match cmd {
        PolicyCommand::Validate { dir } => {
            let engine = PolicyEngine::load(&dir)
                .with_context(|| format!("the policies in {} do not load", dir.display()))?;
            let errors = engine.validate();
            anyhow::ensure!(
                errors.is_empty(),
                "{} validation error(s):\n{}",
                errors.len(),
                errors.join("\n")
            );
            println!("{}: policies valid against the schema", dir.display());
            Ok(())
        }
        PolicyCommand::Test { cases, dir } => {
            let engine = PolicyEngine::load(&dir)
                .with_context(|| format!("the policies in {} do not load", dir.display()))?;
            let report = haetae_policy::run_policy_tests(&engine, &cases)?;
            println!("{report}");
            anyhow::ensure!(report.all_passed(), "some policy test cases failed");
            Ok(())
        }
        PolicyCommand::Init { dir } => {
            PolicyEngine::write_default_programme(&dir)?;
            println!(
                "wrote the default programme's policies to {}",
                dir.display()
            );
            Ok(())
        }
    }
}

pub fn guard(cmd: GuardCommand) -> anyhow::Result<()> {
    match cmd {
        GuardCommand::Classify { text } => {
            let text = match text {
                Some(t) => t,
                None => std::io::read_to_string(std::io::stdin())?,
            };
            let c = haetae_policy::classify(&text);
            for score in &c.use_cases {
                println!(
                    "{:<32} confidence {:.2}",
                    score.use_case.as_str(),
                    score.confidence
                );
                for ev in &score.evidence {
                    let span = text.get(ev.start..ev.end).unwrap_or("");
                    println!("    {:<28} {:?}", ev.rule_id, span);
                }
            }
            Ok(())
        }
        GuardCommand::Eval {
            set,
            splits,
            json,
            policies,
            no_output_guard,
        } => {
            let first = std::fs::read_to_string(&set)
                .with_context(|| format!("cannot read {}", set.display()))?;
            let adversarial = first
                .lines()
                .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with("//"))
                .and_then(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .is_some_and(|v| v.get("messages").is_some());
            if !adversarial {
                let report = haetae_policy::guard_eval(&set)?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&report)?);
                } else {
                    println!("{report}");
                }
                return Ok(());
            }
            let items = haetae_policy::load_adversarial_set(&set)?;
            let engine = PolicyEngine::load(&policies)
                .with_context(|| format!("the policies in {} do not load", policies.display()))?;
            let guard = haetae_policy::OutputGuard::new();
            // A harmful item that passed the input guard is answered, in this measurement, with the mock
            // upstream's defanged stand-in for the artefact it asked for; the output guard must stop that answer.
            let output = |item: &haetae_policy::AdvItem| {
                haetae_policy::eval::standin_kind(item)
                    .and_then(haetae_mock::artefacts::defanged_artefact)
                    .is_some_and(|answer| guard.scan_whole(answer).is_some())
            };
            let output: Option<&dyn Fn(&haetae_policy::AdvItem) -> bool> =
                if no_output_guard { None } else { Some(&output) };
            let splits: Vec<&str> = splits.iter().map(String::as_str).collect();
            let report = haetae_policy::adversarial_eval(&items, &engine, &splits, output);
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!("{report}");
            }
            Ok(())
        }
    }
}
