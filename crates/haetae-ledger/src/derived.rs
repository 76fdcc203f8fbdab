//! Derived files of the local-file ledger: the Merkle tree's node hashes and each entry's location,
//! kept on disk so that the ledger's memory does not grow with the log (the request-id index is the third
//! derived file, in [`crate::request_index`]).
//!
//! Everything here is computed from `entries.log` and is checked against it on every open (see the crash
//! protocol in [`crate::storage`]); none of it is ever the only copy of anything.
//!
//! The files are hand-written arrays of fixed-size records (`level-NN`: 32-byte hashes; `locations`:
//! 12-byte `u64 LE offset || u32 LE length`), read and written with `pread`/`pwrite`. A fixed record at
//! `index × size` is all the structure they need: an embedded database (rusqlite is in the lock file) would
//! bring its own journal and fsyncs — which the crash protocol does not need, since the entries file can
//! always rebuild these — and memory-mapping (memmap2) would count every touched page in the process's RSS,
//! which is what this module exists to keep flat.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::merkle::{Hash, NodeSource, ProofError};
use crate::storage::LedgerError;

/// Subdirectory of the ledger directory holding the derived files.
pub(crate) const DERIVED_DIR: &str = "derived";
/// A tree can have at most 64 levels of complete subtrees (sizes are u64).
const MAX_LEVELS: usize = 64;
const LOCATION_SIZE: usize = 12;
/// Records compared per read while checking a file on open (256 KiB of hashes per level at most).
const CHECK_CHUNK: usize = 1 << 13;
/// Bytes gathered before a write while rewriting a file on open.
const REWRITE_CHUNK: usize = 1 << 20;
/// Node hashes the read cache keeps: 4096 × ~48 bytes ≈ 200 KiB, whatever the log's size.
pub(crate) const NODE_CACHE_SLOTS: usize = 4096;

fn io(context: &'static str) -> impl FnOnce(std::io::Error) -> LedgerError {
    move |source| LedgerError::Io { context, source }
}

/// A file of fixed-size records addressed by index.
#[derive(Debug)]
pub(crate) struct RecordFile {
    file: File,
    rec: usize,
}

impl RecordFile {
    pub(crate) fn open(path: &Path, rec: usize) -> std::io::Result<RecordFile> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        Ok(RecordFile { file, rec })
    }

    /// Whole records in the file (a torn last record does not count).
    fn records(&self) -> std::io::Result<u64> {
        Ok(self.file.metadata()?.len() / self.rec as u64)
    }

    fn offset(&self, index: u64) -> u64 {
        index.saturating_mul(self.rec as u64)
    }

    /// Reads `buf.len() / rec` records starting at `index`.
    pub(crate) fn read(&self, index: u64, buf: &mut [u8]) -> std::io::Result<()> {
        self.file.read_exact_at(buf, self.offset(index))
    }

    /// Writes whole records starting at `index`.
    pub(crate) fn write(&self, index: u64, bytes: &[u8]) -> std::io::Result<()> {
        self.file.write_all_at(bytes, self.offset(index))
    }

    fn truncate(&self, records: u64) -> std::io::Result<()> {
        if self.file.metadata()?.len() != self.offset(records) {
            self.file.set_len(self.offset(records))?;
        }
        Ok(())
    }
}

/// Checks a record file against the records the entries file implies, in order, and rewrites it from the
/// first record that differs (or is missing). Used once per file on open: sequential reads, O(1) memory.
struct Repair<'a> {
    file: &'a RecordFile,
    existing: u64,
    next: u64,
    chunk: Vec<u8>,
    chunk_start: u64,
    diverged: bool,
    out: Vec<u8>,
    out_start: u64,
    rewritten: u64,
}

impl<'a> Repair<'a> {
    fn new(file: &'a RecordFile) -> std::io::Result<Repair<'a>> {
        Ok(Repair {
            existing: file.records()?,
            file,
            next: 0,
            chunk: Vec::new(),
            chunk_start: 0,
            diverged: false,
            out: Vec::new(),
            out_start: 0,
            rewritten: 0,
        })
    }

    fn push(&mut self, record: &[u8]) -> std::io::Result<()> {
        let rec = self.file.rec;
        let i = self.next;
        self.next += 1;
        if !self.diverged && i < self.existing {
            let have = (self.chunk.len() / rec) as u64;
            if i < self.chunk_start || i >= self.chunk_start + have {
                let n = (self.existing - i).min(CHECK_CHUNK as u64) as usize;
                self.chunk.resize(n * rec, 0);
                self.file.read(i, &mut self.chunk)?;
                self.chunk_start = i;
            }
            let at = (i - self.chunk_start) as usize * rec;
            if self.chunk.get(at..at + rec) == Some(record) {
                return Ok(());
            }
            // From here on the file is behind the entries (or was damaged): rewrite the rest.
            self.diverged = true;
            self.chunk = Vec::new();
        }
        if self.out.is_empty() {
            self.out_start = i;
        }
        self.out.extend_from_slice(record);
        self.rewritten += 1;
        if self.out.len() >= REWRITE_CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.out.is_empty() {
            self.file.write(self.out_start, &self.out)?;
            self.out.clear();
        }
        Ok(())
    }

    /// Writes what is left and cuts anything beyond the last record (a file ahead of the entries).
    /// Returns how many records were rewritten.
    fn finish(mut self) -> std::io::Result<u64> {
        self.flush()?;
        self.file.truncate(self.next)?;
        Ok(self.rewritten)
    }
}

/// A bounded cache of node hashes: direct-mapped, so its size is fixed when it is made and it never
/// allocates afterwards. Node hashes never change once written (only nodes below the durable size are
/// read), so the cache never needs invalidating.
pub(crate) struct NodeCache {
    slots: Mutex<Vec<Option<(u32, u64, Hash)>>>,
}

impl NodeCache {
    fn new(slots: usize) -> NodeCache {
        NodeCache {
            slots: Mutex::new(vec![None; slots.max(1)]),
        }
    }

    fn slot(len: usize, level: u32, index: u64) -> usize {
        // Fibonacci hashing spreads neighbouring indices (a proof's path) over different slots.
        let h = (index ^ (u64::from(level) << 58)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> 32) as usize % len
    }

    fn get(&self, level: u32, index: u64) -> Option<Hash> {
        let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        match slots.get(Self::slot(slots.len(), level, index)) {
            Some(Some((l, i, h))) if *l == level && *i == index => Some(*h),
            _ => None,
        }
    }

    fn put(&self, level: u32, index: u64, hash: Hash) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        let at = Self::slot(slots.len(), level, index);
        if let Some(s) = slots.get_mut(at) {
            *s = Some((level, index, hash));
        }
    }

    /// (slots in use, capacity): for the test that the cache stays bounded.
    #[cfg(test)]
    pub(crate) fn occupancy(&self) -> (usize, usize) {
        let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        (slots.iter().filter(|s| s.is_some()).count(), slots.len())
    }
}

/// The tree's node hashes, one file per level (`level-00` holds the leaf hashes, `level-k` the complete
/// subtrees of 2^k leaves), and the entries' locations. Shared by readers and the writer thread: the writer
/// only ever writes records at or beyond the durable size, readers only read below it.
pub(crate) struct Derived {
    dir: PathBuf,
    levels: Vec<OnceLock<RecordFile>>,
    locations: RecordFile,
    cache: NodeCache,
}

impl Derived {
    /// Opens (creating if needed) the derived files of the ledger in `ledger_dir`.
    pub(crate) fn open(ledger_dir: &Path) -> Result<Derived, LedgerError> {
        let dir = ledger_dir.join(DERIVED_DIR);
        std::fs::create_dir_all(&dir).map_err(io("create derived directory"))?;
        let locations = RecordFile::open(&dir.join("locations"), LOCATION_SIZE)
            .map_err(io("open locations file"))?;
        let levels = (0..MAX_LEVELS).map(|_| OnceLock::new()).collect();
        Ok(Derived {
            dir,
            levels,
            locations,
            cache: NodeCache::new(NODE_CACHE_SLOTS),
        })
    }

    /// The file of `level`, opened (or created) on first use.
    fn level(&self, level: u32) -> std::io::Result<&RecordFile> {
        let cell = self
            .levels
            .get(level as usize)
            .ok_or_else(|| std::io::Error::other(format!("tree level {level} out of range")))?;
        if let Some(f) = cell.get() {
            return Ok(f);
        }
        let f = RecordFile::open(&self.dir.join(format!("level-{level:02}")), 32)?;
        // Only the writer thread (or open, before it starts) creates level files, so no other `set` can
        // race this one; if one did, both opened the same file and either handle serves.
        let _ = cell.set(f);
        cell.get()
            .ok_or_else(|| std::io::Error::other("level file vanished"))
    }

    #[cfg(test)]
    pub(crate) fn cache(&self) -> &NodeCache {
        &self.cache
    }

    /// Hash of the complete subtree `(level, index)`; the caller has checked that it exists.
    fn node(&self, level: u32, index: u64) -> Result<Hash, LedgerError> {
        if let Some(h) = self.cache.get(level, index) {
            return Ok(h);
        }
        let mut h = [0u8; 32];
        self.level(level)
            .and_then(|f| f.read(index, &mut h))
            .map_err(io("read tree node"))?;
        self.cache.put(level, index, h);
        Ok(h)
    }

    /// `count` consecutive node hashes of `level` from `start`, as stored (a hash tile's bytes).
    pub(crate) fn node_run(
        &self,
        level: u32,
        start: u64,
        count: usize,
    ) -> Result<Vec<u8>, LedgerError> {
        let mut out = vec![0u8; count * 32];
        self.level(level)
            .and_then(|f| f.read(start, &mut out))
            .map_err(io("read tree nodes"))?;
        Ok(out)
    }

    /// `(offset of the entry bytes in entries.log, length)` of entry `index`.
    pub(crate) fn location(&self, index: u64) -> Result<(u64, u32), LedgerError> {
        let mut b = [0u8; LOCATION_SIZE];
        self.locations
            .read(index, &mut b)
            .map_err(io("read entry location"))?;
        Ok(decode_location(&b))
    }

    /// A node source over the tree of `size` leaves.
    pub(crate) fn tree(&self, size: u64) -> TreeAt<'_> {
        TreeAt {
            derived: self,
            size,
        }
    }

    /// Writes a batch's records: the nodes it completed (in the order [`crate::merkle::Frontier::push`]
    /// emitted them) and its locations from entry `first`. Not fsync'd: see the crash protocol.
    pub(crate) fn write_batch(
        &self,
        nodes: &[(u32, u64, Hash)],
        first: u64,
        locations: &[(u64, u32)],
    ) -> Result<(), LedgerError> {
        // Nodes of one level arrive in increasing, consecutive order: gather each level's run and
        // write it with one pwrite.
        let mut runs: Vec<(u64, Vec<u8>)> = Vec::new();
        for &(level, index, ref h) in nodes {
            let l = level as usize;
            if runs.len() <= l {
                runs.resize_with(l + 1, || (0, Vec::new()));
            }
            let run = &mut runs[l];
            if run.1.is_empty() {
                run.0 = index;
            }
            run.1.extend_from_slice(h);
        }
        for (level, (start, bytes)) in runs.iter().enumerate() {
            if !bytes.is_empty() {
                self.level(level as u32)
                    .and_then(|f| f.write(*start, bytes))
                    .map_err(io("write tree nodes"))?;
            }
        }
        let mut locs = Vec::with_capacity(locations.len() * LOCATION_SIZE);
        for &(off, len) in locations {
            locs.extend_from_slice(&encode_location(off, len));
        }
        self.locations
            .write(first, &locs)
            .map_err(io("write entry locations"))
    }

    /// Starts checking (and where needed rewriting) the files against the entries file's records.
    pub(crate) fn rebuild(&self) -> Result<Rebuild<'_>, LedgerError> {
        Ok(Rebuild {
            derived: self,
            levels: Vec::new(),
            locations: Repair::new(&self.locations).map_err(io("stat locations file"))?,
            frontier: crate::merkle::Frontier::default(),
        })
    }
}

fn encode_location(off: u64, len: u32) -> [u8; LOCATION_SIZE] {
    let mut b = [0u8; LOCATION_SIZE];
    b[..8].copy_from_slice(&off.to_le_bytes());
    b[8..].copy_from_slice(&len.to_le_bytes());
    b
}

fn decode_location(b: &[u8; LOCATION_SIZE]) -> (u64, u32) {
    let mut off = [0u8; 8];
    off.copy_from_slice(&b[..8]);
    let mut len = [0u8; 4];
    len.copy_from_slice(&b[8..]);
    (u64::from_le_bytes(off), u32::from_le_bytes(len))
}

/// The on-open pass: fed every valid record of the entries file in order, it checks each derived record
/// against the value recomputed from the entry and rewrites a file from its first wrong or missing record.
pub(crate) struct Rebuild<'a> {
    derived: &'a Derived,
    levels: Vec<Repair<'a>>,
    locations: Repair<'a>,
    frontier: crate::merkle::Frontier,
}

impl<'a> Rebuild<'a> {
    pub(crate) fn push(&mut self, leaf: Hash, location: (u64, u32)) -> Result<u64, LedgerError> {
        let mut nodes: [(u32, u64, Hash); MAX_LEVELS] = [(0, 0, [0u8; 32]); MAX_LEVELS];
        let mut n = 0;
        let index = self.frontier.push(leaf, |l, i, h| {
            if let Some(slot) = nodes.get_mut(n) {
                *slot = (l, i, *h);
                n += 1;
            }
        });
        for &(level, _, ref h) in nodes.iter().take(n) {
            while self.levels.len() <= level as usize {
                let f = self
                    .derived
                    .level(self.levels.len() as u32)
                    .map_err(io("open tree level file"))?;
                self.levels
                    .push(Repair::new(f).map_err(io("stat tree level file"))?);
            }
            if let Some(r) = self.levels.get_mut(level as usize) {
                r.push(h).map_err(io("rewrite tree level file"))?;
            }
        }
        self.locations
            .push(&encode_location(location.0, location.1))
            .map_err(io("rewrite locations file"))?;
        Ok(index)
    }

    /// Completes the pass: flushes rewrites, cuts every file to the length the entries imply (files
    /// ahead of the entries lose their extra records; levels the tree does not reach are emptied), and
    /// returns the frontier the writer continues from.
    pub(crate) fn finish(self) -> Result<crate::merkle::Frontier, LedgerError> {
        let mut rewritten = 0;
        let reached = self.levels.len();
        for r in self.levels {
            rewritten += r.finish().map_err(io("rewrite tree level file"))?;
        }
        rewritten += self
            .locations
            .finish()
            .map_err(io("rewrite locations file"))?;
        for level in reached..MAX_LEVELS {
            let path = self.derived.dir.join(format!("level-{level:02}"));
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io("remove stale tree level file")(e)),
            }
        }
        if rewritten > 0 {
            tracing::info!(
                records = rewritten,
                entries = self.frontier.size(),
                "rebuilt the ledger's derived tree and location files from the entries file"
            );
        }
        Ok(self.frontier)
    }
}

/// The tree of `size` leaves, read from the level files (through the node cache).
pub(crate) struct TreeAt<'a> {
    derived: &'a Derived,
    size: u64,
}

impl NodeSource for TreeAt<'_> {
    type Error = LedgerError;
    fn node(&mut self, level: u32, index: u64) -> Result<Hash, LedgerError> {
        // Same bound and error as the in-memory tree: a node exists when its whole subtree does.
        let exists = level < 64
            && index
                .checked_add(1)
                .and_then(|e| e.checked_mul(1u64 << level))
                .is_some_and(|end| end <= self.size);
        if !exists {
            return Err(ProofError::IndexOutOfRange {
                index: index << level.min(63),
                size: self.size,
            }
            .into());
        }
        self.derived.node(level, index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_cache_stays_bounded() {
        let c = NodeCache::new(64);
        for level in 0..20u32 {
            for index in 0..10_000u64 {
                c.put(level, index, [level as u8; 32]);
            }
        }
        let (used, cap) = c.occupancy();
        assert_eq!(cap, 64);
        assert!(used <= cap);
        // The latest value of a slot is served, and a miss is a miss, never another node's hash.
        c.put(3, 77, [9u8; 32]);
        assert_eq!(c.get(3, 77), Some([9u8; 32]));
        assert_eq!(c.get(4, 77).filter(|h| h != &[4u8; 32]), None);
    }

    #[test]
    fn repair_keeps_matching_records_and_rewrites_from_the_first_difference() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let f = RecordFile::open(&dir.path().join("r"), 4).unwrap_or_else(|e| panic!("{e}"));
        let want: Vec<[u8; 4]> = (0..10u32).map(|i| i.to_le_bytes()).collect();
        // Written: records 0..6 right, record 3 damaged, and two extra records past the end.
        let mut bytes: Vec<u8> = want[..6].concat();
        bytes[13] ^= 1;
        bytes.extend_from_slice(&[0xFF; 8]);
        f.write(0, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let mut r = Repair::new(&f).unwrap_or_else(|e| panic!("{e}"));
        for w in &want[..9] {
            r.push(w).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(r.finish().unwrap_or_else(|e| panic!("{e}")), 6);
        let mut back = vec![0u8; 36];
        f.read(0, &mut back).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, want[..9].concat());
        assert_eq!(f.records().unwrap_or_else(|e| panic!("{e}")), 9);
    }
}
