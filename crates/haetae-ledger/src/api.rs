//! HTTP surface shared by the gateway (server) and [`crate::client`] (verifier): route paths and
//! the JSON shapes of proof responses. Hashes are standard base64 (as in checkpoints), entries
//! are base64 of their canonical encoding.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use crate::entry::Entry;
use crate::merkle::{self, Hash};
use crate::note::{Checkpoint, NoteVerifier};

/// GET: latest signed checkpoint, `text/plain; charset=utf-8`.
pub const CHECKPOINT_PATH: &str = "/ledger/checkpoint";
/// GET `/ledger/tile/<tile path>`: hash tiles and entry bundles (`application/octet-stream`);
/// pass what follows the prefix to [`crate::TilePath::parse`].
pub const TILE_PREFIX: &str = "/ledger/tile/";
/// GET `?request_id=<id>`: [`InclusionProofResponse`] as JSON.
pub const INCLUSION_PROOF_PATH: &str = "/ledger/proof/inclusion";
/// GET `?old=<size>[&new=<size>]`: [`ConsistencyProofResponse`] as JSON (`new` defaults to the
/// latest checkpoint's size).
pub const CONSISTENCY_PROOF_PATH: &str = "/ledger/proof/consistency";

/// GET `[?cosignatures=<k>]`: the latest checkpoint cosigned by at least `k` of the log's
/// configured witnesses (default: the number the log requires), all cosignatures attached;
/// 404 while there is none.
pub const WITNESSED_CHECKPOINT_PATH: &str = "/ledger/checkpoint/witnessed";
/// GET: the checkpoint witnesses should cosign in the current round (text/plain), with the
/// cosignatures collected so far.
pub const WITNESS_CANDIDATE_PATH: &str = "/ledger/witness/candidate";
/// POST (text/plain): one of the log's signed checkpoints with the witness's `cosignature/v1`
/// line appended; answered with [`CosignatureResponse`].
pub const COSIGNATURE_PATH: &str = "/ledger/witness/cosignature";

/// POST (admin key): open one commitment of one entry to a named auditor. Body
/// [`OpeningRequest`], answer [`OpeningResponse`]; the opening is itself recorded in the log
/// (its index in the `x-haetae-ledger-index` header) before it is answered.
pub const OPENINGS_PATH: &str = "/admin/v1/ledger/openings";

/// Which entry to open: its leaf index, or the request id it records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum EntryRef {
    Index(u64),
    RequestId(String),
}

/// Body of [`OPENINGS_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OpeningRequest {
    pub entry: EntryRef,
    /// A committed field: `org`, `member`, `key`, `detail`, ….
    pub field: String,
    /// Who the value is disclosed to (recorded, committed, in the opening's own entry).
    pub auditor: String,
}

/// An opening: everything an auditor needs to check, against the public log, that the entry
/// committed to `value` in `field`. Keep it confidential: it discloses `value`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OpeningResponse {
    pub leaf_index: u64,
    pub request_id: String,
    pub field: String,
    pub value: String,
    /// Hex of the 32-byte per-entry, per-field opening key.
    pub opening_key: String,
    /// Hex of the commitment the entry carries for `field`.
    pub commitment: String,
    pub commit_key_id: String,
    pub auditor: String,
    /// Base64 of the entry's canonical bytes (check them against the log with an inclusion proof).
    pub entry: String,
}

impl OpeningResponse {
    pub fn new(
        leaf_index: u64,
        entry: &Entry,
        opening: &crate::commit::Opening,
        auditor: &str,
    ) -> Result<Self, crate::entry::EncodeError> {
        Ok(OpeningResponse {
            leaf_index,
            request_id: entry.request_id.clone(),
            field: opening.field.clone(),
            value: opening.value.clone(),
            opening_key: hex::encode(opening.key),
            commitment: entry
                .commitment(&opening.field)
                .map(hex::encode)
                .unwrap_or_default(),
            commit_key_id: entry.commit_key_id.clone(),
            auditor: auditor.to_owned(),
            entry: B64.encode(entry.encode()?),
        })
    }

    /// The entry this opening is about, decoded from its bytes, once the opening is checked:
    /// `value` under `opening_key` gives the entry's commitment for `field`. Does not check
    /// that the entry is in the log (do that with an inclusion proof).
    pub fn verify(&self) -> Result<Entry, ResponseError> {
        let bytes = B64
            .decode(&self.entry)
            .map_err(|_| ResponseError::Base64("entry"))?;
        let entry = Entry::decode(&bytes)?;
        let key: [u8; 32] = hex::decode(&self.opening_key)
            .ok()
            .and_then(|k| k.try_into().ok())
            .ok_or(ResponseError::Opening(
                "opening_key is not 64 hex characters",
            ))?;
        if entry.request_id != self.request_id {
            return Err(ResponseError::Opening(
                "request_id differs from the entry's",
            ));
        }
        let opening = crate::commit::Opening {
            field: self.field.clone(),
            value: self.value.clone(),
            key,
        };
        if !opening.verify(&entry) {
            return Err(ResponseError::Opening(
                "the value and key do not open the entry's commitment for this field",
            ));
        }
        Ok(entry)
    }
}

/// POST (a member's gateway key): record a commitment to a finding of the caller's organisation, at discovery,
/// for coordinated disclosure. Body [`FindingCommitmentRequest`], answer [`FindingCommitmentResponse`] (201) once
/// the entry is in the log. The entry is administrative; its public part carries only keyed commitments (the text
/// of [`finding_commitment_text`] is its committed `detail`), so an administrator opens it at disclosure
/// ([`OPENINGS_PATH`]).
pub const FINDING_COMMITMENTS_PATH: &str = "/v1/findings/commitments";

/// Body of [`FINDING_COMMITMENTS_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingCommitmentRequest {
    /// The finding's id (`HS-…`): letters, digits, `.`, `_`, `-`; at most 64 characters.
    pub finding_id: String,
    /// SHA-256 of the finding's commitment (lowercase hex), as its embargo record holds it.
    pub digest: String,
    /// One of the caller's organisation's engagements, the finding was made under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement: Option<String>,
}

/// Answer of [`FINDING_COMMITMENTS_PATH`]: the entry that records the commitment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FindingCommitmentResponse {
    /// The entry's request id (what an opening and an inclusion proof name).
    pub request_id: String,
    pub leaf_index: u64,
}

const FINDING_COMMITMENT_TAG: &str = "finding-commitment";

/// Whether `id` may name a finding in a commitment: one word of letters, digits, `.`, `_`, `-`.
pub fn is_finding_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Whether `digest` is a SHA-256 in lowercase hex.
pub fn is_sha256_hex(digest: &str) -> bool {
    digest.len() == 64
        && digest
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The text a finding-commitment entry commits to in its `detail`: the finding and its digest, then `context` (who
/// recorded it, under which engagement), which only those the entry is opened to see.
pub fn finding_commitment_text(finding_id: &str, digest: &str, context: &str) -> String {
    let mut s = format!("{FINDING_COMMITMENT_TAG} {finding_id} sha256:{digest}");
    if !context.trim().is_empty() {
        s.push(' ');
        s.push_str(context.trim());
    }
    s
}

/// The finding id and digest an opened `detail` names; `None` for any other text. Only the first three words are
/// read: what follows is context.
pub fn parse_finding_commitment(text: &str) -> Option<(&str, &str)> {
    let mut words = text.split(' ');
    if words.next()? != FINDING_COMMITMENT_TAG {
        return None;
    }
    let id = words.next()?;
    let digest = words.next()?.strip_prefix("sha256:")?;
    (is_finding_id(id) && is_sha256_hex(digest)).then_some((id, digest))
}

/// Query string of [`INCLUSION_PROOF_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InclusionQuery {
    pub request_id: String,
    /// Prove inclusion in the tree of this size (default: the latest checkpoint's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tree_size: Option<u64>,
}

/// Query string of [`WITNESSED_CHECKPOINT_PATH`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WitnessedQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cosignatures: Option<usize>,
}

/// The log's answer to an accepted cosignature submission.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CosignatureResponse {
    pub origin: String,
    /// Size of the cosigned checkpoint.
    pub size: u64,
    /// Names of the witnesses whose cosignature was new (empty for a resubmission).
    pub accepted: Vec<String>,
    /// Distinct configured witnesses that have now cosigned this checkpoint.
    pub cosignatures: usize,
    /// Cosignatures the log requires before a checkpoint counts.
    pub required: usize,
    /// Whether this checkpoint now counts (`cosignatures >= required`).
    pub counts: bool,
}

/// Query string of [`CONSISTENCY_PROOF_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConsistencyQuery {
    pub old: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<u64>,
}

/// Proof that the entry for a request is in the log, relative to a signed checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InclusionProofResponse {
    pub request_id: String,
    pub leaf_index: u64,
    /// Equals the size in `checkpoint`.
    pub tree_size: u64,
    /// Base64 of the entry's canonical encoding.
    pub entry: String,
    /// Inclusion path, leaf to root, base64 hashes.
    #[serde(with = "b64_hashes")]
    pub proof: Vec<Hash>,
    /// The signed checkpoint (note text) the proof is relative to.
    pub checkpoint: String,
}

/// Proof that the tree at `old_size` is a prefix of the tree in `checkpoint`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConsistencyProofResponse {
    pub old_size: u64,
    pub new_size: u64,
    #[serde(with = "b64_hashes")]
    pub proof: Vec<Hash>,
    /// The signed checkpoint at `new_size`.
    pub checkpoint: String,
}

/// Errors verifying a proof response.
#[derive(Debug, thiserror::Error)]
pub enum ResponseError {
    #[error(transparent)]
    Note(#[from] crate::note::NoteError),
    #[error(transparent)]
    Proof(#[from] merkle::ProofError),
    #[error(transparent)]
    Decode(#[from] crate::entry::DecodeError),
    #[error("response is inconsistent: {0}")]
    Inconsistent(&'static str),
    #[error("{0} is not valid base64")]
    Base64(&'static str),
    #[error("opening does not verify: {0}")]
    Opening(&'static str),
}

impl InclusionProofResponse {
    /// Verify the checkpoint signature, the inclusion proof, and that the entry is for this
    /// request. Returns the checkpoint and the decoded entry.
    pub fn verify(&self, log: &NoteVerifier) -> Result<(Checkpoint, Entry), ResponseError> {
        let (cp, _) = Checkpoint::open(&self.checkpoint, log)?;
        if cp.size != self.tree_size {
            return Err(ResponseError::Inconsistent(
                "tree_size differs from checkpoint",
            ));
        }
        let raw = B64
            .decode(&self.entry)
            .map_err(|_| ResponseError::Inconsistent("entry is not base64"))?;
        let entry = Entry::decode(&raw)?;
        if entry.request_id != self.request_id {
            return Err(ResponseError::Inconsistent("entry is for another request"));
        }
        merkle::verify_inclusion(
            self.leaf_index,
            cp.size,
            &merkle::leaf_hash(&raw),
            &self.proof,
            &cp.root,
        )?;
        Ok((cp, entry))
    }
}

impl ConsistencyProofResponse {
    /// Verify the new checkpoint's signature and that `old` (a checkpoint the caller already
    /// trusts) is a prefix of it. Returns the new checkpoint.
    pub fn verify(
        &self,
        log: &NoteVerifier,
        old: &Checkpoint,
    ) -> Result<Checkpoint, ResponseError> {
        let (cp, _) = Checkpoint::open(&self.checkpoint, log)?;
        if cp.size != self.new_size || old.size != self.old_size || cp.origin != old.origin {
            return Err(ResponseError::Inconsistent(
                "sizes or origin differ from checkpoints",
            ));
        }
        merkle::verify_consistency(old.size, cp.size, &old.root, &cp.root, &self.proof)?;
        Ok(cp)
    }
}

/// serde helper: a 32-byte hash as standard base64.
pub mod b64_hash {
    use super::*;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(h: &Hash, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&B64.encode(h))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Hash, D::Error> {
        let s = String::deserialize(d)?;
        decode(&s).map_err(serde::de::Error::custom)
    }

    pub(crate) fn decode(s: &str) -> Result<Hash, &'static str> {
        B64.decode(s)
            .ok()
            .and_then(|v| v.try_into().ok())
            .ok_or("expected base64 of 32 bytes")
    }
}

/// serde helper: a list of 32-byte hashes as standard base64 strings.
pub mod b64_hashes {
    use super::*;
    use serde::{Deserialize, Deserializer, Serializer, ser::SerializeSeq};

    pub fn serialize<S: Serializer>(v: &[Hash], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for h in v {
            seq.serialize_element(&B64.encode(h))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Hash>, D::Error> {
        let v = Vec::<String>::deserialize(d)?;
        v.iter()
            .map(|s| super::b64_hash::decode(s).map_err(serde::de::Error::custom))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_commitment_text_round_trips_with_or_without_context() {
        let digest = "ab".repeat(32);
        let text = finding_commitment_text("HS-0123456789ab", &digest, "engagement eng-1");
        let recorded = format!("{text} (by mem_alice, at 1 ms)");
        assert_eq!(
            parse_finding_commitment(&recorded),
            Some(("HS-0123456789ab", digest.as_str()))
        );
        assert_eq!(
            parse_finding_commitment(&finding_commitment_text("HS-1", &digest, " ")),
            Some(("HS-1", digest.as_str()))
        );
    }

    #[test]
    fn other_texts_are_not_finding_commitments() {
        for text in [
            "",
            "org create Org A (by cli:root, at 1 ms)",
            "finding-commitment HS-1",
            &format!("finding-commitment HS-1 sha256:{}", "AB".repeat(32)),
            &format!("finding-commitment HS-1 sha256:{}", "ab".repeat(31)),
            &format!("finding-commitment HS-1 md5:{}", "ab".repeat(32)),
            &format!("Finding-commitment HS-1 sha256:{}", "ab".repeat(32)),
            &format!("finding-commitment HS/1 sha256:{}", "ab".repeat(32)),
            &format!("finding-commitment  sha256:{}", "ab".repeat(32)),
        ] {
            assert_eq!(parse_finding_commitment(text), None, "{text}");
        }
    }

    #[test]
    fn finding_ids_are_one_bounded_word() {
        for ok in ["HS-0123456789ab", "a", "x.y_z-1", &"a".repeat(64)] {
            assert!(is_finding_id(ok), "{ok}");
        }
        for bad in ["", "HS 1", "HS/1", "발견-1", &"a".repeat(65), "a\n"] {
            assert!(!is_finding_id(bad), "{bad:?}");
        }
    }
}
