//! [`Ledger`]: the transparency log the gateway records into, on one of two backends.
//!
//! * **Local file** ([`Ledger::open`], the single-machine default): [`crate::storage`].
//! * **PostgreSQL** ([`Ledger::open_postgres`], one log shared by every gateway replica):
//!   [`crate::postgres`].
//!
//! Both give the same contract: `append` resolves only once the entry is durable (fsync'd, or
//! committed by PostgreSQL), and every checkpoint either backend ever signs extends every earlier
//! one. What a backend provides is the primitives (append, the tree's nodes, entries, the latest
//! checkpoint); everything built from them (proof responses, witnessing, checkpoints at older
//! sizes) lives here once, so the two cannot drift apart.

use std::path::Path;

use crate::api::{ConsistencyProofResponse, CosignatureResponse, InclusionProofResponse};
use crate::cosignatures::{AddError, CosignError, WitnessPolicy};
use crate::entry::Entry;
use crate::merkle::Hash;
use crate::note::Checkpoint;
use crate::postgres::{PgLedger, PostgresOptions};
use crate::storage::{FileLedger, Health, LedgerConfig, LedgerError};
use crate::tiles::TilePath;

/// The transparency ledger. Cheap to clone (a handle); all clones share one log.
#[derive(Clone)]
pub struct Ledger {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    File(FileLedger),
    Postgres(PgLedger),
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.backend {
            Backend::File(l) => l.fmt(f),
            Backend::Postgres(l) => l.fmt(f),
        }
    }
}

/// Calls the same method on whichever backend this ledger has.
macro_rules! dispatch {
    ($self:ident . $method:ident ( $($arg:expr),* )) => {
        match &$self.backend {
            Backend::File(l) => l.$method($($arg),*),
            Backend::Postgres(l) => l.$method($($arg),*),
        }
    };
}

impl Ledger {
    /// Open (creating if needed) the local-file ledger in `dir`, recovering from any torn tail,
    /// and start the group-commit writer thread. Blocking: call from `spawn_blocking` or before
    /// serving.
    pub fn open(dir: impl AsRef<Path>, config: LedgerConfig) -> Result<Ledger, LedgerError> {
        Ok(Ledger {
            backend: Backend::File(FileLedger::open(dir, config)?),
        })
    }

    /// Open the programme's shared ledger in PostgreSQL (creating its tables if needed): this
    /// replica sequences its appends there, and, when `options.integrate` is set, stands for
    /// election as the one integrator. See [`crate::postgres`].
    pub async fn open_postgres(
        options: PostgresOptions,
        config: LedgerConfig,
    ) -> Result<Ledger, LedgerError> {
        Ok(Ledger {
            backend: Backend::Postgres(PgLedger::open(options, config).await?),
        })
    }

    /// The PostgreSQL backend, when this ledger has it (integrator state, for tests and
    /// operations).
    pub fn postgres(&self) -> Option<&PgLedger> {
        match &self.backend {
            Backend::Postgres(l) => Some(l),
            Backend::File(_) => None,
        }
    }

    fn config(&self) -> &LedgerConfig {
        dispatch!(self.config())
    }

    /// `text` (our signed note at `size`) with every witness cosignature collected for it: this
    /// replica's book for the file backend, the programme's table for PostgreSQL.
    fn attach(&self, size: u64, text: String) -> Result<String, LedgerError> {
        match &self.backend {
            Backend::File(l) => Ok(l.book().attach(size, &text)),
            Backend::Postgres(l) => l.attach_cosignatures(text),
        }
    }

    fn latest_checkpoint(&self) -> Result<(u64, String), LedgerError> {
        dispatch!(self.latest_checkpoint())
    }

    /// [`Ledger::append`] with the entry's private part (its encoded
    /// [`crate::commit::PrivateRecord`]): stored with the entry, made durable by the same fsync
    /// (or commit), never served; read back with [`Ledger::private_bytes`].
    pub async fn append_with_private(
        &self,
        entry: &Entry,
        private: &[u8],
    ) -> Result<u64, LedgerError> {
        match &self.backend {
            Backend::File(l) => l.append_with_private(entry, private).await,
            Backend::Postgres(l) => l.append_with_private(entry, private).await,
        }
    }

    /// After a failure (a full disk, an I/O error, a lost database), try to resume: `Ok(false)`
    /// when the ledger was healthy, `Ok(true)` when it recovered; an error (and the ledger stays
    /// failed) when the cause persists. See the backends for what recovery does.
    pub async fn recover(&self) -> Result<bool, LedgerError> {
        match &self.backend {
            Backend::File(l) => l.recover().await,
            Backend::Postgres(l) => l.recover().await,
        }
    }

    /// Healthy, or failed with the reason (then every append fails).
    pub fn health(&self) -> Health {
        dispatch!(self.health())
    }

    /// Group commits (one write and one `fdatasync`, or one database transaction) since this
    /// ledger was opened; appends ÷ commits is the batching factor.
    pub fn commit_count(&self) -> u64 {
        dispatch!(self.commit_count())
    }

    /// Number of entries in the tree that checkpoints cover: every durable entry for the file
    /// backend; the integrated ones for PostgreSQL (sequenced entries join within an
    /// integration round).
    pub fn size(&self) -> u64 {
        dispatch!(self.size())
    }

    /// Root hash of that tree.
    pub fn root(&self) -> Hash {
        dispatch!(self.root())
    }

    /// Root hash of the tree at `size`.
    pub fn root_at(&self, size: u64) -> Result<Hash, LedgerError> {
        dispatch!(self.root_at(size))
    }

    /// Leaf index of the first entry with this request id (for PostgreSQL, also an entry
    /// sequenced but not yet integrated).
    pub fn lookup(&self, request_id: &str) -> Option<u64> {
        dispatch!(self.lookup(request_id))
    }

    /// [`Ledger::lookup`] for async callers: never holds the caller's thread for a database
    /// round trip (PostgreSQL's query runs on the backend's own runtime and is awaited), and
    /// says when it could not look (a lost database) instead of answering "not found", which
    /// callers that append when an id is absent (the admin outbox) must not mistake for
    /// absence. The file backend answers inline: a probe of its on-disk index and the entry read
    /// that confirms a hit are short `pread`s, normally from the page cache.
    pub async fn find_request(&self, request_id: &str) -> Result<Option<u64>, LedgerError> {
        match &self.backend {
            Backend::File(l) => l.find_request(request_id),
            Backend::Postgres(l) => l.find_request(request_id).await,
        }
    }

    /// [`Ledger::tile_by_path`] for async callers (a tile request is a database read on
    /// PostgreSQL; see [`Ledger::find_request`]).
    pub async fn fetch_tile(&self, path: &str) -> Result<Vec<u8>, LedgerError> {
        let path = TilePath::parse(path)?;
        match &self.backend {
            Backend::File(l) => l.tile(&path),
            Backend::Postgres(l) => l.fetch_tile(path).await,
        }
    }

    /// Raw canonical bytes of entry `index`.
    pub fn entry_bytes(&self, index: u64) -> Result<Vec<u8>, LedgerError> {
        dispatch!(self.entry_bytes(index))
    }

    /// The private part stored with entry `index` (empty if none). Confidential: never serve it.
    pub fn private_bytes(&self, index: u64) -> Result<Vec<u8>, LedgerError> {
        dispatch!(self.private_bytes(index))
    }

    /// RFC 9162 inclusion proof of leaf `index` in the tree of `size`.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, LedgerError> {
        dispatch!(self.inclusion_proof(index, size))
    }

    /// RFC 9162 consistency proof between tree sizes `old` and `new`.
    pub fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>, LedgerError> {
        dispatch!(self.consistency_proof(old, new))
    }

    /// Bytes of a tile (hash tile or entry bundle) for the current tree. Partial tiles are
    /// served for any width the tree covers, so they stay valid as the tree grows.
    pub fn tile(&self, path: &TilePath) -> Result<Vec<u8>, LedgerError> {
        dispatch!(self.tile(path))
    }

    /// Append an entry; resolves with its leaf index once it is durably on disk (fsync'd).
    /// Waits if the queue is full (back-pressure; nothing is ever dropped). Fails immediately
    /// if the ledger has failed.
    ///
    /// Cancellation: if the future is dropped after the entry was queued, the entry may still
    /// be committed; only an `Ok` proves it was. A caller that must not serve a response
    /// without a ledger record should await this before responding.
    pub async fn append(&self, entry: &Entry) -> Result<u64, LedgerError> {
        self.append_with_private(entry, &[]).await
    }

    /// Checkpoint origin.
    pub fn origin(&self) -> &str {
        &self.config().origin
    }

    /// Decoded entry `index`.
    pub fn entry(&self, index: u64) -> Result<Entry, LedgerError> {
        Ok(Entry::decode(&self.entry_bytes(index)?)?)
    }

    /// The latest signed checkpoint (note text). File backend: over the durable tree, signing a
    /// new one if the tree grew since the last, persisted before it is returned. PostgreSQL: the
    /// one the elected integrator published. This is the log's signature only;
    /// [`Ledger::published_checkpoint`] adds witnesses' cosignatures.
    pub fn checkpoint(&self) -> Result<String, LedgerError> {
        Ok(self.latest_checkpoint()?.1)
    }

    /// The latest checkpoint as served at `/ledger/checkpoint`: [`Ledger::checkpoint`] plus
    /// every witness cosignature collected for that size.
    pub fn published_checkpoint(&self) -> Result<String, LedgerError> {
        let (size, text) = self.latest_checkpoint()?;
        self.attach(size, text)
    }

    /// A checkpoint at an earlier `size` (at most the durable size), with whatever
    /// cosignatures it collected. Signed afresh: only the latest is persisted, and re-signing
    /// a prefix of the durable tree can never fork the log.
    fn checkpoint_at(&self, size: u64) -> Result<String, LedgerError> {
        let (latest, text) = self.latest_checkpoint()?;
        if size == latest {
            return self.attach(size, text);
        }
        let cp = Checkpoint {
            origin: self.config().origin.clone(),
            size,
            root: self.root_at(size)?,
            extensions: Vec::new(),
        };
        let text = cp.sign(&self.config().signer)?;
        self.attach(size, text)
    }

    /// The witnesses this log accepts cosignatures from and how many it requires.
    pub fn witness_policy(&self) -> WitnessPolicy {
        self.config().witnesses.clone()
    }

    /// The checkpoint witnesses should cosign now (the current round's candidate, with the
    /// cosignatures it has so far); see [`crate::cosignatures`].
    pub fn witness_candidate(&self) -> Result<String, LedgerError> {
        let (size, text) = self.latest_checkpoint()?;
        match &self.backend {
            Backend::File(l) => Ok(l.book().candidate(size, &text)),
            Backend::Postgres(l) => l.witness_candidate(size, text),
        }
    }

    /// The latest checkpoint cosigned by at least `min` distinct configured witnesses (with all
    /// its cosignatures attached), or `None` if there is none yet. `min == 0` is the latest
    /// checkpoint. This is the checkpoint that "counts" when the policy requires `min`.
    pub fn witnessed_checkpoint(&self, min: usize) -> Result<Option<String>, LedgerError> {
        if min == 0 {
            return self.published_checkpoint().map(Some);
        }
        match &self.backend {
            Backend::File(l) => Ok(l.book().witnessed(min).map(|(_, text)| text)),
            Backend::Postgres(l) => l.witnessed(min),
        }
    }

    /// Accept witness cosignatures: `note_text` is one of our signed checkpoints with one or
    /// more `cosignature/v1` lines appended. Each line must be a valid cosignature of a
    /// configured witness; new ones are persisted before this returns. Blocking (an fsync; for
    /// PostgreSQL a transaction, after which every replica serves them).
    pub fn add_cosignatures(&self, note_text: &str) -> Result<CosignatureResponse, LedgerError> {
        let note = crate::note::Note::parse(note_text).map_err(CosignError::Malformed)?;
        let log = self.config().signer.verifier();
        // Before any signature check (these cost nothing): every line must be in our name or a configured
        // witness's, and there may be at most one line per key, which bounds the Ed25519 verifications an
        // unauthenticated caller can make us do.
        let witnesses = &self.config().witnesses.witnesses;
        for s in &note.signatures {
            // A line in our name with another key hash is left to the log-signature check below, which
            // names the real problem (not signed by this log's key).
            let known = s.name == log.name()
                || witnesses
                    .iter()
                    .any(|w| w.name() == s.name && w.key_hash() == s.key_hash);
            if !known {
                return Err(CosignError::UnknownWitness {
                    name: s.name.clone(),
                    key_hash: s.key_hash,
                }
                .into());
            }
        }
        let max = 1 + witnesses.len();
        if note.signatures.len() > max {
            return Err(CosignError::TooManySignatures {
                got: note.signatures.len(),
                max,
            }
            .into());
        }
        if !note.verify(&log) {
            return Err(CosignError::NotThisLog(log.to_string()).into());
        }
        let cp = Checkpoint::parse_body(&note.text).map_err(CosignError::Malformed)?;
        if cp.origin != self.config().origin {
            return Err(CosignError::NotThisLog(log.to_string()).into());
        }
        let ours = if cp.size <= self.size() {
            Some(self.root_at(cp.size)?)
        } else {
            None
        };
        if ours != Some(cp.root) {
            // Our key signed a tree we do not have: the key is compromised or another process
            // signed with it. Loud, because no honest sequence of events produces this.
            tracing::error!(
                size = cp.size,
                "a checkpoint signed with the log key does not match the log"
            );
            return Err(CosignError::Mismatch {
                size: cp.size,
                why: if ours.is_none() {
                    format!("the log has only {} entries", self.size())
                } else {
                    "its root differs from the log's root at that size".into()
                },
            }
            .into());
        }
        let added = match &self.backend {
            Backend::Postgres(l) => return l.add_cosignatures(&note, &cp, &log),
            Backend::File(l) => l.book().add(&note, &cp, &log),
        };
        match added {
            Ok(r) => Ok(r),
            Err(AddError::Refused(e)) => Err(e.into()),
            Err(AddError::Io(source)) => Err(LedgerError::Io {
                context: "persist cosignatures",
                source,
            }),
        }
    }

    /// Inclusion proof for a request id against the latest checkpoint (the gateway's
    /// `GET /ledger/proof/inclusion` handler body).
    pub fn prove_request(&self, request_id: &str) -> Result<InclusionProofResponse, LedgerError> {
        self.prove_request_at(request_id, None)
    }

    /// Inclusion proof for a request id in the tree of `tree_size` (default: the latest
    /// checkpoint), with the checkpoint at that size. An auditor who only trusts witnessed
    /// checkpoints asks at the size of the latest one it accepted.
    pub fn prove_request_at(
        &self,
        request_id: &str,
        tree_size: Option<u64>,
    ) -> Result<InclusionProofResponse, LedgerError> {
        use base64::Engine as _;
        let index = self
            .lookup(request_id)
            .ok_or_else(|| LedgerError::NotFound(request_id.to_owned()))?;
        let (size, checkpoint) = match tree_size {
            None => {
                let (size, text) = self.latest_checkpoint()?;
                (size, self.attach(size, text)?)
            }
            Some(n) => (n, self.checkpoint_at(n)?),
        };
        let proof = self.inclusion_proof(index, size)?;
        let entry = self.entry_bytes(index)?;
        Ok(InclusionProofResponse {
            request_id: request_id.to_owned(),
            leaf_index: index,
            tree_size: size,
            entry: base64::engine::general_purpose::STANDARD.encode(entry),
            proof,
            checkpoint,
        })
    }

    /// Consistency proof from `old` to `new` (default: the latest checkpoint's size), with the
    /// checkpoint at `new` (the gateway's `GET /ledger/proof/consistency` handler body). When
    /// `new` is not the latest size the checkpoint is freshly signed for that size.
    pub fn prove_consistency(
        &self,
        old: u64,
        new: Option<u64>,
    ) -> Result<ConsistencyProofResponse, LedgerError> {
        let (new_size, checkpoint) = match new {
            None => {
                let (size, text) = self.latest_checkpoint()?;
                (size, self.attach(size, text)?)
            }
            Some(n) => (n, self.checkpoint_at(n)?),
        };
        let proof = self.consistency_proof(old, new_size)?;
        Ok(ConsistencyProofResponse {
            old_size: old,
            new_size,
            proof,
            checkpoint,
        })
    }

    /// [`Ledger::tile`] from a path string such as `tile/0/x001/234.p/5` or `0/001`.
    pub fn tile_by_path(&self, path: &str) -> Result<Vec<u8>, LedgerError> {
        self.tile(&TilePath::parse(path)?)
    }
}
