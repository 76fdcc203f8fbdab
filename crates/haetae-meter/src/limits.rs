//! Limit and budget specifications passed in by the gateway.
//!
//! The meter holds no programme data: on every request the gateway passes the ids of the
//! caller ([`Subjects`]) and the limits that apply to it ([`Limits`]), resolved from its
//! configuration and records (key overrides, organisation contract, tier defaults).

use serde::{Deserialize, Serialize};

/// Who a request is metered against. Plain strings so the meter does not depend on
/// `haetae-core`; the gateway passes its ids' string forms.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Subjects {
    /// The API key's public id.
    pub key_id: String,
    /// The key's organisation.
    pub org_id: String,
    /// The organisation's tier.
    pub tier_id: String,
}

impl Subjects {
    /// Convenience constructor.
    pub fn new(
        key_id: impl Into<String>,
        org_id: impl Into<String>,
        tier_id: impl Into<String>,
    ) -> Self {
        Self {
            key_id: key_id.into(),
            org_id: org_id.into(),
            tier_id: tier_id.into(),
        }
    }
}

/// Rate limits for one subject. `None` means "no limit on this dimension".
///
/// Rates are enforced with GCRA (see `docs/metering.md`): a limit of `N` per window admits
/// a burst of up to `N` and then refills continuously at `N / window`, so there is no
/// fixed-window boundary where `2N` could pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitSpec {
    /// Requests per rolling minute.
    pub requests_per_minute: Option<u64>,
    /// Tokens (prompt + completion) per rolling minute.
    pub tokens_per_minute: Option<u64>,
    /// Requests per rolling 24 hours.
    pub requests_per_day: Option<u64>,
}

impl LimitSpec {
    /// Field-wise override: a field set in `self` wins, otherwise `fallback`'s is used.
    /// Lets the gateway resolve "key override, else organisation contract, else tier default".
    pub fn or(self, fallback: LimitSpec) -> LimitSpec {
        LimitSpec {
            requests_per_minute: self.requests_per_minute.or(fallback.requests_per_minute),
            tokens_per_minute: self.tokens_per_minute.or(fallback.tokens_per_minute),
            requests_per_day: self.requests_per_day.or(fallback.requests_per_day),
        }
    }

    /// True when no dimension is limited.
    pub fn is_unlimited(&self) -> bool {
        *self == LimitSpec::default()
    }
}

/// Token budgets for one subject over UTC calendar periods. Budgets are *reserved* before
/// the upstream call, so concurrent requests cannot overshoot them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BudgetSpec {
    /// Tokens per UTC calendar day.
    pub tokens_per_day: Option<u64>,
    /// Tokens per UTC calendar month.
    pub tokens_per_month: Option<u64>,
}

impl BudgetSpec {
    /// Field-wise override, as [`LimitSpec::or`].
    pub fn or(self, fallback: BudgetSpec) -> BudgetSpec {
        BudgetSpec {
            tokens_per_day: self.tokens_per_day.or(fallback.tokens_per_day),
            tokens_per_month: self.tokens_per_month.or(fallback.tokens_per_month),
        }
    }
}

/// Everything the meter enforces for one request.
///
/// * `key`, `org`: rate limits counted per API key and per organisation.
/// * `tier`: rate limits counted over **all** traffic of the tier (a shared capacity pool,
///   e.g. to protect a scarce high-capability model). Tier *defaults* for keys or
///   organisations are resolved by the gateway with [`LimitSpec::or`] before calling.
/// * `key_budget`, `org_budget`: token budgets per day / month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Per-key rate limits.
    pub key: LimitSpec,
    /// Per-organisation rate limits.
    pub org: LimitSpec,
    /// Tier-wide rate limits.
    pub tier: LimitSpec,
    /// Per-key token budget.
    pub key_budget: BudgetSpec,
    /// Per-organisation token budget.
    pub org_budget: BudgetSpec,
}

/// Which subject a rule or counter belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The API key.
    Key,
    /// The organisation.
    Org,
    /// The tier (shared pool).
    Tier,
}

impl Scope {
    /// Short label used in counter names and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Key => "key",
            Scope::Org => "org",
            Scope::Tier => "tier",
        }
    }
}

/// What a rate rule counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// One per request.
    Requests,
    /// Prompt + completion tokens.
    Tokens,
}

impl Dimension {
    /// Label used in header names (`x-ratelimit-limit-requests`) and counter names.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Requests => "requests",
            Dimension::Tokens => "tokens",
        }
    }
}

/// Calendar period of a budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// UTC calendar day.
    Day,
    /// UTC calendar month.
    Month,
}

impl Period {
    /// Label used in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Month => "month",
        }
    }
}

/// One minute and one day in milliseconds.
pub(crate) const MINUTE_MS: u64 = 60_000;
pub(crate) const DAY_MS: u64 = 86_400_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_and_deserialize() {
        let key: LimitSpec = serde_json::from_str(r#"{"requests_per_minute": 10}"#).unwrap();
        let tier = LimitSpec {
            requests_per_minute: Some(100),
            tokens_per_minute: Some(1000),
            requests_per_day: None,
        };
        let eff = key.or(tier);
        assert_eq!(eff.requests_per_minute, Some(10));
        assert_eq!(eff.tokens_per_minute, Some(1000));
        assert!(LimitSpec::default().is_unlimited());
        assert!(serde_json::from_str::<LimitSpec>(r#"{"rpm": 1}"#).is_err());
    }
}
