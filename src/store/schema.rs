//! Database layout and its numbered migrations.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::{KeyPath, error::OpenDbError};

/// Raw encounters, keyed by `id`; they never leave the phone.
pub const ENCOUNTERS: &str = "encounters";
/// This device's trend buckets, keyed by `id`.
pub const BUCKETS: &str = "buckets";
/// Small records with out-of-line keys: device credentials, sync state.
pub const META: &str = "meta";
/// Index of encounters by local day.
pub const BY_DAY: &str = "by_day";
/// Index by device clock version (encounters and buckets).
pub const BY_VERSION: &str = "by_version";

/// The schema version this build expects. Every increase adds one arm to [`migrate`].
pub const VERSION: u32 = 1;

/// Opens the database, running every migration from its stored version up to [`VERSION`].
pub async fn open(name: &str) -> Result<Database, OpenDbError> {
    Database::open(name)
        .with_version(VERSION)
        .with_on_upgrade_needed(|event, db| {
            // Versions are small integers stored as f64 by the browser.
            let from = event.old_version() as u32;
            for version in from + 1..=VERSION {
                migrate(&db, version)?;
            }
            Ok(())
        })
        .await
}

/// Applies the migration that brings the schema to `version`.
fn migrate(db: &Database, version: u32) -> indexed_db_futures::Result<()> {
    if version == 1 {
        let encounters = db
            .create_object_store(ENCOUNTERS)
            .with_key_path(KeyPath::One("id"))
            .build()?;
        encounters
            .create_index(BY_DAY, KeyPath::One("day"))
            .build()?;
        encounters
            .create_index(BY_VERSION, KeyPath::One("version"))
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
    Ok(())
}
