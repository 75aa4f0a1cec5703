//! Organizations' indicator books (`core::org_api::IndicatorBook`), and the phones active
//! that one kind of indicator counts.

use super::{Db, DbError};
use chrono::NaiveDate;
use peerpulse_core::bucket::Dimension;
use peerpulse_core::codebook::Code;
use peerpulse_core::org_api::IndicatorBook;
use peerpulse_core::period::Period;
use std::collections::BTreeSet;

/// The stored book of `org_id` as stored text and as read (empty at version 0 when none).
async fn stored(db: &Db, org_id: i64) -> Result<Option<(Option<String>, IndicatorBook)>, DbError> {
    let row: Option<Option<String>> =
        sqlx::query_scalar("SELECT indicators FROM orgs WHERE id = $1")
            .bind(org_id)
            .fetch_optional(db)
            .await?;
    row.map(|text| {
        let book = match &text {
            None => IndicatorBook::default(),
            Some(json) => serde_json::from_str(json)
                .map_err(|e| DbError::Corrupt(format!("org {org_id}'s indicators: {e}")))?,
        };
        Ok((text, book))
    })
    .transpose()
}

/// The indicator book of `org_id` (empty at version 0 when none was stored).
pub async fn get(db: &Db, org_id: i64) -> Result<IndicatorBook, DbError> {
    Ok(stored(db, org_id)
        .await?
        .map(|(_, book)| book)
        .unwrap_or_default())
}

/// Why a book was not stored.
#[derive(Debug, thiserror::Error)]
pub enum SetError {
    /// Another change came first: the stored version is `now`.
    #[error("the indicators changed meanwhile (now version {now})")]
    Changed {
        /// The version stored now.
        now: u32,
    },
    /// No such organization.
    #[error("no such organization")]
    NoOrg,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// A book stored over another.
#[derive(Clone, Debug)]
pub struct Replaced {
    /// The book it replaced.
    pub previous: IndicatorBook,
    /// The book as stored, at its new version.
    pub stored: IndicatorBook,
}

/// Stores `book` as the version after `base`, by compare-and-set on the stored text: of two
/// changes made on one version, one is stored and the other refused.
pub async fn set(
    db: &Db,
    org_id: i64,
    base: u32,
    mut book: IndicatorBook,
) -> Result<Replaced, SetError> {
    let (text, current) = stored(db, org_id).await?.ok_or(SetError::NoOrg)?;
    if current.version != base {
        return Err(SetError::Changed {
            now: current.version,
        });
    }
    book.version = base.saturating_add(1);
    let json = serde_json::to_string(&book).expect("an indicator book always serializes");
    let written = sqlx::query(
        "UPDATE orgs SET indicators = $1 WHERE id = $2 AND indicators IS NOT DISTINCT FROM $3",
    )
    .bind(json)
    .bind(org_id)
    .bind(text)
    .execute(db)
    .await
    .map_err(DbError::from)?;
    if written.rows_affected() != 1 {
        return Err(SetError::Changed {
            now: get(db, org_id).await?.version,
        });
    }
    Ok(Replaced {
        previous: current,
        stored: book,
    })
}

/// Which phone logged encounters on which day at which site, from `from` to `to`: what
/// "phones active" indicators count.
#[derive(Clone, Debug, Default)]
pub struct ActivePhones(Vec<(String, NaiveDate, Code)>);

impl ActivePhones {
    /// Reads them for `org_id`.
    pub async fn read(
        db: &Db,
        org_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Self, DbError> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT device_id, day, site FROM device_buckets \
             WHERE org_id = $1 AND dimension = $2 AND count > 0 AND day >= $3 AND day <= $4 \
             UNION SELECT device_id, day, site FROM folded_presence \
             WHERE org_id = $1 AND dimension = $2 AND day >= $3 AND day <= $4",
        )
        .bind(org_id)
        .bind(Dimension::Encounters.as_str())
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(db)
        .await?;
        rows.into_iter()
            .map(|(device, day, site)| {
                Ok((
                    device,
                    day.parse()
                        .map_err(|e| DbError::Corrupt(format!("day {day:?}: {e}")))?,
                    site.parse()
                        .map_err(|e| DbError::Corrupt(format!("site {site:?}: {e}")))?,
                ))
            })
            .collect::<Result<_, DbError>>()
            .map(Self)
    }
}

impl peerpulse_core::indicator::PhonesActive for ActivePhones {
    fn phones_active(&self, period: Period, sites: &BTreeSet<Code>) -> u32 {
        let phones: BTreeSet<&str> = self
            .0
            .iter()
            .filter(|(_, day, site)| {
                period.contains(*day) && (sites.is_empty() || sites.contains(site))
            })
            .map(|(device, _, _)| device.as_str())
            .collect();
        u32::try_from(phones.len()).unwrap_or(u32::MAX)
    }
}
