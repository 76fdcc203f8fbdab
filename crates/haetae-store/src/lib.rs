//! Persistence of the programme's records.
//!
//! One implementation serves both backends: sqlx's `Any` driver with a portable schema (`migrations/`) and
//! portable queries (`$n` placeholders, each bound once and in order, which SQLite and PostgreSQL both accept).
//! SQLite is the embedded default (`sqlite://path/haetae.db`); PostgreSQL (`postgres://…`) serves several
//! gateway replicas. Writing one set of queries keeps the two from drifting apart; the tests run against both.

mod aggregates;
mod catalogue_cache;
mod console;
mod error;
mod generation;
mod key_cache;
mod operations;
mod programme;

use std::str::FromStr;
use std::time::Duration;

pub use aggregates::*;
pub use console::*;
pub use error::StoreError;
pub use operations::*;
pub use programme::*;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A page request for list operations: at most `limit` items after the cursor `after` (an id from the previous
/// page's `next_cursor`).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct Page {
    pub limit: Option<u32>,
    pub after: Option<String>,
}

impl Page {
    pub const DEFAULT_LIMIT: u32 = 50;
    pub const MAX_LIMIT: u32 = 500;

    pub fn first(limit: u32) -> Self {
        Page {
            limit: Some(limit),
            after: None,
        }
    }

    fn limit(&self) -> i64 {
        i64::from(
            self.limit
                .unwrap_or(Self::DEFAULT_LIMIT)
                .clamp(1, Self::MAX_LIMIT),
        )
    }

    fn after(&self) -> &str {
        self.after.as_deref().unwrap_or("")
    }
}

/// One page of results. `next_cursor` is present when more items may follow.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Paged<T> {
    pub data: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Paged<T> {
    fn from_rows(data: Vec<T>, page: &Page, cursor_of: impl Fn(&T) -> String) -> Self {
        let next_cursor = if data.len() as i64 == page.limit() {
            data.last().map(cursor_of)
        } else {
            None
        };
        Paged { data, next_cursor }
    }
}

/// Inline generation readers for a SQLite file (none for an in-memory database, which other connections cannot
/// open). A file that cannot be opened a second time leaves the reads on the pool, which is slower, not wrong.
fn sqlite_generation_readers(url: &str) -> Option<std::sync::Arc<generation::GenerationReaders>> {
    if url.contains(":memory:") || url.contains("mode=memory") {
        return None;
    }
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url).ok()?;
    let readers = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
    match generation::GenerationReaders::open(options.get_filename(), readers) {
        Ok(r) => Some(std::sync::Arc::new(r)),
        Err(e) => {
            tracing::warn!(error = %e, "generation reads go through the pool");
            None
        }
    }
}

#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Shared by every clone of this store (one per process, normally); see `key_cache.rs`.
    keys: std::sync::Arc<key_cache::KeyCache>,
    /// The tier ladder and catalogue entries, under the same generation; see `catalogue_cache.rs`.
    catalogue: std::sync::Arc<catalogue_cache::CatalogueCache>,
    /// A SQLite file's generation, read on the calling thread; `None`: read through the pool (PostgreSQL, an
    /// in-memory database). See `generation.rs`.
    generation: Option<std::sync::Arc<generation::GenerationReaders>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`), creating a SQLite file if missing, and brings the
    /// schema up to date.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Invalid(format!(
                "unsupported store URL '{url}': use sqlite:// or postgres://"
            )));
        };
        let url = match backend {
            // WAL lets readers (every request's key lookup) proceed while an admin write commits.
            Backend::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|e| StoreError::Invalid(format!("bad store URL: {e}")))?
            .log_statements(tracing::log::LevelFilter::Trace);
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        use sqlx::Executor;
                        conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        let generation = match backend {
            Backend::Sqlite => sqlite_generation_readers(&url),
            Backend::Postgres => None,
        };
        Ok(Store {
            pool,
            backend,
            keys: Default::default(),
            catalogue: Default::default(),
            generation,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) fn generation_readers(&self) -> Option<&generation::GenerationReaders> {
        self.generation.as_deref()
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub(crate) fn key_cache(&self) -> &key_cache::KeyCache {
        &self.keys
    }

    pub(crate) fn catalogue_cache(&self) -> &catalogue_cache::CatalogueCache {
        &self.catalogue
    }
}
