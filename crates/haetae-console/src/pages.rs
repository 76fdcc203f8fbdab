//! The operator's and the owner's pages. Operator pages refuse anyone else; owner pages take the organisation
//! from the session, never from the request, and check that every record they touch is that organisation's.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use haetae_core::{Role, VettingState};
use haetae_meter::review::{ReviewAction, ReviewState};
use haetae_policy::Action;
use haetae_store::{ConsoleRole, NewEngagement, NewEvidence, Page};
use serde::Deserialize;
use serde_json::json;

use crate::actions::{
    authorise_owner, ledger_ready, owner_principal, record_operator, record_owner,
};
use crate::i18n::{LANG_COOKIE, Lang};
use crate::session::SessionUser;
use crate::{BASE, Console, ConsoleError, Ctx, render};

pub(crate) type Result<T> = std::result::Result<T, ConsoleError>;
pub(crate) type Ext = axum::Extension<Ctx>;

pub fn routes() -> Router<Console> {
    Router::new()
        .route("/", get(home))
        .route("/lang/{code}", get(switch_language))
        .route("/overview", get(overview))
        .route("/orgs", get(orgs))
        .route("/orgs/{org}", get(org))
        .route("/orgs/{org}/vetting", post(record_vetting))
        .route("/orgs/{org}/owner-link", post(owner_link))
        .route("/keys", get(crate::programme_pages::keys).post(issue_key))
        .route("/keys/{id}/revoke", post(revoke_key))
        .route("/reviews", get(reviews))
        .route("/reviews/{id}", get(review))
        .route("/reviews/{id}/claim", post(claim_review))
        .route("/reviews/{id}/resolve", post(resolve_review))
        .route("/people", get(people))
        .route("/people/operator-link", post(operator_link))
        .route("/passkeys/{id}/revoke", post(revoke_passkey))
        .route("/org", get(my_org))
        .route("/org/engagements", post(register_engagement))
        .route("/org/engagements/{id}/revoke", post(revoke_engagement))
        .route("/org/keys/{id}/revoke", post(owner_revoke_key))
}

pub(crate) fn operator(ctx: &Ctx) -> Result<&SessionUser> {
    match ctx.user() {
        Some(u) if u.role == ConsoleRole::Operator => Ok(u),
        Some(_) => Err(ConsoleError::Forbidden),
        None => Err(ConsoleError::Forbidden),
    }
}

/// The owner's organisation id, from the session.
pub(crate) fn owner(ctx: &Ctx) -> Result<(&SessionUser, &str)> {
    match ctx.user() {
        Some(u) if u.role == ConsoleRole::Owner => {
            let org = u.org_id.as_deref().ok_or(ConsoleError::Forbidden)?;
            Ok((u, org))
        }
        _ => Err(ConsoleError::Forbidden),
    }
}

pub(crate) fn see_other(path: &str) -> Response {
    Redirect::to(path).into_response()
}

async fn home(axum::Extension(ctx): Ext) -> Response {
    match ctx.user().map(|u| u.role) {
        Some(ConsoleRole::Operator) => see_other(&format!("{BASE}/overview")),
        Some(ConsoleRole::Owner) => see_other(&format!("{BASE}/org")),
        None => see_other(&format!("{BASE}/signin")),
    }
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

/// Sets the `lang` cookie and goes back to the page the switch was on (only a console page: never an
/// open redirect).
async fn switch_language(Path(code): Path<String>, Query(q): Query<Next>) -> Response {
    let lang = Lang::parse(&code).unwrap_or(Lang::En);
    let next = q
        .next
        .filter(|n| {
            (n == BASE || n.starts_with(&format!("{BASE}/")))
                && !n.contains("//")
                && !n.contains('\\')
        })
        .unwrap_or_else(|| BASE.to_string());
    let mut r = see_other(&next);
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{LANG_COOKIE}={}; Path={BASE}; SameSite=Strict; Max-Age=31536000",
        lang.code()
    )) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

const STATES: [VettingState; 4] = [
    VettingState::Applied,
    VettingState::Verified,
    VettingState::Suspended,
    VettingState::Revoked,
];

pub(crate) fn state_name(s: VettingState) -> &'static str {
    match s {
        VettingState::Applied => "applied",
        VettingState::Verified => "verified",
        VettingState::Suspended => "suspended",
        VettingState::Revoked => "revoked",
    }
}

/// Vettings expiring soon that the overview lists by name (soonest first); it counts all of them.
const EXPIRING_LISTED: u32 = 50;

/// The overview counts in the database: it costs the same with ten organisations or ten thousand.
async fn overview(State(console): State<Console>, axum::Extension(ctx): Ext) -> Result<Response> {
    operator(&ctx)?;
    let store = &console.0.gateway.store;
    let tiers = store.list_tiers().await?;
    let soon = console.now_unix() + 30 * 86_400;
    let counts = store.count_orgs_by_state().await?;
    let states: Vec<_> = STATES
        .iter()
        .map(|s| {
            let n = counts
                .iter()
                .find(|(state, _)| state == s)
                .map_or(0, |(_, n)| *n);
            json!({"state": state_name(*s), "count": n})
        })
        .collect();
    let (expiring, expiring_total) = store.expiring_vettings(soon, EXPIRING_LISTED).await?;
    let open_reviews = store.count_reviews(Some(ReviewState::Open)).await?;
    render::page(
        &console,
        &ctx,
        "overview.html",
        json!({
            "tiers": tiers,
            "states": states,
            "expiring": expiring,
            "expiring_total": expiring_total,
            "open_reviews": open_reviews,
        }),
    )
}

#[derive(Deserialize)]
pub(crate) struct After {
    pub after: Option<String>,
}

async fn orgs(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Query(q): Query<After>,
) -> Result<Response> {
    operator(&ctx)?;
    let page = Page {
        limit: Some(100),
        after: q.after,
    };
    let orgs = console.0.gateway.store.list_orgs(&page).await?;
    render::page(
        &console,
        &ctx,
        "orgs.html",
        json!({"orgs": orgs.data, "next": orgs.next_cursor}),
    )
}

/// An organisation's page data: the record, vetting evidence, members, keys and engagements.
async fn org_data(console: &Console, org: &str) -> Result<serde_json::Value> {
    let store = &console.0.gateway.store;
    let org = store.get_org(org).await?;
    let evidence = store.list_evidence(&org.id).await?;
    let members = store
        .list_members(&org.id, &Page::first(Page::MAX_LIMIT))
        .await?;
    let keys = store
        .list_keys(Some(&org.id), &Page::first(Page::MAX_LIMIT))
        .await?;
    let engagements = store
        .list_engagements(&org.id, &Page::first(Page::MAX_LIMIT))
        .await?;
    let limits = store.org_limits(&org.id).await?;
    let names: BTreeMap<&str, &str> = members
        .data
        .iter()
        .map(|m| (m.id.as_str(), m.identity.as_str()))
        .collect();
    let now = console.now_unix();
    let keys: Vec<_> = keys
        .data
        .iter()
        .map(|k| {
            json!({
                "id": k.id, "label": k.label, "member": names.get(k.member_id.as_str()).copied().unwrap_or(k.member_id.as_str()),
                "created_at": k.created_at, "expires_at": k.expires_at, "revoked_at": k.revoked_at,
                "usable": k.is_usable(now),
            })
        })
        .collect();
    let engagements: Vec<_> = engagements
        .data
        .iter()
        .map(|e| {
            json!({
                "id": e.id, "name": e.name, "targets": e.targets, "valid_from": e.valid_from,
                "valid_until": e.valid_until, "revoked_at": e.revoked_at,
                "active": e.revoked_at.is_none() && e.valid_from <= now && now < e.valid_until,
            })
        })
        .collect();
    Ok(json!({
        "org": org,
        "state": state_name(org.vetting_state),
        "evidence": evidence.iter().map(|e| json!({
            "reviewer": e.reviewer, "checked": e.checked, "decision": state_name(e.decision),
            "notes": e.notes, "created_at": e.created_at,
        })).collect::<Vec<_>>(),
        "members": members.data.iter().map(|m| json!({
            "id": m.id, "identity": m.identity, "display_name": m.display_name, "role": m.role.as_str(),
            "owner": m.role == Role::Owner,
        })).collect::<Vec<_>>(),
        "keys": keys,
        "engagements": engagements,
        "states": STATES.iter().map(|s| state_name(*s)).collect::<Vec<_>>(),
        "limits": crate::programme_pages::quota_fields(&limits),
    }))
}

async fn org(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Path(org): Path<String>,
) -> Result<Response> {
    operator(&ctx)?;
    let mut data = org_data(&console, &org).await?;
    data["revoke_base"] = json!(format!("{BASE}/keys"));
    data["can_revoke_engagements"] = json!(false);
    render::page(&console, &ctx, "org.html", data)
}

#[derive(Deserialize)]
struct VettingForm {
    decision: String,
    checked: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    expires_days: String,
}

async fn record_vetting(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Path(org): Path<String>,
    axum::Form(form): axum::Form<VettingForm>,
) -> Result<Response> {
    let user = operator(&ctx)?;
    let decision: VettingState = form.decision.parse().map_err(|_| {
        ConsoleError::Invalid(format!("'{}' is not a vetting state", form.decision))
    })?;
    let expires_at = match form.expires_days.trim() {
        "" => None,
        d => {
            let days: i64 = d
                .parse()
                .ok()
                .filter(|d| (1..=3650).contains(d))
                .ok_or_else(|| ConsoleError::Invalid("days: 1 to 3650".into()))?;
            Some(console.now_unix() + days * 86_400)
        }
    };
    ledger_ready(&console)?;
    let store = &console.0.gateway.store;
    let (organisation, _) = store
        .record_vetting(
            &org,
            &NewEvidence {
                reviewer: user.name.clone(),
                checked: form.checked,
                decision,
                notes: form.notes,
                expires_at,
            },
        )
        .await?;
    record_operator(
        &console,
        &ctx,
        "POST",
        "/orgs/{org}/vetting",
        &format!("/orgs/{}/vetting", organisation.id),
        format!(
            "vetting of {} -> {}",
            organisation.name,
            state_name(decision)
        ),
    )
    .await?;
    Ok(see_other(&format!("{BASE}/orgs/{}", organisation.id)))
}

#[derive(Deserialize)]
struct KeyForm {
    member_id: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    expires_days: String,
}

async fn issue_key(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    axum::Form(form): axum::Form<KeyForm>,
) -> Result<Response> {
    operator(&ctx)?;
    let expires_at = match form.expires_days.trim() {
        "" => None,
        d => Some(
            d.parse::<i64>()
                .ok()
                .filter(|d| (1..=3650).contains(d))
                .map(|d| console.now_unix() + d * 86_400)
                .ok_or_else(|| ConsoleError::Invalid("days: 1 to 3650".into()))?,
        ),
    };
    ledger_ready(&console)?;
    let (info, secret) = console
        .0
        .gateway
        .store
        .issue_key(&form.member_id, &form.label, expires_at)
        .await?;
    record_operator(
        &console,
        &ctx,
        "POST",
        "/keys",
        "/keys",
        format!("key {} issued to member {}", info.id, info.member_id),
    )
    .await?;
    render::page(
        &console,
        &ctx,
        "shown_once.html",
        json!({"kind": "key", "secret": secret.full, "back": format!("{BASE}/orgs/{}", info.org_id)}),
    )
}

async fn revoke_key(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Path(id): Path<String>,
) -> Result<Response> {
    operator(&ctx)?;
    ledger_ready(&console)?;
    let info = console.0.gateway.store.revoke_key(&id).await?;
    record_operator(
        &console,
        &ctx,
        "POST",
        "/keys/{id}/revoke",
        &format!("/keys/{id}/revoke"),
        format!("key {id} revoked"),
    )
    .await?;
    Ok(see_other(&format!("{BASE}/orgs/{}", info.org_id)))
}

#[derive(Deserialize)]
struct MemberForm {
    member_id: String,
}

/// An enrolment link for an owner of this organisation (a member whose role is owner).
async fn owner_link(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Path(org): Path<String>,
    axum::Form(form): axum::Form<MemberForm>,
) -> Result<Response> {
    let user = operator(&ctx)?;
    let store = &console.0.gateway.store;
    let org = store.get_org(&org).await?;
    let member = store.get_member(&form.member_id).await?;
    if member.org_id != org.id || member.role != Role::Owner {
        return Err(ConsoleError::Invalid(
            "an owner's enrolment link is for a member of this organisation whose role is owner"
                .into(),
        ));
    }
    ledger_ready(&console)?;
    let token = crate::issue_enrolment(
        store,
        ConsoleRole::Owner,
        &member.identity,
        Some((member.id.as_str(), org.id.as_str())),
        &user.name,
        console.now_unix(),
        console.0.config.enrolment_ttl_secs,
    )
    .await?;
    record_operator(
        &console,
        &ctx,
        "POST",
        "/console/enrolments",
        "/console/enrolments",
        format!(
            "owner enrolment link for {} of {}",
            member.identity, org.name
        ),
    )
    .await?;
    render::page(
        &console,
        &ctx,
        "shown_once.html",
        json!({"kind": "link", "secret": console.enrolment_url(&token), "back": format!("{BASE}/orgs/{}", org.id)}),
    )
}

#[derive(Deserialize)]
struct ReviewFilter {
    state: Option<String>,
    after: Option<String>,
}

fn review_state(s: &str) -> Option<ReviewState> {
    match s {
        "open" => Some(ReviewState::Open),
        "claimed" => Some(ReviewState::Claimed),
        "resolved" => Some(ReviewState::Resolved),
        _ => None,
    }
}

async fn reviews(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Query(q): Query<ReviewFilter>,
) -> Result<Response> {
    operator(&ctx)?;
    let state = q.state.as_deref().and_then(review_state);
    let page = Page {
        limit: Some(100),
        after: q.after,
    };
    let items = console.0.gateway.store.list_reviews(state, &page).await?;
    let items: Vec<_> = items
        .data
        .iter()
        .map(|i| {
            json!({
                "id": i.id.simple().to_string(),
                "kind": i.kind, "subject": i.subject, "severity": i.severity, "state": i.state,
                "opened_at": i64::try_from(i.opened_at_ms / 1000).unwrap_or(0),
                "claimed_by": i.claimed_by,
            })
        })
        .collect();
    render::page(
        &console,
        &ctx,
        "reviews.html",
        json!({"items": items, "filter": q.state.unwrap_or_default()}),
    )
}

async fn review(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Path(id): Path<String>,
) -> Result<Response> {
    operator(&ctx)?;
    let item = console.0.gateway.store.get_review(&id).await?;
    let evidence = serde_json::to_string_pretty(&item.signals).unwrap_or_default();
    let history = serde_json::to_string_pretty(&item.history).unwrap_or_default();
    render::page(
        &console,
        &ctx,
        "review.html",
        json!({
            "id": item.id.simple().to_string(),
            "item": item,
            "opened_at": i64::try_from(item.opened_at_ms / 1000).unwrap_or(0),
            "evidence": evidence,
            "history": history,
            "actions": ["dismiss", "warn", "suspend-key", "suspend-org"],
        }),
    )
}

async fn claim_review(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Path(id): Path<String>,
) -> Result<Response> {
    let user = operator(&ctx)?;
    ledger_ready(&console)?;
    let item = console
        .0
        .gateway
        .store
        .claim_review(&id, &user.name)
        .await?;
    let item_id = item.id.simple().to_string();
    record_operator(
        &console,
        &ctx,
        "POST",
        "/reviews/{id}/claim",
        &format!("/reviews/{item_id}/claim"),
        format!("review {item_id} claimed by {}", user.name),
    )
    .await?;
    Ok(see_other(&format!("{BASE}/reviews/{item_id}")))
}

#[derive(Deserialize)]
struct ResolveForm {
    action: String,
    #[serde(default)]
    note: String,
}

async fn resolve_review(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<ResolveForm>,
) -> Result<Response> {
    let user = operator(&ctx)?;
    let action: ReviewAction = form
        .action
        .parse()
        .map_err(|e: haetae_meter::review::ReviewError| ConsoleError::Invalid(e.to_string()))?;
    ledger_ready(&console)?;
    let note = Some(form.note.trim()).filter(|n| !n.is_empty());
    let (item, enforcement) = console
        .0
        .gateway
        .store
        .resolve_review(&id, &user.name, action, note)
        .await?;
    let item_id = item.id.simple().to_string();
    record_operator(
        &console,
        &ctx,
        "POST",
        "/reviews/{id}/resolve",
        &format!("/reviews/{item_id}/resolve"),
        format!(
            "review {item_id} resolved by {}: {} ({})",
            user.name,
            action.as_str(),
            serde_json::to_string(&enforcement).unwrap_or_default()
        ),
    )
    .await?;
    Ok(see_other(&format!("{BASE}/reviews/{item_id}")))
}

/// Console users a page shows (the operators and an owner for each organisation that enrolled one: with
/// 10,000 organisations, thousands).
const PEOPLE_PAGE: u32 = 100;

/// A page of console users with their passkeys: two queries, however many users the page shows.
async fn people(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Query(q): Query<After>,
) -> Result<Response> {
    operator(&ctx)?;
    let store = &console.0.gateway.store;
    let page = Page {
        limit: Some(PEOPLE_PAGE),
        after: q.after,
    };
    let listed = store.list_console_users(&page).await?;
    let ids: Vec<&str> = listed.data.iter().map(|u| u.id.as_str()).collect();
    let mut passkeys = store.active_passkeys_of(&ids).await?;
    let users: Vec<_> = listed
        .data
        .iter()
        .map(|u| {
            let passkeys: Vec<_> = passkeys
                .remove(&u.id)
                .unwrap_or_default()
                .into_iter()
                .map(|p| json!({"id": p.id, "created_at": p.created_at, "last_used_at": p.last_used_at}))
                .collect();
            json!({"name": u.name, "role": u.role.as_str(), "org_id": u.org_id, "passkeys": passkeys})
        })
        .collect();
    render::page(
        &console,
        &ctx,
        "people.html",
        json!({"users": users, "next": listed.next_cursor}),
    )
}

#[derive(Deserialize)]
struct NameForm {
    name: String,
}

async fn operator_link(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    axum::Form(form): axum::Form<NameForm>,
) -> Result<Response> {
    let user = operator(&ctx)?;
    ledger_ready(&console)?;
    let name = form.name.trim();
    let token = crate::issue_enrolment(
        &console.0.gateway.store,
        ConsoleRole::Operator,
        name,
        None,
        &user.name,
        console.now_unix(),
        console.0.config.enrolment_ttl_secs,
    )
    .await?;
    record_operator(
        &console,
        &ctx,
        "POST",
        "/console/enrolments",
        "/console/enrolments",
        format!("operator enrolment link for {name}"),
    )
    .await?;
    render::page(
        &console,
        &ctx,
        "shown_once.html",
        json!({"kind": "link", "secret": console.enrolment_url(&token), "back": format!("{BASE}/people")}),
    )
}

/// Revokes a passkey and closes every session it opened, here at once and on other replicas at their next
/// request (the session layer re-checks the passkey).
async fn revoke_passkey(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Path(id): Path<String>,
) -> Result<Response> {
    operator(&ctx)?;
    ledger_ready(&console)?;
    let p = console.0.gateway.store.revoke_passkey(&id).await?;
    let closed = console.0.sessions.close_for_passkey(&p.id);
    record_operator(
        &console,
        &ctx,
        "POST",
        "/console/passkeys/{id}/revoke",
        &format!("/console/passkeys/{id}/revoke"),
        format!(
            "passkey of console user {} revoked ({closed} sessions closed)",
            p.user_id
        ),
    )
    .await?;
    Ok(see_other(&format!("{BASE}/people")))
}

async fn my_org(State(console): State<Console>, axum::Extension(ctx): Ext) -> Result<Response> {
    let (_, org_id) = owner(&ctx)?;
    let mut data = org_data(&console, org_id).await?;
    data["revoke_base"] = json!(format!("{BASE}/org/keys"));
    data["can_revoke_engagements"] = json!(true);
    render::page(&console, &ctx, "my_org.html", data)
}

#[derive(Deserialize)]
struct EngagementForm {
    name: String,
    targets: String,
    valid_days: String,
}

async fn register_engagement(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    axum::Form(form): axum::Form<EngagementForm>,
) -> Result<Response> {
    owner(&ctx)?;
    let p = owner_principal(&console, &ctx).await?;
    authorise_owner(
        &console,
        &p,
        Action::ManageEngagements,
        "engagements.register",
    )
    .await?;
    let days: i64 = form
        .valid_days
        .trim()
        .parse()
        .ok()
        .filter(|d| (1..=366).contains(d))
        .ok_or_else(|| ConsoleError::Invalid("days: 1 to 366".into()))?;
    let now = console.now_unix();
    let new = NewEngagement {
        name: form.name,
        targets: form
            .targets
            .lines()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        valid_from: now,
        valid_until: now + days * 86_400,
        registered_by: p.member.id.clone(),
    };
    haetae_gateway::admin_ops::validate_engagement(&p.org.id, &new)
        .map_err(ConsoleError::Invalid)?;
    ledger_ready(&console)?;
    let record = console
        .0
        .gateway
        .store
        .register_engagement(&p.org.id, &new)
        .await?;
    record_owner(
        &console,
        &p,
        "engagements.register",
        format!(
            "engagement {} registered: {} from {} until {}",
            record.id,
            record.targets.join(" "),
            record.valid_from,
            record.valid_until
        ),
    )
    .await?;
    Ok(see_other(&format!("{BASE}/org")))
}

async fn revoke_engagement(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Path(id): Path<String>,
) -> Result<Response> {
    let (_, org_id) = owner(&ctx)?;
    let store = &console.0.gateway.store;
    // Another organisation's engagement is reported as missing, as the member API does.
    let existing = store
        .get_engagement(&id)
        .await?
        .filter(|e| e.org_id == org_id)
        .ok_or(ConsoleError::NotFound)?;
    let p = owner_principal(&console, &ctx).await?;
    authorise_owner(
        &console,
        &p,
        Action::ManageEngagements,
        "engagements.revoke",
    )
    .await?;
    ledger_ready(&console)?;
    store.revoke_engagement(&existing.id).await?;
    record_owner(
        &console,
        &p,
        "engagements.revoke",
        format!("engagement {id} revoked"),
    )
    .await?;
    Ok(see_other(&format!("{BASE}/org")))
}

/// An owner revokes one of their own members' keys (someone leaves, a key leaks).
async fn owner_revoke_key(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Path(id): Path<String>,
) -> Result<Response> {
    let (_, org_id) = owner(&ctx)?;
    let store = &console.0.gateway.store;
    let key = store
        .get_key(&id)
        .await
        .map_err(|_| ConsoleError::NotFound)?;
    if key.org_id != org_id {
        return Err(ConsoleError::NotFound);
    }
    let p = owner_principal(&console, &ctx).await?;
    ledger_ready(&console)?;
    store.revoke_key(&key.id).await?;
    record_owner(
        &console,
        &p,
        "keys.revoke",
        format!("key {} revoked", key.id),
    )
    .await?;
    Ok(see_other(&format!("{BASE}/org")))
}
