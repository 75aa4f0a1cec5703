//! Database layout and its numbered migrations.
//!
//! - v1: `encounters` (flat records keyed by id), `buckets`, `meta`.
//! - v2: `encounters` becomes `entries`: each record is an envelope of id, day and version
//!   (what the indexes need) around content that is either plain or sealed with the PIN key.
//!   Version 1 records that do not read as encounters are moved, untouched, to `unreadable`.
//! - v3: `note_outbox`: insight notes the worker offered for the brief, until the service
//!   has them.
//! - v4: `installation`: this installation's random id, made once here, in the upgrade's
//!   one exclusive transaction, so two tabs opening together cannot make two; enrolment
//!   sends it, so a retry after a lost answer gets the same device.
//! - v5: `field_alerts`: the organization's alerts up now, replaced by each sync, shown
//!   offline until they expire.

use super::StoreError;
use super::encounters::{EntryRecord, StoredEncounter};
use indexed_db_futures::KeyPath;
use indexed_db_futures::database::Database;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionRef;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// Encounter envelopes, keyed by `id`; they never leave the phone.
pub const ENTRIES: &str = "entries";
/// This device's trend buckets, keyed by `id`.
pub const BUCKETS: &str = "buckets";
/// Small records with out-of-line keys: device credentials, sync state, the PIN lock.
pub const META: &str = "meta";
/// Records an upgrade could not read, kept as they were (auto-numbered).
pub const UNREADABLE: &str = "unreadable";
/// Offered insight notes waiting to be sent, keyed by their entry's `id`. Plain even with a
/// PIN: they are meant to leave the phone, and go even while it is locked.
pub const NOTE_OUTBOX: &str = "note_outbox";
/// This installation's id under the key [`INSTALLATION_ID_KEY`] (out-of-line keys).
pub const INSTALLATION: &str = "installation";
/// The key of the installation id in [`INSTALLATION`].
pub const INSTALLATION_ID_KEY: &str = "id";
/// The organization's alerts kept on the phone, keyed by `id`.
pub const FIELD_ALERTS: &str = "field_alerts";
/// Index of entries by local day.
pub const BY_DAY: &str = "by_day";
/// Index by device clock version (entries and buckets).
pub const BY_VERSION: &str = "by_version";

/// Version 1's encounter store, replaced by [`ENTRIES`] in version 2.
const V1_ENCOUNTERS: &str = "encounters";

/// The schema version this build expects. Every increase adds one arm to [`migrate`].
pub const VERSION: u32 = 5;

/// Opens the database, running every migration from its stored version up to [`VERSION`],
/// all in the browser's one upgrade transaction: an upgrade lands whole or not at all. A
/// migration that fails is told as [`StoreError::Upgrade`] with its step and the browser's
/// reason (the library would only say its future was "polled unexpectedly").
pub async fn open(name: &str) -> Result<Database, StoreError> {
    let failed: Rc<RefCell<Option<(u32, String)>>> = Rc::default();
    let failed_at = Rc::clone(&failed);
    let opened = Database::open(name)
        .with_version(VERSION)
        .with_on_upgrade_needed_fut(move |event, db| async move {
            // Versions are small integers stored as f64 by the browser.
            let from = event.old_version() as u32;
            for version in from + 1..=VERSION {
                if let Err(e) = migrate(&db, version).await {
                    *failed_at.borrow_mut() = Some((version, e.to_string()));
                    abort_upgrade(&db);
                    return Err(e);
                }
            }
            Ok(())
        })
        .await;
    opened.map_err(|e| match failed.take() {
        Some((version, cause)) => StoreError::Upgrade { version, cause },
        None => e.into(),
    })
}

/// Rolls the upgrade back, so the database stays as the earlier version left it.
///
/// IndexedDB aborts an upgrade by itself only when a request in it fails unhandled or its
/// event handler throws; a migration runs after that handler has returned, and a step that
/// throws (creating a store, say) leaves the transaction to commit what came before, with the
/// new version number. The library gives no handle on the upgrade transaction, but every
/// store made in it belongs to it, so a scratch store gives one. When the transaction has
/// already ended in an abort, making the store fails, and there is nothing left to do.
fn abort_upgrade(db: &Database) {
    if let Ok(scratch) = db.create_object_store(UPGRADE_ABORT).build()
        && let Err(e) = scratch.transaction().as_sys().abort()
    {
        leptos::logging::warn!("the failed upgrade could not be rolled back: {e:?}");
    }
}

/// The scratch store [`abort_upgrade`] makes, never committed.
const UPGRADE_ABORT: &str = "upgrade_abort";

/// Applies the migration that brings the schema to `version`.
async fn migrate(db: &Database, version: u32) -> indexed_db_futures::Result<()> {
    match version {
        1 => {
            db.create_object_store(V1_ENCOUNTERS)
                .with_key_path(KeyPath::One("id"))
                .build()?;
            let buckets = db
                .create_object_store(BUCKETS)
                .with_key_path(KeyPath::One("id"))
                .build()?;
            buckets
                .create_index(BY_VERSION, KeyPath::One("version"))
                .build()?;
            db.create_object_store(META).build()?;
        }
        2 => {
            let entries = db
                .create_object_store(ENTRIES)
                .with_key_path(KeyPath::One("id"))
                .build()?;
            entries.create_index(BY_DAY, KeyPath::One("day")).build()?;
            entries
                .create_index(BY_VERSION, KeyPath::One("version"))
                .build()?;
            db.create_object_store(UNREADABLE)
                .with_auto_increment(true)
                .build()?;
            move_v1_encounters(entries.transaction()).await?;
            db.delete_object_store(V1_ENCOUNTERS)?;
        }
        3 => {
            db.create_object_store(NOTE_OUTBOX)
                .with_key_path(KeyPath::One("id"))
                .build()?;
        }
        4 => {
            let installation = db.create_object_store(INSTALLATION).build()?;
            let id = super::device::new_installation_id()
                .map_err(|e| indexed_db_futures::error::Error::from(JsValue::from_str(&e)))?;
            installation
                .put(id.as_str())
                .with_key(INSTALLATION_ID_KEY)
                .await?;
        }
        5 => {
            db.create_object_store(FIELD_ALERTS)
                .with_key_path(KeyPath::One("id"))
                .build()?;
        }
        unknown => unreachable!("no migration to schema version {unknown}"),
    }
    Ok(())
}

/// Rewrites every version 1 encounter as a plain envelope, keeping its version (so what is
/// waiting to sync stays waiting) and its saved time.
async fn move_v1_encounters(tx: &TransactionRef<'_>) -> indexed_db_futures::Result<()> {
    let old = tx.object_store(V1_ENCOUNTERS)?;
    let entries = tx.object_store(ENTRIES)?;
    let unreadable = tx.object_store(UNREADABLE)?;
    let records: Vec<JsValue> = old.get_all::<JsValue>().await?.collect::<Result<_, _>>()?;
    for raw in records {
        match serde_wasm_bindgen::from_value::<StoredEncounter>(raw.clone()) {
            Ok(stored) => {
                entries.put(EntryRecord::plain(&stored)).serde()?.await?;
            }
            Err(_) => {
                unreadable.add(raw).await?;
            }
        }
    }
    Ok(())
}
