//! Stage 2: on what standing does the key's holder call? Resolves member, organisation and tier, and refuses
//! every key of an organisation that is not verified, is suspended or revoked, or whose vetting has expired.

use haetae_core::{Principal, now_unix};
use haetae_store::KeyRecord;

use crate::error::ApiError;

pub fn resolve(record: KeyRecord) -> Result<Principal, ApiError> {
    if let Some(problem) = record.org.standing_problem(now_unix()) {
        return Err(ApiError::permission_denied(
            problem.code(),
            problem.message(),
        ));
    }
    Ok(Principal {
        key_id: record.key.id,
        member: record.member,
        org: record.org,
        tier: record.tier,
    })
}
