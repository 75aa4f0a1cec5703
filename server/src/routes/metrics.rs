//! `GET /metrics` for Prometheus, behind a bearer token the operator sets
//! (`--metrics-token`); without one set the endpoint does not exist (404). And the layer that
//! counts every request by its route template.

use crate::AppState;
use crate::error::ApiError;
use crate::messages::Message;
use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

/// Where Prometheus scrapes.
pub const METRICS_PATH: &str = "/metrics";

/// The label of requests no route claimed (the PWA's files, unknown paths): raw paths would
/// let anyone grow the label set without bound.
const UNMATCHED: &str = "unmatched";

/// `GET /metrics`: every metric in Prometheus' text format, to a scraper that sends
/// `Authorization: Bearer <metrics token>`.
pub async fn scrape(
    State(state): State<AppState>,
    request: axum::http::request::Parts,
) -> Result<Response, ApiError> {
    let expected = state.metrics_token.as_deref().ok_or(ApiError::NotFound)?;
    let sent = request
        .headers
        .get(AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("Bearer"))
        .map(|(_, token)| token.trim())
        .unwrap_or_default();
    if !bool::from(sent.as_bytes().ct_eq(expected.as_bytes())) {
        return Err(ApiError::Unauthorized(Message::MetricsTokenWrong));
    }
    let metrics = &state.metrics;
    metrics.db_connections.set(i64::from(state.db.size()));
    metrics
        .db_idle
        .set(i64::try_from(state.db.num_idle()).unwrap_or(i64::MAX));
    Ok((
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        metrics.render(),
    )
        .into_response())
}

/// Counts each request by the route that matched it (its template, such as
/// `/api/v1/users/{username}`), its method and the status answered.
pub async fn count_request(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
        .to_owned();
    // Only the standard methods are labels of their own: any other word would be a new series.
    let method = match *request.method() {
        Method::GET
        | Method::POST
        | Method::PUT
        | Method::PATCH
        | Method::DELETE
        | Method::HEAD
        | Method::OPTIONS => request.method().as_str().to_owned(),
        _ => "other".to_owned(),
    };
    let response = next.run(request).await;
    state
        .metrics
        .requests
        .with_label_values(&[route.as_str(), &method, response.status().as_str()])
        .inc();
    response
}
