//! The message catalogue: every refusal the gateway gives, in Korean and English, rendered at the edge in the
//! caller's language (`Accept-Language` first, else the language the guard detected in the request). The wire
//! shape is OpenAI's error object; `code` values are stable (clients and tests branch on them).

use axum::http::{HeaderMap, StatusCode, header};

use crate::error::ApiError;
use crate::pipeline::{Params, Refusal, RefusalCode, TierGap};
use crate::stages::classify::{ENGAGEMENT_HEADER, USE_CASE_HEADER};

/// The languages refusals are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    Ko,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Ko, Language::En];

    /// The caller's stated preference between Korean and English, by `q` weight (ties: the order given).
    /// `None` when the header is absent or names neither, so the request's own language decides.
    pub fn from_accept_language(headers: &HeaderMap) -> Option<Language> {
        let value = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
        let mut best: Option<(f32, Language)> = None;
        for item in value.split(',') {
            let mut pieces = item.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let lang = match primary {
                "ko" => Language::Ko,
                "en" => Language::En,
                _ => continue,
            };
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }

    /// The language the guard detected (mixed Korean and English text counts as Korean).
    pub fn from_detected(lang: haetae_policy::Lang) -> Language {
        if lang.is_korean() {
            Language::Ko
        } else {
            Language::En
        }
    }

    /// Before the guard has run: the request body's own language, by the guard's detector.
    pub fn of_body(bytes: &[u8]) -> Language {
        // A bounded prefix decides: the detector counts letters, and a prompt's language shows early.
        let prefix = &bytes[..bytes.len().min(16 * 1024)];
        Language::from_detected(haetae_policy::Lang::detect(&String::from_utf8_lossy(
            prefix,
        )))
    }

    fn ko(self) -> bool {
        self == Language::Ko
    }
}

/// Status, OpenAI `type` and wire `code` of a refusal code.
fn shape(code: RefusalCode) -> (StatusCode, &'static str, Option<&'static str>) {
    use RefusalCode as C;
    const INVALID: &str = "invalid_request_error";
    const DENIED: &str = "permission_denied";
    const SERVER: &str = "server_error";
    const UPSTREAM: &str = "upstream_error";
    match code {
        C::MissingKey
        | C::MalformedAuthorization
        | C::IncorrectKey
        | C::AdminKeyOnModelApi
        | C::KeyRevoked
        | C::KeyExpired => (StatusCode::UNAUTHORIZED, INVALID, Some("invalid_api_key")),
        C::OrganisationNotVerified
        | C::OrganisationSuspended
        | C::OrganisationRevoked
        | C::VettingExpired
        | C::EngagementNotFound
        | C::TierInsufficient
        | C::EngagementExpired
        | C::EngagementOutOfScope
        | C::UseCaseNotPermitted
        | C::PolicyDenied
        | C::PolicyError
        | C::HeldForReview
        | C::OutputBlocked => (StatusCode::FORBIDDEN, DENIED, Some(code.as_str())),
        C::BodyTooLarge => (
            StatusCode::PAYLOAD_TOO_LARGE,
            INVALID,
            Some("request_too_large"),
        ),
        C::UnsupportedMediaType => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            INVALID,
            Some("unsupported_media_type"),
        ),
        // Validation errors keep OpenAI's `code: null`; `param` names the field.
        C::BodyUnreadable | C::InvalidRequest | C::UnknownUseCase | C::EngagementIdTooLong => {
            (StatusCode::BAD_REQUEST, INVALID, None)
        }
        C::UpstreamRejected => (StatusCode::BAD_REQUEST, INVALID, None),
        C::ModelNotFound => (StatusCode::NOT_FOUND, INVALID, Some("model_not_found")),
        C::GuardUnavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            SERVER,
            Some("guard_unavailable"),
        ),
        C::ModelUnavailable | C::MeterUnavailable | C::LedgerUnavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            SERVER,
            Some("service_unavailable"),
        ),
        C::StoreUnavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            SERVER,
            Some("store_unavailable"),
        ),
        C::RateLimitExceeded => (
            StatusCode::TOO_MANY_REQUESTS,
            "requests",
            Some("rate_limit_exceeded"),
        ),
        C::InsufficientQuota => (
            StatusCode::TOO_MANY_REQUESTS,
            "insufficient_quota",
            Some("insufficient_quota"),
        ),
        C::UpstreamTimeout => (
            StatusCode::GATEWAY_TIMEOUT,
            UPSTREAM,
            Some("upstream_timeout"),
        ),
        C::UpstreamFailed => (StatusCode::BAD_GATEWAY, UPSTREAM, Some("upstream_error")),
        C::UpstreamRateLimited => (
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limit_error",
            Some("upstream_rate_limited"),
        ),
        C::ModelOverloaded => (
            StatusCode::SERVICE_UNAVAILABLE,
            SERVER,
            Some("model_overloaded"),
        ),
        C::Internal => (
            StatusCode::INTERNAL_SERVER_ERROR,
            SERVER,
            Some("internal_error"),
        ),
    }
}

/// The message for a refusal, in `lang`.
pub fn message(r: &Refusal, lang: Language) -> String {
    use RefusalCode as C;
    let ko = lang.ko();
    let pick = |k: &str, e: &str| if ko { k.to_string() } else { e.to_string() };
    let mut m = match (r.code, &*r.params) {
        (C::MissingKey, _) => pick(
            "API 키가 없습니다. 'Authorization: Bearer hk_…' 헤더로 보내 주세요.",
            "You didn't provide an API key. Send it as 'Authorization: Bearer hk_…'.",
        ),
        (C::MalformedAuthorization, _) => pick(
            "Authorization 헤더는 'Bearer <키>' 형식이어야 합니다.",
            "The Authorization header must be 'Bearer <key>'.",
        ),
        (C::IncorrectKey, _) => pick("API 키가 올바르지 않습니다.", "Incorrect API key provided."),
        (C::AdminKeyOnModelApi, _) => pick(
            "관리자 키로는 모델 API를 호출할 수 없습니다. 구성원의 키를 사용하세요.",
            "Administrator keys cannot call the model API; use a member's key.",
        ),
        (C::KeyRevoked, _) => pick(
            "이 API 키는 폐기되었습니다.",
            "This API key has been revoked.",
        ),
        (C::KeyExpired, _) => pick("이 API 키는 만료되었습니다.", "This API key has expired."),
        (C::OrganisationNotVerified, Params::Policy { .. })
        | (C::VettingExpired, Params::Policy { .. })
        | (C::TierInsufficient, _)
        | (C::EngagementExpired, _)
        | (C::EngagementOutOfScope, _)
        | (C::UseCaseNotPermitted, _)
        | (C::PolicyDenied, _)
        | (C::PolicyError, _)
        | (C::HeldForReview, _) => policy_message(r, ko),
        (C::OrganisationNotVerified, _) => pick(
            "소속 기관의 심사가 아직 완료되지 않아 모델을 사용할 수 없습니다.",
            "Your organisation has not been verified yet, so its keys cannot call models.",
        ),
        (C::OrganisationSuspended, _) => pick(
            "소속 기관의 이용이 정지되어 모델을 사용할 수 없습니다. 프로그램 운영자에게 문의하세요.",
            "Your organisation's access is suspended; contact the programme's operators.",
        ),
        (C::OrganisationRevoked, _) => pick(
            "소속 기관의 참여 자격이 취소되었습니다.",
            "Your organisation's participation has been revoked.",
        ),
        (C::VettingExpired, _) => pick(
            "소속 기관의 심사 유효기간이 지났습니다. 재심사를 받아야 합니다.",
            "Your organisation's vetting has expired; it must be vetted again.",
        ),
        (C::BodyTooLarge, Params::Limit { bytes }) => {
            if ko {
                format!("요청 본문이 {bytes}바이트 한도보다 큽니다.")
            } else {
                format!("The request body is larger than the {bytes}-byte limit.")
            }
        }
        (C::BodyTooLarge, _) => pick(
            "요청 본문이 허용 한도보다 큽니다.",
            "The request body is larger than the limit.",
        ),
        (C::UnsupportedMediaType, Params::MediaType { declared: Some(m) }) => {
            if ko {
                format!(
                    "요청 본문은 JSON이어야 합니다(Content-Type: application/json). '{m}' 형식은 받지 않습니다."
                )
            } else {
                format!(
                    "The request body must be JSON (Content-Type: application/json), not '{m}'."
                )
            }
        }
        (C::UnsupportedMediaType, _) => pick(
            "요청 본문은 JSON이어야 합니다(Content-Type: application/json).",
            "The request body must be JSON (Content-Type: application/json).",
        ),
        (C::BodyUnreadable, _) => pick(
            "요청 본문을 읽을 수 없습니다.",
            "The request body could not be read.",
        ),
        (C::InvalidRequest, Params::Field { param, detail }) => {
            if ko {
                if param.is_empty() {
                    format!("요청이 올바르지 않습니다. ({detail})")
                } else {
                    format!("요청의 '{param}' 값이 올바르지 않습니다. ({detail})")
                }
            } else {
                detail.clone()
            }
        }
        (C::InvalidRequest, _) => pick("요청이 올바르지 않습니다.", "The request is invalid."),
        (C::UnknownUseCase, params) => {
            let known: Vec<&str> = haetae_core::UseCase::ALL
                .iter()
                .map(|u| u.as_str())
                .collect();
            let given = match params {
                Params::UseCase { given } => given.as_str(),
                _ => "",
            };
            if ko {
                format!(
                    "'{given}'은(는) 용도(use-case)가 아닙니다. 다음 중 하나를 선언하세요: {}.",
                    known.join(", ")
                )
            } else {
                format!(
                    "'{given}' is not a use-case. Declare one of: {}.",
                    known.join(", ")
                )
            }
        }
        (C::EngagementIdTooLong, _) => pick(
            "점검(engagement) ID가 128바이트보다 깁니다.",
            "The engagement id is longer than 128 bytes.",
        ),
        (
            C::GuardUnavailable,
            Params::Guard {
                reason_en,
                reason_ko,
            },
        ) => pick(reason_ko, reason_en),
        (C::GuardUnavailable, _) => pick(
            "요청 용도 분류기를 사용할 수 없어 요청을 거부합니다.",
            "The request classifier is unavailable, so the request is refused.",
        ),
        (C::ModelNotFound, params) => {
            let name = match params {
                Params::Model { name } => name.as_str(),
                _ => "",
            };
            if ko {
                format!("모델 '{name}'이(가) 없거나 사용 권한이 없습니다.")
            } else {
                format!("The model '{name}' does not exist or you do not have access to it.")
            }
        }
        (C::ModelUnavailable, params) => {
            let name = match params {
                Params::Model { name } => name.as_str(),
                _ => "",
            };
            if ko {
                format!("모델 '{name}'은(는) 지금 제공되지 않습니다.")
            } else {
                format!("The model '{name}' is not being served right now.")
            }
        }
        // The same words whether the id is unknown or another organisation's: nothing tells them apart.
        (C::EngagementNotFound, _) => pick(
            "이 점검(engagement) ID로 등록된 소속 기관의 점검이 없습니다.",
            "Your organisation has no engagement with this id.",
        ),
        (C::RateLimitExceeded | C::InsufficientQuota, Params::Meter(d)) => {
            if ko {
                d.message_ko()
            } else {
                d.message()
            }
        }
        (C::RateLimitExceeded, _) => pick("요청 한도를 초과했습니다.", "Rate limit exceeded."),
        (C::InsufficientQuota, _) => {
            pick("토큰 예산이 부족합니다.", "The token budget is exhausted.")
        }
        (C::MeterUnavailable, _) => pick(
            "지금은 사용 한도와 예산을 확인할 수 없어, 확인할 수 있을 때까지 요청을 거부합니다.",
            "The gateway cannot check rate limits and budgets right now, so it refuses requests until it can.",
        ),
        (C::UpstreamTimeout, _) => pick(
            "모델 백엔드가 제시간에 응답하지 않았습니다.",
            "The model backend did not answer in time.",
        ),
        (C::UpstreamFailed, Params::Upstream { message, .. }) if !message.is_empty() => {
            if ko {
                format!("모델 백엔드가 상태 {message}(으)로 실패했습니다.")
            } else {
                format!("The model backend failed with status {message}.")
            }
        }
        (C::UpstreamFailed, _) => pick(
            "모델 백엔드에 연결할 수 없거나 잘못된 응답을 보냈습니다.",
            "The model backend could not be reached or sent an invalid response.",
        ),
        (C::UpstreamRateLimited, _) => pick(
            "모델 백엔드가 요청을 제한하고 있습니다. 잠시 후 다시 시도하세요.",
            "The model backend is rate limiting; try again shortly.",
        ),
        (C::UpstreamRejected, params) => {
            let message = match params {
                Params::Upstream { message, .. } => message.as_str(),
                _ => "",
            };
            if ko {
                format!("모델 백엔드가 요청을 거부했습니다: {message}")
            } else {
                format!("The model backend rejected the request: {message}")
            }
        }
        (C::ModelOverloaded, params) => {
            let message = match params {
                Params::Upstream { message, .. } if !message.is_empty() => Some(message.as_str()),
                _ => None,
            };
            match (ko, message) {
                (false, Some(m)) => m.to_string(),
                _ => pick(
                    "모델이 과부하 상태입니다. 잠시 후 다시 시도하세요.",
                    "The model is overloaded; try again shortly.",
                ),
            }
        }
        (C::OutputBlocked, params) => {
            let (use_case, rule) = match params {
                Params::Output { use_case, rule_id } => (use_case.as_str(), rule_id.as_str()),
                _ => ("", ""),
            };
            if ko {
                format!(
                    "모델의 답변이 프로그램이 허용하지 않는 결과물({use_case})로 판정되어 전달하지 않았습니다. [정책: output-guard.{rule}]"
                )
            } else {
                format!(
                    "The model's answer was withheld: it was judged to be an artefact the programme does not release ({use_case}). [policy: output-guard.{rule}]"
                )
            }
        }
        (C::StoreUnavailable, _) => pick(
            "지금은 프로그램 저장소를 읽거나 쓸 수 없어 요청을 수행하지 않았으며 아무것도 바뀌지 않았습니다. 잠시 후 다시 시도하세요.",
            "The programme store cannot be read or written right now, so the request was not carried out and nothing was changed. Try again shortly.",
        ),
        (C::LedgerUnavailable, _) => pick(
            "투명성 원장에 결정을 기록할 수 없어, 기록할 수 있을 때까지 요청을 거부합니다.",
            "The transparency ledger cannot record decisions right now, so the gateway refuses requests until it can.",
        ),
        (C::Internal, _) => pick(
            "게이트웨이가 이 요청을 처리하지 못했습니다.",
            "The gateway failed to handle this request.",
        ),
    };
    if m.is_empty() {
        m = pick("요청이 거부되었습니다.", "The request was refused.");
    }
    m
}

/// A Cedar decision's message: its reason, what the gateway knows beyond it, the review item, the policies.
fn policy_message(r: &Refusal, ko: bool) -> String {
    let (reason, review_item, tier) = match &*r.params {
        Params::Policy {
            reason_en,
            reason_ko,
            review_item,
            tier,
        } => (
            if ko { reason_ko } else { reason_en }.clone(),
            review_item.as_deref(),
            tier.as_ref(),
        ),
        _ => (String::new(), None, None),
    };
    let mut message = if reason.is_empty() {
        if ko {
            "프로그램 정책에 따라 거부되었습니다.".to_string()
        } else {
            "Refused by the programme's policy.".to_string()
        }
    } else {
        reason
    };
    if let Some(TierGap { model, needs, has }) = tier {
        message.push(' ');
        message.push_str(&if ko {
            format!("모델 '{model}'은(는) '{needs}' 이상 등급이 필요하며, 소속 기관의 등급은 '{has}'입니다.")
        } else {
            format!(
                "The model '{model}' requires tier '{needs}' or higher; your organisation's tier is '{has}'."
            )
        });
    }
    if let Some(item) = review_item {
        message.push_str(&if ko {
            format!(" (검토 항목 {item})")
        } else {
            format!(" (review item {item})")
        });
    }
    if !r.policy_ids.is_empty() {
        let policies = r.policy_ids.join(", ");
        message.push_str(&if ko {
            format!(" [정책: {policies}]")
        } else {
            format!(" [policy: {policies}]")
        });
    }
    message
}

/// The OpenAI error a refusal becomes, in `lang`.
pub fn render(r: &Refusal, lang: Language) -> ApiError {
    let (status, mut kind, code) = shape(r.code);
    let mut e = ApiError::new(status, kind, code, message(r, lang));
    match &*r.params {
        Params::Field { param, .. } if !param.is_empty() => e.param = Some(param.clone()),
        Params::Meter(d) => {
            kind = d.error_type();
            e.kind = kind;
            e.headers = d.headers.to_pairs().into();
        }
        Params::Upstream {
            retry_after_secs: Some(s),
            ..
        } => e.retry_after_secs = Some(u32::try_from(*s).unwrap_or(u32::MAX)),
        _ => {}
    }
    match r.code {
        RefusalCode::ModelNotFound => e.param = Some("model".into()),
        RefusalCode::UnknownUseCase => e.param = Some(USE_CASE_HEADER.into()),
        RefusalCode::UnsupportedMediaType => e.param = Some("content-type".into()),
        RefusalCode::EngagementIdTooLong | RefusalCode::EngagementNotFound => {
            e.param = Some(ENGAGEMENT_HEADER.into())
        }
        _ => {}
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Stage;
    use axum::http::HeaderValue;

    fn hangul(c: char) -> bool {
        ('\u{AC00}'..='\u{D7A3}').contains(&c)
    }

    /// Typical params for each code, so every message is rendered with the details it would carry.
    fn sample(code: RefusalCode) -> Refusal {
        use RefusalCode as C;
        let params = match code {
            C::BodyTooLarge => Params::Limit { bytes: 1024 },
            C::UnsupportedMediaType => Params::MediaType {
                declared: Some("text/plain".into()),
            },
            C::InvalidRequest => Params::Field {
                param: "messages".into(),
                detail: "'messages' is required.".into(),
            },
            C::UnknownUseCase => Params::UseCase {
                given: "hacking".into(),
            },
            C::ModelNotFound | C::ModelUnavailable => Params::Model {
                name: "mock-1".into(),
            },
            C::TierInsufficient
            | C::EngagementExpired
            | C::EngagementOutOfScope
            | C::UseCaseNotPermitted
            | C::PolicyDenied
            | C::PolicyError
            | C::HeldForReview => Params::Policy {
                reason_en: "Refused.".into(),
                reason_ko: "거부되었습니다.".into(),
                review_item: (code == C::HeldForReview).then(|| "abc".into()),
                tier: (code == C::TierInsufficient).then(|| TierGap {
                    model: "m".into(),
                    needs: "trusted".into(),
                    has: "public".into(),
                }),
            },
            C::GuardUnavailable => Params::Guard {
                reason_en: "The guard model is unavailable.".into(),
                reason_ko: "가드 모델을 사용할 수 없습니다.".into(),
            },
            C::OutputBlocked => Params::Output {
                use_case: haetae_core::UseCase::MalwareDevelopment,
                rule_id: "encryptor".into(),
            },
            C::UpstreamRejected | C::UpstreamFailed => Params::Upstream {
                message: "500".into(),
                retry_after_secs: None,
            },
            _ => Params::None,
        };
        Refusal::new(Stage::Authorise, code).with_params(params)
    }

    /// Every refusal code renders in both languages: a non-empty message, Korean text in Korean (Hangul), none
    /// in English, and the same status, type and code in both.
    #[test]
    fn every_refusal_renders_in_korean_and_english() {
        let mut seen = std::collections::HashSet::new();
        for code in RefusalCode::ALL {
            assert!(seen.insert(code), "{code:?} listed twice in ALL");
            let r = sample(code);
            let ko = render(&r, Language::Ko);
            let en = render(&r, Language::En);
            assert!(
                ko.message.chars().any(hangul),
                "{code:?} has no Korean message: {}",
                ko.message
            );
            assert!(
                !en.message.chars().any(hangul),
                "{code:?}'s English message has Hangul: {}",
                en.message
            );
            assert_ne!(ko.message, en.message, "{code:?}");
            assert_eq!(
                (ko.status, ko.kind, &ko.code),
                (en.status, en.kind, &en.code)
            );
            assert!(
                ko.status.is_client_error() || ko.status.is_server_error(),
                "{code:?}"
            );
        }
    }

    /// The wire codes the process tests and clients rely on.
    #[test]
    fn wire_codes_are_stable() {
        use RefusalCode as C;
        let table = [
            (C::IncorrectKey, 401, Some("invalid_api_key")),
            (
                C::OrganisationSuspended,
                403,
                Some("organisation_suspended"),
            ),
            (C::InvalidRequest, 400, None),
            (C::UnknownUseCase, 400, None),
            (C::BodyTooLarge, 413, Some("request_too_large")),
            (C::UnsupportedMediaType, 415, Some("unsupported_media_type")),
            (C::ModelNotFound, 404, Some("model_not_found")),
            (C::EngagementNotFound, 403, Some("engagement_not_found")),
            (C::UseCaseNotPermitted, 403, Some("use_case_not_permitted")),
            (C::HeldForReview, 403, Some("held_for_review")),
            (C::GuardUnavailable, 503, Some("guard_unavailable")),
            (C::InsufficientQuota, 429, Some("insufficient_quota")),
            (C::StoreUnavailable, 503, Some("store_unavailable")),
            (C::OutputBlocked, 403, Some("output_blocked")),
            (C::UpstreamTimeout, 504, Some("upstream_timeout")),
        ];
        for (code, status, wire) in table {
            let e = render(&sample(code), Language::En);
            assert_eq!(e.status.as_u16(), status, "{code:?}");
            assert_eq!(e.code.as_deref(), wire, "{code:?}");
        }
    }

    #[test]
    fn accept_language_picks_by_weight() {
        let cases = [
            ("ko-KR,ko;q=0.9,en;q=0.8", Some(Language::Ko)),
            ("en-US,en;q=0.9,ko;q=0.5", Some(Language::En)),
            ("en;q=0.3, ko;q=0.7", Some(Language::Ko)),
            ("ja,zh", None),
            ("ja, en;q=0.1", Some(Language::En)),
            ("ko;q=0", None),
            ("", None),
        ];
        for (value, want) in cases {
            let mut h = HeaderMap::new();
            h.insert(
                header::ACCEPT_LANGUAGE,
                HeaderValue::from_str(value).expect("header"),
            );
            assert_eq!(Language::from_accept_language(&h), want, "{value}");
        }
        assert_eq!(Language::from_accept_language(&HeaderMap::new()), None);
    }
}
