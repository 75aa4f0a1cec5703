//! `GET /api/v1/audit`: the organization's audit log for its admins, and
//! `POST /api/v1/audit/export`: the org app records an export it made in the browser.

use super::ApiJson;
use crate::AppState;
use crate::auth::require;
use crate::connections::ClientAddress;
use crate::db::audit;
use crate::db::people::Person;
use crate::error::ApiError;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use peerpulse_core::audit::AuditEvent;
use peerpulse_core::org_api::{AuditPage, AuditQuery, ExportRecord};
use peerpulse_core::people::Permission;

/// Records that `person` did `event` from `address`.
pub(super) async fn note(
    state: &AppState,
    person: &Person,
    address: ClientAddress,
    event: AuditEvent,
) -> Result<(), ApiError> {
    audit::record(
        &state.db,
        person.org_id,
        person.username.as_str(),
        Some(&address.0.to_string()),
        &event,
    )
    .await?;
    Ok(())
}

/// `GET /api/v1/audit`: a page of the log, newest first (admins).
pub async fn list(
    State(state): State<AppState>,
    person: Person,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AuditPage>, ApiError> {
    require(&person, Permission::ReadAuditLog)?;
    let Query(query) = query?;
    let limit = query.limit.unwrap_or(audit::PAGE);
    Ok(Json(
        audit::page(&state.db, person.org_id, query.before, limit).await?,
    ))
}

/// `POST /api/v1/audit/export`: the caller exported what the body says (anyone who reads
/// trends may).
pub async fn record_export(
    State(state): State<AppState>,
    person: Person,
    address: ClientAddress,
    ApiJson(record): ApiJson<ExportRecord>,
) -> Result<StatusCode, ApiError> {
    require(&person, Permission::ReadTrends)?;
    // Each record is a row of the log: a person records at most as many as a phone may sync
    // (a script of one viewer wrote 280 a second, burying the log and filling the disk).
    state
        .rate_limit
        .take(
            &format!("audit-export:{}", person.user_id),
            std::time::Instant::now(),
        )
        .map_err(ApiError::TooManyRequests)?;
    note(
        &state,
        &person,
        address,
        AuditEvent::Exported { what: record.what },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
