//! The Haetae evaluation harness (`haetae eval`).
//!
//! A [`suite::Suite`] (YAML or TOML) names a dataset, a chain of [`solver::Solver`]s, [`scorer::Scorer`]s, metrics,
//! model roles, epochs and limits. [`runner::run_suite`] runs it against any [`model::Model`] — the embedded GGUF
//! model, an OpenAI-compatible upstream, a Haetae gateway with an `hk_…` key, or a scripted model — and writes a
//! resumable JSONL log ([`log`]); [`report`] turns logs into an HTML report or a comparison table. [`cli`] is the
//! `haetae eval` command the CLI binary mounts.

pub mod agent;
pub mod agreement;
pub mod cli;
pub mod cyber;
pub mod dataset;
pub mod env;
pub mod error;
pub mod import;
pub mod inspect_compat;
pub mod inspect_log;
pub mod korean;
pub mod log;
pub mod metrics;
pub mod model;
pub mod patch;
pub mod release;
pub mod report;
pub mod runner;
pub mod safety;
pub mod sandbox;
pub mod scorer;
pub mod solver;
pub mod suite;
pub mod triage;

pub use error::{EvalError, Result};
pub use runner::{Cancel, RunOptions, RunOutcome, run_suite};
pub use suite::{Registry, Suite};
