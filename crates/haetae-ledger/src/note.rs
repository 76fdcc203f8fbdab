//! C2SP signed notes (Ed25519) and tlog checkpoints.
//!
//! * A **note** is UTF-8 text ending in a newline, then a blank line, then one or more signature
//!   lines `— <key name> <base64(key hash (4 bytes) || signature)>` (U+2014 EM DASH, space).
//! * A **key hash** is the first 4 bytes (big-endian u32) of
//!   SHA-256(key name || 0x0A || signature type || public key); type 0x01 is Ed25519 over the note
//!   text, 0x04 is a `cosignature/v1` witness cosignature (see [`crate::witness`]).
//! * A **verifier key** string is `<name>+<8 hex digits key hash>+<base64(type || public key)>`.
//! * A **private key** string (our key file format, compatible with Go's `sumdb/note` for type
//!   0x01) is `PRIVATE+KEY+<name>+<8 hex key hash>+<base64(type || 32-byte Ed25519 seed)>`.
//! * A **checkpoint** body (C2SP tlog-checkpoint) is `<origin>\n<tree size>\n<base64 root>\n`
//!   followed by optional extension lines.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::merkle::Hash;

/// Signature type byte for Ed25519 signed-note signatures.
pub const ALG_ED25519: u8 = 0x01;
/// Signature type byte for `cosignature/v1` witness cosignatures.
pub const ALG_COSIGNATURE_V1: u8 = 0x04;

const EM_DASH_PREFIX: &str = "\u{2014} ";

/// Errors from notes, keys and checkpoints.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    #[error("invalid key name (must be non-empty, no whitespace, no '+')")]
    InvalidKeyName,
    #[error("malformed key string")]
    MalformedKey,
    #[error("key hash in key string does not match the key")]
    KeyHashMismatch,
    #[error("unsupported signature type {0:#04x}")]
    UnsupportedAlgorithm(u8),
    #[error("malformed note: {0}")]
    MalformedNote(&'static str),
    #[error("no valid signature from key {0}")]
    NoValidSignature(String),
    #[error("malformed checkpoint: {0}")]
    MalformedCheckpoint(&'static str),
}

/// Validate a key name per the signed-note spec.
pub fn valid_key_name(name: &str) -> bool {
    !name.is_empty() && !name.contains('+') && !name.chars().any(char::is_whitespace)
}

/// Key hash: first 4 bytes of SHA-256(name || "\n" || alg || public key), big-endian.
pub fn key_hash(name: &str, alg: u8, public_key: &[u8; 32]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([alg]);
    h.update(public_key);
    let d = h.finalize();
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

/// A named Ed25519 signing key for notes (type 0x01) or cosignatures (type 0x04).
#[derive(Clone)]
pub struct NoteSigner {
    name: String,
    alg: u8,
    hash: u32,
    key: SigningKey,
}

impl std::fmt::Debug for NoteSigner {
    // Never print the private key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NoteSigner")
            .field("name", &self.name)
            .field("alg", &self.alg)
            .field("hash", &format_args!("{:08x}", self.hash))
            .finish_non_exhaustive()
    }
}

impl NoteSigner {
    /// Generate a fresh Ed25519 log key (type 0x01) from the OS RNG.
    pub fn generate(name: &str) -> Result<Self, NoteError> {
        Self::generate_with_alg(name, ALG_ED25519)
    }

    /// Generate a key of the given type (0x01 log key, 0x04 witness cosigning key).
    pub fn generate_with_alg(name: &str, alg: u8) -> Result<Self, NoteError> {
        let key = SigningKey::generate(&mut rand::rngs::OsRng);
        Self::from_signing_key(name, alg, key)
    }

    pub fn from_signing_key(name: &str, alg: u8, key: SigningKey) -> Result<Self, NoteError> {
        if !valid_key_name(name) {
            return Err(NoteError::InvalidKeyName);
        }
        if alg != ALG_ED25519 && alg != ALG_COSIGNATURE_V1 {
            return Err(NoteError::UnsupportedAlgorithm(alg));
        }
        let hash = key_hash(name, alg, key.verifying_key().as_bytes());
        Ok(NoteSigner {
            name: name.to_owned(),
            alg,
            hash,
            key,
        })
    }

    /// Parse `PRIVATE+KEY+<name>+<hex hash>+<base64(alg || seed)>`.
    pub fn from_private_key_string(s: &str) -> Result<Self, NoteError> {
        let rest = s
            .trim()
            .strip_prefix("PRIVATE+KEY+")
            .ok_or(NoteError::MalformedKey)?;
        let (name, hash, key) = split_key_string(rest)?;
        let raw = B64.decode(key).map_err(|_| NoteError::MalformedKey)?;
        let (&alg, seed) = raw.split_first().ok_or(NoteError::MalformedKey)?;
        let seed: [u8; 32] = seed.try_into().map_err(|_| NoteError::MalformedKey)?;
        let signer = Self::from_signing_key(name, alg, SigningKey::from_bytes(&seed))?;
        if signer.hash != hash {
            return Err(NoteError::KeyHashMismatch);
        }
        Ok(signer)
    }

    /// The private key string (secret; store with mode 0600).
    pub fn to_private_key_string(&self) -> String {
        let mut raw = vec![self.alg];
        raw.extend_from_slice(&self.key.to_bytes());
        format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.hash,
            B64.encode(raw)
        )
    }

    /// Write the private key string to a new file readable only by its owner (0600).
    /// Refuses to overwrite an existing file, so a key is never silently replaced.
    pub fn save_private_key(&self, path: impl AsRef<std::path::Path>) -> std::io::Result<()> {
        use std::io::Write as _;
        use std::os::unix::fs::OpenOptionsExt as _;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)?;
        f.write_all(self.to_private_key_string().as_bytes())?;
        f.write_all(b"\n")?;
        f.sync_all()
    }

    /// Read a private key file written by [`NoteSigner::save_private_key`].
    pub fn load_private_key(path: impl AsRef<std::path::Path>) -> Result<Self, NoteError> {
        let s = std::fs::read_to_string(path).map_err(|_| NoteError::MalformedKey)?;
        Self::from_private_key_string(&s)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn key_hash(&self) -> u32 {
        self.hash
    }

    pub fn alg(&self) -> u8 {
        self.alg
    }

    /// The matching public verifier.
    pub fn verifier(&self) -> NoteVerifier {
        NoteVerifier {
            name: self.name.clone(),
            alg: self.alg,
            hash: self.hash,
            key: self.key.verifying_key(),
        }
    }

    /// Raw Ed25519 signature over `msg`.
    pub(crate) fn sign_raw(&self, msg: &[u8]) -> [u8; 64] {
        self.key.sign(msg).to_bytes()
    }

    /// Sign a note text (type 0x01 keys only), returning the full signed note.
    pub fn sign_note(&self, text: &str) -> Result<String, NoteError> {
        if self.alg != ALG_ED25519 {
            return Err(NoteError::UnsupportedAlgorithm(self.alg));
        }
        check_note_text(text)?;
        let mut sig = self.hash.to_be_bytes().to_vec();
        sig.extend_from_slice(&self.sign_raw(text.as_bytes()));
        Ok(format!(
            "{text}\n{EM_DASH_PREFIX}{} {}\n",
            self.name,
            B64.encode(sig)
        ))
    }
}

fn split_key_string(s: &str) -> Result<(&str, u32, &str), NoteError> {
    let mut it = s.splitn(3, '+');
    let (Some(name), Some(hash), Some(key)) = (it.next(), it.next(), it.next()) else {
        return Err(NoteError::MalformedKey);
    };
    if hash.len() != 8 {
        return Err(NoteError::MalformedKey);
    }
    let hash = u32::from_str_radix(hash, 16).map_err(|_| NoteError::MalformedKey)?;
    if !valid_key_name(name) {
        return Err(NoteError::InvalidKeyName);
    }
    Ok((name, hash, key))
}

/// A named Ed25519 public key (verifier key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteVerifier {
    name: String,
    alg: u8,
    hash: u32,
    key: VerifyingKey,
}

impl NoteVerifier {
    /// Parse `<name>+<hex hash>+<base64(alg || public key)>`.
    pub fn parse(s: &str) -> Result<Self, NoteError> {
        let (name, hash, key) = split_key_string(s.trim())?;
        let raw = B64.decode(key).map_err(|_| NoteError::MalformedKey)?;
        let (&alg, pk) = raw.split_first().ok_or(NoteError::MalformedKey)?;
        if alg != ALG_ED25519 && alg != ALG_COSIGNATURE_V1 {
            return Err(NoteError::UnsupportedAlgorithm(alg));
        }
        let pk: [u8; 32] = pk.try_into().map_err(|_| NoteError::MalformedKey)?;
        let key = VerifyingKey::from_bytes(&pk).map_err(|_| NoteError::MalformedKey)?;
        if key_hash(name, alg, &pk) != hash {
            return Err(NoteError::KeyHashMismatch);
        }
        Ok(NoteVerifier {
            name: name.to_owned(),
            alg,
            hash,
            key,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn key_hash(&self) -> u32 {
        self.hash
    }

    pub fn alg(&self) -> u8 {
        self.alg
    }

    pub(crate) fn verify_raw(&self, msg: &[u8], sig: &[u8]) -> bool {
        let Ok(sig) = Signature::from_slice(sig) else {
            return false;
        };
        self.key.verify_strict(msg, &sig).is_ok()
    }
}

impl std::fmt::Display for NoteVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut raw = vec![self.alg];
        raw.extend_from_slice(self.key.as_bytes());
        write!(f, "{}+{:08x}+{}", self.name, self.hash, B64.encode(raw))
    }
}

/// One signature line of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    pub name: String,
    pub key_hash: u32,
    /// The signature bytes after the 4-byte key hash.
    pub sig: Vec<u8>,
}

impl NoteSignature {
    /// Format as a signature line, including the trailing newline.
    pub fn to_line(&self) -> String {
        let mut raw = self.key_hash.to_be_bytes().to_vec();
        raw.extend_from_slice(&self.sig);
        format!("{EM_DASH_PREFIX}{} {}\n", self.name, B64.encode(raw))
    }
}

/// A parsed (not yet verified) signed note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The signed text, ending in a newline.
    pub text: String,
    pub signatures: Vec<NoteSignature>,
}

fn check_note_text(text: &str) -> Result<(), NoteError> {
    if !text.ends_with('\n') {
        return Err(NoteError::MalformedNote("text must end with a newline"));
    }
    if text
        .chars()
        .any(|c| (c.is_ascii_control() && c != '\n') || c == '\u{FEFF}')
    {
        return Err(NoteError::MalformedNote("text contains control characters"));
    }
    Ok(())
}

/// Maximum note size we are willing to parse (bounds work on hostile input).
const MAX_NOTE_SIZE: usize = 1 << 20;

impl Note {
    /// Parse a signed note. Signature lines are not verified here.
    pub fn parse(s: &str) -> Result<Note, NoteError> {
        if s.len() > MAX_NOTE_SIZE {
            return Err(NoteError::MalformedNote("note too large"));
        }
        if !s.ends_with('\n') {
            return Err(NoteError::MalformedNote("note must end with a newline"));
        }
        // The text is everything up to the last blank line; the signature block follows.
        let split = s.rfind("\n\n").ok_or(NoteError::MalformedNote(
            "missing blank line before signatures",
        ))?;
        let text = &s[..split + 1];
        let sig_block = &s[split + 2..];
        check_note_text(text)?;
        let mut signatures = Vec::new();
        for line in sig_block.split_terminator('\n') {
            let rest = line
                .strip_prefix(EM_DASH_PREFIX)
                .ok_or(NoteError::MalformedNote(
                    "signature line must start with an em dash",
                ))?;
            let (name, b64) = rest
                .split_once(' ')
                .ok_or(NoteError::MalformedNote("signature line lacks a key name"))?;
            if !valid_key_name(name) {
                return Err(NoteError::MalformedNote("invalid key name in signature"));
            }
            let raw = B64
                .decode(b64)
                .map_err(|_| NoteError::MalformedNote("signature is not base64"))?;
            if raw.len() < 5 {
                return Err(NoteError::MalformedNote("signature too short"));
            }
            signatures.push(NoteSignature {
                name: name.to_owned(),
                key_hash: u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]),
                sig: raw[4..].to_vec(),
            });
        }
        if signatures.is_empty() {
            return Err(NoteError::MalformedNote("no signatures"));
        }
        Ok(Note {
            text: text.to_owned(),
            signatures,
        })
    }

    /// True if some signature line is a valid Ed25519 (type 0x01) signature by `verifier`.
    pub fn verify(&self, verifier: &NoteVerifier) -> bool {
        verifier.alg == ALG_ED25519
            && self.signatures.iter().any(|s| {
                s.name == verifier.name
                    && s.key_hash == verifier.hash
                    && verifier.verify_raw(self.text.as_bytes(), &s.sig)
            })
    }

    /// Serialise back to note text.
    pub fn to_text(&self) -> String {
        let mut out = self.text.clone();
        out.push('\n');
        for s in &self.signatures {
            out.push_str(&s.to_line());
        }
        out
    }
}

/// A C2SP tlog checkpoint body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    #[serde(with = "crate::api::b64_hash")]
    pub root: Hash,
    /// Optional extension lines (without newlines).
    #[serde(default)]
    pub extensions: Vec<String>,
}

impl Checkpoint {
    /// The checkpoint body (the note text that gets signed).
    pub fn body(&self) -> String {
        let mut s = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            B64.encode(self.root)
        );
        for e in &self.extensions {
            s.push_str(e);
            s.push('\n');
        }
        s
    }

    /// Parse a checkpoint body (the text of a note).
    pub fn parse_body(text: &str) -> Result<Checkpoint, NoteError> {
        let body = text
            .strip_suffix('\n')
            .ok_or(NoteError::MalformedCheckpoint("must end with a newline"))?;
        let mut lines = body.split('\n');
        let origin = lines
            .next()
            .filter(|o| !o.is_empty())
            .ok_or(NoteError::MalformedCheckpoint("missing origin"))?;
        let size_line = lines
            .next()
            .ok_or(NoteError::MalformedCheckpoint("missing size"))?;
        // Decimal, no sign, no leading zeros (canonical), fits in u64.
        if size_line.is_empty()
            || !size_line.bytes().all(|b| b.is_ascii_digit())
            || (size_line.len() > 1 && size_line.starts_with('0'))
        {
            return Err(NoteError::MalformedCheckpoint("invalid size"));
        }
        let size: u64 = size_line
            .parse()
            .map_err(|_| NoteError::MalformedCheckpoint("invalid size"))?;
        let root_line = lines
            .next()
            .ok_or(NoteError::MalformedCheckpoint("missing root hash"))?;
        let root: Hash = B64
            .decode(root_line)
            .ok()
            .and_then(|r| r.try_into().ok())
            .ok_or(NoteError::MalformedCheckpoint("invalid root hash"))?;
        let extensions: Vec<String> = lines.map(str::to_owned).collect();
        if extensions.iter().any(String::is_empty) {
            return Err(NoteError::MalformedCheckpoint("empty extension line"));
        }
        Ok(Checkpoint {
            origin: origin.to_owned(),
            size,
            root,
            extensions,
        })
    }

    /// Sign this checkpoint with a log key, producing the signed note text.
    pub fn sign(&self, signer: &NoteSigner) -> Result<String, NoteError> {
        signer.sign_note(&self.body())
    }

    /// Parse a signed checkpoint note and verify the log's signature on it.
    pub fn open(note_text: &str, verifier: &NoteVerifier) -> Result<(Checkpoint, Note), NoteError> {
        let note = Note::parse(note_text)?;
        if !note.verify(verifier) {
            return Err(NoteError::NoValidSignature(verifier.name.clone()));
        }
        let cp = Checkpoint::parse_body(&note.text)?;
        Ok((cp, note))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_strings_roundtrip() {
        let s = NoteSigner::generate("example.com/log").unwrap();
        let priv_s = s.to_private_key_string();
        assert!(priv_s.starts_with("PRIVATE+KEY+example.com/log+"));
        let s2 = NoteSigner::from_private_key_string(&priv_s).unwrap();
        assert_eq!(s2.verifier(), s.verifier());
        let v = NoteVerifier::parse(&s.verifier().to_string()).unwrap();
        assert_eq!(v, s.verifier());
        assert!(NoteSigner::generate("has space").is_err());
        assert!(NoteSigner::generate("has+plus").is_err());
    }

    // Known-answer test from Go's golang.org/x/mod/sumdb/note documentation: the verifier key
    // `PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW` has a key hash that we
    // must recompute from the name and public key.
    #[test]
    fn go_sumdb_verifier_key_hash() {
        let v = NoteVerifier::parse(
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        )
        .unwrap();
        assert_eq!(v.key_hash(), 0xc74f20a3);
        let bad = NoteVerifier::parse(
            "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        );
        assert_eq!(bad, Err(NoteError::KeyHashMismatch));
    }
}
