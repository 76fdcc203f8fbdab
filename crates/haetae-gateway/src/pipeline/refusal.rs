//! What a stage answers when it says no: a typed [`Refusal`]. No HTTP here: the edge renders a refusal through
//! the message catalogue (`catalogue.rs`) in the caller's language, and the call guard records its code.

use haetae_core::{StandingProblem, UseCase};
use haetae_meter::Denial;
use haetae_meter::misuse::DenialCause;

/// The pipeline's stages, in the order a request passes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    Authenticate,
    Principal,
    Parse,
    Classify,
    Authorise,
    Meter,
    Dispatch,
    OutputCheck,
    Record,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Authenticate => "authenticate",
            Stage::Principal => "principal",
            Stage::Parse => "parse",
            Stage::Classify => "classify",
            Stage::Authorise => "authorise",
            Stage::Meter => "meter",
            Stage::Dispatch => "dispatch",
            Stage::OutputCheck => "output",
            Stage::Record => "record",
        }
    }
}

/// Why a request was refused (or failed). Each code has one wire `code`, status and message in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefusalCode {
    // authenticate (401)
    MissingKey,
    MalformedAuthorization,
    IncorrectKey,
    AdminKeyOnModelApi,
    KeyRevoked,
    KeyExpired,
    // principal: standing (403); the policy may also refuse on standing with the same codes
    OrganisationNotVerified,
    OrganisationSuspended,
    OrganisationRevoked,
    VettingExpired,
    // parse and validate (400, 413, 415)
    BodyTooLarge,
    UnsupportedMediaType,
    BodyUnreadable,
    InvalidRequest,
    UnknownUseCase,
    EngagementIdTooLong,
    // classify
    GuardUnavailable,
    // authorise: catalogue, engagement, Cedar
    ModelNotFound,
    ModelUnavailable,
    EngagementNotFound,
    TierInsufficient,
    EngagementExpired,
    EngagementOutOfScope,
    UseCaseNotPermitted,
    PolicyDenied,
    PolicyError,
    HeldForReview,
    // meter
    RateLimitExceeded,
    InsufficientQuota,
    MeterUnavailable,
    // dispatch
    UpstreamTimeout,
    UpstreamFailed,
    UpstreamRateLimited,
    UpstreamRejected,
    ModelOverloaded,
    // output check
    OutputBlocked,
    // any stage that needs the store or the ledger
    StoreUnavailable,
    LedgerUnavailable,
    Internal,
}

impl RefusalCode {
    /// Every code, for the catalogue's completeness test.
    pub const ALL: [RefusalCode; 39] = [
        RefusalCode::MissingKey,
        RefusalCode::MalformedAuthorization,
        RefusalCode::IncorrectKey,
        RefusalCode::AdminKeyOnModelApi,
        RefusalCode::KeyRevoked,
        RefusalCode::KeyExpired,
        RefusalCode::OrganisationNotVerified,
        RefusalCode::OrganisationSuspended,
        RefusalCode::OrganisationRevoked,
        RefusalCode::VettingExpired,
        RefusalCode::BodyTooLarge,
        RefusalCode::UnsupportedMediaType,
        RefusalCode::BodyUnreadable,
        RefusalCode::InvalidRequest,
        RefusalCode::UnknownUseCase,
        RefusalCode::EngagementIdTooLong,
        RefusalCode::GuardUnavailable,
        RefusalCode::ModelNotFound,
        RefusalCode::ModelUnavailable,
        RefusalCode::EngagementNotFound,
        RefusalCode::TierInsufficient,
        RefusalCode::EngagementExpired,
        RefusalCode::EngagementOutOfScope,
        RefusalCode::UseCaseNotPermitted,
        RefusalCode::PolicyDenied,
        RefusalCode::PolicyError,
        RefusalCode::HeldForReview,
        RefusalCode::RateLimitExceeded,
        RefusalCode::InsufficientQuota,
        RefusalCode::MeterUnavailable,
        RefusalCode::UpstreamTimeout,
        RefusalCode::UpstreamFailed,
        RefusalCode::UpstreamRateLimited,
        RefusalCode::UpstreamRejected,
        RefusalCode::ModelOverloaded,
        RefusalCode::OutputBlocked,
        RefusalCode::StoreUnavailable,
        RefusalCode::LedgerUnavailable,
        RefusalCode::Internal,
    ];

    /// The name recorded in the ledger's `detail` (never caller text). Stable.
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalCode::MissingKey => "missing_key",
            RefusalCode::MalformedAuthorization => "malformed_authorization",
            RefusalCode::IncorrectKey => "incorrect_key",
            RefusalCode::AdminKeyOnModelApi => "admin_key_on_model_api",
            RefusalCode::KeyRevoked => "key_revoked",
            RefusalCode::KeyExpired => "key_expired",
            RefusalCode::OrganisationNotVerified => "organisation_not_verified",
            RefusalCode::OrganisationSuspended => "organisation_suspended",
            RefusalCode::OrganisationRevoked => "organisation_revoked",
            RefusalCode::VettingExpired => "vetting_expired",
            RefusalCode::BodyTooLarge => "request_too_large",
            RefusalCode::UnsupportedMediaType => "unsupported_media_type",
            RefusalCode::BodyUnreadable => "body_unreadable",
            RefusalCode::InvalidRequest => "invalid_request",
            RefusalCode::UnknownUseCase => "unknown_use_case",
            RefusalCode::EngagementIdTooLong => "engagement_id_too_long",
            RefusalCode::GuardUnavailable => "guard_unavailable",
            RefusalCode::ModelNotFound => "model_not_found",
            RefusalCode::ModelUnavailable => "model_unavailable",
            RefusalCode::EngagementNotFound => "engagement_not_found",
            RefusalCode::TierInsufficient => "tier_insufficient",
            RefusalCode::EngagementExpired => "engagement_expired",
            RefusalCode::EngagementOutOfScope => "engagement_out_of_scope",
            RefusalCode::UseCaseNotPermitted => "use_case_not_permitted",
            RefusalCode::PolicyDenied => "policy_denied",
            RefusalCode::PolicyError => "policy_error",
            RefusalCode::HeldForReview => "held_for_review",
            RefusalCode::RateLimitExceeded => "rate_limit_exceeded",
            RefusalCode::InsufficientQuota => "insufficient_quota",
            RefusalCode::MeterUnavailable => "meter_unavailable",
            RefusalCode::UpstreamTimeout => "upstream_timeout",
            RefusalCode::UpstreamFailed => "upstream_error",
            RefusalCode::UpstreamRateLimited => "upstream_rate_limited",
            RefusalCode::UpstreamRejected => "upstream_rejected",
            RefusalCode::ModelOverloaded => "model_overloaded",
            RefusalCode::OutputBlocked => "output_blocked",
            RefusalCode::StoreUnavailable => "store_unavailable",
            RefusalCode::LedgerUnavailable => "ledger_unavailable",
            RefusalCode::Internal => "internal_error",
        }
    }

    /// What the misuse detector is told, if anything: trust refusals and capacity denials count, a client's
    /// malformed request or our own failure does not.
    pub fn denial_cause(self) -> Option<DenialCause> {
        use RefusalCode as C;
        match self {
            C::UseCaseNotPermitted => Some(DenialCause::UseCaseNotPermitted),
            C::OrganisationNotVerified
            | C::OrganisationSuspended
            | C::OrganisationRevoked
            | C::VettingExpired
            | C::EngagementNotFound
            | C::TierInsufficient
            | C::EngagementExpired
            | C::EngagementOutOfScope
            | C::PolicyDenied
            | C::PolicyError
            | C::HeldForReview => Some(DenialCause::Policy),
            C::GuardUnavailable | C::OutputBlocked => Some(DenialCause::Guard),
            C::RateLimitExceeded => Some(DenialCause::RateLimited),
            C::InsufficientQuota => Some(DenialCause::Quota),
            _ => None,
        }
    }

    pub fn from_standing(problem: StandingProblem) -> RefusalCode {
        match problem {
            StandingProblem::NotVerified => RefusalCode::OrganisationNotVerified,
            StandingProblem::Suspended => RefusalCode::OrganisationSuspended,
            StandingProblem::Revoked => RefusalCode::OrganisationRevoked,
            StandingProblem::VettingExpired => RefusalCode::VettingExpired,
        }
    }
}

/// The typed details a refusal's message is rendered from.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Params {
    #[default]
    None,
    /// A request field is wrong: which field, and the validator's explanation (English, names the field).
    Field { param: String, detail: String },
    /// The body limit, in bytes.
    Limit { bytes: usize },
    /// The media type the body was declared as, when it is short printable ASCII (else `None`): echoed to
    /// the caller only, never recorded.
    MediaType { declared: Option<String> },
    /// The use-case the caller declared that does not exist.
    UseCase { given: String },
    /// The catalogue name the caller asked for.
    Model { name: String },
    /// A Cedar decision: its reasons in both languages, the review item it opened, and for a tier refusal the
    /// tiers involved.
    Policy {
        reason_en: String,
        reason_ko: String,
        review_item: Option<String>,
        tier: Option<TierGap>,
    },
    /// The meter's denial (its own bilingual message and rate-limit headers).
    Meter(Box<Denial>),
    /// The guard model failed: its reasons in both languages.
    Guard {
        reason_en: String,
        reason_ko: String,
    },
    /// What the output guard found.
    Output { use_case: UseCase, rule_id: String },
    /// What the backend said (an upstream 400's message is passed on), and when to retry.
    Upstream {
        message: String,
        retry_after_secs: Option<u64>,
    },
}

/// A model the caller's tier is below.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierGap {
    pub model: String,
    pub needs: String,
    pub has: String,
}

/// A stage's "no": where, why (typed), the policies that decided, and what the message needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub stage: Stage,
    pub code: RefusalCode,
    pub policy_ids: Vec<String>,
    /// Boxed: a refusal travels in every stage's `Err`, which should stay small.
    pub params: Box<Params>,
}

impl Refusal {
    pub fn new(stage: Stage, code: RefusalCode) -> Self {
        Refusal {
            stage,
            code,
            policy_ids: Vec::new(),
            params: Box::new(Params::None),
        }
    }

    pub fn with_params(mut self, params: Params) -> Self {
        self.params = Box::new(params);
        self
    }

    pub fn with_policies(mut self, ids: Vec<String>) -> Self {
        self.policy_ids = ids;
        self
    }

    /// A request field the validator refused.
    pub fn field(param: impl Into<String>, detail: impl Into<String>) -> Self {
        Refusal::new(Stage::Parse, RefusalCode::InvalidRequest).with_params(Params::Field {
            param: param.into(),
            detail: detail.into(),
        })
    }

    /// Our own failure; the detail goes to the log only.
    pub fn internal(stage: Stage, detail: impl std::fmt::Display) -> Self {
        tracing::error!(stage = stage.as_str(), error = %detail, "internal error");
        Refusal::new(stage, RefusalCode::Internal)
    }

    /// The store failed under a stage (unreachable, read-only): not the caller's fault.
    pub fn store(stage: Stage, e: haetae_store::StoreError) -> Self {
        tracing::error!(stage = stage.as_str(), error = %e, "programme store failed");
        Refusal::new(stage, RefusalCode::StoreUnavailable)
    }

    /// What the ledger records for this refusal: the policies that decided, else the code's own id.
    pub fn recorded_policy_ids(&self) -> Vec<String> {
        if self.policy_ids.is_empty() {
            vec![format!("{}.{}", self.stage.as_str(), self.code.as_str())]
        } else {
            self.policy_ids.clone()
        }
    }
}

/// A backend failure as the dispatch stage reports it.
impl From<haetae_models::BackendError> for Refusal {
    fn from(e: haetae_models::BackendError) -> Self {
        use haetae_models::BackendError as B;
        let upstream = |code, message: String, retry_after_secs| {
            Refusal::new(Stage::Dispatch, code).with_params(Params::Upstream {
                message,
                retry_after_secs,
            })
        };
        match e {
            B::Timeout(detail) => {
                tracing::warn!(%detail, "upstream timeout");
                upstream(RefusalCode::UpstreamTimeout, String::new(), None)
            }
            B::Unavailable(detail) => {
                tracing::warn!(%detail, "upstream unavailable");
                upstream(RefusalCode::UpstreamFailed, String::new(), None)
            }
            B::Upstream { status, body } => {
                tracing::warn!(status, "upstream error status");
                match status {
                    // The upstream judged the request itself invalid: pass that on as the caller's error.
                    400 | 422 => {
                        let message = body
                            .pointer("/error/message")
                            .and_then(|m| m.as_str())
                            .unwrap_or("")
                            .chars()
                            .take(300)
                            .collect::<String>();
                        upstream(RefusalCode::UpstreamRejected, message, None)
                    }
                    429 => upstream(RefusalCode::UpstreamRateLimited, String::new(), Some(1)),
                    _ => upstream(RefusalCode::UpstreamFailed, status.to_string(), None),
                }
            }
            B::InvalidResponse(detail) => {
                tracing::warn!(%detail, "upstream sent an invalid response");
                upstream(RefusalCode::UpstreamFailed, String::new(), None)
            }
            B::Overloaded {
                message,
                retry_after_secs,
            } => upstream(
                RefusalCode::ModelOverloaded,
                message,
                Some(retry_after_secs),
            ),
            B::InvalidRequest(msg) | B::Unsupported(msg) => {
                upstream(RefusalCode::UpstreamRejected, msg, None)
            }
            B::Internal(detail) => Refusal::internal(Stage::Dispatch, detail),
        }
    }
}
