//! Storage: group commit, reopen, torn tails, failure state, checkpoints.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;

use haetae_ledger::note::NoteSigner;
use haetae_ledger::storage::{FaultInjector, Health, Ledger, LedgerConfig, LedgerError};
use haetae_ledger::{Checkpoint, Decision, Entry, EntryKind, merkle};

fn signer() -> NoteSigner {
    // A fixed key so reopening verifies the persisted checkpoint.
    let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    NoteSigner::from_signing_key("test.example/ledger", 1, key).unwrap()
}

fn config() -> LedgerConfig {
    LedgerConfig::new(signer())
}

fn entry(i: u64) -> Entry {
    let mut e = Entry::new(
        EntryKind::Request,
        Decision::Allow,
        1_700_000_000_000 + i,
        &format!("req-{i}"),
    );
    e.model = "smollm2".into();
    e.prompt_tokens = i;
    e
}

fn entries_file(dir: &std::path::Path) -> std::path::PathBuf {
    dir.join("entries.log")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_appends_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..200u64 {
        let l = ledger.clone();
        set.spawn(async move { (i, l.append(&entry(i)).await.unwrap()) });
    }
    let mut indices = Vec::new();
    while let Some(r) = set.join_next().await {
        let (i, idx) = r.unwrap();
        // Each acknowledged append is readable at its index.
        assert_eq!(ledger.entry(idx).unwrap().request_id, format!("req-{i}"));
        indices.push(idx);
    }
    indices.sort();
    assert_eq!(indices, (0..200).collect::<Vec<_>>());
    let root = ledger.root();
    let cp = ledger.checkpoint().unwrap();
    drop(ledger);

    let ledger = Ledger::open(dir.path(), config()).unwrap();
    assert_eq!(ledger.size(), 200);
    assert_eq!(ledger.root(), root);
    assert_eq!(
        ledger.checkpoint().unwrap(),
        cp,
        "same size: cached checkpoint reused"
    );
    for i in 0..200u64 {
        let idx = ledger.lookup(&format!("req-{i}")).unwrap();
        assert_eq!(ledger.entry(idx).unwrap(), entry(i));
    }
    // The whole tree recomputed from the stored entries matches.
    let t = merkle::MerkleTree::from_leaves((0..200).map(|i| ledger.entry_bytes(i).unwrap()));
    assert_eq!(t.root(), root);
}

#[tokio::test]
async fn second_open_is_locked_out() {
    let dir = tempfile::tempdir().unwrap();
    let _l = Ledger::open(dir.path(), config()).unwrap();
    assert!(matches!(
        Ledger::open(dir.path(), config()),
        Err(LedgerError::Locked)
    ));
}

#[tokio::test]
async fn torn_tail_is_truncated_and_appending_continues() {
    for garbage in [
        vec![0u8, 0, 0],                             // partial length prefix
        vec![0, 0, 0, 50, 1, 1, 2, 3],               // length says 50 bytes, only 4 present
        vec![0, 0, 0, 1, 9, 1, 2, 3, 4, 5, 6, 7, 8], // complete record, bad checksum
        vec![0xff; 5000],                            // absurd length
    ] {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open(dir.path(), config()).unwrap();
        for i in 0..10 {
            ledger.append(&entry(i)).await.unwrap();
        }
        let root = ledger.root();
        ledger.checkpoint().unwrap();
        drop(ledger);

        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(entries_file(dir.path()))
            .unwrap();
        f.write_all(&garbage).unwrap();
        drop(f);

        let ledger = Ledger::open(dir.path(), config()).unwrap();
        assert_eq!(ledger.size(), 10);
        assert_eq!(ledger.root(), root);
        assert_eq!(ledger.append(&entry(10)).await.unwrap(), 10);
        drop(ledger);
        let ledger = Ledger::open(dir.path(), config()).unwrap();
        assert_eq!(ledger.size(), 11);
        assert_eq!(ledger.entry(10).unwrap(), entry(10));
    }
}

#[tokio::test]
async fn truncated_last_record_is_dropped_but_earlier_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    for i in 0..5 {
        ledger.append(&entry(i)).await.unwrap();
    }
    drop(ledger);
    // Simulate a crash mid-write of the 5th record: cut 3 bytes off the end.
    let path = entries_file(dir.path());
    let len = std::fs::metadata(&path).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(len - 3)
        .unwrap();
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    assert_eq!(ledger.size(), 4);
    assert_eq!(ledger.lookup("req-4"), None);
    assert_eq!(ledger.append(&entry(99)).await.unwrap(), 4);
}

#[tokio::test]
async fn losing_checkpointed_entries_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    for i in 0..5 {
        ledger.append(&entry(i)).await.unwrap();
    }
    ledger.checkpoint().unwrap();
    drop(ledger);
    // Cut into a record covered by the checkpoint: reopening must refuse, not silently fork.
    let path = entries_file(dir.path());
    let len = std::fs::metadata(&path).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(len - 3)
        .unwrap();
    assert!(matches!(
        Ledger::open(dir.path(), config()),
        Err(LedgerError::Corrupt(_))
    ));
}

#[tokio::test]
async fn fsync_failure_fails_closed() {
    let dir = tempfile::tempdir().unwrap();
    let faults = FaultInjector::default();
    let mut cfg = config();
    cfg.faults = faults.clone();
    let ledger = Ledger::open(dir.path(), cfg).unwrap();
    ledger.append(&entry(0)).await.unwrap();
    assert_eq!(ledger.health(), Health::Ok);
    faults.fail_syncs(true);
    let err = ledger.append(&entry(1)).await.unwrap_err();
    assert!(matches!(err, LedgerError::Failed(_)), "{err}");
    assert!(!ledger.health().is_ok());
    // Even with the disk "repaired", a failed ledger stays failed: the tail is unknown.
    faults.fail_syncs(false);
    assert!(matches!(
        ledger.append(&entry(2)).await,
        Err(LedgerError::Failed(_))
    ));
    // Unacknowledged entry 1 is not in the tree or index.
    assert_eq!(ledger.size(), 1);
    assert_eq!(ledger.lookup("req-1"), None);
    drop(ledger);
    // Recovery on reopen: the bytes of entry 1 were written (only fsync failed), so they may
    // be present; entry 0 must be.
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    assert!(ledger.size() >= 1);
    assert_eq!(ledger.entry(0).unwrap(), entry(0));
    assert!(ledger.health().is_ok());
}

#[tokio::test]
async fn torn_write_fails_closed_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let faults = FaultInjector::default();
    let mut cfg = config();
    cfg.faults = faults.clone();
    let ledger = Ledger::open(dir.path(), cfg).unwrap();
    for i in 0..3 {
        ledger.append(&entry(i)).await.unwrap();
    }
    faults.torn_write(true);
    assert!(ledger.append(&entry(3)).await.is_err());
    assert!(matches!(
        ledger.append(&entry(4)).await,
        Err(LedgerError::Failed(_))
    ));
    drop(ledger);
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    assert_eq!(ledger.size(), 3);
    assert_eq!(ledger.append(&entry(5)).await.unwrap(), 3);
}

#[tokio::test]
async fn write_failure_with_queued_appends_answers_everyone() {
    let dir = tempfile::tempdir().unwrap();
    let faults = FaultInjector::default();
    let mut cfg = config();
    cfg.faults = faults.clone();
    cfg.queue_capacity = 4; // exercise back-pressure too
    cfg.max_batch = 3;
    let ledger = Ledger::open(dir.path(), cfg).unwrap();
    faults.fail_writes(true);
    let mut set = tokio::task::JoinSet::new();
    for i in 0..50 {
        let l = ledger.clone();
        set.spawn(async move { l.append(&entry(i)).await });
    }
    let mut n = 0;
    while let Some(r) = set.join_next().await {
        assert!(r.unwrap().is_err());
        n += 1;
    }
    assert_eq!(n, 50);
}

#[tokio::test]
async fn backpressure_small_queue_never_drops() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config();
    cfg.queue_capacity = 2;
    cfg.max_batch = 2;
    let ledger = Ledger::open(dir.path(), cfg).unwrap();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..64 {
        let l = ledger.clone();
        set.spawn(async move { l.append(&entry(i)).await.unwrap() });
    }
    let mut got = Vec::new();
    while let Some(r) = set.join_next().await {
        got.push(r.unwrap());
    }
    got.sort();
    assert_eq!(got, (0..64).collect::<Vec<_>>());
}

#[tokio::test]
async fn checkpoints_proofs_and_tiles() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    assert_eq!(ledger.size(), 0);
    let cp0 = ledger.checkpoint().unwrap();
    let (c0, _) = Checkpoint::open(&cp0, &signer().verifier()).unwrap();
    assert_eq!((c0.size, c0.root), (0, merkle::empty_root()));
    for i in 0..300 {
        ledger.append(&entry(i)).await.unwrap();
    }
    let text = ledger.checkpoint().unwrap();
    let (cp, _) = Checkpoint::open(&text, &signer().verifier()).unwrap();
    assert_eq!(cp.size, 300);
    assert_eq!(cp.origin, "test.example/ledger");

    let resp = ledger.prove_request("req-123").unwrap();
    let (cp2, e) = resp.verify(&signer().verifier()).unwrap();
    assert_eq!(cp2, cp);
    assert_eq!(e, entry(123));
    // The JSON shape roundtrips.
    let json = serde_json::to_string(&resp).unwrap();
    let back: haetae_ledger::api::InclusionProofResponse = serde_json::from_str(&json).unwrap();
    assert_eq!(back, resp);
    // Tampered entry in the response fails verification.
    let mut bad = resp.clone();
    bad.leaf_index = 124;
    assert!(bad.verify(&signer().verifier()).is_err());
    assert!(matches!(
        ledger.prove_request("nope"),
        Err(LedgerError::NotFound(_))
    ));

    let c = ledger.prove_consistency(10, None).unwrap();
    let old = Checkpoint {
        origin: cp.origin.clone(),
        size: 10,
        root: ledger.root_at(10).unwrap(),
        extensions: vec![],
    };
    assert_eq!(c.verify(&signer().verifier(), &old).unwrap(), cp);
    let c = ledger.prove_consistency(10, Some(200)).unwrap();
    assert_eq!(c.verify(&signer().verifier(), &old).unwrap().size, 200);

    // Tiles: 300 entries = one full level-0 tile and a partial of 44.
    let t0 = ledger.tile_by_path("tile/0/000").unwrap();
    assert_eq!(t0.len(), 256 * 32);
    assert_eq!(
        &t0[..32],
        &merkle::leaf_hash(&ledger.entry_bytes(0).unwrap())
    );
    let t1 = ledger.tile_by_path("0/001.p/44").unwrap();
    assert_eq!(t1.len(), 44 * 32);
    assert!(ledger.tile_by_path("tile/0/001.p/45").is_err());
    assert!(ledger.tile_by_path("tile/0/001").is_err());
    let b = ledger.tile_by_path("tile/entries/001.p/44").unwrap();
    let entries = haetae_ledger::tiles::decode_entry_bundle(&b, 44).unwrap();
    assert_eq!(Entry::decode(entries[0]).unwrap(), entry(256));
    // Level-1 partial tile has one hash: the root of the first 256 leaves.
    let l1 = ledger.tile_by_path("tile/1/000.p/1").unwrap();
    assert_eq!(l1, ledger.root_at(256).unwrap().to_vec());
}

#[tokio::test]
async fn tail_damage_larger_than_a_batch_is_refused_not_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config();
    cfg.max_batch = 1;
    let ledger = Ledger::open(dir.path(), cfg.clone()).unwrap();
    for i in 0..3 {
        ledger.append(&entry(i)).await.unwrap();
    }
    drop(ledger);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(entries_file(dir.path()))
        .unwrap();
    f.write_all(&vec![0xffu8; 70_000]).unwrap();
    drop(f);
    // 70 000 unreadable bytes cannot come from one torn batch of one entry: refuse.
    assert!(matches!(
        Ledger::open(dir.path(), cfg),
        Err(LedgerError::Corrupt(_))
    ));
    // The file was not modified by the refused open.
    let len = std::fs::metadata(entries_file(dir.path())).unwrap().len();
    assert!(len > 70_000);
}

#[tokio::test]
async fn log_key_rotation_keeps_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let old_key = signer();
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    for i in 0..20 {
        ledger.append(&entry(i)).await.unwrap();
    }
    let old_text = ledger.checkpoint().unwrap();
    drop(ledger);
    let new_key = NoteSigner::generate("test.example/ledger").unwrap();
    let ledger = Ledger::open(dir.path(), LedgerConfig::new(new_key.clone())).unwrap();
    ledger.append(&entry(20)).await.unwrap();
    let new_text = ledger.checkpoint().unwrap();
    let (old_cp, _) = Checkpoint::open(&old_text, &old_key.verifier()).unwrap();
    let (new_cp, _) = Checkpoint::open(&new_text, &new_key.verifier()).unwrap();
    assert!(Checkpoint::open(&new_text, &old_key.verifier()).is_err());
    let proof = ledger.consistency_proof(old_cp.size, new_cp.size).unwrap();
    merkle::verify_consistency(old_cp.size, new_cp.size, &old_cp.root, &new_cp.root, &proof)
        .unwrap();
}

#[tokio::test]
async fn refused_open_leaves_the_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    for i in 0..5 {
        ledger.append(&entry(i)).await.unwrap();
    }
    ledger.checkpoint().unwrap();
    drop(ledger);
    let path = entries_file(dir.path());
    let len = std::fs::metadata(&path).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(len - 3)
        .unwrap();
    assert!(Ledger::open(dir.path(), config()).is_err());
    assert_eq!(std::fs::metadata(&path).unwrap().len(), len - 3);
}

/// A full disk that clears: `recover` cuts the unacknowledged tail, resumes, and the log stays one log — what
/// was acknowledged is there, what was refused is not, and a reopen agrees with the live tree.
#[tokio::test]
async fn recover_resumes_after_the_fault_clears_and_keeps_one_history() {
    let dir = tempfile::tempdir().unwrap();
    let faults = FaultInjector::default();
    let mut cfg = config();
    cfg.faults = faults.clone();
    let ledger = Ledger::open(dir.path(), cfg).unwrap();
    assert!(
        !ledger.recover().await.unwrap(),
        "a healthy ledger has nothing to recover"
    );
    for i in 0..3 {
        ledger.append(&entry(i)).await.unwrap();
    }
    let before = ledger.checkpoint().unwrap();
    faults.fail_syncs(true);
    assert!(ledger.append(&entry(3)).await.is_err());
    assert!(
        ledger.recover().await.is_err(),
        "recovery is refused while the cause persists"
    );
    assert!(!ledger.health().is_ok());
    faults.fail_syncs(false);
    assert!(ledger.recover().await.unwrap());
    assert!(ledger.health().is_ok());
    assert_eq!(ledger.size(), 3, "the refused entry was not kept");
    assert_eq!(ledger.lookup("req-3"), None);
    assert_eq!(ledger.append(&entry(4)).await.unwrap(), 3);
    let after = ledger.checkpoint().unwrap();
    assert_ne!(before, after);
    drop(ledger);
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    assert_eq!(
        ledger.size(),
        4,
        "the torn bytes of the refused entry were cut on recovery"
    );
    assert_eq!(ledger.entry(3).unwrap(), entry(4));
    assert_eq!(ledger.entry(2).unwrap(), entry(2));
}

/// A log written in the v1 file format (records without a private part, v1 entries) opens as the same tree,
/// is rewritten as v2, keeps its old entries decodable, and takes v2 entries with private parts afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v1_file_is_upgraded_in_place_and_keeps_its_tree() {
    use haetae_ledger::merkle::leaf_hash;
    let dir = tempfile::tempdir().unwrap();
    let mut file = b"haetae-ledger/v1".to_vec();
    let mut tree = haetae_ledger::MerkleTree::new();
    for i in 0..300u64 {
        let mut e = Entry::new_v1(EntryKind::Request, Decision::Allow, i, &format!("req-{i}"));
        e.organisation = "org-legacy".into();
        let b = e.encode().unwrap();
        let leaf = leaf_hash(&b);
        tree.push_leaf_hash(leaf);
        file.extend_from_slice(&(b.len() as u32).to_be_bytes());
        file.extend_from_slice(&b);
        file.extend_from_slice(&leaf[..8]);
    }
    std::fs::write(entries_file(dir.path()), &file).unwrap();

    let ledger = Ledger::open(dir.path(), config()).unwrap();
    assert_eq!(ledger.size(), 300);
    assert_eq!(ledger.root(), tree.root());
    let old = ledger.entry(17).unwrap();
    assert_eq!((old.version, old.organisation.as_str()), (1, "org-legacy"));
    assert!(ledger.private_bytes(17).unwrap().is_empty());
    let head = std::fs::read(entries_file(dir.path())).unwrap();
    assert_eq!(&head[..16], b"haetae-ledger/v2");

    let i = ledger
        .append_with_private(&entry(300), b"private part")
        .await
        .unwrap();
    assert_eq!(i, 300);
    drop(ledger);
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    assert_eq!(ledger.size(), 301);
    assert_eq!(ledger.private_bytes(300).unwrap(), b"private part");
    assert_eq!(ledger.entry(300).unwrap(), entry(300));
    assert_eq!(ledger.lookup("req-42"), Some(42));
}

/// The private part is covered by the record checksum: a flipped byte in it is a torn tail, never a silently
/// different private record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn damaged_private_part_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    ledger.append(&entry(0)).await.unwrap();
    ledger
        .append_with_private(&entry(1), b"clear values")
        .await
        .unwrap();
    drop(ledger);
    let path = entries_file(dir.path());
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.len() - 8 - 3; // inside the last record's private part
    bytes[at] ^= 0x40;
    std::fs::write(&path, &bytes).unwrap();
    let ledger = Ledger::open(dir.path(), config()).unwrap();
    assert_eq!(
        ledger.size(),
        1,
        "the damaged record is treated as a torn tail"
    );
}
