//! `GET /api/v1/settings`: an organization's settings, for anyone signed in to it;
//! `PUT /api/v1/settings`: how long each phone's own counts are kept (admins).

use super::{ApiJson, audit};
use crate::AppState;
use crate::auth::require;
use crate::connections::ClientAddress;
use crate::db::people::Person;
use crate::db::{orgs, retention};
use crate::error::ApiError;
use axum::Json;
use axum::extract::State;
use peerpulse_core::audit::AuditEvent;
use peerpulse_core::org_api::{OrgSettings, RetentionUpdate};
use peerpulse_core::people::Permission;

/// The settings of `org`, as the API shows them.
fn shown(org: orgs::Org) -> OrgSettings {
    OrgSettings {
        threshold: org.threshold.get(),
        edit_window_days: org.edit_window.days(),
        keep_phone_rows_months: org.keep_phone_rows,
        closed_through: org.closed_through,
    }
}

/// `GET /api/v1/settings`.
pub async fn settings(
    State(state): State<AppState>,
    person: Person,
) -> Result<Json<OrgSettings>, ApiError> {
    Ok(Json(shown(super::org_of(&state, person.org_id).await?)))
}

/// `PUT /api/v1/settings`: sets how long per-phone counts are kept; the next fold (hourly,
/// or `peerpulse-server fold`) applies it. The audit log records the new setting.
pub async fn set_retention(
    State(state): State<AppState>,
    person: Person,
    address: ClientAddress,
    ApiJson(update): ApiJson<RetentionUpdate>,
) -> Result<Json<OrgSettings>, ApiError> {
    require(&person, Permission::ChangeSettings)?;
    let keep = update.keep_phone_rows_months;
    retention::set_keep_phone_rows(&state.db, person.org_id, keep).await?;
    audit::note(
        &state,
        &person,
        address,
        AuditEvent::RetentionChanged {
            keep_phone_rows_months: keep,
        },
    )
    .await?;
    Ok(Json(shown(super::org_of(&state, person.org_id).await?)))
}
