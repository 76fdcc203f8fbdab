//! llama.cpp's model-loading chatter (~140 lines at its INFO level) reaches `tracing` at DEBUG: a normal-level
//! subscriber (what `haetae up` installs) sees none of it, a debug-level one sees all of it.
//!
//! Needs the model file (`scripts/fetch-model.sh`, or `HAETAE_MODEL_PATH`); skipped without it, except under
//! `CI=true`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(feature = "embedded")]

mod common;

use common::model_path;

use std::path::Path;
use std::sync::{Arc, Mutex};

use haetae_models::embedded::{EmbeddedBackend, EmbeddedConfig};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// Records the level and target of every event at or above `max`.
struct Capture {
    max: Level,
    events: Arc<Mutex<Vec<(Level, String)>>>,
}

impl Subscriber for Capture {
    // Ask `enabled` every time: two captures with different levels run one after the other in this process.
    fn register_callsite(&self, _: &'static Metadata<'static>) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::sometimes()
    }
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        *metadata.level() <= self.max
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::from_level(self.max))
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let m = event.metadata();
        self.events
            .lock()
            .unwrap()
            .push((*m.level(), m.target().to_owned()));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// Loads the model under a subscriber that records events up to `max`; returns them.
fn load_under(path: &Path, max: Level) -> Vec<(Level, String)> {
    let events = Arc::new(Mutex::new(Vec::new()));
    let capture = Capture {
        max,
        events: Arc::clone(&events),
    };
    let config = EmbeddedConfig {
        parallel: 1,
        threads: 1,
        context_len: 256,
        ..EmbeddedConfig::default()
    };
    // llama.cpp logs from the loading thread, so a thread-scoped subscriber sees everything the load says.
    let backend =
        tracing::subscriber::with_default(capture, || EmbeddedBackend::load(path, config));
    backend.expect("load the model");
    events.lock().unwrap().clone()
}

fn from_llama(target: &str) -> bool {
    target.starts_with("llama") || target.starts_with("ggml")
}

#[test]
fn model_loading_logs_only_at_debug_level() {
    let Some(path) = model_path() else { return };
    let at_info = load_under(&path, Level::INFO);
    let loud: Vec<_> = at_info.iter().filter(|(_, t)| from_llama(t)).collect();
    assert!(
        loud.is_empty(),
        "llama.cpp logged at INFO or above: {loud:?}"
    );

    let at_debug = load_under(&path, Level::DEBUG);
    let routed = at_debug
        .iter()
        .filter(|(l, t)| *l == Level::DEBUG && t == "llama.cpp")
        .count();
    // The loader's metadata and tensor summary: well over a hundred lines for this model.
    assert!(
        routed > 100,
        "only {routed} llama.cpp debug events: {at_debug:?}"
    );
}
