//! Benchmarks: durable appends (fsync on, group commit, 64 concurrent appenders), proof
//! generation at 1M entries, and full-tree verification of 1M entries from entry bundles.
//!
//! Run bounded (shared machines): `cargo bench -p haetae-ledger --bench ledger -- --quick`
//! or with explicit `--sample-size 10 --measurement-time 5`.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use haetae_ledger::merkle::{self, MerkleTree};
use haetae_ledger::tiles;
use haetae_ledger::{Entry, Ledger, LedgerConfig, NoteSigner};

mod support;
use support::entry;

const MILLION: u64 = 1_000_000;

fn bench_append(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let signer = NoteSigner::generate("bench.example/ledger").expect("key");
    let ledger = Ledger::open(dir.path(), LedgerConfig::new(signer)).expect("open");
    let mut g = c.benchmark_group("append_fsync");
    g.throughput(Throughput::Elements(1));
    for appenders in [1u64, 64] {
        g.bench_with_input(
            BenchmarkId::new("concurrent_appenders", appenders),
            &appenders,
            |b, &n| {
                b.iter_custom(|iters| {
                    let ledger = ledger.clone();
                    rt.block_on(async move {
                        let start = Instant::now();
                        let mut set = tokio::task::JoinSet::new();
                        for t in 0..n {
                            let l = ledger.clone();
                            let count = iters / n + u64::from(t < iters % n);
                            set.spawn(async move {
                                for i in 0..count {
                                    l.append(&entry(t * 1_000_000 + i)).await.expect("append");
                                }
                            });
                        }
                        while set.join_next().await.is_some() {}
                        start.elapsed()
                    })
                })
            },
        );
    }
    g.finish();
}

fn million_tree() -> (Vec<Vec<u8>>, MerkleTree) {
    let entries: Vec<Vec<u8>> = (0..MILLION)
        .map(|i| entry(i).encode().expect("encode"))
        .collect();
    let tree = MerkleTree::from_leaves(&entries);
    (entries, tree)
}

fn bench_proofs_and_verify(c: &mut Criterion) {
    let (entries, tree) = million_tree();
    let size = tree.size();
    let mut g = c.benchmark_group("proofs_1m");
    let mut i = 0u64;
    g.bench_function("inclusion_proof", |b| {
        b.iter(|| {
            i = (i + 7919) % size;
            tree.inclusion_proof(i, size).expect("proof")
        })
    });
    let mut j = 1u64;
    g.bench_function("consistency_proof", |b| {
        b.iter(|| {
            j = (j + 104_729) % size + 1;
            tree.consistency_proof(j.min(size - 1), size)
                .expect("proof")
        })
    });
    let root = tree.root();
    let proof = tree.inclusion_proof(123_456, size).expect("proof");
    let leaf = merkle::leaf_hash(&entries[123_456]);
    g.bench_function("verify_inclusion", |b| {
        b.iter(|| merkle::verify_inclusion(123_456, size, &leaf, &proof, &root).expect("verify"))
    });
    g.finish();

    // Full verification as an auditor does it: parse entry bundles, decode every entry,
    // rebuild the tree, compare the root.
    let bundles: Vec<(u16, Vec<u8>)> = entries
        .chunks(256)
        .map(|c| {
            (
                c.len() as u16,
                tiles::encode_entry_bundle(c).expect("bundle"),
            )
        })
        .collect();
    drop(entries);
    let mut g = c.benchmark_group("full_verify_1m");
    g.sample_size(10);
    g.throughput(Throughput::Elements(MILLION));
    g.measurement_time(Duration::from_secs(15));
    g.bench_function("rebuild_from_entry_bundles", |b| {
        b.iter(|| {
            let mut t = MerkleTree::new();
            for (w, bytes) in &bundles {
                for raw in tiles::decode_entry_bundle(bytes, *w).expect("bundle") {
                    Entry::decode(raw).expect("entry");
                    t.push_leaf_hash(merkle::leaf_hash(raw));
                }
            }
            assert_eq!(t.root(), root);
        })
    });
    g.finish();
}

criterion_group!(benches, bench_append, bench_proofs_and_verify);
criterion_main!(benches);
