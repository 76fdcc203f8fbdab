//! The outsider's verifier against a tiny axum server; tampered server data must be detected.

// Test/bench helpers outside `#[test]` functions: a failed setup should abort loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(feature = "client")]

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use haetae_ledger::api::{self, InclusionQuery};
use haetae_ledger::client::{ClientError, LedgerClient};
use haetae_ledger::note::NoteSigner;
use haetae_ledger::{Checkpoint, Decision, Entry, EntryKind, Ledger, LedgerConfig};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tamper {
    None,
    /// Flip a byte in every hash tile.
    HashTiles,
    /// Flip a byte inside one entry of the entry bundles.
    EntryBundle,
    /// Serve a checkpoint for a rewritten history (signed with the real key: a forking log).
    ForkedCheckpoint,
}

#[derive(Clone)]
struct AppState {
    ledger: Ledger,
    tamper: Arc<Mutex<Tamper>>,
    forked: Arc<Mutex<Option<String>>>,
}

async fn checkpoint(State(s): State<AppState>) -> Response {
    if *s.tamper.lock().unwrap() == Tamper::ForkedCheckpoint
        && let Some(f) = s.forked.lock().unwrap().clone()
    {
        return f.into_response();
    }
    match s.ledger.checkpoint() {
        Ok(t) => t.into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

async fn tile(State(s): State<AppState>, Path(path): Path<String>) -> Response {
    match s.ledger.tile_by_path(&path) {
        Ok(mut b) => {
            let t = *s.tamper.lock().unwrap();
            if t == Tamper::HashTiles && !path.starts_with("entries") {
                b[5] ^= 1;
            }
            if t == Tamper::EntryBundle && path.starts_with("entries") && b.len() > 40 {
                b[40] ^= 1;
            }
            b.into_response()
        }
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn inclusion(State(s): State<AppState>, Query(q): Query<InclusionQuery>) -> Response {
    match s.ledger.prove_request(&q.request_id) {
        Ok(r) => axum::Json(r).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

fn entry(i: u64, tag: &str) -> Entry {
    let mut e = Entry::new(
        EntryKind::Request,
        Decision::Deny,
        1_700_000_000_000 + i,
        &format!("req-{i}"),
    );
    e.detail = tag.into();
    e.policy_ids = vec!["deny-malware-creation".into()];
    e
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verifier_accepts_honest_log_and_detects_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let signer = NoteSigner::generate("test.example/ledger").unwrap();
    let ledger = Ledger::open(dir.path(), LedgerConfig::new(signer.clone())).unwrap();
    for i in 0..600 {
        ledger.append(&entry(i, "org")).await.unwrap();
    }
    let state = AppState {
        ledger: ledger.clone(),
        tamper: Arc::new(Mutex::new(Tamper::None)),
        forked: Arc::new(Mutex::new(None)),
    };
    let app = Router::new()
        .route(api::CHECKPOINT_PATH, get(checkpoint))
        .route(&format!("{}{{*path}}", api::TILE_PREFIX), get(tile))
        .route(api::INCLUSION_PROOF_PATH, get(inclusion))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let client = LedgerClient::new(&format!("http://{addr}"), signer.verifier()).unwrap();

    // Honest: first audit (no saved checkpoint), with full download.
    let first = client.audit(None, true).await.unwrap();
    assert_eq!(first.checkpoint.size, 600);
    assert_eq!(first.entries_verified, Some(600));
    let saved = first.checkpoint_text.clone();

    // The log grows; a later audit proves consistency with the saved checkpoint from tiles.
    for i in 600..1000 {
        ledger.append(&entry(i, "org")).await.unwrap();
    }
    let second = client.audit(Some(&saved), false).await.unwrap();
    assert_eq!(second.checkpoint.size, 1000);
    assert_eq!(second.consistent_with, Some(600));

    // prove(request_id)
    let (cp, e) = client.prove_request("req-777").await.unwrap();
    assert_eq!(cp.size, 1000);
    assert_eq!(e, entry(777, "org"));

    // Tampered hash tiles: the consistency proof computed from them fails.
    *state.tamper.lock().unwrap() = Tamper::HashTiles;
    let err = client.audit(Some(&saved), false).await.unwrap_err();
    assert!(matches!(err, ClientError::Misbehaviour(_)), "{err}");

    // Tampered entry bundle: recomputing the tree (or decoding) fails.
    *state.tamper.lock().unwrap() = Tamper::EntryBundle;
    let err = client.audit(None, true).await.unwrap_err();
    assert!(
        matches!(
            err,
            ClientError::Misbehaviour(_) | ClientError::Entry { .. }
        ),
        "{err}"
    );

    // A validly signed checkpoint for a rewritten history: inconsistent with the saved one.
    let mut tree = haetae_ledger::MerkleTree::new();
    for i in 0..1000 {
        let tag = if i == 3 { "rewritten" } else { "org" };
        tree.push_leaf_hash(haetae_ledger::merkle::leaf_hash(
            &entry(i, tag).encode().unwrap(),
        ));
    }
    let forged = Checkpoint {
        origin: "test.example/ledger".into(),
        size: 1000,
        root: tree.root(),
        extensions: vec![],
    };
    *state.forked.lock().unwrap() = Some(forged.sign(&signer).unwrap());
    *state.tamper.lock().unwrap() = Tamper::ForkedCheckpoint;
    let err = client.audit(Some(&saved), false).await.unwrap_err();
    assert!(matches!(err, ClientError::Misbehaviour(_)), "{err}");

    // A checkpoint signed by another key is rejected outright.
    let impostor = NoteSigner::generate("test.example/ledger").unwrap();
    *state.forked.lock().unwrap() = Some(forged.sign(&impostor).unwrap());
    assert!(matches!(
        client.fetch_checkpoint().await,
        Err(ClientError::Witness(_))
    ));

    // Requiring a cosignature that the log does not have fails.
    *state.tamper.lock().unwrap() = Tamper::None;

    // Key rotation: a saved checkpoint signed by the previous log key is accepted only when
    // that key is listed as a previous key.
    let old_key = NoteSigner::generate("test.example/ledger").unwrap();
    let saved_old = first.checkpoint.sign(&old_key).unwrap();
    assert!(client.audit(Some(&saved_old), false).await.is_err());
    let rotated = client
        .clone()
        .accept_previous_log_keys(vec![old_key.verifier()]);
    assert_eq!(
        rotated
            .audit(Some(&saved_old), false)
            .await
            .unwrap()
            .consistent_with,
        Some(600)
    );
    let w = NoteSigner::generate_with_alg("w.example", haetae_ledger::note::ALG_COSIGNATURE_V1)
        .unwrap();
    let strict = client.clone().require_cosignatures(vec![w.verifier()], 1);
    assert!(strict.fetch_checkpoint().await.is_err());
}
