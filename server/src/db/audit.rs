//! The audit log: who signed in, exported and changed what, when and from where.

use super::{Db, DbError, now};
use peerpulse_core::org_api::{AuditAction, AuditEntry, AuditPage};

/// Who the management commands act as.
pub const COMMAND_LINE: &str = "command line";

/// Entries on a page when none is asked for, and at most.
pub const PAGE: u32 = 50;
/// Most entries on one page.
pub const MAX_PAGE: u32 = 200;

/// Records that `who` (a username, or [`COMMAND_LINE`]) did `action` in `org_id`, from
/// `address`, to `detail`. The detail is names and ids only: callers never pass words someone
/// typed (a note, a free tag, a label), nor a secret.
pub async fn record(
    db: &Db,
    org_id: i64,
    who: &str,
    address: Option<&str>,
    action: AuditAction,
    detail: Option<&str>,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO audit_log (org_id, at, who, address, action, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(org_id)
    .bind(now())
    .bind(who)
    .bind(address)
    .bind(action.as_str())
    .bind(detail)
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
    detail: Option<String>,
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
        "SELECT id, at, who, address, action, detail FROM audit_log \
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
        .map(|row| {
            Ok(AuditEntry {
                action: AuditAction::parse(&row.action).ok_or_else(|| {
                    DbError::Corrupt(format!(
                        "audit entry {} has action {:?}",
                        row.id, row.action
                    ))
                })?,
                id: row.id,
                at: row.at,
                who: row.who,
                address: row.address,
                detail: row.detail,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    let next_before = more.then(|| entries.last().map(|e| e.id)).flatten();
    Ok(AuditPage {
        entries,
        next_before,
    })
}
