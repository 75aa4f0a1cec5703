//! Insight notes workers offered for the trend brief, and their review.

use super::{Db, DbError, now};
use chrono::NaiveDate;
use peerpulse_core::encounter::EncounterId;
use peerpulse_core::field_notes::{NoteOffer, NoteStatus, OfferedNote};

/// Most notes one phone may have waiting for review at once.
pub const MAX_PENDING_PER_DEVICE: i64 = 200;

/// What offering a note did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offered {
    /// Stored, new or changed, and waiting for review.
    Stored,
    /// The service already had these words for this entry.
    Unchanged,
    /// The phone has [`MAX_PENDING_PER_DEVICE`] notes waiting already; a new one waits on it.
    TooMany,
}

/// Stores the note `device_id` offers for one of its entries, or its new words; a changed
/// note waits for review again. A phone with [`MAX_PENDING_PER_DEVICE`] notes waiting may
/// change those but not add another (the database counts, so concurrent offers cannot slip
/// past it by more than they are at once).
pub async fn offer(
    db: &Db,
    org_id: i64,
    device_id: &str,
    offer: &NoteOffer,
) -> Result<Offered, DbError> {
    let stored = sqlx::query(
        "INSERT INTO offered_notes (org_id, device_id, entry_id, week, text, received_at) \
         SELECT $1, $2, $3, $4, $5, $6 \
         WHERE (SELECT COUNT(*) FROM offered_notes WHERE device_id = $2 AND status = $7) < $8 \
            OR EXISTS (SELECT 1 FROM offered_notes WHERE device_id = $2 AND entry_id = $3) \
         ON CONFLICT (device_id, entry_id) DO UPDATE SET week = excluded.week, \
           text = excluded.text, status = $7, received_at = excluded.received_at, \
           reviewed_at = NULL \
         WHERE offered_notes.week <> excluded.week OR offered_notes.text <> excluded.text",
    )
    .bind(org_id)
    .bind(device_id)
    .bind(offer.id.as_str())
    .bind(offer.week.to_string())
    .bind(offer.text.as_str())
    .bind(now())
    .bind(NoteStatus::Pending.as_str())
    .bind(MAX_PENDING_PER_DEVICE)
    .execute(db)
    .await?
    .rows_affected();
    if stored == 1 {
        return Ok(Offered::Stored);
    }
    let known: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM offered_notes WHERE device_id = $1 AND entry_id = $2")
            .bind(device_id)
            .bind(offer.id.as_str())
            .fetch_optional(db)
            .await?;
    Ok(if known.is_some() {
        Offered::Unchanged
    } else {
        Offered::TooMany
    })
}

/// Deletes the note `device_id` offered for its entry `entry_id`, whatever its review; false
/// when there was none (never offered, or withdrawn already).
pub async fn withdraw(db: &Db, device_id: &str, entry_id: &EncounterId) -> Result<bool, DbError> {
    let deleted = sqlx::query("DELETE FROM offered_notes WHERE device_id = $1 AND entry_id = $2")
        .bind(device_id)
        .bind(entry_id.as_str())
        .execute(db)
        .await?
        .rows_affected();
    Ok(deleted == 1)
}

/// Notes of `org_id` in `status` whose week lies in `first_week..=last_week` (either side
/// open), newest week first.
pub async fn list(
    db: &Db,
    org_id: i64,
    status: NoteStatus,
    (first_week, last_week): (Option<NaiveDate>, Option<NaiveDate>),
) -> Result<Vec<OfferedNote>, DbError> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, week, text, status FROM offered_notes \
         WHERE org_id = $1 AND status = $2 AND week >= $3 AND week <= $4 \
         ORDER BY week DESC, id DESC",
    )
    .bind(org_id)
    .bind(status.as_str())
    .bind(first_week.map_or_else(String::new, |w| w.to_string()))
    // Every stored week sorts before "9", so an open end lets all of them through.
    .bind(last_week.map_or_else(|| "9".to_owned(), |w| w.to_string()))
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(id, week, text, status)| {
            Ok(OfferedNote {
                id,
                week: week
                    .parse()
                    .map_err(|e| DbError::Corrupt(format!("note {id} week {week:?}: {e}")))?,
                text,
                status: status
                    .parse()
                    .map_err(|e| DbError::Corrupt(format!("note {id}: {e}")))?,
            })
        })
        .collect()
}

/// Sets the status of note `id` of `org_id`; false when the organization has no such note.
pub async fn review(db: &Db, org_id: i64, id: i64, status: NoteStatus) -> Result<bool, DbError> {
    let changed = sqlx::query(
        "UPDATE offered_notes SET status = $1, reviewed_at = $2 WHERE id = $3 AND org_id = $4",
    )
    .bind(status.as_str())
    .bind(now())
    .bind(id)
    .bind(org_id)
    .execute(db)
    .await?
    .rows_affected();
    Ok(changed == 1)
}
