//! People of an organization who sign in: who they are and what each role may do.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a signed-in person may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Manages people, phones and everything a manager does.
    Admin,
    /// Enrols phones, oversees capture, edits the codebook, reads trends.
    Manager,
    /// Reads trends and briefs.
    Viewer,
}

/// Something a person may or may not do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Create people and sign-in links.
    ManagePeople,
    /// Create enrolment codes and see the organization's phones.
    EnrolPhones,
    /// Revoke a phone.
    RevokePhones,
    /// Read the organization's suppressed trends.
    ReadTrends,
    /// Add, rename, retire and restore codes, and promote free tags.
    EditCodebook,
    /// Read the insight notes workers offered and approve or reject them for the brief.
    ReviewNotes,
    /// Read the audit log: who signed in and changed what, from where.
    ReadAuditLog,
    /// Change the organization's settings (how long per-phone counts are kept).
    ChangeSettings,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Self; 3] = [Self::Admin, Self::Manager, Self::Viewer];

    /// The stable name used in the API and the database (its serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Manager => "manager",
            Self::Viewer => "viewer",
        }
    }

    /// The role stored as `name`, if any.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// Whether this role may do `permission`.
    pub fn may(self, permission: Permission) -> bool {
        match permission {
            Permission::ManagePeople
            | Permission::RevokePhones
            | Permission::ReadAuditLog
            | Permission::ChangeSettings => self == Self::Admin,
            Permission::EnrolPhones | Permission::EditCodebook | Permission::ReviewNotes => {
                matches!(self, Self::Admin | Self::Manager)
            }
            Permission::ReadTrends => true,
        }
    }
}

/// A sign-in name: 3 to 40 of a-z, 0-9, '.', '_' and '-', stored lowercase.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

/// Why a name cannot be a [`Username`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a username is 3 to 40 characters of a-z, 0-9, '.', '_' and '-'")]
pub struct InvalidUsername;

impl Username {
    /// Parses a typed name, ignoring case and surrounding spaces.
    pub fn new(raw: &str) -> Result<Self, InvalidUsername> {
        let name = raw.trim().to_ascii_lowercase();
        let valid = (3..=40).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
        if valid {
            Ok(Self(name))
        } else {
            Err(InvalidUsername)
        }
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = InvalidUsername;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(&value)
    }
}

impl From<Username> for String {
    fn from(name: Username) -> Self {
        name.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The name an organization signs in under, such as `harbour-outreach`: 2 to 40 of a-z,
/// 0-9 and '-', not starting or ending with '-', stored lowercase. Usernames are unique
/// within an organization only, so signing in names the organization too.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct OrgHandle(String);

/// Why a name cannot be an [`OrgHandle`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "an organization's sign-in name is 2 to 40 characters of a-z, 0-9 and '-' (as your admin gave it)"
)]
pub struct InvalidOrgHandle;

impl OrgHandle {
    /// Fewest characters.
    pub const MIN_CHARS: usize = 2;
    /// Most characters.
    pub const MAX_CHARS: usize = 40;

    /// Parses a typed handle, ignoring case and surrounding spaces.
    pub fn new(raw: &str) -> Result<Self, InvalidOrgHandle> {
        let handle = raw.trim().to_ascii_lowercase();
        let valid = (Self::MIN_CHARS..=Self::MAX_CHARS).contains(&handle.len())
            && handle
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !handle.starts_with('-')
            && !handle.ends_with('-');
        if valid {
            Ok(Self(handle))
        } else {
            Err(InvalidOrgHandle)
        }
    }

    /// A handle made of the ASCII letters and digits of `words` (each run of anything else
    /// becomes one '-'), cut to fit, or `None` when fewer than two remain.
    pub fn from_words(words: &str) -> Option<Self> {
        let mut handle = String::new();
        for c in words.chars() {
            if c.is_ascii_alphanumeric() {
                handle.push(c.to_ascii_lowercase());
            } else if !handle.is_empty() && !handle.ends_with('-') {
                handle.push('-');
            }
        }
        handle.truncate(Self::MAX_CHARS);
        Self::new(handle.trim_end_matches('-')).ok()
    }

    /// This handle with `-n` after it, cut so it still fits (to tell apart organizations
    /// whose names make the same handle).
    pub fn numbered(&self, n: u32) -> Self {
        let suffix = format!("-{n}");
        let mut base = self.0.clone();
        base.truncate(Self::MAX_CHARS - suffix.len());
        Self(format!("{}{suffix}", base.trim_end_matches('-')))
    }

    /// The handle as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OrgHandle {
    type Error = InvalidOrgHandle;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(&value)
    }
}

impl From<OrgHandle> for String {
    fn from(handle: OrgHandle) -> Self {
        handle.0
    }
}

impl fmt::Display for OrgHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Fewest characters a new password may have.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Most characters a password may have (hashing cost stays bounded).
pub const MAX_PASSWORD_CHARS: usize = 200;

/// A password someone chose, long enough to resist guessing. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct NewPassword(String);

/// Why a password cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "a password is {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters; a few unrelated words work well"
)]
pub struct WeakPassword;

impl NewPassword {
    /// Checks a chosen password's length.
    pub fn new(raw: &str) -> Result<Self, WeakPassword> {
        let len = raw.chars().count();
        if (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&len) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(WeakPassword)
        }
    }

    /// The password, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for NewPassword {
    type Error = WeakPassword;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(&value)
    }
}

impl From<NewPassword> for String {
    fn from(password: NewPassword) -> Self {
        password.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_manage_people_and_revoke_phones() {
        assert!(Role::Admin.may(Permission::ManagePeople));
        assert!(!Role::Manager.may(Permission::ManagePeople));
        assert!(Role::Manager.may(Permission::EnrolPhones));
        assert!(!Role::Manager.may(Permission::RevokePhones));
        assert!(!Role::Viewer.may(Permission::EnrolPhones));
        assert!(Role::Manager.may(Permission::EditCodebook));
        assert!(!Role::Viewer.may(Permission::EditCodebook));
        assert!(Role::ALL.iter().all(|r| r.may(Permission::ReadTrends)));
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(
                serde_json::to_string(&role).unwrap(),
                format!("\"{}\"", role.as_str())
            );
        }
        assert_eq!(Role::parse("owner"), None);
    }

    #[test]
    fn usernames_are_lowercase_slugs() {
        assert_eq!(Username::new(" Ana.K ").unwrap().as_str(), "ana.k");
        assert!(Username::new("ab").is_err());
        assert!(Username::new("ana k").is_err());
        assert!(Username::new(&"a".repeat(41)).is_err());
        assert!(serde_json::from_str::<Username>("\"x y\"").is_err());
    }

    #[test]
    fn organization_handles_are_lowercase_words_joined_by_hyphens() {
        assert_eq!(OrgHandle::new(" Harbour-2 ").unwrap().as_str(), "harbour-2");
        for bad in [
            "h",
            "-harbour",
            "harbour-",
            "har bour",
            "harbour_x",
            &"h".repeat(41),
        ] {
            assert!(OrgHandle::new(bad).is_err(), "{bad:?}");
        }
        let made = |words| OrgHandle::from_words(words).map(String::from);
        assert_eq!(
            made("Harbour Outreach (East)").as_deref(),
            Some("harbour-outreach-east")
        );
        assert_eq!(made("  --Van 7--  ").as_deref(), Some("van-7"));
        assert_eq!(made("مركز"), None);
        let long = made(&"word ".repeat(20)).unwrap();
        assert!(
            long.len() <= OrgHandle::MAX_CHARS && !long.ends_with('-'),
            "{long}"
        );
        let base = OrgHandle::new(&"h".repeat(40)).unwrap();
        assert_eq!(base.numbered(12).as_str(), format!("{}-12", "h".repeat(37)));
        assert!(OrgHandle::new(base.numbered(12).as_str()).is_ok());
    }

    #[test]
    fn passwords_need_ten_characters_and_hide_in_debug() {
        assert_eq!(NewPassword::new("short"), Err(WeakPassword));
        let ok = NewPassword::new("correct horse battery").unwrap();
        assert_eq!(ok.expose(), "correct horse battery");
        assert!(!format!("{ok:?}").contains("horse"));
        assert!(NewPassword::new(&"x".repeat(201)).is_err());
    }
}
