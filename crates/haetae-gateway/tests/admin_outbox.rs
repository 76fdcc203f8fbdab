//! The administrative outbox is drained into the ledger exactly once: a crash between the ledger append and
//! the outbox removal leaves the entry in the outbox, and the next drain (after a restart, on a reopened
//! ledger) clears it without appending it again. SQLite in memory and a real ledger in a temporary directory.

// A test file: its helpers fail the test loudly, as its #[test] functions do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use haetae_gateway::stages::record::Recorder;
use haetae_gateway::{AppState, Backends, GatewayOptions, admin};
use haetae_ledger::{CommitKey, DigestKey, Ledger, LedgerConfig, NoteSigner};
use haetae_store::Store;

struct Keys {
    signer: NoteSigner,
    digest: Arc<DigestKey>,
    commit: Arc<CommitKey>,
}

fn state(store: &Store, dir: &Path, keys: &Keys) -> (AppState, Ledger) {
    let ledger = Ledger::open(dir, LedgerConfig::new(keys.signer.clone())).expect("ledger");
    let recorder = Recorder::new(ledger.clone(), keys.digest.clone(), keys.commit.clone());
    let options = GatewayOptions {
        max_body_bytes: 16 * 1024,
        request_timeout: Duration::from_secs(30),
    };
    let state = AppState::new(store.clone(), Backends::default(), options)
        .with_ledger(recorder, keys.signer.verifier().to_string());
    (state, ledger)
}

/// How many ledger entries carry each request id.
fn request_ids(ledger: &Ledger) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for i in 0..ledger.size() {
        *out.entry(ledger.entry(i).expect("entry").request_id)
            .or_insert(0) += 1;
    }
    out
}

#[tokio::test]
async fn a_crash_between_append_and_removal_does_not_duplicate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite:file:haetae-{}?mode=memory&cache=shared",
        haetae_core::new_id()
    );
    let store = Store::connect(&url).await.expect("in-memory store");
    let keys = Keys {
        signer: NoteSigner::generate("test.example/ledger").expect("signer"),
        digest: Arc::new(DigestKey::generate("d1").expect("digest key")),
        commit: Arc::new(CommitKey::generate("c1").expect("commit key")),
    };
    for (action, detail) in [("org create", "Org A"), ("key revoke", "key k1")] {
        store
            .push_outbox("admin:cli", action, detail)
            .await
            .expect("push");
    }
    let pending = store.peek_outbox(10).await.expect("peek");
    assert_eq!(pending.len(), 2);

    // The first drain appends the first entry, then the process dies before clearing it from the outbox.
    {
        let (state, ledger) = state(&store, dir.path(), &keys);
        let recorder = state.recorder.as_ref().expect("recorder");
        admin::append_outbox_entry(recorder, &pending[0])
            .await
            .expect("append");
        assert_eq!(ledger.size(), 1);
    }

    // Restart on the same ledger directory: the next drain records the second entry and only clears the first.
    let (state, ledger) = state(&store, dir.path(), &keys);
    assert_eq!(ledger.size(), 1, "the reopened ledger keeps the append");
    admin::drain_outbox(&state).await;
    assert!(store.peek_outbox(10).await.expect("peek").is_empty());
    let ids = request_ids(&ledger);
    assert_eq!(ledger.size(), 2, "{ids:?}");
    for entry in &pending {
        assert_eq!(
            ids.get(&admin::outbox_request_id(entry)),
            Some(&1),
            "{ids:?}"
        );
    }

    // A drain with nothing waiting appends nothing.
    admin::drain_outbox(&state).await;
    assert_eq!(ledger.size(), 2);
}
