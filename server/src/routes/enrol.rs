//! `POST /api/v1/enrol`: a one-time code becomes a device token.

use super::ApiJson;
use crate::AppState;
use crate::attempts::client_key;
use crate::connections::ClientAddress;
use crate::db::devices;
use crate::error::ApiError;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use peerpulse_core::protocol::{EnrolRequest, EnrolResponse};
use std::time::Instant;

/// Enrols the calling phone. Failed codes are counted per address: after a few, each
/// further try from there waits twice as long (see [`crate::attempts`]).
pub async fn enrol(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(request): ApiJson<EnrolRequest>,
) -> Result<(StatusCode, Json<EnrolResponse>), ApiError> {
    let key = format!("enrol:{}", client_key(address));
    let now = Instant::now();
    if let Some(wait) = state.failed_attempts.wait(&key, now) {
        tracing::warn!(target: "security", %address, "enrolment refused: too many failed codes");
        return Err(ApiError::TooManyAttempts(wait));
    }
    let Some(enrolled) = devices::enrol(
        &state.db,
        &state.code_key,
        &request.code,
        request.installation_id.as_ref(),
    )
    .await?
    else {
        state.failed_attempts.failed(&key, now);
        tracing::warn!(target: "security", %address, "enrolment with an unknown, used or expired code");
        return Err(ApiError::EnrolmentCodeInvalid);
    };
    state.failed_attempts.succeeded(&key);
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
