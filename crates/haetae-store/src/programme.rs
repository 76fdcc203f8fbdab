//! Queries over the programme's records.

use haetae_core::{
    ApiKeyInfo, ApiKeySecret, KeyKind, Member, ModelEntry, Organisation, QuotaLevels, Role, Tier,
    TierLimits, VettingEvidence, VettingState, new_id, now_unix,
};
use serde::Deserialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Page, Paged, Store, StoreError};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewOrganisation {
    pub name: String,
    pub country: String,
    #[serde(default)]
    pub sector: String,
    /// Tier name; defaults to the lowest tier.
    pub tier: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewEvidence {
    pub reviewer: String,
    pub checked: String,
    /// The state this review moves the organisation to.
    pub decision: VettingState,
    #[serde(default)]
    pub notes: String,
    /// For `verified`: unix seconds at which the vetting expires (`None`: never).
    pub expires_at: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewMember {
    pub identity: String,
    #[serde(default)]
    pub display_name: String,
    pub role: Role,
    #[serde(default)]
    pub identity_verified: bool,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewModel {
    pub name: String,
    pub backend: String,
    pub upstream_model: String,
    pub min_tier: String,
    #[serde(default)]
    pub description: String,
}

/// What the authenticate and principal stages need about a presented key, fetched in one query.
#[derive(Debug, Clone)]
pub struct KeyRecord {
    pub secret_hash: String,
    pub key: ApiKeyInfo,
    pub member: Member,
    pub org: Organisation,
    pub tier: Tier,
    /// The limits of the key, its organisation and its tier, resolved by the meter stage.
    pub quotas: QuotaLevels,
}

#[derive(Debug, Clone)]
pub struct AdminKeyRecord {
    pub id: String,
    pub secret_hash: String,
    pub label: String,
    pub revoked_at: Option<i64>,
}

fn parse_field<T: std::str::FromStr>(row: &AnyRow, column: &str) -> Result<T, StoreError>
where
    T::Err: std::fmt::Display,
{
    let raw: String = row.try_get(column)?;
    raw.parse()
        .map_err(|e| StoreError::Invalid(format!("stored {column} is corrupt: {e}")))
}

const ORG_COLUMNS: &str = "o.id, o.name, o.country, o.sector, o.vetting_state, o.tier, o.vetting_expires_at, o.created_at, o.updated_at";
const MEMBER_COLUMNS: &str = "m.id AS m_id, m.org_id AS m_org_id, m.identity, m.display_name, m.role, m.identity_verified, m.created_at AS m_created_at";
const KEY_COLUMNS: &str = "k.id AS k_id, k.member_id AS k_member_id, k.org_id AS k_org_id, k.label AS k_label, k.created_at AS k_created_at, k.expires_at AS k_expires_at, k.revoked_at AS k_revoked_at";

fn org_from_row(row: &AnyRow) -> Result<Organisation, StoreError> {
    Ok(Organisation {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        country: row.try_get("country")?,
        sector: row.try_get("sector")?,
        vetting_state: parse_field(row, "vetting_state")?,
        tier: row.try_get("tier")?,
        vetting_expires_at: row.try_get("vetting_expires_at")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn member_from_row(row: &AnyRow) -> Result<Member, StoreError> {
    Ok(Member {
        id: row.try_get("m_id")?,
        org_id: row.try_get("m_org_id")?,
        identity: row.try_get("identity")?,
        display_name: row.try_get("display_name")?,
        role: parse_field(row, "role")?,
        identity_verified: row.try_get::<i64, _>("identity_verified")? != 0,
        created_at: row.try_get("m_created_at")?,
    })
}

fn key_from_row(row: &AnyRow) -> Result<ApiKeyInfo, StoreError> {
    Ok(ApiKeyInfo {
        id: row.try_get("k_id")?,
        member_id: row.try_get("k_member_id")?,
        org_id: row.try_get("k_org_id")?,
        label: row.try_get("k_label")?,
        created_at: row.try_get("k_created_at")?,
        expires_at: row.try_get("k_expires_at")?,
        revoked_at: row.try_get("k_revoked_at")?,
    })
}

fn tier_from_row(row: &AnyRow, prefix: &str) -> Result<Tier, StoreError> {
    Ok(Tier {
        name: row.try_get(format!("{prefix}name").as_str())?,
        rank: row.try_get(format!("{prefix}rank").as_str())?,
        description: row.try_get(format!("{prefix}description").as_str())?,
    })
}

fn model_from_row(row: &AnyRow) -> Result<ModelEntry, StoreError> {
    Ok(ModelEntry {
        name: row.try_get("name")?,
        backend: row.try_get("backend")?,
        upstream_model: row.try_get("upstream_model")?,
        min_tier: row.try_get("min_tier")?,
        description: row.try_get("description")?,
        created_at: row.try_get("created_at")?,
    })
}

fn evidence_from_row(row: &AnyRow) -> Result<VettingEvidence, StoreError> {
    Ok(VettingEvidence {
        id: row.try_get("id")?,
        org_id: row.try_get("org_id")?,
        reviewer: row.try_get("reviewer")?,
        checked: row.try_get("checked")?,
        decision: parse_field(row, "decision")?,
        notes: row.try_get("notes")?,
        created_at: row.try_get("created_at")?,
    })
}

fn limits_field<T: serde::de::DeserializeOwned>(
    row: &AnyRow,
    column: &str,
) -> Result<T, StoreError> {
    let raw: String = row.try_get(column)?;
    serde_json::from_str(&raw)
        .map_err(|e| StoreError::Invalid(format!("stored {column} is corrupt: {e}")))
}

/// Bumps the programme generation inside `tx`, the transaction of a write to a record that key lookups join
/// (tier, organisation, vetting, member, key, limits) or that requests read through the catalogue cache (tiers,
/// model catalogue entries). The bump commits with the write or not at all, so a
/// reader that sees the new generation also sees the write: cached lookups (`key_cache.rs`) are never stale.
pub(crate) async fn bump_generation(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE programme_generation SET generation = generation + 1 WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(crate) fn require_text(value: &str, field: &str) -> Result<(), StoreError> {
    if value.trim().is_empty() {
        return Err(StoreError::Invalid(format!("'{field}' must not be empty")));
    }
    if value.len() > 512 {
        return Err(StoreError::Invalid(format!(
            "'{field}' is longer than 512 bytes"
        )));
    }
    Ok(())
}

impl Store {
    // ----- tiers -----

    pub async fn list_tiers(&self) -> Result<Vec<Tier>, StoreError> {
        let rows = sqlx::query("SELECT name, rank, description FROM tiers ORDER BY rank")
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| tier_from_row(r, "")).collect()
    }

    pub async fn get_tier(&self, name: &str) -> Result<Tier, StoreError> {
        let row = sqlx::query("SELECT name, rank, description FROM tiers WHERE name = $1")
            .bind(name)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("tier '{name}'")))?;
        tier_from_row(&row, "")
    }

    /// Creates a tier or changes an existing one's rank and description.
    pub async fn upsert_tier(&self, tier: &Tier) -> Result<(), StoreError> {
        require_text(&tier.name, "name")?;
        if !tier
            .name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(StoreError::Invalid(
                "a tier name uses lowercase letters, digits and '-'".into(),
            ));
        }
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO tiers (name, rank, description) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET rank = excluded.rank, description = excluded.description",
        )
        .bind(&tier.name)
        .bind(tier.rank)
        .bind(&tier.description)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::from_write(e, || format!("a tier with rank {}", tier.rank)))?;
        bump_generation(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Installs the default tier ladder, with the programme's default limits, where no tiers exist yet.
    pub async fn ensure_default_tiers(&self) -> Result<(), StoreError> {
        if self.list_tiers().await?.is_empty() {
            for tier in haetae_core::default_tiers() {
                self.upsert_tier(&tier).await?;
                self.set_tier_limits(&tier.name, &TierLimits::default_for(&tier.name))
                    .await?;
            }
        }
        Ok(())
    }

    async fn lowest_tier(&self) -> Result<Tier, StoreError> {
        self.list_tiers()
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::Invalid("no tiers are defined".into()))
    }

    // ----- organisations -----

    pub async fn create_org(&self, new: &NewOrganisation) -> Result<Organisation, StoreError> {
        require_text(&new.name, "name")?;
        require_text(&new.country, "country")?;
        let tier = match &new.tier {
            Some(t) => self.get_tier(t).await?,
            None => self.lowest_tier().await?,
        };
        let now = now_unix();
        let org = Organisation {
            id: new_id(),
            name: new.name.trim().to_string(),
            country: new.country.trim().to_string(),
            sector: new.sector.trim().to_string(),
            vetting_state: VettingState::Applied,
            tier: tier.name,
            vetting_expires_at: None,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO organisations (id, name, country, sector, vetting_state, tier, vetting_expires_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&org.id)
        .bind(&org.name)
        .bind(&org.country)
        .bind(&org.sector)
        .bind(org.vetting_state.as_str())
        .bind(&org.tier)
        .bind(org.vetting_expires_at)
        .bind(org.created_at)
        .bind(org.updated_at)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::from_write(e, || format!("an organisation named '{}'", org.name)))?;
        bump_generation(&mut tx).await?;
        tx.commit().await?;
        Ok(org)
    }

    /// Finds an organisation by id or by exact name.
    pub async fn get_org(&self, id_or_name: &str) -> Result<Organisation, StoreError> {
        let sql =
            format!("SELECT {ORG_COLUMNS} FROM organisations o WHERE o.id = $1 OR o.name = $2");
        let row = sqlx::query(&sql)
            .bind(id_or_name)
            .bind(id_or_name)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("organisation '{id_or_name}'")))?;
        org_from_row(&row)
    }

    pub async fn list_orgs(&self, page: &Page) -> Result<Paged<Organisation>, StoreError> {
        let sql = format!(
            "SELECT {ORG_COLUMNS} FROM organisations o WHERE o.id > $1 ORDER BY o.id LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(page.after())
            .bind(page.limit())
            .fetch_all(self.pool())
            .await?;
        let orgs = rows
            .iter()
            .map(org_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Paged::from_rows(orgs, page, |o| o.id.clone()))
    }

    /// Records a vetting review and moves the organisation to its decision, in one transaction: the state never
    /// changes without the evidence that justified it.
    pub async fn record_vetting(
        &self,
        org: &str,
        evidence: &NewEvidence,
    ) -> Result<(Organisation, VettingEvidence), StoreError> {
        require_text(&evidence.reviewer, "reviewer")?;
        require_text(&evidence.checked, "checked")?;
        let current = self.get_org(org).await?;
        if !current.vetting_state.can_become(evidence.decision) {
            return Err(StoreError::Invalid(format!(
                "an organisation that is {} cannot become {}",
                current.vetting_state.as_str(),
                evidence.decision.as_str()
            )));
        }
        let now = now_unix();
        let expires_at = match evidence.decision {
            VettingState::Verified => evidence.expires_at,
            _ => current.vetting_expires_at,
        };
        let record = VettingEvidence {
            id: new_id(),
            org_id: current.id.clone(),
            reviewer: evidence.reviewer.clone(),
            checked: evidence.checked.clone(),
            decision: evidence.decision,
            notes: evidence.notes.clone(),
            created_at: now,
        };
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO vetting_evidence (id, org_id, reviewer, checked, decision, notes, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&record.id)
        .bind(&record.org_id)
        .bind(&record.reviewer)
        .bind(&record.checked)
        .bind(record.decision.as_str())
        .bind(&record.notes)
        .bind(record.created_at)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE organisations SET vetting_state = $1, vetting_expires_at = $2, updated_at = $3 WHERE id = $4")
            .bind(evidence.decision.as_str())
            .bind(expires_at)
            .bind(now)
            .bind(&current.id)
            .execute(&mut *tx)
            .await?;
        bump_generation(&mut tx).await?;
        tx.commit().await?;
        Ok((self.get_org(&current.id).await?, record))
    }

    pub async fn list_evidence(&self, org: &str) -> Result<Vec<VettingEvidence>, StoreError> {
        let org = self.get_org(org).await?;
        let rows = sqlx::query(
            "SELECT id, org_id, reviewer, checked, decision, notes, created_at FROM vetting_evidence WHERE org_id = $1 ORDER BY id",
        )
        .bind(&org.id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(evidence_from_row).collect()
    }

    pub async fn set_org_tier(&self, org: &str, tier: &str) -> Result<Organisation, StoreError> {
        let current = self.get_org(org).await?;
        let tier = self.get_tier(tier).await?;
        let mut tx = self.pool().begin().await?;
        sqlx::query("UPDATE organisations SET tier = $1, updated_at = $2 WHERE id = $3")
            .bind(&tier.name)
            .bind(now_unix())
            .bind(&current.id)
            .execute(&mut *tx)
            .await?;
        bump_generation(&mut tx).await?;
        tx.commit().await?;
        self.get_org(&current.id).await
    }

    // ----- members -----

    pub async fn add_member(&self, org: &str, new: &NewMember) -> Result<Member, StoreError> {
        require_text(&new.identity, "identity")?;
        let org = self.get_org(org).await?;
        let member = Member {
            id: new_id(),
            org_id: org.id,
            identity: new.identity.trim().to_string(),
            display_name: if new.display_name.trim().is_empty() {
                new.identity.trim().to_string()
            } else {
                new.display_name.trim().to_string()
            },
            role: new.role,
            identity_verified: new.identity_verified,
            created_at: now_unix(),
        };
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO members (id, org_id, identity, display_name, role, identity_verified, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&member.id)
        .bind(&member.org_id)
        .bind(&member.identity)
        .bind(&member.display_name)
        .bind(member.role.as_str())
        .bind(i64::from(member.identity_verified))
        .bind(member.created_at)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::from_write(e, || format!("member '{}' in this organisation", member.identity)))?;
        bump_generation(&mut tx).await?;
        tx.commit().await?;
        Ok(member)
    }

    pub async fn get_member(&self, id: &str) -> Result<Member, StoreError> {
        let sql = format!("SELECT {MEMBER_COLUMNS} FROM members m WHERE m.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("member '{id}'")))?;
        member_from_row(&row)
    }

    pub async fn list_members(&self, org: &str, page: &Page) -> Result<Paged<Member>, StoreError> {
        let org = self.get_org(org).await?;
        let sql = format!(
            "SELECT {MEMBER_COLUMNS} FROM members m WHERE m.org_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(&org.id)
            .bind(page.after())
            .bind(page.limit())
            .fetch_all(self.pool())
            .await?;
        let members = rows
            .iter()
            .map(member_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Paged::from_rows(members, page, |m| m.id.clone()))
    }

    // ----- API keys -----

    /// Issues a key for a member. The returned secret is the only copy: the store keeps its hash.
    pub async fn issue_key(
        &self,
        member_id: &str,
        label: &str,
        expires_at: Option<i64>,
    ) -> Result<(ApiKeyInfo, ApiKeySecret), StoreError> {
        let member = self.get_member(member_id).await?;
        let secret = ApiKeySecret::generate(KeyKind::Member);
        let info = ApiKeyInfo {
            id: secret.public_id.clone(),
            member_id: member.id,
            org_id: member.org_id,
            label: label.to_string(),
            created_at: now_unix(),
            expires_at,
            revoked_at: None,
        };
        // The bump also defeats cached "no such key" answers for this id.
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO api_keys (id, member_id, org_id, secret_hash, label, created_at, expires_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&info.id)
        .bind(&info.member_id)
        .bind(&info.org_id)
        .bind(&secret.secret_hash)
        .bind(&info.label)
        .bind(info.created_at)
        .bind(info.expires_at)
        .bind(info.revoked_at)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::from_write(e, || "an API key with this id".to_string()))?;
        bump_generation(&mut tx).await?;
        tx.commit().await?;
        Ok((info, secret))
    }

    /// Lists keys, optionally of one organisation only.
    pub async fn list_keys(
        &self,
        org: Option<&str>,
        page: &Page,
    ) -> Result<Paged<ApiKeyInfo>, StoreError> {
        let rows = match org {
            Some(org) => {
                let org = self.get_org(org).await?;
                let sql = format!(
                    "SELECT {KEY_COLUMNS} FROM api_keys k WHERE k.org_id = $1 AND k.id > $2 ORDER BY k.id LIMIT $3"
                );
                sqlx::query(&sql)
                    .bind(org.id)
                    .bind(page.after())
                    .bind(page.limit())
                    .fetch_all(self.pool())
                    .await?
            }
            None => {
                let sql = format!(
                    "SELECT {KEY_COLUMNS} FROM api_keys k WHERE k.id > $1 ORDER BY k.id LIMIT $2"
                );
                sqlx::query(&sql)
                    .bind(page.after())
                    .bind(page.limit())
                    .fetch_all(self.pool())
                    .await?
            }
        };
        let keys = rows
            .iter()
            .map(key_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Paged::from_rows(keys, page, |k| k.id.clone()))
    }

    pub async fn get_key(&self, id: &str) -> Result<ApiKeyInfo, StoreError> {
        let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys k WHERE k.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("API key '{id}'")))?;
        key_from_row(&row)
    }

    /// Revokes a key. The generation bump defeats every cached lookup, so the next request with it is refused.
    pub async fn revoke_key(&self, id: &str) -> Result<ApiKeyInfo, StoreError> {
        let key = self.get_key(id).await?;
        if key.revoked_at.is_none() {
            let mut tx = self.pool().begin().await?;
            sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2")
                .bind(now_unix())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            bump_generation(&mut tx).await?;
            tx.commit().await?;
        }
        self.get_key(id).await
    }

    /// Everything needed to authenticate and resolve the principal of a member key, in one query.
    pub async fn lookup_key(&self, public_id: &str) -> Result<Option<KeyRecord>, StoreError> {
        let sql = format!(
            "SELECT k.secret_hash, {KEY_COLUMNS}, {MEMBER_COLUMNS}, {ORG_COLUMNS}, \
                    t.name AS t_name, t.rank AS t_rank, t.description AS t_description, \
                    t.limits AS t_limits, o.limits AS o_limits, k.limits AS k_limits \
             FROM api_keys k \
             JOIN members m ON m.id = k.member_id \
             JOIN organisations o ON o.id = k.org_id \
             JOIN tiers t ON t.name = o.tier \
             WHERE k.id = $1"
        );
        let Some(row) = sqlx::query(&sql)
            .bind(public_id)
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(KeyRecord {
            secret_hash: row.try_get("secret_hash")?,
            key: key_from_row(&row)?,
            member: member_from_row(&row)?,
            org: org_from_row(&row)?,
            tier: tier_from_row(&row, "t_")?,
            quotas: QuotaLevels {
                tier: limits_field(&row, "t_limits")?,
                org: limits_field(&row, "o_limits")?,
                key: limits_field(&row, "k_limits")?,
            },
        }))
    }

    // ----- admin keys -----

    pub async fn issue_admin_key(&self, label: &str) -> Result<ApiKeySecret, StoreError> {
        let secret = ApiKeySecret::generate(KeyKind::Admin);
        sqlx::query("INSERT INTO admin_keys (id, secret_hash, label, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&secret.public_id)
            .bind(&secret.secret_hash)
            .bind(label)
            .bind(now_unix())
            .bind(None::<i64>)
            .execute(self.pool())
            .await
            .map_err(|e| StoreError::from_write(e, || "an admin key with this id".to_string()))?;
        Ok(secret)
    }

    pub async fn lookup_admin_key(
        &self,
        public_id: &str,
    ) -> Result<Option<AdminKeyRecord>, StoreError> {
        let row =
            sqlx::query("SELECT id, secret_hash, label, revoked_at FROM admin_keys WHERE id = $1")
                .bind(public_id)
                .fetch_optional(self.pool())
                .await?;
        row.map(|row| {
            Ok(AdminKeyRecord {
                id: row.try_get("id")?,
                secret_hash: row.try_get("secret_hash")?,
                label: row.try_get("label")?,
                revoked_at: row.try_get("revoked_at")?,
            })
        })
        .transpose()
    }

    pub async fn revoke_admin_key(&self, id: &str) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE admin_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now_unix())
        .bind(id)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 && self.lookup_admin_key(id).await?.is_none() {
            return Err(StoreError::NotFound(format!("admin key '{id}'")));
        }
        Ok(())
    }

    // ----- model catalogue -----

    /// Adds a model to the catalogue or replaces its entry.
    pub async fn upsert_model(&self, new: &NewModel) -> Result<ModelEntry, StoreError> {
        require_text(&new.name, "name")?;
        require_text(&new.backend, "backend")?;
        require_text(&new.upstream_model, "upstream_model")?;
        self.get_tier(&new.min_tier).await?;
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO models (name, backend, upstream_model, min_tier, description, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (name) DO UPDATE SET backend = excluded.backend, upstream_model = excluded.upstream_model, \
             min_tier = excluded.min_tier, description = excluded.description",
        )
        .bind(&new.name)
        .bind(&new.backend)
        .bind(&new.upstream_model)
        .bind(&new.min_tier)
        .bind(&new.description)
        .bind(now_unix())
        .execute(&mut *tx)
        .await?;
        // Requests read catalogue entries cached under the generation (`catalogue_cache.rs`).
        bump_generation(&mut tx).await?;
        tx.commit().await?;
        self.get_model(&new.name)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("model '{}'", new.name)))
    }

    pub async fn get_model(&self, name: &str) -> Result<Option<ModelEntry>, StoreError> {
        let row = sqlx::query("SELECT name, backend, upstream_model, min_tier, description, created_at FROM models WHERE name = $1")
            .bind(name)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(model_from_row).transpose()
    }

    pub async fn list_models(&self) -> Result<Vec<ModelEntry>, StoreError> {
        let rows = sqlx::query("SELECT name, backend, upstream_model, min_tier, description, created_at FROM models ORDER BY name")
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(model_from_row).collect()
    }

    pub async fn remove_model(&self, name: &str) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query("DELETE FROM models WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("model '{name}'")));
        }
        bump_generation(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
