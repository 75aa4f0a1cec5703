//! The organization's people: who may sign in and with which role, and new password links.
//! Every query is scoped to the signed-in person's organization.

use super::ApiJson;
use super::audit;
use crate::AppState;
use crate::auth::require;
use crate::connections::ClientAddress;
use crate::db::people::{self, NewAccountError, Person};
use crate::error::ApiError;
use crate::messages::Message;
use crate::passwords;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use peerpulse_core::audit::{AccessChange, AuditEvent};
use peerpulse_core::org_api::{NewUserRequest, ResetLinkIssued, UserSummary, UserUpdate};
use peerpulse_core::people::{Permission, Username};

pub(super) fn account_error(e: NewAccountError) -> ApiError {
    match e {
        NewAccountError::Taken => ApiError::Conflict(Message::UsernameTaken),
        NewAccountError::Db(e) => e.into(),
    }
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
    let username = Username::new(&username).map_err(|_| {
        ApiError::Unprocessable(Message::NotAUsername {
            given: username.clone(),
        })
    })?;
    match people::update(&state.db, person.org_id, &username, &update).await? {
        people::Updated::Done => {
            state.access_ended_in(person.org_id);
            tracing::warn!(
                target: "security", %address, by = %person.username, person = %username,
                role = ?update.role, disabled = ?update.disabled, "a person's access changed"
            );
            audit::note(
                &state,
                &person,
                ClientAddress(address),
                AuditEvent::AccessChanged {
                    person: username,
                    role: update.role,
                    access: update.disabled.map(AccessChange::of_disabled),
                },
            )
            .await?;
            Ok(StatusCode::NO_CONTENT)
        }
        people::Updated::NoSuchPerson => Err(ApiError::NoSuchRecord(Message::NoSuchPerson)),
        people::Updated::LastAdmin => Err(ApiError::Conflict(Message::LastAdmin)),
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
        AuditEvent::PersonAdded {
            person: created.username.clone(),
            role: request.role,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)))
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
    let username = Username::new(&username).map_err(|_| {
        ApiError::Unprocessable(Message::NotAUsername {
            given: username.clone(),
        })
    })?;
    let token = people::create_reset_link(&state.db, person.org_id, &username)
        .await
        .map_err(|e| match e {
            people::ResetLinkError::NoSuchPerson => ApiError::NoSuchRecord(Message::NoSuchPerson),
            people::ResetLinkError::Disabled => ApiError::Conflict(Message::AccessTakenAway),
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
        AuditEvent::ResetLinkMade { person: username },
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
