//! Stage 1: who holds this key? Parses `Authorization: Bearer hk_<id>_<secret>`, finds the key by its public
//! id, compares the secret's hash in constant time, and checks expiry and revocation on every request.

use axum::http::{HeaderMap, header};
use haetae_core::{KeyKind, ParsedKey, now_unix};
use haetae_store::{KeyRecord, Store};

use crate::error::ApiError;

/// A hash no secret produces (not hex), compared against when the key id is unknown, so that an unknown id
/// and a wrong secret cost the same time.
const NO_SUCH_KEY_HASH: &str = "----------------------------------------------------------------";

pub fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    let value = headers.get(header::AUTHORIZATION).ok_or_else(|| {
        ApiError::invalid_api_key(
            "You didn't provide an API key. Send it as 'Authorization: Bearer hk_…'.",
        )
    })?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::invalid_api_key("The Authorization header is not valid text."))?;
    let (scheme, token) = value.trim().split_once(' ').ok_or_else(|| {
        ApiError::invalid_api_key("The Authorization header must be 'Bearer <key>'.")
    })?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::invalid_api_key(
            "The Authorization header must be 'Bearer <key>'.",
        ));
    }
    Ok(token.trim())
}

fn incorrect() -> ApiError {
    ApiError::invalid_api_key("Incorrect API key provided.")
}

pub async fn authenticate_member(
    store: &Store,
    headers: &HeaderMap,
) -> Result<KeyRecord, ApiError> {
    let presented = bearer(headers)?;
    let parsed = ParsedKey::parse(presented).map_err(|_| incorrect())?;
    if parsed.kind != KeyKind::Member {
        return Err(ApiError::invalid_api_key(
            "Administrator keys cannot call the model API; use a member's key.",
        ));
    }
    let record = store.lookup_key_cached(parsed.public_id).await?;
    let Some(record) = record else {
        let _ = parsed.matches(NO_SUCH_KEY_HASH);
        return Err(incorrect());
    };
    if !parsed.matches(&record.secret_hash) {
        return Err(incorrect());
    }
    let now = now_unix();
    if record.key.revoked_at.is_some() {
        return Err(ApiError::invalid_api_key("This API key has been revoked."));
    }
    if !record.key.is_usable(now) {
        return Err(ApiError::invalid_api_key("This API key has expired."));
    }
    Ok(record)
}

/// The administrator's key check for the admin API.
pub async fn authenticate_admin(store: &Store, headers: &HeaderMap) -> Result<String, ApiError> {
    let presented = bearer(headers)?;
    let parsed = ParsedKey::parse(presented).map_err(|_| incorrect())?;
    if parsed.kind != KeyKind::Admin {
        return Err(ApiError::permission_denied(
            "admin_key_required",
            "The admin API needs an administrator key (hka_…).",
        ));
    }
    let record = store.lookup_admin_key(parsed.public_id).await?;
    let Some(record) = record else {
        let _ = parsed.matches(NO_SUCH_KEY_HASH);
        return Err(incorrect());
    };
    if !parsed.matches(&record.secret_hash) {
        return Err(incorrect());
    }
    if record.revoked_at.is_some() {
        return Err(ApiError::invalid_api_key(
            "This administrator key has been revoked.",
        ));
    }
    Ok(record.id)
}
