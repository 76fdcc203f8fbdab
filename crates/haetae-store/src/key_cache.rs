//! A cache of member-key lookups that no change to the programme outlives.
//!
//! Every request presents a key, and [`Store::lookup_key`] joins key, member, organisation, tier and the three
//! levels of limits to resolve it. [`Store::lookup_key_cached`] replaces that join, for a key whose records did
//! not change, with a read of one integer by primary key: the programme generation (`programme_generation`,
//! migration 0003).
//!
//! Why a cached answer is never stale:
//! - Every write to a record the join reads (tier, organisation, its vetting and limits, member, key and its
//!   limits; see `bump_generation`) bumps the generation *in the same transaction*, so no reader can see the
//!   write without the new generation, or the new generation without the write.
//! - Each request reads the generation from the database after it arrived. A change committed before that,
//!   by this process, the `haetae` CLI writing the SQLite file, or another gateway on the same PostgreSQL
//!   database, is visible to that read: both databases run each statement on the latest committed state.
//! - An answer is cached tagged with the generation read *before* the join that produced it, and served only to
//!   a request that read exactly that generation. A write that lands between the two reads makes the join's
//!   answer newer than its tag, never older; the next request reads the newer generation and misses.
//! - Nothing time-dependent is decided here: key expiry, revocation and the organisation's vetting expiry are
//!   checked against the clock by the authenticate and principal stages on every request, cached or not, as
//!   is the constant-time comparison of the presented secret's hash.
//!
//! "No such key" answers are cached as well (issuing a key bumps the generation), so an unknown key id and a
//! known one with a wrong secret cost the same, as they did when both ran the join.
//!
//! PostgreSQL LISTEN/NOTIFY would save the generation read, but a notification arrives asynchronously: a
//! request could be answered from the cache after the revoking transaction committed and before its
//! notification arrived, so it cannot give "refused on the next request". The read of one row can.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use sqlx::Row;

use crate::{KeyRecord, Store, StoreError};

/// Entries kept at most; past this the cache starts over (a programme has far fewer keys in use).
const MAX_ENTRIES: usize = 65_536;
/// Cached "no such key" answers kept at most, so that a stream of made-up key ids cannot push real keys out.
const MAX_ABSENT: usize = 4_096;

#[derive(Debug, Default)]
pub(crate) struct KeyCache {
    inner: RwLock<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    /// The generation every entry was read at.
    generation: i64,
    /// `None`: the store had no such key.
    map: HashMap<String, Option<Arc<KeyRecord>>>,
    absent: usize,
}

impl KeyCache {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Entries> {
        // A panic while holding the lock cannot leave an entry half-written (inserts are single calls).
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Entries> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// The answer cached for `public_id` at exactly `generation`; the outer `None` is a miss.
    #[allow(clippy::option_option)]
    fn get(&self, public_id: &str, generation: i64) -> Option<Option<Arc<KeyRecord>>> {
        let entries = self.read();
        if entries.generation != generation {
            return None;
        }
        entries.map.get(public_id).cloned()
    }

    /// Caches `answer`, read by a join that started after `generation` was read.
    fn put(&self, public_id: &str, generation: i64, answer: Option<Arc<KeyRecord>>) {
        let mut entries = self.write();
        if generation != entries.generation {
            // Another generation (newer: the programme changed; older: this request read it before a
            // concurrent one read the newer, or the database was restored from a backup): every entry is
            // dropped, so an entry is only ever served at the generation it was read at.
            entries.map.clear();
            entries.absent = 0;
            entries.generation = generation;
        }
        if entries.map.len() >= MAX_ENTRIES {
            entries.map.clear();
            entries.absent = 0;
        }
        let absent = answer.is_none();
        if absent && entries.absent >= MAX_ABSENT {
            entries.map.retain(|_, v| v.is_some());
            entries.absent = 0;
        }
        if let Some(None) = entries.map.insert(public_id.to_string(), answer) {
            entries.absent = entries.absent.saturating_sub(1);
        }
        if absent {
            entries.absent += 1;
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.read().map.len()
    }
}

impl Store {
    /// The programme generation: changes whenever a record that key lookups read changes.
    pub async fn programme_generation(&self) -> Result<i64, StoreError> {
        if let Some(readers) = self.generation_readers() {
            return readers.read();
        }
        let row = sqlx::query("SELECT generation FROM programme_generation WHERE id = 1")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get("generation")?)
    }

    /// [`Store::lookup_key`], answered from this store's cache while the programme generation is unchanged:
    /// one primary-key read instead of the join per request, and exactly the join's answer (see the module
    /// documentation for why it is never stale).
    pub async fn lookup_key_cached(
        &self,
        public_id: &str,
    ) -> Result<Option<KeyRecord>, StoreError> {
        Ok(self.lookup_key_at_generation(public_id).await?.1)
    }

    /// [`Store::lookup_key_cached`], with the programme generation it read: pass it to [`Store::tiers_at`] and
    /// [`Store::model_at`] so that the rest of the request reads nothing more for an unchanged programme.
    pub async fn lookup_key_at_generation(
        &self,
        public_id: &str,
    ) -> Result<(i64, Option<KeyRecord>), StoreError> {
        let generation = self.programme_generation().await?;
        if let Some(answer) = self.key_cache().get(public_id, generation) {
            return Ok((generation, answer.map(|r| KeyRecord::clone(&r))));
        }
        let fresh = self.lookup_key(public_id).await?;
        self.key_cache()
            .put(public_id, generation, fresh.clone().map(Arc::new));
        Ok((generation, fresh))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str) -> Arc<KeyRecord> {
        use haetae_core::*;
        Arc::new(KeyRecord {
            secret_hash: "h".into(),
            key: ApiKeyInfo {
                id: id.into(),
                member_id: "m".into(),
                org_id: "o".into(),
                label: String::new(),
                created_at: 0,
                expires_at: None,
                revoked_at: None,
            },
            member: Member {
                id: "m".into(),
                org_id: "o".into(),
                identity: "a@b".into(),
                display_name: "a".into(),
                role: Role::Analyst,
                identity_verified: true,
                created_at: 0,
            },
            org: Organisation {
                id: "o".into(),
                name: "o".into(),
                country: "KR".into(),
                sector: String::new(),
                vetting_state: VettingState::Verified,
                tier: "public".into(),
                vetting_expires_at: None,
                created_at: 0,
                updated_at: 0,
            },
            tier: Tier {
                name: "public".into(),
                rank: 0,
                description: String::new(),
            },
            quotas: QuotaLevels::default(),
        })
    }

    /// Each row: the puts made, then a get, and whether it hits (and with a record or an absence).
    #[test]
    fn entries_serve_only_their_own_generation() {
        type Put = (&'static str, i64, bool);
        type Row = (
            &'static str,
            &'static [Put],
            (&'static str, i64),
            Option<bool>,
        );
        let table: &[Row] = &[
            (
                "same generation hits",
                &[("k", 1, true)],
                ("k", 1),
                Some(true),
            ),
            (
                "absence is cached",
                &[("k", 1, false)],
                ("k", 1),
                Some(false),
            ),
            ("newer generation misses", &[("k", 1, true)], ("k", 2), None),
            ("older generation misses", &[("k", 2, true)], ("k", 1), None),
            ("other key misses", &[("k", 1, true)], ("j", 1), None),
            (
                "a put at a new generation drops the old ones",
                &[("k", 1, true), ("j", 2, true)],
                ("k", 2),
                None,
            ),
            (
                "a late put at an older generation drops the newer ones",
                &[("k", 2, true), ("j", 1, true)],
                ("k", 2),
                None,
            ),
            (
                "a record replaces an absence",
                &[("k", 1, false), ("k", 1, true)],
                ("k", 1),
                Some(true),
            ),
        ];
        for (name, puts, (id, generation), expected) in table {
            let cache = KeyCache::default();
            for (k, g, present) in *puts {
                cache.put(k, *g, present.then(|| record(k)));
            }
            let got = cache.get(id, *generation).map(|a| a.is_some());
            assert_eq!(got, *expected, "{name}");
        }
    }

    #[test]
    fn made_up_ids_cannot_push_real_keys_out() {
        let cache = KeyCache::default();
        cache.put("real", 1, Some(record("real")));
        for i in 0..(MAX_ABSENT * 3) {
            cache.put(&format!("fake{i}"), 1, None);
        }
        assert!(matches!(cache.get("real", 1), Some(Some(_))));
        assert!(cache.len() <= MAX_ABSENT + 1);
    }

    #[test]
    fn the_cache_is_bounded() {
        let cache = KeyCache::default();
        for i in 0..(MAX_ENTRIES + 10) {
            cache.put(&format!("k{i}"), 1, Some(record("x")));
        }
        assert!(cache.len() <= MAX_ENTRIES);
    }
}
