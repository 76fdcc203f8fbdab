//! Ledger entry decoding from bytes (`Entry::decode`), entry bundles (`tiles::decode_entry_bundle`) and tile paths
//! (`TilePath::parse`) — what an outside verifier reads from a hostile log.
//!
//! Checks: no panic; the encoding is canonical (`encode(decode(b)) == b` whenever `decode(b)` succeeds, as
//! docs/ledger-format.md promises); bundles and tile paths round-trip; a tile path only parses in its canonical
//! spelling.

#![no_main]

use haetae_ledger::tiles::{TileKind, decode_entry_bundle, encode_entry_bundle};
use haetae_ledger::{Entry, TilePath};
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: haetae_fuzz::ledger::maybe_write_seeds(haetae_fuzz::ledger::write_entry_seeds),
    |data: &[u8]| {
        if let Ok(entry) = Entry::decode(data) {
            let again = entry.encode().expect("a decoded entry encodes");
            assert_eq!(again, data, "non-canonical encoding accepted: {entry:?}");
        }

        // The same bytes as an entry bundle of any width 1..=256.
        if let Some((&w, rest)) = data.split_first() {
            let width = u16::from(w) + 1;
            if let Ok(entries) = decode_entry_bundle(rest, width) {
                assert_eq!(entries.len(), usize::from(width));
                let again = encode_entry_bundle(&entries).expect("re-encode");
                assert_eq!(again, rest);
                for e in entries {
                    if let Ok(entry) = Entry::decode(e) {
                        assert_eq!(entry.encode().expect("encode"), e);
                    }
                }
            }
        }

        // As a tile path (what `/ledger/tile/{*path}` hands to the ledger).
        if let Ok(s) = std::str::from_utf8(data) {
            if let Ok(t) = TilePath::parse(s) {
                assert!(t.width >= 1 && u64::from(t.width) <= 256);
                if let TileKind::Hash(l) = t.kind {
                    assert!(l <= 7);
                }
                let shown = t.to_string();
                assert_eq!(TilePath::parse(&shown).expect("display form parses"), t);
                let canonical = s.trim_start_matches('/');
                assert!(
                    canonical == shown || Some(canonical) == shown.strip_prefix("tile/"),
                    "{s:?} parsed but is not the canonical {shown:?}"
                );
                // Availability arithmetic on any tree size must not overflow.
                for size in [0, 1, 255, 256, 257, u64::MAX / 2, u64::MAX] {
                    let _ = TilePath::for_tree_size(t.kind, t.index, size);
                }
            }
        }
    }
);
