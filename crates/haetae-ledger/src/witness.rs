//! Witnessing with C2SP `tlog-cosignature` (`cosignature/v1`).
//!
//! A witness cosigns a checkpoint only after checking that it is consistent with the last
//! checkpoint it cosigned for the same origin, so a log cannot show different histories to
//! different parties without some witness noticing. The cosigned message is
//!
//! ```text
//! cosignature/v1
//! time <unix seconds>
//! <checkpoint body>
//! ```
//!
//! and the signature line is `— <witness name> base64(key hash || u64 BE timestamp || Ed25519
//! signature)` with the key hash computed with signature type 0x04.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::merkle::{self, Hash};
use crate::note::{
    ALG_COSIGNATURE_V1, Checkpoint, Note, NoteError, NoteSignature, NoteSigner, NoteVerifier,
};

/// The message a witness signs for a checkpoint body at `timestamp`.
pub fn cosignature_message(checkpoint_body: &str, timestamp: u64) -> String {
    format!("cosignature/v1\ntime {timestamp}\n{checkpoint_body}")
}

/// Produce a `cosignature/v1` signature line for a checkpoint body.
pub fn cosign(
    witness: &NoteSigner,
    checkpoint_body: &str,
    timestamp: u64,
) -> Result<NoteSignature, WitnessError> {
    if witness.alg() != ALG_COSIGNATURE_V1 {
        return Err(WitnessError::Note(NoteError::UnsupportedAlgorithm(
            witness.alg(),
        )));
    }
    let sig = witness.sign_raw(cosignature_message(checkpoint_body, timestamp).as_bytes());
    let mut raw = timestamp.to_be_bytes().to_vec();
    raw.extend_from_slice(&sig);
    Ok(NoteSignature {
        name: witness.name().to_owned(),
        key_hash: witness.key_hash(),
        sig: raw,
    })
}

/// Check one signature line as a `cosignature/v1` by `witness` over `checkpoint_body`; returns
/// its timestamp if valid. The log side uses this to check each line of a submission on its own.
pub fn verify_cosignature_line(
    checkpoint_body: &str,
    line: &NoteSignature,
    witness: &NoteVerifier,
) -> Option<u64> {
    if witness.alg() != ALG_COSIGNATURE_V1
        || line.name != witness.name()
        || line.key_hash != witness.key_hash()
        || line.sig.len() != 72
    {
        return None;
    }
    let mut ts = [0u8; 8];
    ts.copy_from_slice(&line.sig[..8]);
    let ts = u64::from_be_bytes(ts);
    let msg = cosignature_message(checkpoint_body, ts);
    witness
        .verify_raw(msg.as_bytes(), &line.sig[8..])
        .then_some(ts)
}

/// Check one cosignature; returns its timestamp if valid.
pub fn verify_cosignature(note: &Note, witness: &NoteVerifier) -> Option<u64> {
    note.signatures
        .iter()
        .find_map(|s| verify_cosignature_line(&note.text, s, witness))
}

/// Number of distinct trusted witnesses with a valid cosignature on `note`.
pub fn count_cosignatures(note: &Note, witnesses: &[NoteVerifier]) -> usize {
    let mut seen = std::collections::HashSet::new();
    witnesses
        .iter()
        .filter(|w| seen.insert((w.name().to_owned(), w.key_hash())))
        .filter(|w| verify_cosignature(note, w).is_some())
        .count()
}

/// Open a checkpoint and require the log signature plus at least `required` valid cosignatures
/// from distinct trusted witnesses. This is what a gateway or auditor uses to decide whether a
/// checkpoint "counts".
pub fn open_witnessed_checkpoint(
    note_text: &str,
    log: &NoteVerifier,
    witnesses: &[NoteVerifier],
    required: usize,
) -> Result<Checkpoint, WitnessError> {
    let (cp, note) = Checkpoint::open(note_text, log)?;
    let got = count_cosignatures(&note, witnesses);
    if got < required {
        return Err(WitnessError::NotEnoughCosignatures { got, required });
    }
    Ok(cp)
}

/// Errors from witnessing.
#[derive(Debug, thiserror::Error)]
pub enum WitnessError {
    #[error(transparent)]
    Note(#[from] NoteError),
    #[error("checkpoint origin {0:?} is not a log this witness follows")]
    UnknownLog(String),
    #[error("old size {claimed} does not match the witness's latest size {latest}")]
    Conflict { claimed: u64, latest: u64 },
    #[error("checkpoint size {new} is smaller than the witnessed size {latest}")]
    Rollback { new: u64, latest: u64 },
    #[error("consistency proof does not verify: {0}")]
    Inconsistent(#[from] merkle::ProofError),
    #[error("only {got} valid cosignatures, {required} required")]
    NotEnoughCosignatures { got: usize, required: usize },
    #[error("witness state I/O: {0}")]
    Io(#[from] std::io::Error),
    #[error("witness state file is corrupt: {0}")]
    CorruptState(String),
    #[error("witness state {0} is in use by another witness process")]
    Locked(PathBuf),
}

/// What a witness last cosigned for one log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WitnessedState {
    pub size: u64,
    #[serde(with = "crate::api::b64_hash")]
    pub root: Hash,
}

/// A witness: a cosigning key, the logs it follows, and its persisted latest-seen state.
///
/// State file: JSON object `{ "<origin>": { "size": N, "root": "<base64>" } }`, replaced
/// atomically (write temp file, fsync, rename, fsync directory) *before* a cosignature is
/// returned, so a crash can never make the witness cosign two inconsistent checkpoints.
#[derive(Debug)]
pub struct Witness {
    key: NoteSigner,
    logs: BTreeMap<String, NoteVerifier>,
    state_path: PathBuf,
    state: BTreeMap<String, WitnessedState>,
    /// Advisory lock on `<state>.lock`: two processes sharing one state file could each cosign
    /// a different one of two inconsistent checkpoints, which is exactly what a witness exists
    /// to prevent.
    _lock: std::fs::File,
}

impl Witness {
    /// Open (or create) a witness with state at `state_path`. `logs` maps origin → log key.
    pub fn open(
        key: NoteSigner,
        logs: impl IntoIterator<Item = (String, NoteVerifier)>,
        state_path: impl AsRef<Path>,
    ) -> Result<Witness, WitnessError> {
        if key.alg() != ALG_COSIGNATURE_V1 {
            return Err(WitnessError::Note(NoteError::UnsupportedAlgorithm(
                key.alg(),
            )));
        }
        let state_path = state_path.as_ref().to_owned();
        let mut lock_name = state_path.file_name().unwrap_or_default().to_owned();
        lock_name.push(".lock");
        let lock_path = state_path.with_file_name(lock_name);
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)?;
        lock.try_lock().map_err(|e| match e {
            std::fs::TryLockError::WouldBlock => WitnessError::Locked(state_path.clone()),
            std::fs::TryLockError::Error(e) => WitnessError::Io(e),
        })?;
        let state = match std::fs::read(&state_path) {
            Ok(b) => {
                serde_json::from_slice(&b).map_err(|e| WitnessError::CorruptState(e.to_string()))?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(e.into()),
        };
        Ok(Witness {
            key,
            logs: logs.into_iter().collect(),
            state_path,
            state,
            _lock: lock,
        })
    }

    /// The witness's public verifier key (type 0x04).
    pub fn verifier(&self) -> NoteVerifier {
        self.key.verifier()
    }

    /// Latest state witnessed for `origin`.
    pub fn latest(&self, origin: &str) -> Option<&WitnessedState> {
        self.state.get(origin)
    }

    /// The C2SP `add-checkpoint` operation: verify the log signature on `note_text`, check that
    /// `old_size` is the size this witness last cosigned (0 if never), verify `proof` proves
    /// consistency from that tree to the new one, persist the new state, and return the
    /// cosignature line (ending in a newline) to append to the note.
    pub fn add_checkpoint(
        &mut self,
        note_text: &str,
        old_size: u64,
        proof: &[Hash],
        now_unix: u64,
    ) -> Result<String, WitnessError> {
        let note = Note::parse(note_text)?;
        let cp = Checkpoint::parse_body(&note.text)?;
        let log = self
            .logs
            .get(&cp.origin)
            .ok_or_else(|| WitnessError::UnknownLog(cp.origin.clone()))?;
        if !note.verify(log) {
            return Err(NoteError::NoValidSignature(log.name().to_owned()).into());
        }
        let latest = self
            .state
            .get(&cp.origin)
            .cloned()
            .unwrap_or(WitnessedState {
                size: 0,
                root: merkle::empty_root(),
            });
        if old_size != latest.size {
            return Err(WitnessError::Conflict {
                claimed: old_size,
                latest: latest.size,
            });
        }
        if cp.size < latest.size {
            return Err(WitnessError::Rollback {
                new: cp.size,
                latest: latest.size,
            });
        }
        merkle::verify_consistency(latest.size, cp.size, &latest.root, &cp.root, proof)?;
        let mut next = self.state.clone();
        next.insert(
            cp.origin.clone(),
            WitnessedState {
                size: cp.size,
                root: cp.root,
            },
        );
        let json = serde_json::to_vec_pretty(&next)
            .map_err(|e| WitnessError::CorruptState(e.to_string()))?;
        crate::storage::atomic_write(&self.state_path, &json)?;
        self.state = next;
        Ok(cosign(&self.key, &note.text, now_unix)?.to_line())
    }
}
