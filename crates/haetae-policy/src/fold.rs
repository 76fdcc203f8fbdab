//! Folded variants of the request text, beside [`crate::normalize`]'s canonical fold: the spellings people use to
//! get a keyword past a filter, brought back to the lexicon's spelling.
//!
//! * **Latin variants** — Unicode confusables mapped to their Latin prototype with the UTS #39 skeleton data of the
//!   `unicode-security` crate (Cyrillic `а`, Greek `ο` → `a`, `o`), and leetspeak inside words that also contain
//!   letters (`r4ns0mw4r3`, `|<eylogger`, `p@$$w0rd`). `1` and `|` read as `i` in one variant and `l` in the other.
//! * **Glued tokens** — the alphanumeric tokens of a Latin variant with the gaps between them described, so the
//!   guard can match terms written across a gap only where the gap is a trick: single letters spaced out
//!   (`r a n s o m w a r e`), punctuation inside a word (`ransom-ware`, `ran.som_ware`), or a message boundary (a
//!   word split across two turns). Ordinary sentences are never glued at their spaces.
//! * **Korean phonetic fold** — tense and plain consonants, ㅐ/ㅔ and the other vowels people confuse, and final
//!   consonants that sound alike, folded on both the lexicon and the text (랜썸웨어 / 렌섬웨어 / 랜섬웨어 match).
//! * **Romanised Korean** — the Korean lexicon's terms romanised (Revised Romanisation) and both those and the
//!   text reduced to a sound skeleton that absorbs informal spellings (`raensseomweeo`, `laensomweo`). This
//!   direction was chosen over parsing arbitrary romanised text back into Hangul: romanising Hangul is
//!   deterministic, while syllabifying romanised text is ambiguous and fails on informal spellings, and the
//!   skeleton absorbs those spellings on both sides alike.
//!
//! Every variant character carries the index of the canonical folded character it came from, so hits found in a
//! variant land at the right place in the original text.

use crate::normalize::{FChar, MESSAGE_SEPARATOR};

/// A variant of the folded text: characters with the index of the folded character each came from.
pub(crate) type Variant = Vec<(char, usize)>;

fn is_cjk_or_hangul(c: char) -> bool {
    crate::normalize::is_hangul(c)
        || matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// The Latin prototype of a confusable character, when UTS #39 maps it to ASCII letters or digits.
fn confusable_latin(c: char, out: &mut Vec<char>) -> bool {
    if c.is_ascii() || is_cjk_or_hangul(c) || !c.is_alphanumeric() {
        return false;
    }
    let start = out.len();
    for p in unicode_security::confusable_detection::skeleton(c.encode_utf8(&mut [0; 4])) {
        if !p.is_ascii_alphanumeric() {
            out.truncate(start);
            return false;
        }
        out.push(p.to_ascii_lowercase());
    }
    out.len() > start
}

/// Single-character leetspeak. `one` is what `1`, `!` and `|` stand for in this variant.
fn leet(c: char, one: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' | '!' | '|' => one,
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' | '+' => 't',
        '8' => 'b',
        '9' => 'g',
        _ => return None,
    })
}

/// Multi-character leetspeak, longest first.
const LEET_MULTI: &[(&str, char)] = &[
    ("\\/\\/", 'w'),
    ("|-|", 'h'),
    ("|<", 'k'),
    ("|)", 'd'),
    ("\\/", 'v'),
    ("()", 'o'),
];

/// The two Latin variants (`1` as `i`, then as `l`), or none when the text has neither confusables nor leetspeak.
pub(crate) fn latin_variants(folded: &[FChar]) -> Vec<Variant> {
    // Confusables first: they decide which characters count as letters for the leet pass.
    let mut base: Variant = Vec::with_capacity(folded.len());
    let mut changed = false;
    let mut buf = Vec::new();
    for (i, f) in folded.iter().enumerate() {
        buf.clear();
        if confusable_latin(f.c, &mut buf) {
            changed = true;
            base.extend(buf.iter().map(|&c| (c, i)));
        } else {
            base.push((f.c, i));
        }
    }
    let mut out = Vec::new();
    // The second reading of `1`, `!` and `|` only matters where one of them was read as a letter.
    let ambiguous = folded.iter().any(|f| matches!(f.c, '1' | '!' | '|'));
    for one in ['i', 'l'] {
        if one == 'l' && !ambiguous {
            break;
        }
        let mut v: Variant = Vec::with_capacity(base.len());
        let mut leet_changed = false;
        let mut t = 0;
        while t < base.len() {
            if base[t].0.is_whitespace() {
                v.push(base[t]);
                t += 1;
                continue;
            }
            let s = t;
            while t < base.len() && !base[t].0.is_whitespace() {
                t += 1;
            }
            let tok = &base[s..t];
            // Leetspeak only inside a word that also has letters: "2024", "10.0.0.1" and "$5" stay as they are.
            let letters = tok.iter().filter(|(c, _)| c.is_ascii_alphabetic()).count();
            let leets = tok.iter().filter(|(c, _)| leet(*c, one).is_some()).count();
            if letters < 2 || leets == 0 {
                v.extend_from_slice(tok);
                continue;
            }
            // The last alphanumeric position: punctuation after it ("hello!") is punctuation, not leet.
            let last_alnum = tok
                .iter()
                .rposition(|(c, _)| c.is_ascii_alphanumeric())
                .unwrap_or(0);
            let mut k = 0;
            'tok: while k < tok.len() {
                for (pat, rep) in LEET_MULTI {
                    let n = pat.chars().count();
                    if k + n <= tok.len() && tok[k..k + n].iter().map(|(c, _)| *c).eq(pat.chars()) {
                        v.push((*rep, tok[k].1));
                        leet_changed = true;
                        k += n;
                        continue 'tok;
                    }
                }
                let (c, i) = tok[k];
                match leet(c, one) {
                    Some(r) if c.is_ascii_digit() || k < last_alnum => {
                        v.push((r, i));
                        leet_changed = true;
                    }
                    _ => v.push((c, i)),
                }
                k += 1;
            }
        }
        if changed || leet_changed {
            out.push(v);
        }
    }
    out
}

/// How two neighbouring tokens are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gap {
    /// Punctuation only, no whitespace ("ransom-ware").
    Joined,
    /// Whitespace ("ransom ware"); `short` when at most two characters.
    Space { short: bool },
    /// A message boundary of the canonical rendering.
    Boundary,
}

/// Alphanumeric tokens glued together, with each token's byte range in `text` and the gap before it.
pub(crate) struct Glued {
    pub text: String,
    /// Per byte of `text`: the folded index it came from.
    pub map: Vec<usize>,
    /// Per token: byte range in `text`, number of characters, gap before it (None for the first).
    pub tokens: Vec<(usize, usize, usize, Option<Gap>)>,
}

impl Glued {
    pub fn new(v: &[(char, usize)]) -> Glued {
        let mut g = Glued {
            text: String::with_capacity(v.len()),
            map: Vec::with_capacity(v.len()),
            tokens: Vec::new(),
        };
        let mut gap: Option<(bool, bool, usize)> = None; // (whitespace, boundary, length)
        let mut cur: Option<(usize, usize)> = None;
        for &(c, i) in v {
            if c.is_alphanumeric() {
                if cur.is_none() {
                    let kind = gap.take().map(|(ws, b, n)| {
                        if b {
                            Gap::Boundary
                        } else if ws {
                            Gap::Space { short: n <= 2 }
                        } else {
                            Gap::Joined
                        }
                    });
                    cur = Some((g.text.len(), 0));
                    g.tokens.push((g.text.len(), g.text.len(), 0, kind));
                }
                g.text.push(c);
                for _ in 0..c.len_utf8() {
                    g.map.push(i);
                }
                if let Some((_, n)) = cur.as_mut() {
                    *n += 1;
                }
                if let (Some(t), Some((_, n))) = (g.tokens.last_mut(), cur) {
                    t.1 = g.text.len();
                    t.2 = n;
                }
            } else {
                cur = None;
                let e = gap.get_or_insert((false, false, 0));
                e.0 |= c.is_whitespace();
                e.1 |= c == MESSAGE_SEPARATOR;
                e.2 += 1;
            }
        }
        g
    }

    /// Whether a match over `[s, e)` of `text` is a glued word worth reporting: it starts at a token start, ends
    /// at a token end (or anywhere in the last token for a stem), spans at least two tokens, and every gap it
    /// crosses is a trick — a message boundary, punctuation without whitespace, or (all tokens single letters,
    /// at least three of them) short spacing. `loose` also accepts single spaces (for long object names such as
    /// "ransom ware").
    pub fn accepts(&self, s: usize, e: usize, stem: bool, loose: bool) -> bool {
        let first = self.tokens.partition_point(|t| t.1 <= s);
        let Some(&(ts, _, _, _)) = self.tokens.get(first) else {
            return false;
        };
        if ts != s {
            return false;
        }
        let last = self.tokens.partition_point(|t| t.1 < e);
        let Some(&(ls, le, _, _)) = self.tokens.get(last) else {
            return false;
        };
        if last == first || e <= ls || (!stem && le != e) {
            return false;
        }
        let toks = &self.tokens[first..=last];
        let spaced_letters = toks.len() >= 3 && toks.iter().all(|t| t.2 == 1);
        toks[1..].iter().all(|t| match t.3 {
            Some(Gap::Boundary) | Some(Gap::Joined) => true,
            Some(Gap::Space { short }) => short && (spaced_letters || loose),
            None => false,
        })
    }
}

// --- Korean phonetic fold -------------------------------------------------------------------------------------

const S_BASE: u32 = 0xAC00;

/// Folds one Hangul syllable to its phonetic class: tense initials to plain (ㄲ→ㄱ, ㅆ→ㅅ …), vowels people confuse
/// to one (ㅐ/ㅔ, ㅒ/ㅖ, ㅙ/ㅚ/ㅞ, ㅓ/ㅗ, ㅕ/ㅛ, ㅜ/ㅡ), and final consonants that are pronounced alike to one
/// (ㅅ/ㅆ/ㅈ/ㅊ/ㅌ/ㅎ → ㄷ, ㄲ/ㅋ → ㄱ, ㅍ → ㅂ). Other characters are returned unchanged.
pub(crate) fn phonetic(c: char) -> char {
    let u = c as u32;
    if !(S_BASE..=0xD7A3).contains(&u) {
        return c;
    }
    let s = u - S_BASE;
    let (mut l, mut v, mut t) = (s / 588, (s % 588) / 28, s % 28);
    l = match l {
        1 => 0,   // ㄲ→ㄱ
        4 => 3,   // ㄸ→ㄷ
        8 => 7,   // ㅃ→ㅂ
        10 => 9,  // ㅆ→ㅅ
        13 => 12, // ㅉ→ㅈ
        x => x,
    };
    v = match v {
        1 => 5,        // ㅐ→ㅔ
        3 => 7,        // ㅒ→ㅖ
        10 | 11 => 15, // ㅙ,ㅚ→ㅞ
        8 => 4,        // ㅗ→ㅓ
        12 => 6,       // ㅛ→ㅕ
        18 => 13,      // ㅡ→ㅜ
        x => x,
    };
    t = match t {
        2 | 24 => 1,                      // ㄲ,ㅋ→ㄱ
        19 | 20 | 22 | 23 | 25 | 27 => 7, // ㅅ,ㅆ,ㅈ,ㅊ,ㅌ,ㅎ→ㄷ
        26 => 17,                         // ㅍ→ㅂ
        x => x,
    };
    char::from_u32(S_BASE + (l * 21 + v) * 28 + t).unwrap_or(c)
}

// --- romanised Korean -----------------------------------------------------------------------------------------

const RR_L: [&str; 19] = [
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p",
    "h",
];
const RR_V: [&str; 21] = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "eu", "ui", "i",
];
const RR_T: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
    "t", "t", "ng", "t", "t", "k", "t", "p", "t",
];

/// Revised Romanisation of Hangul syllables, syllable by syllable (other characters kept). Sound changes across
/// syllables (liaison, assimilation) are left to [`roman_skeleton`], which absorbs them.
pub(crate) fn romanise(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let u = c as u32;
        if (S_BASE..=0xD7A3).contains(&u) {
            let x = u - S_BASE;
            out.push_str(RR_L[(x / 588) as usize]);
            out.push_str(RR_V[((x % 588) / 28) as usize]);
            out.push_str(RR_T[(x % 28) as usize]);
        } else {
            out.push(c);
        }
    }
    out
}

/// The sound skeleton of romanised text: informal spellings of the same Korean word reduce to the same string.
/// Letters only (others dropped); vowel spellings grouped (ae/e/ai → E, eo/o/u/eu/oo → O, i/ee → I, a → A),
/// consonants grouped by sound (g/k/c/q → K, d/t → T, b/p/f/v → P, j/ch/z → J, s/sh → S, l/r → R, ng → G), and
/// repeats collapsed (ss → S, "eeo" → one vowel run per syllable).
pub(crate) fn roman_skeleton(v: &[(char, usize)]) -> Vec<(char, usize)> {
    let mut out: Vec<(char, usize)> = Vec::with_capacity(v.len());
    let lower: Vec<(char, usize)> = v
        .iter()
        .filter(|(c, _)| c.is_ascii_alphabetic())
        .map(|&(c, i)| (c.to_ascii_lowercase(), i))
        .collect();
    let at = |k: usize| lower.get(k).map(|x| x.0);
    let mut k = 0;
    while k < lower.len() {
        let (c, i) = lower[k];
        let (class, n) = match (c, at(k + 1)) {
            ('a', Some('e' | 'i' | 'y')) => ('E', 2),
            ('e', Some('o' | 'u')) => ('O', 2),
            ('e', Some('e')) => ('I', 2),
            ('o', Some('o' | 'u')) => ('O', 2),
            ('n', Some('g'))
                if !matches!(at(k + 2), Some('a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'w')) =>
            {
                ('G', 2)
            }
            ('c', Some('h')) => ('J', 2),
            ('s', Some('h')) => ('S', 2),
            ('p', Some('h')) => ('P', 2),
            ('a', _) => ('A', 1),
            ('e', _) => ('E', 1),
            ('i', _) => ('I', 1),
            ('o' | 'u', _) => ('O', 1),
            ('g' | 'k' | 'c' | 'q', _) => ('K', 1),
            ('d' | 't', _) => ('T', 1),
            ('b' | 'p' | 'f' | 'v', _) => ('P', 1),
            ('j' | 'z', _) => ('J', 1),
            ('s' | 'x', _) => ('S', 1),
            ('l' | 'r', _) => ('R', 1),
            ('n', _) => ('N', 1),
            ('m', _) => ('M', 1),
            ('h', _) => ('H', 1),
            ('w', _) => ('W', 1),
            ('y', _) => ('Y', 1),
            _ => ('?', 1),
        };
        if out.last().map(|x| x.0) != Some(class) {
            out.push((class, i));
        }
        k += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::fold;

    fn variant_strings(t: &str) -> Vec<String> {
        latin_variants(&fold(t))
            .into_iter()
            .map(|v| v.into_iter().map(|(c, _)| c).collect())
            .collect()
    }

    #[test]
    fn confusables_and_leet() {
        let table = [
            ("r4ns0mw4r3", "ransomware"),
            ("|<eylogger", "keylogger"),
            ("p@$$w0rd", "password"),
            ("r\u{430}ns\u{43e}mw\u{430}re", "ransomware"), // Cyrillic а, о
            ("ransοmware", "ransomware"),                   // Greek ο
            ("k3yl0gg3r!", "keylogger!"),
        ];
        for (input, want) in table {
            let v = variant_strings(input);
            assert!(v.iter().any(|s| s == want), "{input}: {v:?}");
        }
        assert!(variant_strings("m4lw4re").iter().any(|s| s == "malware"));
        assert!(variant_strings("ma1ware").iter().any(|s| s == "malware"));
        // Numbers and plain words are left alone: no variant at all.
        assert!(variant_strings("event 4625 on 10.0.0.5 at 2024-01-01").is_empty());
        assert!(variant_strings("랜섬웨어 분석").is_empty());
    }

    #[test]
    fn glue_accepts_tricks_not_sentences() {
        let g = |t: &str| {
            let f = fold(t);
            let v: Variant = f.iter().enumerate().map(|(i, x)| (x.c, i)).collect();
            Glued::new(&v)
        };
        let find = |gl: &Glued, w: &str| gl.text.find(w).map(|s| (s, s + w.len()));
        for t in [
            "r a n s o m w a r e",
            "ransom-ware",
            "ran.som_ware",
            &format!("write ransom{}ware", MESSAGE_SEPARATOR),
        ] {
            let gl = g(t);
            let (s, e) = find(&gl, "ransomware").unwrap_or((0, 0));
            assert!(gl.accepts(s, e, false, false), "{t}");
        }
        let gl = g("the ransom ware");
        let (s, e) = find(&gl, "ransomware").unwrap_or((0, 0));
        assert!(!gl.accepts(s, e, false, false));
        assert!(gl.accepts(s, e, false, true));
        // A sentence's words are not glued: "I'm planting" is not "implant".
        let gl = g("I'm planting a tree");
        let (s, e) = find(&gl, "implant").unwrap_or((0, 0));
        assert!(!gl.accepts(s, e, true, false));
    }

    #[test]
    fn phonetic_fold_merges_misspellings() {
        let f = |s: &str| s.chars().map(phonetic).collect::<String>();
        assert_eq!(f("랜썸웨어"), f("랜섬웨어"));
        assert_eq!(f("렌섬웨어"), f("랜섬웨어"));
        assert_eq!(f("랜솜웨어"), f("랜섬웨어"));
        assert_eq!(f("키로거"), f("키로거"));
        assert_ne!(f("랜섬웨어"), f("백도어"));
    }

    #[test]
    fn romanised_spellings_share_a_skeleton() {
        let sk = |s: &str| -> String {
            let v: Variant = s.chars().enumerate().map(|(i, c)| (c, i)).collect();
            roman_skeleton(&v).into_iter().map(|(c, _)| c).collect()
        };
        let term = sk(&romanise("랜섬웨어"));
        for s in [
            "raensseomweeo",
            "raenseomweeo",
            "laensseomweeo",
            "rensomweeo",
        ] {
            assert_eq!(sk(s), term, "{s}");
        }
        assert!(sk("mandeureo").starts_with(&sk(&romanise("만들"))));
        assert_ne!(sk("ransomware"), sk("mentor"));
    }
}
