//! classify + authorise for 1 KB and 16 KB prompts.
//! Run: `cargo bench -p haetae-policy --bench guard_authz -- --warm-up-time 1 --measurement-time 3`

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use haetae_policy::classify;

mod support;
use support::prompt;

fn bench(c: &mut Criterion) {
    let (engine, principal, model) = support::fixture();
    let mut g = c.benchmark_group("classify_and_authorise");
    for size in [1024usize, 16 * 1024] {
        let text = prompt(size, support::MIXED_LOG_ANALYSIS);
        g.bench_with_input(BenchmarkId::new("classify", size), &text, |b, t| {
            b.iter(|| classify(t))
        });
        g.bench_with_input(BenchmarkId::new("classify+decide", size), &text, |b, t| {
            b.iter(|| support::classify_and_decide(&engine, &principal, &model, t))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
