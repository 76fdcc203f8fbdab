//! Keyed commitments: how a public entry (format v2) proves who and what without revealing it.
//!
//! A value that must not be public (an organisation, a member, a key id, caller-supplied text, an
//! administrative detail naming engagement targets) is replaced in the public entry by
//!
//! ```text
//! opening_key = HMAC-SHA256(master, "haetae-ledger/v2/opening-key" || 0x00 || nonce[16] || field)
//! commitment  = HMAC-SHA256(opening_key, "haetae-ledger/v2/commitment" || 0x00
//!                                         || u16 len(field) || field || value)
//! ```
//!
//! * `master` is the gateway's secret commitment key ([`CommitKey`], file `commit.key`); its id is
//!   public in each entry so the key can be rotated.
//! * `nonce` is 16 random bytes drawn per entry. It is kept in the entry's private record, never
//!   published, so equal values in different entries commit to unrelated bytes (no linking) and a
//!   published commitment cannot be brute-forced against guessed values (organisation ids are
//!   guessable) without the master key.
//! * Opening one commitment hands out its `opening_key` and value. HMAC is a PRF, so that key says
//!   nothing about any other field's or entry's key, and the master key never leaves the gateway.
//! * The field name is bound into both the key and the commitment, so an opening of one field
//!   cannot be replayed as another field of the same entry.
//!
//! The clear values and the nonce form the entry's [`PrivateRecord`], written by the ledger in the
//! same record (and the same `fdatasync`) as the public entry, but never served (`docs/ledger-format.md`).

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::entry::{Commitment, Entry};

const KEY_DS: &[u8] = b"haetae-ledger/v2/opening-key\x00";
const COMMIT_DS: &[u8] = b"haetae-ledger/v2/commitment\x00";
/// Version byte of the private record encoding.
pub const PRIVATE_VERSION: u8 = 1;
/// Longest field name.
pub const MAX_FIELD_NAME: usize = 32;

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC accepts keys of any length, so new_from_slice cannot fail.
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC accepts any key length"),
    };
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// A field name: lowercase ASCII letters, digits and `_`, 1 to 32 bytes.
pub fn valid_field_name(f: &str) -> bool {
    !f.is_empty()
        && f.len() <= MAX_FIELD_NAME
        && f.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The commitment of `value` as field `field` under `opening_key`.
pub fn commitment(opening_key: &[u8; 32], field: &str, value: &str) -> [u8; 32] {
    let len = (field.len() as u16).to_be_bytes();
    hmac(
        opening_key,
        &[COMMIT_DS, &len, field.as_bytes(), value.as_bytes()],
    )
}

/// The secret master key commitments are derived from. File format as for the digest key:
/// one line `<id>+<64 hex chars>`.
#[derive(Clone)]
pub struct CommitKey {
    id: String,
    key: [u8; 32],
}

impl std::fmt::Debug for CommitKey {
    // Never print key material.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommitKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Errors handling commitments and private records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommitError {
    #[error("malformed commitment key (expected `<id>+<64 hex chars>`)")]
    MalformedKey,
    #[error("invalid commitment key id")]
    InvalidKeyId,
    #[error("invalid field name {0:?} (lowercase letters, digits, _; at most 32 bytes)")]
    InvalidField(String),
    #[error("field {0:?} is committed twice")]
    DuplicateField(String),
    #[error("more than 255 committed fields")]
    TooManyFields,
    #[error("value of field {0:?} is longer than 65535 bytes")]
    ValueTooLong(String),
    #[error("private record: {0}")]
    Private(&'static str),
    #[error("entry was committed with key {entry:?}, not {key:?}")]
    WrongKey { entry: String, key: String },
    #[error("the entry has no commitment for field {0:?}")]
    NoSuchField(String),
}

impl CommitKey {
    /// A fresh random key from the OS RNG.
    pub fn generate(id: &str) -> Result<Self, CommitError> {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        Self::from_bytes(id, key)
    }

    pub fn from_bytes(id: &str, key: [u8; 32]) -> Result<Self, CommitError> {
        if !crate::entry::valid_key_id(id) {
            return Err(CommitError::InvalidKeyId);
        }
        Ok(CommitKey {
            id: id.to_owned(),
            key,
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// `<id>+<hex>` (secret!).
    pub fn to_key_string(&self) -> String {
        format!("{}+{}", self.id, hex::encode(self.key))
    }

    /// Parses `<id>+<hex>`; surrounding whitespace is ignored.
    pub fn parse(s: &str) -> Result<Self, CommitError> {
        let (id, key) = crate::entry::split_key_string(s).ok_or(CommitError::MalformedKey)?;
        Self::from_bytes(id, key)
    }

    /// The opening key of `field` in the entry whose private record has `nonce`.
    pub fn opening_key(&self, nonce: &[u8; 16], field: &str) -> [u8; 32] {
        hmac(&self.key, &[KEY_DS, nonce, field.as_bytes()])
    }

    /// Commits `values` (field, clear value) for one entry with a fresh nonce: the commitments go in
    /// the public entry (sorted by field), the private record beside it in the ledger's storage.
    pub fn seal(
        &self,
        values: Vec<(String, String)>,
    ) -> Result<(Vec<Commitment>, PrivateRecord), CommitError> {
        let mut nonce = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        self.seal_with_nonce(values, nonce)
    }

    fn seal_with_nonce(
        &self,
        mut values: Vec<(String, String)>,
        nonce: [u8; 16],
    ) -> Result<(Vec<Commitment>, PrivateRecord), CommitError> {
        values.sort_by(|a, b| a.0.cmp(&b.0));
        let mut commitments = Vec::with_capacity(values.len());
        for (i, (field, value)) in values.iter().enumerate() {
            if !valid_field_name(field) {
                return Err(CommitError::InvalidField(field.clone()));
            }
            if i > 0 && values[i - 1].0 == *field {
                return Err(CommitError::DuplicateField(field.clone()));
            }
            let k = self.opening_key(&nonce, field);
            commitments.push(Commitment {
                field: field.clone(),
                value: commitment(&k, field, value),
            });
        }
        let private = PrivateRecord {
            commit_key_id: self.id.clone(),
            nonce,
            values,
        };
        // Fail here, not in the writer, if the record cannot be encoded.
        private.encode()?;
        Ok((commitments, private))
    }

    /// Opens `field` of `entry` from its private record: the value and the key that proves it.
    /// Checks that the recomputed commitment is the one the entry carries.
    pub fn open(
        &self,
        entry: &Entry,
        private: &PrivateRecord,
        field: &str,
    ) -> Result<Opening, CommitError> {
        if private.commit_key_id != self.id || entry.commit_key_id != self.id {
            return Err(CommitError::WrongKey {
                entry: entry.commit_key_id.clone(),
                key: self.id.clone(),
            });
        }
        let value = private
            .values
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| CommitError::NoSuchField(field.to_owned()))?;
        let opening = Opening {
            field: field.to_owned(),
            value,
            key: self.opening_key(&private.nonce, field),
        };
        if !opening.verify(entry) {
            return Err(CommitError::Private(
                "the private record does not match the entry's commitment",
            ));
        }
        Ok(opening)
    }
}

/// What an auditor is given for one field of one entry.
#[derive(Clone, PartialEq, Eq)]
pub struct Opening {
    pub field: String,
    pub value: String,
    pub key: [u8; 32],
}

impl std::fmt::Debug for Opening {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opening")
            .field("field", &self.field)
            .finish_non_exhaustive()
    }
}

impl Opening {
    /// Does `entry` commit to this value in this field under this key? Constant time in the
    /// commitment bytes.
    pub fn verify(&self, entry: &Entry) -> bool {
        let Some(c) = entry.commitments.iter().find(|c| c.field == self.field) else {
            return false;
        };
        let expected = commitment(&self.key, &self.field, &self.value);
        expected.ct_eq(&c.value).into()
    }
}

/// The clear values behind one entry's commitments, and the nonce their keys derive from. Stored
/// by the ledger beside the entry, never served.
///
/// Encoding: `u8 version (=1) || str commit_key_id || [16] nonce || u8 n || n × (str field || str value)`,
/// `str` = u16 big-endian length + UTF-8; fields strictly ascending.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateRecord {
    pub commit_key_id: String,
    pub nonce: [u8; 16],
    pub values: Vec<(String, String)>,
}

impl std::fmt::Debug for PrivateRecord {
    // Clear values are confidential: never in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrivateRecord")
            .field("commit_key_id", &self.commit_key_id)
            .field(
                "fields",
                &self.values.iter().map(|(f, _)| f).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl PrivateRecord {
    pub fn encode(&self) -> Result<Vec<u8>, CommitError> {
        let mut out = Vec::with_capacity(64);
        out.push(PRIVATE_VERSION);
        put(&mut out, &self.commit_key_id, "commit_key_id")?;
        out.extend_from_slice(&self.nonce);
        let n = u8::try_from(self.values.len()).map_err(|_| CommitError::TooManyFields)?;
        out.push(n);
        for (f, v) in &self.values {
            put(&mut out, f, f)?;
            put(&mut out, v, f)?;
        }
        Ok(out)
    }

    pub fn decode(b: &[u8]) -> Result<Self, CommitError> {
        let mut r = Cursor { b, pos: 0 };
        if r.take(1)?[0] != PRIVATE_VERSION {
            return Err(CommitError::Private("unknown version"));
        }
        let commit_key_id = r.string()?;
        let mut nonce = [0u8; 16];
        nonce.copy_from_slice(r.take(16)?);
        let n = r.take(1)?[0];
        let mut values: Vec<(String, String)> = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let f = r.string()?;
            let v = r.string()?;
            if values.last().is_some_and(|(last, _)| *last >= f) {
                return Err(CommitError::Private("fields not strictly ascending"));
            }
            values.push((f, v));
        }
        if r.pos != b.len() {
            return Err(CommitError::Private("trailing bytes"));
        }
        Ok(PrivateRecord {
            commit_key_id,
            nonce,
            values,
        })
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], CommitError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or(CommitError::Private("truncated"))?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn string(&mut self) -> Result<String, CommitError> {
        let l = self.take(2)?;
        let len = u16::from_be_bytes([l[0], l[1]]) as usize;
        std::str::from_utf8(self.take(len)?)
            .map(str::to_owned)
            .map_err(|_| CommitError::Private("invalid UTF-8"))
    }
}

fn put(out: &mut Vec<u8>, s: &str, field: &str) -> Result<(), CommitError> {
    let len = u16::try_from(s.len()).map_err(|_| CommitError::ValueTooLong(field.to_owned()))?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(s.as_bytes());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::{Decision, EntryKind};

    fn sealed(key: &CommitKey, org: &str) -> (Entry, PrivateRecord) {
        let (commitments, private) = key
            .seal(vec![
                ("org".into(), org.into()),
                ("detail".into(), "engagement for naver.com".into()),
            ])
            .unwrap();
        let mut e = Entry::new(EntryKind::Request, Decision::Allow, 1, "req_1");
        e.commit_key_id = key.id().into();
        e.commitments = commitments;
        (e, private)
    }

    #[test]
    fn opening_verifies_and_wrong_openings_do_not() {
        let key = CommitKey::generate("c1").unwrap();
        let (e1, p1) = sealed(&key, "org-kisa");
        let (e2, p2) = sealed(&key, "org-kisa");
        let o1 = key.open(&e1, &p1, "org").unwrap();
        assert_eq!(o1.value, "org-kisa");
        assert!(o1.verify(&e1));
        let cases: Vec<(&str, Opening, &Entry)> = vec![
            (
                "wrong value",
                Opening {
                    value: "org-other".into(),
                    ..o1.clone()
                },
                &e1,
            ),
            ("another entry's commitment", o1.clone(), &e2),
            (
                "another entry's key",
                Opening {
                    key: key.open(&e2, &p2, "org").unwrap().key,
                    ..o1.clone()
                },
                &e1,
            ),
            (
                "another field",
                Opening {
                    field: "detail".into(),
                    ..o1.clone()
                },
                &e1,
            ),
            (
                "absent field",
                Opening {
                    field: "member".into(),
                    ..o1.clone()
                },
                &e1,
            ),
        ];
        for (name, opening, entry) in cases {
            assert!(!opening.verify(entry), "{name} must not verify");
        }
        // Equal values in different entries do not link.
        assert_ne!(e1.commitments, e2.commitments);
        // A different master key cannot open.
        let other = CommitKey::generate("c2").unwrap();
        assert!(matches!(
            other.open(&e1, &p1, "org"),
            Err(CommitError::WrongKey { .. })
        ));
    }

    #[test]
    fn private_record_roundtrips_and_rejects_junk() {
        let key = CommitKey::generate("c1").unwrap();
        let (_, p) = sealed(&key, "조직 \u{1F512}");
        let b = p.encode().unwrap();
        assert_eq!(PrivateRecord::decode(&b).unwrap(), p);
        let mut trailing = b.clone();
        trailing.push(0);
        for bad in [&b[..b.len() - 1], &trailing[..], &[][..], &[2u8][..]] {
            assert!(PrivateRecord::decode(bad).is_err());
        }
        assert!(format!("{p:?}").contains("org") && !format!("{p:?}").contains("naver"));
    }

    #[test]
    fn seal_refuses_bad_fields() {
        let key = CommitKey::generate("c1").unwrap();
        for values in [
            vec![("Org".to_string(), "x".to_string())],
            vec![(String::new(), "x".into())],
            vec![("org".into(), "x".into()), ("org".into(), "y".into())],
        ] {
            assert!(key.seal(values).is_err());
        }
        assert_eq!(
            CommitKey::parse(&key.to_key_string())
                .unwrap()
                .to_key_string(),
            key.to_key_string()
        );
    }

    #[test]
    fn fixed_vector() {
        // Pins the construction; the expected values were computed independently with Python's hmac module
        // (docs/ledger-format.md gives the formulas).
        let key = CommitKey::from_bytes("k", [7u8; 32]).unwrap();
        let (c, _) = key
            .seal_with_nonce(vec![("org".into(), "org-kisa".into())], [1u8; 16])
            .unwrap();
        assert_eq!(
            hex::encode(key.opening_key(&[1u8; 16], "org")),
            "1dcfc3a1ff64abebaac8ee58be873e953956434cfdef70d68c2720cae4548ab2"
        );
        assert_eq!(
            hex::encode(c[0].value),
            "04342aee8e3e0d54f65a5202c19ea9e480e502ac2f3511ac579ad1c9d33b30df"
        );
    }
}
