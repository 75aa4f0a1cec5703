//! Enrolment codes: the short one-time codes a manager hands to a worker to connect a phone.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Letters and digits that cannot be misread for one another (no 0/O, 1/I/L, 5/S, 8/B, 2/Z).
const ALPHABET: &[u8; 25] = b"34679ACDEFGHJKMNPQRTUVWXY";
/// Characters in a code, shown as two groups of four.
const LEN: usize = 8;

/// A one-time enrolment code such as `K7QD-3MXR`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EnrolmentCode(String);

/// Text that is not an enrolment code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("an enrolment code is 8 letters and digits, like K7QD-3MXR: check it with your manager")]
pub struct InvalidEnrolmentCode;

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
        if canonical.len() == LEN && canonical.bytes().all(|b| ALPHABET.contains(&b)) {
            Ok(Self(canonical))
        } else {
            Err(InvalidEnrolmentCode)
        }
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
    fn ambiguous_or_short_codes_are_refused() {
        assert_eq!(
            "3467-9AC".parse::<EnrolmentCode>(),
            Err(InvalidEnrolmentCode)
        );
        assert_eq!(
            "0467-9ACD".parse::<EnrolmentCode>(),
            Err(InvalidEnrolmentCode)
        );
        assert_eq!("".parse::<EnrolmentCode>(), Err(InvalidEnrolmentCode));
    }

    #[test]
    fn every_random_byte_maps_into_the_unambiguous_alphabet() {
        for b in 0..=255u8 {
            let code = EnrolmentCode::from_random([b; 8]);
            assert!(code.canonical().parse::<EnrolmentCode>().is_ok(), "{b}");
        }
    }
}
