//! How the dates in the service's answers and the phone's records are read: a day as
//! `YYYY-MM-DD` through [`iso_date`], an instant as RFC 3339 through chrono's strict RFC 3339
//! reader. They are written as before, by chrono's `Serialize`.
//!
//! ```json
//! {"day": "2026-11-24", "published_at": "2026-11-24T21:30:05.120Z"}
//! ```
//!
//! chrono's own `Deserialize` reads through its `FromStr`, which runs its general parser (every
//! format item, RFC 2822's names of months and weekdays) for these two fixed forms: with these
//! readers chrono's code in the phone's wasm went from 19.8 to 8.3 KB (before wasm-opt). Each date field the phone reads names one of these modules instead:
//! `#[serde(with = "crate::date_wire::day")]`.
//!
//! Everything chrono writes is read back as it was. What chrono's `FromStr` also took and
//! these refuse, none of which a PeerPulse writer ever wrote: spaces around the dashes and
//! colons, a month or day of one digit, a year of more than four digits or with a sign, and
//! an instant ending in `UTC` or an offset without its colon.

use crate::iso_date::{self, IsoDateError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::fmt;

/// Why text is not an instant written as RFC 3339.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a date and time written as RFC 3339, such as 2026-11-24T21:30:00Z: {why}")]
pub struct InstantError {
    /// The text's first 40 characters.
    text: String,
    /// What chrono's RFC 3339 reader found.
    why: chrono::ParseError,
}

/// The instant `text` writes as RFC 3339 (`2026-11-24T21:30:00Z`, `…T21:30:00.5+01:00`), in UTC.
pub fn read_instant(text: &str) -> Result<DateTime<Utc>, InstantError> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|why| InstantError {
            text: text.chars().take(40).collect(),
            why,
        })
}

/// A day read as `YYYY-MM-DD`, for readers written by hand (`next_value::<Day>()`).
pub(crate) struct Day(pub(crate) NaiveDate);

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(DayVisitor)
    }
}

struct DayVisitor;

impl Visitor<'_> for DayVisitor {
    type Value = Day;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a day written YYYY-MM-DD")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Day, E> {
        iso_date::read(text)
            .map(Day)
            .map_err(|e: IsoDateError| E::custom(e))
    }
}

/// An instant read as RFC 3339.
struct Instant(DateTime<Utc>);

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(InstantVisitor)
    }
}

struct InstantVisitor;

impl Visitor<'_> for InstantVisitor {
    type Value = Instant;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date and time written as RFC 3339")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Instant, E> {
        read_instant(text).map(Instant).map_err(E::custom)
    }
}

/// A `NaiveDate` field: `#[serde(with = "crate::date_wire::day")]`.
pub mod day {
    use super::Day;
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes the day as chrono does (`YYYY-MM-DD`).
    pub fn serialize<S: Serializer>(day: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        day.serialize(serializer)
    }

    /// Reads a `YYYY-MM-DD` day.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        Day::deserialize(deserializer).map(|Day(day)| day)
    }
}

/// An `Option<NaiveDate>` field: `#[serde(default, with = "crate::date_wire::optional_day")]`
/// (with `with`, serde no longer takes a missing field for `None` by itself).
pub mod optional_day {
    use super::Day;
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes the day as chrono does, or null.
    pub fn serialize<S: Serializer>(
        day: &Option<NaiveDate>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        day.serialize(serializer)
    }

    /// Reads a `YYYY-MM-DD` day, or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        Option::<Day>::deserialize(deserializer).map(|day| day.map(|Day(day)| day))
    }
}

/// A `DateTime<Utc>` field: `#[serde(with = "crate::date_wire::instant")]`.
pub mod instant {
    use super::Instant;
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes the instant as chrono does (`2026-11-24T21:30:05.120Z`).
    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
        at.serialize(serializer)
    }

    /// Reads an RFC 3339 instant.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        Instant::deserialize(deserializer).map(|Instant(at)| at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Days, TimeDelta};
    use proptest::prelude::*;
    use serde::Serialize;
    use serde_json::json;

    /// A record with one field of each kind, as the types of the protocol and the store have.
    #[derive(Debug, PartialEq, Serialize, serde::Deserialize)]
    struct Dated {
        #[serde(with = "day")]
        day: NaiveDate,
        #[serde(
            default,
            with = "optional_day",
            skip_serializing_if = "Option::is_none"
        )]
        closed_through: Option<NaiveDate>,
        #[serde(with = "instant")]
        at: DateTime<Utc>,
    }

    /// The same record as chrono's own `Deserialize` reads it.
    #[derive(Debug, PartialEq, Serialize, serde::Deserialize)]
    struct ChronoDated {
        day: NaiveDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        closed_through: Option<NaiveDate>,
        at: DateTime<Utc>,
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn read(value: serde_json::Value) -> Result<Dated, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn what_chrono_writes_is_read_back_and_written_the_same() {
        let dated = Dated {
            day: day(2026, 11, 24),
            closed_through: Some(day(2026, 11, 23)),
            at: at("2026-11-24T21:30:05.120Z"),
        };
        let text = serde_json::to_string(&dated).unwrap();
        assert_eq!(
            text,
            r#"{"day":"2026-11-24","closed_through":"2026-11-23","at":"2026-11-24T21:30:05.120Z"}"#
        );
        let by_chrono = ChronoDated {
            day: dated.day,
            closed_through: dated.closed_through,
            at: dated.at,
        };
        assert_eq!(serde_json::to_string(&by_chrono).unwrap(), text);
        assert_eq!(serde_json::from_str::<Dated>(&text).unwrap(), dated);
    }

    #[test]
    fn an_absent_or_null_optional_day_is_none() {
        let absent = read(json!({"day": "2026-11-24", "at": "2026-11-24T00:00:00Z"})).unwrap();
        assert_eq!(absent.closed_through, None);
        let null = read(json!({"day": "2026-11-24", "closed_through": null,
            "at": "2026-11-24T00:00:00Z"}))
        .unwrap();
        assert_eq!(null.closed_through, None);
    }

    #[test]
    fn instants_in_every_form_the_service_and_the_phone_wrote_are_read() {
        for (text, expected) in [
            ("2026-11-24T21:30:00Z", "2026-11-24T21:30:00Z"),
            ("2026-11-24T21:30:00.5Z", "2026-11-24T21:30:00.500Z"),
            (
                "2026-11-24T21:30:00.123456789Z",
                "2026-11-24T21:30:00.123456789Z",
            ),
            ("2026-11-24T22:30:00+01:00", "2026-11-24T21:30:00Z"),
            ("2026-11-24T18:30:00.250-03:00", "2026-11-24T21:30:00.250Z"),
            ("2026-11-24t21:30:00z", "2026-11-24T21:30:00Z"),
            ("2026-11-24T23:59:60Z", "2026-11-24T23:59:60Z"),
        ] {
            assert_eq!(read_instant(text), Ok(at(expected)), "{text}");
            assert_eq!(
                read_instant(text).unwrap(),
                at(text),
                "as chrono reads {text}"
            );
        }
    }

    #[test]
    fn anything_but_a_whole_day_or_instant_is_refused_with_a_reason() {
        let refused = |form: serde_json::Value, expected: &str| {
            let error = read(form.clone()).expect_err(&form.to_string());
            assert!(error.contains(expected), "{form}: {error}");
        };
        let instant = "2026-11-24T21:30:00Z";
        for bad_day in [
            "24/11/2026",
            "2026-11-24T00:00:00Z",
            " 2026-11-24",
            "2026-1-5",
        ] {
            refused(json!({"day": bad_day, "at": instant}), "YYYY-MM-DD");
        }
        for no_such_day in ["2026-02-29", "2026-13-01", "2026-11-31", "2026-00-10"] {
            refused(json!({"day": no_such_day, "at": instant}), "not a day");
        }
        refused(json!({"day": 20261124, "at": instant}), "invalid type");
        refused(json!({"day": null, "at": instant}), "invalid type");
        refused(
            json!({"day": "2026-11-24", "closed_through": "", "at": instant}),
            "YYYY-MM-DD",
        );
        for bad_instant in [
            "2026-11-24",
            "2026-11-24T21:30Z",
            "2026-11-24T21:30:00",
            "2026-11-24T21:30:00 UTC",
            "2026-11-24T21:30:00+0100",
            "2026-11-24T24:00:00Z",
            "2026-11-24T21:30:00+24:00",
            "2026-02-30T21:30:00Z",
            "+12026-11-24T21:30:00Z",
            "Tue, 24 Nov 2026 21:30:00 +0000",
            "2026-11-24T21:30:00Z ",
        ] {
            refused(json!({"day": "2026-11-24", "at": bad_instant}), "RFC 3339");
        }
        refused(
            json!({"day": "2026-11-24", "at": 1_795_000_000}),
            "invalid type",
        );
    }

    #[test]
    fn forms_chrono_took_but_no_writer_wrote_are_refused() {
        for (day_text, instant_text) in [
            ("2026 - 11 - 24", "2026-11-24 21:30:00 UTC"),
            ("2026-11-4", "2026-11-24T21:30:00+0100"),
            ("+2026-11-24", "2026-11-24T1:30:00Z"),
            ("2026-11-24 ", "2026-11-24T21:30 :00Z"),
        ] {
            assert!(
                day_text.parse::<NaiveDate>().is_ok(),
                "chrono takes {day_text:?}"
            );
            assert!(iso_date::read(day_text).is_err(), "{day_text:?}");
            assert!(
                instant_text.parse::<DateTime<Utc>>().is_ok(),
                "chrono takes {instant_text:?}"
            );
            assert!(read_instant(instant_text).is_err(), "{instant_text:?}");
        }
    }

    #[test]
    fn an_attacker_gets_a_short_error_for_a_megabyte() {
        let huge = "9".repeat(1 << 20);
        for form in [
            json!({"day": huge, "at": "2026-11-24T21:30:00Z"}),
            json!({"day": "2026-11-24", "at": huge}),
            json!({"day": "2026-11-24", "at": format!("2026-11-24T21:30:00.{huge}")}),
        ] {
            let error = read(form).unwrap_err();
            assert!(error.len() < 300, "{} bytes of error", error.len());
        }
        // Digits of a second past the ninth are skipped, as chrono always did.
        let long_fraction = format!("2026-11-24T21:30:00.{huge}Z");
        assert_eq!(
            read_instant(&long_fraction),
            Ok(at("2026-11-24T21:30:00.999999999Z"))
        );
        // A day or instant nested in arrays is not a day or instant, and nothing recurses.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let text = format!(r#"{{"day":{deep},"at":"2026-11-24T21:30:00Z"}}"#);
        assert!(serde_json::from_str::<Dated>(&text).is_err());
    }

    #[test]
    fn the_dates_the_phone_reads_go_through_these_readers() {
        use crate::bucket::BucketKey;
        use crate::encounter::Encounter;
        use crate::field_alert::PublishedAlert;
        use crate::protocol::SyncResponse;
        use crate::usage::FrequentSnapshot;
        use serde::de::DeserializeOwned;
        // Each form as written reads; with a day or instant chrono took but never wrote
        // (a one-digit day, `UTC` for `Z`), it is refused by these readers' words.
        fn reads_only_as_written<T: DeserializeOwned + std::fmt::Debug>(
            form: serde_json::Value,
            field: &[&str],
            lenient: &str,
        ) {
            if let Err(e) = serde_json::from_value::<T>(form.clone()) {
                panic!("{form} was not read: {e}");
            }
            let mut bent = form;
            let (last, path) = field.split_last().unwrap();
            let mut at = &mut bent;
            for step in path {
                at = &mut at[*step];
            }
            at[*last] = json!(lenient);
            let error = serde_json::from_value::<T>(bent).unwrap_err().to_string();
            assert!(
                error.contains("YYYY-MM-DD") || error.contains("RFC 3339"),
                "{field:?}: {error}"
            );
        }
        reads_only_as_written::<BucketKey>(
            json!({"day": "2026-11-04", "site": "van", "dimension": "encounters"}),
            &["day"],
            "2026-11-4",
        );
        reads_only_as_written::<FrequentSnapshot>(
            json!({"day": "2026-11-04", "choices": []}),
            &["day"],
            "2026-11-4",
        );
        let encounter = json!({"id": "a", "day": "2026-11-04", "time_band": "night",
            "site": "van", "kind": "outreach", "reach": "walk-in", "topics": [],
            "insights": [], "needs": [], "codebook_version": 0});
        reads_only_as_written::<Encounter>(encounter, &["day"], "2026-11-4");
        let response = json!({"acked_through": 3, "applied": 1, "unchanged": 0,
            "rejected": [], "closed_through": "2026-11-03", "codebook_version": 1,
            "edit_window": 7});
        reads_only_as_written::<SyncResponse>(response, &["closed_through"], "2026-11-3");
        reads_only_as_written::<crate::protocol::NewFreeTag>(
            json!({"tag": "dental-care", "count": 6, "first_seen": "2026-11-02"}),
            &["first_seen"],
            "2026-11-2",
        );
        reads_only_as_written::<crate::aberration::Alert>(
            json!({"day": "2026-11-02", "dimension": "need", "value": "food", "count": 9,
                "usual_per_day": 2, "methods": []}),
            &["day"],
            "2026-11-2",
        );
        reads_only_as_written::<crate::oversight::OversightResponse>(
            json!({"weeks": [], "threshold": 5, "devices": [], "folded_through": "2026-11-02"}),
            &["folded_through"],
            "2026-11-2",
        );
        let alert = json!({"id": 1, "version": 1, "published_at": "2026-11-24T21:30:00Z",
            "content": {"kind": "drug-supply", "messages": {"en": "Test strips at the van"},
                "verification": "official", "expires_at": "2026-12-01T00:00:00.500Z"}});
        reads_only_as_written::<PublishedAlert>(
            alert.clone(),
            &["published_at"],
            "2026-11-24 21:30:00 UTC",
        );
        reads_only_as_written::<PublishedAlert>(
            alert,
            &["content", "expires_at"],
            "2026-12-01T00:00:00+0000",
        );
    }

    proptest! {
        #[test]
        fn every_instant_chrono_writes_reads_back(
            days in 0u64..3_652_058,
            nanos in 0i64..86_400_000_000_000,
            precision in 0usize..4,
        ) {
            let nanos = match precision {
                0 => nanos - nanos % 1_000_000_000,
                1 => nanos - nanos % 1_000_000,
                2 => nanos - nanos % 1_000,
                _ => nanos,
            };
            let midnight = day(1, 1, 1) + Days::new(days);
            let instant = midnight.and_hms_opt(0, 0, 0).unwrap().and_utc()
                + TimeDelta::nanoseconds(nanos);
            prop_assume!(instant.year() <= 9999);
            let text = serde_json::to_string(&instant).unwrap();
            prop_assert_eq!(read_instant(text.trim_matches('"')), Ok(instant));
        }

        #[test]
        fn an_instant_read_is_the_instant_chrono_reads(
            text in "[0-9]{2}[0-9]{2}-(0[0-9]|1[0-3])-([0-2][0-9]|3[0-2])[Tt ]([01][0-9]|2[0-4]):[0-6][0-9]:[0-6][0-9](\\.[0-9]{1,12})?([Zz]|[+-][0-2][0-9]:[0-6][0-9])",
        ) {
            let ours = read_instant(&text).ok();
            if let Some(instant) = ours {
                prop_assert_eq!(text.parse::<DateTime<Utc>>().ok(), Some(instant));
            }
        }

        #[test]
        fn a_day_read_is_the_day_chrono_reads(text in "[+-]?[0-9 ]{1,6}-[0-9 ]{1,3}-[0-9 ]{1,3}") {
            if let Ok(day) = iso_date::read(&text) {
                prop_assert_eq!(text.parse::<NaiveDate>().ok(), Some(day));
            }
        }
    }
}
