//! Records of the running programme: limits on tiers, organisations and keys; engagements; review items; usage.

use haetae_core::{Quota, Role, TierLimits, new_id, now_unix};
use haetae_meter::misuse::Signal;
use haetae_meter::review::{Enforcement, ReviewAction, ReviewError, ReviewItem, ReviewState};
use haetae_meter::usage::UsageRecord;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::programme::bump_generation;
use crate::{Page, Paged, Store, StoreError};

/// An engagement as stored: an authorised test of named targets by one organisation, for a window of time.
/// `targets` are scope patterns (`*.example.com`, `10.0.0.0/16`, `github.com/acme/*`); the policy crate parses
/// and checks them before they get here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EngagementRecord {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub targets: Vec<String>,
    pub valid_from: i64,
    pub valid_until: i64,
    /// The owner (member id) who registered it.
    pub registered_by: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewEngagement {
    pub name: String,
    pub targets: Vec<String>,
    pub valid_from: i64,
    pub valid_until: i64,
    /// The registering owner's member id.
    pub registered_by: String,
}

/// One usage query.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct UsageQuery {
    /// First UTC day included, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last UTC day included, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Only this organisation (id or name).
    pub org: Option<String>,
}

/// An administrative change waiting to be appended to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxEntry {
    pub id: String,
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

/// The advisory-lock key of the outbox drain ("haetaeob"): one per database, so one per programme store.
const OUTBOX_LOCK_KEY: i64 = 0x6861_6574_6165_6f62;

/// One replica's hold on the outbox drain ([`Store::lock_outbox`]).
pub struct OutboxLock {
    /// PostgreSQL: the session holding the advisory lock. SQLite: none.
    conn: Option<sqlx::pool::PoolConnection<sqlx::Any>>,
}

impl OutboxLock {
    /// Gives the drain back. Should the unlock fail, the connection is closed instead, which releases it too.
    pub async fn release(mut self) -> Result<(), StoreError> {
        let Some(mut conn) = self.conn.take() else {
            return Ok(());
        };
        let unlocked: Result<(bool,), sqlx::Error> =
            sqlx::query_as("SELECT pg_advisory_unlock($1)")
                .bind(OUTBOX_LOCK_KEY)
                .fetch_one(&mut *conn)
                .await;
        match unlocked {
            Ok((true,)) => Ok(()),
            Ok((false,)) => {
                drop(conn.detach());
                Err(StoreError::Invalid(
                    "the outbox lock was not held by its session".into(),
                ))
            }
            Err(e) => {
                drop(conn.detach());
                Err(e.into())
            }
        }
    }
}

impl Drop for OutboxLock {
    fn drop(&mut self) {
        // Not released: close the session rather than hand a locked connection back to the pool.
        if let Some(conn) = self.conn.take() {
            drop(conn.detach());
        }
    }
}

/// How many times a review transition retries after losing a compare-and-set race before giving up.
const REVIEW_CAS_ATTEMPTS: usize = 8;

fn to_json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Invalid(format!("cannot encode a record: {e}")))
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Invalid(format!("stored {what} is corrupt: {e}")))
}

fn engagement_from_row(row: &AnyRow) -> Result<EngagementRecord, StoreError> {
    let targets: String = row.try_get("targets")?;
    Ok(EngagementRecord {
        id: row.try_get("id")?,
        org_id: row.try_get("org_id")?,
        name: row.try_get("name")?,
        targets: from_json(&targets, "engagement targets")?,
        valid_from: row.try_get("valid_from")?,
        valid_until: row.try_get("valid_until")?,
        registered_by: row.try_get("registered_by")?,
        created_at: row.try_get("created_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

fn review_from_row(row: &AnyRow) -> Result<(ReviewItem, i64), StoreError> {
    let item: String = row.try_get("item")?;
    Ok((from_json(&item, "review item")?, row.try_get("version")?))
}

fn valid_day(day: &str) -> Result<(), StoreError> {
    let b = day.as_bytes();
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "'{day}' is not a day (YYYY-MM-DD)"
        )))
    }
}

const ENGAGEMENT_COLUMNS: &str =
    "id, org_id, name, targets, valid_from, valid_until, registered_by, created_at, revoked_at";

impl Store {
    // ----- limits -----

    pub async fn set_tier_limits(
        &self,
        tier: &str,
        limits: &TierLimits,
    ) -> Result<TierLimits, StoreError> {
        limits.validate().map_err(StoreError::Invalid)?;
        self.get_tier(tier).await?;
        let mut tx = self.pool().begin().await?;
        sqlx::query("UPDATE tiers SET limits = $1 WHERE name = $2")
            .bind(to_json(limits)?)
            .bind(tier)
            .execute(&mut *tx)
            .await?;
        bump_generation(&mut tx).await?;
        tx.commit().await?;
        self.tier_limits(tier).await
    }

    pub async fn tier_limits(&self, tier: &str) -> Result<TierLimits, StoreError> {
        let row = sqlx::query("SELECT limits FROM tiers WHERE name = $1")
            .bind(tier)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("tier '{tier}'")))?;
        from_json(&row.try_get::<String, _>("limits")?, "tier limits")
    }

    /// Sets (replaces) an organisation's own limits; fields left out inherit the tier's per-organisation defaults.
    pub async fn set_org_limits(&self, org: &str, limits: &Quota) -> Result<Quota, StoreError> {
        limits.validate().map_err(StoreError::Invalid)?;
        let org = self.get_org(org).await?;
        let mut tx = self.pool().begin().await?;
        sqlx::query("UPDATE organisations SET limits = $1, updated_at = $2 WHERE id = $3")
            .bind(to_json(limits)?)
            .bind(now_unix())
            .bind(&org.id)
            .execute(&mut *tx)
            .await?;
        bump_generation(&mut tx).await?;
        tx.commit().await?;
        self.org_limits(&org.id).await
    }

    pub async fn org_limits(&self, org: &str) -> Result<Quota, StoreError> {
        let row = sqlx::query("SELECT limits FROM organisations WHERE id = $1 OR name = $2")
            .bind(org)
            .bind(org)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("organisation '{org}'")))?;
        from_json(&row.try_get::<String, _>("limits")?, "organisation limits")
    }

    /// Sets (replaces) a key's own limits; fields left out inherit the tier's per-key defaults.
    pub async fn set_key_limits(&self, key_id: &str, limits: &Quota) -> Result<Quota, StoreError> {
        limits.validate().map_err(StoreError::Invalid)?;
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query("UPDATE api_keys SET limits = $1 WHERE id = $2")
            .bind(to_json(limits)?)
            .bind(key_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("API key '{key_id}'")));
        }
        bump_generation(&mut tx).await?;
        tx.commit().await?;
        Ok(*limits)
    }

    // ----- engagements -----

    /// Registers an engagement. Only an owner of the organisation may register one; the window must be sane.
    pub async fn register_engagement(
        &self,
        org: &str,
        new: &NewEngagement,
    ) -> Result<EngagementRecord, StoreError> {
        crate::programme::require_text(&new.name, "name")?;
        let org = self.get_org(org).await?;
        let owner = self.get_member(&new.registered_by).await?;
        if owner.org_id != org.id || owner.role != Role::Owner {
            return Err(StoreError::Invalid(format!(
                "'{}' is not an owner of {}: only an organisation's owners register its engagements",
                new.registered_by, org.name
            )));
        }
        if new.targets.is_empty() {
            return Err(StoreError::Invalid(
                "an engagement names at least one target".into(),
            ));
        }
        if new.targets.len() > 256 {
            return Err(StoreError::Invalid(
                "an engagement names at most 256 targets".into(),
            ));
        }
        if new.valid_until <= new.valid_from {
            return Err(StoreError::Invalid(
                "'valid_until' must be after 'valid_from'".into(),
            ));
        }
        let record = EngagementRecord {
            id: format!("eng_{}", new_id()),
            org_id: org.id,
            name: new.name.trim().to_string(),
            targets: new.targets.iter().map(|t| t.trim().to_string()).collect(),
            valid_from: new.valid_from,
            valid_until: new.valid_until,
            registered_by: owner.id,
            created_at: now_unix(),
            revoked_at: None,
        };
        sqlx::query(
            "INSERT INTO engagements (id, org_id, name, targets, valid_from, valid_until, registered_by, created_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&record.id)
        .bind(&record.org_id)
        .bind(&record.name)
        .bind(to_json(&record.targets)?)
        .bind(record.valid_from)
        .bind(record.valid_until)
        .bind(&record.registered_by)
        .bind(record.created_at)
        .bind(record.revoked_at)
        .execute(self.pool())
        .await
        .map_err(|e| StoreError::from_write(e, || "an engagement with this id".to_string()))?;
        Ok(record)
    }

    pub async fn get_engagement(&self, id: &str) -> Result<Option<EngagementRecord>, StoreError> {
        let sql = format!("SELECT {ENGAGEMENT_COLUMNS} FROM engagements WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(engagement_from_row).transpose()
    }

    pub async fn list_engagements(
        &self,
        org: &str,
        page: &Page,
    ) -> Result<Paged<EngagementRecord>, StoreError> {
        let org = self.get_org(org).await?;
        let sql = format!(
            "SELECT {ENGAGEMENT_COLUMNS} FROM engagements WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(&org.id)
            .bind(page.after())
            .bind(page.limit())
            .fetch_all(self.pool())
            .await?;
        let data = rows
            .iter()
            .map(engagement_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Paged::from_rows(data, page, |e| e.id.clone()))
    }

    /// Ends an engagement now; requests naming it are refused from the next one on.
    pub async fn revoke_engagement(&self, id: &str) -> Result<EngagementRecord, StoreError> {
        sqlx::query("UPDATE engagements SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now_unix())
            .bind(id)
            .execute(self.pool())
            .await?;
        self.get_engagement(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("engagement '{id}'")))
    }

    // ----- review items -----

    /// Files a misuse signal: attaches it to the subject's unresolved item of the same kind, or opens a new one.
    /// Returns the item and whether it is new.
    pub async fn file_signal(&self, signal: Signal) -> Result<(ReviewItem, bool), StoreError> {
        let dedup_key = signal.dedup_key();
        for _ in 0..REVIEW_CAS_ATTEMPTS {
            let row = sqlx::query(
                "SELECT item, version FROM review_items WHERE dedup_key = $1 AND state <> $2 ORDER BY id LIMIT 1",
            )
            .bind(&dedup_key)
            .bind(ReviewState::Resolved.as_str())
            .fetch_optional(self.pool())
            .await?;
            match row {
                Some(row) => {
                    let (mut item, version) = review_from_row(&row)?;
                    item.attach(signal.clone()).map_err(review_error)?;
                    if self.write_review(&item, version).await? {
                        return Ok((item, false));
                    }
                }
                None => {
                    let item = ReviewItem::open(signal.clone());
                    sqlx::query(
                        "INSERT INTO review_items (id, dedup_key, kind, state, severity, org_id, key_id, opened_at_ms, version, item) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    )
                    .bind(item.id.simple().to_string())
                    .bind(&item.dedup_key)
                    .bind(item.kind.as_str())
                    .bind(item.state.as_str())
                    .bind(severity_str(item.severity))
                    .bind(item.subject.org_id())
                    .bind(item.subject.key_id())
                    .bind(item.opened_at_ms as i64)
                    .bind(0_i64)
                    .bind(to_json(&item)?)
                    .execute(self.pool())
                    .await?;
                    return Ok((item, true));
                }
            }
        }
        Err(StoreError::Conflict(
            "the review item changed too often while filing a signal; try again".into(),
        ))
    }

    /// Compare-and-set: writes `item` only if nobody changed it since `version` was read.
    async fn write_review(&self, item: &ReviewItem, version: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE review_items SET state = $1, severity = $2, version = $3, item = $4 WHERE id = $5 AND version = $6",
        )
        .bind(item.state.as_str())
        .bind(severity_str(item.severity))
        .bind(version + 1)
        .bind(to_json(item)?)
        .bind(item.id.simple().to_string())
        .bind(version)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn get_review(&self, id: &str) -> Result<ReviewItem, StoreError> {
        let id = normalise_review_id(id)?;
        let row = sqlx::query("SELECT item, version FROM review_items WHERE id = $1")
            .bind(&id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("review item '{id}'")))?;
        Ok(review_from_row(&row)?.0)
    }

    /// Lists review items, oldest first, optionally in one state only.
    pub async fn list_reviews(
        &self,
        state: Option<ReviewState>,
        page: &Page,
    ) -> Result<Paged<ReviewItem>, StoreError> {
        let rows = match state {
            Some(state) => {
                sqlx::query("SELECT item, version FROM review_items WHERE state = $1 AND id > $2 ORDER BY id LIMIT $3")
                    .bind(state.as_str())
                    .bind(page.after())
                    .bind(page.limit())
                    .fetch_all(self.pool())
                    .await?
            }
            None => {
                sqlx::query("SELECT item, version FROM review_items WHERE id > $1 ORDER BY id LIMIT $2")
                    .bind(page.after())
                    .bind(page.limit())
                    .fetch_all(self.pool())
                    .await?
            }
        };
        let items = rows
            .iter()
            .map(|r| review_from_row(r).map(|(item, _)| item))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Paged::from_rows(items, page, |i| i.id.simple().to_string()))
    }

    /// Applies a transition (claim, unclaim, resolve) to an item atomically; the closure may run more than once
    /// if another reviewer changed the item meanwhile, and always sees the latest version.
    pub async fn update_review<F>(
        &self,
        id: &str,
        mut transition: F,
    ) -> Result<(ReviewItem, Enforcement), StoreError>
    where
        F: FnMut(&mut ReviewItem) -> Result<Enforcement, ReviewError>,
    {
        let id = normalise_review_id(id)?;
        for _ in 0..REVIEW_CAS_ATTEMPTS {
            let row = sqlx::query("SELECT item, version FROM review_items WHERE id = $1")
                .bind(&id)
                .fetch_optional(self.pool())
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("review item '{id}'")))?;
            let (mut item, version) = review_from_row(&row)?;
            let enforcement = transition(&mut item).map_err(review_error)?;
            if self.write_review(&item, version).await? {
                return Ok((item, enforcement));
            }
        }
        Err(StoreError::Conflict(
            "the review item changed too often; try again".into(),
        ))
    }

    // ----- enforcement -----

    /// Carries out a reviewer's decision at once: the next request of a suspended key or organisation is refused.
    pub async fn enforce(
        &self,
        enforcement: &Enforcement,
        reviewer: &str,
        item_id: &str,
        note: &str,
    ) -> Result<(), StoreError> {
        match enforcement {
            Enforcement::None | Enforcement::Warn { .. } => Ok(()),
            Enforcement::SuspendKey { key_id } => {
                self.revoke_key(key_id).await?;
                Ok(())
            }
            Enforcement::SuspendOrg { org_id } => {
                let org = self.get_org(org_id).await?;
                if org.vetting_state == haetae_core::VettingState::Suspended {
                    return Ok(());
                }
                self.record_vetting(
                    org_id,
                    &crate::NewEvidence {
                        reviewer: reviewer.to_string(),
                        checked: format!("review item {item_id}"),
                        decision: haetae_core::VettingState::Suspended,
                        notes: note.to_string(),
                        expires_at: None,
                    },
                )
                .await?;
                Ok(())
            }
        }
    }

    // ----- the administrative outbox -----

    /// Queues a change for the ledger and returns the row's id: the gateway records it under the ledger request
    /// id `adm_<id>`, so the caller can find (or prove) its entry even after the row was drained.
    pub async fn push_outbox(
        &self,
        actor: &str,
        action: &str,
        detail: &str,
    ) -> Result<String, StoreError> {
        let at_ms = saturating_i64(now_ms());
        let id = new_id();
        sqlx::query("INSERT INTO admin_outbox (id, at_ms, actor, action, detail) VALUES ($1, $2, $3, $4, $5)")
            .bind(&id)
            .bind(at_ms)
            .bind(actor)
            .bind(action)
            .bind(detail)
            .execute(self.pool())
            .await?;
        Ok(id)
    }

    /// The oldest waiting entries, at most `limit`.
    pub async fn peek_outbox(&self, limit: i64) -> Result<Vec<OutboxEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, at_ms, actor, action, detail FROM admin_outbox ORDER BY id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OutboxEntry {
                    id: r.try_get("id")?,
                    at_ms: r.try_get("at_ms")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }

    /// The right to drain the outbox, held by one replica at a time: on PostgreSQL a session advisory lock on a
    /// connection taken from the pool (`None`: another replica holds it, try at the next drain); on SQLite, where
    /// one gateway serves the file, always granted. Without it, two replicas draining together could each find
    /// an entry unrecorded and each append it. Give it back with [`OutboxLock::release`]; dropped instead (a
    /// panic, a cancelled task), its connection is closed, which ends the session and with it the lock.
    pub async fn lock_outbox(&self) -> Result<Option<OutboxLock>, StoreError> {
        if self.backend() != crate::Backend::Postgres {
            return Ok(Some(OutboxLock { conn: None }));
        }
        let mut conn = self.pool().acquire().await?;
        let (locked,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_lock($1)")
            .bind(OUTBOX_LOCK_KEY)
            .fetch_one(&mut *conn)
            .await?;
        Ok(locked.then_some(OutboxLock { conn: Some(conn) }))
    }

    pub async fn remove_outbox(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM admin_outbox WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// open → claimed, by `reviewer`.
    pub async fn claim_review(&self, id: &str, reviewer: &str) -> Result<ReviewItem, StoreError> {
        let at = now_ms();
        let (item, _) = self
            .update_review(id, |i| i.claim(reviewer, at).map(|()| Enforcement::None))
            .await?;
        Ok(item)
    }

    /// claimed → open, by its claimant.
    pub async fn unclaim_review(&self, id: &str, reviewer: &str) -> Result<ReviewItem, StoreError> {
        let at = now_ms();
        let (item, _) = self
            .update_review(id, |i| i.unclaim(reviewer, at).map(|()| Enforcement::None))
            .await?;
        Ok(item)
    }

    /// claimed → resolved, by its claimant, and the decision carried out at once (a suspension is effective on
    /// the next request).
    pub async fn resolve_review(
        &self,
        id: &str,
        reviewer: &str,
        action: ReviewAction,
        note: Option<&str>,
    ) -> Result<(ReviewItem, Enforcement), StoreError> {
        let at = now_ms();
        let (item, enforcement) = self
            .update_review(id, |i| i.resolve(reviewer, action, note, at))
            .await?;
        self.enforce(
            &enforcement,
            reviewer,
            &item.id.simple().to_string(),
            note.unwrap_or(""),
        )
        .await?;
        Ok((item, enforcement))
    }

    // ----- usage -----

    /// Adds usage deltas (one transaction; a failure adds nothing, so the caller can retry the whole batch), and
    /// the same deltas to the per-day rollups the console's usage page reads (`migrations/0006`).
    pub async fn add_usage(&self, records: &[UsageRecord]) -> Result<(), StoreError> {
        if records.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool().begin().await?;
        for r in records {
            sqlx::query(
                "INSERT INTO usage_daily (day, org_id, member_id, key_id, model, use_case, requests, prompt_tokens, completion_tokens) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (day, org_id, member_id, key_id, model, use_case) DO UPDATE SET \
                 requests = usage_daily.requests + excluded.requests, \
                 prompt_tokens = usage_daily.prompt_tokens + excluded.prompt_tokens, \
                 completion_tokens = usage_daily.completion_tokens + excluded.completion_tokens",
            )
            .bind(&r.day)
            .bind(&r.org_id)
            .bind(&r.member_id)
            .bind(&r.key_id)
            .bind(&r.model)
            .bind(&r.use_case)
            .bind(saturating_i64(r.requests))
            .bind(saturating_i64(r.prompt_tokens))
            .bind(saturating_i64(r.completion_tokens))
            .execute(&mut *tx)
            .await?;
        }
        crate::aggregates::add_to_rollups(&mut tx, records).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A usage query's first and last day (checked) and its organisation's id (resolved from an id or name).
    pub(crate) async fn usage_bounds(
        &self,
        query: &UsageQuery,
    ) -> Result<(String, String, Option<String>), StoreError> {
        let from = query.from.clone().unwrap_or_else(|| "0000-00-00".into());
        let to = query.to.clone().unwrap_or_else(|| "9999-99-99".into());
        if query.from.is_some() {
            valid_day(&from)?;
        }
        if query.to.is_some() {
            valid_day(&to)?;
        }
        let org = match &query.org {
            Some(o) => Some(self.get_org(o).await?.id),
            None => None,
        };
        Ok((from, to, org))
    }

    /// Usage rows in a day range (inclusive), optionally of one organisation.
    pub async fn usage(&self, query: &UsageQuery) -> Result<Vec<UsageRecord>, StoreError> {
        let (from, to, org) = self.usage_bounds(query).await?;
        let base = "SELECT day, org_id, member_id, key_id, model, use_case, requests, prompt_tokens, completion_tokens \
                    FROM usage_daily WHERE day >= $1 AND day <= $2";
        let rows = match &org {
            Some(org) => sqlx::query(&format!(
                "{base} AND org_id = $3 ORDER BY day, org_id, member_id, key_id, model, use_case"
            ))
            .bind(&from)
            .bind(&to)
            .bind(org)
            .fetch_all(self.pool())
            .await?,
            None => {
                sqlx::query(&format!(
                    "{base} ORDER BY day, org_id, member_id, key_id, model, use_case"
                ))
                .bind(&from)
                .bind(&to)
                .fetch_all(self.pool())
                .await?
            }
        };
        rows.iter()
            .map(|row| {
                Ok(UsageRecord {
                    day: row.try_get("day")?,
                    org_id: row.try_get("org_id")?,
                    member_id: row.try_get("member_id")?,
                    key_id: row.try_get("key_id")?,
                    model: row.try_get("model")?,
                    use_case: row.try_get("use_case")?,
                    requests: row.try_get::<i64, _>("requests")?.max(0) as u64,
                    prompt_tokens: row.try_get::<i64, _>("prompt_tokens")?.max(0) as u64,
                    completion_tokens: row.try_get::<i64, _>("completion_tokens")?.max(0) as u64,
                })
            })
            .collect()
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

pub(crate) fn saturating_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn severity_str(s: haetae_meter::misuse::Severity) -> &'static str {
    use haetae_meter::misuse::Severity;
    match s {
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
    }
}

/// Review ids are UUIDs; accept the hyphenated form people copy from JSON as well as the stored simple form.
fn normalise_review_id(id: &str) -> Result<String, StoreError> {
    uuid::Uuid::parse_str(id.trim())
        .map(|u| u.simple().to_string())
        .map_err(|_| StoreError::NotFound(format!("review item '{id}'")))
}

fn review_error(e: ReviewError) -> StoreError {
    match e {
        ReviewError::InvalidTransition { .. } | ReviewError::NotClaimant { .. } => {
            StoreError::Conflict(e.to_string())
        }
        _ => StoreError::Invalid(e.to_string()),
    }
}
