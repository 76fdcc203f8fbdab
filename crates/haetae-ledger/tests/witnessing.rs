//! The log's side of witnessing: cosignatures are checked against the configured witnesses, kept across
//! restarts, counted, and the round's candidate only moves on when it should.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use haetae_ledger::note::{ALG_COSIGNATURE_V1, Note, NoteSigner};
use haetae_ledger::witness::{self, Witness};
use haetae_ledger::{
    Checkpoint, CosignError, Decision, Entry, EntryKind, Ledger, LedgerConfig, LedgerError,
    WitnessPolicy,
};

fn log_key() -> NoteSigner {
    let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    NoteSigner::from_signing_key("witnessing.example/ledger", 1, key).unwrap()
}

fn witness_key(name: &str, seed: u8) -> NoteSigner {
    let key = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
    NoteSigner::from_signing_key(name, ALG_COSIGNATURE_V1, key).unwrap()
}

fn config(witnesses: &[&NoteSigner], required: usize, round: Duration) -> LedgerConfig {
    let mut c = LedgerConfig::new(log_key());
    c.witnesses = WitnessPolicy {
        witnesses: witnesses.iter().map(|w| w.verifier()).collect(),
        required,
        round,
    };
    c
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn append(ledger: &Ledger, n: u64) {
    let rt = rt();
    for i in 0..n {
        let id = format!("req-{}-{i}", ledger.size());
        rt.block_on(ledger.append(&Entry::new(EntryKind::Request, Decision::Allow, i, &id)))
            .unwrap();
    }
}

/// What `haetae witness cosign` does, minus HTTP: a witness checks the candidate and returns the note with its line.
fn cosigned(w: &mut Witness, ledger: &Ledger, note_text: &str, ts: u64) -> String {
    let note = Note::parse(note_text).unwrap();
    let cp = Checkpoint::parse_body(&note.text).unwrap();
    let old = w.latest(&cp.origin).map_or(0, |s| s.size);
    let proof = ledger.consistency_proof(old, cp.size).unwrap();
    let line = w.add_checkpoint(note_text, old, &proof, ts).unwrap();
    format!("{note_text}{line}")
}

fn open_witness(dir: &std::path::Path, key: &NoteSigner) -> Witness {
    let log = log_key().verifier();
    Witness::open(
        key.clone(),
        [(log.name().to_owned(), log)],
        dir.join(format!("{}.json", key.name())),
    )
    .unwrap()
}

fn refusal(r: Result<haetae_ledger::api::CosignatureResponse, LedgerError>) -> CosignError {
    match r {
        Err(LedgerError::Cosign(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn cosignatures_are_checked_kept_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let wdir = tempfile::tempdir().unwrap();
    let (k1, k2, k3) = (
        witness_key("w1.example", 1),
        witness_key("w2.example", 2),
        witness_key("w3.example", 3),
    );
    let ledger = Ledger::open(
        dir.path(),
        config(&[&k1, &k2], 2, Duration::from_secs(3600)),
    )
    .unwrap();
    append(&ledger, 10);
    let (mut w1, mut w2, mut w3) = (
        open_witness(wdir.path(), &k1),
        open_witness(wdir.path(), &k2),
        open_witness(wdir.path(), &k3),
    );

    let candidate = ledger.witness_candidate().unwrap();
    let r = ledger
        .add_cosignatures(&cosigned(&mut w1, &ledger, &candidate, 100))
        .unwrap();
    assert_eq!(
        (
            r.size,
            r.accepted.clone(),
            r.cosignatures,
            r.required,
            r.counts
        ),
        (10, vec!["w1.example".to_string()], 1, 2, false)
    );
    assert!(ledger.witnessed_checkpoint(2).unwrap().is_none());
    let one = ledger.witnessed_checkpoint(1).unwrap().unwrap();
    assert_eq!(
        witness::count_cosignatures(&Note::parse(&one).unwrap(), &[k1.verifier(), k2.verifier()]),
        1
    );
    // The latest checkpoint is served with the cosignatures collected for its size.
    assert!(
        ledger
            .published_checkpoint()
            .unwrap()
            .contains("w1.example")
    );

    // The second witness cosigns the candidate, which now carries w1's line: both are checked and kept.
    let candidate = ledger.witness_candidate().unwrap();
    assert!(candidate.contains("w1.example"));
    let r = ledger
        .add_cosignatures(&cosigned(&mut w2, &ledger, &candidate, 101))
        .unwrap();
    assert_eq!(
        (r.accepted.clone(), r.cosignatures, r.counts),
        (vec!["w2.example".to_string()], 2, true)
    );
    let counted = ledger.witnessed_checkpoint(2).unwrap().unwrap();
    let cp = witness::open_witnessed_checkpoint(
        &counted,
        &log_key().verifier(),
        &[k1.verifier(), k2.verifier()],
        2,
    )
    .unwrap();
    assert_eq!(cp.size, 10);
    // A resubmission adds nothing (and writes nothing).
    let again = ledger
        .add_cosignatures(&cosigned(&mut w2, &ledger, &candidate, 102))
        .unwrap();
    assert!(again.accepted.is_empty() && again.cosignatures == 2);

    // Refusals, each with its reason.
    assert!(matches!(
        refusal(ledger.add_cosignatures(&cosigned(&mut w3, &ledger, &candidate, 103))),
        CosignError::UnknownWitness { name, .. } if name == "w3.example"
    ));
    let good = cosigned(&mut w1, &ledger, &ledger.checkpoint().unwrap(), 104);
    let last_line = good.trim_end().rsplit('\n').next().unwrap();
    let (head, b64) = last_line.rsplit_once(' ').unwrap();
    let mut raw = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b64).unwrap();
    *raw.last_mut().unwrap() ^= 1;
    let forged = format!(
        "{}{head} {}\n",
        &good[..good.len() - last_line.len() - 1],
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, raw)
    );
    assert!(matches!(
        refusal(ledger.add_cosignatures(&forged)),
        CosignError::BadCosignature(_)
    ));
    assert!(matches!(
        refusal(ledger.add_cosignatures(&ledger.checkpoint().unwrap())),
        CosignError::NoCosignature
    ));
    assert!(matches!(
        refusal(ledger.add_cosignatures("not a note")),
        CosignError::Malformed(_)
    ));
    // At most the log's line and one per witness: bounds the signature checks an anonymous caller can cause.
    let line = good.trim_end().rsplit('\n').next().unwrap().to_string() + "\n";
    assert!(matches!(
        refusal(ledger.add_cosignatures(&format!("{good}{line}{line}"))),
        CosignError::TooManySignatures { got: 4, max: 3 }
    ));
    let body = Note::parse(&candidate).unwrap().text;
    let impostor = NoteSigner::generate("witnessing.example/ledger").unwrap();
    let line = witness::cosign(&k1, &body, 5).unwrap().to_line();
    assert!(matches!(
        refusal(ledger.add_cosignatures(&format!("{}{line}", impostor.sign_note(&body).unwrap()))),
        CosignError::NotThisLog(_)
    ));
    // Our own key over a tree we do not have (a forged or foreign checkpoint): a conflict, never stored.
    for cp in [
        Checkpoint {
            origin: "witnessing.example/ledger".into(),
            size: 10,
            root: [9; 32],
            extensions: vec![],
        },
        Checkpoint {
            origin: "witnessing.example/ledger".into(),
            size: 99,
            root: [9; 32],
            extensions: vec![],
        },
    ] {
        let note = cp.sign(&log_key()).unwrap();
        let line = witness::cosign(&k1, &cp.body(), 5).unwrap().to_line();
        assert!(matches!(
            refusal(ledger.add_cosignatures(&format!("{note}{line}"))),
            CosignError::Mismatch { .. }
        ));
    }

    // Kept across a restart; cosignatures of a witness no longer configured are dropped on open.
    drop(ledger);
    let ledger = Ledger::open(
        dir.path(),
        config(&[&k1, &k2], 2, Duration::from_secs(3600)),
    )
    .unwrap();
    assert_eq!(ledger.witnessed_checkpoint(2).unwrap().unwrap(), counted);
    drop(ledger);
    let ledger = Ledger::open(dir.path(), config(&[&k1], 1, Duration::from_secs(3600))).unwrap();
    assert!(ledger.witnessed_checkpoint(2).unwrap().is_none());
    let only = ledger.witnessed_checkpoint(1).unwrap().unwrap();
    assert!(only.contains("w1.example") && !only.contains("w2.example"));
}

#[test]
fn the_round_waits_for_every_witness_then_moves_on() {
    let dir = tempfile::tempdir().unwrap();
    let wdir = tempfile::tempdir().unwrap();
    let (k1, k2) = (witness_key("w1.example", 1), witness_key("w2.example", 2));
    let ledger = Ledger::open(
        dir.path(),
        config(&[&k1, &k2], 2, Duration::from_secs(3600)),
    )
    .unwrap();
    let (mut w1, mut w2) = (
        open_witness(wdir.path(), &k1),
        open_witness(wdir.path(), &k2),
    );
    append(&ledger, 5);
    let first = ledger.witness_candidate().unwrap();
    ledger
        .add_cosignatures(&cosigned(&mut w1, &ledger, &first, 1))
        .unwrap();
    // The log grows, but until w2 has cosigned, both witnesses are shown the same checkpoint.
    append(&ledger, 7);
    let still = ledger.witness_candidate().unwrap();
    assert_eq!(
        Checkpoint::parse_body(&Note::parse(&still).unwrap().text)
            .unwrap()
            .size,
        5
    );
    ledger
        .add_cosignatures(&cosigned(&mut w2, &ledger, &still, 2))
        .unwrap();
    // Everyone cosigned: the next round is the latest checkpoint.
    let next = ledger.witness_candidate().unwrap();
    assert_eq!(
        Checkpoint::parse_body(&Note::parse(&next).unwrap().text)
            .unwrap()
            .size,
        12
    );
    ledger
        .add_cosignatures(&cosigned(&mut w1, &ledger, &next, 3))
        .unwrap();
    ledger
        .add_cosignatures(&cosigned(&mut w2, &ledger, &next, 4))
        .unwrap();
    let counted = ledger.witnessed_checkpoint(2).unwrap().unwrap();
    assert_eq!(
        Checkpoint::parse_body(&Note::parse(&counted).unwrap().text)
            .unwrap()
            .size,
        12
    );
    // The size-5 checkpoint is dominated now and no longer kept.
    let kept = std::fs::read_to_string(dir.path().join("cosignatures.json")).unwrap();
    let kept: serde_json::Value = serde_json::from_str(&kept).unwrap();
    assert_eq!(kept["checkpoints"].as_array().unwrap().len(), 1);

    // With a zero-length round the candidate follows the log whenever it grew.
    drop(ledger);
    let ledger = Ledger::open(dir.path(), config(&[&k1, &k2], 2, Duration::ZERO)).unwrap();
    append(&ledger, 1);
    let a = ledger.witness_candidate().unwrap();
    assert_eq!(
        Checkpoint::parse_body(&Note::parse(&a).unwrap().text)
            .unwrap()
            .size,
        13
    );
    ledger
        .add_cosignatures(&cosigned(&mut w1, &ledger, &a, 5))
        .unwrap();
    append(&ledger, 1);
    let b = ledger.witness_candidate().unwrap();
    assert_eq!(
        Checkpoint::parse_body(&Note::parse(&b).unwrap().text)
            .unwrap()
            .size,
        14,
        "w2 never cosigned 13, but the round is over"
    );

    // Inclusion can be proven in the witnessed tree, not just the latest.
    let id = ledger.entry(3).unwrap().request_id;
    let p = ledger.prove_request_at(&id, Some(12)).unwrap();
    assert_eq!((p.leaf_index, p.tree_size), (3, 12));
    assert_eq!(
        p.checkpoint, counted,
        "the proof comes with the cosigned checkpoint of that size"
    );
    assert!(
        ledger.prove_request_at(&id, Some(2)).is_err(),
        "entry 3 is not in the tree of size 2"
    );
}

#[test]
fn an_unmeetable_witness_policy_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let k1 = witness_key("w1.example", 1);
    let too_many = Ledger::open(dir.path(), config(&[&k1], 2, Duration::from_secs(1)));
    assert!(matches!(too_many, Err(LedgerError::Config(_))));
    let not_a_witness_key = log_key();
    let wrong_type = Ledger::open(
        dir.path(),
        config(&[&not_a_witness_key], 1, Duration::from_secs(1)),
    );
    assert!(matches!(wrong_type, Err(LedgerError::Config(_))));
    let twice = Ledger::open(dir.path(), config(&[&k1, &k1], 1, Duration::from_secs(1)));
    assert!(matches!(twice, Err(LedgerError::Config(_))));
}

fn size_of(note_text: &str) -> u64 {
    Checkpoint::parse_body(&Note::parse(note_text).unwrap().text)
        .unwrap()
        .size
}

/// The sizes in `cosignatures.json`, and whether any line in it is `name`'s.
fn kept_on_disk(dir: &std::path::Path, name: &str) -> (Vec<u64>, bool) {
    let text = std::fs::read_to_string(dir.join("cosignatures.json")).unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    let notes: Vec<&str> = file["checkpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    let sizes = notes.iter().map(|n| size_of(n)).collect();
    (sizes, notes.iter().any(|n| n.contains(name)))
}

#[test]
fn a_retired_witnesss_cosignatures_are_dropped_at_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let wdir = tempfile::tempdir().unwrap();
    let (k1, k2) = (witness_key("w1.example", 1), witness_key("w2.example", 2));
    let (mut w1, mut w2) = (
        open_witness(wdir.path(), &k1),
        open_witness(wdir.path(), &k2),
    );
    let ledger = Ledger::open(dir.path(), config(&[&k1, &k2], 1, Duration::ZERO)).unwrap();
    append(&ledger, 5);
    let c5 = ledger.witness_candidate().unwrap();
    for (w, ts) in [(&mut w1, 1), (&mut w2, 2)] {
        ledger
            .add_cosignatures(&cosigned(w, &ledger, &c5, ts))
            .unwrap();
    }
    append(&ledger, 5);
    let c10 = ledger.witness_candidate().unwrap();
    ledger
        .add_cosignatures(&cosigned(&mut w1, &ledger, &c10, 3))
        .unwrap();
    // 5 has two cosignatures, 10 one: both are kept.
    assert_eq!(kept_on_disk(dir.path(), "w2.example"), (vec![5, 10], true));
    assert_eq!(
        size_of(&ledger.witnessed_checkpoint(2).unwrap().unwrap()),
        5
    );

    // w2 is removed from the list: from the next open on it counts for nothing, at once (one
    // process, one list: no replica is left counting it), so 5 is dominated by 10 and goes too.
    drop(ledger);
    let ledger = Ledger::open(dir.path(), config(&[&k1], 1, Duration::ZERO)).unwrap();
    assert!(ledger.witnessed_checkpoint(2).unwrap().is_none());
    let one = ledger.witnessed_checkpoint(1).unwrap().unwrap();
    assert_eq!(size_of(&one), 10);
    assert!(!one.contains("w2.example"));
    assert!(
        !ledger
            .published_checkpoint()
            .unwrap()
            .contains("w2.example")
    );
    // The file loses them at its next write.
    append(&ledger, 5);
    let c15 = ledger.witness_candidate().unwrap();
    ledger
        .add_cosignatures(&cosigned(&mut w1, &ledger, &c15, 4))
        .unwrap();
    assert_eq!(kept_on_disk(dir.path(), "w2.example"), (vec![15], false));
}
