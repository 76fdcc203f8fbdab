//! `haetae audit`: check a Haetae ledger from the outside, with nothing but its URL and public key.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use haetae_ledger::NoteVerifier;
use haetae_ledger::client::LedgerClient;

#[derive(Args)]
pub struct LogArgs {
    /// The gateway's base URL (e.g. http://127.0.0.1:8080).
    #[arg(long, env = "HAETAE_LEDGER_URL")]
    url: String,
    /// The log's verifier key (`name+hash+key`), obtained out of band; or a file holding it.
    #[arg(long, env = "HAETAE_LEDGER_KEY")]
    key: String,
    /// A log key the operator has rotated out: still accepted on the checkpoint saved by an earlier run (the latest
    /// checkpoint must be signed by --key). Repeat for several.
    #[arg(long = "previous-key", value_name = "KEY")]
    previous_keys: Vec<String>,
    /// A witness's verifier key (cosignature/v1) whose cosignature counts, or a file of them (one a line).
    /// Repeat for several. With witnesses, only a checkpoint cosigned by enough of them is accepted.
    #[arg(long = "witness", value_name = "KEY")]
    witnesses: Vec<String>,
    /// How many of the given witnesses must have cosigned the checkpoint (default: all of them).
    #[arg(long, value_name = "N")]
    cosignatures: Option<usize>,
}

/// A key given inline, or the path of a file holding it (or, for witnesses, several, one a line).
fn keys_from(arg: &str) -> anyhow::Result<Vec<NoteVerifier>> {
    let text = if std::path::Path::new(arg).is_file() {
        std::fs::read_to_string(arg).with_context(|| format!("cannot read {arg}"))?
    } else {
        arg.to_string()
    };
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            NoteVerifier::parse(l).map_err(|e| anyhow::anyhow!("invalid verifier key {l:?}: {e}"))
        })
        .collect()
}

impl LogArgs {
    fn witness_keys(&self) -> anyhow::Result<Vec<NoteVerifier>> {
        let mut keys = Vec::new();
        for w in &self.witnesses {
            keys.extend(keys_from(w)?);
        }
        Ok(keys)
    }

    /// Cosignatures required: `--cosignatures`, else one from each given witness.
    fn required(&self) -> anyhow::Result<usize> {
        let n = self.witness_keys()?.len();
        let required = self.cosignatures.unwrap_or(n);
        anyhow::ensure!(
            required <= n,
            "--cosignatures {required} needs at least {required} --witness keys (got {n})"
        );
        Ok(required)
    }

    fn client(&self) -> anyhow::Result<LedgerClient> {
        let mut keys = keys_from(&self.key)?;
        anyhow::ensure!(keys.len() == 1, "--key must be exactly one verifier key");
        let verifier = keys.remove(0);
        let base = self
            .url
            .trim_end_matches('/')
            .trim_end_matches("/v1")
            .to_string();
        let mut previous = Vec::new();
        for k in &self.previous_keys {
            previous.extend(keys_from(k)?);
        }
        let client = LedgerClient::new(&base, verifier).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(client
            .accept_previous_log_keys(previous)
            .require_cosignatures(self.witness_keys()?, self.required()?))
    }
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Verify the latest checkpoint's signature and its consistency with one saved earlier; optionally
    /// download every entry and recompute the tree.
    Verify {
        #[command(flatten)]
        log: LogArgs,
        /// A checkpoint saved by an earlier run; the new one must extend it. Updated on success.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        /// Also download all entries and recompute the root.
        #[arg(long)]
        full: bool,
    },
    /// Prove that a request's entry is in the log.
    Prove {
        request_id: String,
        #[command(flatten)]
        log: LogArgs,
    },
    /// Show the log's entries (verified against the checkpoint as they are read).
    Show {
        #[command(flatten)]
        log: LogArgs,
        /// Only the last N entries.
        #[arg(long, default_value_t = 50)]
        last: u64,
    },
}

pub async fn run(cmd: AuditCommand) -> anyhow::Result<()> {
    match cmd {
        AuditCommand::Verify {
            log,
            checkpoint,
            full,
        } => {
            let client = log.client()?;
            let (witnesses, required) = (log.witness_keys()?, log.required()?);
            let saved = match &checkpoint {
                Some(p) if p.exists() => Some(
                    std::fs::read_to_string(p)
                        .with_context(|| format!("cannot read {}", p.display()))?,
                ),
                _ => None,
            };
            let report = client
                .audit(saved.as_deref(), full)
                .await
                .map_err(|e| anyhow::anyhow!("VERIFICATION FAILED: {e}"))?;
            println!(
                "checkpoint: {} size {} — signature OK",
                report.checkpoint.origin, report.checkpoint.size
            );
            if !witnesses.is_empty() {
                let note = haetae_ledger::Note::parse(&report.checkpoint_text)?;
                println!(
                    "cosigned by {} of the {} given witnesses ({required} required)",
                    haetae_ledger::witness::count_cosignatures(&note, &witnesses),
                    witnesses.len()
                );
            }
            match report.consistent_with {
                Some(old) => println!(
                    "consistent with the saved checkpoint of size {old}: nothing was removed or rewritten"
                ),
                None => println!(
                    "no saved checkpoint to compare with (pass --checkpoint FILE to keep one)"
                ),
            }
            if let Some(n) = report.entries_verified {
                println!("recomputed the tree from all {n} entries: root matches");
            }
            if let Some(p) = checkpoint {
                // A witnessed checkpoint can be older than one saved by an earlier audit; keep the newer pin.
                if report
                    .consistent_with
                    .is_some_and(|old| old > report.checkpoint.size)
                {
                    println!(
                        "kept the saved checkpoint in {} (newer than the latest witnessed one)",
                        p.display()
                    );
                } else {
                    std::fs::write(&p, &report.checkpoint_text)
                        .with_context(|| format!("cannot save {}", p.display()))?;
                    println!("saved the checkpoint to {}", p.display());
                }
            }
            Ok(())
        }
        AuditCommand::Prove { request_id, log } => {
            let client = log.client()?;
            let (cp, entry) = client
                .prove_request(&request_id)
                .await
                .map_err(|e| anyhow::anyhow!("PROOF FAILED: {e}"))?;
            println!(
                "request {request_id} is in the log (checkpoint size {}): verified inclusion proof",
                cp.size
            );
            println!("{}", serde_json::to_string_pretty(&entry_json(&entry))?);
            Ok(())
        }
        AuditCommand::Show { log, last } => {
            let client = log.client()?;
            let (cp, _) = client
                .fetch_checkpoint()
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let first = cp.size.saturating_sub(last);
            let mut rows = vec![
                [
                    "#",
                    "TIME (ms)",
                    "KIND",
                    "DECISION",
                    "REQUEST",
                    "ORG",
                    "KEY",
                    "MODEL",
                    "ACTION",
                    "POLICIES",
                    "TOKENS",
                ]
                .map(String::from)
                .to_vec(),
            ];
            client
                .verify_all_entries(&cp, |i, e| {
                    if i >= first {
                        rows.push(vec![
                            i.to_string(),
                            e.time_unix_ms.to_string(),
                            format!("{:?}", e.kind),
                            format!("{:?}", e.decision),
                            e.request_id.clone(),
                            e.organisation.clone(),
                            e.key_id.clone(),
                            e.model.clone(),
                            e.action.clone(),
                            e.policy_ids.join(","),
                            format!("{}+{}", e.prompt_tokens, e.completion_tokens),
                        ]);
                    }
                })
                .await
                .map_err(|e| anyhow::anyhow!("VERIFICATION FAILED: {e}"))?;
            crate::admin_cli::print_rows(&rows);
            println!(
                "({} entries, all verified against checkpoint size {})",
                rows.len() - 1,
                cp.size
            );
            Ok(())
        }
    }
}

fn entry_json(e: &haetae_ledger::Entry) -> serde_json::Value {
    serde_json::json!({
        "kind": format!("{:?}", e.kind), "decision": format!("{:?}", e.decision), "time_unix_ms": e.time_unix_ms,
        "request_id": e.request_id, "organisation": e.organisation, "member": e.member, "key_id": e.key_id,
        "model": e.model, "action": e.action, "declared_use_case": e.declared_use_case,
        "classified_use_case": e.classified_use_case, "policy_ids": e.policy_ids,
        "prompt_tokens": e.prompt_tokens, "completion_tokens": e.completion_tokens,
        "request_digest": e.request_digest.map(hex_encode), "response_digest": e.response_digest.map(hex_encode),
        "detail": e.detail,
    })
}

fn hex_encode(b: [u8; 32]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
