//! `PUT /api/v1/me/language`: the signed-in person's own language on the organization's app.
//! Anyone signed in sets it, viewers included, and only for themselves: the path names no one,
//! the session says who.

use super::ApiJson;
use super::sessions::session_info;
use crate::AppState;
use crate::db::people::{self, Person};
use crate::error::ApiError;
use axum::Json;
use axum::extract::State;
use peerpulse_core::org_api::{LanguageChoice, SessionInfo};

/// Keeps `choice` on the person's account and answers who they now are, language included.
pub async fn set_my_language(
    State(state): State<AppState>,
    person: Person,
    ApiJson(choice): ApiJson<LanguageChoice>,
) -> Result<Json<SessionInfo>, ApiError> {
    people::set_language(&state.db, person.user_id, choice.language).await?;
    let person = Person {
        language: choice.language,
        ..person
    };
    Ok(Json(session_info(&state, person).await?))
}
