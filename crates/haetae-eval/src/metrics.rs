//! Metrics over scores: mean (accuracy for 0/1 scores) with its standard error and a seeded bootstrap 95%
//! confidence interval, per-category breakdowns from sample metadata, and pass@k over epochs.
//!
//! Epochs are reduced per sample by their mean before mean/stderr/CI, so a sample counts once however many
//! epochs ran (Inspect does the same); pass@k uses the per-epoch values.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::log::SampleRecord;

/// The `metrics:` section of a suite.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSpec {
    /// Metadata fields to break results down by.
    #[serde(default)]
    pub group_by: Vec<String>,
    /// k values for pass@k (each at most the number of epochs).
    #[serde(default)]
    pub pass_at_k: Vec<u32>,
    #[serde(default = "d_resamples")]
    pub bootstrap_resamples: u32,
    #[serde(default)]
    pub seed: u64,
    /// A per-epoch score at or above this counts as a pass for pass@k.
    #[serde(default = "d_threshold")]
    pub pass_threshold: f64,
    /// Metadata fields that tie samples into groups (e.g. `pair_id` for a vulnerable/patched pair): for each, a
    /// group counts as correct only when every member's score reaches `pass_threshold`, and the metric is the
    /// share of correct groups. A model that answers every item the same way scores 0 here however balanced the
    /// items are.
    #[serde(default)]
    pub all_of: Vec<String>,
}

fn d_resamples() -> u32 {
    1000
}
fn d_threshold() -> f64 {
    1.0
}

impl Default for MetricsSpec {
    fn default() -> Self {
        MetricsSpec {
            group_by: Vec::new(),
            pass_at_k: Vec::new(),
            bootstrap_resamples: d_resamples(),
            seed: 0,
            pass_threshold: d_threshold(),
            all_of: Vec::new(),
        }
    }
}

/// Summary statistics of one set of per-sample values.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Stat {
    pub n: usize,
    pub mean: f64,
    pub stderr: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

/// Standard error of the mean with the sample standard deviation (n − 1); 0 for fewer than two values.
pub fn stderr(values: &[f64]) -> f64 {
    let n = values.len();
    if n < 2 {
        return 0.0;
    }
    let m = mean(values);
    let var = values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1) as f64;
    (var / n as f64).sqrt()
}

/// Percentile bootstrap 95% CI of the mean, reproducible for a given seed.
pub fn bootstrap_ci(values: &[f64], resamples: u32, seed: u64) -> (f64, f64) {
    let n = values.len();
    if n == 0 {
        return (0.0, 0.0);
    }
    if resamples == 0 || n == 1 {
        let m = mean(values);
        return (m, m);
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut means: Vec<f64> = (0..resamples)
        .map(|_| (0..n).map(|_| values[rng.gen_range(0..n)]).sum::<f64>() / n as f64)
        .collect();
    means.sort_by(f64::total_cmp);
    let at = |q: f64| means[((q * (means.len() - 1) as f64).round() as usize).min(means.len() - 1)];
    (at(0.025), at(0.975))
}

pub fn stat(values: &[f64], resamples: u32, seed: u64) -> Stat {
    let (ci_low, ci_high) = bootstrap_ci(values, resamples, seed);
    Stat {
        n: values.len(),
        mean: mean(values),
        stderr: stderr(values),
        ci_low,
        ci_high,
    }
}

/// The unbiased pass@k estimator (Chen et al. 2021): 1 − C(n−c, k) / C(n, k), for n attempts with c passes.
pub fn pass_at_k(n: u32, c: u32, k: u32) -> f64 {
    if k == 0 || k > n {
        return f64::NAN;
    }
    if n - c < k {
        return 1.0;
    }
    // Product form, numerically stable: C(n−c,k)/C(n,k) = Π_{i=n−c+1}^{n} (1 − k/i).
    1.0 - ((n - c + 1)..=n)
        .map(|i| 1.0 - f64::from(k) / f64::from(i))
        .product::<f64>()
}

/// Metrics of one scorer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScorerMetrics {
    #[serde(flatten)]
    pub overall: Stat,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pass_at_k: BTreeMap<String, f64>,
    /// field → category value → stats.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by: BTreeMap<String, BTreeMap<String, Stat>>,
    /// field → share of groups (samples sharing the field's value) whose members all passed; see
    /// [`MetricsSpec::all_of`]. Samples without the field are left out.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub all_of: BTreeMap<String, Stat>,
}

/// Metrics for all scorers of a run.
pub type RunMetrics = BTreeMap<String, ScorerMetrics>;

fn category_label(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Computes every scorer's metrics from sample records (errored samples are excluded: they have no scores).
pub fn compute(records: &[SampleRecord], spec: &MetricsSpec) -> RunMetrics {
    // scorer → sample id → (metadata, per-epoch values)
    type PerSample<'a> = BTreeMap<&'a str, (&'a BTreeMap<String, Value>, Vec<f64>)>;
    let mut by_scorer: BTreeMap<&str, PerSample> = BTreeMap::new();
    for r in records {
        for (name, score) in &r.scores {
            let entry = by_scorer
                .entry(name)
                .or_default()
                .entry(r.sample_id.as_str())
                .or_insert((&r.metadata, Vec::new()));
            entry.1.push(score.value);
        }
    }
    let mut out = RunMetrics::new();
    for (scorer, samples) in by_scorer {
        let reduced: Vec<f64> = samples.values().map(|(_, v)| mean(v)).collect();
        let overall = stat(&reduced, spec.bootstrap_resamples, spec.seed);
        let mut pass = BTreeMap::new();
        for &k in &spec.pass_at_k {
            let estimates: Vec<f64> = samples
                .values()
                .map(|(_, v)| {
                    let c = v.iter().filter(|&&x| x >= spec.pass_threshold).count() as u32;
                    pass_at_k(v.len() as u32, c, k)
                })
                .filter(|x| !x.is_nan())
                .collect();
            if !estimates.is_empty() {
                pass.insert(format!("pass@{k}"), mean(&estimates));
            }
        }
        let mut by = BTreeMap::new();
        for field in &spec.group_by {
            let mut groups: BTreeMap<String, Vec<f64>> = BTreeMap::new();
            for (meta, v) in samples.values() {
                let label = meta
                    .get(field)
                    .map_or_else(|| "(none)".to_owned(), category_label);
                groups.entry(label).or_default().push(mean(v));
            }
            let stats = groups
                .into_iter()
                .map(|(k, v)| (k, stat(&v, spec.bootstrap_resamples, spec.seed)))
                .collect();
            by.insert(field.clone(), stats);
        }
        let mut all_of = BTreeMap::new();
        for field in &spec.all_of {
            let mut groups: BTreeMap<String, bool> = BTreeMap::new();
            for (meta, v) in samples.values() {
                let Some(label) = meta.get(field).map(category_label) else {
                    continue;
                };
                let ok = mean(v) >= spec.pass_threshold;
                *groups.entry(label).or_insert(true) &= ok;
            }
            let values: Vec<f64> = groups
                .values()
                .map(|&ok| if ok { 1.0 } else { 0.0 })
                .collect();
            all_of.insert(
                field.clone(),
                stat(&values, spec.bootstrap_resamples, spec.seed),
            );
        }
        out.insert(
            scorer.to_owned(),
            ScorerMetrics {
                overall,
                pass_at_k: pass,
                by,
                all_of,
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scorer::Score;
    use serde_json::json;

    fn rec(id: &str, epoch: u32, value: f64, cat: &str) -> SampleRecord {
        SampleRecord {
            sample_id: id.into(),
            epoch,
            input: json!("q"),
            target: vec![],
            choices: None,
            metadata: BTreeMap::from([("category".to_owned(), json!(cat))]),
            messages: vec![],
            events: vec![],
            output: String::new(),
            scores: BTreeMap::from([(
                "s".to_owned(),
                Score {
                    value,
                    answer: None,
                    explanation: None,
                },
            )]),
            usage: Default::default(),
            model_calls: 0,
            environment: Value::Null,
            started: String::new(),
            duration_ms: 0,
            error: None,
        }
    }

    #[test]
    fn mean_and_stderr_match_hand_computation() {
        let v = [1.0, 0.0, 1.0, 1.0];
        assert_eq!(mean(&v), 0.75);
        // sample sd = sqrt(0.25) = 0.5 (n-1 = 3: sum of squares 0.75/3); stderr = 0.5 / 2
        assert!((stderr(&v) - 0.25).abs() < 1e-12);
        assert_eq!(stderr(&[1.0]), 0.0);
        assert_eq!(mean(&[]), 0.0);
    }

    #[test]
    fn bootstrap_is_seeded_and_brackets_the_mean() {
        let v: Vec<f64> = (0..200)
            .map(|i| if i % 3 == 0 { 0.0 } else { 1.0 })
            .collect();
        let a = bootstrap_ci(&v, 1000, 42);
        let b = bootstrap_ci(&v, 1000, 42);
        assert_eq!(a, b, "same seed, same interval");
        let m = mean(&v);
        assert!(a.0 < m && m < a.1, "{a:?} around {m}");
        // About mean ± 1.96 × stderr for a large sample.
        let se = stderr(&v);
        assert!(
            (a.1 - a.0 - 2.0 * 1.96 * se).abs() < 0.03,
            "{a:?} vs se {se}"
        );
        assert_eq!(bootstrap_ci(&[0.5], 100, 1), (0.5, 0.5));
    }

    #[test]
    fn pass_at_k_is_the_unbiased_estimator() {
        assert_eq!(pass_at_k(5, 0, 1), 0.0);
        assert_eq!(pass_at_k(5, 5, 3), 1.0);
        assert!((pass_at_k(5, 2, 1) - 0.4).abs() < 1e-12);
        // 1 - C(3,2)/C(5,2) = 1 - 3/10
        assert!((pass_at_k(5, 2, 2) - 0.7).abs() < 1e-12);
        assert_eq!(pass_at_k(4, 1, 4), 1.0);
        assert!(pass_at_k(2, 1, 3).is_nan());
    }

    #[test]
    fn compute_reduces_epochs_groups_categories_and_pass_at_k() {
        let records = vec![
            rec("a", 0, 1.0, "x"),
            rec("a", 1, 0.0, "x"),
            rec("b", 0, 1.0, "y"),
            rec("b", 1, 1.0, "y"),
            rec("c", 0, 0.0, "y"),
            rec("c", 1, 0.0, "y"),
        ];
        let spec = MetricsSpec {
            group_by: vec!["category".into()],
            pass_at_k: vec![1, 2],
            ..MetricsSpec::default()
        };
        let m = &compute(&records, &spec)["s"];
        assert_eq!(m.overall.n, 3);
        assert!((m.overall.mean - 0.5).abs() < 1e-12);
        assert!((m.pass_at_k["pass@1"] - 0.5).abs() < 1e-12);
        // a: 1 of 2 → pass@2 = 1; b: 1; c: 0 → 2/3
        assert!((m.pass_at_k["pass@2"] - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(m.by["category"]["x"].n, 1);
        assert!((m.by["category"]["y"].mean - 0.5).abs() < 1e-12);
    }

    #[test]
    fn all_of_counts_a_group_only_when_every_member_passes() {
        let mut records = vec![
            rec("a-v", 0, 1.0, "x"),
            rec("a-p", 0, 1.0, "x"),
            rec("b-v", 0, 1.0, "x"),
            rec("b-p", 0, 0.0, "x"),
            rec("lone", 0, 1.0, "x"),
        ];
        for (r, pair) in records.iter_mut().zip(["a", "a", "b", "b"]) {
            r.metadata.insert("pair_id".into(), json!(pair));
        }
        let spec = MetricsSpec {
            all_of: vec!["pair_id".into()],
            ..MetricsSpec::default()
        };
        let m = &compute(&records, &spec)["s"];
        let pairs = &m.all_of["pair_id"];
        assert_eq!(pairs.n, 2, "the sample without a pair_id is left out");
        assert!((pairs.mean - 0.5).abs() < 1e-12);
        assert!((m.overall.mean - 0.8).abs() < 1e-12);
    }

    proptest::proptest! {
        #[test]
        fn pass_at_k_is_monotone_in_k_and_bounded(n in 1u32..20, c_frac in 0.0f64..=1.0, k in 1u32..20) {
            let c = ((f64::from(n)) * c_frac).floor() as u32;
            proptest::prop_assume!(k < n);
            let p = pass_at_k(n, c, k);
            let p2 = pass_at_k(n, c, k + 1);
            proptest::prop_assert!((0.0..=1.0).contains(&p));
            proptest::prop_assert!(p2 + 1e-12 >= p);
        }
    }
}
