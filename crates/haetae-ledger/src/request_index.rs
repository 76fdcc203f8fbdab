//! Request id → leaf index of the first entry with that id, as on-disk hash tables (derived data, see the
//! crash protocol in [`crate::storage`]).
//!
//! ## Layout
//! The index is a chain of generations, `derived/request-ids.NN`. Generation `g` is an open-addressing
//! (linear probing) table of `2^(16 + g)` slots of 16 bytes — `u64 LE tag || u64 LE leaf index`, tag 0 for
//! an empty slot, `u64::MAX` for a dropped one — behind a 64-byte header (magic, the table's SipHash key,
//! its size, its generation, the first leaf index it holds, and a checksum of the header). Entries are
//! inserted in index order into the newest table; when it is three-quarters full, the next generation
//! (twice as large) starts at the next entry. So each table holds a contiguous range of leaf indices, and
//! nothing is ever rehashed: growing never stalls the writer and never needs the old table in memory.
//! A lookup probes each table once (a handful of tables for millions of entries, one short read each).
//!
//! ## Correctness does not depend on the tags
//! The tag is a 64-bit keyed hash of the id. Every slot whose tag matches is only a candidate: the entry on
//! disk confirms the id, and the smallest confirmed index wins. So a collision — random, or a stale slot
//! left by a crash or a failed batch — costs one extra read, never a wrong answer, and a repeated id keeps
//! all its slots (the first one confirmed is the first entry).
//!
//! ## The key
//! Each table draws its own random SipHash-2-4 key when created and keeps it in its header, so a reopen
//! finds the ids where it left them. A client chooses its request ids; without the key it cannot aim ids
//! at one probe run and turn lookups and inserts into long scans. The key never leaves the ledger
//! directory, which already holds the entries' private parts. A damaged header drops that table and every
//! later one; the open pass then reinserts their entries (a fresh table gets a fresh key).
//!
//! Hand-written rather than an embedded database: the table is a fixed array of slots probed with
//! `pread`, so its memory is a few counters, and it needs no journal or fsync of its own since the entries
//! file can always refill it.

use std::fs::{File, OpenOptions};
use std::hash::Hasher;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use sha2::Digest as _;

use crate::storage::LedgerError;

const MAGIC: &[u8; 16] = b"haetae-reqids/v1";
const HEADER: u64 = 64;
const SLOT: usize = 16;
const FIRST_CAPACITY_LOG2: u32 = 16;
const MAX_GENERATIONS: usize = 40;
const EMPTY: u64 = 0;
const DROPPED: u64 = u64::MAX;
/// Slots read per probe step: a probe run at 3/4 load is short, so one 1 KiB read almost always ends it.
const PROBE_CHUNK: usize = 64;
/// Slots read per step when sweeping a whole table on open.
const SWEEP_CHUNK: usize = 1 << 14;

fn io(context: &'static str) -> impl FnOnce(std::io::Error) -> LedgerError {
    move |source| LedgerError::Io { context, source }
}

struct Table {
    file: File,
    key: (u64, u64),
    cap_log2: u32,
    /// First leaf index this table holds.
    start: u64,
    /// Slots taken (live or dropped).
    used: AtomicU64,
    /// Largest live leaf index + 1 found when the table was opened: beyond the entries, the table is ahead.
    end_at_open: u64,
}

impl Table {
    /// A table over `file` with nothing counted yet (the caller sweeps an existing one).
    fn new(file: File, key: (u64, u64), cap_log2: u32, start: u64) -> Table {
        Table {
            file,
            key,
            cap_log2,
            start,
            used: AtomicU64::new(0),
            end_at_open: 0,
        }
    }

    fn cap(&self) -> u64 {
        1u64 << self.cap_log2
    }

    fn tag(&self, request_id: &str) -> u64 {
        let mut h = siphasher::sip::SipHasher24::new_with_keys(self.key.0, self.key.1);
        h.write(request_id.as_bytes());
        match h.finish() {
            EMPTY => 1,
            DROPPED => DROPPED - 1,
            t => t,
        }
    }

    fn slot_offset(&self, slot: u64) -> u64 {
        HEADER + slot * SLOT as u64
    }

    /// Walks the probe run of `tag` until `visit` says stop or an empty slot ends it; `visit` sees
    /// `(slot, tag, index)` and returns true to stop. Returns the empty slot that ended the run, if any.
    fn probe(
        &self,
        tag: u64,
        mut visit: impl FnMut(u64, u64, u64) -> bool,
    ) -> std::io::Result<Option<u64>> {
        let cap = self.cap();
        let mut slot = tag & (cap - 1);
        let mut buf = [0u8; PROBE_CHUNK * SLOT];
        let mut seen = 0u64;
        while seen < cap {
            let n = (cap - slot).min(PROBE_CHUNK as u64).min(cap - seen) as usize;
            let bytes = &mut buf[..n * SLOT];
            self.file.read_exact_at(bytes, self.slot_offset(slot))?;
            for (k, s) in bytes.chunks_exact(SLOT).enumerate() {
                let (t, index) = decode_slot(s);
                let at = slot + k as u64;
                if t == EMPTY {
                    return Ok(Some(at));
                }
                if visit(at, t, index) {
                    return Ok(None);
                }
            }
            seen += n as u64;
            slot = (slot + n as u64) & (cap - 1);
        }
        Ok(None)
    }

    /// Finds `(tag, index)`: `Ok(None)` if that exact slot is already there, else the empty slot that
    /// ends its probe run (where it goes).
    fn place(&self, tag: u64, index: u64) -> std::io::Result<Option<u64>> {
        let mut present = false;
        let empty = self.probe(tag, |_, t, i| {
            present = t == tag && i == index;
            present
        })?;
        if present {
            return Ok(None);
        }
        empty
            .map(Some)
            .ok_or_else(|| std::io::Error::other("request-id table is full"))
    }

    fn put(&self, slot: u64, tag: u64, index: u64) -> std::io::Result<()> {
        self.file
            .write_all_at(&encode_slot(tag, index), self.slot_offset(slot))?;
        self.used.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn full(&self) -> bool {
        // Three-quarters: linear probing's runs stay short (a few slots on average) up to there.
        self.used.load(Ordering::Relaxed) * 4 >= self.cap() * 3
    }

    /// Reads every slot in chunks: counts the taken ones and, with `drop_from`, marks live slots of leaf
    /// indices at or beyond it as dropped. Returns (taken, largest live index + 1).
    fn sweep(&self, drop_from: Option<u64>) -> std::io::Result<(u64, u64)> {
        let cap = self.cap();
        let mut buf = vec![0u8; SWEEP_CHUNK.min(cap as usize) * SLOT];
        let mut used = 0u64;
        let mut end = 0u64;
        let mut slot = 0u64;
        while slot < cap {
            let n = (cap - slot).min(SWEEP_CHUNK as u64) as usize;
            let bytes = &mut buf[..n * SLOT];
            self.file.read_exact_at(bytes, self.slot_offset(slot))?;
            let mut changed = false;
            for s in bytes.chunks_exact_mut(SLOT) {
                let (t, index) = decode_slot(s);
                if t == EMPTY {
                    continue;
                }
                used += 1;
                if t == DROPPED {
                    continue;
                }
                if drop_from.is_some_and(|d| index >= d) {
                    s.copy_from_slice(&encode_slot(DROPPED, index));
                    changed = true;
                } else {
                    end = end.max(index + 1);
                }
            }
            if changed {
                self.file.write_all_at(bytes, self.slot_offset(slot))?;
            }
            slot += n as u64;
        }
        Ok((used, end))
    }
}

fn encode_slot(tag: u64, index: u64) -> [u8; SLOT] {
    let mut b = [0u8; SLOT];
    b[..8].copy_from_slice(&tag.to_le_bytes());
    b[8..].copy_from_slice(&index.to_le_bytes());
    b
}

fn decode_slot(s: &[u8]) -> (u64, u64) {
    let word = |r: std::ops::Range<usize>| {
        let mut w = [0u8; 8];
        if let Some(b) = s.get(r) {
            w.copy_from_slice(b);
        }
        u64::from_le_bytes(w)
    };
    (word(0..8), word(8..16))
}

fn header(key: (u64, u64), cap_log2: u32, generation: u32, start: u64) -> [u8; HEADER as usize] {
    let mut h = [0u8; HEADER as usize];
    h[..16].copy_from_slice(MAGIC);
    h[16..24].copy_from_slice(&key.0.to_le_bytes());
    h[24..32].copy_from_slice(&key.1.to_le_bytes());
    h[32..36].copy_from_slice(&cap_log2.to_le_bytes());
    h[36..40].copy_from_slice(&generation.to_le_bytes());
    h[40..48].copy_from_slice(&start.to_le_bytes());
    let check = sha2::Sha256::digest(&h[..56]);
    h[56..].copy_from_slice(&check[..8]);
    h
}

/// Parses a header: (key, cap_log2, generation, start), or None if it is not a whole, intact header.
fn parse_header(h: &[u8; HEADER as usize]) -> Option<((u64, u64), u32, u32, u64)> {
    let check = sha2::Sha256::digest(&h[..56]);
    if &h[..16] != MAGIC || h[56..] != check[..8] {
        return None;
    }
    let u64_at = |at: usize| decode_slot(&h[at..at + 8]).0;
    let u32_at = |at: usize| {
        let mut w = [0u8; 4];
        w.copy_from_slice(&h[at..at + 4]);
        u32::from_le_bytes(w)
    };
    Some(((u64_at(16), u64_at(24)), u32_at(32), u32_at(36), u64_at(40)))
}

/// The request-id index of the local-file ledger. Shared by readers (lookups) and the writer thread
/// (inserts): tables are only ever added, at the end, by the writer.
pub(crate) struct RequestIndex {
    dir: PathBuf,
    tables: Vec<OnceLock<Table>>,
    count: AtomicUsize,
}

impl RequestIndex {
    fn path(dir: &Path, generation: usize) -> PathBuf {
        dir.join(format!("request-ids.{generation:02}"))
    }

    /// Opens the tables in `dir` (the derived directory). Tables whose header is damaged, or that do not
    /// follow their predecessor, are deleted together with every later one.
    pub(crate) fn open(dir: &Path) -> Result<RequestIndex, LedgerError> {
        let index = RequestIndex {
            dir: dir.to_owned(),
            tables: (0..MAX_GENERATIONS).map(|_| OnceLock::new()).collect(),
            count: AtomicUsize::new(0),
        };
        let mut next_start = 0u64;
        let mut valid = 0usize;
        for g in 0..MAX_GENERATIONS {
            let path = Self::path(dir, g);
            let file = match OpenOptions::new().read(true).write(true).open(&path) {
                Ok(f) => f,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
                Err(e) => return Err(io("open request-id table")(e)),
            };
            let mut h = [0u8; HEADER as usize];
            let len = file.metadata().map_err(io("stat request-id table"))?.len();
            let parsed = file
                .read_exact_at(&mut h, 0)
                .ok()
                .and_then(|()| parse_header(&h));
            let cap_log2 = FIRST_CAPACITY_LOG2 + g as u32;
            let ok = parsed.filter(|&(_, c, gen_, start)| {
                c == cap_log2
                    && gen_ as usize == g
                    && (if g == 0 {
                        start == 0
                    } else {
                        start >= next_start
                    })
                    && len == HEADER + ((SLOT as u64) << cap_log2)
            });
            let Some((key, _, _, start)) = ok else {
                tracing::warn!(table = %path.display(), "request-id table damaged; rebuilding it from the entries");
                break;
            };
            let mut table = Table::new(file, key, cap_log2, start);
            let (used, end) = table.sweep(None).map_err(io("read request-id table"))?;
            table.used.store(used, Ordering::Relaxed);
            table.end_at_open = end;
            next_start = start + 1;
            if let Some(cell) = index.tables.get(g) {
                let _ = cell.set(table);
            }
            valid = g + 1;
        }
        index.remove_from(valid)?;
        index.count.store(valid, Ordering::Release);
        if valid == 0 {
            index.create(0, 0)?;
        }
        Ok(index)
    }

    /// Deletes the files of generations `from..` (not the in-memory tables: only called on open).
    fn remove_from(&self, from: usize) -> Result<(), LedgerError> {
        for g in from..MAX_GENERATIONS {
            match std::fs::remove_file(Self::path(&self.dir, g)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io("remove request-id table")(e)),
            }
        }
        Ok(())
    }

    /// Creates generation `g` holding leaves from `start`.
    fn create(&self, g: usize, start: u64) -> Result<(), LedgerError> {
        let cell = self
            .tables
            .get(g)
            .ok_or_else(|| LedgerError::Corrupt("request-id index has too many tables".into()))?;
        let cap_log2 = FIRST_CAPACITY_LOG2 + g as u32;
        let key = (rand::random::<u64>(), rand::random::<u64>());
        let path = Self::path(&self.dir, g);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .map_err(io("create request-id table"))?;
        // A sparse file: empty slots are zeros and cost no disk until written.
        file.set_len(HEADER + ((SLOT as u64) << cap_log2))
            .map_err(io("size request-id table"))?;
        file.write_all_at(&header(key, cap_log2, g as u32, start), 0)
            .map_err(io("write request-id table header"))?;
        cell.set(Table::new(file, key, cap_log2, start))
            .map_err(|_| LedgerError::Corrupt(format!("request-id table {g} created twice")))?;
        self.count.store(g + 1, Ordering::Release);
        Ok(())
    }

    fn tables(&self) -> impl Iterator<Item = &Table> {
        let n = self.count.load(Ordering::Acquire);
        self.tables.iter().take(n).filter_map(OnceLock::get)
    }

    /// Records entry `index` under `request_id`. Indices arrive in increasing order (on open, every valid
    /// entry again: then an entry already present is left as it is). Writer thread only.
    pub(crate) fn insert(&self, request_id: &str, index: u64) -> Result<(), LedgerError> {
        let n = self.count.load(Ordering::Acquire);
        // The table whose range holds this index: the last one starting at or before it.
        let g = self
            .tables()
            .enumerate()
            .filter(|(_, t)| t.start <= index)
            .map(|(g, _)| g)
            .last()
            .unwrap_or(0);
        let Some(table) = self.tables.get(g).and_then(OnceLock::get) else {
            return Err(LedgerError::Corrupt("request-id index has no table".into()));
        };
        let tag = table.tag(request_id);
        let Some(slot) = table
            .place(tag, index)
            .map_err(io("read request-id table"))?
        else {
            return Ok(()); // already there (the open pass meeting an entry it indexed before)
        };
        // Only a new slot opens the next generation, so reinserting what a full table already holds
        // never does.
        if g + 1 == n && table.full() && table.start < index {
            self.create(n, index)?;
            return self.insert(request_id, index);
        }
        table
            .put(slot, tag, index)
            .map_err(io("write request-id table"))
    }

    /// Ends the open pass over `size` valid entries: tables that start beyond them are deleted, and slots of
    /// later leaves (left by a crash or a failed batch) are marked dropped.
    pub(crate) fn finish_open(&mut self, size: u64) -> Result<(), LedgerError> {
        let keep = self
            .tables()
            .enumerate()
            .filter(|(g, t)| *g == 0 || t.start < size)
            .count();
        let n = self.count.load(Ordering::Acquire);
        if keep < n {
            self.count.store(keep, Ordering::Release);
            for cell in self.tables.iter_mut().skip(keep) {
                cell.take();
            }
            self.remove_from(keep)?;
        }
        for t in self.tables() {
            if t.end_at_open > size {
                let (used, _) = t.sweep(Some(size)).map_err(io("write request-id table"))?;
                t.used.store(used, Ordering::Relaxed);
            }
        }
        Ok(())
    }

    /// Leaf indices below `size` whose slot matches `request_id`'s tag, smallest first: candidates that the
    /// entry on disk must confirm.
    pub(crate) fn candidates(&self, request_id: &str, size: u64) -> Result<Vec<u64>, LedgerError> {
        let mut out = Vec::new();
        for t in self.tables() {
            if t.start >= size {
                continue;
            }
            let tag = t.tag(request_id);
            t.probe(tag, |_, s, i| {
                if s == tag && i < size {
                    out.push(i);
                }
                false
            })
            .map_err(io("read request-id table"))?;
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// Tables in use (for tests).
    #[cfg(test)]
    fn generations(&self) -> usize {
        self.count.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(dir: &Path) -> RequestIndex {
        RequestIndex::open(dir).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The first entry whose id matches, as the ledger resolves it against the entries on disk.
    fn find(idx: &RequestIndex, ids: &[String], id: &str) -> Option<u64> {
        idx.candidates(id, ids.len() as u64)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .find(|&i| ids[i as usize] == id)
    }

    #[test]
    fn first_entry_wins_across_generations_and_reopen() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let idx = open(dir.path());
        // Enough entries to fill generation 0 (49,152 slots) and start generation 1.
        let ids: Vec<String> = (0..60_000u64)
            .map(|i| format!("id-{}", i % 50_000))
            .collect();
        for (i, id) in ids.iter().enumerate() {
            idx.insert(id, i as u64).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(idx.generations(), 2);
        let check = |idx: &RequestIndex| {
            assert_eq!(find(idx, &ids, "id-7"), Some(7), "first entry wins");
            assert_eq!(find(idx, &ids, "id-49999"), Some(49_999));
            assert_eq!(find(idx, &ids, "id-50000"), None, "absent id");
        };
        check(&idx);
        drop(idx);
        let mut idx = open(dir.path());
        check(&idx);
        // Reinserting everything (the open pass) takes no new slot.
        let before: u64 = idx.tables().map(|t| t.used.load(Ordering::Relaxed)).sum();
        for (i, id) in ids.iter().enumerate() {
            idx.insert(id, i as u64).unwrap_or_else(|e| panic!("{e}"));
        }
        idx.finish_open(ids.len() as u64)
            .unwrap_or_else(|e| panic!("{e}"));
        let after: u64 = idx.tables().map(|t| t.used.load(Ordering::Relaxed)).sum();
        assert_eq!(before, after);
        check(&idx);
    }

    #[test]
    fn reinserting_a_full_table_opens_no_new_generation() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let idx = open(dir.path());
        // Exactly three-quarters of generation 0's 65,536 slots.
        let n = 49_152u64;
        for i in 0..n {
            idx.insert(&format!("id-{i}"), i)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(idx.generations(), 1);
        drop(idx);
        let idx = open(dir.path());
        for i in 0..n {
            idx.insert(&format!("id-{i}"), i)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(
            idx.generations(),
            1,
            "the open pass found every id in place"
        );
        idx.insert("next", n).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            idx.generations(),
            2,
            "a new entry opens the next generation"
        );
    }

    #[test]
    fn slots_beyond_the_entries_are_dropped_and_later_tables_deleted() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let idx = open(dir.path());
        for i in 0..60_000u64 {
            idx.insert(&format!("id-{i}"), i)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        drop(idx);
        // Reopen as if the entries stopped at 40,000 (derived files ahead of the log).
        let mut idx = open(dir.path());
        idx.finish_open(40_000).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(idx.generations(), 1);
        assert!(!RequestIndex::path(dir.path(), 1).exists());
        assert_eq!(
            idx.candidates("id-39999", 60_000)
                .unwrap_or_else(|e| panic!("{e}")),
            vec![39_999]
        );
        assert!(
            idx.candidates("id-45000", 60_000)
                .unwrap_or_else(|e| panic!("{e}"))
                .is_empty()
        );
    }

    #[test]
    fn a_damaged_header_rebuilds_from_that_table_on() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let idx = open(dir.path());
        idx.insert("a", 0).unwrap_or_else(|e| panic!("{e}"));
        drop(idx);
        let path = RequestIndex::path(dir.path(), 0);
        let f = OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap_or_else(|e| panic!("{e}"));
        f.write_all_at(b"X", 20).unwrap_or_else(|e| panic!("{e}"));
        let idx = open(dir.path());
        assert!(
            idx.candidates("a", 1)
                .unwrap_or_else(|e| panic!("{e}"))
                .is_empty()
        );
        idx.insert("a", 0).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            idx.candidates("a", 1).unwrap_or_else(|e| panic!("{e}")),
            vec![0]
        );
    }
}
