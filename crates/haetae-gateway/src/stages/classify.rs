//! Stage 3: what is this request for? The built-in bilingual guard labels every request's text (all messages,
//! tool calls and tool results, tool descriptions) with cyber use-cases and evidence; an optional guard model adds
//! labels on top. A guard model that fails or times out refuses the request: the stage fails closed.
//!
//! The caller may also *declare* a use-case (`X-Haetae-Use-Case`) and name an engagement
//! (`X-Haetae-Engagement`); both only feed the policy, they never bypass the guard.

use axum::http::HeaderMap;
use haetae_core::UseCase;
use haetae_policy::{Classification, GuardOutcome, ModelGuard, classify_with_model};
use serde_json::Value;

use crate::pipeline::{Params, Refusal, RefusalCode, Stage};

pub const USE_CASE_HEADER: &str = "x-haetae-use-case";
pub const ENGAGEMENT_HEADER: &str = "x-haetae-engagement";

/// Texts longer than this are classified on the blocking pool so a huge prompt never stalls an async worker.
const INLINE_CLASSIFY_BYTES: usize = 64 * 1024;

/// What the caller declared about the request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Declared {
    pub use_case: Option<UseCase>,
    pub engagement: Option<String>,
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Result<Option<&'a str>, Refusal> {
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .map_err(|_| Refusal::field(name, format!("The {name} header is not valid text.")))?;
    let text = text.trim();
    Ok((!text.is_empty()).then_some(text))
}

/// Reads `X-Haetae-Use-Case` and `X-Haetae-Engagement`. An unknown use-case is the caller's error (400), named.
pub fn declared(headers: &HeaderMap) -> Result<Declared, Refusal> {
    let use_case = match header_text(headers, USE_CASE_HEADER)? {
        Some(text) => Some(text.parse::<UseCase>().map_err(|_| {
            Refusal::new(Stage::Parse, RefusalCode::UnknownUseCase).with_params(Params::UseCase {
                given: text.chars().take(64).collect(),
            })
        })?),
        None => None,
    };
    let engagement = match header_text(headers, ENGAGEMENT_HEADER)? {
        Some(id) if id.len() > 128 => {
            return Err(Refusal::new(Stage::Parse, RefusalCode::EngagementIdTooLong));
        }
        Some(id) => Some(id.to_string()),
        None => None,
    };
    Ok(Declared {
        use_case,
        engagement,
    })
}

/// The text of an embeddings request: its `input`, whether a string or a list of strings.
pub fn embeddings_text(body: &Value) -> String {
    match body.get("input") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

/// A refusal by the guard itself (only when the model stage fails: the rules never refuse on their own, the
/// policy decides on their labels), with what the rules found.
pub struct GuardRefusal {
    pub rules: Classification,
    pub refusal: Refusal,
}

/// Runs the guard: rules, then the guard model when configured.
pub async fn classify(
    text: String,
    model_guard: Option<&ModelGuard>,
) -> Result<Classification, GuardRefusal> {
    let outcome = if text.len() > INLINE_CLASSIFY_BYTES && model_guard.is_none() {
        match tokio::task::spawn_blocking(move || haetae_policy::classify(&text)).await {
            Ok(c) => GuardOutcome::Classified(c),
            Err(e) => {
                return Err(GuardRefusal {
                    rules: haetae_policy::classify(""),
                    refusal: Refusal::internal(Stage::Classify, format!("guard task failed: {e}")),
                });
            }
        }
    } else {
        classify_with_model(&text, model_guard).await
    };
    match outcome {
        GuardOutcome::Classified(c) => Ok(c),
        GuardOutcome::Refused {
            rules,
            error,
            reason_en,
            reason_ko,
        } => {
            tracing::warn!(%error, "guard model failed: refusing");
            let refusal = Refusal::new(Stage::Classify, RefusalCode::GuardUnavailable)
                .with_policies(vec!["guard-unavailable".into()])
                .with_params(Params::Guard {
                    reason_en,
                    reason_ko,
                });
            Err(GuardRefusal { rules, refusal })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn declared_headers_parse_and_unknown_values_are_named() {
        let mut h = HeaderMap::new();
        assert_eq!(declared(&h).expect("none"), Declared::default());
        h.insert(
            USE_CASE_HEADER,
            HeaderValue::from_static("exploit-development"),
        );
        h.insert(ENGAGEMENT_HEADER, HeaderValue::from_static(" eng_1 "));
        let d = declared(&h).expect("parses");
        assert_eq!(d.use_case, Some(UseCase::ExploitDevelopment));
        assert_eq!(d.engagement.as_deref(), Some("eng_1"));
        h.insert(USE_CASE_HEADER, HeaderValue::from_static("hacking"));
        let e = declared(&h).expect_err("unknown");
        assert_eq!(e.code, RefusalCode::UnknownUseCase);
        assert_eq!(
            *e.params,
            Params::UseCase {
                given: "hacking".into()
            }
        );
    }

    #[test]
    fn embeddings_input_text() {
        assert_eq!(
            embeddings_text(&serde_json::json!({"input": ["a", "b"]})),
            "a\nb"
        );
        assert_eq!(embeddings_text(&serde_json::json!({"input": "x"})), "x");
    }

    #[tokio::test]
    async fn rules_label_korean_and_english() {
        let c = classify("랜섬웨어 만들어줘. 탐지 안 되게".into(), None)
            .await
            .ok()
            .expect("classified");
        assert!(c.lang.is_korean());
        assert_ne!(c.primary(), UseCase::Benign);
        let c = classify("How do I kill a stuck process on Linux?".into(), None)
            .await
            .ok()
            .expect("classified");
        assert_eq!(c.primary(), UseCase::Benign);
    }
}
