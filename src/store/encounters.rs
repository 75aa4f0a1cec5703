//! Raw encounters: saved with their bucket changes in one transaction, sealed when a PIN is set.

use super::buckets::{self, BucketRecord};
use super::crypto::{SealedBox, Sealer};
use super::device::{Removal, SYNC_STATE_KEY, SyncState, USAGE_KEY};
use super::note_outbox;
use super::schema::{BUCKETS, BY_DAY, ENTRIES, META, NOTE_OUTBOX, UNREADABLE};
use super::{Store, StoreError};
use crate::json;
use chrono::NaiveDate;
use indexed_db_futures::KeyRange;
use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use peerpulse_core::bucket::changes;
use peerpulse_core::encounter::{Encounter, EncounterId};
use peerpulse_core::field_notes::NoteChange;
use peerpulse_core::page_window::PageSpan;
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
    /// Whether the worker corrected it since: its receipt then speaks of the correction.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub corrected: bool,
}

/// What an entry holds besides what the indexes need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct EntryBody {
    encounter: Encounter,
    saved_at: String,
    /// Absent from entries saved before corrections were marked.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    corrected: bool,
}

/// An entry's content, readable or sealed with the PIN key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Content {
    Plain(EntryBody),
    Sealed(SealedBox),
}

/// One record of the entries store: the id, day and version stay readable for the indexes
/// (and sync), everything else is in `content`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct EntryRecord {
    id: EncounterId,
    #[serde(with = "peerpulse_core::date_wire::day")]
    day: NaiveDate,
    version: u64,
    content: Content,
}

impl EntryRecord {
    /// An unsealed record of `stored`.
    pub(crate) fn plain(stored: &StoredEncounter) -> Self {
        Self {
            id: stored.encounter.id.clone(),
            day: stored.encounter.day,
            version: stored.version,
            content: Content::Plain(EntryBody {
                encounter: stored.encounter.clone(),
                saved_at: stored.saved_at.clone(),
                corrected: stored.corrected,
            }),
        }
    }

    /// The record of `stored`, sealed when `sealer` is given.
    pub(crate) async fn seal(
        stored: &StoredEncounter,
        sealer: Option<&Sealer>,
    ) -> Result<Self, StoreError> {
        let mut record = Self::plain(stored);
        if let (Some(sealer), Content::Plain(body)) = (sealer, &record.content) {
            let text = json::to_string(body)
                .map_err(|e| StoreError::Crypto(format!("entry {}: {e}", stored.encounter.id)))?;
            record.content = Content::Sealed(sealer.seal(text.as_bytes()).await?);
        }
        Ok(record)
    }

    /// The stored encounter, opened with `sealer` when sealed.
    pub(crate) async fn open(self, sealer: Option<&Sealer>) -> Result<StoredEncounter, StoreError> {
        let body = match self.content {
            Content::Plain(body) => body,
            Content::Sealed(sealed) => {
                let sealer = sealer.ok_or(StoreError::Locked)?;
                let bytes = sealer.open(&sealed).await?;
                std::str::from_utf8(&bytes)
                    .map_err(|e| e.to_string())
                    .and_then(|text| json::from_str(text).map_err(|e| e.to_string()))
                    .map_err(|e| StoreError::Corrupt(format!("entry {}: {e}", self.id)))?
            }
        };
        if body.encounter.id != self.id {
            return Err(StoreError::Corrupt(format!(
                "entry {} holds the content of entry {}",
                self.id, body.encounter.id
            )));
        }
        Ok(StoredEncounter {
            encounter: body.encounter,
            version: self.version,
            saved_at: body.saved_at,
            corrected: body.corrected,
        })
    }

    /// The device clock value of the record's last change.
    pub(crate) fn version(&self) -> u64 {
        self.version
    }

    /// The entry's id.
    pub(crate) fn id(&self) -> &EncounterId {
        &self.id
    }
}

/// What a worker does to an entry.
#[derive(Clone, Copy)]
enum Edit<'a> {
    /// Log a new encounter, saved at this time (RFC 3339).
    Save(&'a Encounter, &'a str),
    /// Correct a past entry (same id).
    Replace(&'a Encounter),
    /// Remove an entry (an undo or a correction).
    Delete(&'a EncounterId),
}

/// Another tab changed the entry between reading and writing it.
struct Conflict;

/// How often an edit is retried when another tab keeps changing the same entry.
const ATTEMPTS: usize = 3;

/// Applies an edit and its bucket changes in one transaction, all or nothing, stamping the
/// changed buckets with a new device clock value so the next sync carries them. Buckets that
/// reach zero stay at zero, so the service's count goes down too.
///
/// Opening and sealing entries is asynchronous and would end an IndexedDB transaction, so
/// the entry is read and sealed first, and the write checks that it did not change meanwhile.
///
/// Returns the entry as now stored (save, replace) or as it was (delete).
async fn commit(store: &Store, edit: Edit<'_>) -> Result<StoredEncounter, StoreError> {
    for _ in 0..ATTEMPTS {
        if let Ok(result) = try_commit(store, edit).await? {
            return Ok(result);
        }
    }
    Err(StoreError::Inconsistent(
        "the entry kept changing in another PeerPulse tab; close it and try again".into(),
    ))
}

async fn try_commit(
    store: &Store,
    edit: Edit<'_>,
) -> Result<Result<StoredEncounter, Conflict>, StoreError> {
    let sealer = store.sealer()?;
    let id = match edit {
        Edit::Save(e, _) | Edit::Replace(e) => &e.id,
        Edit::Delete(id) => id,
    };
    let before: Option<StoredEncounter> = match edit {
        Edit::Save(..) => None,
        Edit::Replace(_) | Edit::Delete(_) => Some(
            get(store, id)
                .await?
                .ok_or_else(|| StoreError::Missing(format!("no entry with id {id}")))?,
        ),
    };
    let after: Option<StoredEncounter> = match edit {
        Edit::Save(encounter, saved_at) => Some(StoredEncounter {
            encounter: encounter.clone(),
            version: 0,
            saved_at: saved_at.to_owned(),
            corrected: false,
        }),
        Edit::Replace(encounter) => Some(StoredEncounter {
            encounter: encounter.clone(),
            version: 0,
            saved_at: before
                .as_ref()
                .map(|b| b.saved_at.clone())
                .unwrap_or_default(),
            corrected: true,
        }),
        Edit::Delete(_) => None,
    };
    let sealed = match &after {
        Some(after) => Some(EntryRecord::seal(after, sealer.as_ref()).await?),
        None => None,
    };

    let tx = store
        .db()
        .transaction([ENTRIES, BUCKETS, META, NOTE_OUTBOX])
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let entry_store = tx.object_store(ENTRIES)?;
    if let Some(before) = &before {
        let current: Option<EntryRecord> = entry_store.get(id.as_str()).serde()?.await?;
        if current.map(|r| r.version) != Some(before.version) {
            return Ok(Err(Conflict));
        }
    }

    let meta = tx.object_store(META)?;
    let mut state: SyncState = meta.get(SYNC_STATE_KEY).serde()?.await?.unwrap_or_default();
    state.clock += 1;
    let version = state.clock;
    if let (Edit::Delete(_), Some(before)) = (edit, &before) {
        // Shown in History until the service counts the removal.
        state.removals.push(Removal {
            day: before.encounter.day,
            version,
        });
    }

    let bucket_store = tx.object_store(BUCKETS)?;
    for (key, change) in changes(
        before.as_ref().map(|b| &b.encounter),
        after.as_ref().map(|a| &a.encounter),
    ) {
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

    match sealed {
        Some(mut record) => {
            record.version = version;
            if before.is_none() {
                entry_store.add(&record).serde()?.await?;
            } else {
                entry_store.put(&record).serde()?.await?;
            }
        }
        None => entry_store.delete(id.as_str()).primitive()?.await?,
    }
    // A change to the offered note waits with the entry's change, replacing one not yet sent.
    if let Some(change) = NoteChange::of_edit(
        before.as_ref().map(|b| &b.encounter),
        after.as_ref().map(|a| &a.encounter),
    ) {
        note_outbox::put(&tx.object_store(NOTE_OUTBOX)?, &change).await?;
    }
    if let Some(after) = &after {
        let mut usage: Usage = meta.get(USAGE_KEY).serde()?.await?.unwrap_or_default();
        usage.record(&after.encounter);
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
    Ok(Ok(match (after, before) {
        (Some(after), _) => StoredEncounter { version, ..after },
        (None, Some(before)) => before,
        (None, None) => unreachable!("a delete read its entry above"),
    }))
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
    let sealer = store.sealer()?;
    let tx = store.db().transaction(ENTRIES).build()?;
    let record: Option<EntryRecord> = tx.object_store(ENTRIES)?.get(id.as_str()).serde()?.await?;
    match record {
        Some(record) => Ok(Some(record.open(sealer.as_ref()).await?)),
        None => Ok(None),
    }
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
    between_keys(
        store,
        KeyRange::Bound(from.to_string(), false, to.to_string(), false),
    )
    .await
}

/// Days are stored as ISO dates, which sort as text; no day key sorts after this one.
const AFTER_EVERY_DAY: &str = "\u{10FFFF}";

/// The entries of the days `span` covers, oldest first: a history page read again.
pub async fn in_span(store: &Store, span: PageSpan) -> Result<Vec<StoredEncounter>, StoreError> {
    let before = span
        .before
        .map_or_else(|| AFTER_EVERY_DAY.to_owned(), |d| d.to_string());
    let days = match span.from {
        Some(from) => KeyRange::Bound(from.to_string(), false, before, true),
        None => KeyRange::UpperBound(before, true),
    };
    between_keys(store, days).await
}

/// Whole days of entries, the newest first, going back from a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryPage {
    /// The entries, oldest first (as [`between`] returns them).
    pub entries: Vec<StoredEncounter>,
    /// The day to ask for the next page before, when older entries remain.
    pub older_before: Option<NaiveDate>,
}

/// The entries of the latest days before `before` (every day when `None`), whole days only,
/// as few days as hold at least `at_least` entries (all of them when fewer remain). The
/// history lists a phone of any size this way, a page at a time.
pub async fn page_before(
    store: &Store,
    before: Option<NaiveDate>,
    at_least: u32,
) -> Result<EntryPage, StoreError> {
    let upper = before.map_or_else(|| AFTER_EVERY_DAY.to_owned(), |d| d.to_string());
    if count_before(store, upper.clone()).await? <= at_least {
        // What remains is the last page.
        let entries = between_keys(store, KeyRange::UpperBound(upper, true)).await?;
        return Ok(EntryPage {
            entries,
            older_before: None,
        });
    }
    // The day of the `at_least`-th entry going back: the page starts with that whole day.
    let earliest = {
        let tx = store.db().transaction(ENTRIES).build()?;
        let entries = tx.object_store(ENTRIES)?;
        let index = entries.index(BY_DAY)?;
        let mut cursor = index
            .open_key_cursor()
            .with_query::<String, _>(KeyRange::UpperBound(upper.clone(), true))
            .with_direction(CursorDirection::Prev)
            .await?
            .ok_or_else(|| StoreError::Inconsistent("entries vanished while paging".into()))?;
        cursor.advance_by(at_least.saturating_sub(1)).await?;
        cursor
            .next_key::<String>()
            .await?
            .ok_or_else(|| StoreError::Inconsistent("entries vanished while paging".into()))?
    };
    let first_day = peerpulse_core::iso_date::read(&earliest)
        .map_err(|e| StoreError::Corrupt(format!("entry day: {e}")))?;
    let entries =
        between_keys(store, KeyRange::Bound(earliest.clone(), false, upper, true)).await?;
    let older = count_before(store, earliest).await?;
    Ok(EntryPage {
        entries,
        older_before: (older > 0).then_some(first_day),
    })
}

/// How many entries are dated before the day key `upper`.
async fn count_before(store: &Store, upper: String) -> Result<u32, StoreError> {
    let tx = store.db().transaction(ENTRIES).build()?;
    let entries = tx.object_store(ENTRIES)?;
    Ok(entries
        .index(BY_DAY)?
        .count()
        .with_query::<String, _>(KeyRange::UpperBound(upper, true))
        .serde()?
        .await?)
}

/// The entries whose day key lies in `days`, oldest first.
async fn between_keys(
    store: &Store,
    days: KeyRange<String>,
) -> Result<Vec<StoredEncounter>, StoreError> {
    let sealer = store.sealer()?;
    let tx = store.db().transaction(ENTRIES).build()?;
    let records = tx
        .object_store(ENTRIES)?
        .index(BY_DAY)?
        .get_all::<EntryRecord>()
        .with_query::<String, _>(days)
        .serde()?
        .await?
        .collect::<Result<Vec<_>, _>>()?;
    open_all(records, sealer.as_ref()).await
}

/// Every encounter on this phone, for the worker's own export.
pub async fn all(store: &Store) -> Result<Vec<StoredEncounter>, StoreError> {
    let sealer = store.sealer()?;
    open_all(all_records(store).await?, sealer.as_ref()).await
}

/// Every entry record as stored, sealed or not.
pub(crate) async fn all_records(store: &Store) -> Result<Vec<EntryRecord>, StoreError> {
    let tx = store.db().transaction(ENTRIES).build()?;
    Ok(tx
        .object_store(ENTRIES)?
        .get_all::<EntryRecord>()
        .serde()?
        .await?
        .collect::<Result<Vec<_>, _>>()?)
}

async fn open_all(
    records: Vec<EntryRecord>,
    sealer: Option<&Sealer>,
) -> Result<Vec<StoredEncounter>, StoreError> {
    let mut encounters = Vec::with_capacity(records.len());
    for record in records {
        encounters.push(record.open(sealer).await?);
    }
    encounters.sort_by(|a, b| (a.encounter.day, &a.saved_at).cmp(&(b.encounter.day, &b.saved_at)));
    Ok(encounters)
}

/// How many records an upgrade could not read; they are kept as they were.
pub async fn unreadable(store: &Store) -> Result<u32, StoreError> {
    let tx = store.db().transaction(UNREADABLE).build()?;
    Ok(tx.object_store(UNREADABLE)?.count().serde()?.await?)
}

/// How many encounters changed since the service last acknowledged this device.
pub async fn waiting(store: &Store, acked_through: u64) -> Result<u32, StoreError> {
    super::changed_after(store, ENTRIES, acked_through).await
}

/// Deletes the entries that `keep` lets go on `today`: older than it allows, every change of
/// them confirmed by the service, and no change of their insight note still waiting. Their
/// counts stay in this phone's buckets as they are, so nothing the phone sent or will send
/// changes. Runs in one transaction, reading the acknowledgement inside it, so an entry
/// changed meanwhile is never dropped. Entries stay readable by day and version while sealed,
/// so this works with the phone locked. Returns how many went.
pub async fn drop_counted(
    store: &Store,
    keep: peerpulse_core::retention::KeepEntries,
    today: NaiveDate,
) -> Result<u32, StoreError> {
    let Some(days) = keep.days() else {
        return Ok(0);
    };
    let Some(kept_from) = today.checked_sub_days(chrono::Days::new(days)) else {
        return Ok(0);
    };
    let tx = store
        .db()
        .transaction([ENTRIES, META, NOTE_OUTBOX])
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let state: SyncState = tx
        .object_store(META)?
        .get(SYNC_STATE_KEY)
        .serde()?
        .await?
        .unwrap_or_default();
    let entry_store = tx.object_store(ENTRIES)?;
    let outbox = tx.object_store(NOTE_OUTBOX)?;
    let older: Vec<EntryRecord> = entry_store
        .index(BY_DAY)?
        .get_all::<EntryRecord>()
        .with_query::<String, _>(KeyRange::UpperBound(kept_from.to_string(), true))
        .serde()?
        .await?
        .collect::<Result<_, _>>()?;
    let mut dropped = 0u32;
    for record in older {
        if keep.drops(record.day, record.version, state.acked_through, today)
            && !note_outbox::holds(&outbox, &record.id).await?
        {
            entry_store.delete(record.id.as_str()).primitive()?.await?;
            dropped += 1;
        }
    }
    tx.commit().await?;
    Ok(dropped)
}
