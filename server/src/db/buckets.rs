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

/// Between a packed count's dimension, value and count (ASCII unit separator: no code,
/// dimension or number can hold it).
const FIELD: &str = "\u{1f}";
/// Between the packed counts of one day and site (ASCII record separator).
const RECORD: &str = "\u{1e}";

/// Counts per day, site and measure over every device of `org_id`, from `from` to `to`
/// inclusive, read from the organization's totals (see migration `org_buckets`). Rows that
/// cannot be read back are logged and skipped.
///
/// The database packs each day and site's counts into one string (`string_agg`, in SQLite
/// and PostgreSQL alike): a month is ~15,000 counts, and fetching them as rows cost ~5 µs
/// each through the driver, most of the query's time; as ~120 rows it costs a few ms.
pub async fn site_counts(
    db: &Db,
    org_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<SiteCount>, DbError> {
    // A stored text holding a separator gets a `?` in its place, which no code or dimension
    // has: it is skipped as unreadable rather than read as other counts.
    let text = |column: &str| format!("replace(replace({column}, $4, '?'), $5, '?')");
    let sql = format!(
        "SELECT day, site, \
           string_agg({} || $4 || {} || $4 || CAST(CAST(count AS BIGINT) AS TEXT), $5) \
         FROM org_buckets WHERE org_id = $1 AND day >= $2 AND day <= $3 AND count > 0 \
         GROUP BY day, site",
        text("dimension"),
        text("value"),
    );
    let rows: Vec<(String, String, String)> = sqlx::query_as(&sql)
        .bind(org_id)
        .bind(from.to_string())
        .bind(to.to_string())
        .bind(FIELD)
        .bind(RECORD)
        .fetch_all(db)
        .await?;
    let mut counts = Vec::new();
    for (day, site, packed) in rows {
        let place = day
            .parse::<NaiveDate>()
            .map_err(|e| e.to_string())
            .and_then(|day| Ok((day, Code::new(&site).map_err(|e| e.to_string())?)));
        let (day, site) = match place {
            Ok(place) => place,
            Err(e) => {
                tracing::warn!(
                    "skipping unreadable bucket rows of org {org_id} ({day}, {site}): {e}"
                );
                continue;
            }
        };
        for record in packed.split(RECORD) {
            match unpack(record) {
                Ok((measure, count)) => counts.push(SiteCount {
                    day,
                    site: site.clone(),
                    measure,
                    count,
                }),
                Err(e) => tracing::warn!(
                    "skipping an unreadable bucket row of org {org_id} ({day}, {site}): {e}"
                ),
            }
        }
    }
    Ok(counts)
}

/// One packed count: `dimension FIELD value FIELD count`.
fn unpack(record: &str) -> Result<(Measure, u32), String> {
    let mut fields = record.split(FIELD);
    let (Some(dimension), Some(value), Some(count), None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err(format!(
            "{record:?} is not a dimension, a value and a count"
        ));
    };
    let dimension = dimension.parse::<Dimension>().map_err(|e| e.to_string())?;
    let measure = Measure::from_parts(dimension, value).map_err(|e| e.to_string())?;
    let count = count
        .parse::<u32>()
        .map_err(|e| format!("count {count:?}: {e}"))?;
    Ok((measure, count))
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
