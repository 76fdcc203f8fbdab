//! The Haetae HTTP server: the OpenAI-compatible `/v1` API, the admin API, and the operations endpoints.
//!
//! Every `/v1` request passes the pipeline in [`stages`] in order; see `ARCHITECTURE.md` for the map.

pub mod admin;
pub mod admin_ops;
pub mod api;
pub mod catalogue;
pub mod error;
pub mod ledger_routes;
pub mod member_api;
pub mod metrics;
pub mod openapi;
pub mod ops;
pub mod pipeline;
pub mod policy_sync;
pub mod responses;
pub mod server;
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
pub use stages::authorize::Policy;
pub use stages::dispatch::Backends;

use haetae_meter::Meter;
use haetae_meter::misuse::{MisuseConfig, MisuseDetector};
use haetae_meter::usage::UsageAggregator;
use haetae_policy::ModelGuard;

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

/// Which optional pipeline stages run. Authentication, principal and the policy's deny-by-default floor always
/// run; switching a stage off is for measuring what it costs (`bench/`), never for production.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Stages {
    /// The cyber-use guard (classify). Off: every request counts as benign.
    pub guard: bool,
    /// The Cedar policy. Off: only the tier floor applies.
    pub policy: bool,
    /// Rate limits and budgets.
    pub meter: bool,
    /// The transparency ledger.
    pub ledger: bool,
}

impl Default for Stages {
    fn default() -> Self {
        Stages {
            guard: true,
            policy: true,
            meter: true,
            ledger: true,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub backends: Backends,
    /// Stage 4: the programme's policies.
    pub policy: Policy,
    /// Stage 3's optional model stage.
    pub model_guard: Option<ModelGuard>,
    /// Stage 5; `None` when the meter stage is off.
    pub meter: Option<Arc<Meter>>,
    pub misuse: Arc<MisuseDetector>,
    /// Misuse windows shared with every replica on the meter's Redis; when set it replaces
    /// `misuse`, which then serves only while Redis cannot be reached.
    pub shared_misuse: Option<Arc<haetae_meter::RedisMisuseDetector>>,
    /// Policy changes shared with every replica through Redis (`policy_sync`).
    pub policy_sync: Option<Arc<policy_sync::PolicySync>>,
    /// Usage not yet written to the store (flushed by [`spawn_background`]).
    pub usage: Arc<UsageAggregator>,
    pub stages: Stages,
    pub metrics: Arc<metrics::Metrics>,
    pub options: GatewayOptions,
    /// The transparency ledger; `None` only in embedded uses that opt out (tests of other stages).
    pub recorder: Option<stages::record::Recorder>,
    /// The ledger's public verifier key (C2SP note format), served at `/ledger/key`.
    pub ledger_verifier_key: Option<String>,
}

impl AppState {
    // The one `expect`: the compiled-in programme is a constant no request, file or user controls, and the
    // policy crate's tests load it.
    #[allow(clippy::expect_used)]
    pub fn new(store: Store, backends: Backends, options: GatewayOptions) -> Self {
        AppState {
            store,
            backends,
            // The compiled-in programme is validated by this crate's and haetae-policy's tests.
            policy: Policy::default_programme()
                .expect("the compiled-in default programme loads and validates"),
            model_guard: None,
            meter: Some(Arc::new(Meter::in_memory())),
            misuse: Arc::new(MisuseDetector::new(MisuseConfig::default())),
            shared_misuse: None,
            policy_sync: None,
            usage: Arc::new(UsageAggregator::new()),
            stages: Stages::default(),
            metrics: Arc::new(metrics::Metrics::new()),
            options,
            recorder: None,
            ledger_verifier_key: None,
        }
    }

    pub fn with_policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    pub fn with_model_guard(mut self, guard: Option<ModelGuard>) -> Self {
        self.model_guard = guard;
        self
    }

    /// `None` switches the meter stage off.
    pub fn with_meter(mut self, meter: Option<Meter>) -> Self {
        self.meter = meter.map(Arc::new);
        self.stages.meter = self.meter.is_some();
        self
    }

    pub fn with_misuse(mut self, config: MisuseConfig) -> Self {
        self.misuse = Arc::new(MisuseDetector::new(config));
        self
    }

    /// Keeps the misuse windows in Redis, shared by every replica (same signals and
    /// thresholds as the in-process detector, whose config should match).
    pub fn with_shared_misuse(mut self, shared: Option<haetae_meter::RedisMisuseDetector>) -> Self {
        self.shared_misuse = shared.map(Arc::new);
        self
    }

    /// Shares policy changes with every replica (see [`policy_sync`]).
    pub fn with_policy_sync(mut self, sync: Option<policy_sync::PolicySync>) -> Self {
        self.policy_sync = sync.map(Arc::new);
        self
    }

    /// Switches stages on and off (see [`Stages`]).
    pub fn with_stages(mut self, stages: Stages) -> Self {
        self.stages = stages;
        if !stages.policy {
            self.policy = Policy::TierFloor;
        }
        if !stages.meter {
            self.meter = None;
        }
        if !stages.ledger {
            self.recorder = None;
        }
        self
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
    let routes = Router::new()
        .merge(api::routes(&state))
        .merge(member_api::routes())
        .nest("/admin/v1", admin::routes(state.clone()))
        .merge(ops::routes())
        .merge(ledger_routes::routes());
    edge(routes, state)
}

/// What every route shares, outermost last: the request id, metrics and log line, the panic boundary, header and
/// body limits, and OpenAI-format rejections.
fn edge(routes: Router<AppState>, state: AppState) -> Router {
    let max_body = state.options.max_body_bytes;
    routes
        .fallback(|| async { ApiError::not_found("There is nothing at this path.") })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn(openai_rejections))
        .layer(middleware::from_fn(server::header_limits))
        // Inside `observe` and `assign_request_id`: a panic below becomes a 500 that carries the request's id and
        // is counted and logged like every other answer.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            ApiError::internal("handler panicked").into_response()
        }))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .layer(middleware::from_fn(assign_request_id))
        .with_state(state)
}

/// axum answers a request its extractors reject (a path segment that is not UTF-8, a repeated query parameter)
/// with a plain-text 400; every error a client can cause is an OpenAI-format error, so those are rewritten here.
/// Found by schemathesis (bench/schemathesis/).
async fn openai_rejections(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let plain_text = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !response.status().is_client_error() || !plain_text {
        return response;
    }
    let status = response.status();
    let text = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let mut error = ApiError::invalid_request(format!(
        "Invalid request: {}.",
        String::from_utf8_lossy(&text).trim().trim_end_matches('.')
    ));
    error.status = status;
    error.into_response()
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

/// Background work of a serving gateway: usage flushing to the store (every `flush_every`), pruning idle misuse
/// state, and draining administrative changes made by the CLI into the ledger. Returns a handle that flushes once
/// more when asked to stop.
pub fn spawn_background(state: AppState, flush_every: Duration) -> Background {
    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    let policy_watch = match &state.policy {
        Policy::Reloading(engine) => {
            Some(tokio::spawn(watch_policy(state.clone(), engine.clone())))
        }
        _ => None,
    };
    let policy_sync = state
        .policy_sync
        .clone()
        .map(|sync| tokio::spawn(sync.run(state.clone())));
    let handle = tokio::spawn(async move {
        let mut tick = tokio::time::interval(flush_every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let stopping = tokio::select! {
                _ = tick.tick() => false,
                _ = stop_rx.changed() => true,
            };
            recover_ledger(&state).await;
            flush_usage(&state).await;
            admin::drain_outbox(&state).await;
            state.misuse.prune(api::now_ms());
            if stopping {
                break;
            }
        }
    });
    Background {
        stop: stop_tx,
        handle,
        policy_watch,
        policy_sync,
    }
}

/// Reloads the policy directory when it changes (checked every second). A change that loads and validates takes
/// effect for the next request and is recorded in the ledger; one that does not is refused and logged, and the
/// policies in force stay in force.
async fn watch_policy(state: AppState, engine: Arc<haetae_policy::ReloadingPolicyEngine>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let e = engine.clone();
        // Never while a set from the other replicas is being written (policy_sync).
        let gate = match &state.policy_sync {
            Some(sync) => Some(sync.gate.lock().await),
            None => None,
        };
        let outcome = match tokio::task::spawn_blocking(move || e.reload_if_changed()).await {
            Ok(o) => o,
            Err(err) => {
                tracing::error!(error = %err, "policy reload task failed");
                continue;
            }
        };
        drop(gate);
        if matches!(outcome, haetae_policy::ReloadOutcome::Unchanged) {
            continue;
        }
        if matches!(outcome, haetae_policy::ReloadOutcome::Reloaded)
            && let Some(sync) = &state.policy_sync
            && let Err(e) = sync.publish().await
        {
            tracing::error!(error = %e, "cannot share the reloaded policies with the other replicas");
        }
        record_policy_outcome(&state, &engine, outcome, "reloaded").await;
    }
}

/// Records a policy reload (from this replica's directory, or adopted from the other replicas) in the ledger.
pub(crate) async fn record_policy_outcome(
    state: &AppState,
    engine: &haetae_policy::ReloadingPolicyEngine,
    outcome: haetae_policy::ReloadOutcome,
    how: &str,
) {
    let (decision, detail) = match outcome {
        haetae_policy::ReloadOutcome::Unchanged => return,
        haetae_policy::ReloadOutcome::Reloaded => (
            haetae_ledger::Decision::Allow,
            format!(
                "policies {how}: {}",
                engine.current().policy_ids().join(" ")
            ),
        ),
        haetae_policy::ReloadOutcome::Rejected(e) => (
            haetae_ledger::Decision::Deny,
            format!("policy change rejected (previous policies stay in force): {e}"),
        ),
    };
    if let Some(recorder) = &state.recorder {
        let request_id = format!("pol_{}", uuid::Uuid::now_v7().simple());
        let record = stages::record::Record {
            request_id: &request_id,
            action: "admin policy reload",
            decision: Some(decision),
            detail,
            admin: true,
            ..Default::default()
        };
        if let Err(e) = recorder.record(record).await {
            tracing::error!(error = %e.message, "cannot record a policy change");
        }
    }
}

pub struct Background {
    stop: tokio::sync::watch::Sender<bool>,
    handle: tokio::task::JoinHandle<()>,
    policy_watch: Option<tokio::task::JoinHandle<()>>,
    policy_sync: Option<tokio::task::JoinHandle<()>>,
}

impl Background {
    /// Flushes what is pending and stops.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.handle.await;
        if let Some(w) = self.policy_watch {
            w.abort();
        }
        if let Some(w) = self.policy_sync {
            w.abort();
        }
    }
}

/// A ledger that failed (disk full, I/O error) refuses everything; once it can write again it resumes, and the
/// outage itself is recorded.
async fn recover_ledger(state: &AppState) {
    let Some(recorder) = &state.recorder else {
        return;
    };
    let haetae_ledger::Health::Failed(why) = recorder.ledger.health() else {
        return;
    };
    match recorder.ledger.recover().await {
        Ok(true) => {
            let request_id = format!("led_{}", uuid::Uuid::now_v7().simple());
            let record = stages::record::Record {
                request_id: &request_id,
                action: "admin ledger recovered",
                decision: Some(haetae_ledger::Decision::Allow),
                detail: format!("the ledger refused appends until now because: {why}"),
                admin: true,
                ..Default::default()
            };
            if let Err(e) = recorder.record(record).await {
                tracing::error!(error = %e.message, "cannot record the ledger's recovery");
            }
        }
        Ok(false) => {}
        Err(e) => tracing::warn!(error = %e, "ledger still cannot write"),
    }
}

/// Writes pending usage to the store; a failed batch goes back to be retried on the next tick.
pub async fn flush_usage(state: &AppState) {
    let batch = state.usage.drain();
    if batch.is_empty() {
        return;
    }
    if let Err(e) = state.store.add_usage(&batch).await {
        tracing::error!(error = %e, rows = batch.len(), "cannot write usage; will retry");
        state.metrics.usage_write_failed();
        state.usage.restore(batch);
    }
}

/// Serves until `shutdown` resolves, then stops accepting and lets in-flight requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    server::serve(listener, router(state), shutdown).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::extract::{Path, Query};
    use axum::routing::get;
    use http_body_util::BodyExt as _;
    use tower::ServiceExt as _;

    /// The response's body, read whole and parsed as JSON (every error the edge writes is OpenAI-format JSON).
    async fn json_body(response: axum::response::Response) -> serde_json::Value {
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        serde_json::from_slice(&body).expect("JSON")
    }

    /// Regression: a panicking handler's 500 carried no `x-request-id` and skipped the request metrics, because
    /// the panic layer sat outside both.
    #[tokio::test]
    async fn a_panic_is_an_openai_500_with_the_request_id_and_is_counted() {
        let store = Store::connect("sqlite::memory:").await.expect("store");
        let options = GatewayOptions {
            max_body_bytes: 1024,
            request_timeout: Duration::from_secs(5),
        };
        let state = AppState::new(store, Backends::default(), options);
        let metrics = state.metrics.clone();
        #[allow(clippy::panic)]
        async fn boom() -> &'static str {
            panic!("handler bug")
        }
        let routes: Router<AppState> = Router::new().route("/boom", get(boom));
        let response = edge(routes, state)
            .oneshot(Request::get("/boom").body(Body::empty()).expect("request"))
            .await
            .expect("response");
        assert_eq!(response.status(), 500);
        let id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .expect("x-request-id on the 500");
        assert!(id.starts_with("req_"), "{id}");
        let v = json_body(response).await;
        assert_eq!(v["error"]["type"], "server_error", "{v}");
        assert!(
            metrics.encode().contains("status=\"500\""),
            "the 500 is in the request metrics"
        );
    }

    /// Regression: extractor rejections were plain-text 400s, not OpenAI-format errors.
    #[tokio::test]
    async fn extractor_rejections_are_openai_errors() {
        #[derive(serde::Deserialize)]
        struct Filter {
            #[allow(dead_code)]
            org: Option<String>,
        }
        let app = Router::new()
            .route("/x/{id}", get(|Path(id): Path<String>| async move { id }))
            .route("/q", get(|Query(_): Query<Filter>| async { "ok" }))
            .layer(middleware::from_fn(openai_rejections));
        for uri in ["/x/%FF", "/q?org=a&org=b"] {
            let response = app
                .clone()
                .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
                .await
                .expect("response");
            assert_eq!(response.status(), 400, "{uri}");
            assert_eq!(
                response.headers()["content-type"],
                "application/json",
                "{uri}"
            );
            let v = json_body(response).await;
            assert_eq!(v["error"]["type"], "invalid_request_error", "{uri}");
            assert!(
                v["error"]["message"].as_str().is_some_and(|m| m.len() > 20),
                "{v}"
            );
        }
        let ok = app
            .oneshot(Request::get("/x/abc").body(Body::empty()).expect("request"))
            .await
            .expect("response");
        assert_eq!(ok.status(), 200);
    }
}
