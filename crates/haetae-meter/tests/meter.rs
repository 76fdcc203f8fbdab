//! In-process backend: limits, headers, windows, budgets, reconcile, drop, concurrency.

mod common;

use std::sync::Arc;

use haetae_meter::{
    BudgetSpec, DropPolicy, InMemoryBackend, Limits, Meter, MeterConfig, Period, Scope,
};

fn mem() -> (Meter, haetae_meter::ManualClock) {
    common::meter(Arc::new(InMemoryBackend::new()), MeterConfig::default())
}

#[tokio::test]
async fn headers_are_right() {
    common::headers_are_right(&mem().0).await;
}

#[tokio::test]
async fn window_resets() {
    let (m, c) = mem();
    common::window_resets(&m, &c).await;
}

#[tokio::test]
async fn token_rate_reconciles() {
    common::token_rate_reconciles(&mem().0).await;
}

#[tokio::test]
async fn budgets_reserve_and_reconcile() {
    common::budgets_reserve_and_reconcile(&mem().0).await;
}

#[tokio::test]
async fn budgets_roll_over() {
    let (m, c) = mem();
    common::budgets_roll_over(&m, &c).await;
}

#[tokio::test]
async fn release_on_drop() {
    common::release_on_drop(&mem().0).await;
}

#[tokio::test]
async fn expired_leases_are_reclaimed() {
    let (m, c) = mem();
    common::expired_leases_are_reclaimed(&m, &c).await;
}

#[tokio::test]
async fn tier_pool_is_shared() {
    common::tier_pool_is_shared(&mem().0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_budget_never_overshoots() {
    common::concurrent_budget_never_overshoots(&mem().0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_rate_limit_holds() {
    common::concurrent_rate_limit_holds(&mem().0).await;
}

#[tokio::test]
async fn drop_policy_charge_reserved() {
    let cfg = MeterConfig {
        on_drop: DropPolicy::ChargeReserved,
        ..MeterConfig::default()
    };
    let (m, _) = common::meter(Arc::new(InMemoryBackend::new()), cfg);
    let s = common::subjects("charge");
    let limits = Limits {
        key_budget: BudgetSpec {
            tokens_per_day: Some(1000),
            tokens_per_month: None,
        },
        ..Default::default()
    };
    drop(m.reserve(&s, &limits, 300).await.unwrap());
    let counter = Meter::budget_counter(Scope::Key, &s.key_id, Period::Day, m.now_ms());
    let u = m.backend().budget_usage(&counter).await.unwrap();
    assert_eq!((u.used, u.reserved), (300, 0));
}

#[test]
fn drop_outside_runtime_still_releases_in_process() {
    // The in-process backend settles synchronously, so even a guard dropped on a plain
    // thread (no Tokio runtime) frees its budget at once.
    let (m, _) = mem();
    let s = common::subjects("sync");
    let limits = Limits {
        org_budget: BudgetSpec {
            tokens_per_day: Some(100),
            tokens_per_month: None,
        },
        ..Default::default()
    };
    let r = futures::executor::block_on(m.reserve(&s, &limits, 100)).unwrap();
    assert!(futures::executor::block_on(m.reserve(&s, &limits, 1)).is_err());
    drop(r);
    assert!(futures::executor::block_on(m.reserve(&s, &limits, 100)).is_ok());
}

#[test]
fn config_deserializes_with_defaults() {
    let c: MeterConfig = serde_json::from_str(r#"{"on_drop":"charge_reserved"}"#).unwrap();
    assert_eq!(c.on_drop, DropPolicy::ChargeReserved);
    assert_eq!(c.lease_ttl_secs, 900);
    let l: Limits = serde_json::from_str(
        r#"{"org":{"requests_per_minute":5},"org_budget":{"tokens_per_month":10}}"#,
    )
    .unwrap();
    assert_eq!(l.org.requests_per_minute, Some(5));
    assert_eq!(l.org_budget.tokens_per_month, Some(10));
}
