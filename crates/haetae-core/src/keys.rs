//! API keys: `hk_<public-id>_<secret>` for members and `hka_<public-id>_<secret>` for administrators.
//!
//! The public id locates the record; only a SHA-256 digest of the secret is stored. The secret has 190 bits of
//! entropy, so a fast hash is the right tool (a slow password hash buys nothing against a random secret and
//! would cost every request); the comparison is constant-time.

use rand::Rng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const PUBLIC_ID_LEN: usize = 12;
const SECRET_LEN: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Member,
    Admin,
}

impl KeyKind {
    fn prefix(self) -> &'static str {
        match self {
            KeyKind::Member => "hk",
            KeyKind::Admin => "hka",
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyParseError {
    #[error("the key does not have the form hk_<id>_<secret>")]
    Malformed,
}

/// A freshly generated key. `full` is shown to the user once and never stored.
#[derive(Clone)]
pub struct ApiKeySecret {
    pub kind: KeyKind,
    pub public_id: String,
    pub full: String,
    pub secret_hash: String,
}

impl std::fmt::Debug for ApiKeySecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKeySecret")
            .field("kind", &self.kind)
            .field("public_id", &self.public_id)
            .finish_non_exhaustive()
    }
}

fn random_token(len: usize) -> String {
    let mut rng = rand::rngs::OsRng;
    (0..len)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

impl ApiKeySecret {
    pub fn generate(kind: KeyKind) -> Self {
        let public_id = random_token(PUBLIC_ID_LEN);
        let secret = random_token(SECRET_LEN);
        let full = format!("{}_{}_{}", kind.prefix(), public_id, secret);
        ApiKeySecret {
            kind,
            public_id,
            secret_hash: hash_secret(&secret),
            full,
        }
    }
}

/// A key as presented by a caller, split into its parts. Holds the secret only for the duration of the check.
#[derive(PartialEq, Eq)]
pub struct ParsedKey<'a> {
    pub kind: KeyKind,
    pub public_id: &'a str,
    secret: &'a str,
}

impl std::fmt::Debug for ParsedKey<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParsedKey")
            .field("kind", &self.kind)
            .field("public_id", &self.public_id)
            .finish_non_exhaustive()
    }
}

impl<'a> ParsedKey<'a> {
    pub fn parse(presented: &'a str) -> Result<Self, KeyParseError> {
        let mut parts = presented.splitn(3, '_');
        let prefix = parts.next().ok_or(KeyParseError::Malformed)?;
        let public_id = parts.next().ok_or(KeyParseError::Malformed)?;
        let secret = parts.next().ok_or(KeyParseError::Malformed)?;
        let kind = match prefix {
            "hk" => KeyKind::Member,
            "hka" => KeyKind::Admin,
            _ => return Err(KeyParseError::Malformed),
        };
        let well_formed =
            |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_alphanumeric());
        if !well_formed(public_id, PUBLIC_ID_LEN) || !well_formed(secret, SECRET_LEN) {
            return Err(KeyParseError::Malformed);
        }
        Ok(ParsedKey {
            kind,
            public_id,
            secret,
        })
    }

    /// Constant-time comparison of this key's secret against a stored hash.
    pub fn matches(&self, stored_hash: &str) -> bool {
        let presented = hash_secret(self.secret);
        presented.as_bytes().ct_eq(stored_hash.as_bytes()).into()
    }
}

pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn generated_keys_parse_and_match() {
        for kind in [KeyKind::Member, KeyKind::Admin] {
            let key = ApiKeySecret::generate(kind);
            let parsed = ParsedKey::parse(&key.full).expect("generated key parses");
            assert_eq!(parsed.kind, kind);
            assert_eq!(parsed.public_id, key.public_id);
            assert!(parsed.matches(&key.secret_hash));
            let other = ApiKeySecret::generate(kind);
            assert!(!parsed.matches(&other.secret_hash));
        }
    }

    #[test]
    fn debug_never_prints_the_secret() {
        let key = ApiKeySecret::generate(KeyKind::Member);
        let secret = key.full.rsplit('_').next().unwrap_or_default().to_string();
        assert!(!format!("{key:?}").contains(&secret));
        let parsed = ParsedKey::parse(&key.full).unwrap();
        assert!(!format!("{parsed:?}").contains(&secret));
    }

    #[test]
    fn malformed_keys_are_rejected() {
        for bad in [
            "",
            "hk",
            "hk_abc",
            "sk-abc",
            "hk_abcdefghijkl_short",
            "hx_abcdefghijkl_abcdefghijklmnopqrstuvwxyz012345",
        ] {
            assert_eq!(
                ParsedKey::parse(bad),
                Err(KeyParseError::Malformed),
                "{bad}"
            );
        }
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in ".*") {
            let _ = ParsedKey::parse(&s);
        }
    }
}
