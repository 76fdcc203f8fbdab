//! The ledger's public surface (C2SP tlog-tiles plus proof conveniences). Readable without a key: the whole point
//! is that outsiders can check it. Entries hold digests and metadata only.
//!
//! Witnessing (pull model): a witness fetches `/ledger/witness/candidate`, checks it against what it cosigned
//! before, and posts the note with its `cosignature/v1` line to `/ledger/witness/cosignature`. That POST needs no
//! API key: the cosignature itself is the credential, checked against the configured witness keys
//! (`ledger_witnesses`). `/ledger/checkpoint` carries the cosignatures collected for its size, and
//! `/ledger/checkpoint/witnessed` is the latest checkpoint with the required number of them.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use haetae_ledger::api::{ConsistencyQuery, InclusionQuery, WitnessedQuery};
use haetae_ledger::{CosignError, LedgerError};

use crate::AppState;
use crate::error::ApiError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ledger/checkpoint", get(checkpoint))
        .route("/ledger/checkpoint/witnessed", get(witnessed_checkpoint))
        .route("/ledger/witness/candidate", get(witness_candidate))
        .route("/ledger/witness/cosignature", post(cosignature))
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
        LedgerError::Cosign(c) => cosign_error(c),
        other => ApiError::internal(other),
    }
}

fn cosign_error(e: CosignError) -> ApiError {
    match e {
        CosignError::UnknownWitness { .. } => ApiError::permission_denied(
            "unknown_witness",
            format!(
                "{e}; the gateway accepts cosignatures only from the witness keys in ledger_witnesses."
            ),
        ),
        CosignError::BadCosignature(_) => {
            ApiError::permission_denied("bad_cosignature", format!("{e}."))
        }
        CosignError::Mismatch { .. } => ApiError::conflict(format!("{e}.")),
        CosignError::Malformed(_)
        | CosignError::NotThisLog(_)
        | CosignError::NoCosignature
        | CosignError::TooManySignatures { .. } => {
            ApiError::invalid_request(format!("{e}.")).with_param("body")
        }
    }
}

fn note_response(text: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

/// Runs ledger work that may fsync (signing a new checkpoint persists it) or wait for the
/// shared ledger's database off the async executor.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&haetae_ledger::Ledger) -> Result<T, LedgerError> + Send + 'static,
) -> Result<T, ApiError> {
    let ledger = recorder(state)?.ledger.clone();
    tokio::task::spawn_blocking(move || f(&ledger))
        .await
        .map_err(ApiError::internal)?
        .map_err(ledger_error)
}

async fn checkpoint(State(state): State<AppState>) -> Result<Response, ApiError> {
    let text = blocking(&state, |l| l.published_checkpoint()).await?;
    Ok(note_response(text))
}

async fn witnessed_checkpoint(
    State(state): State<AppState>,
    query: Result<Query<WitnessedQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query
        .map_err(|e| ApiError::invalid_request(format!("Invalid query: {}", e.body_text())))?;
    let policy = recorder(&state)?.ledger.witness_policy();
    let min = q.cosignatures.unwrap_or(policy.required);
    if min > policy.witnesses.len() {
        return Err(ApiError::not_found(format!(
            "This gateway has {} witnesses configured, so no checkpoint can carry {min} cosignatures.",
            policy.witnesses.len()
        )));
    }
    match blocking(&state, move |l| l.witnessed_checkpoint(min)).await? {
        Some(text) => Ok(note_response(text)),
        None => Err(ApiError::not_found(format!(
            "No checkpoint has {min} witness cosignatures yet; witnesses cosign {} every round.",
            haetae_ledger::api::WITNESS_CANDIDATE_PATH
        ))),
    }
}

async fn witness_candidate(State(state): State<AppState>) -> Result<Response, ApiError> {
    let text = blocking(&state, |l| l.witness_candidate()).await?;
    Ok(note_response(text))
}

async fn cosignature(
    State(state): State<AppState>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::body_too_large(state.options.max_body_bytes)
        } else {
            ApiError::invalid_request(format!("Cannot read the body: {}", e.body_text()))
        }
    })?;
    let text = String::from_utf8(body.to_vec()).map_err(|_| {
        ApiError::invalid_request(
            "The body must be a UTF-8 signed note (a checkpoint with cosignature lines).",
        )
        .with_param("body")
    })?;
    let outcome = blocking(&state, move |l| l.add_cosignatures(&text)).await?;
    if !outcome.accepted.is_empty() {
        tracing::info!(
            size = outcome.size,
            witnesses = ?outcome.accepted,
            cosignatures = outcome.cosignatures,
            required = outcome.required,
            "accepted witness cosignatures"
        );
    }
    Ok(axum::Json(outcome).into_response())
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
    // Awaited, not called: on the PostgreSQL ledger a tile is a database read, which must not
    // hold this worker thread.
    let bytes = recorder(&state)?
        .ledger
        .fetch_tile(&path)
        .await
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
    let proof = blocking(&state, move |l| {
        l.prove_request_at(&q.request_id, q.tree_size)
    })
    .await?;
    Ok(axum::Json(proof).into_response())
}

async fn consistency(
    State(state): State<AppState>,
    query: Result<Query<ConsistencyQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query
        .map_err(|e| ApiError::invalid_request(format!("Invalid query: {}", e.body_text())))?;
    let proof = blocking(&state, move |l| l.prove_consistency(q.old, q.new)).await?;
    Ok(axum::Json(proof).into_response())
}
