//! The log's side of witnessing: collecting witnesses' `cosignature/v1` lines on our own
//! checkpoints, keeping them durably, and answering "which is the latest checkpoint that at
//! least `k` of our witnesses have cosigned?" (see [`crate::witness`] for the witness's side).
//!
//! ## Rounds
//! Witnesses pull: each fetches the **candidate** checkpoint ([`crate::api::WITNESS_CANDIDATE_PATH`]),
//! checks it against what it cosigned before, and posts its cosignature back. The log signs a
//! new checkpoint every second it grows, so if every witness simply cosigned the latest one,
//! witnesses polling at different moments would cosign different sizes and no size would ever
//! gather `N` cosignatures. The candidate therefore stays fixed for a *round*: it moves to the
//! latest checkpoint only once every configured witness has cosigned it, or a larger checkpoint
//! has already collected cosignatures, or the round has lasted [`WitnessPolicy::round`]. A
//! witness that polls at least once per round cosigns every round it is alive for.
//!
//! ## What is kept
//! Per checkpoint size, the note (our signature plus the cosignature lines in arrival order)
//! and which configured witnesses cosigned it. A checkpoint is dropped once a larger one has at
//! least as many cosignatures ("dominated"): it can then never be the answer to any query. What
//! is left has strictly fewer cosignatures the larger it is, so at most one entry per configured
//! witness survives, and the file stays small. Only configured witnesses are counted, and a
//! witness removed from the list loses its lines when the ledger is next opened (`Book::load`).
//! The file (`cosignatures.json` in the ledger directory) is replaced atomically (temp file,
//! fsync, rename, fsync directory) before a submission is acknowledged. This is the file
//! backend's book; the shared PostgreSQL ledger keeps cosignatures and the round in its tables,
//! so every replica serves them (the same checks, `check_submission`, and the same round rules).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::api::CosignatureResponse;
use crate::merkle::Hash;
use crate::note::{ALG_COSIGNATURE_V1, Checkpoint, Note, NoteError, NoteSignature, NoteVerifier};
use crate::witness::verify_cosignature_line;

/// File in the ledger directory holding the collected cosignatures.
pub const COSIGNATURES_FILE: &str = "cosignatures.json";

/// Which witnesses the log trusts, and how many of them make a checkpoint count.
#[derive(Debug, Clone)]
pub struct WitnessPolicy {
    /// Verifier keys (type 0x04, `cosignature/v1`) of the witnesses whose cosignatures the log
    /// accepts. Anyone else's submission is refused.
    pub witnesses: Vec<NoteVerifier>,
    /// Cosignatures from distinct witnesses a checkpoint needs before it counts
    /// (0: every checkpoint counts as soon as it is signed).
    pub required: usize,
    /// Longest a candidate stays open while some witness has not cosigned it.
    pub round: Duration,
}

impl Default for WitnessPolicy {
    fn default() -> Self {
        WitnessPolicy {
            witnesses: Vec::new(),
            required: 0,
            round: Duration::from_secs(30),
        }
    }
}

impl WitnessPolicy {
    /// Check the policy can be met; called by [`crate::Ledger::open`], so a gateway that could
    /// never count a checkpoint refuses to start rather than run unwitnessed.
    pub fn validate(&self) -> Result<(), String> {
        let mut seen = BTreeSet::new();
        for w in &self.witnesses {
            if w.alg() != ALG_COSIGNATURE_V1 {
                return Err(format!(
                    "witness key {w} is not a cosignature/v1 key (type 0x04); \
                     create witness keys with `haetae witness init`"
                ));
            }
            if !seen.insert((w.name().to_owned(), w.key_hash())) {
                return Err(format!("witness key {w} is listed twice"));
            }
        }
        if self.required > self.witnesses.len() {
            return Err(format!(
                "{} cosignatures are required but only {} witnesses are configured",
                self.required,
                self.witnesses.len()
            ));
        }
        Ok(())
    }

    fn find(&self, name: &str, key_hash: u32) -> Option<(usize, &NoteVerifier)> {
        self.witnesses
            .iter()
            .enumerate()
            .find(|(_, w)| w.name() == name && w.key_hash() == key_hash)
    }
}

/// Why a cosignature submission was refused.
#[derive(Debug, thiserror::Error)]
pub enum CosignError {
    #[error("the submission is not a signed note: {0}")]
    Malformed(#[source] NoteError),
    #[error("the checkpoint is not signed by this log's key {0}")]
    NotThisLog(String),
    #[error("the checkpoint of size {size} is not one this log signed: {why}")]
    Mismatch { size: u64, why: String },
    #[error("{name}+{key_hash:08x} is not one of this log's witnesses")]
    UnknownWitness { name: String, key_hash: u32 },
    #[error("the cosignature of witness {0} does not verify")]
    BadCosignature(String),
    #[error("the note carries no witness cosignature, only the log's own signature")]
    NoCosignature,
    #[error(
        "the note has {got} signature lines; at most {max} (the log's and one per witness) are accepted"
    )]
    TooManySignatures { got: usize, max: usize },
}

#[derive(Debug, Clone)]
struct Cosigned {
    note: Note,
    /// Indices into `WitnessPolicy::witnesses` of the witnesses whose cosignature is in `note`.
    by: BTreeSet<usize>,
}

#[derive(Debug, Clone)]
struct Candidate {
    size: u64,
    /// Log-signed note text, without cosignatures.
    text: String,
    opened: Instant,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct File {
    version: u32,
    /// Note texts: the checkpoint, our signature, then the cosignatures.
    checkpoints: Vec<String>,
}

/// The collected cosignatures (held by [`crate::Ledger`] behind a mutex).
#[derive(Debug)]
pub(crate) struct Book {
    policy: WitnessPolicy,
    path: PathBuf,
    entries: BTreeMap<u64, Cosigned>,
    candidate: Option<Candidate>,
}

/// The first signature line that is a valid signature of `log` over the note text.
fn log_line(note: &Note, log: &NoteVerifier) -> Option<NoteSignature> {
    note.signatures
        .iter()
        .find(|s| {
            s.name == log.name()
                && s.key_hash == log.key_hash()
                && log.verify_raw(note.text.as_bytes(), &s.sig)
        })
        .cloned()
}

impl Book {
    /// Load `dir/cosignatures.json`. Entries signed by another log key (the key was rotated) are
    /// dropped, as are cosignatures of witnesses no longer configured; an entry whose tree is
    /// not ours is corruption (`root_at` gives our root at a size, `None` beyond our tree).
    ///
    /// A retired witness's lines go at once, with no grace period as the shared ledger has
    /// (`postgres::PostgresOptions::retired_witness_grace`): this file has one reader, this
    /// process, whose witness list is fixed until it restarts, so no other replica can still be
    /// counting them. They leave memory here, and the file at its next write; an entry left with
    /// no configured witness is dropped, and one the retired lines kept from being dominated is
    /// pruned below.
    pub(crate) fn load(
        dir: &Path,
        policy: WitnessPolicy,
        log: &NoteVerifier,
        origin: &str,
        root_at: impl Fn(u64) -> Option<Hash>,
    ) -> Result<Book, String> {
        let path = dir.join(COSIGNATURES_FILE);
        let mut book = Book {
            policy,
            path,
            entries: BTreeMap::new(),
            candidate: None,
        };
        let bytes = match std::fs::read(&book.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(book),
            Err(e) => return Err(format!("cannot read {}: {e}", book.path.display())),
        };
        let file: File = serde_json::from_slice(&bytes)
            .map_err(|e| format!("{} does not parse: {e}", book.path.display()))?;
        if file.version != 1 {
            return Err(format!(
                "{} has unknown version {}",
                book.path.display(),
                file.version
            ));
        }
        for text in &file.checkpoints {
            let note = Note::parse(text).map_err(|e| format!("a cosigned checkpoint: {e}"))?;
            let Some(log_sig) = log_line(&note, log) else {
                tracing::warn!(
                    "dropping cosignatures on a checkpoint signed by a previous log key"
                );
                continue;
            };
            let cp = Checkpoint::parse_body(&note.text)
                .map_err(|e| format!("a cosigned checkpoint: {e}"))?;
            if cp.origin != origin {
                continue;
            }
            if root_at(cp.size) != Some(cp.root) {
                return Err(format!(
                    "the cosigned checkpoint of size {} does not match the recovered log",
                    cp.size
                ));
            }
            let mut kept = Cosigned {
                note: Note {
                    text: note.text.clone(),
                    signatures: vec![log_sig],
                },
                by: BTreeSet::new(),
            };
            for s in &note.signatures {
                if let Some((i, w)) = book.policy.find(&s.name, s.key_hash)
                    && verify_cosignature_line(&note.text, s, w).is_some()
                    && kept.by.insert(i)
                {
                    kept.note.signatures.push(s.clone());
                }
            }
            if !kept.by.is_empty() {
                book.entries.insert(cp.size, kept);
            }
        }
        book.prune();
        Ok(book)
    }

    /// `text` (our signed note at `size`) with every cosignature collected for that size.
    pub(crate) fn attach(&self, size: u64, text: &str) -> String {
        match self.entries.get(&size) {
            Some(c) => c.note.to_text(),
            None => text.to_owned(),
        }
    }

    /// Number of configured witnesses that cosigned the checkpoint at `size`.
    pub(crate) fn count(&self, size: u64) -> usize {
        self.entries.get(&size).map_or(0, |c| c.by.len())
    }

    /// The largest checkpoint with at least `min` (≥ 1) cosignatures, as note text.
    pub(crate) fn witnessed(&self, min: usize) -> Option<(u64, String)> {
        self.entries
            .iter()
            .rev()
            .find(|(_, c)| c.by.len() >= min)
            .map(|(s, c)| (*s, c.note.to_text()))
    }

    /// The checkpoint witnesses should cosign now, given the latest signed one; see the
    /// module documentation for when the round moves on.
    pub(crate) fn candidate(&mut self, latest_size: u64, latest_text: &str) -> String {
        let all = self.policy.witnesses.len();
        let rotate = match &self.candidate {
            None => true,
            Some(c) => {
                latest_size > c.size
                    && (self.count(c.size) >= all
                        || self.entries.range(c.size + 1..).next().is_some()
                        || c.opened.elapsed() >= self.policy.round)
            }
        };
        if rotate {
            self.candidate = Some(Candidate {
                size: latest_size,
                text: latest_text.to_owned(),
                opened: Instant::now(),
            });
        }
        match &self.candidate {
            Some(c) => self.attach(c.size, &c.text),
            None => latest_text.to_owned(),
        }
    }

    /// Add the witness cosignatures in `note` (already checked to be our signed checkpoint
    /// `cp`). Every signature line must be ours or a valid cosignature of a configured witness.
    /// New cosignatures are persisted before this returns.
    pub(crate) fn add(
        &mut self,
        note: &Note,
        cp: &Checkpoint,
        log: &NoteVerifier,
    ) -> Result<CosignatureResponse, AddError> {
        let Submission { log_sig, offered } =
            check_submission(&self.policy, note, log).map_err(AddError::Refused)?;
        let mut entries = self.entries.clone();
        let entry = entries.entry(cp.size).or_insert_with(|| Cosigned {
            note: Note {
                text: note.text.clone(),
                signatures: vec![log_sig],
            },
            by: BTreeSet::new(),
        });
        let mut accepted = Vec::new();
        for (i, s) in offered {
            // The first cosignature of a witness on a size is kept; a later one (another
            // timestamp) adds nothing, and ignoring it keeps resubmissions free of disk writes.
            if entry.by.insert(i) {
                entry.note.signatures.push(s.clone());
                accepted.push(s.name.clone());
            }
        }
        let cosignatures = entry.by.len();
        if !accepted.is_empty() {
            let before = std::mem::replace(&mut self.entries, entries);
            self.prune();
            if let Err(e) = self.persist() {
                self.entries = before;
                return Err(AddError::Io(e));
            }
        }
        Ok(CosignatureResponse {
            origin: cp.origin.clone(),
            size: cp.size,
            accepted,
            cosignatures,
            required: self.policy.required,
            counts: cosignatures >= self.policy.required,
        })
    }

    /// Drop every checkpoint that a larger one matches or beats in cosignatures.
    fn prune(&mut self) {
        let mut best = 0usize;
        let mut dominated = Vec::new();
        for (size, c) in self.entries.iter().rev() {
            if c.by.len() <= best {
                dominated.push(*size);
            } else {
                best = c.by.len();
            }
        }
        for s in dominated {
            self.entries.remove(&s);
        }
    }

    fn persist(&self) -> std::io::Result<()> {
        let file = File {
            version: 1,
            checkpoints: self.entries.values().map(|c| c.note.to_text()).collect(),
        };
        let json = serde_json::to_vec_pretty(&file).map_err(std::io::Error::other)?;
        crate::storage::atomic_write(&self.path, &json)
    }
}

/// A submission's cosignatures, checked: our signature line, and each offered witness line with
/// its index into [`WitnessPolicy::witnesses`].
pub(crate) struct Submission<'a> {
    pub(crate) log_sig: NoteSignature,
    pub(crate) offered: Vec<(usize, &'a NoteSignature)>,
}

/// Every signature line of `note` must be ours or a valid cosignature of a configured witness,
/// and there must be at least one of the latter (both backends keep what this accepts).
pub(crate) fn check_submission<'a>(
    policy: &WitnessPolicy,
    note: &'a Note,
    log: &NoteVerifier,
) -> Result<Submission<'a>, CosignError> {
    let mut offered = Vec::new();
    for s in &note.signatures {
        if s.name == log.name() && s.key_hash == log.key_hash() {
            continue;
        }
        let Some((i, w)) = policy.find(&s.name, s.key_hash) else {
            return Err(CosignError::UnknownWitness {
                name: s.name.clone(),
                key_hash: s.key_hash,
            });
        };
        if verify_cosignature_line(&note.text, s, w).is_none() {
            return Err(CosignError::BadCosignature(w.to_string()));
        }
        offered.push((i, s));
    }
    if offered.is_empty() {
        return Err(CosignError::NoCosignature);
    }
    let log_sig = log_line(note, log).ok_or_else(|| CosignError::NotThisLog(log.to_string()))?;
    Ok(Submission { log_sig, offered })
}

/// [`Book::add`]'s failure: the submission's fault, or ours.
#[derive(Debug)]
pub(crate) enum AddError {
    Refused(CosignError),
    Io(std::io::Error),
}
