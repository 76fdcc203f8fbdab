//! RFC 6962 / RFC 9162 Merkle tree hashing, proof generation and proof verification.
//!
//! Hashing: leaf hash = SHA-256(0x00 || data), interior node = SHA-256(0x01 || left || right),
//! and the empty tree's root is SHA-256("").
//!
//! Proof generation is written once, generically over a [`NodeSource`] that can return the hash of
//! any *complete* (power-of-two sized, aligned) subtree. The in-memory [`MerkleTree`] is one such
//! source; the HTTP client builds another from fetched tlog tiles. Because the RFC's recursive
//! split always leaves the left part complete and aligned, every hash a proof needs is either a
//! complete subtree or a fold of complete subtrees along the right edge.

use sha2::{Digest, Sha256};

/// A SHA-256 hash (leaf, node or root).
pub type Hash = [u8; 32];

/// Hash of a leaf: SHA-256(0x00 || data).
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(data);
    h.finalize().into()
}

/// Hash of an interior node: SHA-256(0x01 || left || right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// Root of the empty tree: SHA-256 of the empty string.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// Why a proof failed to verify or could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("leaf index {index} is not below tree size {size}")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("old size {old} is larger than new size {new}")]
    SizesReversed { old: u64, new: u64 },
    #[error("proof has the wrong number of hashes")]
    WrongLength,
    #[error("recomputed root does not match the expected root")]
    RootMismatch,
    #[error("proof must be empty for these sizes")]
    NotEmpty,
}

/// Anything that can return the hash of the complete subtree at `(level, index)`: the subtree
/// covering leaves `[index << level, (index + 1) << level)`.
pub trait NodeSource {
    type Error;
    fn node(&mut self, level: u32, index: u64) -> Result<Hash, Self::Error>;
}

/// Largest power of two strictly smaller than `n` (n >= 2).
fn split_point(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1u64 << (63 - (n - 1).leading_zeros())
}

/// Hash of the (not necessarily complete) subtree over leaves `[start, end)`, `start < end`.
/// `start` must be aligned as in the RFC recursion, which all callers here guarantee.
pub fn subtree_hash<S: NodeSource>(src: &mut S, start: u64, end: u64) -> Result<Hash, S::Error> {
    let n = end - start;
    if n.is_power_of_two() {
        let level = n.trailing_zeros();
        return src.node(level, start >> level);
    }
    let k = split_point(n);
    let left = subtree_hash(src, start, start + k)?;
    let right = subtree_hash(src, start + k, end)?;
    Ok(node_hash(&left, &right))
}

/// Root hash of the first `size` leaves.
pub fn root_hash<S: NodeSource>(src: &mut S, size: u64) -> Result<Hash, S::Error> {
    if size == 0 {
        return Ok(empty_root());
    }
    subtree_hash(src, 0, size)
}

/// RFC 9162 §2.1.3.1 inclusion proof (PATH) for leaf `index` in the tree of size `size`.
/// The caller must ensure `index < size`.
pub fn inclusion_proof<S: NodeSource>(
    src: &mut S,
    index: u64,
    size: u64,
) -> Result<Vec<Hash>, S::Error> {
    let mut out = Vec::new();
    path(src, index, 0, size, &mut out)?;
    Ok(out)
}

fn path<S: NodeSource>(
    src: &mut S,
    m: u64,
    start: u64,
    end: u64,
    out: &mut Vec<Hash>,
) -> Result<(), S::Error> {
    let n = end - start;
    if n <= 1 {
        return Ok(());
    }
    let k = split_point(n);
    if m < start + k {
        path(src, m, start, start + k, out)?;
        out.push(subtree_hash(src, start + k, end)?);
    } else {
        path(src, m, start + k, end, out)?;
        out.push(subtree_hash(src, start, start + k)?);
    }
    Ok(())
}

/// RFC 9162 §2.1.4.1 consistency proof between tree sizes `old` and `new` (`old <= new`).
/// Empty when `old == 0` or `old == new`.
pub fn consistency_proof<S: NodeSource>(
    src: &mut S,
    old: u64,
    new: u64,
) -> Result<Vec<Hash>, S::Error> {
    let mut out = Vec::new();
    if old == 0 || old >= new {
        return Ok(out);
    }
    subproof(src, old, 0, new, true, &mut out)?;
    Ok(out)
}

fn subproof<S: NodeSource>(
    src: &mut S,
    m: u64,
    start: u64,
    end: u64,
    b: bool,
    out: &mut Vec<Hash>,
) -> Result<(), S::Error> {
    let n = end - start;
    if m == n {
        if !b {
            out.push(subtree_hash(src, start, end)?);
        }
        return Ok(());
    }
    let k = split_point(n);
    if m <= k {
        subproof(src, m, start, start + k, b, out)?;
        out.push(subtree_hash(src, start + k, end)?);
    } else {
        subproof(src, m - k, start + k, end, false, out)?;
        out.push(subtree_hash(src, start, start + k)?);
    }
    Ok(())
}

/// Recompute the root from an inclusion proof (RFC 9162 §2.1.3.2).
pub fn root_from_inclusion_proof(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
) -> Result<Hash, ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let mut f = index;
    let mut s = size - 1;
    let mut r = *leaf;
    for p in proof {
        if s == 0 {
            return Err(ProofError::WrongLength);
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            if f & 1 == 0 {
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength);
    }
    Ok(r)
}

/// Verify that `leaf` is at `index` in the tree of `size` with root `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    let got = root_from_inclusion_proof(index, size, leaf, proof)?;
    if &got != root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// Verify a consistency proof between `(old, old_root)` and `(new, new_root)`
/// (RFC 9162 §2.1.4.2). A zero-sized old tree is consistent with anything (empty proof); equal
/// sizes need an empty proof and equal roots.
pub fn verify_consistency(
    old: u64,
    new: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    if old > new {
        return Err(ProofError::SizesReversed { old, new });
    }
    if old == new {
        if !proof.is_empty() {
            return Err(ProofError::NotEmpty);
        }
        if old_root != new_root {
            return Err(ProofError::RootMismatch);
        }
        return Ok(());
    }
    if old == 0 {
        if !proof.is_empty() {
            return Err(ProofError::NotEmpty);
        }
        return Ok(());
    }
    if proof.is_empty() {
        return Err(ProofError::WrongLength);
    }
    // Step 2: a power-of-two old tree is itself a node of the new tree, so the proof omits it.
    let mut path: Vec<&Hash> = Vec::with_capacity(proof.len() + 1);
    if old.is_power_of_two() {
        path.push(old_root);
    }
    path.extend(proof.iter());
    let mut f = old - 1;
    let mut s = new - 1;
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let mut fr = *path[0];
    let mut sr = *path[0];
    for c in &path[1..] {
        if s == 0 {
            return Err(ProofError::WrongLength);
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if f & 1 == 0 {
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength);
    }
    if &fr != old_root || &sr != new_root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// An in-memory Merkle tree holding every complete subtree hash, level by level.
///
/// Level 0 holds the leaf hashes; level `k` holds the hashes of the complete subtrees of `2^k`
/// leaves. This costs about 2 × 32 bytes per leaf (64 MiB at one million entries) and makes every
/// complete-subtree lookup O(1), so proofs and tiles cost O(log² n) hash operations at worst.
#[derive(Debug, Clone, Default)]
pub struct MerkleTree {
    levels: Vec<Vec<Hash>>,
}

impl MerkleTree {
    pub fn new() -> Self {
        Self::default()
    }

    /// Build a tree from raw leaf data.
    pub fn from_leaves<I, D>(leaves: I) -> Self
    where
        I: IntoIterator<Item = D>,
        D: AsRef<[u8]>,
    {
        let mut t = Self::new();
        for l in leaves {
            t.push_leaf_hash(leaf_hash(l.as_ref()));
        }
        t
    }

    /// Number of leaves.
    pub fn size(&self) -> u64 {
        self.levels.first().map_or(0, |l| l.len() as u64)
    }

    /// Append a leaf by its hash; returns its index. Amortised O(1).
    pub fn push_leaf_hash(&mut self, h: Hash) -> u64 {
        if self.levels.is_empty() {
            self.levels.push(Vec::new());
        }
        self.levels[0].push(h);
        let index = self.levels[0].len() as u64 - 1;
        let mut i = index;
        let mut level = 0usize;
        let mut cur = h;
        // Each time the new node is a right child, its parent became complete.
        while i & 1 == 1 {
            let left = self.levels[level][(i - 1) as usize];
            cur = node_hash(&left, &cur);
            level += 1;
            if self.levels.len() <= level {
                self.levels.push(Vec::new());
            }
            self.levels[level].push(cur);
            i >>= 1;
        }
        index
    }

    /// Hash of a complete subtree, if it exists in this tree.
    pub fn get_node(&self, level: u32, index: u64) -> Option<Hash> {
        self.levels
            .get(level as usize)
            .and_then(|l| usize::try_from(index).ok().and_then(|i| l.get(i)))
            .copied()
    }

    /// Leaf hash at `index`.
    pub fn leaf(&self, index: u64) -> Option<Hash> {
        self.get_node(0, index)
    }

    /// Root of the first `size` leaves (`size <= self.size()`).
    pub fn root_at(&self, size: u64) -> Result<Hash, ProofError> {
        if size > self.size() {
            return Err(ProofError::IndexOutOfRange {
                index: size,
                size: self.size(),
            });
        }
        root_hash(&mut &*self, size)
    }

    /// Root of the whole tree.
    pub fn root(&self) -> Hash {
        // size() is always in range, and the source cannot fail for in-range nodes.
        self.root_at(self.size()).unwrap_or_else(|_| empty_root())
    }

    /// Inclusion proof for `index` in the tree of size `size` (`index < size <= self.size()`).
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, ProofError> {
        if size > self.size() || index >= size {
            return Err(ProofError::IndexOutOfRange { index, size });
        }
        inclusion_proof(&mut &*self, index, size)
    }

    /// Consistency proof between `old` and `new` (`old <= new <= self.size()`).
    pub fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>, ProofError> {
        if old > new {
            return Err(ProofError::SizesReversed { old, new });
        }
        if new > self.size() {
            return Err(ProofError::IndexOutOfRange {
                index: new,
                size: self.size(),
            });
        }
        consistency_proof(&mut &*self, old, new)
    }
}

impl NodeSource for &MerkleTree {
    type Error = ProofError;
    fn node(&mut self, level: u32, index: u64) -> Result<Hash, ProofError> {
        self.get_node(level, index)
            .ok_or(ProofError::IndexOutOfRange {
                index: index << level,
                size: self.size(),
            })
    }
}

/// The right edge of a growing tree: the last complete-subtree hash at each level. It is all an appender
/// needs to compute the interior nodes a new leaf completes, so a tree whose nodes live on disk can grow
/// with O(log n) memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Frontier {
    size: u64,
    /// `last[k]` is node `(k, (size >> k) - 1)` wherever `size >> k >= 1`.
    last: Vec<Hash>,
}

impl Frontier {
    pub(crate) fn size(&self) -> u64 {
        self.size
    }

    /// Root of the tree so far, from the frontier alone: the complete subtrees along the right edge are
    /// exactly the last nodes of the levels whose bit is set in the size, folded right to left.
    pub(crate) fn root(&self) -> Hash {
        let mut root: Option<Hash> = None;
        for (level, last) in self.last.iter().enumerate() {
            if (self.size >> level) & 1 == 1 {
                root = Some(match root {
                    None => *last,
                    Some(right) => node_hash(last, &right),
                });
            }
        }
        root.unwrap_or_else(empty_root)
    }

    /// Appends a leaf hash and reports, bottom up, every node this completes as `(level, index, hash)`:
    /// the leaf itself at level 0, then each parent whose right child it became. Returns the leaf's index.
    pub(crate) fn push(&mut self, leaf: Hash, mut emit: impl FnMut(u32, u64, &Hash)) -> u64 {
        let index = self.size;
        let mut i = index;
        let mut level = 0usize;
        let mut cur = leaf;
        loop {
            // The previous last node of this level is the left sibling exactly when `i` is odd; read it
            // before this node takes its place.
            let left = (i & 1 == 1)
                .then(|| self.last.get(level).copied())
                .flatten();
            if let Some(slot) = self.last.get_mut(level) {
                *slot = cur;
            } else {
                self.last.push(cur);
            }
            emit(level as u32, i, &cur);
            match left {
                Some(l) => {
                    cur = node_hash(&l, &cur);
                    i >>= 1;
                    level += 1;
                }
                None => break,
            }
        }
        self.size += 1;
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_point_is_largest_power_below() {
        assert_eq!(split_point(2), 1);
        assert_eq!(split_point(3), 2);
        assert_eq!(split_point(4), 2);
        assert_eq!(split_point(5), 4);
        assert_eq!(split_point(8), 4);
        assert_eq!(split_point(9), 8);
    }

    #[test]
    fn empty_root_is_sha256_of_nothing() {
        assert_eq!(
            hex::encode(empty_root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(MerkleTree::new().root(), empty_root());
    }

    #[test]
    fn frontier_emits_every_node_of_the_tree_once() {
        let mut t = MerkleTree::new();
        let mut f = Frontier::default();
        let mut seen = Vec::new();
        for i in 0..300u64 {
            let leaf = leaf_hash(&i.to_be_bytes());
            assert_eq!(f.push(leaf, |l, n, h| seen.push((l, n, *h))), i);
            t.push_leaf_hash(leaf);
            assert_eq!(f.root(), t.root());
        }
        assert_eq!(f.size(), 300);
        assert_eq!(Frontier::default().root(), empty_root());
        // Every complete subtree of 300 leaves: 300 + 150 + 75 + 37 + 18 + 9 + 4 + 2 + 1.
        assert_eq!(seen.len(), 596);
        for (l, n, h) in seen {
            assert_eq!(t.get_node(l, n), Some(h), "node ({l}, {n})");
        }
    }
}
