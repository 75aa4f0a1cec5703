//! Per-device bucket counts and the organization totals kept from them.

use super::{Db, DbError, now};
use crate::auth::Device;
use chrono::NaiveDate;
use peerpulse_core::bucket::{Dimension, Measure};
use peerpulse_core::codebook::Code;
use peerpulse_core::privacy::suppression::SiteCount;
use peerpulse_core::protocol::{BucketUpdate, NewFreeTag};

/// What applying a batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Buckets whose stored state changed.
    pub applied: u32,
    /// Buckets already stored at this version or newer.
    pub unchanged: u32,
}

/// Rows per upsert statement: six parameters each, well under every backend's limit.
const ROWS_PER_STATEMENT: usize = 500;

/// Stores each update whose version is newer than the device's stored one, all in one
/// transaction, and records the sync time. Replaying a batch, or an older one, changes nothing.
pub async fn apply(db: &Db, device: &Device, updates: &[BucketUpdate]) -> Result<Applied, DbError> {
    // One lock order for every request, so concurrent syncs of one device cannot deadlock.
    // (`SyncRequest::check` already refused a request that repeats a bucket.)
    let mut rows: Vec<&BucketUpdate> = updates.iter().collect();
    rows.sort_by_key(|u| {
        (
            u.day,
            u.site.as_str(),
            u.measure.dimension(),
            u.measure.value(),
        )
    });
    let now = now();
    let mut tx = db.begin().await?;
    let mut applied: u64 = 0;
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let values = (0..chunk.len())
            .map(|i| {
                let p = 4 + i * 6;
                format!(
                    "($1, $2, ${}, ${}, ${}, ${}, ${}, ${}, $3)",
                    p,
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO device_buckets \
               (device_id, org_id, day, site, dimension, value, count, version, updated_at) \
             VALUES {values} \
             ON CONFLICT (device_id, day, site, dimension, value) DO UPDATE \
               SET count = excluded.count, version = excluded.version, updated_at = excluded.updated_at \
               WHERE excluded.version > device_buckets.version"
        );
        let mut query = sqlx::query(&sql)
            .bind(&device.id)
            .bind(device.org_id)
            .bind(&now);
        for update in chunk {
            // Versions are checked against MAX_VERSION (2^53 - 1) before they get here.
            let version = i64::try_from(update.version).unwrap_or(i64::MAX);
            query = query
                .bind(update.day.to_string())
                .bind(update.site.as_str())
                .bind(update.measure.dimension().as_str())
                .bind(update.measure.value())
                .bind(i64::from(update.count))
                .bind(version);
        }
        applied += query.execute(&mut *tx).await?.rows_affected();
    }
    sqlx::query("UPDATE devices SET last_sync_at = $1 WHERE id = $2 AND org_id = $3")
        .bind(&now)
        .bind(&device.id)
        .bind(device.org_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let applied = u32::try_from(applied).unwrap_or(u32::MAX);
    Ok(Applied {
        applied,
        unchanged: u32::try_from(updates.len())
            .unwrap_or(u32::MAX)
            .saturating_sub(applied),
    })
}

/// Counts per day, site and measure over every device of `org_id`, from `from` to `to`
/// inclusive, read from the organization's totals (see migration `org_buckets`). Rows that
/// cannot be read back are logged and skipped.
pub async fn site_counts(
    db: &Db,
    org_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<SiteCount>, DbError> {
    let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT day, site, dimension, value, CAST(count AS BIGINT) FROM org_buckets \
         WHERE org_id = $1 AND day >= $2 AND day <= $3 AND count > 0",
    )
    .bind(org_id)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(day, site, dimension, value, count)| {
            let parsed = (|| {
                let dimension = dimension.parse::<Dimension>().map_err(|e| e.to_string())?;
                Ok::<_, String>(SiteCount {
                    day: day.parse::<NaiveDate>().map_err(|e| e.to_string())?,
                    site: Code::new(&site).map_err(|e| e.to_string())?,
                    measure: Measure::from_parts(dimension, &value).map_err(|e| e.to_string())?,
                    count: u32::try_from(count).map_err(|e| e.to_string())?,
                })
            })();
            parsed
                .map_err(|e| {
                    tracing::warn!("skipping an unreadable bucket row of org {org_id}: {e}")
                })
                .ok()
        })
        .collect())
}

/// Free tags of `org_id` that at least two phones used by `until` in `at_least` encounters or
/// more, and nobody used before `since`.
pub async fn new_free_tags(
    db: &Db,
    org_id: i64,
    since: NaiveDate,
    until: NaiveDate,
    at_least: u32,
) -> Result<Vec<NewFreeTag>, DbError> {
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT value, CAST(COUNT(DISTINCT device_id) AS BIGINT), MIN(day) FROM device_buckets \
         WHERE org_id = $1 AND dimension = $2 AND count > 0 AND day <= $4 \
         GROUP BY value HAVING MIN(day) >= $3 AND COUNT(DISTINCT device_id) >= 2 \
         AND SUM(count) >= $5 ORDER BY value",
    )
    .bind(org_id)
    .bind(Dimension::FreeTag.as_str())
    .bind(since.to_string())
    .bind(until.to_string())
    .bind(i64::from(at_least))
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(tag, workers, first_seen)| {
            Ok(NewFreeTag {
                tag: tag
                    .parse()
                    .map_err(|e| DbError::Corrupt(format!("free tag {tag:?}: {e}")))?,
                workers: u32::try_from(workers).unwrap_or(u32::MAX),
                first_seen: first_seen
                    .parse()
                    .map_err(|e| DbError::Corrupt(format!("day {first_seen:?}: {e}")))?,
            })
        })
        .collect()
}

/// Each phone's encounters per day (all sites) in `org_id` from `since` on.
pub async fn encounters_per_device(
    db: &Db,
    org_id: i64,
    since: NaiveDate,
) -> Result<Vec<(String, NaiveDate, u32)>, DbError> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT device_id, day, CAST(SUM(count) AS BIGINT) FROM device_buckets \
         WHERE org_id = $1 AND dimension = $2 AND day >= $3 \
         GROUP BY device_id, day",
    )
    .bind(org_id)
    .bind(Dimension::Encounters.as_str())
    .bind(since.to_string())
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(device, day, count)| {
            let day = day
                .parse()
                .map_err(|e| DbError::Corrupt(format!("day {day:?}: {e}")))?;
            Ok((device, day, u32::try_from(count).unwrap_or(u32::MAX)))
        })
        .collect()
}
