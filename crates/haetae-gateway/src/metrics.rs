//! Prometheus metrics: requests by route, status and model; latency histograms; upstream errors.

use std::sync::Mutex;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub route: &'static str,
    pub status: u16,
    pub model: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LatencyLabels {
    pub route: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct UpstreamLabels {
    pub backend: String,
    pub kind: &'static str,
}

type HistogramFamily = Family<LatencyLabels, Histogram, fn() -> Histogram>;

pub struct Metrics {
    registry: Mutex<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: HistogramFamily,
    upstream_errors: Family<UpstreamLabels, Counter>,
    usage_write_failures: Counter,
}

fn latency_histogram() -> Histogram {
    // 0.5 ms … ~16 s
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

/// Routes as a small fixed set of labels: raw paths would let a client create unbounded label values.
pub fn route_label(path: &str) -> &'static str {
    match path {
        "/v1/chat/completions" => "/v1/chat/completions",
        "/v1/embeddings" => "/v1/embeddings",
        "/v1/responses" => "/v1/responses",
        "/v1/models" => "/v1/models",
        "/healthz" => "/healthz",
        "/readyz" => "/readyz",
        "/metrics" => "/metrics",
        "/openapi.json" => "/openapi.json",
        p if p.starts_with("/admin/") => "/admin",
        p if p.starts_with("/v1/") => "/v1/other",
        _ => "other",
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("haetae");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: HistogramFamily = Family::new_with_constructor(latency_histogram);
        let upstream_errors = Family::<UpstreamLabels, Counter>::default();
        let usage_write_failures = Counter::default();
        registry.register(
            "http_requests",
            "HTTP requests by route, status and model",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route",
            latency.clone(),
        );
        registry.register(
            "upstream_errors",
            "Model backend failures by backend and kind",
            upstream_errors.clone(),
        );
        // Usage that cannot be written stays in memory and is retried, so nothing else shows the fault: an
        // operator alerts on this counter growing.
        registry.register(
            "usage_write_failures",
            "Usage flushes the store refused (the rows are kept and retried)",
            usage_write_failures.clone(),
        );
        Metrics {
            registry: Mutex::new(registry),
            requests,
            latency,
            upstream_errors,
            usage_write_failures,
        }
    }

    pub fn observe_request(
        &self,
        route: &'static str,
        status: u16,
        model: &str,
        elapsed: Duration,
    ) {
        self.requests
            .get_or_create(&RequestLabels {
                route,
                status,
                model: model.to_string(),
            })
            .inc();
        self.latency
            .get_or_create(&LatencyLabels { route })
            .observe(elapsed.as_secs_f64());
    }

    pub fn upstream_error(&self, backend: &str, kind: &'static str) {
        self.upstream_errors
            .get_or_create(&UpstreamLabels {
                backend: backend.to_string(),
                kind,
            })
            .inc();
    }

    pub fn usage_write_failed(&self) {
        self.usage_write_failures.inc();
    }

    pub fn encode(&self) -> String {
        let mut out = String::new();
        if let Ok(registry) = self.registry.lock() {
            if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &registry) {
                tracing::error!(error = %e, "cannot encode metrics");
            }
        }
        out
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}
