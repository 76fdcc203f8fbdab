//! Stage 2: on what standing does the key's holder call? Resolves member, organisation and tier, and refuses
//! every key of an organisation that is not verified, is suspended or revoked, or whose vetting has expired.

use haetae_core::{Principal, now_unix};
use haetae_store::KeyRecord;

use crate::pipeline::{Refusal, RefusalCode, Stage};

/// The caller the key names, whatever its standing (a refusal on standing is recorded against it).
pub fn principal_of(record: KeyRecord) -> Principal {
    Principal {
        key_id: record.key.id,
        member: record.member,
        org: record.org,
        tier: record.tier,
    }
}

/// The refusal the organisation's standing calls for, if any.
pub fn standing(principal: &Principal) -> Option<Refusal> {
    let problem = principal.org.standing_problem(now_unix())?;
    Some(
        Refusal::new(Stage::Principal, RefusalCode::from_standing(problem))
            .with_policies(vec![problem.code().to_string()]),
    )
}
