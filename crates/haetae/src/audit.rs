//! `haetae audit`: check a Haetae ledger from the outside, with nothing but its URL and public key; and open one
//! of an entry's keyed commitments to a named auditor (`open`, with an administrator key), who checks it
//! (`verify-opening`).

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use haetae_ledger::NoteVerifier;
use haetae_ledger::api::{EntryRef, OpeningRequest, OpeningResponse};
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
    /// Open one committed field of one entry to a named auditor: prints the clear value and the key that proves
    /// it against the public entry (as JSON, for `verify-opening`). The gateway records the opening itself in the
    /// ledger before answering. Needs an administrator key.
    Open {
        /// The entry: its request id, or its leaf index.
        entry: String,
        /// The committed field: org, member, key, detail, model, action, request_id, policy_ids,
        /// declared_use_case, classified_use_case.
        #[arg(long)]
        field: String,
        /// Who the value is disclosed to (recorded, committed, in the opening's own ledger entry).
        #[arg(long)]
        auditor: String,
        /// The gateway's base URL.
        #[arg(long, env = "HAETAE_LEDGER_URL")]
        url: String,
        /// An administrator key (`hka_…`).
        #[arg(long, env = "HAETAE_ADMIN_KEY", hide_env_values = true)]
        admin_key: String,
        /// Also write the opening to this file (mode 0600): it discloses the value.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check an opening printed by `open`: the value and key open the entry's commitment; with --url and --key,
    /// also that the entry is in the log (verified inclusion proof).
    VerifyOpening {
        /// The opening (JSON from `haetae audit open`); `-` reads standard input.
        opening: PathBuf,
        #[arg(long, env = "HAETAE_LEDGER_URL")]
        url: Option<String>,
        #[arg(long, env = "HAETAE_LEDGER_KEY")]
        key: Option<String>,
    },
    /// Disclose a finding under embargo (`haetae scan --maintainer … --ledger`): checks the finding's opening
    /// against the embargo's commitment, has the gateway open the commitment's ledger entry (recorded in the ledger
    /// as the disclosure), and writes the public disclosure bundle. Needs an administrator key.
    Disclose {
        /// The embargo record (disclosure/<id>.embargo.json); updated with the disclosure.
        #[arg(long)]
        embargo: PathBuf,
        /// The finding's opening (disclosure/<id>.opening.json).
        #[arg(long)]
        opening: PathBuf,
        /// Where to write the bundle to publish.
        #[arg(long)]
        out: PathBuf,
        /// The gateway's base URL.
        #[arg(long, env = "HAETAE_LEDGER_URL")]
        url: String,
        /// An administrator key (`hka_…`).
        #[arg(long, env = "HAETAE_ADMIN_KEY", hide_env_values = true)]
        admin_key: String,
    },
    /// Check a disclosure bundle from `disclose` against the log: both entries are in it (verified inclusion
    /// proofs), the commitment entry opens to the finding's digest, the finding's opening matches that digest, and
    /// the disclosure came after the commitment.
    VerifyDisclosure {
        /// The bundle; `-` reads standard input.
        bundle: PathBuf,
        #[arg(long, env = "HAETAE_LEDGER_URL")]
        url: String,
        #[arg(long, env = "HAETAE_LEDGER_KEY")]
        key: String,
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
        AuditCommand::Open {
            entry,
            field,
            auditor,
            url,
            admin_key,
            out,
        } => {
            let entry = match entry.parse::<u64>() {
                Ok(i) => EntryRef::Index(i),
                Err(_) => EntryRef::RequestId(entry),
            };
            let base = url
                .trim_end_matches('/')
                .trim_end_matches("/v1")
                .to_string();
            let (opening, recorded) = haetae_ledger::client::request_opening(
                &base,
                &admin_key,
                &OpeningRequest {
                    entry,
                    field,
                    auditor,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("OPENING FAILED: {e}"))?;
            let json = serde_json::to_string_pretty(&opening)?;
            if let Some(path) = out {
                write_private(&path, json.as_bytes())?;
                eprintln!("wrote the opening to {}", path.display());
            }
            println!("{json}");
            match recorded {
                Some(i) => eprintln!(
                    "entry {} field {} opened to {}; the opening is ledger entry {i}",
                    opening.leaf_index, opening.field, opening.auditor
                ),
                None => eprintln!("warning: the gateway did not say where it recorded the opening"),
            }
            Ok(())
        }
        AuditCommand::VerifyOpening { opening, url, key } => {
            let text = read_input(&opening)?;
            let opening: OpeningResponse = serde_json::from_str(&text)
                .context("not an opening (JSON from `haetae audit open`)")?;
            let entry = opening
                .verify()
                .map_err(|e| anyhow::anyhow!("OPENING DOES NOT VERIFY: {e}"))?;
            println!(
                "opening verifies: entry {} (request {}) commits to {:?} in field {}",
                opening.leaf_index, opening.request_id, opening.value, opening.field
            );
            match (url, key) {
                (Some(url), Some(key)) => {
                    let log = LogArgs {
                        url,
                        key,
                        previous_keys: Vec::new(),
                        witnesses: Vec::new(),
                        cosignatures: None,
                    };
                    let (cp, logged) = log
                        .client()?
                        .prove_request(&opening.request_id)
                        .await
                        .map_err(|e| anyhow::anyhow!("PROOF FAILED: {e}"))?;
                    anyhow::ensure!(
                        logged == entry,
                        "OPENING DOES NOT VERIFY: the log's entry for {} differs from the opening's",
                        opening.request_id
                    );
                    println!(
                        "and the entry is in the log (verified inclusion proof, checkpoint size {})",
                        cp.size
                    );
                }
                (None, None) => println!(
                    "(not checked against the log: pass --url and --key to prove the entry is in it)"
                ),
                _ => anyhow::bail!("--url and --key go together"),
            }
            Ok(())
        }
        AuditCommand::Disclose {
            embargo,
            opening,
            out,
            url,
            admin_key,
        } => {
            let mut record: haetae_scan::disclosure::Embargo =
                serde_json::from_str(&read_input(&embargo)?).context("not an embargo record")?;
            let finding_opening: haetae_scan::disclosure::Opening =
                serde_json::from_str(&read_input(&opening)?).context("not a finding's opening")?;
            let bundle =
                haetae_scan::ledger::disclose(&mut record, finding_opening, &url, &admin_key)
                    .await
                    .map_err(|e| anyhow::anyhow!("DISCLOSURE FAILED: {e}"))?;
            std::fs::write(&out, serde_json::to_vec_pretty(&bundle)?)
                .with_context(|| format!("cannot write {}", out.display()))?;
            std::fs::write(&embargo, serde_json::to_vec_pretty(&record)?)
                .with_context(|| format!("cannot update {}", embargo.display()))?;
            println!(
                "finding {} disclosed: ledger entry {} opened (the opening is recorded by request {}); publish {}",
                record.finding_id,
                bundle.ledger_opening.leaf_index,
                bundle.disclosure_request_id,
                out.display()
            );
            Ok(())
        }
        AuditCommand::VerifyDisclosure { bundle, url, key } => {
            let text = read_input(&bundle)?;
            let bundle: haetae_scan::ledger::DisclosureBundle = serde_json::from_str(&text)
                .context("not a disclosure bundle (JSON from `haetae audit disclose`)")?;
            let mut keys = keys_from(&key)?;
            anyhow::ensure!(keys.len() == 1, "--key must be exactly one verifier key");
            let log = keys.remove(0);
            let r = haetae_scan::ledger::verify_disclosure(&bundle, &url, &log)
                .await
                .map_err(|e| anyhow::anyhow!("DISCLOSURE DOES NOT VERIFY: {e}"))?;
            let f = &r.finding;
            println!(
                "disclosure verifies: finding {} ({} at {}:{}-{}: {})",
                f.id, f.cwe, f.file, f.start_line, f.end_line, f.title
            );
            println!(
                "committed in ledger entry {} at {} ms, recorded as {:?}",
                r.committed_index, r.committed_at_ms, r.recorded_text
            );
            println!(
                "disclosed in ledger entry {} at {} ms (verified inclusion proofs, checkpoint size {})",
                r.disclosed_index, r.disclosed_at_ms, r.tree_size
            );
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
                            clear_or_committed(e, &e.organisation, "org"),
                            clear_or_committed(e, &e.key_id, "key"),
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
        "detail": e.detail, "version": e.version, "commit_key_id": e.commit_key_id,
        "commitments": e.commitments.iter().map(|c| (c.field.clone(), serde_json::Value::from(hex_encode(c.value)))).collect::<serde_json::Map<_, _>>(),
    })
}

/// A v1 entry's clear value, or for v2 whether the field is committed (its value is not public).
fn clear_or_committed(e: &haetae_ledger::Entry, clear: &str, field: &str) -> String {
    if !clear.is_empty() {
        clear.to_string()
    } else if e.commitment(field).is_some() {
        "(committed)".to_string()
    } else {
        String::new()
    }
}

/// A file's text, or standard input's for `-`.
fn read_input(path: &std::path::Path) -> anyhow::Result<String> {
    if path.as_os_str() == "-" {
        Ok(std::io::read_to_string(std::io::stdin())?)
    } else {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    }
}

fn write_private(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    f.write_all(bytes)?;
    Ok(())
}

fn hex_encode(b: [u8; 32]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
