//! The cyber use-case taxonomy. `docs/use-cases.md` defines each value with examples and its default tier rule.

use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum UseCase {
    Benign,
    DefensiveAnalysis,
    VulnerabilityResearch,
    PatchDevelopment,
    ExploitDevelopment,
    PenetrationTesting,
    MalwareDevelopment,
    PhishingAndFraud,
    CredentialTheft,
    CriticalInfrastructureAttack,
    DetectionEvasion,
}

impl UseCase {
    pub const ALL: [UseCase; 11] = [
        UseCase::Benign,
        UseCase::DefensiveAnalysis,
        UseCase::VulnerabilityResearch,
        UseCase::PatchDevelopment,
        UseCase::ExploitDevelopment,
        UseCase::PenetrationTesting,
        UseCase::MalwareDevelopment,
        UseCase::PhishingAndFraud,
        UseCase::CredentialTheft,
        UseCase::CriticalInfrastructureAttack,
        UseCase::DetectionEvasion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UseCase::Benign => "benign",
            UseCase::DefensiveAnalysis => "defensive-analysis",
            UseCase::VulnerabilityResearch => "vulnerability-research",
            UseCase::PatchDevelopment => "patch-development",
            UseCase::ExploitDevelopment => "exploit-development",
            UseCase::PenetrationTesting => "penetration-testing",
            UseCase::MalwareDevelopment => "malware-development",
            UseCase::PhishingAndFraud => "phishing-and-fraud",
            UseCase::CredentialTheft => "credential-theft",
            UseCase::CriticalInfrastructureAttack => "critical-infrastructure-attack",
            UseCase::DetectionEvasion => "detection-evasion",
        }
    }
}

impl std::fmt::Display for UseCase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for UseCase {
    type Err = crate::UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
        Self::ALL
            .into_iter()
            .find(|u| u.as_str() == wanted)
            .ok_or_else(|| crate::UnknownValue {
                kind: "use-case",
                value: s.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_use_case_round_trips() {
        for u in UseCase::ALL {
            assert_eq!(u.as_str().parse::<UseCase>(), Ok(u));
            assert_eq!(
                serde_json::to_string(&u).ok(),
                Some(format!("\"{}\"", u.as_str()))
            );
        }
        assert_eq!(
            "Exploit_Development".parse::<UseCase>(),
            Ok(UseCase::ExploitDevelopment)
        );
        assert!("hacking".parse::<UseCase>().is_err());
    }
}
