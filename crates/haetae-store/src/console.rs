//! The console's sign-in records: its users (operators and organisation owners), their passkeys and the
//! one-time enrolment links (`migrations/0004_console.sql`). The store keeps what it is given: the console crate
//! hashes link tokens and serialises passkeys; nothing here is a secret.

use std::collections::BTreeMap;

use haetae_core::now_unix;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::aggregates::placeholders;
use crate::programme::require_text;
use crate::{Page, Paged, Store, StoreError};

/// Who a console user is: an operator of the programme, or the owner of one member organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConsoleRole {
    Operator,
    Owner,
}

impl ConsoleRole {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsoleRole::Operator => "operator",
            ConsoleRole::Owner => "owner",
        }
    }
}

impl std::str::FromStr for ConsoleRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "operator" => Ok(ConsoleRole::Operator),
            "owner" => Ok(ConsoleRole::Owner),
            other => Err(format!("'{other}' is not a console role")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsoleUser {
    pub id: String,
    pub name: String,
    pub role: ConsoleRole,
    pub member_id: Option<String>,
    pub org_id: Option<String>,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
}

/// A one-time enrolment link as stored (its token only as a hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Enrolment {
    pub token_hash: String,
    pub role: ConsoleRole,
    pub name: String,
    pub member_id: Option<String>,
    pub org_id: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// A passkey as stored: the credential id, its owner, and the console crate's serialised record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredPasskey {
    pub id: String,
    pub user_id: String,
    pub passkey: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

fn role_field(row: &AnyRow) -> Result<ConsoleRole, StoreError> {
    let raw: String = row.try_get("role")?;
    raw.parse()
        .map_err(|e| StoreError::Invalid(format!("stored role is corrupt: {e}")))
}

fn user_from_row(row: &AnyRow) -> Result<ConsoleUser, StoreError> {
    Ok(ConsoleUser {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        role: role_field(row)?,
        member_id: row.try_get("member_id")?,
        org_id: row.try_get("org_id")?,
        created_at: row.try_get("created_at")?,
        disabled_at: row.try_get("disabled_at")?,
    })
}

fn passkey_from_row(row: &AnyRow) -> Result<StoredPasskey, StoreError> {
    Ok(StoredPasskey {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        passkey: row.try_get("passkey")?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

const USER_COLUMNS: &str = "id, name, role, member_id, org_id, created_at, disabled_at";
const PASSKEY_COLUMNS: &str = "id, user_id, passkey, created_at, last_used_at, revoked_at";

impl Store {
    /// Records a one-time enrolment link. An owner's link names the member and their organisation; an
    /// operator's names neither.
    pub async fn create_enrolment(&self, e: &Enrolment) -> Result<(), StoreError> {
        require_text(&e.name, "name")?;
        if (e.role == ConsoleRole::Owner) != (e.member_id.is_some() && e.org_id.is_some()) {
            return Err(StoreError::Invalid(
                "an owner's enrolment names a member and an organisation; an operator's names neither".into(),
            ));
        }
        sqlx::query("INSERT INTO console_enrolments (token_hash, role, name, member_id, org_id, created_by, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(&e.token_hash)
            .bind(e.role.as_str())
            .bind(&e.name)
            .bind(&e.member_id)
            .bind(&e.org_id)
            .bind(&e.created_by)
            .bind(e.created_at)
            .bind(e.expires_at)
            .bind(None::<i64>)
            .execute(self.pool())
            .await
            .map_err(|err| StoreError::from_write(err, || "this enrolment link".to_string()))?;
        Ok(())
    }

    /// An enrolment link that is unused and unexpired at `now`.
    pub async fn usable_enrolment(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<Enrolment>, StoreError> {
        let row = sqlx::query("SELECT token_hash, role, name, member_id, org_id, created_by, created_at, expires_at, used_at FROM console_enrolments WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
            .bind(token_hash)
            .bind(now)
            .fetch_optional(self.pool())
            .await?;
        row.map(|row| {
            Ok(Enrolment {
                token_hash: row.try_get("token_hash")?,
                role: role_field(&row)?,
                name: row.try_get("name")?,
                member_id: row.try_get("member_id")?,
                org_id: row.try_get("org_id")?,
                created_by: row.try_get("created_by")?,
                created_at: row.try_get("created_at")?,
                expires_at: row.try_get("expires_at")?,
                used_at: row.try_get("used_at")?,
            })
        })
        .transpose()
    }

    /// Uses up an enrolment link and stores the passkey it enrolled, creating its user if this is their first
    /// passkey; in one transaction, so a link enrols exactly one passkey even when used twice at once.
    /// Returns the user.
    pub async fn complete_enrolment(
        &self,
        token_hash: &str,
        now: i64,
        credential_id: &str,
        passkey: &str,
        new_user_id: &str,
    ) -> Result<ConsoleUser, StoreError> {
        let mut tx = self.pool().begin().await?;
        let used = sqlx::query("UPDATE console_enrolments SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3")
            .bind(now)
            .bind(token_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if used.rows_affected() != 1 {
            return Err(StoreError::NotFound("a usable enrolment link".into()));
        }
        let row = sqlx::query(
            "SELECT role, name, member_id, org_id FROM console_enrolments WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_one(&mut *tx)
        .await?;
        let role = role_field(&row)?;
        let name: String = row.try_get("name")?;
        let member_id: Option<String> = row.try_get("member_id")?;
        let org_id: Option<String> = row.try_get("org_id")?;
        let existing = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM console_users WHERE name = $1"
        ))
        .bind(&name)
        .fetch_optional(&mut *tx)
        .await?;
        let user = match existing {
            Some(row) => {
                let user = user_from_row(&row)?;
                // A link adds a passkey to the user it names, never changes who they are.
                if user.role != role || user.member_id != member_id || user.org_id != org_id {
                    return Err(StoreError::Conflict(format!(
                        "a console user named '{name}' with another role or organisation"
                    )));
                }
                user
            }
            None => {
                sqlx::query("INSERT INTO console_users (id, name, role, member_id, org_id, created_at, disabled_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(new_user_id)
                    .bind(&name)
                    .bind(role.as_str())
                    .bind(&member_id)
                    .bind(&org_id)
                    .bind(now)
                    .bind(None::<i64>)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| StoreError::from_write(e, || format!("console user '{name}'")))?;
                ConsoleUser {
                    id: new_user_id.to_string(),
                    name,
                    role,
                    member_id,
                    org_id,
                    created_at: now,
                    disabled_at: None,
                }
            }
        };
        sqlx::query("INSERT INTO console_passkeys (id, user_id, passkey, created_at, last_used_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(credential_id)
            .bind(&user.id)
            .bind(passkey)
            .bind(now)
            .bind(None::<i64>)
            .bind(None::<i64>)
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::from_write(e, || "this passkey".to_string()))?;
        tx.commit().await?;
        Ok(user)
    }

    pub async fn console_user(&self, id: &str) -> Result<Option<ConsoleUser>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM console_users WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn console_user_by_name(
        &self,
        name: &str,
    ) -> Result<Option<ConsoleUser>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM console_users WHERE name = $1"
        ))
        .bind(name)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// A page of console users, by name (the cursor is the last name shown).
    pub async fn list_console_users(&self, page: &Page) -> Result<Paged<ConsoleUser>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM console_users WHERE name > $1 ORDER BY name LIMIT $2"
        ))
        .bind(page.after())
        .bind(page.limit())
        .fetch_all(self.pool())
        .await?;
        let users = rows
            .iter()
            .map(user_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Paged::from_rows(users, page, |u| u.name.clone()))
    }

    /// A user's passkeys that are not revoked.
    pub async fn active_passkeys(&self, user_id: &str) -> Result<Vec<StoredPasskey>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {PASSKEY_COLUMNS} FROM console_passkeys WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id"
        ))
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(passkey_from_row).collect()
    }

    /// The passkeys that are not revoked of each of these users, by user id, each user's by id: one query for a
    /// page of users (at most `Page::MAX_LIMIT` ids a query) instead of one a user. A user with none is absent.
    pub async fn active_passkeys_of(
        &self,
        user_ids: &[&str],
    ) -> Result<BTreeMap<String, Vec<StoredPasskey>>, StoreError> {
        let mut out: BTreeMap<String, Vec<StoredPasskey>> = BTreeMap::new();
        for chunk in user_ids.chunks(Page::MAX_LIMIT as usize) {
            let list = placeholders(1, chunk.len());
            let sql = format!(
                "SELECT {PASSKEY_COLUMNS} FROM console_passkeys WHERE user_id IN ({list}) AND revoked_at IS NULL ORDER BY user_id, id"
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for row in q.fetch_all(self.pool()).await? {
                let p = passkey_from_row(&row)?;
                out.entry(p.user_id.clone()).or_default().push(p);
            }
        }
        Ok(out)
    }

    pub async fn passkey(&self, id: &str) -> Result<Option<StoredPasskey>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {PASSKEY_COLUMNS} FROM console_passkeys WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(passkey_from_row).transpose()
    }

    /// After a sign-in: the passkey's updated record (its signature counter) and when it was used.
    pub async fn touch_passkey(&self, id: &str, passkey: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE console_passkeys SET passkey = $1, last_used_at = $2 WHERE id = $3")
            .bind(passkey)
            .bind(now_unix())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn revoke_passkey(&self, id: &str) -> Result<StoredPasskey, StoreError> {
        sqlx::query(
            "UPDATE console_passkeys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now_unix())
        .bind(id)
        .execute(self.pool())
        .await?;
        self.passkey(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("passkey '{id}'")))
    }
}
