//! Coordinated disclosure in the programme's transparency ledger: the commitment to a finding is recorded at
//! discovery, the opening at disclosure, and anyone holding the published disclosure bundle checks both against
//! the log with nothing but its URL and verifier key.
//!
//! * **Discovery** ([`record_commitment`]): the scan, under its own gateway key, asks the gateway to record the
//!   commitment (`POST /v1/findings/commitments`; the policy's `record_findings` action decides). The entry is
//!   administrative and its `detail` is `finding-commitment <finding id> sha256:<digest> [engagement <id>] (by
//!   <member>)` (`haetae_ledger::api::finding_commitment_text`; the entry's time is the commitment's); as for
//!   every v2 entry, the public entry carries only a keyed commitment to that text (`docs/ledger-format.md`
//!   §2.2): no finding id, no digest, no repository, no organisation. What the public sees at discovery is that an
//!   administrative change was recorded at that time. The embargo record keeps the entry's request id.
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
    EntryRef, FINDING_COMMITMENTS_PATH, FindingCommitmentRequest, FindingCommitmentResponse,
    INCLUSION_PROOF_PATH, InclusionProofResponse, InclusionQuery, OPENINGS_PATH, OpeningRequest,
    OpeningResponse, parse_finding_commitment,
};
use haetae_ledger::{Entry, EntryKind, NoteVerifier};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::disclosure::{Commitment, Embargo, Opening, verify};
use crate::pipeline::Finding;
use crate::{Result, ScanError};

/// The committed field that holds the commitment text.
pub const COMMITTED_FIELD: &str = "detail";

fn err(msg: impl Into<String>) -> ScanError {
    ScanError::Disclosure(msg.into())
}

/// The gateway's root URL from an OpenAI-style base URL (`…/v1`).
fn root_url(gateway: &str) -> &str {
    gateway.trim_end_matches('/').trim_end_matches("/v1")
}

/// The body of a successful answer; otherwise an error saying the gateway `failed` (with the answer's start).
async fn success_text(resp: reqwest::Response, failed: &str) -> Result<String> {
    let status = resp.status();
    let body = resp
        .text()
        .await
        .map_err(|e| err(format!("the gateway: {e}")))?;
    if !status.is_success() {
        return Err(err(format!(
            "the gateway {failed} (HTTP {status}): {}",
            body.chars().take(300).collect::<String>()
        )));
    }
    Ok(body)
}

/// Records the commitment in the programme's ledger through the gateway's member route, under the scan's own key
/// (so the policy decides, and the entry says who recorded it), naming the engagement the scan ran under. Returns
/// the request id of the entry, which the embargo keeps. The answer comes only once the entry is in the log.
pub async fn record_commitment(
    gateway: &str,
    api_key: &str,
    commitment: &Commitment,
    engagement: Option<&str>,
    timeout: Duration,
) -> Result<String> {
    let http = reqwest::Client::builder()
        .timeout(timeout)
        .build()
        .map_err(|e| err(e.to_string()))?;
    let resp = http
        .post(format!("{}{FINDING_COMMITMENTS_PATH}", root_url(gateway)))
        .bearer_auth(api_key)
        .json(&FindingCommitmentRequest {
            finding_id: commitment.finding_id.clone(),
            digest: commitment.digest.clone(),
            engagement: engagement.map(str::to_owned),
        })
        .send()
        .await
        .map_err(|e| err(format!("the gateway: {e}")))?;
    let body = success_text(
        resp,
        &format!("did not record the commitment to {}", commitment.finding_id),
    )
    .await?;
    let recorded: FindingCommitmentResponse = serde_json::from_str(&body)?;
    Ok(recorded.request_id)
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
    let resp = reqwest::Client::new()
        .post(format!("{}{OPENINGS_PATH}", root_url(gateway)))
        .bearer_auth(admin_key)
        .json(&OpeningRequest {
            entry: EntryRef::RequestId(request_id.clone()),
            field: COMMITTED_FIELD.into(),
            auditor: format!("public disclosure of {}", embargo.finding_id),
        })
        .send()
        .await
        .map_err(|e| err(format!("the gateway: {e}")))?;
    let disclosure_request_id = resp
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = success_text(resp, "refused the opening").await?;
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
    match parse_finding_commitment(&o.value) {
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
    let base = root_url(base);
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
