//! Property tests: proofs verify for random trees and every tampering is rejected; entry
//! encoding roundtrips and decoding arbitrary bytes never panics; tiles match an independent
//! computation.

use haetae_ledger::entry::{Decision, Entry, EntryKind};
use haetae_ledger::merkle::{
    self, Hash, MerkleTree, leaf_hash, node_hash, verify_consistency, verify_inclusion,
};
use haetae_ledger::tiles::{self, TileKind, TilePath, TileRecorder, TileStore};
use proptest::prelude::*;

fn leaf_data(i: u64) -> Vec<u8> {
    format!("entry-{i}").into_bytes()
}

/// Naive recursive RFC 6962 root, independent of MerkleTree.
fn naive_root(leaves: &[Vec<u8>]) -> Hash {
    match leaves.len() {
        0 => merkle::empty_root(),
        1 => leaf_hash(&leaves[0]),
        n => {
            let k = 1usize << (usize::BITS - 1 - (n - 1).leading_zeros());
            node_hash(&naive_root(&leaves[..k]), &naive_root(&leaves[k..]))
        }
    }
}

fn tree_of(n: u64) -> (Vec<Vec<u8>>, MerkleTree) {
    let leaves: Vec<Vec<u8>> = (0..n).map(leaf_data).collect();
    let t = MerkleTree::from_leaves(&leaves);
    (leaves, t)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn root_matches_naive(n in 0u64..300) {
        let (leaves, t) = tree_of(n);
        prop_assert_eq!(t.root(), naive_root(&leaves));
    }

    #[test]
    fn inclusion_verifies_and_tampering_fails(size in 1u64..600, idx_seed: u64, flip_seed: u64) {
        // One extra leaf so the tree at size + 1 exists for the wrong-size check.
        let (leaves, t) = tree_of(size + 1);
        let idx = idx_seed % size;
        let root = t.root_at(size).unwrap();
        let proof = t.inclusion_proof(idx, size).unwrap();
        let lh = leaf_hash(&leaves[idx as usize]);
        prop_assert!(verify_inclusion(idx, size, &lh, &proof, &root).is_ok());

        // Changed entry.
        prop_assert!(verify_inclusion(idx, size, &leaf_hash(b"changed"), &proof, &root).is_err());
        // Wrong size: the proof must not verify against the checkpoint of another size.
        let bigger = t.root_at(size + 1).unwrap();
        prop_assert!(verify_inclusion(idx, size + 1, &lh, &proof, &bigger).is_err());
        if size > 1 {
            let other = (idx + 1) % size;
            prop_assert!(verify_inclusion(other, size, &lh, &proof, &root).is_err());
        }
        // Flipped proof hash.
        if !proof.is_empty() {
            let mut p = proof.clone();
            let i = (flip_seed as usize) % p.len();
            p[i][(flip_seed as usize / 7) % 32] ^= 1 << (flip_seed % 8);
            prop_assert!(verify_inclusion(idx, size, &lh, &p, &root).is_err());
            // Dropped proof hash.
            prop_assert!(verify_inclusion(idx, size, &lh, &proof[1..], &root).is_err());
        }
        // Extra proof hash.
        let mut p = proof.clone();
        p.push(root);
        prop_assert!(verify_inclusion(idx, size, &lh, &p, &root).is_err());
    }

    #[test]
    fn consistency_verifies_and_tampering_fails(new in 1u64..600, old_seed: u64, flip_seed: u64) {
        let (leaves, t) = tree_of(new);
        let old = old_seed % (new + 1);
        let r1 = t.root_at(old).unwrap();
        let r2 = t.root_at(new).unwrap();
        let proof = t.consistency_proof(old, new).unwrap();
        prop_assert!(verify_consistency(old, new, &r1, &r2, &proof).is_ok());
        if old == 0 || old == new {
            prop_assert!(proof.is_empty());
            return Ok(());
        }
        // Flipped proof hash.
        let mut p = proof.clone();
        let i = (flip_seed as usize) % p.len();
        p[i][(flip_seed as usize / 7) % 32] ^= 1 << (flip_seed % 8);
        prop_assert!(verify_consistency(old, new, &r1, &r2, &p).is_err());
        // Wrong sizes, each with the genuine root of the claimed size.
        if old + 1 < new {
            let r = t.root_at(old + 1).unwrap();
            prop_assert!(verify_consistency(old + 1, new, &r, &r2, &proof).is_err());
        }
        if old > 1 {
            let r = t.root_at(old - 1).unwrap();
            prop_assert!(verify_consistency(old - 1, new, &r, &r2, &proof).is_err());
        }
        prop_assert!(verify_consistency(old, new, &r1, &t.root_at(new - 1).unwrap(), &proof).is_err());

        // A forked history: the new tree with one old entry changed, dropped or reordered.
        let mut changed = leaves.clone();
        let j = (flip_seed % old) as usize;
        changed[j] = b"rewritten".to_vec();
        let forged = MerkleTree::from_leaves(&changed);
        prop_assert!(verify_consistency(old, new, &r1, &forged.root(), &proof).is_err());
        let forged_proof = forged.consistency_proof(old, new).unwrap();
        prop_assert!(verify_consistency(old, new, &r1, &forged.root(), &forged_proof).is_err());

        let mut dropped = leaves.clone();
        dropped.remove(j);
        dropped.push(b"filler".to_vec());
        let forged = MerkleTree::from_leaves(&dropped);
        let fp = forged.consistency_proof(old, new).unwrap();
        prop_assert!(verify_consistency(old, new, &r1, &forged.root(), &fp).is_err());

        if old >= 2 {
            let mut reordered = leaves.clone();
            reordered.swap(0, old as usize - 1);
            let forged = MerkleTree::from_leaves(&reordered);
            let fp = forged.consistency_proof(old, new).unwrap();
            prop_assert!(verify_consistency(old, new, &r1, &forged.root(), &fp).is_err());
        }
    }

    #[test]
    fn proofs_from_tiles_match_in_memory(size in 1u64..3000, old_seed: u64, idx_seed: u64) {
        let (_, t) = tree_of(size);
        let old = old_seed % (size + 1);
        let idx = idx_seed % size;
        // Record which tiles are needed, "fetch" them from the tree, recompute.
        let mut rec = TileRecorder::default();
        let _ = merkle::consistency_proof(&mut rec, old, size);
        let _ = merkle::inclusion_proof(&mut rec, idx, size);
        let _ = merkle::root_hash(&mut rec, size);
        let mut store = TileStore::new();
        for p in rec.paths(size) {
            let bytes = tiles::hash_tile_bytes(&mut &t, &p).unwrap();
            store.insert(&p, &bytes).unwrap();
        }
        prop_assert_eq!(merkle::consistency_proof(&mut store, old, size).unwrap(), t.consistency_proof(old, size).unwrap());
        prop_assert_eq!(merkle::inclusion_proof(&mut store, idx, size).unwrap(), t.inclusion_proof(idx, size).unwrap());
        prop_assert_eq!(merkle::root_hash(&mut store, size).unwrap(), t.root());
    }

    #[test]
    fn entry_roundtrip(e in arb_entry()) {
        let b = e.encode().unwrap();
        let d = Entry::decode(&b).unwrap();
        prop_assert_eq!(&d, &e);
        prop_assert_eq!(d.encode().unwrap(), b);
    }

    #[test]
    fn decode_arbitrary_bytes_never_panics(b in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(e) = Entry::decode(&b) {
            // Canonical: anything that decodes re-encodes to the same bytes.
            prop_assert_eq!(e.encode().unwrap(), b);
        }
    }

    #[test]
    fn decode_mutated_entry_never_panics(e in arb_entry(), pos: usize, byte: u8, cut: usize) {
        let mut b = e.encode().unwrap();
        let i = pos % b.len();
        b[i] = byte;
        let _ = Entry::decode(&b);
        b.truncate(cut % (b.len() + 1));
        let _ = Entry::decode(&b);
    }

    #[test]
    fn tile_path_roundtrip(level in 0u8..8, index in any::<u64>(), width in 1u16..=256, entries: bool) {
        let t = if entries { TilePath::entries(index, width) } else { TilePath::hash(level, index, width) };
        prop_assert_eq!(TilePath::parse(&t.to_string()).unwrap(), t);
    }

    #[test]
    fn tile_path_parse_never_panics(s in "[tile/0-9x.pentris]{0,40}") {
        let _ = TilePath::parse(&s);
    }
}

fn arb_entry() -> impl Strategy<Value = Entry> {
    let s = || "[a-z0-9가-힣._-]{0,24}";
    (
        (any::<bool>(), 0u8..3, any::<u64>(), s(), s(), s(), s(), s()),
        (
            s(),
            s(),
            s(),
            proptest::collection::vec(s(), 0..4),
            any::<u64>(),
            any::<u64>(),
        ),
        (
            s(),
            proptest::option::of(any::<[u8; 32]>()),
            proptest::option::of(any::<[u8; 32]>()),
            s(),
        ),
    )
        .prop_flat_map(move |(a, b, c)| {
            // Both formats: v1 (clear organisation, member, key) and v2 (commitments instead).
            (
                Just((a, b, c)),
                any::<bool>(),
                s(),
                proptest::collection::btree_map("[a-z_]{1,8}", any::<[u8; 32]>(), 0..4),
            )
        })
        .prop_map(|((a, b, c), v2, commit_key_id, commitments)| {
            let mut e = Entry {
                version: 1,
                kind: if a.0 {
                    EntryKind::Request
                } else {
                    EntryKind::Admin
                },
                decision: [Decision::Allow, Decision::Deny, Decision::Review][a.1 as usize],
                time_unix_ms: a.2,
                request_id: a.3,
                organisation: a.4,
                member: a.5,
                key_id: a.6,
                model: a.7,
                action: b.0,
                declared_use_case: b.1,
                classified_use_case: b.2,
                policy_ids: b.3,
                prompt_tokens: b.4,
                completion_tokens: b.5,
                digest_key_id: c.0,
                request_digest: c.1,
                response_digest: c.2,
                detail: c.3,
                commit_key_id: String::new(),
                commitments: Vec::new(),
            };
            if v2 {
                e.version = 2;
                e.organisation.clear();
                e.member.clear();
                e.key_id.clear();
                e.commit_key_id = commit_key_id;
                e.commitments = commitments
                    .into_iter()
                    .map(|(field, value)| haetae_ledger::entry::Commitment { field, value })
                    .collect();
            }
            e
        })
}

/// Tile bytes for a small tree, checked against hashes computed independently.
#[test]
fn tile_bytes_for_small_tree() {
    let n = 70_000u64;
    let (leaves, t) = tree_of(n);
    // Level-0 partial tile 273 (70000 = 273*256 + 112): leaf hashes 69888..70000.
    let p = TilePath::for_tree_size(TileKind::Hash(0), 273, n).unwrap();
    assert_eq!(p.to_string(), "tile/0/273.p/112");
    let bytes = tiles::hash_tile_bytes(&mut &t, &p).unwrap();
    let want: Vec<u8> = (69888..70000).flat_map(|i| leaf_hash(&leaves[i])).collect();
    assert_eq!(bytes, want);
    // Level-1 tile 0 holds the roots of the 256-leaf subtrees, computed naively.
    let p = TilePath::hash(1, 0, 256);
    let bytes = tiles::hash_tile_bytes(&mut &t, &p).unwrap();
    let want: Vec<u8> = (0..256)
        .flat_map(|j| naive_root(&leaves[j * 256..(j + 1) * 256]))
        .collect();
    assert_eq!(bytes, want);
    // Level-2 tile 0 has exactly one hash: the root of the first 65536 leaves.
    let p = TilePath::for_tree_size(TileKind::Hash(2), 0, n).unwrap();
    assert_eq!(p.width, 1);
    assert_eq!(
        tiles::hash_tile_bytes(&mut &t, &p).unwrap(),
        naive_root(&leaves[..65536]).to_vec()
    );
    // Entry bundle bytes.
    let bundle = tiles::encode_entry_bundle(&leaves[256..512]).unwrap();
    let mut want = Vec::new();
    for l in &leaves[256..512] {
        want.extend_from_slice(&(l.len() as u16).to_be_bytes());
        want.extend_from_slice(l);
    }
    assert_eq!(bundle, want);
}
