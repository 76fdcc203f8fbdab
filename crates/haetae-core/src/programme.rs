//! The programme's records: who may use which model, and on what standing.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where an organisation stands in the vetting process. Only `verified` (and unexpired) grants access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VettingState {
    Applied,
    Verified,
    Suspended,
    Revoked,
}

impl VettingState {
    pub const ALL: [VettingState; 4] = [
        VettingState::Applied,
        VettingState::Verified,
        VettingState::Suspended,
        VettingState::Revoked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VettingState::Applied => "applied",
            VettingState::Verified => "verified",
            VettingState::Suspended => "suspended",
            VettingState::Revoked => "revoked",
        }
    }

    /// The transitions an operator may make. Revocation is final; a suspended organisation can be reinstated.
    pub fn can_become(self, next: VettingState) -> bool {
        use VettingState::*;
        matches!(
            (self, next),
            (Applied, Verified)
                | (Applied, Revoked)
                | (Verified, Verified)
                | (Verified, Suspended)
                | (Verified, Revoked)
                | (Suspended, Verified)
                | (Suspended, Revoked)
        )
    }
}

impl std::str::FromStr for VettingState {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownValue {
                kind: "vetting state",
                value: s.to_string(),
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Reviewer,
    Analyst,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Owner, Role::Reviewer, Role::Analyst];
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Reviewer => "reviewer",
            Role::Analyst => "analyst",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownValue {
                kind: "role",
                value: s.to_string(),
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} '{value}'")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

/// A tier of access. Tiers are ordered by `rank`; a model's minimum tier admits every tier of equal or higher rank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Tier {
    pub name: String,
    pub rank: i64,
    pub description: String,
}

/// The default ladder: `public` < `verified` < `trusted` < `government`.
pub fn default_tiers() -> Vec<Tier> {
    [
        ("public", 0, "Anyone admitted to the programme: benign and defensive-analysis use."),
        ("verified", 10, "Vetted institutions: adds vulnerability research and patch development."),
        ("trusted", 20, "Trusted security teams: adds exploitation and penetration testing inside an engagement."),
        ("government", 30, "Government and national CERT: as trusted, plus critical-infrastructure defence."),
    ]
    .into_iter()
    .map(|(name, rank, description)| Tier { name: name.into(), rank, description: description.into() })
    .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub country: String,
    pub sector: String,
    pub vetting_state: VettingState,
    pub tier: String,
    /// Unix seconds after which the vetting no longer counts; `None` never expires.
    pub vetting_expires_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Organisation {
    /// Why this organisation's keys must be refused right now, if they must.
    pub fn standing_problem(&self, now: i64) -> Option<StandingProblem> {
        match self.vetting_state {
            VettingState::Applied => Some(StandingProblem::NotVerified),
            VettingState::Suspended => Some(StandingProblem::Suspended),
            VettingState::Revoked => Some(StandingProblem::Revoked),
            VettingState::Verified => match self.vetting_expires_at {
                Some(expiry) if expiry <= now => Some(StandingProblem::VettingExpired),
                _ => None,
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandingProblem {
    NotVerified,
    Suspended,
    Revoked,
    VettingExpired,
}

impl StandingProblem {
    pub fn code(self) -> &'static str {
        match self {
            StandingProblem::NotVerified => "organisation_not_verified",
            StandingProblem::Suspended => "organisation_suspended",
            StandingProblem::Revoked => "organisation_revoked",
            StandingProblem::VettingExpired => "vetting_expired",
        }
    }
    pub fn message(self) -> &'static str {
        match self {
            StandingProblem::NotVerified => {
                "Your organisation has applied but is not yet verified by the programme."
            }
            StandingProblem::Suspended => {
                "Your organisation's access is suspended by the programme."
            }
            StandingProblem::Revoked => {
                "Your organisation's access has been revoked by the programme."
            }
            StandingProblem::VettingExpired => {
                "Your organisation's vetting has expired; ask the programme to renew it."
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct VettingEvidence {
    pub id: String,
    pub org_id: String,
    /// Who reviewed (a reviewer's identity).
    pub reviewer: String,
    /// What was checked (registry extract, contract, interview …).
    pub checked: String,
    /// The state the review led to.
    pub decision: VettingState,
    pub notes: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Member {
    pub id: String,
    pub org_id: String,
    /// The member's identity (an e-mail address or directory name).
    pub identity: String,
    pub display_name: String,
    pub role: Role,
    pub identity_verified: bool,
    pub created_at: i64,
}

/// An API key's record. The secret is never here; only its hash is, and it never leaves the store layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApiKeyInfo {
    /// The public id: the `<id>` in `hk_<id>_<secret>`.
    pub id: String,
    pub member_id: String,
    pub org_id: String,
    pub label: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl ApiKeyInfo {
    pub fn is_usable(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}

/// A model in the catalogue: what callers name, which backend serves it, and who may use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ModelEntry {
    pub name: String,
    pub backend: String,
    pub upstream_model: String,
    pub min_tier: String,
    pub description: String,
    pub created_at: i64,
}

/// Everything the later pipeline stages know about the caller, resolved once per request by `principal`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub key_id: String,
    pub member: Member,
    pub org: Organisation,
    pub tier: Tier,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(state: VettingState, expiry: Option<i64>) -> Organisation {
        Organisation {
            id: "o".into(),
            name: "n".into(),
            country: "KR".into(),
            sector: "cert".into(),
            vetting_state: state,
            tier: "public".into(),
            vetting_expires_at: expiry,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn only_unexpired_verified_organisations_stand() {
        assert_eq!(
            org(VettingState::Verified, None).standing_problem(100),
            None
        );
        assert_eq!(
            org(VettingState::Verified, Some(101)).standing_problem(100),
            None
        );
        assert_eq!(
            org(VettingState::Verified, Some(100)).standing_problem(100),
            Some(StandingProblem::VettingExpired)
        );
        assert_eq!(
            org(VettingState::Applied, None).standing_problem(0),
            Some(StandingProblem::NotVerified)
        );
        assert_eq!(
            org(VettingState::Suspended, None).standing_problem(0),
            Some(StandingProblem::Suspended)
        );
        assert_eq!(
            org(VettingState::Revoked, None).standing_problem(0),
            Some(StandingProblem::Revoked)
        );
    }

    #[test]
    fn revocation_is_final() {
        for next in VettingState::ALL {
            assert!(!VettingState::Revoked.can_become(next));
        }
        assert!(VettingState::Suspended.can_become(VettingState::Verified));
        assert!(!VettingState::Applied.can_become(VettingState::Suspended));
    }

    #[test]
    fn states_and_roles_round_trip_through_strings() {
        for s in VettingState::ALL {
            assert_eq!(s.as_str().parse::<VettingState>(), Ok(s));
        }
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        assert!("boss".parse::<Role>().is_err());
    }

    #[test]
    fn key_usability_follows_expiry_and_revocation() {
        let mut key = ApiKeyInfo {
            id: "k".into(),
            member_id: "m".into(),
            org_id: "o".into(),
            label: String::new(),
            created_at: 0,
            expires_at: Some(10),
            revoked_at: None,
        };
        assert!(key.is_usable(9));
        assert!(!key.is_usable(10));
        key.expires_at = None;
        assert!(key.is_usable(1_000_000));
        key.revoked_at = Some(5);
        assert!(!key.is_usable(1));
    }
}
