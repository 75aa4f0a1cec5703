//! Raw encounters: saved with their bucket changes in one transaction.

use super::buckets::{self, BucketRecord};
use super::device::{SYNC_STATE_KEY, SyncState, USAGE_KEY};
use super::schema::{BUCKETS, BY_DAY, ENCOUNTERS, META};
use super::{Store, StoreError};
use chrono::NaiveDate;
use indexed_db_futures::KeyRange;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use peerpulse_core::bucket::changes;
use peerpulse_core::encounter::{Encounter, EncounterId};
use peerpulse_core::usage::Usage;
use serde::{Deserialize, Serialize};

/// An encounter as the phone keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEncounter {
    /// The encounter itself.
    #[serde(flatten)]
    pub encounter: Encounter,
    /// Device clock value of its last change: above the acked version means "waiting to sync".
    pub version: u64,
    /// When it was saved (RFC 3339, local time).
    pub saved_at: String,
}

/// What a worker does to an entry.
enum Edit<'a> {
    /// Log a new encounter, saved at this time (RFC 3339).
    Save(&'a Encounter, &'a str),
    /// Correct a past entry (same id).
    Replace(&'a Encounter),
    /// Remove an entry (an undo or a correction).
    Delete(&'a EncounterId),
}

/// Applies an edit and its bucket changes in one transaction, all or nothing, stamping the
/// changed buckets with a new device clock value so the next sync carries them. Buckets that
/// reach zero stay at zero, so the service's count goes down too.
///
/// Returns the entry as now stored (save, replace) or as it was (delete).
async fn commit(store: &Store, edit: Edit<'_>) -> Result<StoredEncounter, StoreError> {
    let tx = store
        .db()
        .transaction([ENCOUNTERS, BUCKETS, META])
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let encounter_store = tx.object_store(ENCOUNTERS)?;
    let id = match edit {
        Edit::Save(e, _) | Edit::Replace(e) => &e.id,
        Edit::Delete(id) => id,
    };
    let before: Option<StoredEncounter> = match edit {
        Edit::Save(..) => None,
        Edit::Replace(_) | Edit::Delete(_) => Some(
            encounter_store
                .get(id.as_str())
                .serde()?
                .await?
                .ok_or_else(|| StoreError::Missing(format!("no entry with id {id}")))?,
        ),
    };
    let after = match edit {
        Edit::Save(e, _) | Edit::Replace(e) => Some(e),
        Edit::Delete(_) => None,
    };

    let meta = tx.object_store(META)?;
    let mut state: SyncState = meta.get(SYNC_STATE_KEY).serde()?.await?.unwrap_or_default();
    state.clock += 1;
    let version = state.clock;

    let bucket_store = tx.object_store(BUCKETS)?;
    for (key, change) in changes(before.as_ref().map(|b| &b.encounter), after) {
        let id = buckets::id(&key);
        let previous: Option<BucketRecord> = bucket_store.get(id.as_str()).serde()?.await?;
        let tally = previous
            .map(|r| r.tally())
            .unwrap_or_default()
            .changed(&key, change, version)
            .map_err(|e| StoreError::Inconsistent(e.to_string()))?;
        bucket_store
            .put(&BucketRecord::new(key, tally))
            .serde()?
            .await?;
    }

    let result = match (edit, before) {
        (Edit::Save(encounter, saved_at), _) => {
            let stored = StoredEncounter {
                encounter: encounter.clone(),
                version,
                saved_at: saved_at.to_owned(),
            };
            encounter_store.add(&stored).serde()?.await?;
            stored
        }
        (Edit::Replace(encounter), Some(before)) => {
            let stored = StoredEncounter {
                encounter: encounter.clone(),
                version,
                saved_at: before.saved_at,
            };
            encounter_store.put(&stored).serde()?.await?;
            stored
        }
        (Edit::Delete(id), Some(before)) => {
            encounter_store.delete(id.as_str()).primitive()?.await?;
            before
        }
        (Edit::Replace(_) | Edit::Delete(_), None) => {
            unreachable!("a replace or delete read its entry above")
        }
    };
    if let Some(encounter) = after {
        let mut usage: Usage = meta.get(USAGE_KEY).serde()?.await?.unwrap_or_default();
        usage.record(encounter);
        meta.put(&usage)
            .with_key(USAGE_KEY)
            .without_key_type()
            .serde()?
            .await?;
    }
    meta.put(&state)
        .with_key(SYNC_STATE_KEY)
        .without_key_type()
        .serde()?
        .await?;
    tx.commit().await?;
    Ok(result)
}

/// Saves a new encounter and counts it in this device's buckets, all or nothing.
///
/// Returns the stored record once the transaction has committed.
pub async fn save(
    store: &Store,
    encounter: &Encounter,
    saved_at: &str,
) -> Result<StoredEncounter, StoreError> {
    commit(store, Edit::Save(encounter, saved_at)).await
}

/// Replaces a past entry (same id) with its corrected version and moves its buckets.
pub async fn replace(store: &Store, encounter: &Encounter) -> Result<StoredEncounter, StoreError> {
    commit(store, Edit::Replace(encounter)).await
}

/// Deletes an entry (an undo, or a worker's correction) and uncounts it.
pub async fn delete(store: &Store, id: &EncounterId) -> Result<StoredEncounter, StoreError> {
    commit(store, Edit::Delete(id)).await
}

/// One entry by id.
pub async fn get(store: &Store, id: &EncounterId) -> Result<Option<StoredEncounter>, StoreError> {
    let tx = store.db().transaction(ENCOUNTERS).build()?;
    Ok(tx
        .object_store(ENCOUNTERS)?
        .get(id.as_str())
        .serde()?
        .await?)
}

/// The encounters of one day, oldest first.
pub async fn on_day(store: &Store, day: NaiveDate) -> Result<Vec<StoredEncounter>, StoreError> {
    between(store, day, day).await
}

/// The encounters from `from` to `to` (both included), oldest first.
pub async fn between(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<StoredEncounter>, StoreError> {
    let tx = store.db().transaction(ENCOUNTERS).build()?;
    let object_store = tx.object_store(ENCOUNTERS)?;
    let index = object_store.index(BY_DAY)?;
    let records = index
        .get_all::<StoredEncounter>()
        .with_query::<String, _>(KeyRange::Bound(
            from.to_string(),
            false,
            to.to_string(),
            false,
        ))
        .serde()?
        .await?;
    let mut encounters = records.collect::<Result<Vec<_>, _>>()?;
    encounters.sort_by(|a, b| (a.encounter.day, &a.saved_at).cmp(&(b.encounter.day, &b.saved_at)));
    Ok(encounters)
}

/// Every encounter on this phone, for the worker's own export.
pub async fn all(store: &Store) -> Result<Vec<StoredEncounter>, StoreError> {
    let tx = store.db().transaction(ENCOUNTERS).build()?;
    let records = tx
        .object_store(ENCOUNTERS)?
        .get_all::<StoredEncounter>()
        .serde()?
        .await?;
    let mut encounters = records.collect::<Result<Vec<_>, _>>()?;
    encounters.sort_by(|a, b| (a.encounter.day, &a.saved_at).cmp(&(b.encounter.day, &b.saved_at)));
    Ok(encounters)
}

/// How many encounters changed since the service last acknowledged this device.
pub async fn waiting(store: &Store, acked_through: u64) -> Result<u32, StoreError> {
    super::changed_after(store, ENCOUNTERS, acked_through).await
}
