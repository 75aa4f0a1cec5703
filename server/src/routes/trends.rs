//! `GET /api/v1/trends`: the organization's totals, suppressed below its threshold.

use crate::AppState;
use crate::auth::Reader;
use crate::db::buckets;
use crate::error::ApiError;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use chrono::{Days, Utc};
use futures_util::Stream;
use peerpulse_core::aberration::{HISTORY_DAYS, rising};
use peerpulse_core::privacy::suppression::suppress_trends;
use peerpulse_core::protocol::{AlertsResponse, TrendsResponse};
use serde::Deserialize;
use std::convert::Infallible;
use tokio::sync::broadcast::error::RecvError;

/// Days shown when the request does not say.
const DEFAULT_DAYS: u32 = 30;
/// Most days one request may ask for.
const MAX_DAYS: u32 = 400;

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrendsQuery {
    /// How many days back from today, today included.
    days: Option<u32>,
}

/// The caller's organization's trends (a phone's or a signed-in person's).
pub async fn trends(
    State(state): State<AppState>,
    reader: Reader,
    query: Result<Query<TrendsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<TrendsResponse>, ApiError> {
    let Query(query) = query?;
    let days = query.days.unwrap_or(DEFAULT_DAYS);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(ApiError::InvalidQuery(format!(
            "days must be between 1 and {MAX_DAYS}, got {days}"
        )));
    }
    let org = super::org_of(&state, reader.org_id).await?;
    let since = Utc::now().date_naive() - Days::new(u64::from(days - 1));
    let totals: Vec<_> = buckets::org_totals(&state.db, org.id, since)
        .await?
        .into_iter()
        .map(|total| (total.day, total.measure, total.count))
        .collect();
    let rows = suppress_trends(org.threshold, &totals);
    Ok(Json(TrendsResponse {
        org_name: org.name,
        suppression_threshold: org.threshold.get(),
        rows,
    }))
}

/// `GET /api/v1/alerts`: what is rising today, and free tags new this week.
pub async fn alerts(
    State(state): State<AppState>,
    reader: Reader,
) -> Result<Json<AlertsResponse>, ApiError> {
    let org = super::org_of(&state, reader.org_id).await?;
    let today = Utc::now().date_naive();
    let since = today - Days::new(HISTORY_DAYS as u64 - 1);
    let totals: Vec<_> = buckets::org_totals(&state.db, org.id, since)
        .await?
        .into_iter()
        .map(|total| (total.day, total.measure, total.count))
        .collect();
    Ok(Json(AlertsResponse {
        day: today,
        alerts: rising(&totals, today, org.threshold),
        new_free_tags: buckets::new_free_tags(&state.db, org.id, today - Days::new(6)).await?,
    }))
}

/// `GET /api/v1/events`: a server-sent event `changed` each time a phone of the caller's
/// organization syncs new counts, so an open dashboard reloads within moments.
pub async fn events(
    State(state): State<AppState>,
    reader: Reader,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let changes = state.changes.subscribe();
    let stream = futures_util::stream::unfold(changes, move |mut changes| async move {
        loop {
            match changes.recv().await {
                Ok(org) if org == reader.org_id => {
                    return Some((Ok(Event::default().event("changed").data("{}")), changes));
                }
                // Missed some: the dashboard reloads everything anyway.
                Err(RecvError::Lagged(_)) => {
                    return Some((Ok(Event::default().event("changed").data("{}")), changes));
                }
                Ok(_) => {}
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}
