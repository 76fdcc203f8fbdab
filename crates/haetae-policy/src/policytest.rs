//! `haetae policy test <cases.yaml>`: run a YAML file of authorisation cases against a policy set.
//!
//! ```yaml
//! cases:
//!   - name: trusted exploit inside engagement
//!     tier: trusted            # public | verified | trusted | government (default ladder), or tier_rank: 20
//!     vetting: verified        # applied | verified | suspended | revoked (default verified)
//!     vetting_expired: false   # default false
//!     role: analyst            # owner | reviewer | analyst (default analyst)
//!     action: invoke           # invoke | manage_members | manage_keys | manage_engagements | view_usage
//!     model_min_tier: public   # or model_min_tier_rank: 0
//!     classified: [exploit-development]   # or `text:` to run the guard on a prompt
//!     declared: exploit-development       # optional X-Haetae-Use-Case
//!     engagement: in-scope     # none | in-scope | out-of-scope | expired | foreign (default none)
//!     other_org: false         # admin actions: act on another organisation
//!     expect: allow            # allow | deny | review
//!     expect_policies: [tier.trusted.engagement]   # optional: these ids must be among the deciding ones
//! ```

use std::path::Path;

use haetae_core::{
    Member, Organisation, Principal, Role, Tier, UseCase, VettingState, default_tiers,
};
use serde::Deserialize;

use crate::engagement::EngagementStatus;
use crate::engine::{
    Action, AuthzDecision, AuthzEffect, AuthzInput, ModelResource, PolicyEngine, PolicyError,
    Resource,
};
use crate::guard::{Lang, classify};

/// The engagement situations a case can describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum EngagementCase {
    #[default]
    None,
    InScope,
    OutOfScope,
    Expired,
    Foreign,
}

impl EngagementCase {
    pub const ALL: [EngagementCase; 5] = [
        EngagementCase::None,
        EngagementCase::InScope,
        EngagementCase::OutOfScope,
        EngagementCase::Expired,
        EngagementCase::Foreign,
    ];

    /// The status the gateway would compute for this situation.
    pub fn status(self) -> EngagementStatus {
        let present = |own_org, valid, in_scope| EngagementStatus {
            present: true,
            id: Some("eng-test".into()),
            own_org,
            valid,
            in_scope,
            targets: vec!["app.example.com".into()],
            out_of_scope: if in_scope {
                vec![]
            } else {
                vec!["app.example.com".into()]
            },
        };
        match self {
            EngagementCase::None => EngagementStatus::none(&[]),
            EngagementCase::InScope => present(true, true, true),
            EngagementCase::OutOfScope => present(true, true, false),
            EngagementCase::Expired => present(true, false, true),
            EngagementCase::Foreign => present(false, true, true),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyTestCase {
    pub name: String,
    #[serde(default = "default_tier")]
    pub tier: String,
    pub tier_rank: Option<i64>,
    #[serde(default = "default_vetting")]
    pub vetting: VettingState,
    #[serde(default)]
    pub vetting_expired: bool,
    #[serde(default = "default_role")]
    pub role: Role,
    #[serde(default = "default_action")]
    pub action: Action,
    #[serde(default = "default_tier")]
    pub model_min_tier: String,
    pub model_min_tier_rank: Option<i64>,
    #[serde(default)]
    pub classified: Vec<UseCase>,
    pub text: Option<String>,
    pub declared: Option<UseCase>,
    #[serde(default)]
    pub engagement: EngagementCase,
    #[serde(default)]
    pub other_org: bool,
    pub expect: AuthzEffect,
    #[serde(default)]
    pub expect_policies: Vec<String>,
}

fn default_tier() -> String {
    "public".into()
}
fn default_vetting() -> VettingState {
    VettingState::Verified
}
fn default_role() -> Role {
    Role::Analyst
}
fn default_action() -> Action {
    Action::Invoke
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    cases: Vec<PolicyTestCase>,
}

/// Fixed clock for test cases, so expiry is deterministic.
pub const TEST_NOW: i64 = 1_800_000_000;

fn rank_of(name: &str, explicit: Option<i64>, tiers: &[Tier]) -> i64 {
    explicit
        .or_else(|| tiers.iter().find(|t| t.name == name).map(|t| t.rank))
        .unwrap_or(i64::MAX)
}

/// A principal for tests and benchmarks.
pub fn test_principal(
    tier: &str,
    tier_rank: i64,
    vetting: VettingState,
    expired: bool,
    role: Role,
) -> Principal {
    let org = Organisation {
        id: "org-test".into(),
        name: "Test Org".into(),
        country: "KR".into(),
        sector: "cert".into(),
        vetting_state: vetting,
        tier: tier.into(),
        vetting_expires_at: Some(if expired {
            TEST_NOW - 1
        } else {
            TEST_NOW + 86_400
        }),
        created_at: 0,
        updated_at: 0,
    };
    Principal {
        key_id: "key-test".into(),
        member: Member {
            id: "member-test".into(),
            org_id: org.id.clone(),
            identity: "analyst@example.org".into(),
            display_name: "Analyst".into(),
            role,
            identity_verified: true,
            created_at: 0,
        },
        tier: Tier {
            name: tier.into(),
            rank: tier_rank,
            description: String::new(),
        },
        org,
    }
}

impl PolicyTestCase {
    pub fn to_input(&self) -> AuthzInput {
        let tiers = default_tiers();
        let rank = rank_of(&self.tier, self.tier_rank, &tiers);
        let principal = test_principal(
            &self.tier,
            rank,
            self.vetting,
            self.vetting_expired,
            self.role,
        );
        let (classified, confidence, lang) = match &self.text {
            Some(t) => {
                let c = classify(t);
                let conf = c.use_cases.first().map(|u| u.confidence).unwrap_or(1.0);
                (c.labels(), conf, c.lang)
            }
            None => (self.classified.clone(), 0.9, Lang::En),
        };
        let resource = match self.action {
            Action::Invoke => Resource::Model(ModelResource {
                name: "test-model".into(),
                min_tier: self.model_min_tier.clone(),
                min_tier_rank: rank_of(&self.model_min_tier, self.model_min_tier_rank, &tiers),
            }),
            _ => {
                let mut org = principal.org.clone();
                if self.other_org {
                    org.id = "org-other".into();
                }
                Resource::Organisation {
                    org,
                    tier_rank: rank,
                }
            }
        };
        AuthzInput {
            principal,
            action: self.action,
            resource,
            declared_use_case: self.declared,
            classified,
            confidence,
            engagement: self.engagement.status(),
            now: TEST_NOW,
            lang,
        }
    }
}

#[derive(Debug, Clone)]
pub struct CaseOutcome {
    pub name: String,
    pub expected: AuthzEffect,
    pub expected_policies: Vec<String>,
    pub decision: AuthzDecision,
    pub passed: bool,
}

#[derive(Debug, Clone, Default)]
pub struct PolicyTestReport {
    pub outcomes: Vec<CaseOutcome>,
}

impl PolicyTestReport {
    pub fn passed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.passed).count()
    }
    pub fn failed(&self) -> usize {
        self.outcomes.len() - self.passed()
    }
    pub fn all_passed(&self) -> bool {
        self.failed() == 0
    }
}

impl std::fmt::Display for PolicyTestReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for o in &self.outcomes {
            let mark = if o.passed { "ok  " } else { "FAIL" };
            writeln!(
                f,
                "{mark} {:<60} expected {:<6} got {:<6} [{}]",
                o.name,
                o.expected,
                o.decision.effect,
                o.decision.policy_ids.join(", ")
            )?;
            if !o.passed {
                if !o.expected_policies.is_empty() {
                    writeln!(
                        f,
                        "       expected policies: {}",
                        o.expected_policies.join(", ")
                    )?;
                }
                writeln!(f, "       reason: {}", o.decision.reason_en)?;
            }
        }
        writeln!(
            f,
            "policy cases: {} passed, {} failed",
            self.passed(),
            self.failed()
        )
    }
}

/// Run the cases in `yaml` against `engine`.
pub fn run_policy_tests_str(
    engine: &PolicyEngine,
    yaml: &str,
) -> Result<PolicyTestReport, PolicyError> {
    let file: CaseFile =
        serde_yaml::from_str(yaml).map_err(|e| PolicyError::TestFile(e.to_string()))?;
    let outcomes = file
        .cases
        .iter()
        .map(|c| {
            let decision = engine.decide(&c.to_input());
            let passed = decision.effect == c.expect
                && c.expect_policies
                    .iter()
                    .all(|p| decision.policy_ids.iter().any(|d| d == p));
            CaseOutcome {
                name: c.name.clone(),
                expected: c.expect,
                expected_policies: c.expect_policies.clone(),
                decision,
                passed,
            }
        })
        .collect();
    Ok(PolicyTestReport { outcomes })
}

/// Run the cases file at `path` against `engine` (`haetae policy test <cases.yaml>`).
pub fn run_policy_tests(
    engine: &PolicyEngine,
    path: &Path,
) -> Result<PolicyTestReport, PolicyError> {
    let yaml = std::fs::read_to_string(path).map_err(|source| PolicyError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    run_policy_tests_str(engine, &yaml)
}
