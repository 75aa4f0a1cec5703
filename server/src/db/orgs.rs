//! Organizations.

use super::{Db, DbError, now};
use chrono::NaiveDate;
use peerpulse_core::codebook::{Codebook, CodebookError};
use peerpulse_core::encounter::EditWindow;
use peerpulse_core::people::OrgHandle;
use peerpulse_core::privacy::SuppressionThreshold;
use peerpulse_core::retention::KeepPhoneRows;

/// An organization as the API needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Org {
    /// Row id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// The name its people sign in under.
    pub handle: OrgHandle,
    /// Counts below this are never shown.
    pub threshold: SuppressionThreshold,
    /// The organization's codebook (its `version` is the current one).
    pub codebook: Codebook,
    /// How far back workers may date, edit or delete entries.
    pub edit_window: EditWindow,
    /// The secret its buckets' cell keys are derived from.
    pub cell_key_secret: CellKeySecret,
    /// How long each phone's own counts are kept before they fold (`None`: always).
    pub keep_phone_rows: Option<KeepPhoneRows>,
    /// The last day folded: syncs of it and earlier days are answered "closed".
    pub closed_through: Option<NaiveDate>,
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

/// Creates an organization and returns its id. Its handle is made from its name (see
/// [`free_handle`]).
pub async fn create(db: &Db, name: &str) -> Result<i64, DbError> {
    let handle = free_handle(db, name).await?;
    let id = sqlx::query_scalar(
        "INSERT INTO orgs (name, handle, created_at, cell_key_secret) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(name)
    .bind(handle.as_str())
    .bind(now())
    .bind(CellKeySecret::random()?.expose())
    .fetch_one(db)
    .await?;
    Ok(id)
}

/// A handle no organization has yet, made from `name`: its letters without accents and its
/// digits, words joined by '-' ("Médecins du Monde" gives `medecins-du-monde`), numbered
/// when taken (`harbour-2`), and `org` for a name with no Latin letters.
pub async fn free_handle(db: &Db, name: &str) -> Result<OrgHandle, DbError> {
    use unicode_normalization::UnicodeNormalization;
    let latin: String = name.nfkd().filter(char::is_ascii).collect();
    let base = OrgHandle::from_words(&latin)
        .unwrap_or_else(|| OrgHandle::new("org").expect("\"org\" is a handle"));
    for n in 1.. {
        let candidate = if n == 1 {
            base.clone()
        } else {
            base.numbered(n)
        };
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM orgs WHERE handle = $1")
            .bind(candidate.as_str())
            .fetch_optional(db)
            .await?;
        if taken.is_none() {
            return Ok(candidate);
        }
    }
    unreachable!("some number is free")
}

/// Gives every organization stored before handles existed one made from its name.
pub async fn give_handles(db: &Db) -> Result<(), DbError> {
    let unnamed: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM orgs WHERE handle IS NULL ORDER BY id")
            .fetch_all(db)
            .await?;
    for (id, name) in unnamed {
        let handle = free_handle(db, &name).await?;
        sqlx::query("UPDATE orgs SET handle = $1 WHERE id = $2 AND handle IS NULL")
            .bind(handle.as_str())
            .bind(id)
            .execute(db)
            .await?;
    }
    Ok(())
}

/// The first organization, if any (the one a fresh install creates).
pub async fn first(db: &Db) -> Result<Option<i64>, DbError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM orgs ORDER BY id LIMIT 1")
            .fetch_optional(db)
            .await?,
    )
}

/// An organization as the management commands name it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct OrgListing {
    /// Row id.
    pub id: i64,
    /// The name its people sign in under (stored before handles existed: none yet).
    pub handle: Option<String>,
    /// Display name.
    pub name: String,
}

impl std::fmt::Display for OrgListing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}  (id {})  {}",
            self.handle.as_deref().unwrap_or("-"),
            self.id,
            self.name
        )
    }
}

/// Every organization, oldest first.
pub async fn list(db: &Db) -> Result<Vec<OrgListing>, DbError> {
    Ok(
        sqlx::query_as("SELECT id, handle, name FROM orgs ORDER BY id")
            .fetch_all(db)
            .await?,
    )
}

/// Why no one organization was chosen.
#[derive(Debug, thiserror::Error)]
pub enum ChooseOrgError {
    /// The service holds no organization yet.
    #[error("no organization yet: start the service once with `serve`, or `org create NAME`")]
    None,
    /// Several exist and none was named.
    #[error("this service holds several organizations: choose one with --org{}", listing(.0))]
    Unnamed(Vec<OrgListing>),
    /// None has that handle, id or name.
    #[error("no organization is called {key:?}: choose one of these with --org{}", listing(.orgs))]
    Unknown {
        /// What was asked for.
        key: String,
        /// What exists.
        orgs: Vec<OrgListing>,
    },
    /// Several have that name: their handle or id tells them apart.
    #[error("several organizations are named {key:?}: choose by sign-in name or id{}", listing(.matches))]
    Ambiguous {
        /// What was asked for.
        key: String,
        /// The organizations of that name.
        matches: Vec<OrgListing>,
    },
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

fn listing(orgs: &[OrgListing]) -> String {
    orgs.iter().map(|o| format!("\n  {o}")).collect()
}

/// The organization `key` names: its sign-in name (`harbour-outreach`), its id, or its exact
/// name, in that order. Without `key` the only organization, if there is only one.
pub async fn choose(db: &Db, key: Option<&str>) -> Result<OrgListing, ChooseOrgError> {
    let orgs = list(db).await?;
    let Some(key) = key.map(str::trim) else {
        return match orgs.as_slice() {
            [] => Err(ChooseOrgError::None),
            [only] => Ok(only.clone()),
            _ => Err(ChooseOrgError::Unnamed(orgs)),
        };
    };
    let by_handle = orgs.iter().find(|o| o.handle.as_deref() == Some(key));
    let by_id = || {
        key.parse::<i64>()
            .ok()
            .and_then(|id| orgs.iter().find(|o| o.id == id))
    };
    if let Some(org) = by_handle.or_else(by_id) {
        return Ok(org.clone());
    }
    let matches: Vec<OrgListing> = orgs.iter().filter(|o| o.name == key).cloned().collect();
    match matches.len() {
        0 if orgs.is_empty() => Err(ChooseOrgError::None),
        0 => Err(ChooseOrgError::Unknown {
            key: key.to_owned(),
            orgs,
        }),
        1 => Ok(matches.into_iter().next().expect("one match")),
        _ => Err(ChooseOrgError::Ambiguous {
            key: key.to_owned(),
            matches,
        }),
    }
}

/// An organization as stored.
#[derive(sqlx::FromRow)]
struct OrgRow {
    id: i64,
    name: String,
    handle: Option<String>,
    suppression_threshold: i64,
    codebook: Option<String>,
    edit_window_days: i64,
    cell_key_secret: Option<String>,
    keep_phone_rows_months: Option<i64>,
    closed_through: Option<String>,
}

/// One organization by id.
pub async fn get(db: &Db, id: i64) -> Result<Option<Org>, DbError> {
    let row: Option<OrgRow> = sqlx::query_as(
        "SELECT id, name, handle, suppression_threshold, codebook, edit_window_days, \
           cell_key_secret, keep_phone_rows_months, closed_through \
         FROM orgs WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    let Some(OrgRow {
        id,
        name,
        handle,
        suppression_threshold: threshold,
        codebook,
        edit_window_days: window,
        cell_key_secret: secret,
        keep_phone_rows_months: keep,
        closed_through,
    }) = row
    else {
        return Ok(None);
    };
    let cell_key_secret = CellKeySecret::from_stored(
        secret.ok_or_else(|| DbError::Corrupt(format!("org {id} has no cell key secret")))?,
    );
    let handle = handle
        .as_deref()
        .map(OrgHandle::new)
        .transpose()
        .ok()
        .flatten()
        .ok_or_else(|| DbError::Corrupt(format!("org {id} has no valid handle")))?;
    Ok(Some(Org {
        id,
        name,
        handle,
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
        keep_phone_rows: keep
            .map(|months| {
                u16::try_from(months)
                    .ok()
                    .and_then(|m| KeepPhoneRows::months(m).ok())
                    .ok_or_else(|| {
                        DbError::Corrupt(format!("org {id} keeps phone rows {months} months"))
                    })
            })
            .transpose()?,
        closed_through: closed_through
            .map(|day| {
                day.parse()
                    .map_err(|e| DbError::Corrupt(format!("org {id} closed day {day:?}: {e}")))
            })
            .transpose()?,
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
    /// The stored codebook is not the one the change was made on: another change came first.
    #[error("the codebook changed meanwhile (now version {now})")]
    Changed {
        /// The version stored now.
        now: u32,
    },
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Replaces an organization's codebook, one version above the current one; phones get it on
/// their next sync. Returns the new version.
///
/// With `base`, the change was made on that version and is refused if another is stored. The
/// write itself is a compare-and-set on the stored codebook, so of two changes made on the
/// same version at the same moment one is stored and the other refused: never two different
/// codebooks under one version number, some phones holding each.
pub async fn set_codebook(
    db: &Db,
    org_id: i64,
    mut codebook: Codebook,
    base: Option<u32>,
) -> Result<u32, SetCodebookError> {
    codebook.check()?;
    let stored: Option<Option<String>> =
        sqlx::query_scalar("SELECT codebook FROM orgs WHERE id = $1")
            .bind(org_id)
            .fetch_optional(db)
            .await
            .map_err(DbError::from)?;
    let stored = stored.ok_or(SetCodebookError::NoOrg(org_id))?;
    let current = get(db, org_id)
        .await?
        .ok_or(SetCodebookError::NoOrg(org_id))?
        .codebook
        .version;
    if base.is_some_and(|base| base != current) {
        return Err(SetCodebookError::Changed { now: current });
    }
    codebook.version = current.saturating_add(1);
    let json = serde_json::to_string(&codebook).expect("a codebook always serializes");
    let written = sqlx::query(
        "UPDATE orgs SET codebook = $1 WHERE id = $2 AND codebook IS NOT DISTINCT FROM $3",
    )
    .bind(json)
    .bind(org_id)
    .bind(stored)
    .execute(db)
    .await
    .map_err(DbError::from)?;
    if written.rows_affected() != 1 {
        let now = get(db, org_id)
            .await?
            .map_or(current, |org| org.codebook.version);
        return Err(SetCodebookError::Changed { now });
    }
    Ok(codebook.version)
}
