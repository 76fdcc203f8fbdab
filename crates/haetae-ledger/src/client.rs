//! An outsider's verifier: talks to a gateway serving [`crate::api::CHECKPOINT_PATH`] and
//! [`crate::api::TILE_PREFIX`] and trusts nothing it is sent. Everything is checked against
//! the log's verifier key and, when given, a checkpoint saved earlier by the auditor.
//!
//! ```no_run
//! # async fn demo() -> Result<(), haetae_ledger::client::ClientError> {
//! use haetae_ledger::{NoteVerifier, client::LedgerClient};
//! let log = NoteVerifier::parse("haetae.example/ledger+1a2b3c4d+AY...")?;
//! let client = LedgerClient::new("https://gateway.example", log)?;
//! let saved = std::fs::read_to_string("last-checkpoint.txt").ok();
//! let report = client.audit(saved.as_deref(), true).await?;
//! std::fs::write("last-checkpoint.txt", &report.checkpoint_text).ok();
//! # Ok(()) }
//! ```

use futures::StreamExt as _;

use crate::api::{self, InclusionProofResponse};
use crate::entry::Entry;
use crate::merkle::{self, MerkleTree};
use crate::note::{Checkpoint, Note, NoteError, NoteVerifier};
use crate::tiles::{self, TileError, TileKind, TilePath, TileRecorder, TileStore};
use crate::witness;

/// Errors from the verifier. Any tampering shows up as one of these.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("HTTP error: {0}")]
    Http(#[from] reqwest::Error),
    #[error("{url} returned status {status}: {message}")]
    Status {
        url: String,
        status: u16,
        /// The server's explanation (the `error.message` of an OpenAI-format error body).
        message: String,
    },
    #[error("invalid base URL")]
    BadUrl,
    #[error(transparent)]
    Note(#[from] NoteError),
    #[error("proof failed: {0}")]
    Proof(#[from] merkle::ProofError),
    #[error(transparent)]
    Tile(#[from] TileError),
    #[error("entry {index} does not decode: {source}")]
    Entry {
        index: u64,
        #[source]
        source: crate::entry::DecodeError,
    },
    #[error(transparent)]
    Response(#[from] api::ResponseError),
    #[error(transparent)]
    Witness(#[from] witness::WitnessError),
    #[error("log misbehaviour: {0}")]
    Misbehaviour(String),
    /// The hash tiles served for a signed size do not hash to its root. Tiles are unsigned,
    /// so this proves nothing about the log's history (a broken cache or proxy can cause it),
    /// unlike an inconsistency computed from tiles that do match.
    #[error("the tiles served for tree size {0} do not hash to its signed root")]
    TilesMismatch(u64),
    #[error(
        "request {request_id} is not in the latest witnessed checkpoint (size {size}) yet; \
         try again after the next witnessing round"
    )]
    NotYetWitnessed { request_id: String, size: u64 },
}

/// The explanation in an error response: `error.message` of an OpenAI-format body, else the
/// start of the body.
async fn error_message(resp: reqwest::Response) -> String {
    let text = resp.text().await.unwrap_or_default();
    serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
        .unwrap_or_else(|| text.chars().take(300).collect())
}

/// Result of [`LedgerClient::audit`].
#[derive(Debug, Clone)]
pub struct AuditReport {
    /// The verified latest checkpoint.
    pub checkpoint: Checkpoint,
    /// Its note text; save it and pass it to the next audit.
    pub checkpoint_text: String,
    /// Size of the previously saved checkpoint proven to be a prefix, if one was given.
    pub consistent_with: Option<u64>,
    /// Number of entries downloaded, decoded and re-hashed into the checkpoint's root, if asked.
    pub entries_verified: Option<u64>,
}

/// Verifying client for one log.
#[derive(Debug, Clone)]
pub struct LedgerClient {
    http: reqwest::Client,
    base: String,
    log: NoteVerifier,
    previous_logs: Vec<NoteVerifier>,
    witnesses: Vec<NoteVerifier>,
    required_cosignatures: usize,
    concurrency: usize,
}

impl LedgerClient {
    /// `base_url` is the gateway root, e.g. `https://gateway.example` (no trailing path).
    pub fn new(base_url: &str, log: NoteVerifier) -> Result<Self, ClientError> {
        Self::with_http(reqwest::Client::new(), base_url, log)
    }

    pub fn with_http(
        http: reqwest::Client,
        base_url: &str,
        log: NoteVerifier,
    ) -> Result<Self, ClientError> {
        let base = base_url.trim_end_matches('/').to_owned();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(ClientError::BadUrl);
        }
        Ok(LedgerClient {
            http,
            base,
            log,
            previous_logs: Vec::new(),
            witnesses: Vec::new(),
            required_cosignatures: 0,
            concurrency: 8,
        })
    }

    /// Also accept these (rotated-out) log keys on *saved* checkpoints passed to
    /// [`LedgerClient::audit`]; the latest checkpoint must always be signed by the current key.
    pub fn accept_previous_log_keys(mut self, keys: Vec<NoteVerifier>) -> Self {
        self.previous_logs = keys;
        self
    }

    /// Require at least `required` cosignatures from these witnesses on every checkpoint.
    pub fn require_cosignatures(mut self, witnesses: Vec<NoteVerifier>, required: usize) -> Self {
        self.witnesses = witnesses;
        self.required_cosignatures = required;
        self
    }

    async fn get(&self, path: &str) -> Result<reqwest::Response, ClientError> {
        let url = format!("{}{}", self.base, path);
        let resp = self.http.get(&url).send().await?;
        Self::check(url, resp).await
    }

    async fn check(url: String, resp: reqwest::Response) -> Result<reqwest::Response, ClientError> {
        if !resp.status().is_success() {
            let status = resp.status().as_u16();
            return Err(ClientError::Status {
                url,
                status,
                message: error_message(resp).await,
            });
        }
        Ok(resp)
    }

    /// Verify a checkpoint note: log signature plus required cosignatures.
    pub fn open_checkpoint(&self, text: &str) -> Result<Checkpoint, ClientError> {
        Ok(witness::open_witnessed_checkpoint(
            text,
            &self.log,
            &self.witnesses,
            self.required_cosignatures,
        )?)
    }

    /// Fetch and verify the latest checkpoint. When cosignatures are required, that is the
    /// latest checkpoint the log says enough witnesses cosigned (checked here against our own
    /// witness keys), which lags the latest signed one by up to a witnessing round.
    pub async fn fetch_checkpoint(&self) -> Result<(Checkpoint, String), ClientError> {
        let path = if self.required_cosignatures > 0 {
            format!(
                "{}?cosignatures={}",
                api::WITNESSED_CHECKPOINT_PATH,
                self.required_cosignatures
            )
        } else {
            api::CHECKPOINT_PATH.to_owned()
        };
        let text = self.get(&path).await?.text().await?;
        let cp = self.open_checkpoint(&text)?;
        Ok((cp, text))
    }

    /// The checkpoint the log asks witnesses to cosign now, as served: **unverified** (a
    /// witness checks it with [`crate::Witness::add_checkpoint`]).
    pub async fn fetch_witness_candidate(&self) -> Result<String, ClientError> {
        Ok(self.get(api::WITNESS_CANDIDATE_PATH).await?.text().await?)
    }

    /// Hand a cosigned checkpoint (the log's note with our cosignature line appended) to the log.
    pub async fn submit_cosignature(
        &self,
        note_text: &str,
    ) -> Result<api::CosignatureResponse, ClientError> {
        let url = format!("{}{}", self.base, api::COSIGNATURE_PATH);
        let resp = self
            .http
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .body(note_text.to_owned())
            .send()
            .await?;
        Ok(Self::check(url, resp).await?.json().await?)
    }

    /// A consistency proof from `old_size` to the signed checkpoint `new`, computed from the
    /// log's hash tiles. The tiles are first checked to hash to `new.root`
    /// ([`ClientError::TilesMismatch`] otherwise), so a proof that then fails against an old
    /// root shows the log signed two trees that are not prefixes of each other.
    pub async fn consistency_proof_from_tiles(
        &self,
        old_size: u64,
        new: &Checkpoint,
    ) -> Result<Vec<merkle::Hash>, ClientError> {
        if old_size > new.size {
            return Err(ClientError::Misbehaviour(format!(
                "tree shrank from {old_size} to {}",
                new.size
            )));
        }
        let mut rec = TileRecorder::default();
        let _ = merkle::consistency_proof(&mut rec, old_size, new.size);
        let _ = merkle::root_hash(&mut rec, new.size);
        let mut store = self.fetch_hash_tiles(&rec.paths(new.size)).await?;
        if merkle::root_hash(&mut store, new.size)? != new.root {
            return Err(ClientError::TilesMismatch(new.size));
        }
        Ok(merkle::consistency_proof(&mut store, old_size, new.size)?)
    }

    /// Fetch one tile, falling back to the full tile when a partial one is not served.
    pub async fn fetch_tile(&self, path: &TilePath) -> Result<Vec<u8>, ClientError> {
        let rel = path.to_string();
        let rel = rel.trim_start_matches("tile/");
        match self.get(&format!("{}{rel}", api::TILE_PREFIX)).await {
            Ok(r) => Ok(r.bytes().await?.to_vec()),
            Err(ClientError::Status { status: 404, .. }) if !path.is_full() => {
                let full = TilePath {
                    width: 256,
                    ..*path
                };
                let rel = full.to_string();
                let bytes = self
                    .get(&format!(
                        "{}{}",
                        api::TILE_PREFIX,
                        rel.trim_start_matches("tile/")
                    ))
                    .await?
                    .bytes()
                    .await?;
                let keep = match path.kind {
                    TileKind::Hash(_) => usize::from(path.width) * 32,
                    TileKind::Entries => {
                        // Keep the first `width` length-prefixed entries.
                        let mut pos = 0usize;
                        for _ in 0..path.width {
                            let len = bytes
                                .get(pos..pos + 2)
                                .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
                                .ok_or(TileError::MalformedBundle)?;
                            pos += 2 + len;
                        }
                        pos
                    }
                };
                Ok(bytes
                    .get(..keep)
                    .ok_or(TileError::MalformedBundle)?
                    .to_vec())
            }
            Err(e) => Err(e),
        }
    }

    /// Prove from tiles that `old` is a prefix of `new` (both already signature-checked).
    pub async fn verify_consistency(
        &self,
        old: &Checkpoint,
        new: &Checkpoint,
    ) -> Result<(), ClientError> {
        if old.origin != new.origin {
            return Err(ClientError::Misbehaviour("origin changed".into()));
        }
        if old.size > new.size {
            return Err(ClientError::Misbehaviour(format!(
                "tree shrank from {} to {}",
                old.size, new.size
            )));
        }
        // First pass only records which tiles the proof needs; the second computes it.
        let mut rec = TileRecorder::default();
        let _ = merkle::consistency_proof(&mut rec, old.size, new.size);
        let mut store = self.fetch_hash_tiles(&rec.paths(new.size)).await?;
        let proof = merkle::consistency_proof(&mut store, old.size, new.size)?;
        merkle::verify_consistency(old.size, new.size, &old.root, &new.root, &proof)
            .map_err(|e| ClientError::Misbehaviour(format!("checkpoints are inconsistent: {e}")))
    }

    async fn fetch_hash_tiles(&self, paths: &[TilePath]) -> Result<TileStore, ClientError> {
        let mut store = TileStore::new();
        let fetched: Vec<_> = futures::stream::iter(paths.iter().copied())
            .map(|p| async move { self.fetch_tile(&p).await.map(|b| (p, b)) })
            .buffered(self.concurrency)
            .collect()
            .await;
        for r in fetched {
            let (p, bytes) = r?;
            store.insert(&p, &bytes)?;
        }
        Ok(store)
    }

    /// Download every entry bundle up to `cp.size`, check each entry decodes, recompute the
    /// whole tree and compare with `cp.root`. `on_entry` sees each entry in order.
    pub async fn verify_all_entries(
        &self,
        cp: &Checkpoint,
        mut on_entry: impl FnMut(u64, &Entry),
    ) -> Result<u64, ClientError> {
        let mut tree = MerkleTree::new();
        let n_tiles = cp.size.div_ceil(tiles::TILE_WIDTH);
        let paths =
            (0..n_tiles).filter_map(|n| TilePath::for_tree_size(TileKind::Entries, n, cp.size));
        let mut stream = futures::stream::iter(paths)
            .map(|p| async move { self.fetch_tile(&p).await.map(|b| (p, b)) })
            .buffered(self.concurrency);
        while let Some(r) = stream.next().await {
            let (p, bytes) = r?;
            for raw in tiles::decode_entry_bundle(&bytes, p.width)? {
                let index = tree.size();
                let e =
                    Entry::decode(raw).map_err(|source| ClientError::Entry { index, source })?;
                tree.push_leaf_hash(merkle::leaf_hash(raw));
                on_entry(index, &e);
            }
        }
        if tree.size() != cp.size || tree.root() != cp.root {
            return Err(ClientError::Misbehaviour(
                "entries do not hash to the checkpoint root".into(),
            ));
        }
        Ok(tree.size())
    }

    /// Fetch and verify the inclusion proof for a request id.
    pub async fn prove_request(
        &self,
        request_id: &str,
    ) -> Result<(Checkpoint, Entry), ClientError> {
        // With witnesses required, only a witnessed checkpoint counts: prove inclusion in the
        // tree of the latest one, which need not be the latest signed tree.
        let witnessed = if self.required_cosignatures > 0 {
            Some(self.fetch_checkpoint().await?.0)
        } else {
            None
        };
        let url = format!("{}{}", self.base, api::INCLUSION_PROOF_PATH);
        let resp = self
            .http
            .get(&url)
            .query(&api::InclusionQuery {
                request_id: request_id.to_owned(),
                tree_size: witnessed.as_ref().map(|cp| cp.size),
            })
            .send()
            .await?;
        let resp = Self::check(url, resp).await;
        if let (Some(cp), Err(ClientError::Status { status: 400, .. })) = (&witnessed, &resp) {
            return Err(ClientError::NotYetWitnessed {
                request_id: request_id.to_owned(),
                size: cp.size,
            });
        }
        let body: InclusionProofResponse = resp?.json().await?;
        if body.request_id != request_id {
            return Err(ClientError::Misbehaviour(
                "proof is for another request".into(),
            ));
        }
        match witnessed {
            None => {
                let (cp, entry) = body.verify(&self.log)?;
                Ok((cp, entry))
            }
            Some(cp) => {
                // Check the proof against the witnessed checkpoint we already verified, not
                // against whatever checkpoint text came with it.
                if body.tree_size != cp.size {
                    return Err(ClientError::Misbehaviour(
                        "proof is for another tree size".into(),
                    ));
                }
                let raw =
                    base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &body.entry)
                        .map_err(|_| api::ResponseError::Inconsistent("entry is not base64"))?;
                let entry = Entry::decode(&raw).map_err(|source| ClientError::Entry {
                    index: body.leaf_index,
                    source,
                })?;
                if entry.request_id != request_id {
                    return Err(ClientError::Misbehaviour(
                        "entry is for another request".into(),
                    ));
                }
                merkle::verify_inclusion(
                    body.leaf_index,
                    cp.size,
                    &merkle::leaf_hash(&raw),
                    &body.proof,
                    &cp.root,
                )?;
                Ok((cp, entry))
            }
        }
    }

    /// The whole audit: fetch and verify the latest checkpoint; if `saved` (a checkpoint text
    /// from an earlier audit) is given, verify it and prove the log only grew since; if
    /// `download_all`, recompute the entire tree from the entries.
    pub async fn audit(
        &self,
        saved: Option<&str>,
        download_all: bool,
    ) -> Result<AuditReport, ClientError> {
        let (cp, text) = self.fetch_checkpoint().await?;
        let mut consistent_with = None;
        if let Some(saved) = saved {
            // The saved one was checked when it was saved; witnesses may have rotated, so only
            // the log signature is required here.
            let note = Note::parse(saved)?;
            if !std::iter::once(&self.log)
                .chain(&self.previous_logs)
                .any(|k| note.verify(k))
            {
                return Err(NoteError::NoValidSignature(self.log.name().to_owned()).into());
            }
            let old = Checkpoint::parse_body(&note.text)?;
            if old.size > cp.size && self.required_cosignatures > 0 {
                // The latest witnessed checkpoint lags the latest signed one, so a checkpoint
                // saved from an unwitnessed audit may be newer: then the witnessed one must be
                // a prefix of it instead.
                self.verify_consistency(&cp, &old).await?;
            } else {
                self.verify_consistency(&old, &cp).await?;
            }
            consistent_with = Some(old.size);
        }
        let entries_verified = if download_all {
            Some(self.verify_all_entries(&cp, |_, _| {}).await?)
        } else {
            None
        };
        Ok(AuditReport {
            checkpoint: cp,
            checkpoint_text: text,
            consistent_with,
            entries_verified,
        })
    }
}

/// Asks a gateway to open one commitment to a named auditor (`POST /admin/v1/ledger/openings`, with an
/// administrator key). Returns the opening, checked against the entry bytes it carries, and the index of the
/// ledger entry that records the opening (the `x-haetae-ledger-index` header).
pub async fn request_opening(
    base_url: &str,
    admin_key: &str,
    request: &api::OpeningRequest,
) -> Result<(api::OpeningResponse, Option<u64>), ClientError> {
    let base = base_url.trim_end_matches('/');
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        return Err(ClientError::BadUrl);
    }
    let url = format!("{base}{}", api::OPENINGS_PATH);
    let resp = reqwest::Client::new()
        .post(&url)
        .bearer_auth(admin_key)
        .json(request)
        .send()
        .await?;
    let resp = LedgerClient::check(url, resp).await?;
    let recorded = resp
        .headers()
        .get("x-haetae-ledger-index")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let opening: api::OpeningResponse = resp.json().await?;
    opening.verify()?;
    Ok((opening, recorded))
}
