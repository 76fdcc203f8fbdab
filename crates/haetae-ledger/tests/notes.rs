//! Signed notes, checkpoints, cosignatures and the witness, against the C2SP formats.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use haetae_ledger::merkle::MerkleTree;
use haetae_ledger::note::{
    ALG_COSIGNATURE_V1, Checkpoint, Note, NoteError, NoteSigner, NoteVerifier, key_hash,
};
use haetae_ledger::witness::{self, Witness, WitnessError};
use sha2::{Digest, Sha256};

const GO_SKEY: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_TEXT: &str = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_SIG: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

#[test]
fn go_sumdb_note_known_answer() {
    // Ed25519 is deterministic, so signing the Go example must give the Go signature byte for byte.
    let signer = NoteSigner::from_private_key_string(GO_SKEY).unwrap();
    assert_eq!(signer.verifier().to_string(), GO_VKEY);
    assert_eq!(signer.to_private_key_string(), GO_SKEY);
    let note = signer.sign_note(GO_TEXT).unwrap();
    assert_eq!(note, format!("{GO_TEXT}\n{GO_SIG}"));
    let v = NoteVerifier::parse(GO_VKEY).unwrap();
    let parsed = Note::parse(&note).unwrap();
    assert!(parsed.verify(&v));
    assert_eq!(parsed.to_text(), note);
    let tampered = Note::parse(&note.replace("cryptography", "cryptographY")).unwrap();
    assert!(!tampered.verify(&v));
}

#[test]
fn key_hash_is_spec_formula() {
    let s = NoteSigner::generate("log.example").unwrap();
    let pk_b64 = s
        .verifier()
        .to_string()
        .splitn(3, '+')
        .nth(2)
        .unwrap()
        .to_owned();
    let raw = B64.decode(pk_b64).unwrap();
    assert_eq!(raw[0], 0x01);
    let mut h = Sha256::new();
    h.update(b"log.example\n\x01");
    h.update(&raw[1..]);
    let d = h.finalize();
    assert_eq!(s.key_hash(), u32::from_be_bytes([d[0], d[1], d[2], d[3]]));
    let pk: [u8; 32] = raw[1..].try_into().unwrap();
    assert_eq!(key_hash("log.example", 0x01, &pk), s.key_hash());
    assert_ne!(key_hash("log.example", 0x04, &pk), s.key_hash());
}

#[test]
fn checkpoint_format_sign_and_verify() {
    let signer = NoteSigner::generate("haetae.example/ledger").unwrap();
    let t = MerkleTree::from_leaves([b"a", b"b", b"c"]);
    let cp = Checkpoint {
        origin: "haetae.example/ledger".into(),
        size: 3,
        root: t.root(),
        extensions: vec![],
    };
    let text = cp.sign(&signer).unwrap();
    let expected_body = format!("haetae.example/ledger\n3\n{}\n", B64.encode(t.root()));
    assert!(text.starts_with(&format!("{expected_body}\n\u{2014} haetae.example/ledger ")));
    assert!(text.ends_with('\n'));
    // The signature line decodes to key hash (4) + Ed25519 signature (64).
    let sig_line = text.lines().last().unwrap();
    let raw = B64.decode(sig_line.rsplit(' ').next().unwrap()).unwrap();
    assert_eq!(raw.len(), 68);
    assert_eq!(
        u32::from_be_bytes(raw[..4].try_into().unwrap()),
        signer.key_hash()
    );

    let (got, _) = Checkpoint::open(&text, &signer.verifier()).unwrap();
    assert_eq!(got, cp);
    // Wrong key, tampered size, tampered root all fail.
    let other = NoteSigner::generate("haetae.example/ledger").unwrap();
    assert!(Checkpoint::open(&text, &other.verifier()).is_err());
    assert!(Checkpoint::open(&text.replacen("\n3\n", "\n4\n", 1), &signer.verifier()).is_err());
    let mut root2 = t.root();
    root2[0] ^= 1;
    let forged = text.replace(&B64.encode(t.root()), &B64.encode(root2));
    assert!(Checkpoint::open(&forged, &signer.verifier()).is_err());
    // Malformed bodies.
    for bad in [
        "o\n03\nAAAA\n",
        "o\n-1\n",
        "o\n1\nnotbase64!\n",
        "\n1\n",
        "o\n1\n",
    ] {
        assert!(Checkpoint::parse_body(bad).is_err(), "{bad:?}");
    }
    // Extension lines survive.
    let ext = Checkpoint {
        extensions: vec!["ext line".into()],
        ..cp.clone()
    };
    let (got, _) = Checkpoint::open(&ext.sign(&signer).unwrap(), &signer.verifier()).unwrap();
    assert_eq!(got, ext);
}

#[test]
fn note_parse_rejects_garbage() {
    for bad in [
        "",
        "x",
        "text\n",
        "text\n\n",
        "text\n\nno dash\n",
        "text\n\n\u{2014} name !!!\n",
        "a\x01\n\n\u{2014} n AAAAAAA=\n",
    ] {
        assert!(Note::parse(bad).is_err(), "{bad:?}");
    }
}

fn witness_key(name: &str) -> NoteSigner {
    NoteSigner::generate_with_alg(name, ALG_COSIGNATURE_V1).unwrap()
}

#[test]
fn cosignature_format_and_verification() {
    let log = NoteSigner::generate("log.example").unwrap();
    let w = witness_key("witness.example");
    let cp = Checkpoint {
        origin: "log.example".into(),
        size: 5,
        root: [9; 32],
        extensions: vec![],
    };
    let body = cp.body();
    let note = cp.sign(&log).unwrap();
    let sig = witness::cosign(&w, &body, 1_700_000_000).unwrap();
    let line = sig.to_line();
    // key hash (type 0x04) || u64 BE timestamp || 64-byte signature
    let raw = B64
        .decode(line.trim_end().rsplit(' ').next().unwrap())
        .unwrap();
    assert_eq!(raw.len(), 4 + 8 + 64);
    let vk = w.verifier();
    let vk_raw = B64
        .decode(vk.to_string().splitn(3, '+').nth(2).unwrap())
        .unwrap();
    assert_eq!(vk_raw[0], 0x04);
    let pk: [u8; 32] = vk_raw[1..].try_into().unwrap();
    assert_eq!(
        u32::from_be_bytes(raw[..4].try_into().unwrap()),
        key_hash("witness.example", 0x04, &pk)
    );
    assert_eq!(
        u64::from_be_bytes(raw[4..12].try_into().unwrap()),
        1_700_000_000
    );
    // The signed message is exactly "cosignature/v1\ntime <t>\n" + body.
    let msg = format!("cosignature/v1\ntime 1700000000\n{body}");
    let dalek = ed25519_dalek::VerifyingKey::from_bytes(&pk).unwrap();
    let s = ed25519_dalek::Signature::from_slice(&raw[12..]).unwrap();
    dalek.verify_strict(msg.as_bytes(), &s).unwrap();

    let cosigned = format!("{note}{line}");
    let parsed = Note::parse(&cosigned).unwrap();
    assert!(parsed.verify(&log.verifier()));
    assert_eq!(
        witness::verify_cosignature(&parsed, &vk),
        Some(1_700_000_000)
    );
    // Counting: only trusted, distinct, valid witnesses count.
    let w2 = witness_key("witness2.example");
    let stranger = witness_key("witness.example"); // same name, other key
    assert_eq!(
        witness::count_cosignatures(
            &parsed,
            &[vk.clone(), vk.clone(), w2.verifier(), stranger.verifier()]
        ),
        1
    );
    let both = format!(
        "{cosigned}{}",
        witness::cosign(&w2, &body, 5).unwrap().to_line()
    );
    let parsed = Note::parse(&both).unwrap();
    assert_eq!(
        witness::count_cosignatures(&parsed, &[vk.clone(), w2.verifier()]),
        2
    );
    assert!(
        witness::open_witnessed_checkpoint(&both, &log.verifier(), &[vk.clone(), w2.verifier()], 2)
            .is_ok()
    );
    assert!(matches!(
        witness::open_witnessed_checkpoint(
            &cosigned,
            &log.verifier(),
            &[vk.clone(), w2.verifier()],
            2
        ),
        Err(WitnessError::NotEnoughCosignatures {
            got: 1,
            required: 2
        })
    ));
    // A cosignature over a different timestamp than encoded fails.
    let mut forged = raw.clone();
    forged[11] ^= 1;
    let forged_line = format!("\u{2014} witness.example {}\n", B64.encode(forged));
    let parsed = Note::parse(&format!("{note}{forged_line}")).unwrap();
    assert_eq!(witness::verify_cosignature(&parsed, &vk), None);
    // A log key (type 0x01) is never accepted as a cosigner.
    assert!(witness::cosign(&log, &body, 1).is_err());
}

#[test]
fn witness_checks_consistency_and_persists_state() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("witness.json");
    let log = NoteSigner::generate("log.example").unwrap();
    let leaves: Vec<Vec<u8>> = (0..40u32).map(|i| i.to_be_bytes().to_vec()).collect();
    let t = MerkleTree::from_leaves(&leaves);
    let cp_at = |n: u64| Checkpoint {
        origin: "log.example".into(),
        size: n,
        root: t.root_at(n).unwrap(),
        extensions: vec![],
    };
    let wkey = witness_key("w.example");
    let logs = || vec![("log.example".to_owned(), log.verifier())];

    let mut w = Witness::open(wkey.clone(), logs(), &state).unwrap();
    let note10 = cp_at(10).sign(&log).unwrap();
    let line = w.add_checkpoint(&note10, 0, &[], 100).unwrap();
    let parsed = Note::parse(&format!("{note10}{line}")).unwrap();
    assert_eq!(
        witness::verify_cosignature(&parsed, &w.verifier()),
        Some(100)
    );

    let note25 = cp_at(25).sign(&log).unwrap();
    // Wrong old size → conflict; bad proof → inconsistent.
    assert!(matches!(
        w.add_checkpoint(&note25, 5, &t.consistency_proof(5, 25).unwrap(), 101),
        Err(WitnessError::Conflict {
            claimed: 5,
            latest: 10
        })
    ));
    assert!(matches!(
        w.add_checkpoint(&note25, 10, &t.consistency_proof(9, 25).unwrap(), 101),
        Err(WitnessError::Inconsistent(_))
    ));
    w.add_checkpoint(&note25, 10, &t.consistency_proof(10, 25).unwrap(), 102)
        .unwrap();

    // Persisted: a restarted witness remembers size 25 and refuses a fork at 30.
    drop(w);
    let mut w = Witness::open(wkey, logs(), &state).unwrap();
    assert_eq!(w.latest("log.example").unwrap().size, 25);
    let mut forked = leaves.clone();
    forked[3] = b"evil".to_vec();
    let ft = MerkleTree::from_leaves(&forked);
    let fork30 = Checkpoint {
        root: ft.root_at(30).unwrap(),
        ..cp_at(30)
    }
    .sign(&log)
    .unwrap();
    assert!(
        w.add_checkpoint(&fork30, 25, &ft.consistency_proof(25, 30).unwrap(), 103)
            .is_err()
    );
    // Rollback and unknown logs are refused; unsigned checkpoints too.
    assert!(w.add_checkpoint(&note10, 25, &[], 104).is_err());
    let other = NoteSigner::generate("other.example").unwrap();
    let foreign = Checkpoint {
        origin: "other.example".into(),
        ..cp_at(30)
    }
    .sign(&other)
    .unwrap();
    assert!(matches!(
        w.add_checkpoint(&foreign, 0, &[], 105),
        Err(WitnessError::UnknownLog(_))
    ));
    let impostor = NoteSigner::generate("log.example").unwrap();
    let fake = cp_at(30).sign(&impostor).unwrap();
    assert!(matches!(
        w.add_checkpoint(&fake, 25, &t.consistency_proof(25, 30).unwrap(), 106),
        Err(WitnessError::Note(NoteError::NoValidSignature(_)))
    ));
    // Same size, same root is fine (idempotent).
    w.add_checkpoint(&cp_at(25).sign(&log).unwrap(), 25, &[], 107)
        .unwrap();
}

#[test]
fn private_key_file_roundtrip() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.key");
    let s = NoteSigner::generate("log.example").unwrap();
    s.save_private_key(&path).unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(s.save_private_key(&path).is_err(), "never overwrites a key");
    assert_eq!(
        NoteSigner::load_private_key(&path).unwrap().verifier(),
        s.verifier()
    );
}
