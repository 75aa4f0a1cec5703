//! Changes to offered insight notes (offers, corrected words, withdrawals) waiting until the
//! service has them, one per entry: a later change of an entry replaces a waiting one.

use super::schema::NOTE_OUTBOX;
use super::{Store, StoreError};
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use peerpulse_core::encounter::EncounterId;
use peerpulse_core::field_notes::{NoteChange, NoteOffer};
use serde::{Deserialize, Serialize};

/// A waiting change as stored, keyed by its entry's `id`: an offer `{id, week, text}` (the
/// only kind before withdrawals existed) or a withdrawal `{id, withdraw: true}`.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Record {
    Offer(NoteOffer),
    Withdrawal { id: EncounterId, withdraw: bool },
}

impl From<&NoteChange> for Record {
    fn from(change: &NoteChange) -> Self {
        match change {
            NoteChange::Offer(offer) => Self::Offer(offer.clone()),
            NoteChange::Withdraw(id) => Self::Withdrawal {
                id: id.clone(),
                withdraw: true,
            },
        }
    }
}

impl From<Record> for NoteChange {
    fn from(record: Record) -> Self {
        match record {
            Record::Offer(offer) => Self::Offer(offer),
            Record::Withdrawal { id, .. } => Self::Withdraw(id),
        }
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
        .map(|r| Ok(NoteChange::from(r?)))
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
    if stored.map(NoteChange::from).as_ref() == Some(change) {
        outbox.delete(id).primitive()?.await?;
    }
    tx.commit().await?;
    Ok(())
}
