//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes), off the async
//! runtime because it is slow on purpose.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use peerpulse_core::people::NewPassword;
use std::sync::LazyLock;

/// A hash to check against when the account does not exist, so a wrong username takes as
/// long as a wrong password and does not reveal which names exist.
static NOBODY: LazyLock<String> =
    LazyLock::new(|| hash_now("no account has this password").expect("hashing a constant works"));

/// Hashing failed (the system's randomness, or the hasher itself).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

fn hash_now(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// The stored form of a new password.
pub async fn hash(password: &NewPassword) -> Result<String, HashError> {
    let password = password.expose().to_owned();
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await
        .map_err(|e| HashError(e.to_string()))?
}

/// Whether `password` matches `stored`; with no stored hash (no such account) it does the
/// same work and answers no.
pub async fn verify(password: &str, stored: Option<String>) -> bool {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let exists = stored.is_some();
        let stored = stored.unwrap_or_else(|| NOBODY.clone());
        let matches = PasswordHash::new(&stored).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        exists && matches
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_password_verifies_against_its_own_hash_only() {
        let password = NewPassword::new("correct horse battery").unwrap();
        let stored = hash(&password).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(!stored.contains("horse"));
        assert!(verify("correct horse battery", Some(stored.clone())).await);
        assert!(!verify("correct horse batterY", Some(stored)).await);
        assert!(!verify("no account has this password", None).await);
    }
}
