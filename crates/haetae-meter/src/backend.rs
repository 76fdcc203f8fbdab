//! The storage-side contract of the meter.
//!
//! [`crate::Meter`] turns a request's subjects and limits into a fully resolved plan (counter
//! names, limits, windows, amounts, lease expiry); a [`MeterBackend`] executes that plan
//! **atomically**: all rate rules and budget counters are checked together and either all
//! are charged or none is. Keeping the backends this dumb means the in-process and the
//! Redis backend share one semantics, and a further backend (e.g. PostgreSQL) only has to
//! implement three operations.

use std::sync::Arc;

use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};

use crate::limits::{Dimension, Period, Scope};

/// A backend failure (not a denial): the gateway decides whether to fail closed.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The Redis server could not be reached or returned an error.
    #[error("redis: {0}")]
    Redis(String),
    /// The backend answered something this crate does not understand.
    #[error("unexpected backend reply: {0}")]
    Protocol(String),
}

/// A GCRA rate rule to check and charge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateRule {
    /// Counter name, unique per (scope, subject id, dimension, window).
    pub counter: String,
    /// Whose limit this is.
    pub scope: Scope,
    /// Requests or tokens.
    pub dimension: Dimension,
    /// Units admitted per window (> 0).
    pub limit: u64,
    /// Window length in milliseconds (> 0).
    pub window_ms: u64,
    /// Units this request costs (1 for requests, the token estimate for tokens).
    pub cost: u64,
}

impl RateRule {
    /// GCRA emission interval: milliseconds one unit occupies.
    pub fn emission_ms(&self) -> f64 {
        self.window_ms as f64 / self.limit as f64
    }
}

/// A budget counter to check and reserve against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetRule {
    /// Counter name, unique per (scope, subject id, period, period label).
    pub counter: String,
    /// Whose budget this is.
    pub scope: Scope,
    /// Day or month.
    pub period: Period,
    /// Tokens allowed in the period.
    pub limit: u64,
    /// When the counter may be forgotten (period end plus a retention margin).
    pub expire_at_ms: u64,
}

/// Everything a backend needs to admit (or refuse) one request atomically.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReservePlan {
    /// Unique id of the reservation (lease) being created.
    pub reservation_id: String,
    /// Current time.
    pub now_ms: u64,
    /// When an unsettled lease is reclaimed (protects against crashed replicas).
    pub lease_expires_ms: u64,
    /// Tokens to reserve on every budget counter.
    pub amount: u64,
    /// Rate rules.
    pub rates: Vec<RateRule>,
    /// Budget counters.
    pub budgets: Vec<BudgetRule>,
    /// `false` = only report state (used for headers on responses the meter did not admit).
    pub commit: bool,
}

/// State of one rate rule after a reserve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RateOutcome {
    /// Whether this rule alone would admit the request.
    pub allowed: bool,
    /// How far the GCRA "theoretical arrival time" is ahead of now, in ms (0 = bucket
    /// full). After an admitted, committed reserve this includes the request's cost;
    /// otherwise it is the state before the request.
    pub fill_ms: f64,
}

/// State of one budget counter after a reserve or settle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetOutcome {
    /// Whether this counter alone would admit the request.
    pub allowed: bool,
    /// Tokens consumed (reconciled) in the period; may exceed the limit after over-usage.
    pub used: u64,
    /// Tokens held by unsettled reservations.
    pub reserved: u64,
}

/// Result of [`MeterBackend::reserve`]; vectors are in the plan's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReserveOutcome {
    /// True iff every rule and counter allowed and (when `commit`) all were charged.
    pub admitted: bool,
    /// One per [`ReservePlan::rates`].
    pub rates: Vec<RateOutcome>,
    /// One per [`ReservePlan::budgets`].
    pub budgets: Vec<BudgetOutcome>,
}

/// What a backend needs to settle a reservation made from a [`ReservePlan`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettlePlan {
    /// The reservation's id.
    pub reservation_id: String,
    /// Current time.
    pub now_ms: u64,
    /// Tokens that were reserved.
    pub reserved: u64,
    /// The token-dimension rate rules that were charged `reserved` (corrected by the
    /// difference between actual and reserved).
    pub token_rates: Vec<RateRule>,
    /// The budget counters holding the lease.
    pub budgets: Vec<BudgetRule>,
}

/// Per-counter state after a settle, in the plan's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettleOutcome {
    /// One per [`SettlePlan::budgets`]; `allowed` is true unless the counter is over budget.
    pub budgets: Vec<BudgetOutcome>,
    /// False when the lease had already been reclaimed (expired) before the settle; the
    /// actual usage is charged anyway.
    pub lease_found: bool,
}

/// Consumed and reserved tokens of one budget counter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetUsage {
    /// Tokens consumed.
    pub used: u64,
    /// Tokens reserved by in-flight requests.
    pub reserved: u64,
}

/// Atomic counter operations. Object safe, so the gateway can hold `Arc<dyn MeterBackend>`
/// and choose in-process or Redis at start-up.
///
/// Contract (both shipped backends implement exactly this; see `docs/metering.md`):
/// * `reserve`: first reclaim expired leases on the plan's budget counters; then a rule
///   allows iff `max(tat, now) + cost * window/limit - now <= window`, a counter allows iff
///   `used + reserved + amount <= limit`; if all allow and `commit`, advance every TAT and add
///   `amount` to every counter's `reserved` under a lease that expires at `lease_expires_ms`.
/// * `reconcile`: remove the lease (refund `reserved` if still held), add `actual` to `used`
///   (even past the limit: over-usage is recorded, never lost), and move each token TAT by
///   `(actual - reserved) * emission` (never below now).
/// * `release`: remove the lease and refund the token rates by `reserved`; `used` unchanged.
pub trait MeterBackend: Send + Sync + std::fmt::Debug + 'static {
    /// Check and (if `plan.commit`) charge every rule and counter, all or nothing.
    fn reserve<'a>(
        &'a self,
        plan: &'a ReservePlan,
    ) -> BoxFuture<'a, Result<ReserveOutcome, BackendError>>;

    /// Settle a reservation with the actual token usage.
    fn reconcile<'a>(
        &'a self,
        plan: &'a SettlePlan,
        actual: u64,
    ) -> BoxFuture<'a, Result<SettleOutcome, BackendError>>;

    /// Cancel a reservation (nothing consumed).
    fn release<'a>(
        &'a self,
        plan: &'a SettlePlan,
    ) -> BoxFuture<'a, Result<SettleOutcome, BackendError>>;

    /// Read one budget counter (for reports, admin and tests).
    fn budget_usage<'a>(
        &'a self,
        counter: &'a str,
    ) -> BoxFuture<'a, Result<BudgetUsage, BackendError>>;

    /// Settle from a synchronous context (a dropped [`crate::Reservation`]): `Some(actual)`
    /// reconciles, `None` releases. The default spawns the async operation on the current
    /// Tokio runtime; without one the lease simply expires. Backends that can settle without
    /// awaiting (the in-process one) override this to settle immediately.
    fn settle_detached(self: Arc<Self>, plan: SettlePlan, actual: Option<u64>) {
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn(async move {
                    let result = match actual {
                        Some(a) => self.reconcile(&plan, a).await,
                        None => self.release(&plan).await,
                    };
                    if let Err(e) = result {
                        tracing::warn!(reservation = %plan.reservation_id, error = %e,
                            "settling a dropped reservation failed; its lease will expire");
                    }
                });
            }
            Err(_) => tracing::warn!(reservation = %plan.reservation_id,
                "reservation dropped outside a Tokio runtime; its lease will expire"),
        }
    }
}

/// Tolerance for float rounding in GCRA comparisons (ms). `window/limit*limit` can land an
/// ulp above `window`; without this a burst of exactly `limit` could be refused.
pub(crate) const GCRA_EPSILON_MS: f64 = 1e-6;
