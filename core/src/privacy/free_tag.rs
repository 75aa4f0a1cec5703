//! Free tags: needs the codebook does not know yet, typed by the worker.

use crate::codebook::{Code, MAX_CODE_LEN};
use crate::privacy::guard::{self, FlaggedText};

/// Why a typed tag cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FreeTagError {
    /// Nothing usable was typed.
    #[error("Type a few words for the need, for example \"dental care\".")]
    Empty,
    /// The tag is too long to be a tag.
    #[error("Keep a tag under {MAX_CODE_LEN} characters; put longer thoughts in the note.")]
    TooLong,
    /// The tag may identify someone.
    #[error(transparent)]
    Identifying(#[from] FlaggedText),
}

/// What a person reads for a normalized tag: its words, spaced, the first capitalized
/// ("Dental care").
pub fn label(tag: &Code) -> String {
    tag.as_words()
}

/// Checks a tag that arrives as a code, as the service does: its words must not identify
/// anyone, nor be a name alone ("maria-lopez").
pub fn check(tag: &Code) -> Result<(), FlaggedText> {
    guard::check_tag(&tag.as_str().replace('-', " "))
}

/// Turns what a worker typed into a tag code, so "Dental  Care", "dental-cares" and
/// "dental care" count as one need: lowercase, words joined by hyphens, punctuation
/// dropped, simple English plurals made singular. A tag that may identify someone, or is a
/// name alone ("Maria Lopez"), is refused with the reason.
pub fn normalize(raw: &str) -> Result<Code, FreeTagError> {
    guard::check_tag(raw)?;
    let words: Vec<String> = raw
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_' || c == '/')
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .filter(|w| !w.is_empty())
        .map(|w| singular(&w))
        .collect();
    if words.is_empty() {
        return Err(FreeTagError::Empty);
    }
    let joined = words.join("-");
    if joined.len() > MAX_CODE_LEN {
        return Err(FreeTagError::TooLong);
    }
    let tag =
        Code::new(&joined).expect("lowercase ascii words joined by single hyphens form a code");
    check(&tag)?;
    Ok(tag)
}

/// A simple singular: "needles" → "needle", "supplies" → "supply", "boxes" → "box".
fn singular(word: &str) -> String {
    let keep =
        word.len() <= 3 || word.ends_with("ss") || word.ends_with("us") || word.ends_with("is");
    if keep || !word.ends_with('s') {
        return word.to_owned();
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for ending in ["ches", "shes", "xes", "sses", "zes"] {
        if word.ends_with(ending) {
            return word[..word.len() - 2].to_owned();
        }
    }
    word[..word.len() - 1].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(raw: &str) -> String {
        normalize(raw).unwrap().to_string()
    }

    #[test]
    fn case_spacing_and_plurals_collapse_to_one_tag() {
        assert_eq!(tag("Dental care"), "dental-care");
        assert_eq!(tag("  dental   CARE "), "dental-care");
        assert_eq!(tag("dental-cares"), "dental-care");
        assert_eq!(tag("Sharps bins!"), "sharp-bin");
        assert_eq!(tag("phone charges"), "phone-charge");
        assert_eq!(tag("supplies"), "supply");
        assert_eq!(tag("lunch boxes"), "lunch-box");
        assert_eq!(tag("glass"), "glass");
        assert_eq!(tag("bus"), "bus");
        assert_eq!(tag("ID"), "id");
    }

    #[test]
    fn empty_long_or_identifying_tags_are_refused() {
        assert_eq!(normalize(" -- "), Err(FreeTagError::Empty));
        assert_eq!(normalize(&"word ".repeat(12)), Err(FreeTagError::TooLong));
        assert!(matches!(
            normalize("named Dave"),
            Err(FreeTagError::Identifying(_))
        ));
    }

    #[test]
    fn a_name_typed_as_a_need_is_refused_with_the_reason() {
        for typed in ["Maria Lopez", "maria lopez", "John Smith", "@bigmike88"] {
            let Err(FreeTagError::Identifying(flagged)) = normalize(typed) else {
                panic!("{typed} was accepted");
            };
            assert!(flagged.to_string().contains("looks like a"), "{flagged}");
        }
        assert!(check(&Code::new("maria-lopez").unwrap()).is_err());
        assert_eq!(check(&Code::new("dental-care").unwrap()), Ok(()));
        assert_eq!(tag("Hope Street drop-in"), "hope-street-drop-in");
    }
}
