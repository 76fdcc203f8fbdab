//! Engagement scopes: parsing scope targets (`ScopeTarget::from_str`, as registered by an organisation's owner),
//! engagement records (JSON, as stored), target extraction from request text (`extract_targets`) and the scope
//! check (`check_scope`).
//!
//! Input: lines. The first line that parses as a JSON object is tried as an `Engagement`; every line is tried as
//! a scope target; the whole input is the request text.
//!
//! Checks: no panic; extracted spans lie on char boundaries of the text; a scope target's display form parses
//! back to the same target; a scope registered from an extracted target covers it; and the scope check is
//! consistent (in scope exactly when every mentioned target is covered).

#![no_main]

use haetae_policy::{Engagement, ScopeTarget, Target, check_scope, extract_targets};
use libfuzzer_sys::fuzz_target;

fn check_scope_target(line: &str) {
    let Ok(t) = line.parse::<ScopeTarget>() else {
        return;
    };
    let shown = t.to_string();
    let back: ScopeTarget = shown.parse().unwrap_or_else(|e| {
        panic!("{line:?} parsed as {t:?}, shown as {shown:?}, which does not parse: {e}")
    });
    assert_eq!(
        back, t,
        "{line:?}: display form {shown:?} parses to another target"
    );
    // Serde goes through the same strings.
    let json = serde_json::to_string(&t).expect("serialise");
    let de: ScopeTarget = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(de, t);
}

fn scope_for(t: &Target) -> Option<ScopeTarget> {
    t.to_string().parse().ok()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let targets = extract_targets(text);
    for t in &targets {
        assert!(
            t.start < t.end && t.end <= text.len(),
            "span {}..{} in a {}-byte text",
            t.start,
            t.end,
            text.len()
        );
        assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        // Registering exactly what a request mentions must put it in scope.
        if let Some(s) = scope_for(&t.target) {
            assert!(
                s.covers(&t.target),
                "scope {s} (from {}) does not cover {:?}",
                t.target,
                t.target
            );
        }
    }
    let mut engagement = None;
    for line in text.lines() {
        check_scope_target(line);
        if engagement.is_none() && line.trim_start().starts_with('{') {
            engagement = serde_json::from_str::<Engagement>(line).ok();
        }
    }
    if let Some(e) = &engagement {
        let _ = e.validate();
        let now = e.valid_from.saturating_add(1);
        let status = check_scope(Some(e), &e.org_id, now, text);
        assert!(status.present && status.own_org);
        assert_eq!(status.targets.len(), targets.len());
        let uncovered = targets.iter().filter(|t| !e.covers(&t.target)).count();
        assert_eq!(status.out_of_scope.len(), uncovered);
        assert_eq!(status.in_scope, uncovered == 0);
        assert_eq!(status.valid, e.is_valid_at(now));
    }
    let none = check_scope(None, "org", 0, text);
    assert!(!none.ok(), "no engagement, yet ok");
    assert_eq!(none.out_of_scope.len(), targets.len());
});
