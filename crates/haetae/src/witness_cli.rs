//! `haetae witness`: an independent witness of a gateway's ledger (C2SP tlog-cosignature, pull model).
//!
//! A witness cosigns a checkpoint only after proving, from the log's own hash tiles, that it extends the last
//! checkpoint this witness cosigned for that log. A log that shows one history to some parties and another to
//! others cannot then collect cosignatures on both without a witness refusing one of them. The witness's
//! directory holds:
//!
//! * `witness.key` — the Ed25519 cosignature/v1 signing key (mode 0600), `witness.pub` — its verifier key;
//! * `state.json` — per log origin, the size and root last cosigned (written, fsync'd, before any cosignature
//!   leaves the process), with `state.json.lock` so two witness processes never share it;
//! * `cosigned/<origin>.txt` — the last checkpoint cosigned per log, and `evidence/` — the signed checkpoints
//!   that proved a log misbehaved, with what they contradicted.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Subcommand};
use haetae_ledger::client::{ClientError, LedgerClient};
use haetae_ledger::merkle;
use haetae_ledger::note::ALG_COSIGNATURE_V1;
use haetae_ledger::witness::WitnessError;
use haetae_ledger::{Checkpoint, NoteSigner, NoteVerifier, Witness};

const KEY_FILE: &str = "witness.key";
const PUB_FILE: &str = "witness.pub";
const STATE_FILE: &str = "state.json";

#[derive(Subcommand)]
pub enum WitnessCommand {
    /// Create a witness in DIR: an Ed25519 cosignature/v1 key. Prints the verifier key to give to the log's
    /// operator (it goes in their `ledger_witnesses`).
    Init {
        /// The witness's name, conventionally a URL-like identity (e.g. witness.cert.example.kr).
        #[arg(long)]
        name: String,
        /// The witness's directory (created; must not hold a witness key yet).
        #[arg(long)]
        dir: PathBuf,
    },
    /// Fetch the gateway's checkpoint, prove it consistent with the last one this witness cosigned, cosign it and
    /// hand the cosignature to the gateway. Exits non-zero, cosigning nothing, on any inconsistency.
    Cosign(CosignArgs),
    /// `cosign` every --interval seconds until stopped. Network failures are retried; log misbehaviour (a
    /// rollback or an inconsistent checkpoint) stops the witness with a non-zero exit.
    Run {
        #[command(flatten)]
        args: CosignArgs,
        /// Seconds between rounds; keep it below the gateway's ledger_witness_round_secs (default 30).
        #[arg(long, default_value_t = 10)]
        interval: u64,
    },
}

#[derive(Args, Clone)]
pub struct CosignArgs {
    /// The gateway's base URL (e.g. http://127.0.0.1:8080).
    #[arg(long)]
    url: String,
    /// The log's verifier key (`name+hash+key`), obtained out of band; or a file holding it.
    #[arg(long)]
    log_key: String,
    /// The witness's directory (from `haetae witness init`).
    #[arg(long)]
    dir: PathBuf,
    /// The log's checkpoint origin, if it differs from the log key's name.
    #[arg(long)]
    origin: Option<String>,
}

pub async fn run(cmd: WitnessCommand) -> anyhow::Result<()> {
    match cmd {
        WitnessCommand::Init { name, dir } => init(&name, &dir),
        WitnessCommand::Cosign(args) => {
            let mut w = Session::open(&args)?;
            match w.cosign_once().await {
                Ok(line) => {
                    println!("{line}");
                    Ok(())
                }
                Err(Refusal::Misbehaviour(why)) => {
                    Err(anyhow::anyhow!("LOG MISBEHAVIOUR, not cosigned: {why}"))
                }
                Err(Refusal::Failed(e)) => Err(e.context("not cosigned")),
            }
        }
        WitnessCommand::Run { args, interval } => {
            let mut w = Session::open(&args)?;
            let mut tick = tokio::time::interval(Duration::from_secs(interval.max(1)));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = tokio::signal::ctrl_c() => return Ok(()),
                }
                match w.cosign_once().await {
                    Ok(line) => println!("{line}"),
                    Err(Refusal::Misbehaviour(why)) => {
                        return Err(anyhow::anyhow!("LOG MISBEHAVIOUR, witness stopped: {why}"));
                    }
                    // Transient (the gateway is down, a tile was bad) or fixable by the operator (this witness is
                    // not configured yet): say so and try again next round.
                    Err(Refusal::Failed(e)) => eprintln!("not cosigned this round: {e:#}"),
                }
            }
        }
    }
}

fn init(name: &str, dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let key_path = dir.join(KEY_FILE);
    anyhow::ensure!(
        !key_path.exists(),
        "{} already holds a witness key; a witness keeps its key (see docs/ledger.md on rotation)",
        dir.display()
    );
    let signer = NoteSigner::generate_with_alg(name, ALG_COSIGNATURE_V1)
        .map_err(|e| anyhow::anyhow!("cannot create a witness key named {name:?}: {e}"))?;
    signer
        .save_private_key(&key_path)
        .with_context(|| format!("cannot write {}", key_path.display()))?;
    let verifier = signer.verifier().to_string();
    std::fs::write(dir.join(PUB_FILE), format!("{verifier}\n"))?;
    println!("HAETAE_WITNESS_KEY={verifier}");
    println!();
    println!("Created witness {name} in {}.", dir.display());
    println!(
        "Give the verifier key above to the log's operator: it goes in ledger_witnesses in their haetae.toml."
    );
    println!(
        "Then run: haetae witness run --url <gateway> --log-key <the log's key> --dir {}",
        dir.display()
    );
    Ok(())
}

/// Why a round cosigned nothing.
enum Refusal {
    /// The log signed something that contradicts what this witness cosigned: provable, and never retried.
    Misbehaviour(String),
    /// Anything else: network, a gateway that refused us, unsigned or malformed answers.
    Failed(anyhow::Error),
}

impl From<anyhow::Error> for Refusal {
    fn from(e: anyhow::Error) -> Self {
        Refusal::Failed(e)
    }
}

struct Session {
    client: LedgerClient,
    witness: Witness,
    me: NoteVerifier,
    log: NoteVerifier,
    origin: String,
    url: String,
    dir: PathBuf,
}

impl Session {
    fn open(args: &CosignArgs) -> anyhow::Result<Session> {
        let key_path = args.dir.join(KEY_FILE);
        let key = NoteSigner::load_private_key(&key_path).map_err(|e| {
            anyhow::anyhow!(
                "cannot read the witness key {} ({e}); create one with `haetae witness init`",
                key_path.display()
            )
        })?;
        let text = if Path::new(&args.log_key).is_file() {
            std::fs::read_to_string(&args.log_key)?
        } else {
            args.log_key.clone()
        };
        let log = NoteVerifier::parse(text.trim())
            .map_err(|e| anyhow::anyhow!("invalid --log-key: {e}"))?;
        let origin = args
            .origin
            .clone()
            .unwrap_or_else(|| log.name().to_string());
        let base = args
            .url
            .trim_end_matches('/')
            .trim_end_matches("/v1")
            .to_string();
        let client = LedgerClient::new(&base, log.clone()).map_err(|e| anyhow::anyhow!("{e}"))?;
        let me = key.verifier();
        let witness = Witness::open(
            key,
            [(origin.clone(), log.clone())],
            args.dir.join(STATE_FILE),
        )
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot open the witness state in {}: {e}",
                args.dir.display()
            )
        })?;
        Ok(Session {
            client,
            witness,
            me,
            log,
            origin,
            url: base,
            dir: args.dir.clone(),
        })
    }

    /// One round; returns the line to print.
    async fn cosign_once(&mut self) -> Result<String, Refusal> {
        let text = self
            .client
            .fetch_witness_candidate()
            .await
            .map_err(|e| anyhow::anyhow!("cannot fetch the checkpoint: {e}"))?;
        let (cp, mut note) = Checkpoint::open(&text, &self.log).map_err(|e| {
            anyhow::anyhow!("the gateway's checkpoint does not verify under the log key: {e}")
        })?;
        if cp.origin != self.origin {
            return Err(anyhow::anyhow!(
                "the checkpoint is for origin {:?}, not {:?} (pass --origin if the log's origin differs from its key name)",
                cp.origin,
                self.origin
            )
            .into());
        }
        let (old_size, old_root) = self
            .witness
            .latest(&self.origin)
            .map_or((0, merkle::empty_root()), |s| (s.size, s.root));
        if cp.size < old_size {
            return Err(self.smaller(&text, &cp, old_size, old_root).await);
        }
        let proof = self
            .client
            .consistency_proof_from_tiles(old_size, &cp)
            .await
            .map_err(|e| anyhow::anyhow!("cannot compute the consistency proof: {e}"))?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        // Cosign the note without any cosignature of ours already on it (a resubmission in the same round), so the
        // gateway sees exactly one line from this witness.
        note.signatures
            .retain(|s| !(s.name == self.me.name() && s.key_hash == self.me.key_hash()));
        let line = match self
            .witness
            .add_checkpoint(&note.to_text(), old_size, &proof, now)
        {
            Ok(line) => line,
            // The tiles hashed to the signed new root, so a failing proof means the tree this witness cosigned is
            // not a prefix of the tree the log signed now.
            Err(WitnessError::Inconsistent(e)) => {
                return Err(self.misbehaviour(
                    &text,
                    format!(
                        "the checkpoint of size {} is not consistent with the one of size {old_size} this witness \
                         cosigned ({e}): the log forked",
                        cp.size
                    ),
                ));
            }
            Err(WitnessError::Rollback { new, latest }) => {
                return Err(
                    self.misbehaviour(&text, format!("rollback from size {latest} to {new}"))
                );
            }
            Err(e) => return Err(anyhow::anyhow!("{e}").into()),
        };
        let cosigned = format!("{}{line}", note.to_text());
        self.keep_cosigned(&cosigned);
        let outcome = self
            .client
            .submit_cosignature(&cosigned)
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "cosigned size {}, but the gateway did not take it: {e}",
                    cp.size
                )
            })?;
        Ok(format!(
            "cosigned {} at size {} (previously {old_size}); the gateway holds {} cosignatures on it, {} required{}",
            cp.origin,
            cp.size,
            outcome.cosignatures,
            outcome.required,
            if outcome.counts { ": it counts" } else { "" }
        ))
    }

    /// The log served a checkpoint smaller than one this witness cosigned. Stale (a prefix of it: a cache, or an
    /// old answer) is refused and retried; not a prefix is a fork.
    async fn smaller(
        &self,
        text: &str,
        cp: &Checkpoint,
        old_size: u64,
        old_root: merkle::Hash,
    ) -> Refusal {
        let cosigned = Checkpoint {
            origin: cp.origin.clone(),
            size: old_size,
            root: old_root,
            extensions: Vec::new(),
        };
        // The tiles are checked against our own cosigned root, so a failing proof is the log's doing.
        match self.client.consistency_proof_from_tiles(cp.size, &cosigned).await {
            Ok(proof) => match merkle::verify_consistency(cp.size, old_size, &cp.root, &old_root, &proof) {
                Ok(()) => Refusal::Failed(anyhow::anyhow!(
                    "the gateway served size {}, older than the size {old_size} this witness already cosigned",
                    cp.size
                )),
                Err(e) => self.misbehaviour(
                    text,
                    format!(
                        "the checkpoint of size {} is not a prefix of the one of size {old_size} this witness \
                         cosigned ({e}): the log forked",
                        cp.size
                    ),
                ),
            },
            // Tiles are unsigned, so tiles that disagree with our root prove nothing by themselves; alarming, but
            // not evidence.
            Err(ClientError::TilesMismatch(_)) => Refusal::Failed(anyhow::anyhow!(
                "the gateway served size {}, older than the size {old_size} this witness cosigned, and its tiles do \
                 not match the tree this witness cosigned; investigate",
                cp.size
            )),
            Err(e) => Refusal::Failed(anyhow::anyhow!(
                "the gateway served size {}, older than the size {old_size} this witness cosigned, and its tiles \
                 cannot be checked: {e}",
                cp.size
            )),
        }
    }

    /// Keep the last cosigned checkpoint: with the state file's size and root, it is what a later inconsistency
    /// is proven against. Best effort: the state (already fsync'd) is what guarantees the witness's behaviour.
    fn keep_cosigned(&self, text: &str) {
        let dir = self.dir.join("cosigned");
        let path = dir.join(format!("{}.txt", file_safe(&self.origin)));
        let tmp = path.with_extension("txt.tmp");
        let result = std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&tmp, text))
            .and_then(|()| std::fs::rename(&tmp, &path));
        if let Err(e) = result {
            eprintln!(
                "warning: cannot keep a copy of the cosigned checkpoint in {}: {e}",
                path.display()
            );
        }
    }

    /// Record evidence of misbehaviour, and describe it.
    fn misbehaviour(&self, served: &str, why: String) -> Refusal {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let dir = self.dir.join("evidence");
        let path = dir.join(format!("{now}-{}.txt", file_safe(&self.origin)));
        let previous = std::fs::read_to_string(
            self.dir
                .join("cosigned")
                .join(format!("{}.txt", file_safe(&self.origin))),
        )
        .unwrap_or_else(|_| "(not kept)\n".into());
        let body = format!(
            "haetae witness evidence\nlog: {}\norigin: {}\nserved by: {}\nunix time: {now}\nfinding: {why}\n\n\
             --- last checkpoint this witness cosigned ---\n{previous}\n--- checkpoint the log served ---\n{served}",
            self.log, self.origin, self.url
        );
        let saved = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, body));
        match saved {
            Ok(()) => Refusal::Misbehaviour(format!("{why} (evidence in {})", path.display())),
            Err(e) => Refusal::Misbehaviour(format!("{why} (could not save evidence: {e})")),
        }
    }
}

/// An origin such as `haetae.example.kr/ledger` as one file name.
fn file_safe(origin: &str) -> String {
    origin
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
