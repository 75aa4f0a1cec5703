//! `POST /api/v1/enrol`: a one-time code becomes a device token.

use super::ApiJson;
use crate::AppState;
use crate::db::devices;
use crate::error::ApiError;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use peerpulse_core::protocol::{EnrolRequest, EnrolResponse};

/// Enrols the calling phone.
pub async fn enrol(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<EnrolRequest>,
) -> Result<(StatusCode, Json<EnrolResponse>), ApiError> {
    let enrolled = devices::enrol(&state.db, &request.code)
        .await?
        .ok_or(ApiError::EnrolmentCodeInvalid)?;
    let org = super::org_of(&state, enrolled.org_id).await?;
    tracing::info!(device = %enrolled.device_id, org = org.id, "device enrolled");
    Ok((
        StatusCode::CREATED,
        Json(EnrolResponse {
            device_id: enrolled.device_id,
            token: enrolled.token,
            org_name: org.name,
        }),
    ))
}
