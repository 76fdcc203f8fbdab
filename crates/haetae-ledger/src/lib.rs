//! # haetae-ledger — the Haetae transparency ledger
//!
//! An append-only Merkle log in the Certificate Transparency style. Every gateway decision
//! (allowed, denied, review) and every programme administration action becomes one [`Entry`];
//! entries are hashed into an RFC 6962/9162 Merkle tree; the tree head is published as a
//! C2SP signed-note **checkpoint** (Ed25519) that independent **witnesses** cosign
//! (`cosignature/v1`); and anyone can fetch C2SP **tlog-tiles** and check that nothing was
//! removed or rewritten. This crate has no dependency on the gateway or other haetae crates.
//! The byte formats are specified in `docs/ledger-format.md`.
//!
//! ## Gateway integration
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use haetae_ledger::{Decision, DigestKey, Entry, EntryKind, Ledger, LedgerConfig, NoteSigner};
//!
//! // Startup: load keys (see `NoteSigner::from_private_key_string`, `DigestKey::parse`) and open
//! // the ledger. `open` blocks (it rebuilds the tree), so run it before serving or in
//! // `spawn_blocking`.
//! let signer = NoteSigner::generate("haetae.example.kr/ledger")?;
//! let digest_key = DigestKey::generate("2026-11")?;
//! let ledger = Ledger::open("/var/lib/haetae/ledger", LedgerConfig::new(signer))?;
//!
//! // Record stage: one entry per decision. `append` resolves after fsync (group commit).
//! let commit_key = haetae_ledger::CommitKey::generate("c2026-11")?;
//! let mut e = Entry::new(EntryKind::Request, Decision::Deny, 1_764_000_000_000, "req-01J...");
//! // Who asked is committed, not published; the clear values go in the private part.
//! let (commitments, private) = commit_key.seal(vec![("org".into(), "org-kisa".into())])?;
//! e.commit_key_id = commit_key.id().into();
//! e.commitments = commitments;
//! e.classified_use_case = "malware-creation".into();
//! e.policy_ids = vec!["deny-malware-creation".into()];
//! e.digest_key_id = digest_key.id().into();
//! e.request_digest = Some(digest_key.digest(b"{...request body...}"));
//! let leaf_index = ledger.append_with_private(&e, &private.encode()?).await?;
//!
//! // Fail closed: if the ledger failed (disk error), `append` errors and `health()` says why.
//! assert!(ledger.health().is_ok());
//! # let _ = leaf_index; Ok(()) }
//! ```
//!
//! HTTP routes the gateway should serve (paths in [`api`]):
//!
//! | route | handler |
//! |---|---|
//! | `GET /ledger/checkpoint` | [`Ledger::published_checkpoint`] → `text/plain; charset=utf-8` |
//! | `GET /ledger/tile/{*path}` | [`Ledger::tile_by_path`] → `application/octet-stream` (404 on [`LedgerError::Tile`]); full tiles are immutable and may be cached forever |
//! | `GET /ledger/proof/inclusion?request_id=` | [`Ledger::prove_request`] → JSON [`api::InclusionProofResponse`] |
//! | `GET /ledger/proof/consistency?old=&new=` | [`Ledger::prove_consistency`] → JSON [`api::ConsistencyProofResponse`] |
//!
//! Operational notes for the gateway:
//! * Call [`Ledger::checkpoint`] on a timer (e.g. every second) rather than per request: it
//!   signs only when the tree grew, persists the checkpoint (one fsync), and the persisted
//!   checkpoint is the tripwire that makes reopening refuse a log that lost signed entries.
//! * [`Ledger::health`] belongs in the readiness probe; when it is `Failed`, the record stage
//!   must deny requests (fail closed). Recovery is a restart, which re-runs crash recovery.
//! * Request ids should be unique; [`Ledger::lookup`] returns the first entry with an id.
//!
//! Witness cosignatures (pull model, [`cosignatures`]): witnesses fetch the round's candidate
//! ([`Ledger::witness_candidate`]), check it against the last checkpoint they cosigned using
//! the tiles, and post their cosignature back ([`Ledger::add_cosignatures`], which accepts
//! only the witnesses in [`LedgerConfig::witnesses`] and keeps their lines durably).
//! [`Ledger::witnessed_checkpoint`] is the latest checkpoint with `N` cosignatures — the one
//! that counts — and [`witness::open_witnessed_checkpoint`] checks that on the reader's side.
//!
//! | route | handler |
//! |---|---|
//! | `GET /ledger/checkpoint/witnessed[?cosignatures=K]` | [`Ledger::witnessed_checkpoint`] (404 while `None`) |
//! | `GET /ledger/witness/candidate` | [`Ledger::witness_candidate`] |
//! | `POST /ledger/witness/cosignature` | [`Ledger::add_cosignatures`] → JSON [`api::CosignatureResponse`]; 403 on [`CosignError::UnknownWitness`] / [`CosignError::BadCosignature`] |
//!
//! ## CLI integration (`haetae audit ...`, `haetae witness ...`)
//!
//! * Keys: the gateway creates its log key on first start ([`NoteSigner::generate`] +
//!   [`NoteSigner::save_private_key`]; publish `signer.verifier().to_string()`) and its digest
//!   key ([`DigestKey::generate`] + [`DigestKey::to_key_string`]); `haetae witness init` uses
//!   [`NoteSigner::generate_with_alg`] with [`note::ALG_COSIGNATURE_V1`]. Rotation:
//!   `docs/ledger.md`.
//! * `audit verify --url U --key VKEY [--checkpoint saved.txt] [--full] [--witness W ...
//!   --cosignatures N]` — [`client::LedgerClient::audit`] (feature `client`, on by default),
//!   with [`client::LedgerClient::require_cosignatures`].
//! * `audit prove REQUEST_ID` — [`client::LedgerClient::prove_request`].
//! * `witness cosign|run` — [`client::LedgerClient::fetch_witness_candidate`],
//!   [`client::LedgerClient::consistency_proof_from_tiles`], [`Witness::add_checkpoint`],
//!   [`client::LedgerClient::submit_cosignature`].
//!
//! ## Modules
//! * [`merkle`] — hashing, in-memory tree, RFC 9162 proof generation and verification.
//! * [`entry`] — [`Entry`], its canonical v1/v2 encodings, HMAC body digests.
//! * [`commit`] — keyed commitments, private records, openings for auditors.
//! * [`note`] — signed notes, key formats, [`Checkpoint`].
//! * [`witness`] — `cosignature/v1`, [`Witness`], cosignature counting.
//! * [`cosignatures`] — the log's side: collecting, keeping and counting witnesses' cosignatures.
//! * [`tiles`] — tlog-tiles paths, hash tiles, entry bundles, proofs from tiles.
//! * [`storage`] — [`Ledger`] and its local-file backend: durable storage, group commit, crash recovery.
//! * [`postgres`] — the PostgreSQL backend: one log shared by every replica, a fenced integrator.
//! * [`api`] — HTTP paths and JSON shapes shared by gateway and client.
//! * `client` — the outsider's verifier over HTTP.

pub mod api;
#[cfg(feature = "client")]
pub mod client;
pub mod commit;
pub mod cosignatures;
mod derived;
pub mod entry;
mod ledger;
pub mod merkle;
pub mod note;
pub mod postgres;
mod request_index;
pub mod storage;
pub mod tiles;
pub mod witness;

pub use commit::{CommitError, CommitKey, Opening, PrivateRecord};
pub use cosignatures::{CosignError, WitnessPolicy};
pub use entry::{Commitment, Decision, DigestKey, Entry, EntryKind, body_digest};
pub use merkle::{Hash, MerkleTree, ProofError};
pub use note::{Checkpoint, Note, NoteSigner, NoteVerifier};
pub use storage::{FaultInjector, Health, Ledger, LedgerConfig, LedgerError};
pub use tiles::{TileKind, TilePath};
pub use witness::Witness;
