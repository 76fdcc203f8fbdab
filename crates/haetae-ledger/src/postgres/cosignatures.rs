//! Witness cosignatures in the shared ledger: every replica takes them and serves them, so a
//! checkpoint cosigned through one replica carries its cosignatures when read through any other
//! (the file backend keeps them in `cosignatures.json`, [`crate::cosignatures`]).
//!
//! ## Tables (in the log's schema)
//! * `cosignatures` — `(size, root, witness, note, line, added)`, one row per witness per
//!   checkpoint: the witness's verifier key (`name+hash+key`), our signed note at that size
//!   (without cosignatures) and the witness's `cosignature/v1` line. The first line of a witness
//!   on a checkpoint is kept (`ON CONFLICT DO NOTHING`), as in the file backend.
//! * `witness_round` — one row: the round's candidate (size and signed note) and when it opened,
//!   by the database's clock, so witnesses polling different replicas are shown the same
//!   checkpoint and the round ends at the same moment for every replica.
//!
//! ## What is kept
//! A checkpoint is dropped once a larger one was cosigned by every witness that cosigned it
//! (its witnesses are a subset of the larger one's). That rule needs no witness list, so
//! replicas whose lists differ for a moment (a rolling change of `ledger_witnesses`) can never
//! delete what another still counts; queries count only the asking replica's configured
//! witnesses.
//!
//! A witness removed from the list cosigns nothing more, so its rows are never dominated, and
//! they would keep their checkpoints (and the configured witnesses' rows on them) forever. A
//! replica therefore deletes the rows of a witness missing from *its* list once that witness's
//! newest row is older than [`super::PostgresOptions::retired_witness_grace`]: long enough for a
//! rolling change of the list to reach every replica, during which a replica that still lists the
//! witness keeps counting it (a witness still listed elsewhere and still cosigning always has a
//! fresh row). A checkpoint left with no rows is gone with them; one left with configured
//! witnesses' rows only is dropped by the rule above once a larger checkpoint has them all. This
//! runs when a replica opens and whenever it stores new cosignatures (in that transaction).

use std::time::Duration;

use sqlx::Row;

use super::{PgLedger, Reader, db, to_i64, to_u64};
use crate::api::CosignatureResponse;
use crate::cosignatures::{Submission, WitnessPolicy, check_submission};
use crate::note::{Checkpoint, Note, NoteVerifier};
use crate::storage::LedgerError;

/// The cosignature statements, with the schema spelled in once.
pub(super) struct CosignSql {
    insert: String,
    count: String,
    prune: String,
    prune_retired: String,
    lines: String,
    witnessed: String,
    later: String,
    read_round: String,
    move_round: String,
}

impl CosignSql {
    pub(super) fn new(s: &str) -> CosignSql {
        CosignSql {
            insert: format!(
                "INSERT INTO {s}.cosignatures (size, root, witness, note, line) \
                 SELECT $1, $2, u.witness, $3, u.line FROM UNNEST($4::text[], $5::text[]) AS u(witness, line) \
                 ON CONFLICT (size, root, witness) DO NOTHING RETURNING witness"
            ),
            count: format!(
                "SELECT count(*) FROM {s}.cosignatures WHERE size = $1 AND root = $2 AND witness = ANY($3)"
            ),
            // Every checkpoint below $1 none of whose witnesses is missing from $1's.
            prune: format!(
                "DELETE FROM {s}.cosignatures c WHERE c.size < $1 AND NOT EXISTS ( \
                   SELECT 1 FROM {s}.cosignatures o WHERE o.size = c.size AND o.root = c.root \
                   AND NOT EXISTS (SELECT 1 FROM {s}.cosignatures n \
                     WHERE n.size = $1 AND n.root = $2 AND n.witness = o.witness))"
            ),
            // Every row of a witness not in $1 whose newest row is older than $2 seconds, by the
            // database's clock (the one `added` is written with).
            prune_retired: format!(
                "DELETE FROM {s}.cosignatures WHERE witness IN ( \
                   SELECT witness FROM {s}.cosignatures WHERE witness <> ALL($1) GROUP BY witness \
                   HAVING max(added) <= now() - $2::float8 * interval '1 second')"
            ),
            lines: format!(
                "SELECT line FROM {s}.cosignatures WHERE size = $1 AND root = $2 AND witness = ANY($3) \
                 ORDER BY added, witness"
            ),
            witnessed: format!(
                "SELECT size, root, min(note) FROM {s}.cosignatures WHERE witness = ANY($2) \
                 GROUP BY size, root HAVING count(*) >= $1 ORDER BY size DESC LIMIT 1"
            ),
            later: format!(
                "SELECT EXISTS (SELECT 1 FROM {s}.cosignatures WHERE size > $1 AND witness = ANY($2))"
            ),
            read_round: format!(
                "SELECT size, note, opened + $1::float8 * interval '1 second' <= now() \
                 FROM {s}.witness_round WHERE id = 0"
            ),
            // The round only ever moves to a larger checkpoint: of replicas moving it at once,
            // the largest wins and the others read what won.
            move_round: format!(
                "INSERT INTO {s}.witness_round (id, size, note, opened) VALUES (0, $1, $2, now()) \
                 ON CONFLICT (id) DO UPDATE SET size = EXCLUDED.size, note = EXCLUDED.note, opened = EXCLUDED.opened \
                 WHERE {s}.witness_round.size < EXCLUDED.size"
            ),
        }
    }

    /// The tables, created if missing (part of the schema's migration).
    pub(super) fn migration(s: &str) -> Vec<String> {
        vec![
            format!(
                "CREATE TABLE IF NOT EXISTS {s}.cosignatures (size bigint NOT NULL, root bytea NOT NULL, \
                 witness text NOT NULL, note text NOT NULL, line text NOT NULL, \
                 added timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (size, root, witness))"
            ),
            format!(
                "CREATE TABLE IF NOT EXISTS {s}.witness_round (id smallint PRIMARY KEY CHECK (id = 0), \
                 size bigint NOT NULL, note text NOT NULL, opened timestamptz NOT NULL)"
            ),
        ]
    }
}

/// The configured witnesses' keys as the `witness` column holds them.
fn witness_keys(policy: &WitnessPolicy) -> Vec<String> {
    policy.witnesses.iter().map(|w| w.to_string()).collect()
}

/// Deletes the rows of witnesses missing from `policy` whose newest row is older than `grace`
/// (module documentation), in the caller's transaction.
pub(super) async fn prune_retired(
    conn: &mut sqlx::PgConnection,
    sql: &CosignSql,
    policy: &WitnessPolicy,
    grace: Duration,
) -> Result<(), LedgerError> {
    let deleted = sqlx::query(&sql.prune_retired)
        .bind(witness_keys(policy))
        // Capped so that `now() - grace` stays a timestamp PostgreSQL can hold (a grace of 1000
        // years is "never" anyway).
        .bind(
            grace
                .min(Duration::from_secs(1000 * 365 * 86_400))
                .as_secs_f64(),
        )
        .execute(conn)
        .await
        .map_err(db("prune retired witnesses' cosignatures"))?
        .rows_affected();
    if deleted > 0 {
        tracing::info!(
            deleted,
            "dropped the cosignatures of witnesses no longer configured"
        );
    }
    Ok(())
}

/// Size and root of one of our signed notes.
fn size_and_root(note_text: &str) -> Result<(u64, Vec<u8>), LedgerError> {
    let cp = Checkpoint::parse_body(&Note::parse(note_text)?.text)?;
    Ok((cp.size, cp.root.to_vec()))
}

impl Reader {
    async fn cosigned_count(
        &self,
        size: i64,
        root: &[u8],
        keys: &[String],
    ) -> Result<usize, LedgerError> {
        let n: i64 = sqlx::query_scalar(&self.sql.cosign.count)
            .bind(size)
            .bind(root)
            .bind(keys)
            .fetch_one(&self.pool)
            .await
            .map_err(db("count cosignatures"))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// `text` (our signed note) with the configured witnesses' lines on it, in arrival order.
    async fn attach(&self, text: String, keys: &[String]) -> Result<String, LedgerError> {
        let (size, root) = size_and_root(&text)?;
        let lines: Vec<String> = sqlx::query_scalar(&self.sql.cosign.lines)
            .bind(to_i64(size)?)
            .bind(root)
            .bind(keys)
            .fetch_all(&self.pool)
            .await
            .map_err(db("read cosignatures"))?;
        Ok(lines.iter().fold(text, |mut t, l| {
            t.push_str(l);
            t
        }))
    }

    async fn witnessed(&self, min: usize, keys: &[String]) -> Result<Option<String>, LedgerError> {
        let row = sqlx::query(&self.sql.cosign.witnessed)
            .bind(i64::try_from(min).unwrap_or(i64::MAX))
            .bind(keys)
            .fetch_optional(&self.pool)
            .await
            .map_err(db("read cosignatures"))?;
        match row {
            None => Ok(None),
            Some(row) => {
                let note: String = row.try_get(2).map_err(db("read cosignatures"))?;
                self.attach(note, keys).await.map(Some)
            }
        }
    }

    /// The round's row: size, note, and whether `policy.round` has passed since it opened.
    async fn round(
        &self,
        policy: &WitnessPolicy,
    ) -> Result<Option<sqlx::postgres::PgRow>, LedgerError> {
        sqlx::query(&self.sql.cosign.read_round)
            .bind(policy.round.as_secs_f64())
            .fetch_optional(&self.pool)
            .await
            .map_err(db("read the witness round"))
    }

    /// The round's candidate, moved on to `latest` when the round is over (the rules of
    /// [`crate::cosignatures`]), with its cosignatures so far.
    async fn candidate(
        &self,
        latest_size: u64,
        latest_text: String,
        policy: &WitnessPolicy,
    ) -> Result<String, LedgerError> {
        let keys = witness_keys(policy);
        let q = &self.sql.cosign;
        let round = self.round(policy).await?;
        let rotate = match &round {
            None => true,
            Some(row) => {
                let size: i64 = row.try_get(0).map_err(db("read the witness round"))?;
                let note: String = row.try_get(1).map_err(db("read the witness round"))?;
                let expired: bool = row.try_get(2).map_err(db("read the witness round"))?;
                let (_, root) = size_and_root(&note)?;
                latest_size > to_u64(size)?
                    && (expired
                        || self.cosigned_count(size, &root, &keys).await? >= keys.len()
                        || sqlx::query_scalar::<_, bool>(&q.later)
                            .bind(size)
                            .bind(&keys)
                            .fetch_one(&self.pool)
                            .await
                            .map_err(db("read cosignatures"))?)
            }
        };
        let note = if rotate {
            sqlx::query(&q.move_round)
                .bind(to_i64(latest_size)?)
                .bind(&latest_text)
                .execute(&self.pool)
                .await
                .map_err(db("move the witness round"))?;
            // Another replica may have moved it further at the same moment: show what won.
            match self.round(policy).await? {
                Some(row) => row.try_get(1).map_err(db("read the witness round"))?,
                None => latest_text,
            }
        } else {
            match round {
                Some(row) => row.try_get(1).map_err(db("read the witness round"))?,
                None => latest_text,
            }
        };
        self.attach(note, &keys).await
    }

    /// Keeps the submission's new cosignatures (one transaction: durable before it returns)
    /// and drops the checkpoints they make redundant.
    async fn add(
        &self,
        cp: Checkpoint,
        note: String,
        offered: Vec<(String, String, String)>,
        policy: &WitnessPolicy,
        retired_grace: Duration,
    ) -> Result<CosignatureResponse, LedgerError> {
        let q = &self.sql.cosign;
        let (size, root) = (to_i64(cp.size)?, cp.root.to_vec());
        let (keys, lines): (Vec<String>, Vec<String>) = offered
            .iter()
            .map(|(k, _, l)| (k.clone(), l.clone()))
            .unzip();
        let mut tx = self.pool.begin().await.map_err(db("add cosignatures"))?;
        let inserted: Vec<String> = sqlx::query_scalar(&q.insert)
            .bind(size)
            .bind(&root)
            .bind(&note)
            .bind(&keys)
            .bind(&lines)
            .fetch_all(&mut *tx)
            .await
            .map_err(db("add cosignatures"))?;
        if !inserted.is_empty() {
            // Retired witnesses first: their rows are what keeps a smaller checkpoint from being
            // dominated by this one.
            prune_retired(&mut tx, q, policy, retired_grace).await?;
            sqlx::query(&q.prune)
                .bind(size)
                .bind(&root)
                .execute(&mut *tx)
                .await
                .map_err(db("prune cosignatures"))?;
        }
        tx.commit().await.map_err(db("add cosignatures"))?;
        let cosignatures = self
            .cosigned_count(size, &root, &witness_keys(policy))
            .await?;
        Ok(CosignatureResponse {
            origin: cp.origin,
            size: cp.size,
            accepted: offered
                .into_iter()
                .filter(|(k, _, _)| inserted.contains(k))
                .map(|(_, name, _)| name)
                .collect(),
            cosignatures,
            required: policy.required,
            counts: cosignatures >= policy.required,
        })
    }
}

impl PgLedger {
    fn policy(&self) -> WitnessPolicy {
        self.inner.config.witnesses.clone()
    }

    /// `text` (our signed note) with every cosignature the programme collected for it.
    pub(crate) fn attach_cosignatures(&self, text: String) -> Result<String, LedgerError> {
        let keys = witness_keys(&self.inner.config.witnesses);
        self.block(move |r| async move { r.attach(text, &keys).await })
    }

    pub(crate) fn witnessed(&self, min: usize) -> Result<Option<String>, LedgerError> {
        let keys = witness_keys(&self.inner.config.witnesses);
        self.block(move |r| async move { r.witnessed(min, &keys).await })
    }

    pub(crate) fn witness_candidate(
        &self,
        latest_size: u64,
        latest_text: String,
    ) -> Result<String, LedgerError> {
        let policy = self.policy();
        self.block(move |r| async move { r.candidate(latest_size, latest_text, &policy).await })
    }

    /// Keep the witness cosignatures in `note` (already checked to be our signed checkpoint
    /// `cp`); every signature line must be ours or a valid cosignature of a configured witness.
    pub(crate) fn add_cosignatures(
        &self,
        note: &Note,
        cp: &Checkpoint,
        log: &NoteVerifier,
    ) -> Result<CosignatureResponse, LedgerError> {
        let policy = self.policy();
        let Submission { log_sig, offered } = check_submission(&policy, note, log)?;
        let signed = Note {
            text: note.text.clone(),
            signatures: vec![log_sig],
        }
        .to_text();
        let offered: Vec<(String, String, String)> = offered
            .into_iter()
            .map(|(i, s)| (policy.witnesses[i].to_string(), s.name.clone(), s.to_line()))
            .collect();
        let cp = cp.clone();
        let grace = self.inner.retired_witness_grace;
        self.block(move |r| async move { r.add(cp, signed, offered, &policy, grace).await })
    }
}
