//! The HTTP surface: the versioned API and the built PWA, on one port.

mod audit;
mod codebook;
mod content_policy;
mod devices;
mod enrol;
mod field_alerts;
mod health;
mod metrics;
mod my_language;
mod notes;
mod oversight;
mod pwa;
mod reports;
mod sessions;
mod settings;
mod sync;
mod trends;
mod users;

use crate::AppState;
use crate::error::ApiError;
use crate::openapi::{self, Access, Doc, Method, OPENAPI_PATH, Shape};
use axum::Router;
use axum::extract::{FromRequest, Request};
use axum::handler::Handler;
use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::http::header::{CACHE_CONTROL, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, any, get, on};
use peerpulse_core::codebook::Codebook;
use peerpulse_core::dhis2::DataValueSet;
use peerpulse_core::field_alert::{AlertContent, PublishedAlert};
use peerpulse_core::field_notes::{
    NOTE_OF_ENTRY_PATH, NOTES_PATH, NoteOffer, NoteOfferAnswer, NoteReview, NotesQuery, OfferedNote,
};
use peerpulse_core::indicator::Report;
use peerpulse_core::org_api::{
    AUDIT_EXPORT_PATH, AUDIT_PATH, AlertReceipts, AuditPage, AuditQuery, CODEBOOK_PATH,
    CURRENT_FIELD_ALERTS_PATH, CodebookEditRequest, DEVICES_PATH, DHIS2_EXPORT_PATH,
    DHIS2_SEND_PATH, DeviceSummary, DeviceUpdate, Dhis2SendRequest, Dhis2SendResponse,
    ENROLMENT_CODES_PATH, EnrolmentCodeIssued, ExportRecord, FIELD_ALERT_RECEIPTS_PATH,
    FIELD_ALERTS_PATH, FieldAlertSummary, INDICATORS_PATH, IndicatorBook, IndicatorsResponse,
    IndicatorsUpdate, LanguageChoice, MY_LANGUAGE_PATH, MY_OVERSIGHT_PATH, NewUserRequest,
    OVERSIGHT_PATH, OrgSettings, PASSWORD_RESET_PATH, PasswordResetRequest, REPORTS_PATH,
    ReportQuery, ResetLinkIssued, RetentionUpdate, SESSION_PATH, SETTINGS_PATH, SessionInfo,
    SignInRequest, USERS_PATH, UserSummary, UserUpdate, WELCOME_PATH, WelcomeRequest,
};
use peerpulse_core::oversight::OversightResponse;
use peerpulse_core::protocol::{
    ALERTS_PATH, AlertsQuery, AlertsResponse, ENROL_PATH, EVENTS_PATH, EnrolRequest, EnrolResponse,
    SYNC_PATH, SyncRequest, SyncResponse, TRENDS_PATH, TrendsQuery, TrendsResponse,
};
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
    let api = endpoints()
        .into_iter()
        .fold(Router::new(), |api, e| api.route(&e.path, e.handler));
    let api = api
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
    let api = api.merge(operations).layer(axum::middleware::from_fn(
        crate::answer_language::in_readers_language,
    ));
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

/// One endpoint of the API: its method and path, what the OpenAPI document says of it, and
/// its handler. [`endpoints`] is the one list of them: the router serves it and the document
/// describes it, so neither can miss one.
pub struct Endpoint {
    /// Its method.
    pub method: Method,
    /// Its path, with `{name}` for a path parameter (axum's and OpenAPI's syntax alike).
    pub path: String,
    /// What the document says of it.
    pub doc: Doc,
    handler: MethodRouter<AppState>,
}

/// `handler` serving `method` at `path`, described by `doc`.
fn endpoint<H, T>(method: Method, path: impl Into<String>, handler: H, doc: Doc) -> Endpoint
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = match method {
        Method::Get => MethodFilter::GET,
        Method::Post => MethodFilter::POST,
        Method::Put => MethodFilter::PUT,
        Method::Patch => MethodFilter::PATCH,
        Method::Delete => MethodFilter::DELETE,
    };
    Endpoint {
        method,
        path: path.into(),
        doc,
        handler: on(filter, handler),
    }
}

/// Every endpoint of the versioned API.
pub fn endpoints() -> Vec<Endpoint> {
    use Access::{Person, Phone, PhoneOrPerson, Public};
    use Method::{Delete, Get, Patch, Post, Put};
    let alert = |path: &str| format!("{FIELD_ALERTS_PATH}/{{id}}{path}");
    vec![
        endpoint(
            Get,
            OPENAPI_PATH,
            openapi_document,
            Doc::new("This document (OpenAPI 3.1)", Public)
                .answers(Shape::text("application/json")),
        ),
        endpoint(
            Post,
            ENROL_PATH,
            enrol::enrol,
            Doc::new("Enrol a phone with a one-time enrolment code", Public)
                .takes::<EnrolRequest>()
                .status(201)
                .answers(Shape::json::<EnrolResponse>()),
        ),
        endpoint(
            Post,
            SYNC_PATH,
            sync::sync,
            Doc::new("Sync a phone's changed day buckets, exactly once", Phone)
                .takes::<SyncRequest>()
                .answers(Shape::json::<SyncResponse>()),
        ),
        endpoint(
            Get,
            TRENDS_PATH,
            trends::trends,
            Doc::new(
                "Published trends for a period, by site or for all",
                PhoneOrPerson,
            )
            .query::<TrendsQuery>()
            .answers(Shape::json::<TrendsResponse>()),
        ),
        endpoint(
            Get,
            ALERTS_PATH,
            trends::alerts,
            Doc::new(
                "What rose on each day of a period, as published",
                PhoneOrPerson,
            )
            .query::<AlertsQuery>()
            .answers(Shape::json::<AlertsResponse>()),
        ),
        endpoint(
            Get,
            EVENTS_PATH,
            trends::events,
            Doc::new(
                "Live `changed` events when the counts change",
                PhoneOrPerson,
            )
            .answers(Shape::text("text/event-stream")),
        ),
        endpoint(
            Post,
            WELCOME_PATH,
            sessions::welcome,
            Doc::new(
                "Set a first password with a welcome link, and sign in",
                Public,
            )
            .takes::<WelcomeRequest>()
            .answers(Shape::json::<SessionInfo>()),
        ),
        endpoint(
            Post,
            PASSWORD_RESET_PATH,
            sessions::reset_password,
            Doc::new("Set a new password with a reset link, and sign in", Public)
                .takes::<PasswordResetRequest>()
                .answers(Shape::json::<SessionInfo>()),
        ),
        endpoint(
            Post,
            SESSION_PATH,
            sessions::sign_in,
            Doc::new("Sign in: sets the session cookie", Public)
                .takes::<SignInRequest>()
                .answers(Shape::json::<SessionInfo>()),
        ),
        endpoint(
            Get,
            SESSION_PATH,
            sessions::current,
            Doc::new("Who is signed in", Person).answers(Shape::json::<SessionInfo>()),
        ),
        endpoint(
            Delete,
            SESSION_PATH,
            sessions::sign_out,
            Doc::new(
                "Sign out (everywhere=true: every session of the person)",
                Person,
            )
            .query::<sessions::SignOutScope>()
            .status(204),
        ),
        endpoint(
            Put,
            MY_LANGUAGE_PATH,
            my_language::set_my_language,
            Doc::new(
                "Set your own language on the organization's app (null: your browser's)",
                Person,
            )
            .takes::<LanguageChoice>()
            .answers(Shape::json::<SessionInfo>()),
        ),
        endpoint(
            Get,
            USERS_PATH,
            users::list_users,
            Doc::new("The organization's people (admins)", Person)
                .answers(Shape::list::<UserSummary>()),
        ),
        endpoint(
            Post,
            USERS_PATH,
            users::create_user,
            Doc::new("Add a person and make their welcome link (admins)", Person)
                .takes::<NewUserRequest>()
                .status(201)
                .answers(Shape::json::<UserSummary>()),
        ),
        endpoint(
            Patch,
            format!("{USERS_PATH}/{{username}}"),
            users::update_user,
            Doc::new("Change a person's role or access (admins)", Person)
                .takes::<UserUpdate>()
                .status(204),
        ),
        endpoint(
            Post,
            format!("{USERS_PATH}/{{username}}/reset-link"),
            users::issue_reset_link,
            Doc::new(
                "Make a one-time new password link for a person (admins)",
                Person,
            )
            .status(201)
            .answers(Shape::json::<ResetLinkIssued>()),
        ),
        endpoint(
            Post,
            ENROLMENT_CODES_PATH,
            devices::issue_enrolment_code,
            Doc::new(
                "Issue a one-time enrolment code for a phone (managers)",
                Person,
            )
            .status(201)
            .answers(Shape::json::<EnrolmentCodeIssued>()),
        ),
        endpoint(
            Get,
            DEVICES_PATH,
            devices::list_devices,
            Doc::new("The organization's phones", Person).answers(Shape::list::<DeviceSummary>()),
        ),
        endpoint(
            Patch,
            format!("{DEVICES_PATH}/{{id}}"),
            devices::update_device,
            Doc::new("Name a phone", Person)
                .takes::<DeviceUpdate>()
                .answers(Shape::json::<DeviceSummary>()),
        ),
        endpoint(
            Post,
            format!("{DEVICES_PATH}/{{id}}/revoke"),
            devices::revoke_device,
            Doc::new("Revoke a phone: its later syncs are refused", Person).status(204),
        ),
        endpoint(
            Get,
            OVERSIGHT_PATH,
            oversight::oversight,
            Doc::new("Capture oversight: how each phone has been logging", Person)
                .answers(Shape::json::<OversightResponse>()),
        ),
        endpoint(
            Get,
            MY_OVERSIGHT_PATH,
            oversight::my_oversight,
            Doc::new("The calling phone's own capture oversight", Phone)
                .answers(Shape::json::<OversightResponse>()),
        ),
        endpoint(
            Get,
            INDICATORS_PATH,
            reports::list,
            Doc::new("The organization's indicators and the starter set", Person)
                .answers(Shape::json::<IndicatorsResponse>()),
        ),
        endpoint(
            Put,
            INDICATORS_PATH,
            reports::replace,
            Doc::new(
                "Replace the indicators and their DHIS2 mapping (managers)",
                Person,
            )
            .takes::<IndicatorsUpdate>()
            .answers(Shape::json::<IndicatorBook>()),
        ),
        endpoint(
            Get,
            REPORTS_PATH,
            reports::report,
            Doc::new("Every indicator for a period, by site and in total", Person)
                .query::<ReportQuery>()
                .answers(Shape::json::<Report>()),
        ),
        endpoint(
            Get,
            DHIS2_EXPORT_PATH,
            reports::dhis2_export,
            Doc::new(
                "A report for DHIS2: dataValueSets JSON or ADX (managers)",
                Person,
            )
            .query::<ReportQuery>()
            .answers(Shape::json::<DataValueSet>())
            .answers(Shape::text("application/adx+xml")),
        ),
        endpoint(
            Post,
            DHIS2_SEND_PATH,
            reports::send_to_dhis2,
            Doc::new("Send a report to DHIS2, a dry run first (managers)", Person)
                .takes::<Dhis2SendRequest>()
                .answers(Shape::json::<Dhis2SendResponse>()),
        ),
        endpoint(
            Get,
            FIELD_ALERTS_PATH,
            field_alerts::list,
            Doc::new("Every alert to workers, newest first (managers)", Person)
                .answers(Shape::list::<FieldAlertSummary>()),
        ),
        endpoint(
            Post,
            FIELD_ALERTS_PATH,
            field_alerts::draft,
            Doc::new("Draft an alert to workers (managers)", Person)
                .takes::<AlertContent>()
                .status(201)
                .answers(Shape::json::<FieldAlertSummary>()),
        ),
        endpoint(
            Put,
            alert(""),
            field_alerts::update,
            Doc::new("A new version of an alert (managers)", Person)
                .takes::<AlertContent>()
                .answers(Shape::json::<FieldAlertSummary>()),
        ),
        endpoint(
            Post,
            alert("/approve"),
            field_alerts::approve,
            Doc::new("Approve an alert: phones get it on their next sync", Person)
                .answers(Shape::json::<FieldAlertSummary>()),
        ),
        endpoint(
            Post,
            alert("/withdraw"),
            field_alerts::withdraw,
            Doc::new("Withdraw an alert", Person).answers(Shape::json::<FieldAlertSummary>()),
        ),
        endpoint(
            Get,
            CURRENT_FIELD_ALERTS_PATH,
            field_alerts::current,
            Doc::new("The alerts a phone shows now", Phone)
                .answers(Shape::list::<PublishedAlert>()),
        ),
        endpoint(
            Post,
            FIELD_ALERT_RECEIPTS_PATH,
            field_alerts::receipts,
            Doc::new("A phone says which alerts it received and opened", Phone)
                .takes::<AlertReceipts>()
                .status(204),
        ),
        endpoint(
            Get,
            CODEBOOK_PATH,
            codebook::codebook,
            Doc::new("The organization's codebook", PhoneOrPerson)
                .answers(Shape::json::<Codebook>()),
        ),
        endpoint(
            Post,
            CODEBOOK_PATH,
            codebook::edit_codebook,
            Doc::new("Change the codebook by one edit (managers)", Person)
                .takes::<CodebookEditRequest>()
                .answers(Shape::json::<Codebook>()),
        ),
        endpoint(
            Get,
            NOTES_PATH,
            notes::list,
            Doc::new("Notes offered for the brief (managers)", Person)
                .query::<NotesQuery>()
                .answers(Shape::list::<OfferedNote>()),
        ),
        endpoint(
            Post,
            NOTES_PATH,
            notes::offer,
            Doc::new("A phone offers a note for the brief", Phone)
                .takes::<NoteOffer>()
                .answers(Shape::json::<NoteOfferAnswer>()),
        ),
        endpoint(
            Post,
            format!("{NOTES_PATH}/{{id}}/review"),
            notes::review,
            Doc::new(
                "Approve a note for the brief or keep it out (managers)",
                Person,
            )
            .takes::<NoteReview>()
            .status(204),
        ),
        endpoint(
            Delete,
            format!("{NOTE_OF_ENTRY_PATH}/{{entry}}"),
            notes::withdraw,
            Doc::new("A phone withdraws the note of one of its entries", Phone).status(204),
        ),
        endpoint(
            Get,
            AUDIT_PATH,
            audit::list,
            Doc::new("A page of the audit log, newest first (admins)", Person)
                .query::<AuditQuery>()
                .answers(Shape::json::<AuditPage>()),
        ),
        endpoint(
            Get,
            SETTINGS_PATH,
            settings::settings,
            Doc::new("The organization's settings", Person).answers(Shape::json::<OrgSettings>()),
        ),
        endpoint(
            Put,
            SETTINGS_PATH,
            settings::set_retention,
            Doc::new(
                "How long each phone's own counts are kept before they fold (admins)",
                Person,
            )
            .takes::<RetentionUpdate>()
            .answers(Shape::json::<OrgSettings>()),
        ),
        endpoint(
            Post,
            AUDIT_EXPORT_PATH,
            audit::record_export,
            Doc::new("Record an export made in the browser", Person)
                .takes::<ExportRecord>()
                .status(204),
        ),
    ]
}

/// `GET /api/v1/openapi.json`: the document of [`endpoints`], made once.
async fn openapi_document() -> Response {
    static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let text = DOCUMENT.get_or_init(|| {
        let all = endpoints();
        openapi::document(all.iter().map(|e| (e.method, e.path.as_str(), &e.doc)))
            .to_json()
            .expect("an OpenAPI document always serializes")
    });
    ([(CONTENT_TYPE, "application/json")], text.clone()).into_response()
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
