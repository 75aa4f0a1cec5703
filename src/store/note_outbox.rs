//! Insight notes the worker offered for the trend brief, waiting until the service has them.

use super::schema::NOTE_OUTBOX;
use super::{Store, StoreError};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use peerpulse_core::encounter::EncounterId;
use peerpulse_core::field_notes::NoteOffer;

/// Every offer not yet taken by the service, oldest entry id first.
pub async fn waiting(store: &Store) -> Result<Vec<NoteOffer>, StoreError> {
    let tx = store.db().transaction(NOTE_OUTBOX).build()?;
    let offers = tx
        .object_store(NOTE_OUTBOX)?
        .get_all::<NoteOffer>()
        .serde()?
        .await?;
    Ok(offers.collect::<Result<Vec<_>, _>>()?)
}

/// Removes entry `id`'s offer: the service has it, or refused it for good.
pub async fn done(store: &Store, id: &EncounterId) -> Result<(), StoreError> {
    let tx = store
        .db()
        .transaction(NOTE_OUTBOX)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    tx.object_store(NOTE_OUTBOX)?
        .delete(id.as_str())
        .primitive()?
        .await?;
    tx.commit().await?;
    Ok(())
}
