//! DHIS2's side of a report: its identifiers, period codes and documents, and how an
//! organization's indicators and sites map to its data elements and organisation units.
//! `dhis2_export` turns a report into these documents.

use crate::codebook::Code;
use crate::period::{Granularity, Period};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A DHIS2 identifier: 11 characters, a letter then letters and digits.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Uid(String);

/// Why text is not a DHIS2 identifier.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a DHIS2 UID: 11 letters and digits, starting with a letter")]
pub struct InvalidUid(String);

impl InvalidUid {
    /// The text that is not a UID.
    pub fn given(&self) -> &str {
        &self.0
    }
}

impl Uid {
    /// Parses a UID as DHIS2 shows it.
    pub fn new(raw: &str) -> Result<Self, InvalidUid> {
        let uid = raw.trim();
        let mut chars = uid.chars();
        let valid = uid.len() == 11
            && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric());
        if valid {
            Ok(Self(uid.to_owned()))
        } else {
            Err(InvalidUid(raw.to_owned()))
        }
    }

    /// The UID as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Uid {
    type Error = InvalidUid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(&value)
    }
}

impl From<Uid> for String {
    fn from(uid: Uid) -> Self {
        uid.0
    }
}

/// How often DHIS2 takes a data element's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum PeriodType {
    /// ISO weeks (`2026W48`).
    Weekly,
    /// Months (`202611`).
    Monthly,
    /// Quarters (`2026Q4`).
    Quarterly,
}

impl PeriodType {
    /// The calendar period it reports.
    pub fn granularity(self) -> Granularity {
        match self {
            Self::Weekly => Granularity::Week,
            Self::Monthly => Granularity::Month,
            Self::Quarterly => Granularity::Quarter,
        }
    }
}

/// Where one indicator goes in DHIS2.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dhis2Mapping {
    /// The data element.
    pub data_element: Uid,
    /// The category option combo (none: DHIS2's default).
    #[serde(default)]
    pub category_option_combo: Option<Uid>,
    /// How often DHIS2 takes it: only a report of that kind of period exports it.
    pub period_type: PeriodType,
}

/// A mapping that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    /// A UID is malformed.
    #[error(transparent)]
    Uid(#[from] InvalidUid),
}

impl Dhis2Mapping {
    /// Checks it (its UIDs parse already; kept for rules to come).
    pub fn check(&self) -> Result<(), MappingError> {
        Ok(())
    }
}

/// An organization's DHIS2 settings: which organisation unit each site reports as, and the
/// unit for the organization as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dhis2Settings {
    /// The organisation unit of the totals over every site, if they are reported.
    #[serde(default)]
    pub org_unit: Option<Uid>,
    /// The organisation unit of each site reported on its own.
    #[serde(default)]
    pub site_org_units: BTreeMap<Code, Uid>,
    /// The data set the values belong to (ADX groups name it; DHIS2 needs it for ADX).
    #[serde(default)]
    pub data_set: Option<Uid>,
}

/// `period` as DHIS2 writes it: `20261124`, `2026W48`, `202611`, `2026Q4`.
pub fn period_code(period: Period) -> String {
    let first = period.first_day();
    match period.granularity() {
        Granularity::Day => first.format("%Y%m%d").to_string(),
        Granularity::Week => {
            let week = first.iso_week();
            format!("{}W{}", week.year(), week.week())
        }
        Granularity::Month => first.format("%Y%m").to_string(),
        Granularity::Quarter => format!("{}Q{}", first.year(), first.month0() / 3 + 1),
    }
}

/// `period` as ADX writes it: its first day and ISO 8601 duration (`2026-11-01/P1M`).
pub fn adx_period(period: Period) -> String {
    let duration = match period.granularity() {
        Granularity::Day => "P1D",
        Granularity::Week => "P7D",
        Granularity::Month => "P1M",
        Granularity::Quarter => "P3M",
    };
    format!("{}/{duration}", period.first_day())
}

/// One value of a `dataValueSets` document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DataValue {
    /// The data element.
    pub data_element: String,
    /// The period code.
    pub period: String,
    /// The organisation unit.
    pub org_unit: String,
    /// The category option combo, if not the default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category_option_combo: Option<String>,
    /// The value, as DHIS2 takes it: a string.
    pub value: String,
}

/// A `dataValueSets` document (`POST /api/dataValueSets`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DataValueSet {
    /// The data set, if named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_set: Option<String>,
    /// The values.
    pub data_values: Vec<DataValue>,
}

/// How DHIS2 says an import went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ImportStatus {
    /// Every value was taken.
    Success,
    /// Some values were taken, others ignored (see the conflicts).
    Warning,
    /// Nothing was taken.
    Error,
}

impl ImportStatus {
    /// The status of DHIS2's word for it; a word it does not use reads as an error, so that
    /// nothing is sent on an answer nobody understood.
    pub fn from_dhis2(word: &str) -> Self {
        match word {
            "SUCCESS" | "OK" => Self::Success,
            "WARNING" => Self::Warning,
            _ => Self::Error,
        }
    }
}

/// What DHIS2 counted of an import (its `importCount` and `conflicts`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportCounts {
    /// How it went.
    pub status: ImportStatus,
    /// Values created.
    pub imported: u64,
    /// Values changed.
    pub updated: u64,
    /// Values left out (DHIS2 says why in `conflicts`).
    pub ignored: u64,
    /// Values deleted.
    pub deleted: u64,
    /// Each conflict's message, as DHIS2 wrote it.
    pub conflicts: Vec<String>,
}

impl ImportCounts {
    /// The counts in plain words, for a dry run ("would import") or a real send.
    pub fn in_words(&self, dry_run: bool) -> String {
        let (import, update, ignore) = if dry_run {
            ("would import", "update", "ignore")
        } else {
            ("imported", "updated", "ignored")
        };
        let values = |n: u64| if n == 1 { "value" } else { "values" };
        let mut words = format!(
            "DHIS2 {import} {} new {}, {update} {} and {ignore} {}",
            self.imported,
            values(self.imported),
            self.updated,
            self.ignored,
        );
        if self.deleted > 0 {
            words.push_str(&format!(", and deleted {}", self.deleted));
        }
        match self.conflicts.len() {
            0 => words.push_str("; no conflicts."),
            1 => words.push_str(&format!("; 1 conflict: {}.", self.conflicts[0])),
            n => words.push_str(&format!("; {n} conflicts: {}.", self.conflicts.join("; "))),
        }
        if self.status == ImportStatus::Error {
            words.push_str(" DHIS2 refused the import.");
        }
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn period_codes_are_dhis2s() {
        let on = day(2026, 11, 24);
        let code = |g| period_code(Period::containing(g, on));
        assert_eq!(code(Granularity::Month), "202611");
        assert_eq!(code(Granularity::Quarter), "2026Q4");
        assert_eq!(code(Granularity::Week), "2026W48");
        assert_eq!(code(Granularity::Day), "20261124");
        // ISO week 1 of 2027 starts on 4 January; 1 January 2027 is in 2026W53.
        assert_eq!(
            period_code(Period::containing(Granularity::Week, day(2027, 1, 1))),
            "2026W53"
        );
        assert_eq!(
            adx_period(Period::containing(Granularity::Quarter, on)),
            "2026-10-01/P3M"
        );
    }

    #[test]
    fn uids_are_eleven_letters_and_digits_starting_with_a_letter() {
        assert!(Uid::new("fbfJHSPpUQD").is_ok());
        for bad in ["fbfJHSPpUQ", "1bfJHSPpUQD", "fbfJHSPpUQ-", "fbfJHSPpUQDx"] {
            assert!(Uid::new(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<Uid>("\"short\"").is_err());
    }

    #[test]
    fn import_counts_read_in_plain_words() {
        let mut counts = ImportCounts {
            status: ImportStatus::Success,
            imported: 1,
            updated: 2,
            ignored: 0,
            deleted: 0,
            conflicts: vec![],
        };
        assert_eq!(
            counts.in_words(true),
            "DHIS2 would import 1 new value, update 2 and ignore 0; no conflicts."
        );
        counts.status = ImportStatus::Warning;
        counts.ignored = 1;
        counts.conflicts = vec!["Data element not found: dEContacts1".into()];
        assert_eq!(
            counts.in_words(false),
            "DHIS2 imported 1 new value, updated 2 and ignored 1; 1 conflict: Data element not \
             found: dEContacts1."
        );
        assert_eq!(ImportStatus::from_dhis2("OK"), ImportStatus::Success);
        assert_eq!(ImportStatus::from_dhis2("SOMETHING"), ImportStatus::Error);
    }
}
