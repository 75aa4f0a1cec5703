//! Enrolled devices.

use super::{Db, DbError, now};
use crate::secrets::{self, CodeKey};
use peerpulse_core::enrolment::EnrolmentCode;
pub use peerpulse_core::org_api::DeviceSummary;
use peerpulse_core::phone_label::PhoneLabel;
use peerpulse_core::protocol::InstallationId;

/// An enrolled, not revoked device: every query it makes is scoped to its organization.
/// (Requests prove they are one in `auth`.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    /// The device's public id.
    pub id: String,
    /// The organization it belongs to.
    pub org_id: i64,
}

/// A newly enrolled device's credentials.
#[derive(Debug)]
pub struct Enrolled {
    /// Public id.
    pub device_id: String,
    /// The token, shown once; only its hash is stored.
    pub token: String,
    /// The organization.
    pub org_id: i64,
}

/// Uses up `code` and enrols a device in its organization, atomically: a code works once.
/// `None` when the code is unknown, used or expired. Codes are found by their HMAC under
/// `key`, or by the plain hash codes issued before had.
///
/// With an `installation`, enrolment survives a lost answer: the same installation asking
/// again with the same code, while the code lives, gets the same device and token back. Any
/// other installation presenting a used code is refused, as before.
pub async fn enrol(
    db: &Db,
    key: &CodeKey,
    code: &EnrolmentCode,
    installation: Option<&InstallationId>,
) -> Result<Option<Enrolled>, DbError> {
    let now = now();
    let (keyed, plain) = (key.seal(code), secrets::hash(code.canonical()));
    let installation_hash = installation.map(|i| secrets::hash(i.as_str()));
    let mut tx = db.begin().await?;
    let used: Option<(i64, String)> = sqlx::query_as(
        "UPDATE enrolment_codes SET used_at = $1 \
         WHERE ((code_hash = $2 AND keyed = 1) OR (code_hash = $3 AND keyed = 0)) \
           AND used_at IS NULL AND expires_at > $1 RETURNING org_id, code_hash",
    )
    .bind(&now)
    .bind(&keyed)
    .bind(&plain)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((org_id, code_hash)) = used else {
        let (Some(installation), Some(installation_hash)) = (installation, installation_hash)
        else {
            return Ok(None);
        };
        let earlier: Option<(String, i64)> = sqlx::query_as(
            "SELECT devices.id, devices.org_id FROM devices \
             JOIN enrolment_codes ON enrolment_codes.code_hash = devices.code_hash \
             WHERE devices.installation_hash = $1 AND devices.revoked_at IS NULL \
               AND enrolment_codes.expires_at > $2 \
               AND ((enrolment_codes.code_hash = $3 AND enrolment_codes.keyed = 1) \
                 OR (enrolment_codes.code_hash = $4 AND enrolment_codes.keyed = 0))",
        )
        .bind(&installation_hash)
        .bind(&now)
        .bind(&keyed)
        .bind(&plain)
        .fetch_optional(&mut *tx)
        .await?;
        return Ok(earlier.map(|(device_id, org_id)| Enrolled {
            token: key.device_token(&device_id, installation),
            device_id,
            org_id,
        }));
    };
    let device_id = secrets::new_device_id()?;
    let token = match installation {
        Some(installation) => key.device_token(&device_id, installation),
        None => secrets::new_token()?,
    };
    sqlx::query(
        "INSERT INTO devices (id, org_id, token_hash, enrolled_at, code_hash, installation_hash) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&device_id)
    .bind(org_id)
    .bind(secrets::hash(&token))
    .bind(&now)
    .bind(code_hash)
    .bind(installation_hash)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(Enrolled {
        device_id,
        token,
        org_id,
    }))
}

/// The active device holding the token with this hash.
pub async fn by_token_hash(db: &Db, token_hash: &str) -> Result<Option<Device>, DbError> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT id, org_id FROM devices WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(id, org_id)| Device { id, org_id }))
}

/// Revokes a device of `org_id`: its token stops working, its past counts stay in the totals.
/// Returns whether an active device was revoked.
pub async fn revoke(db: &Db, org_id: i64, device_id: &str) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE devices SET revoked_at = $1 WHERE id = $2 AND org_id = $3 AND revoked_at IS NULL",
    )
    .bind(now())
    .bind(device_id)
    .bind(org_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A device as stored.
#[derive(sqlx::FromRow)]
struct DeviceRow {
    id: String,
    label: Option<String>,
    enrolled_at: String,
    last_sync_at: Option<String>,
    revoked_at: Option<String>,
}

impl DeviceRow {
    fn summary(self) -> DeviceSummary {
        DeviceSummary {
            // A label stored before the guard learned something is shown no more, never sent.
            label: self.label.and_then(|l| {
                PhoneLabel::new(&l)
                    .inspect_err(|e| tracing::warn!(device = %self.id, "a stored phone label is refused now: {e}"))
                    .ok()
            }),
            id: self.id,
            enrolled_at: self.enrolled_at,
            last_sync_at: self.last_sync_at,
            revoked_at: self.revoked_at,
        }
    }
}

/// Every device of `org_id`, oldest first.
pub async fn list(db: &Db, org_id: i64) -> Result<Vec<DeviceSummary>, DbError> {
    let rows: Vec<DeviceRow> = sqlx::query_as(
        "SELECT id, label, enrolled_at, last_sync_at, revoked_at FROM devices \
         WHERE org_id = $1 ORDER BY enrolled_at, id",
    )
    .bind(org_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(DeviceRow::summary).collect())
}

/// Device `device_id` of `org_id`, if it is one.
pub async fn summary(
    db: &Db,
    org_id: i64,
    device_id: &str,
) -> Result<Option<DeviceSummary>, DbError> {
    let row: Option<DeviceRow> = sqlx::query_as(
        "SELECT id, label, enrolled_at, last_sync_at, revoked_at FROM devices \
         WHERE org_id = $1 AND id = $2",
    )
    .bind(org_id)
    .bind(device_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(DeviceRow::summary))
}

/// Names device `device_id` of `org_id` (or, with `None`, takes its name away). Returns
/// whether the organization has that device.
pub async fn set_label(
    db: &Db,
    org_id: i64,
    device_id: &str,
    label: Option<&PhoneLabel>,
) -> Result<bool, DbError> {
    let done = sqlx::query("UPDATE devices SET label = $1 WHERE id = $2 AND org_id = $3")
        .bind(label.map(PhoneLabel::as_str))
        .bind(device_id)
        .bind(org_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}
