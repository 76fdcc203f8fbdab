//! The ledger in the browser, open to anyone (the ledger is public): the latest checkpoint with its witnesses'
//! cosignatures, entries' public parts, and an inclusion check that the browser runs itself
//! (`static/ledger.js`: the entry from its tile, RFC 6962 leaf and node hashing with WebCrypto SHA-256, the
//! proof folded up to the checkpoint's root). Only what the gateway already serves publicly is shown.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use serde_json::json;

use crate::{Console, ConsoleError, Ctx, render};

pub fn routes() -> Router<Console> {
    Router::new().route("/ledger", get(ledger))
}

/// Entries per page.
const PAGE: u64 = 25;

#[derive(Deserialize)]
struct Before {
    before: Option<u64>,
}

async fn ledger(
    State(console): State<Console>,
    axum::Extension(ctx): axum::Extension<Ctx>,
    Query(q): Query<Before>,
) -> Result<Response, ConsoleError> {
    let Some(recorder) = console.0.gateway.recorder.clone() else {
        return render::page(&console, &ctx, "ledger.html", json!({"no_ledger": true}));
    };
    let before = q.before;
    let (checkpoint, entries, size, first) = tokio::task::spawn_blocking(move || {
        let ledger = &recorder.ledger;
        let checkpoint = ledger
            .published_checkpoint()
            .map_err(|e| ConsoleError::Internal(e.to_string()))?;
        // The checkpoint's size, not the live one: every entry listed is provable under it.
        let size = checkpoint
            .lines()
            .nth(1)
            .and_then(|l| l.parse::<u64>().ok())
            .unwrap_or(0);
        let end = before.unwrap_or(size).min(size);
        let first = end.saturating_sub(PAGE);
        let mut entries = Vec::new();
        for i in (first..end).rev() {
            let e = ledger
                .entry(i)
                .map_err(|e| ConsoleError::Internal(e.to_string()))?;
            entries.push(json!({
                "index": i,
                "time": i64::try_from(e.time_unix_ms / 1000).unwrap_or(0),
                "request_id": e.request_id,
                "action": e.action,
                "decision": format!("{:?}", e.decision).to_lowercase(),
                "model": e.model,
                "policy_ids": e.policy_ids.join(" "),
                "detail": e.detail,
            }));
        }
        Ok::<_, ConsoleError>((checkpoint, entries, size, first))
    })
    .await
    .map_err(|e| ConsoleError::Internal(e.to_string()))??;
    let root = checkpoint.lines().nth(2).unwrap_or("").to_string();
    render::page(
        &console,
        &ctx,
        "ledger.html",
        json!({
            "no_ledger": false,
            "checkpoint": checkpoint,
            "size": size,
            "root": root,
            "entries": entries,
            "older": (first > 0).then_some(first),
        }),
    )
}
