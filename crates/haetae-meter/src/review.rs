//! Review items opened by misuse signals, and their state machine:
//!
//! ```text
//!   open ──claim──▶ claimed ──resolve(dismiss|warn|suspend-key|suspend-org)──▶ resolved
//!    ▲                 │
//!    └────unclaim──────┘
//! ```
//!
//! Pure domain logic: the gateway's store persists items and applies the returned
//! [`Enforcement`]. Every transition is validated and appended to the item's history.

use serde::{Deserialize, Serialize};

use crate::misuse::{Severity, Signal, SignalKind, SignalSubject};

/// Where an item is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Waiting for a reviewer.
    Open,
    /// A reviewer is working on it.
    Claimed,
    /// Decided (terminal).
    Resolved,
}

impl ReviewState {
    /// snake_case id.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Open => "open",
            ReviewState::Claimed => "claimed",
            ReviewState::Resolved => "resolved",
        }
    }
}

/// A reviewer's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewAction {
    /// No misuse; close.
    Dismiss,
    /// Warn the organisation (and key holder).
    Warn,
    /// Suspend the key concerned (only for key subjects).
    SuspendKey,
    /// Suspend the whole organisation.
    SuspendOrg,
}

impl ReviewAction {
    /// kebab-case id (`suspend-key`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewAction::Dismiss => "dismiss",
            ReviewAction::Warn => "warn",
            ReviewAction::SuspendKey => "suspend-key",
            ReviewAction::SuspendOrg => "suspend-org",
        }
    }
}

impl std::str::FromStr for ReviewAction {
    type Err = ReviewError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "dismiss" => Ok(ReviewAction::Dismiss),
            "warn" => Ok(ReviewAction::Warn),
            "suspend-key" | "suspend_key" => Ok(ReviewAction::SuspendKey),
            "suspend-org" | "suspend_org" => Ok(ReviewAction::SuspendOrg),
            _ => Err(ReviewError::UnknownAction(s.to_owned())),
        }
    }
}

/// What the gateway must do after a resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Enforcement {
    /// Nothing.
    None,
    /// Notify the organisation (and key holder, if any).
    Warn {
        /// Organisation.
        org_id: String,
        /// Key, for key subjects.
        key_id: Option<String>,
    },
    /// Revoke/suspend the key at once.
    SuspendKey {
        /// Key.
        key_id: String,
    },
    /// Suspend the organisation (all its keys) at once.
    SuspendOrg {
        /// Organisation.
        org_id: String,
    },
}

/// An invalid review operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    /// The operation is not allowed from the item's state.
    #[error("cannot {op} a review item that is {}", from.as_str())]
    InvalidTransition {
        /// Current state.
        from: ReviewState,
        /// Attempted operation.
        op: &'static str,
    },
    /// Someone else holds the claim.
    #[error("review item is claimed by {claimed_by}, not {reviewer}")]
    NotClaimant {
        /// Holder of the claim.
        claimed_by: String,
        /// Who tried.
        reviewer: String,
    },
    /// The action does not fit the item.
    #[error("action {action} not applicable: {reason}")]
    ActionNotApplicable {
        /// The action.
        action: &'static str,
        /// Why.
        reason: &'static str,
    },
    /// Reviewer id missing.
    #[error("reviewer id must not be empty")]
    EmptyReviewer,
    /// Enforcing actions must say why (the decision is audited).
    #[error("a note is required for {0}")]
    NoteRequired(&'static str),
    /// A signal attached to an item with another dedup key.
    #[error("signal {signal} does not belong to review item {item}")]
    SignalMismatch {
        /// Signal dedup key.
        signal: String,
        /// Item dedup key.
        item: String,
    },
    /// Unknown action name.
    #[error("unknown review action {0:?}; expected dismiss, warn, suspend-key or suspend-org")]
    UnknownAction(String),
}

/// The decision on a resolved item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    /// The action taken.
    pub action: ReviewAction,
    /// Reviewer id.
    pub reviewer: String,
    /// Free-text justification (required for warn and suspensions).
    pub note: Option<String>,
    /// When (Unix ms).
    pub at_ms: u64,
}

/// One entry of an item's audit history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewEvent {
    /// When (Unix ms).
    pub at_ms: u64,
    /// Who (`system` for signals).
    pub actor: String,
    /// `opened`, `signal_attached`, `claimed`, `unclaimed`, `resolved:<action>`.
    pub event: String,
}

/// A review item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    /// Id.
    pub id: uuid::Uuid,
    /// [`Signal::dedup_key`] of its signals: at most one unresolved item per key.
    pub dedup_key: String,
    /// Signal kind.
    pub kind: SignalKind,
    /// Key or organisation.
    pub subject: SignalSubject,
    /// Highest severity of its signals.
    pub severity: Severity,
    /// The signals (evidence), oldest first.
    pub signals: Vec<Signal>,
    /// State.
    pub state: ReviewState,
    /// When opened (Unix ms).
    pub opened_at_ms: u64,
    /// Current claimant while claimed.
    pub claimed_by: Option<String>,
    /// Set once resolved.
    pub resolution: Option<Resolution>,
    /// Audit history.
    pub history: Vec<ReviewEvent>,
}

const SYSTEM: &str = "system";

impl ReviewItem {
    /// Open an item for a signal.
    pub fn open(signal: Signal) -> Self {
        let at = signal.at_ms;
        ReviewItem {
            id: uuid::Uuid::now_v7(),
            dedup_key: signal.dedup_key(),
            kind: signal.kind,
            subject: signal.subject.clone(),
            severity: signal.severity,
            signals: vec![signal],
            state: ReviewState::Open,
            opened_at_ms: at,
            claimed_by: None,
            resolution: None,
            history: vec![ReviewEvent {
                at_ms: at,
                actor: SYSTEM.into(),
                event: "opened".into(),
            }],
        }
    }

    /// Attach a later signal of the same kind and subject to an unresolved item (instead of
    /// opening a duplicate). Raises the severity if the new signal is more severe.
    pub fn attach(&mut self, signal: Signal) -> Result<(), ReviewError> {
        if self.state == ReviewState::Resolved {
            return Err(ReviewError::InvalidTransition {
                from: self.state,
                op: "attach a signal to",
            });
        }
        let key = signal.dedup_key();
        if key != self.dedup_key {
            return Err(ReviewError::SignalMismatch {
                signal: key,
                item: self.dedup_key.clone(),
            });
        }
        self.severity = self.severity.max(signal.severity);
        self.history.push(ReviewEvent {
            at_ms: signal.at_ms,
            actor: SYSTEM.into(),
            event: "signal_attached".into(),
        });
        self.signals.push(signal);
        Ok(())
    }

    /// open → claimed.
    pub fn claim(&mut self, reviewer: &str, at_ms: u64) -> Result<(), ReviewError> {
        let reviewer = reviewer_id(reviewer)?;
        if self.state != ReviewState::Open {
            return Err(ReviewError::InvalidTransition {
                from: self.state,
                op: "claim",
            });
        }
        self.state = ReviewState::Claimed;
        self.claimed_by = Some(reviewer.clone());
        self.history.push(ReviewEvent {
            at_ms,
            actor: reviewer,
            event: "claimed".into(),
        });
        Ok(())
    }

    /// claimed → open (only by the claimant).
    pub fn unclaim(&mut self, reviewer: &str, at_ms: u64) -> Result<(), ReviewError> {
        let reviewer = reviewer_id(reviewer)?;
        if self.state != ReviewState::Claimed {
            return Err(ReviewError::InvalidTransition {
                from: self.state,
                op: "unclaim",
            });
        }
        self.check_claimant(&reviewer)?;
        self.state = ReviewState::Open;
        self.claimed_by = None;
        self.history.push(ReviewEvent {
            at_ms,
            actor: reviewer,
            event: "unclaimed".into(),
        });
        Ok(())
    }

    /// claimed → resolved (only by the claimant). Returns what the gateway must enforce.
    /// `suspend-key` needs a key subject; `warn` and suspensions need a note.
    pub fn resolve(
        &mut self,
        reviewer: &str,
        action: ReviewAction,
        note: Option<&str>,
        at_ms: u64,
    ) -> Result<Enforcement, ReviewError> {
        let reviewer = reviewer_id(reviewer)?;
        if self.state != ReviewState::Claimed {
            return Err(ReviewError::InvalidTransition {
                from: self.state,
                op: "resolve",
            });
        }
        self.check_claimant(&reviewer)?;
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if action != ReviewAction::Dismiss && note.is_none() {
            return Err(ReviewError::NoteRequired(action.as_str()));
        }
        let org_id = self.subject.org_id().to_owned();
        let key_id = self.subject.key_id().map(str::to_owned);
        let enforcement = match action {
            ReviewAction::Dismiss => Enforcement::None,
            ReviewAction::Warn => Enforcement::Warn { org_id, key_id },
            ReviewAction::SuspendKey => match key_id {
                Some(key_id) => Enforcement::SuspendKey { key_id },
                None => {
                    return Err(ReviewError::ActionNotApplicable {
                        action: action.as_str(),
                        reason: "the item concerns an organisation, not a key",
                    });
                }
            },
            ReviewAction::SuspendOrg => Enforcement::SuspendOrg { org_id },
        };
        self.state = ReviewState::Resolved;
        self.claimed_by = None;
        self.history.push(ReviewEvent {
            at_ms,
            actor: reviewer.clone(),
            event: format!("resolved:{}", action.as_str()),
        });
        self.resolution = Some(Resolution {
            action,
            reviewer,
            note: note.map(str::to_owned),
            at_ms,
        });
        Ok(enforcement)
    }

    fn check_claimant(&self, reviewer: &str) -> Result<(), ReviewError> {
        match &self.claimed_by {
            Some(c) if c == reviewer => Ok(()),
            Some(c) => Err(ReviewError::NotClaimant {
                claimed_by: c.clone(),
                reviewer: reviewer.to_owned(),
            }),
            None => Err(ReviewError::InvalidTransition {
                from: self.state,
                op: "act on",
            }),
        }
    }
}

fn reviewer_id(r: &str) -> Result<String, ReviewError> {
    let r = r.trim();
    if r.is_empty() {
        Err(ReviewError::EmptyReviewer)
    } else {
        Ok(r.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::misuse::{DenialCause, MisuseConfig, MisuseDetector, Observation};

    fn key_signal() -> Signal {
        let d = MisuseDetector::new(MisuseConfig::default());
        let mut sig = Vec::new();
        for i in 0..20 {
            sig.extend(d.observe(&Observation::denied(
                1_000 + i,
                "o1",
                "k1",
                DenialCause::Policy,
            )));
        }
        sig.pop().unwrap()
    }

    fn org_signal() -> Signal {
        let mut s = key_signal();
        s.subject = SignalSubject::Org {
            org_id: "o1".into(),
        };
        s
    }

    #[test]
    fn happy_path_and_enforcements() {
        let mut item = ReviewItem::open(key_signal());
        assert_eq!(item.state, ReviewState::Open);
        item.claim("alice", 10).unwrap();
        assert_eq!(item.claimed_by.as_deref(), Some("alice"));
        let e = item
            .resolve(
                "alice",
                ReviewAction::SuspendKey,
                Some("probing exploit dev"),
                20,
            )
            .unwrap();
        assert_eq!(
            e,
            Enforcement::SuspendKey {
                key_id: "k1".into()
            }
        );
        assert_eq!(item.state, ReviewState::Resolved);
        assert_eq!(
            item.resolution.as_ref().unwrap().action,
            ReviewAction::SuspendKey
        );
        let events: Vec<&str> = item.history.iter().map(|h| h.event.as_str()).collect();
        assert_eq!(events, ["opened", "claimed", "resolved:suspend-key"]);

        let mut org = ReviewItem::open(org_signal());
        org.claim("bob", 1).unwrap();
        assert_eq!(
            org.resolve("bob", ReviewAction::Warn, Some("volume"), 2)
                .unwrap(),
            Enforcement::Warn {
                org_id: "o1".into(),
                key_id: None
            }
        );
        let mut org2 = ReviewItem::open(org_signal());
        org2.claim("bob", 1).unwrap();
        assert_eq!(
            org2.resolve("bob", ReviewAction::SuspendOrg, Some("x"), 2)
                .unwrap(),
            Enforcement::SuspendOrg {
                org_id: "o1".into()
            }
        );
        let mut d = ReviewItem::open(org_signal());
        d.claim("bob", 1).unwrap();
        assert_eq!(
            d.resolve("bob", ReviewAction::Dismiss, None, 2).unwrap(),
            Enforcement::None
        );
    }

    #[test]
    fn invalid_transitions_are_rejected() {
        let mut item = ReviewItem::open(key_signal());
        // Resolve without claim.
        assert!(matches!(
            item.resolve("alice", ReviewAction::Dismiss, None, 1),
            Err(ReviewError::InvalidTransition {
                from: ReviewState::Open,
                ..
            })
        ));
        assert!(matches!(
            item.unclaim("alice", 1),
            Err(ReviewError::InvalidTransition { .. })
        ));
        assert_eq!(item.claim("  ", 1), Err(ReviewError::EmptyReviewer));
        item.claim("alice", 1).unwrap();
        // Double claim, other reviewer.
        assert!(matches!(
            item.claim("bob", 2),
            Err(ReviewError::InvalidTransition {
                from: ReviewState::Claimed,
                ..
            })
        ));
        assert!(matches!(
            item.resolve("bob", ReviewAction::Dismiss, None, 2),
            Err(ReviewError::NotClaimant { .. })
        ));
        assert!(matches!(
            item.unclaim("bob", 2),
            Err(ReviewError::NotClaimant { .. })
        ));
        // Enforcing actions need a note.
        assert_eq!(
            item.resolve("alice", ReviewAction::SuspendOrg, Some(" "), 2),
            Err(ReviewError::NoteRequired("suspend-org"))
        );
        // Unclaim, then another reviewer may claim.
        item.unclaim("alice", 3).unwrap();
        item.claim("bob", 4).unwrap();
        item.resolve("bob", ReviewAction::Dismiss, None, 5).unwrap();
        // Resolved is terminal.
        assert!(matches!(
            item.claim("alice", 6),
            Err(ReviewError::InvalidTransition {
                from: ReviewState::Resolved,
                ..
            })
        ));
        assert!(matches!(
            item.resolve("bob", ReviewAction::Warn, Some("n"), 6),
            Err(ReviewError::InvalidTransition { .. })
        ));
        assert!(matches!(
            item.attach(key_signal()),
            Err(ReviewError::InvalidTransition { .. })
        ));

        // suspend-key on an organisation item is not applicable, and leaves it claimed.
        let mut org = ReviewItem::open(org_signal());
        org.claim("bob", 1).unwrap();
        assert!(matches!(
            org.resolve("bob", ReviewAction::SuspendKey, Some("n"), 2),
            Err(ReviewError::ActionNotApplicable { .. })
        ));
        assert_eq!(org.state, ReviewState::Claimed);
        assert_eq!(
            "suspend-org".parse::<ReviewAction>(),
            Ok(ReviewAction::SuspendOrg)
        );
        assert!("ban".parse::<ReviewAction>().is_err());
    }

    #[test]
    fn attach_dedups_and_raises_severity() {
        let mut item = ReviewItem::open(key_signal());
        let mut s = key_signal();
        s.severity = Severity::High;
        item.attach(s).unwrap();
        assert_eq!(item.signals.len(), 2);
        assert_eq!(item.severity, Severity::High);
        assert!(matches!(
            item.attach(org_signal()),
            Err(ReviewError::SignalMismatch { .. })
        ));
        let json = serde_json::to_string(&item).unwrap();
        let back: ReviewItem = serde_json::from_str(&json).unwrap();
        assert_eq!(back, item);
    }
}
