//! The admin API (JSON, administrator-key authenticated): tiers, organisations and their vetting, members,
//! API keys, and the model catalogue. The CLI's `haetae org|member|key|model|tier` verbs do the same locally.

use axum::Router;
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use haetae_core::{ApiKeyInfo, Member, ModelEntry, Organisation, Tier, VettingEvidence};
use haetae_store::{NewEvidence, NewMember, NewModel, NewOrganisation, Page, Paged};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::ApiError;
use crate::stages::authenticate;

pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/tiers", get(list_tiers))
        .route("/tiers/{name}", put(put_tier))
        .route("/orgs", get(list_orgs).post(create_org))
        .route("/orgs/{org}", get(get_org))
        .route(
            "/orgs/{org}/vetting",
            get(list_vetting).post(record_vetting),
        )
        .route("/orgs/{org}/tier", put(set_tier))
        .route("/orgs/{org}/members", get(list_members).post(add_member))
        .route("/keys", get(list_keys).post(issue_key))
        .route("/keys/{id}/revoke", post(revoke_key))
        .route("/models", get(list_models).post(put_model))
        .route("/models/{name}", axum::routing::delete(remove_model))
        .merge(crate::admin_ops::routes())
        .layer(middleware::from_fn_with_state(state, require_admin))
}

/// What a handler wants the ledger entry of its change to say (more than the method and route). Committed, never
/// published: it names organisations, engagement targets, reviewers.
#[derive(Debug, Clone)]
pub struct AdminDetail(pub String);

/// A public note a handler wants in its change's ledger entry (built from public facts only).
#[derive(Debug, Clone, Copy)]
pub struct AdminPublicNote(pub crate::stages::record::PublicNote);

/// Appends administrative changes the CLI made to the store into the ledger, exactly once: each entry's
/// request id (`adm_<outbox id>`) is its idempotency key, checked against the ledger's request index before
/// appending, so an entry whose append succeeded but whose removal from the outbox did not (a crash, a store
/// outage) is only removed on the next drain, never appended twice. One replica drains at a time (the store's
/// outbox lock): two checking the same entry together would each find it unrecorded.
pub async fn drain_outbox(state: &AppState) {
    let Some(recorder) = &state.recorder else {
        return;
    };
    let lock = match state.store.lock_outbox().await {
        Ok(Some(lock)) => lock,
        // Another replica is draining; what it leaves is drained next time.
        Ok(None) => return,
        Err(e) => {
            tracing::error!(error = %e, "cannot take the administrative outbox's lock; will retry");
            return;
        }
    };
    drain_locked(state, recorder).await;
    if let Err(e) = lock.release().await {
        tracing::warn!(error = %e, "the administrative outbox's lock was given back by closing its connection");
    }
}

async fn drain_locked(state: &AppState, recorder: &crate::stages::record::Recorder) {
    let entries = match state.store.peek_outbox(256).await {
        Ok(e) => e,
        Err(e) => {
            tracing::error!(error = %e, "cannot read the administrative outbox");
            return;
        }
    };
    for entry in entries {
        let request_id = outbox_request_id(&entry);
        // Awaited (a database query on the shared ledger), and an unanswered lookup stops the
        // drain: taking it for "not recorded" would append the change a second time.
        let recorded = match recorder.ledger.find_request(&request_id).await {
            Ok(found) => found,
            Err(e) => {
                tracing::error!(error = %e, "cannot check the ledger for an administrative change; will retry");
                return;
            }
        };
        if let Some(index) = recorded {
            tracing::info!(%request_id, index, "administrative change already recorded; clearing it");
        } else if let Err(e) = append_outbox_entry(recorder, &entry).await {
            tracing::error!(error = %e.message, "cannot record an administrative change; will retry");
            return;
        }
        if let Err(e) = state.store.remove_outbox(&entry.id).await {
            tracing::error!(error = %e, "cannot clear a recorded administrative change");
            return;
        }
    }
}

/// The ledger request id of an outbox entry: stable across drains, so it identifies the entry in the ledger.
pub fn outbox_request_id(entry: &haetae_store::OutboxEntry) -> String {
    format!("adm_{}", entry.id)
}

/// Appends one outbox entry to the ledger (without clearing it from the outbox); returns its leaf index.
pub async fn append_outbox_entry(
    recorder: &crate::stages::record::Recorder,
    entry: &haetae_store::OutboxEntry,
) -> Result<u64> {
    let request_id = outbox_request_id(entry);
    let action = format!("admin {}", entry.action);
    let record = crate::stages::record::Record {
        request_id: &request_id,
        action: &action,
        decision: Some(haetae_ledger::Decision::Allow),
        detail: format!(
            "{} (by {}, at {} ms)",
            entry.detail, entry.actor, entry.at_ms
        ),
        admin: true,
        ..Default::default()
    };
    recorder.record(record).await
}

async fn require_admin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let admin_id = match authenticate::authenticate_admin(&state.store, request.headers()).await {
        Ok(id) => id,
        Err(e) => return e.into_response(),
    };
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    // The route's template (`/admin/v1/orgs/{org}/tier`), not the path as sent, which names orgs, keys and ids.
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "(no route)".into());
    let mutation = method != axum::http::Method::GET && method != axum::http::Method::HEAD;
    tracing::info!(admin = %admin_id, %method, %path, "admin action");
    // Every change to the programme lands in the ledger; refuse changes the ledger could not record.
    let recorder = if mutation {
        state.recorder.clone()
    } else {
        None
    };
    if let Some(recorder) = &recorder {
        if let Err(e) = recorder.ensure_healthy() {
            return e.into_response();
        }
    }
    let request_id = request
        .extensions()
        .get::<crate::RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let mut response = next.run(request).await;
    if let (Some(recorder), true) = (recorder, response.status().is_success()) {
        let action = format!("admin {method} {route}");
        let detail = match response.extensions().get::<AdminDetail>() {
            Some(AdminDetail(d)) => format!("admin key {admin_id}: {method} {path}: {d}"),
            None => format!("admin key {admin_id}: {method} {path}"),
        };
        let record = crate::stages::record::Record {
            request_id: &request_id,
            action: &action,
            decision: Some(haetae_ledger::Decision::Allow),
            detail,
            admin: true,
            public_note: response.extensions().get::<AdminPublicNote>().map(|n| n.0),
            ..Default::default()
        };
        match recorder.record(record).await {
            Ok(index) => {
                response
                    .headers_mut()
                    .insert(crate::stages::record::LEDGER_INDEX_HEADER, index.into());
            }
            Err(e) => return e.into_response(),
        }
    }
    response
}

/// Query rejections become OpenAI-format 400s.
pub struct PageQuery(pub Page);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PageQuery {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> std::result::Result<Self, Self::Rejection> {
        Query::<Page>::from_request_parts(parts, state)
            .await
            .map(|Query(p)| PageQuery(p))
            .map_err(|e| ApiError::invalid_request(format!("Invalid query: {}", e.body_text())))
    }
}

/// JSON bodies whose rejections become OpenAI-format 400/413s.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for Body<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> std::result::Result<Self, Self::Rejection> {
        crate::validate::content_type(req.headers())?;
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new_too_large()
                } else {
                    ApiError::invalid_request(format!("The request body could not be read: {e}"))
                }
            })?;
        let value = crate::validate::parse_json(&bytes)?;
        serde_json::from_value(serde_json::Value::Object(value))
            .map(Body)
            .map_err(|e| ApiError::invalid_request(format!("Invalid request body: {e}.")))
    }
}

impl ApiError {
    fn new_too_large() -> Self {
        ApiError::invalid_request("The request body is too large.")
            .with_status(StatusCode::PAYLOAD_TOO_LARGE)
    }

    fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }
}

#[derive(Serialize, ToSchema)]
pub struct TierList {
    data: Vec<Tier>,
}

#[derive(Deserialize, ToSchema)]
pub struct TierBody {
    rank: i64,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize, ToSchema)]
pub struct SetTierBody {
    tier: String,
}

#[derive(Deserialize, ToSchema)]
pub struct IssueKeyBody {
    member_id: String,
    #[serde(default)]
    label: String,
    /// Unix seconds; absent: never expires.
    expires_at: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct IssuedKey {
    /// The full key. Shown once; the gateway keeps only its hash.
    key: String,
    info: ApiKeyInfo,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct KeyFilter {
    /// Only keys of this organisation (id or name).
    org: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct VettingResult {
    organisation: Organisation,
    evidence: VettingEvidence,
}

#[derive(Serialize, ToSchema)]
pub struct EvidenceList {
    data: Vec<VettingEvidence>,
}

#[derive(Serialize, ToSchema)]
pub struct ModelList {
    data: Vec<ModelEntry>,
}

type Result<T> = std::result::Result<T, ApiError>;

#[utoipa::path(get, path = "/admin/v1/tiers", tag = "admin", responses((status = 200, body = TierList)), security(("admin_key" = [])))]
pub async fn list_tiers(State(s): State<AppState>) -> Result<axum::Json<TierList>> {
    Ok(axum::Json(TierList {
        data: s.store.list_tiers().await?,
    }))
}

#[utoipa::path(put, path = "/admin/v1/tiers/{name}", tag = "admin", params(("name" = String, Path)), request_body = TierBody,
    responses((status = 200, body = Tier), (status = 400), (status = 409)), security(("admin_key" = [])))]
pub async fn put_tier(
    State(s): State<AppState>,
    Path(name): Path<String>,
    Body(body): Body<TierBody>,
) -> Result<axum::Json<Tier>> {
    let tier = Tier {
        name,
        rank: body.rank,
        description: body.description,
    };
    s.store.upsert_tier(&tier).await?;
    Ok(axum::Json(tier))
}

#[utoipa::path(get, path = "/admin/v1/orgs", tag = "admin", params(Page), responses((status = 200, body = Paged<Organisation>)), security(("admin_key" = [])))]
pub async fn list_orgs(
    State(s): State<AppState>,
    PageQuery(page): PageQuery,
) -> Result<axum::Json<Paged<Organisation>>> {
    Ok(axum::Json(s.store.list_orgs(&page).await?))
}

#[utoipa::path(post, path = "/admin/v1/orgs", tag = "admin", request_body = NewOrganisation,
    responses((status = 201, body = Organisation), (status = 400), (status = 404, description = "Unknown tier"), (status = 409)), security(("admin_key" = [])))]
pub async fn create_org(
    State(s): State<AppState>,
    Body(body): Body<NewOrganisation>,
) -> Result<Response> {
    let org = s.store.create_org(&body).await?;
    Ok((StatusCode::CREATED, axum::Json(org)).into_response())
}

#[utoipa::path(get, path = "/admin/v1/orgs/{org}", tag = "admin", params(("org" = String, Path, description = "id or name")),
    responses((status = 200, body = Organisation), (status = 404)), security(("admin_key" = [])))]
pub async fn get_org(
    State(s): State<AppState>,
    Path(org): Path<String>,
) -> Result<axum::Json<Organisation>> {
    Ok(axum::Json(s.store.get_org(&org).await?))
}

#[utoipa::path(post, path = "/admin/v1/orgs/{org}/vetting", tag = "admin", params(("org" = String, Path)), request_body = NewEvidence,
    responses((status = 200, body = VettingResult), (status = 400), (status = 404)), security(("admin_key" = [])))]
pub async fn record_vetting(
    State(s): State<AppState>,
    Path(org): Path<String>,
    Body(body): Body<NewEvidence>,
) -> Result<axum::Json<VettingResult>> {
    let (organisation, evidence) = s.store.record_vetting(&org, &body).await?;
    Ok(axum::Json(VettingResult {
        organisation,
        evidence,
    }))
}

#[utoipa::path(get, path = "/admin/v1/orgs/{org}/vetting", tag = "admin", params(("org" = String, Path)),
    responses((status = 200, body = EvidenceList), (status = 404)), security(("admin_key" = [])))]
pub async fn list_vetting(
    State(s): State<AppState>,
    Path(org): Path<String>,
) -> Result<axum::Json<EvidenceList>> {
    Ok(axum::Json(EvidenceList {
        data: s.store.list_evidence(&org).await?,
    }))
}

#[utoipa::path(put, path = "/admin/v1/orgs/{org}/tier", tag = "admin", params(("org" = String, Path)), request_body = SetTierBody,
    responses((status = 200, body = Organisation), (status = 404)), security(("admin_key" = [])))]
pub async fn set_tier(
    State(s): State<AppState>,
    Path(org): Path<String>,
    Body(body): Body<SetTierBody>,
) -> Result<axum::Json<Organisation>> {
    Ok(axum::Json(s.store.set_org_tier(&org, &body.tier).await?))
}

#[utoipa::path(get, path = "/admin/v1/orgs/{org}/members", tag = "admin", params(("org" = String, Path), Page),
    responses((status = 200, body = Paged<Member>), (status = 404)), security(("admin_key" = [])))]
pub async fn list_members(
    State(s): State<AppState>,
    Path(org): Path<String>,
    PageQuery(page): PageQuery,
) -> Result<axum::Json<Paged<Member>>> {
    Ok(axum::Json(s.store.list_members(&org, &page).await?))
}

#[utoipa::path(post, path = "/admin/v1/orgs/{org}/members", tag = "admin", params(("org" = String, Path)), request_body = NewMember,
    responses((status = 201, body = Member), (status = 400), (status = 404), (status = 409)), security(("admin_key" = [])))]
pub async fn add_member(
    State(s): State<AppState>,
    Path(org): Path<String>,
    Body(body): Body<NewMember>,
) -> Result<Response> {
    let member = s.store.add_member(&org, &body).await?;
    Ok((StatusCode::CREATED, axum::Json(member)).into_response())
}

#[utoipa::path(get, path = "/admin/v1/keys", tag = "admin", params(KeyFilter, Page),
    responses((status = 200, body = Paged<ApiKeyInfo>), (status = 404)), security(("admin_key" = [])))]
pub async fn list_keys(
    State(s): State<AppState>,
    Query(filter): Query<KeyFilter>,
    PageQuery(page): PageQuery,
) -> Result<axum::Json<Paged<ApiKeyInfo>>> {
    Ok(axum::Json(
        s.store.list_keys(filter.org.as_deref(), &page).await?,
    ))
}

#[utoipa::path(post, path = "/admin/v1/keys", tag = "admin", request_body = IssueKeyBody,
    responses((status = 201, body = IssuedKey), (status = 400, description = "expires_at not in the future"), (status = 404)), security(("admin_key" = [])))]
pub async fn issue_key(
    State(s): State<AppState>,
    Body(body): Body<IssueKeyBody>,
) -> Result<Response> {
    // A key born expired is a mistake (a date in the past, milliseconds for seconds): refuse it.
    if let Some(at) = body.expires_at
        && at <= haetae_core::now_unix()
    {
        return Err(ApiError::invalid_request(format!(
            "'expires_at' ({at}) is not in the future; give Unix seconds after now ({}), or omit it for a key that does not expire.",
            haetae_core::now_unix()
        ))
        .with_param("expires_at"));
    }
    let (info, secret) = s
        .store
        .issue_key(&body.member_id, &body.label, body.expires_at)
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(IssuedKey {
            key: secret.full,
            info,
        }),
    )
        .into_response())
}

#[utoipa::path(post, path = "/admin/v1/keys/{id}/revoke", tag = "admin", params(("id" = String, Path)),
    responses((status = 200, body = ApiKeyInfo), (status = 404)), security(("admin_key" = [])))]
pub async fn revoke_key(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::Json<ApiKeyInfo>> {
    Ok(axum::Json(s.store.revoke_key(&id).await?))
}

#[utoipa::path(get, path = "/admin/v1/models", tag = "admin", responses((status = 200, body = ModelList)), security(("admin_key" = [])))]
pub async fn list_models(State(s): State<AppState>) -> Result<axum::Json<ModelList>> {
    Ok(axum::Json(ModelList {
        data: s.store.list_models().await?,
    }))
}

#[utoipa::path(post, path = "/admin/v1/models", tag = "admin", request_body = NewModel,
    responses((status = 200, body = ModelEntry), (status = 400), (status = 404)), security(("admin_key" = [])))]
pub async fn put_model(
    State(s): State<AppState>,
    Body(body): Body<NewModel>,
) -> Result<axum::Json<ModelEntry>> {
    if s.backends.get(&body.backend).is_none() {
        return Err(ApiError::invalid_request(format!(
            "No backend named '{}' is configured; configured: {}.",
            body.backend,
            s.backends.names().join(", ")
        ))
        .with_param("backend"));
    }
    Ok(axum::Json(s.store.upsert_model(&body).await?))
}

#[utoipa::path(delete, path = "/admin/v1/models/{name}", tag = "admin", params(("name" = String, Path)),
    responses((status = 204), (status = 404)), security(("admin_key" = [])))]
pub async fn remove_model(
    State(s): State<AppState>,
    Path(name): Path<String>,
) -> Result<StatusCode> {
    s.store.remove_model(&name).await?;
    Ok(StatusCode::NO_CONTENT)
}
