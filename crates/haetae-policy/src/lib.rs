//! haetae-policy: pipeline stages 3 (classify) and 4 (authorise).
//!
//! * [`guard`] — the built-in, bilingual (Korean/English) rule-based classifier: use-cases, confidence, evidence.
//! * [`decode`] — decoded views of encoded text (base64, hex, ROT13, percent, escapes, reversed) for the guard.
//! * [`classifier`] — the learned stage (hashed n-grams + logistic regression; ko/en/ja/zh) and language coverage.
//! * [`model_guard`] — the optional model stage (Llama-Guard style, JSON verdict), failing closed.
//! * [`engagement`] — engagements (authorised tests), target extraction and scope checks.
//! * [`engine`] — the Cedar policy engine: load, validate, decide allow / deny / review.
//! * [`reload`] — hot reload of the policy directory with atomic swaps.
//! * [`policytest`] — the YAML policy test runner (`haetae policy test`).
//! * [`eval`] — guard evaluation on a labelled set (`haetae guard eval`).
//! * [`output_guard`] — classifies the model's answer (whole or streamed) and stops working malicious artefacts.
//!
//! The use-case taxonomy is documented in `docs/use-cases.md`, the policy model in `docs/policy.md`.

pub mod classifier;
pub mod decode;
pub mod engagement;
pub mod engine;
pub mod eval;
mod fold;
pub mod guard;
mod lexicon;
pub mod model_guard;
mod normalize;
pub mod output_guard;
pub mod policytest;
pub mod reload;

pub use classifier::{Coverage, classify_learned, coverage};
pub use decode::{Decoded, Technique, decoded_views};
pub use engagement::{
    Engagement, EngagementError, EngagementStatus, ExtractedTarget, ScopeTarget, Target,
    check_scope, extract_targets,
};
pub use engine::{
    Action, AuthzDecision, AuthzEffect, AuthzInput, ModelResource, PolicyEngine, PolicyError,
    Resource, use_case_ko,
};
pub use eval::{
    AdvItem, AdvLabel, AdversarialReport, EvalReport, GuardCase, UseCaseMetrics, adversarial_eval,
    guard_eval, guard_eval_cases, load_adversarial_set, load_guard_set,
};
pub use guard::{
    Classification, Evidence, GuardView, Lang, UseCaseScore, ViewSource, classify, classify_views,
    guard_views, is_restricted, request_text,
};
pub use model_guard::{
    GuardOutcome, ModelGuard, ModelGuardError, ModelVerdict, classify_with_model,
};
pub use normalize::is_korean;
pub use output_guard::{OutputBlock, OutputGuard, OutputScanner};
pub use policytest::{PolicyTestReport, run_policy_tests, run_policy_tests_str};
pub use reload::{ReloadOutcome, ReloadingPolicyEngine};
