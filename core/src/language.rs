//! Language tags: which language a codebook label is written in, and which ones a person reads.
//!
//! A tag is the part of BCP 47 that matters for a label: a primary language subtag (`es`,
//! `pt`, `ar`) and optionally a region (`pt-BR`, `es-419`). Tags are kept in their canonical
//! case (`pt-BR`), so `PT_br` and `pt-BR` are one tag.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A validated language tag: `es`, `fr`, `pt-BR`, `es-419`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct LanguageTag(String);

/// Why a string is not a [`LanguageTag`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LanguageTagError {
    /// Nothing was given.
    #[error("a language tag cannot be empty: use a code such as es, fr, pt or ar")]
    Empty,
    /// The language part is not two or three letters.
    #[error("{0:?} is not a language: use a two- or three-letter code such as es, fr, pt or ar")]
    BadLanguage(String),
    /// The region part is not two letters or three digits.
    #[error("{0:?} is not a region: use two letters (pt-BR) or three digits (es-419)")]
    BadRegion(String),
    /// More than a language and a region.
    #[error("{0:?} has more than a language and a region: use a tag such as es or pt-BR")]
    TooManyParts(String),
}

impl LanguageTag {
    /// Parses a tag such as `es`, `pt-BR` or `pt_br`, keeping it in canonical case.
    pub fn new(raw: &str) -> Result<Self, LanguageTagError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(LanguageTagError::Empty);
        }
        let mut parts = raw.split(['-', '_']);
        let language = parts.next().unwrap_or_default();
        if !(2..=3).contains(&language.len()) || !language.chars().all(|c| c.is_ascii_alphabetic())
        {
            return Err(LanguageTagError::BadLanguage(language.to_owned()));
        }
        let mut tag = language.to_ascii_lowercase();
        if let Some(region) = parts.next() {
            let letters = region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic());
            let digits = region.len() == 3 && region.chars().all(|c| c.is_ascii_digit());
            if !(letters || digits) {
                return Err(LanguageTagError::BadRegion(region.to_owned()));
            }
            tag.push('-');
            tag.push_str(&region.to_ascii_uppercase());
        }
        if parts.next().is_some() {
            return Err(LanguageTagError::TooManyParts(raw.to_owned()));
        }
        Ok(Self(tag))
    }

    /// English: the language of codebooks made before labels had one.
    pub fn english() -> Self {
        Self("en".to_owned())
    }

    /// Whether this is plain English (`en`), the language a codebook has unless told.
    pub fn is_english(&self) -> bool {
        self.0 == "en"
    }

    /// The language without its region: `pt` of `pt-BR`.
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }

    /// The tag as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for LanguageTag {
    type Err = LanguageTagError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl TryFrom<String> for LanguageTag {
    type Error = LanguageTagError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(&value)
    }
}

impl From<LanguageTag> for String {
    fn from(tag: LanguageTag) -> Self {
        tag.0
    }
}

impl fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The languages a person reads, best first, from tags as a browser lists them
/// (`navigator.languages`): tags that do not parse whole are read by their language alone
/// (`zh-Hant-TW` as `zh`), and what is not a language at all is left out.
pub fn preferred(tags: impl IntoIterator<Item = impl AsRef<str>>) -> Vec<LanguageTag> {
    let mut out: Vec<LanguageTag> = Vec::new();
    for raw in tags {
        let raw = raw.as_ref();
        let tag = LanguageTag::new(raw).or_else(|_| {
            let language = raw.split(['-', '_']).next().unwrap_or_default();
            LanguageTag::new(language)
        });
        if let Ok(tag) = tag
            && !out.contains(&tag)
        {
            out.push(tag);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_kept_in_canonical_case() {
        for (raw, tag, primary) in [
            ("es", "es", "es"),
            ("PT_br", "pt-BR", "pt"),
            (" ar ", "ar", "ar"),
            ("es-419", "es-419", "es"),
            ("fil", "fil", "fil"),
        ] {
            let parsed = LanguageTag::new(raw).unwrap();
            assert_eq!((parsed.as_str(), parsed.primary()), (tag, primary), "{raw}");
        }
    }

    #[test]
    fn what_is_not_a_language_tag_is_refused_with_the_reason() {
        assert_eq!(LanguageTag::new(""), Err(LanguageTagError::Empty));
        for raw in ["e", "spanish", "e5", "español", "<b>"] {
            assert!(
                matches!(LanguageTag::new(raw), Err(LanguageTagError::BadLanguage(_))),
                "{raw}"
            );
        }
        for raw in ["es-", "es-M", "es-Mexico", "es-4a9"] {
            assert!(
                matches!(LanguageTag::new(raw), Err(LanguageTagError::BadRegion(_))),
                "{raw}"
            );
        }
        assert!(matches!(
            LanguageTag::new("zh-Hant-TW"),
            Err(LanguageTagError::BadRegion(_))
        ));
        assert!(matches!(
            LanguageTag::new("pt-BR-x"),
            Err(LanguageTagError::TooManyParts(_))
        ));
        let bad: Result<LanguageTag, _> = serde_json::from_str("\"spanish\"");
        assert!(
            bad.unwrap_err()
                .to_string()
                .contains("two- or three-letter")
        );
    }

    #[test]
    fn a_browsers_languages_are_read_best_first_without_repeats_or_junk() {
        let read: Vec<String> = preferred(["es-MX", "zh-Hant-TW", "es-mx", "*", "fr"])
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(read, ["es-MX", "zh", "fr"]);
    }
}
