//! `POST /api/v1/sync`: a device's changed buckets, applied only when newer, and answered
//! "closed" for days the organization folded.

use super::ApiJson;
use crate::AppState;
use crate::auth::Device;
use crate::db::buckets;
use crate::error::ApiError;
use crate::metrics::BucketOutcome;
use axum::Json;
use axum::extract::State;
use chrono::Utc;
use peerpulse_core::protocol::{BucketUpdate, Rejection, SyncRequest, SyncResponse};

/// Applies a batch: invalid buckets are refused one by one, the rest land together.
pub async fn sync(
    State(state): State<AppState>,
    device: Device,
    ApiJson(request): ApiJson<SyncRequest>,
) -> Result<Json<SyncResponse>, ApiError> {
    request.check()?;
    let org = super::org_of(&state, device.org_id).await?;
    let today = Utc::now().date_naive();
    let (valid, rejected): (Vec<&BucketUpdate>, Vec<Rejection>) = request.buckets.iter().fold(
        (Vec::new(), Vec::new()),
        |(mut valid, mut rejected), update| {
            match update.check(&org.codebook, today) {
                Ok(()) => valid.push(update),
                Err(reason) => rejected.push(Rejection {
                    key: update.key(),
                    reason,
                }),
            }
            (valid, rejected)
        },
    );
    let valid: Vec<BucketUpdate> = valid.into_iter().cloned().collect();
    let applied = buckets::apply(&state.db, &org.cell_key_secret, &device, &valid).await?;
    if applied.applied > 0 {
        state.changed_in(device.org_id);
    }
    let metrics = &state.metrics;
    metrics.sync_batches.inc();
    metrics.buckets(BucketOutcome::Applied, u64::from(applied.applied));
    metrics.buckets(BucketOutcome::Unchanged, u64::from(applied.unchanged));
    metrics.buckets(BucketOutcome::Rejected, rejected.len() as u64);
    metrics.buckets(BucketOutcome::Closed, applied.closed.len() as u64);
    if !rejected.is_empty() {
        tracing::info!(device = %device.id, count = rejected.len(), "buckets rejected");
    }
    Ok(Json(SyncResponse {
        acked_through: request.through(),
        applied: applied.applied,
        unchanged: applied.unchanged,
        rejected,
        closed: applied.closed,
        closed_through: applied.closed_through,
        codebook_version: org.codebook.version,
        codebook: (request.codebook_version < org.codebook.version).then_some(org.codebook),
        edit_window: org.edit_window,
    }))
}
