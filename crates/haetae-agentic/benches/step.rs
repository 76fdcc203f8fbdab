//! Environment step cost: µs per tool call of each domain's world (simulator step, invariant checks on the
//! transition, state diff and step record), replaying every task's reference script. Baseline in the same run:
//! the harness's key-value test environment, which does no checking at all.
//!   cargo bench -p haetae-agentic --bench step

// Test and benchmark helpers outside #[test] functions: a broken fixture should stop them loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use haetae_agentic::task::TaskSpec;
use haetae_agentic::{domains, world};
use haetae_eval::dataset::Sample;
use haetae_eval::env::{Environment, KvEnvironment};
use serde_json::json;

fn tasks(domain: &str) -> Vec<Sample> {
    let path = format!(
        "{}/../../suites/agentic/{domain}/tasks.jsonl",
        env!("CARGO_MANIFEST_DIR")
    );
    haetae_agentic::task::load_tasks(std::path::Path::new(&path)).unwrap()
}

fn replay<S: world::Simulator>(samples: &[(Sample, TaskSpec)]) -> usize {
    let mut calls = 0;
    for (sample, spec) in samples {
        let mut w = world::World::<S>::for_sample(sample).unwrap();
        for c in &spec.reference.calls {
            let _ = black_box(w.apply(c));
            calls += 1;
        }
        black_box(w.snapshot());
    }
    calls
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("agentic_step");
    // Baseline: 1,000 kv_set/kv_get calls on the harness's test environment.
    group.throughput(Throughput::Elements(1000));
    group.bench_function("baseline_kv_env", |b| {
        b.iter(|| {
            let mut env = KvEnvironment::default();
            rt.block_on(async {
                for i in 0..500 {
                    let k = format!("k{i}");
                    let _ = env.call("kv_set", &json!({"key": k, "value": i})).await;
                    let _ = env.call("kv_get", &json!({"key": k})).await;
                }
            });
        })
    });
    for d in domains() {
        let loaded: Vec<(Sample, TaskSpec)> = tasks(d.name)
            .into_iter()
            .map(|s| {
                let spec = TaskSpec::from_sample(&s).unwrap();
                (s, spec)
            })
            .collect();
        let calls: usize = loaded.iter().map(|(_, s)| s.reference.calls.len()).sum();
        group.throughput(Throughput::Elements(calls as u64));
        let run: fn(&[(Sample, TaskSpec)]) -> usize = match d.name {
            "finance" => replay::<haetae_agentic::domains::finance::Finance>,
            "industrial" => replay::<haetae_agentic::domains::industrial::Industrial>,
            "military" => replay::<haetae_agentic::domains::military::Military>,
            _ => replay::<haetae_agentic::domains::emergency::Emergency>,
        };
        group.bench_function(format!("{}_reference_scripts", d.name), |b| {
            b.iter(|| black_box(run(&loaded)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
