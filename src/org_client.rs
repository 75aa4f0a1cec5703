//! How signed-in people talk to the service: the session cookie travels by itself (same
//! origin), and every change carries the session's CSRF token.

use crate::service_http::{self, Answer, acknowledgement, answer, to_service};
use gloo_net::http::{Request, RequestBuilder, Response};
use peerpulse_core::codebook::Codebook;
use peerpulse_core::field_alert::AlertContent;
use peerpulse_core::field_notes::{NOTES_PATH, NoteReview, NoteStatus, NotesQuery, OfferedNote};
use peerpulse_core::indicator::Report;
use peerpulse_core::language::Language;
use peerpulse_core::org_api::{
    AUDIT_EXPORT_PATH, AUDIT_PATH, AuditPage, CODEBOOK_PATH, CSRF_HEADER, CodebookEditRequest,
    DEVICES_PATH, DHIS2_EXPORT_PATH, DHIS2_SEND_PATH, DeviceSummary, DeviceUpdate, Dhis2Format,
    Dhis2SendRequest, Dhis2SendResponse, ENROLMENT_CODES_PATH, EnrolmentCodeIssued, ExportKind,
    ExportRecord, FIELD_ALERTS_PATH, FieldAlertSummary, INDICATORS_PATH, IndicatorBook,
    IndicatorsResponse, IndicatorsUpdate, LanguageChoice, MY_LANGUAGE_PATH, NewUserRequest,
    OVERSIGHT_PATH, OrgSettings, PASSWORD_RESET_PATH, PasswordResetRequest, REPORTS_PATH,
    ResetLinkIssued, RetentionUpdate, SESSION_PATH, SETTINGS_PATH, SessionInfo, SignInRequest,
    USERS_PATH, UserSummary, UserUpdate, WELCOME_PATH, WelcomeRequest,
};
use peerpulse_core::oversight::OversightResponse;
use peerpulse_core::people::Username;
use peerpulse_core::period::Period;
use peerpulse_core::protocol::{
    ALERTS_PATH, AlertsQuery, AlertsResponse, TRENDS_PATH, TrendsQuery, TrendsResponse,
};
use serde::de::DeserializeOwned;

/// Why a call did not succeed. The English `Display` is for logs; a page says it in the
/// language shown with [`crate::i18n::org_errors::call`]. The service's own reasons (the
/// `String`s) arrive in the person's language and are shown as they are.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OrgError {
    /// No connection.
    #[error("No connection to the PeerPulse service. Try again when you are online.")]
    Offline,
    /// Not signed in (any more).
    #[error("{0}")]
    SignedOut(String),
    /// The service refused: the message says why.
    #[error("{0}")]
    Refused(String),
    /// What was changed had changed meanwhile (HTTP 409): the message says so.
    #[error("{0}")]
    Changed(String),
    /// The service failed, or answered something unreadable.
    #[error("The service had a problem ({0}). Try again later.")]
    Server(String),
}

async fn read<T: DeserializeOwned>(sent: Result<Response, gloo_net::Error>) -> Result<T, OrgError> {
    let response = sent.map_err(|_| OrgError::Offline)?;
    from_answer(answer(response).await)
}

/// What the service answered, as the value or the person's reason it did not come.
fn from_answer<T>(answer: Answer<T>) -> Result<T, OrgError> {
    match answer {
        Answer::Value(value) => Ok(value),
        Answer::Unreadable(why) => Err(OrgError::Server(why)),
        Answer::Failed { status, message } => Err(match status {
            401 => OrgError::SignedOut(message),
            409 => OrgError::Changed(message),
            400..=499 => OrgError::Refused(message),
            _ => OrgError::Server(format!("HTTP {status}")),
        }),
    }
}

async fn done(sent: Result<Response, gloo_net::Error>) -> Result<(), OrgError> {
    let response = sent.map_err(|_| OrgError::Offline)?;
    from_answer(acknowledgement(response).await)
}

fn with_csrf(builder: RequestBuilder, session: &SessionInfo) -> RequestBuilder {
    builder.header(CSRF_HEADER, &session.csrf_token)
}

fn json<T: serde::Serialize>(builder: RequestBuilder, body: &T) -> Result<Request, OrgError> {
    service_http::with_json(builder, body).map_err(OrgError::Server)
}

/// Who is signed in on this browser, if anyone.
pub async fn current() -> Result<Option<SessionInfo>, OrgError> {
    match read(to_service::get(SESSION_PATH).send().await).await {
        Ok(info) => Ok(Some(info)),
        Err(OrgError::SignedOut(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Signs in.
pub async fn sign_in(request: &SignInRequest) -> Result<SessionInfo, OrgError> {
    read(json(to_service::post(SESSION_PATH), request)?.send().await).await
}

/// Creates the account a one-time link offers, signed in.
pub async fn welcome(request: &WelcomeRequest) -> Result<SessionInfo, OrgError> {
    read(json(to_service::post(WELCOME_PATH), request)?.send().await).await
}

/// Chooses a new password with a one-time reset link, signed in.
pub async fn reset_password(request: &PasswordResetRequest) -> Result<SessionInfo, OrgError> {
    read(
        json(to_service::post(PASSWORD_RESET_PATH), request)?
            .send()
            .await,
    )
    .await
}

/// A one-time link with which `username` chooses a new password; their sessions end.
pub async fn issue_reset_link(
    session: &SessionInfo,
    username: &Username,
) -> Result<ResetLinkIssued, OrgError> {
    let path = format!("{USERS_PATH}/{username}/reset-link");
    read(with_csrf(to_service::post(&path), session).send().await).await
}

/// Keeps `language` (`None`: the browser's) as the signed-in person's own on the organization
/// app.
pub async fn set_my_language(
    session: &SessionInfo,
    language: Option<Language>,
) -> Result<SessionInfo, OrgError> {
    read(
        json(
            with_csrf(Request::put(MY_LANGUAGE_PATH), session),
            &LanguageChoice { language },
        )?
        .send()
        .await,
    )
    .await
}

/// Signs out here, or on every device when `everywhere`.
pub async fn sign_out(session: &SessionInfo, everywhere: bool) -> Result<(), OrgError> {
    let path = if everywhere {
        format!("{SESSION_PATH}?everywhere=true")
    } else {
        SESSION_PATH.to_owned()
    };
    done(with_csrf(to_service::delete(&path), session).send().await).await
}

/// The organization's people.
pub async fn users() -> Result<Vec<UserSummary>, OrgError> {
    read(to_service::get(USERS_PATH).send().await).await
}

/// Adds a person.
pub async fn create_user(
    session: &SessionInfo,
    request: &NewUserRequest,
) -> Result<UserSummary, OrgError> {
    read(
        json(with_csrf(to_service::post(USERS_PATH), session), request)?
            .send()
            .await,
    )
    .await
}

/// Changes a person's role, or takes their access away or gives it back.
pub async fn update_user(
    session: &SessionInfo,
    username: &Username,
    update: &UserUpdate,
) -> Result<(), OrgError> {
    let path = format!("{USERS_PATH}/{username}");
    done(
        json(with_csrf(to_service::patch(&path), session), update)?
            .send()
            .await,
    )
    .await
}

/// Names phone `id` (or takes its name away).
pub async fn name_device(
    session: &SessionInfo,
    id: &str,
    update: &DeviceUpdate,
) -> Result<DeviceSummary, OrgError> {
    let path = format!("{DEVICES_PATH}/{id}");
    read(
        json(with_csrf(to_service::patch(&path), session), update)?
            .send()
            .await,
    )
    .await
}

/// A new one-time code for a phone.
pub async fn issue_code(session: &SessionInfo) -> Result<EnrolmentCodeIssued, OrgError> {
    read(
        with_csrf(to_service::post(ENROLMENT_CODES_PATH), session)
            .send()
            .await,
    )
    .await
}

/// The organization's published trends for a period, site and dimension.
pub async fn trends(query: &TrendsQuery) -> Result<TrendsResponse, OrgError> {
    let url = format!("{TRENDS_PATH}{}", query.to_query_string());
    read(to_service::get(&url).send().await).await
}

/// What rose on each day of a period (by default today), and free tags first used in it.
pub async fn alerts(query: &AlertsQuery) -> Result<AlertsResponse, OrgError> {
    let url = format!("{ALERTS_PATH}{}", query.to_query_string());
    read(to_service::get(&url).send().await).await
}

/// Offered insight notes of one status, in a period.
pub async fn notes(query: &NotesQuery) -> Result<Vec<OfferedNote>, OrgError> {
    let url = format!("{NOTES_PATH}{}", query.to_query_string());
    read(to_service::get(&url).send().await).await
}

/// Approves note `id` for the brief, or keeps it out.
pub async fn review_note(
    session: &SessionInfo,
    id: i64,
    status: NoteStatus,
) -> Result<(), OrgError> {
    let path = format!("{NOTES_PATH}/{id}/review");
    done(
        json(
            with_csrf(to_service::post(&path), session),
            &NoteReview { status },
        )?
        .send()
        .await,
    )
    .await
}

/// The organization's current codebook.
pub async fn codebook() -> Result<Codebook, OrgError> {
    read(to_service::get(CODEBOOK_PATH).send().await).await
}

/// Makes one codebook edit; the codebook as now stored.
pub async fn edit_codebook(
    session: &SessionInfo,
    request: &CodebookEditRequest,
) -> Result<Codebook, OrgError> {
    read(
        json(with_csrf(to_service::post(CODEBOOK_PATH), session), request)?
            .send()
            .await,
    )
    .await
}

/// Encounters each phone captured per week over the last eight weeks, and quiet phones.
pub async fn oversight() -> Result<OversightResponse, OrgError> {
    read(to_service::get(OVERSIGHT_PATH).send().await).await
}

/// The organization's phones.
pub async fn devices() -> Result<Vec<DeviceSummary>, OrgError> {
    read(to_service::get(DEVICES_PATH).send().await).await
}

/// Stops a phone from syncing.
pub async fn revoke(session: &SessionInfo, device_id: &str) -> Result<(), OrgError> {
    let path = format!("{DEVICES_PATH}/{device_id}/revoke");
    done(with_csrf(to_service::post(&path), session).send().await).await
}

/// The organization's indicators and DHIS2 settings, and the starter set it may adopt.
/// The organization's settings.
pub async fn settings() -> Result<OrgSettings, OrgError> {
    read(to_service::get(SETTINGS_PATH).send().await).await
}

/// Sets how long each phone's own counts are kept (admins); the settings as now stored.
pub async fn set_retention(
    session: &SessionInfo,
    update: &RetentionUpdate,
) -> Result<OrgSettings, OrgError> {
    read(
        json(with_csrf(to_service::put(SETTINGS_PATH), session), update)?
            .send()
            .await,
    )
    .await
}

pub async fn indicators() -> Result<IndicatorsResponse, OrgError> {
    read(to_service::get(INDICATORS_PATH).send().await).await
}

/// Stores the whole indicator book as edited on `update.base_version`; the book as now
/// stored. [`OrgError::Changed`] when someone saved another version meanwhile.
pub async fn save_indicators(
    session: &SessionInfo,
    update: &IndicatorsUpdate,
) -> Result<IndicatorBook, OrgError> {
    read(
        json(with_csrf(to_service::put(INDICATORS_PATH), session), update)?
            .send()
            .await,
    )
    .await
}

/// The report of the indicators for `period` (a week, a month or a quarter).
pub async fn report(period: Period) -> Result<Report, OrgError> {
    let url = format!("{REPORTS_PATH}?period={period}");
    read(to_service::get(&url).send().await).await
}

/// The report for `period` as DHIS2 takes it, as the file's text.
pub async fn dhis2_export(period: Period, format: Dhis2Format) -> Result<String, OrgError> {
    let format = match format {
        Dhis2Format::Json => "json",
        Dhis2Format::Adx => "adx",
    };
    let url = format!("{DHIS2_EXPORT_PATH}?period={period}&format={format}");
    let response = to_service::get(&url)
        .send()
        .await
        .map_err(|_| OrgError::Offline)?;
    if !response.ok() {
        return Err(match from_answer(answer::<()>(response).await) {
            Err(e) => e,
            Ok(()) => OrgError::Server("an empty refusal".to_owned()),
        });
    }
    response
        .text()
        .await
        .map_err(|e| OrgError::Server(e.to_string()))
}

/// Sends the report of `request.period` to the service's DHIS2 server (a dry run only, or a
/// dry run and then for real); what DHIS2 counted. DHIS2's own refusals (HTTP 502) keep the
/// service's words.
pub async fn send_to_dhis2(
    session: &SessionInfo,
    request: &Dhis2SendRequest,
) -> Result<Dhis2SendResponse, OrgError> {
    let response = json(
        with_csrf(to_service::post(DHIS2_SEND_PATH), session),
        request,
    )?
    .send()
    .await
    .map_err(|_| OrgError::Offline)?;
    match answer(response).await {
        Answer::Failed {
            status: 502,
            message,
        } => Err(OrgError::Refused(message)),
        other => from_answer(other),
    }
}

/// A page of the audit log, newest first: entries older than `before`, if given.
pub async fn audit(before: Option<i64>) -> Result<AuditPage, OrgError> {
    let url = match before {
        Some(id) => format!("{AUDIT_PATH}?before={id}"),
        None => AUDIT_PATH.to_owned(),
    };
    read(to_service::get(&url).send().await).await
}

/// Records in the audit log that the signed-in person exported `what` from this browser.
pub async fn record_export(session: &SessionInfo, what: ExportKind) -> Result<(), OrgError> {
    done(
        json(
            with_csrf(to_service::post(AUDIT_EXPORT_PATH), session),
            &ExportRecord { what },
        )?
        .send()
        .await,
    )
    .await
}

/// Every alert to workers of the organization, newest first, with reach and history.
pub async fn field_alerts() -> Result<Vec<FieldAlertSummary>, OrgError> {
    read(to_service::get(FIELD_ALERTS_PATH).send().await).await
}

/// Drafts an alert; a second person approves it.
pub async fn draft_field_alert(
    session: &SessionInfo,
    content: &AlertContent,
) -> Result<FieldAlertSummary, OrgError> {
    read(
        json(
            with_csrf(to_service::post(FIELD_ALERTS_PATH), session),
            content,
        )?
        .send()
        .await,
    )
    .await
}

/// Changes what alert `id` says: a new version, approved again (the approved one stays up).
pub async fn update_field_alert(
    session: &SessionInfo,
    id: i64,
    content: &AlertContent,
) -> Result<FieldAlertSummary, OrgError> {
    let path = format!("{FIELD_ALERTS_PATH}/{id}");
    read(
        json(with_csrf(to_service::put(&path), session), content)?
            .send()
            .await,
    )
    .await
}

/// A step in an alert's life taken with one button.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldAlertStep {
    /// Publish the current version (a second person).
    Approve,
    /// Take it off the phones.
    Withdraw,
}

/// Approves or withdraws alert `id`.
pub async fn field_alert_step(
    session: &SessionInfo,
    id: i64,
    step: FieldAlertStep,
) -> Result<FieldAlertSummary, OrgError> {
    let step = match step {
        FieldAlertStep::Approve => "approve",
        FieldAlertStep::Withdraw => "withdraw",
    };
    let path = format!("{FIELD_ALERTS_PATH}/{id}/{step}");
    read(with_csrf(to_service::post(&path), session).send().await).await
}
