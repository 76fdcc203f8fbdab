//! What both guard benchmarks measure against: the default programme, a verified analyst, a public model, and
//! prompts repeated to a size.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use haetae_core::{Principal, Role, VettingState};
use haetae_policy::policytest::TEST_NOW;
use haetae_policy::policytest::test_principal;
use haetae_policy::{
    AuthzDecision, AuthzInput, EngagementStatus, ModelResource, PolicyEngine, classify,
};

/// A realistic mix: Korean and English analyst text with a log excerpt.
pub const MIXED_LOG_ANALYSIS: &str = "아래 웹 로그를 분석해서 SQL 인젝션 공격 시도인지 판단해 줘. \
    10.0.0.5 - - [25/Nov/2026] \"GET /item?id=1' OR '1'='1 HTTP/1.1\" 200 512 \
    Explain whether the attacker succeeded and write a Sigma rule so we can detect it. ";

/// `unit` repeated and cut (on a character boundary) to `bytes`.
pub fn prompt(bytes: usize, unit: &str) -> String {
    let mut s = String::with_capacity(bytes + unit.len());
    while s.len() < bytes {
        s.push_str(unit);
    }
    let mut cut = bytes.min(s.len());
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.truncate(cut);
    s
}

pub fn fixture() -> (PolicyEngine, Principal, ModelResource) {
    let engine = match PolicyEngine::default_programme() {
        Ok(e) => e,
        Err(e) => panic!("default programme: {e}"),
    };
    let principal = test_principal("verified", 10, VettingState::Verified, false, Role::Analyst);
    let model = ModelResource {
        name: "m".into(),
        min_tier: "public".into(),
        min_tier_rank: 0,
    };
    (engine, principal, model)
}

/// One request's classify + Cedar decision: what the gateway's classify and authorise stages do per request.
pub fn classify_and_decide(
    engine: &PolicyEngine,
    principal: &Principal,
    model: &ModelResource,
    text: &str,
) -> AuthzDecision {
    let c = classify(text);
    let input = AuthzInput::invoke(
        principal.clone(),
        model.clone(),
        &c,
        None,
        EngagementStatus::none(&[]),
        TEST_NOW,
    );
    engine.decide(&input)
}
