//! Field alerts as stored: their current version, their life's events, and what each phone
//! received and passed on. Every change is a conditional write on the version and status it
//! was decided on, so two people acting at once cannot both succeed.

use super::{Db, DbError, now};
use chrono::{DateTime, Utc};
use peerpulse_core::field_alert::{
    AlertAction, AlertContent, AlertStatus, LifecycleError, PublishedAlert, may,
};
use peerpulse_core::org_api::{
    AlertEvent, AlertEventAction, AlertReach, AlertReceipts, FieldAlertSummary,
};

/// An alert as stored.
#[derive(sqlx::FromRow)]
struct AlertRow {
    id: i64,
    version: i64,
    status: String,
    content: String,
    author: String,
    published_version: Option<i64>,
    published_content: Option<String>,
    published_at: Option<String>,
}

fn status_of(name: &str) -> Result<AlertStatus, DbError> {
    match name {
        "draft" => Ok(AlertStatus::Draft),
        "published" => Ok(AlertStatus::Published),
        "withdrawn" => Ok(AlertStatus::Withdrawn),
        other => Err(DbError::Corrupt(format!("alert status {other:?}"))),
    }
}

fn status_name(status: AlertStatus) -> &'static str {
    match status {
        AlertStatus::Draft => "draft",
        AlertStatus::Published => "published",
        AlertStatus::Withdrawn => "withdrawn",
    }
}

impl AlertRow {
    fn content(&self) -> Result<AlertContent, DbError> {
        serde_json::from_str(&self.content)
            .map_err(|e| DbError::Corrupt(format!("alert {}: {e}", self.id)))
    }

    fn version(&self) -> u32 {
        u32::try_from(self.version).unwrap_or(u32::MAX)
    }
}

const COLUMNS: &str =
    "id, version, status, content, author, published_version, published_content, published_at";

async fn event(
    tx: &mut sqlx::AnyConnection,
    alert_id: i64,
    version: u32,
    action: AlertEventAction,
    by: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO field_alert_events (alert_id, version, action, by_user, at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(alert_id)
    .bind(i64::from(version))
    .bind(action.as_str())
    .bind(by)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Stores a new draft of `org_id` written by `author`; returns its id.
pub async fn draft(
    db: &Db,
    org_id: i64,
    author: &str,
    content: &AlertContent,
) -> Result<i64, DbError> {
    let mut tx = db.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO field_alerts (org_id, version, status, content, expires_at, author, created_at) \
         VALUES ($1, 1, 'draft', $2, $3, $4, $5) RETURNING id",
    )
    .bind(org_id)
    .bind(serde_json::to_string(content).expect("alert content serializes"))
    .bind(super::timestamp(content.expires_at))
    .bind(author)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    event(&mut tx, id, 1, AlertEventAction::Drafted, author).await?;
    tx.commit().await?;
    Ok(id)
}

/// Why a step was not taken.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// The organization has no such alert.
    #[error("no such alert")]
    NoSuchAlert,
    /// Its life does not allow it.
    #[error(transparent)]
    Lifecycle(#[from] LifecycleError),
    /// Someone else changed it meanwhile.
    #[error("the alert changed meanwhile")]
    Changed,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Takes `action` on alert `id` of `org_id` as `actor` (with `content` for an update), when
/// its life allows it; `two_person` asks a second person to approve.
pub async fn step(
    db: &Db,
    org_id: i64,
    id: i64,
    action: AlertAction,
    actor: &str,
    content: Option<&AlertContent>,
    two_person: bool,
) -> Result<(), StepError> {
    let mut tx = db.begin().await.map_err(DbError::from)?;
    let row: AlertRow = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM field_alerts WHERE id = $1 AND org_id = $2"
    ))
    .bind(id)
    .bind(org_id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(DbError::from)?
    .ok_or(StepError::NoSuchAlert)?;
    let status = status_of(&row.status)?;
    let current = row.content()?;
    let next = may(
        action,
        status,
        &row.author,
        actor,
        current.expires_at,
        Utc::now(),
        two_person,
    )?;
    let (version, content, author, event_action) = match action {
        AlertAction::Update => (
            row.version() + 1,
            content.cloned().unwrap_or(current),
            actor.to_owned(),
            AlertEventAction::Updated,
        ),
        AlertAction::Approve => (
            row.version(),
            current,
            row.author.clone(),
            AlertEventAction::Approved,
        ),
        AlertAction::Withdraw => (
            row.version(),
            current,
            row.author.clone(),
            AlertEventAction::Withdrawn,
        ),
    };
    let json = serde_json::to_string(&content).expect("alert content serializes");
    let expires_at = super::timestamp(content.expires_at);
    // Approving puts this version on the phones; an update waits for approval while the last
    // approved version stays up (its `published_*` columns are left as they are); withdrawing
    // takes it down by its status.
    let publishes = next == AlertStatus::Published;
    let published = if publishes {
        ", published_version = $1, published_content = $3, published_expires_at = $4, \
         published_at = $9"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE field_alerts SET version = $1, status = $2, content = $3, expires_at = $4, \
           author = $5{published} \
         WHERE id = $6 AND version = $7 AND status = $8"
    );
    let written = sqlx::query(&sql)
        .bind(i64::from(version))
        .bind(status_name(next))
        .bind(json)
        .bind(expires_at)
        .bind(&author)
        .bind(id)
        .bind(row.version)
        .bind(&row.status);
    let written = if publishes {
        written.bind(now())
    } else {
        written
    }
    .execute(&mut *tx)
    .await
    .map_err(DbError::from)?;
    if written.rows_affected() != 1 {
        return Err(StepError::Changed);
    }
    event(&mut tx, id, version, event_action, actor).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(())
}

/// Every alert of `org_id`, newest first, with its life and how far it reached (figures
/// below `threshold` are not shown).
pub async fn list(db: &Db, org_id: i64, threshold: u32) -> Result<Vec<FieldAlertSummary>, DbError> {
    let rows: Vec<AlertRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM field_alerts WHERE org_id = $1 ORDER BY id DESC"
    ))
    .bind(org_id)
    .fetch_all(db)
    .await?;
    let shown = |n: i64| {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        (n >= threshold).then_some(n)
    };
    let mut alerts = Vec::with_capacity(rows.len());
    for row in rows {
        let events: Vec<(String, i64, String, String)> = sqlx::query_as(
            "SELECT action, version, by_user, at FROM field_alert_events \
             WHERE alert_id = $1 ORDER BY id",
        )
        .bind(row.id)
        .fetch_all(db)
        .await?;
        let history = events
            .into_iter()
            .map(|(action, version, by, at)| {
                let action = AlertEventAction::ALL
                    .into_iter()
                    .find(|a| a.as_str() == action)
                    .ok_or_else(|| DbError::Corrupt(format!("alert event {action:?}")))?;
                Ok(AlertEvent {
                    action,
                    version: u32::try_from(version).unwrap_or(u32::MAX),
                    by,
                    at,
                })
            })
            .collect::<Result<_, DbError>>()?;
        let (received, passed_on): (i64, i64) = sqlx::query_as(
            "SELECT CAST(COUNT(*) AS BIGINT), CAST(COUNT(passed_on_at) AS BIGINT) \
             FROM field_alert_receipts WHERE alert_id = $1 AND version = $2",
        )
        .bind(row.id)
        .bind(row.published_version.unwrap_or(0))
        .fetch_one(db)
        .await?;
        alerts.push(FieldAlertSummary {
            id: row.id,
            version: row.version(),
            status: status_of(&row.status)?,
            content: row.content()?,
            author: row.author.clone(),
            published_version: row
                .published_version
                .map(|v| u32::try_from(v).unwrap_or(u32::MAX)),
            published_at: row.published_at.clone(),
            reach: AlertReach {
                received: shown(received),
                passed_on: shown(passed_on),
                threshold,
            },
            history,
        });
    }
    Ok(alerts)
}

/// The alerts of `org_id` up at `at`: published and not expired.
pub async fn current(
    db: &Db,
    org_id: i64,
    at: DateTime<Utc>,
) -> Result<Vec<PublishedAlert>, DbError> {
    let rows: Vec<AlertRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM field_alerts \
         WHERE org_id = $1 AND status <> 'withdrawn' AND published_version IS NOT NULL \
           AND published_expires_at > $2 ORDER BY id"
    ))
    .bind(org_id)
    .bind(super::timestamp(at))
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            let published_at = row
                .published_at
                .as_deref()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&Utc))
                .ok_or_else(|| DbError::Corrupt(format!("alert {} has no publication", row.id)))?;
            let content = serde_json::from_str(row.published_content.as_deref().unwrap_or(""))
                .map_err(|e| DbError::Corrupt(format!("alert {}: {e}", row.id)))?;
            Ok(PublishedAlert {
                id: row.id,
                version: u32::try_from(row.published_version.unwrap_or(0)).unwrap_or(u32::MAX),
                content,
                published_at,
            })
        })
        .collect()
}

/// Records what phone `device_id` of `org_id` holds and passed on; alerts of other
/// organizations, or unknown, are ignored.
pub async fn record_receipts(
    db: &Db,
    org_id: i64,
    device_id: &str,
    receipts: &AlertReceipts,
) -> Result<(), DbError> {
    let now = now();
    let mut tx = db.begin().await?;
    for (alert, version) in &receipts.received {
        // No alert reaches a version the store cannot hold (PostgreSQL's INTEGER): such a
        // receipt is for nothing, like one for an alert that does not exist.
        let Ok(version) = i32::try_from(*version) else {
            continue;
        };
        sqlx::query(
            "INSERT INTO field_alert_receipts (alert_id, device_id, version, received_at) \
             SELECT id, $1, $2, $3 FROM field_alerts \
             WHERE id = $4 AND org_id = $5 AND published_version >= $2 \
             ON CONFLICT (alert_id, device_id) DO UPDATE SET version = excluded.version, \
               received_at = excluded.received_at \
             WHERE field_alert_receipts.version < excluded.version",
        )
        .bind(device_id)
        .bind(i64::from(version))
        .bind(&now)
        .bind(alert)
        .bind(org_id)
        .execute(&mut *tx)
        .await?;
    }
    for alert in &receipts.passed_on {
        sqlx::query(
            "UPDATE field_alert_receipts SET passed_on_at = COALESCE(passed_on_at, $1) \
             WHERE alert_id = $2 AND device_id = $3",
        )
        .bind(&now)
        .bind(alert)
        .bind(device_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Whether `org_id` asks a second person to approve each alert.
pub async fn two_person(db: &Db, org_id: i64) -> Result<bool, DbError> {
    let flag: i64 = sqlx::query_scalar("SELECT alerts_two_person FROM orgs WHERE id = $1")
        .bind(org_id)
        .fetch_one(db)
        .await?;
    Ok(flag != 0)
}
