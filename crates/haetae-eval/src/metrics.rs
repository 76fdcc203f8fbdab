//! Metrics over scores: mean (accuracy for 0/1 scores) with its standard error and a seeded bootstrap 95%
//! confidence interval, per-category breakdowns from sample metadata, pass@k and pass^k over epochs, and the
//! rate of each tag a scorer puts on its scores (the agentic violation scorer tags the invariants that fired).
//!
//! Epochs are reduced per sample by their mean before mean/stderr/CI, so a sample counts once however many
//! epochs ran (Inspect does the same); pass@k and pass^k use the per-epoch values.

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
    /// k values for pass^k (τ-bench): the chance that k independent trials of a task all pass (each at most the
    /// number of epochs).
    #[serde(default)]
    pub pass_hat_k: Vec<u32>,
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
            pass_hat_k: Vec::new(),
            bootstrap_resamples: d_resamples(),
            seed: 0,
            pass_threshold: d_threshold(),
            all_of: Vec::new(),
        }
    }
}

/// Summary statistics of one set of per-sample values.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
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

/// The unbiased pass^k estimator (τ-bench): C(c, k) / C(n, k), the chance that k of the n attempts drawn
/// without replacement all passed, for n attempts with c passes.
pub fn pass_hat_k(n: u32, c: u32, k: u32) -> f64 {
    if k == 0 || k > n || c > n {
        return f64::NAN;
    }
    if c < k {
        return 0.0;
    }
    // Product form: C(c,k)/C(n,k) = Π_{i=0}^{k−1} (c − i)/(n − i).
    (0..k)
        .map(|i| f64::from(c - i) / f64::from(n - i))
        .product()
}

/// Metrics of one scorer.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ScorerMetrics {
    #[serde(flatten)]
    pub overall: Stat,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pass_at_k: BTreeMap<String, f64>,
    /// `"pass^k"` → the per-task estimates' mean, with a bootstrap CI over tasks (n counts the tasks that ran
    /// at least k epochs).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pass_hat_k: BTreeMap<String, Stat>,
    /// tag → share of this scorer's samples carrying it (each sample's epochs reduced by the mean of 0/1
    /// presence). Only tags that occurred are listed: an absent tag's rate is 0.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, Stat>,
    /// Every tag the scorer can give ([`crate::scorer::Scorer::tag_vocabulary`]), so the release gate can tell a
    /// tag that never occurred (rate 0) from one that cannot occur (a misspelling, which must fail).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tag_vocabulary: Vec<String>,
    /// field → category value → stats.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by: BTreeMap<String, BTreeMap<String, Stat>>,
    /// field → share of groups (samples sharing the field's value) whose members all passed; see
    /// [`MetricsSpec::all_of`]. Samples without the field are left out.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub all_of: BTreeMap<String, Stat>,
    /// field → category → `"pass^k"` → stats: pass^k within each `group_by` category.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pass_hat_k_by: BTreeMap<String, BTreeMap<String, BTreeMap<String, Stat>>>,
    /// field → category → tag → stats: tag rates within each `group_by` category (categories where a tag never
    /// occurred are left out of that tag's map).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags_by: BTreeMap<String, BTreeMap<String, BTreeMap<String, Stat>>>,
}

/// The key a pass^k value is reported under.
pub fn pass_hat_k_key(k: u32) -> String {
    format!("pass^{k}")
}

/// One sample of one scorer: its metadata and its epochs' scores.
struct SampleScores<'a> {
    meta: &'a BTreeMap<String, Value>,
    values: Vec<f64>,
    tags: Vec<&'a [String]>,
}

impl SampleScores<'_> {
    fn reduced(&self) -> f64 {
        mean(&self.values)
    }
    /// The per-task pass^k estimate; NaN when the task ran fewer than k epochs.
    fn pass_hat_k(&self, k: u32, threshold: f64) -> f64 {
        let c = self.values.iter().filter(|&&x| x >= threshold).count() as u32;
        pass_hat_k(self.values.len() as u32, c, k)
    }
    /// Share of epochs whose score carries the tag.
    fn tag_rate(&self, tag: &str) -> f64 {
        let hits = self
            .tags
            .iter()
            .filter(|t| t.iter().any(|x| x == tag))
            .count();
        hits as f64 / self.tags.len().max(1) as f64
    }
}

/// pass^k for each k of the spec over these samples (tasks with fewer than k epochs left out).
fn pass_hat_k_stats(samples: &[&SampleScores<'_>], spec: &MetricsSpec) -> BTreeMap<String, Stat> {
    let mut out = BTreeMap::new();
    for &k in &spec.pass_hat_k {
        let estimates: Vec<f64> = samples
            .iter()
            .map(|s| s.pass_hat_k(k, spec.pass_threshold))
            .filter(|x| !x.is_nan())
            .collect();
        if !estimates.is_empty() {
            out.insert(
                pass_hat_k_key(k),
                stat(&estimates, spec.bootstrap_resamples, spec.seed),
            );
        }
    }
    out
}

/// The rate of every tag that occurs in these samples.
fn tag_stats(samples: &[&SampleScores<'_>], spec: &MetricsSpec) -> BTreeMap<String, Stat> {
    let mut tags: Vec<&str> = samples
        .iter()
        .flat_map(|s| s.tags.iter().flat_map(|t| t.iter().map(String::as_str)))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    tags.into_iter()
        .map(|tag| {
            let rates: Vec<f64> = samples.iter().map(|s| s.tag_rate(tag)).collect();
            (
                tag.to_owned(),
                stat(&rates, spec.bootstrap_resamples, spec.seed),
            )
        })
        .collect()
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
    // scorer → sample id → its epochs
    let mut by_scorer: BTreeMap<&str, BTreeMap<&str, SampleScores>> = BTreeMap::new();
    for r in records {
        for (name, score) in &r.scores {
            let entry = by_scorer
                .entry(name)
                .or_default()
                .entry(r.sample_id.as_str())
                .or_insert_with(|| SampleScores {
                    meta: &r.metadata,
                    values: Vec::new(),
                    tags: Vec::new(),
                });
            entry.values.push(score.value);
            entry.tags.push(&score.tags);
        }
    }
    let mut out = RunMetrics::new();
    for (scorer, samples) in by_scorer {
        let all: Vec<&SampleScores> = samples.values().collect();
        let reduced: Vec<f64> = all.iter().map(|s| s.reduced()).collect();
        let overall = stat(&reduced, spec.bootstrap_resamples, spec.seed);
        let mut pass = BTreeMap::new();
        for &k in &spec.pass_at_k {
            let estimates: Vec<f64> = all
                .iter()
                .map(|s| {
                    let c = s
                        .values
                        .iter()
                        .filter(|&&x| x >= spec.pass_threshold)
                        .count() as u32;
                    pass_at_k(s.values.len() as u32, c, k)
                })
                .filter(|x| !x.is_nan())
                .collect();
            if !estimates.is_empty() {
                pass.insert(format!("pass@{k}"), mean(&estimates));
            }
        }
        let mut by = BTreeMap::new();
        let mut pass_hat_k_by = BTreeMap::new();
        let mut tags_by = BTreeMap::new();
        for field in &spec.group_by {
            let mut groups: BTreeMap<String, Vec<&SampleScores>> = BTreeMap::new();
            for s in &all {
                let label = s
                    .meta
                    .get(field)
                    .map_or_else(|| "(none)".to_owned(), category_label);
                groups.entry(label).or_default().push(s);
            }
            let mut stats = BTreeMap::new();
            let mut hat = BTreeMap::new();
            let mut tags = BTreeMap::new();
            for (label, members) in groups {
                let values: Vec<f64> = members.iter().map(|s| s.reduced()).collect();
                stats.insert(
                    label.clone(),
                    stat(&values, spec.bootstrap_resamples, spec.seed),
                );
                let h = pass_hat_k_stats(&members, spec);
                if !h.is_empty() {
                    hat.insert(label.clone(), h);
                }
                let t = tag_stats(&members, spec);
                if !t.is_empty() {
                    tags.insert(label, t);
                }
            }
            by.insert(field.clone(), stats);
            if !hat.is_empty() {
                pass_hat_k_by.insert(field.clone(), hat);
            }
            if !tags.is_empty() {
                tags_by.insert(field.clone(), tags);
            }
        }
        let mut all_of = BTreeMap::new();
        for field in &spec.all_of {
            let mut groups: BTreeMap<String, bool> = BTreeMap::new();
            for s in &all {
                let Some(label) = s.meta.get(field).map(category_label) else {
                    continue;
                };
                let ok = s.reduced() >= spec.pass_threshold;
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
                pass_hat_k: pass_hat_k_stats(&all, spec),
                tags: tag_stats(&all, spec),
                tag_vocabulary: Vec::new(),
                by,
                all_of,
                pass_hat_k_by,
                tags_by,
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
                    tags: Vec::new(),
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

    fn tagged(id: &str, epoch: u32, value: f64, cat: &str, tags: &[&str]) -> SampleRecord {
        let mut r = rec(id, epoch, value, cat);
        if let Some(s) = r.scores.get_mut("s") {
            s.tags = tags.iter().map(|t| (*t).to_owned()).collect();
        }
        r
    }

    #[test]
    fn pass_hat_k_is_the_unbiased_all_k_estimator() {
        for (n, c, k, want) in [
            (5, 5, 3, 1.0),
            (5, 0, 1, 0.0),
            (5, 2, 1, 0.4),
            // C(2,2)/C(5,2) = 1/10
            (5, 2, 2, 0.1),
            // C(3,2)/C(4,2) = 3/6
            (4, 3, 2, 0.5),
            (5, 1, 2, 0.0),
            (4, 4, 4, 1.0),
            (4, 3, 4, 0.0),
        ] {
            let got = pass_hat_k(n, c, k);
            assert!(
                (got - want).abs() < 1e-12,
                "pass^{k}({n}, {c}) = {got}, want {want}"
            );
        }
        assert!(pass_hat_k(2, 1, 3).is_nan());
        assert!(pass_hat_k(2, 1, 0).is_nan());
        assert!(pass_hat_k(2, 3, 1).is_nan());
    }

    #[test]
    fn compute_reports_pass_hat_k_overall_and_per_category_with_a_seeded_ci() {
        let mut records = Vec::new();
        for (id, cat, values) in [
            ("a", "x", [1.0, 0.0, 1.0, 1.0]),
            ("b", "y", [1.0, 1.0, 1.0, 1.0]),
            ("c", "y", [0.0, 0.0, 0.0, 0.0]),
        ] {
            for (e, v) in values.into_iter().enumerate() {
                records.push(rec(id, e as u32, v, cat));
            }
        }
        // A task with only two epochs has no pass^4 estimate and is left out of it.
        records.push(rec("d", 0, 1.0, "y"));
        records.push(rec("d", 1, 1.0, "y"));
        let spec = MetricsSpec {
            group_by: vec!["category".into()],
            pass_at_k: vec![2],
            pass_hat_k: vec![1, 2, 4],
            seed: 7,
            ..MetricsSpec::default()
        };
        let all = compute(&records, &spec);
        let m = &all["s"];
        // pass^1 is the plain pass rate: a 3/4, b 1, c 0, d 1.
        assert!((m.pass_hat_k["pass^1"].mean - (0.75 + 1.0 + 0.0 + 1.0) / 4.0).abs() < 1e-12);
        // pass^2: a C(3,2)/C(4,2) = 0.5, b 1, c 0, d 1.
        let p2 = &m.pass_hat_k["pass^2"];
        assert_eq!(p2.n, 4);
        assert!((p2.mean - 2.5 / 4.0).abs() < 1e-12);
        assert!(p2.ci_low <= p2.mean && p2.mean <= p2.ci_high && p2.ci_low < p2.ci_high);
        // pass^4: a 0, b 1, c 0; d ran two epochs only.
        let p4 = &m.pass_hat_k["pass^4"];
        assert_eq!(p4.n, 3);
        assert!((p4.mean - 1.0 / 3.0).abs() < 1e-12);
        // pass^k never exceeds pass@k for the same k.
        assert!(p2.mean <= m.pass_at_k["pass@2"]);
        assert_eq!(compute(&records, &spec), all, "same seed, same intervals");
        let y = &m.pass_hat_k_by["category"]["y"];
        assert!((y["pass^2"].mean - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(y["pass^4"].n, 2);
        assert!((m.pass_hat_k_by["category"]["x"]["pass^2"].mean - 0.5).abs() < 1e-12);
        assert!(
            m.tags.is_empty() && m.tags_by.is_empty(),
            "no scores carry tags"
        );
    }

    #[test]
    fn tag_rates_are_shares_of_samples_with_epochs_averaged() {
        let records = vec![
            tagged("a", 0, 1.0, "x", &["invariant:A", "severity:critical"]),
            tagged("a", 1, 0.0, "x", &[]),
            tagged("b", 0, 1.0, "y", &["invariant:B", "severity:high"]),
            tagged("b", 1, 1.0, "y", &["invariant:B", "severity:high"]),
            tagged("c", 0, 0.0, "y", &[]),
            tagged("c", 1, 0.0, "y", &[]),
        ];
        let spec = MetricsSpec {
            group_by: vec!["category".into()],
            ..MetricsSpec::default()
        };
        let m = &compute(&records, &spec)["s"];
        let rate = |t: &str| &m.tags[t];
        assert_eq!(
            rate("invariant:A").n,
            3,
            "every sample of the scorer counts"
        );
        assert!((rate("invariant:A").mean - 0.5 / 3.0).abs() < 1e-12);
        assert!((rate("severity:critical").mean - 0.5 / 3.0).abs() < 1e-12);
        assert!((rate("invariant:B").mean - 1.0 / 3.0).abs() < 1e-12);
        assert!(rate("invariant:B").ci_high >= rate("invariant:B").mean);
        assert_eq!(m.tags.len(), 4);
        let x = &m.tags_by["category"]["x"];
        assert!((x["invariant:A"].mean - 0.5).abs() < 1e-12);
        assert!(!x.contains_key("invariant:B"));
        let y = &m.tags_by["category"]["y"];
        assert_eq!(y["severity:high"].n, 2);
        assert!((y["severity:high"].mean - 0.5).abs() < 1e-12);
    }

    #[test]
    fn metrics_of_older_logs_and_suites_still_parse() {
        let old: ScorerMetrics = serde_json::from_value(json!({
            "n": 3, "mean": 0.5, "stderr": 0.1, "ci_low": 0.2, "ci_high": 0.8,
            "pass_at_k": {"pass@1": 0.5}, "by": {"category": {"x": {"n": 1, "mean": 1.0, "stderr": 0.0,
            "ci_low": 1.0, "ci_high": 1.0}}}
        }))
        .expect("an old footer's metrics parse");
        assert!(old.pass_hat_k.is_empty() && old.tags.is_empty() && old.tags_by.is_empty());
        let spec: MetricsSpec =
            serde_json::from_value(json!({"pass_at_k": [1]})).expect("an old spec parses");
        assert!(spec.pass_hat_k.is_empty());
        let spec: MetricsSpec = serde_json::from_value(json!({"pass_hat_k": [1, 4]})).expect("new");
        assert_eq!(spec.pass_hat_k, vec![1, 4]);
        // Empty new fields stay out of the JSON, so a footer without tags reads as before.
        let text = serde_json::to_value(&old).expect("serialises");
        assert!(text.get("tags").is_none() && text.get("pass_hat_k").is_none());
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

        #[test]
        fn pass_hat_k_is_antitone_in_k_and_below_pass_at_k(n in 1u32..20, c_frac in 0.0f64..=1.0, k in 1u32..20) {
            let c = ((f64::from(n)) * c_frac).floor() as u32;
            proptest::prop_assume!(k < n);
            let h = pass_hat_k(n, c, k);
            proptest::prop_assert!((0.0..=1.0).contains(&h));
            proptest::prop_assert!(pass_hat_k(n, c, k + 1) <= h + 1e-12);
            proptest::prop_assert!(h <= pass_at_k(n, c, k) + 1e-12);
            if k == 1 {
                proptest::prop_assert!((h - pass_at_k(n, c, 1)).abs() < 1e-12);
            }
        }
    }
}
