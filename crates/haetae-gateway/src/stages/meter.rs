//! Stage 5: meter. Rate limits (requests and tokens per window, per key, organisation and tier) and token
//! budgets (per organisation and key, per day and month) are *reserved* before the call, from `max_tokens` plus
//! an estimate of the prompt, and reconciled with the real usage after it, so concurrent requests can never
//! overshoot a budget. Every metered response carries `x-ratelimit-*`; a refusal is a 429 with `retry-after`.

use std::sync::Arc;

use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;
use haetae_core::{Principal, Quota, QuotaLevels};
use haetae_meter::{
    BudgetSpec, LimitSpec, Limits, Meter, MeterError, RateLimitHeaders, Reservation, Subjects,
};
use serde_json::Value;

use crate::pipeline::{Params, Refusal, RefusalCode, Stage};

/// Completion tokens reserved when the caller sets no `max_tokens`: the most a call may then produce is bounded
/// by the backend, and this is the budget the caller is asked to have for it.
pub const DEFAULT_COMPLETION_RESERVE: u64 = 1024;

pub fn subjects(p: &Principal) -> Subjects {
    Subjects::new(p.key_id.clone(), p.org.id.clone(), p.tier.name.clone())
}

fn rates(q: Quota) -> LimitSpec {
    LimitSpec {
        requests_per_minute: q.requests_per_minute,
        tokens_per_minute: q.tokens_per_minute,
        requests_per_day: q.requests_per_day,
    }
}

fn budget(q: Quota) -> BudgetSpec {
    BudgetSpec {
        tokens_per_day: q.tokens_per_day,
        tokens_per_month: q.tokens_per_month,
    }
}

/// The programme's three levels resolved into what the meter enforces.
pub fn limits(levels: &QuotaLevels) -> Limits {
    let key = levels.key();
    let org = levels.org();
    Limits {
        key: rates(key),
        org: rates(org),
        tier: rates(levels.tier.pool),
        key_budget: budget(key),
        org_budget: budget(org),
    }
}

/// An upper bound on a prompt's tokens without running a tokenizer: byte-level BPE vocabularies never emit
/// more tokens than bytes, and the chat template adds a few per message. Over-estimating only holds budget a
/// little longer; reconcile gives it back.
pub fn estimate_prompt_tokens(text: &str, messages: usize) -> u64 {
    // ~3 bytes per token for English, ~1.5 for Hangul (3 bytes per syllable, often one token each): use the
    // byte length / 2 as a safe middle, plus the template's per-message overhead.
    (text.len() as u64).div_ceil(2) + 8 * messages as u64 + 8
}

/// The tokens to reserve for a chat request.
pub fn chat_estimate(body: &Value, text: &str, max_tokens: Option<u64>) -> u64 {
    let messages = body
        .get("messages")
        .and_then(Value::as_array)
        .map_or(1, Vec::len);
    estimate_prompt_tokens(text, messages)
        .saturating_add(max_tokens.unwrap_or(DEFAULT_COMPLETION_RESERVE))
}

/// The meter's "no" as a typed refusal: its denial (message in both languages, headers), or — when its
/// backend fails — a fail-closed refusal.
pub fn denial_refusal(e: MeterError) -> Refusal {
    match e {
        MeterError::Denied(d) => {
            let code = match d.kind {
                haetae_meter::DenialKind::InsufficientQuota { .. } => {
                    RefusalCode::InsufficientQuota
                }
                _ => RefusalCode::RateLimitExceeded,
            };
            Refusal::new(Stage::Meter, code)
                .with_policies(vec![format!("meter.{}", d.code())])
                .with_params(Params::Meter(d))
        }
        MeterError::Backend(b) => {
            tracing::error!(error = %b, "meter backend failed: refusing (fail closed)");
            Refusal::new(Stage::Meter, RefusalCode::MeterUnavailable)
        }
    }
}

/// Admits a request or refuses it.
pub async fn reserve(
    meter: &Meter,
    principal: &Principal,
    levels: &QuotaLevels,
    estimated_tokens: u64,
) -> Result<Reservation, Refusal> {
    meter
        .reserve(&subjects(principal), &limits(levels), estimated_tokens)
        .await
        .map_err(denial_refusal)
}

/// The headers of a caller's current standing, without charging anything (for refusals before this stage).
pub async fn peek(meter: &Meter, principal: &Principal, levels: &QuotaLevels) -> RateLimitHeaders {
    match meter.peek(&subjects(principal), &limits(levels)).await {
        Ok((h, _)) => h,
        Err(e) => {
            tracing::warn!(error = %e, "meter peek failed");
            RateLimitHeaders::default()
        }
    }
}

pub fn apply_headers(response: &mut Response, headers: &[(&'static str, String)]) {
    for (name, value) in headers {
        if let Ok(v) = HeaderValue::from_str(value) {
            response
                .headers_mut()
                .insert(HeaderName::from_static(name), v);
        }
    }
}

/// Settles a reservation once, however the request ends. A stream the client abandons drops this: the tokens
/// streamed until then are still charged (reconciled on a background task), never refunded as unused.
pub struct Settlement {
    reservation: Option<Reservation>,
    /// Tokens produced so far, counted as the response passes through (for abandoned streams).
    pub produced: u64,
    meter_enabled: bool,
}

impl Settlement {
    pub fn new(reservation: Option<Reservation>) -> Self {
        let meter_enabled = reservation.is_some();
        Settlement {
            reservation,
            produced: 0,
            meter_enabled,
        }
    }

    pub fn headers(&self) -> Vec<(&'static str, String)> {
        self.reservation
            .as_ref()
            .map(|r| r.headers().to_pairs())
            .unwrap_or_default()
    }

    pub fn is_metered(&self) -> bool {
        self.meter_enabled
    }

    /// Charges `actual` tokens (prompt + completion).
    pub async fn reconcile(&mut self, actual: u64) {
        if let Some(r) = self.reservation.take() {
            if let Err(e) = r.reconcile(actual).await {
                tracing::error!(error = %e, "meter reconcile failed");
            }
        }
    }

    /// Nothing was produced (the backend failed before answering): give the reservation back.
    pub async fn release(&mut self) {
        if let Some(r) = self.reservation.take() {
            if let Err(e) = r.release().await {
                tracing::error!(error = %e, "meter release failed");
            }
        }
    }
}

impl Drop for Settlement {
    fn drop(&mut self) {
        if let Some(r) = self.reservation.take() {
            let produced = self.produced;
            match tokio::runtime::Handle::try_current() {
                Ok(handle) => {
                    handle.spawn(async move {
                        if let Err(e) = r.reconcile(produced).await {
                            tracing::error!(error = %e, "meter reconcile of an abandoned request failed");
                        }
                    });
                }
                // No runtime (shutdown): the reservation's own drop policy applies.
                Err(_) => drop(r),
            }
        }
    }
}

/// Shared handle type for the state.
pub type SharedMeter = Arc<Meter>;

#[cfg(test)]
mod tests {
    use super::*;
    use haetae_core::TierLimits;

    #[test]
    fn levels_resolve_into_meter_limits() {
        let levels = QuotaLevels {
            tier: TierLimits::default_for("public"),
            org: Quota {
                tokens_per_month: Some(7),
                ..Quota::default()
            },
            key: Quota {
                requests_per_minute: Some(3),
                tokens_per_day: Some(5),
                ..Quota::default()
            },
        };
        let l = limits(&levels);
        assert_eq!(l.key.requests_per_minute, Some(3));
        assert_eq!(l.key_budget.tokens_per_day, Some(5));
        assert_eq!(l.org.requests_per_minute, Some(300));
        assert_eq!(l.org_budget.tokens_per_month, Some(7));
        assert_eq!(l.org_budget.tokens_per_day, Some(1_000_000));
        assert!(l.tier.is_unlimited());
    }

    #[test]
    fn estimates_bound_the_prompt_and_reserve_max_tokens() {
        let body = serde_json::json!({"messages": [{"role": "user", "content": "hello"}]});
        assert_eq!(chat_estimate(&body, "hello", Some(10)), 3 + 8 + 8 + 10);
        assert_eq!(
            chat_estimate(&body, "hello", None),
            3 + 8 + 8 + DEFAULT_COMPLETION_RESERVE
        );
    }
}
