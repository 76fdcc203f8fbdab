//! Scenarios shared by the in-process and the Redis test suites, so both backends are held
//! to the same behaviour.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use haetae_meter::{
    BudgetSpec, Clock, DenialKind, Dimension, LimitSpec, Limits, ManualClock, Meter, MeterBackend,
    MeterConfig, MeterError, Period, Scope, Subjects, SystemClock,
};

pub const DAY_MS: u64 = 86_400_000;

/// Noon UTC today: far from midnight, and budget counters' absolute expiries (Redis
/// PEXPIREAT) stay in the future.
pub fn noon_today() -> u64 {
    let now = SystemClock.now_ms();
    now - now % DAY_MS + DAY_MS / 2
}

pub fn meter(backend: Arc<dyn MeterBackend>, config: MeterConfig) -> (Meter, ManualClock) {
    let clock = ManualClock::new(noon_today());
    (Meter::new(backend, Arc::new(clock.clone()), config), clock)
}

pub fn subjects(tag: &str) -> Subjects {
    let u = uuid::Uuid::new_v4();
    Subjects::new(
        format!("key-{tag}-{u}"),
        format!("org-{tag}-{u}"),
        format!("tier-{tag}-{u}"),
    )
}

fn denial(e: MeterError) -> haetae_meter::Denial {
    match e {
        MeterError::Denied(d) => *d,
        MeterError::Backend(b) => panic!("backend error: {b}"),
    }
}

pub async fn headers_are_right(m: &Meter) {
    let s = subjects("hdr");
    let limits = Limits {
        key: LimitSpec {
            requests_per_minute: Some(60),
            tokens_per_minute: Some(1000),
            requests_per_day: None,
        },
        org: LimitSpec {
            requests_per_minute: Some(10),
            ..Default::default()
        },
        ..Default::default()
    };
    let r = m.reserve(&s, &limits, 100).await.unwrap();
    let h = r.headers();
    // Org (10 rpm) binds over key (60 rpm): 9 left, bucket full again in 6s.
    let req = h.requests.unwrap();
    assert_eq!(
        (req.scope, req.limit, req.remaining, req.reset_ms),
        (Scope::Org, 10, 9, 6000)
    );
    let tok = h.tokens.unwrap();
    assert_eq!(
        (tok.scope, tok.limit, tok.remaining, tok.reset_ms),
        (Scope::Key, 1000, 900, 6000)
    );
    let pairs = h.to_pairs();
    let get = |n: &str| {
        pairs
            .iter()
            .find(|(k, _)| *k == n)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(get("x-ratelimit-limit-requests"), "10");
    assert_eq!(get("x-ratelimit-remaining-requests"), "9");
    assert_eq!(get("x-ratelimit-reset-requests"), "6s");
    assert_eq!(get("x-ratelimit-limit-tokens"), "1000");
    assert_eq!(get("x-ratelimit-remaining-tokens"), "900");
    assert_eq!(get("x-ratelimit-reset-tokens"), "6s");
    assert!(!pairs.iter().any(|(k, _)| *k == "retry-after"));
    r.reconcile(100).await.unwrap();

    // peek reports without charging.
    let (h1, _) = m.peek(&s, &limits).await.unwrap();
    let (h2, _) = m.peek(&s, &limits).await.unwrap();
    assert_eq!(h1.requests.unwrap().remaining, 9);
    assert_eq!(h2.requests.unwrap().remaining, 9);
}

pub async fn window_resets(m: &Meter, clock: &ManualClock) {
    let s = subjects("win");
    let limits = Limits {
        key: LimitSpec {
            requests_per_minute: Some(3),
            ..Default::default()
        },
        ..Default::default()
    };
    for i in 0..3 {
        let r = m.reserve(&s, &limits, 0).await.unwrap();
        assert_eq!(r.headers().requests.unwrap().remaining, 2 - i);
        r.reconcile(0).await.unwrap();
    }
    let d = denial(m.reserve(&s, &limits, 0).await.unwrap_err());
    assert_eq!(d.code(), "rate_limit_exceeded");
    assert_eq!(d.error_type(), "requests");
    assert!(matches!(
        d.kind,
        DenialKind::RateLimited {
            scope: Scope::Key,
            dimension: Dimension::Requests,
            limit: 3,
            ..
        }
    ));
    // One request frees up every 20 s.
    assert_eq!(d.retry_after_ms(), Some(20_000));
    assert_eq!(d.headers.requests.unwrap().remaining, 0);
    assert_eq!(d.headers.requests.unwrap().reset_ms, 60_000);
    let pairs = d.headers.to_pairs();
    assert!(pairs.contains(&("retry-after", "20".to_owned())));
    let body = d.to_openai_error(false);
    assert_eq!(body["error"]["code"], "rate_limit_exceeded");
    assert!(body["error"]["param"].is_null());
    assert!(
        d.to_openai_error(true)["error"]["message"]
            .as_str()
            .unwrap()
            .contains("한도")
    );

    clock.advance_ms(19_999);
    assert!(m.reserve(&s, &limits, 0).await.is_err());
    clock.advance_ms(1);
    let r = m.reserve(&s, &limits, 0).await.unwrap();
    assert_eq!(r.headers().requests.unwrap().remaining, 0);
    drop(r);
    // After a full window the limit is fully restored.
    clock.advance_ms(60_000);
    let r = m.reserve(&s, &limits, 0).await.unwrap();
    assert_eq!(r.headers().requests.unwrap().remaining, 2);
    r.release().await.unwrap();
}

pub async fn token_rate_reconciles(m: &Meter) {
    let s = subjects("tpm");
    let limits = Limits {
        key: LimitSpec {
            tokens_per_minute: Some(1000),
            ..Default::default()
        },
        ..Default::default()
    };
    // Too large for any window: never admissible, no retry-after.
    let d = denial(m.reserve(&s, &limits, 1001).await.unwrap_err());
    assert!(matches!(
        d.kind,
        DenialKind::RequestTooLarge {
            requested: 1001,
            limit: 1000,
            ..
        }
    ));
    assert_eq!(d.retry_after_ms(), None);

    let r = m.reserve(&s, &limits, 800).await.unwrap();
    assert_eq!(r.headers().tokens.unwrap().remaining, 200);
    assert!(m.reserve(&s, &limits, 300).await.is_err());
    // Streaming ended with fewer tokens than max_tokens: the difference is given back.
    r.reconcile(100).await.unwrap();
    let r = m.reserve(&s, &limits, 300).await.unwrap();
    assert_eq!(r.headers().tokens.unwrap().remaining, 600);
    // More than reserved: the excess is charged to the rate as well.
    r.reconcile(900).await.unwrap();
    let (h, _) = m.peek(&s, &limits).await.unwrap();
    assert_eq!(h.tokens.unwrap().remaining, 0);
}

pub async fn budgets_reserve_and_reconcile(m: &Meter) {
    let s = subjects("bud");
    let limits = Limits {
        org_budget: BudgetSpec {
            tokens_per_day: Some(1000),
            tokens_per_month: None,
        },
        ..Default::default()
    };
    let counter = Meter::budget_counter(Scope::Org, &s.org_id, Period::Day, m.now_ms());

    let a = m.reserve(&s, &limits, 600).await.unwrap();
    assert_eq!(a.budgets()[0].remaining, 400);
    let d = denial(m.reserve(&s, &limits, 500).await.unwrap_err());
    assert_eq!(d.code(), "insufficient_quota");
    assert_eq!(d.error_type(), "insufficient_quota");
    assert!(matches!(
        d.kind,
        DenialKind::InsufficientQuota {
            scope: Scope::Org,
            period: Period::Day,
            used: 0,
            reserved: 600,
            requested: 500,
            ..
        }
    ));
    // Held by an in-flight request, so no firm retry time.
    assert_eq!(d.retry_after_ms(), None);

    // Reconcile lower than reserved: remaining restored.
    let st = a.reconcile(200).await.unwrap();
    assert_eq!(
        (
            st.budgets[0].used,
            st.budgets[0].reserved,
            st.budgets[0].remaining
        ),
        (200, 0, 800)
    );
    assert_eq!(
        m.backend().budget_usage(&counter).await.unwrap(),
        haetae_meter::BudgetUsage {
            used: 200,
            reserved: 0
        }
    );

    // Reconcile higher than reserved: recorded in full, budget clamps at zero remaining.
    let b = m.reserve(&s, &limits, 100).await.unwrap();
    let st = b.reconcile(1500).await.unwrap();
    assert_eq!(st.budgets[0].used, 1700);
    assert_eq!(st.budgets[0].remaining, 0);
    assert_eq!(st.budgets[0].over_usage(), 700);
    assert_eq!(st.excess_over_reservation(), 1400);
    let d = denial(m.reserve(&s, &limits, 1).await.unwrap_err());
    // Consumed, not merely reserved: retry when the day rolls over (noon → 12 h).
    assert_eq!(d.retry_after_ms(), Some(DAY_MS / 2));
    assert!(matches!(
        d.kind,
        DenialKind::InsufficientQuota { used: 1700, .. }
    ));
}

pub async fn budgets_roll_over(m: &Meter, clock: &ManualClock) {
    let s = subjects("roll");
    let limits = Limits {
        key_budget: BudgetSpec {
            tokens_per_day: Some(1000),
            tokens_per_month: Some(1500),
        },
        ..Default::default()
    };
    m.reserve(&s, &limits, 1000)
        .await
        .unwrap()
        .reconcile(1000)
        .await
        .unwrap();
    assert!(m.reserve(&s, &limits, 1).await.is_err());
    clock.advance_ms(DAY_MS);
    // New day, same month (unless today is the last of the month).
    let r = m.reserve(&s, &limits, 600).await;
    let same_month = haetae_meter::clock::calendar::month_label(clock.now_ms())
        == haetae_meter::clock::calendar::month_label(clock.now_ms() - DAY_MS);
    if same_month {
        let d = denial(r.unwrap_err());
        assert!(matches!(
            d.kind,
            DenialKind::InsufficientQuota {
                period: Period::Month,
                scope: Scope::Key,
                ..
            }
        ));
        m.reserve(&s, &limits, 500)
            .await
            .unwrap()
            .reconcile(500)
            .await
            .unwrap();
    } else {
        r.unwrap().release().await.unwrap();
    }
}

pub async fn release_on_drop(m: &Meter) {
    let s = subjects("drop");
    let limits = Limits {
        org_budget: BudgetSpec {
            tokens_per_day: Some(1000),
            tokens_per_month: None,
        },
        key: LimitSpec {
            tokens_per_minute: Some(1000),
            ..Default::default()
        },
        ..Default::default()
    };
    let counter = Meter::budget_counter(Scope::Org, &s.org_id, Period::Day, m.now_ms());
    {
        let _r = m.reserve(&s, &limits, 800).await.unwrap();
        assert!(m.reserve(&s, &limits, 800).await.is_err());
        // Dropped here without settling (a failed upstream call, a disconnect).
    }
    // The Redis backend settles a dropped guard on a spawned task; wait for it.
    for _ in 0..200 {
        if m.backend().budget_usage(&counter).await.unwrap().reserved == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert_eq!(
        m.backend().budget_usage(&counter).await.unwrap(),
        haetae_meter::BudgetUsage {
            used: 0,
            reserved: 0
        }
    );
    // Token rate was refunded too.
    let r = m.reserve(&s, &limits, 800).await.unwrap();
    assert_eq!(r.headers().tokens.unwrap().remaining, 200);
    r.release().await.unwrap();
    assert_eq!(
        m.backend().budget_usage(&counter).await.unwrap().reserved,
        0
    );
}

pub async fn expired_leases_are_reclaimed(m: &Meter, clock: &ManualClock) {
    let s = subjects("lease");
    let limits = Limits {
        org_budget: BudgetSpec {
            tokens_per_day: Some(1000),
            tokens_per_month: None,
        },
        ..Default::default()
    };
    let r = m.reserve(&s, &limits, 800).await.unwrap();
    // A crashed replica never settles: simulate by leaking the guard.
    std::mem::forget(r);
    assert!(m.reserve(&s, &limits, 500).await.is_err());
    clock.advance_ms(m.config().lease_ttl_secs * 1000);
    let r = m.reserve(&s, &limits, 500).await.unwrap();
    assert_eq!(r.budgets()[0].reserved, 500);
    r.reconcile(10).await.unwrap();
}

pub async fn tier_pool_is_shared(m: &Meter) {
    let a = subjects("tierA");
    let mut b = subjects("tierB");
    b.tier_id = a.tier_id.clone();
    let limits = Limits {
        tier: LimitSpec {
            requests_per_minute: Some(2),
            ..Default::default()
        },
        ..Default::default()
    };
    m.reserve(&a, &limits, 0)
        .await
        .unwrap()
        .reconcile(0)
        .await
        .unwrap();
    m.reserve(&b, &limits, 0)
        .await
        .unwrap()
        .reconcile(0)
        .await
        .unwrap();
    let d = denial(m.reserve(&a, &limits, 0).await.unwrap_err());
    assert!(matches!(
        d.kind,
        DenialKind::RateLimited {
            scope: Scope::Tier,
            ..
        }
    ));
    // A zero limit refuses everything.
    let z = Limits {
        key: LimitSpec {
            requests_per_minute: Some(0),
            ..Default::default()
        },
        ..Default::default()
    };
    assert!(m.reserve(&subjects("zero"), &z, 0).await.is_err());
}

/// 200 concurrent tasks reserve/reconcile against one budget; at no instant may
/// used + reserved exceed it, and the final usage equals what the tasks reported.
pub async fn concurrent_budget_never_overshoots(m: &Meter) {
    const BUDGET: u64 = 20_000;
    let s = Arc::new(subjects("conc"));
    let limits = Limits {
        org_budget: BudgetSpec {
            tokens_per_day: Some(BUDGET),
            tokens_per_month: Some(BUDGET + 5),
        },
        key_budget: BudgetSpec {
            tokens_per_day: Some(BUDGET + 7),
            tokens_per_month: None,
        },
        ..Default::default()
    };
    let counter = Meter::budget_counter(Scope::Org, &s.org_id, Period::Day, m.now_ms());

    // Phase 1: everyone reserves at once and holds.
    let barrier = Arc::new(tokio::sync::Barrier::new(200));
    let mut tasks = Vec::new();
    for i in 0..200u64 {
        let (m, s, barrier) = (m.clone(), Arc::clone(&s), Arc::clone(&barrier));
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            m.reserve(&s, &limits, 100 + i % 101).await.ok()
        }));
    }
    let mut held = Vec::new();
    for t in tasks {
        if let Some(r) = t.await.unwrap() {
            held.push(r);
        }
    }
    let granted: u64 = held.iter().map(|r| r.reserved_tokens()).sum();
    assert!(granted <= BUDGET, "granted {granted} > {BUDGET}");
    // Refusals only when the budget was really short (no spurious denials).
    assert!(granted > BUDGET - 200, "granted only {granted}");
    let u = m.backend().budget_usage(&counter).await.unwrap();
    assert_eq!(u.reserved, granted);
    for r in held {
        r.release().await.unwrap();
    }
    assert_eq!(
        m.backend().budget_usage(&counter).await.unwrap().reserved,
        0
    );

    // Phase 2: 200 tasks loop reserve → (yield) → reconcile below the reservation until refused.
    let consumed = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for i in 0..200u64 {
        let (m, s, consumed) = (m.clone(), Arc::clone(&s), Arc::clone(&consumed));
        let counter = counter.clone();
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            loop {
                let want = 20 + (i * 7 + n) % 60;
                let Ok(r) = m.reserve(&s, &limits, want).await else {
                    break;
                };
                let u = m.backend().budget_usage(&counter).await.unwrap();
                assert!(u.used + u.reserved <= BUDGET, "overshoot: {u:?}");
                tokio::task::yield_now().await;
                let actual = want - (n % 3) * 5;
                r.reconcile(actual).await.unwrap();
                consumed.fetch_add(actual, Ordering::SeqCst);
                n += 1;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let u = m.backend().budget_usage(&counter).await.unwrap();
    assert_eq!(u.reserved, 0);
    assert_eq!(u.used, consumed.load(Ordering::SeqCst));
    assert!(u.used <= BUDGET, "used {} > {BUDGET}", u.used);
    // Tasks quit on their first refusal, so some budget may stay unused; most must be.
    assert!(u.used > BUDGET * 8 / 10, "budget left unused: {}", u.used);
}

/// 200 concurrent requests against 50 rpm: exactly 50 pass.
pub async fn concurrent_rate_limit_holds(m: &Meter) {
    let s = Arc::new(subjects("crl"));
    let limits = Limits {
        org: LimitSpec {
            requests_per_minute: Some(50),
            ..Default::default()
        },
        ..Default::default()
    };
    let mut tasks = Vec::new();
    for _ in 0..200 {
        let (m, s) = (m.clone(), Arc::clone(&s));
        tasks.push(tokio::spawn(async move {
            m.reserve(&s, &limits, 0).await.map(drop).is_ok()
        }));
    }
    let mut ok = 0;
    for t in tasks {
        ok += usize::from(t.await.unwrap());
    }
    assert_eq!(ok, 50);
}

pub fn default_meter_config() -> MeterConfig {
    MeterConfig::default()
}
