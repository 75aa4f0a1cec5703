//! The audit log: who signed in, exported and changed what, when and from where.

use super::{Db, DbError, now};
use peerpulse_core::audit::{AuditDetail, AuditEvent};
use peerpulse_core::org_api::{AuditAction, AuditEntry, AuditPage};

/// Who the management commands act as.
pub const COMMAND_LINE: &str = "command line";

/// Entries on a page when none is asked for, and at most.
pub const PAGE: u32 = 50;
/// Most entries on one page.
pub const MAX_PAGE: u32 = 200;

/// Records that `who` (a username, or [`COMMAND_LINE`]) did `event` in `org_id`, from
/// `address`. The event holds names, ids and counts only (see [`AuditEvent`]).
pub async fn record(
    db: &Db,
    org_id: i64,
    who: &str,
    address: Option<&str>,
    event: &AuditEvent,
) -> Result<(), DbError> {
    let stored = serde_json::to_string(event)
        .expect("an audit event serializes: its fields are text, numbers and named choices");
    sqlx::query(
        "INSERT INTO audit_log (org_id, at, who, address, action, event) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(org_id)
    .bind(now())
    .bind(who)
    .bind(address)
    .bind(event.action().as_str())
    .bind(stored)
    .execute(db)
    .await?;
    Ok(())
}

/// An entry as stored.
#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    at: String,
    who: String,
    address: Option<String>,
    action: String,
    /// The typed event (JSON), on entries written since details are typed.
    event: Option<String>,
    /// The English text of entries written before.
    detail: Option<String>,
}

impl EntryRow {
    /// The entry, or why the stored row is not one.
    fn entry(self) -> Result<AuditEntry, DbError> {
        let corrupt = |why: String| DbError::Corrupt(format!("audit entry {}: {why}", self.id));
        let action = AuditAction::parse(&self.action)
            .ok_or_else(|| corrupt(format!("action {:?}", self.action)))?;
        let event = self
            .event
            .as_deref()
            .map(serde_json::from_str::<AuditEvent>)
            .transpose()
            .map_err(|e| corrupt(format!("event: {e}")))?;
        if let Some(event) = &event
            && event.action() != action
        {
            return Err(corrupt(format!("event of {:?}", event.action())));
        }
        Ok(AuditEntry {
            id: self.id,
            at: self.at,
            who: self.who,
            address: self.address,
            action,
            detail: AuditDetail::stored(event, self.detail),
        })
    }
}

/// A page of `org_id`'s entries older than `before` (all when none), newest first.
pub async fn page(
    db: &Db,
    org_id: i64,
    before: Option<i64>,
    limit: u32,
) -> Result<AuditPage, DbError> {
    let limit = limit.clamp(1, MAX_PAGE);
    let rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT id, at, who, address, action, event, detail FROM audit_log \
         WHERE org_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(org_id)
    .bind(before.unwrap_or(i64::MAX))
    .bind(i64::from(limit) + 1)
    .fetch_all(db)
    .await?;
    let more = rows.len() > limit as usize;
    let entries = rows
        .into_iter()
        .take(limit as usize)
        .map(EntryRow::entry)
        .collect::<Result<Vec<_>, DbError>>()?;
    let next_before = more.then(|| entries.last().map(|e| e.id)).flatten();
    Ok(AuditPage {
        entries,
        next_before,
    })
}
