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
    /// Per-use-case precision and recall, and the false-refusal rate, on a labelled JSONL set.
    Eval {
        #[arg(default_value = "crates/haetae-policy/testdata/guard-set.jsonl")]
        set: PathBuf,
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
        GuardCommand::Eval { set } => {
            let report = haetae_policy::guard_eval(&set)?;
            println!("{report}");
            Ok(())
        }
    }
}
