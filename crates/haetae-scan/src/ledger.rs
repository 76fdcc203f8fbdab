//! Coordinated disclosure in the programme's transparency ledger: the commitment to a finding is recorded at
//! discovery, the opening at disclosure, and anyone holding the published disclosure bundle checks both against
//! the log with nothing but its URL and verifier key.
//!
//! * **Discovery** ([`queue_commitment`]): an administrative entry whose `detail` is
//!   `finding-commitment <finding id> sha256:<digest> …` ([`commitment_detail`]). The gateway owns the ledger and
//!   appends it from the programme store's administrative outbox, and, as for every v2 entry, the public entry
//!   carries only a keyed commitment to that text (`docs/ledger-format.md` §2.2): no finding id, no digest, no
//!   repository, no organisation. What the public sees at discovery is that an administrative change was recorded
//!   at that time. The embargo record keeps the entry's request id (`adm_<outbox id>`).
//! * **Disclosure** ([`disclose`]): an administrator opens the entry's `detail` (`POST
//!   /admin/v1/ledger/openings`); the gateway records that opening as its own entry (`opened entry N field
//!   detail`) before it answers. The bundle published with the advisory holds the finding's opening (nonce and
//!   canonical JSON), the ledger opening, and the request id of the entry that recorded it.
//! * **Verification** ([`verify_disclosure`], `haetae audit verify-disclosure`): the ledger opening opens the
//!   commitment entry, which has a verified inclusion proof; the opened text names the finding and its digest; the
//!   finding's opening recomputes that digest; the disclosure entry, also proven included, says it opened that
//!   entry's `detail`, and is not older than the commitment. So the finding was known to whoever ran the scan (the
//!   opened text says who) at the commitment entry's time, without having been public before the disclosure
//!   entry's.

use std::time::Duration;

use haetae_ledger::api::{
    EntryRef, INCLUSION_PROOF_PATH, InclusionProofResponse, InclusionQuery, OPENINGS_PATH,
    OpeningRequest, OpeningResponse,
};
use haetae_ledger::{Entry, EntryKind, NoteVerifier};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::disclosure::{Commitment, Embargo, Opening, verify};
use crate::pipeline::Finding;
use crate::{Result, ScanError};

/// The outbox action (committed in the entry, like every action outside the gateway's own vocabulary).
pub const COMMIT_ACTION: &str = "scan.commit";
/// The committed field that holds the commitment text.
pub const COMMITTED_FIELD: &str = "detail";
const TAG: &str = "finding-commitment";

fn err(msg: impl Into<String>) -> ScanError {
    ScanError::Disclosure(msg.into())
}

/// The text the ledger entry commits to. `context` says who and under what (an engagement, the operator's
/// account); it is only ever seen by those the entry is opened to.
pub fn commitment_detail(c: &Commitment, context: &str) -> String {
    let mut s = format!("{TAG} {} sha256:{}", c.finding_id, c.digest);
    if !context.trim().is_empty() {
        s.push(' ');
        s.push_str(context.trim());
    }
    s
}

/// The finding id and digest an opened `detail` names; `None` for any other text. The gateway's outbox drain
/// appends `(by <actor>, at <ms> ms)`, so only the first three words are read.
pub fn parse_commitment_detail(value: &str) -> Option<(&str, &str)> {
    let mut words = value.split(' ');
    if words.next()? != TAG {
        return None;
    }
    let id = words.next()?;
    let digest = words.next()?.strip_prefix("sha256:")?;
    let hex_lower = |s: &str| {
        s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    (!id.is_empty() && hex_lower(digest)).then_some((id, digest))
}

/// The ledger request id the gateway gives an outbox row (`haetae_gateway::admin::outbox_request_id`).
fn outbox_request_id(id: &str) -> String {
    format!("adm_{id}")
}

/// Queues the commitment in the programme store's administrative outbox (the table of
/// `haetae-store/migrations/0002_operations.sql`), which the serving gateway drains into its ledger exactly once
/// (at once when it is running, else at its next start). Returns the ledger request id of the entry-to-be.
///
/// The row is written here rather than through `Store::push_outbox` because the id must be known: it is the
/// entry's request id, and the row may be drained before it could be looked up.
pub async fn queue_commitment(
    store_url: &str,
    actor: &str,
    commitment: &Commitment,
    context: &str,
) -> Result<String> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .connect(store_url)
        .await
        .map_err(|e| err(format!("cannot open the programme store: {e}")))?;
    let id = uuid::Uuid::now_v7().simple().to_string();
    let at_ms = i64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000)
        .unwrap_or(i64::MAX);
    let inserted = sqlx::query(
        "INSERT INTO admin_outbox (id, at_ms, actor, action, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(at_ms)
    .bind(actor)
    .bind(COMMIT_ACTION)
    .bind(commitment_detail(commitment, context))
    .execute(&pool)
    .await;
    pool.close().await;
    inserted.map_err(|e| {
        err(format!(
            "cannot queue the commitment in the programme store (is it the gateway's, set up by `haetae up` or \
             `haetae serve`?): {e}"
        ))
    })?;
    Ok(outbox_request_id(&id))
}

/// What is published at disclosure, beside the advisory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureBundle {
    pub commitment: Commitment,
    /// The finding's opening: its canonical JSON and the nonce.
    pub opening: Opening,
    /// The commitment entry's `detail`, opened by the gateway.
    pub ledger_opening: OpeningResponse,
    /// The request id of the ledger entry that records the opening.
    pub disclosure_request_id: String,
}

/// Discloses a finding under embargo: checks the opening against the embargo's commitment, asks the gateway (with
/// an administrator key) to open the commitment entry's `detail`, checks what it opened, and records the disclosure
/// in the embargo. Returns the bundle to publish.
pub async fn disclose(
    embargo: &mut Embargo,
    opening: Opening,
    gateway: &str,
    admin_key: &str,
) -> Result<DisclosureBundle> {
    let request_id = embargo.ledger_request_id.clone().ok_or_else(|| {
        err("the embargo has no ledger entry (scan with --ledger to record the commitment)")
    })?;
    verify(&embargo.commitment, &opening)?;
    let base = gateway.trim_end_matches('/').trim_end_matches("/v1");
    let resp = reqwest::Client::new()
        .post(format!("{base}{OPENINGS_PATH}"))
        .bearer_auth(admin_key)
        .json(&OpeningRequest {
            entry: EntryRef::RequestId(request_id.clone()),
            field: COMMITTED_FIELD.into(),
            auditor: format!("public disclosure of {}", embargo.finding_id),
        })
        .send()
        .await
        .map_err(|e| err(format!("the gateway: {e}")))?;
    let status = resp.status();
    let disclosure_request_id = resp
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = resp
        .text()
        .await
        .map_err(|e| err(format!("the gateway: {e}")))?;
    if !status.is_success() {
        return Err(err(format!(
            "the gateway refused the opening (HTTP {status}): {}",
            body.chars().take(300).collect::<String>()
        )));
    }
    let disclosure_request_id = disclosure_request_id
        .ok_or_else(|| err("the gateway did not name the entry recording the opening"))?;
    let ledger_opening: OpeningResponse = serde_json::from_str(&body)?;
    check_ledger_opening(&ledger_opening, &embargo.commitment)?;
    if ledger_opening.request_id != request_id {
        return Err(err("the gateway opened another entry"));
    }
    embargo.disclose(opening.clone(), OffsetDateTime::now_utc())?;
    Ok(DisclosureBundle {
        commitment: embargo.commitment.clone(),
        opening,
        ledger_opening,
        disclosure_request_id,
    })
}

/// The opening opens its entry, the entry is administrative, and the opened text names this commitment.
fn check_ledger_opening(o: &OpeningResponse, c: &Commitment) -> Result<Entry> {
    if o.field != COMMITTED_FIELD {
        return Err(err(format!(
            "the ledger opening is of field {:?}, not {COMMITTED_FIELD}",
            o.field
        )));
    }
    let entry = o
        .verify()
        .map_err(|e| err(format!("the ledger opening does not verify: {e}")))?;
    if entry.kind != EntryKind::Admin {
        return Err(err("the opened entry is not an administrative entry"));
    }
    match parse_commitment_detail(&o.value) {
        Some((id, digest)) if id == c.finding_id && digest == c.digest => Ok(entry),
        Some(_) => Err(err(
            "the opened ledger entry commits to another finding or digest",
        )),
        None => Err(err("the opened ledger entry is not a finding commitment")),
    }
}

/// What [`verify_disclosure`] established.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisclosureReport {
    pub finding: Finding,
    /// Leaf index and time (Unix ms) of the commitment entry.
    pub committed_index: u64,
    pub committed_at_ms: u64,
    /// Leaf index and time (Unix ms) of the entry recording the opening.
    pub disclosed_index: u64,
    pub disclosed_at_ms: u64,
    /// The opened commitment text: the finding, its digest, and who recorded it.
    pub recorded_text: String,
    /// The tree size the inclusion proofs were checked against.
    pub tree_size: u64,
}

/// Fetches and verifies the inclusion proof of `request_id` against the log's latest signed checkpoint.
async fn prove(
    http: &reqwest::Client,
    base: &str,
    log: &NoteVerifier,
    request_id: &str,
) -> Result<(u64, u64, Entry)> {
    let resp = http
        .get(format!("{base}{INCLUSION_PROOF_PATH}"))
        .query(&InclusionQuery {
            request_id: request_id.to_owned(),
            tree_size: None,
        })
        .send()
        .await
        .map_err(|e| err(format!("the log: {e}")))?;
    if !resp.status().is_success() {
        return Err(err(format!(
            "the log has no entry for {request_id} (HTTP {})",
            resp.status()
        )));
    }
    let proof: InclusionProofResponse = resp
        .json()
        .await
        .map_err(|e| err(format!("the log's inclusion proof: {e}")))?;
    if proof.request_id != request_id {
        return Err(err("the log answered with another request's proof"));
    }
    let (cp, entry) = proof
        .verify(log)
        .map_err(|e| err(format!("inclusion proof of {request_id}: {e}")))?;
    Ok((proof.leaf_index, cp.size, entry))
}

/// Checks a disclosure bundle against the log at `base` (the gateway's root URL) signed by `log`.
pub async fn verify_disclosure(
    bundle: &DisclosureBundle,
    base: &str,
    log: &NoteVerifier,
) -> Result<DisclosureReport> {
    let base = base.trim_end_matches('/').trim_end_matches("/v1");
    let finding = verify(&bundle.commitment, &bundle.opening)?;
    let opened = check_ledger_opening(&bundle.ledger_opening, &bundle.commitment)?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| err(e.to_string()))?;
    let (committed_index, _, logged) =
        prove(&http, base, log, &bundle.ledger_opening.request_id).await?;
    if logged != opened {
        return Err(err(
            "the log's commitment entry differs from the one the ledger opening opens",
        ));
    }
    if committed_index != bundle.ledger_opening.leaf_index {
        return Err(err(
            "the ledger opening names another leaf index than the log's",
        ));
    }
    let (disclosed_index, tree_size, disclosure) =
        prove(&http, base, log, &bundle.disclosure_request_id).await?;
    let expected = format!("opened entry {committed_index} field {COMMITTED_FIELD}");
    if disclosure.kind != EntryKind::Admin || disclosure.detail != expected {
        return Err(err(format!(
            "the disclosure entry {disclosed_index} does not record the opening of entry {committed_index} \
             (its public note: {:?})",
            disclosure.detail
        )));
    }
    if disclosed_index <= committed_index || disclosure.time_unix_ms < logged.time_unix_ms {
        return Err(err("the disclosure entry is older than the commitment"));
    }
    Ok(DisclosureReport {
        finding,
        committed_index,
        committed_at_ms: logged.time_unix_ms,
        disclosed_index,
        disclosed_at_ms: disclosure.time_unix_ms,
        recorded_text: bundle.ledger_opening.value.clone(),
        tree_size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commitment() -> Commitment {
        Commitment {
            finding_id: "HS-0123456789ab".into(),
            digest: "ab".repeat(32),
            committed_at: "2026-12-06T00:00:00Z".into(),
        }
    }

    #[test]
    fn the_commitment_text_round_trips_through_the_outbox_suffix() {
        let c = commitment();
        let text = commitment_detail(&c, "engagement eng-1");
        let drained = format!("{text} (by scan:alice, at 1 ms)");
        assert_eq!(
            parse_commitment_detail(&drained),
            Some(("HS-0123456789ab", c.digest.as_str()))
        );
        assert_eq!(
            parse_commitment_detail(&commitment_detail(&c, "")),
            Some(("HS-0123456789ab", c.digest.as_str()))
        );
    }

    #[test]
    fn other_texts_are_not_commitments() {
        for text in [
            "",
            "org create Org A (by cli:root, at 1 ms)",
            "finding-commitment HS-1",
            &format!("finding-commitment HS-1 sha256:{}", "AB".repeat(32)),
            &format!("finding-commitment HS-1 sha256:{}", "ab".repeat(31)),
            &format!("finding-commitment HS-1 md5:{}", "ab".repeat(32)),
            &format!("Finding-commitment HS-1 sha256:{}", "ab".repeat(32)),
        ] {
            assert_eq!(parse_commitment_detail(text), None, "{text}");
        }
    }
}
