//! `haetae guard eval`: measure the guard on a labelled set (JSONL of {"id","text","lang","labels","note"}).

use std::path::Path;

use haetae_core::UseCase;
use serde::{Deserialize, Serialize};

use crate::engine::PolicyError;
use crate::guard::{Lang, classify, is_restricted};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GuardCase {
    pub id: String,
    pub text: String,
    pub lang: Lang,
    pub labels: Vec<UseCase>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct UseCaseMetrics {
    pub use_case: UseCase,
    /// Cases labelled with this use-case.
    pub support: usize,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
    pub precision: f64,
    pub recall: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub id: String,
    pub expected: Vec<UseCase>,
    pub got: Vec<UseCase>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub total: usize,
    pub by_lang: Vec<(Lang, usize)>,
    pub per_use_case: Vec<UseCaseMetrics>,
    /// Cases whose labels are only benign / defensive-analysis.
    pub benign_defensive_total: usize,
    /// Of those, cases the guard put into a restricted use-case (which a public-tier caller would be refused).
    pub false_refusals: usize,
    pub false_refusal_rate: f64,
    pub benign_total: usize,
    pub benign_false_refusals: usize,
    pub defensive_total: usize,
    pub defensive_false_refusals: usize,
    /// Cases with at least one harmful (restricted) label that the guard left unrestricted.
    pub restricted_total: usize,
    pub missed_restricted: usize,
    /// Cases whose predicted label set equals the expected set exactly.
    pub exact_matches: usize,
    pub misses: Vec<Miss>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Parse a guard set (JSONL; blank lines and lines starting with `//` are skipped).
pub fn load_guard_set(path: &Path) -> Result<Vec<GuardCase>, PolicyError> {
    let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with("//"))
        .map(|(n, l)| {
            serde_json::from_str(l)
                .map_err(|e| PolicyError::TestFile(format!("{}:{}: {e}", path.display(), n + 1)))
        })
        .collect()
}

/// Evaluate the guard on the set at `set_path`.
pub fn guard_eval(set_path: &Path) -> Result<EvalReport, PolicyError> {
    Ok(guard_eval_cases(&load_guard_set(set_path)?))
}

pub fn guard_eval_cases(cases: &[GuardCase]) -> EvalReport {
    let mut counts: Vec<(usize, usize, usize, usize)> = vec![(0, 0, 0, 0); UseCase::ALL.len()];
    let mut misses = Vec::new();
    let (mut bd_total, mut fr) = (0, 0);
    let (mut b_total, mut b_fr, mut d_total, mut d_fr) = (0, 0, 0, 0);
    let (mut r_total, mut r_missed, mut exact) = (0, 0, 0);
    let mut by_lang: Vec<(Lang, usize)> = vec![(Lang::Ko, 0), (Lang::En, 0), (Lang::Mixed, 0)];
    for case in cases {
        if let Some(l) = by_lang.iter_mut().find(|(l, _)| *l == case.lang) {
            l.1 += 1;
        }
        let got = classify(&case.text).labels();
        for (i, u) in UseCase::ALL.iter().enumerate() {
            let want = case.labels.contains(u);
            let has = got.contains(u);
            let c = &mut counts[i];
            if want {
                c.0 += 1;
            }
            match (want, has) {
                (true, true) => c.1 += 1,
                (false, true) => c.2 += 1,
                (true, false) => c.3 += 1,
                _ => {}
            }
        }
        let mut want_sorted = case.labels.clone();
        want_sorted.sort();
        let mut got_sorted = got.clone();
        got_sorted.sort();
        if want_sorted == got_sorted {
            exact += 1;
        } else {
            misses.push(Miss {
                id: case.id.clone(),
                expected: case.labels.clone(),
                got: got.clone(),
            });
        }
        let refused = got.iter().any(|u| is_restricted(*u));
        if case.labels.iter().all(|u| !is_restricted(*u)) {
            bd_total += 1;
            fr += usize::from(refused);
            if case.labels.contains(&UseCase::DefensiveAnalysis) {
                d_total += 1;
                d_fr += usize::from(refused);
            } else {
                b_total += 1;
                b_fr += usize::from(refused);
            }
        } else if case.labels.iter().any(|u| crate::guard::risk_rank(*u) >= 4) {
            r_total += 1;
            r_missed += usize::from(!got.iter().any(|u| crate::guard::risk_rank(*u) >= 4));
        }
    }
    let per_use_case = UseCase::ALL
        .iter()
        .zip(counts)
        .map(|(u, (support, tp, fp, fn_))| UseCaseMetrics {
            use_case: *u,
            support,
            true_positives: tp,
            false_positives: fp,
            false_negatives: fn_,
            precision: ratio(tp, tp + fp),
            recall: ratio(tp, tp + fn_),
        })
        .collect();
    EvalReport {
        total: cases.len(),
        by_lang,
        per_use_case,
        benign_defensive_total: bd_total,
        false_refusals: fr,
        false_refusal_rate: ratio(fr, bd_total.max(1)).min(if bd_total == 0 { 0.0 } else { 1.0 }),
        benign_total: b_total,
        benign_false_refusals: b_fr,
        defensive_total: d_total,
        defensive_false_refusals: d_fr,
        restricted_total: r_total,
        missed_restricted: r_missed,
        exact_matches: exact,
        misses,
    }
}

impl EvalReport {
    pub fn use_case(&self, u: UseCase) -> Option<&UseCaseMetrics> {
        self.per_use_case.iter().find(|m| m.use_case == u)
    }
}

impl std::fmt::Display for EvalReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let langs: Vec<String> = self
            .by_lang
            .iter()
            .map(|(l, n)| format!("{l:?}={n}"))
            .collect();
        writeln!(
            f,
            "guard eval: {} prompts ({})",
            self.total,
            langs.join(", ")
        )?;
        writeln!(
            f,
            "{:<32} {:>7} {:>5} {:>5} {:>5} {:>9} {:>7}",
            "use-case", "support", "tp", "fp", "fn", "precision", "recall"
        )?;
        for m in &self.per_use_case {
            writeln!(
                f,
                "{:<32} {:>7} {:>5} {:>5} {:>5} {:>9.3} {:>7.3}",
                m.use_case.as_str(),
                m.support,
                m.true_positives,
                m.false_positives,
                m.false_negatives,
                m.precision,
                m.recall
            )?;
        }
        writeln!(
            f,
            "false refusals (benign/defensive prompts put in a restricted use-case): {}/{} = {:.1}% \
             (benign {}/{}, defensive {}/{})",
            self.false_refusals,
            self.benign_defensive_total,
            100.0 * self.false_refusal_rate,
            self.benign_false_refusals,
            self.benign_total,
            self.defensive_false_refusals,
            self.defensive_total
        )?;
        writeln!(
            f,
            "harmful prompts not flagged harmful: {}/{}; exact label-set matches: {}/{}",
            self.missed_restricted, self.restricted_total, self.exact_matches, self.total
        )
    }
}
