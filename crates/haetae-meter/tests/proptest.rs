//! Random reserve / reconcile / release / drop / clock sequences against a model: budgets
//! never overshoot while actual usage stays within reservations, and every token reported
//! is accounted exactly.

use std::sync::Arc;

use futures::executor::block_on;
use haetae_meter::{
    BudgetSpec, InMemoryBackend, LimitSpec, Limits, ManualClock, Meter, MeterConfig, Period,
    Reservation, Scope, Subjects,
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Reserve(u64),
    Reconcile(usize, u64),
    ReconcileOver(usize, u64),
    Release(usize),
    Drop(usize),
    Advance(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0u64..400).prop_map(Op::Reserve),
        3 => (any::<usize>(), 0u64..=100).prop_map(|(i, pct)| Op::Reconcile(i, pct)),
        1 => (any::<usize>(), 1u64..200).prop_map(|(i, x)| Op::ReconcileOver(i, x)),
        1 => any::<usize>().prop_map(Op::Release),
        1 => any::<usize>().prop_map(Op::Drop),
        1 => (0u64..30_000).prop_map(Op::Advance),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn budgets_never_overshoot(ops in proptest::collection::vec(op(), 1..120)) {
        const LIMIT: u64 = 1000;
        // Noon, so 120 ops × ≤30 s never cross midnight.
        let clock = ManualClock::new(1_795_608_000_000);
        let meter = Meter::new(Arc::new(InMemoryBackend::new()), Arc::new(clock.clone()), MeterConfig { lease_ttl_secs: 86_400, ..MeterConfig::default() });
        let s = Subjects::new("k", "o", "t");
        let limits = Limits {
            org_budget: BudgetSpec { tokens_per_day: Some(LIMIT), tokens_per_month: None },
            key: LimitSpec { tokens_per_minute: Some(5000), ..Default::default() },
            ..Default::default()
        };
        let counter = Meter::budget_counter(Scope::Org, "o", Period::Day, clock.now_ms_for_test());
        let mut held: Vec<Reservation> = Vec::new();
        let (mut used, mut over) = (0u64, false);
        for op in ops {
            match op {
                Op::Reserve(n) => {
                    let before = block_on(meter.backend().budget_usage(&counter)).unwrap();
                    match block_on(meter.reserve(&s, &limits, n)) {
                        Ok(r) => {
                            // Every admission leaves the budget within its limit, even after
                            // earlier over-usage.
                            let after = block_on(meter.backend().budget_usage(&counter)).unwrap();
                            prop_assert!(after.used + after.reserved <= LIMIT, "admitted past limit {:?}", after);
                            held.push(r);
                        }
                        Err(e) => {
                            // Refused only if it really did not fit (or a rate limit applied).
                            let d = e.denial().unwrap();
                            if d.code() == "insufficient_quota" {
                                prop_assert!(before.used + before.reserved + n > LIMIT);
                            }
                        }
                    }
                }
                Op::Reconcile(i, pct) if !held.is_empty() => {
                    let r = held.swap_remove(i % held.len());
                    let actual = r.reserved_tokens() * pct / 100;
                    block_on(r.reconcile(actual)).unwrap();
                    used += actual;
                }
                Op::ReconcileOver(i, x) if !held.is_empty() => {
                    let r = held.swap_remove(i % held.len());
                    let actual = r.reserved_tokens() + x;
                    block_on(r.reconcile(actual)).unwrap();
                    used += actual;
                    over = true;
                }
                Op::Release(i) if !held.is_empty() => {
                    block_on(held.swap_remove(i % held.len()).release()).unwrap();
                }
                Op::Drop(i) if !held.is_empty() => {
                    drop(held.swap_remove(i % held.len()));
                }
                Op::Advance(ms) => clock.advance_ms(ms),
                _ => {}
            }
            let u = block_on(meter.backend().budget_usage(&counter)).unwrap();
            prop_assert_eq!(u.used, used);
            prop_assert_eq!(u.reserved, held.iter().map(Reservation::reserved_tokens).sum::<u64>());
            if !over {
                prop_assert!(u.used + u.reserved <= LIMIT, "overshoot {:?}", u);
            }
        }
    }
}

trait NowForTest {
    fn now_ms_for_test(&self) -> u64;
}

impl NowForTest for ManualClock {
    fn now_ms_for_test(&self) -> u64 {
        haetae_meter::Clock::now_ms(self)
    }
}
