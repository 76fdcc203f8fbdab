//! The local-file ledger's derived files (`derived/`: node hashes, entry locations, request-id index) are a
//! cache of `entries.log`: whatever a crash leaves of them — nothing, a short or torn file, a file longer
//! than the entries, damaged bytes — a reopen serves exactly the same roots, proofs, tiles and lookups, and
//! the same as an in-memory reference tree.

// Test helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use haetae_ledger::note::NoteSigner;
use haetae_ledger::storage::{Ledger, LedgerConfig};
use haetae_ledger::tiles::{TileKind, TilePath};
use haetae_ledger::{Decision, Entry, EntryKind, MerkleTree};
use proptest::prelude::*;

fn config() -> LedgerConfig {
    let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    LedgerConfig::new(NoteSigner::from_signing_key("test.example/ledger", 1, key).unwrap())
}

fn entry(i: u64, request_id: &str) -> Entry {
    let mut e = Entry::new(
        EntryKind::Request,
        Decision::Allow,
        1_700_000_000_000 + i,
        request_id,
    );
    e.prompt_tokens = i;
    e
}

/// Appends entries with these ids in this order (one at a time, so index = position).
async fn append_in_order(ledger: &Ledger, from: u64, ids: &[String]) {
    for (k, id) in ids.iter().enumerate() {
        let i = from + k as u64;
        assert_eq!(ledger.append(&entry(i, id)).await.unwrap(), i);
    }
}

/// Everything a reader can ask of the tree, at a few sizes.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    size: u64,
    root: [u8; 32],
    roots: Vec<[u8; 32]>,
    inclusion: Vec<Vec<[u8; 32]>>,
    consistency: Vec<Vec<[u8; 32]>>,
    tiles: Vec<Vec<u8>>,
    lookups: Vec<Option<u64>>,
}

fn snapshot(ledger: &Ledger, ids: &[&str]) -> Snapshot {
    let n = ledger.size();
    let sizes: Vec<u64> = [0, 1, 2, 3, 7, 8, 255, 256, 257, 511, 700, n - 1, n]
        .into_iter()
        .filter(|&s| s <= n)
        .collect();
    let mut inclusion = Vec::new();
    let mut consistency = Vec::new();
    for &s in &sizes {
        for &o in &sizes {
            if o <= s {
                consistency.push(ledger.consistency_proof(o, s).unwrap());
            }
        }
        for i in [0, 1, s / 2, s.saturating_sub(1)] {
            if i < s {
                inclusion.push(ledger.inclusion_proof(i, s).unwrap());
            }
        }
    }
    let mut tiles = Vec::new();
    for kind in [TileKind::Hash(0), TileKind::Hash(1), TileKind::Entries] {
        let mut index = 0;
        while let Some(p) = TilePath::for_tree_size(kind, index, n) {
            tiles.push(ledger.tile(&p).unwrap());
            index += 1;
        }
    }
    Snapshot {
        size: n,
        root: ledger.root(),
        roots: sizes.iter().map(|&s| ledger.root_at(s).unwrap()).collect(),
        inclusion,
        consistency,
        tiles,
        lookups: ids.iter().map(|id| ledger.lookup(id)).collect(),
    }
}

fn ids(n: u64) -> Vec<String> {
    // Every seventh id repeats an earlier one: the first entry must keep winning.
    (0..n)
        .map(|i| {
            if i % 7 == 6 {
                format!("req-{}", i / 2)
            } else {
                format!("req-{i}")
            }
        })
        .collect()
}

const QUERIES: [&str; 7] = [
    "req-0", "req-5", "req-6", "req-999", "req-1000", "absent", "",
];

fn derived_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir.join("derived"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    out.sort();
    out
}

fn set_len(path: &Path, len: u64) {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(len)
        .unwrap();
}

/// Builds a 1,000-entry log, damages its derived files with `damage`, reopens, and requires the same
/// answers as before, then appends and requires the same answers as a log that was never damaged.
async fn reopen_after(damage: impl Fn(&Path)) {
    let n = 1000;
    let all = ids(n + 300);
    let dir = tempfile::tempdir().unwrap();
    let reference = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    append_in_order(&ledger, 0, &all[..n as usize]).await;
    let before = snapshot(&ledger, &QUERIES);
    drop(ledger);

    damage(dir.path());

    let ledger = Ledger::open(dir.path(), config()).unwrap();
    assert_eq!(snapshot(&ledger, &QUERIES), before);
    append_in_order(&ledger, n, &all[n as usize..]).await;
    let clean = Ledger::open(reference.path(), config()).unwrap();
    append_in_order(&clean, 0, &all).await;
    assert_eq!(snapshot(&ledger, &QUERIES), snapshot(&clean, &QUERIES));
    drop(ledger);
    // And once more from the repaired files.
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    assert_eq!(snapshot(&ledger, &QUERIES), snapshot(&clean, &QUERIES));
}

#[tokio::test]
async fn reopen_after_derived_files_are_deleted() {
    reopen_after(|dir| std::fs::remove_dir_all(dir.join("derived")).unwrap()).await;
}

#[tokio::test]
async fn reopen_after_derived_files_are_cut_short_mid_record() {
    reopen_after(|dir| {
        for f in derived_files(dir) {
            let len = std::fs::metadata(&f).unwrap().len();
            // Half the file, and off any record boundary: a torn write.
            set_len(&f, len / 2 + 3);
        }
    })
    .await;
}

#[tokio::test]
async fn reopen_after_derived_files_are_emptied() {
    reopen_after(|dir| {
        for f in derived_files(dir) {
            set_len(&f, 0);
        }
    })
    .await;
}

#[tokio::test]
async fn reopen_after_derived_files_hold_damaged_bytes() {
    reopen_after(|dir| {
        use std::os::unix::fs::FileExt;
        for f in derived_files(dir) {
            let len = std::fs::metadata(&f).unwrap().len();
            let file = std::fs::OpenOptions::new().write(true).open(&f).unwrap();
            // Garbage in the middle (a page that never reached the disk reads back as zeros or junk).
            file.write_all_at(&[0xA5; 40], len / 3).unwrap();
        }
    })
    .await;
}

#[tokio::test]
async fn reopen_after_derived_files_are_longer_than_the_entries() {
    reopen_after(|dir| {
        use std::io::Write;
        for f in derived_files(dir) {
            let mut file = std::fs::OpenOptions::new().append(true).open(&f).unwrap();
            file.write_all(&[0x5A; 4096 + 7]).unwrap();
        }
    })
    .await;
}

/// Derived files of a longer log (the same first entries, then others) over a shorter entries file, as a
/// crash can leave them ahead of the fsync'd entries: the extra records are cut, and the extra request
/// ids are never found, not even once new entries take their indices.
#[tokio::test]
async fn derived_files_ahead_of_the_entries_are_cut_back() {
    let long = tempfile::tempdir().unwrap();
    let short = tempfile::tempdir().unwrap();
    let reference = tempfile::tempdir().unwrap();
    let all = ids(1500);
    let ledger = Ledger::open(long.path(), config()).unwrap();
    append_in_order(&ledger, 0, &all).await;
    drop(ledger);
    let ledger = Ledger::open(short.path(), config()).unwrap();
    append_in_order(&ledger, 0, &all[..900]).await;
    let before = snapshot(&ledger, &QUERIES);
    drop(ledger);
    std::fs::remove_dir_all(short.path().join("derived")).unwrap();
    std::fs::create_dir(short.path().join("derived")).unwrap();
    for f in derived_files(long.path()) {
        std::fs::copy(
            &f,
            short.path().join("derived").join(f.file_name().unwrap()),
        )
        .unwrap();
    }

    let ledger = Ledger::open(short.path(), config()).unwrap();
    assert_eq!(snapshot(&ledger, &QUERIES), before);
    assert_eq!(ledger.lookup("req-1200"), None);
    // New entries at the indices the stale records named, with other ids.
    let other: Vec<String> = (900..1500).map(|i| format!("other-{i}")).collect();
    append_in_order(&ledger, 900, &other).await;
    assert_eq!(ledger.lookup("req-1200"), None);
    assert_eq!(ledger.lookup("other-1200"), Some(1200));
    let clean = Ledger::open(reference.path(), config()).unwrap();
    append_in_order(&clean, 0, &all[..900]).await;
    append_in_order(&clean, 900, &other).await;
    let queries = ["req-1200", "other-1200", "req-3", "other-1499"];
    assert_eq!(snapshot(&ledger, &queries), snapshot(&clean, &queries));
}

/// A batch whose entries were fsync'd but whose derived records failed (after all were written) is not
/// acknowledged; `recover` cuts it off, and neither its tree records nor its request-id slots ever show,
/// not after new entries take its indices, not after a reopen.
#[tokio::test]
async fn a_failed_derived_write_leaves_no_trace() {
    let dir = tempfile::tempdir().unwrap();
    let reference = tempfile::tempdir().unwrap();
    let faults = haetae_ledger::FaultInjector::default();
    let mut cfg = config();
    cfg.faults = faults.clone();
    let all = ids(40);
    let ledger = Ledger::open(dir.path(), cfg).unwrap();
    append_in_order(&ledger, 0, &all[..30]).await;
    faults.fail_derived_writes(true);
    assert!(ledger.append(&entry(30, "lost")).await.is_err());
    assert!(!ledger.health().is_ok());
    assert!(ledger.recover().await.is_err(), "the cause persists");
    faults.fail_derived_writes(false);
    assert!(ledger.recover().await.unwrap());
    assert_eq!(ledger.size(), 30);
    assert_eq!(ledger.lookup("lost"), None);
    append_in_order(&ledger, 30, &all[30..]).await;
    assert_eq!(ledger.lookup("lost"), None);
    let clean = Ledger::open(reference.path(), config()).unwrap();
    append_in_order(&clean, 0, &all).await;
    let queries = ["lost", "req-30", "req-39", "req-3"];
    assert_eq!(snapshot(&ledger, &queries), snapshot(&clean, &queries));
    drop(ledger);
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    assert_eq!(snapshot(&ledger, &queries), snapshot(&clean, &queries));
}

/// An index that cannot be read is an error for `find_request` (which the admin outbox uses to decide
/// whether to append), never "not found".
#[tokio::test]
async fn an_unreadable_index_is_an_error_not_an_absence() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    append_in_order(&ledger, 0, &ids(5)).await;
    assert_eq!(ledger.find_request("req-3").await.unwrap(), Some(3));
    // Cut the table under the open ledger: every probe now reads past its end.
    set_len(&dir.path().join("derived/request-ids.00"), 10);
    assert!(ledger.find_request("req-3").await.is_err());
    assert_eq!(ledger.lookup("req-3"), None);
    drop(ledger);
    // The next open rebuilds it.
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    assert_eq!(ledger.find_request("req-3").await.unwrap(), Some(3));
}

/// The in-memory reference: a tree over the entries as the ledger numbered them, and the first index of
/// each request id.
struct Reference {
    tree: MerkleTree,
    first: HashMap<String, u64>,
}

fn reference(ledger: &Ledger) -> Reference {
    let mut tree = MerkleTree::new();
    let mut first = HashMap::new();
    for i in 0..ledger.size() {
        let e = ledger.entry(i).unwrap();
        tree.push_leaf_hash(haetae_ledger::merkle::leaf_hash(&e.encode().unwrap()));
        if !e.request_id.is_empty() {
            first.entry(e.request_id).or_insert(i);
        }
    }
    Reference { tree, first }
}

/// Every proof and lookup the ledger gives equals the reference's.
fn matches_reference(ledger: &Ledger, queries: &[(u64, u64)]) -> Result<(), TestCaseError> {
    let n = ledger.size();
    let r = reference(ledger);
    prop_assert_eq!(ledger.root(), r.tree.root());
    for &(a, b) in queries {
        let size = 1 + a % n;
        let index = b % size;
        let old = b % (size + 1);
        prop_assert_eq!(ledger.root_at(size).unwrap(), r.tree.root_at(size).unwrap());
        prop_assert_eq!(
            ledger.inclusion_proof(index, size).unwrap(),
            r.tree.inclusion_proof(index, size).unwrap()
        );
        prop_assert_eq!(
            ledger.consistency_proof(old, size).unwrap(),
            r.tree.consistency_proof(old, size).unwrap()
        );
        // Ids beyond 199 were never used: absent ids miss.
        let id = format!("id-{}", a % 220);
        prop_assert_eq!(ledger.lookup(&id), r.first.get(&id).copied());
    }
    for kind in [TileKind::Hash(0), TileKind::Hash(1)] {
        let mut index = 0;
        while let Some(p) = TilePath::for_tree_size(kind, index, n) {
            let want = haetae_ledger::tiles::hash_tile_bytes(&mut &r.tree, &p).unwrap();
            prop_assert_eq!(ledger.tile(&p).unwrap(), want);
            index += 1;
        }
    }
    // Out of range is refused the same way.
    prop_assert!(ledger.inclusion_proof(n, n).is_err());
    prop_assert!(ledger.root_at(n + 1).is_err());
    prop_assert!(ledger.entry_bytes(n).is_err());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Random sizes and ids (few distinct ones, so repeats are common), appended concurrently in batches:
    /// every proof and lookup equals the in-memory reference, before and after a reopen.
    #[test]
    fn proofs_and_lookups_match_an_in_memory_tree(
        ids in proptest::collection::vec(0u16..200, 1..700),
        queries in proptest::collection::vec((any::<u64>(), any::<u64>()), 20),
    ) {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let n = ids.len() as u64;
        let ledger = rt.block_on(async {
            let ledger = Ledger::open(dir.path(), config()).unwrap();
            let mut set = tokio::task::JoinSet::new();
            for (i, id) in ids.iter().enumerate() {
                let l = ledger.clone();
                let e = entry(i as u64, &format!("id-{id}"));
                set.spawn(async move { l.append(&e).await.unwrap() });
            }
            let mut got = set.join_all().await;
            got.sort_unstable();
            assert_eq!(got, (0..n).collect::<Vec<_>>());
            ledger
        });
        matches_reference(&ledger, &queries)?;
        drop(ledger);
        let ledger = Ledger::open(dir.path(), config()).unwrap();
        prop_assert_eq!(ledger.size(), n);
        matches_reference(&ledger, &queries)?;
    }
}
