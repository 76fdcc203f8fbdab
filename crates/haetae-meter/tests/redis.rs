//! The same scenarios against the Redis backend. Needs `HAETAE_TEST_REDIS_URL`
//! (e.g. `redis://127.0.0.1:6379`); skipped with a printed reason when unset. Each test
//! uses its own key prefix, so tests run in parallel and never see each other's counters.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(feature = "redis")]

mod common;

use std::sync::Arc;

use haetae_meter::{ManualClock, Meter, MeterConfig, RedisBackend};

async fn redis_meter(test: &str) -> Option<(Meter, ManualClock)> {
    let Ok(url) = std::env::var("HAETAE_TEST_REDIS_URL") else {
        eprintln!("skipping {test}: HAETAE_TEST_REDIS_URL is not set");
        return None;
    };
    let prefix = format!("haetae-test:{test}:{}:", uuid::Uuid::new_v4());
    let backend = RedisBackend::connect(&url, prefix)
        .await
        .expect("connect to HAETAE_TEST_REDIS_URL");
    Some(common::meter(Arc::new(backend), MeterConfig::default()))
}

macro_rules! redis_test {
    ($name:ident, $flavor:meta, |$m:ident, $c:ident| $body:expr) => {
        #[$flavor]
        async fn $name() {
            let Some(($m, $c)) = redis_meter(stringify!($name)).await else {
                return;
            };
            let _ = &$c;
            $body.await;
        }
    };
}

redis_test!(headers_are_right, tokio::test, |m, c| {
    common::headers_are_right(&m)
});
redis_test!(window_resets, tokio::test, |m, c| common::window_resets(
    &m, &c
));
redis_test!(token_rate_reconciles, tokio::test, |m, c| {
    common::token_rate_reconciles(&m)
});
redis_test!(budgets_reserve_and_reconcile, tokio::test, |m, c| {
    common::budgets_reserve_and_reconcile(&m)
});
redis_test!(budgets_roll_over, tokio::test, |m, c| {
    common::budgets_roll_over(&m, &c)
});
redis_test!(
    release_on_drop,
    tokio::test,
    |m, c| common::release_on_drop(&m)
);
redis_test!(expired_leases_are_reclaimed, tokio::test, |m, c| {
    common::expired_leases_are_reclaimed(&m, &c)
});
redis_test!(tier_pool_is_shared, tokio::test, |m, c| {
    common::tier_pool_is_shared(&m)
});
redis_test!(
    concurrent_budget_never_overshoots,
    tokio::test(flavor = "multi_thread", worker_threads = 4),
    |m, c| common::concurrent_budget_never_overshoots(&m)
);
redis_test!(
    concurrent_rate_limit_holds,
    tokio::test(flavor = "multi_thread", worker_threads = 4),
    |m, c| common::concurrent_rate_limit_holds(&m)
);
