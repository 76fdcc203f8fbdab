//! Rate limits and token budgets as the programme's records hold them. A tier sets the defaults for every key
//! and organisation in it (and may cap the tier's traffic as a whole); an organisation or a key may override
//! any field. The gateway resolves the three levels into what the meter enforces.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Limits for one subject. `None` in a field means "not limited here" (or, in an override, "inherit").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Quota {
    /// Requests per rolling minute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requests_per_minute: Option<u64>,
    /// Tokens (prompt + completion) per rolling minute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens_per_minute: Option<u64>,
    /// Requests per rolling 24 hours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requests_per_day: Option<u64>,
    /// Token budget per UTC calendar day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens_per_day: Option<u64>,
    /// Token budget per UTC calendar month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens_per_month: Option<u64>,
}

impl Quota {
    /// Field-wise override: a field set in `self` wins, otherwise `fallback`'s applies.
    pub fn or(self, fallback: Quota) -> Quota {
        Quota {
            requests_per_minute: self.requests_per_minute.or(fallback.requests_per_minute),
            tokens_per_minute: self.tokens_per_minute.or(fallback.tokens_per_minute),
            requests_per_day: self.requests_per_day.or(fallback.requests_per_day),
            tokens_per_day: self.tokens_per_day.or(fallback.tokens_per_day),
            tokens_per_month: self.tokens_per_month.or(fallback.tokens_per_month),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Quota::default()
    }

    /// Zero admits nothing, which is never what an operator meant by a limit: it is refused at the door.
    pub fn validate(&self) -> Result<(), String> {
        let fields = [
            ("requests_per_minute", self.requests_per_minute),
            ("tokens_per_minute", self.tokens_per_minute),
            ("requests_per_day", self.requests_per_day),
            ("tokens_per_day", self.tokens_per_day),
            ("tokens_per_month", self.tokens_per_month),
        ];
        for (name, value) in fields {
            if value == Some(0) {
                return Err(format!(
                    "'{name}' must be at least 1 (omit it for no limit)"
                ));
            }
        }
        Ok(())
    }
}

/// What a tier's record says about limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TierLimits {
    /// Defaults for each API key of an organisation in this tier.
    pub per_key: Quota,
    /// Defaults for each organisation in this tier.
    pub per_org: Quota,
    /// A capacity pool shared by all traffic of the tier (rates only; budgets belong to keys and organisations).
    pub pool: Quota,
}

impl TierLimits {
    pub fn validate(&self) -> Result<(), String> {
        self.per_key.validate()?;
        self.per_org.validate()?;
        self.pool.validate()?;
        if self.pool.tokens_per_day.is_some() || self.pool.tokens_per_month.is_some() {
            return Err(
                "a tier pool limits rates only; set token budgets in per_org or per_key".into(),
            );
        }
        Ok(())
    }

    /// The programme's defaults for the default ladder: generous enough for real analyst work, tight enough that a
    /// leaked key cannot drain a model. Higher tiers get more room.
    pub fn default_for(tier: &str) -> TierLimits {
        let (rpm, tpm, tokens_per_day) = match tier {
            "public" => (60, 100_000, 1_000_000),
            "verified" => (120, 200_000, 5_000_000),
            "trusted" => (300, 500_000, 20_000_000),
            "government" => (600, 1_000_000, 50_000_000),
            _ => return TierLimits::default(),
        };
        TierLimits {
            per_key: Quota {
                requests_per_minute: Some(rpm),
                tokens_per_minute: Some(tpm),
                ..Quota::default()
            },
            per_org: Quota {
                requests_per_minute: Some(rpm * 5),
                tokens_per_minute: Some(tpm * 5),
                tokens_per_day: Some(tokens_per_day),
                ..Quota::default()
            },
            pool: Quota::default(),
        }
    }
}

/// The three levels that apply to one key, as the store returns them with the key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct QuotaLevels {
    pub tier: TierLimits,
    pub org: Quota,
    pub key: Quota,
}

impl QuotaLevels {
    /// The key's own limits: its override, else its tier's per-key default.
    pub fn key(&self) -> Quota {
        self.key.or(self.tier.per_key)
    }

    /// The organisation's limits: its override, else its tier's per-organisation default.
    pub fn org(&self) -> Quota {
        self.org.or(self.tier.per_org)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_win_field_by_field() {
        let levels = QuotaLevels {
            tier: TierLimits::default_for("public"),
            org: Quota {
                tokens_per_day: Some(10),
                ..Quota::default()
            },
            key: Quota {
                requests_per_minute: Some(2),
                ..Quota::default()
            },
        };
        assert_eq!(levels.key().requests_per_minute, Some(2));
        assert_eq!(levels.key().tokens_per_minute, Some(100_000));
        assert_eq!(levels.org().tokens_per_day, Some(10));
        assert_eq!(levels.org().requests_per_minute, Some(300));
    }

    #[test]
    fn zero_limits_and_pool_budgets_are_refused() {
        let q = Quota {
            tokens_per_day: Some(0),
            ..Quota::default()
        };
        assert!(q.validate().is_err());
        let t = TierLimits {
            pool: Quota {
                tokens_per_month: Some(5),
                ..Quota::default()
            },
            ..TierLimits::default()
        };
        assert!(t.validate().is_err());
        assert!(TierLimits::default_for("government").validate().is_ok());
    }

    #[test]
    fn unknown_fields_are_errors() {
        assert!(serde_json::from_str::<Quota>(r#"{"requests_per_hour": 3}"#).is_err());
        let q: Quota = serde_json::from_str(r#"{"tokens_per_day": 3}"#).expect("parses");
        assert_eq!(q.tokens_per_day, Some(3));
    }
}
