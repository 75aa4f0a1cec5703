//! Enrolment codes: the short one-time codes a manager hands to a worker to connect a phone.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Letters and digits that cannot be misread for one another (no 0/O, 1/I/L, 5/S, 8/B, 2/Z).
const ALPHABET: &[u8; 25] = b"34679ACDEFGHJKMNPQRTUVWXY";
/// Letters and digits a code never has, in the order an error names them.
const LOOK_ALIKES: &str = "01258BILOSZ";
/// Characters in a code, shown as two groups of four.
const LEN: usize = 8;

/// A one-time enrolment code such as `K7QD-3MXR`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct EnrolmentCode(String);

/// Text that is not an enrolment code, and what is wrong with it, in the worker's words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidEnrolmentCode {
    /// Nothing was typed.
    #[error("Type the enrolment code from your manager: 8 letters and digits.")]
    Empty,
    /// Too few or too many characters (spaces and hyphens aside).
    #[error("An enrolment code has 8 letters and digits; this has {0}.")]
    WrongLength(usize),
    /// Characters no code ever has: codes leave out look-alikes such as 0 and O, 2 and Z.
    #[error("Enrolment codes never contain {0}: check the code with your manager.")]
    NotInCodes(String),
}

impl EnrolmentCode {
    /// Builds a code from random bytes (the caller supplies the randomness).
    pub fn from_random(bytes: [u8; LEN]) -> Self {
        Self(
            bytes
                .iter()
                .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
                .collect(),
        )
    }

    /// The canonical form, without the separator: what the service stores a hash of.
    pub fn canonical(&self) -> &str {
        &self.0
    }
}

impl FromStr for EnrolmentCode {
    type Err = InvalidEnrolmentCode;
    /// Accepts what a person types: any case, spaces and hyphens anywhere.
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let canonical: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        // In a fixed order, each once (no sort: this runs on the phone, where code is weight).
        let mut foreign: Vec<char> = LOOK_ALIKES
            .chars()
            .filter(|c| canonical.contains(*c))
            .collect();
        if let Some(other) = canonical
            .chars()
            .find(|c| !c.is_ascii_alphanumeric() && !foreign.contains(c))
        {
            foreign.push(other);
        }
        let len = canonical.chars().count();
        if canonical.is_empty() {
            Err(InvalidEnrolmentCode::Empty)
        } else if len != LEN {
            Err(InvalidEnrolmentCode::WrongLength(len))
        } else if !foreign.is_empty() {
            Err(InvalidEnrolmentCode::NotInCodes(or_list(&foreign)))
        } else {
            Ok(Self(canonical))
        }
    }
}

/// "Z", "O or Z", "0, O or Z".
fn or_list(chars: &[char]) -> String {
    let quoted: Vec<String> = chars.iter().map(char::to_string).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl TryFrom<String> for EnrolmentCode {
    type Error = InvalidEnrolmentCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<EnrolmentCode> for String {
    fn from(code: EnrolmentCode) -> Self {
        code.to_string()
    }
}

impl fmt::Display for EnrolmentCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", &self.0[..4], &self.0[4..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_show_as_two_groups_and_parse_back_from_sloppy_typing() {
        let code = EnrolmentCode::from_random([0, 1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(code.to_string(), "3467-9ACD");
        assert_eq!("3467 9acd".parse::<EnrolmentCode>(), Ok(code.clone()));
        assert_eq!(" 34679-ACD ".parse::<EnrolmentCode>(), Ok(code));
    }

    #[test]
    fn ambiguous_or_short_codes_are_refused_saying_what_is_wrong() {
        assert_eq!(
            "3467-9AC".parse::<EnrolmentCode>(),
            Err(InvalidEnrolmentCode::WrongLength(7))
        );
        assert_eq!(
            "0467-9ACD".parse::<EnrolmentCode>(),
            Err(InvalidEnrolmentCode::NotInCodes("0".into()))
        );
        assert_eq!(
            "".parse::<EnrolmentCode>(),
            Err(InvalidEnrolmentCode::Empty)
        );
        assert_eq!(
            " - ".parse::<EnrolmentCode>(),
            Err(InvalidEnrolmentCode::Empty)
        );
    }

    #[test]
    fn a_code_of_eight_letters_the_service_never_issues_says_which_letters() {
        let refused = "ZZZZ-ZZZZ".parse::<EnrolmentCode>().unwrap_err();
        assert_eq!(refused, InvalidEnrolmentCode::NotInCodes("Z".into()));
        assert_eq!(
            refused.to_string(),
            "Enrolment codes never contain Z: check the code with your manager."
        );
        assert_eq!(
            "O2ZZ-ZZZZ"
                .parse::<EnrolmentCode>()
                .unwrap_err()
                .to_string(),
            "Enrolment codes never contain 2, O or Z: check the code with your manager."
        );
    }

    #[test]
    fn every_random_byte_maps_into_the_unambiguous_alphabet() {
        for b in 0..=255u8 {
            let code = EnrolmentCode::from_random([b; 8]);
            assert!(code.canonical().parse::<EnrolmentCode>().is_ok(), "{b}");
        }
    }
}
