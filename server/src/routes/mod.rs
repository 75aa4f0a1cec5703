//! The HTTP surface: the versioned API and the built PWA, on one port.

mod audit;
mod codebook;
mod content_policy;
mod devices;
mod enrol;
mod field_alerts;
mod health;
mod metrics;
mod notes;
mod oversight;
mod pwa;
mod reports;
mod sessions;
mod sync;
mod trends;
mod users;

use crate::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::extract::{FromRequest, Request};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::routing::{any, delete, get, post};
use peerpulse_core::field_notes::{NOTE_OF_ENTRY_PATH, NOTES_PATH};
use peerpulse_core::org_api::{
    AUDIT_EXPORT_PATH, AUDIT_PATH, CODEBOOK_PATH, CURRENT_FIELD_ALERTS_PATH, DEVICES_PATH,
    DHIS2_EXPORT_PATH, ENROLMENT_CODES_PATH, FIELD_ALERT_RECEIPTS_PATH, FIELD_ALERTS_PATH,
    INDICATORS_PATH, MY_OVERSIGHT_PATH, OVERSIGHT_PATH, PASSWORD_RESET_PATH, REPORTS_PATH,
    SESSION_PATH, USERS_PATH, WELCOME_PATH,
};
use peerpulse_core::protocol::{ALERTS_PATH, ENROL_PATH, EVENTS_PATH, SYNC_PATH, TRENDS_PATH};
use serde::de::DeserializeOwned;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use crate::BODY_LIMIT;

/// How long a client has to send a request's body.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// The whole app.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route(ENROL_PATH, post(enrol::enrol))
        .route(SYNC_PATH, post(sync::sync))
        .route(TRENDS_PATH, get(trends::trends))
        .route(ALERTS_PATH, get(trends::alerts))
        .route(EVENTS_PATH, get(trends::events))
        .route(WELCOME_PATH, post(sessions::welcome))
        .route(PASSWORD_RESET_PATH, post(sessions::reset_password))
        .route(
            SESSION_PATH,
            post(sessions::sign_in)
                .get(sessions::current)
                .delete(sessions::sign_out),
        )
        .route(USERS_PATH, get(users::list_users).post(users::create_user))
        .route(
            &format!("{USERS_PATH}/{{username}}"),
            axum::routing::patch(users::update_user),
        )
        .route(
            &format!("{USERS_PATH}/{{username}}/reset-link"),
            post(users::issue_reset_link),
        )
        .route(ENROLMENT_CODES_PATH, post(devices::issue_enrolment_code))
        .route(DEVICES_PATH, get(devices::list_devices))
        .route(
            &format!("{DEVICES_PATH}/{{id}}"),
            axum::routing::patch(devices::update_device),
        )
        .route(OVERSIGHT_PATH, get(oversight::oversight))
        .route(INDICATORS_PATH, get(reports::list).put(reports::replace))
        .route(REPORTS_PATH, get(reports::report))
        .route(
            FIELD_ALERTS_PATH,
            get(field_alerts::list).post(field_alerts::draft),
        )
        .route(CURRENT_FIELD_ALERTS_PATH, get(field_alerts::current))
        .route(FIELD_ALERT_RECEIPTS_PATH, post(field_alerts::receipts))
        .route(
            &format!("{FIELD_ALERTS_PATH}/{{id}}"),
            axum::routing::put(field_alerts::update),
        )
        .route(
            &format!("{FIELD_ALERTS_PATH}/{{id}}/approve"),
            post(field_alerts::approve),
        )
        .route(
            &format!("{FIELD_ALERTS_PATH}/{{id}}/withdraw"),
            post(field_alerts::withdraw),
        )
        .route(DHIS2_EXPORT_PATH, get(reports::dhis2_export))
        .route(MY_OVERSIGHT_PATH, get(oversight::my_oversight))
        .route(
            CODEBOOK_PATH,
            get(codebook::codebook).post(codebook::edit_codebook),
        )
        .route(NOTES_PATH, get(notes::list).post(notes::offer))
        .route(AUDIT_PATH, get(audit::list))
        .route(AUDIT_EXPORT_PATH, post(audit::record_export))
        .route(&format!("{NOTES_PATH}/{{id}}/review"), post(notes::review))
        .route(
            &format!("{NOTE_OF_ENTRY_PATH}/{{entry}}"),
            delete(notes::withdraw),
        )
        .route(
            &format!("{DEVICES_PATH}/{{id}}/revoke"),
            post(devices::revoke_device),
        )
        // A wildcard never matches an empty tail: `/api` and `/api/` need their own routes, or
        // they would fall through to the PWA shell.
        .route("/api", any(no_such_endpoint))
        .route("/api/", any(no_such_endpoint))
        .route("/api/{*rest}", any(no_such_endpoint))
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        // Answers hold sessions, trends and enrolment codes: no cache keeps a copy.
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    let operations = Router::new()
        .route(health::HEALTHZ_PATH, get(health::healthz))
        .route(health::READYZ_PATH, get(health::readyz))
        .route(metrics::METRICS_PATH, get(metrics::scrape))
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    let api = api.merge(operations);
    let app = match state.static_dir.as_deref() {
        Some(dir) => api.merge(pwa::router(dir)),
        None => api,
    };
    // Inside the router's layers, where the matched route is known.
    app.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        metrics::count_request,
    ))
    .layer(CompressionLayer::new())
    .layer(RequestDecompressionLayer::new())
    // A body trickled in slower than this holds a connection for nothing.
    .layer(RequestBodyTimeoutLayer::new(BODY_TIMEOUT))
    // A span per request, with its id, method and path (never the query string, headers
    // or body: they can hold tokens and words people typed), and a line when answered.
    .layer(
        TraceLayer::new_for_http()
            .make_span_with(request_span)
            .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
    )
    // Every request gets an id (or keeps the one a trusted proxy gave it), answered back in
    // `x-request-id` so a person's report can be found in the logs.
    .layer(PropagateRequestIdLayer::x_request_id())
    .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
    // Before the id is set and anything is logged: whom the request came from, and whether
    // its forwarding headers and request id are believed.
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        crate::forwarded::resolve_client,
    ))
    // Outermost, so that answers made by the layers before it carry them too. A browser never
    // guesses a type other than the one sent (a JSON answer run as a script), and no page
    // of ours tells another site where a person came from (links hold enrolment codes).
    .layer(SetResponseHeaderLayer::overriding(
        X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ))
    .layer(SetResponseHeaderLayer::overriding(
        REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    ))
    .with_state(state)
}

/// The span every log line of a request is written in.
fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    )
}

/// The caller's organization, which must exist: every token and session belongs to one.
async fn org_of(state: &AppState, org_id: i64) -> Result<crate::db::orgs::Org, ApiError> {
    crate::db::orgs::get(&state.db, org_id)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("org {org_id} vanished")))
}

/// Any path under `/api` that no endpoint claims.
async fn no_such_endpoint() -> ApiError {
    ApiError::NotFound
}

/// A JSON body whose rejections become [`ApiError`]s with a JSON body of their own.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let axum::Json(value) = axum::Json::<T>::from_request(req, state).await?;
        Ok(Self(value))
    }
}
