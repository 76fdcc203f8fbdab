//! Cost of the learned guard stage on a 1 KB and a 16 KB prompt (features + the i8 dot products), and of the
//! language-coverage check. Run: `cargo bench -p haetae-policy --bench classifier`.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use haetae_policy::{classify_learned, coverage};

/// `unit` repeated and cut (on a character boundary) to `bytes`. (Not the shared `support` module: this bench
/// uses none of its Cedar fixture, and an unused half would warn.)
fn prompt(bytes: usize, unit: &str) -> String {
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

const MIXED: &str = "이 랜섬웨어 샘플이 파일을 어떻게 암호화하는지 분석해서 탐지 규칙을 만들어 줘. \
    Write a Sigma rule so we can detect it. ログを確認して。请分析这个日志。 ";

fn bench(c: &mut Criterion) {
    for size in [1024usize, 16 * 1024] {
        let text = prompt(size, MIXED);
        c.bench_function(&format!("classify_learned {size} B"), |b| {
            b.iter(|| classify_learned(black_box(&text)))
        });
        c.bench_function(&format!("coverage {size} B"), |b| {
            b.iter(|| coverage(black_box(&text)))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
