//! The organization's codebook: read it, and change it one edit at a time.

use super::ApiJson;
use super::audit;
use crate::AppState;
use crate::auth::{Reader, require};
use crate::connections::ClientAddress;
use crate::db::people::Person;
use crate::db::{buckets, orgs};
use crate::error::ApiError;
use axum::Json;
use axum::extract::State;
use peerpulse_core::codebook::{Codebook, CodebookEdit};
use peerpulse_core::org_api::{AuditAction, CodebookEditRequest};
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
    let edited = org.codebook.edited(&request.edit).map_err(|e| {
        // Some reasons end in a sentence of their own ("Please rephrase…").
        let why = e.to_string();
        ApiError::Unprocessable(format!(
            "This change cannot be made: {}.",
            why.trim_end_matches('.')
        ))
    })?;
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
