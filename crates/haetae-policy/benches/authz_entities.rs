//! The Cedar decision per request, with the request's entities built afresh (as before the entity cache) and
//! from the engine's cache (built once per principal, resource and policy version), in the same run.
//! Run: `cargo bench -p haetae-policy --bench authz_entities -- --quick`

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{Criterion, criterion_group, criterion_main};
use haetae_policy::policytest::TEST_NOW;
use haetae_policy::{AuthzInput, EngagementStatus, PolicyEngine, classify};

// Shared with the guard benches, which use the rest of it.
#[allow(dead_code)]
mod support;

fn bench(c: &mut Criterion) {
    let (cached, principal, model) = support::fixture();
    let fresh = match PolicyEngine::default_programme() {
        Ok(e) => e.without_entity_cache(),
        Err(e) => panic!("default programme: {e}"),
    };
    let classification = classify(support::MIXED_LOG_ANALYSIS);
    let input = AuthzInput::invoke(
        principal,
        model,
        &classification,
        None,
        EngagementStatus::none(&[]),
        TEST_NOW,
    );
    // Both engines must agree before their costs are compared.
    assert_eq!(cached.decide(&input), fresh.decide(&input));
    let mut g = c.benchmark_group("cedar_decide");
    g.bench_function("entities_built_per_request", |b| {
        b.iter(|| fresh.decide(&input))
    });
    g.bench_function("entities_cached", |b| b.iter(|| cached.decide(&input)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
