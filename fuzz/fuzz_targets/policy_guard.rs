//! The bilingual use-case guard (`haetae_policy::classify`) and the text it is given (`request_text`).
//!
//! Input: text (invalid UTF-8 is replaced, as the gateway never passes it on). When the text is a JSON value, the
//! guard also classifies `request_text` of it, as the classify stage does for a chat body.
//!
//! Checks: no panic; a well-formed verdict (never empty, confidences in [0, 1], most dangerous first, evidence on
//! char boundaries inside the text); and the normaliser's promises hold — inserting zero-width characters or soft
//! hyphens, or decomposing Hangul to jamo (NFD), never changes the labels (otherwise they would be evasions).

#![no_main]

use haetae_policy::guard::risk_rank;
use haetae_policy::{Classification, UseCaseScore, classify, request_text};
use libfuzzer_sys::fuzz_target;
use unicode_normalization::UnicodeNormalization;

fn check_scores(text: &str, scores: &[UseCaseScore], what: &str) {
    for s in scores {
        assert!(
            s.confidence.is_finite() && (0.0..=1.0).contains(&s.confidence),
            "{what}: confidence {} for {:?}",
            s.confidence,
            s.use_case
        );
        for e in &s.evidence {
            assert!(
                e.start <= e.end && e.end <= text.len(),
                "{what}: evidence {}..{} outside a {}-byte text",
                e.start,
                e.end,
                text.len()
            );
            assert!(
                text.is_char_boundary(e.start) && text.is_char_boundary(e.end),
                "{what}: evidence {}..{} not on char boundaries",
                e.start,
                e.end
            );
        }
    }
}

fn check(text: &str) -> Classification {
    let c = classify(text);
    assert!(!c.use_cases.is_empty(), "empty verdict");
    check_scores(text, &c.use_cases, "use_cases");
    check_scores(text, &c.suppressed, "suppressed");
    for w in c.use_cases.windows(2) {
        assert!(
            risk_rank(w[0].use_case) >= risk_rank(w[1].use_case),
            "not most dangerous first: {:?}",
            c.labels()
        );
    }
    assert_eq!(c.primary(), c.use_cases[0].use_case);
    let _ = haetae_policy::is_korean(text);
    c
}

fn check_invariant(original: &Classification, variant: &str, what: &str) {
    let v = check(variant);
    assert_eq!(
        original.labels(),
        v.labels(),
        "{what} changed the guard's labels: {variant:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let c = check(&text);

    // Zero-width characters and soft hyphens between letters must not hide (or invent) anything.
    let mut zw = String::with_capacity(text.len() * 2);
    for (i, ch) in text.chars().enumerate() {
        zw.push(ch);
        if i % 2 == 0 {
            zw.push(if i % 4 == 0 { '\u{200B}' } else { '\u{00AD}' });
        }
    }
    check_invariant(&c, &zw, "zero-width insertion");

    // Hangul spelled as conjoining jamo (NFD) is the same text to the guard.
    let nfd: String = text.nfd().collect();
    if nfd != *text {
        check_invariant(&c, &nfd, "NFD decomposition");
    }

    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
        let t = request_text(&v);
        check(&t);
    }
});
