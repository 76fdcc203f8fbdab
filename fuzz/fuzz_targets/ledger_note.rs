//! Signed notes, checkpoints, verifier keys, cosignatures and proof responses as an outside verifier receives
//! them from a (possibly hostile) log: `Note::parse`, `Checkpoint::parse_body`, `NoteVerifier::parse`,
//! `Checkpoint::open`, `witness::open_witnessed_checkpoint`, and `InclusionProofResponse` /
//! `ConsistencyProofResponse` JSON with `verify`.
//!
//! The seeds are real signed checkpoints and proof responses of a deterministic log (`haetae_fuzz::ledger`), so
//! the fuzzer starts from valid signatures and tampers with them. Checks: no panic; notes and checkpoint bodies
//! are canonical (they re-serialise to the input); and nothing that is not the log's truth is ever accepted — an
//! opened checkpoint is one the log actually had, a verified inclusion proof names the real entry at that
//! index, a verified consistency proof ends at a real checkpoint.

#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use haetae_fuzz::ledger::{self, BASE_TS, LEAVES};
use haetae_ledger::api::{ConsistencyProofResponse, InclusionProofResponse};
use haetae_ledger::{Checkpoint, Note, NoteVerifier, witness};
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: ledger::maybe_write_seeds(ledger::write_note_seeds),
    |data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        let f = ledger::fixture();

        if let Ok(note) = Note::parse(text) {
            assert_eq!(note.to_text(), text, "note is not canonical: {note:?}");
            assert!(!note.signatures.is_empty());
        }
        if let Ok(cp) = Checkpoint::parse_body(text) {
            assert_eq!(cp.body(), text, "checkpoint body is not canonical: {cp:?}");
        }
        if let Ok(v) = NoteVerifier::parse(text) {
            let back = NoteVerifier::parse(&v.to_string()).expect("display form parses");
            assert_eq!(back, v);
        }

        if let Ok((cp, note)) = Checkpoint::open(text, &f.verifier) {
            assert!(f.is_genuine(&cp), "forged checkpoint accepted: {cp:?}");
            assert_eq!(note.text, cp.body());
            if let Some(ts) = witness::verify_cosignature(&note, &f.witness) {
                assert_eq!(ts, BASE_TS + cp.size, "forged cosignature accepted");
            }
        }
        // The log key is no witness key and the witness key signs no checkpoints.
        assert!(witness::open_witnessed_checkpoint(text, &f.witness, &[f.witness.clone()], 0).is_err());
        if let Ok(cp) = witness::open_witnessed_checkpoint(text, &f.verifier, &[f.witness.clone()], 1) {
            assert!(f.is_genuine(&cp), "forged witnessed checkpoint accepted: {cp:?}");
        }

        if let Ok(r) = serde_json::from_str::<InclusionProofResponse>(text) {
            if let Ok((cp, entry)) = r.verify(&f.verifier) {
                assert!(f.is_genuine(&cp), "forged checkpoint in an inclusion proof: {cp:?}");
                assert!(r.leaf_index < cp.size);
                let raw = B64.decode(&r.entry).expect("verified entry is base64");
                assert_eq!(
                    raw, f.entries[r.leaf_index as usize],
                    "inclusion proof accepted for an entry the log does not hold at {}",
                    r.leaf_index
                );
                assert_eq!(entry.request_id, r.request_id);
            }
        }
        if let Ok(r) = serde_json::from_str::<ConsistencyProofResponse>(text) {
            if r.old_size <= LEAVES {
                let old = f.checkpoint(r.old_size);
                if let Ok(cp) = r.verify(&f.verifier, &old) {
                    assert!(f.is_genuine(&cp), "forged checkpoint in a consistency proof: {cp:?}");
                    assert!(cp.size >= old.size);
                }
            }
        }
    }
);
