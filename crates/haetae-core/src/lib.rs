//! Domain types shared by all Haetae crates: the programme (organisations, members, tiers, keys, models),
//! the cyber use-case taxonomy and the decision vocabulary. No I/O lives here.

pub mod keys;
pub mod programme;
pub mod quota;
pub mod usecase;

pub use keys::{ApiKeySecret, KeyKind, KeyParseError, ParsedKey};
pub use programme::*;
pub use quota::{Quota, QuotaLevels, TierLimits};
pub use usecase::UseCase;

/// Seconds since the Unix epoch. Every timestamp in the programme data is stored this way so that SQLite and
/// PostgreSQL agree on it without a date type.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A new time-ordered identifier (UUIDv7, simple form). Time ordering keeps keyset pagination stable.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}
