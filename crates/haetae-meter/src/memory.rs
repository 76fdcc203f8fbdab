//! In-process backend: the embedded default for a single gateway.
//!
//! One mutex guards all counters, so a plan is checked and charged atomically. The
//! critical section is a handful of hash-map operations (well under a microsecond per
//! rule), so a single lock is cheaper than finer-grained locking would be to get right.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use futures::future::BoxFuture;

use crate::backend::{
    BackendError, BudgetOutcome, BudgetUsage, GCRA_EPSILON_MS, MeterBackend, RateOutcome, RateRule,
    ReserveOutcome, ReservePlan, SettleOutcome, SettlePlan,
};

/// How often (ms of meter time) stale counters are swept out of memory.
const SWEEP_INTERVAL_MS: u64 = 60_000;

#[derive(Debug, Default)]
struct Counter {
    used: u64,
    reserved: u64,
    /// reservation id -> (amount, lease expiry)
    leases: HashMap<String, (u64, u64)>,
    /// Earliest lease expiry, so the reclaim scan runs only when something can expire.
    next_expiry: u64,
    expire_at_ms: u64,
}

impl Counter {
    fn reclaim_expired(&mut self, now: u64) {
        if self.leases.is_empty() || now < self.next_expiry {
            return;
        }
        let mut next = u64::MAX;
        let mut freed = 0u64;
        self.leases.retain(|_, (amount, expiry)| {
            if *expiry <= now {
                freed = freed.saturating_add(*amount);
                false
            } else {
                next = next.min(*expiry);
                true
            }
        });
        self.reserved = self.reserved.saturating_sub(freed);
        self.next_expiry = next;
    }

    fn outcome(&self, limit: u64) -> BudgetOutcome {
        BudgetOutcome {
            allowed: self.used.saturating_add(self.reserved) <= limit,
            used: self.used,
            reserved: self.reserved,
        }
    }
}

#[derive(Debug, Default)]
struct State {
    /// counter -> (theoretical arrival time in ms, forget-after ms)
    tats: HashMap<String, f64>,
    budgets: HashMap<String, Counter>,
    last_sweep_ms: u64,
}

impl State {
    fn sweep(&mut self, now: u64) {
        if now.saturating_sub(self.last_sweep_ms) < SWEEP_INTERVAL_MS {
            return;
        }
        self.last_sweep_ms = now;
        let now_f = now as f64;
        // A TAT in the past is equivalent to an absent one (full bucket).
        self.tats.retain(|_, tat| *tat > now_f);
        self.budgets
            .retain(|_, c| c.expire_at_ms > now || !c.leases.is_empty());
    }

    fn fill_ms(&self, rule: &RateRule, now: f64) -> f64 {
        self.tats
            .get(&rule.counter)
            .map_or(0.0, |tat| (tat - now).max(0.0))
    }

    fn adjust_tokens(&mut self, rules: &[RateRule], now: u64, delta: f64) {
        let now_f = now as f64;
        for rule in rules {
            let shift = delta * rule.emission_ms();
            let tat = self.tats.entry(rule.counter.clone()).or_insert(now_f);
            *tat = (tat.max(now_f) + shift).max(now_f);
        }
    }

    fn settle(&mut self, plan: &SettlePlan, actual: Option<u64>) -> SettleOutcome {
        let mut lease_found = false;
        let mut budgets = Vec::with_capacity(plan.budgets.len());
        for rule in &plan.budgets {
            let c = self.budgets.entry(rule.counter.clone()).or_default();
            c.expire_at_ms = c.expire_at_ms.max(rule.expire_at_ms);
            if let Some((amount, _)) = c.leases.remove(&plan.reservation_id) {
                c.reserved = c.reserved.saturating_sub(amount);
                lease_found = true;
            }
            if let Some(a) = actual {
                c.used = c.used.saturating_add(a);
            }
            budgets.push(c.outcome(rule.limit));
        }
        let reserved = plan.reserved as f64;
        let delta = match actual {
            Some(a) => a as f64 - reserved,
            None => -reserved,
        };
        self.adjust_tokens(&plan.token_rates, plan.now_ms, delta);
        SettleOutcome {
            budgets,
            lease_found: lease_found || plan.budgets.is_empty(),
        }
    }
}

/// The in-process [`MeterBackend`]. Cheap to clone (shared state).
#[derive(Debug, Clone, Default)]
pub struct InMemoryBackend {
    state: Arc<Mutex<State>>,
}

impl InMemoryBackend {
    /// An empty backend.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics while the lock is held, and every update leaves the maps
        // consistent, so a poisoned lock still holds valid state.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Synchronous reserve (the async trait method just wraps it).
    pub fn reserve_now(&self, plan: &ReservePlan) -> ReserveOutcome {
        let mut st = self.lock();
        st.sweep(plan.now_ms);
        let now_f = plan.now_ms as f64;

        let mut admitted = true;
        let mut rates = Vec::with_capacity(plan.rates.len());
        for rule in &plan.rates {
            let fill = st.fill_ms(rule, now_f);
            let after = fill + rule.cost as f64 * rule.emission_ms();
            let allowed = after <= rule.window_ms as f64 + GCRA_EPSILON_MS;
            admitted &= allowed;
            rates.push(RateOutcome {
                allowed,
                fill_ms: fill,
            });
        }
        let mut budgets = Vec::with_capacity(plan.budgets.len());
        for rule in &plan.budgets {
            let (used, reserved) = match st.budgets.get_mut(&rule.counter) {
                Some(c) => {
                    c.reclaim_expired(plan.now_ms);
                    (c.used, c.reserved)
                }
                None => (0, 0),
            };
            let allowed = used
                .checked_add(reserved)
                .and_then(|s| s.checked_add(plan.amount))
                .is_some_and(|total| total <= rule.limit);
            admitted &= allowed;
            budgets.push(BudgetOutcome {
                allowed,
                used,
                reserved,
            });
        }

        if admitted && plan.commit {
            for (rule, out) in plan.rates.iter().zip(rates.iter_mut()) {
                out.fill_ms += rule.cost as f64 * rule.emission_ms();
                st.tats.insert(rule.counter.clone(), now_f + out.fill_ms);
            }
            for (rule, out) in plan.budgets.iter().zip(budgets.iter_mut()) {
                let c = st.budgets.entry(rule.counter.clone()).or_default();
                c.expire_at_ms = c.expire_at_ms.max(rule.expire_at_ms);
                c.reserved = c.reserved.saturating_add(plan.amount);
                c.leases.insert(
                    plan.reservation_id.clone(),
                    (plan.amount, plan.lease_expires_ms),
                );
                c.next_expiry = c.next_expiry.min(plan.lease_expires_ms);
                if c.leases.len() == 1 {
                    c.next_expiry = plan.lease_expires_ms;
                }
                out.reserved = c.reserved;
            }
        }
        ReserveOutcome {
            admitted,
            rates,
            budgets,
        }
    }

    /// Synchronous reconcile (`Some(actual)`) or release (`None`).
    pub fn settle_now(&self, plan: &SettlePlan, actual: Option<u64>) -> SettleOutcome {
        self.lock().settle(plan, actual)
    }

    /// Synchronous read of one budget counter.
    pub fn budget_usage_now(&self, counter: &str) -> BudgetUsage {
        self.lock()
            .budgets
            .get(counter)
            .map_or_else(BudgetUsage::default, |c| BudgetUsage {
                used: c.used,
                reserved: c.reserved,
            })
    }

    /// Number of live counters (rate + budget), for memory tests and metrics.
    pub fn counter_count(&self) -> usize {
        let st = self.lock();
        st.tats.len() + st.budgets.len()
    }
}

impl MeterBackend for InMemoryBackend {
    fn reserve<'a>(
        &'a self,
        plan: &'a ReservePlan,
    ) -> BoxFuture<'a, Result<ReserveOutcome, BackendError>> {
        let out = self.reserve_now(plan);
        Box::pin(async move { Ok(out) })
    }

    fn reconcile<'a>(
        &'a self,
        plan: &'a SettlePlan,
        actual: u64,
    ) -> BoxFuture<'a, Result<SettleOutcome, BackendError>> {
        let out = self.settle_now(plan, Some(actual));
        Box::pin(async move { Ok(out) })
    }

    fn release<'a>(
        &'a self,
        plan: &'a SettlePlan,
    ) -> BoxFuture<'a, Result<SettleOutcome, BackendError>> {
        let out = self.settle_now(plan, None);
        Box::pin(async move { Ok(out) })
    }

    fn budget_usage<'a>(
        &'a self,
        counter: &'a str,
    ) -> BoxFuture<'a, Result<BudgetUsage, BackendError>> {
        let out = self.budget_usage_now(counter);
        Box::pin(async move { Ok(out) })
    }

    fn settle_detached(self: Arc<Self>, plan: SettlePlan, actual: Option<u64>) {
        // No await needed: settle immediately so a dropped guard frees its budget before
        // the next request is metered.
        self.settle_now(&plan, actual);
    }
}
