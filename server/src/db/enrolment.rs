//! One-time enrolment codes.

use super::{Db, DbError, now, timestamp};
use crate::secrets::{self, CodeKey};
use chrono::{Duration, Utc};
use peerpulse_core::enrolment::EnrolmentCode;

/// How long a new code stays valid.
pub const CODE_TTL: Duration = Duration::days(7);

/// Creates a code for `org_id` valid for `ttl` and returns it; only its HMAC under `key` is
/// stored.
pub async fn create_code(
    db: &Db,
    key: &CodeKey,
    org_id: i64,
    ttl: Duration,
) -> Result<EnrolmentCode, DbError> {
    let code = secrets::new_enrolment_code()?;
    sqlx::query(
        "INSERT INTO enrolment_codes (code_hash, keyed, org_id, created_at, expires_at) \
         VALUES ($1, 1, $2, $3, $4)",
    )
    .bind(key.seal(&code))
    .bind(org_id)
    .bind(now())
    .bind(timestamp(Utc::now() + ttl))
    .execute(db)
    .await?;
    Ok(code)
}
