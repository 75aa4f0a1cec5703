//! Insight notes workers offered for the trend brief, and their review.

use super::{Db, DbError, now};
use chrono::NaiveDate;
use peerpulse_core::encounter::EncounterId;
use peerpulse_core::field_notes::{NoteOffer, NoteStatus, OfferedNote};

/// Stores `offer` from `device_id` of `org_id` as pending. New words for a note already
/// there replace it and wait for review again; the same words again (a resend after a lost
/// answer) change nothing and give false.
pub async fn offer(
    db: &Db,
    org_id: i64,
    device_id: &str,
    offer: &NoteOffer,
) -> Result<bool, DbError> {
    let stored = sqlx::query(
        "INSERT INTO offered_notes (org_id, device_id, entry_id, week, text, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
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
    .execute(db)
    .await?
    .rows_affected();
    Ok(stored == 1)
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
