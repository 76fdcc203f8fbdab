//! Reading the programme generation of a SQLite file on the calling thread.
//!
//! Every request reads the generation (see `key_cache.rs`). Through the pool, that one-integer read is a
//! hand-off to sqlx's SQLite worker thread and back: two thread wake-ups and a channel round trip per request,
//! which under load cost more CPU than the read itself (profiled: the SQLite worker ~7% of the gateway's CPU at
//! 200 requests/s with every other store read already cached). A SQLite read by primary key on an open
//! connection takes microseconds and, in WAL mode, never waits for a writer, so it runs inline here on a few
//! dedicated read-only connections instead.
//!
//! Why it sees every change the pool would: each read is its own read transaction, started after the request
//! arrived, and in WAL mode a new read transaction sees every transaction committed before it began, by any
//! connection or process. So the "effective on the next request" argument of `key_cache.rs` holds unchanged.
//!
//! sqlx has no synchronous SQLite API, so this uses rusqlite over the same `libsqlite3-sys` build.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::StoreError;

const READ_GENERATION: &str = "SELECT generation FROM programme_generation WHERE id = 1";

/// A few read-only connections to the store's SQLite file; a reader takes whichever is free.
#[derive(Debug)]
pub(crate) struct GenerationReaders {
    connections: Vec<Mutex<Connection>>,
}

impl GenerationReaders {
    /// Opens `count` connections to the existing database at `path` (after the migrations created the table).
    pub(crate) fn open(path: &Path, count: usize) -> Result<GenerationReaders, StoreError> {
        let connections = (0..count.max(1))
            .map(|_| {
                let c = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                // A read in WAL mode waits only while another connection recovers the WAL index (after a
                // crash): bounded like the pool's connections, never indefinitely.
                c.busy_timeout(Duration::from_secs(5))?;
                // Prepare once, so a read is a cache hit and a step.
                c.prepare_cached(READ_GENERATION)?;
                Ok(Mutex::new(c))
            })
            .collect::<Result<Vec<_>, rusqlite::Error>>()
            .map_err(sqlite_error)?;
        Ok(GenerationReaders { connections })
    }

    /// The current generation.
    pub(crate) fn read(&self) -> Result<i64, StoreError> {
        let connection = self.take();
        let mut statement = connection
            .prepare_cached(READ_GENERATION)
            .map_err(sqlite_error)?;
        statement
            .query_row([], |row| row.get::<_, i64>(0))
            .map_err(sqlite_error)
    }

    fn take(&self) -> MutexGuard<'_, Connection> {
        for c in &self.connections {
            if let Ok(guard) = c.try_lock() {
                return guard;
            }
        }
        // All busy (more concurrent readers than connections): wait for the first; a read holds it for
        // microseconds. A panic while holding one cannot leave a connection half-used (a read is one step).
        self.connections[0]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn sqlite_error(e: rusqlite::Error) -> StoreError {
    StoreError::Generation(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_another_connection_committed_last() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.db");
        let writer = Connection::open(&path).unwrap();
        writer
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 CREATE TABLE programme_generation (id INTEGER PRIMARY KEY, generation INTEGER NOT NULL);
                 INSERT INTO programme_generation VALUES (1, 7);",
            )
            .unwrap();
        let readers = GenerationReaders::open(&path, 2).unwrap();
        assert_eq!(readers.read().unwrap(), 7);
        for g in [8, 9, 42] {
            writer
                .execute("UPDATE programme_generation SET generation = ?1", [g])
                .unwrap();
            assert_eq!(readers.read().unwrap(), g, "the next read sees the commit");
        }
        // Both connections serve, and each sees the latest commit.
        let held = readers.connections[0].lock().unwrap();
        assert_eq!(readers.read().unwrap(), 42);
        drop(held);
    }

    /// A store on a SQLite file reads the generation inline and sees its own pool's writes on the next read;
    /// an in-memory store (which no second connection can open) reads through the pool.
    #[tokio::test]
    async fn a_file_store_reads_inline_and_sees_every_write() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("haetae.db").display());
        let store = crate::Store::connect(&url).await.unwrap();
        assert!(store.generation_readers().is_some());
        let before = store.programme_generation().await.unwrap();
        store.ensure_default_tiers().await.unwrap();
        store
            .upsert_model(&crate::NewModel {
                name: "m".into(),
                backend: "none".into(),
                upstream_model: "m".into(),
                min_tier: "public".into(),
                description: String::new(),
            })
            .await
            .unwrap();
        let after = store.programme_generation().await.unwrap();
        assert!(after > before, "{before} -> {after}");
        // One named in-memory database for the pool's connections (a plain `:memory:` is one per connection).
        let memory = crate::Store::connect("sqlite:file:generation-test?mode=memory&cache=shared")
            .await
            .unwrap();
        assert!(memory.generation_readers().is_none());
        memory.programme_generation().await.unwrap();
    }

    #[test]
    fn a_missing_table_is_an_error_not_a_generation() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.db");
        Connection::open(&path).unwrap();
        assert!(GenerationReaders::open(&path, 1).is_err());
    }
}
