//! The organization's phones: enrolment codes, the list, names and revocation.

use super::ApiJson;
use super::audit;
use crate::AppState;
use crate::auth::require;
use crate::connections::ClientAddress;
use crate::db::people::Person;
use crate::db::{devices, enrolment};
use crate::error::ApiError;
use crate::messages::Message;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use peerpulse_core::audit::AuditEvent;
use peerpulse_core::org_api::{DeviceSummary, DeviceUpdate, EnrolmentCodeIssued};
use peerpulse_core::people::Permission;
use qrcode::QrCode;
use qrcode::render::svg;

/// `POST /api/v1/enrolment-codes`: a one-time code for a phone, with a QR code of its link.
pub async fn issue_enrolment_code(
    State(state): State<AppState>,
    person: Person,
    address: ClientAddress,
) -> Result<(StatusCode, Json<EnrolmentCodeIssued>), ApiError> {
    require(&person, Permission::EnrolPhones)?;
    let code = enrolment::create_code(
        &state.db,
        &state.code_key,
        person.org_id,
        enrolment::CODE_TTL,
    )
    .await?;
    let enrol_url = format!("{}/enrol#{code}", state.public_url);
    let qr_svg = QrCode::new(enrol_url.as_bytes())
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    let expires_at = crate::db::timestamp(chrono::Utc::now() + enrolment::CODE_TTL);
    // The code itself is a secret until used: the entry says only that one was issued.
    audit::note(&state, &person, address, AuditEvent::EnrolmentCodeIssued).await?;
    Ok((
        StatusCode::CREATED,
        Json(EnrolmentCodeIssued {
            code,
            expires_at,
            enrol_url,
            qr_svg,
        }),
    ))
}

/// `GET /api/v1/devices`: the organization's phones.
pub async fn list_devices(
    State(state): State<AppState>,
    person: Person,
) -> Result<Json<Vec<DeviceSummary>>, ApiError> {
    require(&person, Permission::EnrolPhones)?;
    Ok(Json(devices::list(&state.db, person.org_id).await?))
}

/// `POST /api/v1/devices/{id}/revoke`: stops a phone of the organization from syncing.
pub async fn revoke_device(
    State(state): State<AppState>,
    person: Person,
    address: ClientAddress,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    require(&person, Permission::RevokePhones)?;
    if devices::revoke(&state.db, person.org_id, &id).await? {
        state.access_ended_in(person.org_id);
        tracing::warn!(target: "security", by = %person.username, device = %id, "phone revoked");
        audit::note(
            &state,
            &person,
            address,
            AuditEvent::PhoneRevoked { phone: id },
        )
        .await?;
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

/// `PATCH /api/v1/devices/{id}`: a manager names a phone (an alias or a team, checked by the
/// free-text guard), or takes its name away.
pub async fn update_device(
    State(state): State<AppState>,
    person: Person,
    Path(id): Path<String>,
    ApiJson(update): ApiJson<DeviceUpdate>,
) -> Result<Json<DeviceSummary>, ApiError> {
    require(&person, Permission::EnrolPhones)?;
    if !devices::set_label(&state.db, person.org_id, &id, update.label.as_ref()).await? {
        return Err(ApiError::NoSuchRecord(Message::NoSuchPhone));
    }
    let named = devices::summary(&state.db, person.org_id, &id)
        .await?
        .ok_or(ApiError::NoSuchRecord(Message::NoSuchPhone))?;
    Ok(Json(named))
}
