//! The PostgreSQL backend: one transparency log for a programme that runs several gateway
//! replicas (Tessera's design: entries are sequenced in a database, one integrator builds the
//! tree, tiles are the storage format).
//!
//! ## Tables (in one schema, [`PostgresOptions::schema`])
//! * `sequence` — one row, `next`: the index the next sequenced entry gets.
//! * `entries` — `(idx, data, private, request_id)`: every entry, its canonical bytes, its
//!   private part (never served) and its request id. Written by every replica.
//! * `tiles` — `(level, idx, data)`: tlog-tiles hash tiles, the latest (possibly partial)
//!   version of each; a partial tile only ever grows, and its prefix is the tile at any smaller
//!   width. Written only by the integrator.
//! * `request_index` — `(request_id, idx)`: the first integrated entry with each request id.
//!   Written only by the integrator.
//! * `checkpoint` — one row: `epoch` (bumped at each election), `size`, `root`, the signed
//!   `note`, and the log key and origin every replica must share.
//! * `cosignatures`, `witness_round` — witnesses' cosignatures and the witnessing round, taken
//!   and served by every replica ([`cosignatures`]).
//!
//! ## Sequencing (every replica)
//! [`Ledger::append`](crate::Ledger::append) hands the encoded entry to this replica's
//! sequencer task, which takes everything queued (up to `max_batch`) and sequences it with one
//! statement, which is its own transaction: bump `sequence.next` by the batch size (the row lock
//! orders replicas' batches), insert the entries at the indices it reserved, and `NOTIFY` the
//! integrator (delivered only when the batch commits). Only when that
//! commit returned (`synchronous_commit = on` is set on every connection, so the commit is in
//! PostgreSQL's durable WAL) is each caller answered with its leaf index. Indices are therefore
//! gap-free and committed in order: the committed entries are always a prefix of the log.
//!
//! ## Integration (exactly one replica at a time)
//! Replicas with [`PostgresOptions::integrate`] stand for election: a session-level advisory
//! lock taken on a dedicated connection. The winner bumps `checkpoint.epoch` and remembers the
//! value (its fencing token), loads the right edge of the tree (one partial tile per level, at
//! most 8 × 8 KiB), `LISTEN`s for the sequencers' notifications, and then, round after round
//! (woken by a notification, or by [`PostgresOptions::integrate_interval`] passing without one:
//! the fallback when notifications are lost), reads the newly sequenced entries, hashes them
//! into the edge, and publishes: **one transaction** that locks the checkpoint row, checks that
//! `epoch`, `size` and `root` are still the ones it built on, writes the changed tiles and the
//! request index, and moves the checkpoint. A leader that lost its lock (its connection was
//! dropped) while paused, and comes back after another was elected, fails that check and its
//! whole transaction rolls back: it can never publish a checkpoint or a tile over the new
//! leader's, so the log never forks ([`LedgerError::Fenced`]).
//!
//! ## Serving (every replica)
//! Checkpoints, tiles, proofs and lookups are read from the tables; full hash tiles (immutable)
//! are kept in a bounded cache ([`PostgresOptions::tile_cache`] tiles, 8 KiB each), so memory
//! does not grow with the log. Proofs are computed from tiles exactly as an outside verifier
//! would ([`crate::tiles::TileStore`]).
//!
//! ## Runtime
//! All database work runs on a small runtime this backend owns, so the ledger's synchronous
//! methods (the same as the file backend's) can wait for a query from any thread, including an
//! async task of the caller's runtime, without nesting runtimes.

mod cosignatures;

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgConnection, PgListener, PgPool, PgPoolOptions};
use sqlx::{Connection, Row};
use tokio::sync::{mpsc, oneshot};

use crate::entry::Entry;
use crate::merkle::{self, Hash, ProofError};
use crate::note::Checkpoint;
use crate::storage::{Health, LedgerConfig, LedgerError, MAX_PRIVATE_SIZE};
use crate::tiles::{self, TileError, TileKind, TilePath, TileRecorder, TileStore};

/// Where the shared ledger lives and how this replica takes part.
#[derive(Debug, Clone)]
pub struct PostgresOptions {
    /// `postgres://…` connection URL.
    pub url: String,
    /// Schema holding the ledger's tables (created if missing): lowercase letters, digits and
    /// `_`, starting with a letter or `_`. One schema is one log.
    pub schema: String,
    /// Stand for election as the integrator. At least one replica must.
    pub integrate: bool,
    /// Longest pause between integration rounds that found nothing new: a sequenced batch's
    /// notification ends the pause at once, so this only bounds the delay when notifications
    /// are lost (a dropped listening connection, a pooler in transaction mode that drops
    /// `LISTEN`).
    pub integrate_interval: Duration,
    /// Pause between election attempts while another replica integrates.
    pub election_interval: Duration,
    /// Full hash tiles kept in memory (8 KiB each).
    pub tile_cache: usize,
    /// Connections in this replica's pool (the integrator's lock connection is extra).
    pub pool_size: u32,
    /// Most entries one integration round takes.
    pub max_integrate: usize,
    /// Rotate the log key: the verifier key (`name+hash+key`) of the key the log was signed with until now.
    /// When the log's key is exactly this one and this replica holds another, opening retires the old key and
    /// re-signs the current tree head with the new one (docs/ledger.md). Without it, a replica whose key differs
    /// from the log's refuses to start; with a key that is not the log's, nothing is rotated and it refuses too.
    pub rotate_from: Option<String>,
    /// How long the cosignatures of a witness missing from this replica's `ledger_witnesses` are kept after
    /// its newest one. They can never be dominated (no later checkpoint carries that witness), so without this
    /// they would be kept forever; the grace keeps a replica from deleting, during a rolling change of the
    /// witness list, what the replicas that still list the witness count.
    pub retired_witness_grace: Duration,
}

impl PostgresOptions {
    /// Defaults: schema `haetae_ledger`, integrating, rounds on notification or every 500 ms, elections every
    /// second, 4096 cached tiles (32 MiB at most), 8 connections, 65 536 entries per round, cosignatures of an
    /// unlisted witness kept 7 days after its last one.
    pub fn new(url: impl Into<String>) -> Self {
        PostgresOptions {
            url: url.into(),
            schema: "haetae_ledger".into(),
            integrate: true,
            integrate_interval: Duration::from_millis(500),
            election_interval: Duration::from_secs(1),
            tile_cache: 4096,
            pool_size: 8,
            max_integrate: 65_536,
            rotate_from: None,
            retired_witness_grace: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

impl PostgresOptions {
    /// The `NOTIFY` channel this log's sequencers wake the integrator on (an operator may
    /// `NOTIFY` it to run a round at once).
    pub fn notify_channel(&self) -> String {
        notify_channel(&self.schema)
    }
}

fn valid_schema(s: &str) -> bool {
    (1..=63).contains(&s.len())
        && s.bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn db(context: &'static str) -> impl FnOnce(sqlx::Error) -> LedgerError {
    move |source| LedgerError::Database { context, source }
}

/// An advisory-lock key for `purpose` in `schema`: advisory locks are database-wide, so each
/// schema (each log) gets its own.
fn lock_key(purpose: &str, schema: &str) -> i64 {
    use sha2::Digest as _;
    let d = sha2::Sha256::digest(format!("haetae-ledger/{purpose}/{schema}"));
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    i64::from_be_bytes(b)
}

/// The channel sequencers notify in `schema`: notifications are database-wide like advisory
/// locks, and a channel name is at most 63 bytes, so it is derived from the schema, not spelled
/// with it.
fn notify_channel(schema: &str) -> String {
    format!(
        "haetae_ledger_{:016x}",
        lock_key("sequenced", schema) as u64
    )
}

fn connect_options(url: &str) -> Result<PgConnectOptions, LedgerError> {
    let opts: PgConnectOptions = url
        .parse()
        .map_err(|e| LedgerError::Config(format!("invalid PostgreSQL URL: {e}")))?;
    // An append is acknowledged when its commit returns: that must mean durable, whatever
    // the server's default says.
    Ok(opts.options([("synchronous_commit", "on")]))
}

/// The statements, with the schema spelled in once.
struct Sql {
    schema: String,
    /// The `NOTIFY` channel a sequenced batch wakes the integrator on.
    channel: String,
    sequence: String,
    read_entries: String,
    read_entry: String,
    read_private: String,
    read_bundle: String,
    read_checkpoint: String,
    read_tiles: String,
    lookup: String,
    bump_epoch: String,
    lock_checkpoint: String,
    write_tiles: String,
    write_index: String,
    write_checkpoint: String,
    cosign: cosignatures::CosignSql,
}

impl Sql {
    fn new(schema: &str) -> Sql {
        let s = format!("\"{schema}\"");
        let channel = notify_channel(schema);
        Sql {
            schema: schema.to_owned(),
            // The notification is part of the same statement, so of the same transaction:
            // PostgreSQL delivers it only once the batch committed, and never for one that
            // rolled back; one round trip still sequences a batch.
            sequence: format!(
                "WITH s AS (UPDATE {s}.sequence SET next = next + $1 WHERE id = 0 RETURNING next - $1 AS start), \
                 ins AS (INSERT INTO {s}.entries (idx, data, private, request_id) \
                   SELECT s.start + u.ord - 1, u.data, u.private, u.rid \
                   FROM s, UNNEST($2::bytea[], $3::bytea[], $4::text[]) WITH ORDINALITY AS u(data, private, rid, ord)) \
                 SELECT s.start FROM s, (SELECT pg_notify('{channel}', '')) AS n"
            ),
            channel,
            read_entries: format!(
                "SELECT idx, data, request_id FROM {s}.entries WHERE idx >= $1 ORDER BY idx LIMIT $2"
            ),
            read_entry: format!("SELECT data FROM {s}.entries WHERE idx = $1"),
            read_private: format!("SELECT private FROM {s}.entries WHERE idx = $1"),
            read_bundle: format!(
                "SELECT data FROM {s}.entries WHERE idx >= $1 AND idx < $2 ORDER BY idx"
            ),
            read_checkpoint: format!(
                "SELECT epoch, size, root, note FROM {s}.checkpoint WHERE id = 0"
            ),
            read_tiles: format!(
                "SELECT t.level, t.idx, t.data FROM {s}.tiles t \
                 JOIN UNNEST($1::int2[], $2::int8[]) AS u(level, idx) ON t.level = u.level AND t.idx = u.idx"
            ),
            // One statement, one snapshot: the index and the checkpoint it was written with, then
            // the entries sequenced since (a short range: the integration lag).
            lookup: format!(
                "SELECT COALESCE((SELECT idx FROM {s}.request_index WHERE request_id = $1), \
                   (SELECT min(idx) FROM {s}.entries \
                    WHERE idx >= (SELECT size FROM {s}.checkpoint WHERE id = 0) AND request_id = $1))"
            ),
            // Only a replica holding the log's current key may be elected: after a key rotation an old
            // replica that still runs must never sign another checkpoint.
            bump_epoch: format!(
                "UPDATE {s}.checkpoint SET epoch = epoch + 1 WHERE id = 0 AND log_key = $1 RETURNING epoch, size, root"
            ),
            lock_checkpoint: format!(
                "SELECT epoch, size, root FROM {s}.checkpoint WHERE id = 0 FOR UPDATE"
            ),
            write_tiles: format!(
                "INSERT INTO {s}.tiles (level, idx, data) SELECT * FROM UNNEST($1::int2[], $2::int8[], $3::bytea[]) \
                 ON CONFLICT (level, idx) DO UPDATE SET data = EXCLUDED.data \
                 WHERE length({s}.tiles.data) <= length(EXCLUDED.data)"
            ),
            write_index: format!(
                "INSERT INTO {s}.request_index (request_id, idx) SELECT * FROM UNNEST($1::text[], $2::int8[]) \
                 ON CONFLICT (request_id) DO NOTHING"
            ),
            write_checkpoint: format!(
                "UPDATE {s}.checkpoint SET size = $1, root = $2, note = $3 WHERE id = 0 AND epoch = $4 AND log_key = $5"
            ),
            cosign: cosignatures::CosignSql::new(&s),
        }
    }

    fn migration(&self) -> Vec<String> {
        let s = format!("\"{}\"", self.schema);
        let mut statements = vec![
            format!("CREATE SCHEMA IF NOT EXISTS {s}"),
            format!(
                "CREATE TABLE IF NOT EXISTS {s}.sequence (id smallint PRIMARY KEY CHECK (id = 0), next bigint NOT NULL)"
            ),
            format!("INSERT INTO {s}.sequence (id, next) VALUES (0, 0) ON CONFLICT DO NOTHING"),
            format!(
                "CREATE TABLE IF NOT EXISTS {s}.entries (idx bigint PRIMARY KEY, data bytea NOT NULL, private bytea NOT NULL, request_id text)"
            ),
            format!(
                "CREATE TABLE IF NOT EXISTS {s}.tiles (level smallint NOT NULL, idx bigint NOT NULL, data bytea NOT NULL, PRIMARY KEY (level, idx))"
            ),
            format!(
                "CREATE TABLE IF NOT EXISTS {s}.request_index (request_id text PRIMARY KEY, idx bigint NOT NULL)"
            ),
            format!(
                "CREATE TABLE IF NOT EXISTS {s}.checkpoint (id smallint PRIMARY KEY CHECK (id = 0), epoch bigint NOT NULL, \
               size bigint NOT NULL, root bytea NOT NULL, note text NOT NULL, log_key text NOT NULL, origin text NOT NULL)"
            ),
            // Retired log keys, for auditors holding checkpoints signed before a rotation: the key, when it was
            // retired, and the tree head it had signed last (which its successor re-signed).
            format!(
                "CREATE TABLE IF NOT EXISTS {s}.retired_log_keys (log_key text PRIMARY KEY, successor text NOT NULL, \
                 retired timestamptz NOT NULL DEFAULT clock_timestamp(), size bigint NOT NULL, root bytea NOT NULL)"
            ),
        ];
        statements.extend(cosignatures::CosignSql::migration(&s));
        statements
    }
}

fn to_i64(v: u64) -> Result<i64, LedgerError> {
    i64::try_from(v).map_err(|_| LedgerError::Corrupt(format!("index {v} out of range")))
}

fn to_u64(v: i64) -> Result<u64, LedgerError> {
    u64::try_from(v)
        .map_err(|_| LedgerError::Corrupt(format!("negative index {v} in the database")))
}

fn to_hash(b: &[u8]) -> Result<Hash, LedgerError> {
    b.try_into()
        .map_err(|_| LedgerError::Corrupt("a root in the database is not 32 bytes".into()))
}

/// Cached tiles by (level, index), and their loading order for eviction.
type TileMap = (HashMap<(u8, u64), Arc<Vec<u8>>>, VecDeque<(u8, u64)>);

/// Full hash tiles (immutable once full) most recently loaded, at most `cap` of them; the oldest
/// loaded is evicted first.
struct TileCache {
    cap: usize,
    inner: Mutex<TileMap>,
}

impl TileCache {
    fn get(&self, key: (u8, u64)) -> Option<Arc<Vec<u8>>> {
        let g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.0.get(&key).cloned()
    }

    fn put(&self, key: (u8, u64), data: Arc<Vec<u8>>) {
        if self.cap == 0 {
            return;
        }
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, order) = &mut *g;
        if map.insert(key, data).is_none() {
            order.push_back(key);
        }
        while order.len() > self.cap {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).0.len()
    }
}

/// Reads of the shared state (any replica).
struct Reader {
    pool: PgPool,
    sql: Arc<Sql>,
    cache: TileCache,
}

/// The checkpoint row.
struct Head {
    epoch: i64,
    size: u64,
    root: Hash,
    note: String,
}

impl Reader {
    async fn head(&self) -> Result<Head, LedgerError> {
        let row = sqlx::query(&self.sql.read_checkpoint)
            .fetch_one(&self.pool)
            .await
            .map_err(db("read checkpoint"))?;
        Ok(Head {
            epoch: row.try_get(0).map_err(db("read checkpoint"))?,
            size: to_u64(row.try_get(1).map_err(db("read checkpoint"))?)?,
            root: to_hash(
                &row.try_get::<Vec<u8>, _>(2)
                    .map_err(db("read checkpoint"))?,
            )?,
            note: row.try_get(3).map_err(db("read checkpoint"))?,
        })
    }

    /// The hash tiles `paths` (as wide as each path says), from the cache or the database.
    async fn tiles(&self, paths: &[TilePath]) -> Result<TileStore, LedgerError> {
        let mut store = TileStore::new();
        let mut missing: Vec<TilePath> = Vec::new();
        for p in paths {
            let TileKind::Hash(l) = p.kind else {
                return Err(TileError::MalformedPath.into());
            };
            match self.cache.get((l, p.index)) {
                Some(data) => store.insert(p, &data[..usize::from(p.width) * 32])?,
                None => missing.push(*p),
            }
        }
        if missing.is_empty() {
            return Ok(store);
        }
        let levels: Vec<i16> = missing
            .iter()
            .map(|p| match p.kind {
                TileKind::Hash(l) => i16::from(l),
                TileKind::Entries => -1,
            })
            .collect();
        let idxs = missing
            .iter()
            .map(|p| to_i64(p.index))
            .collect::<Result<Vec<_>, _>>()?;
        let rows = sqlx::query(&self.sql.read_tiles)
            .bind(&levels)
            .bind(&idxs)
            .fetch_all(&self.pool)
            .await
            .map_err(db("read tiles"))?;
        let mut got: HashMap<(u8, u64), Vec<u8>> = HashMap::with_capacity(rows.len());
        for r in rows {
            let level: i16 = r.try_get(0).map_err(db("read tiles"))?;
            let idx: i64 = r.try_get(1).map_err(db("read tiles"))?;
            let data: Vec<u8> = r.try_get(2).map_err(db("read tiles"))?;
            got.insert((level as u8, to_u64(idx)?), data);
        }
        for p in missing {
            let TileKind::Hash(l) = p.kind else { continue };
            let want = usize::from(p.width) * 32;
            let data = got
                .remove(&(l, p.index))
                .filter(|d| d.len() >= want)
                .ok_or_else(|| {
                    LedgerError::Corrupt(format!("tile {p} is missing from the database"))
                })?;
            store.insert(&p, &data[..want])?;
            if data.len() == tiles::TILE_WIDTH as usize * 32 {
                self.cache.put((l, p.index), Arc::new(data));
            }
        }
        Ok(store)
    }

    /// The tiles a computation over the tree of `size` needs (found by running it on a
    /// [`TileRecorder`] first).
    async fn store_for(&self, size: u64, rec: &TileRecorder) -> Result<TileStore, LedgerError> {
        self.tiles(&rec.paths(size)).await
    }

    async fn root_at(&self, size: u64) -> Result<Hash, LedgerError> {
        let head = self.head().await?;
        if size > head.size {
            return Err(ProofError::IndexOutOfRange {
                index: size,
                size: head.size,
            }
            .into());
        }
        let mut rec = TileRecorder::default();
        let _ = merkle::root_hash(&mut rec, size);
        let mut store = self.store_for(size, &rec).await?;
        Ok(merkle::root_hash(&mut store, size)?)
    }

    async fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, LedgerError> {
        let head = self.head().await?;
        if size > head.size || index >= size {
            return Err(ProofError::IndexOutOfRange { index, size }.into());
        }
        let mut rec = TileRecorder::default();
        let _ = merkle::inclusion_proof(&mut rec, index, size);
        let mut store = self.store_for(size, &rec).await?;
        Ok(merkle::inclusion_proof(&mut store, index, size)?)
    }

    async fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>, LedgerError> {
        if old > new {
            return Err(ProofError::SizesReversed { old, new }.into());
        }
        let head = self.head().await?;
        if new > head.size {
            return Err(ProofError::IndexOutOfRange {
                index: new,
                size: head.size,
            }
            .into());
        }
        let mut rec = TileRecorder::default();
        let _ = merkle::consistency_proof(&mut rec, old, new);
        let mut store = self.store_for(new, &rec).await?;
        Ok(merkle::consistency_proof(&mut store, old, new)?)
    }

    async fn column(&self, sql: &str, index: u64) -> Result<Vec<u8>, LedgerError> {
        let row = sqlx::query(sql)
            .bind(to_i64(index)?)
            .fetch_optional(&self.pool)
            .await
            .map_err(db("read entry"))?;
        match row {
            Some(r) => r.try_get(0).map_err(db("read entry")),
            None => Err(ProofError::IndexOutOfRange {
                index,
                size: self.head().await?.size,
            }
            .into()),
        }
    }

    async fn tile(&self, path: TilePath) -> Result<Vec<u8>, LedgerError> {
        let size = self.head().await?.size;
        TilePath::for_tree_size(path.kind, path.index, size)
            .filter(|a| a.width >= path.width)
            .ok_or_else(|| TileError::NotAvailable(path.to_string()))?;
        match path.kind {
            TileKind::Hash(_) => {
                let mut store = self.tiles(&[path]).await?;
                Ok(tiles::hash_tile_bytes(&mut store, &path)?)
            }
            TileKind::Entries => {
                let start = path.index * tiles::TILE_WIDTH;
                let rows = sqlx::query(&self.sql.read_bundle)
                    .bind(to_i64(start)?)
                    .bind(to_i64(start + u64::from(path.width))?)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db("read entry bundle"))?;
                if rows.len() != usize::from(path.width) {
                    return Err(LedgerError::Corrupt(format!(
                        "entries of {path} are missing from the database"
                    )));
                }
                let entries = rows
                    .iter()
                    .map(|r| r.try_get::<Vec<u8>, _>(0))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(db("read entry bundle"))?;
                Ok(tiles::encode_entry_bundle(entries)?)
            }
        }
    }

    async fn lookup(&self, request_id: &str) -> Result<Option<u64>, LedgerError> {
        let idx: Option<i64> = sqlx::query_scalar(&self.sql.lookup)
            .bind(request_id)
            .fetch_one(&self.pool)
            .await
            .map_err(db("look up request id"))?;
        idx.map(to_u64).transpose()
    }
}

struct Pending {
    data: Vec<u8>,
    private: Vec<u8>,
    request_id: Option<String>,
    reply: oneshot::Sender<Result<u64, LedgerError>>,
}

#[derive(Default)]
struct Status {
    failed: Mutex<Option<String>>,
    commits: AtomicU64,
    /// Latest checkpoint row seen, for the infallible accessors when the database is away.
    size: AtomicU64,
    root: Mutex<Hash>,
    leader: AtomicBool,
    leader_pid: AtomicI64,
    epoch: AtomicI64,
}

impl Status {
    fn failure(&self) -> Option<String> {
        self.failed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set_failure(&self, why: Option<String>) {
        let mut f = self.failed.lock().unwrap_or_else(|e| e.into_inner());
        match (&*f, &why) {
            (None, Some(w)) => tracing::error!(error = %w, "shared ledger cannot sequence entries"),
            (Some(_), None) => tracing::warn!("shared ledger sequences entries again"),
            _ => {}
        }
        *f = why;
    }

    fn seen(&self, size: u64, root: Hash) {
        self.size.store(size, Ordering::Relaxed);
        *self.root.lock().unwrap_or_else(|e| e.into_inner()) = root;
    }
}

struct PgInner {
    _runtime: RuntimeGuard,
    handle: tokio::runtime::Handle,
    reader: Arc<Reader>,
    config: LedgerConfig,
    schema: String,
    /// [`PostgresOptions::retired_witness_grace`].
    retired_witness_grace: Duration,
    tx: mpsc::Sender<Pending>,
    status: Arc<Status>,
}

/// Owns the backend's runtime. Dropping a runtime waits for its tasks, which is not allowed on an
/// async thread (where a ledger, or a failed `open`, is usually dropped); the tasks hold nothing
/// that needs an orderly end (an unanswered append was not acknowledged, an unfinished
/// publication rolls back with its connection), so they are left to stop in the background.
struct RuntimeGuard(Option<tokio::runtime::Runtime>);

impl Drop for RuntimeGuard {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

/// The PostgreSQL backend of [`crate::Ledger`] (see the module documentation).
#[derive(Clone)]
pub struct PgLedger {
    inner: Arc<PgInner>,
}

impl std::fmt::Debug for PgLedger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("postgres_schema", &self.inner.schema)
            .field("size", &self.inner.status.size.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// Runs `fut` on `handle` and waits for it from any thread (also from an async task of another
/// runtime: only this thread blocks, never the ledger's runtime).
fn block_on<T: Send + 'static>(
    handle: &tokio::runtime::Handle,
    fut: impl Future<Output = Result<T, LedgerError>> + Send + 'static,
) -> Result<T, LedgerError> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    handle.spawn(async move {
        let _ = tx.send(fut.await);
    });
    rx.recv()
        .map_err(|_| LedgerError::Failed("the ledger's database runtime stopped".into()))?
}

impl PgLedger {
    pub(crate) async fn open(
        options: PostgresOptions,
        config: LedgerConfig,
    ) -> Result<PgLedger, LedgerError> {
        config.witnesses.validate().map_err(LedgerError::Config)?;
        if !valid_schema(&options.schema) {
            return Err(LedgerError::Config(format!(
                "invalid ledger schema name {:?} (lowercase letters, digits, _)",
                options.schema
            )));
        }
        let connect = connect_options(&options.url)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("haetae-ledger-pg")
            .enable_all()
            .build()
            .map_err(|source| LedgerError::Io {
                context: "start the ledger's database runtime",
                source,
            })?;
        let handle = runtime.handle().clone();
        let runtime = RuntimeGuard(Some(runtime));
        let sql = Arc::new(Sql::new(&options.schema));
        let pool = {
            let (sql, config, options, connect) = (
                sql.clone(),
                config.clone(),
                options.clone(),
                connect.clone(),
            );
            handle
                .spawn(async move { prepare_schema(&options, &connect, &sql, &config).await })
                .await
                .map_err(|e| LedgerError::Failed(format!("ledger setup task failed: {e}")))??
        };
        let reader = Arc::new(Reader {
            pool: pool.clone(),
            sql: sql.clone(),
            cache: TileCache {
                cap: options.tile_cache,
                inner: Mutex::default(),
            },
        });
        let status = Arc::new(Status::default());
        let (tx, rx) = mpsc::channel(config.queue_capacity.max(1));
        handle.spawn(sequencer(
            pool.clone(),
            sql.clone(),
            rx,
            status.clone(),
            config.max_batch.max(1),
        ));
        if options.integrate {
            handle.spawn(integrator_loop(
                options.clone(),
                config.clone(),
                status.clone(),
            ));
        }
        let ledger = PgLedger {
            inner: Arc::new(PgInner {
                _runtime: runtime,
                handle,
                reader,
                config,
                schema: options.schema,
                retired_witness_grace: options.retired_witness_grace,
                tx,
                status,
            }),
        };
        ledger
            .run(|r| async move { r.head().await })
            .await
            .map(|h| {
                ledger.inner.status.seen(h.size, h.root);
            })?;
        Ok(ledger)
    }

    /// Runs a read on the ledger's runtime and awaits it from the caller's.
    async fn run<T, F, Fut>(&self, f: F) -> Result<T, LedgerError>
    where
        T: Send + 'static,
        F: FnOnce(Arc<Reader>) -> Fut,
        Fut: Future<Output = Result<T, LedgerError>> + Send + 'static,
    {
        self.inner
            .handle
            .spawn(f(self.inner.reader.clone()))
            .await
            .map_err(|e| LedgerError::Failed(format!("ledger read task failed: {e}")))?
    }

    /// Runs a read on the ledger's runtime and blocks this thread until it is done.
    fn block<T, F, Fut>(&self, f: F) -> Result<T, LedgerError>
    where
        T: Send + 'static,
        F: FnOnce(Arc<Reader>) -> Fut,
        Fut: Future<Output = Result<T, LedgerError>> + Send + 'static,
    {
        block_on(&self.inner.handle, f(self.inner.reader.clone()))
    }

    pub(crate) fn config(&self) -> &LedgerConfig {
        &self.inner.config
    }

    pub(crate) async fn append_with_private(
        &self,
        entry: &Entry,
        private: &[u8],
    ) -> Result<u64, LedgerError> {
        if private.len() > MAX_PRIVATE_SIZE {
            return Err(LedgerError::Config(format!(
                "private record of {} bytes exceeds {MAX_PRIVATE_SIZE}",
                private.len()
            )));
        }
        let data = entry.encode()?;
        let (reply, rx) = oneshot::channel();
        let pending = Pending {
            data,
            private: private.to_vec(),
            request_id: (!entry.request_id.is_empty()).then(|| entry.request_id.clone()),
            reply,
        };
        self.inner
            .tx
            .send(pending)
            .await
            .map_err(|_| LedgerError::Failed("ledger sequencer stopped".into()))?;
        rx.await
            .map_err(|_| LedgerError::Failed("ledger sequencer stopped".into()))?
    }

    /// After a sequencing failure: ask the database whether it answers again, and if so accept
    /// appends (nothing to repair: a failed statement was rolled back as a whole).
    pub(crate) async fn recover(&self) -> Result<bool, LedgerError> {
        let Some(why) = self.inner.status.failure() else {
            return Ok(false);
        };
        self.run(|r| async move {
            sqlx::query("SELECT 1")
                .execute(&r.pool)
                .await
                .map_err(db("ping"))
        })
        .await
        .map_err(|e| LedgerError::Failed(format!("{e}; failed because: {why}")))?;
        self.inner.status.set_failure(None);
        Ok(true)
    }

    pub(crate) fn health(&self) -> Health {
        match self.inner.status.failure() {
            Some(why) => Health::Failed(why),
            None => Health::Ok,
        }
    }

    pub(crate) fn commit_count(&self) -> u64 {
        self.inner.status.commits.load(Ordering::Relaxed)
    }

    fn head(&self) -> Result<Head, LedgerError> {
        let h = self.block(|r| async move { r.head().await })?;
        self.inner.status.seen(h.size, h.root);
        Ok(h)
    }

    pub(crate) fn size(&self) -> u64 {
        match self.head() {
            Ok(h) => h.size,
            Err(_) => self.inner.status.size.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn root(&self) -> Hash {
        match self.head() {
            Ok(h) => h.root,
            Err(_) => *self
                .inner
                .status
                .root
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
        }
    }

    pub(crate) fn root_at(&self, size: u64) -> Result<Hash, LedgerError> {
        self.block(move |r| async move { r.root_at(size).await })
    }

    pub(crate) fn lookup(&self, request_id: &str) -> Option<u64> {
        let id = request_id.to_owned();
        match self.block(|r| async move { r.lookup(&id).await }) {
            Ok(found) => found,
            Err(e) => {
                tracing::error!(error = %e, "cannot look up a request id in the shared ledger");
                None
            }
        }
    }

    /// [`PgLedger::lookup`] awaited on the caller's runtime, with the database's error.
    pub(crate) async fn find_request(&self, request_id: &str) -> Result<Option<u64>, LedgerError> {
        let id = request_id.to_owned();
        self.run(|r| async move { r.lookup(&id).await }).await
    }

    /// [`PgLedger::tile`] awaited on the caller's runtime.
    pub(crate) async fn fetch_tile(&self, path: TilePath) -> Result<Vec<u8>, LedgerError> {
        self.run(move |r| async move { r.tile(path).await }).await
    }

    pub(crate) fn entry_bytes(&self, index: u64) -> Result<Vec<u8>, LedgerError> {
        self.block(move |r| async move { r.column(&r.sql.read_entry, index).await })
    }

    pub(crate) fn private_bytes(&self, index: u64) -> Result<Vec<u8>, LedgerError> {
        self.block(move |r| async move { r.column(&r.sql.read_private, index).await })
    }

    pub(crate) fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, LedgerError> {
        self.block(move |r| async move { r.inclusion_proof(index, size).await })
    }

    pub(crate) fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>, LedgerError> {
        self.block(move |r| async move { r.consistency_proof(old, new).await })
    }

    pub(crate) fn tile(&self, path: &TilePath) -> Result<Vec<u8>, LedgerError> {
        let path = *path;
        self.block(move |r| async move { r.tile(path).await })
    }

    /// The integrator's latest checkpoint. Before the first integration the log is empty, and
    /// its checkpoint (size 0) is signed here: no entry can be missing from an empty tree.
    pub(crate) fn latest_checkpoint(&self) -> Result<(u64, String), LedgerError> {
        let h = self.head()?;
        if !h.note.is_empty() {
            return Ok((h.size, h.note));
        }
        let cp = Checkpoint {
            origin: self.inner.config.origin.clone(),
            size: 0,
            root: merkle::empty_root(),
            extensions: Vec::new(),
        };
        Ok((0, cp.sign(&self.inner.config.signer)?))
    }

    /// Waits (polling the checkpoint row every 20 ms) until a checkpoint covers `size` entries;
    /// `false` if `timeout` passed first.
    pub async fn wait_integrated(&self, size: u64, timeout: Duration) -> Result<bool, LedgerError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let h = self.run(|r| async move { r.head().await }).await?;
            self.inner.status.seen(h.size, h.root);
            if h.size >= size {
                return Ok(true);
            }
            if tokio::time::Instant::now() >= deadline {
                return Ok(false);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Whether this replica is the integrator now, and its lock connection's backend pid.
    pub fn integrator(&self) -> Option<i32> {
        let s = &self.inner.status;
        s.leader
            .load(Ordering::SeqCst)
            .then(|| s.leader_pid.load(Ordering::SeqCst) as i32)
    }

    /// Full hash tiles in this replica's cache (at most [`PostgresOptions::tile_cache`]).
    pub fn cached_tiles(&self) -> usize {
        self.inner.reader.cache.len()
    }

    /// The current election epoch in the database (bumped at every election).
    pub async fn epoch(&self) -> Result<i64, LedgerError> {
        self.run(|r| async move { r.head().await.map(|h| h.epoch) })
            .await
    }
}

/// Creates the schema and tables (once, under an advisory lock, since concurrent `CREATE … IF
/// NOT EXISTS` can collide), and checks this replica signs with the key the log was started
/// with: replicas with different keys would publish checkpoints no verifier accepts together.
async fn prepare_schema(
    options: &PostgresOptions,
    connect: &PgConnectOptions,
    sql: &Sql,
    config: &LedgerConfig,
) -> Result<PgPool, LedgerError> {
    let pool = PgPoolOptions::new()
        .max_connections(options.pool_size.max(2))
        .connect_with(connect.clone())
        .await
        .map_err(db("connect"))?;
    let mut tx = pool.begin().await.map_err(db("migrate"))?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(lock_key("migrate", &options.schema))
        .execute(&mut *tx)
        .await
        .map_err(db("migrate"))?;
    for statement in sql.migration() {
        sqlx::query(&statement)
            .execute(&mut *tx)
            .await
            .map_err(db("migrate"))?;
    }
    let key = config.signer.verifier().to_string();
    let s = format!("\"{}\"", options.schema);
    sqlx::query(&format!(
        "INSERT INTO {s}.checkpoint (id, epoch, size, root, note, log_key, origin) \
         VALUES (0, 0, 0, $1, '', $2, $3) ON CONFLICT DO NOTHING"
    ))
    .bind(merkle::empty_root().to_vec())
    .bind(&key)
    .bind(&config.origin)
    .execute(&mut *tx)
    .await
    .map_err(db("migrate"))?;
    let row = sqlx::query(&format!(
        "SELECT log_key, origin FROM {s}.checkpoint WHERE id = 0"
    ))
    .fetch_one(&mut *tx)
    .await
    .map_err(db("migrate"))?;
    let log_key: String = row.try_get(0).map_err(db("migrate"))?;
    let origin: String = row.try_get(1).map_err(db("migrate"))?;
    let mismatch = || {
        LedgerError::Config(format!(
            "the shared ledger in schema {} is the log {origin:?} with key {log_key}, but this replica has \
             {:?} with key {key}: every replica needs the same ledger keys (copy log.key, digest.key and \
             commit.key from the first replica) and the same ledger_origin; to rotate the log key, start one \
             replica with the new key and ledger_postgres_rotate_from = the old key (docs/ledger.md)",
            options.schema, config.origin
        ))
    };
    if origin != config.origin {
        return Err(mismatch());
    }
    if log_key != key {
        match options.rotate_from.as_deref().map(str::trim) {
            Some(old) if old == log_key => {
                rotate_log_key(&mut tx, &s, &log_key, &key, config).await?
            }
            Some(old) => {
                return Err(LedgerError::Config(format!(
                    "ledger_postgres_rotate_from is {old}, but the shared ledger in schema {} is signed with \
                     {log_key}: nothing was rotated (name the log's current key to retire it)",
                    options.schema
                )));
            }
            None => return Err(mismatch()),
        }
    }
    // At startup too, so a replica whose witness list shrank drops the retired rows without waiting for a
    // cosignature to arrive.
    cosignatures::prune_retired(
        &mut tx,
        &sql.cosign,
        &config.witnesses,
        options.retired_witness_grace,
    )
    .await?;
    tx.commit().await.map_err(db("migrate"))?;
    Ok(pool)
}

/// Retires the log key `old` for `new` (this replica's), in the caller's transaction: the current tree head is
/// re-signed with the new key (the tree itself continues unchanged; nothing earlier is re-signed), the epoch is
/// bumped so an integrator elected under the old key can publish nothing more (its writes also name the key),
/// the old key is recorded in `retired_log_keys`, and cosignatures, which witnesses gave on old-key checkpoints
/// and which cannot be served under the new key, are dropped with the witness round, as the file backend drops
/// them at a rotation.
async fn rotate_log_key(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    s: &str,
    old: &str,
    new: &str,
    config: &LedgerConfig,
) -> Result<(), LedgerError> {
    // A retired key may have been retired because it leaked: it never signs for this log again.
    let reused: bool = sqlx::query_scalar(&format!(
        "SELECT EXISTS (SELECT 1 FROM {s}.retired_log_keys WHERE log_key = $1)"
    ))
    .bind(new)
    .fetch_one(&mut **tx)
    .await
    .map_err(db("rotate the log key"))?;
    if reused {
        return Err(LedgerError::Config(format!(
            "the log key {new} was retired from this log before: generate a new one"
        )));
    }
    let row = sqlx::query(&format!(
        "SELECT size, root, note FROM {s}.checkpoint WHERE id = 0 FOR UPDATE"
    ))
    .fetch_one(&mut **tx)
    .await
    .map_err(db("rotate the log key"))?;
    let size: i64 = row.try_get(0).map_err(db("rotate the log key"))?;
    let root: Vec<u8> = row.try_get(1).map_err(db("rotate the log key"))?;
    let note: String = row.try_get(2).map_err(db("rotate the log key"))?;
    // An empty note: nothing was integrated yet, and the empty tree's checkpoint is signed when served.
    let resigned = if note.is_empty() {
        String::new()
    } else {
        Checkpoint {
            origin: config.origin.clone(),
            size: to_u64(size)?,
            root: to_hash(&root)?,
            extensions: Vec::new(),
        }
        .sign(&config.signer)?
    };
    sqlx::query(&format!(
        "UPDATE {s}.checkpoint SET log_key = $1, note = $2, epoch = epoch + 1 WHERE id = 0"
    ))
    .bind(new)
    .bind(&resigned)
    .execute(&mut **tx)
    .await
    .map_err(db("rotate the log key"))?;
    sqlx::query(&format!(
        "INSERT INTO {s}.retired_log_keys (log_key, successor, size, root) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (log_key) DO NOTHING"
    ))
    .bind(old)
    .bind(new)
    .bind(size)
    .bind(&root)
    .execute(&mut **tx)
    .await
    .map_err(db("rotate the log key"))?;
    for table in ["cosignatures", "witness_round"] {
        sqlx::query(&format!("DELETE FROM {s}.{table}"))
            .execute(&mut **tx)
            .await
            .map_err(db("rotate the log key"))?;
    }
    tracing::warn!(
        retired = old,
        key = new,
        size,
        "rotated the shared ledger's log key: restart every replica with the new key, and publish it"
    );
    Ok(())
}

/// This replica's sequencer: group commit into the `entries` table.
async fn sequencer(
    pool: PgPool,
    sql: Arc<Sql>,
    mut rx: mpsc::Receiver<Pending>,
    status: Arc<Status>,
    max_batch: usize,
) {
    let mut batch: Vec<Pending> = Vec::with_capacity(max_batch);
    while let Some(first) = rx.recv().await {
        batch.push(first);
        while batch.len() < max_batch {
            match rx.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let data = batch
            .iter_mut()
            .map(|p| std::mem::take(&mut p.data))
            .collect();
        let private = batch
            .iter_mut()
            .map(|p| std::mem::take(&mut p.private))
            .collect();
        let ids = batch.iter_mut().map(|p| p.request_id.take()).collect();
        match sequence_batch(&pool, &sql, data, private, ids).await {
            Ok(start) => {
                status.commits.fetch_add(1, Ordering::Relaxed);
                if status.failure().is_some() {
                    status.set_failure(None);
                }
                for (i, p) in batch.drain(..).enumerate() {
                    let _ = p.reply.send(Ok(start + i as u64));
                }
            }
            Err(e) => {
                // The statement is its own transaction: it committed entirely or not at all,
                // except when the connection broke during the commit, and then nobody was
                // told the entries are in (an unacknowledged entry in the log is harmless).
                let why = e.to_string();
                status.set_failure(Some(why.clone()));
                for p in batch.drain(..) {
                    let _ = p.reply.send(Err(LedgerError::Failed(why.clone())));
                }
            }
        }
    }
}

/// Owned arrays: borrowed ones make the future's `Send` depend on higher-ranked lifetimes that
/// sqlx's executor cannot prove.
async fn sequence_batch(
    pool: &PgPool,
    sql: &Sql,
    data: Vec<Vec<u8>>,
    private: Vec<Vec<u8>>,
    ids: Vec<Option<String>>,
) -> Result<u64, LedgerError> {
    let n = i64::try_from(data.len()).map_err(|_| LedgerError::Config("batch too large".into()))?;
    let start: i64 = sqlx::query_scalar(&sql.sequence)
        .bind(n)
        .bind(data)
        .bind(private)
        .bind(ids)
        .fetch_one(pool)
        .await
        .map_err(db("sequence entries"))?;
    to_u64(start)
}

/// The right edge of the tree: for each tile level `L`, the hashes of the tile being filled
/// (index `(size >> 8L) / 256`, `(size >> 8L) % 256` hashes). This is all the integrator holds:
/// every node of the root's decomposition lies in these tiles.
#[derive(Clone, Debug, Default)]
struct Edge {
    size: u64,
    tiles: Vec<Vec<Hash>>,
}

/// What one integration round changes.
#[derive(Default)]
struct Dirty {
    /// Tiles that became full: (level, index, hashes).
    full: Vec<(u8, u64, Vec<Hash>)>,
    /// Levels whose partial tile changed.
    partial: BTreeSet<u8>,
}

impl Edge {
    fn push(&mut self, leaf: Hash, dirty: &mut Dirty) {
        let old = self.size;
        self.size += 1;
        let mut h = leaf;
        let mut level = 0usize;
        loop {
            if self.tiles.len() <= level {
                self.tiles
                    .push(Vec::with_capacity(tiles::TILE_WIDTH as usize));
            }
            let index = (old >> (8 * level)) / tiles::TILE_WIDTH;
            let tile = &mut self.tiles[level];
            tile.push(h);
            if (tile.len() as u64) < tiles::TILE_WIDTH {
                dirty.partial.insert(level as u8);
                return;
            }
            let done = std::mem::replace(tile, Vec::with_capacity(tiles::TILE_WIDTH as usize));
            h = tiles::fold_complete(&done);
            dirty.full.push((level as u8, index, done));
            level += 1;
        }
    }

    fn store(&self) -> Result<TileStore, LedgerError> {
        let mut store = TileStore::new();
        for (l, t) in self.tiles.iter().enumerate() {
            if t.is_empty() {
                continue;
            }
            let index = (self.size >> (8 * l)) / tiles::TILE_WIDTH;
            let bytes: Vec<u8> = t.iter().flatten().copied().collect();
            store.insert(&TilePath::hash(l as u8, index, t.len() as u16), &bytes)?;
        }
        Ok(store)
    }

    fn root(&self) -> Result<Hash, LedgerError> {
        Ok(merkle::root_hash(&mut self.store()?, self.size)?)
    }

    /// The tiles to write after a round: the full ones and the changed partial ones.
    fn writes(&self, dirty: Dirty) -> Vec<(i16, u64, Vec<u8>)> {
        let mut out: Vec<(i16, u64, Vec<u8>)> = dirty
            .full
            .into_iter()
            .map(|(l, i, t)| (i16::from(l), i, t.concat()))
            .collect();
        for l in dirty.partial {
            let Some(t) = self.tiles.get(usize::from(l)).filter(|t| !t.is_empty()) else {
                continue;
            };
            let index = (self.size >> (8 * u32::from(l))) / tiles::TILE_WIDTH;
            out.push((i16::from(l), index, t.concat()));
        }
        out
    }
}

/// One integration round, computed but not yet published.
pub struct Round {
    base_size: u64,
    base_root: Hash,
    edge: Edge,
    root: Hash,
    note: String,
    tiles: Vec<(i16, u64, Vec<u8>)>,
    index: Vec<(String, u64)>,
}

impl Round {
    /// Tree size this round publishes.
    pub fn size(&self) -> u64 {
        self.edge.size
    }
}

/// The integrator's side: election, rounds, fenced publication. [`PgLedger`] runs one in a
/// loop when [`PostgresOptions::integrate`] is set; tests drive it step by step.
pub struct Integrator {
    pool: PgPool,
    connect: PgConnectOptions,
    sql: Arc<Sql>,
    config: LedgerConfig,
    lock_key: i64,
    /// This replica's log key as the checkpoint row names it: elections and publications require it.
    log_key: String,
    max_integrate: usize,
    lock: Option<PgConnection>,
    /// Subscribed to the sequencers' channel while elected; `None` when it could not be set up
    /// (then the integrator polls).
    listener: Option<PgListener>,
    epoch: i64,
    edge: Edge,
    root: Hash,
}

impl Integrator {
    /// Connects to the ledger in `options.schema` (which [`crate::Ledger::open_postgres`]
    /// created). Not elected yet.
    pub async fn connect(
        options: &PostgresOptions,
        config: LedgerConfig,
    ) -> Result<Integrator, LedgerError> {
        let connect = connect_options(&options.url)?;
        // Reads and publication share one connection at a time; the listener holds another.
        let pool = PgPoolOptions::new()
            .max_connections(3)
            .connect_with(connect.clone())
            .await
            .map_err(db("connect"))?;
        Ok(Integrator {
            pool,
            connect,
            sql: Arc::new(Sql::new(&options.schema)),
            log_key: config.signer.verifier().to_string(),
            config,
            lock_key: lock_key("integrator", &options.schema),
            max_integrate: options.max_integrate.max(1),
            lock: None,
            listener: None,
            epoch: 0,
            edge: Edge::default(),
            root: merkle::empty_root(),
        })
    }

    /// The election epoch this integrator won (0 before it won one).
    pub fn epoch(&self) -> i64 {
        self.epoch
    }

    /// Whether this integrator holds the lock (as far as it knows).
    pub fn is_leader(&self) -> bool {
        self.lock.is_some()
    }

    /// Backend pid of the lock connection (to cut it in tests), when elected.
    pub async fn lock_pid(&mut self) -> Option<i32> {
        let c = self.lock.as_mut()?;
        sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(c)
            .await
            .ok()
    }

    /// Tries to become the integrator: takes the advisory lock on a new connection, then bumps
    /// the epoch (fencing off any earlier leader's unfinished publication) and loads the tree's
    /// right edge, checking it against the checkpoint. `false`: another replica holds the lock.
    pub async fn elect(&mut self) -> Result<bool, LedgerError> {
        if self.lock.is_some() {
            return Ok(true);
        }
        let mut conn = PgConnection::connect_with(&self.connect)
            .await
            .map_err(db("connect for the integrator lock"))?;
        let won: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(self.lock_key)
            .fetch_one(&mut conn)
            .await
            .map_err(db("take the integrator lock"))?;
        if !won {
            let _ = conn.close().await;
            return Ok(false);
        }
        let Some(row) = sqlx::query(&self.sql.bump_epoch)
            .bind(&self.log_key)
            .fetch_optional(&self.pool)
            .await
            .map_err(db("bump the epoch"))?
        else {
            // Dropping `conn` ends its session and releases the lock for a replica with the log's key.
            return Err(LedgerError::Config(format!(
                "this replica's log key {} is not the shared ledger's (rotated?): it cannot integrate",
                self.log_key
            )));
        };
        let epoch: i64 = row.try_get(0).map_err(db("bump the epoch"))?;
        let size = to_u64(row.try_get(1).map_err(db("bump the epoch"))?)?;
        let root = to_hash(&row.try_get::<Vec<u8>, _>(2).map_err(db("bump the epoch"))?)?;
        let edge = self.load_edge(size).await?;
        let rebuilt = edge.root()?;
        if rebuilt != root {
            return Err(LedgerError::Corrupt(format!(
                "the tiles of the shared ledger do not give the checkpoint's root at size {size}"
            )));
        }
        tracing::info!(epoch, size, "elected the shared ledger's integrator");
        // Subscribed before the first round reads: a batch committed after this wakes the
        // integrator, one committed before is read by that round.
        self.listener = self.listen().await;
        self.lock = Some(conn);
        self.epoch = epoch;
        self.edge = edge;
        self.root = root;
        Ok(true)
    }

    async fn load_edge(&self, size: u64) -> Result<Edge, LedgerError> {
        let mut paths = Vec::new();
        for l in 0..8u8 {
            let count = size >> (8 * u32::from(l));
            if count == 0 {
                break;
            }
            let width = (count % tiles::TILE_WIDTH) as u16;
            if width > 0 {
                paths.push(TilePath::hash(l, count / tiles::TILE_WIDTH, width));
            }
        }
        let reader = Reader {
            pool: self.pool.clone(),
            sql: self.sql.clone(),
            cache: TileCache {
                cap: 0,
                inner: Mutex::default(),
            },
        };
        let mut store = reader.tiles(&paths).await?;
        let mut edge = Edge {
            size,
            tiles: Vec::new(),
        };
        for l in 0..8u8 {
            let count = size >> (8 * u32::from(l));
            if count == 0 {
                break;
            }
            let width = count % tiles::TILE_WIDTH;
            let start = (count / tiles::TILE_WIDTH) * tiles::TILE_WIDTH;
            let mut t = Vec::with_capacity(tiles::TILE_WIDTH as usize);
            for i in 0..width {
                t.push(merkle::NodeSource::node(
                    &mut store,
                    u32::from(l) * tiles::TILE_HEIGHT,
                    start + i,
                )?);
            }
            edge.tiles.push(t);
        }
        Ok(edge)
    }

    /// Gives up the lock (closing its connection) and forgets the tree.
    pub async fn step_down(&mut self) {
        if let Some(c) = self.lock.take() {
            let _ = c.close().await;
        }
        self.listener = None;
        self.edge = Edge::default();
    }

    async fn listen(&self) -> Option<PgListener> {
        let subscribed = async {
            let mut l = PgListener::connect_with(&self.pool).await?;
            l.listen(&self.sql.channel).await?;
            Ok::<_, sqlx::Error>(l)
        };
        match subscribed.await {
            Ok(l) => Some(l),
            Err(e) => {
                tracing::warn!(error = %e, "ledger integrator cannot listen for sequenced entries; polling");
                None
            }
        }
    }

    /// Waits until a sequencer's notification says a batch was committed, or `fallback` has
    /// passed: the poll that covers notifications lost while the listening connection was down
    /// (PostgreSQL does not keep them). `true` when a notification woke it. Notifications
    /// already queued are consumed with it, since the next round reads every committed entry.
    pub async fn wait_for_entries(&mut self, fallback: Duration) -> bool {
        let wait = async {
            if self.listener.is_none() {
                self.listener = self.listen().await;
            }
            let Some(l) = self.listener.as_mut() else {
                return std::future::pending().await;
            };
            match l.try_recv().await {
                Ok(Some(_)) => {
                    // Bounded, so a steady stream of batches cannot keep the round from running.
                    for _ in 0..1024 {
                        let next = tokio::time::timeout(Duration::ZERO, l.try_recv()).await;
                        if !matches!(next, Ok(Ok(Some(_)))) {
                            break;
                        }
                    }
                    true
                }
                // The connection was lost; the next wait reconnects and subscribes again.
                Ok(None) => false,
                Err(e) => {
                    tracing::warn!(error = %e, "ledger integrator lost its notifications; polling");
                    self.listener = None;
                    std::future::pending().await
                }
            }
        };
        tokio::time::timeout(fallback, wait).await.unwrap_or(false)
    }

    /// Reads the entries sequenced past the tree and computes the next checkpoint, its tiles and
    /// its request index, without writing anything. `None` when there is nothing new.
    pub async fn prepare(&mut self) -> Result<Option<Round>, LedgerError> {
        if self.lock.is_none() {
            return Err(LedgerError::Fenced("not elected".into()));
        }
        let rows = sqlx::query(&self.sql.read_entries)
            .bind(to_i64(self.edge.size)?)
            .bind(to_i64(self.max_integrate as u64)?)
            .fetch_all(&self.pool)
            .await
            .map_err(db("read sequenced entries"))?;
        if rows.is_empty() {
            return Ok(None);
        }
        let mut edge = self.edge.clone();
        let mut dirty = Dirty::default();
        let mut index: Vec<(String, u64)> = Vec::new();
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        for r in rows {
            let idx = to_u64(r.try_get(0).map_err(db("read sequenced entries"))?)?;
            if idx != edge.size {
                return Err(LedgerError::Corrupt(format!(
                    "sequenced entries jump from {} to {idx}",
                    edge.size
                )));
            }
            let data: Vec<u8> = r.try_get(1).map_err(db("read sequenced entries"))?;
            let rid: Option<String> = r.try_get(2).map_err(db("read sequenced entries"))?;
            edge.push(merkle::leaf_hash(&data), &mut dirty);
            if let Some(rid) = rid
                && seen.insert(rid.clone())
            {
                index.push((rid, idx));
            }
        }
        let root = edge.root()?;
        let note = Checkpoint {
            origin: self.config.origin.clone(),
            size: edge.size,
            root,
            extensions: Vec::new(),
        }
        .sign(&self.config.signer)?;
        let tiles = edge.writes(dirty);
        Ok(Some(Round {
            base_size: self.edge.size,
            base_root: self.root,
            edge,
            root,
            note,
            tiles,
            index,
        }))
    }

    /// Publishes `round` in one transaction, fenced: the checkpoint row must still carry this
    /// integrator's epoch and the tree the round was built on, or nothing is written.
    pub async fn publish(&mut self, round: Round) -> Result<u64, LedgerError> {
        let mut tx = self.pool.begin().await.map_err(db("publish"))?;
        let row = sqlx::query(&self.sql.lock_checkpoint)
            .fetch_one(&mut *tx)
            .await
            .map_err(db("publish"))?;
        let epoch: i64 = row.try_get(0).map_err(db("publish"))?;
        let size = to_u64(row.try_get(1).map_err(db("publish"))?)?;
        let root = to_hash(&row.try_get::<Vec<u8>, _>(2).map_err(db("publish"))?)?;
        if epoch != self.epoch || size != round.base_size || root != round.base_root {
            // Dropping `tx` rolls back; nothing was written.
            return Err(LedgerError::Fenced(format!(
                "elected at epoch {} on size {}, but the log is at epoch {epoch}, size {size}",
                self.epoch, round.base_size
            )));
        }
        let levels: Vec<i16> = round.tiles.iter().map(|t| t.0).collect();
        let idxs = round
            .tiles
            .iter()
            .map(|t| to_i64(t.1))
            .collect::<Result<Vec<_>, _>>()?;
        let data: Vec<Vec<u8>> = round.tiles.into_iter().map(|t| t.2).collect();
        sqlx::query(&self.sql.write_tiles)
            .bind(levels)
            .bind(idxs)
            .bind(data)
            .execute(&mut *tx)
            .await
            .map_err(db("write tiles"))?;
        if !round.index.is_empty() {
            let at = round
                .index
                .iter()
                .map(|(_, i)| to_i64(*i))
                .collect::<Result<Vec<_>, _>>()?;
            let ids: Vec<String> = round.index.into_iter().map(|(r, _)| r).collect();
            sqlx::query(&self.sql.write_index)
                .bind(ids)
                .bind(at)
                .execute(&mut *tx)
                .await
                .map_err(db("write the request index"))?;
        }
        let moved = sqlx::query(&self.sql.write_checkpoint)
            .bind(to_i64(round.edge.size)?)
            .bind(round.root.to_vec())
            .bind(&round.note)
            .bind(self.epoch)
            .bind(&self.log_key)
            .execute(&mut *tx)
            .await
            .map_err(db("write the checkpoint"))?;
        if moved.rows_affected() != 1 {
            return Err(LedgerError::Fenced(
                "the checkpoint row moved (a newer epoch, or the log key was rotated)".into(),
            ));
        }
        tx.commit().await.map_err(db("publish"))?;
        self.root = round.root;
        self.edge = round.edge;
        Ok(self.edge.size)
    }

    /// One round while elected: checks the lock connection is alive, then prepares and
    /// publishes. Returns how many entries it integrated.
    pub async fn round(&mut self) -> Result<u64, LedgerError> {
        let Some(lock) = self.lock.as_mut() else {
            return Err(LedgerError::Fenced("not elected".into()));
        };
        sqlx::query("SELECT 1")
            .execute(lock)
            .await
            .map_err(db("check the integrator lock connection"))?;
        let before = self.edge.size;
        match self.prepare().await? {
            Some(round) => Ok(self.publish(round).await? - before),
            None => Ok(0),
        }
    }
}

async fn integrator_loop(options: PostgresOptions, config: LedgerConfig, status: Arc<Status>) {
    let mut integrator: Option<Integrator> = None;
    loop {
        let Some(i) = integrator.as_mut() else {
            match Integrator::connect(&options, config.clone()).await {
                Ok(i) => integrator = Some(i),
                Err(e) => {
                    tracing::warn!(error = %e, "ledger integrator cannot connect");
                    tokio::time::sleep(options.election_interval).await;
                }
            }
            continue;
        };
        if !i.is_leader() {
            match i.elect().await {
                Ok(true) => {
                    let pid = i.lock_pid().await.unwrap_or(0);
                    status.leader_pid.store(i64::from(pid), Ordering::SeqCst);
                    status.epoch.store(i.epoch(), Ordering::SeqCst);
                    status.leader.store(true, Ordering::SeqCst);
                }
                Ok(false) => tokio::time::sleep(options.election_interval).await,
                Err(e) => {
                    tracing::warn!(error = %e, "ledger integrator election failed");
                    i.step_down().await;
                    tokio::time::sleep(options.election_interval).await;
                }
            }
            continue;
        }
        match i.round().await {
            Ok(0) => {
                i.wait_for_entries(options.integrate_interval).await;
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "ledger integrator stepping down");
                status.leader.store(false, Ordering::SeqCst);
                i.step_down().await;
                tokio::time::sleep(options.election_interval).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edge_matches_the_in_memory_tree_at_every_size() {
        let mut tree = merkle::MerkleTree::new();
        let mut edge = Edge::default();
        let mut written: HashMap<(i16, u64), Vec<u8>> = HashMap::new();
        for i in 0..70_000u32 {
            let leaf = merkle::leaf_hash(&i.to_be_bytes());
            tree.push_leaf_hash(leaf);
            let mut dirty = Dirty::default();
            edge.push(leaf, &mut dirty);
            for (l, idx, data) in edge.writes(dirty) {
                written.insert((l, idx), data);
            }
            if i % 997 == 0 || i == 69_999 || i % 256 == 255 {
                assert_eq!(edge.root().unwrap(), tree.root(), "size {}", i + 1);
            }
        }
        // What was written is exactly the tlog-tiles the in-memory tree serves.
        for ((l, idx), data) in written {
            let p = TilePath::for_tree_size(TileKind::Hash(l as u8), idx, tree.size()).unwrap();
            assert_eq!(
                tiles::hash_tile_bytes(&mut &tree, &p).unwrap(),
                data,
                "tile {p}"
            );
        }
    }

    #[test]
    fn schema_names() {
        for ok in ["haetae_ledger", "_x", "t1"] {
            assert!(valid_schema(ok), "{ok}");
        }
        for bad in ["", "1x", "a-b", "A", "x\"; drop", &"a".repeat(64)] {
            assert!(!valid_schema(bad), "{bad}");
        }
    }

    #[test]
    fn tile_cache_is_bounded() {
        let c = TileCache {
            cap: 3,
            inner: Mutex::default(),
        };
        for i in 0..10 {
            c.put((0, i), Arc::new(vec![0u8; 8]));
        }
        assert_eq!(c.len(), 3);
        assert!(c.get((0, 9)).is_some());
        assert!(c.get((0, 0)).is_none());
    }
}
