//! The operator's programme pages beyond organisations: every API key (a page at a time), the model catalogue
//! with each model's minimum tier, and the limits (each tier's defaults; an organisation's own on its page).
//! Changes go through the store functions the admin API calls and are recorded under its labels.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use haetae_core::Quota;
use haetae_store::{NewModel, Page};
use serde::Deserialize;
use serde_json::json;

use crate::actions::{ledger_ready, record_operator};
use crate::pages::{Ext, Result, operator, see_other};
use crate::{BASE, Console, ConsoleError, render};

/// Rows per page of the keys list: a page stays small however many keys the programme has.
pub(crate) const KEYS_PER_PAGE: u32 = 100;

pub fn routes() -> Router<Console> {
    Router::new()
        .route("/models", get(models))
        .route("/models/{name}/min-tier", post(set_min_tier))
        .route("/limits", get(limits))
        .route("/orgs/{org}/limits", post(set_org_limits))
}

#[derive(Deserialize)]
pub(crate) struct KeysQuery {
    after: Option<String>,
    org: Option<String>,
}

/// Every key of the programme (or of one organisation), in id order, a page at a time.
pub(crate) async fn keys(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Query(q): Query<KeysQuery>,
) -> Result<Response> {
    operator(&ctx)?;
    let store = &console.0.gateway.store;
    let org = match q.org.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        Some(o) => Some(store.get_org(o).await?),
        None => None,
    };
    let page = Page {
        limit: Some(KEYS_PER_PAGE),
        after: q.after,
    };
    let keys = store
        .list_keys(org.as_ref().map(|o| o.id.as_str()), &page)
        .await?;
    // The organisations' names for this page only, in one query.
    let ids: Vec<&str> = keys.data.iter().map(|k| k.org_id.as_str()).collect();
    let names = store.org_names(&ids).await?;
    let now = console.now_unix();
    let rows: Vec<_> = keys
        .data
        .iter()
        .map(|k| {
            json!({
                "id": k.id, "org_id": k.org_id, "org": names.get(&k.org_id).unwrap_or(&k.org_id), "member": k.member_id,
                "label": k.label, "created_at": k.created_at, "expires_at": k.expires_at,
                "revoked_at": k.revoked_at, "usable": k.is_usable(now),
            })
        })
        .collect();
    render::page(
        &console,
        &ctx,
        "keys.html",
        json!({
            "keys": rows,
            "show_org": true,
            "keys_caption": "keys_caption",
            "revoke_base": format!("{BASE}/keys"),
            "next": keys.next_cursor,
            "org": org.map(|o| json!({"id": o.id, "name": o.name})),
        }),
    )
}

async fn models(State(console): State<Console>, axum::Extension(ctx): Ext) -> Result<Response> {
    operator(&ctx)?;
    let store = &console.0.gateway.store;
    let tiers = store.list_tiers().await?;
    let rank: BTreeMap<&str, i64> = tiers.iter().map(|t| (t.name.as_str(), t.rank)).collect();
    let models: Vec<_> = store
        .list_models()
        .await?
        .into_iter()
        .map(|m| {
            json!({
                "name": m.name, "backend": m.backend, "upstream_model": m.upstream_model,
                "min_tier": m.min_tier, "min_rank": rank.get(m.min_tier.as_str()),
                "description": m.description, "created_at": m.created_at,
            })
        })
        .collect();
    render::page(
        &console,
        &ctx,
        "models.html",
        json!({"models": models, "tiers": tiers}),
    )
}

#[derive(Deserialize)]
struct MinTierForm {
    min_tier: String,
}

/// Changes one model's minimum tier, keeping the rest of its catalogue entry (the admin API's `POST
/// /admin/v1/models` with the same entry and a new tier).
async fn set_min_tier(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Path(name): Path<String>,
    axum::Form(form): axum::Form<MinTierForm>,
) -> Result<Response> {
    operator(&ctx)?;
    let store = &console.0.gateway.store;
    let tier = store.get_tier(form.min_tier.trim()).await?;
    let entry = store
        .get_model(&name)
        .await?
        .ok_or(ConsoleError::NotFound)?;
    ledger_ready(&console)?;
    let updated = store
        .upsert_model(&NewModel {
            name: entry.name.clone(),
            backend: entry.backend.clone(),
            upstream_model: entry.upstream_model.clone(),
            min_tier: tier.name.clone(),
            description: entry.description.clone(),
        })
        .await?;
    record_operator(
        &console,
        &ctx,
        "POST",
        "/models",
        "/models",
        format!(
            "model {} minimum tier {} -> {}",
            entry.name, entry.min_tier, updated.min_tier
        ),
    )
    .await?;
    Ok(see_other(&format!("{BASE}/models")))
}

/// The five limits of a quota in the order the pages show them, with `None` for "no limit".
pub(crate) fn quota_fields(q: &Quota) -> serde_json::Value {
    json!([
        {"field": "requests_per_minute", "value": q.requests_per_minute},
        {"field": "tokens_per_minute", "value": q.tokens_per_minute},
        {"field": "requests_per_day", "value": q.requests_per_day},
        {"field": "tokens_per_day", "value": q.tokens_per_day},
        {"field": "tokens_per_month", "value": q.tokens_per_month},
    ])
}

async fn limits(State(console): State<Console>, axum::Extension(ctx): Ext) -> Result<Response> {
    operator(&ctx)?;
    let store = &console.0.gateway.store;
    let mut tiers = Vec::new();
    for t in store.list_tiers().await? {
        let l = store.tier_limits(&t.name).await?;
        tiers.push(json!({
            "name": t.name, "rank": t.rank,
            "scopes": [
                {"scope": "per_key", "fields": quota_fields(&l.per_key)},
                {"scope": "per_org", "fields": quota_fields(&l.per_org)},
                {"scope": "pool", "fields": quota_fields(&l.pool)},
            ],
        }));
    }
    render::page(&console, &ctx, "limits.html", json!({"tiers": tiers}))
}

#[derive(Deserialize)]
struct QuotaForm {
    #[serde(default)]
    requests_per_minute: String,
    #[serde(default)]
    tokens_per_minute: String,
    #[serde(default)]
    requests_per_day: String,
    #[serde(default)]
    tokens_per_day: String,
    #[serde(default)]
    tokens_per_month: String,
}

fn limit(field: &str, v: &str) -> Result<Option<u64>> {
    match v.trim() {
        "" => Ok(None),
        v => v.parse::<u64>().map(Some).map_err(|_| {
            ConsoleError::Invalid(format!("{field}: a whole number, or empty for no limit"))
        }),
    }
}

impl QuotaForm {
    fn quota(&self) -> Result<Quota> {
        Ok(Quota {
            requests_per_minute: limit("requests_per_minute", &self.requests_per_minute)?,
            tokens_per_minute: limit("tokens_per_minute", &self.tokens_per_minute)?,
            requests_per_day: limit("requests_per_day", &self.requests_per_day)?,
            tokens_per_day: limit("tokens_per_day", &self.tokens_per_day)?,
            tokens_per_month: limit("tokens_per_month", &self.tokens_per_month)?,
        })
    }
}

/// Sets an organisation's own limits (the admin API's `PUT /admin/v1/orgs/{org}/limits`); an empty field
/// falls back to the tier's default.
async fn set_org_limits(
    State(console): State<Console>,
    axum::Extension(ctx): Ext,
    Path(org): Path<String>,
    axum::Form(form): axum::Form<QuotaForm>,
) -> Result<Response> {
    operator(&ctx)?;
    let quota = form.quota()?;
    let store = &console.0.gateway.store;
    let org = store.get_org(&org).await?;
    ledger_ready(&console)?;
    let limits = store.set_org_limits(&org.id, &quota).await?;
    record_operator(
        &console,
        &ctx,
        "PUT",
        "/orgs/{org}/limits",
        &format!("/orgs/{}/limits", org.id),
        format!(
            "organisation {} limits {}",
            org.id,
            serde_json::to_string(&limits).unwrap_or_default()
        ),
    )
    .await?;
    Ok(see_other(&format!("{BASE}/orgs/{}", org.id)))
}
