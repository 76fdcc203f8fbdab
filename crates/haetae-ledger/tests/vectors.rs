//! Known-answer tests from the Certificate Transparency / transparency-dev `merkle` test data
//! (testonly/constants.go and proof/verify_test.go).

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use haetae_ledger::merkle::{
    self, Hash, MerkleTree, leaf_hash, verify_consistency, verify_inclusion,
};

fn h(s: &str) -> Hash {
    hex::decode(s).unwrap().try_into().unwrap()
}

fn leaves() -> Vec<Vec<u8>> {
    [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
    .iter()
    .map(|s| hex::decode(s).unwrap())
    .collect()
}

const ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

// (1-based leaf, tree size, proof)
const INCLUSION: &[(u64, u64, &[&str])] = &[
    (
        1,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        &[
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        3,
        3,
        &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    ),
    (
        2,
        5,
        &[
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
];

const CONSISTENCY: &[(u64, u64, &[&str])] = &[
    (1, 1, &[]),
    (
        1,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        &[
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        &[
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
];

fn tree(n: usize) -> MerkleTree {
    MerkleTree::from_leaves(leaves().into_iter().take(n))
}

#[test]
fn roots_of_all_prefixes() {
    assert_eq!(
        hex::encode(MerkleTree::new().root()),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let t = tree(8);
    for (i, r) in ROOTS.iter().enumerate() {
        assert_eq!(hex::encode(tree(i + 1).root()), *r, "size {}", i + 1);
        assert_eq!(hex::encode(t.root_at(i as u64 + 1).unwrap()), *r);
    }
}

#[test]
fn node_hashes_match_reference() {
    let t = tree(8);
    let level0 = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ];
    for (i, x) in level0.iter().enumerate() {
        assert_eq!(hex::encode(t.get_node(0, i as u64).unwrap()), *x);
    }
    let level1 = [
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ];
    for (i, x) in level1.iter().enumerate() {
        assert_eq!(hex::encode(t.get_node(1, i as u64).unwrap()), *x);
    }
    assert_eq!(
        hex::encode(t.get_node(2, 1).unwrap()),
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"
    );
}

#[test]
fn inclusion_vectors_generate_and_verify() {
    let t = tree(8);
    let ls = leaves();
    for &(leaf1, size, proof) in INCLUSION {
        let want: Vec<Hash> = proof.iter().map(|s| h(s)).collect();
        let got = t.inclusion_proof(leaf1 - 1, size).unwrap();
        assert_eq!(got, want, "generation leaf {leaf1} size {size}");
        let root = h(ROOTS[size as usize - 1]);
        let lh = leaf_hash(&ls[leaf1 as usize - 1]);
        verify_inclusion(leaf1 - 1, size, &lh, &want, &root).unwrap();

        // Corrupted probes from verify_test.go must all fail.
        let idx = leaf1 - 1;
        let some = h("abacaba000000000000000000000000000000000000000000060061e00123456");
        let empty = merkle::empty_root();
        let mut bad: Vec<(u64, u64, Hash, Hash, Vec<Hash>)> = vec![
            (idx.wrapping_sub(1), size, root, lh, want.clone()),
            (idx + 1, size, root, lh, want.clone()),
            (idx ^ 2, size, root, lh, want.clone()),
            (idx, size * 2, root, lh, want.clone()),
            (idx, size / 2, root, lh, want.clone()),
            (idx, size, root, leaf_hash(b"WrongLeaf"), want.clone()),
            (idx, size, empty, lh, want.clone()),
            (idx, size, some, lh, want.clone()),
            (idx, size, root, lh, [want.clone(), vec![root]].concat()),
            (idx, size, root, lh, [vec![root], want.clone()].concat()),
        ];
        for i in 0..want.len() {
            let mut w = want.clone();
            w[i][0] ^= 8;
            bad.push((idx, size, root, lh, w));
        }
        if !want.is_empty() {
            bad.push((idx, size, root, lh, want[..want.len() - 1].to_vec()));
        }
        if want.len() > 1 {
            bad.push((
                idx,
                size,
                root,
                lh,
                [vec![want[0], some], want[1..].to_vec()].concat(),
            ));
        }
        for (n, (i, s, r, l, p)) in bad.iter().enumerate() {
            // Probes that happen to describe a true statement (e.g. idx^2 == idx) are skipped.
            if (*i, *s, *r, *l, p) == (idx, size, root, lh, &want) {
                continue;
            }
            assert!(
                verify_inclusion(*i, *s, l, p, r).is_err(),
                "probe {n} verified for leaf {leaf1} size {size}"
            );
        }
    }
    // Degenerate cases.
    assert!(verify_inclusion(0, 0, &[0; 32], &[], &merkle::empty_root()).is_err());
    let one = leaf_hash(b"data");
    verify_inclusion(0, 1, &one, &[], &one).unwrap();
    assert!(verify_inclusion(1, 1, &one, &[], &one).is_err());
}

#[test]
fn consistency_vectors_generate_and_verify() {
    let t = tree(8);
    for &(s1, s2, proof) in CONSISTENCY {
        let want: Vec<Hash> = proof.iter().map(|s| h(s)).collect();
        assert_eq!(t.consistency_proof(s1, s2).unwrap(), want, "{s1}->{s2}");
        let r1 = h(ROOTS[s1 as usize - 1]);
        let r2 = h(ROOTS[s2 as usize - 1]);
        verify_consistency(s1, s2, &r1, &r2, &want).unwrap();
        if want.is_empty() {
            continue;
        }
        let some = h("abacaba000000000000000000000000000000000000000000060061e00123456");
        let mut bad: Vec<(u64, u64, Hash, Hash, Vec<Hash>)> = vec![
            (s1 - 1, s2, r1, r2, want.clone()),
            (s1 + 1, s2, r1, r2, want.clone()),
            (s1 ^ 2, s2, r1, r2, want.clone()),
            (s1, s2 * 2, r1, r2, want.clone()),
            (s1, s2 / 2, r1, r2, want.clone()),
            (s1, s2, some, r2, want.clone()),
            (s1, s2, r1, some, want.clone()),
            (s1, s2, r2, r1, want.clone()),
            (s1, s2, r1, r2, vec![]),
            (s1, s2, r1, r2, [want.clone(), vec![r1]].concat()),
            (s1, s2, r1, r2, [want.clone(), vec![r2]].concat()),
            (s1, s2, r1, r2, [vec![r1], want.clone()].concat()),
            (s1, s2, r1, r2, [vec![r2], want.clone()].concat()),
            (s1, s2, r1, r2, [vec![want[0]], want.clone()].concat()),
            (s1, s2, r1, r2, want[..want.len() - 1].to_vec()),
        ];
        for i in 0..want.len() {
            let mut w = want.clone();
            w[i][0] ^= 16;
            bad.push((s1, s2, r1, r2, w));
        }
        for (n, (a, b, x, y, p)) in bad.iter().enumerate() {
            assert!(
                verify_consistency(*a, *b, x, y, p).is_err(),
                "probe {n} verified for {s1}->{s2}"
            );
        }
    }
    let e = merkle::empty_root();
    let r = h(ROOTS[0]);
    // Always-consistent and never-consistent trivial cases from verify_test.go.
    verify_consistency(0, 0, &e, &e, &[]).unwrap();
    verify_consistency(0, 1, &e, &r, &[]).unwrap();
    verify_consistency(1, 1, &r, &r, &[]).unwrap();
    assert!(verify_consistency(1, 1, &e, &r, &[]).is_err());
    assert!(verify_consistency(1, 0, &r, &e, &[]).is_err());
    assert!(verify_consistency(1, 2, &r, &e, &[]).is_err());
    assert!(verify_consistency(0, 1, &e, &e, &[e]).is_err());
    assert!(verify_consistency(1, 1, &e, &e, &[e]).is_err());
}
