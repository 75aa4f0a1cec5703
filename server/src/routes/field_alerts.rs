//! Field alerts: managers draft, approve (a second person, unless the organization allows
//! one), update and withdraw them; phones read the ones up now and say what they received and
//! passed on. Every text goes through the guard; every step is in the alert's history.

use super::ApiJson;
use crate::AppState;
use crate::auth::{Device, require};
use crate::db::field_alerts::{self, StepError};
use crate::db::people::Person;
use crate::error::ApiError;
use crate::messages::Message;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use peerpulse_core::field_alert::{AlertAction, AlertContent, PublishedAlert, kept};
use peerpulse_core::org_api::{AlertReceipts, FieldAlertSummary};
use peerpulse_core::people::Permission;

/// Refuses content the alert rules do not allow, in the author's words.
fn checked(content: &AlertContent) -> Result<(), ApiError> {
    content
        .check(Utc::now())
        .map_err(|e| ApiError::Unprocessable(Message::AlertRefused(e)))
}

/// `GET /api/v1/field-alerts`: every alert of the organization, newest first.
pub async fn list(
    State(state): State<AppState>,
    person: Person,
) -> Result<Json<Vec<FieldAlertSummary>>, ApiError> {
    require(&person, Permission::ReviewNotes)?;
    let org = super::org_of(&state, person.org_id).await?;
    Ok(Json(
        field_alerts::list(&state.db, org.id, org.threshold.get()).await?,
    ))
}

/// `POST /api/v1/field-alerts`: a new draft.
pub async fn draft(
    State(state): State<AppState>,
    person: Person,
    ApiJson(content): ApiJson<AlertContent>,
) -> Result<(StatusCode, Json<FieldAlertSummary>), ApiError> {
    require(&person, Permission::ReviewNotes)?;
    checked(&content)?;
    let org = super::org_of(&state, person.org_id).await?;
    unknown_sites(&org.codebook, &content)?;
    let id = field_alerts::draft(&state.db, org.id, person.username.as_str(), &content).await?;
    Ok((StatusCode::CREATED, Json(summary(&state, &org, id).await?)))
}

/// Refuses sites the codebook does not have.
fn unknown_sites(
    codebook: &peerpulse_core::codebook::Codebook,
    content: &AlertContent,
) -> Result<(), ApiError> {
    match content
        .sites
        .iter()
        .find(|s| !codebook.knows(peerpulse_core::codebook::CodeList::Site, s))
    {
        Some(site) => Err(ApiError::Unprocessable(Message::AlertUnknownSite {
            site: site.to_string(),
        })),
        None => Ok(()),
    }
}

async fn summary(
    state: &AppState,
    org: &crate::db::orgs::Org,
    id: i64,
) -> Result<FieldAlertSummary, ApiError> {
    field_alerts::list(&state.db, org.id, org.threshold.get())
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(ApiError::NoSuchRecord(Message::NoSuchAlert))
}

async fn step(
    state: &AppState,
    person: &Person,
    id: &str,
    action: AlertAction,
    content: Option<&AlertContent>,
) -> Result<Json<FieldAlertSummary>, ApiError> {
    require(person, Permission::ReviewNotes)?;
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::NoSuchRecord(Message::NoSuchAlert))?;
    let org = super::org_of(state, person.org_id).await?;
    if let Some(content) = content {
        checked(content)?;
        unknown_sites(&org.codebook, content)?;
    }
    let two_person = field_alerts::two_person(&state.db, org.id).await?;
    field_alerts::step(
        &state.db,
        org.id,
        id,
        action,
        person.username.as_str(),
        content,
        two_person,
    )
    .await
    .map_err(|e| match e {
        StepError::NoSuchAlert => ApiError::NoSuchRecord(Message::NoSuchAlert),
        StepError::Lifecycle(e) => ApiError::Conflict(Message::AlertStep(e)),
        StepError::Changed => ApiError::Conflict(Message::AlertChanged),
        StepError::Db(e) => e.into(),
    })?;
    if action == AlertAction::Withdraw || action == AlertAction::Approve {
        // Phones' live views and the dashboard reload.
        state.changed_in(org.id);
    }
    Ok(Json(summary(state, &org, id).await?))
}

/// `PUT /api/v1/field-alerts/{id}`: a new version, a draft again until approved.
pub async fn update(
    State(state): State<AppState>,
    person: Person,
    Path(id): Path<String>,
    ApiJson(content): ApiJson<AlertContent>,
) -> Result<Json<FieldAlertSummary>, ApiError> {
    step(&state, &person, &id, AlertAction::Update, Some(&content)).await
}

/// `POST /api/v1/field-alerts/{id}/approve`: publishes the draft.
pub async fn approve(
    State(state): State<AppState>,
    person: Person,
    Path(id): Path<String>,
) -> Result<Json<FieldAlertSummary>, ApiError> {
    step(&state, &person, &id, AlertAction::Approve, None).await
}

/// `POST /api/v1/field-alerts/{id}/withdraw`: takes it back from the phones.
pub async fn withdraw(
    State(state): State<AppState>,
    person: Person,
    Path(id): Path<String>,
) -> Result<Json<FieldAlertSummary>, ApiError> {
    step(&state, &person, &id, AlertAction::Withdraw, None).await
}

/// `GET /api/v1/field-alerts/current`: the alerts up now for the calling phone; a phone
/// keeps exactly these.
pub async fn current(
    State(state): State<AppState>,
    device: Device,
) -> Result<Json<Vec<PublishedAlert>>, ApiError> {
    let now = Utc::now();
    Ok(Json(kept(
        field_alerts::current(&state.db, device.org_id, now).await?,
        now,
    )))
}

/// `POST /api/v1/field-alerts/receipts`: what the calling phone holds and passed on.
pub async fn receipts(
    State(state): State<AppState>,
    device: Device,
    ApiJson(receipts): ApiJson<AlertReceipts>,
) -> Result<StatusCode, ApiError> {
    if receipts.received.len() > 500 || receipts.passed_on.len() > 500 {
        return Err(ApiError::Unprocessable(Message::TooManyReceipts {
            max: 500,
        }));
    }
    field_alerts::record_receipts(&state.db, device.org_id, &device.id, &receipts).await?;
    Ok(StatusCode::NO_CONTENT)
}
