//! Coordinated disclosure: an embargo record per finding (maintainer contact, deadline) and a **commitment** to the
//! finding, published at discovery, that the **opening** published at disclosure can be checked against — so anyone
//! can later verify that the finding was known on that date without it having been public.
//!
//! The commitment is SHA-256 over a domain tag, a 32-byte random nonce and the finding's canonical JSON (keys sorted
//! at every level, no insignificant whitespace). The nonce makes it hiding: without it, a guess of the finding
//! (file, line, CWE) cannot be confirmed against the published digest. The opening is the nonce and the canonical
//! JSON. Where the digest is published (the gateway's ledger, an advisory) is up to the caller; see docs/scan.md.

use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::pipeline::Finding;
use crate::{Result, ScanError};

/// Domain separation: a digest of this form cannot be mistaken for one made for another purpose.
pub const DOMAIN: &[u8] = b"haetae-scan/finding-commitment/v1\0";

/// What is published at discovery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    pub finding_id: String,
    /// Hex SHA-256(DOMAIN ‖ nonce ‖ canonical JSON).
    pub digest: String,
    /// RFC 3339.
    pub committed_at: String,
}

/// What is published at disclosure: enough to recompute the digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opening {
    pub finding_id: String,
    /// Hex, 32 bytes.
    pub nonce: String,
    /// The finding's canonical JSON, exactly as hashed.
    pub canonical: String,
}

/// The embargo on one finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Embargo {
    pub finding_id: String,
    /// Who was told (an address or a security-policy URL).
    pub maintainer_contact: String,
    /// RFC 3339: when the finding is disclosed whether or not a fix is released.
    pub deadline: String,
    pub commitment: Commitment,
    /// The request id of the ledger entry holding the commitment (`haetae scan --ledger`; see [`crate::ledger`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ledger_request_id: Option<String>,
    /// Set at disclosure.
    pub disclosed_at: Option<String>,
    pub opening: Option<Opening>,
}

/// JSON with object keys sorted at every level and no whitespace, so that the same finding always hashes the same
/// whatever order a serializer happens to keep.
pub fn canonical_json(v: &Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(k) {
                    write_canonical(v, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

fn digest(nonce: &[u8], canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(DOMAIN);
    h.update(nonce);
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

/// Commits to a finding: the commitment to publish now and the opening to keep secret until disclosure.
pub fn commit(finding: &Finding, now: OffsetDateTime) -> Result<(Commitment, Opening)> {
    let canonical = canonical_json(&serde_json::to_value(finding)?);
    let mut nonce = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let commitment = Commitment {
        finding_id: finding.id.clone(),
        digest: digest(&nonce, &canonical),
        committed_at: now
            .format(&Rfc3339)
            .map_err(|e| ScanError::Disclosure(e.to_string()))?,
    };
    let opening = Opening {
        finding_id: finding.id.clone(),
        nonce: hex::encode(nonce),
        canonical,
    };
    Ok((commitment, opening))
}

/// Checks an opening against a commitment, and returns the finding it opens.
pub fn verify(commitment: &Commitment, opening: &Opening) -> Result<Finding> {
    let nonce =
        hex::decode(&opening.nonce).map_err(|e| ScanError::Disclosure(format!("nonce: {e}")))?;
    if nonce.len() != 32 {
        return Err(ScanError::Disclosure("the nonce is not 32 bytes".into()));
    }
    if opening.finding_id != commitment.finding_id {
        return Err(ScanError::Disclosure(
            "the opening is for another finding".into(),
        ));
    }
    if digest(&nonce, &opening.canonical) != commitment.digest {
        return Err(ScanError::Disclosure(
            "the opening does not match the commitment".into(),
        ));
    }
    let finding: Finding = serde_json::from_str(&opening.canonical)?;
    // The canonical text must be canonical (one text per finding), and name the committed finding.
    if canonical_json(&serde_json::to_value(&finding)?) != opening.canonical
        || finding.id != commitment.finding_id
    {
        return Err(ScanError::Disclosure(
            "the opened text is not the committed finding's canonical form".into(),
        ));
    }
    Ok(finding)
}

impl Embargo {
    /// Starts an embargo at discovery: commits to the finding (the opening is returned, to be kept private).
    pub fn start(
        finding: &Finding,
        maintainer_contact: &str,
        deadline: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<(Embargo, Opening)> {
        if maintainer_contact.trim().is_empty() {
            return Err(ScanError::Disclosure(
                "a maintainer contact is required".into(),
            ));
        }
        if deadline <= now {
            return Err(ScanError::Disclosure(
                "the embargo deadline is not in the future".into(),
            ));
        }
        let (commitment, opening) = commit(finding, now)?;
        let deadline = deadline
            .format(&Rfc3339)
            .map_err(|e| ScanError::Disclosure(e.to_string()))?;
        Ok((
            Embargo {
                finding_id: finding.id.clone(),
                maintainer_contact: maintainer_contact.to_owned(),
                deadline,
                commitment,
                ledger_request_id: None,
                disclosed_at: None,
                opening: None,
            },
            opening,
        ))
    }

    /// Discloses: checks the opening against the commitment and records it.
    pub fn disclose(&mut self, opening: Opening, now: OffsetDateTime) -> Result<Finding> {
        let finding = verify(&self.commitment, &opening)?;
        self.disclosed_at = Some(
            now.format(&Rfc3339)
                .map_err(|e| ScanError::Disclosure(e.to_string()))?,
        );
        self.opening = Some(opening);
        Ok(finding)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::TriageState;
    use serde_json::json;
    use time::Duration;

    fn finding() -> Finding {
        Finding {
            id: "HS-0123456789ab".into(),
            file: "greet.c".into(),
            start_line: 5,
            end_line: 9,
            cwe: "CWE-121".into(),
            title: "stack overflow".into(),
            reasoning: "strcpy into 16 bytes".into(),
            unit: "greet".into(),
            pov_file: "pov.c".into(),
            pov: "int main(){}".into(),
            patch: "--- a/greet.c\n".into(),
            pov_report: "ERROR: AddressSanitizer".into(),
            triage: TriageState::New,
        }
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let v = json!({"b": 1, "a": {"d": [true, null], "c": "x\"y"}});
        assert_eq!(
            canonical_json(&v),
            r#"{"a":{"c":"x\"y","d":[true,null]},"b":1}"#
        );
    }

    #[test]
    fn an_opening_verifies_and_returns_the_finding() {
        let (c, o) = commit(&finding(), OffsetDateTime::UNIX_EPOCH).unwrap();
        assert_eq!(c.digest.len(), 64);
        assert_eq!(verify(&c, &o).unwrap(), finding());
    }

    #[test]
    fn a_changed_finding_or_nonce_does_not_open() {
        let (c, o) = commit(&finding(), OffsetDateTime::UNIX_EPOCH).unwrap();
        let mut other = finding();
        other.start_line = 6;
        let forged = Opening {
            canonical: canonical_json(&serde_json::to_value(&other).unwrap()),
            ..o.clone()
        };
        assert!(verify(&c, &forged).is_err());
        let mut bad_nonce = o.clone();
        bad_nonce.nonce = hex::encode([0u8; 32]);
        assert!(verify(&c, &bad_nonce).is_err());
        let mut other_id = o;
        other_id.finding_id = "HS-ffffffffffff".into();
        assert!(verify(&c, &other_id).is_err());
    }

    #[test]
    fn commitments_to_the_same_finding_differ_by_nonce() {
        let (a, _) = commit(&finding(), OffsetDateTime::UNIX_EPOCH).unwrap();
        let (b, _) = commit(&finding(), OffsetDateTime::UNIX_EPOCH).unwrap();
        assert_ne!(a.digest, b.digest);
    }

    #[test]
    fn an_embargo_needs_a_contact_and_a_future_deadline_and_discloses_with_its_opening() {
        let now = OffsetDateTime::UNIX_EPOCH + Duration::days(1);
        assert!(Embargo::start(&finding(), "", now + Duration::days(90), now).is_err());
        assert!(Embargo::start(&finding(), "security@example.org", now, now).is_err());
        let (mut e, opening) = Embargo::start(
            &finding(),
            "security@example.org",
            now + Duration::days(90),
            now,
        )
        .unwrap();
        assert_eq!(e.deadline, "1970-04-02T00:00:00Z");
        let (_, stranger) = commit(&finding(), now).unwrap();
        assert!(e.disclose(stranger, now).is_err());
        assert!(e.opening.is_none());
        assert_eq!(e.disclose(opening, now).unwrap().id, "HS-0123456789ab");
        assert!(e.disclosed_at.is_some());
    }
}
