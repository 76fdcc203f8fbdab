//! Policy changes propagated to every replica through the meter's Redis.
//!
//! Each replica watches its own policy directory (`watch_policy`). When a change there loads and validates,
//! the replica publishes the whole set (`{p}policy:set` = `<version>\n<json [[file, text], …]>`, the version
//! from `INCR {p}policy:version`, then `PUBLISH {p}policy <version>`, one Lua script). Every replica listens on
//! that channel and also checks the version each second (a missed message, a replica that was down), writes a
//! newer set into its directory and reloads it at once — so a change reaches every replica well within a
//! second, and a set that does not validate is refused there as it would be locally. A replica that starts
//! adopts the programme's current set. The set and version keys have no TTL: they are the programme's state,
//! one small value.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures::StreamExt as _;
use haetae_policy::{ReloadOutcome, ReloadingPolicyEngine};
use redis::Script;
use redis::aio::ConnectionManager;

/// A policy set: file name → text, sorted by name.
pub type PolicyFiles = Vec<(String, String)>;

#[derive(Debug, thiserror::Error)]
pub enum PolicySyncError {
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("policy directory {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the shared policy set is malformed: {0}")]
    Malformed(String),
    #[error("the policy engine was not loaded from a directory")]
    NoDirectory,
}

const PUBLISH_LUA: &str = r#"
local v = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], tostring(v) .. '\n' .. ARGV[1])
redis.call('PUBLISH', ARGV[2], tostring(v))
return v
"#;

/// One replica's end of the shared policy set.
pub struct PolicySync {
    client: redis::Client,
    conn: ConnectionManager,
    prefix: String,
    engine: Arc<ReloadingPolicyEngine>,
    /// Version and contents of the last set this replica published or adopted: a local reload of exactly that
    /// set came from the shared set and is not published back.
    last: Mutex<(u64, PolicyFiles)>,
    /// Held while a shared set is written and loaded, and by the directory watcher while it reloads, so the
    /// watcher never loads a half-written set.
    pub(crate) gate: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for PolicySync {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicySync")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> PolicySyncError + '_ {
    move |source| PolicySyncError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn is_policy_file(name: &str) -> bool {
    name == haetae_policy::engine::SCHEMA_FILE || name.ends_with(".cedar")
}

/// The policy files of `dir` (every `*.cedar` and the schema), sorted by name.
pub fn read_policy_files(dir: &Path) -> Result<PolicyFiles, PolicySyncError> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !path.is_file() || !is_policy_file(name) {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(io(&path))?;
        files.push((name.to_string(), text));
    }
    files.sort();
    Ok(files)
}

/// Replaces `dir`'s policy files with `files`: each written to a temporary name and renamed, then the files
/// the set no longer has removed.
fn write_policy_files(dir: &Path, files: &PolicyFiles) -> Result<(), PolicySyncError> {
    for (name, text) in files {
        // Names come from another replica through Redis: plain file names only.
        if !is_policy_file(name) || name.contains(['/', '\\']) || name.starts_with('.') {
            return Err(PolicySyncError::Malformed(format!("file name {name:?}")));
        }
        let tmp = dir.join(format!(".{name}.sync"));
        std::fs::write(&tmp, text).map_err(io(&tmp))?;
        let path = dir.join(name);
        std::fs::rename(&tmp, &path).map_err(io(&path))?;
    }
    for (name, _) in read_policy_files(dir)? {
        if !files.iter().any(|(n, _)| *n == name) {
            let path = dir.join(&name);
            std::fs::remove_file(&path).map_err(io(&path))?;
        }
    }
    Ok(())
}

impl PolicySync {
    /// Connect to `url`; keys are named under `prefix` (replicas of one programme share it).
    pub async fn connect(
        url: &str,
        prefix: impl Into<String>,
        engine: Arc<ReloadingPolicyEngine>,
    ) -> Result<Self, PolicySyncError> {
        let client = redis::Client::open(url)?;
        let conn = client.get_connection_manager().await?;
        Ok(PolicySync {
            client,
            conn,
            prefix: prefix.into(),
            engine,
            last: Mutex::new((0, Vec::new())),
            gate: tokio::sync::Mutex::new(()),
        })
    }

    fn dir(&self) -> Result<PathBuf, PolicySyncError> {
        self.engine
            .current()
            .source()
            .map(Path::to_path_buf)
            .ok_or(PolicySyncError::NoDirectory)
    }

    fn channel(&self) -> String {
        format!("{}policy", self.prefix)
    }

    /// The version of the last set this replica published or adopted (0: none yet).
    pub fn version(&self) -> u64 {
        self.last.lock().unwrap_or_else(PoisonError::into_inner).0
    }

    /// Publishes this replica's directory as the programme's set, unless it is the set last adopted from (or
    /// published to) Redis. Call after a local reload succeeded. Returns the new version.
    pub async fn publish(&self) -> Result<Option<u64>, PolicySyncError> {
        let dir = self.dir()?;
        // File reads off the async executor, as every other disk access of the gateway's tasks.
        let files = tokio::task::spawn_blocking(move || read_policy_files(&dir))
            .await
            .map_err(|e| PolicySyncError::Malformed(format!("policy read task failed: {e}")))??;
        if self.last.lock().unwrap_or_else(PoisonError::into_inner).1 == files {
            return Ok(None);
        }
        let json =
            serde_json::to_string(&files).map_err(|e| PolicySyncError::Malformed(e.to_string()))?;
        let mut conn = self.conn.clone();
        let version: u64 = Script::new(PUBLISH_LUA)
            .key(format!("{}policy:version", self.prefix))
            .key(format!("{}policy:set", self.prefix))
            .arg(json)
            .arg(self.channel())
            .invoke_async(&mut conn)
            .await?;
        *self.last.lock().unwrap_or_else(PoisonError::into_inner) = (version, files);
        tracing::info!(version, "published the policy set to the other replicas");
        Ok(Some(version))
    }

    /// Adopts the shared set if it is newer than the last one seen: writes it into the directory and reloads.
    /// `None` when there was nothing new.
    pub async fn apply(&self) -> Result<Option<ReloadOutcome>, PolicySyncError> {
        let mut conn = self.conn.clone();
        let raw: Option<String> = redis::cmd("GET")
            .arg(format!("{}policy:set", self.prefix))
            .query_async(&mut conn)
            .await?;
        let Some(raw) = raw else {
            return Ok(None);
        };
        let (version, json) = raw
            .split_once('\n')
            .ok_or_else(|| PolicySyncError::Malformed("no version line".into()))?;
        let version: u64 = version
            .parse()
            .map_err(|_| PolicySyncError::Malformed(format!("version {version:?}")))?;
        if version <= self.version() {
            return Ok(None);
        }
        let files: PolicyFiles =
            serde_json::from_str(json).map_err(|e| PolicySyncError::Malformed(e.to_string()))?;
        let dir = self.dir()?;
        let _gate = self.gate.lock().await;
        // Recorded first: the watcher reloading these files must not publish them back.
        *self.last.lock().unwrap_or_else(PoisonError::into_inner) = (version, files.clone());
        let engine = self.engine.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            if read_policy_files(&dir)? == files {
                return Ok(None);
            }
            write_policy_files(&dir, &files)?;
            Ok::<_, PolicySyncError>(Some(engine.reload_if_changed()))
        })
        .await
        .map_err(|e| PolicySyncError::Malformed(format!("reload task failed: {e}")))??;
        let Some(outcome) = outcome else {
            return Ok(None);
        };
        tracing::info!(version, "adopted the programme's policy set");
        Ok(Some(outcome))
    }

    /// Listens for published sets (and checks the version each second) until the task is aborted; every
    /// adopted set is recorded in the ledger as a local reload is.
    pub async fn run(self: Arc<Self>, state: crate::AppState) {
        loop {
            let mut pubsub = match self.client.get_async_pubsub().await {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for policy changes; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            if let Err(e) = pubsub.subscribe(self.channel()).await {
                tracing::warn!(error = %e, "cannot subscribe to policy changes; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
            let mut messages = pubsub.on_message();
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                let lost = tokio::select! {
                    m = messages.next() => m.is_none(),
                    _ = tick.tick() => false,
                };
                match self.apply().await {
                    Ok(Some(outcome)) => {
                        crate::record_policy_outcome(&state, &self.engine, outcome, "adopted")
                            .await;
                    }
                    Ok(None) => {}
                    Err(e) => tracing::warn!(error = %e, "cannot adopt the programme's policy set"),
                }
                if lost {
                    break;
                }
            }
        }
    }
}
