//! Durable, append-only ledger storage with group commit.
//!
//! ## Files (in the ledger directory)
//! * `entries.log` — 16-byte header `haetae-ledger/v2`, then one record per entry:
//!   `u32 BE entry length || u32 BE private length || entry bytes || private bytes || checksum`,
//!   the checksum being the first 8 bytes of `SHA-256(leaf hash || private bytes)`. The private
//!   bytes are the entry's [`crate::commit::PrivateRecord`] (the clear values behind its
//!   commitments): written with the entry, in the same `fdatasync`, and never served, so the
//!   request path pays one fsync for both. A `haetae-ledger/v1` file (records
//!   `u32 length || entry || leaf hash prefix`, no private part) is rewritten as v2 on open.
//! * `checkpoint` — the latest signed checkpoint (replaced atomically). Besides serving it, it is
//!   a tripwire: on open, the recovered log must contain that checkpoint's tree exactly.
//! * `LOCK` — advisory lock so two processes never append to the same log.
//! * `cosignatures.json` — witnesses' cosignatures on our checkpoints (see [`crate::cosignatures`]).
//! * `derived/` — data computed from `entries.log`, kept on disk so the ledger's memory does not grow
//!   with the log: `level-NN` (the Merkle tree's node hashes, one fixed-size file per level, see
//!   [`crate::derived`]), `locations` (each entry's offset and length in `entries.log`) and
//!   `request-ids.NN` (the request-id index, see [`crate::request_index`]). Deleting the directory is
//!   always safe: the next open rebuilds it.
//!
//! ## Group commit
//! [`Ledger::append`] encodes and hashes the entry on the caller's task, then sends it over a
//! bounded channel (a full channel makes `append` wait: back-pressure, never drops). A dedicated
//! writer thread takes everything queued (up to `max_batch`), writes it with one `write`, calls
//! `fdatasync` once, then writes the batch's derived records (node hashes, locations, request ids;
//! page-cache writes, no fsync), and only then raises the tree size readers see and wakes every
//! waiter with its leaf index. Blocking file I/O therefore never runs on the async runtime. What
//! stays in memory is constant: the tree's right edge (one hash per level), its size and root, a
//! bounded cache of node hashes, and file handles.
//!
//! ## Crash safety
//! * An append is acknowledged only after the fsync covering it returned, so acknowledged entries
//!   survive a crash.
//! * Records are written strictly in order at the end of the file; a crash can leave at most a
//!   torn suffix (a partial or unsynced record). On open, records are scanned and the first one
//!   whose length or checksum is bad marks the end; everything from there on is truncated (and the
//!   truncation fsync'd). Those bytes were never acknowledged, since the fsync that would have
//!   acknowledged them never completed. To avoid silently eating mid-file corruption, a torn tail
//!   larger than one maximal batch is refused as corruption instead.
//! * The published tree size only ever covers fsync'd records, and checkpoints are signed from it,
//!   so no checkpoint ever covers an entry that could be lost: after any crash the recovered log
//!   extends every checkpoint ever published, i.e. the log never forks. The persisted checkpoint
//!   is re-verified against the rebuilt tree on open.
//! * If any write or fsync fails, the ledger enters a permanent failed state (the on-disk tail
//!   is then unknown); every pending and later append fails immediately so the gateway can fail
//!   closed. Reopening runs recovery again.
//!
//! ## Crash consistency of the derived files
//! `entries.log` is the single source of truth; every file under `derived/` is a function of its
//! valid records and is never fsync'd, so the request path still pays exactly one `fdatasync` per
//! group commit. This is safe because of two rules:
//! * **Write order.** A batch's derived records are written only after its `fdatasync` returned,
//!   and the tree size that readers, proofs and checkpoints use is raised only after they are
//!   written. So while the process lives, the derived files always cover the published size, and a
//!   checkpoint is still signed only over durable entries. Records past the published size (from
//!   a batch whose derived write failed) are never read and are overwritten by the next batch.
//! * **Check everything on open.** After a crash the derived files may be behind the entries
//!   (writes lost with the page cache), torn (pages written back out of order), or ahead (records
//!   of a batch whose entries `recover` then cut off, or a log restored from an older copy). Open already reads
//!   every record of `entries.log` to verify its checksum; while doing so it recomputes each leaf
//!   hash, interior node and location and compares it with the derived file (sequential reads).
//!   From the first record that differs or is missing, that file is rewritten; past the last valid
//!   entry, it is truncated. Every request id is inserted again into the index (a probe that finds
//!   its slot already there writes nothing); tables that start beyond the entries are deleted and
//!   their slots beyond the entries are marked dropped, and a table with a damaged header is rebuilt
//!   with the tables after it. A lookup confirms every candidate against the entry itself, so even a
//!   stale slot can only cost a read. Open therefore costs what it cost when the whole tree was
//!   rebuilt in memory (one pass over the entries, about a second per million), but holds no more
//!   than one chunk of each file at a time.
//!
//! The old design rebuilt all node hashes into memory on open (≈ 64 bytes per entry, plus 12 for
//! the location and ~25 for the request-id index); the files above hold the same values on disk.

use crate::derived::Derived;
use crate::request_index::RequestIndex;
use std::fs::{File, OpenOptions};
use std::io::{BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use tokio::sync::{mpsc, oneshot};

use crate::cosignatures::{Book, CosignError, WitnessPolicy};
use crate::entry::{self, Entry, MAX_ENTRY_SIZE};
use crate::merkle::{self, Frontier, Hash};
use crate::note::{Checkpoint, NoteError, NoteSigner};
use crate::tiles::{self, TileError, TileKind, TilePath};

const MAGIC: &[u8; 16] = b"haetae-ledger/v2";
const MAGIC_V1: &[u8; 16] = b"haetae-ledger/v1";
const ENTRIES_FILE: &str = "entries.log";
const CHECKPOINT_FILE: &str = "checkpoint";
const LOCK_FILE: &str = "LOCK";
/// Per-record overhead: two u32 lengths + 8-byte checksum.
const RECORD_OVERHEAD: usize = 16;
/// Per-record overhead of a v1 file: u32 length + 8-byte checksum.
const RECORD_OVERHEAD_V1: usize = 12;
/// Largest private part of a record. A private record holds a few short values (ids, a bounded
/// detail); keeping it small keeps the bound on a torn tail (one batch) tight.
pub const MAX_PRIVATE_SIZE: usize = 4096;

/// Errors from the ledger.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("ledger I/O error ({context}): {source}")]
    Io {
        context: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("ledger directory is locked by another process")]
    Locked,
    #[error("ledger is corrupt: {0}")]
    Corrupt(String),
    #[error("ledger has failed and refuses appends: {0}")]
    Failed(String),
    #[error(transparent)]
    Encode(#[from] entry::EncodeError),
    #[error(transparent)]
    Decode(#[from] entry::DecodeError),
    #[error(transparent)]
    Proof(#[from] merkle::ProofError),
    #[error(transparent)]
    Tile(#[from] TileError),
    #[error(transparent)]
    Note(#[from] NoteError),
    #[error("no entry for request id {0:?}")]
    NotFound(String),
    #[error("cosignature refused: {0}")]
    Cosign(#[from] CosignError),
    #[error("invalid ledger configuration: {0}")]
    Config(String),
    #[error("ledger database error ({context}): {source}")]
    Database {
        context: &'static str,
        #[source]
        source: sqlx::Error,
    },
    /// A PostgreSQL integrator that is no longer the elected one tried to publish: nothing of
    /// its round was written (see [`crate::postgres`]).
    #[error("integrator fenced off, nothing published: {0}")]
    Fenced(String),
}

fn io(context: &'static str) -> impl FnOnce(std::io::Error) -> LedgerError {
    move |source| LedgerError::Io { context, source }
}

/// Ledger configuration.
#[derive(Debug, Clone)]
pub struct LedgerConfig {
    /// Checkpoint origin line (by convention the log key's name, e.g. `haetae.example.kr/ledger`).
    pub origin: String,
    /// Log signing key (signature type 0x01).
    pub signer: NoteSigner,
    /// Capacity of the append queue; a full queue makes `append` wait.
    pub queue_capacity: usize,
    /// Maximum entries per group commit.
    pub max_batch: usize,
    /// Fault injection for tests; leave as default in production.
    pub faults: FaultInjector,
    /// Witnesses whose cosignatures the log collects, and how many make a checkpoint count.
    pub witnesses: WitnessPolicy,
}

impl LedgerConfig {
    /// Defaults: origin = key name, queue 4096, batch 1024.
    pub fn new(signer: NoteSigner) -> Self {
        LedgerConfig {
            origin: signer.name().to_owned(),
            signer,
            queue_capacity: 4096,
            max_batch: 1024,
            faults: FaultInjector::default(),
            witnesses: WitnessPolicy::default(),
        }
    }
}

/// Test hook to make the storage layer fail like a broken disk. Cloning shares the switches.
#[derive(Debug, Clone, Default)]
pub struct FaultInjector {
    inner: Arc<FaultFlags>,
}

#[derive(Debug, Default)]
struct FaultFlags {
    fail_write: AtomicBool,
    torn_write: AtomicBool,
    fail_sync: AtomicBool,
    fail_derived: AtomicBool,
}

impl FaultInjector {
    /// Every later write fails without writing.
    pub fn fail_writes(&self, on: bool) {
        self.inner.fail_write.store(on, Ordering::SeqCst);
    }
    /// The next write writes only half its bytes, then fails (a torn write).
    pub fn torn_write(&self, on: bool) {
        self.inner.torn_write.store(on, Ordering::SeqCst);
    }
    /// Every later fsync fails.
    pub fn fail_syncs(&self, on: bool) {
        self.inner.fail_sync.store(on, Ordering::SeqCst);
    }
    /// Every later batch fails after its entries were made durable and all its derived records
    /// (node hashes, locations, request ids) were written: the worst moment for the derived files.
    pub fn fail_derived_writes(&self, on: bool) {
        self.inner.fail_derived.store(on, Ordering::SeqCst);
    }
}

/// Ledger health, for readiness checks: a failed ledger must make the gateway fail closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    Ok,
    Failed(String),
}

impl Health {
    pub fn is_ok(&self) -> bool {
        matches!(self, Health::Ok)
    }
}

struct Pending {
    record: Vec<u8>,
    entry_len: u32,
    leaf: Hash,
    request_id: String,
    reply: oneshot::Sender<Result<u64, LedgerError>>,
}

/// What the writer thread is asked to do.
enum Msg {
    Append(Pending),
    /// After a failure: cut the file back to its last acknowledged end, make that durable, and resume.
    Recover(oneshot::Sender<Result<bool, String>>),
}

/// The durable tree as readers see it. Everything else about it is on disk ([`Store`]).
struct State {
    size: u64,
    root: Hash,
}

/// The derived files: node hashes, entry locations, the request-id index. Readers read below
/// `State::size`; the writer writes at or beyond it and only then raises it.
pub(crate) struct Store {
    derived: Derived,
    index: RequestIndex,
}

impl Store {
    fn open(dir: &Path) -> Result<Store, LedgerError> {
        let derived = Derived::open(dir)?;
        let index = RequestIndex::open(&dir.join(crate::derived::DERIVED_DIR))?;
        Ok(Store { derived, index })
    }

    /// Root of the first `size` leaves of the tree of `tree_size` leaves (same errors as
    /// [`merkle::MerkleTree::root_at`]).
    fn root_at(&self, tree_size: u64, size: u64) -> Result<Hash, LedgerError> {
        if size > tree_size {
            return Err(merkle::ProofError::IndexOutOfRange {
                index: size,
                size: tree_size,
            }
            .into());
        }
        merkle::root_hash(&mut self.derived.tree(tree_size), size)
    }

    fn inclusion_proof(
        &self,
        tree_size: u64,
        index: u64,
        size: u64,
    ) -> Result<Vec<Hash>, LedgerError> {
        if size > tree_size || index >= size {
            return Err(merkle::ProofError::IndexOutOfRange { index, size }.into());
        }
        merkle::inclusion_proof(&mut self.derived.tree(tree_size), index, size)
    }

    fn consistency_proof(
        &self,
        tree_size: u64,
        old: u64,
        new: u64,
    ) -> Result<Vec<Hash>, LedgerError> {
        if old > new {
            return Err(merkle::ProofError::SizesReversed { old, new }.into());
        }
        if new > tree_size {
            return Err(merkle::ProofError::IndexOutOfRange {
                index: new,
                size: tree_size,
            }
            .into());
        }
        merkle::consistency_proof(&mut self.derived.tree(tree_size), old, new)
    }

    /// Location of entry `index` in the tree of `size` leaves.
    fn location(&self, size: u64, index: u64) -> Result<(u64, u32), LedgerError> {
        if index >= size {
            return Err(merkle::ProofError::IndexOutOfRange { index, size }.into());
        }
        self.derived.location(index)
    }
}

struct Shared {
    state: RwLock<State>,
    store: Store,
    failed: Mutex<Option<String>>,
    /// Group commits (write + fdatasync) completed since open; appends ÷ commits is the batching factor.
    commits: std::sync::atomic::AtomicU64,
}

impl Shared {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        // A panic while holding the lock cannot leave State half-updated in a way that matters
        // more than refusing service would, and the writer never panics while holding it.
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }
    fn write(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }
    fn failure(&self) -> Option<String> {
        self.failed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
    fn fail(&self, why: String) {
        let mut f = self.failed.lock().unwrap_or_else(|e| e.into_inner());
        if f.is_none() {
            tracing::error!(error = %why, "transparency ledger failed; refusing appends");
            *f = Some(why);
        }
    }
}

struct Inner {
    dir: PathBuf,
    config: LedgerConfig,
    tx: Option<mpsc::Sender<Msg>>,
    shared: Arc<Shared>,
    reader: File,
    writer: Option<std::thread::JoinHandle<()>>,
    checkpoint: Mutex<Option<(u64, String)>>,
    book: Mutex<Book>,
    _lock: File,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Closing the channel lets the writer finish the batch in hand and exit; joining it
        // releases the file before the lock, so the directory can be reopened at once.
        self.tx.take();
        if let Some(h) = self.writer.take() {
            let _ = h.join();
        }
    }
}

pub use crate::ledger::Ledger;

/// The local-file backend of [`Ledger`]. Cheap to clone (a handle); all clones share one log.
#[derive(Clone)]
pub(crate) struct FileLedger {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for FileLedger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("dir", &self.inner.dir)
            .field("size", &self.size())
            .finish_non_exhaustive()
    }
}

/// Write `bytes` to `path` atomically and durably: temp file, fsync, rename, fsync directory.
pub(crate) fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp_name = path.file_name().unwrap_or_default().to_owned();
    tmp_name.push(".tmp");
    let tmp = dir.join(tmp_name);
    {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    File::open(dir)?.sync_all()
}

/// Result of scanning the entries file.
struct Recovered {
    /// The tree of the valid records (its size and right edge; the nodes are in the derived files).
    frontier: Frontier,
    valid_end: u64,
    file_len: u64,
}

impl Recovered {
    fn size(&self) -> u64 {
        self.frontier.size()
    }
}

fn scan(file: &mut File, max_batch: usize, store: &mut Store) -> Result<Recovered, LedgerError> {
    scan_format(file, max_batch, store).map(|(r, _)| r)
}

/// Scans a v1 or v2 file, checking (and where needed rewriting) the derived files against every valid
/// record; also says whether it was v1.
fn scan_format(
    file: &mut File,
    max_batch: usize,
    store: &mut Store,
) -> Result<(Recovered, bool), LedgerError> {
    let file_len = file.metadata().map_err(io("stat entries file"))?.len();
    file.seek(SeekFrom::Start(0))
        .map_err(io("seek entries file"))?;
    // Stream the file: it can be hundreds of MiB, and only the tree needs to stay in memory.
    let mut r = BufReader::with_capacity(1 << 20, &*file);
    let mut magic = [0u8; 16];
    if read_full(&mut r, &mut magic)? != magic.len() || (&magic != MAGIC && &magic != MAGIC_V1) {
        return Err(LedgerError::Corrupt("bad entries file header".into()));
    }
    let v1 = &magic == MAGIC_V1;
    let (head_len, overhead) = if v1 {
        (4, RECORD_OVERHEAD_V1)
    } else {
        (8, RECORD_OVERHEAD)
    };
    let mut rebuild = store.derived.rebuild()?;
    let mut pos = MAGIC.len() as u64;
    let mut body = Vec::new();
    loop {
        let mut len_buf = [0u8; 8];
        let n = read_full(&mut r, &mut len_buf[..head_len])?;
        if n < head_len {
            break; // clean end (n == 0) or a torn length prefix
        }
        let len = u32::from_be_bytes([len_buf[0], len_buf[1], len_buf[2], len_buf[3]]) as usize;
        let private_len = if v1 {
            0
        } else {
            u32::from_be_bytes([len_buf[4], len_buf[5], len_buf[6], len_buf[7]]) as usize
        };
        if len > MAX_ENTRY_SIZE || private_len > MAX_PRIVATE_SIZE {
            break; // impossible length: torn or garbage tail
        }
        body.resize(len + private_len + 8, 0);
        if read_full(&mut r, &mut body)? < body.len() {
            break; // torn record
        }
        let (data, rest) = body.split_at(len);
        let (private, check) = rest.split_at(private_len);
        let leaf = merkle::leaf_hash(data);
        let expected = if v1 {
            leaf[..8].to_vec()
        } else {
            record_check(&leaf, private).to_vec()
        };
        if expected != check {
            break; // checksum mismatch: torn or never-synced write
        }
        let entry = Entry::decode(data).map_err(|e| {
            // Checksum matched, so these bytes were written as-is: not a torn write.
            LedgerError::Corrupt(format!("record at offset {pos} does not decode: {e}"))
        })?;
        let index = rebuild.push(leaf, (pos + head_len as u64, len as u32))?;
        if !entry.request_id.is_empty() {
            store.index.insert(&entry.request_id, index)?;
        }
        pos += (len + private_len + overhead) as u64;
    }
    let frontier = rebuild.finish()?;
    store.index.finish_open(frontier.size())?;
    let torn = file_len - pos;
    // At most one batch can be in flight when a crash happens, so a torn tail is bounded.
    let max_torn =
        max_batch.saturating_mul(MAX_ENTRY_SIZE + MAX_PRIVATE_SIZE + RECORD_OVERHEAD) as u64;
    if torn > max_torn {
        return Err(LedgerError::Corrupt(format!(
            "{torn} unreadable bytes at offset {pos}: more than one batch, refusing to truncate"
        )));
    }
    Ok((
        Recovered {
            frontier,
            valid_end: pos,
            file_len,
        },
        v1,
    ))
}

/// The v2 record checksum: it covers the private part too, so a torn private part is caught.
fn record_check(leaf: &Hash, private: &[u8]) -> [u8; 8] {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    h.update(leaf);
    h.update(private);
    let d = h.finalize();
    let mut out = [0u8; 8];
    out.copy_from_slice(&d[..8]);
    out
}

/// Rewrites a v1 entries file (already recovered: `rec` holds its valid records) as v2, with empty
/// private parts: temp file, fsync, rename, fsync directory, so a crash leaves one or the other.
fn upgrade_v1(
    dir: &Path,
    path: &Path,
    old: &File,
    rec: &Recovered,
    store: &Store,
) -> Result<(), LedgerError> {
    let tmp = dir.join("entries.log.v2-upgrade");
    let mut out = std::io::BufWriter::with_capacity(
        1 << 20,
        File::create(&tmp).map_err(io("create upgraded entries file"))?,
    );
    out.write_all(MAGIC)
        .map_err(io("write upgraded entries file"))?;
    let mut buf = Vec::new();
    for i in 0..rec.size() {
        let (off, len) = store.location(rec.size(), i)?;
        buf.resize(len as usize, 0);
        old.read_exact_at(&mut buf, off)
            .map_err(io("read v1 entries file"))?;
        let leaf = merkle::leaf_hash(&buf);
        out.write_all(&encode_record(&buf, &[], &leaf))
            .map_err(io("write upgraded entries file"))?;
    }
    let f = out
        .into_inner()
        .map_err(|e| io("write upgraded entries file")(e.into_error()))?;
    f.sync_all().map_err(io("sync upgraded entries file"))?;
    std::fs::rename(&tmp, path).map_err(io("replace entries file"))?;
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io("sync ledger directory"))?;
    tracing::info!(
        entries = rec.size(),
        "upgraded the ledger's entries file to format v2 (private records beside entries)"
    );
    Ok(())
}

/// Read until `buf` is full or EOF; returns the number of bytes read.
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> Result<usize, LedgerError> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io("read entries file")(e)),
        }
    }
    Ok(n)
}

fn encode_record(data: &[u8], private: &[u8], leaf: &Hash) -> Vec<u8> {
    let mut r = Vec::with_capacity(data.len() + private.len() + RECORD_OVERHEAD);
    r.extend_from_slice(&(data.len() as u32).to_be_bytes());
    r.extend_from_slice(&(private.len() as u32).to_be_bytes());
    r.extend_from_slice(data);
    r.extend_from_slice(private);
    r.extend_from_slice(&record_check(leaf, private));
    r
}

impl FileLedger {
    /// Open (creating if needed) the ledger in `dir`, recovering from any torn tail, and start
    /// the group-commit writer thread. Blocking: call from `spawn_blocking` or before serving.
    pub(crate) fn open(
        dir: impl AsRef<Path>,
        config: LedgerConfig,
    ) -> Result<FileLedger, LedgerError> {
        config.witnesses.validate().map_err(LedgerError::Config)?;
        let dir = dir.as_ref().to_owned();
        std::fs::create_dir_all(&dir).map_err(io("create ledger directory"))?;
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK_FILE))
            .map_err(io("open lock file"))?;
        lock.try_lock().map_err(|e| match e {
            std::fs::TryLockError::WouldBlock => LedgerError::Locked,
            std::fs::TryLockError::Error(e) => LedgerError::Io {
                context: "lock ledger directory",
                source: e,
            },
        })?;

        let path = dir.join(ENTRIES_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io("open entries file"))?;
        let len = file.metadata().map_err(io("stat entries file"))?.len();
        if (len as usize) < MAGIC.len() {
            // New file, or a crash while creating it: (re)write the header.
            let mut head = vec![0u8; len as usize];
            file.read_exact(&mut head)
                .map_err(io("read entries header"))?;
            if head[..] != MAGIC[..head.len()] {
                return Err(LedgerError::Corrupt("bad entries file header".into()));
            }
            file.set_len(0).map_err(io("reset entries file"))?;
            file.write_all_at(MAGIC, 0)
                .map_err(io("write entries header"))?;
            file.sync_all().map_err(io("sync entries file"))?;
            File::open(&dir)
                .and_then(|d| d.sync_all())
                .map_err(io("sync ledger directory"))?;
        }

        let mut store = Store::open(&dir)?;
        let (mut rec, v1) = scan_format(&mut file, config.max_batch.max(1), &mut store)?;
        // Tripwire: the last published checkpoint must be a prefix of what we recovered.
        // (A checkpoint only ever covers fsync'd entries, so this can only fail on real damage.)
        let mut cached = None;
        match std::fs::read_to_string(dir.join(CHECKPOINT_FILE)) {
            Ok(text) => {
                // Parse without requiring the current key: after a key rotation the file still
                // holds a checkpoint signed by the previous key, and it is our own file.
                let note = crate::note::Note::parse(&text)?;
                let cp = Checkpoint::parse_body(&note.text)?;
                if cp.size > rec.size() {
                    return Err(LedgerError::Corrupt(format!(
                        "checkpoint covers {} entries but only {} recovered",
                        cp.size,
                        rec.size()
                    )));
                }
                if store.root_at(rec.size(), cp.size)? != cp.root {
                    return Err(LedgerError::Corrupt(
                        "recovered log does not match the last checkpoint".into(),
                    ));
                }
                if note.verify(&config.signer.verifier()) && cp.origin == config.origin {
                    cached = Some((cp.size, text));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io("read checkpoint")(e)),
        }

        let book = Book::load(
            &dir,
            config.witnesses.clone(),
            &config.signer.verifier(),
            &config.origin,
            |size| store.root_at(rec.size(), size).ok(),
        )
        .map_err(LedgerError::Corrupt)?;

        // Truncate only after the tripwire passed, so a refused open leaves the file untouched
        // for forensics.
        if rec.valid_end < rec.file_len {
            tracing::warn!(
                dropped_bytes = rec.file_len - rec.valid_end,
                entries = rec.size(),
                "truncating torn tail of ledger (unacknowledged writes from a crash)"
            );
            file.set_len(rec.valid_end)
                .map_err(io("truncate torn tail"))?;
            file.sync_all().map_err(io("sync entries file"))?;
        }
        // Make whatever a previous process wrote (perhaps after a failed fsync) durable before
        // we build on it: new acknowledged records must never sit on top of unsynced ones.
        file.sync_all().map_err(io("sync entries file"))?;
        if v1 {
            upgrade_v1(&dir, &path, &file, &rec, &store)?;
            file = OpenOptions::new()
                .read(true)
                .write(true)
                .open(&path)
                .map_err(io("open entries file"))?;
            let upgraded = scan(&mut file, config.max_batch.max(1), &mut store)?;
            if upgraded.frontier != rec.frontier {
                return Err(LedgerError::Corrupt(
                    "the upgraded entries file does not hold the same tree".into(),
                ));
            }
            rec = upgraded;
        }

        let reader = File::open(&path).map_err(io("open entries reader"))?;
        let shared = Arc::new(Shared {
            state: RwLock::new(State {
                size: rec.size(),
                root: rec.frontier.root(),
            }),
            store,
            failed: Mutex::new(None),
            commits: std::sync::atomic::AtomicU64::new(0),
        });
        let (tx, rx) = mpsc::channel(config.queue_capacity.max(1));
        let writer = {
            let shared = shared.clone();
            let faults = config.faults.clone();
            let max_batch = config.max_batch.max(1);
            let end = rec.valid_end;
            let frontier = rec.frontier;
            std::thread::Builder::new()
                .name("haetae-ledger-writer".into())
                .spawn(move || writer_loop(file, end, frontier, rx, shared, faults, max_batch))
                .map_err(io("spawn writer thread"))?
        };
        Ok(FileLedger {
            inner: Arc::new(Inner {
                dir,
                config,
                tx: Some(tx),
                shared,
                reader,
                writer: Some(writer),
                checkpoint: Mutex::new(cached),
                book: Mutex::new(book),
                _lock: lock,
            }),
        })
    }

    /// [`Ledger::append`] with the entry's private part (its encoded
    /// [`crate::commit::PrivateRecord`]): stored in the same record, made durable by the same
    /// fsync, never served; read back with [`Ledger::private_bytes`].
    pub async fn append_with_private(
        &self,
        entry: &Entry,
        private: &[u8],
    ) -> Result<u64, LedgerError> {
        if let Health::Failed(why) = self.health() {
            return Err(LedgerError::Failed(why));
        }
        if private.len() > MAX_PRIVATE_SIZE {
            return Err(LedgerError::Config(format!(
                "private record of {} bytes exceeds {MAX_PRIVATE_SIZE}",
                private.len()
            )));
        }
        let data = entry.encode()?;
        let leaf = merkle::leaf_hash(&data);
        let (reply, rx) = oneshot::channel();
        let pending = Pending {
            record: encode_record(&data, private, &leaf),
            entry_len: data.len() as u32,
            leaf,
            request_id: entry.request_id.clone(),
            reply,
        };
        let tx = self
            .inner
            .tx
            .as_ref()
            .ok_or_else(|| LedgerError::Failed("ledger is closed".into()))?;
        tx.send(Msg::Append(pending))
            .await
            .map_err(|_| LedgerError::Failed("ledger writer stopped".into()))?;
        rx.await
            .map_err(|_| LedgerError::Failed("ledger writer stopped".into()))?
    }

    /// After a write or fsync failure (a full disk, an I/O error), try to resume: the writer cuts the entries
    /// file back to the end of the last acknowledged batch — whatever the failed batch left there was never
    /// acknowledged — makes that durable, and clears the failure. `Ok(false)` when the ledger was healthy,
    /// `Ok(true)` when it recovered; an error (and the ledger stays failed) when the cause persists.
    ///
    /// Acknowledged entries are untouched: they were fsync'd before they were acknowledged, so their pages are
    /// clean, and nothing of the failed batch is kept (the "fsyncgate" caution: after a failed fsync the state of
    /// the unsynced pages is unknown, so they are discarded, never retried).
    pub async fn recover(&self) -> Result<bool, LedgerError> {
        if self.inner.shared.failure().is_none() {
            return Ok(false);
        }
        let tx = self
            .inner
            .tx
            .as_ref()
            .ok_or_else(|| LedgerError::Failed("ledger is closed".into()))?;
        let (reply, rx) = oneshot::channel();
        tx.send(Msg::Recover(reply))
            .await
            .map_err(|_| LedgerError::Failed("ledger writer stopped".into()))?;
        rx.await
            .map_err(|_| LedgerError::Failed("ledger writer stopped".into()))?
            .map_err(LedgerError::Failed)
    }

    /// Healthy, or failed with the reason (then every append fails).
    pub fn health(&self) -> Health {
        if let Some(why) = self.inner.shared.failure() {
            return Health::Failed(why);
        }
        // The writer only exits when the ledger is dropped, so a finished writer means it
        // panicked: nothing can be committed any more.
        if self.inner.writer.as_ref().is_none_or(|h| h.is_finished()) {
            return Health::Failed("ledger writer thread stopped".into());
        }
        Health::Ok
    }

    /// Group commits (one write and one `fdatasync` each) since this ledger was opened.
    pub fn commit_count(&self) -> u64 {
        self.inner.shared.commits.load(Ordering::Relaxed)
    }

    /// Number of durable entries.
    pub fn size(&self) -> u64 {
        self.inner.shared.read().size
    }

    /// Root hash of the durable tree.
    pub fn root(&self) -> Hash {
        self.inner.shared.read().root
    }

    fn store(&self) -> &Store {
        &self.inner.shared.store
    }

    /// Root hash of the tree at `size`.
    pub fn root_at(&self, size: u64) -> Result<Hash, LedgerError> {
        self.store().root_at(self.size(), size)
    }

    /// Leaf index of the first entry with this request id; `None` also when the index or the entry
    /// could not be read (logged): callers that must tell those apart use [`Self::find_request`].
    pub fn lookup(&self, request_id: &str) -> Option<u64> {
        self.find_request(request_id).unwrap_or_else(|e| {
            tracing::error!(error = %e, "cannot read the ledger's request-id index");
            None
        })
    }

    /// Leaf index of the first entry with this request id, or an error when the on-disk index or
    /// the entry that would confirm a candidate cannot be read (never mistaken for absence).
    pub fn find_request(&self, request_id: &str) -> Result<Option<u64>, LedgerError> {
        let size = self.size();
        // The index holds keyed hashes: the entry itself confirms the id, smallest index first.
        for index in self.store().index.candidates(request_id, size)? {
            if Entry::decode(&self.entry_bytes(index)?)?.request_id == request_id {
                return Ok(Some(index));
            }
        }
        Ok(None)
    }

    /// Raw canonical bytes of entry `index`.
    pub fn entry_bytes(&self, index: u64) -> Result<Vec<u8>, LedgerError> {
        let (off, len) = self.store().location(self.size(), index)?;
        let mut buf = vec![0u8; len as usize];
        self.inner
            .reader
            .read_exact_at(&mut buf, off)
            .map_err(io("read entry"))?;
        Ok(buf)
    }

    /// The private part stored with entry `index` (empty if none). Confidential: never serve it.
    pub fn private_bytes(&self, index: u64) -> Result<Vec<u8>, LedgerError> {
        let (off, len) = self.store().location(self.size(), index)?;
        // The record is `u32 entry len || u32 private len || entry || private || check`.
        let mut plen = [0u8; 4];
        self.inner
            .reader
            .read_exact_at(&mut plen, off.saturating_sub(4))
            .map_err(io("read private record"))?;
        let mut buf = vec![0u8; u32::from_be_bytes(plen) as usize];
        self.inner
            .reader
            .read_exact_at(&mut buf, off + u64::from(len))
            .map_err(io("read private record"))?;
        Ok(buf)
    }

    /// RFC 9162 inclusion proof of leaf `index` in the tree of `size`.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, LedgerError> {
        self.store().inclusion_proof(self.size(), index, size)
    }

    /// RFC 9162 consistency proof between tree sizes `old` and `new`.
    pub fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>, LedgerError> {
        self.store().consistency_proof(self.size(), old, new)
    }

    /// [`Ledger::checkpoint`] with its size.
    pub(crate) fn config(&self) -> &LedgerConfig {
        &self.inner.config
    }

    pub(crate) fn latest_checkpoint(&self) -> Result<(u64, String), LedgerError> {
        let mut cache = self
            .inner
            .checkpoint
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let (size, root) = {
            let st = self.inner.shared.read();
            (st.size, st.root)
        };
        if let Some((s, text)) = cache.as_ref()
            && *s == size
        {
            return Ok((size, text.clone()));
        }
        let cp = Checkpoint {
            origin: self.inner.config.origin.clone(),
            size,
            root,
            extensions: Vec::new(),
        };
        let text = cp.sign(&self.inner.config.signer)?;
        atomic_write(&self.inner.dir.join(CHECKPOINT_FILE), text.as_bytes())
            .map_err(io("persist checkpoint"))?;
        *cache = Some((size, text.clone()));
        Ok((size, text))
    }

    pub(crate) fn book(&self) -> std::sync::MutexGuard<'_, Book> {
        // The book is replaced wholesale on update, so a panic elsewhere cannot leave it torn.
        self.inner.book.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Bytes of a tile (hash tile or entry bundle) for the current durable tree. Partial tiles
    /// are served for any width the tree covers, so they stay valid as the tree grows.
    pub fn tile(&self, path: &TilePath) -> Result<Vec<u8>, LedgerError> {
        let size = self.size();
        TilePath::for_tree_size(path.kind, path.index, size)
            .filter(|a| a.width >= path.width)
            .ok_or_else(|| TileError::NotAvailable(path.to_string()))?;
        match path.kind {
            TileKind::Hash(l) => {
                // One read of the tile's run of nodes; first make sure its last node exists, with the
                // error the node source gives for a missing one.
                let level = u32::from(l) * tiles::TILE_HEIGHT;
                let start = path.index * tiles::TILE_WIDTH;
                let mut tree = self.store().derived.tree(size);
                if path.width > 0 {
                    merkle::NodeSource::node(&mut tree, level, start + u64::from(path.width) - 1)?;
                }
                self.store()
                    .derived
                    .node_run(level, start, usize::from(path.width))
            }
            TileKind::Entries => {
                let start = path.index * tiles::TILE_WIDTH;
                let mut entries = Vec::with_capacity(usize::from(path.width));
                for i in start..start + u64::from(path.width) {
                    entries.push(self.entry_bytes(i)?);
                }
                Ok(tiles::encode_entry_bundle(entries)?)
            }
        }
    }
}

fn writer_loop(
    mut file: File,
    mut end: u64,
    mut frontier: Frontier,
    mut rx: mpsc::Receiver<Msg>,
    shared: Arc<Shared>,
    faults: FaultInjector,
    max_batch: usize,
) {
    let mut batch: Vec<Pending> = Vec::with_capacity(max_batch);
    let mut buf: Vec<u8> = Vec::new();
    let mut recover_after_batch: Vec<oneshot::Sender<Result<bool, String>>> = Vec::new();
    while let Some(first) = rx.blocking_recv() {
        match first {
            Msg::Append(p) => batch.push(p),
            Msg::Recover(reply) => recover_after_batch.push(reply),
        }
        while batch.len() < max_batch {
            match rx.try_recv() {
                Ok(Msg::Append(p)) => batch.push(p),
                Ok(Msg::Recover(reply)) => recover_after_batch.push(reply),
                Err(_) => break,
            }
        }
        if !batch.is_empty() {
            commit_batch(
                &mut file,
                &mut end,
                &mut frontier,
                &mut batch,
                &mut buf,
                &shared,
                &faults,
            );
        }
        for reply in recover_after_batch.drain(..) {
            let _ = reply.send(recover_file(&mut file, end, &shared, &faults));
        }
    }
}

fn commit_batch(
    file: &mut File,
    end: &mut u64,
    frontier: &mut Frontier,
    batch: &mut Vec<Pending>,
    buf: &mut Vec<u8>,
    shared: &Shared,
    faults: &FaultInjector,
) {
    if let Some(why) = shared.failure() {
        for p in batch.drain(..) {
            let _ = p.reply.send(Err(LedgerError::Failed(why.clone())));
        }
        return;
    }
    buf.clear();
    for p in batch.iter() {
        buf.extend_from_slice(&p.record);
    }
    match write_and_sync(file, *end, buf, faults) {
        Ok(()) => {
            shared.commits.fetch_add(1, Ordering::Relaxed);
            // The batch is durable. Now its derived records: written (not fsync'd) before the new size
            // is published, so a reader never looks past what is written; a crash before they reach
            // the disk is repaired from entries.log on open.
            let first = frontier.size();
            let mut grown = frontier.clone();
            let mut nodes = Vec::with_capacity(batch.len() * 2 + 64);
            let mut locations = Vec::with_capacity(batch.len());
            let mut offset = *end;
            for p in batch.iter() {
                grown.push(p.leaf, |level, index, h| nodes.push((level, index, *h)));
                locations.push((offset + 8, p.entry_len));
                offset += p.record.len() as u64;
            }
            let written = shared
                .store
                .derived
                .write_batch(&nodes, first, &locations)
                .and_then(|()| {
                    for (k, p) in batch.iter().enumerate() {
                        if !p.request_id.is_empty() {
                            shared.store.index.insert(&p.request_id, first + k as u64)?;
                        }
                    }
                    if faults.inner.fail_derived.load(Ordering::SeqCst) {
                        return Err(LedgerError::Io {
                            context: "write derived files",
                            source: std::io::Error::other("injected derived-file failure"),
                        });
                    }
                    Ok(())
                });
            if let Err(e) = written {
                // The entries are durable but unacknowledged and outside the tree: fail like a failed
                // fsync, so `recover` cuts them off (end is not advanced) or a reopen takes them in.
                let why = format!("writing the derived files: {e}");
                shared.fail(why.clone());
                for p in batch.drain(..) {
                    let _ = p.reply.send(Err(LedgerError::Failed(why.clone())));
                }
                return;
            }
            *end = offset;
            *frontier = grown;
            {
                let mut st = shared.write();
                st.size = frontier.size();
                st.root = frontier.root();
            }
            for (k, p) in batch.drain(..).enumerate() {
                let _ = p.reply.send(Ok(first + k as u64));
            }
        }
        Err(e) => {
            shared.fail(e.to_string());
            for p in batch.drain(..) {
                let _ = p.reply.send(Err(LedgerError::Failed(e.to_string())));
            }
        }
    }
}

/// Cuts the entries file back to `end` (the last acknowledged byte) and makes that durable; clears the failure
/// only if both succeed and the file really has that length.
fn recover_file(
    file: &mut File,
    end: u64,
    shared: &Shared,
    faults: &FaultInjector,
) -> Result<bool, String> {
    let Some(why) = shared.failure() else {
        return Ok(false);
    };
    let f = &faults.inner;
    if f.fail_write.load(Ordering::SeqCst)
        || f.fail_sync.load(Ordering::SeqCst)
        || f.fail_derived.load(Ordering::SeqCst)
    {
        return Err(format!("still failing (injected); failed because: {why}"));
    }
    let cut = file
        .set_len(end)
        .and_then(|()| file.sync_all())
        .and_then(|()| file.metadata())
        .map_err(|e| format!("cannot recover yet ({e}); failed because: {why}"))?;
    if cut.len() != end {
        return Err(format!(
            "entries file is {} bytes after truncation to {end}; failed because: {why}",
            cut.len()
        ));
    }
    let mut failed = shared.failed.lock().unwrap_or_else(|e| e.into_inner());
    *failed = None;
    tracing::warn!(previous_failure = %why, durable_bytes = end, "transparency ledger recovered; accepting appends again");
    Ok(true)
}

fn write_and_sync(
    file: &mut File,
    end: u64,
    buf: &[u8],
    faults: &FaultInjector,
) -> std::io::Result<()> {
    let f = &faults.inner;
    if f.fail_write.load(Ordering::SeqCst) {
        return Err(std::io::Error::other("injected write failure"));
    }
    if f.torn_write.swap(false, Ordering::SeqCst) {
        file.write_all_at(&buf[..buf.len() / 2], end)?;
        return Err(std::io::Error::other("injected torn write"));
    }
    file.write_all_at(buf, end)?;
    if f.fail_sync.load(Ordering::SeqCst) {
        return Err(std::io::Error::other("injected fsync failure"));
    }
    // fdatasync: the file length is data for this purpose, so appended bytes are durable.
    file.sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::{Decision, EntryKind};

    fn config() -> LedgerConfig {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
        LedgerConfig::new(
            NoteSigner::from_signing_key("test.example/ledger", 1, key)
                .unwrap_or_else(|e| panic!("{e}")),
        )
    }

    /// However many proofs and tiles are served, the node cache holds at most its fixed number of slots.
    #[tokio::test]
    async fn node_cache_stays_bounded_while_serving_proofs() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let ledger = FileLedger::open(dir.path(), config()).unwrap_or_else(|e| panic!("{e}"));
        let mut set = tokio::task::JoinSet::new();
        for i in 0..6000u64 {
            let l = ledger.clone();
            set.spawn(async move {
                let e = Entry::new(EntryKind::Request, Decision::Allow, i, &format!("r-{i}"));
                l.append_with_private(&e, &[])
                    .await
                    .unwrap_or_else(|e| panic!("{e}"))
            });
        }
        set.join_all().await;
        let n = ledger.size();
        for size in (1..=n).step_by(7) {
            for index in [0, size / 3, size - 1] {
                ledger
                    .inclusion_proof(index, size)
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            ledger
                .consistency_proof(size / 2, size)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let (used, cap) = ledger.store().derived.cache().occupancy();
        assert_eq!(cap, crate::derived::NODE_CACHE_SLOTS);
        assert!(used > 0 && used <= cap, "{used} of {cap}");
    }
}
