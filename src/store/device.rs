//! This device's identity on the service and its sync position.

use super::schema::{INSTALLATION, INSTALLATION_ID_KEY, META};
use super::{Store, StoreError};
use chrono::NaiveDate;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use peerpulse_core::codebook::Codebook;
use peerpulse_core::encounter::EditWindow;
use peerpulse_core::protocol::InstallationId;
use peerpulse_core::retention::KeepEntries;
use peerpulse_core::usage::{FrequentSnapshot, Usage};
use serde::{Deserialize, Serialize};

const CREDENTIALS_KEY: &str = "credentials";
const CODEBOOK_KEY: &str = "codebook";
const EDIT_WINDOW_KEY: &str = "edit-window";
const KEEP_ENTRIES_KEY: &str = "keep-entries";
pub(crate) const USAGE_KEY: &str = "usage";
const FREQUENT_KEY: &str = "frequent";
pub(crate) const SYNC_STATE_KEY: &str = "sync";

/// What enrolment gave this device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    /// Public device id.
    pub device_id: String,
    /// Bearer token for the service.
    pub token: String,
    /// The organization's name.
    pub org_name: String,
}

/// The device clock and how far the service has acknowledged it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncState {
    /// Raised by one on every saved change; bucket versions come from it.
    pub clock: u64,
    /// Every change up to this version is settled on the service.
    pub acked_through: u64,
    /// Every change up to this version left the phone in a request (its answer may have been
    /// lost); at least `acked_through`. Older phones stored none.
    #[serde(default)]
    pub sent_through: u64,
    /// When the last sync finished (RFC 3339), if ever.
    pub last_synced_at: Option<String>,
    /// Entries deleted whose removal the service has not settled yet, so History can say so
    /// until it is counted. Older phones stored none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removals: Vec<Removal>,
}

/// A deleted entry's removal from the counts: only its day and the version of the delete
/// (what the entry said went with it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removal {
    /// The day the deleted entry was logged for.
    #[serde(with = "peerpulse_core::date_wire::day")]
    pub day: NaiveDate,
    /// The device clock value of the delete.
    pub version: u64,
}

/// Where the counts of one change stand, as far as this phone knows from the service's acks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Receipt {
    /// Not sent yet: only this phone has them.
    OnPhone,
    /// Sent, and the service has not confirmed them yet.
    Sent,
    /// The service confirmed it counted them.
    Counted,
}

impl Receipt {
    /// The key of the words under an entry (`locales/*.json`).
    pub fn key(self) -> &'static str {
        match self {
            Self::OnPhone => "receipt.on_phone",
            Self::Sent => "receipt.sent",
            Self::Counted => "receipt.counted",
        }
    }

    /// The key of the words under a corrected entry: where its correction stands.
    pub fn correction_key(self) -> &'static str {
        match self {
            Self::OnPhone => "receipt.correction.on_phone",
            Self::Sent => "receipt.correction.sent",
            Self::Counted => "receipt.correction.counted",
        }
    }

    /// The key of the words for a deleted entry: where its removal from the counts stands.
    pub fn removal_key(self) -> &'static str {
        match self {
            Self::OnPhone => "receipt.removal.on_phone",
            Self::Sent => "receipt.removal.sent",
            Self::Counted => "receipt.removal.counted",
        }
    }

    /// The mark before the words.
    pub fn mark(self) -> &'static str {
        match self {
            Self::OnPhone => "○",
            Self::Sent => "◐",
            Self::Counted => "✓",
        }
    }

    /// A short stable name, for styles and tests.
    pub fn name(self) -> &'static str {
        match self {
            Self::OnPhone => "on-phone",
            Self::Sent => "sent",
            Self::Counted => "counted",
        }
    }
}

impl SyncState {
    /// Where the counts of the change made at device clock `version` stand.
    pub fn receipt(&self, version: u64) -> Receipt {
        if version <= self.acked_through {
            Receipt::Counted
        } else if version <= self.sent_through {
            Receipt::Sent
        } else {
            Receipt::OnPhone
        }
    }

    /// The deletes whose removal the service has not counted yet, oldest first.
    pub fn removals_waiting(&self) -> impl Iterator<Item = Removal> + '_ {
        self.removals
            .iter()
            .copied()
            .filter(|r| r.version > self.acked_through)
    }
}

/// One meta record, if stored.
async fn read<T: serde::de::DeserializeOwned>(
    store: &Store,
    key: &str,
) -> Result<Option<T>, StoreError> {
    let tx = store.db().transaction(META).build()?;
    let meta = tx.object_store(META)?;
    Ok(meta.get(key).serde()?.await?)
}

/// Stores one meta record in a transaction of its own.
async fn write<T: Serialize>(store: &Store, key: &str, value: &T) -> Result<(), StoreError> {
    let tx = store
        .db()
        .transaction(META)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let meta = tx.object_store(META)?;
    meta.put(value)
        .with_key(key)
        .without_key_type()
        .serde()?
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The device's records every page needs, as [`read_at_start`] finds them.
#[derive(Clone, Debug)]
pub struct AtStart {
    /// As [`codebook`] reads it.
    pub codebook: Codebook,
    /// As [`edit_window`] reads it.
    pub edit_window: EditWindow,
    /// As [`sync_state`] reads it.
    pub sync_state: SyncState,
    /// As [`frequent`] reads it.
    pub frequent: FrequentSnapshot,
    /// As [`usage`] reads it.
    pub usage: Usage,
}

/// Reads what the app needs before its first screen in one transaction, every read asked for
/// before the first answer is awaited: one round trip to the browser's storage instead of one
/// transaction after another, and one consistent view of the records.
pub async fn read_at_start(store: &Store) -> Result<AtStart, StoreError> {
    let tx = store.db().transaction(META).build()?;
    let meta = tx.object_store(META)?;
    let codebook = meta.get(CODEBOOK_KEY).serde()?;
    let edit_window = meta.get(EDIT_WINDOW_KEY).serde()?;
    let sync_state = meta.get(SYNC_STATE_KEY).serde()?;
    let frequent = meta.get(FREQUENT_KEY).serde()?;
    let usage = meta.get(USAGE_KEY).serde()?;
    Ok(AtStart {
        codebook: codebook
            .await?
            .unwrap_or_else(Codebook::harm_reduction_default),
        edit_window: edit_window.await?.unwrap_or_default(),
        sync_state: sync_state.await?.unwrap_or_default(),
        frequent: frequent.await?.unwrap_or_default(),
        usage: usage.await?.unwrap_or_default(),
    })
}

/// How long this phone keeps entries whose counts the service confirmed (the worker's
/// choice; kept always until they choose).
pub async fn keep_entries(store: &Store) -> Result<KeepEntries, StoreError> {
    Ok(read(store, KEEP_ENTRIES_KEY).await?.unwrap_or_default())
}

/// Keeps the worker's choice of how long entries stay once counted.
pub async fn save_keep_entries(store: &Store, keep: KeepEntries) -> Result<(), StoreError> {
    write(store, KEEP_ENTRIES_KEY, &keep).await
}

/// The stored credentials, if this phone is enrolled.
pub async fn credentials(store: &Store) -> Result<Option<Credentials>, StoreError> {
    read(store, CREDENTIALS_KEY).await
}

/// Keeps the credentials enrolment returned.
pub async fn save_credentials(store: &Store, credentials: &Credentials) -> Result<(), StoreError> {
    write(store, CREDENTIALS_KEY, credentials).await
}

/// A new random installation id (128 bits from WebCrypto); the schema upgrade makes the one
/// this installation keeps.
pub(crate) fn new_installation_id() -> Result<InstallationId, String> {
    let bytes = super::crypto::random_bytes(16).map_err(|e| e.to_string())?;
    let bytes: [u8; 16] = bytes
        .try_into()
        .expect("random_bytes gives the length asked for");
    Ok(InstallationId::from_random(bytes))
}

/// This installation's id, sent with every enrolment so a retry after a lost answer gets the
/// same device and token.
pub async fn installation_id(store: &Store) -> Result<InstallationId, StoreError> {
    let tx = store.db().transaction(INSTALLATION).build()?;
    let raw: Option<String> = tx
        .object_store(INSTALLATION)?
        .get(INSTALLATION_ID_KEY)
        .serde()?
        .await?;
    let raw = raw.ok_or_else(|| StoreError::Corrupt("no installation id".to_owned()))?;
    InstallationId::new(&raw).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The current sync state (all zero on a new phone).
pub async fn sync_state(store: &Store) -> Result<SyncState, StoreError> {
    Ok(read(store, SYNC_STATE_KEY).await?.unwrap_or_default())
}

/// Records that every change up to `through` is leaving the phone in a request now, so an
/// entry can say "sent" when the answer is lost. Only moves forward, and never beyond the
/// clock.
pub async fn record_sent(store: &Store, through: u64) -> Result<SyncState, StoreError> {
    let tx = store
        .db()
        .transaction(META)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let meta = tx.object_store(META)?;
    let mut state: SyncState = meta.get(SYNC_STATE_KEY).serde()?.await?.unwrap_or_default();
    state.sent_through = state.sent_through.max(through.min(state.clock));
    meta.put(&state)
        .with_key(SYNC_STATE_KEY)
        .without_key_type()
        .serde()?
        .await?;
    tx.commit().await?;
    Ok(state)
}

/// Records that the service has settled every change up to `through`, at `now` (RFC 3339).
///
/// Acks only move forward: a late answer to an older request cannot undo a newer one. Read and
/// write share one transaction, so a save in between cannot be lost.
pub async fn record_ack(store: &Store, through: u64, now: &str) -> Result<SyncState, StoreError> {
    let tx = store
        .db()
        .transaction(META)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let meta = tx.object_store(META)?;
    let mut state: SyncState = meta.get(SYNC_STATE_KEY).serde()?.await?.unwrap_or_default();
    if through > state.clock {
        return Err(StoreError::Inconsistent(format!(
            "the service acknowledged version {through}, beyond this phone's clock {}",
            state.clock
        )));
    }
    state.acked_through = state.acked_through.max(through);
    state.sent_through = state.sent_through.max(state.acked_through);
    let settled = state.acked_through;
    state.removals.retain(|r| r.version > settled);
    state.last_synced_at = Some(now.to_owned());
    meta.put(&state)
        .with_key(SYNC_STATE_KEY)
        .without_key_type()
        .serde()?
        .await?;
    tx.commit().await?;
    Ok(state)
}

/// The organization's codebook as last received, or the built-in one before any sync.
pub async fn codebook(store: &Store) -> Result<Codebook, StoreError> {
    Ok(read(store, CODEBOOK_KEY)
        .await?
        .unwrap_or_else(Codebook::harm_reduction_default))
}

/// Keeps a codebook the service sent.
pub async fn save_codebook(store: &Store, codebook: &Codebook) -> Result<(), StoreError> {
    write(store, CODEBOOK_KEY, codebook).await
}

/// How far back the organization lets entries be dated or changed (the default before any sync).
pub async fn edit_window(store: &Store) -> Result<EditWindow, StoreError> {
    Ok(read(store, EDIT_WINDOW_KEY).await?.unwrap_or_default())
}

/// Keeps the edit window the service sent.
pub async fn save_edit_window(store: &Store, window: EditWindow) -> Result<(), StoreError> {
    write(store, EDIT_WINDOW_KEY, &window).await
}

/// How often the worker picked each choice on this phone.
pub async fn usage(store: &Store) -> Result<Usage, StoreError> {
    Ok(read(store, USAGE_KEY).await?.unwrap_or_default())
}

/// The choices the form marks as frequent today (none before the first snapshot).
pub async fn frequent(store: &Store) -> Result<FrequentSnapshot, StoreError> {
    Ok(read(store, FREQUENT_KEY).await?.unwrap_or_default())
}

/// Keeps the day's snapshot of frequent choices.
pub async fn save_frequent(store: &Store, snapshot: &FrequentSnapshot) -> Result<(), StoreError> {
    write(store, FREQUENT_KEY, snapshot).await
}
