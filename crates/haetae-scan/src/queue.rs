//! Scanning many repositories: a job queue in a database every worker reaches, with leases, so that a job whose
//! worker dies is picked up again by another.
//!
//! The engine is the database the programme already runs: PostgreSQL for several machines (claims with
//! `SELECT … FOR UPDATE SKIP LOCKED`, so workers never wait on each other's rows), or SQLite on one machine (no
//! extra service; SQLite serialises writers, so the same claim is atomic without row locks). Both through sqlx,
//! which the workspace already builds. A queue crate (`apalis`, `sqlxmq`) was not used: each would bring its own
//! schema, runtime and sqlx feature set for what is one table and four statements here, and neither covers SQLite
//! and PostgreSQL with one claim path.
//!
//! A claimed job is **leased** to its worker until `lease_until_ms`; the worker renews the lease (and records the
//! tokens the job has spent) every third of the lease while it works. A worker that crashes stops renewing, and
//! once the lease has expired the next claim takes the job again, its attempt count one higher and its spent
//! tokens carried over, so the job's budget covers all its attempts together. A job claimed `max_attempts` times
//! without finishing is marked failed instead of being retried for ever.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::AnyPool;
use sqlx::Row;
use sqlx::any::AnyPoolOptions;

use crate::{Result, ScanError};

/// What to scan, and with what budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSpec {
    /// A local path or a git URL, as `haetae scan` takes it.
    pub repo: String,
    /// Tokens the scan may spend on model calls, all attempts together; `None`: no per-scan budget.
    #[serde(default)]
    pub budget_tokens: Option<u64>,
    /// At most this many candidates are reproduced.
    #[serde(default = "default_candidates")]
    pub max_candidates: usize,
    /// PoVs and patches asked for per candidate (`--pov-attempts`, `--patch-attempts`); jobs queued before retries
    /// have none and get the default.
    #[serde(default = "default_attempts")]
    pub pov_attempts: u32,
    #[serde(default = "default_attempts")]
    pub patch_attempts: u32,
    /// Coordinated disclosure of each verified finding (`haetae scan --maintainer`): an embargo record and its
    /// commitment in the job's outputs, and with `ledger` the commitment recorded through the gateway under the
    /// worker's key. `None`: no embargo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclosure: Option<DisclosureSpec>,
}

/// How a queued scan starts embargoes ([`JobSpec::disclosure`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DisclosureSpec {
    /// The maintainers' contact.
    pub maintainer: String,
    /// Days from discovery to the embargo deadline.
    pub embargo_days: i64,
    /// Also record each commitment in the programme's ledger.
    #[serde(default)]
    pub ledger: bool,
}

fn default_attempts() -> u32 {
    crate::pipeline::DEFAULT_ATTEMPTS
}

fn default_candidates() -> usize {
    25
}

/// A claimed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: String,
    pub spec: JobSpec,
    /// 1 on the first claim.
    pub attempt: u32,
    /// Tokens spent by earlier attempts.
    pub used_tokens: u64,
}

/// A job's row, for status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobStatus {
    pub id: String,
    pub repo: String,
    pub state: String,
    pub attempts: u32,
    pub worker: Option<String>,
    pub used_tokens: u64,
    pub result: Option<Value>,
    pub error: Option<String>,
}

fn db(e: sqlx::Error) -> ScanError {
    ScanError::Queue(e.to_string())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The queue: one table.
#[derive(Clone)]
pub struct Queue {
    pool: AnyPool,
    table: String,
    postgres: bool,
    max_attempts: u32,
}

impl Queue {
    /// Opens (and creates when missing) the queue table `table` at `url`: `postgres://…`, or `sqlite://PATH` (the
    /// file is created). `table` is `[a-z0-9_]`, so that several queues (or tests) share a database.
    pub async fn connect(url: &str, table: &str) -> Result<Queue> {
        if table.is_empty()
            || table.len() > 48
            || !table
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(ScanError::Config(format!(
                "queue table name {table:?}: use 1 to 48 of [a-z0-9_]"
            )));
        }
        let postgres = url.starts_with("postgres://") || url.starts_with("postgresql://");
        let url = if !postgres && url.starts_with("sqlite:") && !url.contains('?') {
            format!("{url}?mode=rwc")
        } else {
            url.to_owned()
        };
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new()
            // SQLite allows one writer at a time; more connections would only wait on its lock.
            .max_connections(if postgres { 8 } else { 1 })
            .acquire_timeout(Duration::from_secs(30))
            .connect(&url)
            .await
            .map_err(db)?;
        let q = Queue {
            pool,
            table: table.to_owned(),
            postgres,
            max_attempts: 3,
        };
        sqlx::query(&format!(
            "CREATE TABLE IF NOT EXISTS {t} (
                id TEXT PRIMARY KEY,
                spec TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts BIGINT NOT NULL DEFAULT 0,
                worker TEXT,
                lease_until_ms BIGINT NOT NULL DEFAULT 0,
                used_tokens BIGINT NOT NULL DEFAULT 0,
                result TEXT,
                error TEXT,
                created_ms BIGINT NOT NULL,
                updated_ms BIGINT NOT NULL
            )",
            t = q.table
        ))
        .execute(&q.pool)
        .await
        .map_err(db)?;
        sqlx::query(&format!(
            "CREATE INDEX IF NOT EXISTS {t}_claim ON {t} (state, created_ms)",
            t = q.table
        ))
        .execute(&q.pool)
        .await
        .map_err(db)?;
        Ok(q)
    }

    /// How many claims a job gets before it is failed (default 3).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Adds a job; returns its id.
    pub async fn enqueue(&self, spec: &JobSpec) -> Result<String> {
        let id = format!("job_{}", uuid::Uuid::now_v7().simple());
        let now = now_ms();
        sqlx::query(&format!(
            "INSERT INTO {} (id, spec, state, created_ms, updated_ms) VALUES ($1, $2, 'queued', $3, $3)",
            self.table
        ))
        .bind(&id)
        .bind(serde_json::to_string(spec)?)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(id)
    }

    /// Claims the oldest job that is queued or whose lease has expired, for `lease`. `None` when there is none.
    pub async fn claim(&self, worker: &str, lease: Duration) -> Result<Option<Job>> {
        let now = now_ms();
        // Jobs whose every attempt died with its worker: failed, not retried for ever.
        sqlx::query(&format!(
            "UPDATE {} SET state = 'failed', error = 'the lease expired on every attempt (worker crashed or \
             stalled)', updated_ms = $1 WHERE state = 'running' AND lease_until_ms < $1 AND attempts >= $2",
            self.table
        ))
        .bind(now)
        .bind(i64::from(self.max_attempts))
        .execute(&self.pool)
        .await
        .map_err(db)?;
        let lock = if self.postgres {
            "FOR UPDATE SKIP LOCKED"
        } else {
            ""
        };
        let row = sqlx::query(&format!(
            "UPDATE {t} SET state = 'running', worker = $1, lease_until_ms = $2, attempts = attempts + 1, \
             updated_ms = $3 WHERE id = (SELECT id FROM {t} WHERE state = 'queued' OR (state = 'running' AND \
             lease_until_ms < $3) ORDER BY created_ms, id LIMIT 1 {lock}) RETURNING id, spec, attempts, used_tokens",
            t = self.table
        ))
        .bind(worker)
        .bind(now.saturating_add(ms(lease)))
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        let Some(row) = row else { return Ok(None) };
        let spec: String = row.try_get("spec").map_err(db)?;
        let attempts: i64 = row.try_get("attempts").map_err(db)?;
        let used: i64 = row.try_get("used_tokens").map_err(db)?;
        Ok(Some(Job {
            id: row.try_get("id").map_err(db)?,
            spec: serde_json::from_str(&spec)?,
            attempt: u32::try_from(attempts).unwrap_or(u32::MAX),
            used_tokens: u64::try_from(used).unwrap_or(0),
        }))
    }

    /// Renews `worker`'s lease on job `id` and records the tokens spent. `false`: the job is no longer this
    /// worker's (its lease expired and another took it), so the worker must stop working on it.
    pub async fn heartbeat(
        &self,
        id: &str,
        worker: &str,
        lease: Duration,
        used_tokens: u64,
    ) -> Result<bool> {
        let now = now_ms();
        let done = sqlx::query(&format!(
            "UPDATE {} SET lease_until_ms = $1, used_tokens = $2, updated_ms = $3 WHERE id = $4 AND worker = $5 \
             AND state = 'running'",
            self.table
        ))
        .bind(now.saturating_add(ms(lease)))
        .bind(i64::try_from(used_tokens).unwrap_or(i64::MAX))
        .bind(now)
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }

    /// Finishes job `id`: `Ok` with the result, or failed with the error. `retry` puts a failed job back in the
    /// queue while it has attempts left. `false`: the job was not this worker's any more.
    pub async fn finish(
        &self,
        id: &str,
        worker: &str,
        outcome: std::result::Result<&Value, &str>,
        used_tokens: u64,
        retry: bool,
    ) -> Result<bool> {
        let (state, result, error) = match outcome {
            Ok(v) => ("done", Some(serde_json::to_string(v)?), None),
            Err(e) => ("failed", None, Some(e.to_owned())),
        };
        let retry_state = if state == "failed" && retry {
            format!(
                "CASE WHEN attempts < {} THEN 'queued' ELSE 'failed' END",
                self.max_attempts
            )
        } else {
            format!("'{state}'")
        };
        let done = sqlx::query(&format!(
            "UPDATE {} SET state = {retry_state}, result = $1, error = $2, used_tokens = $3, updated_ms = $4, \
             lease_until_ms = 0 WHERE id = $5 AND worker = $6 AND state = 'running'",
            self.table
        ))
        .bind(result)
        .bind(error)
        .bind(i64::try_from(used_tokens).unwrap_or(i64::MAX))
        .bind(now_ms())
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }

    /// One job's row.
    pub async fn status(&self, id: &str) -> Result<Option<JobStatus>> {
        let row = sqlx::query(&format!(
            "SELECT {STATUS_COLUMNS} FROM {} WHERE id = $1",
            self.table
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.map(|r| status_of(&r)).transpose()
    }

    /// Every job, oldest first.
    pub async fn list(&self) -> Result<Vec<JobStatus>> {
        let rows = sqlx::query(&format!(
            "SELECT {STATUS_COLUMNS} FROM {} ORDER BY created_ms, id",
            self.table
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(status_of).collect()
    }

    /// Drops the table (tests; a queue that is no longer wanted).
    pub async fn drop_table(self) -> Result<()> {
        sqlx::query(&format!("DROP TABLE IF EXISTS {}", self.table))
            .execute(&self.pool)
            .await
            .map_err(db)?;
        self.pool.close().await;
        Ok(())
    }
}

/// The columns [`status_of`] reads.
const STATUS_COLUMNS: &str = "id, spec, state, attempts, worker, used_tokens, result, error";

fn status_of(r: &sqlx::any::AnyRow) -> Result<JobStatus> {
    let spec: String = r.try_get("spec").map_err(db)?;
    let spec: JobSpec = serde_json::from_str(&spec)?;
    let result: Option<String> = r.try_get("result").map_err(db)?;
    let attempts: i64 = r.try_get("attempts").map_err(db)?;
    let used: i64 = r.try_get("used_tokens").map_err(db)?;
    Ok(JobStatus {
        id: r.try_get("id").map_err(db)?,
        repo: spec.repo,
        state: r.try_get("state").map_err(db)?,
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        worker: r.try_get("worker").map_err(db)?,
        used_tokens: u64::try_from(used).unwrap_or(0),
        result: result.and_then(|t| serde_json::from_str(&t).ok()),
        error: r.try_get("error").map_err(db)?,
    })
}

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// This worker's name (unique among the workers on the queue).
    pub name: String,
    pub lease: Duration,
    /// How long to wait before looking again when the queue is empty.
    pub poll: Duration,
    /// Return when the queue has nothing to claim (instead of waiting for more).
    pub exit_when_idle: bool,
}

/// What a job's handler is given besides the job: where to publish the tokens it has spent (the worker's
/// heartbeat records them, so a later attempt continues the same budget).
#[derive(Debug, Clone)]
pub struct JobContext {
    pub used_tokens: Arc<AtomicU64>,
}

/// Claims and runs jobs until the queue is idle (with `exit_when_idle`) or for ever; returns how many jobs this
/// worker finished. A handler's `Err` fails the job; budget errors are final, others are retried while the job has
/// attempts left.
pub async fn work<F, Fut>(queue: &Queue, opts: &WorkerOptions, handler: F) -> Result<usize>
where
    F: Fn(Job, JobContext) -> Fut,
    Fut: Future<Output = Result<Value>>,
{
    let mut finished = 0;
    loop {
        let Some(job) = queue.claim(&opts.name, opts.lease).await? else {
            if opts.exit_when_idle {
                return Ok(finished);
            }
            tokio::time::sleep(opts.poll).await;
            continue;
        };
        let used = Arc::new(AtomicU64::new(job.used_tokens));
        let ctx = JobContext {
            used_tokens: used.clone(),
        };
        let id = job.id.clone();
        tracing::info!(job = %id, attempt = job.attempt, worker = %opts.name, "scan job claimed");
        // The lease is renewed while the handler runs; if it is lost, the handler is abandoned.
        let beat = {
            let (queue, worker, lease, used, id) = (
                queue.clone(),
                opts.name.clone(),
                opts.lease,
                used.clone(),
                id.clone(),
            );
            async move {
                let mut tick = tokio::time::interval((lease / 3).max(Duration::from_millis(10)));
                tick.tick().await;
                loop {
                    tick.tick().await;
                    match queue
                        .heartbeat(&id, &worker, lease, used.load(Ordering::Relaxed))
                        .await
                    {
                        Ok(true) => {}
                        Ok(false) => return "the lease was lost to another worker".to_owned(),
                        Err(e) => {
                            tracing::warn!(job = %id, error = %e, "lease renewal failed; retrying")
                        }
                    }
                }
            }
        };
        let outcome = tokio::select! {
            r = handler(job, ctx) => Some(r),
            lost = beat => {
                tracing::warn!(job = %id, worker = %opts.name, %lost, "scan job abandoned");
                None
            }
        };
        let Some(outcome) = outcome else { continue };
        let spent = used.load(Ordering::Relaxed);
        let recorded = match &outcome {
            Ok(v) => queue.finish(&id, &opts.name, Ok(v), spent, false).await?,
            Err(e) => {
                let retry = !matches!(e, ScanError::Budget(_) | ScanError::Config(_));
                queue
                    .finish(&id, &opts.name, Err(&e.to_string()), spent, retry)
                    .await?
            }
        };
        if recorded {
            finished += 1;
        }
    }
}
