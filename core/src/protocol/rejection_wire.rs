//! How a [`Rejection`] is read: one object holding the bucket's fields and the reason's.
//!
//! ```json
//! {"day": "2026-11-24", "site": "van", "dimension": "encounters",
//!  "reason": "absurd-count", "count": 9999, "max": 5000}
//! ```
//!
//! The service writes it with serde's derive (the bucket's key and the reason flattened, the
//! reason tagged by `reason`). Reading it back through the derive would make serde buffer the
//! object twice (once for the flattened parts, once for the tag), 13.6 KB of the phone's wasm;
//! this reader takes each field once as it comes.
//!
//! A day-out-of-range rejection names the bucket's day twice under `day` (the key's and the
//! reason's, always the same day): a second `day` is read only when it repeats the first.
//! Fields it does not know are skipped, so a phone keeps reading answers from a newer service.

use super::{Rejection, RejectionReason};
use crate::bucket::{BucketKey, Dimension, Measure, MeasureError};
use crate::codebook::{Code, CodeList};
use crate::date_wire::Day;
use chrono::NaiveDate;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::fmt;

/// The longest reason text read: a worker reads it on the sync screen.
const MAX_MESSAGE_CHARS: usize = 1_000;

/// Why an object is not a [`Rejection`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RejectionFormError {
    /// A field the rejection needs is absent.
    #[error("a rejection needs a `{0}` field")]
    MissingField(&'static str),
    /// A field given twice (a repeated `day` is read only when it repeats the bucket's day).
    #[error("the rejection's `{0}` field is given twice")]
    DuplicateField(&'static str),
    /// A `reason` this app does not know (its first 40 characters).
    #[error("{0:?} is not a rejection reason this app knows")]
    UnknownReason(String),
    /// The bucket's dimension and value do not make a measure.
    #[error("the rejected bucket's measure is invalid: {0}")]
    Measure(#[from] MeasureError),
    /// A reason text too long for a worker to read.
    #[error("the rejection's message is longer than {MAX_MESSAGE_CHARS} characters")]
    MessageTooLong,
}

/// The fields of a rejection as they arrive, each at most once.
#[derive(Default)]
struct Fields {
    day: Option<NaiveDate>,
    site: Option<Code>,
    dimension: Option<Dimension>,
    value: Option<String>,
    reason: Option<String>,
    count: Option<u32>,
    max: Option<u32>,
    earliest: Option<NaiveDate>,
    latest: Option<NaiveDate>,
    list: Option<CodeList>,
    code: Option<String>,
    message: Option<String>,
    version: Option<u64>,
}

/// Stores a field's value, refusing a second one.
fn once<T>(slot: &mut Option<T>, name: &'static str, value: T) -> Result<(), RejectionFormError> {
    if slot.is_some() {
        return Err(RejectionFormError::DuplicateField(name));
    }
    *slot = Some(value);
    Ok(())
}

/// A field the rejection needs.
fn needed<T>(slot: Option<T>, name: &'static str) -> Result<T, RejectionFormError> {
    slot.ok_or(RejectionFormError::MissingField(name))
}

impl Fields {
    /// Reads the next field's value into its slot; unknown fields are skipped.
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        let stored = match key {
            "day" => {
                let Day(day) = map.next_value()?;
                match self.day {
                    Some(first) if first != day => Err(RejectionFormError::DuplicateField("day")),
                    _ => {
                        self.day = Some(day);
                        Ok(())
                    }
                }
            }
            "site" => once(&mut self.site, "site", map.next_value()?),
            "dimension" => once(&mut self.dimension, "dimension", map.next_value()?),
            "value" => once(&mut self.value, "value", map.next_value()?),
            "reason" => once(&mut self.reason, "reason", map.next_value()?),
            "count" => once(&mut self.count, "count", map.next_value()?),
            "max" => once(&mut self.max, "max", map.next_value()?),
            "earliest" => once(&mut self.earliest, "earliest", map.next_value::<Day>()?.0),
            "latest" => once(&mut self.latest, "latest", map.next_value::<Day>()?.0),
            "list" => once(&mut self.list, "list", map.next_value()?),
            "code" => once(&mut self.code, "code", map.next_value()?),
            "message" => once(&mut self.message, "message", map.next_value()?),
            "version" => once(&mut self.version, "version", map.next_value()?),
            _ => map.next_value::<IgnoredAny>().map(|_| Ok(()))?,
        };
        stored.map_err(de::Error::custom)
    }

    /// The rejection these fields make.
    fn rejection(self) -> Result<Rejection, RejectionFormError> {
        let day = needed(self.day, "day")?;
        let dimension = needed(self.dimension, "dimension")?;
        let measure = Measure::from_parts(dimension, self.value.as_deref().unwrap_or(""))?;
        let reason = match needed(self.reason, "reason")?.as_str() {
            "absurd-count" => RejectionReason::AbsurdCount {
                count: needed(self.count, "count")?,
                max: needed(self.max, "max")?,
            },
            "day-out-of-range" => RejectionReason::DayOutOfRange {
                day,
                earliest: needed(self.earliest, "earliest")?,
                latest: needed(self.latest, "latest")?,
            },
            "unknown-code" => RejectionReason::UnknownCode {
                list: needed(self.list, "list")?,
                code: needed(self.code, "code")?,
            },
            "identifying-tag" => {
                let message = needed(self.message, "message")?;
                if message.chars().count() > MAX_MESSAGE_CHARS {
                    return Err(RejectionFormError::MessageTooLong);
                }
                RejectionReason::IdentifyingTag { message }
            }
            "zero-version" => RejectionReason::ZeroVersion,
            "absurd-version" => RejectionReason::AbsurdVersion {
                version: needed(self.version, "version")?,
            },
            other => {
                return Err(RejectionFormError::UnknownReason(
                    other.chars().take(40).collect(),
                ));
            }
        };
        Ok(Rejection {
            key: BucketKey {
                day,
                site: needed(self.site, "site")?,
                measure,
            },
            reason,
        })
    }
}

impl<'de> Deserialize<'de> for Rejection {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RejectionVisitor)
    }
}

struct RejectionVisitor;

impl<'de> Visitor<'de> for RejectionVisitor {
    type Value = Rejection;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a rejected bucket with its reason")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Rejection, A::Error> {
        let mut fields = Fields::default();
        while let Some(key) = map.next_key::<String>()? {
            fields.read(&key, &mut map)?;
        }
        fields.rejection().map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn rejection(measure: Measure, reason: RejectionReason) -> Rejection {
        Rejection {
            key: BucketKey {
                day: day(24),
                site: Code::new("van").unwrap(),
                measure,
            },
            reason,
        }
    }

    fn every_reason() -> Vec<RejectionReason> {
        vec![
            RejectionReason::AbsurdCount {
                count: 9_999,
                max: 5_000,
            },
            RejectionReason::DayOutOfRange {
                day: day(24),
                earliest: day(1),
                latest: day(25),
            },
            RejectionReason::UnknownCode {
                list: CodeList::Need,
                code: "astrology".into(),
            },
            RejectionReason::IdentifyingTag {
                message: "\"maria-lopez\" looks like a name".into(),
            },
            RejectionReason::ZeroVersion,
            RejectionReason::AbsurdVersion { version: 1 << 60 },
        ]
    }

    fn read(value: serde_json::Value) -> Result<Rejection, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn every_reason_and_measure_round_trips_through_json_text() {
        let measures = [
            Measure::Encounters,
            Measure::Need(Code::new("housing").unwrap()),
            Measure::SupplyUnits(Code::new("needles-syringes").unwrap()),
        ];
        for reason in every_reason() {
            for measure in measures.clone() {
                let sent = rejection(measure, reason.clone());
                // Text, not a `Value`: a day-out-of-range rejection has `day` twice in it.
                let text = serde_json::to_string(&sent).unwrap();
                let read: Rejection = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{text} was not read back: {e}"));
                assert_eq!(read, sent, "{text}");
            }
        }
    }

    #[test]
    fn the_form_sent_stays_byte_for_byte_what_it_was() {
        let sent = rejection(
            Measure::Need(Code::new("housing").unwrap()),
            RejectionReason::DayOutOfRange {
                day: day(24),
                earliest: day(1),
                latest: day(25),
            },
        );
        assert_eq!(
            serde_json::to_string(&sent).unwrap(),
            r#"{"day":"2026-11-24","site":"van","dimension":"need","value":"housing","reason":"day-out-of-range","day":"2026-11-24","earliest":"2026-11-01","latest":"2026-11-25"}"#
        );
    }

    #[test]
    fn forms_older_services_sent_are_read() {
        // As a browser's JSON.parse hands it over: the repeated `day` already merged.
        let merged = json!({"day": "2026-11-24", "site": "van", "dimension": "encounters",
            "reason": "day-out-of-range", "earliest": "2026-11-01", "latest": "2026-11-25"});
        assert_eq!(
            read(merged).unwrap().reason,
            RejectionReason::DayOutOfRange {
                day: day(24),
                earliest: day(1),
                latest: day(25)
            }
        );
        let zero = json!({"reason": "zero-version", "dimension": "kind", "value": "outreach",
            "site": "van", "day": "2026-11-24"});
        assert_eq!(read(zero).unwrap().reason, RejectionReason::ZeroVersion);
    }

    #[test]
    fn fields_a_newer_service_adds_are_skipped() {
        let newer = json!({"day": "2026-11-24", "site": "van", "dimension": "encounters",
            "reason": "zero-version", "hint": {"retry": [1, 2, {"after": null}]}});
        assert_eq!(read(newer).unwrap().reason, RejectionReason::ZeroVersion);
    }

    #[test]
    fn unknown_or_incomplete_forms_are_refused_by_name() {
        let base = || {
            json!({"day": "2026-11-24", "site": "van", "dimension": "encounters",
                "reason": "absurd-count", "count": 9, "max": 5})
        };
        assert!(read(base()).is_ok());
        let refused = |edit: &dyn Fn(&mut serde_json::Value), expected: &str| {
            let mut form = base();
            edit(&mut form);
            let error = read(form.clone()).expect_err(&form.to_string());
            assert!(error.contains(expected), "{form}: {error}");
        };
        refused(
            &|f| f["reason"] = json!("too-happy"),
            "\"too-happy\" is not",
        );
        refused(&|f| f["reason"] = json!(7), "invalid type");
        refused(
            &|f| {
                f.as_object_mut().unwrap().remove("max");
            },
            "needs a `max`",
        );
        refused(
            &|f| {
                f.as_object_mut().unwrap().remove("reason");
            },
            "needs a `reason`",
        );
        refused(
            &|f| {
                f.as_object_mut().unwrap().remove("site");
            },
            "needs a `site`",
        );
        refused(&|f| f["count"] = json!(-1), "invalid value");
        refused(&|f| f["count"] = json!(1u64 << 40), "invalid value");
        refused(&|f| f["day"] = json!("24/11/2026"), "YYYY-MM-DD");
        refused(&|f| f["site"] = json!("Not A Code"), "code");
        refused(&|f| f["value"] = json!("housing"), "invalid");
        refused(&|f| f["dimension"] = json!("mood"), "unknown variant");
        assert!(matches!(
            Fields {
                reason: Some("teapot".repeat(100)),
                ..Fields::default()
            }
            .rejection(),
            Err(RejectionFormError::MissingField("day"))
        ));
    }

    #[test]
    fn an_attacker_cannot_smuggle_a_second_value_or_overload_the_reader() {
        // Duplicated fields: the second value would silently replace the first.
        for dup in [
            r#"{"day":"2026-11-24","site":"van","dimension":"encounters","reason":"absurd-count","count":9,"count":1,"max":5}"#,
            r#"{"day":"2026-11-24","site":"van","dimension":"encounters","reason":"zero-version","reason":"absurd-count","count":9,"max":5}"#,
            r#"{"day":"2026-11-24","site":"van","site":"bus","dimension":"encounters","reason":"zero-version"}"#,
            r#"{"day":"2026-11-24","site":"van","dimension":"encounters","reason":"day-out-of-range","day":"2026-11-23","earliest":"2026-11-01","latest":"2026-11-25"}"#,
        ] {
            let error = serde_json::from_str::<Rejection>(dup).expect_err(dup);
            assert!(error.to_string().contains("given twice"), "{dup}: {error}");
        }
        // A reason of a megabyte is named by its first 40 characters only.
        let huge = "x".repeat(1 << 20);
        let error = read(json!({"day": "2026-11-24", "site": "van",
            "dimension": "encounters", "reason": huge}))
        .unwrap_err();
        assert!(error.len() < 200, "{} bytes of error", error.len());
        // A message no worker could read is refused.
        let long = json!({"day": "2026-11-24", "site": "van", "dimension": "encounters",
            "reason": "identifying-tag", "message": "y".repeat(MAX_MESSAGE_CHARS + 1)});
        assert!(read(long).unwrap_err().contains("longer than"));
        // Deep nesting in a skipped field is skipped without recursing, not a stack overflow.
        let deep = format!(
            r#"{{"day":"2026-11-24","site":"van","dimension":"encounters","reason":"zero-version","x":{}{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(serde_json::from_str::<Rejection>(&deep).is_ok());
        // Not an object at all.
        assert!(read(json!(["absurd-count", 9, 5])).is_err());
        assert!(read(json!(null)).is_err());
    }
}
