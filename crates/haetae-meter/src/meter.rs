//! The meter front end: turns (subjects, limits, estimate) into a backend plan, interprets
//! the outcome into admissions, denials and headers, and hands out RAII reservations.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::backend::{
    BackendError, BudgetOutcome, BudgetRule, MeterBackend, RateOutcome, RateRule, ReservePlan,
    SettlePlan,
};
use crate::clock::{Clock, SystemClock, calendar};
use crate::headers::{RateLimitHeaders, RateLimitStatus};
use crate::limits::{
    BudgetSpec, DAY_MS, Dimension, LimitSpec, Limits, MINUTE_MS, Period, Scope, Subjects,
};
use crate::memory::InMemoryBackend;

/// What happens to a [`Reservation`] dropped without `reconcile`/`release`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropPolicy {
    /// Give the whole reservation back (the default). A drop means the request failed or
    /// the code path forgot to settle; the gateway reconciles explicitly whenever tokens
    /// were actually produced (including partial streams cut by a disconnect), so
    /// refunding is the right default and never blocks an organisation on a bug.
    #[default]
    Release,
    /// Charge the full reserved amount as used. For deployments that prefer never to
    /// under-count (the upstream may have billed tokens nobody reconciled).
    ChargeReserved,
}

/// Meter settings (part of the gateway configuration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MeterConfig {
    /// Seconds after which an unsettled reservation is reclaimed by the backend, so a
    /// crashed replica cannot hold budget forever. Must exceed the longest request
    /// (stream) the gateway allows. Default 900 (15 minutes).
    pub lease_ttl_secs: u64,
    /// Behaviour of a dropped reservation. Default `release`.
    pub on_drop: DropPolicy,
    /// Days a budget counter is kept after its period ends (for reports). Default 35.
    pub budget_retention_days: u64,
}

impl Default for MeterConfig {
    fn default() -> Self {
        Self {
            lease_ttl_secs: 900,
            on_drop: DropPolicy::Release,
            budget_retention_days: 35,
        }
    }
}

/// Failure of a meter operation.
#[derive(Debug, thiserror::Error)]
pub enum MeterError {
    /// The request is refused (HTTP 429); see [`Denial`].
    #[error("{}", .0.message())]
    Denied(Box<Denial>),
    /// The backend failed; the request was not metered. Recommended: fail closed (503).
    #[error(transparent)]
    Backend(#[from] BackendError),
}

impl MeterError {
    /// The denial, if this is one.
    pub fn denial(&self) -> Option<&Denial> {
        match self {
            MeterError::Denied(d) => Some(d),
            MeterError::Backend(_) => None,
        }
    }
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DenialKind {
    /// A rate limit is exhausted for now; retry after `retry_after_ms`.
    RateLimited {
        /// Whose limit.
        scope: Scope,
        /// Requests or tokens.
        dimension: Dimension,
        /// The limit per window.
        limit: u64,
        /// The window in ms.
        window_ms: u64,
    },
    /// The request alone costs more than a whole window admits; retrying cannot help.
    RequestTooLarge {
        /// Whose limit.
        scope: Scope,
        /// Requests or tokens.
        dimension: Dimension,
        /// The limit per window.
        limit: u64,
        /// What the request asked for.
        requested: u64,
    },
    /// A token budget cannot cover the reservation.
    InsufficientQuota {
        /// Whose budget.
        scope: Scope,
        /// Day or month.
        period: Period,
        /// Tokens per period.
        limit: u64,
        /// Tokens consumed.
        used: u64,
        /// Tokens held by in-flight requests.
        reserved: u64,
        /// Tokens this request asked to reserve.
        requested: u64,
    },
}

/// A refused request: what to answer with (HTTP 429) and which headers to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Denial {
    /// The reason.
    pub kind: DenialKind,
    /// Rate-limit headers (including `retry_after_ms` when retrying can help).
    pub headers: RateLimitHeaders,
}

impl Denial {
    /// HTTP status for every meter denial.
    pub const HTTP_STATUS: u16 = 429;

    /// OpenAI error `code`: `rate_limit_exceeded` or `insufficient_quota`.
    pub fn code(&self) -> &'static str {
        match self.kind {
            DenialKind::RateLimited { .. } | DenialKind::RequestTooLarge { .. } => {
                "rate_limit_exceeded"
            }
            DenialKind::InsufficientQuota { .. } => "insufficient_quota",
        }
    }

    /// OpenAI error `type`: `requests`/`tokens` for rate limits (as OpenAI sends),
    /// `insufficient_quota` for budgets.
    pub fn error_type(&self) -> &'static str {
        match &self.kind {
            DenialKind::RateLimited { dimension, .. }
            | DenialKind::RequestTooLarge { dimension, .. } => dimension.as_str(),
            DenialKind::InsufficientQuota { .. } => "insufficient_quota",
        }
    }

    /// Milliseconds after which a retry can succeed, if it can.
    pub fn retry_after_ms(&self) -> Option<u64> {
        self.headers.retry_after_ms
    }

    /// English message. Mentions only the caller's own scope (key/organisation/tier),
    /// never another organisation's data.
    pub fn message(&self) -> String {
        match &self.kind {
            DenialKind::RateLimited {
                scope,
                dimension,
                limit,
                window_ms,
            } => format!(
                "Rate limit reached for this {}: {} {} per {}. Please try again in {}.",
                scope_en(*scope),
                limit,
                dimension.as_str(),
                window_en(*window_ms),
                crate::headers::format_reset(self.retry_after_ms().unwrap_or(0)),
            ),
            DenialKind::RequestTooLarge {
                scope,
                dimension,
                limit,
                requested,
            } => format!(
                "Request too large for this {}: it needs {} {} but the limit is {} per window. \
                 Reduce max_tokens or the prompt.",
                scope_en(*scope),
                requested,
                dimension.as_str(),
                limit
            ),
            DenialKind::InsufficientQuota {
                scope,
                period,
                limit,
                used,
                reserved,
                requested,
            } => format!(
                "Token budget of this {} for the current {} is insufficient: limit {}, used {}, \
                 in flight {}, requested {}. Lower max_tokens or ask your administrator to raise the budget.",
                scope_en(*scope),
                period.as_str(),
                limit,
                used,
                reserved,
                requested
            ),
        }
    }

    /// Korean message, for callers that asked for Korean.
    pub fn message_ko(&self) -> String {
        let scope_ko = |s: Scope| match s {
            Scope::Key => "API 키",
            Scope::Org => "기관",
            Scope::Tier => "등급",
        };
        match &self.kind {
            DenialKind::RateLimited {
                scope,
                dimension,
                limit,
                window_ms,
            } => format!(
                "{}의 사용량 한도({}당 {} {})에 도달했습니다. {} 후에 다시 시도하십시오.",
                scope_ko(*scope),
                if *window_ms >= DAY_MS {
                    "하루"
                } else {
                    "1분"
                },
                limit,
                if *dimension == Dimension::Requests {
                    "요청"
                } else {
                    "토큰"
                },
                crate::headers::format_reset(self.retry_after_ms().unwrap_or(0)),
            ),
            DenialKind::RequestTooLarge {
                scope,
                requested,
                limit,
                ..
            } => format!(
                "요청이 너무 큽니다: {}의 한도는 {}이지만 {}이(가) 필요합니다. max_tokens 또는 프롬프트를 줄이십시오.",
                scope_ko(*scope),
                limit,
                requested
            ),
            DenialKind::InsufficientQuota {
                scope,
                period,
                limit,
                used,
                ..
            } => format!(
                "{}의 {} 토큰 예산이 부족합니다(한도 {}, 사용 {}). 관리자에게 문의하십시오.",
                scope_ko(*scope),
                if *period == Period::Day {
                    "일일"
                } else {
                    "월간"
                },
                limit,
                used
            ),
        }
    }

    /// The OpenAI-format error body `{"error":{"message","type","param","code"}}`.
    pub fn to_openai_error(&self, korean: bool) -> serde_json::Value {
        serde_json::json!({
            "error": {
                "message": if korean { self.message_ko() } else { self.message() },
                "type": self.error_type(),
                "param": null,
                "code": self.code(),
            }
        })
    }
}

fn scope_en(s: Scope) -> &'static str {
    match s {
        Scope::Key => "API key",
        Scope::Org => "organisation",
        Scope::Tier => "tier",
    }
}

fn window_en(ms: u64) -> &'static str {
    if ms >= DAY_MS { "day" } else { "minute" }
}

/// One budget counter's state as seen by a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetStatus {
    /// Whose budget.
    pub scope: Scope,
    /// Day or month.
    pub period: Period,
    /// Tokens per period.
    pub limit: u64,
    /// Tokens consumed (may exceed `limit` after over-usage).
    pub used: u64,
    /// Tokens held by in-flight requests.
    pub reserved: u64,
    /// `limit - used - reserved`, clamped at 0.
    pub remaining: u64,
}

impl BudgetStatus {
    fn from_rule(rule: &BudgetRule, o: &BudgetOutcome) -> Self {
        BudgetStatus {
            scope: rule.scope,
            period: rule.period,
            limit: rule.limit,
            used: o.used,
            reserved: o.reserved,
            remaining: rule.limit.saturating_sub(o.used.saturating_add(o.reserved)),
        }
    }

    /// Tokens consumed beyond the limit (over-usage from reconciles above the reservation).
    pub fn over_usage(&self) -> u64 {
        self.used.saturating_sub(self.limit)
    }
}

/// Result of settling a reservation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settled {
    /// Tokens that were reserved.
    pub reserved: u64,
    /// Tokens charged.
    pub actual: u64,
    /// Budget counters after the settle.
    pub budgets: Vec<BudgetStatus>,
    /// False if the lease had expired before the settle (usage was still charged).
    pub lease_found: bool,
}

impl Settled {
    /// Tokens used beyond what was reserved.
    pub fn excess_over_reservation(&self) -> u64 {
        self.actual.saturating_sub(self.reserved)
    }
}

struct Inner {
    backend: Arc<dyn MeterBackend>,
    clock: Arc<dyn Clock>,
    config: MeterConfig,
}

/// The meter. Cheap to clone; share one per gateway process.
#[derive(Clone)]
pub struct Meter {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Meter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Meter")
            .field("backend", &self.inner.backend)
            .field("config", &self.inner.config)
            .finish()
    }
}

impl Meter {
    /// A meter over `backend`, reading time from `clock`.
    pub fn new(backend: Arc<dyn MeterBackend>, clock: Arc<dyn Clock>, config: MeterConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                backend,
                clock,
                config,
            }),
        }
    }

    /// The embedded default: in-process counters, system clock, default config.
    pub fn in_memory() -> Self {
        Self::new(
            Arc::new(InMemoryBackend::new()),
            Arc::new(SystemClock),
            MeterConfig::default(),
        )
    }

    /// The backend (for admin reads such as [`MeterBackend::budget_usage`]).
    pub fn backend(&self) -> &Arc<dyn MeterBackend> {
        &self.inner.backend
    }

    /// The configuration.
    pub fn config(&self) -> &MeterConfig {
        &self.inner.config
    }

    /// Admit a request: charge one request and `estimated_tokens` tokens against every
    /// rate limit, and reserve `estimated_tokens` on every budget, atomically.
    ///
    /// `estimated_tokens` should be an upper bound: the prompt's token estimate plus
    /// `max_tokens` (or the model's output cap when the client sets none). Overshoot of the
    /// budgets is impossible only for requests whose actual usage stays within it.
    ///
    /// Returns a [`Reservation`] guard to settle after the call, or
    /// [`MeterError::Denied`] (HTTP 429) with the headers to send.
    pub async fn reserve(
        &self,
        subjects: &Subjects,
        limits: &Limits,
        estimated_tokens: u64,
    ) -> Result<Reservation, MeterError> {
        let plan = self.plan(subjects, limits, estimated_tokens, true);
        let outcome = self.inner.backend.reserve(&plan).await?;
        if outcome.rates.len() != plan.rates.len() || outcome.budgets.len() != plan.budgets.len() {
            return Err(BackendError::Protocol("outcome does not match plan".into()).into());
        }
        let headers = headers_for(&plan.rates, &outcome.rates, outcome.admitted && plan.commit);
        if !outcome.admitted {
            return Err(MeterError::Denied(Box::new(denial(
                &plan,
                &outcome.rates,
                &outcome.budgets,
                headers,
            ))));
        }
        let budgets = plan
            .budgets
            .iter()
            .zip(&outcome.budgets)
            .map(|(r, o)| BudgetStatus::from_rule(r, o))
            .collect();
        let settle = SettlePlan {
            reservation_id: plan.reservation_id,
            now_ms: plan.now_ms,
            reserved: estimated_tokens,
            token_rates: plan
                .rates
                .into_iter()
                .filter(|r| r.dimension == Dimension::Tokens)
                .collect(),
            budgets: plan.budgets,
        };
        Ok(Reservation {
            backend: Arc::clone(&self.inner.backend),
            clock: Arc::clone(&self.inner.clock),
            on_drop: self.inner.config.on_drop,
            plan: Some(settle),
            headers,
            budgets,
        })
    }

    /// Current rate-limit headers and budget state without charging anything — for
    /// responses refused before the meter stage (e.g. by policy) that should still carry
    /// `x-ratelimit-*` headers.
    pub async fn peek(
        &self,
        subjects: &Subjects,
        limits: &Limits,
    ) -> Result<(RateLimitHeaders, Vec<BudgetStatus>), MeterError> {
        let plan = self.plan(subjects, limits, 0, false);
        let outcome = self.inner.backend.reserve(&plan).await?;
        if outcome.rates.len() != plan.rates.len() || outcome.budgets.len() != plan.budgets.len() {
            return Err(BackendError::Protocol("outcome does not match plan".into()).into());
        }
        let headers = headers_for(&plan.rates, &outcome.rates, false);
        let budgets = plan
            .budgets
            .iter()
            .zip(&outcome.budgets)
            .map(|(r, o)| BudgetStatus::from_rule(r, o))
            .collect();
        Ok((headers, budgets))
    }

    /// The backend plan for a request (public for custom backends' tests).
    pub fn plan(
        &self,
        subjects: &Subjects,
        limits: &Limits,
        tokens: u64,
        commit: bool,
    ) -> ReservePlan {
        let now = self.inner.clock.now_ms();
        let mut rates = Vec::new();
        push_rates(
            &mut rates,
            Scope::Key,
            &subjects.key_id,
            &limits.key,
            tokens,
        );
        push_rates(
            &mut rates,
            Scope::Org,
            &subjects.org_id,
            &limits.org,
            tokens,
        );
        push_rates(
            &mut rates,
            Scope::Tier,
            &subjects.tier_id,
            &limits.tier,
            tokens,
        );
        let retention = self
            .inner
            .config
            .budget_retention_days
            .saturating_mul(DAY_MS);
        let mut budgets = Vec::new();
        push_budgets(
            &mut budgets,
            Scope::Org,
            &subjects.org_id,
            &limits.org_budget,
            now,
            retention,
        );
        push_budgets(
            &mut budgets,
            Scope::Key,
            &subjects.key_id,
            &limits.key_budget,
            now,
            retention,
        );
        ReservePlan {
            reservation_id: uuid::Uuid::new_v4().to_string(),
            now_ms: now,
            lease_expires_ms: now
                .saturating_add(self.inner.config.lease_ttl_secs.saturating_mul(1000)),
            amount: tokens,
            rates,
            budgets,
            commit,
        }
    }

    /// Name of the budget counter for `scope`/`id`/`period` at time `at_ms` (for admin
    /// reads through [`MeterBackend::budget_usage`]).
    pub fn budget_counter(scope: Scope, id: &str, period: Period, at_ms: u64) -> String {
        let label = match period {
            Period::Day => format!("d:{}", calendar::day_label(at_ms)),
            Period::Month => format!("m:{}", calendar::month_label(at_ms)),
        };
        format!("bu:{}:{}:{}", scope.as_str(), escape(id), label)
    }

    /// Current time of the meter's clock.
    pub fn now_ms(&self) -> u64 {
        self.inner.clock.now_ms()
    }
}

/// Escape `:` and `%` in ids so counter names cannot collide across subjects.
fn escape(id: &str) -> String {
    if !id.contains([':', '%']) {
        return id.to_owned();
    }
    id.replace('%', "%25").replace(':', "%3A")
}

fn push_rates(out: &mut Vec<RateRule>, scope: Scope, id: &str, spec: &LimitSpec, tokens: u64) {
    let id = escape(id);
    let mut push = |dimension: Dimension, limit: Option<u64>, window_ms: u64, cost: u64| {
        // A limit of 0 would make the emission interval infinite; treat it as "refuse all"
        // by giving it a cost above the limit, which yields RequestTooLarge.
        if let Some(limit) = limit {
            out.push(RateRule {
                counter: format!(
                    "rl:{}:{}:{}:{}",
                    scope.as_str(),
                    id,
                    dimension.as_str(),
                    window_ms
                ),
                scope,
                dimension,
                limit: limit.max(1),
                window_ms,
                cost: if limit == 0 { cost.max(2) } else { cost },
            });
        }
    };
    push(Dimension::Requests, spec.requests_per_minute, MINUTE_MS, 1);
    push(Dimension::Tokens, spec.tokens_per_minute, MINUTE_MS, tokens);
    push(Dimension::Requests, spec.requests_per_day, DAY_MS, 1);
}

fn push_budgets(
    out: &mut Vec<BudgetRule>,
    scope: Scope,
    id: &str,
    spec: &BudgetSpec,
    now: u64,
    retention: u64,
) {
    if let Some(limit) = spec.tokens_per_day {
        out.push(BudgetRule {
            counter: Meter::budget_counter(scope, id, Period::Day, now),
            scope,
            period: Period::Day,
            limit,
            expire_at_ms: calendar::next_day_start_ms(now).saturating_add(retention),
        });
    }
    if let Some(limit) = spec.tokens_per_month {
        out.push(BudgetRule {
            counter: Meter::budget_counter(scope, id, Period::Month, now),
            scope,
            period: Period::Month,
            limit,
            expire_at_ms: calendar::next_month_start_ms(now).saturating_add(retention),
        });
    }
}

/// Remaining units and ms until full for a rule whose TAT is `fill_ms` ahead of now.
fn rule_status(rule: &RateRule, fill_ms: f64) -> RateLimitStatus {
    let emission = rule.emission_ms();
    let free = (rule.window_ms as f64 - fill_ms).max(0.0);
    // The epsilon absorbs float error so an exact multiple is not floored one short.
    let remaining = ((free / emission) + 1e-9).floor() as u64;
    RateLimitStatus {
        scope: rule.scope,
        limit: rule.limit,
        remaining: remaining.min(rule.limit),
        reset_ms: fill_ms.max(0.0).ceil() as u64,
        window_ms: rule.window_ms,
    }
}

/// Headers from the binding rule of each dimension: the one with the fewest remaining
/// units (ties: the one that takes longest to reset).
fn headers_for(rules: &[RateRule], outcomes: &[RateOutcome], _committed: bool) -> RateLimitHeaders {
    let mut h = RateLimitHeaders::default();
    for (rule, o) in rules.iter().zip(outcomes) {
        let st = rule_status(rule, o.fill_ms);
        let slot = match rule.dimension {
            Dimension::Requests => &mut h.requests,
            Dimension::Tokens => &mut h.tokens,
        };
        let better = match slot {
            None => true,
            Some(cur) => {
                st.remaining < cur.remaining
                    || (st.remaining == cur.remaining && st.reset_ms > cur.reset_ms)
            }
        };
        if better {
            *slot = Some(st);
        }
    }
    h
}

fn denial(
    plan: &ReservePlan,
    rates: &[RateOutcome],
    budgets: &[BudgetOutcome],
    mut headers: RateLimitHeaders,
) -> Denial {
    // Precedence: a request that can never pass, then budgets (long-lived), then the rate
    // limit that takes longest to clear.
    for rule in &plan.rates {
        if rule.cost > rule.limit {
            return Denial {
                kind: DenialKind::RequestTooLarge {
                    scope: rule.scope,
                    dimension: rule.dimension,
                    limit: rule.limit,
                    requested: rule.cost,
                },
                headers,
            };
        }
    }
    for (rule, o) in plan.budgets.iter().zip(budgets) {
        if !o.allowed {
            // Retrying helps only once the period rolls over, unless the shortfall is held
            // by in-flight reservations (then no firm time can be promised).
            let consumed_blocks = o.used.saturating_add(plan.amount) > rule.limit;
            headers.retry_after_ms = if plan.amount > rule.limit || !consumed_blocks {
                None
            } else {
                let end = match rule.period {
                    Period::Day => calendar::next_day_start_ms(plan.now_ms),
                    Period::Month => calendar::next_month_start_ms(plan.now_ms),
                };
                Some(end.saturating_sub(plan.now_ms))
            };
            return Denial {
                kind: DenialKind::InsufficientQuota {
                    scope: rule.scope,
                    period: rule.period,
                    limit: rule.limit,
                    used: o.used,
                    reserved: o.reserved,
                    requested: plan.amount,
                },
                headers,
            };
        }
    }
    let mut worst: Option<(&RateRule, u64)> = None;
    for (rule, o) in plan.rates.iter().zip(rates) {
        if o.allowed {
            continue;
        }
        let wait = (o.fill_ms + rule.cost as f64 * rule.emission_ms() - rule.window_ms as f64)
            .max(1.0)
            .ceil() as u64;
        if worst.is_none_or(|(_, w)| wait > w) {
            worst = Some((rule, wait));
        }
    }
    match worst {
        Some((rule, wait)) => {
            headers.retry_after_ms = Some(wait);
            Denial {
                kind: DenialKind::RateLimited {
                    scope: rule.scope,
                    dimension: rule.dimension,
                    limit: rule.limit,
                    window_ms: rule.window_ms,
                },
                headers,
            }
        }
        // A backend that says "not admitted" must name a culprit; if it does not, refuse
        // conservatively as a rate limit on the key with a short retry.
        None => {
            headers.retry_after_ms = Some(1000);
            Denial {
                kind: DenialKind::RateLimited {
                    scope: Scope::Key,
                    dimension: Dimension::Requests,
                    limit: 0,
                    window_ms: MINUTE_MS,
                },
                headers,
            }
        }
    }
}

/// An admitted request's hold on rate limits and budgets. Settle it exactly once with
/// [`Reservation::reconcile`] (tokens were produced) or [`Reservation::release`] (none
/// were). If it is dropped unsettled, [`MeterConfig::on_drop`] decides (default: release).
/// Backends also reclaim leases after [`MeterConfig::lease_ttl_secs`] in case a process dies.
#[must_use = "a reservation must be reconciled or released; dropping it releases it"]
pub struct Reservation {
    backend: Arc<dyn MeterBackend>,
    clock: Arc<dyn Clock>,
    on_drop: DropPolicy,
    plan: Option<SettlePlan>,
    headers: RateLimitHeaders,
    budgets: Vec<BudgetStatus>,
}

impl std::fmt::Debug for Reservation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reservation")
            .field("id", &self.id())
            .field("reserved", &self.reserved_tokens())
            .field("headers", &self.headers)
            .finish()
    }
}

impl Reservation {
    /// The reservation (lease) id.
    pub fn id(&self) -> &str {
        self.plan.as_ref().map_or("", |p| p.reservation_id.as_str())
    }

    /// Tokens reserved.
    pub fn reserved_tokens(&self) -> u64 {
        self.plan.as_ref().map_or(0, |p| p.reserved)
    }

    /// Rate-limit headers for the response (state right after admission).
    pub fn headers(&self) -> &RateLimitHeaders {
        &self.headers
    }

    /// Budget counters right after admission.
    pub fn budgets(&self) -> &[BudgetStatus] {
        &self.budgets
    }

    fn take_plan(&mut self) -> Option<SettlePlan> {
        let mut plan = self.plan.take()?;
        plan.now_ms = self.clock.now_ms();
        Some(plan)
    }

    /// Settle with the actual total tokens (prompt + completion) — from the response's
    /// `usage`, the final stream chunk, or the tokens counted so far when a stream is cut.
    /// Usage above the reservation is charged in full (the budget may end over its limit;
    /// further reservations are then refused until the period rolls over).
    pub async fn reconcile(mut self, actual_tokens: u64) -> Result<Settled, MeterError> {
        let Some(plan) = self.take_plan() else {
            return Err(BackendError::Protocol("reservation already settled".into()).into());
        };
        let out = self.backend.reconcile(&plan, actual_tokens).await?;
        let budgets: Vec<BudgetStatus> = plan
            .budgets
            .iter()
            .zip(&out.budgets)
            .map(|(r, o)| BudgetStatus::from_rule(r, o))
            .collect();
        if let Some(b) = budgets.iter().find(|b| b.over_usage() > 0) {
            tracing::info!(reservation = %plan.reservation_id, scope = b.scope.as_str(), period = b.period.as_str(),
                over = b.over_usage(), "token budget exceeded by usage above the reservation");
        }
        Ok(Settled {
            reserved: plan.reserved,
            actual: actual_tokens,
            budgets,
            lease_found: out.lease_found,
        })
    }

    /// Cancel: nothing was consumed (upstream failed before producing tokens).
    pub async fn release(mut self) -> Result<(), MeterError> {
        if let Some(plan) = self.take_plan() {
            self.backend.release(&plan).await?;
        }
        Ok(())
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        if let Some(plan) = self.take_plan() {
            let actual = match self.on_drop {
                DropPolicy::Release => None,
                DropPolicy::ChargeReserved => Some(plan.reserved),
            };
            Arc::clone(&self.backend).settle_detached(plan, actual);
        }
    }
}
