//! What the service keeps no longer than it needs: expired sessions, enrolment codes and
//! sign-in links that expired or were used, and phones that enrolled but never synced once
//! their code's life is over (a retried enrolment can no longer reach them), are deleted every
//! hour; in the same round, organizations that keep per-phone counts for a limited time fold
//! the older ones into their totals (see `db::retention`).

use crate::db::{Db, DbError, now};
use std::time::Duration;

/// How often the sweep runs.
pub const EVERY: Duration = Duration::from_secs(60 * 60);

/// What one sweep deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// Sessions past their end.
    pub sessions: u64,
    /// Enrolment codes past their end.
    pub enrolment_codes: u64,
    /// Sign-in links used or past their end.
    pub sign_in_links: u64,
    /// Phones enrolled longer than a code lives that never synced nor offered a note.
    pub unused_devices: u64,
}

/// Deletes what expired, or was used, by now.
pub async fn sweep(db: &Db) -> Result<Swept, DbError> {
    let now = now();
    let delete = |sql: &'static str| {
        let now = now.clone();
        async move {
            Ok::<u64, DbError>(
                sqlx::query(sql)
                    .bind(now)
                    .execute(db)
                    .await?
                    .rows_affected(),
            )
        }
    };
    Ok(Swept {
        sessions: delete("DELETE FROM sessions WHERE expires_at <= $1").await?,
        enrolment_codes: delete("DELETE FROM enrolment_codes WHERE expires_at <= $1").await?,
        sign_in_links: delete(
            "DELETE FROM sign_in_links WHERE expires_at <= $1 OR used_at IS NOT NULL",
        )
        .await?,
        unused_devices: sqlx::query(
            "DELETE FROM devices WHERE last_sync_at IS NULL AND enrolled_at <= $1 \
             AND NOT EXISTS (SELECT 1 FROM device_buckets WHERE device_id = devices.id) \
             AND NOT EXISTS (SELECT 1 FROM offered_notes WHERE device_id = devices.id)",
        )
        .bind(crate::db::timestamp(
            chrono::Utc::now() - crate::db::enrolment::CODE_TTL,
        ))
        .execute(db)
        .await?
        .rows_affected(),
    })
}

/// Sweeps every [`EVERY`] for as long as the service runs.
pub fn spawn(db: Db) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        loop {
            every.tick().await;
            match sweep(&db).await {
                Ok(swept) => tracing::info!(?swept, "expired sessions, codes and links deleted"),
                Err(e) => tracing::warn!("the hourly sweep failed: {e}"),
            }
            match crate::db::retention::fold_all(&db, chrono::Utc::now().date_naive()).await {
                Ok(folded) => {
                    for f in folded.iter().filter(|f| f.rows > 0) {
                        tracing::info!(org = f.org_id, rows = f.rows, closed_through = %f.closed_through, "per-phone counts folded");
                    }
                }
                Err(e) => tracing::warn!("folding per-phone counts failed: {e}"),
            }
        }
    })
}
