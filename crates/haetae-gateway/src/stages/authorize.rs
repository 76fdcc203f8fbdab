//! Stage 4: may this principal use this model for this request? The programme's Cedar policies decide allow,
//! deny or review from the principal, the model, the classified and declared use-cases and the engagement.
//! Deny by default: only an explicit permit allows, and a request that cannot be evaluated is denied.

use std::sync::Arc;

use haetae_core::{ModelEntry, Principal, Tier, UseCase};
use haetae_policy::engine::{DEFAULT_DENY_ID, EVALUATION_ERROR_ID};
use haetae_policy::{
    AuthzDecision, AuthzEffect, AuthzInput, Classification, Engagement, EngagementStatus,
    ModelResource, PolicyEngine, ReloadingPolicyEngine,
};
use haetae_store::EngagementRecord;

use crate::error::ApiError;

/// Where decisions come from.
#[derive(Clone)]
pub enum Policy {
    /// A policy directory, reloaded when it changes (the default for a served gateway).
    Reloading(Arc<ReloadingPolicyEngine>),
    /// A fixed policy set (the compiled-in default programme, or one built in a test).
    Static(Arc<PolicyEngine>),
    /// The policy stage switched off: only the programme's floor (tier ≥ the model's minimum tier) applies.
    /// For measuring the stage's cost; never the default.
    TierFloor,
}

impl Policy {
    /// The compiled-in default programme.
    pub fn default_programme() -> Result<Policy, haetae_policy::PolicyError> {
        Ok(Policy::Static(Arc::new(PolicyEngine::default_programme()?)))
    }

    pub fn decide(&self, input: &AuthzInput) -> AuthzDecision {
        match self {
            Policy::Reloading(p) => p.decide(input),
            Policy::Static(p) => p.decide(input),
            Policy::TierFloor => tier_floor(input),
        }
    }

    /// The `@id`s of the live policies (for `/readyz` and the console).
    pub fn policy_ids(&self) -> Vec<String> {
        match self {
            Policy::Reloading(p) => p.current().policy_ids(),
            Policy::Static(p) => p.policy_ids(),
            Policy::TierFloor => vec!["tier-floor".into()],
        }
    }
}

fn tier_floor(input: &AuthzInput) -> AuthzDecision {
    let allowed = match &input.resource {
        haetae_policy::Resource::Model(m) => input.principal.tier.rank >= m.min_tier_rank,
        haetae_policy::Resource::Organisation { .. } => false,
    };
    if allowed {
        AuthzDecision {
            effect: AuthzEffect::Allow,
            policy_ids: vec!["tier-floor".into()],
            reason_en: "The organisation's tier admits this model.".into(),
            reason_ko: "소속 기관의 등급으로 이 모델을 사용할 수 있습니다.".into(),
        }
    } else {
        AuthzDecision {
            effect: AuthzEffect::Deny,
            policy_ids: vec!["standing.tier-below-model".into()],
            reason_en: "Your organisation's tier does not admit this model.".into(),
            reason_ko: "소속 기관의 등급으로는 이 모델을 사용할 수 없습니다.".into(),
        }
    }
}

/// A stored engagement as the policy sees it. A revoked engagement ends when it was revoked.
pub fn engagement_for_policy(record: &EngagementRecord) -> Result<Engagement, String> {
    let targets = record
        .targets
        .iter()
        .map(|t| t.parse().map_err(|e| format!("stored target '{t}': {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Engagement {
        id: record.id.clone(),
        org_id: record.org_id.clone(),
        name: record.name.clone(),
        targets,
        valid_from: record.valid_from,
        valid_until: record
            .revoked_at
            .map_or(record.valid_until, |r| r.min(record.valid_until)),
        created_by: record.registered_by.clone(),
    })
}

/// Everything the policy decides a model call on.
pub struct InvokeRequest<'a> {
    pub principal: &'a Principal,
    pub model: &'a ModelEntry,
    pub tiers: &'a [Tier],
    pub classification: &'a Classification,
    pub declared: Option<UseCase>,
    pub engagement: EngagementStatus,
    pub now: i64,
}

pub fn decide(policy: &Policy, request: InvokeRequest<'_>) -> (AuthzDecision, AuthzInput) {
    let input = AuthzInput::invoke(
        request.principal.clone(),
        ModelResource::from_entry(request.model, request.tiers),
        request.classification,
        request.declared,
        request.engagement,
        request.now,
    );
    (policy.decide(&input), input)
}

/// The OpenAI error `code` for a refusal: stable, and specific enough for a client to act on.
pub fn refusal_code(decision: &AuthzDecision) -> &'static str {
    if decision.effect == AuthzEffect::Review {
        return "held_for_review";
    }
    let has = |id: &str| decision.policy_ids.iter().any(|p| p == id);
    if has("standing.tier-below-model") {
        "tier_insufficient"
    } else if has("standing.not-verified") {
        "organisation_not_verified"
    } else if has("standing.vetting-expired") {
        "vetting_expired"
    } else if has("engagement.foreign") {
        "engagement_foreign"
    } else if has("engagement.expired") {
        "engagement_expired"
    } else if has("engagement.out-of-scope") {
        "engagement_out_of_scope"
    } else if has(EVALUATION_ERROR_ID) {
        "policy_error"
    } else if has(DEFAULT_DENY_ID) {
        "use_case_not_permitted"
    } else {
        "policy_denied"
    }
}

/// The specifics a generic policy reason leaves out, where the gateway knows them (which tier a model needs).
pub fn refusal_detail(
    decision: &AuthzDecision,
    principal: &Principal,
    model: &ModelEntry,
    korean: bool,
) -> Option<String> {
    (refusal_code(decision) == "tier_insufficient").then(|| {
        if korean {
            format!(
                "모델 '{}'은(는) '{}' 이상 등급이 필요하며, 소속 기관의 등급은 '{}'입니다.",
                model.name, model.min_tier, principal.tier.name
            )
        } else {
            format!(
                "The model '{}' requires tier '{}' or higher; your organisation's tier is '{}'.",
                model.name, model.min_tier, principal.tier.name
            )
        }
    })
}

/// The 403 a deny or review becomes: the reason in the caller's language, and the deciding policies.
pub fn refusal(
    decision: &AuthzDecision,
    korean: bool,
    review_item: Option<&str>,
    detail: Option<String>,
) -> ApiError {
    let mut message = decision.reason(korean).to_string();
    if let Some(d) = detail {
        message.push(' ');
        message.push_str(&d);
    }
    if let Some(item) = review_item {
        if korean {
            message.push_str(&format!(" (검토 항목 {item})"));
        } else {
            message.push_str(&format!(" (review item {item})"));
        }
    }
    let policies = decision.policy_ids.join(", ");
    if korean {
        message.push_str(&format!(" [정책: {policies}]"));
    } else {
        message.push_str(&format!(" [policy: {policies}]"));
    }
    ApiError::permission_denied(refusal_code(decision), message)
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

    /// Every tier against every model minimum tier, for a benign request, under the default programme and
    /// with the policy stage off: allowed exactly when the caller's rank reaches the model's.
    #[test]
    fn tier_table_under_both_policies() {
        let tiers = default_tiers();
        let benign = haetae_policy::classify("Summarise this incident report for the board.");
        for policy in [
            Policy::default_programme().expect("default programme"),
            Policy::TierFloor,
        ] {
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
                    let (decision, _) = decide(
                        &policy,
                        InvokeRequest {
                            principal: &p,
                            model: &model,
                            tiers: &tiers,
                            classification: &benign,
                            declared: None,
                            engagement: EngagementStatus::none(&[]),
                            now: now_unix(),
                        },
                    );
                    assert_eq!(
                        decision.effect == AuthzEffect::Allow,
                        caller.rank >= min.rank,
                        "{} using a {} model: {decision:?}",
                        caller.name,
                        min.name
                    );
                    if caller.rank < min.rank {
                        assert_eq!(refusal_code(&decision), "tier_insufficient");
                    }
                }
            }
        }
    }

    #[test]
    fn refusals_name_policies_in_the_callers_language() {
        let d = AuthzDecision {
            effect: AuthzEffect::Review,
            policy_ids: vec!["review.declared-mismatch".into()],
            reason_en: "Held.".into(),
            reason_ko: "검토.".into(),
        };
        let e = refusal(&d, true, Some("abc"), None);
        assert_eq!(e.code.as_deref(), Some("held_for_review"));
        assert!(e.message.starts_with("검토.") && e.message.contains("abc"));
        assert!(e.message.contains("review.declared-mismatch"));
        let e = refusal(&d, false, None, None);
        assert!(e.message.starts_with("Held."));
    }

    #[test]
    fn revoked_engagements_end_when_revoked() {
        let rec = EngagementRecord {
            id: "e".into(),
            org_id: "o".into(),
            name: "n".into(),
            targets: vec!["*.example.com".into()],
            valid_from: 0,
            valid_until: 1000,
            registered_by: "m".into(),
            created_at: 0,
            revoked_at: Some(10),
        };
        let e = engagement_for_policy(&rec).expect("parses");
        assert!(e.is_valid_at(5) && !e.is_valid_at(10));
    }
}
