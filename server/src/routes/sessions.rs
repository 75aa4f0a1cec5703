//! Sessions: signing in (with a password, a welcome link or a reset link), who is signed in,
//! and signing out, here or everywhere.

use super::ApiJson;
use super::audit;
use super::users::account_error;
use crate::AppState;
use crate::attempts::client_key;
use crate::auth::{SessionCookie, session_token};
use crate::connections::ClientAddress;
use crate::db::people::{self, Person};
use crate::error::ApiError;
use crate::passwords;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use peerpulse_core::audit::{AuditEvent, SignInWith};
use peerpulse_core::org_api::{PasswordResetRequest, SessionInfo, SignInRequest, WelcomeRequest};
use peerpulse_core::people::MAX_PASSWORD_CHARS;
use std::time::Instant;

/// The `Set-Cookie` header that hands the browser session `token` (see [`SessionCookie`]).
fn cookie(state: &AppState, token: &str, max_age: i64) -> Result<HeaderValue, ApiError> {
    HeaderValue::from_str(&SessionCookie::at(&state.public_url).set(token, max_age))
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// A session for `user_id`, who signed in from `address` `with` a password or a link: the
/// cookie and who they are.
pub(super) async fn signed_in(
    state: &AppState,
    user_id: i64,
    address: ClientAddress,
    with: SignInWith,
) -> Result<Response, ApiError> {
    let token = people::start_session(&state.db, user_id).await?;
    let person = people::session(&state.db, &token)
        .await?
        .ok_or_else(|| ApiError::Internal("a new session vanished".into()))?;
    audit::note(state, &person, address, AuditEvent::SignedIn { with }).await?;
    let info = session_info(state, person).await?;
    let mut response = Json(info).into_response();
    response.headers_mut().insert(
        SET_COOKIE,
        cookie(state, &token, people::SESSION_TTL.num_seconds())?,
    );
    Ok(response)
}

/// Who `person` is, as the organization's app reads it.
pub(super) async fn session_info(
    state: &AppState,
    person: Person,
) -> Result<SessionInfo, ApiError> {
    let org = super::org_of(state, person.org_id).await?;
    Ok(SessionInfo {
        username: person.username,
        role: person.role,
        org_name: org.name,
        org_handle: org.handle,
        csrf_token: person.csrf_token,
        language: person.language,
    })
}

/// `POST /api/v1/welcome`: a one-time link becomes an account, signed in.
pub async fn welcome(
    State(state): State<AppState>,
    address: ClientAddress,
    ApiJson(request): ApiJson<WelcomeRequest>,
) -> Result<Response, ApiError> {
    // A link that cannot be used costs no hash.
    if !people::link_is_open(&state.db, &request.token, people::LinkKind::NewAccount).await? {
        return Err(ApiError::SignInLinkInvalid);
    }
    let hash = passwords::hash(&request.password).await?;
    let user_id = people::redeem_link(&state.db, &request.token, &request.username, &hash)
        .await
        .map_err(account_error)?
        .ok_or(ApiError::SignInLinkInvalid)?;
    signed_in(&state, user_id, address, SignInWith::WelcomeLink).await
}

/// `POST /api/v1/password-reset`: a one-time reset link becomes a new password, signed in.
pub async fn reset_password(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(request): ApiJson<PasswordResetRequest>,
) -> Result<Response, ApiError> {
    // A link that cannot be used costs no hash.
    if !people::link_is_open(&state.db, &request.token, people::LinkKind::PasswordReset).await? {
        return Err(ApiError::SignInLinkInvalid);
    }
    let hash = passwords::hash(&request.password).await?;
    let user_id = people::redeem_reset(&state.db, &request.token, &hash)
        .await?
        .ok_or(ApiError::SignInLinkInvalid)?;
    tracing::warn!(target: "security", %address, user_id, "password reset by link");
    state.access_ended_in(
        people::org_of_user(&state.db, user_id)
            .await?
            .ok_or_else(|| ApiError::Internal("a reset account vanished".into()))?,
    );
    signed_in(
        &state,
        user_id,
        ClientAddress(address),
        SignInWith::ResetLink,
    )
    .await
}

/// `POST /api/v1/session`: signs in with a username and password. Failures are counted per
/// address and per account: after a few, each further try waits twice as long (see
/// [`crate::attempts`]), whichever of the two is further along.
pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(request): ApiJson<SignInRequest>,
) -> Result<Response, ApiError> {
    let keys = [
        format!("sign-in:{}", client_key(address)),
        format!("account:{}/{}", request.organization, request.username),
    ];
    let now = Instant::now();
    if let Some(wait) = keys
        .iter()
        .filter_map(|k| state.failed_attempts.wait(k, now))
        .max()
    {
        tracing::warn!(target: "security", %address, org = %request.organization, username = %request.username, "sign-in refused: too many failures");
        return Err(ApiError::TooManyAttempts(wait));
    }
    let account = if request.password.chars().count() > MAX_PASSWORD_CHARS {
        None
    } else {
        people::account(&state.db, &request.organization, &request.username).await?
    };
    // One hash either way: an unknown name costs what a wrong password costs.
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let matches = passwords::verify(&request.password, stored).await?;
    match account {
        Some(account) if matches => {
            for key in &keys {
                state.failed_attempts.succeeded(key);
            }
            signed_in(
                &state,
                account.user_id,
                ClientAddress(address),
                SignInWith::Password,
            )
            .await
        }
        _ => {
            for key in &keys {
                state.failed_attempts.failed(key, now);
            }
            tracing::warn!(target: "security", %address, org = %request.organization, username = %request.username, "sign-in failed");
            Err(ApiError::BadCredentials)
        }
    }
}

/// `GET /api/v1/session`: who is signed in.
pub async fn current(
    State(state): State<AppState>,
    person: Person,
) -> Result<Json<SessionInfo>, ApiError> {
    Ok(Json(session_info(&state, person).await?))
}

/// `DELETE /api/v1/session`: signs out.
pub async fn sign_out(
    State(state): State<AppState>,
    person: Person,
    scope: Result<Query<SignOutScope>, axum::extract::rejection::QueryRejection>,
    parts: Parts,
) -> Result<Response, ApiError> {
    let Query(scope) = scope?;
    if scope.everywhere {
        // A lost laptop, a shared computer: every session of this person ends, and their
        // live views with them.
        people::end_sessions_of(&state.db, person.user_id).await?;
        tracing::warn!(target: "security", person = %person.username, "signed out everywhere");
    } else if let Some(token) = session_token(&state, &parts) {
        people::end_session(&state.db, &token).await?;
    }
    state.access_ended_in(person.org_id);
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(SET_COOKIE, cookie(&state, "", 0)?);
    Ok(response)
}

/// `DELETE /api/v1/session` query: `?everywhere=true` ends every session of the person, not
/// only this one.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignOutScope {
    /// End every session of the person.
    #[serde(default)]
    everywhere: bool,
}
