//! Who is calling: a device, identified by its bearer token.

use crate::AppState;
use crate::db::devices;
use crate::error::ApiError;
use crate::secrets;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use std::time::Instant;

/// An enrolled, not revoked device: every query it makes is scoped to its organization.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    /// The device's public id.
    pub id: String,
    /// The organization it belongs to.
    pub org_id: i64,
}

impl FromRequestParts<AppState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts.headers.get(AUTHORIZATION).ok_or(ApiError::Unauthorized(
            "This request needs the device token: send \"Authorization: Bearer <token>\" (enrol the phone first).",
        ))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.split_once(' '))
            // The scheme name is case-insensitive (RFC 9110, section 11.1).
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("Bearer"))
            .map(|(_, token)| token.trim())
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::Unauthorized(
                "The Authorization header must be \"Bearer <token>\".",
            ))?;
        let device = devices::by_token_hash(&state.db, &secrets::hash(token))
            .await?
            .ok_or(ApiError::Unauthorized(
                "This device token is unknown or revoked: enrol the phone again with a new code.",
            ))?;
        state
            .rate_limit
            .take(&device.id, Instant::now())
            .map_err(ApiError::TooManyRequests)?;
        Ok(device)
    }
}
