//! Organizations.

use super::{DbError, now};
use peerpulse_core::privacy::SuppressionThreshold;
use sqlx::SqlitePool;

/// An organization as the API needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Org {
    /// Row id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Counts below this are never shown.
    pub threshold: SuppressionThreshold,
    /// Current codebook version.
    pub codebook_version: u32,
}

/// Creates an organization and returns its id.
pub async fn create(db: &SqlitePool, name: &str) -> Result<i64, DbError> {
    let id = sqlx::query_scalar("INSERT INTO orgs (name, created_at) VALUES (?, ?) RETURNING id")
        .bind(name)
        .bind(now())
        .fetch_one(db)
        .await?;
    Ok(id)
}

/// The first organization, if any (the one a fresh install creates).
pub async fn first(db: &SqlitePool) -> Result<Option<i64>, DbError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM orgs ORDER BY id LIMIT 1")
            .fetch_optional(db)
            .await?,
    )
}

/// One organization by id.
pub async fn get(db: &SqlitePool, id: i64) -> Result<Option<Org>, DbError> {
    let row: Option<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT id, name, suppression_threshold, codebook_version FROM orgs WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(id, name, threshold, codebook_version)| Org {
        id,
        name,
        threshold: u32::try_from(threshold)
            .ok()
            .and_then(|t| SuppressionThreshold::new(t).ok())
            .unwrap_or_else(|| {
                tracing::warn!(
                    "org {id} stores an invalid threshold {threshold}; using the default"
                );
                SuppressionThreshold::default()
            }),
        codebook_version: u32::try_from(codebook_version).unwrap_or(1),
    }))
}
