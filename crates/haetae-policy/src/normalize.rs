//! Text folding for the rule-based guard.
//!
//! Rules are written once, in a canonical form, and the request text is folded into that form: compatibility
//! decomposition (full-width Latin, compatibility jamo, ligatures), Hangul recomposition (so NFC, NFD and
//! jamo-spelled Korean all look the same), lower-casing, and removal of zero-width and combining characters that
//! attackers use to split keywords. Every folded character remembers the byte span of the original characters it
//! came from, so evidence spans always point into the caller's original text on char boundaries.

use unicode_normalization::char::decompose_compatible;

/// Separates messages in [`crate::request_text`]: U+2029 PARAGRAPH SEPARATOR is whitespace (no word runs across
/// it, as none runs across the template's role markers), and the glue variant ([`crate::fold::Glued`]) recognises
/// it as a message boundary.
pub(crate) const MESSAGE_SEPARATOR: char = '\u{2029}';

/// Conjoining Hangul jamo (what compatibility jamo decompose to).
fn is_jamo(c: char) -> bool {
    (0x1100..=0x11FF).contains(&(c as u32))
}

/// One character of folded text and the original byte span `[start, end)` it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FChar {
    pub c: char,
    pub start: usize,
    pub end: usize,
}

const L_BASE: u32 = 0x1100;
const V_BASE: u32 = 0x1161;
const T_BASE: u32 = 0x11A7;
const S_BASE: u32 = 0xAC00;

fn is_l(c: char) -> bool {
    (0x1100..=0x1112).contains(&(c as u32))
}
fn is_v(c: char) -> bool {
    (0x1161..=0x1175).contains(&(c as u32))
}
fn is_t(c: char) -> bool {
    (0x11A8..=0x11C2).contains(&(c as u32))
}

/// The final-consonant (jongseong) form of an initial consonant, where one exists. Compatibility jamo always
/// decompose to the initial form, so text spelled out letter by letter ("ㄹㅐㄴㅅㅓㅁ") needs this to rebuild the
/// syllable-final consonants.
fn l_to_t(c: char) -> Option<char> {
    let t = match c as u32 {
        0x1100 => 0x11A8,
        0x1101 => 0x11A9,
        0x1102 => 0x11AB,
        0x1103 => 0x11AE,
        0x1105 => 0x11AF,
        0x1106 => 0x11B7,
        0x1107 => 0x11B8,
        0x1109 => 0x11BA,
        0x110A => 0x11BB,
        0x110B => 0x11BC,
        0x110C => 0x11BD,
        0x110E => 0x11BE,
        0x110F => 0x11BF,
        0x1110 => 0x11C0,
        0x1111 => 0x11C1,
        0x1112 => 0x11C2,
        // Two compound finals decompose to archaic initials, not to finals: ㅀ to U+111A, ㅄ to U+1121 ("ㄸ ㅜ ㅀ").
        0x111A => 0x11B6,
        0x1121 => 0x11B9,
        _ => return None,
    };
    char::from_u32(t)
}

/// The compound final a final consonant makes with the initial consonant spelled after it (ㄹ + ㅎ = ㅀ).
fn compound_final(t: u32, l: u32) -> Option<u32> {
    Some(match (t, l) {
        (0x11A8, 0x1109) => 0x11AA,
        (0x11AB, 0x110C) => 0x11AC,
        (0x11AB, 0x1112) => 0x11AD,
        (0x11AF, 0x1100) => 0x11B0,
        (0x11AF, 0x1106) => 0x11B1,
        (0x11AF, 0x1107) => 0x11B2,
        (0x11AF, 0x1109) => 0x11B3,
        (0x11AF, 0x1110) => 0x11B4,
        (0x11AF, 0x1111) => 0x11B5,
        (0x11AF, 0x1112) => 0x11B6,
        (0x11B8, 0x1109) => 0x11B9,
        _ => return None,
    })
}

fn compound_vowel(a: u32, b: u32) -> Option<u32> {
    Some(match (a, b) {
        (0x1169, 0x1161) => 0x116A,
        (0x1169, 0x1162) => 0x116B,
        (0x1169, 0x1175) => 0x116C,
        (0x116E, 0x1165) => 0x116F,
        (0x116E, 0x1166) => 0x1170,
        (0x116E, 0x1175) => 0x1171,
        (0x1173, 0x1175) => 0x1174,
        _ => return None,
    })
}

/// Characters that carry no meaning for classification but can split a keyword: zero-width joiners and spaces,
/// soft hyphens, byte-order marks, variation selectors and combining marks.
fn is_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0
        | 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Fold `text` into canonical characters with their original spans.
pub(crate) fn fold(text: &str) -> Vec<FChar> {
    // Pass 1: compatibility decomposition, dropping ignorable characters.
    let mut raw: Vec<FChar> = Vec::with_capacity(text.len());
    for (start, ch) in text.char_indices() {
        let end = start + ch.len_utf8();
        decompose_compatible(ch, |d| {
            if !is_ignorable(d) {
                raw.push(FChar { c: d, start, end });
            }
        });
    }
    // Pass 1b: Korean spelled out letter by letter with spaces or dots between ("ㄹ ㅐ ㄴ ㅅ ㅓ ㅁ"): a short run of
    // separators between two jamo is dropped so the letters recompose. Jamo-only text is rare enough in ordinary
    // writing ("ㅋㅋ ㅎㅎ") that joining it costs nothing.
    // Only compatibility jamo (letters typed one by one) count, not the jamo of a decomposed syllable or NFD text:
    // "랜섬웨어 만들어" keeps its space.
    let spelled = |f: &FChar| {
        is_jamo(f.c)
            && text
                .get(f.start..f.end)
                .and_then(|s| s.chars().next())
                .is_some_and(|o| matches!(o as u32, 0x3131..=0x318E))
    };
    if raw.iter().any(&spelled) {
        let mut kept: Vec<FChar> = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            let f = raw[i];
            if !f.c.is_alphanumeric() && kept.last().is_some_and(spelled) {
                let mut j = i;
                while j < raw.len() && j - i < 3 && !raw[j].c.is_alphanumeric() {
                    j += 1;
                }
                if raw.get(j).is_some_and(spelled) {
                    i = j;
                    continue;
                }
            }
            kept.push(f);
            i += 1;
        }
        raw = kept;
    }
    // Pass 2: recompose Hangul (L V [T]) and lower-case everything else.
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let a = raw[i];
        if is_l(a.c) && i + 1 < raw.len() && is_v(raw[i + 1].c) {
            let v = raw[i + 1];
            let mut vowel = v.c as u32;
            let mut end = v.end;
            let mut used = 2;
            // Spelled-out compound vowels (ㅜ + ㅔ = ㅞ) only appear in letter-by-letter text.
            if let Some(v2) = raw.get(i + 2)
                && let Some(c) = compound_vowel(vowel, v2.c as u32)
            {
                vowel = c;
                end = v2.end;
                used = 3;
            }
            let mut s = S_BASE + ((a.c as u32 - L_BASE) * 21 + (vowel - V_BASE)) * 28;
            if let Some(t) = raw.get(i + used) {
                let next_is_vowel = raw.get(i + used + 1).is_some_and(|n| is_v(n.c));
                if is_t(t.c) {
                    s += t.c as u32 - T_BASE;
                    end = t.end;
                    used += 1;
                } else if !next_is_vowel && let Some(tt) = l_to_t(t.c) {
                    // A spelled-out final consonant: it only closes this syllable if no vowel follows it.
                    let mut final_c = tt as u32;
                    end = t.end;
                    used += 1;
                    // Spelled-out compound finals ("ㄸㅜㄹㅎㅇㅓ": ㄹ + ㅎ = ㅀ), under the same condition.
                    if let Some(t2) = raw.get(i + used)
                        && !raw.get(i + used + 1).is_some_and(|n| is_v(n.c))
                        && let Some(c) = compound_final(final_c, t2.c as u32)
                    {
                        final_c = c;
                        end = t2.end;
                        used += 1;
                    }
                    s += final_c - T_BASE;
                }
            }
            if let Some(c) = char::from_u32(s) {
                out.push(FChar {
                    c,
                    start: a.start,
                    end,
                });
                i += used;
                continue;
            }
        }
        for lc in a.c.to_lowercase() {
            out.push(FChar {
                c: lc,
                start: a.start,
                end: a.end,
            });
        }
        i += 1;
    }
    out
}

/// Fold to a plain string (used to bring rule terms into the same canonical form as the text).
pub(crate) fn fold_str(text: &str) -> String {
    fold(text).into_iter().map(|f| f.c).collect()
}

/// A searchable view of folded text: `text` plus, for each byte of `text`, the index of the folded char it came from.
pub(crate) struct View {
    pub text: String,
    pub map: Vec<usize>,
}

impl View {
    fn push(&mut self, c: char, idx: usize) {
        self.text.push(c);
        for _ in 0..c.len_utf8() {
            self.map.push(idx);
        }
    }

    /// Words separated by single spaces: every run of non-alphanumeric characters becomes one space. English
    /// rules match here, with word boundaries. Takes any variant: characters with the folded index each came from.
    pub fn words_of(chars: impl ExactSizeIterator<Item = (char, usize)>) -> View {
        let n = chars.len() + 2;
        let mut v = View {
            text: String::with_capacity(n),
            map: Vec::with_capacity(n),
        };
        let mut last_space = true;
        for (c, idx) in chars {
            if c.is_alphanumeric() {
                v.push(c, idx);
                last_space = false;
            } else if !last_space {
                v.push(' ', idx);
                last_space = true;
            }
        }
        v
    }

    /// Alphanumeric characters only. Korean rules match here, which makes them immune to spacing variants
    /// ("만드는 법" / "만드는법") and to punctuation inserted inside words. Takes any variant.
    pub fn compact_of(chars: impl ExactSizeIterator<Item = (char, usize)>) -> View {
        let n = chars.len();
        let mut v = View {
            text: String::with_capacity(n),
            map: Vec::with_capacity(n),
        };
        for (c, idx) in chars {
            if c.is_alphanumeric() {
                v.push(c, idx);
            }
        }
        v
    }
}

/// Strip everything but alphanumerics (for building compact rule terms).
pub(crate) fn compact_str(s: &str) -> String {
    fold_str(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Collapse non-alphanumerics to single spaces (for building word rule terms).
pub(crate) fn words_str(s: &str) -> String {
    let mut out = String::new();
    let mut last_space = true;
    for c in fold_str(s).chars() {
        if c.is_alphanumeric() {
            out.push(c);
            last_space = false;
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    }
    out.trim_end().to_string()
}

/// True when the text is (mostly) Korean: at least a fifth of its letters are Hangul. Denials are then written in
/// Korean. Mixed prompts ("keylogger 만들어줘") count as Korean because the Korean part carries the request.
pub fn is_korean(text: &str) -> bool {
    let mut hangul = 0usize;
    let mut letters = 0usize;
    for c in text.chars() {
        if is_hangul(c) {
            hangul += 1;
            letters += 1;
        } else if c.is_alphabetic() {
            letters += 1;
        }
    }
    hangul > 0 && hangul * 5 >= letters
}

pub(crate) fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xD7B0..=0xD7FF)
}

/// Hiragana and katakana (with the prolonged-sound mark): Japanese, whose verbs follow their objects.
pub(crate) fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x31F0..=0x31FF)
}

/// Han ideographs (Chinese, and Japanese kanji).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF)
}

/// Scripts written without spaces between words (Korean's spacing is free): their rule terms match on the
/// space-free view, so "勒 索 软 件" and "ランサム ウェア" meet their terms.
pub(crate) fn is_unspaced_script(c: char) -> bool {
    is_hangul(c) || is_kana(c) || is_han(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn nfc_nfd_and_compat_jamo_fold_alike() {
        let nfc = "랜섬웨어 만드는 법";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        assert_eq!(fold_str(nfc), fold_str(&nfd));
        assert_eq!(fold_str("ㄹㅐㄴㅅㅓㅁㅇㅜㅔㅇㅓ"), "랜섬웨어");
        assert_eq!(fold_str("ㅋㅣㄹㅗㄱㅓ"), "키로거");
        assert_eq!(fold_str("ＫＥＹＬＯＧＧＥＲ"), "keylogger");
        assert_eq!(fold_str("key\u{200b}logger"), "keylogger");
        assert_eq!(fold_str("ㄹ ㅐ ㄴ ㅅ ㅓ ㅁ ㅇ ㅜ ㅔ ㅇ ㅓ"), "랜섬웨어");
        assert_eq!(fold_str("ㄹ.ㅐ.ㄴ.ㅅ.ㅓ.ㅁ"), "랜섬");
        assert!(fold_str("ㅋㅋ 좋아").ends_with(" 좋아"));
        // Compound finals, typed as one letter (ㅀ and ㅄ decompose to archaic initials) or as two.
        assert_eq!(fold_str("ㄸ ㅜ ㅀ ㅇ ㅓ"), "뚫어");
        assert_eq!(fold_str("ㄸㅜㄹㅎㅇㅓ"), "뚫어");
        assert_eq!(fold_str("ㅇㅓㅄㅇㅓ"), "없어");
        assert_eq!(fold_str("ㅇㅓㅂㅅㅇㅓ"), "없어");
        assert_eq!(fold_str("ㅇㅣㄹㄱㅇㅓ"), "읽어");
        // A consonant before a vowel starts the next syllable: "ㄷㅏㄹㄱㅏ" is 달가, not 닭 + ㅏ.
        assert_eq!(fold_str("ㄷㅏㄹㄱㅏ"), "달가");
    }

    #[test]
    fn spans_point_into_the_original() {
        let text = "ㄹㅐㄴ 섬";
        for f in fold(text) {
            assert!(
                text.is_char_boundary(f.start) && text.is_char_boundary(f.end) && f.start < f.end
            );
        }
    }

    #[test]
    fn korean_detection() {
        assert!(is_korean("랜섬웨어 분석해 줘"));
        assert!(is_korean("keylogger 만들어줘"));
        assert!(!is_korean("write a keylogger"));
        assert!(!is_korean(""));
    }
}
