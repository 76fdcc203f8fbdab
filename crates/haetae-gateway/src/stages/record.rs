//! Stage 7: record. Every decision — allowed, denied, and each administrative change — becomes an entry in the
//! transparency ledger, holding digests and metadata, never text. The entry is durable (fsync'd, by group commit
//! in the ledger's writer thread) before the response says so with `x-haetae-ledger-index`. When the ledger
//! cannot write, the gateway refuses new requests (fail closed) rather than serve unrecorded.

use std::collections::HashSet;
use std::sync::{Arc, RwLock};

use haetae_core::Principal;
use haetae_ledger::{CommitKey, Decision, DigestKey, Entry, EntryKind, Ledger};

use crate::error::ApiError;

pub const LEDGER_INDEX_HEADER: &str = "x-haetae-ledger-index";

/// Names of the committed fields (`docs/ledger-format.md` §2.2). An opening names one of these.
pub const COMMITTED_FIELDS: [&str; 10] = [
    "action",
    "classified_use_case",
    "declared_use_case",
    "detail",
    "key",
    "member",
    "model",
    "org",
    "policy_ids",
    "request_id",
];

#[derive(Clone)]
pub struct Recorder {
    pub ledger: Ledger,
    pub digest_key: Arc<DigestKey>,
    /// Master key of the entries' keyed commitments (`commit.key`).
    pub commit_key: Arc<CommitKey>,
    /// Model names an allowed request has shown to be catalogue models: only these are published in clear.
    public_models: Arc<RwLock<HashSet<String>>>,
}

/// Something the public part of an entry may say in words, built only from public facts (never caller text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicNote {
    /// A commitment of entry `index` was opened to an auditor (who is committed, in `detail`).
    Opened { index: u64, field: &'static str },
    /// A refusal, by one of the gateway's refusal codes (a closed list).
    Refused(&'static str),
}

impl PublicNote {
    fn render(self) -> String {
        match self {
            PublicNote::Opened { index, field } => format!("opened entry {index} field {field}"),
            PublicNote::Refused(code) => format!("refused {code}"),
        }
    }
}

/// What one decision looked like.
///
/// Only closed-vocabulary facts reach the public entry in clear: the decision, the time, a gateway-assigned
/// request id, a catalogue model name, an action label or route template, use-case labels, policy ids, token
/// counts and body digests. Everything else (the principal, `detail`, and any of the former that does not look
/// like what it should) is replaced by a keyed commitment, its clear value kept in the ledger's private part.
#[derive(Default)]
pub struct Record<'a> {
    pub request_id: &'a str,
    pub principal: Option<&'a Principal>,
    /// Published once an allowed request has shown it is a catalogue model; committed until then.
    pub model: &'a str,
    pub action: &'a str,
    pub decision: Option<Decision>,
    pub policy_ids: Vec<String>,
    pub declared_use_case: &'a str,
    pub classified_use_case: &'a str,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub request_body: Option<&'a [u8]>,
    pub response_body: Option<&'a [u8]>,
    /// Free text: always committed, never published.
    pub detail: String,
    pub admin: bool,
    /// A public note (see [`PublicNote`]).
    pub public_note: Option<PublicNote>,
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Ledger fields are bounded (the private record is at most 4 KiB); values are cut, never the entry dropped.
fn bounded(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

/// Ids the gateway assigns: `req_`, `adm_`, `pol_`, `led_`… followed by a hex or alphanumeric token it made.
fn is_gateway_id(id: &str) -> bool {
    let Some((prefix, token)) = id.split_once('_') else {
        return false;
    };
    (2..=8).contains(&prefix.len())
        && prefix.bytes().all(|b| b.is_ascii_lowercase())
        && (1..=64).contains(&token.len())
        && token.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The words of the gateway's own routes and action labels. A path segment or label word not among them (an id,
/// a name, a domain, anything a caller typed) makes the action unpublishable: it is committed instead.
const ACTION_WORDS: &[&str] = &[
    "v1",
    "chat",
    "completions",
    "embeddings",
    "responses",
    "models",
    "model",
    "usage",
    "engagements",
    "engagement",
    "revoke",
    "register",
    "list",
    "view",
    "admin",
    "tiers",
    "tier",
    "limits",
    "orgs",
    "org",
    "vetting",
    "vet",
    "members",
    "member",
    "keys",
    "key",
    "reviews",
    "review",
    "claim",
    "unclaim",
    "resolve",
    "ledger",
    "openings",
    "open",
    "policy",
    "reload",
    "recovered",
    "release",
    "decide",
    "apply",
    "set",
    "put",
    "remove",
    "add",
    "issue",
    "create",
];
const METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

/// A short label made of the gateway's action words (`chat.completions`, `key.revoke`, `policy reload`).
fn is_label(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.split([' ', '.', '-']).all(|w| ACTION_WORDS.contains(&w))
}

/// An action label, or `[admin ][METHOD ]/route/{template}` made only of the gateway's route words and
/// `{parameter}` placeholders.
fn is_public_action(action: &str) -> bool {
    let rest = action.strip_prefix("admin ").unwrap_or(action);
    let rest = match rest.split_once(' ') {
        Some((m, path)) if METHODS.contains(&m) => path,
        _ => rest,
    };
    match rest.strip_prefix('/') {
        Some(path) => path.split('/').all(|seg| {
            ACTION_WORDS.contains(&seg)
                || seg
                    .strip_prefix('{')
                    .and_then(|p| p.strip_suffix('}'))
                    .is_some_and(|p| {
                        !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                    })
        }),
        None => is_label(rest),
    }
}

/// A comma-separated list of the guard's use-case labels.
fn is_use_case_list(s: &str) -> bool {
    s.split(',')
        .all(|u| u.parse::<haetae_core::UseCase>().is_ok())
}

/// A policy id or refusal code: operator- or gateway-chosen identifiers.
fn is_policy_id(s: &str) -> bool {
    (1..=128).contains(&s.len())
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._:-".contains(&b))
}

impl Recorder {
    pub fn new(ledger: Ledger, digest_key: Arc<DigestKey>, commit_key: Arc<CommitKey>) -> Self {
        Recorder {
            ledger,
            digest_key,
            commit_key,
            public_models: Arc::default(),
        }
    }

    /// Fail closed: refuse work the ledger could not record.
    pub fn ensure_healthy(&self) -> Result<(), ApiError> {
        match self.ledger.health() {
            haetae_ledger::Health::Ok => Ok(()),
            haetae_ledger::Health::Failed(why) => {
                tracing::error!(%why, "ledger failed: refusing requests");
                Err(ApiError::unavailable(
                    "The transparency ledger cannot record decisions right now, so the gateway refuses requests until it can.",
                ))
            }
        }
    }

    fn model_is_public(&self, model: &str, learn: bool) -> bool {
        if learn {
            let mut set = self
                .public_models
                .write()
                .unwrap_or_else(|e| e.into_inner());
            if !set.contains(model) {
                set.insert(model.to_string());
            }
            return true;
        }
        self.public_models
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains(model)
    }

    /// The public entry and the clear values behind its commitments.
    fn entry(&self, r: Record<'_>) -> Result<(Entry, Vec<(String, String)>), ApiError> {
        let kind = if r.admin {
            EntryKind::Admin
        } else {
            EntryKind::Request
        };
        let decision = r.decision.unwrap_or(Decision::Deny);
        let mut private: Vec<(String, String)> = Vec::new();
        let mut commit = |field: &str, value: &str, max: usize| {
            if !value.is_empty() {
                private.push((field.to_string(), bounded(value, max)));
            }
        };
        let request_id = if is_gateway_id(r.request_id) {
            r.request_id.to_string()
        } else {
            // Not an id the gateway made: keep it private, publish a fresh one.
            commit("request_id", r.request_id, 128);
            format!("req_{}", uuid::Uuid::now_v7().simple())
        };
        let mut e = Entry::new(kind, decision, now_ms(), &request_id);
        if let Some(p) = r.principal {
            commit("org", &p.org.id, 128);
            commit("member", &p.member.id, 128);
            commit("key", &p.key_id, 128);
        }
        if !r.model.is_empty() {
            // An allowed model request ran a catalogue model, so its name is the operator's, not the caller's.
            let learn = decision == Decision::Allow && !r.admin;
            if r.model.len() <= 256 && self.model_is_public(r.model, learn) {
                e.model = r.model.to_string();
            } else {
                commit("model", r.model, 256);
            }
        }
        if is_public_action(r.action) {
            e.action = r.action.to_string();
        } else {
            e.action = if r.admin { "admin" } else { "request" }.to_string();
            commit("action", r.action, 256);
        }
        for (field, value, public) in [
            (
                "declared_use_case",
                r.declared_use_case,
                &mut e.declared_use_case,
            ),
            (
                "classified_use_case",
                r.classified_use_case,
                &mut e.classified_use_case,
            ),
        ] {
            if value.is_empty() {
            } else if value.len() <= 256 && is_use_case_list(value) {
                *public = value.to_string();
            } else {
                commit(field, value, 256);
            }
        }
        if r.policy_ids.iter().all(|p| is_policy_id(p)) {
            e.policy_ids = r.policy_ids.into_iter().take(32).collect();
        } else {
            commit("policy_ids", &r.policy_ids.join(" "), 512);
            e.policy_ids = r
                .policy_ids
                .into_iter()
                .filter(|p| is_policy_id(p))
                .take(32)
                .collect();
        }
        // A denial whose detail is exactly one of the gateway's refusal codes says so in public.
        let refused = (decision == Decision::Deny)
            .then(|| {
                crate::pipeline::RefusalCode::ALL
                    .iter()
                    .map(|c| c.as_str())
                    .find(|c| *c == r.detail.trim())
            })
            .flatten()
            .map(PublicNote::Refused);
        commit("detail", &r.detail, 1024);
        e.detail = r
            .public_note
            .or(refused)
            .map(PublicNote::render)
            .unwrap_or_default();
        e.prompt_tokens = r.prompt_tokens;
        e.completion_tokens = r.completion_tokens;
        e.digest_key_id = self.digest_key.id().to_string();
        e.request_digest = r.request_body.map(|b| self.digest_key.digest(b));
        e.response_digest = r.response_body.map(|b| self.digest_key.digest(b));
        Ok((e, private))
    }

    /// Appends the entry and waits until it is durable. Returns its leaf index. The clear values behind the
    /// entry's commitments are written in the same record (same fsync), never served.
    pub async fn record(&self, r: Record<'_>) -> Result<u64, ApiError> {
        let refuse = |what: &dyn std::fmt::Display| {
            tracing::error!(error = %what, "ledger append failed");
            ApiError::unavailable(
                "The transparency ledger could not record this request, so it was not completed.",
            )
        };
        let (mut e, values) = self.entry(r)?;
        let private = if values.is_empty() {
            Vec::new()
        } else {
            let (commitments, private) = self.commit_key.seal(values).map_err(|e| refuse(&e))?;
            e.commit_key_id = self.commit_key.id().to_string();
            e.commitments = commitments;
            private.encode().map_err(|e| refuse(&e))?
        };
        self.ledger
            .append_with_private(&e, &private)
            .await
            .map_err(|err| refuse(&err))
    }

    /// Opens `field` of entry `index`: its clear value and the key that proves it against the public
    /// commitment. The caller records the opening (see the admin API's `POST /admin/v1/ledger/openings`).
    pub fn open(
        &self,
        index: u64,
        field: &str,
    ) -> Result<(Entry, haetae_ledger::Opening), OpenError> {
        let entry = self.ledger.entry(index).map_err(OpenError::Ledger)?;
        let bytes = self
            .ledger
            .private_bytes(index)
            .map_err(OpenError::Ledger)?;
        if bytes.is_empty() {
            return Err(OpenError::NothingCommitted(entry.version));
        }
        let private = haetae_ledger::PrivateRecord::decode(&bytes).map_err(OpenError::Commit)?;
        let opening = self
            .commit_key
            .open(&entry, &private, field)
            .map_err(OpenError::Commit)?;
        Ok((entry, opening))
    }
}

/// Why a commitment could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Ledger(haetae_ledger::LedgerError),
    #[error(
        "the entry has no committed values (format v{0}; format v1 entries hold their values in clear)"
    )]
    NothingCommitted(u8),
    #[error(transparent)]
    Commit(haetae_ledger::CommitError),
}

/// Token counts from an OpenAI `usage` object.
pub fn usage_tokens(usage: Option<&serde_json::Value>) -> (u64, u64) {
    let get = |k: &str| {
        usage
            .and_then(|u| u.get(k))
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0)
    };
    (get("prompt_tokens"), get("completion_tokens"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use haetae_core::{Member, Organisation, Role, Tier, VettingState};
    use haetae_ledger::{LedgerConfig, NoteSigner};

    const ORG_NAME: &str = "Zyx Quux Pentest Org";
    const ORG_ID: &str = "org-zyxquux-7731";
    const TARGET: &str = "secret-target-zq88.example.kr";
    const CALLER_TEXT: &str = "caller-chose-this-zq99";

    fn principal() -> Principal {
        Principal {
            key_id: "keyzq77".into(),
            member: Member {
                id: "mem-zq55".into(),
                org_id: ORG_ID.into(),
                identity: "analyst@zq.example".into(),
                display_name: "Zq Analyst".into(),
                role: Role::Owner,
                identity_verified: true,
                created_at: 0,
            },
            org: Organisation {
                id: ORG_ID.into(),
                name: ORG_NAME.into(),
                country: "KR".into(),
                sector: "security".into(),
                vetting_state: VettingState::Verified,
                tier: "trusted".into(),
                vetting_expires_at: None,
                created_at: 0,
                updated_at: 0,
            },
            tier: Tier {
                name: "trusted".into(),
                rank: 20,
                description: String::new(),
            },
        }
    }

    fn recorder(dir: &std::path::Path) -> Recorder {
        let signer = NoteSigner::generate("test.example/ledger").expect("signer");
        let ledger = Ledger::open(dir, LedgerConfig::new(signer)).expect("ledger");
        Recorder::new(
            ledger,
            Arc::new(DigestKey::generate("d1").expect("digest key")),
            Arc::new(CommitKey::generate("c1").expect("commit key")),
        )
    }

    #[test]
    fn public_vocabulary() {
        let actions = [
            ("chat.completions", true),
            ("admin policy reload", true),
            ("admin key.revoke", true),
            ("admin org.set-tier", true),
            ("naver.com", false),
            ("admin www.naver.com", false),
            ("admin POST /admin/v1/orgs/{org}/engagements", true),
            ("/v1/chat/completions", true),
            ("/v1/engagements/eng_123/revoke", false),
            ("admin POST /admin/v1/orgs/Acme Corp/tier", false),
            ("admin PUT /admin/v1/orgs/acme/tier", false),
            ("naver.com", false),
            ("Write ransomware", false),
            ("", false),
        ];
        for (a, public) in actions {
            assert_eq!(is_public_action(a), public, "{a:?}");
        }
        for (id, ok) in [
            ("req_0193a1b2c3d4e5f6a7b8c9d0e1f2a3b4", true),
            ("adm_01J9ZXQ", true),
            ("www.naver.com", false),
            ("req_with space", false),
            ("", false),
        ] {
            assert_eq!(is_gateway_id(id), ok, "{id:?}");
        }
        assert!(is_use_case_list("benign,defensive-analysis"));
        assert!(!is_use_case_list("naver.com"));
        assert!(is_policy_id("deny-malware-creation"));
        assert!(!is_policy_id("has space"));
    }

    /// Every kind of entry, fed distinctive organisation names, targets and caller text in every field: none of
    /// it appears in the served entry tiles, and each committed value opens (and only with its own key).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn public_entries_reveal_no_names_targets_or_caller_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        let r = recorder(dir.path());
        let p = principal();
        let caller_path = format!("/v1/engagements/{CALLER_TEXT}/revoke");
        let detail = format!("engagement for {ORG_NAME}: {TARGET} ({CALLER_TEXT})");
        let mut records = vec![
            // An allowed request (teaches the recorder that "catalogue-model" is a catalogue model).
            Record {
                request_id: "req_00000000000000000000000000000001",
                principal: Some(&p),
                model: "catalogue-model",
                action: "chat.completions",
                decision: Some(Decision::Allow),
                policy_ids: vec!["allow-trusted".into()],
                classified_use_case: "defensive-analysis",
                detail: detail.clone(),
                ..Record::default()
            },
            // A denial whose model, action, use case and policy id are all caller text.
            Record {
                request_id: "req_00000000000000000000000000000002",
                principal: Some(&p),
                model: CALLER_TEXT,
                action: &caller_path,
                decision: Some(Decision::Deny),
                policy_ids: vec![format!("{CALLER_TEXT} {TARGET}")],
                declared_use_case: CALLER_TEXT,
                detail: detail.clone(),
                ..Record::default()
            },
            // Admin change (engagement registration), policy reload, ledger recovery, an opening.
            Record {
                request_id: "req_00000000000000000000000000000003",
                action: "admin POST /admin/v1/orgs/{org}/engagements",
                decision: Some(Decision::Allow),
                detail: detail.clone(),
                admin: true,
                ..Record::default()
            },
            Record {
                request_id: "pol_00000000000000000000000000000004",
                action: "admin policy reload",
                decision: Some(Decision::Deny),
                detail: format!("policy change rejected: {CALLER_TEXT}"),
                admin: true,
                ..Record::default()
            },
            Record {
                request_id: TARGET,
                action: "engagements.register",
                principal: Some(&p),
                decision: Some(Decision::Allow),
                detail: detail.clone(),
                admin: true,
                ..Record::default()
            },
            Record {
                request_id: "adm_5",
                action: "admin POST /admin/v1/ledger/openings",
                decision: Some(Decision::Allow),
                detail: format!("opened entry 0 field org to auditor {CALLER_TEXT}"),
                admin: true,
                public_note: Some(PublicNote::Opened {
                    index: 0,
                    field: "org",
                }),
                ..Record::default()
            },
        ];
        records.push(Record {
            request_id: "req_00000000000000000000000000000007",
            principal: Some(&p),
            decision: Some(Decision::Deny),
            detail: "model_not_found".into(),
            ..Record::default()
        });
        let n = records.len() as u64;
        for rec in records {
            r.record(rec).await.expect("recorded");
        }
        let tile = r
            .ledger
            .tile_by_path(&format!("tile/entries/000.p/{n}"))
            .expect("tile");
        let text = String::from_utf8_lossy(&tile).to_lowercase();
        for secret in [ORG_NAME, ORG_ID, TARGET, CALLER_TEXT, "mem-zq55", "keyzq77"] {
            assert!(
                !text.contains(&secret.to_lowercase()),
                "{secret:?} is in the public tile"
            );
        }
        // What the public does see.
        let e0 = r.ledger.entry(0).expect("entry");
        assert_eq!(
            (
                e0.model.as_str(),
                e0.action.as_str(),
                e0.classified_use_case.as_str()
            ),
            ("catalogue-model", "chat.completions", "defensive-analysis")
        );
        assert_eq!(e0.policy_ids, ["allow-trusted"]);
        let e1 = r.ledger.entry(1).expect("entry");
        assert_eq!((e1.model.as_str(), e1.action.as_str()), ("", "request"));
        assert_eq!(e1.detail, "", "free text is not a refusal code");
        assert_eq!(
            r.ledger.entry(5).expect("entry").detail,
            "opened entry 0 field org"
        );
        assert_eq!(
            r.ledger.entry(6).expect("entry").detail,
            "refused model_not_found"
        );
        assert!(
            r.ledger
                .entry(4)
                .expect("entry")
                .request_id
                .starts_with("req_")
        );

        // Openings: each committed value opens, a wrong value or another entry's key does not.
        let (_, org0) = r.open(0, "org").expect("open");
        assert_eq!(org0.value, ORG_ID);
        let (_, target) = r.open(2, "detail").expect("open");
        assert!(target.value.contains(TARGET));
        let (_, model1) = r.open(1, "model").expect("open");
        assert_eq!(model1.value, CALLER_TEXT);
        let (_, org1) = r.open(1, "org").expect("open");
        let e0 = r.ledger.entry(0).expect("entry");
        assert!(org0.verify(&e0));
        assert!(!org1.verify(&e0), "another entry's opening");
        let wrong_value = haetae_ledger::Opening {
            value: "org-other".into(),
            ..org0.clone()
        };
        assert!(!wrong_value.verify(&e0));
        let other_key = haetae_ledger::Opening {
            key: org1.key,
            ..org0.clone()
        };
        assert!(!other_key.verify(&e0));
        assert!(matches!(r.open(0, "model"), Err(OpenError::Commit(_))));
    }
}
