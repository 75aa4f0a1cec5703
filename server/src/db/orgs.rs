//! Organizations.

use super::{Db, DbError, now};
use peerpulse_core::codebook::{Codebook, CodebookError};
use peerpulse_core::encounter::EditWindow;
use peerpulse_core::privacy::SuppressionThreshold;

/// An organization as the API needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Org {
    /// Row id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Counts below this are never shown.
    pub threshold: SuppressionThreshold,
    /// The organization's codebook (its `version` is the current one).
    pub codebook: Codebook,
    /// How far back workers may date, edit or delete entries.
    pub edit_window: EditWindow,
    /// The secret its buckets' cell keys are derived from.
    pub cell_key_secret: CellKeySecret,
}

/// The secret an organization's cell keys are derived from: whoever knows it could compute
/// the noise of every published count, so it never leaves the service (nor its logs).
#[derive(Clone, PartialEq, Eq)]
pub struct CellKeySecret(String);

impl CellKeySecret {
    /// A new random secret.
    pub fn random() -> Result<Self, crate::secrets::NoRandomness> {
        crate::secrets::new_token().map(Self)
    }

    /// The secret as stored.
    pub fn from_stored(secret: String) -> Self {
        Self(secret)
    }

    /// The secret's text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for CellKeySecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CellKeySecret(..)")
    }
}

/// Creates an organization and returns its id.
pub async fn create(db: &Db, name: &str) -> Result<i64, DbError> {
    let id = sqlx::query_scalar(
        "INSERT INTO orgs (name, created_at, cell_key_secret) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(name)
    .bind(now())
    .bind(CellKeySecret::random()?.expose())
    .fetch_one(db)
    .await?;
    Ok(id)
}

/// The first organization, if any (the one a fresh install creates).
pub async fn first(db: &Db) -> Result<Option<i64>, DbError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM orgs ORDER BY id LIMIT 1")
            .fetch_optional(db)
            .await?,
    )
}

/// An organization as stored.
#[derive(sqlx::FromRow)]
struct OrgRow {
    id: i64,
    name: String,
    suppression_threshold: i64,
    codebook: Option<String>,
    edit_window_days: i64,
    cell_key_secret: Option<String>,
}

/// One organization by id.
pub async fn get(db: &Db, id: i64) -> Result<Option<Org>, DbError> {
    let row: Option<OrgRow> = sqlx::query_as(
        "SELECT id, name, suppression_threshold, codebook, edit_window_days, cell_key_secret \
         FROM orgs WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    let Some(OrgRow {
        id,
        name,
        suppression_threshold: threshold,
        codebook,
        edit_window_days: window,
        cell_key_secret: secret,
    }) = row
    else {
        return Ok(None);
    };
    let cell_key_secret = CellKeySecret::from_stored(
        secret.ok_or_else(|| DbError::Corrupt(format!("org {id} has no cell key secret")))?,
    );
    Ok(Some(Org {
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
        codebook: codebook
            .map(|json| {
                serde_json::from_str(&json).unwrap_or_else(|e| {
                    tracing::error!(
                        "org {id} stores an unreadable codebook ({e}); using the built-in one"
                    );
                    Codebook::harm_reduction_default()
                })
            })
            .unwrap_or_else(Codebook::harm_reduction_default),
        edit_window: u16::try_from(window)
            .ok()
            .and_then(|days| EditWindow::new(days).ok())
            .unwrap_or_else(|| {
                tracing::warn!(
                    "org {id} stores an invalid edit window {window}; using the default"
                );
                EditWindow::default()
            }),
        cell_key_secret,
    }))
}

/// Sets an organization's threshold; every published count follows it from the next read.
/// Returns whether the organization exists.
pub async fn set_threshold(
    db: &Db,
    org_id: i64,
    threshold: SuppressionThreshold,
) -> Result<bool, DbError> {
    let done = sqlx::query("UPDATE orgs SET suppression_threshold = $1 WHERE id = $2")
        .bind(i64::from(threshold.get()))
        .bind(org_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets how far back an organization's workers may date, edit or delete entries; phones get
/// it on their next sync. Returns whether the organization exists.
pub async fn set_edit_window(db: &Db, org_id: i64, window: EditWindow) -> Result<bool, DbError> {
    let done = sqlx::query("UPDATE orgs SET edit_window_days = $1 WHERE id = $2")
        .bind(i64::from(window.days()))
        .bind(org_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Why a codebook could not be stored.
#[derive(Debug, thiserror::Error)]
pub enum SetCodebookError {
    /// The codebook itself is wrong.
    #[error("the codebook is not usable: {0}")]
    Invalid(#[from] CodebookError),
    /// No such organization.
    #[error("no organization {0}")]
    NoOrg(i64),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Replaces an organization's codebook, one version above the current one; phones get it on
/// their next sync. Returns the new version.
pub async fn set_codebook(
    db: &Db,
    org_id: i64,
    mut codebook: Codebook,
) -> Result<u32, SetCodebookError> {
    codebook.check()?;
    let current = get(db, org_id)
        .await?
        .ok_or(SetCodebookError::NoOrg(org_id))?;
    codebook.version = current.codebook.version.saturating_add(1);
    let json = serde_json::to_string(&codebook).expect("a codebook always serializes");
    sqlx::query("UPDATE orgs SET codebook = $1 WHERE id = $2")
        .bind(json)
        .bind(org_id)
        .execute(db)
        .await
        .map_err(DbError::from)?;
    Ok(codebook.version)
}
