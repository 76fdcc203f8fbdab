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

use crate::pipeline::{Params, Refusal, RefusalCode, Stage, TierGap};

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

/// The refusal code for a deny or review: stable, and specific enough for a client to act on. A foreign
/// engagement reads as an unknown one (the caller must not learn that another organisation's id exists).
pub fn refusal_code(decision: &AuthzDecision) -> RefusalCode {
    if decision.effect == AuthzEffect::Review {
        return RefusalCode::HeldForReview;
    }
    let has = |id: &str| decision.policy_ids.iter().any(|p| p == id);
    if has("standing.tier-below-model") {
        RefusalCode::TierInsufficient
    } else if has("standing.not-verified") {
        RefusalCode::OrganisationNotVerified
    } else if has("standing.vetting-expired") {
        RefusalCode::VettingExpired
    } else if has("engagement.foreign") {
        RefusalCode::EngagementNotFound
    } else if has("engagement.expired") {
        RefusalCode::EngagementExpired
    } else if has("engagement.out-of-scope") {
        RefusalCode::EngagementOutOfScope
    } else if has(EVALUATION_ERROR_ID) {
        RefusalCode::PolicyError
    } else if has(DEFAULT_DENY_ID) {
        RefusalCode::UseCaseNotPermitted
    } else {
        RefusalCode::PolicyDenied
    }
}

/// The refusal a deny or review becomes: the decision's reasons, the deciding policies, the review item, and
/// for a tier refusal the tiers involved (which the policy's generic reason leaves out).
pub fn refusal(
    decision: &AuthzDecision,
    principal: &Principal,
    model: &ModelEntry,
    review_item: Option<String>,
) -> Refusal {
    let code = refusal_code(decision);
    let tier = (code == RefusalCode::TierInsufficient).then(|| TierGap {
        model: model.name.clone(),
        needs: model.min_tier.clone(),
        has: principal.tier.name.clone(),
    });
    Refusal::new(Stage::Authorise, code)
        .with_policies(decision.policy_ids.clone())
        .with_params(Params::Policy {
            reason_en: decision.reason(false).to_string(),
            reason_ko: decision.reason(true).to_string(),
            review_item,
            tier,
        })
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
                        assert_eq!(refusal_code(&decision), RefusalCode::TierInsufficient);
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
        let tiers = default_tiers();
        let p = principal(&tiers[0]);
        let model = ModelEntry {
            name: "m".into(),
            backend: "b".into(),
            upstream_model: "u".into(),
            min_tier: tiers[0].name.clone(),
            description: String::new(),
            created_at: 0,
        };
        let r = refusal(&d, &p, &model, Some("abc".into()));
        assert_eq!(r.code, RefusalCode::HeldForReview);
        let ko = crate::catalogue::message(&r, crate::catalogue::Language::Ko);
        assert!(ko.starts_with("검토.") && ko.contains("abc"), "{ko}");
        assert!(ko.contains("review.declared-mismatch"), "{ko}");
        let en = crate::catalogue::message(&r, crate::catalogue::Language::En);
        assert!(en.starts_with("Held."), "{en}");
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
