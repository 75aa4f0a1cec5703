//! Program indicators and their reports: `GET`/`PUT /api/v1/indicators`,
//! `GET /api/v1/reports`, the DHIS2 export `GET /api/v1/reports/dhis2` and the send to DHIS2
//! `POST /api/v1/reports/dhis2/send`. Every value is published by the disclosure rule; what it
//! does not show is neither shown nor exported.

use super::{ApiJson, audit};
use crate::AppState;
use crate::auth::require;
use crate::connections::ClientAddress;
use crate::db::indicators::{self, SetError};
use crate::db::people::Person;
use crate::dhis2_send::{Sender, send_report};
use crate::error::ApiError;
use crate::indicator_report::{ReportError, report_of};
use crate::messages::Message;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use peerpulse_core::audit::AuditEvent;
use peerpulse_core::indicator::{self, Report};
use peerpulse_core::indicator_change::IndicatorChange;
use peerpulse_core::org_api::{
    Dhis2Format, Dhis2SendRequest, Dhis2SendResponse, IndicatorBook, IndicatorsResponse,
    IndicatorsUpdate, ReportQuery,
};
use peerpulse_core::people::Permission;
use peerpulse_core::period::{Granularity, Period};
use peerpulse_core::protocol::TrendsQuery;
use peerpulse_core::{dhis2, dhis2_export};

/// `GET /api/v1/indicators`: the organization's indicators, and the starter set.
pub async fn list(
    State(state): State<AppState>,
    person: Person,
) -> Result<Json<IndicatorsResponse>, ApiError> {
    require(&person, Permission::ReadTrends)?;
    let org = super::org_of(&state, person.org_id).await?;
    Ok(Json(IndicatorsResponse {
        book: indicators::get(&state.db, org.id).await?,
        starter: indicator::starter_set(&org.codebook),
    }))
}

/// `PUT /api/v1/indicators`: the whole book as a manager edited it on `base_version`. The
/// audit log records who changed which indicators (by name: nothing else a manager typed).
pub async fn replace(
    State(state): State<AppState>,
    person: Person,
    address: ClientAddress,
    ApiJson(update): ApiJson<IndicatorsUpdate>,
) -> Result<Json<IndicatorBook>, ApiError> {
    require(&person, Permission::EditCodebook)?;
    let org = super::org_of(&state, person.org_id).await?;
    indicator::check_all(&update.indicators, &org.codebook)
        .map_err(|e| ApiError::Unprocessable(Message::IndicatorsRefused(e)))?;
    let book = IndicatorBook {
        version: update.base_version,
        indicators: update.indicators,
        dhis2: update.dhis2,
    };
    let replaced = indicators::set(&state.db, org.id, update.base_version, book)
        .await
        .map_err(|e| match e {
            SetError::Changed { now } => ApiError::Conflict(Message::IndicatorsChanged { now }),
            SetError::NoOrg => ApiError::Internal("an organization vanished".into()),
            SetError::Db(e) => e.into(),
        })?;
    let change = IndicatorChange::between(&replaced.previous, &replaced.stored);
    audit::note(
        &state,
        &person,
        address,
        AuditEvent::IndicatorsChanged { change },
    )
    .await?;
    Ok(Json(replaced.stored))
}

/// The report of the organization's indicators for the query's period (a week, a month or a
/// quarter: reports compare calendar periods, as every published count does).
async fn report_for(
    state: &AppState,
    person: &Person,
    query: &ReportQuery,
) -> Result<(Report, dhis2::Dhis2Settings), ApiError> {
    let today = Utc::now().date_naive();
    let period = TrendsQuery {
        period: Some(
            query
                .period
                .unwrap_or_else(|| Period::containing(Granularity::Month, today)),
        ),
        ..TrendsQuery::default()
    }
    .period(today)
    .map_err(|e| ApiError::InvalidQuery(Message::PeriodRefused(e)))?;
    let org = super::org_of(state, person.org_id).await?;
    report_of(&state.db, &org, period)
        .await
        .map_err(|e| match e {
            ReportError::NotAReportPeriod => ApiError::InvalidQuery(Message::NotAReportPeriod),
            ReportError::Db(e) => e.into(),
        })
}

/// `GET /api/v1/reports`: every indicator for a period, by site and in total, with the period
/// before and the change.
pub async fn report(
    State(state): State<AppState>,
    person: Person,
    query: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Report>, ApiError> {
    require(&person, Permission::ReadTrends)?;
    let Query(query) = query?;
    Ok(Json(report_for(&state, &person, &query).await?.0))
}

/// `GET /api/v1/reports/dhis2`: the report's published, mapped values as a DHIS2
/// `dataValueSets` document or as ADX (managers and admins).
pub async fn dhis2_export(
    State(state): State<AppState>,
    person: Person,
    query: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    require(&person, Permission::EditCodebook)?;
    let Query(query) = query?;
    let (report, settings) = report_for(&state, &person, &query).await?;
    Ok(match query.format.unwrap_or(Dhis2Format::Json) {
        Dhis2Format::Json => Json(dhis2_export::data_value_set(&report, &settings)).into_response(),
        Dhis2Format::Adx => (
            [(CONTENT_TYPE, "application/adx+xml; charset=utf-8")],
            dhis2_export::adx(&report, &settings),
        )
            .into_response(),
    })
}

/// `POST /api/v1/reports/dhis2/send`: sends the period's report to the service's DHIS2
/// server (managers and admins), a dry run first; answers what DHIS2 counted.
pub async fn send_to_dhis2(
    State(state): State<AppState>,
    person: Person,
    address: ClientAddress,
    ApiJson(request): ApiJson<Dhis2SendRequest>,
) -> Result<Json<Dhis2SendResponse>, ApiError> {
    require(&person, Permission::EditCodebook)?;
    let server = state.dhis2.clone().ok_or(ApiError::Dhis2NotSetUp)?;
    let org = super::org_of(&state, person.org_id).await?;
    let address = address.0.to_string();
    let sender = Sender {
        who: person.username.as_str(),
        address: Some(&address),
    };
    Ok(Json(
        send_report(
            &state.db,
            &server,
            &org,
            request.period,
            request.dry_run,
            sender,
        )
        .await?,
    ))
}
