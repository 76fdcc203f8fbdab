//! The Haetae HTTP server: the OpenAI-compatible `/v1` API, the admin API, and the operations endpoints.
//!
//! Every `/v1` request passes the pipeline in [`stages`] in order; see `ARCHITECTURE.md` for the map.

pub mod admin;
pub mod api;
pub mod error;
pub mod ledger_routes;
pub mod metrics;
pub mod openapi;
pub mod ops;
pub mod stages;
pub mod validate;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use haetae_store::Store;

pub use error::ApiError;
pub use stages::authorize::{Authorizer, TierAuthorizer};
pub use stages::dispatch::Backends;

#[derive(Debug, Clone)]
pub struct GatewayOptions {
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Longest a non-streaming model call may take, and the longest wait for a stream's first chunk.
    pub request_timeout: Duration,
}

impl Default for GatewayOptions {
    fn default() -> Self {
        GatewayOptions {
            max_body_bytes: 4 * 1024 * 1024,
            request_timeout: Duration::from_secs(300),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub backends: Backends,
    pub authorizer: Arc<dyn Authorizer>,
    pub metrics: Arc<metrics::Metrics>,
    pub options: GatewayOptions,
    /// The transparency ledger; `None` only in embedded uses that opt out (tests of other stages).
    pub recorder: Option<stages::record::Recorder>,
    /// The ledger's public verifier key (C2SP note format), served at `/ledger/key`.
    pub ledger_verifier_key: Option<String>,
}

impl AppState {
    pub fn new(store: Store, backends: Backends, options: GatewayOptions) -> Self {
        AppState {
            store,
            backends,
            authorizer: Arc::new(TierAuthorizer),
            metrics: Arc::new(metrics::Metrics::new()),
            options,
            recorder: None,
            ledger_verifier_key: None,
        }
    }

    /// Records every decision in the ledger; `verifier_key` is published at `/ledger/key`.
    pub fn with_ledger(mut self, recorder: stages::record::Recorder, verifier_key: String) -> Self {
        self.recorder = Some(recorder);
        self.ledger_verifier_key = Some(verifier_key);
        self
    }
}

/// The request's id, assigned by the gateway (never taken from the client, since ledger entries are keyed by it).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The catalogue model a response was for, left in the response's extensions for the metrics layer.
#[derive(Debug, Clone)]
pub struct ModelLabel(pub String);

pub fn router(state: AppState) -> Router {
    let max_body = state.options.max_body_bytes;
    Router::new()
        .merge(api::routes())
        .nest("/admin/v1", admin::routes(state.clone()))
        .merge(ops::routes())
        .merge(ledger_routes::routes())
        .fallback(|| async { ApiError::not_found("There is nothing at this path.") })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .layer(middleware::from_fn(assign_request_id))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            ApiError::internal("handler panicked").into_response()
        }))
        .with_state(state)
}

async fn assign_request_id(mut request: Request, next: Next) -> Response {
    let id = format!("req_{}", uuid::Uuid::now_v7().simple());
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.run(request).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

/// Request metrics and one structured log line per request. Prompt text never reaches the log.
async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = metrics::route_label(request.uri().path());
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let model = response
        .extensions()
        .get::<ModelLabel>()
        .map(|m| m.0.clone())
        .unwrap_or_default();
    let elapsed = started.elapsed();
    state
        .metrics
        .observe_request(route, status, &model, elapsed);
    tracing::info!(%request_id, %method, route, status, model, latency_ms = elapsed.as_secs_f64() * 1000.0, "request");
    response
}

/// Serves until `shutdown` resolves, then stops accepting and lets in-flight requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
