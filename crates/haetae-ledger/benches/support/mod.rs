//! The entry both ledger benchmarks append: a realistic gateway decision (UUID-length ids, one policy id, token
//! counts, two HMAC digests, three commitments), so appends per second are for entries of the size the gateway writes.

use haetae_ledger::{Decision, Entry, EntryKind};

pub fn entry(i: u64) -> Entry {
    let mut e = Entry::new(
        EntryKind::Request,
        Decision::Allow,
        1_764_000_000_000 + i,
        &format!("req_{i:032}"),
    );
    // Who asked is committed (format v2): organisation, member and key, 32 bytes each.
    e.commit_key_id = "c1764000000".into();
    e.commitments = ["key", "member", "org"]
        .into_iter()
        .map(|field| haetae_ledger::Commitment {
            field: field.into(),
            value: [3; 32],
        })
        .collect();
    e.model = "smollm2-135m".into();
    e.action = "chat.completions".into();
    e.declared_use_case = "defensive-analysis".into();
    e.classified_use_case = "defensive-analysis".into();
    e.policy_ids = vec!["allow-tier2-defensive".into()];
    e.prompt_tokens = 812;
    e.completion_tokens = 233;
    e.digest_key_id = "d1764000000".into();
    e.request_digest = Some([1; 32]);
    e.response_digest = Some([2; 32]);
    e
}
