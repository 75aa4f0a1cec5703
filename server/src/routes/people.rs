//! Sign-in, sessions, people and phone enrolment for an organization's admins and managers.
//! Every query is scoped to the signed-in person's organization.

use super::ApiJson;
use super::audit;
use crate::AppState;
use crate::attempts::client_key;
use crate::auth::{Device, Reader, SessionCookie, require, session_token};
use crate::connections::ClientAddress;
use crate::db::people::{self, NewAccountError, Person};
use crate::db::{buckets, devices, enrolment, orgs};
use crate::error::ApiError;
use crate::passwords;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use peerpulse_core::codebook::{Codebook, CodebookEdit};
use peerpulse_core::org_api::{
    AuditAction, CodebookEditRequest, DeviceSummary, DeviceUpdate, EnrolmentCodeIssued,
    NewUserRequest, PasswordResetRequest, ResetLinkIssued, SessionInfo, SignInRequest, UserSummary,
    UserUpdate, WelcomeRequest,
};
use peerpulse_core::oversight::OversightResponse;
use peerpulse_core::people::{MAX_PASSWORD_CHARS, Permission, Username};
use peerpulse_core::privacy::DisclosureRule;
use qrcode::QrCode;
use qrcode::render::svg;
use std::time::Instant;

/// The `Set-Cookie` header that hands the browser session `token` (see [`SessionCookie`]).
fn cookie(state: &AppState, token: &str, max_age: i64) -> Result<HeaderValue, ApiError> {
    HeaderValue::from_str(&SessionCookie::at(&state.public_url).set(token, max_age))
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// A session for `user_id`, who signed in from `address` (`how` says with what when it was not
/// a password): the cookie and who they are.
async fn signed_in(
    state: &AppState,
    user_id: i64,
    address: ClientAddress,
    how: Option<&str>,
) -> Result<Response, ApiError> {
    let token = people::start_session(&state.db, user_id).await?;
    let person = people::session(&state.db, &token)
        .await?
        .ok_or_else(|| ApiError::Internal("a new session vanished".into()))?;
    audit::note(state, &person, address, AuditAction::SignedIn, how).await?;
    let info = session_info(state, person).await?;
    let mut response = Json(info).into_response();
    response.headers_mut().insert(
        SET_COOKIE,
        cookie(state, &token, people::SESSION_TTL.num_seconds())?,
    );
    Ok(response)
}

async fn session_info(state: &AppState, person: Person) -> Result<SessionInfo, ApiError> {
    let org = super::org_of(state, person.org_id).await?;
    Ok(SessionInfo {
        username: person.username,
        role: person.role,
        org_name: org.name,
        org_handle: org.handle,
        csrf_token: person.csrf_token,
    })
}

fn account_error(e: NewAccountError) -> ApiError {
    match e {
        NewAccountError::Taken => {
            ApiError::Conflict("Someone already has this username: choose another.".into())
        }
        NewAccountError::Db(e) => e.into(),
    }
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
    signed_in(&state, user_id, address, Some("welcome link")).await
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
    signed_in(&state, user_id, ClientAddress(address), Some("reset link")).await
}

/// `POST /api/v1/users/{username}/reset-link`: an admin makes a one-time link with which a
/// person chooses a new password. Their sessions and live views end at once.
pub async fn issue_reset_link(
    State(state): State<AppState>,
    person: Person,
    ClientAddress(address): ClientAddress,
    Path(username): Path<String>,
) -> Result<(StatusCode, Json<ResetLinkIssued>), ApiError> {
    require(&person, Permission::ManagePeople)?;
    let username = Username::new(&username)
        .map_err(|e| ApiError::Unprocessable(format!("{username:?} is not a username: {e}.")))?;
    let token = people::create_reset_link(&state.db, person.org_id, &username)
        .await
        .map_err(|e| match e {
            people::ResetLinkError::NoSuchPerson => {
                ApiError::NoSuchRecord("Your organization has nobody of that name.")
            }
            people::ResetLinkError::Disabled => ApiError::Conflict(
                "Their access is taken away: give it back first, then make the link.".to_owned(),
            ),
            people::ResetLinkError::Db(e) => e.into(),
        })?;
    state.access_ended_in(person.org_id);
    tracing::warn!(
        target: "security", %address, by = %person.username, person = %username,
        "password reset link made; their sessions ended"
    );
    audit::note(
        &state,
        &person,
        ClientAddress(address),
        AuditAction::ResetLinkMade,
        Some(username.as_str()),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(ResetLinkIssued {
            link: format!("{}/password#{token}", state.public_url),
            expires_at: crate::db::timestamp(chrono::Utc::now() + people::RESET_LINK_TTL),
        }),
    ))
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
            signed_in(&state, account.user_id, ClientAddress(address), None).await
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
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignOutScope {
    /// End every session of the person.
    #[serde(default)]
    everywhere: bool,
}

/// `GET /api/v1/users`: the organization's people (admins).
pub async fn list_users(
    State(state): State<AppState>,
    person: Person,
) -> Result<Json<Vec<UserSummary>>, ApiError> {
    require(&person, Permission::ManagePeople)?;
    Ok(Json(people::list(&state.db, person.org_id).await?))
}

/// `PATCH /api/v1/users/{username}`: an admin changes a person's role, or takes their access
/// away (their sessions and live streams end at once) or gives it back.
pub async fn update_user(
    State(state): State<AppState>,
    person: Person,
    ClientAddress(address): ClientAddress,
    Path(username): Path<String>,
    ApiJson(update): ApiJson<UserUpdate>,
) -> Result<StatusCode, ApiError> {
    require(&person, Permission::ManagePeople)?;
    let username = Username::new(&username)
        .map_err(|e| ApiError::Unprocessable(format!("{username:?} is not a username: {e}.")))?;
    match people::update(&state.db, person.org_id, &username, &update).await? {
        people::Updated::Done => {
            state.access_ended_in(person.org_id);
            tracing::warn!(
                target: "security", %address, by = %person.username, person = %username,
                role = ?update.role, disabled = ?update.disabled, "a person's access changed"
            );
            let change = [
                update.role.map(|r| format!("role {}", r.as_str())),
                update.disabled.map(|d| {
                    if d {
                        "access taken away"
                    } else {
                        "access given back"
                    }
                    .to_owned()
                }),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            audit::note(
                &state,
                &person,
                ClientAddress(address),
                AuditAction::AccessChanged,
                Some(&format!("{username}: {change}")),
            )
            .await?;
            Ok(StatusCode::NO_CONTENT)
        }
        people::Updated::NoSuchPerson => Err(ApiError::NoSuchRecord(
            "Your organization has nobody of that name.",
        )),
        people::Updated::LastAdmin => Err(ApiError::Conflict(
            "That would leave the organization without an admin: make someone else admin first."
                .to_owned(),
        )),
    }
}

/// `POST /api/v1/users`: an admin adds a person with a first password.
pub async fn create_user(
    State(state): State<AppState>,
    person: Person,
    address: ClientAddress,
    ApiJson(request): ApiJson<NewUserRequest>,
) -> Result<(StatusCode, Json<UserSummary>), ApiError> {
    require(&person, Permission::ManagePeople)?;
    let hash = passwords::hash(&request.password).await?;
    people::create_user(
        &state.db,
        person.org_id,
        &request.username,
        request.role,
        &hash,
    )
    .await
    .map_err(account_error)?;
    let created = people::list(&state.db, person.org_id)
        .await?
        .into_iter()
        .find(|u| u.username == request.username)
        .ok_or_else(|| ApiError::Internal("a new account vanished".into()))?;
    audit::note(
        &state,
        &person,
        address,
        AuditAction::PersonAdded,
        Some(&format!(
            "{} as {}",
            created.username,
            request.role.as_str()
        )),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// `POST /api/v1/enrolment-codes`: a one-time code for a phone, with a QR code of its link.
pub async fn issue_enrolment_code(
    State(state): State<AppState>,
    person: Person,
    address: ClientAddress,
) -> Result<(StatusCode, Json<EnrolmentCodeIssued>), ApiError> {
    require(&person, Permission::EnrolPhones)?;
    let code = enrolment::create_code(
        &state.db,
        &state.code_key,
        person.org_id,
        enrolment::CODE_TTL,
    )
    .await?;
    let enrol_url = format!("{}/enrol#{code}", state.public_url);
    let qr_svg = QrCode::new(enrol_url.as_bytes())
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    let expires_at = crate::db::timestamp(chrono::Utc::now() + enrolment::CODE_TTL);
    // The code itself is a secret until used: the entry says only that one was issued.
    audit::note(
        &state,
        &person,
        address,
        AuditAction::EnrolmentCodeIssued,
        None,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(EnrolmentCodeIssued {
            code,
            expires_at,
            enrol_url,
            qr_svg,
        }),
    ))
}

/// `GET /api/v1/devices`: the organization's phones.
pub async fn list_devices(
    State(state): State<AppState>,
    person: Person,
) -> Result<Json<Vec<DeviceSummary>>, ApiError> {
    require(&person, Permission::EnrolPhones)?;
    Ok(Json(devices::list(&state.db, person.org_id).await?))
}

/// `POST /api/v1/devices/{id}/revoke`: stops a phone of the organization from syncing.
pub async fn revoke_device(
    State(state): State<AppState>,
    person: Person,
    address: ClientAddress,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    require(&person, Permission::RevokePhones)?;
    if devices::revoke(&state.db, person.org_id, &id).await? {
        state.access_ended_in(person.org_id);
        tracing::warn!(target: "security", by = %person.username, device = %id, "phone revoked");
        audit::note(
            &state,
            &person,
            address,
            AuditAction::PhoneRevoked,
            Some(&id),
        )
        .await?;
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

/// `GET /api/v1/oversight`: encounters each phone captured per week over eight weeks, under
/// the disclosure rule, and the phones that went quiet (managers and admins).
pub async fn oversight(
    State(state): State<AppState>,
    person: Person,
) -> Result<Json<OversightResponse>, ApiError> {
    require(&person, Permission::EnrolPhones)?;
    let org = super::org_of(&state, person.org_id).await?;
    let today = chrono::Utc::now().date_naive();
    let since = today - chrono::Days::new(7 * u64::from(OVERSIGHT_WEEKS));
    let totals = buckets::encounters_per_device(&state.db, person.org_id, since).await?;
    let phones = devices::list(&state.db, person.org_id).await?;
    Ok(Json(peerpulse_core::oversight::oversight(
        DisclosureRule::new(org.threshold),
        &totals,
        &phones,
        today,
        OVERSIGHT_WEEKS,
        chrono::Utc::now(),
    )))
}

/// `GET /api/v1/oversight/mine`: a phone's own row of the oversight grid, exactly as its
/// managers see it, so a worker sees what is said about their phone (support, not
/// surveillance).
pub async fn my_oversight(
    State(state): State<AppState>,
    device: Device,
) -> Result<Json<OversightResponse>, ApiError> {
    let org = super::org_of(&state, device.org_id).await?;
    let today = chrono::Utc::now().date_naive();
    let since = today - chrono::Days::new(7 * u64::from(OVERSIGHT_WEEKS));
    let mut totals = buckets::encounters_per_device(&state.db, device.org_id, since).await?;
    totals.retain(|(id, _, _)| *id == device.id);
    let me = devices::summary(&state.db, device.org_id, &device.id)
        .await?
        .ok_or(ApiError::Unauthorized(
            "This device token is unknown or revoked: enrol the phone again with a new code.",
        ))?;
    Ok(Json(peerpulse_core::oversight::oversight(
        DisclosureRule::new(org.threshold),
        &totals,
        &[me],
        today,
        OVERSIGHT_WEEKS,
        chrono::Utc::now(),
    )))
}

/// `PATCH /api/v1/devices/{id}`: a manager names a phone (an alias or a team, checked by the
/// free-text guard), or takes its name away.
pub async fn update_device(
    State(state): State<AppState>,
    person: Person,
    Path(id): Path<String>,
    ApiJson(update): ApiJson<DeviceUpdate>,
) -> Result<Json<DeviceSummary>, ApiError> {
    require(&person, Permission::EnrolPhones)?;
    if !devices::set_label(&state.db, person.org_id, &id, update.label.as_ref()).await? {
        return Err(ApiError::NoSuchRecord(
            "Your organization has no such phone.",
        ));
    }
    let named = devices::summary(&state.db, person.org_id, &id)
        .await?
        .ok_or(ApiError::NoSuchRecord(
            "Your organization has no such phone.",
        ))?;
    Ok(Json(named))
}

/// ISO weeks the oversight grid covers, this one included.
const OVERSIGHT_WEEKS: u32 = 8;

/// `GET /api/v1/codebook`: the organization's current codebook.
pub async fn codebook(
    State(state): State<AppState>,
    reader: Reader,
) -> Result<Json<Codebook>, ApiError> {
    let org = super::org_of(&state, reader.org_id).await?;
    Ok(Json(org.codebook))
}

/// The answer to a codebook edit made on a version no longer current.
fn codebook_changed(now: u32) -> ApiError {
    ApiError::Conflict(format!(
        "The codebook changed meanwhile (now version {now}): reload it and make the change again."
    ))
}

/// `POST /api/v1/codebook`: one edit, stored as the next version; phones get it on their next
/// sync. Codes are never removed, so past entries and counts always map.
pub async fn edit_codebook(
    State(state): State<AppState>,
    person: Person,
    address: ClientAddress,
    ApiJson(request): ApiJson<CodebookEditRequest>,
) -> Result<Json<Codebook>, ApiError> {
    require(&person, Permission::EditCodebook)?;
    let org = super::org_of(&state, person.org_id).await?;
    if request.base_version != org.codebook.version {
        return Err(codebook_changed(org.codebook.version));
    }
    if let CodebookEdit::Promote { tag } = &request.edit {
        // A word one phone typed stays on that phone: promoting it would name it, and show
        // its count, as a need.
        let phones = buckets::phones_using_free_tag(&state.db, org.id, tag).await?;
        if phones < 2 {
            // Said the same of a word used on one phone and of one used on none, so a
            // guessed word learns nothing.
            return Err(ApiError::Unprocessable(
                "Only a free tag that at least two phones used can become a need: pick one from \"Free tags in use\"."
                    .to_owned(),
            ));
        }
    }
    let edited = org
        .codebook
        .edited(&request.edit)
        .map_err(|e| ApiError::Unprocessable(format!("This change cannot be made: {e}.")))?;
    orgs::set_codebook(&state.db, person.org_id, edited, Some(request.base_version))
        .await
        .map_err(|e| match e {
            orgs::SetCodebookError::Changed { now } => codebook_changed(now),
            orgs::SetCodebookError::Db(e) => e.into(),
            other => ApiError::Internal(other.to_string()),
        })?;
    let stored = super::org_of(&state, person.org_id).await?;
    // The kind of change and the version only: labels and promoted free tags are words
    // people typed.
    audit::note(
        &state,
        &person,
        address,
        AuditAction::CodebookChanged,
        Some(&format!(
            "{} (version {})",
            request.edit.kind_name(),
            stored.codebook.version
        )),
    )
    .await?;
    Ok(Json(stored.codebook))
}
