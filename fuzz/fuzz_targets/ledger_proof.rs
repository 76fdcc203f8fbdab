//! Merkle proof verification (`merkle::verify_inclusion`, `verify_consistency`) against a real tree
//! (`haetae_fuzz::ledger`, 1100 entries), with proofs tampered by the fuzz input, plus proof generation and
//! tile-based proofs on arbitrary sizes.
//!
//! Checks:
//! * no panic, whatever the indices, sizes, hashes and proof lengths;
//! * a genuine proof verifies (completeness), including one computed from hash tiles;
//! * a tampered proof never verifies for the claim it was tampered against: with the tree size and root fixed, an
//!   inclusion proof is accepted only for the real leaf at the real index with the real path, and a consistency
//!   proof only with the real path (old size 0 is consistent with anything by definition).

#![no_main]

use arbitrary::Arbitrary;
use haetae_fuzz::ledger::{self, LEAVES};
use haetae_ledger::merkle::{self, Hash, MerkleTree};
use haetae_ledger::tiles::{TileRecorder, TileStore, hash_tile_bytes};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Edit {
    /// XOR one byte of the proof (offset over all proof bytes).
    Flip {
        at: u16,
        mask: u8,
    },
    Truncate(u8),
    Push([u8; 32]),
    Remove(u8),
    Swap(u8, u8),
    Duplicate(u8),
    /// Put a real node of the tree (a hash the verifier might plausibly be fooled by) at a position.
    RealNode {
        at: u8,
        level: u8,
        index: u16,
    },
    /// Put a real root (of any size) at a position.
    InsertRoot {
        at: u8,
        size: u16,
    },
    SetIndex(u64),
    SetSize(u64),
    /// Inclusion: claim the proof is for another leaf's data.
    SetLeaf(u16),
}

#[derive(Arbitrary, Debug)]
enum Case {
    Inclusion {
        size: u16,
        index: u16,
        edits: Vec<Edit>,
    },
    Consistency {
        old: u16,
        new: u16,
        edits: Vec<Edit>,
    },
    /// Entirely arbitrary claims: only "no panic" (and no proof for an empty tree) can be asserted.
    Raw {
        index: u64,
        size: u64,
        leaf: Hash,
        root: Hash,
        root2: Hash,
        proof: Vec<Hash>,
    },
    /// Proof generation on arbitrary (possibly out-of-range) arguments.
    Generate { a: u64, b: u64 },
    /// Proofs computed from hash tiles, as the outside verifier does, equal the tree's.
    Tiles { size: u16, index: u16, old: u16 },
}

fn apply(
    tree: &MerkleTree,
    proof: &mut Vec<Hash>,
    edit: &Edit,
    index: &mut u64,
    size: &mut u64,
    leaf: &mut Hash,
) {
    let len = proof.len();
    match *edit {
        Edit::Flip { at, mask } if len > 0 && mask != 0 => {
            let at = usize::from(at) % (len * 32);
            proof[at / 32][at % 32] ^= mask;
        }
        Edit::Truncate(n) => proof.truncate(usize::from(n) % (len + 1)),
        Edit::Push(h) if len < 80 => proof.push(h),
        Edit::Remove(i) if len > 0 => {
            proof.remove(usize::from(i) % len);
        }
        Edit::Swap(a, b) if len > 0 => proof.swap(usize::from(a) % len, usize::from(b) % len),
        Edit::Duplicate(i) if len > 0 && len < 80 => {
            let h = proof[usize::from(i) % len];
            proof.insert(usize::from(i) % len, h);
        }
        Edit::RealNode { at, level, index } => {
            if let Some(h) = tree.get_node(u32::from(level % 12), u64::from(index)) {
                if len > 0 && at % 2 == 0 {
                    proof[usize::from(at) % len] = h;
                } else if len < 80 {
                    proof.insert(usize::from(at) % (len + 1), h);
                }
            }
        }
        Edit::InsertRoot { at, size } => {
            if let Ok(h) = tree.root_at(u64::from(size) % (LEAVES + 1)) {
                if len < 80 {
                    proof.insert(usize::from(at) % (len + 1), h);
                }
            }
        }
        Edit::SetIndex(i) => *index = i,
        Edit::SetSize(s) => *size = s,
        Edit::SetLeaf(j) => {
            if let Some(h) = tree.leaf(u64::from(j) % LEAVES) {
                *leaf = h;
            }
        }
        _ => {}
    }
}

fn inclusion(size: u16, index: u16, edits: &[Edit]) {
    let f = ledger::fixture();
    let n = u64::from(size) % LEAVES + 1;
    let i = u64::from(index) % n;
    let real = f.tree.inclusion_proof(i, n).expect("proof");
    let real_leaf = f.tree.leaf(i).expect("leaf");
    let root = f.root(n);
    merkle::verify_inclusion(i, n, &real_leaf, &real, &root)
        .expect("a genuine inclusion proof verifies");

    let (mut proof, mut i2, mut n2, mut leaf) = (real.clone(), i, n, real_leaf);
    for e in edits.iter().take(8) {
        apply(&f.tree, &mut proof, e, &mut i2, &mut n2, &mut leaf);
    }
    let accepted = merkle::verify_inclusion(i2, n2, &leaf, &proof, &root).is_ok();
    // The tree size travels with its root in the signed checkpoint, so with the size fixed the claim is the
    // attacker's: an accepted proof must be a true statement about the tree (the leaf really is at that index,
    // with exactly that path). With another size the root is not that size's root, and only "no panic" holds.
    if accepted && n2 == n {
        assert!(
            i2 < n
                && f.tree.leaf(i2) == Some(leaf)
                && f.tree.inclusion_proof(i2, n).ok() == Some(proof.clone()),
            "false inclusion claim accepted: leaf {i} of {n} tampered to index {i2}, edits {edits:?}"
        );
    }
    if (i2, n2, leaf) == (i, n, real_leaf) && proof == real {
        assert!(accepted, "edits that were no-ops broke a genuine proof");
    }
}

fn consistency(old: u16, new: u16, edits: &[Edit]) {
    let f = ledger::fixture();
    let n = u64::from(new) % LEAVES + 1;
    let m = u64::from(old) % (n + 1);
    let real = f.tree.consistency_proof(m, n).expect("proof");
    let (old_root, new_root) = (f.root(m), f.root(n));
    merkle::verify_consistency(m, n, &old_root, &new_root, &real)
        .expect("a genuine consistency proof verifies");

    let (mut proof, mut m2, mut n2, mut unused) = (real.clone(), m, n, [0u8; 32]);
    for e in edits.iter().take(8) {
        // SetIndex moves the old size, SetSize the new size.
        apply(&f.tree, &mut proof, e, &mut m2, &mut n2, &mut unused);
    }
    let accepted = merkle::verify_consistency(m2, n2, &old_root, &new_root, &proof).is_ok();
    if accepted && (m2, n2) == (m, n) && m > 0 {
        assert_eq!(
            proof, real,
            "tampered consistency proof accepted for {m} -> {n}, edits {edits:?}"
        );
    }
    if accepted && m2 == 0 {
        assert!(
            proof.is_empty(),
            "a non-empty proof from the empty tree accepted"
        );
    }
    // As for inclusion, a claimed size other than the real one pairs a root with the wrong size: only "no panic".
    if (m2, n2) == (m, n) && proof == real {
        assert!(accepted, "edits that were no-ops broke a genuine proof");
    }
}

fn raw(index: u64, size: u64, leaf: &Hash, root: &Hash, root2: &Hash, proof: &[Hash]) {
    let _ = merkle::root_from_inclusion_proof(index, size, leaf, proof);
    let r = merkle::verify_inclusion(index, size, leaf, proof, root);
    if size == 0 || index >= size {
        assert!(r.is_err(), "inclusion in an empty range accepted");
    }
    let c = merkle::verify_consistency(index, size, root, root2, proof);
    if index > size {
        assert!(c.is_err(), "reversed sizes accepted");
    }
    if c.is_ok() && index == size {
        assert!(proof.is_empty() && root == root2);
    }
}

fn generate(a: u64, b: u64) {
    let f = ledger::fixture();
    // Bring one argument in range half of the time so both error and success paths are exercised.
    let (a, b) = if a & 1 == 0 {
        ((a >> 1) % (LEAVES + 1), b % (LEAVES + 1))
    } else {
        (a, b)
    };
    match f.tree.inclusion_proof(a, b) {
        Ok(p) => {
            assert!(a < b && b <= LEAVES);
            let leaf = f.tree.leaf(a).expect("leaf");
            merkle::verify_inclusion(a, b, &leaf, &p, &f.root(b))
                .expect("generated inclusion proof verifies");
        }
        Err(_) => assert!(a >= b || b > LEAVES),
    }
    match f.tree.consistency_proof(a, b) {
        Ok(p) => {
            assert!(a <= b && b <= LEAVES);
            merkle::verify_consistency(a, b, &f.root(a), &f.root(b), &p)
                .expect("generated consistency proof verifies");
        }
        Err(_) => assert!(a > b || b > LEAVES),
    }
    let _ = f.tree.root_at(a);
    let _ = f.tree.get_node((b % 64) as u32, a);
}

fn tiles(size: u16, index: u16, old: u16) {
    let f = ledger::fixture();
    let n = u64::from(size) % LEAVES + 1;
    let i = u64::from(index) % n;
    let m = u64::from(old) % (n + 1);
    let mut rec = TileRecorder::default();
    merkle::inclusion_proof(&mut rec, i, n).expect("record");
    merkle::consistency_proof(&mut rec, m, n).expect("record");
    merkle::root_hash(&mut rec, n).expect("record");
    let mut store = TileStore::new();
    let mut src = &f.tree;
    for path in rec.paths(n) {
        let bytes = hash_tile_bytes(&mut src, &path).expect("tile bytes");
        store.insert(&path, &bytes).expect("insert tile");
    }
    assert_eq!(
        merkle::root_hash(&mut store, n).expect("root from tiles"),
        f.root(n)
    );
    assert_eq!(
        merkle::inclusion_proof(&mut store, i, n).expect("inclusion from tiles"),
        f.tree.inclusion_proof(i, n).expect("inclusion")
    );
    assert_eq!(
        merkle::consistency_proof(&mut store, m, n).expect("consistency from tiles"),
        f.tree.consistency_proof(m, n).expect("consistency")
    );
}

fuzz_target!(|case: Case| {
    match case {
        Case::Inclusion { size, index, edits } => inclusion(size, index, &edits),
        Case::Consistency { old, new, edits } => consistency(old, new, &edits),
        Case::Raw {
            index,
            size,
            leaf,
            root,
            root2,
            proof,
        } => raw(index, size, &leaf, &root, &root2, &proof),
        Case::Generate { a, b } => generate(a, b),
        Case::Tiles { size, index, old } => tiles(size, index, old),
    }
});
