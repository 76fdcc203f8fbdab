//! Operations endpoints: liveness, readiness, Prometheus metrics, the OpenAPI document.

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "Alive")))]
pub async fn healthz() -> Response {
    axum::Json(json!({"status": "ok"})).into_response()
}

/// The gateway can serve: the store answers and at least one model backend is configured.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses((status = 200, description = "Ready"), (status = 503, description = "Not ready")))]
pub async fn readyz(State(state): State<AppState>) -> Response {
    let store_ok = state.store.ping().await.is_ok();
    let backends = state.backends.names();
    // A failed ledger means the gateway refuses every request (fail closed): it is not ready, and says why.
    let ledger = state.recorder.as_ref().map(|r| match r.ledger.health() {
        haetae_ledger::Health::Ok => json!({"ok": true}),
        haetae_ledger::Health::Failed(why) => json!({"ok": false, "error": why}),
    });
    let ledger_ok = ledger.as_ref().is_none_or(|l| l["ok"] == true);
    let ready = store_ok && !backends.is_empty() && ledger_ok;
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        axum::Json(
            json!({"ready": ready, "store": store_ok, "backends": backends, "ledger": ledger}),
        ),
    )
        .into_response()
}

#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, description = "Prometheus text format")))]
pub async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.encode(),
    )
        .into_response()
}

async fn openapi() -> Response {
    axum::Json(crate::openapi::document()).into_response()
}
