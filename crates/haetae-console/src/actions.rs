//! Recording console changes in the ledger, as the admin API and the member API record theirs.
//!
//! An operator's change is recorded with the admin API's action label for the same change (`admin POST
//! /admin/v1/orgs/{org}/vetting`), so an auditor reads console and API changes alike; the committed detail
//! names the console user instead of an admin key. An owner's change is decided by the same Cedar policy as the
//! member API's (`manage_engagements`) and recorded with the same labels (`engagements.register`) and the
//! owner as principal. As with the admin API, a change the ledger could not record is refused before it is
//! made.

use haetae_core::Principal;
use haetae_ledger::Decision;
use haetae_policy::Action;

use crate::{Console, ConsoleError, Ctx};
use haetae_gateway::stages::record::Record;

/// A fresh gateway-style request id for a console change.
fn request_id() -> String {
    format!("con_{}", uuid::Uuid::now_v7().simple())
}

/// Refuses a change now if the ledger could not record it.
pub fn ledger_ready(console: &Console) -> Result<(), ConsoleError> {
    match &console.0.gateway.recorder {
        Some(r) => r.ensure_healthy().map_err(|_| ConsoleError::LedgerDown),
        None => Ok(()),
    }
}

/// Records an operator's change under the admin API's label for it (`method`, `route` as the admin API's
/// route template, `path` as the admin API path it corresponds to).
pub async fn record_operator(
    console: &Console,
    ctx: &Ctx,
    method: &str,
    route: &str,
    path: &str,
    detail: String,
) -> Result<Option<u64>, ConsoleError> {
    record_operator_action(
        console,
        ctx,
        &format!("admin {method} /admin/v1{route}"),
        format!("{method} /admin/v1{path}: {detail}"),
    )
    .await
}

/// Records an operator's change under `action` as it stands (`admin release.apply`, the label the CLI's
/// outbox gives the same change), naming the console user in the committed detail.
pub async fn record_operator_action(
    console: &Console,
    ctx: &Ctx,
    action: &str,
    detail: String,
) -> Result<Option<u64>, ConsoleError> {
    let Some(recorder) = &console.0.gateway.recorder else {
        return Ok(None);
    };
    let who = ctx.user().map(|u| u.name.as_str()).unwrap_or("?");
    let request_id = request_id();
    let record = Record {
        request_id: &request_id,
        action,
        decision: Some(Decision::Allow),
        detail: format!("console operator {who}: {detail}"),
        admin: true,
        ..Default::default()
    };
    recorder
        .record(record)
        .await
        .map(Some)
        .map_err(|_| ConsoleError::LedgerDown)
}

/// The owner as the policy sees a member: their member record, organisation and its tier. There is no API key
/// behind a console session; the key id says so.
pub async fn owner_principal(console: &Console, ctx: &Ctx) -> Result<Principal, ConsoleError> {
    let user = ctx.user().ok_or(ConsoleError::Forbidden)?;
    let (Some(member_id), Some(org_id)) = (&user.member_id, &user.org_id) else {
        return Err(ConsoleError::Forbidden);
    };
    let store = &console.0.gateway.store;
    let member = store.get_member(member_id).await?;
    let org = store.get_org(org_id).await?;
    if member.org_id != org.id {
        return Err(ConsoleError::Forbidden);
    }
    let tier = store.get_tier(&org.tier).await?;
    Ok(Principal {
        key_id: "console-passkey".into(),
        member,
        org,
        tier,
    })
}

/// Asks the policy whether the owner may do `action` to their organisation, through the member API's own
/// check: a refusal is recorded as the member API records it (under `label`) and answered 403.
pub async fn authorise_owner(
    console: &Console,
    p: &Principal,
    action: Action,
    label: &str,
) -> Result<(), ConsoleError> {
    haetae_gateway::member_api::authorise(&console.0.gateway, p, action, &request_id(), label)
        .await
        .map_err(ConsoleError::from)
}

/// Records an owner's change (allowed) with the owner as principal.
pub async fn record_owner(
    console: &Console,
    p: &Principal,
    label: &str,
    detail: String,
) -> Result<Option<u64>, ConsoleError> {
    let Some(recorder) = &console.0.gateway.recorder else {
        return Ok(None);
    };
    let id = request_id();
    recorder
        .record(Record {
            request_id: &id,
            principal: Some(p),
            action: label,
            decision: Some(Decision::Allow),
            detail: format!("console: {detail}"),
            admin: true,
            ..Record::default()
        })
        .await
        .map(Some)
        .map_err(|_| ConsoleError::LedgerDown)
}
