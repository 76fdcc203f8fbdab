//! The ledger's public surface (C2SP tlog-tiles plus proof conveniences). Readable without a key: the whole point
//! is that outsiders can check it. Entries hold digests and metadata only.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use haetae_ledger::LedgerError;
use haetae_ledger::api::{ConsistencyQuery, InclusionQuery};

use crate::AppState;
use crate::error::ApiError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ledger/checkpoint", get(checkpoint))
        .route("/ledger/key", get(verifier_key))
        .route("/ledger/tile/{*path}", get(tile))
        .route("/ledger/proof/inclusion", get(inclusion))
        .route("/ledger/proof/consistency", get(consistency))
}

fn recorder(state: &AppState) -> Result<&crate::stages::record::Recorder, ApiError> {
    state
        .recorder
        .as_ref()
        .ok_or_else(|| ApiError::not_found("This gateway runs without a ledger."))
}

fn ledger_error(e: LedgerError) -> ApiError {
    match e {
        LedgerError::NotFound(id) => {
            ApiError::not_found(format!("No ledger entry for request '{id}'."))
        }
        LedgerError::Tile(t) => ApiError::not_found(format!("No such tile: {t}.")),
        LedgerError::Proof(p) => ApiError::invalid_request(format!("Cannot prove that: {p}.")),
        other => ApiError::internal(other),
    }
}

async fn checkpoint(State(state): State<AppState>) -> Result<Response, ApiError> {
    let text = recorder(&state)?
        .ledger
        .checkpoint()
        .map_err(ledger_error)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response())
}

async fn verifier_key(State(state): State<AppState>) -> Result<Response, ApiError> {
    let key = state
        .ledger_verifier_key
        .clone()
        .ok_or_else(|| ApiError::not_found("This gateway runs without a ledger."))?;
    Ok((
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{key}\n"),
    )
        .into_response())
}

async fn tile(
    State(state): State<AppState>,
    Path(path): Path<String>,
) -> Result<Response, ApiError> {
    let bytes = recorder(&state)?
        .ledger
        .tile_by_path(&path)
        .map_err(ledger_error)?;
    // Full tiles never change; partial ones (".p/") grow into full ones.
    let cache = if path.contains(".p/") {
        "no-store"
    } else {
        "public, max-age=31536000, immutable"
    };
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/octet-stream"),
            (header::CACHE_CONTROL, cache),
        ],
        bytes,
    )
        .into_response())
}

async fn inclusion(
    State(state): State<AppState>,
    query: Result<Query<InclusionQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query
        .map_err(|e| ApiError::invalid_request(format!("Invalid query: {}", e.body_text())))?;
    let proof = recorder(&state)?
        .ledger
        .prove_request(&q.request_id)
        .map_err(ledger_error)?;
    Ok(axum::Json(proof).into_response())
}

async fn consistency(
    State(state): State<AppState>,
    query: Result<Query<ConsistencyQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query
        .map_err(|e| ApiError::invalid_request(format!("Invalid query: {}", e.body_text())))?;
    let proof = recorder(&state)?
        .ledger
        .prove_consistency(q.old, q.new)
        .map_err(ledger_error)?;
    Ok(axum::Json(proof).into_response())
}
