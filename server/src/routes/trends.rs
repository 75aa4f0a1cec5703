//! `GET /api/v1/trends`: the organization's totals, suppressed below its threshold.

use crate::AppState;
use crate::auth::Reader;
use crate::db::buckets;
use crate::db::orgs::Org;
use crate::error::ApiError;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use chrono::{Days, NaiveDate, Utc};
use futures_util::Stream;
use peerpulse_core::aberration::{HISTORY_DAYS, rising};
use peerpulse_core::codebook::CodeList;
use peerpulse_core::privacy::suppression::{
    SiteCount, as_currently_coded, over_all_sites, suppress_trends, without_rare_free_tags,
};
use peerpulse_core::protocol::{AlertsQuery, AlertsResponse, TrendsQuery, TrendsResponse};
use std::convert::Infallible;
use tokio::sync::broadcast::error::RecvError;

/// The caller's organization's trends (a phone's or a signed-in person's) for a period, at one
/// site or all of them, in one dimension or all of them.
pub async fn trends(
    State(state): State<AppState>,
    reader: Reader,
    query: Result<Query<TrendsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<TrendsResponse>, ApiError> {
    let Query(query) = query?;
    let (from, to) = query
        .period(Utc::now().date_naive())
        .map_err(|e| ApiError::InvalidQuery(e.to_string()))?;
    let org = super::org_of(&state, reader.org_id).await?;
    if let Some(site) = &query.site
        && !org.codebook.knows(CodeList::Site, site)
    {
        return Err(ApiError::InvalidQuery(format!(
            "site {site:?} is not in the codebook: use one of its site codes"
        )));
    }
    // Suppression decides each day from every site and dimension of it, so views of one site
    // or one dimension can never be set against each other to recover a hidden count.
    let counts = coded_counts(&state, &org, from, to).await?;
    let mut rows =
        without_rare_free_tags(suppress_trends(org.threshold, &counts, query.site.as_ref()));
    if let Some(dimension) = query.dimension {
        rows.retain(|row| row.measure.dimension() == dimension);
    }
    Ok(Json(TrendsResponse {
        org_name: org.name,
        suppression_threshold: org.threshold.get(),
        from,
        to,
        site: query.site,
        rows,
    }))
}

/// The organization's counts from `from` to `to` as its codebook codes them now, so merges and
/// promotions apply to the past too.
async fn coded_counts(
    state: &AppState,
    org: &Org,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<SiteCount>, ApiError> {
    let counts = buckets::site_counts(&state.db, org.id, from, to).await?;
    Ok(as_currently_coded(counts, &org.codebook))
}

/// `GET /api/v1/alerts`: what rose on each day of a period (by default today), and the free
/// tags new in it.
pub async fn alerts(
    State(state): State<AppState>,
    reader: Reader,
    query: Result<Query<AlertsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AlertsResponse>, ApiError> {
    let Query(query) = query?;
    let (from, to, new_since) = query
        .period(Utc::now().date_naive())
        .map_err(|e| ApiError::InvalidQuery(e.to_string()))?;
    let org = super::org_of(&state, reader.org_id).await?;
    let history_from = from - Days::new(HISTORY_DAYS as u64 - 1);
    let totals = over_all_sites(&coded_counts(&state, &org, history_from, to).await?);
    let alerts = to
        .iter_days()
        .rev()
        .take_while(|day| *day >= from)
        .flat_map(|day| rising(&totals, day, org.threshold))
        .collect();
    // A tag already promoted into a need is no longer new: it is counted as that need.
    let new_free_tags =
        buckets::new_free_tags(&state.db, org.id, new_since, to, org.threshold.get())
            .await?
            .into_iter()
            .filter(|t| !org.codebook.knows(CodeList::Need, &t.tag))
            .collect();
    Ok(Json(AlertsResponse {
        from,
        to,
        alerts,
        new_free_tags,
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
