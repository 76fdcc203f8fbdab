//! The switchable stages, each with its working and its no-op implementation, chosen once when the router is
//! built from [`crate::Stages`]: the request path never asks whether a stage is on.

use std::sync::Arc;

use futures::future::BoxFuture;
use haetae_core::{Principal, QuotaLevels};
use haetae_meter::Meter;
use haetae_policy::{Classification, ModelGuard, OutputBlock, OutputGuard, OutputScanner};

use super::{Refusal, RefusalCode, Stage};
use crate::AppState;
use crate::stages::classify::{self, GuardRefusal};
use crate::stages::meter::{self, Settlement};
use crate::stages::record::{Record, Recorder};

/// Classify: labels a request's text with use-cases.
pub trait GuardStage: Send + Sync {
    fn classify(&self, text: String) -> BoxFuture<'_, Result<Classification, GuardRefusal>>;
}

/// The rules, and the guard model when one is configured.
struct Rules(Option<ModelGuard>);

impl GuardStage for Rules {
    fn classify(&self, text: String) -> BoxFuture<'_, Result<Classification, GuardRefusal>> {
        Box::pin(classify::classify(text, self.0.as_ref()))
    }
}

/// Guard off: every request counts as benign (for measuring the stage's cost; never the default).
struct Unclassified;

impl GuardStage for Unclassified {
    fn classify(&self, _text: String) -> BoxFuture<'_, Result<Classification, GuardRefusal>> {
        Box::pin(async { Ok(haetae_policy::classify("")) })
    }
}

/// Meter: reserves before dispatch, settles after.
pub trait MeterStage: Send + Sync {
    fn reserve<'a>(
        &'a self,
        principal: &'a Principal,
        quotas: &'a QuotaLevels,
        estimate: u64,
    ) -> BoxFuture<'a, Result<Settlement, Refusal>>;
    /// The caller's `x-ratelimit-*` headers, charging nothing (for refusals).
    fn peek<'a>(
        &'a self,
        principal: &'a Principal,
        quotas: &'a QuotaLevels,
    ) -> BoxFuture<'a, Vec<(&'static str, String)>>;
}

struct Metered(Arc<Meter>);

impl MeterStage for Metered {
    fn reserve<'a>(
        &'a self,
        principal: &'a Principal,
        quotas: &'a QuotaLevels,
        estimate: u64,
    ) -> BoxFuture<'a, Result<Settlement, Refusal>> {
        Box::pin(async move {
            meter::reserve(&self.0, principal, quotas, estimate)
                .await
                .map(|r| Settlement::new(Some(r)))
        })
    }

    fn peek<'a>(
        &'a self,
        principal: &'a Principal,
        quotas: &'a QuotaLevels,
    ) -> BoxFuture<'a, Vec<(&'static str, String)>> {
        Box::pin(async move { meter::peek(&self.0, principal, quotas).await.to_pairs() })
    }
}

struct Unmetered;

impl MeterStage for Unmetered {
    fn reserve<'a>(
        &'a self,
        _: &'a Principal,
        _: &'a QuotaLevels,
        _: u64,
    ) -> BoxFuture<'a, Result<Settlement, Refusal>> {
        Box::pin(async { Ok(Settlement::new(None)) })
    }

    fn peek<'a>(
        &'a self,
        _: &'a Principal,
        _: &'a QuotaLevels,
    ) -> BoxFuture<'a, Vec<(&'static str, String)>> {
        Box::pin(async { Vec::new() })
    }
}

/// Record: appends the decision to the transparency ledger and returns its index.
pub trait LedgerStage: Send + Sync {
    /// Fail closed: refuse work the ledger could not record.
    fn healthy(&self) -> Result<(), Refusal>;
    fn record<'a>(&'a self, record: Record<'a>) -> BoxFuture<'a, Result<Option<u64>, Refusal>>;
}

struct Recording(Recorder);

impl LedgerStage for Recording {
    fn healthy(&self) -> Result<(), Refusal> {
        self.0
            .ensure_healthy()
            .map_err(|_| Refusal::new(Stage::Record, RefusalCode::LedgerUnavailable))
    }

    fn record<'a>(&'a self, record: Record<'a>) -> BoxFuture<'a, Result<Option<u64>, Refusal>> {
        Box::pin(async move {
            self.0
                .record(record)
                .await
                .map(Some)
                .map_err(|_| Refusal::new(Stage::Record, RefusalCode::LedgerUnavailable))
        })
    }
}

struct Unrecorded;

impl LedgerStage for Unrecorded {
    fn healthy(&self) -> Result<(), Refusal> {
        Ok(())
    }

    fn record<'a>(&'a self, _: Record<'a>) -> BoxFuture<'a, Result<Option<u64>, Refusal>> {
        Box::pin(async { Ok(None) })
    }
}

/// Output check: reads what the model answered.
pub trait OutputStage: Send + Sync {
    fn scan_whole(&self, text: &str) -> Option<OutputBlock>;
    /// A fresh scanner for one stream's deltas.
    fn stream_check(&self) -> Box<dyn StreamCheck>;
}

/// One stream's output check: deltas in arrival order, then the end.
pub trait StreamCheck: Send {
    fn push(&mut self, delta: &str) -> Option<OutputBlock>;
    fn finish(&mut self) -> Option<OutputBlock>;
}

impl StreamCheck for OutputScanner {
    fn push(&mut self, delta: &str) -> Option<OutputBlock> {
        OutputScanner::push(self, delta)
    }

    fn finish(&mut self) -> Option<OutputBlock> {
        OutputScanner::finish(self)
    }
}

struct Checked(OutputGuard);

impl OutputStage for Checked {
    fn scan_whole(&self, text: &str) -> Option<OutputBlock> {
        if text.is_empty() {
            return None;
        }
        self.0.scan_whole(text)
    }

    fn stream_check(&self) -> Box<dyn StreamCheck> {
        Box::new(self.0.scanner())
    }
}

struct Unchecked;

impl OutputStage for Unchecked {
    fn scan_whole(&self, _: &str) -> Option<OutputBlock> {
        None
    }

    fn stream_check(&self) -> Box<dyn StreamCheck> {
        Box::new(Unchecked)
    }
}

impl StreamCheck for Unchecked {
    fn push(&mut self, _: &str) -> Option<OutputBlock> {
        None
    }

    fn finish(&mut self) -> Option<OutputBlock> {
        None
    }
}

pub(super) fn guard_stage(state: &AppState) -> Box<dyn GuardStage> {
    if state.stages.guard {
        Box::new(Rules(state.model_guard.clone()))
    } else {
        Box::new(Unclassified)
    }
}

pub(super) fn meter_stage(state: &AppState) -> Box<dyn MeterStage> {
    match &state.meter {
        Some(m) if state.stages.meter => Box::new(Metered(m.clone())),
        _ => Box::new(Unmetered),
    }
}

pub(super) fn ledger_stage(state: &AppState) -> Box<dyn LedgerStage> {
    match &state.recorder {
        Some(r) if state.stages.ledger => Box::new(Recording(r.clone())),
        _ => Box::new(Unrecorded),
    }
}

/// The output check is the guard's second half: on and off with it.
pub(super) fn output_stage(state: &AppState) -> Box<dyn OutputStage> {
    if state.stages.guard {
        Box::new(Checked(OutputGuard::new()))
    } else {
        Box::new(Unchecked)
    }
}
