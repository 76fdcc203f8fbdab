//! Ledger entries and their canonical, versioned byte encoding (format v1).
//!
//! The exact layout is specified in `docs/ledger-format.md`; in short, every entry is:
//!
//! ```text
//! u8  version (= 1)
//! u8  kind        (1 = request, 2 = admin)
//! u8  decision    (1 = allow, 2 = deny, 3 = review)
//! u64 time        (Unix milliseconds, big-endian)
//! str request_id, organisation, member, key_id, model, action,
//!     declared_use_case, classified_use_case       (each: u16 BE length + UTF-8)
//! u8  n_policies, then n × str policy id
//! u64 prompt_tokens, u64 completion_tokens         (big-endian)
//! str digest_key_id
//! u8  digest flags (bit 0 = request digest present, bit 1 = response digest present)
//!     then 32 bytes per present digest, request first
//! str detail
//! ```
//!
//! There is exactly one encoding of each value (no optional padding, no trailing bytes, no unused
//! flag bits), so `encode(decode(b)) == b` whenever `decode(b)` succeeds. Entries never contain
//! prompt or completion text: bodies are represented only by keyed HMAC-SHA256 digests (see
//! [`DigestKey`]), so that a published ledger does not leak content and digests cannot be
//! brute-forced against guessed prompts without the key.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The current (and only) entry format version.
pub const ENTRY_VERSION: u8 = 1;

/// Maximum encoded entry size. tlog-tiles entry bundles prefix each entry with a big-endian
/// uint16 length, so nothing larger can ever be served.
pub const MAX_ENTRY_SIZE: usize = u16::MAX as usize;

/// What kind of event an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A model request passing through the gateway pipeline.
    Request = 1,
    /// A programme administration action (key issue/revoke, vetting, tier, policy change, …).
    Admin = 2,
}

/// The decision recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Allow = 1,
    Deny = 2,
    Review = 3,
}

/// One ledger record. All strings are identifiers or short labels, never user content.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub kind: EntryKind,
    pub decision: Decision,
    /// Unix time in milliseconds.
    pub time_unix_ms: u64,
    /// Gateway request id (for admin actions: the admin request id). Used for `prove` lookups.
    pub request_id: String,
    pub organisation: String,
    pub member: String,
    pub key_id: String,
    pub model: String,
    /// What happened: e.g. `chat.completions`, `embeddings`, `key.issue`, `key.revoke`,
    /// `vetting.decide`, `tier.assign`, `policy.update`.
    pub action: String,
    pub declared_use_case: String,
    pub classified_use_case: String,
    /// Ids of the policies that decided (Cedar policy ids). At most 255.
    pub policy_ids: Vec<String>,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    /// Which HMAC key produced the body digests (supports key rotation); empty if none.
    pub digest_key_id: String,
    /// HMAC-SHA256 of the request body under the digest key.
    pub request_digest: Option<[u8; 32]>,
    /// HMAC-SHA256 of the response body under the digest key.
    pub response_digest: Option<[u8; 32]>,
    /// Short non-confidential detail for admin actions (e.g. `tier=3`, a policy-set hash).
    pub detail: String,
}

impl Entry {
    /// A request entry with empty fields, for builder-style construction.
    pub fn new(kind: EntryKind, decision: Decision, time_unix_ms: u64, request_id: &str) -> Self {
        Entry {
            kind,
            decision,
            time_unix_ms,
            request_id: request_id.to_owned(),
            organisation: String::new(),
            member: String::new(),
            key_id: String::new(),
            model: String::new(),
            action: String::new(),
            declared_use_case: String::new(),
            classified_use_case: String::new(),
            policy_ids: Vec::new(),
            prompt_tokens: 0,
            completion_tokens: 0,
            digest_key_id: String::new(),
            request_digest: None,
            response_digest: None,
            detail: String::new(),
        }
    }

    /// Encode in the canonical v1 format.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(256);
        out.push(ENTRY_VERSION);
        out.push(self.kind as u8);
        out.push(self.decision as u8);
        out.extend_from_slice(&self.time_unix_ms.to_be_bytes());
        for (name, s) in [
            ("request_id", &self.request_id),
            ("organisation", &self.organisation),
            ("member", &self.member),
            ("key_id", &self.key_id),
            ("model", &self.model),
            ("action", &self.action),
            ("declared_use_case", &self.declared_use_case),
            ("classified_use_case", &self.classified_use_case),
        ] {
            put_str(&mut out, name, s)?;
        }
        let n = u8::try_from(self.policy_ids.len()).map_err(|_| EncodeError::TooManyPolicies)?;
        out.push(n);
        for p in &self.policy_ids {
            put_str(&mut out, "policy_id", p)?;
        }
        out.extend_from_slice(&self.prompt_tokens.to_be_bytes());
        out.extend_from_slice(&self.completion_tokens.to_be_bytes());
        put_str(&mut out, "digest_key_id", &self.digest_key_id)?;
        let flags = u8::from(self.request_digest.is_some())
            | (u8::from(self.response_digest.is_some()) << 1);
        out.push(flags);
        if let Some(d) = &self.request_digest {
            out.extend_from_slice(d);
        }
        if let Some(d) = &self.response_digest {
            out.extend_from_slice(d);
        }
        put_str(&mut out, "detail", &self.detail)?;
        if out.len() > MAX_ENTRY_SIZE {
            return Err(EncodeError::TooLarge(out.len()));
        }
        Ok(out)
    }

    /// Decode a canonical v1 entry. Never panics; rejects trailing bytes and unknown values.
    pub fn decode(bytes: &[u8]) -> Result<Entry, DecodeError> {
        if bytes.len() > MAX_ENTRY_SIZE {
            return Err(DecodeError::TooLarge(bytes.len()));
        }
        let mut r = Reader { b: bytes, pos: 0 };
        let version = r.u8("version")?;
        if version != ENTRY_VERSION {
            return Err(DecodeError::UnsupportedVersion(version));
        }
        let kind = match r.u8("kind")? {
            1 => EntryKind::Request,
            2 => EntryKind::Admin,
            v => {
                return Err(DecodeError::InvalidValue {
                    field: "kind",
                    value: v,
                });
            }
        };
        let decision = match r.u8("decision")? {
            1 => Decision::Allow,
            2 => Decision::Deny,
            3 => Decision::Review,
            v => {
                return Err(DecodeError::InvalidValue {
                    field: "decision",
                    value: v,
                });
            }
        };
        let time_unix_ms = r.u64("time")?;
        let request_id = r.str("request_id")?;
        let organisation = r.str("organisation")?;
        let member = r.str("member")?;
        let key_id = r.str("key_id")?;
        let model = r.str("model")?;
        let action = r.str("action")?;
        let declared_use_case = r.str("declared_use_case")?;
        let classified_use_case = r.str("classified_use_case")?;
        let n = r.u8("policy count")?;
        let mut policy_ids = Vec::with_capacity(n as usize);
        for _ in 0..n {
            policy_ids.push(r.str("policy_id")?);
        }
        let prompt_tokens = r.u64("prompt_tokens")?;
        let completion_tokens = r.u64("completion_tokens")?;
        let digest_key_id = r.str("digest_key_id")?;
        let flags = r.u8("digest flags")?;
        if flags & !0b11 != 0 {
            return Err(DecodeError::InvalidValue {
                field: "digest flags",
                value: flags,
            });
        }
        let request_digest = if flags & 1 != 0 {
            Some(r.array32("request_digest")?)
        } else {
            None
        };
        let response_digest = if flags & 2 != 0 {
            Some(r.array32("response_digest")?)
        } else {
            None
        };
        let detail = r.str("detail")?;
        if r.pos != bytes.len() {
            return Err(DecodeError::TrailingBytes(bytes.len() - r.pos));
        }
        Ok(Entry {
            kind,
            decision,
            time_unix_ms,
            request_id,
            organisation,
            member,
            key_id,
            model,
            action,
            declared_use_case,
            classified_use_case,
            policy_ids,
            prompt_tokens,
            completion_tokens,
            digest_key_id,
            request_digest,
            response_digest,
            detail,
        })
    }
}

fn put_str(out: &mut Vec<u8>, field: &'static str, s: &str) -> Result<(), EncodeError> {
    let len = u16::try_from(s.len()).map_err(|_| EncodeError::FieldTooLong(field))?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(s.as_bytes());
    Ok(())
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], DecodeError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or(DecodeError::Truncated(field))?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        Ok(self.take(1, field)?[0])
    }
    fn u64(&mut self, field: &'static str) -> Result<u64, DecodeError> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8, field)?);
        Ok(u64::from_be_bytes(a))
    }
    fn array32(&mut self, field: &'static str) -> Result<[u8; 32], DecodeError> {
        let mut a = [0u8; 32];
        a.copy_from_slice(self.take(32, field)?);
        Ok(a)
    }
    fn str(&mut self, field: &'static str) -> Result<String, DecodeError> {
        let l = self.take(2, field)?;
        let len = u16::from_be_bytes([l[0], l[1]]) as usize;
        let raw = self.take(len, field)?;
        std::str::from_utf8(raw)
            .map(str::to_owned)
            .map_err(|_| DecodeError::InvalidUtf8(field))
    }
}

/// Errors encoding an [`Entry`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error("field {0} is longer than 65535 bytes")]
    FieldTooLong(&'static str),
    #[error("more than 255 policy ids")]
    TooManyPolicies,
    #[error("encoded entry is {0} bytes, above the 65535-byte limit")]
    TooLarge(usize),
}

/// Errors decoding an [`Entry`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("entry is {0} bytes, above the 65535-byte limit")]
    TooLarge(usize),
    #[error("unsupported entry format version {0}")]
    UnsupportedVersion(u8),
    #[error("entry truncated while reading {0}")]
    Truncated(&'static str),
    #[error("invalid value {value} for {field}")]
    InvalidValue { field: &'static str, value: u8 },
    #[error("field {0} is not valid UTF-8")]
    InvalidUtf8(&'static str),
    #[error("{0} trailing bytes after the entry")]
    TrailingBytes(usize),
}

/// A 32-byte HMAC-SHA256 key for body digests, with an id recorded in each entry so the key can
/// be rotated without invalidating older entries.
///
/// Key file format: one line `<id>+<64 hex chars>` (the id must not contain `+` or whitespace).
#[derive(Clone)]
pub struct DigestKey {
    id: String,
    key: [u8; 32],
}

impl std::fmt::Debug for DigestKey {
    // Never print key material.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DigestKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Errors parsing a [`DigestKey`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigestKeyError {
    #[error("malformed digest key (expected `<id>+<64 hex chars>`)")]
    Malformed,
    #[error("invalid digest key id")]
    InvalidId,
}

impl DigestKey {
    /// Generate a fresh random key from the OS RNG.
    pub fn generate(id: &str) -> Result<Self, DigestKeyError> {
        if !valid_key_id(id) {
            return Err(DigestKeyError::InvalidId);
        }
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        Ok(DigestKey {
            id: id.to_owned(),
            key,
        })
    }

    pub fn from_bytes(id: &str, key: [u8; 32]) -> Result<Self, DigestKeyError> {
        if !valid_key_id(id) {
            return Err(DigestKeyError::InvalidId);
        }
        Ok(DigestKey {
            id: id.to_owned(),
            key,
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Serialise as `<id>+<hex>` (secret!).
    pub fn to_key_string(&self) -> String {
        format!("{}+{}", self.id, hex::encode(self.key))
    }

    /// Parse `<id>+<hex>`; surrounding whitespace is ignored.
    pub fn parse(s: &str) -> Result<Self, DigestKeyError> {
        let (id, h) = s.trim().rsplit_once('+').ok_or(DigestKeyError::Malformed)?;
        let raw = hex::decode(h).map_err(|_| DigestKeyError::Malformed)?;
        let key: [u8; 32] = raw.try_into().map_err(|_| DigestKeyError::Malformed)?;
        Self::from_bytes(id, key)
    }

    /// HMAC-SHA256 of `body` under this key.
    pub fn digest(&self, body: &[u8]) -> [u8; 32] {
        body_digest(&self.key, body)
    }

    /// Constant-time check that `digest` is this key's digest of `body`.
    pub fn verify(&self, body: &[u8], digest: &[u8; 32]) -> bool {
        self.digest(body).ct_eq(digest).into()
    }
}

fn valid_key_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && !id.contains('+') && !id.chars().any(char::is_whitespace)
}

/// HMAC-SHA256(key, body): the keyed digest stored in entries instead of body text.
pub fn body_digest(key: &[u8], body: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so new_from_slice cannot fail.
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC accepts any key length"),
    };
    mac.update(body);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let d = body_digest(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(d),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn digest_key_roundtrip() {
        let k = DigestKey::generate("2026-11").unwrap();
        let k2 = DigestKey::parse(&k.to_key_string()).unwrap();
        assert_eq!(k.digest(b"x"), k2.digest(b"x"));
        assert!(k2.verify(b"x", &k.digest(b"x")));
        assert!(!k2.verify(b"y", &k.digest(b"x")));
        assert!(DigestKey::parse("nohex").is_err());
        assert!(DigestKey::generate("bad id").is_err());
    }
}

#[cfg(test)]
mod limit_tests {
    use super::*;

    #[test]
    fn encode_limits_are_errors_not_panics() {
        let mut e = Entry::new(EntryKind::Admin, Decision::Allow, 1, "r");
        e.policy_ids = vec![String::new(); 256];
        assert_eq!(e.encode(), Err(EncodeError::TooManyPolicies));
        let mut e = Entry::new(EntryKind::Admin, Decision::Allow, 1, "r");
        e.detail = "x".repeat(70_000);
        assert_eq!(e.encode(), Err(EncodeError::FieldTooLong("detail")));
        let mut e = Entry::new(EntryKind::Admin, Decision::Allow, 1, "r");
        e.policy_ids = vec!["p".repeat(300); 255];
        assert!(matches!(e.encode(), Err(EncodeError::TooLarge(_))));
    }

    #[test]
    fn decode_errors_are_specific() {
        let good = Entry::new(EntryKind::Request, Decision::Review, 5, "req")
            .encode()
            .unwrap();
        let mut b = good.clone();
        b[0] = 2;
        assert_eq!(Entry::decode(&b), Err(DecodeError::UnsupportedVersion(2)));
        let mut b = good.clone();
        b[1] = 9;
        assert!(matches!(
            Entry::decode(&b),
            Err(DecodeError::InvalidValue { field: "kind", .. })
        ));
        let mut b = good.clone();
        b.push(0);
        assert_eq!(Entry::decode(&b), Err(DecodeError::TrailingBytes(1)));
        assert!(matches!(
            Entry::decode(&good[..good.len() - 1]),
            Err(DecodeError::Truncated(_))
        ));
        assert_eq!(Entry::decode(&[]), Err(DecodeError::Truncated("version")));
    }
}
