//! The languages PeerPulse speaks, and how a browser's preferences choose one.
//!
//! A language here is the interface's language; the codebook's labels have their own (see
//! [`crate::codebook`]). Each language names itself, knows its writing direction and the CLDR
//! plural categories its translations must spell out.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One language of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English: the reference every translation is checked against, built into the app.
    En,
    /// Spanish.
    Es,
    /// French.
    Fr,
    /// Portuguese.
    Pt,
    /// Arabic, written right to left.
    Ar,
}

/// Which way a language's lines run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left.
    Rtl,
}

impl Direction {
    /// The HTML `dir` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ltr => "ltr",
            Self::Rtl => "rtl",
        }
    }
}

/// A CLDR plural category: which form of a counted phrase a number takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PluralCategory {
    /// Arabic 0.
    Zero,
    /// 1 (and, in French, 0).
    One,
    /// Arabic 2.
    Two,
    /// Arabic 3–10.
    Few,
    /// Arabic 11–99; a million and more in Spanish, French and Portuguese.
    Many,
    /// Every other number.
    Other,
}

impl PluralCategory {
    /// All categories, in CLDR order.
    pub const ALL: [Self; 6] = [
        Self::Zero,
        Self::One,
        Self::Two,
        Self::Few,
        Self::Many,
        Self::Other,
    ];

    /// The CLDR name, as `Intl.PluralRules` returns it and as translation keys end in it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Zero => "zero",
            Self::One => "one",
            Self::Two => "two",
            Self::Few => "few",
            Self::Many => "many",
            Self::Other => "other",
        }
    }

    /// The category named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl Language {
    /// Every language, English first.
    pub const ALL: [Self; 5] = [Self::En, Self::Es, Self::Fr, Self::Pt, Self::Ar];

    /// The BCP 47 tag (`<html lang>`, `Intl`, the translation file's name).
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Es => "es",
            Self::Fr => "fr",
            Self::Pt => "pt",
            Self::Ar => "ar",
        }
    }

    /// The language's name in itself, as a menu of languages shows it.
    pub fn own_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Es => "Español",
            Self::Fr => "Français",
            Self::Pt => "Português",
            Self::Ar => "العربية",
        }
    }

    /// Which way its lines run.
    pub fn direction(self) -> Direction {
        match self {
            Self::Ar => Direction::Rtl,
            _ => Direction::Ltr,
        }
    }

    /// The CLDR plural categories of cardinal numbers (CLDR 42 and later, as browsers ship
    /// them): every counted phrase is translated in each.
    pub fn plural_categories(self) -> &'static [PluralCategory] {
        use PluralCategory::*;
        match self {
            Self::En => &[One, Other],
            Self::Es | Self::Fr | Self::Pt => &[One, Many, Other],
            Self::Ar => &[Zero, One, Two, Few, Many, Other],
        }
    }

    /// The language a BCP 47 tag asks for, by its primary subtag: `pt-BR` and `es-419` are
    /// Portuguese and Spanish.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Self::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// The first of a browser's preferred tags (`navigator.languages`, best first) that
    /// PeerPulse speaks; English when it speaks none of them.
    pub fn preferred<'a>(tags: impl IntoIterator<Item = &'a str>) -> Self {
        tags.into_iter()
            .find_map(Self::from_tag)
            .unwrap_or(Self::En)
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A tag PeerPulse has no translation for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("PeerPulse has no translation for the language \"{0}\"")]
pub struct UnknownLanguage(String);

impl FromStr for Language {
    type Err = UnknownLanguage;

    /// Exactly one of the tags [`Language::tag`] gives.
    fn from_str(tag: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|l| l.tag() == tag)
            .ok_or_else(|| UnknownLanguage(tag.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regional_tag_chooses_its_language() {
        assert_eq!(Language::from_tag("pt-BR"), Some(Language::Pt));
        assert_eq!(Language::from_tag("es-419"), Some(Language::Es));
        assert_eq!(Language::from_tag("AR_EG"), Some(Language::Ar));
        assert_eq!(Language::from_tag("de-DE"), None);
        assert_eq!(Language::from_tag(""), None);
    }

    #[test]
    fn the_first_preference_peerpulse_speaks_wins_and_english_is_the_fallback() {
        assert_eq!(Language::preferred(["de-DE", "fr-CA", "es"]), Language::Fr);
        assert_eq!(Language::preferred(["de", "nl"]), Language::En);
        assert_eq!(Language::preferred([]), Language::En);
    }

    #[test]
    fn only_arabic_runs_right_to_left() {
        for language in Language::ALL {
            let rtl = language.direction() == Direction::Rtl;
            assert_eq!(rtl, language == Language::Ar, "{language}");
        }
    }

    #[test]
    fn arabic_has_six_plural_forms_and_every_language_has_other() {
        assert_eq!(Language::Ar.plural_categories().len(), 6);
        for language in Language::ALL {
            assert!(
                language
                    .plural_categories()
                    .contains(&PluralCategory::Other)
            );
        }
    }

    #[test]
    fn a_tag_reads_back_as_its_language_and_nothing_else_does() {
        for language in Language::ALL {
            assert_eq!(language.tag().parse(), Ok(language));
        }
        assert!("en-GB".parse::<Language>().is_err());
    }
}
