//! Stage 4: may this principal use this model for this request? Deny by default: only an explicit rule allows.
//!
//! The rule here is the programme's floor — the organisation's tier must reach the model's minimum tier.
//! The policy engine (Cedar) plugs in behind the same trait.

use haetae_core::{ModelEntry, Principal};

/// What the authoriser sees.
pub struct AuthzRequest<'a> {
    pub principal: &'a Principal,
    pub model: &'a ModelEntry,
    /// The rank of the model's minimum tier.
    pub model_min_rank: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// `code` names the rule that refused; `message` says why, for the caller.
    Deny {
        code: String,
        message: String,
    },
}

pub trait Authorizer: Send + Sync {
    fn authorize(&self, request: &AuthzRequest<'_>) -> Verdict;
}

/// Tier ≥ the model's minimum tier.
pub struct TierAuthorizer;

impl Authorizer for TierAuthorizer {
    fn authorize(&self, request: &AuthzRequest<'_>) -> Verdict {
        if request.principal.tier.rank >= request.model_min_rank {
            Verdict::Allow
        } else {
            Verdict::Deny {
                code: "tier_insufficient".into(),
                message: format!(
                    "The model '{}' requires tier '{}' or higher; your organisation's tier is '{}'.",
                    request.model.name, request.model.min_tier, request.principal.tier.name
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use haetae_core::*;

    fn principal(tier: &Tier) -> Principal {
        Principal {
            key_id: "k".into(),
            member: Member {
                id: "m".into(),
                org_id: "o".into(),
                identity: "a@b".into(),
                display_name: "a".into(),
                role: Role::Analyst,
                identity_verified: true,
                created_at: 0,
            },
            org: Organisation {
                id: "o".into(),
                name: "o".into(),
                country: "KR".into(),
                sector: String::new(),
                vetting_state: VettingState::Verified,
                tier: tier.name.clone(),
                vetting_expires_at: None,
                created_at: 0,
                updated_at: 0,
            },
            tier: tier.clone(),
        }
    }

    /// Every tier against every model minimum tier: allowed exactly when the caller's rank reaches the model's.
    #[test]
    fn tier_table() {
        let tiers = default_tiers();
        for caller in &tiers {
            for min in &tiers {
                let model = ModelEntry {
                    name: "m".into(),
                    backend: "b".into(),
                    upstream_model: "u".into(),
                    min_tier: min.name.clone(),
                    description: String::new(),
                    created_at: 0,
                };
                let p = principal(caller);
                let verdict = TierAuthorizer.authorize(&AuthzRequest {
                    principal: &p,
                    model: &model,
                    model_min_rank: min.rank,
                });
                assert_eq!(
                    verdict == Verdict::Allow,
                    caller.rank >= min.rank,
                    "{} using a {} model",
                    caller.name,
                    min.name
                );
            }
        }
    }
}
