//! What members do for their own organisation with their own key, decided by the same Cedar policies as model
//! calls (`manage_engagements`, `view_usage`, `record_findings`): owners register engagements; members see their
//! usage and record commitments to their findings in the ledger.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use haetae_core::{Principal, now_unix};
use haetae_ledger::Decision;
use haetae_ledger::api::{
    FINDING_COMMITMENTS_PATH, FindingCommitmentRequest, FindingCommitmentResponse,
    finding_commitment_text, is_finding_id, is_sha256_hex,
};
use haetae_meter::usage::{GroupBy, UsageReport};
use haetae_policy::{Action, AuthzEffect, AuthzInput, EngagementStatus, Lang, Resource};
use haetae_store::{NewEngagement, UsageQuery};
use serde::Deserialize;

use crate::AppState;
use crate::admin::{Body, PageQuery};
use crate::api::Caller;
use crate::error::ApiError;
use crate::stages::record::{LEDGER_INDEX_HEADER, Record};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/engagements",
            get(list_engagements).post(register_engagement),
        )
        .route("/v1/engagements/{id}/revoke", post(revoke_engagement))
        .route("/v1/usage", get(own_usage))
        .route(FINDING_COMMITMENTS_PATH, post(commit_finding))
}

/// Asks the policy whether the caller may do `action` to their own organisation. A refusal is a decision after
/// authentication, so it is recorded in the ledger (as `label`) before it is answered.
pub async fn authorise(
    state: &AppState,
    p: &Principal,
    action: Action,
    request_id: &str,
    label: &str,
) -> Result<(), ApiError> {
    let tier_rank = p.tier.rank;
    let input = AuthzInput {
        principal: p.clone(),
        action,
        resource: Resource::Organisation {
            org: p.org.clone(),
            tier_rank,
        },
        declared_use_case: None,
        classified: Vec::new(),
        confidence: 1.0,
        engagement: EngagementStatus::none(&[]),
        now: now_unix(),
        lang: Lang::En,
    };
    let decision = state.policy.decide(&input);
    if decision.effect == AuthzEffect::Allow {
        return Ok(());
    }
    let refusal = ApiError::permission_denied(
        "not_permitted",
        format!(
            "{} [policy: {}]",
            decision.reason_en,
            decision.policy_ids.join(", ")
        ),
    );
    Err(refuse(state, p, request_id, label, decision.policy_ids, refusal).await)
}

/// Records a refusal after authentication (the policy's, or the handler's: a bad body, a foreign engagement) in the
/// ledger, its detail the refusal's code, and names its entry in the answer. A refusal that cannot be recorded is
/// not answered: the ledger's own error is.
async fn refuse(
    state: &AppState,
    p: &Principal,
    request_id: &str,
    label: &str,
    policy_ids: Vec<String>,
    mut refusal: ApiError,
) -> ApiError {
    let Some(recorder) = &state.recorder else {
        return refusal;
    };
    let recorded = recorder
        .record(Record {
            request_id,
            principal: Some(p),
            action: label,
            decision: Some(Decision::Deny),
            policy_ids,
            detail: refusal.code.clone().unwrap_or_else(|| refusal.kind.into()),
            ..Record::default()
        })
        .await;
    match recorded {
        Ok(index) => {
            refusal.headers = vec![(LEDGER_INDEX_HEADER, index.to_string())].into();
            refusal
        }
        Err(e) => e,
    }
}

async fn record_change(
    state: &AppState,
    p: &Principal,
    request_id: &str,
    action: &str,
    detail: String,
) -> Result<Option<u64>, ApiError> {
    let Some(recorder) = &state.recorder else {
        return Ok(None);
    };
    let index = recorder
        .record(Record {
            request_id,
            principal: Some(p),
            action,
            decision: Some(Decision::Allow),
            detail,
            admin: true,
            ..Record::default()
        })
        .await?;
    Ok(Some(index))
}

/// The caller's organisation's engagements.
pub async fn list_engagements(
    State(state): State<AppState>,
    caller: Caller,
    axum::Extension(request_id): axum::Extension<crate::RequestId>,
    PageQuery(page): PageQuery,
) -> Result<Response, ApiError> {
    let p = &caller.principal;
    authorise(
        &state,
        p,
        Action::ManageEngagements,
        &request_id.0,
        "engagements.list",
    )
    .await?;
    Ok(axum::Json(state.store.list_engagements(&p.org.id, &page).await?).into_response())
}

#[derive(Deserialize)]
pub struct EngagementBody {
    name: String,
    targets: Vec<String>,
    /// Unix seconds; absent: now.
    valid_from: Option<i64>,
    valid_until: i64,
}

/// An owner registers an authorised test of named targets for their organisation.
pub async fn register_engagement(
    State(state): State<AppState>,
    caller: Caller,
    axum::Extension(request_id): axum::Extension<crate::RequestId>,
    Body(body): Body<EngagementBody>,
) -> Result<Response, ApiError> {
    let p = &caller.principal;
    authorise(
        &state,
        p,
        Action::ManageEngagements,
        &request_id.0,
        "engagements.register",
    )
    .await?;
    let new = NewEngagement {
        name: body.name,
        targets: body.targets,
        valid_from: body.valid_from.unwrap_or_else(now_unix),
        valid_until: body.valid_until,
        registered_by: p.member.id.clone(),
    };
    crate::admin_ops::validate_engagement(&p.org.id, &new).map_err(ApiError::invalid_request)?;
    if let Some(r) = &state.recorder {
        r.ensure_healthy()?;
    }
    let record = state.store.register_engagement(&p.org.id, &new).await?;
    let detail = format!(
        "engagement {} registered: {} from {} until {}",
        record.id,
        record.targets.join(" "),
        record.valid_from,
        record.valid_until
    );
    let index = record_change(&state, p, &request_id.0, "engagements.register", detail).await?;
    let mut response = (StatusCode::CREATED, axum::Json(record)).into_response();
    if let Some(i) = index {
        response.headers_mut().insert(LEDGER_INDEX_HEADER, i.into());
    }
    Ok(response)
}

/// An owner ends one of their organisation's engagements now.
pub async fn revoke_engagement(
    State(state): State<AppState>,
    caller: Caller,
    axum::Extension(request_id): axum::Extension<crate::RequestId>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let p = &caller.principal;
    authorise(
        &state,
        p,
        Action::ManageEngagements,
        &request_id.0,
        "engagements.revoke",
    )
    .await?;
    // Another organisation's engagement is reported as missing: its existence is not the caller's business.
    let missing = || ApiError::not_found(format!("There is no engagement '{id}'."));
    let existing = state.store.get_engagement(&id).await?.ok_or_else(missing)?;
    if existing.org_id != p.org.id {
        return Err(missing());
    }
    let record = state.store.revoke_engagement(&id).await?;
    let index = record_change(
        &state,
        p,
        &request_id.0,
        "engagements.revoke",
        format!("engagement {id} revoked"),
    )
    .await?;
    let mut response = axum::Json(record).into_response();
    if let Some(i) = index {
        response.headers_mut().insert(LEDGER_INDEX_HEADER, i.into());
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct UsageParams {
    from: Option<String>,
    to: Option<String>,
    group_by: Option<String>,
}

/// The caller's organisation's usage (never another's).
pub async fn own_usage(
    State(state): State<AppState>,
    caller: Caller,
    axum::Extension(request_id): axum::Extension<crate::RequestId>,
    Query(params): Query<UsageParams>,
) -> Result<Response, ApiError> {
    let p = &caller.principal;
    authorise(&state, p, Action::ViewUsage, &request_id.0, "usage.view").await?;
    crate::flush_usage(&state).await;
    let group_by = GroupBy::parse_list(params.group_by.as_deref().unwrap_or("member,model,day"))
        .map_err(|e| ApiError::invalid_request(e.to_string()).with_param("group_by"))?;
    let rows = state
        .store
        .usage(&UsageQuery {
            from: params.from,
            to: params.to,
            org: Some(p.org.id.clone()),
        })
        .await?;
    Ok(axum::Json(UsageReport::build(&rows, &group_by).to_json()).into_response())
}

const COMMIT_LABEL: &str = "findings.commit";

/// A member records, at discovery, a commitment to one of their organisation's findings (`haetae scan --ledger`):
/// an administrative entry whose committed `detail` names the finding, its digest, the engagement and the member.
/// Nothing of it is public until an administrator opens the entry at disclosure. Answered once the entry is in the
/// log.
pub async fn commit_finding(
    State(state): State<AppState>,
    caller: Caller,
    axum::Extension(request_id): axum::Extension<crate::RequestId>,
    body: Result<Body<FindingCommitmentRequest>, ApiError>,
) -> Result<Response, ApiError> {
    let p = &caller.principal;
    let rid = request_id.0.as_str();
    authorise(&state, p, Action::RecordFindings, rid, COMMIT_LABEL).await?;
    let Some(recorder) = &state.recorder else {
        return Err(ApiError::unavailable(
            "This gateway keeps no transparency ledger, so it cannot record commitments.",
        ));
    };
    let body = match body {
        Ok(Body(body)) => body,
        Err(e) => return Err(refuse(&state, p, rid, COMMIT_LABEL, Vec::new(), e).await),
    };
    if let Err(e) = check_commitment(&state, p, &body).await {
        return Err(refuse(&state, p, rid, COMMIT_LABEL, Vec::new(), e).await);
    }
    recorder.ensure_healthy()?;
    let mut context = String::new();
    if let Some(e) = &body.engagement {
        context.push_str(&format!("engagement {e} "));
    }
    // The entry's own time is the commitment's; who recorded it is only seen by those it is opened to.
    context.push_str(&format!("(by {})", p.member.id));
    let detail = finding_commitment_text(&body.finding_id, &body.digest, &context);
    let index = record_change(&state, p, rid, COMMIT_LABEL, detail)
        .await?
        .unwrap_or_default();
    let mut response = (
        StatusCode::CREATED,
        axum::Json(FindingCommitmentResponse {
            request_id: rid.to_owned(),
            leaf_index: index,
        }),
    )
        .into_response();
    response
        .headers_mut()
        .insert(LEDGER_INDEX_HEADER, index.into());
    Ok(response)
}

/// The body names a finding and a SHA-256, and the engagement (if any) is one of the caller's organisation's.
async fn check_commitment(
    state: &AppState,
    p: &Principal,
    body: &FindingCommitmentRequest,
) -> Result<(), ApiError> {
    if !is_finding_id(&body.finding_id) {
        return Err(ApiError::invalid_request(
            "finding_id must be one word of letters, digits, '.', '_' or '-', at most 64 characters.",
        )
        .with_param("finding_id"));
    }
    if !is_sha256_hex(&body.digest) {
        return Err(ApiError::invalid_request(
            "digest must be a SHA-256 in lowercase hex (64 characters).",
        )
        .with_param("digest"));
    }
    if let Some(id) = &body.engagement {
        // Another organisation's engagement is reported as missing, like one that does not exist.
        let own = state
            .store
            .get_engagement(id)
            .await?
            .is_some_and(|e| e.org_id == p.org.id);
        if !own {
            return Err(
                ApiError::not_found(format!("There is no engagement '{id}'."))
                    .with_param("engagement"),
            );
        }
    }
    Ok(())
}
