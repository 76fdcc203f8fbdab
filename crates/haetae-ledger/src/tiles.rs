//! C2SP tlog-tiles: tile paths, hash tiles, entry bundles, and a [`NodeSource`] over fetched
//! tiles so clients can compute proofs from tiles alone.
//!
//! Tiles have height 8 (256 hashes wide). A level-`L` hash tile `N` holds the hashes of the tree
//! nodes at tree level `8·L`, indices `256·N .. 256·N + W`; a full tile has `W = 256` and path
//! `tile/<L>/<N>`, a partial tile has `W < 256` and path `tile/<L>/<N>.p/<W>`. Entry bundles
//! `tile/entries/<N>[.p/<W>]` hold entries `256·N ..` each as a big-endian u16 length + bytes.
//! `N` is written in 3-digit groups, every group but the last prefixed by `x`
//! (1234067 → `x001/x234/067`).

use std::collections::{BTreeSet, HashMap};

use crate::merkle::{Hash, NodeSource, node_hash};

/// Tile height (levels per tile).
pub const TILE_HEIGHT: u32 = 8;
/// Full tile width (hashes or entries per tile).
pub const TILE_WIDTH: u64 = 256;

/// What a tile holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TileKind {
    /// Hash tile at tile level `L` (tree level `8·L`).
    Hash(u8),
    /// Entry bundle.
    Entries,
}

/// A parsed tile path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TilePath {
    pub kind: TileKind,
    pub index: u64,
    /// 1..=256; 256 means a full tile (no `.p/` suffix).
    pub width: u16,
}

/// Errors parsing tile paths or tile contents.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TileError {
    #[error("malformed tile path")]
    MalformedPath,
    #[error("tile {0} is not available at this tree size")]
    NotAvailable(String),
    #[error("tile has {got} bytes, expected {want}")]
    WrongTileSize { got: usize, want: usize },
    #[error("malformed entry bundle")]
    MalformedBundle,
    #[error("missing tile for level {level} index {index}")]
    MissingTile { level: u8, index: u64 },
    #[error("entry of {0} bytes does not fit an entry bundle (max 65535)")]
    EntryTooLarge(usize),
}

/// Format `N` as x-prefixed 3-digit groups.
pub fn format_index(n: u64) -> String {
    let digits = n.to_string();
    let pad = (3 - digits.len() % 3) % 3;
    let padded = format!("{}{}", "0".repeat(pad), digits);
    let groups: Vec<&str> = padded
        .as_bytes()
        .chunks(3)
        .map(|c| std::str::from_utf8(c).unwrap_or("000"))
        .collect();
    let last = groups.len() - 1;
    groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            if i < last {
                format!("x{g}")
            } else {
                (*g).to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

impl TilePath {
    /// Hash tile path.
    pub fn hash(level: u8, index: u64, width: u16) -> Self {
        TilePath {
            kind: TileKind::Hash(level),
            index,
            width,
        }
    }

    /// Entry bundle path.
    pub fn entries(index: u64, width: u16) -> Self {
        TilePath {
            kind: TileKind::Entries,
            index,
            width,
        }
    }

    /// The tile (full or partial) at `(kind, index)` for a tree of `size` leaves, if any.
    pub fn for_tree_size(kind: TileKind, index: u64, size: u64) -> Option<TilePath> {
        let shift = match kind {
            TileKind::Hash(l) => u32::from(l) * TILE_HEIGHT,
            TileKind::Entries => 0,
        };
        let available = size.checked_shr(shift).unwrap_or(0);
        let start = index.checked_mul(TILE_WIDTH)?;
        if start >= available {
            return None;
        }
        let width = (available - start).min(TILE_WIDTH) as u16;
        Some(TilePath { kind, index, width })
    }

    pub fn is_full(&self) -> bool {
        u64::from(self.width) == TILE_WIDTH
    }

    /// Parse `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]` (leading `/` and `tile/`
    /// optional, so a router can pass what follows `/ledger/tile/`). Only canonical paths parse.
    pub fn parse(path: &str) -> Result<TilePath, TileError> {
        let p = path.trim_start_matches('/');
        let p = p.strip_prefix("tile/").unwrap_or(p);
        let (head, rest) = p.split_once('/').ok_or(TileError::MalformedPath)?;
        let kind = if head == "entries" {
            TileKind::Entries
        } else {
            let l = parse_small(head).ok_or(TileError::MalformedPath)?;
            // Level 8 tiles would start at tree level 64, beyond any u64-sized tree.
            if l > 7 {
                return Err(TileError::MalformedPath);
            }
            TileKind::Hash(l as u8)
        };
        let (n_part, width) = match rest.split_once(".p/") {
            Some((n, w)) => {
                let w = parse_small(w).ok_or(TileError::MalformedPath)?;
                if w == 0 || u64::from(w) >= TILE_WIDTH {
                    return Err(TileError::MalformedPath);
                }
                (n, w as u16)
            }
            None => (rest, TILE_WIDTH as u16),
        };
        let mut index: u64 = 0;
        let groups: Vec<&str> = n_part.split('/').collect();
        let last = groups.len() - 1;
        for (i, g) in groups.iter().enumerate() {
            let digits = if i < last {
                g.strip_prefix('x').ok_or(TileError::MalformedPath)?
            } else {
                g
            };
            if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(TileError::MalformedPath);
            }
            let v: u64 = digits.parse().map_err(|_| TileError::MalformedPath)?;
            index = index
                .checked_mul(1000)
                .and_then(|x| x.checked_add(v))
                .ok_or(TileError::MalformedPath)?;
        }
        let t = TilePath { kind, index, width };
        // Reject non-canonical spellings (e.g. `x000/005`) so each tile has one URL.
        if t.to_string().trim_start_matches("tile/") != p {
            return Err(TileError::MalformedPath);
        }
        Ok(t)
    }
}

fn parse_small(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 3 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if s.len() > 1 && s.starts_with('0') {
        return None;
    }
    s.parse().ok()
}

impl std::fmt::Display for TilePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            TileKind::Hash(l) => write!(f, "tile/{l}/{}", format_index(self.index))?,
            TileKind::Entries => write!(f, "tile/entries/{}", format_index(self.index))?,
        }
        if !self.is_full() {
            write!(f, ".p/{}", self.width)?;
        }
        Ok(())
    }
}

/// Bytes of hash tile `path` (must be a hash tile) from any node source.
pub fn hash_tile_bytes<S: NodeSource>(src: &mut S, path: &TilePath) -> Result<Vec<u8>, S::Error> {
    let level = match path.kind {
        TileKind::Hash(l) => u32::from(l) * TILE_HEIGHT,
        TileKind::Entries => 0,
    };
    let mut out = Vec::with_capacity(usize::from(path.width) * 32);
    for i in 0..u64::from(path.width) {
        out.extend_from_slice(&src.node(level, path.index * TILE_WIDTH + i)?);
    }
    Ok(out)
}

/// Encode an entry bundle: each entry as big-endian u16 length + bytes.
pub fn encode_entry_bundle<I, D>(entries: I) -> Result<Vec<u8>, TileError>
where
    I: IntoIterator<Item = D>,
    D: AsRef<[u8]>,
{
    let mut out = Vec::new();
    for e in entries {
        let e = e.as_ref();
        let len = u16::try_from(e.len()).map_err(|_| TileError::EntryTooLarge(e.len()))?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(e);
    }
    Ok(out)
}

/// Decode an entry bundle, requiring exactly `width` entries.
pub fn decode_entry_bundle(bytes: &[u8], width: u16) -> Result<Vec<&[u8]>, TileError> {
    let mut out = Vec::with_capacity(usize::from(width));
    let mut pos = 0usize;
    while pos < bytes.len() {
        let len_end = pos
            .checked_add(2)
            .filter(|&e| e <= bytes.len())
            .ok_or(TileError::MalformedBundle)?;
        let len = usize::from(u16::from_be_bytes([bytes[pos], bytes[pos + 1]]));
        let end = len_end
            .checked_add(len)
            .filter(|&e| e <= bytes.len())
            .ok_or(TileError::MalformedBundle)?;
        out.push(&bytes[len_end..end]);
        pos = end;
    }
    if out.len() != usize::from(width) {
        return Err(TileError::MalformedBundle);
    }
    Ok(out)
}

/// Merkle root of a complete, power-of-two-sized run of hashes.
pub(crate) fn fold_complete(hashes: &[Hash]) -> Hash {
    let mut cur: Vec<Hash> = hashes.to_vec();
    while cur.len() > 1 {
        cur = cur.chunks(2).map(|p| node_hash(&p[0], &p[1])).collect();
    }
    cur[0]
}

/// Which hash tile (level, index) and offset range serves node `(level, index)`.
fn locate(level: u32, index: u64) -> (u8, u64, usize, usize) {
    let tile_level = level / TILE_HEIGHT;
    let r = level % TILE_HEIGHT;
    let start = index << r;
    let count = 1usize << r;
    (
        tile_level as u8,
        start / TILE_WIDTH,
        (start % TILE_WIDTH) as usize,
        count,
    )
}

/// A node source that only records which hash tiles a computation would read. Run a proof
/// computation against it first, fetch those tiles, then run it again on a [`TileStore`].
#[derive(Debug, Default)]
pub struct TileRecorder {
    pub needed: BTreeSet<(u8, u64)>,
}

impl NodeSource for TileRecorder {
    type Error = std::convert::Infallible;
    fn node(&mut self, level: u32, index: u64) -> Result<Hash, Self::Error> {
        let (l, n, _, _) = locate(level, index);
        self.needed.insert((l, n));
        Ok([0u8; 32])
    }
}

impl TileRecorder {
    /// The tile paths to fetch for a tree of `size` leaves.
    pub fn paths(&self, size: u64) -> Vec<TilePath> {
        self.needed
            .iter()
            .filter_map(|&(l, n)| TilePath::for_tree_size(TileKind::Hash(l), n, size))
            .collect()
    }
}

/// Hash tiles held in memory (e.g. fetched from a log), usable as a [`NodeSource`].
#[derive(Debug, Default, Clone)]
pub struct TileStore {
    tiles: HashMap<(u8, u64), Vec<Hash>>,
}

impl TileStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add the bytes of hash tile `path`, checking the length matches its width.
    pub fn insert(&mut self, path: &TilePath, bytes: &[u8]) -> Result<(), TileError> {
        let TileKind::Hash(l) = path.kind else {
            return Err(TileError::MalformedPath);
        };
        let want = usize::from(path.width) * 32;
        if bytes.len() != want {
            return Err(TileError::WrongTileSize {
                got: bytes.len(),
                want,
            });
        }
        let hashes = bytes
            .chunks_exact(32)
            .map(|c| {
                let mut h = [0u8; 32];
                h.copy_from_slice(c);
                h
            })
            .collect();
        self.tiles.insert((l, path.index), hashes);
        Ok(())
    }
}

impl NodeSource for TileStore {
    type Error = TileError;
    fn node(&mut self, level: u32, index: u64) -> Result<Hash, TileError> {
        let (l, n, off, count) = locate(level, index);
        let tile = self
            .tiles
            .get(&(l, n))
            .ok_or(TileError::MissingTile { level: l, index: n })?;
        let run = tile
            .get(off..off + count)
            .ok_or(TileError::MissingTile { level: l, index: n })?;
        Ok(fold_complete(run))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_encoding() {
        assert_eq!(format_index(0), "000");
        assert_eq!(format_index(5), "005");
        assert_eq!(format_index(999), "999");
        assert_eq!(format_index(1000), "x001/000");
        assert_eq!(format_index(1234067), "x001/x234/067");
        assert_eq!(
            TilePath::hash(0, 1234067, 256).to_string(),
            "tile/0/x001/x234/067"
        );
        assert_eq!(
            TilePath::entries(1234067, 5).to_string(),
            "tile/entries/x001/x234/067.p/5"
        );
    }

    #[test]
    fn path_parse_roundtrip_and_rejects() {
        for t in [
            TilePath::hash(0, 0, 256),
            TilePath::hash(3, 1234067, 17),
            TilePath::entries(999, 255),
            TilePath::entries(1000, 1),
            TilePath::hash(7, u64::MAX / 256, 256),
        ] {
            assert_eq!(TilePath::parse(&t.to_string()).unwrap(), t);
        }
        assert_eq!(
            TilePath::parse("1/x001/000.p/3").unwrap(),
            TilePath::hash(1, 1000, 3)
        );
        for bad in [
            "tile/0/5",
            "tile/0/x000/005",
            "tile/0/001/000",
            "tile/00/000",
            "tile/8/000",
            "tile/0/000.p/0",
            "tile/0/000.p/256",
            "tile/0/000.p/05",
            "tile/entries/x1/000",
            "tile/0/",
            "tile/0/00a",
            "tile/0/x999/x999/x999/x999/x999/x999/x999/999",
        ] {
            assert!(TilePath::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn widths_for_tree_size() {
        assert_eq!(TilePath::for_tree_size(TileKind::Hash(0), 0, 0), None);
        assert_eq!(
            TilePath::for_tree_size(TileKind::Hash(0), 0, 70000),
            Some(TilePath::hash(0, 0, 256))
        );
        // 70000 = 273·256 + 112
        assert_eq!(
            TilePath::for_tree_size(TileKind::Hash(0), 273, 70000),
            Some(TilePath::hash(0, 273, 112))
        );
        // level 1 holds 70000 >> 8 = 273 nodes: one full tile and a partial of 17.
        assert_eq!(
            TilePath::for_tree_size(TileKind::Hash(1), 1, 70000),
            Some(TilePath::hash(1, 1, 17))
        );
        assert_eq!(
            TilePath::for_tree_size(TileKind::Hash(2), 0, 70000),
            Some(TilePath::hash(2, 0, 1))
        );
        assert_eq!(TilePath::for_tree_size(TileKind::Hash(3), 0, 70000), None);
    }

    #[test]
    fn bundle_roundtrip() {
        let b = encode_entry_bundle([b"a".as_slice(), b"", b"xyz"]).unwrap();
        assert_eq!(b, vec![0, 1, b'a', 0, 0, 0, 3, b'x', b'y', b'z']);
        assert_eq!(
            decode_entry_bundle(&b, 3).unwrap(),
            vec![b"a".as_slice(), b"", b"xyz"]
        );
        assert!(decode_entry_bundle(&b, 2).is_err());
        assert!(decode_entry_bundle(&b[..b.len() - 1], 3).is_err());
        assert!(encode_entry_bundle([vec![0u8; 65536]]).is_err());
    }
}
