//! People who sign in: accounts, sessions and one-time sign-in links.

use super::{Db, DbError, now, timestamp};
use crate::secrets;
use chrono::{Duration, Utc};
use peerpulse_core::language::Language;
use peerpulse_core::org_api::{UserSummary, UserUpdate};
use peerpulse_core::people::{OrgHandle, Role, Username};

/// How long a one-time sign-in link works.
pub const LINK_TTL: Duration = Duration::days(7);
/// How long the first admin's link, printed where anyone with the console can read it, stays
/// valid.
pub const FIRST_ADMIN_LINK_TTL: Duration = Duration::hours(24);
/// How long a password reset link works: it is handed over now, to someone who is waiting.
pub const RESET_LINK_TTL: Duration = Duration::hours(24);
/// How long a session lasts before signing in again.
pub const SESSION_TTL: Duration = Duration::hours(12);

/// A signed-in person, from their session: every query they make is scoped to `org_id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// Account id.
    pub user_id: i64,
    /// Their organization.
    pub org_id: i64,
    /// Their name.
    pub username: Username,
    /// What they may do.
    pub role: Role,
    /// The token their changing requests must echo.
    pub csrf_token: String,
    /// The language they chose for the organization's app; none follows their browser.
    pub language: Option<Language>,
}

/// A person's row as a session reads it.
#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    org_id: i64,
    username: String,
    role: String,
    csrf_token: String,
    language: Option<String>,
}

/// An account as stored, for checking a password.
#[derive(Clone, Debug)]
pub struct Account {
    /// Account id.
    pub user_id: i64,
    /// The stored argon2 hash.
    pub password_hash: String,
}

/// Why an account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum NewAccountError {
    /// Someone already has this name.
    #[error("the username is taken: choose another")]
    Taken,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

fn role_of(name: &str) -> Result<Role, DbError> {
    Role::parse(name).ok_or_else(|| DbError::Corrupt(format!("unknown role {name:?}")))
}

/// A one-time link that lets someone create an account with `role` in `org_id`, valid for
/// [`LINK_TTL`]; returns the token to put in the link (only its hash is stored).
pub async fn create_link(db: &Db, org_id: i64, role: Role) -> Result<String, DbError> {
    create_link_valid_for(db, org_id, role, LINK_TTL).await
}

/// A one-time link as [`create_link`] makes, valid for `ttl`.
pub async fn create_link_valid_for(
    db: &Db,
    org_id: i64,
    role: Role,
    ttl: Duration,
) -> Result<String, DbError> {
    let token = secrets::new_token()?;
    sqlx::query(
        "INSERT INTO sign_in_links (token_hash, org_id, role, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(secrets::hash(&token))
    .bind(org_id)
    .bind(role.as_str())
    .bind(now())
    .bind(timestamp(Utc::now() + ttl))
    .execute(db)
    .await?;
    Ok(token)
}

async fn insert_user(
    tx: &mut sqlx::AnyConnection,
    org_id: i64,
    username: &Username,
    role: Role,
    password_hash: &str,
) -> Result<i64, NewAccountError> {
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE org_id = $1 AND username = $2")
            .bind(org_id)
            .bind(username.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(DbError::from)?;
    if taken.is_some() {
        return Err(NewAccountError::Taken);
    }
    let id = sqlx::query_scalar(
        "INSERT INTO users (org_id, username, role, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(org_id)
    .bind(username.as_str())
    .bind(role.as_str())
    .bind(password_hash)
    .bind(now())
    .fetch_one(&mut *tx)
    .await
    .map_err(DbError::from)?;
    Ok(id)
}

/// Uses up a sign-in link and creates the account it offers, atomically. `None` when the
/// link is unknown, used or expired.
pub async fn redeem_link(
    db: &Db,
    token: &str,
    username: &Username,
    password_hash: &str,
) -> Result<Option<i64>, NewAccountError> {
    let now = now();
    let mut tx = db.begin().await.map_err(DbError::from)?;
    let offer: Option<(i64, String)> = sqlx::query_as(
        "UPDATE sign_in_links SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 AND user_id IS NULL \
         RETURNING org_id, role",
    )
    .bind(&now)
    .bind(secrets::hash(token))
    .fetch_optional(&mut *tx)
    .await
    .map_err(DbError::from)?;
    let Some((org_id, role)) = offer else {
        return Ok(None);
    };
    let id = insert_user(&mut tx, org_id, username, role_of(&role)?, password_hash).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(Some(id))
}

/// What a one-time link offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// A new account ([`redeem_link`]).
    NewAccount,
    /// A new password for one person ([`redeem_reset`]).
    PasswordReset,
}

/// Whether `token` is a link of `kind` that can still be used (checked before any password
/// is hashed for it; redeeming checks again as it uses it).
pub async fn link_is_open(db: &Db, token: &str, kind: LinkKind) -> Result<bool, DbError> {
    let open: Option<i64> = sqlx::query_scalar(match kind {
        LinkKind::NewAccount => {
            "SELECT org_id FROM sign_in_links \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 AND user_id IS NULL"
        }
        LinkKind::PasswordReset => {
            "SELECT org_id FROM sign_in_links \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
               AND user_id IS NOT NULL"
        }
    })
    .bind(secrets::hash(token))
    .bind(now())
    .fetch_optional(db)
    .await?;
    Ok(open.is_some())
}

/// Why no reset link was made.
#[derive(Debug, thiserror::Error)]
pub enum ResetLinkError {
    /// The organization has nobody of that name.
    #[error("no such person")]
    NoSuchPerson,
    /// Their access is taken away: a new password would not let them in.
    #[error("their access is taken away")]
    Disabled,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// What a person's password is while a reset link is out: no argon2 hash, so no password
/// matches it (checking one still costs a hash: see `passwords::verify`).
const NO_PASSWORD: &str = "!reset";

/// The organization of account `user_id`, if it exists.
pub async fn org_of_user(db: &Db, user_id: i64) -> Result<Option<i64>, DbError> {
    Ok(sqlx::query_scalar("SELECT org_id FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(db)
        .await?)
}

/// A one-time link with which `username` of `org_id` chooses a new password, valid for
/// [`RESET_LINK_TTL`]. In the same transaction their old password stops working and their
/// sessions end (if the password leaked, whoever holds it is out at once and stays out), and
/// any earlier reset link of theirs stops working.
/// Returns the token to put in the link (only its hash is stored).
pub async fn create_reset_link(
    db: &Db,
    org_id: i64,
    username: &Username,
) -> Result<String, ResetLinkError> {
    let token = secrets::new_token().map_err(DbError::from)?;
    let now = now();
    let mut tx = db.begin().await.map_err(DbError::from)?;
    let person: Option<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT id, role, disabled_at FROM users WHERE org_id = $1 AND username = $2",
    )
    .bind(org_id)
    .bind(username.as_str())
    .fetch_optional(&mut *tx)
    .await
    .map_err(DbError::from)?;
    let (user_id, role) = match person {
        None => return Err(ResetLinkError::NoSuchPerson),
        Some((_, _, Some(_))) => return Err(ResetLinkError::Disabled),
        Some((id, role, None)) => (id, role),
    };
    sqlx::query(
        "UPDATE sign_in_links SET expires_at = $1 \
         WHERE user_id = $2 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(&now)
    .bind(user_id)
    .execute(&mut *tx)
    .await
    .map_err(DbError::from)?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await
        .map_err(DbError::from)?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(NO_PASSWORD)
        .bind(user_id)
        .execute(&mut *tx)
        .await
        .map_err(DbError::from)?;
    sqlx::query(
        "INSERT INTO sign_in_links (token_hash, org_id, role, user_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(secrets::hash(&token))
    .bind(org_id)
    .bind(role)
    .bind(user_id)
    .bind(&now)
    .bind(timestamp(Utc::now() + RESET_LINK_TTL))
    .execute(&mut *tx)
    .await
    .map_err(DbError::from)?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(token)
}

/// Uses up a reset link and gives its person `password_hash`, ending any session they have,
/// atomically. `None` when the link is unknown, used or expired, or their access was taken
/// away meanwhile.
pub async fn redeem_reset(
    db: &Db,
    token: &str,
    password_hash: &str,
) -> Result<Option<i64>, DbError> {
    let now = now();
    let mut tx = db.begin().await?;
    let user_id: Option<i64> = sqlx::query_scalar(
        "UPDATE sign_in_links SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
           AND user_id IS NOT NULL \
         RETURNING user_id",
    )
    .bind(&now)
    .bind(secrets::hash(token))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(user_id) = user_id else {
        return Ok(None);
    };
    let changed =
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2 AND disabled_at IS NULL")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    if changed.rows_affected() != 1 {
        return Ok(None);
    }
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(user_id))
}

/// Creates an account in `org_id` directly (an admin adding a person).
pub async fn create_user(
    db: &Db,
    org_id: i64,
    username: &Username,
    role: Role,
    password_hash: &str,
) -> Result<i64, NewAccountError> {
    let mut tx = db.begin().await.map_err(DbError::from)?;
    let id = insert_user(&mut tx, org_id, username, role, password_hash).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(id)
}

/// The account named `username` in the organization whose handle is `org`, if any and not
/// disabled.
pub async fn account(
    db: &Db,
    org: &OrgHandle,
    username: &Username,
) -> Result<Option<Account>, DbError> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT users.id, users.password_hash FROM users JOIN orgs ON orgs.id = users.org_id \
         WHERE orgs.handle = $1 AND users.username = $2 AND users.disabled_at IS NULL",
    )
    .bind(org.as_str())
    .bind(username.as_str())
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(user_id, password_hash)| Account {
        user_id,
        password_hash,
    }))
}

/// Starts a session for `user_id`; returns the cookie token (only its hash is stored).
pub async fn start_session(db: &Db, user_id: i64) -> Result<String, DbError> {
    let token = secrets::new_token()?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(secrets::hash(&token))
    .bind(user_id)
    .bind(secrets::new_token()?)
    .bind(now())
    .bind(timestamp(Utc::now() + SESSION_TTL))
    .execute(db)
    .await?;
    Ok(token)
}

/// The person whose unexpired session `token` is.
pub async fn session(db: &Db, token: &str) -> Result<Option<Person>, DbError> {
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT users.id, users.org_id, users.username, users.role, sessions.csrf_token, \
                users.language \
         FROM sessions JOIN users ON users.id = sessions.user_id \
         WHERE sessions.token_hash = $1 AND sessions.expires_at > $2 \
           AND users.disabled_at IS NULL",
    )
    .bind(secrets::hash(token))
    .bind(now())
    .fetch_optional(db)
    .await?;
    row.map(|row| {
        let user_id = row.id;
        let language = row
            .language
            .map(|tag| {
                tag.parse::<Language>()
                    .map_err(|e| DbError::Corrupt(format!("user {user_id}: {e}")))
            })
            .transpose()?;
        Ok(Person {
            user_id,
            org_id: row.org_id,
            username: Username::new(&row.username)
                .map_err(|e| DbError::Corrupt(format!("user {user_id}: {e}")))?,
            role: role_of(&row.role)?,
            csrf_token: row.csrf_token,
            language,
        })
    })
    .transpose()
}

/// Sets the language `user_id` chose for the organization's app (`None`: their browser's).
pub async fn set_language(
    db: &Db,
    user_id: i64,
    language: Option<Language>,
) -> Result<(), DbError> {
    sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
        .bind(language.map(Language::tag))
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends the session `token`.
pub async fn end_session(db: &Db, token: &str) -> Result<(), DbError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(secrets::hash(token))
        .execute(db)
        .await?;
    Ok(())
}

/// Ends every session of `user_id`.
pub async fn end_sessions_of(db: &Db, user_id: i64) -> Result<(), DbError> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

/// The people of `org_id`, by name.
pub async fn list(db: &Db, org_id: i64) -> Result<Vec<UserSummary>, DbError> {
    let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT username, role, created_at, disabled_at FROM users WHERE org_id = $1 \
         ORDER BY username",
    )
    .bind(org_id)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(username, role, created_at, disabled_at)| {
            Ok(UserSummary {
                username: Username::new(&username)
                    .map_err(|e| DbError::Corrupt(format!("user {username:?}: {e}")))?,
                role: role_of(&role)?,
                created_at,
                disabled: disabled_at.is_some(),
            })
        })
        .collect()
}

/// What changing a person did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Updated {
    /// Changed (or already so).
    Done,
    /// The organization has nobody of that name.
    NoSuchPerson,
    /// It would leave the organization without an admin who can sign in.
    LastAdmin,
}

/// Changes `username`'s role in `org_id`, or takes their access away (ending all their
/// sessions in the same transaction) or gives it back. Never leaves an organization without
/// an admin who can sign in.
pub async fn update(
    db: &Db,
    org_id: i64,
    username: &Username,
    update: &UserUpdate,
) -> Result<Updated, DbError> {
    let mut tx = db.begin().await?;
    let target: Option<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT id, role, disabled_at FROM users WHERE org_id = $1 AND username = $2",
    )
    .bind(org_id)
    .bind(username.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let Some((user_id, role, disabled_at)) = target else {
        return Ok(Updated::NoSuchPerson);
    };
    let was_admin = role_of(&role)? == Role::Admin && disabled_at.is_none();
    let role = update.role.unwrap_or(role_of(&role)?);
    let disabled = update.disabled.unwrap_or(disabled_at.is_some());
    if was_admin && (role != Role::Admin || disabled) {
        let other_admins: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM users WHERE org_id = $1 AND id <> $2 \
             AND role = $3 AND disabled_at IS NULL",
        )
        .bind(org_id)
        .bind(user_id)
        .bind(Role::Admin.as_str())
        .fetch_one(&mut *tx)
        .await?;
        if other_admins == 0 {
            return Ok(Updated::LastAdmin);
        }
    }
    sqlx::query(
        "UPDATE users SET role = $1, \
           disabled_at = CASE WHEN $2 THEN COALESCE(disabled_at, $3) ELSE NULL END \
         WHERE id = $4",
    )
    .bind(role.as_str())
    .bind(disabled)
    .bind(now())
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE sign_in_links SET expires_at = $1 \
             WHERE user_id = $2 AND used_at IS NULL AND expires_at > $1",
        )
        .bind(now())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Updated::Done)
}
