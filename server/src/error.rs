//! The one error type every handler returns: a status and a JSON body saying what is wrong.

use crate::db::DbError;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use peerpulse_core::protocol::{ErrorBody, SyncRequestError};

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No valid device token.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// No valid session cookie.
    #[error("Sign in first: this needs a manager, viewer or admin account.")]
    SignInRequired,
    /// Organization, username or password wrong (which one is not said).
    #[error(
        "That organization, username and password do not match an account. Check all three and try again."
    )]
    BadCredentials,
    /// The signed-in person's role does not allow this, or the CSRF token is missing.
    #[error("{0}")]
    Forbidden(&'static str),
    /// The sign-in link is unknown, used or expired.
    #[error("This sign-in link is unknown, already used or expired: ask your admin for a new one.")]
    SignInLinkInvalid,
    /// The request is well-formed but cannot be carried out.
    #[error("{0}")]
    Unprocessable(String),
    /// The request conflicts with what is stored.
    #[error("{0}")]
    Conflict(String),
    /// A new password is on the list of common breached passwords.
    #[error(
        "This password is one of the most common in leaked password lists, so attackers try it first: choose another. A few unrelated words work well."
    )]
    CommonPassword,
    /// A sync batch would leave a device's counts contradicting each other: nothing of it
    /// was stored.
    #[error("{0}. Nothing of this batch was stored.")]
    InconsistentCounts(String),
    /// The enrolment code is unknown, used or expired.
    #[error(
        "This enrolment code is unknown, already used or expired: ask your manager for a new one."
    )]
    EnrolmentCodeInvalid,
    /// The body is not the JSON the endpoint expects.
    #[error("{message}")]
    InvalidBody {
        /// 400, 413, 415 or 422, as the rejection says.
        status: StatusCode,
        /// The parser's explanation.
        message: String,
    },
    /// The query string is wrong.
    #[error("{0}")]
    InvalidQuery(String),
    /// The sync request is wrong as a whole.
    #[error("{0}")]
    InvalidSync(#[from] SyncRequestError),
    /// The organization has no such record (or it belongs to another one).
    #[error("{0}")]
    NoSuchRecord(&'static str),
    /// No such API endpoint.
    #[error("There is no API endpoint at this path: check the URL and the API version (/api/v1).")]
    NotFound,
    /// The endpoint exists but not for this method.
    #[error("This endpoint does not accept this HTTP method.")]
    MethodNotAllowed,
    /// The device sent more requests than its limit.
    #[error("This phone is sending too many requests: it will retry by itself in {} s.", .0.as_secs().max(1))]
    TooManyRequests(std::time::Duration),
    /// Something failed inside the service.
    #[error("The service had an internal problem; nothing was changed. Try again later.")]
    Internal(String),
    /// The database cannot take writes for now (its disk is full, it is locked or its
    /// connection dropped): nothing was stored, and the client should try again.
    #[error(
        "The service cannot store this right now (its storage is full or busy); nothing was stored. Try again in a little while."
    )]
    Unavailable(#[source] DbError),
    /// Too many failed attempts from this address or at this account: wait.
    #[error("Too many failed attempts: wait {} s and try again.", .0.as_secs().max(1))]
    TooManyAttempts(std::time::Duration),
    /// The phone or session holds as many live event streams as it may.
    #[error("Too many live views are open with this sign-in or phone: close some tabs.")]
    TooManyStreams,
    /// Every password hashing thread is taken: try again in a moment.
    #[error("Too many people are signing in at once. Try again in a moment.")]
    Busy,
    /// No DHIS2 server is set up for this service.
    #[error(
        "No DHIS2 server is set up for this service: whoever runs it starts it with --dhis2-url, --dhis2-username and --dhis2-password-file."
    )]
    Dhis2NotSetUp,
    /// DHIS2 could not be reached, refused the credentials or answered without an import
    /// summary: nothing was sent after the failure.
    #[error("{0}.")]
    Dhis2(#[source] crate::dhis2_client::Dhis2Error),
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
        let body = ErrorBody {
            error: self.code().to_owned(),
            message: self.to_string(),
        };
        let mut response = (self.status(), Json(body)).into_response();
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
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            format!(
                "The request body is larger than {} KiB: send fewer buckets per request.",
                crate::BODY_LIMIT / 1024
            )
        } else {
            rejection.body_text()
        };
        Self::InvalidBody { status, message }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::InvalidQuery(rejection.body_text())
    }
}

impl From<crate::db::buckets::ApplyError> for ApiError {
    fn from(e: crate::db::buckets::ApplyError) -> Self {
        match e {
            crate::db::buckets::ApplyError::Inconsistent { .. } => {
                Self::InconsistentCounts(e.to_string())
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
            SendError::Report(ReportError::NotAReportPeriod) | SendError::NothingToSend => {
                Self::Unprocessable(format!("{}.", capitalized(&e.to_string())))
            }
            SendError::Report(ReportError::Db(e)) | SendError::Db(e) => e.into(),
            SendError::Dhis2(e) => Self::Dhis2(e),
        }
    }
}

/// `text` with its first letter in capitals.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
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
