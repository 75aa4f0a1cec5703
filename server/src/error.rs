//! The one error type every handler returns: a status and a JSON body saying what is wrong.

use crate::db::DbError;
use crate::messages::Message;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use peerpulse_core::language::Language;
use peerpulse_core::protocol::{ErrorBody, SyncRequestError};
use std::fmt;

/// Why a request failed. Each variant has its status and stable `error` code; what it says to
/// a person is a [`Message`], written in the reader's language only when the answer leaves
/// (see [`crate::answer_language`]). `Display` is the English message, for logs.
#[derive(Debug)]
pub enum ApiError {
    /// No valid device token (or metrics token).
    Unauthorized(Message),
    /// No valid session cookie.
    SignInRequired,
    /// Organization, username or password wrong (which one is not said).
    BadCredentials,
    /// The signed-in person's role does not allow this, or the CSRF token is missing.
    Forbidden(Message),
    /// The sign-in link is unknown, used or expired.
    SignInLinkInvalid,
    /// The request is well-formed but cannot be carried out.
    Unprocessable(Message),
    /// The request conflicts with what is stored.
    Conflict(Message),
    /// A new password is on the list of common breached passwords.
    CommonPassword,
    /// A sync batch would leave a device's counts contradicting each other: nothing of it
    /// was stored.
    InconsistentCounts(Message),
    /// The enrolment code is unknown, used or expired.
    EnrolmentCodeInvalid,
    /// The body is not the JSON the endpoint expects.
    InvalidBody {
        /// 400, 413, 415 or 422, as the rejection says.
        status: StatusCode,
        /// What is wrong with it.
        message: Message,
    },
    /// The query string is wrong.
    InvalidQuery(Message),
    /// The sync request is wrong as a whole.
    InvalidSync(SyncRequestError),
    /// The organization has no such record (or it belongs to another one).
    NoSuchRecord(Message),
    /// No such API endpoint.
    NotFound,
    /// The endpoint exists but not for this method.
    MethodNotAllowed,
    /// The device sent more requests than its limit.
    TooManyRequests(std::time::Duration),
    /// Something failed inside the service (the detail goes to the log only).
    Internal(String),
    /// The database cannot take writes for now (its disk is full, it is locked or its
    /// connection dropped): nothing was stored, and the client should try again.
    Unavailable(DbError),
    /// Too many failed attempts from this address or at this account: wait.
    TooManyAttempts(std::time::Duration),
    /// The phone or session holds as many live event streams as it may.
    TooManyStreams,
    /// Every password hashing thread is taken: try again in a moment.
    Busy,
    /// No DHIS2 server is set up for this service.
    Dhis2NotSetUp,
    /// DHIS2 could not be reached, refused the credentials or answered without an import
    /// summary: nothing was sent after the failure.
    Dhis2(crate::dhis2_client::Dhis2Error),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Unavailable(e) => Some(e),
            Self::Dhis2(e) => Some(e),
            Self::InvalidSync(e) => Some(e),
            _ => None,
        }
    }
}

impl From<SyncRequestError> for ApiError {
    fn from(e: SyncRequestError) -> Self {
        Self::InvalidSync(e)
    }
}

/// The message of an error answer, left on the response for [`crate::answer_language`] to
/// write in the reader's language.
#[derive(Clone, Debug)]
pub struct ErrorMessage {
    /// The answer's `error` code.
    pub code: &'static str,
    /// What it says.
    pub message: Message,
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            Self::Unauthorized(_) | Self::SignInRequired | Self::BadCredentials => {
                StatusCode::UNAUTHORIZED
            }
            Self::Forbidden(_) | Self::SignInLinkInvalid => StatusCode::FORBIDDEN,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Unprocessable(_) | Self::InconsistentCounts(_) | Self::CommonPassword => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::EnrolmentCodeInvalid => StatusCode::FORBIDDEN,
            Self::InvalidBody { status, .. } => *status,
            Self::InvalidQuery(_) => StatusCode::BAD_REQUEST,
            Self::InvalidSync(SyncRequestError::BatchTooLarge(_)) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::InvalidSync(_) => StatusCode::BAD_REQUEST,
            Self::NotFound | Self::NoSuchRecord(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::TooManyRequests(_) | Self::TooManyStreams | Self::TooManyAttempts(_) => {
                StatusCode::TOO_MANY_REQUESTS
            }
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Unavailable(_) | Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::Dhis2NotSetUp => StatusCode::CONFLICT,
            Self::Dhis2(_) => StatusCode::BAD_GATEWAY,
        }
    }

    /// What the answer says to a person.
    pub fn message(&self) -> Message {
        let wait = |d: &std::time::Duration| d.as_secs().max(1);
        match self {
            Self::Unauthorized(m)
            | Self::Forbidden(m)
            | Self::Unprocessable(m)
            | Self::Conflict(m)
            | Self::InconsistentCounts(m)
            | Self::InvalidBody { message: m, .. }
            | Self::InvalidQuery(m)
            | Self::NoSuchRecord(m) => m.clone(),
            Self::SignInRequired => Message::SignInRequired,
            Self::BadCredentials => Message::BadCredentials,
            Self::SignInLinkInvalid => Message::SignInLinkInvalid,
            Self::CommonPassword => Message::CommonPassword,
            Self::EnrolmentCodeInvalid => Message::EnrolmentCodeInvalid,
            Self::InvalidSync(e) => Message::SyncRefused(e.clone()),
            Self::NotFound => Message::NotFound,
            Self::MethodNotAllowed => Message::MethodNotAllowed,
            Self::TooManyRequests(d) => Message::TooManyRequests { seconds: wait(d) },
            Self::Internal(_) => Message::Internal,
            Self::Unavailable(_) => Message::Unavailable,
            Self::TooManyAttempts(d) => Message::TooManyAttempts { seconds: wait(d) },
            Self::TooManyStreams => Message::TooManyStreams,
            Self::Busy => Message::Busy,
            Self::Dhis2NotSetUp => Message::Dhis2NotSetUp,
            Self::Dhis2(e) => Message::of_dhis2(e),
        }
    }

    /// The stable machine-readable code.
    fn code(&self) -> &'static str {
        match self {
            Self::Unauthorized(_) => "unauthorized",
            Self::SignInRequired => "sign_in_required",
            Self::BadCredentials => "bad_credentials",
            Self::Forbidden(_) => "forbidden",
            Self::SignInLinkInvalid => "sign_in_link_invalid",
            Self::Conflict(_) => "conflict",
            Self::Unprocessable(_) => "unprocessable",
            Self::CommonPassword => "common_password",
            Self::InconsistentCounts(_) => "inconsistent_counts",
            Self::EnrolmentCodeInvalid => "enrolment_code_invalid",
            Self::InvalidBody { status, .. } if *status == StatusCode::PAYLOAD_TOO_LARGE => {
                "payload_too_large"
            }
            Self::InvalidBody { .. } => "invalid_body",
            Self::InvalidQuery(_) => "invalid_query",
            Self::InvalidSync(SyncRequestError::BatchTooLarge(_)) => "batch_too_large",
            Self::InvalidSync(_) => "invalid_sync_request",
            Self::NotFound => "not_found",
            Self::NoSuchRecord(_) => "no_such_record",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::TooManyRequests(_) => "too_many_requests",
            Self::TooManyStreams => "too_many_streams",
            Self::TooManyAttempts(_) => "too_many_attempts",
            Self::Internal(_) => "internal",
            Self::Unavailable(_) => "unavailable",
            Self::Busy => "busy",
            Self::Dhis2NotSetUp => "dhis2_not_set_up",
            Self::Dhis2(_) => "dhis2_failed",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(detail) = &self {
            tracing::error!("internal error: {detail}");
        }
        if let Self::Unavailable(cause) = &self {
            tracing::warn!("answering 503: {cause}");
        }
        let written = ErrorMessage {
            code: self.code(),
            message: self.message(),
        };
        let body = ErrorBody {
            error: written.code.to_owned(),
            message: written.message.render(Language::En),
        };
        let mut response = (self.status(), Json(body)).into_response();
        response.extensions_mut().insert(written);
        let retry_after = match self {
            Self::TooManyRequests(wait) | Self::TooManyAttempts(wait) => Some(wait),
            Self::Unavailable(_) => Some(UNAVAILABLE_RETRY),
            Self::Busy => Some(std::time::Duration::from_secs(2)),
            _ => None,
        };
        if let Some(wait) = retry_after {
            let seconds = wait.as_secs().max(1).to_string();
            if let Ok(value) = axum::http::HeaderValue::from_str(&seconds) {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, value);
            }
        }
        response
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let status = rejection.status();
        let message = match &rejection {
            _ if status == StatusCode::PAYLOAD_TOO_LARGE => Message::BodyTooLarge {
                kib: (crate::BODY_LIMIT / 1024) as u64,
            },
            JsonRejection::JsonDataError(e) => Message::BodyNotUnderstood {
                detail: parser_detail(&e.body_text()),
            },
            JsonRejection::JsonSyntaxError(e) => Message::BodyNotJson {
                detail: parser_detail(&e.body_text()),
            },
            JsonRejection::MissingJsonContentType(_) => Message::BodyNotDeclaredJson,
            _ => Message::BodyUnreadable,
        };
        Self::InvalidBody { status, message }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::InvalidQuery(Message::QueryNotUnderstood {
            detail: parser_detail(&rejection.body_text()),
        })
    }
}

/// The parser's own words of an axum rejection (`missing field `day` at line 1 column 2`),
/// without axum's English preamble: the message around them is the catalog's.
fn parser_detail(body_text: &str) -> String {
    body_text
        .split_once(": ")
        .map_or(body_text, |(_, detail)| detail)
        .to_owned()
}

impl From<crate::db::buckets::ApplyError> for ApiError {
    fn from(e: crate::db::buckets::ApplyError) -> Self {
        match e {
            crate::db::buckets::ApplyError::Inconsistent { day, site, why } => {
                Self::InconsistentCounts(Message::InconsistentCounts { day, site, why })
            }
            crate::db::buckets::ApplyError::Db(e) => e.into(),
        }
    }
}

impl From<crate::passwords::Busy> for ApiError {
    fn from(_: crate::passwords::Busy) -> Self {
        Self::Busy
    }
}

impl From<crate::passwords::NewHashError> for ApiError {
    fn from(e: crate::passwords::NewHashError) -> Self {
        match e {
            crate::passwords::NewHashError::Common => Self::CommonPassword,
            crate::passwords::NewHashError::Busy(_) => Self::Busy,
            crate::passwords::NewHashError::Failed(e) => Self::Internal(e.to_string()),
        }
    }
}

impl From<crate::dhis2_send::SendError> for ApiError {
    fn from(e: crate::dhis2_send::SendError) -> Self {
        use crate::dhis2_send::SendError;
        use crate::indicator_report::ReportError;
        match e {
            SendError::Report(ReportError::NotAReportPeriod) => {
                Self::Unprocessable(Message::NotAReportPeriod)
            }
            SendError::NothingToSend => Self::Unprocessable(Message::NothingToSend),
            SendError::Report(ReportError::Db(e)) | SendError::Db(e) => e.into(),
            SendError::Dhis2(e) => Self::Dhis2(e),
        }
    }
}

/// How long a client is asked to wait after a 503.
const UNAVAILABLE_RETRY: std::time::Duration = std::time::Duration::from_secs(10);

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        if e.is_unavailable() {
            Self::Unavailable(e)
        } else {
            Self::Internal(e.to_string())
        }
    }
}
