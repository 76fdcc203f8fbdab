//! The admin API for running the programme: limits, engagements, the review queue and usage reports. Mounted
//! under `/admin/v1` with the rest of the admin API (same authentication, same ledger recording).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use haetae_core::{Quota, TierLimits, now_unix};
use haetae_meter::review::{ReviewAction, ReviewItem, ReviewState};
use haetae_meter::usage::{GroupBy, UsageReport};
use haetae_policy::Engagement;
use haetae_store::{EngagementRecord, NewEngagement, Page, Paged, UsageQuery};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::admin::{AdminDetail, AdminPublicNote, Body, PageQuery};
use crate::error::ApiError;

type Result<T> = std::result::Result<T, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/tiers/{name}/limits",
            get(get_tier_limits).put(put_tier_limits),
        )
        .route(
            "/orgs/{org}/limits",
            get(get_org_limits).put(put_org_limits),
        )
        .route("/keys/{id}/limits", axum::routing::put(put_key_limits))
        .route(
            "/orgs/{org}/engagements",
            get(list_engagements).post(register_engagement),
        )
        .route("/engagements/{id}", get(get_engagement))
        .route("/engagements/{id}/revoke", post(revoke_engagement))
        .route("/reviews", get(list_reviews))
        .route("/reviews/{id}", get(get_review))
        .route("/reviews/{id}/claim", post(claim_review))
        .route("/reviews/{id}/unclaim", post(unclaim_review))
        .route("/reviews/{id}/resolve", post(resolve_review))
        .route("/usage", get(usage_report))
        .route("/ledger/openings", post(open_commitment))
}

/// Checks an engagement's scope the way the policy will read it: every target parses and none is absurdly broad.
pub fn validate_engagement(org_id: &str, new: &NewEngagement) -> std::result::Result<(), String> {
    let targets = new
        .targets
        .iter()
        .map(|t| t.parse().map_err(|e| format!("target '{t}': {e}")))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Engagement {
        id: String::new(),
        org_id: org_id.to_string(),
        name: new.name.clone(),
        targets,
        valid_from: new.valid_from,
        valid_until: new.valid_until,
        created_by: new.registered_by.clone(),
    }
    .validate()
    .map_err(|e| e.to_string())
}

#[utoipa::path(get, path = "/admin/v1/tiers/{name}/limits", tag = "admin", params(("name" = String, Path)),
    responses((status = 200, body = TierLimits), (status = 404)), security(("admin_key" = [])))]
pub async fn get_tier_limits(
    State(s): State<AppState>,
    Path(name): Path<String>,
) -> Result<axum::Json<TierLimits>> {
    Ok(axum::Json(s.store.tier_limits(&name).await?))
}

#[utoipa::path(put, path = "/admin/v1/tiers/{name}/limits", tag = "admin", params(("name" = String, Path)), request_body = TierLimits,
    responses((status = 200, body = TierLimits), (status = 400), (status = 404)), security(("admin_key" = [])))]
pub async fn put_tier_limits(
    State(s): State<AppState>,
    Path(name): Path<String>,
    Body(limits): Body<TierLimits>,
) -> Result<Response> {
    let limits = s.store.set_tier_limits(&name, &limits).await?;
    Ok(with_detail(
        axum::Json(limits),
        format!("tier {name} limits {}", json(&limits)),
    ))
}

#[utoipa::path(get, path = "/admin/v1/orgs/{org}/limits", tag = "admin", params(("org" = String, Path)),
    responses((status = 200, body = Quota), (status = 404)), security(("admin_key" = [])))]
pub async fn get_org_limits(
    State(s): State<AppState>,
    Path(org): Path<String>,
) -> Result<axum::Json<Quota>> {
    Ok(axum::Json(s.store.org_limits(&org).await?))
}

#[utoipa::path(put, path = "/admin/v1/orgs/{org}/limits", tag = "admin", params(("org" = String, Path)), request_body = Quota,
    responses((status = 200, body = Quota), (status = 400), (status = 404)), security(("admin_key" = [])))]
pub async fn put_org_limits(
    State(s): State<AppState>,
    Path(org): Path<String>,
    Body(limits): Body<Quota>,
) -> Result<Response> {
    let limits = s.store.set_org_limits(&org, &limits).await?;
    Ok(with_detail(
        axum::Json(limits),
        format!("organisation {org} limits {}", json(&limits)),
    ))
}

#[utoipa::path(put, path = "/admin/v1/keys/{id}/limits", tag = "admin", params(("id" = String, Path)), request_body = Quota,
    responses((status = 200, body = Quota), (status = 400), (status = 404)), security(("admin_key" = [])))]
pub async fn put_key_limits(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Body(limits): Body<Quota>,
) -> Result<Response> {
    let limits = s.store.set_key_limits(&id, &limits).await?;
    Ok(with_detail(
        axum::Json(limits),
        format!("key {id} limits {}", json(&limits)),
    ))
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// A response that tells the admin middleware what to write in the ledger entry's detail.
fn with_detail(body: impl IntoResponse, detail: String) -> Response {
    let mut r = body.into_response();
    r.extensions_mut().insert(AdminDetail(detail));
    r
}

#[utoipa::path(get, path = "/admin/v1/orgs/{org}/engagements", tag = "admin", params(("org" = String, Path), Page),
    responses((status = 200, body = Paged<EngagementRecord>), (status = 404)), security(("admin_key" = [])))]
pub async fn list_engagements(
    State(s): State<AppState>,
    Path(org): Path<String>,
    PageQuery(page): PageQuery,
) -> Result<axum::Json<Paged<EngagementRecord>>> {
    Ok(axum::Json(s.store.list_engagements(&org, &page).await?))
}

#[utoipa::path(post, path = "/admin/v1/orgs/{org}/engagements", tag = "admin", params(("org" = String, Path)), request_body = NewEngagement,
    responses((status = 201, body = EngagementRecord), (status = 400), (status = 404)), security(("admin_key" = [])))]
pub async fn register_engagement(
    State(s): State<AppState>,
    Path(org): Path<String>,
    Body(new): Body<NewEngagement>,
) -> Result<Response> {
    let org = s.store.get_org(&org).await?;
    validate_engagement(&org.id, &new).map_err(ApiError::invalid_request)?;
    let record = s.store.register_engagement(&org.id, &new).await?;
    let detail = format!(
        "engagement {} for {} by {}: {} from {} until {}",
        record.id,
        org.name,
        record.registered_by,
        record.targets.join(" "),
        record.valid_from,
        record.valid_until
    );
    Ok(with_detail(
        (StatusCode::CREATED, axum::Json(record)),
        detail,
    ))
}

#[utoipa::path(get, path = "/admin/v1/engagements/{id}", tag = "admin", params(("id" = String, Path)),
    responses((status = 200, body = EngagementRecord), (status = 404)), security(("admin_key" = [])))]
pub async fn get_engagement(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::Json<EngagementRecord>> {
    s.store
        .get_engagement(&id)
        .await?
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found(format!("engagement '{id}' not found")))
}

#[utoipa::path(post, path = "/admin/v1/engagements/{id}/revoke", tag = "admin", params(("id" = String, Path)),
    responses((status = 200, body = EngagementRecord), (status = 404)), security(("admin_key" = [])))]
pub async fn revoke_engagement(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::Json<EngagementRecord>> {
    Ok(axum::Json(s.store.revoke_engagement(&id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ReviewFilter {
    /// `open`, `claimed` or `resolved`; absent: all.
    state: Option<String>,
}

fn parse_state(s: &str) -> Result<ReviewState> {
    match s {
        "open" => Ok(ReviewState::Open),
        "claimed" => Ok(ReviewState::Claimed),
        "resolved" => Ok(ReviewState::Resolved),
        other => Err(ApiError::invalid_request(format!(
            "'{other}' is not a review state (open, claimed, resolved)"
        ))
        .with_param("state")),
    }
}

#[utoipa::path(get, path = "/admin/v1/reviews", tag = "admin", params(ReviewFilter, Page),
    responses((status = 200, description = "A page of review items, oldest first")), security(("admin_key" = [])))]
pub async fn list_reviews(
    State(s): State<AppState>,
    Query(filter): Query<ReviewFilter>,
    PageQuery(page): PageQuery,
) -> Result<axum::Json<Paged<ReviewItem>>> {
    let state = filter.state.as_deref().map(parse_state).transpose()?;
    Ok(axum::Json(s.store.list_reviews(state, &page).await?))
}

#[utoipa::path(get, path = "/admin/v1/reviews/{id}", tag = "admin", params(("id" = String, Path)),
    responses((status = 200, description = "A review item with its evidence and history"), (status = 404)), security(("admin_key" = [])))]
pub async fn get_review(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::Json<ReviewItem>> {
    Ok(axum::Json(s.store.get_review(&id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct ReviewerBody {
    /// Who acts (recorded in the item's history and the ledger).
    reviewer: String,
}

#[derive(Deserialize, ToSchema)]
pub struct ResolveBody {
    reviewer: String,
    /// `dismiss`, `warn`, `suspend-key` or `suspend-org`.
    action: String,
    /// Why; required for everything but `dismiss`.
    #[serde(default)]
    note: Option<String>,
}

#[utoipa::path(post, path = "/admin/v1/reviews/{id}/claim", tag = "admin", params(("id" = String, Path)), request_body = ReviewerBody,
    responses((status = 200, description = "The claimed item"), (status = 404), (status = 409)), security(("admin_key" = [])))]
pub async fn claim_review(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Body(body): Body<ReviewerBody>,
) -> Result<Response> {
    let item = s.store.claim_review(&id, &body.reviewer).await?;
    let detail = format!("review {} claimed by {}", item.id.simple(), body.reviewer);
    Ok(with_detail(axum::Json(item), detail))
}

#[utoipa::path(post, path = "/admin/v1/reviews/{id}/unclaim", tag = "admin", params(("id" = String, Path)), request_body = ReviewerBody,
    responses((status = 200, description = "The item, open again"), (status = 404), (status = 409)), security(("admin_key" = [])))]
pub async fn unclaim_review(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Body(body): Body<ReviewerBody>,
) -> Result<Response> {
    let item = s.store.unclaim_review(&id, &body.reviewer).await?;
    let detail = format!("review {} unclaimed by {}", item.id.simple(), body.reviewer);
    Ok(with_detail(axum::Json(item), detail))
}

#[derive(Serialize, ToSchema)]
pub struct Resolved {
    #[schema(value_type = Object)]
    item: ReviewItem,
    /// What was enforced (`none`, `warn`, `suspend_key`, `suspend_org`).
    #[schema(value_type = Object)]
    enforcement: haetae_meter::review::Enforcement,
}

#[utoipa::path(post, path = "/admin/v1/reviews/{id}/resolve", tag = "admin", params(("id" = String, Path)), request_body = ResolveBody,
    responses((status = 200, body = Resolved), (status = 400), (status = 404), (status = 409)), security(("admin_key" = [])))]
pub async fn resolve_review(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Body(body): Body<ResolveBody>,
) -> Result<Response> {
    let action: ReviewAction =
        body.action
            .parse()
            .map_err(|e: haetae_meter::review::ReviewError| {
                ApiError::invalid_request(e.to_string()).with_param("action")
            })?;
    let (item, enforcement) = s
        .store
        .resolve_review(&id, &body.reviewer, action, body.note.as_deref())
        .await?;
    let item_id = item.id.simple().to_string();
    let detail = format!(
        "review {item_id} resolved by {}: {} ({})",
        body.reviewer,
        action.as_str(),
        json(&enforcement)
    );
    Ok(with_detail(
        axum::Json(Resolved { item, enforcement }),
        detail,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct UsageParams {
    /// First UTC day, `YYYY-MM-DD`.
    from: Option<String>,
    /// Last UTC day, `YYYY-MM-DD`.
    to: Option<String>,
    /// One organisation (id or name).
    org: Option<String>,
    /// Comma-separated: org, member, key, model, use_case, day. Default `org,model,day`.
    group_by: Option<String>,
    /// `json` (default), `csv` or `table`.
    format: Option<String>,
}

#[utoipa::path(get, path = "/admin/v1/usage", tag = "admin", params(UsageParams),
    responses((status = 200, description = "Usage grouped as asked, in JSON, CSV or a text table"), (status = 400), (status = 404)), security(("admin_key" = [])))]
pub async fn usage_report(
    State(s): State<AppState>,
    Query(p): Query<UsageParams>,
) -> Result<Response> {
    // What the gateway has counted but not yet written belongs in the report too.
    crate::flush_usage(&s).await;
    let group_by = GroupBy::parse_list(p.group_by.as_deref().unwrap_or("org,model,day"))
        .map_err(|e| ApiError::invalid_request(e.to_string()).with_param("group_by"))?;
    let rows = s
        .store
        .usage(&UsageQuery {
            from: p.from,
            to: p.to,
            org: p.org,
        })
        .await?;
    let report = UsageReport::build(&rows, &group_by);
    match p.format.as_deref().unwrap_or("json") {
        "json" => Ok(axum::Json(report.to_json()).into_response()),
        "csv" => Ok((
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            report.to_csv(),
        )
            .into_response()),
        "table" => Ok((
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            report.to_table(),
        )
            .into_response()),
        other => Err(ApiError::invalid_request(format!(
            "'{other}' is not a format (json, csv, table)"
        ))
        .with_param("format")),
    }
}

/// For the member API: is this engagement the caller's organisation's, and valid now?
pub fn engagement_active(e: &EngagementRecord) -> bool {
    let now = now_unix();
    e.revoked_at.is_none() && e.valid_from <= now && now < e.valid_until
}

/// Opens one commitment of one ledger entry to a named auditor: the clear value and the key that proves it
/// against the public entry. The opening is recorded (a public note naming the entry and field; the auditor and
/// the administrator committed) before the answer leaves the gateway; without a ledger there is nothing to open.
pub async fn open_commitment(
    State(s): State<AppState>,
    Body(body): Body<haetae_ledger::api::OpeningRequest>,
) -> Result<Response> {
    use crate::stages::record::{COMMITTED_FIELDS, OpenError, PublicNote};
    use haetae_ledger::api::EntryRef;
    let recorder = s
        .recorder
        .as_ref()
        .ok_or_else(|| ApiError::not_found("This gateway runs without a ledger."))?;
    let field = COMMITTED_FIELDS
        .iter()
        .copied()
        .find(|f| *f == body.field)
        .ok_or_else(|| {
            ApiError::invalid_request(format!(
                "'field' must be one of: {}.",
                COMMITTED_FIELDS.join(", ")
            ))
            .with_param("field")
        })?;
    let auditor = body.auditor.trim();
    if auditor.is_empty() || auditor.len() > 200 || auditor.chars().any(char::is_control) {
        return Err(ApiError::invalid_request(
            "'auditor' must name who the value is disclosed to (1 to 200 characters, no control characters).",
        )
        .with_param("auditor"));
    }
    // Awaited, not called: on the shared ledger a lookup is a database query, which must not
    // hold this worker thread; a lookup that could not be made is not "no such entry".
    let index = match &body.entry {
        EntryRef::Index(i) => *i,
        EntryRef::RequestId(id) => recorder
            .ledger
            .find_request(id)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "cannot look up a request id in the ledger");
                ApiError::unavailable("The ledger cannot be searched now; try again.")
            })?
            .ok_or_else(|| {
                ApiError::not_found("No ledger entry records that request id.").with_param("entry")
            })?,
    };
    let r = recorder.clone();
    // The tree's size and the entry are read off the executor too (database reads on PostgreSQL).
    let (size, opened) = tokio::task::spawn_blocking(move || {
        let size = r.ledger.size();
        (size, (index < size).then(|| r.open(index, field)))
    })
    .await
    .map_err(ApiError::internal)?;
    let Some(opened) = opened else {
        return Err(ApiError::not_found(format!(
            "The ledger has {size} entries; there is no entry {index}."
        ))
        .with_param("entry"));
    };
    let (entry, opening) = match opened {
        Ok(o) => o,
        Err(OpenError::Commit(haetae_ledger::CommitError::NoSuchField(_))) => {
            return Err(ApiError::not_found(format!(
                "Entry {index} has no commitment for '{field}' (the value was empty or is public)."
            ))
            .with_param("field"));
        }
        Err(e @ OpenError::NothingCommitted(_)) => {
            return Err(ApiError::not_found(format!("Entry {index}: {e}.")).with_param("entry"));
        }
        Err(e) => return Err(ApiError::internal(e)),
    };
    let response = haetae_ledger::api::OpeningResponse::new(index, &entry, &opening, auditor)
        .map_err(ApiError::internal)?;
    let mut r = with_detail(
        axum::Json(response),
        format!("opened entry {index} field {field} to auditor {auditor}"),
    );
    r.extensions_mut()
        .insert(AdminPublicNote(PublicNote::Opened { index, field }));
    Ok(r)
}
