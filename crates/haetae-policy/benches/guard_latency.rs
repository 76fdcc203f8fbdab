//! Per-request latency distribution of classify + authorise (p50/p90/p99/max), which criterion's mean does
//! not show. Run: `cargo bench -p haetae-policy --bench guard_latency`.

use std::time::Instant;

use haetae_core::{Role, VettingState};
use haetae_policy::policytest::{TEST_NOW, test_principal};
use haetae_policy::{AuthzInput, EngagementStatus, ModelResource, PolicyEngine, classify};

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

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
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
    let units = [
        (
            "mixed ko/en log analysis",
            "아래 웹 로그를 분석해서 SQL 인젝션 공격 시도인지 판단해 줘. \
          10.0.0.5 - - [25/Nov/2026] \"GET /item?id=1' OR '1'='1 HTTP/1.1\" 200 512 \
          Explain whether the attacker succeeded and write a Sigma rule so we can detect it. ",
        ),
        (
            "english exploit request",
            "Write a working exploit for CVE-2024-3400 against 10.20.0.5 and explain each step of the \
          payload, then show how to get a reverse shell from the appliance. ",
        ),
    ];
    println!("| prompt | bytes | p50 µs | p90 µs | p99 µs | max µs | iterations |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (label, unit) in units {
        for size in [1024usize, 16 * 1024] {
            let text = prompt(size, unit);
            let n = if size > 4096 { 2000 } else { 10000 };
            for _ in 0..n / 10 {
                std::hint::black_box(classify(&text));
            }
            let mut us = Vec::with_capacity(n);
            for _ in 0..n {
                let t = Instant::now();
                let c = classify(&text);
                let input = AuthzInput::invoke(
                    principal.clone(),
                    model.clone(),
                    &c,
                    None,
                    EngagementStatus::none(&[]),
                    TEST_NOW,
                );
                std::hint::black_box(engine.decide(&input));
                us.push(t.elapsed().as_secs_f64() * 1e6);
            }
            us.sort_by(f64::total_cmp);
            println!(
                "| {label} | {size} | {:.1} | {:.1} | {:.1} | {:.1} | {n} |",
                percentile(&us, 0.5),
                percentile(&us, 0.9),
                percentile(&us, 0.99),
                us[us.len() - 1]
            );
        }
    }
}
