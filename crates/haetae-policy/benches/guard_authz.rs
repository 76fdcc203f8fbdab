//! classify + authorise for 1 KB and 16 KB prompts.
//! Run: `cargo bench -p haetae-policy --bench guard_authz -- --warm-up-time 1 --measurement-time 3`

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use haetae_core::{Role, VettingState};
use haetae_policy::policytest::{TEST_NOW, test_principal};
use haetae_policy::{AuthzInput, EngagementStatus, ModelResource, PolicyEngine, classify};

fn prompt(bytes: usize) -> String {
    // A realistic mix: Korean and English analyst text with a log excerpt, repeated to size.
    let unit = "아래 웹 로그를 분석해서 SQL 인젝션 공격 시도인지 판단해 줘. \
                10.0.0.5 - - [25/Nov/2026] \"GET /item?id=1' OR '1'='1 HTTP/1.1\" 200 512 \
                Explain whether the attacker succeeded and write a Sigma rule so we can detect it. ";
    let mut s = String::with_capacity(bytes + unit.len());
    while s.len() < bytes {
        s.push_str(unit);
    }
    let mut cut = bytes.min(s.len());
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.truncate(cut);
    s
}

fn bench(c: &mut Criterion) {
    let engine = match PolicyEngine::default_programme() {
        Ok(e) => e,
        Err(e) => panic!("default programme: {e}"),
    };
    let principal = test_principal("verified", 10, VettingState::Verified, false, Role::Analyst);
    let model = ModelResource {
        name: "m".into(),
        min_tier: "public".into(),
        min_tier_rank: 0,
    };
    let mut g = c.benchmark_group("classify_and_authorise");
    for size in [1024usize, 16 * 1024] {
        let text = prompt(size);
        g.bench_with_input(BenchmarkId::new("classify", size), &text, |b, t| {
            b.iter(|| classify(t))
        });
        g.bench_with_input(BenchmarkId::new("classify+decide", size), &text, |b, t| {
            b.iter(|| {
                let c = classify(t);
                let input = AuthzInput::invoke(
                    principal.clone(),
                    model.clone(),
                    &c,
                    None,
                    EngagementStatus::none(&[]),
                    TEST_NOW,
                );
                engine.decide(&input)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
