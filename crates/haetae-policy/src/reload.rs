//! Hot reload: watch the policy directory and swap in a new policy set atomically, only if it validates.
//!
//! Readers take a snapshot (`Arc<PolicyEngine>`) with a lock-free load, so a reload never blocks or drops a
//! request: requests in flight finish on the set they started with.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use arc_swap::ArcSwap;

use crate::engine::{
    AuthzDecision, AuthzInput, PolicyEngine, PolicyError, SCHEMA_FILE, policy_files,
};

/// What a reload attempt did.
#[derive(Debug)]
pub enum ReloadOutcome {
    Unchanged,
    Reloaded,
    /// The directory changed but the new set does not load or validate; the old set stays live.
    Rejected(PolicyError),
}

pub struct ReloadingPolicyEngine {
    dir: PathBuf,
    current: ArcSwap<PolicyEngine>,
    /// The directory contents the last attempt saw (file names and bytes; policy files are small, and contents
    /// catch edits that coarse mtimes would miss).
    seen: Mutex<Vec<(PathBuf, Vec<u8>)>>,
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = policy_files(dir).unwrap_or_default();
    files.push(dir.join(SCHEMA_FILE));
    files
        .into_iter()
        .map(|p| (std::fs::read(&p).unwrap_or_default(), p))
        .map(|(b, p)| (p, b))
        .collect()
}

impl ReloadingPolicyEngine {
    /// Load the directory; fails if the initial set does not load or validate.
    pub fn load(dir: impl Into<PathBuf>) -> Result<Arc<Self>, PolicyError> {
        let dir = dir.into();
        let seen = snapshot(&dir);
        let engine = PolicyEngine::load(&dir)?;
        Ok(Arc::new(ReloadingPolicyEngine {
            dir,
            current: ArcSwap::from_pointee(engine),
            seen: Mutex::new(seen),
        }))
    }

    /// The live policy set.
    pub fn current(&self) -> Arc<PolicyEngine> {
        self.current.load_full()
    }

    pub fn decide(&self, input: &AuthzInput) -> AuthzDecision {
        self.current.load().decide(input)
    }

    /// Reload if the directory changed since the last attempt.
    pub fn reload_if_changed(&self) -> ReloadOutcome {
        let now = snapshot(&self.dir);
        {
            let mut seen = match self.seen.lock() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            if *seen == now {
                return ReloadOutcome::Unchanged;
            }
            // Record the attempt either way, so a broken edit is reported once, not every second.
            *seen = now;
        }
        match PolicyEngine::load(&self.dir) {
            Ok(engine) => {
                tracing::info!(dir = %self.dir.display(), policies = ?engine.policy_ids(), "policy set reloaded");
                self.current.store(Arc::new(engine));
                ReloadOutcome::Reloaded
            }
            Err(e) => {
                tracing::error!(dir = %self.dir.display(), error = %e, "policy change rejected; keeping the previous policy set");
                ReloadOutcome::Rejected(e)
            }
        }
    }

    /// Poll the directory every `interval` on the tokio runtime. Abort the handle to stop watching.
    pub fn spawn_watcher(self: &Arc<Self>, interval: Duration) -> tokio::task::JoinHandle<()> {
        let me = Arc::clone(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let me2 = Arc::clone(&me);
                // Loading compiles and validates Cedar; keep it off the async workers.
                let _ = tokio::task::spawn_blocking(move || me2.reload_if_changed()).await;
            }
        })
    }
}
