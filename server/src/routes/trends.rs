//! `GET /api/v1/trends` and `GET /api/v1/alerts`: the organization's counts as the disclosure
//! rule publishes them (see `peerpulse_core::privacy::disclosure`), and `GET /api/v1/events`.

use crate::AppState;
use crate::auth::{Reader, ReaderKind};
use crate::db::buckets;
use crate::db::orgs::Org;
use crate::error::ApiError;
use crate::event_streams;
use crate::messages::Message;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use chrono::{Days, NaiveDate, Utc};
use futures_util::Stream;
use peerpulse_core::aberration::{HISTORY_DAYS, WATCHED, rising};
use peerpulse_core::bucket::{Dimension, Measure};
use peerpulse_core::codebook::CodeList;
use peerpulse_core::period::{Granularity, Period};
use peerpulse_core::privacy::DisclosureRule;
use peerpulse_core::privacy::disclosure::{
    SiteCount, as_currently_coded, cells_of, only, publish_trends,
};
use peerpulse_core::protocol::{
    AlertsQuery, AlertsResponse, NewFreeTag, PeriodError, TrendsQuery, TrendsResponse,
};
use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;
use tokio::sync::broadcast::error::RecvError;

/// The caller's organization's published trends (a phone's or a signed-in person's) for a
/// period, at one site or all of them, in one dimension or all of them. A phone reads weeks,
/// months and quarters, split by week at the finest.
pub async fn trends(
    State(state): State<AppState>,
    reader: Reader,
    query: Result<Query<TrendsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<TrendsResponse>, ApiError> {
    let _timer = state.metrics.trends_seconds.start_timer();
    let Query(query) = query?;
    let period = query
        .period(Utc::now().date_naive())
        .map_err(|e| ApiError::InvalidQuery(Message::PeriodRefused(e)))?;
    let parts = match reader.kind {
        ReaderKind::Person => period.parts_granularity(),
        ReaderKind::Phone => match period.granularity() {
            Granularity::Day => {
                return Err(ApiError::InvalidQuery(Message::PeriodRefused(
                    PeriodError::TooFineForAPhone,
                )));
            }
            Granularity::Week => None,
            Granularity::Month | Granularity::Quarter => Some(Granularity::Week),
        },
    };
    let org = super::org_of(&state, reader.org_id).await?;
    if let Some(site) = &query.site
        && !org.codebook.knows(CodeList::Site, site)
    {
        return Err(ApiError::InvalidQuery(Message::QueryUnknownSite {
            site: site.to_string(),
        }));
    }
    // Parts may reach beyond the period (the weeks of a quarter): read them all.
    let (from, to) = span(period, parts);
    let counts = coded_counts(&state, &org, from, to).await?;
    // Which phones used which free tag is read only when free tags are asked for.
    let named = if query.dimension.is_none_or(|d| d == Dimension::FreeTag) {
        nameable_free_tags(&state, &org, period).await?
    } else {
        BTreeSet::new()
    };
    let rule = DisclosureRule::new(org.threshold);
    let mut published = publish_trends(rule, &counts, period, parts, query.site.as_ref(), &named);
    only(query.dimension, &mut published);
    // Parts that have not started hold nothing yet; left in, they would read as "fewer".
    let tomorrow = Utc::now().date_naive() + Days::new(1);
    published.parts.retain(|p| p.period.first_day() <= tomorrow);
    Ok(Json(TrendsResponse {
        org_name: org.name,
        threshold: org.threshold.get(),
        period,
        site: query.site,
        totals: published.totals,
        parts: published.parts,
    }))
}

/// The free tags that may be named in `period`: those at least two phones used in it.
async fn nameable_free_tags(
    state: &AppState,
    org: &Org,
    period: Period,
) -> Result<BTreeSet<peerpulse_core::codebook::Code>, ApiError> {
    Ok(buckets::free_tags_on_two_phones(
        &state.db,
        org.id,
        period.first_day(),
        period.last_day(),
        &org.codebook,
    )
    .await?)
}

/// The first and last day `period` and its parts cover.
fn span(period: Period, parts: Option<Granularity>) -> (NaiveDate, NaiveDate) {
    let last = parts
        .and_then(|g| period.parts(g).last().map(|p| p.last_day()))
        .map_or(period.last_day(), |l| l.max(period.last_day()));
    (period.first_day(), last)
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

/// Most days one alerts request tests.
const MAX_ALERT_DAYS: usize = 92;

/// `GET /api/v1/alerts`: what rose on each day of a period (by default today), and the free
/// tags first used in it, all as the disclosure rule publishes them.
pub async fn alerts(
    State(state): State<AppState>,
    reader: Reader,
    query: Result<Query<AlertsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AlertsResponse>, ApiError> {
    let Query(query) = query?;
    let today = Utc::now().date_naive();
    let period = query
        .period(today)
        .map_err(|e| ApiError::InvalidQuery(Message::PeriodRefused(e)))?;
    let org = super::org_of(&state, reader.org_id).await?;
    let rule = DisclosureRule::new(org.threshold);
    let last = period.last_day().min(today + Days::new(1));
    let history_from = period.first_day() - Days::new(HISTORY_DAYS as u64 - 1);
    let counts = coded_counts(&state, &org, history_from, last).await?;
    let mut totals: BTreeMap<(NaiveDate, Measure), _> = BTreeMap::new();
    for c in &counts {
        *totals.entry((c.day, c.measure.clone())).or_default() += c.cell;
    }
    let totals: Vec<_> = totals.into_iter().map(|((d, m), c)| (d, m, c)).collect();
    let first_tested = last
        .iter_days()
        .rev()
        .take_while(|day| *day >= period.first_day())
        .take(MAX_ALERT_DAYS)
        .last()
        .unwrap_or(last);
    let phones = buckets::phones_per_day(
        &state.db,
        org.id,
        &WATCHED,
        first_tested,
        last,
        &org.codebook,
    )
    .await?;
    let nobody = BTreeMap::new();
    let alerts = last
        .iter_days()
        .rev()
        .take_while(|day| *day >= first_tested)
        .flat_map(|day| rising(rule, &totals, day, phones.get(&day).unwrap_or(&nobody)))
        .collect();
    let named = nameable_free_tags(&state, &org, period).await?;
    let period_cells = cells_of(&counts, period, None);
    // A tag already promoted into a need is no longer new: it is counted as that need.
    let new_free_tags = buckets::free_tags_first_used(&state.db, org.id, period.last_day())
        .await?
        .into_iter()
        .filter(|(tag, first)| {
            period.contains(*first)
                && named.contains(tag)
                && !org.codebook.knows(CodeList::Need, tag)
        })
        .filter_map(|(tag, first_seen)| {
            let cell = period_cells.get(&Measure::FreeTag(tag.clone()))?;
            Some(NewFreeTag {
                count: rule.publish(*cell)?,
                tag,
                first_seen,
            })
        })
        .collect();
    Ok(Json(AlertsResponse {
        period,
        alerts,
        new_free_tags,
    }))
}

/// `GET /api/v1/events`: a server-sent event `changed` each time a phone of the caller's
/// organization syncs new counts, so an open dashboard reloads within moments. The event
/// carries nothing: what the dashboard reloads is published like any other read, and a cell
/// that changed has a new key, so a new noise. A phone or session holds a few streams at
/// most; each ends after a while (the page reconnects), and at once when the phone is
/// revoked or the session ends.
pub async fn events(
    State(state): State<AppState>,
    reader: Reader,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let slot = state
        .open_streams
        .admit(reader.credential.key())
        .ok_or(ApiError::TooManyStreams)?;
    let changed = || Event::default().event("changed").data("{}");
    let open = OpenStream {
        changes: state.changes.subscribe(),
        access_ended: state.access_ended.subscribe(),
        ends: tokio::time::Instant::now() + event_streams::LIFETIME,
        check: tokio::time::interval(event_streams::CHECK_EVERY),
        _counted: crate::metrics::Counted::new(&state.metrics.event_streams),
        reader,
        state,
        _slot: slot,
    };
    let stream = futures_util::stream::unfold(open, move |mut open| async move {
        loop {
            tokio::select! {
                change = open.changes.recv() => match change {
                    Ok(org) if org == open.reader.org_id => return Some((Ok(changed()), open)),
                    // Missed some: the dashboard reloads everything anyway.
                    Err(RecvError::Lagged(_)) => return Some((Ok(changed()), open)),
                    Ok(_) => {}
                    Err(RecvError::Closed) => return None,
                },
                ended = open.access_ended.recv() => match ended {
                    Ok(org) if org != open.reader.org_id => {}
                    Err(RecvError::Closed) => return None,
                    // This organization's, or missed some: check now.
                    Ok(_) | Err(RecvError::Lagged(_)) => {
                        if !open.reader.credential.still_valid(&open.state).await.unwrap_or(false) {
                            return None;
                        }
                    }
                },
                _ = open.check.tick() => {
                    if !open.reader.credential.still_valid(&open.state).await.unwrap_or(false) {
                        return None;
                    }
                }
                () = tokio::time::sleep_until(open.ends) => return None,
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// What an open event stream holds.
struct OpenStream {
    changes: tokio::sync::broadcast::Receiver<i64>,
    access_ended: tokio::sync::broadcast::Receiver<i64>,
    ends: tokio::time::Instant,
    check: tokio::time::Interval,
    reader: Reader,
    state: AppState,
    _slot: event_streams::StreamSlot,
    _counted: crate::metrics::Counted,
}
