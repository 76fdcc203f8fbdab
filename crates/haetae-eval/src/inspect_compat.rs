//! Inspect parity: the answer extraction and scoring of UK AISI's Inspect (`inspect_ai` 0.3.285), ported
//! function by function so that the same completion gets the same answer and the same score in both harnesses.
//!
//! Each function names the Inspect function it ports (`inspect_ai/scorer/*.py`,
//! `inspect_ai/solver/_multiple_choice.py`, `inspect_ai/_util/text.py`). Python's `re` differs from Rust's
//! `regex` in three ways that matter here, handled explicitly rather than left to chance:
//! - Python's `\s` also matches U+001C..U+001F (`str.isspace`), so patterns use [`PY_S`] instead of `\s`;
//! - Rust has no lookaround, so Inspect's lookahead/lookbehind patterns are emulated by retrying at each start
//!   position exactly as Python's backtracking search does;
//! - `str.casefold` is not `to_lowercase` (ß → ss, final sigma, ligatures): see [`casefold`].
//!
//! Known gap: Inspect's numeric `match` also reads Unicode numerals (`½`, `²`, `四十二`, full-width digits) via
//! `unicode_number_to_float`; this port reads ASCII numbers only, so such tokens count as non-numbers here. The
//! parity corpus (`suites/parity/`) says so and has no such cases.

use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Python's `\s` for `str` patterns: Unicode White_Space plus the four separators U+001C..U+001F.
pub const PY_S: &str = r"[\s\x1C-\x1F]";

/// `str.isspace()`.
pub fn py_isspace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `str.strip()` with no argument.
pub fn py_strip(s: &str) -> &str {
    s.trim_matches(py_isspace)
}

/// A character Python's `\w` matches (`str.isalnum()` or `_`).
fn py_is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `string.punctuation`.
const PUNCTUATION: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
/// `string.whitespace`.
const ASCII_WHITESPACE: &str = " \t\n\r\x0b\x0c";

// The patterns below are literals; a failure to compile is a programming error the tests catch.
#[allow(clippy::expect_used)]
fn re(cell: &'static OnceLock<regex::Regex>, pattern: &str) -> &'static regex::Regex {
    cell.get_or_init(|| regex::Regex::new(pattern).expect("static Inspect pattern"))
}

/// `str.casefold()`: full case folding. Per-character lower-casing (no final-sigma context, as casefold has
/// none) plus the full foldings that differ from lower case.
pub fn casefold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'ß' | 'ẞ' => out.push_str("ss"),
            'ς' => out.push('σ'),
            'ſ' => out.push('s'),
            'µ' => out.push('μ'),
            'ϐ' => out.push('β'),
            'ϑ' => out.push('θ'),
            'ϕ' => out.push('φ'),
            'ϖ' => out.push('π'),
            'ϰ' => out.push('κ'),
            'ϱ' => out.push('ρ'),
            'ϵ' => out.push('ε'),
            '\u{345}' => out.push('ι'),
            'ŉ' => out.push_str("ʼn"),
            '\u{1f0}' => out.push_str("j\u{30c}"),
            '\u{1e96}' => out.push_str("h\u{331}"),
            '\u{1e97}' => out.push_str("t\u{308}"),
            '\u{1e98}' => out.push_str("w\u{30a}"),
            '\u{1e99}' => out.push_str("y\u{30a}"),
            'ẚ' => out.push_str("aʾ"),
            'ẛ' => out.push('ṡ'),
            'ﬀ' => out.push_str("ff"),
            'ﬁ' => out.push_str("fi"),
            'ﬂ' => out.push_str("fl"),
            'ﬃ' => out.push_str("ffi"),
            'ﬄ' => out.push_str("ffl"),
            'ﬅ' | 'ﬆ' => out.push_str("st"),
            'İ' => out.push_str("i\u{307}"),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// `float(s)` for ASCII numerals: surrounding whitespace, a sign, digits with single underscores between them,
/// a fraction, an exponent, `inf`/`infinity`/`nan`. `None` where Python raises `ValueError`.
#[allow(clippy::expect_used)]
pub fn py_float(s: &str) -> Option<f64> {
    static NUM: OnceLock<regex::Regex> = OnceLock::new();
    let s = py_strip(s);
    let lower = s.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    if lower.len() - unsigned.len() <= 1 {
        let neg = lower.starts_with('-');
        match unsigned {
            "inf" | "infinity" => {
                return Some(if neg {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                });
            }
            "nan" => return Some(f64::NAN),
            _ => {}
        }
    }
    let num = re(
        &NUM,
        r"^[+-]?(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?$",
    );
    if !num.is_match(s) {
        return None;
    }
    s.replace('_', "").parse().ok()
}

/// `math.isfinite(float(s))` (`inspect_ai._util.text.is_finite_number`).
pub fn is_finite_number(s: &str) -> bool {
    py_float(s).is_some_and(f64::is_finite)
}

/// `repr(x)` of a finite float: the shortest round-trip digits, fixed notation for 1e-4 <= |x| < 1e16.
pub fn py_float_repr(x: f64) -> String {
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if x < 0.0 { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let body = if exp >= 0 {
            let point = usize::try_from(exp).unwrap_or(0) + 1;
            if digits.len() > point {
                format!("{}.{}", &digits[..point], &digits[point..])
            } else {
                format!("{digits}{}.0", "0".repeat(point - digits.len()))
            }
        } else {
            let zeros = usize::try_from(-exp - 1).unwrap_or(0);
            format!("0.{}{digits}", "0".repeat(zeros))
        };
        format!("{sign}{body}")
    } else {
        let (head, tail) = digits.split_at(1);
        let m = if tail.is_empty() {
            head.to_owned()
        } else {
            format!("{head}.{tail}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{m}e{esign}{:02}", exp.abs())
    }
}

/// `format(x, ".{precision}g")` of a finite float.
pub fn py_format_g(x: f64, precision: usize) -> String {
    let p = precision.max(1);
    if x == 0.0 {
        return if x.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let sci = format!("{:.*e}", p - 1, x);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let strip = |s: &str| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_owned()
        } else {
            s.to_owned()
        }
    };
    let p_i = i64::try_from(p).unwrap_or(i64::MAX);
    if -4 <= exp && exp < p_i {
        let decimals = usize::try_from(p_i - 1 - exp).unwrap_or(0);
        strip(&format!("{x:.decimals$}"))
    } else {
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{}e{esign}{:02}", strip(mantissa), exp.abs())
    }
}

/// `strip_punctuation`: strips ASCII whitespace and `string.punctuation` from both ends.
pub fn strip_punctuation(s: &str) -> &str {
    s.trim_matches(|c| PUNCTUATION.contains(c) || ASCII_WHITESPACE.contains(c))
}

fn is_py_digit(c: char) -> bool {
    static D: OnceLock<regex::Regex> = OnceLock::new();
    let mut buf = [0u8; 4];
    re(&D, r"^\d$").is_match(c.encode_utf8(&mut buf))
}

/// `strip_numeric_punctuation`: un-escapes `\$` and friends, drops `$ , £ € * _`, and drops a `.` not followed
/// by a digit.
pub fn strip_numeric_punctuation(s: &str) -> String {
    static ESC: OnceLock<regex::Regex> = OnceLock::new();
    let s = re(&ESC, r"\\([$,£€*_])").replace_all(s, "$1");
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, '$' | ',' | '£' | '€' | '*' | '_'))
        .collect();
    let chars: Vec<char> = s.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| c != '.' || chars.get(i + 1).is_some_and(|&n| is_py_digit(n)))
        .map(|(_, &c)| c)
        .collect()
}

const NUMERIC_PUNCTUATION_TRIM: &str = "!?:;()[]{}'\"`";

fn parse_number(s: &str, trim_punctuation: bool) -> Option<f64> {
    let s = if trim_punctuation {
        s.trim_matches(|c| NUMERIC_PUNCTUATION_TRIM.contains(c))
    } else {
        s
    };
    py_float(s).filter(|n| n.is_finite())
}

fn normalize_number(number: &str, trim_punctuation: bool) -> String {
    match parse_number(number, trim_punctuation) {
        Some(n) => py_format_g(n, 5),
        None => number.to_owned(),
    }
}

/// Where `match` looks for the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    Begin,
    End,
    Any,
    Exact,
}

/// `match_str` (`inspect_ai/scorer/_common.py`): the answer it reports and whether it matched.
pub fn match_str(
    value: &str,
    target: &str,
    location: Location,
    ignore_case: bool,
    numeric: bool,
) -> (String, bool) {
    static WS: OnceLock<regex::Regex> = OnceLock::new();
    let mut v = py_strip(value).to_owned();
    let mut t = py_strip(target).to_owned();
    let answer = v.clone();
    if ignore_case {
        v = casefold(&v);
        t = casefold(&t);
    }
    if numeric {
        t = strip_numeric_punctuation(&t);
    }
    if numeric && parse_number(&t, true).is_some() {
        let v = strip_numeric_punctuation(&v);
        let t = normalize_number(&t, true);
        let words: Vec<&str> = re(&WS, &format!("{PY_S}+")).split(&v).collect();
        let first = |mut it: Box<dyn Iterator<Item = &&str> + '_>| {
            it.find(|w| parse_number(w, true).is_some())
                .map(|w| normalize_number(w, true))
                .unwrap_or_default()
        };
        let got = match location {
            Location::Begin => first(Box::new(words.iter())),
            Location::End => first(Box::new(words.iter().rev())),
            Location::Exact => normalize_number(&v, false),
            Location::Any => {
                for w in &words {
                    if parse_number(w, true).is_some() {
                        let n = normalize_number(w, true);
                        if n == t {
                            return (n, true);
                        }
                    }
                }
                return (answer, false);
            }
        };
        let ok = got == t;
        return (got, ok);
    }
    let v = strip_punctuation(&v);
    let t = strip_punctuation(&t);
    let ok = match location {
        Location::Begin => v.starts_with(t),
        Location::End => v.ends_with(t),
        Location::Exact => v == t,
        Location::Any => v.contains(t),
    };
    (answer, ok)
}

/// What a string-matching scorer reports: Inspect's `str_match_scorer` over the targets.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub correct: bool,
    pub answer: Option<String>,
}

/// `str_match_scorer`: the first target that matches wins; otherwise the answer from the last target tried.
pub fn str_match(
    completion: &str,
    targets: &[String],
    check: impl Fn(&str, &str) -> (String, bool),
) -> Verdict {
    let mut answer = None;
    for t in targets {
        let (a, ok) = check(completion, t);
        if ok {
            return Verdict {
                correct: true,
                answer: Some(a),
            };
        }
        answer = Some(a);
    }
    Verdict {
        correct: false,
        answer,
    }
}

/// `includes`' check: the target is a substring of the completion (case-folded unless `ignore_case` is off).
pub fn includes_check(value: &str, target: &str, ignore_case: bool) -> (String, bool) {
    if ignore_case {
        let v = casefold(value);
        let ok = v.contains(&casefold(target));
        (v, ok)
    } else {
        (value.to_owned(), value.contains(target))
    }
}

/// `answer_character`: 0 → `A`, …, 25 → `Z`, 26 → `1`, 27 → `2`.
pub fn answer_character(i: usize) -> String {
    match u8::try_from(i) {
        Ok(b) if b < 26 => char::from(b'A' + b).to_string(),
        _ => (i - 25).to_string(),
    }
}

/// `answer_index`: `A`/`a` → 0, `1` → 26; `None` where Inspect raises.
pub fn answer_index(s: &str) -> Option<usize> {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_alphabetic() => {
            let up: Vec<char> = c.to_uppercase().collect();
            match up.as_slice() {
                [u] => (*u as usize).checked_sub('A' as usize),
                _ => None,
            }
        }
        _ if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) => match s.parse::<usize>() {
            Ok(0) | Err(_) => None,
            Ok(n) => Some(25 + n),
        },
        _ => None,
    }
}

/// `parse_answers` (`inspect_ai/solver/_multiple_choice.py`): the letters after the last `ANSWER:` of the
/// strict form (a line of its own) or, failing that, the lenient form; empty when there is no answer in the
/// requested format. Anything else (`A) 200`, `The answer is (A)`, `정답: A`) is no answer, as in Inspect.
pub fn parse_answers(
    completion: &str,
    n_choices: usize,
    multiple_correct: bool,
) -> BTreeSet<String> {
    static DOLLAR: OnceLock<regex::Regex> = OnceLock::new();
    static BOLD: OnceLock<regex::Regex> = OnceLock::new();
    static PAREN: OnceLock<regex::Regex> = OnceLock::new();
    static STRICT: OnceLock<regex::Regex> = OnceLock::new();
    static LENIENT: OnceLock<regex::Regex> = OnceLock::new();
    let s = PY_S;
    let completion = re(
        &DOLLAR,
        &format!(r"\x24{s}*([A-Za-z\d][A-Za-z\d ,]*?){s}*\x24"),
    )
    .replace_all(completion, "$1");
    let completion = re(
        &BOLD,
        &format!(r"\*\*{s}*([A-Za-z\d][A-Za-z\d ,]*?){s}*\*\*"),
    )
    .replace_all(&completion, "$1");
    // `(?i)(^|[:,])(\s*)\(([A-Za-z\d])\)(?=\s*(?:,|\.|\n|\Z))`: the lookahead is checked by hand, and a match that
    // fails it is retried one character later, as Python's search would.
    let paren = re(&PAREN, &format!(r"(?i)(^|[:,])({s}*)\(([A-Za-z\d])\)"));
    let mut rewritten = String::with_capacity(completion.len());
    let mut copied = 0;
    let mut pos = 0;
    while let Some(c) = paren.captures_at(&completion, pos) {
        let (Some(m), Some(g1), Some(g2), Some(g3)) = (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            break;
        };
        let rest = &completion[m.end()..];
        let after_ws = rest.trim_start_matches(py_isspace);
        let ws = &rest[..rest.len() - after_ws.len()];
        let ahead = ws.contains('\n')
            || after_ws.is_empty()
            || after_ws.starts_with(',')
            || after_ws.starts_with('.');
        if ahead {
            rewritten.push_str(&completion[copied..m.start()]);
            rewritten.push_str(g1.as_str());
            rewritten.push_str(g2.as_str());
            rewritten.push_str(g3.as_str());
            copied = m.end();
            pos = m.end();
        } else {
            pos = next_char(&completion, m.start());
        }
        if pos > completion.len() {
            break;
        }
    }
    rewritten.push_str(&completion[copied..]);
    let completion = rewritten;

    let strict = re(
        &STRICT,
        &format!(r"(?im)^ANSWER{s}*:{s}*([A-Za-z\d ,]+){s}*(?:$|\n|\.)"),
    );
    let mut matches: Vec<&str> = strict
        .captures_iter(&completion)
        .filter_map(|c| c.get(1).map(|g| g.as_str()))
        .collect();
    if matches.is_empty() {
        let lenient = re(
            &LENIENT,
            &format!(r"(?i)ANSWER{s}*:{s}*([A-Za-z\d ,]+)(?:[^\w]|\n|$|\.)"),
        );
        matches = lenient
            .captures_iter(&completion)
            .filter_map(|c| c.get(1).map(|g| g.as_str()))
            .collect();
    }
    let Some(matched) = matches.last() else {
        return BTreeSet::new();
    };
    let matched = py_strip(matched).trim_end_matches('.').to_uppercase();
    let allowed: BTreeSet<String> = (0..n_choices).map(answer_character).collect();
    if multiple_correct {
        let matched = matched.replace(" AND ", ",").replace(' ', "");
        let by_comma: BTreeSet<String> = matched
            .split(',')
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect();
        if by_comma.is_subset(&allowed) {
            return by_comma;
        }
        let by_char: BTreeSet<String> = matched.chars().map(String::from).collect();
        if by_char.is_subset(&allowed) {
            return by_char;
        }
    } else {
        let tokens: Vec<&str> = matched.split(',').filter(|t| !t.is_empty()).collect();
        if let [one] = tokens.as_slice()
            && allowed.contains(*one)
        {
            return BTreeSet::from([(*one).to_owned()]);
        }
    }
    BTreeSet::new()
}

fn next_char(s: &str, at: usize) -> usize {
    s[at..]
        .chars()
        .next()
        .map_or(s.len() + 1, |c| at + c.len_utf8())
}

/// Inspect's `choice` scorer: the choices the model selected (indexes, from [`parse_answers`]) must be exactly
/// the target's. Targets are letters (`A`, `"A, C"`, `"AC"`) or 1-based numbers past `Z`. `Err` names a target
/// Inspect rejects (a letter past the choices, a non-letter).
pub fn choice_verdict(
    selected: &BTreeSet<String>,
    targets: &[String],
    n_choices: usize,
) -> Result<Verdict, String> {
    let mut tokens: Vec<String> = Vec::new();
    for t in targets {
        for tok in t
            .replace(',', " ")
            .split(py_isspace)
            .filter(|x| !x.is_empty())
        {
            if tok.chars().all(char::is_numeric) {
                tokens.push(tok.to_owned());
            } else {
                tokens.extend(tok.chars().map(String::from));
            }
        }
    }
    let mut positions = Vec::with_capacity(tokens.len());
    for tok in &tokens {
        let p = answer_index(tok)
            .ok_or_else(|| format!("unexpected multiple choice target '{tok}'"))?;
        if p >= n_choices {
            return Err(format!(
                "choice target references answer(s) beyond the task's {n_choices} choices: {tok}"
            ));
        }
        positions.push(p);
    }
    positions.sort_unstable();
    let mut chosen: Vec<usize> = selected
        .iter()
        .filter_map(|l| answer_index(l))
        .filter(|&i| i < n_choices)
        .collect();
    chosen.sort_unstable();
    chosen.dedup();
    let letters: Vec<String> = chosen.iter().map(|&i| answer_character(i)).collect();
    Ok(Verdict {
        correct: chosen == positions,
        answer: Some(letters.join(", ")),
    })
}

/// How `pattern`/`answer` extract: a user regular expression, or one of Inspect's `AnswerPattern`s (which use
/// lookaround, emulated here).
#[derive(Debug, Clone)]
pub enum Extractor {
    Regex(regex::Regex),
    AnswerLetter,
    AnswerWord,
    AnswerLine,
}

/// The capture groups of the first match (`match.groups() or (match.group(0),)`), `None` for no match.
pub fn extract_groups(ex: &Extractor, text: &str) -> Option<Vec<Option<String>>> {
    static LETTER: OnceLock<regex::Regex> = OnceLock::new();
    static WORD_HEAD: OnceLock<regex::Regex> = OnceLock::new();
    static LINE: OnceLock<regex::Regex> = OnceLock::new();
    let s = PY_S;
    match ex {
        Extractor::Regex(r) => {
            let c = r.captures(text)?;
            if c.len() == 1 {
                return Some(vec![c.get(0).map(|m| m.as_str().to_owned())]);
            }
            Some(
                (1..c.len())
                    .map(|i| c.get(i).map(|m| m.as_str().to_owned()))
                    .collect(),
            )
        }
        Extractor::AnswerLetter => {
            // `(?is)ANSWER\s*:\s*([A-Za-z])(?:[^\w]|\n|$)(?!.*ANSWER\s*:)`
            let r = re(
                &LETTER,
                &format!(r"(?is)ANSWER{s}*:{s}*([A-Za-z])(?:[^\w]|\n|$)"),
            );
            let mut pos = 0;
            while pos <= text.len() {
                let c = r.captures_at(text, pos)?;
                let (m, g) = (c.get(0)?, c.get(1)?);
                if !has_answer_marker(&text[m.end()..]) {
                    return Some(vec![Some(g.as_str().to_owned())]);
                }
                pos = next_char(text, m.start());
            }
            None
        }
        Extractor::AnswerWord => {
            // `(?is)ANSWER\s*:\s*(\S+?)(?=[.,;:!?]?\s*(?:\n|$))(?!.*ANSWER\s*:)`
            let head = re(&WORD_HEAD, &format!(r"(?is)ANSWER{s}*:{s}*"));
            let mut pos = 0;
            while pos <= text.len() {
                let m = head.find_at(text, pos)?;
                let start = m.end();
                let mut end = start;
                for c in text[start..].chars() {
                    if py_isspace(c) {
                        break;
                    }
                    end += c.len_utf8();
                    if word_end_ok(&text[end..]) && !has_answer_marker(&text[end..]) {
                        return Some(vec![Some(text[start..end].to_owned())]);
                    }
                }
                pos = next_char(text, m.start());
            }
            None
        }
        Extractor::AnswerLine => {
            let r = re(&LINE, &format!(r"(?i)ANSWER{s}*:{s}*([^\n]+){s}*\z"));
            let c = r.captures(text)?;
            Some(vec![c.get(1).map(|g| g.as_str().to_owned())])
        }
    }
}

/// `.*ANSWER\s*:` anywhere in the rest (the negative lookahead of the LETTER and WORD patterns).
fn has_answer_marker(rest: &str) -> bool {
    static M: OnceLock<regex::Regex> = OnceLock::new();
    re(&M, &format!(r"(?is)ANSWER{PY_S}*:")).is_match(rest)
}

/// `(?=[.,;:!?]?\s*(?:\n|$))` at the start of `rest` (`$` without MULTILINE: the end, or before a final `\n`).
fn word_end_ok(rest: &str) -> bool {
    let ok = |r: &str| {
        let after = r.trim_start_matches(py_isspace);
        after.is_empty() || r[..r.len() - after.len()].contains('\n')
    };
    let mut chars = rest.chars();
    match chars.next() {
        Some(c) if ".,;:!?".contains(c) => ok(chars.as_str()) || ok(rest),
        _ => ok(rest),
    }
}

/// Inspect's `pattern` scorer over extracted groups.
pub fn pattern_verdict(
    groups: Option<Vec<Option<String>>>,
    targets: &[String],
    ignore_case: bool,
    match_all: bool,
) -> Verdict {
    let Some(groups) = groups else {
        return Verdict {
            correct: false,
            answer: None,
        };
    };
    let in_target = |m: &str| {
        if ignore_case {
            let m = m.to_lowercase();
            targets.iter().any(|t| t.to_lowercase() == m)
        } else {
            targets.iter().any(|t| t == m)
        }
    };
    let strings: Vec<&str> = groups.iter().flatten().map(String::as_str).collect();
    if match_all {
        let found =
            (!strings.is_empty() && strings.iter().all(|m| in_target(m))).then(|| targets.concat());
        // `found_match` is `target.text`, which is falsy when the targets are empty strings.
        let correct = found.as_deref().is_some_and(|f| !f.is_empty());
        return Verdict {
            correct,
            answer: found,
        };
    }
    let found = strings
        .iter()
        .find(|m| in_target(m))
        .map(|m| (*m).to_owned());
    let correct = found.as_deref().is_some_and(|f| !f.is_empty());
    let answer = match (&found, groups.len()) {
        (None, 1) => groups[0].clone(),
        _ => found.clone(),
    };
    Verdict { correct, answer }
}

/// `_normalize` of `exact` and `f1` (`inspect_ai/scorer/_classification.py`).
pub fn classification_normalize(text: &str, stop_words: &[String]) -> String {
    let folded: Vec<String> = stop_words.iter().map(|w| normalize_token(w)).collect();
    let tokens: Vec<String> = text
        .split([' ', '-'])
        .map(normalize_token)
        .filter(|t| !folded.contains(t))
        .filter(|t| !py_strip(t).is_empty())
        .collect();
    py_strip(&tokens.join(" ")).to_owned()
}

fn normalize_token(token: &str) -> String {
    let t = remove_punc(&casefold(token));
    let t = if is_finite_number(&t) {
        py_float(&t).map_or(t, py_float_repr)
    } else {
        t
    };
    let t = remove_articles(&t);
    t.split(py_isspace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn remove_punc(text: &str) -> String {
    if is_finite_number(text) {
        return text.to_owned();
    }
    let stripped = strip_punctuation(text);
    if is_finite_number(stripped) {
        return stripped.to_owned();
    }
    text.chars().filter(|c| !PUNCTUATION.contains(*c)).collect()
}

/// `re.sub(r"\b(a|an|the)\b", " ", text)`.
fn remove_articles(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let boundary_before = i == 0 || !py_is_word(chars[i - 1]);
        let mut hit = None;
        if boundary_before {
            for w in ["a", "an", "the"] {
                let n = w.chars().count();
                let end = i + n;
                if end <= chars.len()
                    && chars[i..end].iter().copied().eq(w.chars())
                    && (end == chars.len() || !py_is_word(chars[end]))
                {
                    hit = Some(end);
                    break;
                }
            }
        }
        match hit {
            Some(end) => {
                out.push(' ');
                i = end;
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

fn word_counts(text: &str, stop_words: &[String]) -> std::collections::BTreeMap<String, usize> {
    let mut m = std::collections::BTreeMap::new();
    for w in classification_normalize(text, stop_words)
        .split(py_isspace)
        .filter(|w| !w.is_empty())
    {
        *m.entry(w.to_owned()).or_insert(0) += 1;
    }
    m
}

/// Inspect's `exact`: 1 when the normalised completion equals a normalised, non-empty target.
pub fn exact_score(answer: &str, targets: &[String]) -> bool {
    let a = classification_normalize(answer, &[]);
    targets.iter().any(|t| {
        let t = classification_normalize(t, &[]);
        !t.is_empty() && t == a
    })
}

/// Inspect's `f1`: the best SQuAD token F1 over the targets, rounded to two places as Python's `round` does.
pub fn f1_score(answer: &str, targets: &[String], stop_words: &[String]) -> f64 {
    let a = word_counts(answer, stop_words);
    let mut best = 0.0f64;
    for t in targets {
        let tw = word_counts(t, stop_words);
        if tw.is_empty() {
            continue;
        }
        let inter: usize = a
            .iter()
            .map(|(w, n)| (*n).min(tw.get(w).copied().unwrap_or(0)))
            .sum();
        let total =
            |m: &std::collections::BTreeMap<String, usize>| m.values().sum::<usize>() as f64;
        let precision = if a.is_empty() {
            1.0
        } else {
            inter as f64 / total(&a)
        };
        let recall = inter as f64 / total(&tw);
        let f1 = if precision == 0.0 && recall == 0.0 {
            0.0
        } else {
            (2.0 * precision * recall) / (precision + recall)
        };
        best = best.max(f1);
    }
    py_round2(best)
}

/// `round(x, 2)`: rounds the exact binary value, ties to even (Rust's fixed-precision formatting does the same).
pub fn py_round2(x: f64) -> f64 {
    format!("{x:.2}").parse().unwrap_or(x)
}

/// Inspect's default model-graded grading instructions.
pub fn default_instructions(partial_credit: bool) -> String {
    let (letter, prompt) = if partial_credit {
        ("P", "\"P\" for partially correct answers,")
    } else {
        ("", "")
    };
    format!(
        "\nAfter assessing the submitted answer, reply with 'GRADE: $LETTER' (without quotes) where LETTER is one of C{letter}I.  Please choose ONE option for the grade: either \"C\" for correct answers, {prompt}or \"I\" for incorrect answers.\n\nFor example, after reviewing a correct answer you might write 'GRADE: C' or after reviewing an incorrect answer you might write 'GRADE: I'.\n\nFirst, write out in a step by step manner your reasoning about the criterion to be sure that your conclusion is correct. Avoid simply stating the correct answers at the outset. Then, end with your answer formatted as 'GRADE: $LETTER' (without quotes) where LETTER is one of C{letter}I.\n"
    )
}

/// `DEFAULT_MODEL_GRADED_QA_TEMPLATE` (Python `str.format` syntax).
pub const MODEL_GRADED_QA_TEMPLATE: &str = "\nYou are assessing a submitted answer on a given task based on a criterion. Here is the data:\n\n[BEGIN DATA]\n***\n[Task]: {question}\n***\n[Submission]: {answer}\n***\n[Criterion]: {criterion}\n***\n[END DATA]\n\nDoes the submission meet the criterion?\n\n{instructions}\n";

/// `DEFAULT_MODEL_GRADED_FACT_TEMPLATE` (Python `str.format` syntax).
pub const MODEL_GRADED_FACT_TEMPLATE: &str = "\nYou are comparing a submitted answer to an expert answer on a given question. Here is the data:\n\n[BEGIN DATA]\n************\n[Question]: {question}\n************\n[Expert]: {criterion}\n************\n[Submission]: {answer}\n************\n[END DATA]\n\nCompare the factual content of the submitted answer with the expert answer. Ignore any differences in style, grammar, or punctuation.\n\nDoes the submission contain the content in the expert answer?\n\n{instructions}\n";

/// `neutralize_structural_delimiters`: `[END DATA]` → `[END-DATA]` (case-insensitive), so a submission cannot
/// close the data block of the grader prompt.
pub fn neutralize_structural_delimiters(text: &str) -> String {
    static R: OnceLock<regex::Regex> = OnceLock::new();
    re(&R, r"(?i)\[(BEGIN|END) DATA\]")
        .replace_all(text, |c: &regex::Captures<'_>| c[0].replace(' ', "-"))
        .into_owned()
}

/// Python `str.format` with named fields only (`{name}`, `{{`, `}}`); an unknown field is an error, as
/// Python's `KeyError`.
pub fn py_format(template: &str, vars: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(r) = tail.strip_prefix("{{") {
            out.push('{');
            rest = r;
        } else if let Some(r) = tail.strip_prefix("}}") {
            out.push('}');
            rest = r;
        } else if tail.starts_with('{') {
            let close = tail
                .find('}')
                .ok_or_else(|| "single '{' encountered in format string".to_owned())?;
            let name = &tail[1..close];
            out.push_str(
                &vars(name).ok_or_else(|| format!("template field '{{{name}}}' is not defined"))?,
            );
            rest = &tail[close + 1..];
        } else {
            return Err("single '}' encountered in format string".into());
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The grade of a grader reply, as Inspect's `model_graded_qa` reads it. With the default instructions
/// (`validate`), the word after the last bounded `GRADE:` must be one of the offered grades (`C`/`I`, plus `P`
/// with partial credit; `correct`/`incorrect`/`partial` spelled out count); otherwise the last `GRADE: [CPI]`.
/// `None`: no usable grade (Inspect leaves the sample unscored).
pub fn parse_grade(reply: &str, validate: bool, partial_credit: bool) -> Option<char> {
    const SPACING: &str =
        r"[\s\x1C-\x1F\u{200b}\u{200c}\u{200d}\u{200e}\u{200f}\u{2060}\u{2063}\u{feff}]*";
    static HEAD: OnceLock<regex::Regex> = OnceLock::new();
    let head = re(&HEAD, &format!(r"(?is)GRADE{SPACING}:{SPACING}"));
    // Candidates: `GRADE` not preceded or followed by a word character, then spacing, `:`, spacing. The greedy
    // `.*` of Inspect's pattern binds the last candidate whose tail matches.
    let mut cands: Vec<usize> = Vec::new();
    let mut pos = 0;
    while let Some(m) = head.find_at(reply, pos) {
        let before_ok = reply[..m.start()]
            .chars()
            .next_back()
            .is_none_or(|c| !py_is_word(c));
        let after = reply[m.start() + 5..].chars().next();
        let after_ok = after.is_none_or(|c| !py_is_word(c));
        if before_ok && after_ok {
            cands.push(m.end());
        }
        pos = next_char(reply, m.start());
        if pos > reply.len() {
            break;
        }
    }
    if validate {
        let &end = cands.last()?;
        let word: String = reply[end..]
            .chars()
            .take_while(|&c| py_is_word(c))
            .collect();
        let v = match py_strip(&word).to_lowercase().as_str() {
            "c" | "correct" => 'C',
            "i" | "incorrect" => 'I',
            "p" | "partial" => 'P',
            _ => return None,
        };
        let offered = if partial_credit { "CPI" } else { "CI" };
        return offered.contains(v).then_some(v);
    }
    cands.iter().rev().find_map(|&end| {
        reply[end..]
            .chars()
            .next()
            .filter(|c| "CPIcpi".contains(*c))
            .map(|c| c.to_ascii_uppercase())
    })
}

/// Python's `random.Random` (MT19937, seeded from an integer as CPython does), as far as `shuffle` needs it: so
/// choices shuffled with a seed come out in the order Inspect's `shuffle_choices(seed)` gives them.
pub struct PyRandom {
    mt: [u32; 624],
    index: usize,
}

impl PyRandom {
    /// `random.Random(seed)`: the seed's 32-bit words, least significant first, through `init_by_array`.
    pub fn new(seed: u64) -> PyRandom {
        let low = (seed & 0xffff_ffff) as u32;
        let high = (seed >> 32) as u32;
        let key: Vec<u32> = if high == 0 {
            vec![low]
        } else {
            vec![low, high]
        };
        let mut r = PyRandom {
            mt: [0; 624],
            index: 624,
        };
        r.init_genrand(19_650_218);
        let n = 624;
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..n.max(key.len()) {
            let prev = r.mt[i - 1] ^ (r.mt[i - 1] >> 30);
            r.mt[i] = (r.mt[i] ^ prev.wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= n {
                r.mt[0] = r.mt[n - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..n - 1 {
            let prev = r.mt[i - 1] ^ (r.mt[i - 1] >> 30);
            r.mt[i] = (r.mt[i] ^ prev.wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= n {
                r.mt[0] = r.mt[n - 1];
                i = 1;
            }
        }
        r.mt[0] = 0x8000_0000;
        r
    }

    fn init_genrand(&mut self, s: u32) {
        self.mt[0] = s;
        for i in 1..624 {
            let prev = self.mt[i - 1] ^ (self.mt[i - 1] >> 30);
            self.mt[i] = 1_812_433_253u32.wrapping_mul(prev).wrapping_add(i as u32);
        }
        self.index = 624;
    }

    fn next_u32(&mut self) -> u32 {
        const UPPER: u32 = 0x8000_0000;
        const LOWER: u32 = 0x7fff_ffff;
        if self.index >= 624 {
            for k in 0..624 {
                let y = (self.mt[k] & UPPER) | (self.mt[(k + 1) % 624] & LOWER);
                let mag = if y & 1 == 1 { 0x9908_b0df } else { 0 };
                self.mt[k] = self.mt[(k + 397) % 624] ^ (y >> 1) ^ mag;
            }
            self.index = 0;
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `_randbelow_with_getrandbits(n)` for `n` below 2^32.
    fn below(&mut self, n: u32) -> u32 {
        let k = 32 - n.leading_zeros();
        loop {
            let r = self.next_u32() >> (32 - k);
            if r < n {
                return r;
            }
        }
    }

    /// `random.shuffle`.
    pub fn shuffle<T>(&mut self, x: &mut [T]) {
        for i in (1..x.len()).rev() {
            let j = self.below(u32::try_from(i + 1).unwrap_or(u32::MAX)) as usize;
            x.swap(i, j);
        }
    }
}

/// Inspect's `MemoryDataset.shuffle_choices(seed)`: one generator for the whole dataset, in order; each sample
/// with choices gets its choices shuffled and its target letters remapped. `Err` for a target that is not a
/// letter of a choice (Inspect raises there too).
pub fn shuffle_choices_like_inspect(
    samples: &mut [crate::dataset::Sample],
    seed: u64,
) -> Result<(), String> {
    let mut rng = PyRandom::new(seed);
    for s in samples {
        let Some(choices) = s.choices.as_mut().filter(|c| !c.is_empty()) else {
            continue;
        };
        let mut positions: Vec<usize> = (0..choices.len()).collect();
        rng.shuffle(&mut positions);
        let old = choices.clone();
        *choices = positions.iter().map(|&i| old[i].clone()).collect();
        let mut new_letter = vec![String::new(); positions.len()];
        for (new_i, &orig) in positions.iter().enumerate() {
            new_letter[orig] = answer_character(new_i);
        }
        for t in &mut s.target {
            let letter = answer_index(t)
                .and_then(|i| new_letter.get(i))
                .ok_or_else(|| {
                    format!(
                        "sample '{}': target '{t}' is not the letter of one of its {} choices",
                        s.id,
                        positions.len()
                    )
                })?;
            *t = letter.clone();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_number_formatting() {
        assert_eq!(py_float_repr(5.0), "5.0");
        assert_eq!(py_float_repr(1e16), "1e+16");
        assert_eq!(py_float_repr(1.5e-5), "1.5e-05");
        assert_eq!(py_float_repr(0.0001), "0.0001");
        assert_eq!(py_float_repr(123456.789), "123456.789");
        assert_eq!(py_format_g(42.0, 5), "42");
        assert_eq!(py_format_g(1234567.0, 5), "1.2346e+06");
        assert_eq!(py_format_g(0.000012345, 5), "1.2345e-05");
        assert_eq!(py_format_g(1.23456789, 5), "1.2346");
        assert_eq!(py_round2(0.125), 0.12, "ties to even on the exact value");
        assert_eq!(py_round2(0.375), 0.38);
        assert_eq!(py_float("1_000"), Some(1000.0));
        assert_eq!(py_float("1__000"), None);
        assert_eq!(py_float(" -.5e1\n"), Some(-5.0));
        assert!(py_float("inf").is_some_and(f64::is_infinite));
        assert_eq!(py_float("5."), Some(5.0));
        assert_eq!(py_float("."), None);
    }

    #[test]
    fn inspect_reads_only_its_answer_format() {
        let one = |t: &str| {
            parse_answers(t, 4, false)
                .into_iter()
                .collect::<Vec<_>>()
                .join(",")
        };
        assert_eq!(one("ANSWER: B"), "B");
        assert_eq!(
            one("A) 200\nB) 401"),
            "",
            "the issue's case: Inspect finds no answer"
        );
        assert_eq!(one("The answer is (A)"), "");
        assert_eq!(one("정답: A"), "");
        assert_eq!(one("ANSWER: (C)"), "C");
        assert_eq!(one("**ANSWER: D**"), "D");
        assert_eq!(one("ANSWER: **D**"), "D");
        assert_eq!(one("ANSWER: A, B"), "");
        assert_eq!(parse_answers("ANSWER: A, C", 4, true).len(), 2);
    }

    #[test]
    fn grades_bind_to_the_last_verdict() {
        assert_eq!(parse_grade("GRADE: I ... GRADE: C", true, false), Some('C'));
        assert_eq!(
            parse_grade("GRADE: C then GRADE: P", true, false),
            None,
            "P not offered"
        );
        assert_eq!(parse_grade("downgrade: C", true, false), None);
        assert_eq!(parse_grade("GRADE: Correct", true, false), Some('C'));
        assert_eq!(
            parse_grade("GRADE: C then GRADE: X", false, false),
            Some('C')
        );
    }
}
