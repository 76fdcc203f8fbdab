//! The tier ladder and the model catalogue entries that every model request reads, cached under the programme
//! generation exactly as key lookups are (see `key_cache.rs`, whose argument carries over unchanged): every write
//! to a tier or a catalogue entry bumps the generation in its own transaction, an answer is tagged with the
//! generation read *before* the query that produced it, and it is served only to a request that read exactly that
//! generation. The request path reads the generation once, for its key, and passes it here, so a request costs one
//! primary-key read however many of these records it needs (profiled: the ladder and the entry were two of the
//! three queries per request).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use haetae_core::{ModelEntry, Tier};

use crate::{Store, StoreError};

/// Catalogue entries kept at most ("no such model" answers included, so made-up names cannot grow it unbounded).
const MAX_MODELS: usize = 1_024;

#[derive(Debug, Default)]
pub(crate) struct CatalogueCache {
    inner: RwLock<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    generation: i64,
    tiers: Option<Arc<Vec<Tier>>>,
    /// `None`: the catalogue had no such model.
    models: HashMap<String, Option<ModelEntry>>,
}

impl CatalogueCache {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Entries> {
        // A panic while holding the lock cannot leave an entry half-written (inserts are single calls).
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The entries at `generation`, emptied first when they were read at another one.
    fn write_at(&self, generation: i64) -> std::sync::RwLockWriteGuard<'_, Entries> {
        let mut entries = self.inner.write().unwrap_or_else(|p| p.into_inner());
        if entries.generation != generation {
            *entries = Entries {
                generation,
                ..Entries::default()
            };
        }
        entries
    }

    fn tiers(&self, generation: i64) -> Option<Arc<Vec<Tier>>> {
        let entries = self.read();
        (entries.generation == generation)
            .then(|| entries.tiers.clone())
            .flatten()
    }

    fn put_tiers(&self, generation: i64, tiers: Arc<Vec<Tier>>) {
        self.write_at(generation).tiers = Some(tiers);
    }

    /// The entry cached for `name` at exactly `generation`; the outer `None` is a miss.
    #[allow(clippy::option_option)]
    fn model(&self, generation: i64, name: &str) -> Option<Option<ModelEntry>> {
        let entries = self.read();
        if entries.generation != generation {
            return None;
        }
        entries.models.get(name).cloned()
    }

    fn put_model(&self, generation: i64, name: &str, entry: Option<ModelEntry>) {
        let mut entries = self.write_at(generation);
        if entries.models.len() >= MAX_MODELS {
            entries.models.clear();
        }
        entries.models.insert(name.to_string(), entry);
    }
}

impl Store {
    /// The tier ladder ([`Store::list_tiers`]) as of `generation`, a value this request read from
    /// [`Store::lookup_key_at_generation`]: from memory when this store has read it at that generation.
    pub async fn tiers_at(&self, generation: i64) -> Result<Arc<Vec<Tier>>, StoreError> {
        if let Some(tiers) = self.catalogue_cache().tiers(generation) {
            return Ok(tiers);
        }
        let tiers = Arc::new(self.list_tiers().await?);
        self.catalogue_cache().put_tiers(generation, tiers.clone());
        Ok(tiers)
    }

    /// A catalogue entry ([`Store::get_model`]) as of `generation` (see [`Store::tiers_at`]).
    pub async fn model_at(
        &self,
        generation: i64,
        name: &str,
    ) -> Result<Option<ModelEntry>, StoreError> {
        if let Some(entry) = self.catalogue_cache().model(generation, name) {
            return Ok(entry);
        }
        let entry = self.get_model(name).await?;
        self.catalogue_cache()
            .put_model(generation, name, entry.clone());
        Ok(entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tier(name: &str, rank: i64) -> Tier {
        Tier {
            name: name.into(),
            rank,
            description: String::new(),
        }
    }

    #[test]
    fn entries_serve_only_their_own_generation() {
        let cache = CatalogueCache::default();
        assert!(cache.tiers(1).is_none(), "empty");
        cache.put_tiers(1, Arc::new(vec![tier("public", 0)]));
        assert_eq!(
            cache.tiers(1).map(|t| t.len()),
            Some(1),
            "same generation hits"
        );
        assert!(cache.tiers(2).is_none(), "another generation misses");
        cache.put_model(1, "m", None);
        assert_eq!(cache.model(1, "m"), Some(None), "an absent model is cached");
        assert_eq!(cache.model(2, "m"), None);
        // A newer generation's write empties what the older one cached.
        cache.put_model(2, "n", None);
        assert!(cache.tiers(1).is_none() && cache.model(1, "m").is_none());
        assert!(cache.tiers(2).is_none(), "not read at generation 2");
    }

    #[test]
    fn model_entries_are_bounded() {
        let cache = CatalogueCache::default();
        for i in 0..(MAX_MODELS + 10) {
            cache.put_model(1, &format!("m{i}"), None);
        }
        assert!(cache.read().models.len() <= MAX_MODELS);
    }
}
