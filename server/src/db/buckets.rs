//! Per-device bucket counts and the organization totals summed from them.

use super::{Db, DbError, now};
use crate::auth::Device;
use chrono::NaiveDate;
use peerpulse_core::bucket::{Dimension, Measure};
use peerpulse_core::protocol::BucketUpdate;

/// What applying a batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Buckets whose stored state changed.
    pub applied: u32,
    /// Buckets already stored at this version or newer.
    pub unchanged: u32,
}

/// Stores each update whose version is newer than the device's stored one, all in one
/// transaction, and records the sync time. Replaying a batch, or an older one, changes nothing.
pub async fn apply(db: &Db, device: &Device, updates: &[BucketUpdate]) -> Result<Applied, DbError> {
    let now = now();
    let mut tx = db.begin().await?;
    let mut result = Applied::default();
    // One lock order for every request, so concurrent syncs of one device cannot deadlock.
    let mut ordered: Vec<&BucketUpdate> = updates.iter().collect();
    ordered.sort_by_key(|u| {
        (
            u.day,
            u.site.as_str(),
            u.measure.dimension(),
            u.measure.value(),
        )
    });
    for update in ordered {
        // Versions are checked against MAX_VERSION (2^53 - 1) before they get here.
        let version = i64::try_from(update.version).unwrap_or(i64::MAX);
        let changed = sqlx::query(
            "INSERT INTO device_buckets \
               (device_id, org_id, day, site, dimension, value, count, version, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (device_id, day, site, dimension, value) DO UPDATE \
               SET count = excluded.count, version = excluded.version, updated_at = excluded.updated_at \
               WHERE excluded.version > device_buckets.version",
        )
        .bind(&device.id)
        .bind(device.org_id)
        .bind(update.day.to_string())
        .bind(update.site.as_str())
        .bind(update.measure.dimension().as_str())
        .bind(update.measure.value())
        .bind(i64::from(update.count))
        .bind(version)
        .bind(&now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed > 0 {
            result.applied += 1;
        } else {
            result.unchanged += 1;
        }
    }
    sqlx::query("UPDATE devices SET last_sync_at = $1 WHERE id = $2 AND org_id = $3")
        .bind(&now)
        .bind(&device.id)
        .bind(device.org_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(result)
}

/// One organization total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Total {
    /// Day.
    pub day: NaiveDate,
    /// What is counted.
    pub measure: Measure,
    /// Sum over devices and sites.
    pub count: u32,
}

/// Totals per day and measure over every device and site of `org_id`, from `since` on, newest
/// day first. Rows that cannot be read back are logged and skipped.
pub async fn org_totals(db: &Db, org_id: i64, since: NaiveDate) -> Result<Vec<Total>, DbError> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT day, dimension, value, CAST(SUM(count) AS BIGINT) FROM device_buckets \
         WHERE org_id = $1 AND day >= $2 \
         GROUP BY day, dimension, value HAVING SUM(count) > 0",
    )
    .bind(org_id)
    .bind(since.to_string())
    .fetch_all(db)
    .await?;
    let mut totals: Vec<Total> = rows
        .into_iter()
        .filter_map(|(day, dimension, value, count)| {
            let parsed = (|| {
                let day = day.parse::<NaiveDate>().map_err(|e| e.to_string())?;
                let dimension = dimension.parse::<Dimension>().map_err(|e| e.to_string())?;
                let measure = Measure::from_parts(dimension, &value).map_err(|e| e.to_string())?;
                let count = u32::try_from(count).map_err(|e| e.to_string())?;
                Ok::<_, String>(Total {
                    day,
                    measure,
                    count,
                })
            })();
            parsed
                .map_err(|e| {
                    tracing::warn!("skipping an unreadable bucket row of org {org_id}: {e}")
                })
                .ok()
        })
        .collect();
    totals.sort_by(|a, b| b.day.cmp(&a.day).then_with(|| a.measure.cmp(&b.measure)));
    Ok(totals)
}
