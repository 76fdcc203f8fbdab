//! Stage 1: who holds this key? Parses `Authorization: Bearer hk_<id>_<secret>`, finds the key by its public
//! id, compares the secret's hash in constant time, and checks expiry and revocation on every request.

use axum::http::{HeaderMap, header};
use haetae_core::{KeyKind, ParsedKey, now_unix};
use haetae_store::{KeyRecord, Store};

use crate::catalogue::{Language, render};
use crate::error::ApiError;
use crate::pipeline::{Refusal, RefusalCode, Stage};

/// A hash no secret produces (not hex), compared against when the key id is unknown, so that an unknown id
/// and a wrong secret cost the same time.
const NO_SUCH_KEY_HASH: &str = "----------------------------------------------------------------";

fn refused(code: RefusalCode) -> Refusal {
    Refusal::new(Stage::Authenticate, code)
}

pub fn bearer(headers: &HeaderMap) -> Result<&str, Refusal> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| refused(RefusalCode::MissingKey))?;
    let value = value
        .to_str()
        .map_err(|_| refused(RefusalCode::MalformedAuthorization))?;
    let (scheme, token) = value
        .trim()
        .split_once(' ')
        .ok_or_else(|| refused(RefusalCode::MalformedAuthorization))?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(refused(RefusalCode::MalformedAuthorization));
    }
    Ok(token.trim())
}

fn incorrect() -> Refusal {
    refused(RefusalCode::IncorrectKey)
}

/// The member key check: the key's record, and the programme generation it was read at, which the rest of the
/// request passes to the store's catalogue reads (`Store::tiers_at`, `Store::model_at`) so that an unchanged
/// programme costs one primary-key read per request.
pub async fn authenticate_member(
    store: &Store,
    headers: &HeaderMap,
) -> Result<(KeyRecord, i64), Refusal> {
    let presented = bearer(headers)?;
    let parsed = ParsedKey::parse(presented).map_err(|_| incorrect())?;
    if parsed.kind != KeyKind::Member {
        return Err(refused(RefusalCode::AdminKeyOnModelApi));
    }
    let (generation, record) = store
        .lookup_key_at_generation(parsed.public_id)
        .await
        .map_err(|e| Refusal::store(Stage::Authenticate, e))?;
    let Some(record) = record else {
        let _ = parsed.matches(NO_SUCH_KEY_HASH);
        return Err(incorrect());
    };
    if !parsed.matches(&record.secret_hash) {
        return Err(incorrect());
    }
    let now = now_unix();
    if record.key.revoked_at.is_some() {
        return Err(refused(RefusalCode::KeyRevoked));
    }
    if !record.key.is_usable(now) {
        return Err(refused(RefusalCode::KeyExpired));
    }
    Ok((record, generation))
}

/// The administrator's key check for the admin API.
pub async fn authenticate_admin(store: &Store, headers: &HeaderMap) -> Result<String, ApiError> {
    let lang = Language::from_accept_language(headers).unwrap_or(Language::En);
    let presented = bearer(headers).map_err(|r| render(&r, lang))?;
    let parsed = ParsedKey::parse(presented).map_err(|_| render(&incorrect(), lang))?;
    if parsed.kind != KeyKind::Admin {
        return Err(ApiError::permission_denied(
            "admin_key_required",
            "The admin API needs an administrator key (hka_…).",
        ));
    }
    let record = store.lookup_admin_key(parsed.public_id).await?;
    let Some(record) = record else {
        let _ = parsed.matches(NO_SUCH_KEY_HASH);
        return Err(render(&incorrect(), lang));
    };
    if !parsed.matches(&record.secret_hash) {
        return Err(render(&incorrect(), lang));
    }
    if record.revoked_at.is_some() {
        return Err(ApiError::invalid_api_key(
            "This administrator key has been revoked.",
        ));
    }
    Ok(record.id)
}
