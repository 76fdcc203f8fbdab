//! Stage 7: record. Every decision — allowed, denied, and each administrative change — becomes an entry in the
//! transparency ledger, holding digests and metadata, never text. The entry is durable (fsync'd, by group commit
//! in the ledger's writer thread) before the response says so with `x-haetae-ledger-index`. When the ledger
//! cannot write, the gateway refuses new requests (fail closed) rather than serve unrecorded.

use haetae_core::Principal;
use haetae_ledger::{Decision, DigestKey, Entry, EntryKind, Ledger};

use crate::error::ApiError;

pub const LEDGER_INDEX_HEADER: &str = "x-haetae-ledger-index";

#[derive(Clone)]
pub struct Recorder {
    pub ledger: Ledger,
    pub digest_key: std::sync::Arc<DigestKey>,
}

/// What one decision looked like.
#[derive(Default)]
pub struct Record<'a> {
    pub request_id: &'a str,
    pub principal: Option<&'a Principal>,
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
    pub detail: String,
    pub admin: bool,
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Ledger fields are bounded (the encoding caps an entry at 64 KiB); details are cut, never the entry dropped.
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

impl Recorder {
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

    /// Appends the entry and waits until it is durable. Returns its leaf index.
    pub async fn record(&self, r: Record<'_>) -> Result<u64, ApiError> {
        let kind = if r.admin {
            EntryKind::Admin
        } else {
            EntryKind::Request
        };
        let mut e = Entry::new(
            kind,
            r.decision.unwrap_or(Decision::Deny),
            now_ms(),
            r.request_id,
        );
        if let Some(p) = r.principal {
            e.organisation = p.org.id.clone();
            e.member = p.member.id.clone();
            e.key_id = p.key_id.clone();
        }
        e.model = bounded(r.model, 256);
        e.action = bounded(r.action, 256);
        e.declared_use_case = bounded(r.declared_use_case, 64);
        e.classified_use_case = bounded(r.classified_use_case, 256);
        e.policy_ids = r
            .policy_ids
            .into_iter()
            .take(32)
            .map(|p| bounded(&p, 128))
            .collect();
        e.prompt_tokens = r.prompt_tokens;
        e.completion_tokens = r.completion_tokens;
        e.digest_key_id = self.digest_key.id().to_string();
        e.request_digest = r.request_body.map(|b| self.digest_key.digest(b));
        e.response_digest = r.response_body.map(|b| self.digest_key.digest(b));
        e.detail = bounded(&r.detail, 1024);
        self.ledger.append(&e).await.map_err(|err| {
            tracing::error!(error = %err, "ledger append failed");
            ApiError::unavailable(
                "The transparency ledger could not record this request, so it was not completed.",
            )
        })
    }
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
