//! Capture oversight ("did you write it down"): each phone's weekly captures as managers
//! see them, and a phone's own row.

use crate::AppState;
use crate::auth::{Device, require};
use crate::db::people::Person;
use crate::db::{buckets, devices};
use crate::error::ApiError;
use crate::messages::Message;
use axum::Json;
use axum::extract::State;
use peerpulse_core::oversight::OversightResponse;
use peerpulse_core::people::Permission;
use peerpulse_core::privacy::DisclosureRule;

/// `GET /api/v1/oversight`: encounters each phone captured per week over eight weeks, under
/// the disclosure rule, and the phones that went quiet (managers and admins).
pub async fn oversight(
    State(state): State<AppState>,
    person: Person,
) -> Result<Json<OversightResponse>, ApiError> {
    require(&person, Permission::EnrolPhones)?;
    let org = super::org_of(&state, person.org_id).await?;
    let today = chrono::Utc::now().date_naive();
    let since = today - chrono::Days::new(7 * u64::from(OVERSIGHT_WEEKS));
    let totals = buckets::encounters_per_device(&state.db, person.org_id, since).await?;
    let phones = devices::list(&state.db, person.org_id).await?;
    Ok(Json(peerpulse_core::oversight::oversight(
        DisclosureRule::new(org.threshold),
        &totals,
        &phones,
        today,
        OVERSIGHT_WEEKS,
        chrono::Utc::now(),
        org.closed_through,
    )))
}

/// `GET /api/v1/oversight/mine`: a phone's own row of the oversight grid, exactly as its
/// managers see it, so a worker sees what is said about their phone (support, not
/// surveillance).
pub async fn my_oversight(
    State(state): State<AppState>,
    device: Device,
) -> Result<Json<OversightResponse>, ApiError> {
    let org = super::org_of(&state, device.org_id).await?;
    let today = chrono::Utc::now().date_naive();
    let since = today - chrono::Days::new(7 * u64::from(OVERSIGHT_WEEKS));
    let mut totals = buckets::encounters_per_device(&state.db, device.org_id, since).await?;
    totals.retain(|(id, _, _)| *id == device.id);
    let me = devices::summary(&state.db, device.org_id, &device.id)
        .await?
        .ok_or(ApiError::Unauthorized(Message::DeviceTokenUnknown))?;
    Ok(Json(peerpulse_core::oversight::oversight(
        DisclosureRule::new(org.threshold),
        &totals,
        &[me],
        today,
        OVERSIGHT_WEEKS,
        chrono::Utc::now(),
        org.closed_through,
    )))
}

/// ISO weeks the oversight grid covers, this one included.
pub(super) const OVERSIGHT_WEEKS: u32 = 8;
