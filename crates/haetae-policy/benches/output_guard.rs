//! The output guard's cost per streamed token, against a same-run baseline, and on a whole 4 KB answer.
//! Run: `cargo bench -p haetae-policy --bench output_guard`.
//!
//! A streamed token is a ~4-character delta. The baseline pushes the same deltas into a plain `String` (what any
//! proxy that keeps the answer does anyway), so the difference is the guard's own cost. The answer is benign (the
//! look-alike corpus, mixed Korean/English prose and code, cut to 4 KB) so the scanner runs to the end instead of
//! stopping at a block.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use haetae_policy::OutputGuard;
use std::hint::black_box;

const ANSWER_BYTES: usize = 4096;
const DELTA_CHARS: usize = 4;

fn answer() -> String {
    let mut text = String::new();
    let benign: Vec<&str> = haetae_mock::samples()
        .iter()
        .filter(|s| !s.harmful)
        .map(|s| s.text)
        .collect();
    'fill: loop {
        for t in &benign {
            for c in t.chars() {
                if text.len() + c.len_utf8() > ANSWER_BYTES {
                    break 'fill;
                }
                text.push(c);
            }
        }
    }
    text
}

fn deltas(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(DELTA_CHARS)
        .map(|c| c.iter().collect())
        .collect()
}

fn bench(c: &mut Criterion) {
    let guard = OutputGuard::new();
    let text = answer();
    assert!(
        guard.scan_whole(&text).is_none(),
        "the bench answer must pass"
    );
    let deltas = deltas(&text);

    let mut g = c.benchmark_group("output_guard_stream");
    g.throughput(Throughput::Elements(deltas.len() as u64));
    g.bench_function("baseline_string_push", |b| {
        b.iter(|| {
            let mut s = String::new();
            for d in &deltas {
                s.push_str(black_box(d));
            }
            black_box(s.len())
        })
    });
    g.bench_function("scanner_push", |b| {
        b.iter(|| {
            let mut scanner = guard.scanner();
            for d in &deltas {
                black_box(scanner.push(black_box(d)));
            }
            black_box(scanner.finish())
        })
    });
    g.finish();

    let mut g = c.benchmark_group("output_guard_whole");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("scan_whole_4k", |b| {
        b.iter(|| black_box(guard.scan_whole(black_box(&text))))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
