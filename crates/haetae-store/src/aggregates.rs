//! Counts and sums computed by the database instead of by reading every row: what the console's pages show
//! about the whole programme (issue 17: every page in under 100 ms with 10,000 organisations and 100,000
//! keys). Portable SQL as everywhere in the store; grouping columns come from a fixed list, values are bound.

use std::collections::BTreeMap;

use haetae_core::VettingState;
use haetae_meter::review::ReviewState;
use haetae_meter::usage::{GroupBy, ReportRow, UsageCounts, UsageRecord};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::operations::saturating_i64;
use crate::{Store, StoreError, UsageQuery};

/// A verified organisation whose vetting expires soon.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExpiringVetting {
    pub id: String,
    pub name: String,
    pub expires_at: i64,
}

/// Usage summed by a grouping: the rows asked for, and how many groups there are in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageGroups {
    pub rows: Vec<ReportRow>,
    pub groups: u64,
}

/// Most ids one `IN (…)` list binds.
const IN_CHUNK: usize = 500;

fn column(g: GroupBy) -> &'static str {
    match g {
        GroupBy::Org => "org_id",
        GroupBy::Member => "member_id",
        GroupBy::Key => "key_id",
        GroupBy::Model => "model",
        GroupBy::UseCase => "use_case",
        GroupBy::Day => "day",
        GroupBy::Month => "SUBSTR(day, 1, 7)",
    }
}

/// The table a grouping is summed from. Over the whole programme, a per-day rollup that has every column the
/// grouping needs (`migrations/0006`: a row per day and organisation, or per day, model and use-case; a
/// fraction of the usage rows); otherwise, and for one organisation (which `usage_daily_org_day` finds), the
/// usage rows themselves. Every source gives the same sums: a rollup row is the sum of its usage rows.
fn source(by: &[GroupBy], one_org: bool) -> &'static str {
    use GroupBy::{Day, Model, Month, Org, UseCase};
    if one_org {
        "usage_daily"
    } else if by
        .iter()
        .all(|g| matches!(g, Day | Month | Model | UseCase))
    {
        "usage_mix_daily"
    } else if by.iter().all(|g| matches!(g, Day | Month | Org)) {
        "usage_org_daily"
    } else {
        "usage_daily"
    }
}

/// The rollups recomputed from the usage rows (as `migrations/0006` first fills them).
const REBUILD_ROLLUPS: [&str; 4] = [
    "DELETE FROM usage_org_daily",
    "DELETE FROM usage_mix_daily",
    "INSERT INTO usage_org_daily (day, org_id, requests, prompt_tokens, completion_tokens) \
     SELECT day, org_id, SUM(requests), SUM(prompt_tokens), SUM(completion_tokens) \
     FROM usage_daily GROUP BY day, org_id",
    "INSERT INTO usage_mix_daily (day, model, use_case, requests, prompt_tokens, completion_tokens) \
     SELECT day, model, use_case, SUM(requests), SUM(prompt_tokens), SUM(completion_tokens) \
     FROM usage_daily GROUP BY day, model, use_case",
];

/// Adds usage deltas to the per-day rollups, inside `add_usage`'s transaction (so they never disagree with
/// `usage_daily`): one upsert per rollup row the batch touches.
pub(crate) async fn add_to_rollups(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    records: &[UsageRecord],
) -> Result<(), StoreError> {
    let mut by_org: BTreeMap<Vec<&str>, UsageCounts> = BTreeMap::new();
    let mut by_mix: BTreeMap<Vec<&str>, UsageCounts> = BTreeMap::new();
    for r in records {
        let counts = r.counts();
        by_org
            .entry(vec![&r.day, &r.org_id])
            .or_default()
            .add(&counts);
        by_mix
            .entry(vec![&r.day, &r.model, &r.use_case])
            .or_default()
            .add(&counts);
    }
    for (table, keys, deltas) in [
        ("usage_org_daily", "day, org_id", by_org),
        ("usage_mix_daily", "day, model, use_case", by_mix),
    ] {
        let width = keys.split(", ").count();
        let sql = format!(
            "INSERT INTO {table} ({keys}, requests, prompt_tokens, completion_tokens) VALUES ({}) \
             ON CONFLICT ({keys}) DO UPDATE SET requests = {table}.requests + excluded.requests, \
             prompt_tokens = {table}.prompt_tokens + excluded.prompt_tokens, \
             completion_tokens = {table}.completion_tokens + excluded.completion_tokens",
            placeholders(1, width + 3)
        );
        for (key, s) in deltas {
            let mut q = sqlx::query(&sql);
            for k in key {
                q = q.bind(k);
            }
            q.bind(saturating_i64(s.requests))
                .bind(saturating_i64(s.prompt_tokens))
                .bind(saturating_i64(s.completion_tokens))
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

fn count(row: &AnyRow, column: &str) -> Result<u64, StoreError> {
    Ok(u64::try_from(row.try_get::<i64, _>(column)?).unwrap_or(0))
}

pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// How many organisations are in each vetting state; a state with none is absent.
    pub async fn count_orgs_by_state(&self) -> Result<Vec<(VettingState, u64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT vetting_state, COUNT(*) AS n FROM organisations GROUP BY vetting_state ORDER BY vetting_state",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let raw: String = row.try_get("vetting_state")?;
                let state = raw.parse().map_err(|e| {
                    StoreError::Invalid(format!("stored vetting_state is corrupt: {e}"))
                })?;
                Ok((state, count(row, "n")?))
            })
            .collect()
    }

    /// Verified organisations whose vetting expires at or before `by` (unix seconds), soonest first, at most
    /// `limit` of them; and how many there are in all.
    pub async fn expiring_vettings(
        &self,
        by: i64,
        limit: u32,
    ) -> Result<(Vec<ExpiringVetting>, u64), StoreError> {
        const WHERE: &str = "FROM organisations WHERE vetting_state = $1 AND vetting_expires_at IS NOT NULL AND vetting_expires_at <= $2";
        let verified = VettingState::Verified.as_str();
        let rows = sqlx::query(&format!(
            "SELECT id, name, vetting_expires_at {WHERE} ORDER BY vetting_expires_at, id LIMIT $3"
        ))
        .bind(verified)
        .bind(by)
        .bind(i64::from(limit))
        .fetch_all(self.pool())
        .await?;
        let orgs = rows
            .iter()
            .map(|row| {
                Ok(ExpiringVetting {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    expires_at: row.try_get("vetting_expires_at")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let total = sqlx::query(&format!("SELECT COUNT(*) AS n {WHERE}"))
            .bind(verified)
            .bind(by)
            .fetch_one(self.pool())
            .await?;
        Ok((orgs, count(&total, "n")?))
    }

    /// How many review items are in `state` (`None`: every item).
    pub async fn count_reviews(&self, state: Option<ReviewState>) -> Result<u64, StoreError> {
        let row = match state {
            Some(state) => {
                sqlx::query("SELECT COUNT(*) AS n FROM review_items WHERE state = $1")
                    .bind(state.as_str())
                    .fetch_one(self.pool())
                    .await?
            }
            None => {
                sqlx::query("SELECT COUNT(*) AS n FROM review_items")
                    .fetch_one(self.pool())
                    .await?
            }
        };
        count(&row, "n")
    }

    /// The names of the organisations with these ids, by id; an id that names none is absent.
    pub async fn org_names(&self, ids: &[&str]) -> Result<BTreeMap<String, String>, StoreError> {
        let mut unique: Vec<&str> = ids.to_vec();
        unique.sort_unstable();
        unique.dedup();
        let mut names = BTreeMap::new();
        for chunk in unique.chunks(IN_CHUNK) {
            let sql = format!(
                "SELECT id, name FROM organisations WHERE id IN ({})",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for row in q.fetch_all(self.pool()).await? {
                names.insert(row.try_get("id")?, row.try_get("name")?);
            }
        }
        Ok(names)
    }

    /// Recomputes the per-day usage rollups from the usage rows, in one transaction: for rows written into
    /// `usage_daily` other than through `add_usage` (an import; the console's render bench).
    pub async fn rebuild_usage_rollups(&self) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        for sql in REBUILD_ROLLUPS {
            sqlx::query(sql).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Usage in the query's days (and organisation), summed by `by` in that order; with no grouping, one row:
    /// the total. Rows come in group order, as `UsageReport::build` gives them; with `top`, only the `top`
    /// groups with the most requests, most first. `groups` counts every group either way (with `top`, in the
    /// same query: `COUNT(*) OVER ()` counts the groups before the limit). Over the whole programme the sums
    /// come from a per-day rollup where one has the grouping's columns (`source`).
    pub async fn usage_grouped(
        &self,
        query: &UsageQuery,
        by: &[GroupBy],
        top: Option<u32>,
    ) -> Result<UsageGroups, StoreError> {
        let (from, to, org) = self.usage_bounds(query).await?;
        let table = source(by, org.is_some());
        let columns: Vec<&str> = by.iter().map(|g| column(*g)).collect();
        let filter = if org.is_some() {
            "day >= $1 AND day <= $2 AND org_id = $3"
        } else {
            "day >= $1 AND day <= $2"
        };
        let next = if org.is_some() { 4 } else { 3 };
        let groups: String = columns
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} AS g{i}, "))
            .collect();
        let top = top.filter(|_| !columns.is_empty());
        let (group_by, order, counted) = match (columns.is_empty(), top) {
            (true, _) => (String::new(), String::new(), ""),
            (false, None) => (
                format!(" GROUP BY {}", columns.join(", ")),
                String::new(),
                "",
            ),
            (false, Some(_)) => (
                format!(" GROUP BY {}", columns.join(", ")),
                format!(
                    " ORDER BY n_requests DESC, {} LIMIT ${next}",
                    (0..columns.len())
                        .map(|i| format!("g{i}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                ", COUNT(*) OVER () AS n_groups",
            ),
        };
        // SUM over BIGINT is NUMERIC in PostgreSQL: cast back so both databases answer a 64-bit integer.
        let sql = format!(
            "SELECT {groups}CAST(COALESCE(SUM(requests), 0) AS BIGINT) AS n_requests, \
             CAST(COALESCE(SUM(prompt_tokens), 0) AS BIGINT) AS n_prompt, \
             CAST(COALESCE(SUM(completion_tokens), 0) AS BIGINT) AS n_completion{counted} \
             FROM {table} WHERE {filter}{group_by}{order}"
        );
        let mut q = sqlx::query(&sql).bind(&from).bind(&to);
        if let Some(org) = &org {
            q = q.bind(org);
        }
        if let Some(n) = top {
            q = q.bind(i64::from(n));
        }
        let fetched = q.fetch_all(self.pool()).await?;
        let mut rows = fetched
            .iter()
            .map(|row| {
                let group = (0..columns.len())
                    .map(|i| row.try_get::<String, _>(format!("g{i}").as_str()))
                    .collect::<Result<Vec<_>, _>>()?;
                let counts = UsageCounts {
                    requests: count(row, "n_requests")?,
                    prompt_tokens: count(row, "n_prompt")?,
                    completion_tokens: count(row, "n_completion")?,
                };
                Ok(ReportRow::new(group, &counts))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let groups = match (top, fetched.first()) {
            (Some(_), Some(first)) => count(first, "n_groups")?,
            // No row to carry the count: no groups, unless a limit of 0 left them all out.
            (Some(0), None) => {
                let sql = format!(
                    "SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM {table} WHERE {filter}{group_by}) AS grouped"
                );
                let mut q = sqlx::query(&sql).bind(&from).bind(&to);
                if let Some(org) = &org {
                    q = q.bind(org);
                }
                count(&q.fetch_one(self.pool()).await?, "n")?
            }
            (Some(_), None) => 0,
            (None, _) => {
                // The database's collation may order text differently; the report's order is byte order.
                rows.sort_by(|a, b| a.group.cmp(&b.group));
                rows.len() as u64
            }
        };
        Ok(UsageGroups { rows, groups })
    }
}
