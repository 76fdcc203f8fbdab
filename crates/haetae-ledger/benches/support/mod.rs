//! The entry both ledger benchmarks append: a realistic gateway decision (UUID-length ids, one policy id, token
//! counts, two HMAC digests), so appends per second are for entries of the size the gateway writes.

use haetae_ledger::{Decision, Entry, EntryKind};

pub fn entry(i: u64) -> Entry {
    let mut e = Entry::new(
        EntryKind::Request,
        Decision::Allow,
        1_764_000_000_000 + i,
        &format!("req_{i:032}"),
    );
    e.organisation = "019347a2-7c1e-7000-8000-00000000kisa".into();
    e.member = "019347a2-7c1e-7000-8000-0000000000042".into();
    e.key_id = "3f9a1c2b4d5e".into();
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
