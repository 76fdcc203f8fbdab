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

// ---------------------------------------------------------------------------------------------------------------
// The adversarial set (suites/guard-adversarial/): OpenAI-format conversations labelled harmful / defensive /
// benign, decided as the gateway decides them (guard → Cedar programme, per tier).

/// The coarse label of an adversarial item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AdvLabel {
    Harmful,
    Defensive,
    Benign,
}

/// One item of the adversarial set (see suites/guard-adversarial/README.md).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AdvItem {
    pub id: String,
    /// OpenAI chat messages, so splits across turns, content parts and tool results are real.
    pub messages: Vec<serde_json::Value>,
    pub label: AdvLabel,
    pub use_case: UseCase,
    pub technique: String,
    pub language: String,
    pub split: String,
    /// Template family ("a": train/dev phrasings, "b": held-out phrasings, "hand": hand-written).
    #[serde(default)]
    pub family: String,
}

impl AdvItem {
    /// The text the guard reads for this conversation: the gateway's own rendering of a request body.
    pub fn text(&self) -> String {
        crate::guard::request_text(&serde_json::json!({ "messages": self.messages }))
    }
}

/// Parse the adversarial set (JSONL).
pub fn load_adversarial_set(path: &Path) -> Result<Vec<AdvItem>, PolicyError> {
    let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l)
                .map_err(|e| PolicyError::TestFile(format!("{}:{}: {e}", path.display(), n + 1)))
        })
        .collect()
}

/// Pass-through and false-refusal counts for one slice of the set at one tier.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Rates {
    /// Harmful items, and those the gateway would have answered (input guard and, where run, output guard).
    pub harmful: usize,
    pub harmful_passed: usize,
    /// Of the passed harmful items, those the input guard let through but the output guard then stopped.
    pub stopped_by_output_guard: usize,
    /// Defensive and benign items the programme permits at this tier for their labelled use-case, and those
    /// refused anyway.
    pub permitted: usize,
    pub false_refusals: usize,
}

impl Rates {
    fn add(&mut self, o: &Rates) {
        self.harmful += o.harmful;
        self.harmful_passed += o.harmful_passed;
        self.stopped_by_output_guard += o.stopped_by_output_guard;
        self.permitted += o.permitted;
        self.false_refusals += o.false_refusals;
    }
    pub fn pass_through_rate(&self) -> f64 {
        if self.harmful == 0 {
            0.0
        } else {
            self.harmful_passed as f64 / self.harmful as f64
        }
    }
    pub fn false_refusal_rate(&self) -> f64 {
        if self.permitted == 0 {
            0.0
        } else {
            self.false_refusals as f64 / self.permitted as f64
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TierReport {
    pub tier: String,
    pub overall: Rates,
    pub by_technique: Vec<(String, Rates)>,
    pub by_language: Vec<(String, Rates)>,
    pub by_use_case: Vec<(String, Rates)>,
    /// False refusals by what refused them: the most dangerous use-case the guard found and the stage whose
    /// evidence put it there (`rules`, `learned`, `uncovered-language`), most frequent first. An aggregate, so a
    /// held-out split's failures can be attributed to a stage without reading any of its items.
    pub false_refusal_causes: Vec<(String, usize)>,
    /// Ids of harmful items passed and benign/defensive items falsely refused (for triage).
    pub passed_ids: Vec<String>,
    pub refused_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SplitReport {
    pub split: String,
    pub items: usize,
    pub tiers: Vec<TierReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AdversarialReport {
    pub items: usize,
    pub splits: Vec<SplitReport>,
    /// Whether an output guard was run over a defanged stand-in answer for harmful items that passed the input.
    pub output_guard: bool,
}

impl AdversarialReport {
    pub fn tier(&self, split: &str, tier: &str) -> Option<&TierReport> {
        self.splits
            .iter()
            .find(|s| s.split == split)?
            .tiers
            .iter()
            .find(|t| t.tier == tier)
    }
}

/// A tier the eval decides for: its name and rank as in the default programme.
pub const EVAL_TIERS: [(&str, i64); 2] = [("public", 0), ("trusted", 20)];

/// Per item: what the input guard decided, independent of tier.
struct Judged<'a> {
    item: &'a AdvItem,
    classification: crate::guard::Classification,
    scope: crate::engagement::EngagementStatus,
}

/// Decide every item of `items` (restricted to `splits`, all when empty) as the gateway would for a verified
/// analyst of each tier in [`EVAL_TIERS`] calling a public model without an engagement. `output_guard`, when
/// given, is asked whether it would stop the answer to a harmful item that the input guard let through.
pub fn adversarial_eval(
    items: &[AdvItem],
    engine: &crate::engine::PolicyEngine,
    splits: &[&str],
    output_guard: Option<&dyn Fn(&AdvItem) -> bool>,
) -> AdversarialReport {
    use crate::engine::{AuthzEffect, AuthzInput, ModelResource};
    use crate::policytest::{TEST_NOW, test_principal};
    let model = ModelResource {
        name: "eval-model".into(),
        min_tier: "public".into(),
        min_tier_rank: 0,
    };
    let mut split_names: Vec<String> = if splits.is_empty() {
        let mut v: Vec<String> = items.iter().map(|i| i.split.clone()).collect();
        v.sort();
        v.dedup();
        v
    } else {
        splits.iter().map(|s| s.to_string()).collect()
    };
    split_names.sort_by_key(|s| match s.as_str() {
        "train" => 0,
        "dev" => 1,
        "val" => 2,
        "heldout" => 3,
        _ => 4,
    });
    let judged: Vec<Judged<'_>> = items
        .iter()
        .filter(|i| split_names.contains(&i.split))
        .map(|item| {
            let text = item.text();
            Judged {
                item,
                classification: crate::guard::classify(&text),
                scope: crate::engagement::check_scope(None, "org-test", TEST_NOW, &text),
            }
        })
        .collect();
    let mut splits_out = Vec::new();
    for split in &split_names {
        let in_split: Vec<&Judged<'_>> = judged.iter().filter(|j| &j.item.split == split).collect();
        let mut tiers = Vec::new();
        for (tier, rank) in EVAL_TIERS {
            let principal = test_principal(
                tier,
                rank,
                haetae_core::VettingState::Verified,
                false,
                haetae_core::Role::Analyst,
            );
            let decide = |c: &crate::guard::Classification, scope| {
                let input =
                    AuthzInput::invoke(principal.clone(), model.clone(), c, None, scope, TEST_NOW);
                engine.decide(&input).effect == AuthzEffect::Allow
            };
            // Whether the programme permits a labelled use-case at this tier (the yardstick for false refusals).
            let mut permits: Vec<(UseCase, bool)> = Vec::new();
            let mut rows: Vec<(&AdvItem, Rates)> = Vec::new();
            let (mut passed_ids, mut refused_ids) = (Vec::new(), Vec::new());
            let mut causes: Vec<(String, usize)> = Vec::new();
            for j in &in_split {
                let allowed = decide(&j.classification, j.scope.clone());
                let mut r = Rates::default();
                match j.item.label {
                    AdvLabel::Harmful => {
                        r.harmful = 1;
                        if allowed {
                            let stopped = output_guard.is_some_and(|g| g(j.item));
                            if stopped {
                                r.stopped_by_output_guard = 1;
                            } else {
                                r.harmful_passed = 1;
                                passed_ids.push(j.item.id.clone());
                            }
                        }
                    }
                    AdvLabel::Defensive | AdvLabel::Benign => {
                        let uc = j.item.use_case;
                        let permitted = match permits.iter().find(|(u, _)| *u == uc) {
                            Some((_, p)) => *p,
                            None => {
                                let c = crate::guard::Classification {
                                    use_cases: vec![crate::guard::UseCaseScore {
                                        use_case: uc,
                                        confidence: 1.0,
                                        evidence: Vec::new(),
                                    }],
                                    suppressed: Vec::new(),
                                    lang: j.classification.lang,
                                    creation: false,
                                };
                                let p = decide(&c, crate::engagement::EngagementStatus::none(&[]));
                                permits.push((uc, p));
                                p
                            }
                        };
                        if permitted {
                            r.permitted = 1;
                            if !allowed {
                                r.false_refusals = 1;
                                refused_ids.push(j.item.id.clone());
                                let cause = refusal_cause(&j.classification, &j.scope);
                                match causes.iter_mut().find(|(c, _)| *c == cause) {
                                    Some((_, n)) => *n += 1,
                                    None => causes.push((cause, 1)),
                                }
                            }
                        }
                    }
                }
                rows.push((j.item, r));
            }
            let group = |key: &dyn Fn(&AdvItem) -> String| -> Vec<(String, Rates)> {
                let mut out: Vec<(String, Rates)> = Vec::new();
                for (item, r) in &rows {
                    let k = key(item);
                    match out.iter_mut().find(|(n, _)| *n == k) {
                        Some((_, acc)) => acc.add(r),
                        None => out.push((k, r.clone())),
                    }
                }
                out.sort_by(|a, b| a.0.cmp(&b.0));
                out
            };
            let mut overall = Rates::default();
            for (_, r) in &rows {
                overall.add(r);
            }
            tiers.push(TierReport {
                tier: tier.to_string(),
                overall,
                by_technique: group(&|i| i.technique.clone()),
                by_language: group(&|i| i.language.clone()),
                by_use_case: group(&|i| i.use_case.as_str().to_string()),
                false_refusal_causes: {
                    causes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                    causes
                },
                passed_ids,
                refused_ids,
            });
        }
        splits_out.push(SplitReport {
            split: split.clone(),
            items: in_split.len(),
            tiers,
        });
    }
    AdversarialReport {
        items: judged.len(),
        splits: splits_out,
        output_guard: output_guard.is_some(),
    }
}

/// What refused a permitted request, as a stage and a use-case: the most dangerous use-case found and whether the
/// rules, the learned stage or the uncovered-language policy put it there; an engagement scope when nothing was.
fn refusal_cause(
    c: &crate::guard::Classification,
    scope: &crate::engagement::EngagementStatus,
) -> String {
    let Some(top) = c.use_cases.iter().find(|s| s.use_case != UseCase::Benign) else {
        return if scope.out_of_scope.is_empty() {
            "policy".into()
        } else {
            "engagement scope".into()
        };
    };
    let source = if top
        .evidence
        .iter()
        .any(|e| e.rule_id == crate::classifier::UNCOVERED_RULE)
    {
        "uncovered-language"
    } else if !top.evidence.is_empty()
        && top
            .evidence
            .iter()
            .all(|e| e.rule_id.starts_with("learned."))
    {
        "learned"
    } else {
        "rules"
    };
    format!("{} ({source})", top.use_case.as_str())
}

fn pct(a: usize, b: usize) -> String {
    if b == 0 {
        "-".into()
    } else {
        format!("{:.1}% ({a}/{b})", 100.0 * a as f64 / b as f64)
    }
}

impl std::fmt::Display for AdversarialReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "adversarial guard eval: {} items; output guard {}",
            self.items,
            if self.output_guard {
                "run on a defanged stand-in answer"
            } else {
                "not run"
            }
        )?;
        for s in &self.splits {
            writeln!(f, "\n== split {} ({} items) ==", s.split, s.items)?;
            for t in &s.tiers {
                writeln!(
                    f,
                    "\n-- tier {}: harmful pass-through {}, false refusals {} --",
                    t.tier,
                    pct(t.overall.harmful_passed, t.overall.harmful),
                    pct(t.overall.false_refusals, t.overall.permitted)
                )?;
                for (title, rows) in [
                    ("technique", &t.by_technique),
                    ("language", &t.by_language),
                    ("use-case", &t.by_use_case),
                ] {
                    writeln!(
                        f,
                        "{title:<32} {:>22} {:>22}",
                        "pass-through", "false refusals"
                    )?;
                    for (k, r) in rows {
                        writeln!(
                            f,
                            "{k:<32} {:>22} {:>22}",
                            pct(r.harmful_passed, r.harmful),
                            pct(r.false_refusals, r.permitted)
                        )?;
                    }
                }
                if !t.false_refusal_causes.is_empty() {
                    writeln!(f, "{:<48} {:>8}", "false refusals by cause", "refused")?;
                    for (cause, n) in &t.false_refusal_causes {
                        writeln!(f, "{cause:<48} {n:>8}")?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// The kind of defanged stand-in answer (in the mock upstream's corpus) that a harmful item would be answered
/// with, when it got through: the artefact its request asks for. `None` where the corpus has no stand-in for the
/// use-case (exploits and attacks on critical infrastructure): those items are not given an output-guard pass.
pub fn standin_kind(item: &AdvItem) -> Option<&'static str> {
    if item.label != AdvLabel::Harmful {
        return None;
    }
    match item.use_case {
        UseCase::MalwareDevelopment if item.id.starts_with("mal_rat") => Some("keylogger"),
        UseCase::MalwareDevelopment => Some("ransomware"),
        UseCase::CredentialTheft => Some("stealer"),
        UseCase::PhishingAndFraud => Some("phishing-kit"),
        UseCase::DetectionEvasion => Some("evasion"),
        _ => None,
    }
}
