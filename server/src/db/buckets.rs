//! Per-device bucket counts and the organization totals kept from them.

use super::devices::Device;
use super::orgs::CellKeySecret;
use super::{Db, DbError, now};
use chrono::NaiveDate;
use peerpulse_core::bucket::{BucketKey, Dimension, Measure};
use peerpulse_core::codebook::{Code, Codebook};
use peerpulse_core::consistency::{self, Inconsistency};
use peerpulse_core::privacy::cell_key::{CellKey, KeyedCount};
use peerpulse_core::privacy::disclosure::SiteCount;
use peerpulse_core::protocol::BucketUpdate;
use sha2::{Digest, Sha256};
use sqlx::Connection;
use std::collections::{BTreeMap, BTreeSet};

/// What applying a batch did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Buckets whose stored state changed.
    pub applied: u32,
    /// Buckets already stored at this version or newer.
    pub unchanged: u32,
    /// Buckets of days the organization has closed: nothing of them was stored.
    pub closed: Vec<BucketKey>,
    /// The last closed day, if any.
    pub closed_through: Option<NaiveDate>,
}

/// Why a batch was not stored.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// With the batch, the device's counts of a day and site would contradict each other.
    #[error("the counts for {day} at {site} cannot all be true: {why}")]
    Inconsistent {
        /// The day.
        day: NaiveDate,
        /// The site.
        site: String,
        /// What contradicts.
        why: Inconsistency,
    },
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for ApplyError {
    fn from(e: sqlx::Error) -> Self {
        Self::Db(e.into())
    }
}

/// Rows per upsert statement: seven parameters each, well under every backend's limit.
const ROWS_PER_STATEMENT: usize = 400;

/// The key of one device's bucket in one state: a keyed hash of the organization's secret,
/// the device, the bucket and its count; zero for an empty bucket, which holds no entries,
/// so a cell's key is the same whether a phone's emptied bucket is stored or not. The same
/// state always has the same key, so a phone going back to an earlier count gets its earlier
/// noise back rather than a new draw; any change of count draws a new key. Nobody without
/// the secret can compute it.
pub fn bucket_key(
    secret: &CellKeySecret,
    device_id: &str,
    day: NaiveDate,
    site: &str,
    measure: &Measure,
    count: u32,
) -> CellKey {
    if count == 0 {
        return CellKey(0);
    }
    let mut hash = Sha256::new();
    for part in [
        secret.expose(),
        device_id,
        &day.to_string(),
        site,
        measure.dimension().as_str(),
        measure.value(),
        &count.to_string(),
    ] {
        hash.update(part.as_bytes());
        hash.update([0x1f]);
    }
    let digest = hash.finalize();
    CellKey(u32::from_le_bytes([
        digest[0], digest[1], digest[2], digest[3],
    ]))
}

/// Stores each update whose version is newer than the device's stored one, all in one
/// transaction, and records the sync time. Replaying a batch, or an older one, changes nothing.
/// A batch whose counts of a day and site contradict each other (see [`consistency`]) is
/// refused whole. Updates of days the organization has closed (see [`super::retention`])
/// are stored nowhere and returned as closed: their folded totals already hold what the
/// service had of them, so storing them would count them twice.
pub async fn apply(
    db: &Db,
    secret: &CellKeySecret,
    device: &Device,
    updates: &[BucketUpdate],
) -> Result<Applied, ApplyError> {
    check_consistent(updates)?;
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
    let mut conn = db.acquire().await.map_err(DbError::from)?;
    let postgres = super::is_postgres(db);
    let written = write(&mut conn, secret, device, &rows, postgres).await;
    if written.is_err() {
        // Never hand out again a connection whose transaction failed: the database may have
        // left it open (a full disk does), and it would hold the write lock.
        let _ = conn.close().await;
    }
    let Written {
        applied,
        closed,
        closed_through,
    } = written?;
    let applied = u32::try_from(applied).unwrap_or(u32::MAX);
    let closed_count = u32::try_from(closed.len()).unwrap_or(u32::MAX);
    Ok(Applied {
        applied,
        unchanged: u32::try_from(updates.len())
            .unwrap_or(u32::MAX)
            .saturating_sub(applied)
            .saturating_sub(closed_count),
        closed,
        closed_through,
    })
}

/// What one sync transaction wrote.
struct Written {
    applied: u64,
    closed: Vec<BucketKey>,
    closed_through: Option<NaiveDate>,
}

/// Writes `rows` and the device's sync time in one transaction on `conn`: what is
/// acknowledged is what this commit made durable.
async fn write(
    conn: &mut sqlx::pool::PoolConnection<sqlx::Any>,
    secret: &CellKeySecret,
    device: &Device,
    rows: &[&BucketUpdate],
    postgres: bool,
) -> Result<Written, DbError> {
    let now = now();
    let mut tx = conn.begin().await?;
    // A write first: on SQLite it takes the write lock, so a fold (which writes the org's
    // row) runs wholly before or after this transaction.
    sqlx::query("UPDATE devices SET last_sync_at = $1 WHERE id = $2 AND org_id = $3")
        .bind(&now)
        .bind(&device.id)
        .bind(device.org_id)
        .execute(&mut *tx)
        .await?;
    // On PostgreSQL the org's row, shared with other syncs and waited for by a fold.
    let closed_through: Option<String> = sqlx::query_scalar(if postgres {
        "SELECT closed_through FROM orgs WHERE id = $1 FOR SHARE"
    } else {
        "SELECT closed_through FROM orgs WHERE id = $1"
    })
    .bind(device.org_id)
    .fetch_one(&mut *tx)
    .await?;
    let closed_through = closed_through
        .map(|day| {
            day.parse::<NaiveDate>()
                .map_err(|e| DbError::Corrupt(format!("closed day {day:?}: {e}")))
        })
        .transpose()?;
    let (closed, rows): (Vec<&BucketUpdate>, Vec<&BucketUpdate>) = rows
        .iter()
        .partition(|u| closed_through.is_some_and(|through| u.day <= through));
    let mut applied: u64 = 0;
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let values = (0..chunk.len())
            .map(|i| {
                let p = 4 + i * 7;
                format!(
                    "($1, $2, ${}, ${}, ${}, ${}, ${}, ${}, ${}, $3)",
                    p,
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5,
                    p + 6
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO device_buckets \
               (device_id, org_id, day, site, dimension, value, count, version, cell_key, updated_at) \
             VALUES {values} \
             ON CONFLICT (device_id, day, site, dimension, value) DO UPDATE \
               SET count = excluded.count, version = excluded.version, \
                   cell_key = excluded.cell_key, updated_at = excluded.updated_at \
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
                .bind(version)
                .bind(i64::from(
                    bucket_key(
                        secret,
                        &device.id,
                        update.day,
                        update.site.as_str(),
                        &update.measure,
                        update.count,
                    )
                    .0,
                ));
        }
        applied += query.execute(&mut *tx).await?.rows_affected();
    }
    tx.commit().await?;
    Ok(Written {
        applied,
        closed: closed.into_iter().map(BucketUpdate::key).collect(),
        closed_through,
    })
}

/// Refuses a batch whose counts of a day and site contradict each other.
fn check_consistent(updates: &[BucketUpdate]) -> Result<(), ApplyError> {
    let mut places: BTreeMap<(NaiveDate, &str), BTreeMap<Measure, u32>> = BTreeMap::new();
    for u in updates {
        places
            .entry((u.day, u.site.as_str()))
            .or_default()
            .insert(u.measure.clone(), u.count);
    }
    for ((day, site), counts) in places {
        consistency::check(&counts).map_err(|why| ApplyError::Inconsistent {
            day,
            site: site.to_owned(),
            why,
        })?;
    }
    Ok(())
}

/// Between a packed count's dimension, value, count and key (ASCII unit separator: no code,
/// dimension or number can hold it).
const FIELD: &str = "\u{1f}";
/// Between the packed counts of one day and site (ASCII record separator).
const RECORD: &str = "\u{1e}";

/// Counts and cell keys per day, site and measure over every device of `org_id`, from `from`
/// to `to` inclusive, read from the organization's totals (see migration `org_buckets`).
/// Rows that cannot be read back are logged and skipped.
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
           string_agg({} || $4 || {} || $4 || CAST(CAST(count AS BIGINT) AS TEXT) \
             || $4 || CAST(CAST(cell_key AS BIGINT) AS TEXT), $5) \
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
                Ok((measure, cell)) => counts.push(SiteCount {
                    day,
                    site: site.clone(),
                    measure,
                    cell,
                }),
                Err(e) => tracing::warn!(
                    "skipping an unreadable bucket row of org {org_id} ({day}, {site}): {e}"
                ),
            }
        }
    }
    Ok(counts)
}

/// One packed count: `dimension FIELD value FIELD count FIELD key`.
fn unpack(record: &str) -> Result<(Measure, KeyedCount), String> {
    let mut fields = record.split(FIELD);
    let (Some(dimension), Some(value), Some(count), Some(key), None) = (
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
    ) else {
        return Err(format!(
            "{record:?} is not a dimension, a value, a count and a key"
        ));
    };
    let dimension = dimension.parse::<Dimension>().map_err(|e| e.to_string())?;
    let measure = Measure::from_parts(dimension, value).map_err(|e| e.to_string())?;
    let count = count
        .parse::<u32>()
        .map_err(|e| format!("count {count:?}: {e}"))?;
    let key = key
        .parse::<u32>()
        .map_err(|e| format!("key {key:?}: {e}"))?;
    Ok((measure, KeyedCount::new(count, CellKey(key))))
}

/// Which phone counted which measure of `dimensions` on which day from `from` to `to`, as
/// `codebook` codes them now.
async fn phones_counting(
    db: &Db,
    org_id: i64,
    dimensions: &[Dimension],
    from: NaiveDate,
    to: NaiveDate,
    codebook: &Codebook,
) -> Result<BTreeSet<(NaiveDate, Measure, String)>, DbError> {
    let mut counted = BTreeSet::new();
    for dimension in dimensions {
        // Folded days keep who counted what (see `retention`), without the counts.
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT day, device_id, value FROM device_buckets \
             WHERE org_id = $1 AND dimension = $2 AND day >= $3 AND day <= $4 AND count > 0 \
             UNION SELECT day, device_id, value FROM folded_presence \
             WHERE org_id = $1 AND dimension = $2 AND day >= $3 AND day <= $4",
        )
        .bind(org_id)
        .bind(dimension.as_str())
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(db)
        .await?;
        for (day, device, value) in rows {
            match (
                day.parse::<NaiveDate>(),
                Measure::from_parts(*dimension, &value),
            ) {
                (Ok(day), Ok(measure)) => {
                    counted.insert((day, measure.current(codebook), device));
                }
                _ => tracing::warn!("skipping an unreadable bucket of org {org_id}"),
            }
        }
    }
    Ok(counted)
}

/// How many phones counted each measure of `dimensions` on each day from `from` to `to`, as
/// `codebook` codes them now.
pub async fn phones_per_day(
    db: &Db,
    org_id: i64,
    dimensions: &[Dimension],
    from: NaiveDate,
    to: NaiveDate,
    codebook: &Codebook,
) -> Result<BTreeMap<NaiveDate, BTreeMap<Measure, u32>>, DbError> {
    let mut days: BTreeMap<NaiveDate, BTreeMap<Measure, u32>> = BTreeMap::new();
    // One row per (day, measure, phone): each adds one phone to its day's measure.
    for (day, measure, _) in phones_counting(db, org_id, dimensions, from, to, codebook).await? {
        *days.entry(day).or_default().entry(measure).or_default() += 1;
    }
    Ok(days)
}

/// Free tags at least two phones used from `from` to `to`: the only ones that may be named.
pub async fn free_tags_on_two_phones(
    db: &Db,
    org_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    codebook: &Codebook,
) -> Result<BTreeSet<Code>, DbError> {
    let mut phones: BTreeMap<Code, BTreeSet<String>> = BTreeMap::new();
    for (_, measure, device) in
        phones_counting(db, org_id, &[Dimension::FreeTag], from, to, codebook).await?
    {
        if let Measure::FreeTag(tag) = measure {
            phones.entry(tag).or_default().insert(device);
        }
    }
    Ok(phones
        .into_iter()
        .filter_map(|(tag, devices)| (devices.len() >= 2).then_some(tag))
        .collect())
}

/// How many phones of `org_id` ever used the free tag `tag`.
pub async fn phones_using_free_tag(db: &Db, org_id: i64, tag: &Code) -> Result<u32, DbError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(DISTINCT device_id) AS BIGINT) FROM ( \
           SELECT device_id FROM device_buckets \
           WHERE org_id = $1 AND dimension = $2 AND value = $3 AND count > 0 \
           UNION SELECT device_id FROM folded_presence \
           WHERE org_id = $1 AND dimension = $2 AND value = $3) AS phones",
    )
    .bind(org_id)
    .bind(Dimension::FreeTag.as_str())
    .bind(tag.as_str())
    .fetch_one(db)
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The first day each free tag of `org_id` was used, for the tags used on or before `until`.
pub async fn free_tags_first_used(
    db: &Db,
    org_id: i64,
    until: NaiveDate,
) -> Result<Vec<(Code, NaiveDate)>, DbError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT value, MIN(day) FROM ( \
           SELECT value, day FROM device_buckets \
           WHERE org_id = $1 AND dimension = $2 AND count > 0 AND day <= $3 \
           UNION ALL SELECT value, day FROM folded_presence \
           WHERE org_id = $1 AND dimension = $2 AND day <= $3) AS uses \
         GROUP BY value",
    )
    .bind(org_id)
    .bind(Dimension::FreeTag.as_str())
    .bind(until.to_string())
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(tag, first)| {
            Ok((
                tag.parse()
                    .map_err(|e| DbError::Corrupt(format!("free tag {tag:?}: {e}")))?,
                first
                    .parse()
                    .map_err(|e| DbError::Corrupt(format!("day {first:?}: {e}")))?,
            ))
        })
        .collect()
}

/// Each phone's encounters per day (every site, with the keys summed) in `org_id` from
/// `since` on.
pub async fn encounters_per_device(
    db: &Db,
    org_id: i64,
    since: NaiveDate,
) -> Result<Vec<(String, NaiveDate, KeyedCount)>, DbError> {
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT device_id, day, CAST(SUM(count) AS BIGINT), \
           CAST(SUM(coalesce(cell_key, 0)) % 4294967296 AS BIGINT) FROM device_buckets \
         WHERE org_id = $1 AND dimension = $2 AND day >= $3 \
         GROUP BY device_id, day",
    )
    .bind(org_id)
    .bind(Dimension::Encounters.as_str())
    .bind(since.to_string())
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(device, day, count, key)| {
            let day = day
                .parse()
                .map_err(|e| DbError::Corrupt(format!("day {day:?}: {e}")))?;
            let cell = KeyedCount::new(
                u32::try_from(count).unwrap_or(u32::MAX),
                CellKey(u32::try_from(key).unwrap_or(0)),
            );
            Ok((device, day, cell))
        })
        .collect()
}

/// A bucket stored before cell keys, with its organization's secret.
#[derive(sqlx::FromRow)]
struct UnkeyedBucket {
    device_id: String,
    org_id: i64,
    day: String,
    site: String,
    dimension: String,
    value: String,
    count: i64,
    cell_key_secret: Option<String>,
}

/// Gives every bucket stored before cell keys (migration `cell_keys`) its key; the
/// organization totals follow through their trigger. Run at start; a few seconds per
/// million rows, once.
pub async fn backfill_cell_keys(db: &Db) -> Result<u64, DbError> {
    let mut done = 0u64;
    loop {
        let rows: Vec<UnkeyedBucket> = sqlx::query_as(
            "SELECT b.device_id, b.org_id, b.day, b.site, b.dimension, b.value, \
               CAST(b.count AS BIGINT) AS count, o.cell_key_secret \
             FROM device_buckets b JOIN orgs o ON o.id = b.org_id \
             WHERE b.cell_key IS NULL LIMIT 1000",
        )
        .fetch_all(db)
        .await?;
        if rows.is_empty() {
            return Ok(done);
        }
        let mut tx = db.begin().await?;
        for UnkeyedBucket {
            device_id: device,
            org_id: org,
            day,
            site,
            dimension,
            value,
            count,
            cell_key_secret: secret,
        } in rows
        {
            let secret = CellKeySecret::from_stored(
                secret.ok_or_else(|| DbError::Corrupt(format!("org {org} has no secret")))?,
            );
            let key = match (
                day.parse::<NaiveDate>(),
                dimension
                    .parse::<Dimension>()
                    .ok()
                    .and_then(|d| Measure::from_parts(d, &value).ok()),
            ) {
                (Ok(parsed_day), Some(measure)) => bucket_key(
                    &secret,
                    &device,
                    parsed_day,
                    &site,
                    &measure,
                    u32::try_from(count).unwrap_or(u32::MAX),
                ),
                // Unreadable rows are skipped by every reader; any key will do.
                _ => CellKey(0),
            };
            sqlx::query(
                "UPDATE device_buckets SET cell_key = $1 WHERE device_id = $2 AND day = $3 \
                 AND site = $4 AND dimension = $5 AND value = $6",
            )
            .bind(i64::from(key.0))
            .bind(&device)
            .bind(&day)
            .bind(&site)
            .bind(&dimension)
            .bind(&value)
            .execute(&mut *tx)
            .await?;
            done += 1;
        }
        tx.commit().await?;
    }
}
