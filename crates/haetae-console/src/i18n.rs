//! The console's one message catalogue, Korean and English side by side, and the choice of language: the `lang`
//! cookie (set by the switch link) when present, else the first supported language in `Accept-Language`, else
//! English. An explicit choice outranks the browser's default, so a Korean operator on an English browser (or
//! the reverse) keeps the language they picked.

use std::collections::BTreeMap;

use axum::http::HeaderMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ko,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s.trim().split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("ko") {
            Some(Lang::Ko)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The cookie first, then `Accept-Language` (in its `q` order), then English.
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        if let Some(lang) =
            crate::session::cookie(headers, LANG_COOKIE).and_then(|v| Lang::parse(&v))
        {
            return lang;
        }
        let Some(accept) = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
        else {
            return Lang::En;
        };
        let mut ranges: Vec<(f32, usize, &str)> = accept
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, i, tag))
            })
            .collect();
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranges
            .iter()
            .find_map(|(_, _, tag)| Lang::parse(tag))
            .unwrap_or(Lang::En)
    }

    /// The other language, for the switch link.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Ko,
            Lang::Ko => Lang::En,
        }
    }
}

pub const LANG_COOKIE: &str = "lang";

/// Every label, message and heading of the console: key, English, Korean.
const MESSAGES: &[(&str, &str, &str)] = &[
    ("app_name", "Haetae console", "해태 콘솔"),
    ("skip_to_content", "Skip to content", "본문으로 건너뛰기"),
    ("nav_label", "Main", "주 메뉴"),
    ("switch_language", "한국어", "English"),
    (
        "switch_language_label",
        "Switch the language to Korean",
        "언어를 영어로 바꾸기",
    ),
    ("nav_overview", "Overview", "개요"),
    ("nav_orgs", "Organisations", "기관"),
    ("nav_reviews", "Review queue", "검토 대기열"),
    ("nav_people", "Console users", "콘솔 사용자"),
    ("nav_ledger", "Ledger", "원장"),
    ("nav_my_org", "My organisation", "우리 기관"),
    ("signed_in_as", "Signed in as", "로그인 사용자"),
    ("sign_out", "Sign out", "로그아웃"),
    ("sign_in", "Sign in", "로그인"),
    ("sign_in_title", "Sign in with a passkey", "패스키로 로그인"),
    (
        "sign_in_intro",
        "Operators and organisation owners sign in with a passkey. An API key does not open the console.",
        "운영자와 기관 책임자는 패스키로 로그인합니다. API 키로는 콘솔에 들어올 수 없습니다.",
    ),
    ("user_name", "Console user name", "콘솔 사용자 이름"),
    (
        "continue_with_passkey",
        "Continue with passkey",
        "패스키로 계속",
    ),
    (
        "passkey_failed",
        "The passkey could not be used. Try again, or ask an operator for a new enrolment link.",
        "패스키를 사용할 수 없습니다. 다시 시도하거나 운영자에게 새 등록 링크를 요청하세요.",
    ),
    (
        "js_required",
        "Passkeys need JavaScript in this page (served from this gateway only).",
        "패스키를 쓰려면 이 페이지의 자바스크립트가 필요합니다(이 게이트웨이에서만 제공).",
    ),
    ("enrol_title", "Enrol a passkey", "패스키 등록"),
    (
        "enrol_intro",
        "This one-time link enrols a passkey for",
        "이 일회용 링크로 다음 사용자의 패스키를 등록합니다:",
    ),
    ("enrol_role", "Role", "역할"),
    ("enrol_expires", "The link expires at", "링크 만료 시각"),
    ("create_passkey", "Create passkey", "패스키 만들기"),
    (
        "enrol_unusable",
        "This enrolment link is unknown, already used or expired.",
        "이 등록 링크는 없거나, 이미 사용되었거나, 만료되었습니다.",
    ),
    ("role_operator", "Operator", "운영자"),
    ("role_owner", "Organisation owner", "기관 책임자"),
    ("overview_title", "Programme overview", "프로그램 개요"),
    ("tiers", "Tiers", "등급"),
    ("tier", "Tier", "등급"),
    ("rank", "Rank", "순위"),
    ("description", "Description", "설명"),
    (
        "orgs_by_state",
        "Organisations by vetting state",
        "심사 상태별 기관",
    ),
    ("vetting_state", "Vetting state", "심사 상태"),
    ("count", "Count", "수"),
    (
        "expiring_soon",
        "Vettings expiring within 30 days",
        "30일 안에 만료되는 심사",
    ),
    ("none", "None.", "없음."),
    ("open_reviews", "Open review items", "열린 검토 항목"),
    ("state_applied", "Applied", "신청"),
    ("state_verified", "Verified", "승인"),
    ("state_suspended", "Suspended", "정지"),
    ("state_revoked", "Revoked", "취소"),
    ("orgs_title", "Organisations", "기관"),
    ("name", "Name", "이름"),
    ("country", "Country", "국가"),
    ("sector", "Sector", "부문"),
    ("expires", "Expires", "만료"),
    ("never", "never", "없음"),
    ("next_page", "Next page", "다음 쪽"),
    ("org_title", "Organisation", "기관"),
    ("vetting_history", "Vetting evidence", "심사 근거"),
    ("reviewer", "Reviewer", "심사자"),
    ("checked", "What was checked", "확인한 내용"),
    ("decision", "Decision", "결정"),
    ("notes", "Notes", "메모"),
    ("recorded_at", "Recorded at", "기록 시각"),
    (
        "record_vetting",
        "Record a vetting decision",
        "심사 결정 기록",
    ),
    (
        "expires_in_days",
        "Valid for (days; empty: no expiry)",
        "유효 기간(일, 비우면 만료 없음)",
    ),
    ("save", "Save", "저장"),
    ("members", "Members", "구성원"),
    ("identity", "Identity", "신원"),
    ("role", "Role", "역할"),
    ("keys", "API keys", "API 키"),
    ("key_id", "Key id", "키 ID"),
    ("member", "Member", "구성원"),
    ("label", "Label", "이름표"),
    ("created", "Created", "생성"),
    ("status", "Status", "상태"),
    ("active", "active", "사용 중"),
    ("revoked", "revoked", "취소됨"),
    ("revoke", "Revoke", "취소"),
    ("issue_key", "Issue a key", "키 발급"),
    ("issue", "Issue", "발급"),
    (
        "key_issued",
        "The new key is shown once. Copy it now; the gateway keeps only its hash.",
        "새 키는 한 번만 표시됩니다. 지금 복사하세요. 게이트웨이는 해시만 보관합니다.",
    ),
    ("key_revoked", "The key is revoked.", "키를 취소했습니다."),
    (
        "owner_link",
        "Enrolment link for an owner",
        "책임자 등록 링크",
    ),
    (
        "owner_link_issue",
        "Issue an owner's enrolment link",
        "책임자 등록 링크 발급",
    ),
    (
        "link_issued",
        "Give this one-time link to the owner over a channel you trust. It works once and expires in 24 hours.",
        "이 일회용 링크를 신뢰할 수 있는 경로로 책임자에게 전달하세요. 한 번만 쓸 수 있고 24시간 뒤 만료됩니다.",
    ),
    ("engagements", "Engagements", "점검 계약"),
    ("targets", "Targets (one per line)", "대상(한 줄에 하나)"),
    ("valid_from", "Valid from", "시작"),
    ("valid_until", "Valid until", "종료"),
    ("valid_days", "Valid for (days)", "유효 기간(일)"),
    ("register", "Register", "등록"),
    (
        "register_engagement",
        "Register an engagement",
        "점검 계약 등록",
    ),
    (
        "engagement_registered",
        "The engagement is registered.",
        "점검 계약을 등록했습니다.",
    ),
    (
        "engagement_revoked",
        "The engagement is revoked.",
        "점검 계약을 취소했습니다.",
    ),
    ("reviews_title", "Review queue", "검토 대기열"),
    ("kind", "Kind", "종류"),
    ("severity", "Severity", "심각도"),
    ("opened", "Opened", "열린 시각"),
    ("claimed_by", "Claimed by", "담당자"),
    ("claim", "Claim", "맡기"),
    ("resolve", "Resolve", "처리"),
    ("action", "Action", "조치"),
    ("action_dismiss", "Dismiss", "기각"),
    ("action_warn", "Warn", "경고"),
    ("action_suspend_key", "Suspend the key", "키 정지"),
    (
        "action_suspend_org",
        "Suspend the organisation",
        "기관 정지",
    ),
    ("evidence", "Evidence", "근거"),
    ("history", "History", "이력"),
    (
        "review_claimed",
        "The item is yours.",
        "이 항목을 맡았습니다.",
    ),
    (
        "review_resolved",
        "The item is resolved.",
        "항목을 처리했습니다.",
    ),
    ("people_title", "Console users", "콘솔 사용자"),
    ("passkeys", "Passkeys", "패스키"),
    ("last_used", "Last used", "마지막 사용"),
    (
        "operator_link_issue",
        "Issue an operator's enrolment link",
        "운영자 등록 링크 발급",
    ),
    (
        "passkey_revoked",
        "The passkey is revoked and its sessions are closed.",
        "패스키를 취소하고 그 세션을 닫았습니다.",
    ),
    ("ledger_title", "Transparency ledger", "투명성 원장"),
    (
        "ledger_intro",
        "Every decision and change is an entry in this append-only log. Entries hold digests and commitments, never prompts. Your browser checks proofs itself.",
        "모든 결정과 변경은 이 추가 전용 로그의 항목입니다. 항목에는 다이제스트와 커밋먼트만 있고 프롬프트는 없습니다. 증명은 브라우저가 직접 검증합니다.",
    ),
    ("checkpoint", "Latest checkpoint", "최신 체크포인트"),
    ("tree_size", "Entries", "항목 수"),
    ("root_hash", "Root hash", "루트 해시"),
    (
        "no_ledger",
        "This gateway runs without a ledger.",
        "이 게이트웨이는 원장 없이 실행 중입니다.",
    ),
    (
        "recent_entries",
        "Recent entries (public part)",
        "최근 항목(공개 부분)",
    ),
    ("index", "Index", "번호"),
    (
        "verify_title",
        "Verify that an entry is in the log",
        "항목이 로그에 있는지 검증",
    ),
    (
        "verify_intro",
        "Give a request id. Your browser fetches its entry and leaf hash from the tiles, hashes them with SHA-256 as RFC 6962 does, and compares the result with the checkpoint's root.",
        "요청 ID를 입력하세요. 브라우저가 타일에서 항목과 리프 해시를 받아 RFC 6962 방식의 SHA-256으로 해시하고, 그 결과를 체크포인트의 루트와 비교합니다.",
    ),
    ("request_id_short", "Request id", "요청 ID"),
    (
        "request_id",
        "Request id (from the x-request-id header)",
        "요청 ID(x-request-id 헤더 값)",
    ),
    ("verify", "Verify", "검증"),
    (
        "verify_ok",
        "Verified: the entry is in the log under this checkpoint's root.",
        "검증됨: 이 항목은 체크포인트 루트 아래 로그에 있습니다.",
    ),
    (
        "verify_bad",
        "NOT verified: the tiles do not hash to this checkpoint's root.",
        "검증 실패: 타일의 해시가 체크포인트 루트와 맞지 않습니다.",
    ),
    (
        "verify_error",
        "The check could not run:",
        "검증을 실행할 수 없습니다:",
    ),
    (
        "verify_no_webcrypto",
        "This browser offers no WebCrypto here (it needs HTTPS or localhost).",
        "이 브라우저는 여기서 WebCrypto를 제공하지 않습니다(HTTPS 또는 localhost 필요).",
    ),
    ("my_org_title", "My organisation", "우리 기관"),
    ("error_title", "Something went wrong", "문제가 생겼습니다"),
    (
        "forbidden",
        "You may not see or do this.",
        "이 내용을 보거나 할 수 없습니다.",
    ),
    (
        "not_found",
        "There is nothing here.",
        "여기에는 아무것도 없습니다.",
    ),
    (
        "csrf_refused",
        "This form is out of date (or came from another site). Reload the page and try again.",
        "이 양식은 오래되었거나 다른 사이트에서 왔습니다. 페이지를 새로 고친 뒤 다시 시도하세요.",
    ),
    (
        "signed_out_idle",
        "You were signed out after a period without activity. Sign in again.",
        "한동안 활동이 없어 로그아웃되었습니다. 다시 로그인하세요.",
    ),
    (
        "invalid_input",
        "The form has a problem:",
        "양식에 문제가 있습니다:",
    ),
    (
        "ledger_down",
        "The ledger cannot record changes right now, so no change is made.",
        "지금은 원장이 변경을 기록할 수 없어 아무것도 바꾸지 않았습니다.",
    ),
    ("nav_keys", "API keys", "API 키"),
    ("nav_models", "Models", "모델"),
    ("nav_limits", "Limits", "한도"),
    ("nav_usage", "Usage", "사용량"),
    ("nav_evals", "Evaluations", "평가"),
    ("nav_policies", "Policies", "정책"),
    ("keys_title", "API keys", "API 키"),
    (
        "keys_caption",
        "API keys, in key id order, a page at a time",
        "API 키(키 ID 순서, 쪽 단위)",
    ),
    (
        "filter_org",
        "Organisation (name or id)",
        "기관(이름 또는 ID)",
    ),
    ("show", "Show", "보기"),
    ("expired", "expired", "만료됨"),
    ("models_title", "Model catalogue", "모델 카탈로그"),
    (
        "models_intro",
        "A model answers only callers whose organisation's tier reaches its minimum tier. The release gate sets the minimum tier from evaluation results; an operator can also change it here.",
        "모델은 기관 등급이 최소 등급 이상인 호출자에게만 응답합니다. 최소 등급은 출시 심사가 평가 결과로 정하며, 운영자가 여기서 바꿀 수도 있습니다.",
    ),
    (
        "models_caption",
        "Models and the minimum tier that may use each",
        "모델과 각 모델을 쓸 수 있는 최소 등급",
    ),
    ("model", "Model", "모델"),
    ("backend", "Backend", "백엔드"),
    ("upstream_model", "Upstream model", "상위 모델"),
    ("min_tier", "Minimum tier", "최소 등급"),
    (
        "change_min_tier",
        "Change the minimum tier",
        "최소 등급 변경",
    ),
    ("limits_title", "Limits", "한도"),
    (
        "limits_intro",
        "Each tier's defaults: per API key, per organisation, and a pool shared by the whole tier. An organisation's own limits, set on its page, take precedence over its tier's.",
        "등급별 기본값입니다. API 키별, 기관별 한도와 등급 전체가 함께 쓰는 공용 한도가 있습니다. 기관 페이지에서 정한 기관별 한도가 등급 기본값보다 우선합니다.",
    ),
    (
        "tier_limits_caption",
        "Limits by tier and scope (empty: no limit)",
        "등급·범위별 한도(빈칸: 제한 없음)",
    ),
    ("scope", "Applies to", "적용 범위"),
    ("scope_per_key", "each API key", "API 키마다"),
    ("scope_per_org", "each organisation", "기관마다"),
    ("scope_pool", "the whole tier", "등급 전체"),
    ("unlimited", "no limit", "제한 없음"),
    ("requests_per_minute", "Requests per minute", "분당 요청 수"),
    ("tokens_per_minute", "Tokens per minute", "분당 토큰 수"),
    ("requests_per_day", "Requests per day", "일일 요청 수"),
    ("tokens_per_day", "Tokens per day", "일일 토큰 수"),
    ("tokens_per_month", "Tokens per month", "월간 토큰 수"),
    (
        "org_limits_hint",
        "Set an organisation's own limits on its page.",
        "기관별 한도는 해당 기관 페이지에서 정합니다.",
    ),
    (
        "org_limits",
        "Limits of this organisation",
        "이 기관의 한도",
    ),
    (
        "org_limits_intro",
        "Empty fields fall back to the tier's defaults.",
        "빈칸은 등급 기본값을 따릅니다.",
    ),
    ("usage_title", "Usage", "사용량"),
    ("from_day", "From (YYYY-MM-DD)", "시작일(YYYY-MM-DD)"),
    ("to_day", "To (YYYY-MM-DD)", "종료일(YYYY-MM-DD)"),
    ("total", "Total", "합계"),
    ("requests", "Requests", "요청"),
    ("tokens", "Tokens", "토큰"),
    ("prompt_tokens", "Prompt tokens", "입력 토큰"),
    ("completion_tokens", "Completion tokens", "출력 토큰"),
    ("usage_over_time", "Over time", "기간별 추이"),
    ("busiest_day", "Busiest day", "가장 많은 날"),
    (
        "chart_as_table",
        "The charts' figures as a table",
        "차트 수치를 표로 보기",
    ),
    ("usage_by_day", "Usage by day", "일별 사용량"),
    ("day", "Day", "날짜"),
    ("top", "top", "상위"),
    ("usage_by_org", "By organisation", "기관별"),
    ("usage_by_member", "By member", "구성원별"),
    ("usage_by_model", "By model", "모델별"),
    ("usage_by_use_case", "By use-case", "용도별"),
    ("evals_title", "Evaluation runs", "평가 실행"),
    (
        "evals_intro",
        "Runs of the evaluation harness, read from the run logs in",
        "평가 도구의 실행 기록입니다. 실행 로그를 읽는 위치:",
    ),
    (
        "evals_caption",
        "Evaluation runs, newest first",
        "평가 실행(최신순)",
    ),
    (
        "no_runs",
        "No run logs in this directory.",
        "이 디렉터리에 실행 로그가 없습니다.",
    ),
    ("suite", "Suite", "평가 묶음"),
    ("samples", "Samples", "표본"),
    ("log_file", "Log file", "로그 파일"),
    (
        "log_unreadable",
        "This log cannot be read:",
        "이 로그를 읽을 수 없습니다:",
    ),
    ("run_complete", "complete", "완료"),
    ("run_interrupted", "interrupted", "중단됨"),
    ("run_unfinished", "unfinished", "진행 중 또는 미완료"),
    ("decide", "Decide", "판정"),
    ("eval_run_title", "Evaluation run", "평가 실행"),
    ("grader", "Grader", "채점 모델"),
    ("run_id", "Run id", "실행 ID"),
    ("suite_hash", "Suite hash", "평가 묶음 해시"),
    ("samples_done", "Samples scored", "채점된 표본"),
    ("errored", "errored", "오류"),
    ("duration", "Duration", "소요 시간"),
    ("metrics", "Metrics", "지표"),
    (
        "metrics_caption",
        "Each scorer's mean with its bootstrap 95% confidence interval",
        "채점기별 평균과 부트스트랩 95% 신뢰구간",
    ),
    ("scorer", "Scorer", "채점기"),
    ("mean", "Value", "값"),
    ("ci95", "95% CI", "95% 신뢰구간"),
    (
        "samples_not_shown",
        "The samples themselves (prompts and answers) are not shown in the console; open the log with “haetae eval report” on a machine that may hold them.",
        "표본 자체(프롬프트와 답변)는 콘솔에 표시하지 않습니다. 필요하면 열람이 허용된 컴퓨터에서 “haetae eval report”로 로그를 여세요.",
    ),
    ("release_title", "Release decision", "출시 판정"),
    (
        "expiring_listed",
        "Listed here, soonest first:",
        "만료가 가까운 순으로 표시:",
    ),
    (
        "release_intro",
        "The release gate reads the latest complete run of each suite for the model and judges every requirement on the conservative end of its confidence interval. Applying the decision sets the model's minimum tier (or removes the model when no tier passes) and records both in the ledger, as “haetae release decide --apply” does.",
        "출시 심사는 모델의 평가 묶음별 최신 완료 실행을 읽고, 각 요구 사항을 신뢰구간의 보수적인 쪽 끝으로 판정합니다. 판정을 적용하면 모델의 최소 등급이 정해지고(통과한 등급이 없으면 모델을 카탈로그에서 뺍니다) 두 가지 모두 원장에 기록됩니다. “haetae release decide --apply”와 같습니다.",
    ),
    ("release_policy", "Release policy", "출시 정책"),
    ("decided_at", "Decided at", "판정 시각"),
    (
        "highest_allowed",
        "Highest tier allowed",
        "허용된 최고 등급",
    ),
    ("no_tier", "none", "없음"),
    ("current_min_tier", "Minimum tier now", "현재 최소 등급"),
    (
        "not_in_catalogue",
        "not in the catalogue",
        "카탈로그에 없음",
    ),
    (
        "new_min_tier",
        "Minimum tier after applying",
        "적용 후 최소 등급",
    ),
    (
        "withhold_model",
        "none: the model leaves the catalogue",
        "없음: 모델을 카탈로그에서 뺌",
    ),
    (
        "release_caption",
        "Requirements by tier",
        "등급별 요구 사항",
    ),
    ("metric", "Metric", "지표"),
    ("threshold", "Threshold", "기준"),
    ("result", "Result", "결과"),
    ("allowed", "allowed", "허용"),
    ("withheld", "withheld", "보류"),
    ("pass", "pass", "통과"),
    ("fail", "FAIL", "실패"),
    ("evidence_runs", "Runs used as evidence", "근거로 쓴 실행"),
    (
        "apply_decision",
        "Apply this decision to the catalogue",
        "이 판정을 카탈로그에 적용",
    ),
    (
        "apply_hint",
        "The decision is computed again from the logs when you apply it.",
        "적용할 때 로그로 판정을 다시 계산합니다.",
    ),
    ("policies_title", "Access policies", "접근 정책"),
    (
        "policy_mode_directory",
        "Cedar policies in force, loaded from (and reloaded when it changes):",
        "현재 적용 중인 Cedar 정책입니다. 읽어 온 위치(바뀌면 다시 읽음):",
    ),
    (
        "policy_mode_builtin",
        "The built-in default programme is in force.",
        "내장 기본 프로그램 정책이 적용 중입니다.",
    ),
    (
        "policy_mode_fixed",
        "A fixed policy set is in force (not from a directory).",
        "고정된 정책 집합이 적용 중입니다(디렉터리에서 읽지 않음).",
    ),
    (
        "policy_mode_tier_floor",
        "The policy stage is off: only the tier floor applies (a model's minimum tier).",
        "정책 단계가 꺼져 있어 등급 하한(모델의 최소 등급)만 적용됩니다.",
    ),
    ("validation", "Validation", "검증"),
    (
        "policies_valid",
        "The policies validate against the schema.",
        "정책이 스키마 검증을 통과했습니다.",
    ),
    (
        "policies_invalid",
        "The policy directory does not validate now; the set in force stays until it does:",
        "지금 정책 디렉터리가 검증을 통과하지 못합니다. 통과할 때까지 현재 정책이 그대로 적용됩니다:",
    ),
    ("policy_tests", "Policy test results", "정책 테스트 결과"),
    ("passed", "passed", "통과"),
    ("failed", "failed", "실패"),
    ("case", "Case", "사례"),
    ("expected", "Expected", "기대"),
    ("got", "Decided", "판정"),
    ("deciding_policies", "Deciding policies", "판정한 정책"),
    (
        "no_policy_tests",
        "No policy test cases (put them in tests/*.yaml beside the policies).",
        "정책 테스트 사례가 없습니다(정책 옆 tests/*.yaml에 두세요).",
    ),
    ("policies_in_force", "Policies in force", "적용 중인 정책"),
    ("policy_sources", "Sources", "원본"),
    ("back", "Back", "돌아가기"),
    ("yes", "yes", "예"),
    ("no", "no", "아니요"),
];

/// The catalogue for one language, as templates read it (`t.key`).
pub fn catalogue(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    MESSAGES
        .iter()
        .map(|(k, en, ko)| (*k, if lang == Lang::Ko { *ko } else { *en }))
        .collect()
}

/// One message (for text built outside a template).
pub fn message(lang: Lang, key: &str) -> &'static str {
    MESSAGES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, en, ko)| if lang == Lang::Ko { *ko } else { *en })
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn every_message_in_both_languages_once() {
        let mut seen = std::collections::BTreeSet::new();
        for (k, en, ko) in MESSAGES {
            assert!(seen.insert(*k), "{k} twice");
            assert!(!en.trim().is_empty() && !ko.trim().is_empty(), "{k}");
        }
        // Messages are shown as text, not Markdown: a backtick would appear literally.
        for (k, en, ko) in MESSAGES {
            assert!(!en.contains('`') && !ko.contains('`'), "{k} has a backtick");
        }
        // Korean text is Korean, bar the switch link (which names the other language) and proper names.
        let hangul = |s: &str| s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
        for (k, _, ko) in MESSAGES {
            if *k != "switch_language" {
                assert!(hangul(ko), "{k}: {ko}");
            }
        }
    }

    #[test]
    fn cookie_then_accept_language_then_english() {
        let mut h = HeaderMap::new();
        assert_eq!(Lang::from_headers(&h), Lang::En);
        h.insert(
            "accept-language",
            HeaderValue::from_static("fr, ko-KR;q=0.8, en;q=0.5"),
        );
        assert_eq!(Lang::from_headers(&h), Lang::Ko);
        h.insert(
            "accept-language",
            HeaderValue::from_static("ko;q=0.2, en-GB"),
        );
        assert_eq!(Lang::from_headers(&h), Lang::En);
        h.insert("cookie", HeaderValue::from_static("x=1; lang=ko"));
        assert_eq!(Lang::from_headers(&h), Lang::Ko);
        h.insert("cookie", HeaderValue::from_static("lang=de"));
        assert_eq!(Lang::from_headers(&h), Lang::En);
    }
}
