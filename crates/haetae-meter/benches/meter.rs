//! Cost of metering one request: reserve + reconcile with rate limits on key, org and tier
//! and day/month budgets on key and org (8 counters), in-process and (when
//! `HAETAE_TEST_REDIS_URL` is set) Redis.
//!
//! `cargo bench -p haetae-meter --bench meter -- --warm-up-time 1 --measurement-time 3`

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use haetae_meter::{
    BudgetSpec, InMemoryBackend, LimitSpec, Limits, Meter, MeterBackend, MeterConfig, Subjects,
    SystemClock,
};

fn limits() -> Limits {
    let rate = LimitSpec {
        requests_per_minute: Some(u64::MAX / 4),
        tokens_per_minute: Some(u64::MAX / 4),
        requests_per_day: None,
    };
    let budget = BudgetSpec {
        tokens_per_day: Some(1 << 50),
        tokens_per_month: Some(1 << 50),
    };
    Limits {
        key: rate,
        org: rate,
        tier: rate,
        key_budget: budget,
        org_budget: budget,
    }
}

fn bench_backend(
    c: &mut Criterion,
    rt: &tokio::runtime::Runtime,
    name: &str,
    backend: Arc<dyn MeterBackend>,
) {
    let meter = Meter::new(backend, Arc::new(SystemClock), MeterConfig::default());
    let s = Subjects::new("bench-key", "bench-org", "bench-tier");
    let l = limits();
    c.bench_function(&format!("{name}/reserve+reconcile"), |b| {
        b.to_async(rt).iter(|| async {
            let r = meter.reserve(&s, &l, 500).await.expect("admitted");
            r.reconcile(300).await.expect("reconciled")
        })
    });
}

fn meter_bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    // Baseline measured in the same run: an empty future on the same runtime (criterion's and tokio's own cost), so
    // the meter's cost can be read as a difference on a noisy machine.
    c.bench_function("baseline/empty_future", |b| {
        b.to_async(&rt).iter(|| async {})
    });
    bench_backend(c, &rt, "in_process", Arc::new(InMemoryBackend::new()));
    match std::env::var("HAETAE_TEST_REDIS_URL") {
        Ok(url) => {
            let prefix = format!("haetae-bench:{}:", uuid::Uuid::new_v4());
            let backend = rt
                .block_on(haetae_meter::RedisBackend::connect(&url, prefix))
                .expect("redis");
            bench_backend(c, &rt, "redis", Arc::new(backend));
        }
        Err(_) => eprintln!("skipping redis benchmark: HAETAE_TEST_REDIS_URL is not set"),
    }
}

criterion_group!(benches, meter_bench);
criterion_main!(benches);
