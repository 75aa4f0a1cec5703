//! Folding old per-phone counts into the organization's totals (see
//! `peerpulse_core::retention` and migration `retention`).
//!
//! A fold deletes an organization's device bucket rows of every day on or before the day its
//! setting closes, in one transaction. No trigger runs on delete, so `org_buckets` keeps each
//! cell's count and cell-key sum as they were: every published value stays the same. Which
//! phone counted something on which day (no count) moves to `folded_presence`, for the
//! figures that count distinct phones.

use super::{Db, DbError};
use chrono::NaiveDate;
use peerpulse_core::retention::KeepPhoneRows;

/// What folding one organization did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Folded {
    /// The organization.
    pub org_id: i64,
    /// The last day now closed.
    pub closed_through: NaiveDate,
    /// Per-phone rows deleted by this fold.
    pub rows: u64,
}

/// Sets how long `org_id` keeps per-phone rows (`None`: always). Days already folded stay
/// folded. Returns whether the organization exists.
pub async fn set_keep_phone_rows(
    db: &Db,
    org_id: i64,
    keep: Option<KeepPhoneRows>,
) -> Result<bool, DbError> {
    let done = sqlx::query("UPDATE orgs SET keep_phone_rows_months = $1 WHERE id = $2")
        .bind(keep.map(|k| i64::from(k.get())))
        .bind(org_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Folds `org_id`'s per-phone rows of the days its setting closes on `today`, if it has one.
/// Safe to repeat (a second fold of the same days changes nothing) and to run while phones
/// sync: the fold's first statement writes the organization's row, which a sync locks before
/// it writes (see `buckets::apply`), so each sync lands wholly before or after the fold.
pub async fn fold(db: &Db, org_id: i64, today: NaiveDate) -> Result<Option<Folded>, DbError> {
    let months: Option<Option<i64>> =
        sqlx::query_scalar("SELECT keep_phone_rows_months FROM orgs WHERE id = $1")
            .bind(org_id)
            .fetch_optional(db)
            .await?;
    let Some(months) = months.flatten() else {
        return Ok(None);
    };
    let keep = u16::try_from(months)
        .ok()
        .and_then(|m| KeepPhoneRows::months(m).ok())
        .ok_or_else(|| {
            DbError::Corrupt(format!("org {org_id} keeps phone rows {months} months"))
        })?;
    let through = keep.folded_through(today).to_string();
    let mut tx = db.begin().await?;
    // Never moves back: a shorter setting closes more days, a longer one reopens none.
    let closed: String = sqlx::query_scalar(
        "UPDATE orgs SET closed_through = CASE \
           WHEN closed_through IS NULL OR closed_through < $2 THEN $2 ELSE closed_through END \
         WHERE id = $1 RETURNING closed_through",
    )
    .bind(org_id)
    .bind(&through)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO folded_presence (org_id, dimension, day, value, site, device_id) \
         SELECT org_id, dimension, day, value, site, device_id FROM device_buckets \
         WHERE org_id = $1 AND day <= $2 AND count > 0 \
         ON CONFLICT DO NOTHING",
    )
    .bind(org_id)
    .bind(&closed)
    .execute(&mut *tx)
    .await?;
    let rows = sqlx::query("DELETE FROM device_buckets WHERE org_id = $1 AND day <= $2")
        .bind(org_id)
        .bind(&closed)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(Some(Folded {
        org_id,
        closed_through: closed
            .parse()
            .map_err(|e| DbError::Corrupt(format!("closed day {closed:?}: {e}")))?,
        rows,
    }))
}

/// Folds every organization that keeps per-phone rows for a limited time, one transaction
/// each.
pub async fn fold_all(db: &Db, today: NaiveDate) -> Result<Vec<Folded>, DbError> {
    let orgs: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM orgs WHERE keep_phone_rows_months IS NOT NULL ORDER BY id",
    )
    .fetch_all(db)
    .await?;
    let mut folded = Vec::new();
    for org_id in orgs {
        folded.extend(fold(db, org_id, today).await?);
    }
    Ok(folded)
}
