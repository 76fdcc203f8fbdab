//! The output guard: classifies what the model *answers*, so that a request that slipped past the input guard
//! (obfuscated, split, framed) still cannot carry a working malicious artefact back to the caller.
//!
//! It detects artefacts, not topics. An answer that explains ransomware, or a YARA rule that lists `CryptEncrypt`
//! and `vssadmin delete shadows`, passes; an answer that *is* an encryptor, a credential stealer, a phishing kit, an
//! evasion payload or a keylogger with exfiltration is blocked. The unit of evidence is a *capability signal*
//! (see [`signals`]): a literal in the form code uses it (`os.walk(`, `Login Data`, `VirtualAllocEx(`,
//! `api.telegram.org/bot`). A rule is the *shape* of one artefact: several capability groups that must co-occur
//! within a region of the answer, some of them required, scored with weights so that one API name never decides
//! alone. A capability counts only beside code syntax (an artefact is code; an explanation is prose, and what it
//! names counts as a mention), a detection rule's own strings count as mentions too, and detection context (YARA or
//! Sigma syntax, a SIEM query, "detect", "탐지") lowers the score — by a bounded amount, so that asking for "a YARA
//! rule too" cannot launder a complete encryptor.
//!
//! # Streaming
//! One [`OutputScanner`] per stream. Its memory is bounded and its cost per byte constant:
//! - the text is folded byte by byte (whitespace runs become one space, backslash runs one `/`, `\"` a quote — so
//!   code inside JSON-escaped tool-call arguments reads like code in a fenced block) and fed one byte at a time to
//!   an Aho-Corasick DFA whose state is kept between deltas. A signal split across any number of deltas is matched
//!   exactly as in the whole text, and a 4-byte delta costs four table lookups — no re-scan of an overlap window.
//! - instead of keeping the last 8 KB of text, the scanner keeps, per signal, its count over the whole answer and
//!   the offset where it last occurred. "Is this capability present in the last 8 KB" is then `pos - last ≤ 8 KB`,
//!   which is exactly what a rolling 8 KB window would answer, in O(signals) memory. Signals seen earlier than the
//!   region still count, at a discount, so an artefact spread over a long answer is still seen.
//! - rules are evaluated when a signal matches (signals are sparse), not per byte. Every decision is a function of
//!   the sequence of (signal, offset) pairs, so how the answer is split into deltas never changes the verdict, and
//!   [`OutputGuard::scan_whole`] is the same scan in one piece.

mod signals;

use std::sync::{Arc, LazyLock};

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};
use haetae_core::UseCase;
use serde::Serialize;

use signals::{CODE_MIN_DISTINCT, DAMPEN, Group, REQUIRED_MIN, RULES, all_signals};

/// The region within which capabilities count fully as co-occurring (folded bytes).
const REGION: u64 = 8 * 1024;
/// Weight of a signal last seen before the region: still part of the answer, less likely the same artefact.
const FAR: f32 = 0.6;
/// Each further distinct signal of a group in the region adds this (a chain of injection calls is stronger
/// evidence than one), up to `GROUP_CAP`.
const BONUS: f32 = 0.15;
const GROUP_CAP: f32 = 1.5;
const NEVER: u64 = u64::MAX;
/// A capability named within this many folded bytes after detection-rule syntax (`strings:`, `detection:`,
/// `index=`, …) is a rule's string, not the artefact's code: it counts as a mention, at `MENTION` of its weight.
/// Scoping the discount to where the rule stands (instead of discounting the whole answer) is what keeps "also
/// write a YARA rule for it" from laundering an artefact written before or far from the rule.
const DETECT_SPAN: u64 = 1024;
const MENTION: f32 = 0.3;
/// A capability counts as operational only with code syntax (`);`, ` = `, `import `, …) at most this many folded
/// bytes before it; otherwise it is prose naming the thing (a mention). Code carries such syntax on nearly every
/// line; an explanation, even one that names a whole injection chain, does not — and a region-wide test alone would
/// let a prose chain borrow the code of an unrelated snippet next to it.
const CODE_SPAN: u64 = 320;
const N_GROUPS: usize = Group::DetectProse as usize + 1;
const _: () = assert!(N_GROUPS <= 64, "group bitmask is a u64");
const CONTEXT_GROUPS: [usize; 3] = [
    Group::Code as usize,
    Group::DetectRule as usize,
    Group::DetectProse as usize,
];

/// Why an answer was stopped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputBlock {
    pub use_case: UseCase,
    /// The artefact rule that fired, e.g. `output.ransomware`.
    pub rule_id: String,
    /// 0.5..=0.99, from how far the score passed the rule's threshold.
    pub confidence: f32,
}

struct SignalInfo {
    group: usize,
    weight: f32,
}

struct Engine {
    dfa: DFA,
    start: StateID,
    /// Pattern id → the signals it is evidence of (a literal can serve several groups).
    by_pattern: Vec<Vec<u16>>,
    signals: Vec<SignalInfo>,
    /// Group → its signals.
    group_signals: Vec<Vec<u16>>,
}

impl Engine {
    fn build() -> Result<Engine, String> {
        let mut patterns: Vec<String> = Vec::new();
        let mut by_pattern: Vec<Vec<u16>> = Vec::new();
        let mut signals = Vec::new();
        let mut group_signals = vec![Vec::new(); N_GROUPS];
        for (i, sig) in all_signals().enumerate() {
            let id = u16::try_from(i).map_err(|_| "too many signals".to_string())?;
            let pat = sig.pattern.to_ascii_lowercase();
            match patterns.iter().position(|p| *p == pat) {
                Some(p) => by_pattern[p].push(id),
                None => {
                    patterns.push(pat);
                    by_pattern.push(vec![id]);
                }
            }
            let group = sig.group as usize;
            group_signals[group].push(id);
            signals.push(SignalInfo {
                group,
                weight: sig.weight,
            });
        }
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        let start = dfa.start_state(Anchored::No).map_err(|e| e.to_string())?;
        Ok(Engine {
            dfa,
            start,
            by_pattern,
            signals,
            group_signals,
        })
    }
}

static ENGINE: LazyLock<Result<Arc<Engine>, String>> =
    LazyLock::new(|| Engine::build().map(Arc::new));

/// The output guard with the built-in artefact rules. Cheap to clone.
#[derive(Clone)]
pub struct OutputGuard {
    engine: Option<Arc<Engine>>,
}

impl Default for OutputGuard {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for OutputGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutputGuard")
            .field("ready", &self.engine.is_some())
            .finish()
    }
}

impl OutputGuard {
    /// The built-in rules. If they could not be compiled (a bug caught by the tests), every answer is blocked:
    /// a stage that cannot decide refuses.
    pub fn new() -> Self {
        OutputGuard {
            engine: ENGINE.as_ref().ok().cloned(),
        }
    }

    /// Classifies a whole (non-streamed) answer: the same scan as a stream given in one delta.
    pub fn scan_whole(&self, text: &str) -> Option<OutputBlock> {
        let mut scanner = self.scanner();
        scanner.push(text).or_else(|| scanner.finish())
    }

    /// A scanner for one stream (content deltas and tool-call argument deltas alike, in arrival order).
    pub fn scanner(&self) -> OutputScanner {
        let (n, state) = match &self.engine {
            Some(e) => (e.signals.len(), e.start),
            None => (0, StateID::ZERO),
        };
        OutputScanner {
            engine: self.engine.clone(),
            state,
            pos: 0,
            pending_backslash: false,
            last_space: false,
            last_seen: vec![NEVER; n],
            last_mention: vec![NEVER; n],
            last_rule_syntax: NEVER,
            last_code: NEVER,
            operational: 0,
            counts: vec![0; n],
            code_pending: false,
            blocked: None,
        }
    }
}

/// The streaming state for one answer. Once it blocks, every later call returns the same block.
pub struct OutputScanner {
    engine: Option<Arc<Engine>>,
    state: StateID,
    /// Folded bytes consumed so far.
    pos: u64,
    pending_backslash: bool,
    last_space: bool,
    /// Per signal: folded offset of its last occurrence (`NEVER` if none).
    last_seen: Vec<u64>,
    /// Per signal: folded offset of its last occurrence inside a detection rule (see `DETECT_SPAN`).
    last_mention: Vec<u64>,
    /// Folded offset of the last detection-rule syntax.
    last_rule_syntax: u64,
    /// Folded offset of the last code syntax.
    last_code: u64,
    /// Bit per group: an operational (not mention) occurrence was seen in the answer.
    operational: u64,
    /// Per signal: occurrences over the whole answer.
    counts: Vec<u32>,
    /// A rule had its capabilities but the region was not (yet) code: re-evaluate on the next code signal.
    code_pending: bool,
    blocked: Option<OutputBlock>,
}

impl std::fmt::Debug for OutputScanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutputScanner")
            .field("pos", &self.pos)
            .field("blocked", &self.blocked)
            .finish()
    }
}

fn unavailable() -> OutputBlock {
    OutputBlock {
        use_case: UseCase::MalwareDevelopment,
        rule_id: "output.guard-unavailable".into(),
        confidence: 1.0,
    }
}

impl OutputScanner {
    /// Scans one streamed delta. Returns the block as soon as the answer so far is an artefact.
    pub fn push(&mut self, delta: &str) -> Option<OutputBlock> {
        if self.blocked.is_some() {
            return self.blocked.clone();
        }
        let Some(engine) = self.engine.clone() else {
            self.blocked = Some(unavailable());
            return self.blocked.clone();
        };
        for &b in delta.as_bytes() {
            if self.fold(&engine, b) {
                return self.blocked.clone();
            }
        }
        None
    }

    /// Ends the stream. Returns the block if the answer was (or became, with the last bytes) an artefact.
    pub fn finish(&mut self) -> Option<OutputBlock> {
        if self.blocked.is_none() {
            match self.engine.clone() {
                Some(engine) => {
                    if std::mem::take(&mut self.pending_backslash) {
                        self.step(&engine, b'/');
                    }
                }
                None => self.blocked = Some(unavailable()),
            }
        }
        self.blocked.clone()
    }

    /// Occurrences of signals over the whole answer so far (for diagnostics and tests).
    pub fn signals_seen(&self) -> u64 {
        self.counts.iter().map(|&c| u64::from(c)).sum()
    }

    /// Folds one input byte into zero, one or two automaton bytes. Returns true once blocked.
    fn fold(&mut self, engine: &Engine, b: u8) -> bool {
        if b == b'\\' {
            self.pending_backslash = true;
            return false;
        }
        if std::mem::take(&mut self.pending_backslash) {
            if b == b'"' || b == b'\'' {
                return self.step(engine, b);
            }
            if self.step(engine, b'/') {
                return true;
            }
        }
        if b.is_ascii_whitespace() {
            if self.last_space {
                return false;
            }
            return self.step(engine, b' ');
        }
        self.step(engine, b)
    }

    fn step(&mut self, engine: &Engine, b: u8) -> bool {
        self.last_space = b == b' ';
        self.state = engine.dfa.next_state(Anchored::No, self.state, b);
        self.pos += 1;
        if !(engine.dfa.is_special(self.state) && engine.dfa.is_match(self.state)) {
            return false;
        }
        let mut evaluate = false;
        for i in 0..engine.dfa.match_len(self.state) {
            let pid = engine.dfa.match_pattern(self.state, i);
            for &sig in &engine.by_pattern[pid.as_usize()] {
                let sig = usize::from(sig);
                let group = engine.signals[sig].group;
                let capability = !CONTEXT_GROUPS.contains(&group);
                let in_rule = self.last_rule_syntax != NEVER
                    && self.pos - self.last_rule_syntax <= DETECT_SPAN;
                let in_code = self.last_code != NEVER && self.pos - self.last_code <= CODE_SPAN;
                if capability && (in_rule || !in_code) {
                    self.last_mention[sig] = self.pos;
                } else {
                    self.last_seen[sig] = self.pos;
                    self.operational |= 1 << group;
                }
                if group == Group::DetectRule as usize {
                    self.last_rule_syntax = self.pos;
                }
                if group == Group::Code as usize {
                    self.last_code = self.pos;
                }
                self.counts[sig] = self.counts[sig].saturating_add(1);
                // Code syntax is frequent; it only matters when a rule waits for it.
                evaluate |= engine.signals[sig].group != Group::Code as usize || self.code_pending;
            }
        }
        if evaluate {
            self.blocked = self.evaluate(engine);
        }
        self.blocked.is_some()
    }

    /// The value of one capability group at the current position: its strongest signal (discounted if seen only
    /// before the region), plus a little for each further distinct signal in the region.
    fn group_value(&self, engine: &Engine, group: Group) -> f32 {
        let region_start = self.pos.saturating_sub(REGION);
        let mut best = 0f32;
        let mut distinct = 0u32;
        for &sig in &engine.group_signals[group as usize] {
            let weight = engine.signals[usize::from(sig)].weight;
            let mention = self.last_mention[usize::from(sig)];
            if mention != NEVER && mention >= region_start {
                best = best.max(weight * MENTION);
            }
            let last = self.last_seen[usize::from(sig)];
            if last == NEVER {
                continue;
            }
            if last >= region_start {
                distinct += 1;
                best = best.max(weight);
            } else {
                best = best.max(weight * FAR);
            }
        }
        (best + BONUS * distinct.saturating_sub(1) as f32).min(GROUP_CAP)
    }

    fn code_in_region(&self, engine: &Engine) -> bool {
        let region_start = self.pos.saturating_sub(REGION);
        engine.group_signals[Group::Code as usize]
            .iter()
            .filter(|&&sig| {
                let last = self.last_seen[usize::from(sig)];
                last != NEVER && last >= region_start
            })
            .count()
            >= CODE_MIN_DISTINCT
    }

    /// Per rule at the current position: (id, requirements met, code in region, score after dampening).
    #[cfg(test)]
    fn explain(&self) -> Vec<(&'static str, bool, bool, f32)> {
        let Some(engine) = self.engine.as_deref() else {
            return Vec::new();
        };
        let value = |g: Group| self.group_value(engine, g);
        let dampen: f32 = DAMPEN.iter().map(|&(g, w)| w * value(g).min(1.0)).sum();
        RULES
            .iter()
            .map(|rule| {
                let meets = rule
                    .required
                    .iter()
                    .all(|any| any.iter().any(|&g| value(g) >= REQUIRED_MIN));
                let positive: f32 = rule.groups.iter().map(|&(g, w)| w * value(g)).sum();
                let against: f32 = rule.against.iter().map(|&(g, w)| w * value(g)).sum();
                (
                    rule.id,
                    meets,
                    self.code_in_region(engine),
                    positive - against - dampen,
                )
            })
            .collect()
    }

    fn evaluate(&mut self, engine: &Engine) -> Option<OutputBlock> {
        // Exact prefilter: a requirement needs an operational occurrence of one of its groups (a mention is worth
        // at most 0.3 < REQUIRED_MIN), so a rule whose requirements were never touched cannot fire. Most benign
        // text stops here, which keeps the cost per token flat.
        let possible = RULES.iter().any(|rule| {
            rule.required
                .iter()
                .all(|any| any.iter().any(|&g| self.operational & (1 << g as u32) != 0))
        });
        if !possible {
            self.code_pending = false;
            return None;
        }
        // Group values are computed once per evaluation.
        let mut cache = [f32::NAN; N_GROUPS];
        let mut value = |g: Group| {
            let slot = &mut cache[g as usize];
            if slot.is_nan() {
                *slot = self.group_value(engine, g);
            }
            *slot
        };
        let mut code: Option<bool> = None;
        let mut code_pending = false;
        let mut dampen: Option<f32> = None;
        let mut found: Option<OutputBlock> = None;
        for rule in RULES {
            let meets = rule
                .required
                .iter()
                .all(|any| any.iter().any(|&g| value(g) >= REQUIRED_MIN));
            if !meets {
                continue;
            }
            if !*code.get_or_insert_with(|| self.code_in_region(engine)) {
                code_pending = true;
                continue;
            }
            let dampen = *dampen
                .get_or_insert_with(|| DAMPEN.iter().map(|&(g, w)| w * value(g).min(1.0)).sum());
            let positive: f32 = rule.groups.iter().map(|&(g, w)| w * value(g)).sum();
            let against: f32 = rule.against.iter().map(|&(g, w)| w * value(g)).sum();
            let score = positive - against - dampen;
            if score >= rule.threshold {
                let confidence = (0.7 * score / rule.threshold).clamp(0.5, 0.99);
                let better = found.as_ref().is_none_or(|f| confidence > f.confidence);
                if better {
                    found = Some(OutputBlock {
                        use_case: rule.use_case,
                        rule_id: rule.id.to_string(),
                        confidence,
                    });
                }
            }
        }
        self.code_pending = code_pending;
        found
    }
}

#[cfg(test)]
mod tests;
