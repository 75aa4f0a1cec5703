//! Sending a report to a DHIS2 server: `POST {base}/api/dataValueSets` with basic auth, as
//! DHIS2's Web API documents it ("Data values" → "Sending data values"), first as a dry run
//! (`dryRun=true`: DHIS2 checks and counts, stores nothing), then for real. DHIS2's import
//! summary is read into its counts and conflicts.

use peerpulse_core::dhis2::{DataValueSet, ImportCounts, ImportStatus};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// Where and as whom to send.
#[derive(Clone)]
pub struct Dhis2Server {
    /// The server's base URL, such as `https://dhis2.example.org` (no `/api`).
    pub base_url: String,
    /// The DHIS2 user.
    pub username: String,
    /// Their password (never logged: `Debug` hides it).
    pub password: String,
}

impl std::fmt::Debug for Dhis2Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dhis2Server")
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// Why the DHIS2 settings cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum Dhis2SettingsError {
    /// Some of the URL, user and password file are given, not all.
    #[error(
        "a DHIS2 server needs its URL, a user name and a password file (--dhis2-url, --dhis2-username, --dhis2-password-file), all three"
    )]
    Incomplete,
    /// The URL is not http(s).
    #[error("the DHIS2 URL {0:?} does not start with https:// or http://")]
    Url(String),
    /// The password file cannot be read, or is empty.
    #[error("cannot read the DHIS2 password from {path}: {reason}")]
    PasswordFile {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

impl Dhis2Server {
    /// The server the settings name, if any: its URL, its user, and the file holding the
    /// password (a file, so that the password never shows in the process list); its first
    /// line is the password.
    pub fn from_settings(
        base_url: Option<&str>,
        username: Option<&str>,
        password_file: Option<&Path>,
    ) -> Result<Option<Self>, Dhis2SettingsError> {
        let (base_url, username, password_file) = match (base_url, username, password_file) {
            (None, None, None) => return Ok(None),
            (Some(url), Some(user), Some(file)) => (url, user, file),
            _ => return Err(Dhis2SettingsError::Incomplete),
        };
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            return Err(Dhis2SettingsError::Url(base_url.to_owned()));
        }
        let unreadable = |reason: String| Dhis2SettingsError::PasswordFile {
            path: password_file.display().to_string(),
            reason,
        };
        let text = std::fs::read_to_string(password_file).map_err(|e| unreadable(e.to_string()))?;
        let password = text.lines().next().unwrap_or_default();
        if password.is_empty() {
            return Err(unreadable("its first line is empty".into()));
        }
        Ok(Some(Self {
            base_url: base_url.to_owned(),
            username: username.to_owned(),
            password: password.to_owned(),
        }))
    }
}

/// Why a send failed.
#[derive(Debug, thiserror::Error)]
pub enum Dhis2Error {
    /// The server could not be reached, or took too long.
    #[error("DHIS2 at {url} could not be reached: {source}")]
    Unreachable {
        /// What was asked.
        url: String,
        /// Why.
        source: reqwest::Error,
    },
    /// DHIS2 refused the user name and password.
    #[error("DHIS2 refused the user name or password (HTTP {0})")]
    Unauthorized(u16),
    /// DHIS2 answered with an error and no import summary.
    #[error("DHIS2 answered HTTP {status}: {body}")]
    Refused {
        /// The status.
        status: u16,
        /// What it said (cut to 500 characters).
        body: String,
    },
}

/// Reads an import summary in the shapes DHIS2 versions send: bare (2.36 and before) or
/// inside a web message's `response` (2.37 and later).
fn summary_of(raw: &Value) -> Option<ImportCounts> {
    let summary = raw
        .get("response")
        .filter(|r| r.get("importCount").is_some())
        .unwrap_or(raw);
    let count = summary.get("importCount")?;
    let number = |key: &str| count.get(key).and_then(Value::as_u64).unwrap_or(0);
    let conflicts = summary
        .get("conflicts")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|c| {
                    c.get("value")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default();
    Some(ImportCounts {
        status: ImportStatus::from_dhis2(
            summary
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        ),
        imported: number("imported"),
        updated: number("updated"),
        ignored: number("ignored"),
        deleted: number("deleted"),
        conflicts,
    })
}

/// Sends `set` to `server`; with `dry_run` DHIS2 only checks it.
pub async fn send(
    server: &Dhis2Server,
    set: &DataValueSet,
    dry_run: bool,
) -> Result<ImportCounts, Dhis2Error> {
    let url = format!(
        "{}/api/dataValueSets?dryRun={dry_run}&importStrategy=CREATE_AND_UPDATE",
        server.base_url.trim_end_matches('/')
    );
    let unreachable = |source| Dhis2Error::Unreachable {
        url: url.clone(),
        source,
    };
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(unreachable)?;
    let answer = client
        .post(&url)
        .basic_auth(&server.username, Some(&server.password))
        .header("accept", "application/json")
        .json(set)
        .send()
        .await
        .map_err(unreachable)?;
    let status = answer.status().as_u16();
    if status == 401 || status == 403 {
        return Err(Dhis2Error::Unauthorized(status));
    }
    let text = answer.text().await.map_err(unreachable)?;
    // DHIS2 answers 409 with an import summary when some values conflict: still a summary.
    serde_json::from_str(&text)
        .ok()
        .and_then(|raw| summary_of(&raw))
        .ok_or_else(|| Dhis2Error::Refused {
            status,
            body: text.chars().take(500).collect(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn summaries_are_read_bare_and_inside_a_web_message() {
        let bare = json!({"status": "SUCCESS", "importCount": {"imported": 2, "updated": 1, "ignored": 0, "deleted": 0}});
        let wrapped = json!({"httpStatus": "Conflict", "httpStatusCode": 409, "status": "WARNING",
            "response": {"responseType": "ImportSummary", "status": "WARNING",
                "importCount": {"imported": 1, "updated": 0, "ignored": 1, "deleted": 0},
                "conflicts": [{"object": "dEContacts1", "value": "Data element not found"}]}});
        let bare = summary_of(&bare).unwrap();
        assert_eq!(
            (bare.status, bare.imported, bare.updated),
            (ImportStatus::Success, 2, 1)
        );
        let wrapped = summary_of(&wrapped).unwrap();
        assert_eq!(
            (wrapped.status, wrapped.ignored),
            (ImportStatus::Warning, 1)
        );
        assert_eq!(wrapped.conflicts, ["Data element not found"]);
        assert!(summary_of(&json!({"message": "Not found"})).is_none());
    }

    #[test]
    fn the_password_never_shows_in_debug() {
        let server = Dhis2Server {
            base_url: "https://dhis2.example.org".into(),
            username: "pulse".into(),
            password: "hunter2-secret".into(),
        };
        assert!(!format!("{server:?}").contains("hunter2"));
    }

    #[test]
    fn settings_are_all_or_nothing_and_the_password_comes_from_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("dhis2-password");
        std::fs::write(&file, "district\n").unwrap();
        let url = Some("https://dhis2.example.org");
        let server = Dhis2Server::from_settings(url, Some("pulse"), Some(&file))
            .unwrap()
            .unwrap();
        assert_eq!(
            (server.username.as_str(), server.password.as_str()),
            ("pulse", "district")
        );
        assert!(
            Dhis2Server::from_settings(None, None, None)
                .unwrap()
                .is_none()
        );
        assert!(matches!(
            Dhis2Server::from_settings(url, None, Some(&file)),
            Err(Dhis2SettingsError::Incomplete)
        ));
        assert!(matches!(
            Dhis2Server::from_settings(Some("dhis2.example.org"), Some("pulse"), Some(&file)),
            Err(Dhis2SettingsError::Url(_))
        ));
        assert!(matches!(
            Dhis2Server::from_settings(url, Some("pulse"), Some(&dir.path().join("none"))),
            Err(Dhis2SettingsError::PasswordFile { .. })
        ));
    }
}
