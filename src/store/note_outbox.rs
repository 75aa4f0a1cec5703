//! Changes to offered insight notes (offers, corrected words, withdrawals) waiting until the
//! service has them, one per entry: a later change of an entry replaces a waiting one.

use super::schema::NOTE_OUTBOX;
use super::{Store, StoreError};
use chrono::NaiveDate;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use peerpulse_core::encounter::{EncounterId, Note};
use peerpulse_core::field_notes::{NoteChange, NoteOffer};
use serde::{Deserialize, Serialize};

/// A waiting change as stored, keyed by its entry's `id`: an offer `{id, week, text}` (the
/// only kind before withdrawals existed) or a withdrawal `{id, withdraw: true}`. One record
/// with optional parts rather than an untagged enum, which serde reads by buffering each
/// record and trying each form in turn (3.9 KB of the phone's wasm); both forms are written
/// exactly as before.
#[derive(Serialize, Deserialize)]
struct Record {
    id: EncounterId,
    #[serde(
        default,
        with = "peerpulse_core::date_wire::optional_day",
        skip_serializing_if = "Option::is_none"
    )]
    week: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<Note>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    withdraw: bool,
}

/// A stored change that is neither an offer nor a withdrawal.
#[derive(Debug, thiserror::Error)]
#[error("the waiting note change of entry {0} is neither an offer nor a withdrawal")]
struct UnreadableChange(EncounterId);

impl From<&NoteChange> for Record {
    fn from(change: &NoteChange) -> Self {
        match change {
            NoteChange::Offer(offer) => Self {
                id: offer.id.clone(),
                week: Some(offer.week),
                text: Some(offer.text.clone()),
                withdraw: false,
            },
            NoteChange::Withdraw(id) => Self {
                id: id.clone(),
                week: None,
                text: None,
                withdraw: true,
            },
        }
    }
}

impl TryFrom<Record> for NoteChange {
    type Error = UnreadableChange;
    fn try_from(record: Record) -> Result<Self, UnreadableChange> {
        match record {
            Record {
                id, withdraw: true, ..
            } => Ok(Self::Withdraw(id)),
            Record {
                id,
                week: Some(week),
                text: Some(text),
                ..
            } => Ok(Self::Offer(NoteOffer { id, week, text })),
            Record { id, .. } => Err(UnreadableChange(id)),
        }
    }
}

impl From<UnreadableChange> for StoreError {
    fn from(e: UnreadableChange) -> Self {
        Self::Corrupt(e.to_string())
    }
}

/// Every change not yet taken by the service, by entry id.
pub async fn waiting(store: &Store) -> Result<Vec<NoteChange>, StoreError> {
    let tx = store.db().transaction(NOTE_OUTBOX).build()?;
    let records = tx
        .object_store(NOTE_OUTBOX)?
        .get_all::<Record>()
        .serde()?
        .await?;
    records
        .map(|r| Ok(NoteChange::try_from(r?)?))
        .collect::<Result<Vec<_>, StoreError>>()
}

/// Puts `change` in the outbox, in the caller's transaction (the entry's own change).
pub(crate) async fn put(outbox: &ObjectStore<'_>, change: &NoteChange) -> Result<(), StoreError> {
    outbox.put(&Record::from(change)).serde()?.await?;
    Ok(())
}

/// Whether a change of the entry `id` still waits in `outbox`, in the caller's transaction.
pub(crate) async fn holds(outbox: &ObjectStore<'_>, id: &EncounterId) -> Result<bool, StoreError> {
    let stored: Option<Record> = outbox.get(id.as_str()).serde()?.await?;
    Ok(stored.is_some())
}

/// Removes `change` from the outbox once the service has it (or refused it for good), unless
/// the entry changed again meanwhile: then the newer change still waits.
pub async fn done(store: &Store, change: &NoteChange) -> Result<(), StoreError> {
    let tx = store
        .db()
        .transaction(NOTE_OUTBOX)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let outbox = tx.object_store(NOTE_OUTBOX)?;
    let id = change.entry().as_str();
    let stored: Option<Record> = outbox.get(id).serde()?.await?;
    if stored.map(NoteChange::try_from).transpose()?.as_ref() == Some(change) {
        outbox.delete(id).primitive()?.await?;
    }
    tx.commit().await?;
    Ok(())
}
