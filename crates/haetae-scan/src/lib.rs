//! `haetae scan`: find → reproduce → patch → verify, on one repository, through the Haetae gateway.
//!
//! The repository is split into units (functions) with tree-sitter ([`units`]); a model reached through the
//! gateway's OpenAI-compatible API ([`client`]) proposes candidate findings for each batch of units; each candidate
//! is then **reproduced** (the model writes a proof of vulnerability that must trigger — a sanitizer report for C —
//! in the sandbox on the unpatched code; default runners for C, C++, Python and, where [`toolchain`] finds their
//! toolchains in the sandbox, JavaScript, TypeScript, Java, Go and Rust), **patched** (a unified diff, applied with `git apply`) and **verified**
//! (the patched project builds, its tests pass, the PoV runs clean on the patched code and still triggers on a fresh
//! unpatched copy) ([`pipeline`]). Only verified candidates become findings; the rest are reported as unverified
//! with the stage that stopped them and its evidence. [`output`] writes SARIF 2.1.0, OSV and git-format patches;
//! [`disclosure`] holds the embargo record and the commitment to a finding that is published before the finding;
//! [`ledger`] records that commitment in the programme's transparency ledger and verifies its opening there.

pub mod cli;
pub mod client;
pub mod disclosure;
pub mod ledger;
pub mod output;
pub mod pipeline;
pub mod queue;
pub mod sample;
pub mod scripted;
pub mod toolchain;
pub mod triage;
pub mod tsx;
pub mod units;

/// Errors of the scan library.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("configuration: {0}")]
    Config(String),
    #[error("tree-sitter: {0}")]
    Parse(String),
    #[error("gateway: {0}")]
    Gateway(String),
    /// The gateway or the model behind it did not answer this call (a 5xx, a dropped connection, a timeout):
    /// unlike a refusal, another call may well succeed, and the PoV and patch stages make it again
    /// ([`client::CallRetry`]).
    #[error("gateway unavailable: {0}")]
    Unavailable(String),
    /// The gateway answered 429: a rate limit, or the caller's quota used up (the gateway says which). Not a
    /// verdict on the request, so a find call's units are listed as not scanned; but not retried either, since
    /// an exhausted quota stays exhausted and the caller's limits are the gateway's to keep.
    #[error("gateway rate limit: {0}")]
    RateLimited(String),
    #[error("budget: {0}")]
    Budget(String),
    #[error("queue: {0}")]
    Queue(String),
    /// Boxed: the harness's error is large, and every result here would carry its size.
    #[error("sandbox: {0}")]
    Sandbox(Box<haetae_eval::EvalError>),
    #[error("git: {0}")]
    Git(String),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("disclosure: {0}")]
    Disclosure(String),
}

impl ScanError {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        ScanError::Io {
            context: context.into(),
            source,
        }
    }
}

impl From<haetae_eval::EvalError> for ScanError {
    fn from(e: haetae_eval::EvalError) -> Self {
        ScanError::Sandbox(Box::new(e))
    }
}

pub type Result<T, E = ScanError> = std::result::Result<T, E>;
