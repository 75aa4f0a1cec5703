//! This device's trend buckets: what sync sends.

use super::schema::{BUCKETS, BY_VERSION};
use super::{Store, StoreError};
use indexed_db_futures::KeyRange;
use indexed_db_futures::prelude::*;
use peerpulse_core::bucket::{BucketKey, Tally};
use peerpulse_core::protocol::{BucketUpdate, MAX_BATCH};
use serde::{Deserialize, Serialize};

/// One bucket as stored: its key, count and version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketRecord {
    /// Primary key: the bucket key as one string.
    pub id: String,
    /// The bucket.
    #[serde(flatten)]
    pub key: BucketKey,
    /// Encounters counted.
    pub count: u32,
    /// Device clock at the last change.
    pub version: u64,
}

impl BucketRecord {
    /// A record for `key` holding `tally`.
    pub fn new(key: BucketKey, tally: Tally) -> Self {
        Self {
            id: id(&key),
            key,
            count: tally.count,
            version: tally.version,
        }
    }

    /// The count and version.
    pub fn tally(&self) -> Tally {
        Tally {
            count: self.count,
            version: self.version,
        }
    }
}

/// The primary key of a bucket.
pub fn id(key: &BucketKey) -> String {
    format!(
        "{}|{}|{}|{}",
        key.day,
        key.site,
        key.measure.dimension(),
        key.measure.value()
    )
}

/// The next batch to send: buckets changed after `acked_through`, oldest first, whole versions only.
pub async fn next_batch(
    store: &Store,
    acked_through: u64,
) -> Result<Vec<BucketUpdate>, StoreError> {
    let tx = store.db().transaction(BUCKETS).build()?;
    let object_store = tx.object_store(BUCKETS)?;
    let index = object_store.index(BY_VERSION)?;
    let limit = u32::try_from(MAX_BATCH).expect("the batch limit fits in u32");
    let records = index
        .get_all::<BucketRecord>()
        .with_query::<u64, _>(KeyRange::LowerBound(acked_through, true))
        .with_limit(limit)
        .serde()?
        .await?;
    let updates = records
        .map(|r| {
            r.map(|r| BucketUpdate {
                day: r.key.day,
                site: r.key.site,
                measure: r.key.measure,
                count: r.count,
                version: r.version,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(peerpulse_core::protocol::whole_versions(updates, MAX_BATCH))
}

/// How many buckets changed since the service last acknowledged this device.
pub async fn changed(store: &Store, acked_through: u64) -> Result<u32, StoreError> {
    super::changed_after(store, BUCKETS, acked_through).await
}

/// Every bucket this device holds, for checks and exports.
pub async fn all(store: &Store) -> Result<Vec<BucketRecord>, StoreError> {
    let tx = store.db().transaction(BUCKETS).build()?;
    let records = tx
        .object_store(BUCKETS)?
        .get_all::<BucketRecord>()
        .serde()?
        .await?;
    Ok(records.collect::<Result<Vec<_>, _>>()?)
}
