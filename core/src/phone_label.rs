//! What a manager calls a phone on the oversight page instead of `dev-c37493dd01`: a worker
//! alias or a team ("Van team", "Night outreach 2"), never a legal name. It leaves the
//! service only to the organization's managers, and goes through the free-text guard.

use crate::privacy::guard;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A phone's label: 1 to 40 characters with no control characters, passing the guard.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneLabel(String);

/// Why text cannot be a phone's label.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidPhoneLabel {
    /// Empty, or longer than [`PhoneLabel::MAX_CHARS`].
    #[error("a phone's label is 1 to {} characters", PhoneLabel::MAX_CHARS)]
    Length,
    /// Holds control or invisible characters.
    #[error("a phone's label has only visible characters")]
    Hidden,
    /// Looks like it identifies a person.
    #[error("a phone's label is an alias or a team, never what identifies someone: {0}")]
    Identifying(guard::FlaggedText),
}

impl PhoneLabel {
    /// Most characters.
    pub const MAX_CHARS: usize = 40;

    /// Parses a typed label, trimming the spaces around it.
    pub fn new(raw: &str) -> Result<Self, InvalidPhoneLabel> {
        let label = raw.trim();
        if label.is_empty() || label.chars().count() > Self::MAX_CHARS {
            return Err(InvalidPhoneLabel::Length);
        }
        if crate::privacy::fold::hidden_character(label).is_some() {
            return Err(InvalidPhoneLabel::Hidden);
        }
        guard::check(label).map_err(InvalidPhoneLabel::Identifying)?;
        Ok(Self(label.to_owned()))
    }

    /// The label as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PhoneLabel {
    type Error = InvalidPhoneLabel;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(&value)
    }
}

impl From<PhoneLabel> for String {
    fn from(label: PhoneLabel) -> Self {
        label.0
    }
}

impl fmt::Display for PhoneLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_teams_are_labels() {
        for ok in [
            "Van team",
            " Night outreach 2 ",
            "Équipe de nuit",
            "فريق الشارع",
        ] {
            assert_eq!(PhoneLabel::new(ok).unwrap().as_str(), ok.trim(), "{ok}");
        }
    }

    #[test]
    fn empty_long_hidden_or_identifying_text_is_not_a_label() {
        assert_eq!(PhoneLabel::new("  "), Err(InvalidPhoneLabel::Length));
        assert_eq!(
            PhoneLabel::new(&"x".repeat(41)),
            Err(InvalidPhoneLabel::Length)
        );
        assert_eq!(
            PhoneLabel::new("Van\u{200B}2"),
            Err(InvalidPhoneLabel::Hidden)
        );
        assert_eq!(PhoneLabel::new("Van\n2"), Err(InvalidPhoneLabel::Hidden));
        for identifying in [
            "call 0412 345 678",
            "ana@example.org",
            "Maria Lopez",
            "@jo_88",
            // Cyrillic look-alikes: "Maria Lopez" to the eye.
            "\u{41c}\u{430}ria L\u{43e}pez",
        ] {
            assert!(
                matches!(
                    PhoneLabel::new(identifying),
                    Err(InvalidPhoneLabel::Identifying(_))
                ),
                "{identifying}"
            );
        }
        assert!(serde_json::from_str::<PhoneLabel>("\"ana@example.org\"").is_err());
    }
}
