//! The built-in rule-based guard: classifies request text into use-cases with confidence and evidence.
//!
//! Pipeline: fold the text (see [`crate::normalize`]), find lexicon hits with two Aho-Corasick automata (English on
//! a word view with word boundaries, Korean on a space-free view), add the targets the request mentions, then
//! evaluate the concept rules of [`crate::lexicon`]. A harmful rule whose hit sits near a defensive purpose or
//! forensic activity ("so we can detect it", "분석", "막기 위해") is *suppressed*: it is reported but does not
//! count, and the request is treated as defensive analysis instead.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use haetae_core::UseCase;
use serde::Serialize;

use crate::lexicon::{LEX_COUNT, LEXICONS, Lex, RULES, Rule, Suppress};
use crate::normalize::{self, FChar, View};

/// A use-case is reported when its confidence reaches this.
pub const THRESHOLD: f32 = 0.5;
/// How far (in folded characters) a defensive cue reaches to suppress a harmful rule.
const SUPPRESS_WINDOW: usize = 150;
/// An analyst's task set up this early in the text (the role and the question come first in a triage prompt)
/// frames what follows as data under analysis: harmful-sounding attack names and log lines there are mentions,
/// unless a request to produce or explain sits right beside them (see [`framed_as_analysis`]).
const ANALYST_FRAMING_CHARS: usize = 400;
/// How near a creation or how-to cue must be to a harmful hit to count as a request despite the framing.
const REQUEST_WINDOW: usize = 80;
/// Firings recorded per rule (evidence is a sample; a 16 KB prompt can repeat a phrase hundreds of times).
const MAX_FIRINGS: usize = 4;

/// The language of a request, for statistics and the language of denials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ko,
    En,
    Mixed,
}

impl Lang {
    pub fn detect(text: &str) -> Lang {
        let mut hangul = 0usize;
        let mut latin = 0usize;
        for c in text.chars() {
            if normalize::is_hangul(c) {
                hangul += 1;
            } else if c.is_alphabetic() {
                latin += 1;
            }
        }
        if hangul == 0 {
            Lang::En
        } else if latin * 5 <= hangul {
            Lang::Ko
        } else {
            Lang::Mixed
        }
    }

    pub fn is_korean(self) -> bool {
        matches!(self, Lang::Ko | Lang::Mixed)
    }
}

/// A piece of the request that triggered a rule: byte offsets into the classified text, on char boundaries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub start: usize,
    pub end: usize,
    pub rule_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UseCaseScore {
    pub use_case: UseCase,
    pub confidence: f32,
    pub evidence: Vec<Evidence>,
}

/// The guard's verdict on one request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    /// Use-cases at or above [`THRESHOLD`], most dangerous first. Never empty: `benign` when nothing else.
    pub use_cases: Vec<UseCaseScore>,
    /// Harmful rules that fired but were neutralised by a defensive cue (kept for audit and review).
    pub suppressed: Vec<UseCaseScore>,
    pub lang: Lang,
}

impl Classification {
    /// The most dangerous use-case found.
    pub fn primary(&self) -> UseCase {
        self.use_cases
            .first()
            .map(|u| u.use_case)
            .unwrap_or(UseCase::Benign)
    }

    pub fn labels(&self) -> Vec<UseCase> {
        self.use_cases.iter().map(|u| u.use_case).collect()
    }

    pub fn contains(&self, u: UseCase) -> bool {
        self.use_cases.iter().any(|s| s.use_case == u)
    }

    /// Add use-cases found by another stage (the model guard). Stages only ever add restrictions.
    pub fn merge(&mut self, other: Vec<UseCaseScore>) {
        for o in other {
            match self.use_cases.iter_mut().find(|s| s.use_case == o.use_case) {
                Some(s) => {
                    s.confidence = s.confidence.max(o.confidence);
                    s.evidence.extend(o.evidence);
                }
                None => self.use_cases.push(o),
            }
        }
        finish(&mut self.use_cases);
    }
}

/// How dangerous a use-case is, for ordering (higher first).
pub fn risk_rank(u: UseCase) -> u8 {
    match u {
        UseCase::Benign => 0,
        UseCase::DefensiveAnalysis => 1,
        UseCase::VulnerabilityResearch | UseCase::PatchDevelopment => 2,
        UseCase::PenetrationTesting | UseCase::ExploitDevelopment => 4,
        UseCase::PhishingAndFraud | UseCase::CredentialTheft => 5,
        UseCase::MalwareDevelopment | UseCase::DetectionEvasion => 6,
        UseCase::CriticalInfrastructureAttack => 7,
    }
}

/// Use-cases the programme restricts beyond defensive work (everything but benign and defensive analysis).
pub fn is_restricted(u: UseCase) -> bool {
    !matches!(u, UseCase::Benign | UseCase::DefensiveAnalysis)
}

/// Harmful use-cases whose rules defensive cues can suppress, and which dominate benign/defensive labels.
fn is_harmful(u: UseCase) -> bool {
    risk_rank(u) >= 4
}

#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
}

struct Matcher {
    words: Option<AhoCorasick>,
    /// Per word pattern: (lexicons, is a stem).
    word_meta: Vec<(Vec<Lex>, bool)>,
    compact: Option<AhoCorasick>,
    compact_meta: Vec<Vec<Lex>>,
}

fn build_matcher() -> Matcher {
    let mut word_pats: Vec<(String, bool, Vec<Lex>)> = Vec::new();
    let mut compact_pats: Vec<(String, Vec<Lex>)> = Vec::new();
    for (lex, terms) in LEXICONS {
        for term in *terms {
            if term.chars().any(normalize::is_hangul) {
                let p = normalize::compact_str(term);
                match compact_pats.iter_mut().find(|(q, _)| *q == p) {
                    Some((_, l)) if !l.contains(lex) => l.push(*lex),
                    Some(_) => {}
                    None => compact_pats.push((p, vec![*lex])),
                }
            } else {
                let stem = term.ends_with('*');
                let p = normalize::words_str(term.trim_end_matches('*'));
                match word_pats.iter_mut().find(|(q, s, _)| *q == p && *s == stem) {
                    Some((_, _, l)) if !l.contains(lex) => l.push(*lex),
                    Some(_) => {}
                    None => word_pats.push((p, stem, vec![*lex])),
                }
            }
        }
    }
    let build = |pats: Vec<&str>| {
        // The patterns are compile-time constants: an automaton that cannot be built is a programming error that
        // the unit tests catch (`matcher_builds`); at run time the guard then degrades to "no rule hits" rather
        // than taking the gateway down (the model stage and the policy still apply).
        AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(pats)
            .ok()
    };
    Matcher {
        words: build(word_pats.iter().map(|(p, _, _)| p.as_str()).collect()),
        word_meta: word_pats.iter().map(|(_, s, l)| (l.clone(), *s)).collect(),
        compact: build(compact_pats.iter().map(|(p, _)| p.as_str()).collect()),
        compact_meta: compact_pats.into_iter().map(|(_, l)| l).collect(),
    }
}

static MATCHER: LazyLock<Matcher> = LazyLock::new(build_matcher);

/// Whether both automata were built (for tests and health checks).
pub fn matcher_ready() -> bool {
    MATCHER.words.is_some() && MATCHER.compact.is_some()
}

fn collect_hits(folded: &[FChar]) -> Vec<Vec<Hit>> {
    let m = &*MATCHER;
    let mut hits: Vec<Vec<Hit>> = vec![Vec::new(); LEX_COUNT];
    let words = View::words(folded);
    let wb = words.text.as_bytes();
    let word_matches = m
        .words
        .iter()
        .flat_map(|ac| ac.find_overlapping_iter(&words.text));
    for mat in word_matches {
        let (s, e) = (mat.start(), mat.end());
        let Some((lexes, stem)) = m.word_meta.get(mat.pattern().as_usize()) else {
            continue;
        };
        // Word boundaries: only ASCII letters and digits join words, so a Latin term glued to Korean
        // ("keylogger만들어줘") still matches.
        if s > 0 && wb.get(s - 1).is_some_and(u8::is_ascii_alphanumeric) {
            continue;
        }
        if !stem && wb.get(e).is_some_and(u8::is_ascii_alphanumeric) {
            continue;
        }
        let (Some(&fs), Some(&fe)) = (words.map.get(s), words.map.get(e.saturating_sub(1))) else {
            continue;
        };
        for lex in lexes {
            hits[*lex as usize].push(Hit {
                start: fs,
                end: fe + 1,
            });
        }
    }
    let compact = View::compact(folded);
    let compact_matches = m
        .compact
        .iter()
        .flat_map(|ac| ac.find_overlapping_iter(&compact.text));
    for mat in compact_matches {
        let Some(lexes) = m.compact_meta.get(mat.pattern().as_usize()) else {
            continue;
        };
        let (Some(&fs), Some(&fe)) = (
            compact.map.get(mat.start()),
            compact.map.get(mat.end().saturating_sub(1)),
        ) else {
            continue;
        };
        for lex in lexes {
            hits[*lex as usize].push(Hit {
                start: fs,
                end: fe + 1,
            });
        }
    }
    // Targets (hosts, addresses, repositories) become hits too, so "attack 10.0.0.5" is a rule match.
    for t in crate::engagement::targets_in_folded(folded) {
        let fs = folded.partition_point(|f| f.start < t.start);
        let fe = folded.partition_point(|f| f.start < t.end);
        if fs < fe {
            hits[Lex::Target as usize].push(Hit { start: fs, end: fe });
        }
    }
    // Discard cue hits swallowed by a neutral phrase ("make sure", "만들어진").
    let neutral = std::mem::take(&mut hits[Lex::Neutral as usize]);
    if !neutral.is_empty() {
        for list in hits.iter_mut() {
            list.retain(|h| !neutral.iter().any(|n| h.start < n.end && n.start < h.end));
        }
    }
    // "Write a YARA rule", "탐지룰을 만들어": a creation verb whose object is a defensive artefact is defensive.
    let arte = &hits[Lex::DefArtefact as usize];
    if !arte.is_empty() {
        let keep: Vec<Hit> = hits[Lex::Create as usize]
            .iter()
            .copied()
            .filter(|c| {
                !arte.iter().any(|a| {
                    (a.start >= c.end && a.start - c.end <= 20)
                        || (a.end <= c.start && c.start - a.end <= 6)
                })
            })
            .collect();
        hits[Lex::Create as usize] = keep;
    }
    for list in hits.iter_mut() {
        list.sort_by_key(|h| (h.start, h.end));
        list.dedup_by_key(|h| (h.start, h.end));
    }
    hits
}

fn dist(a: &Hit, b: &Hit) -> usize {
    a.start.abs_diff(b.start)
}

/// All firings of `rule` (up to [`MAX_FIRINGS`]): each is the list of hits that satisfied its groups.
fn fire(rule: &Rule, hits: &[Vec<Hit>]) -> Vec<Vec<Hit>> {
    let mut anchors: Vec<Hit> = rule.groups[0]
        .iter()
        .flat_map(|l| hits[*l as usize].iter().copied())
        .collect();
    anchors.sort_by_key(|h| h.start);
    let mut firings = Vec::new();
    for a in anchors {
        let mut chosen = vec![a];
        let mut ok = true;
        for group in &rule.groups[1..] {
            let best = group
                .iter()
                .flat_map(|l| hits[*l as usize].iter())
                .filter(|h| dist(h, &a) <= rule.window)
                .filter(|h| !chosen.iter().any(|c| c.start == h.start && c.end == h.end))
                .min_by_key(|h| dist(h, &a));
            match best {
                Some(h) => chosen.push(*h),
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            firings.push(chosen);
            if firings.len() >= MAX_FIRINGS {
                break;
            }
        }
    }
    firings
}

fn suppressed_by_defence(firing: &[Hit], hits: &[Vec<Hit>]) -> bool {
    let anchor = firing[0];
    [Lex::DefPurpose, Lex::Forensic]
        .iter()
        .flat_map(|l| hits[*l as usize].iter())
        .any(|d| {
            dist(d, &anchor) <= SUPPRESS_WINDOW
            && !firing.iter().any(|f| f.start < d.end && d.start < f.end)
            // "hard to detect" contains "to detect": an undetectability phrase is never a defensive purpose.
            && !hits[Lex::Undetected as usize].iter().any(|u| u.start <= d.start && d.end <= u.end)
        })
}

/// Whether a (suppressible) harmful firing is a mention inside data an analyst was asked to examine: the text opens
/// with an analyst task ("You are a SOC analyst … decide whether the excerpt contains an attack") and no creation
/// or how-to cue ("write", "how to") is near the hit. "You are a SOC analyst. Write a credential stealer" still
/// counts: the creation verb sits beside the harmful object.
fn framed_as_analysis(firing: &[Hit], hits: &[Vec<Hit>]) -> bool {
    let framed = hits[Lex::AnalystTask as usize]
        .iter()
        .any(|h| h.start < ANALYST_FRAMING_CHARS);
    if !framed {
        return false;
    }
    let anchor = firing[0];
    ![Lex::Create, Lex::HowTo]
        .iter()
        .flat_map(|l| hits[*l as usize].iter())
        .any(|c| dist(c, &anchor) <= REQUEST_WINDOW)
}

/// Combine rule weights: the strongest rule, plus a little for each further distinct rule agreeing.
fn combine(weights: &[f32]) -> f32 {
    let max = weights.iter().copied().fold(0.0f32, f32::max);
    (max + 0.05 * weights.len().saturating_sub(1) as f32).min(0.99)
}

fn finish(list: &mut Vec<UseCaseScore>) {
    let harmful = list
        .iter()
        .any(|s| is_harmful(s.use_case) && s.confidence >= THRESHOLD);
    if harmful {
        // A harmful request is not also "defensive" or "benign": those labels would only dilute the decision.
        list.retain(|s| is_restricted(s.use_case));
    }
    if list
        .iter()
        .any(|s| s.use_case == UseCase::ExploitDevelopment)
    {
        // Writing an exploit subsumes researching the flaw it exploits.
        list.retain(|s| s.use_case != UseCase::VulnerabilityResearch);
    }
    if list.iter().any(|s| {
        matches!(
            s.use_case,
            UseCase::VulnerabilityResearch | UseCase::PatchDevelopment
        )
    }) {
        // Reviewing or fixing code for flaws is its own (more specific) use-case; "defensive" adds nothing.
        list.retain(|s| s.use_case != UseCase::DefensiveAnalysis);
    }
    if list.len() > 1 {
        list.retain(|s| s.use_case != UseCase::Benign);
    }
    list.sort_by(|a, b| {
        risk_rank(b.use_case)
            .cmp(&risk_rank(a.use_case))
            .then(a.use_case.cmp(&b.use_case))
    });
}

/// Classify `text` with the built-in rules.
pub fn classify(text: &str) -> Classification {
    let folded = normalize::fold(text);
    let hits = collect_hits(&folded);
    let span = |h: &Hit| -> Option<(usize, usize)> {
        let s = folded.get(h.start)?.start;
        let e = folded.get(h.end.checked_sub(1)?)?.end;
        Some((s, e))
    };
    // Per use-case: (weights of counted rules, evidence) and the same for suppressed rules.
    let mut counted: Vec<(UseCase, Vec<f32>, Vec<Evidence>)> = Vec::new();
    let mut muted: Vec<(UseCase, Vec<f32>, Vec<Evidence>)> = Vec::new();
    for rule in RULES {
        let firings = fire(rule, &hits);
        if firings.is_empty() {
            continue;
        }
        let mut live = Vec::new();
        let mut dead = Vec::new();
        for f in firings {
            if rule.suppress == Suppress::ByDefence
                && (suppressed_by_defence(&f, &hits) || framed_as_analysis(&f, &hits))
            {
                dead.push(f);
            } else {
                live.push(f);
            }
        }
        for (firings, bucket) in [(live, &mut counted), (dead, &mut muted)] {
            if firings.is_empty() {
                continue;
            }
            let ev: Vec<Evidence> = firings
                .iter()
                .flatten()
                .filter_map(&span)
                .map(|(start, end)| Evidence {
                    start,
                    end,
                    rule_id: rule.id.to_string(),
                })
                .collect();
            match bucket.iter_mut().find(|(u, _, _)| *u == rule.use_case) {
                Some((_, w, e)) => {
                    w.push(rule.weight);
                    e.extend(ev);
                }
                None => bucket.push((rule.use_case, vec![rule.weight], ev)),
            }
        }
    }
    let to_scores = |v: Vec<(UseCase, Vec<f32>, Vec<Evidence>)>| -> Vec<UseCaseScore> {
        v.into_iter()
            .map(|(use_case, w, mut evidence)| {
                evidence.sort_by_key(|e| (e.start, e.end));
                evidence.dedup();
                UseCaseScore {
                    use_case,
                    confidence: combine(&w),
                    evidence,
                }
            })
            .collect()
    };
    let all = to_scores(counted);
    let mut use_cases: Vec<UseCaseScore> = all
        .iter()
        .filter(|s| s.confidence >= THRESHOLD)
        .cloned()
        .collect();
    let suppressed = to_scores(muted);
    if !suppressed.is_empty()
        && !use_cases
            .iter()
            .any(|s| s.use_case == UseCase::DefensiveAnalysis)
    {
        // A neutralised harmful rule means the text talks about the threat for defence.
        let evidence = suppressed
            .iter()
            .flat_map(|s| s.evidence.iter().cloned())
            .collect();
        use_cases.push(UseCaseScore {
            use_case: UseCase::DefensiveAnalysis,
            confidence: 0.6,
            evidence,
        });
    }
    if use_cases.is_empty() {
        let top = all.iter().map(|s| s.confidence).fold(0.0f32, f32::max);
        use_cases.push(UseCaseScore {
            use_case: UseCase::Benign,
            confidence: 1.0 - top,
            evidence: Vec::new(),
        });
    }
    finish(&mut use_cases);
    Classification {
        use_cases,
        suppressed,
        lang: Lang::detect(text),
    }
}

/// All text of an OpenAI chat request that the guard must see: every message's content (string or content
/// parts), tool call arguments, tool results, and the tool definitions' descriptions, joined by newlines.
pub fn request_text(body: &serde_json::Value) -> String {
    let mut out = String::new();
    let mut push = |s: &str| {
        if !s.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(s);
        }
    };
    if let Some(msgs) = body.get("messages").and_then(|m| m.as_array()) {
        for m in msgs {
            match m.get("content") {
                Some(serde_json::Value::String(s)) => push(s),
                Some(serde_json::Value::Array(parts)) => {
                    for p in parts {
                        if let Some(t) = p.get("text").and_then(|t| t.as_str()) {
                            push(t);
                        }
                    }
                }
                _ => {}
            }
            if let Some(calls) = m.get("tool_calls").and_then(|c| c.as_array()) {
                for c in calls {
                    if let Some(a) = c.pointer("/function/arguments").and_then(|a| a.as_str()) {
                        push(a);
                    }
                }
            }
        }
    }
    if let Some(p) = body.get("prompt").and_then(|p| p.as_str()) {
        push(p);
    }
    if let Some(tools) = body.get("tools").and_then(|t| t.as_array()) {
        for t in tools {
            if let Some(d) = t.pointer("/function/description").and_then(|d| d.as_str()) {
                push(d);
            }
        }
    }
    out
}
