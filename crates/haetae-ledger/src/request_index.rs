//! Request id → leaf index of the first entry with that id.
//!
//! The index lives in memory for the ledger's whole life, one slot per entry, so it dominates the ledger's
//! memory after the tree itself. A `HashMap<String, u64>` costs ~100 bytes per entry (the id's heap
//! allocation, the `String` header, the slot); this keeps a 64-bit keyed hash of the id instead (~25 bytes
//! per entry) and lets the entry on disk confirm a hit. Ids whose hash equals an earlier, different id's go
//! to a small exact map, so a collision (random, or crafted by a client choosing request ids: the hash key is
//! per process) costs memory, never correctness.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

pub(crate) struct RequestIndex<S = RandomState> {
    key: S,
    by_hash: HashMap<u64, u64>,
    /// Ids inserted when their hash was already taken: by a different id, or by an earlier entry with the
    /// same id (then this copy is never consulted, because the hash slot's entry confirms first).
    exact: HashMap<String, u64>,
}

/// Where to look for an id: the hash slot's candidate (to confirm against the entry on disk) and the exact
/// map's answer, taken together under the ledger's lock so the disk read happens outside it.
pub(crate) struct Candidates {
    hashed: Option<u64>,
    exact: Option<u64>,
}

impl Candidates {
    /// The first entry with the id: the hash slot's if its entry really carries the id, else the exact map's.
    pub(crate) fn resolve(self, entry_has_id: impl FnOnce(u64) -> bool) -> Option<u64> {
        match self.hashed {
            Some(index) if entry_has_id(index) => Some(index),
            _ => self.exact,
        }
    }
}

impl RequestIndex {
    pub(crate) fn new() -> Self {
        Self::with_key(RandomState::new())
    }
}

impl<S: BuildHasher> RequestIndex<S> {
    fn with_key(key: S) -> Self {
        RequestIndex {
            key,
            by_hash: HashMap::new(),
            exact: HashMap::new(),
        }
    }

    /// Records `index` for `request_id` unless an earlier entry already holds it. Indices arrive in
    /// increasing order, so the first insert for an id is its first entry.
    pub(crate) fn insert(&mut self, request_id: &str, index: u64) {
        let h = self.key.hash_one(request_id);
        if let std::collections::hash_map::Entry::Vacant(slot) = self.by_hash.entry(h) {
            slot.insert(index);
        } else {
            self.exact.entry(request_id.to_owned()).or_insert(index);
        }
    }

    pub(crate) fn candidates(&self, request_id: &str) -> Candidates {
        Candidates {
            hashed: self.by_hash.get(&self.key.hash_one(request_id)).copied(),
            exact: self.exact.get(request_id).copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasherDefault;

    /// A "hash" under which every id collides, to drive the exact-map path.
    #[derive(Default)]
    struct Constant;
    impl std::hash::Hasher for Constant {
        fn finish(&self) -> u64 {
            7
        }
        fn write(&mut self, _: &[u8]) {}
    }

    fn check<S: BuildHasher>(mut idx: RequestIndex<S>) {
        let ids = ["x", "y", "x", "z", "y"];
        for (i, id) in ids.iter().enumerate() {
            idx.insert(id, i as u64);
        }
        // The closure plays the entry on disk: does entry i carry this id?
        let find = |id: &str| idx.candidates(id).resolve(|i| ids[i as usize] == id);
        assert_eq!(find("x"), Some(0), "first entry wins");
        assert_eq!(find("y"), Some(1));
        assert_eq!(find("z"), Some(3));
        assert_eq!(find("w"), None, "absent id");
    }

    #[test]
    fn first_entry_wins_and_absent_ids_miss() {
        check(RequestIndex::new());
    }

    #[test]
    fn colliding_ids_are_told_apart_by_the_entry() {
        check(RequestIndex::with_key(
            BuildHasherDefault::<Constant>::default(),
        ));
    }
}
