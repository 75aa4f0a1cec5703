//! Languages: the interface's [`Language`] (each names itself, knows its writing direction
//! and the CLDR plural categories its translations must spell out), and the [`LanguageTag`]s
//! a codebook's labels and an alert's messages are written in. The two are separate on
//! purpose: a worker may read the app in one language and the codes in another.
//!
//! One routine, [`best_match`], chooses among what is offered in several languages for
//! someone who reads some, best first: the interface's languages, a code's labels, an alert's
//! messages.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One language of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

    /// The plural category of a whole number `n` in this language (CLDR's cardinal rules
    /// for integers, the ones [`Self::plural_categories`] lists): which form of a counted
    /// message the service writes, as `Intl.PluralRules` picks it on the phone.
    pub fn plural_category(self, n: u64) -> PluralCategory {
        use PluralCategory::*;
        let millions = n != 0 && n.is_multiple_of(1_000_000);
        match self {
            Self::En => {
                if n == 1 {
                    One
                } else {
                    Other
                }
            }
            Self::Es | Self::Fr | Self::Pt => {
                let one = match self {
                    Self::Es => n == 1,
                    _ => n <= 1,
                };
                if one {
                    One
                } else if millions {
                    Many
                } else {
                    Other
                }
            }
            Self::Ar => match (n, n % 100) {
                (0, _) => Zero,
                (1, _) => One,
                (2, _) => Two,
                (_, 3..=10) => Few,
                (_, 11..=99) => Many,
                _ => Other,
            },
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
        best_match(tags, Self::ALL).unwrap_or(Self::En)
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

/// Anything written in a language: what [`best_match`] matches on both sides.
pub trait Tagged {
    /// Its BCP 47 tag (`es`, `pt-BR`), or a tag as a browser wrote it (`pt_br`).
    fn language_tag(&self) -> &str;
}

impl Tagged for Language {
    fn language_tag(&self) -> &str {
        self.tag()
    }
}

impl Tagged for LanguageTag {
    fn language_tag(&self) -> &str {
        self.as_str()
    }
}

impl Tagged for str {
    fn language_tag(&self) -> &str {
        self
    }
}

impl Tagged for String {
    fn language_tag(&self) -> &str {
        self
    }
}

/// Something paired with the language it is in: a label with its tag.
impl<T: Tagged, U> Tagged for (T, U) {
    fn language_tag(&self) -> &str {
        self.0.language_tag()
    }
}

impl<T: Tagged + ?Sized> Tagged for &T {
    fn language_tag(&self) -> &str {
        (**self).language_tag()
    }
}

/// The language of a tag without its region or script: `pt` of `pt-BR` and of `PT_br`.
fn primary_of(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or(tag)
}

/// What to show someone who reads `wanted`, best first, of what is `offered` in several
/// languages: for each wanted tag in turn, what is offered in exactly it, else what is offered
/// in its language (`es-MX` reads `es`, `es` reads `es-419`), the plainest tag first; `None`
/// when nothing offered is in any of them. Tags compare without regard to case or to `_`
/// for `-`, as browsers and people write them.
pub fn best_match<W: Tagged, T: Tagged>(
    wanted: impl IntoIterator<Item = W>,
    offered: impl IntoIterator<Item = T>,
) -> Option<T> {
    let mut offered: Vec<T> = offered.into_iter().collect();
    let same = |a: &str, b: &str| {
        a.len() == b.len()
            && a.bytes().zip(b.bytes()).all(|(x, y)| {
                let fold = |c: u8| {
                    if c == b'_' {
                        b'-'
                    } else {
                        c.to_ascii_lowercase()
                    }
                };
                fold(x) == fold(y)
            })
    };
    for wanted in wanted {
        let wanted = wanted.language_tag();
        let exact = offered.iter().position(|o| same(o.language_tag(), wanted));
        let chosen = exact.or_else(|| {
            offered
                .iter()
                .enumerate()
                .filter(|(_, o)| same(primary_of(o.language_tag()), primary_of(wanted)))
                .min_by_key(|(_, o)| o.language_tag().len())
                .map(|(at, _)| at)
        });
        if let Some(at) = chosen {
            return Some(offered.swap_remove(at));
        }
    }
    None
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
    fn whole_numbers_take_cldr_plural_forms() {
        use PluralCategory::*;
        let forms = |language: Language, numbers: &[u64]| -> Vec<PluralCategory> {
            numbers
                .iter()
                .map(|n| language.plural_category(*n))
                .collect()
        };
        assert_eq!(
            forms(Language::En, &[0, 1, 2, 1_000_000]),
            [Other, One, Other, Other]
        );
        assert_eq!(
            forms(Language::Es, &[0, 1, 2, 1_000_000]),
            [Other, One, Other, Many]
        );
        assert_eq!(
            forms(Language::Fr, &[0, 1, 2, 2_000_000]),
            [One, One, Other, Many]
        );
        assert_eq!(
            forms(Language::Pt, &[0, 1, 2, 1_000_001]),
            [One, One, Other, Other]
        );
        assert_eq!(
            forms(Language::Ar, &[0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 111]),
            [
                Zero, One, Two, Few, Few, Many, Many, Other, Other, Few, Many
            ]
        );
        for language in Language::ALL {
            for n in 0..2_000 {
                let category = language.plural_category(n);
                assert!(
                    language.plural_categories().contains(&category),
                    "{language} {n}: {category:?}"
                );
            }
        }
    }

    #[test]
    fn a_regional_tag_chooses_its_language() {
        assert_eq!(Language::from_tag("pt-BR"), Some(Language::Pt));
        assert_eq!(Language::from_tag("es-419"), Some(Language::Es));
        assert_eq!(Language::from_tag("AR_EG"), Some(Language::Ar));
        assert_eq!(Language::from_tag("de-DE"), None);
        assert_eq!(Language::from_tag(""), None);
    }

    #[test]
    fn the_one_matcher_prefers_the_exact_tag_then_the_plainest_of_the_same_language() {
        let offered = ["pt-BR", "pt", "es-419", "fr-CA"];
        assert_eq!(best_match(["pt-BR"], offered), Some("pt-BR"));
        assert_eq!(best_match(["pt_br"], offered), Some("pt-BR"));
        assert_eq!(best_match(["pt-PT"], offered), Some("pt"));
        assert_eq!(best_match(["es-MX"], offered), Some("es-419"));
        assert_eq!(best_match(["fr"], offered), Some("fr-CA"));
        assert_eq!(best_match(["de", "ES"], offered), Some("es-419"));
        assert_eq!(best_match(["de", "nl"], offered), None);
        assert_eq!(best_match(Vec::<&str>::new(), offered), None);
    }

    #[test]
    fn the_one_matcher_serves_interface_languages_and_codebook_tags_alike() {
        let tags = ["es-MX", "fr"].map(|t| LanguageTag::new(t).unwrap());
        assert_eq!(best_match(&tags, Language::ALL), Some(Language::Es));
        let offered = ["ar", "fr-CA"].map(|t| LanguageTag::new(t).unwrap());
        assert_eq!(best_match([Language::Fr], &offered), Some(&offered[1]));
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

#[cfg(test)]
mod tag_tests {
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
