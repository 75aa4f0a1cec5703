//! The organization's codebook: read it, and change it one edit at a time.

use super::ApiJson;
use super::audit;
use crate::AppState;
use crate::auth::{Reader, require};
use crate::connections::ClientAddress;
use crate::db::people::Person;
use crate::db::{buckets, orgs};
use crate::error::ApiError;
use crate::messages::Message;
use axum::Json;
use axum::extract::State;
use peerpulse_core::audit::AuditEvent;
use peerpulse_core::codebook::{Codebook, CodebookEdit};
use peerpulse_core::org_api::CodebookEditRequest;
use peerpulse_core::people::Permission;

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
    ApiError::Conflict(Message::CodebookChanged { now })
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
            return Err(ApiError::Unprocessable(Message::FreeTagTooRare));
        }
    }
    let edited = org
        .codebook
        .edited(&request.edit)
        .map_err(|e| ApiError::Unprocessable(Message::CodebookEditRefused(e)))?;
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
        AuditEvent::CodebookChanged {
            change: request.edit.change(),
            version: stored.codebook.version,
        },
    )
    .await?;
    Ok(Json(stored.codebook))
}
