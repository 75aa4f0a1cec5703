//! Insight notes offered for the trend brief: phones offer them, managers review them,
//! everyone in the organization reads the approved ones.

use super::ApiJson;
use crate::AppState;
use crate::auth::{Device, require};
use crate::db::notes;
use crate::db::people::Person;
use crate::error::ApiError;
use crate::messages::Message;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::Utc;
use peerpulse_core::audit::{AuditEvent, NoteDecision};
use peerpulse_core::encounter::EncounterId;
use peerpulse_core::field_notes::{
    NoteOffer, NoteOfferAnswer, NoteReview, NoteStatus, NotesQuery, OfferedNote,
};
use peerpulse_core::people::Permission;

/// `POST /api/v1/notes`: a phone offers one entry's insight note, or its corrected words;
/// sending the same words again is a no-op.
pub async fn offer(
    State(state): State<AppState>,
    device: Device,
    ApiJson(offer): ApiJson<NoteOffer>,
) -> Result<Json<NoteOfferAnswer>, ApiError> {
    offer
        .check(Utc::now().date_naive())
        .map_err(|e| ApiError::Unprocessable(Message::NoteRefused(e)))?;
    let stored = match notes::offer(&state.db, device.org_id, &device.id, &offer).await? {
        notes::Offered::Stored => true,
        notes::Offered::Unchanged => false,
        notes::Offered::TooMany => {
            return Err(ApiError::Unprocessable(Message::TooManyNotesWaiting {
                max: notes::MAX_PENDING_PER_DEVICE.unsigned_abs(),
            }));
        }
    };
    if stored {
        // "Notes to review" on open dashboards reads again.
        state.changed_in(device.org_id);
    }
    Ok(Json(NoteOfferAnswer { stored }))
}

/// `DELETE /api/v1/notes/of-entry/{entry id}`: a phone withdraws the note it offered for one
/// of its entries (deleted, or no longer offered), whatever its review said. Withdrawing a
/// note the service does not have is a no-op, so a resend is harmless.
pub async fn withdraw(
    State(state): State<AppState>,
    device: Device,
    Path(entry): Path<String>,
) -> Result<StatusCode, ApiError> {
    let entry = EncounterId::new(&entry).map_err(|_| {
        ApiError::Unprocessable(Message::NotAnEntryId {
            given: entry.clone(),
        })
    })?;
    notes::withdraw(&state.db, &device.id, &entry).await?;
    state.changed_in(device.org_id);
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/notes`: approved notes for anyone signed in; pending and rejected ones for
/// those who review them.
pub async fn list(
    State(state): State<AppState>,
    person: Person,
    query: Result<Query<NotesQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<OfferedNote>>, ApiError> {
    let Query(query) = query?;
    let status = query.status();
    require(
        &person,
        if status == NoteStatus::Approved {
            Permission::ReadTrends
        } else {
            Permission::ReviewNotes
        },
    )?;
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from > to
    {
        return Err(ApiError::InvalidQuery(Message::FromAfterTo {
            from: from.to_string(),
            to: to.to_string(),
        }));
    }
    Ok(Json(
        notes::list(&state.db, person.org_id, status, query.weeks()).await?,
    ))
}

/// `POST /api/v1/notes/{id}/review`: approves a note for the brief or keeps it out.
pub async fn review(
    State(state): State<AppState>,
    person: Person,
    address: crate::connections::ClientAddress,
    id: Result<Path<i64>, axum::extract::rejection::PathRejection>,
    ApiJson(review): ApiJson<NoteReview>,
) -> Result<StatusCode, ApiError> {
    require(&person, Permission::ReviewNotes)?;
    let missing = ApiError::NoSuchRecord(Message::NoSuchNote);
    let Ok(Path(id)) = id else {
        return Err(missing);
    };
    let Some(decision) = NoteDecision::of(review.status) else {
        return Err(ApiError::Unprocessable(Message::ReviewNeedsDecision));
    };
    if notes::review(&state.db, person.org_id, id, review.status).await? {
        super::audit::note(
            &state,
            &person,
            address,
            AuditEvent::NoteReviewed { note: id, decision },
        )
        .await?;
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(missing)
    }
}
