//! `GET /healthz` and `GET /readyz`: for a load balancer, an orchestrator or a monitor. Both
//! are open (they tell nothing about anyone's data) and never cached.

use crate::AppState;
use crate::db::{self, Migrations};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

/// The process is up (it answers whatever the database does).
pub const HEALTHZ_PATH: &str = "/healthz";
/// The service can serve: the database answers and its migrations are this build's.
pub const READYZ_PATH: &str = "/readyz";

/// What both answer.
#[derive(Debug, Serialize)]
pub struct Health {
    /// `ok`, `ready` or `not ready`.
    status: &'static str,
    /// Why not ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

/// `GET /healthz`: 200 while the process runs.
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok",
        reason: None,
    })
}

/// `GET /readyz`: 200 when the database answers and every migration of this build, and no
/// other, is applied; else 503 with the reason.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let not_ready = |reason: String| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Health {
                status: "not ready",
                reason: Some(reason),
            }),
        )
    };
    match db::migrations(&state.db).await {
        Ok(Migrations::Current) => (
            StatusCode::OK,
            Json(Health {
                status: "ready",
                reason: None,
            }),
        ),
        Ok(Migrations::Behind { missing }) => {
            not_ready(format!("migrations not applied: {missing:?}"))
        }
        Ok(Migrations::Ahead { unknown }) => not_ready(format!(
            "the database has migrations this build does not know: {unknown:?}"
        )),
        Err(e) => {
            tracing::warn!("readiness check failed: {e}");
            not_ready("the database does not answer".to_owned())
        }
    }
}
