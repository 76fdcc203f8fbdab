//! # haetae-meter
//!
//! Stage 5 of the Haetae request pipeline: rate limits, token budgets with
//! reserve/reconcile, usage accounting, misuse signals and the review-item state machine.
//!
//! * [`Meter`] — admit a request with [`Meter::reserve`] (GCRA rate limits per key,
//!   organisation and tier; day/month token budgets per key and organisation), returning a
//!   RAII [`Reservation`] that is reconciled with the actual usage after the call. Denials
//!   carry everything for an OpenAI-format 429 (`rate_limit_exceeded` /
//!   `insufficient_quota`, `retry-after`, `x-ratelimit-*`).
//! * [`MeterBackend`] — the atomic counter contract; [`InMemoryBackend`] (embedded default)
//!   and `RedisBackend` (feature `redis`, several replicas) implement it.
//! * [`usage`] — usage records, an in-memory aggregator with `drain()`, report rendering.
//! * [`misuse`] — a detector turning observations into de-duplicated [`misuse::Signal`]s;
//!   `misuse_redis` (feature `redis`) keeps its windows in Redis, shared by every replica.
//! * [`review`] — review items and their validated state machine.
//!
//! The crate depends on no other Haetae crate: subjects are plain string ids.
//! Algorithms and thresholds are described in `docs/metering.md`.

pub mod backend;
pub mod clock;
pub mod headers;
pub mod limits;
pub mod memory;
mod meter;
pub mod misuse;
#[cfg(feature = "redis")]
pub mod misuse_redis;
#[cfg(feature = "redis")]
pub mod redis_backend;
pub mod review;
pub mod usage;

pub use backend::{BackendError, BudgetUsage, MeterBackend};
pub use clock::{Clock, ManualClock, SystemClock};
pub use headers::{RateLimitHeaders, RateLimitStatus};
pub use limits::{BudgetSpec, Dimension, LimitSpec, Limits, Period, Scope, Subjects};
pub use memory::InMemoryBackend;
pub use meter::{
    BudgetStatus, Denial, DenialKind, DropPolicy, Meter, MeterConfig, MeterError, Reservation,
    Settled,
};
#[cfg(feature = "redis")]
pub use misuse_redis::RedisMisuseDetector;
#[cfg(feature = "redis")]
pub use redis_backend::RedisBackend;
