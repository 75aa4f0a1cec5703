//! How a [`Measure`] is read: a `dimension` and, except for the total, a `value`.
//!
//! ```json
//! {"dimension": "need", "value": "housing"}
//! {"dimension": "encounters"}
//! ```
//!
//! The measure is written with serde's derive (adjacently tagged) and mostly read flattened into
//! a bucket's key, beside `day` and `site`. Reading it back through the derive cost the phone's
//! wasm 5.2 KB (three functions: the tag, the buffered content, the field names); this reader
//! takes the two fields as they come and builds the measure through [`Measure::from_parts`], as
//! the service does from its columns.
//!
//! It asks for a struct of these two fields, so a flattened measure is handed only them, and
//! other fields are skipped. A `"value": null` on the total reads as no value, as the derive
//! read it. The derive also read the two-element array `["need", "housing"]`, which no writer
//! ever wrote; it is refused.

use super::{Dimension, Measure, MeasureError};
use crate::codebook::MAX_CODE_LEN;
use crate::tagged_pair;
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use std::fmt;

/// Why an object is not a [`Measure`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MeasureFormError {
    /// A field the measure needs is absent.
    #[error("a measure needs a `{0}` field")]
    MissingField(&'static str),
    /// A field given twice: which of the two is meant cannot be told.
    #[error("the measure's `{0}` field is given twice")]
    DuplicateField(&'static str),
    /// A dimension this app does not know (its first 40 characters).
    #[error("{0:?} is not a dimension this app knows")]
    UnknownDimension(String),
    /// The total of encounters carries no value.
    #[error("the encounters total takes no value")]
    ValueOfTotal,
    /// A value longer than any code or closed value.
    #[error("the measure's value is longer than {MAX_CODE_LEN} characters")]
    ValueTooLong,
    /// The value does not belong to the dimension.
    #[error(transparent)]
    Measure(#[from] MeasureError),
}

/// The measure's two fields, as a struct so that a flattened measure is handed only these.
const FIELDS: &[&str] = &["dimension", "value"];

impl<'de> Deserialize<'de> for Measure {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("Measure", FIELDS, MeasureVisitor)
    }
}

struct MeasureVisitor;

impl<'de> Visitor<'de> for MeasureVisitor {
    type Value = Measure;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a measure: a dimension and its value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Measure, A::Error> {
        // A `value` given as null reads as none, as the derive read it.
        let pair = tagged_pair::read::<_, Option<String>, _>(
            map,
            "dimension",
            MeasureFormError::DuplicateField,
        )?;
        measure(pair.tag, pair.value.flatten()).map_err(de::Error::custom)
    }
}

/// The measure a dimension's name and its value make.
fn measure(dimension: Option<String>, value: Option<String>) -> Result<Measure, MeasureFormError> {
    let name = dimension.ok_or(MeasureFormError::MissingField("dimension"))?;
    let dimension: Dimension = name
        .parse()
        .map_err(|_| MeasureFormError::UnknownDimension(name.chars().take(40).collect()))?;
    match value {
        None if dimension == Dimension::Encounters => Ok(Measure::Encounters),
        None => Err(MeasureFormError::MissingField("value")),
        Some(_) if dimension == Dimension::Encounters => Err(MeasureFormError::ValueOfTotal),
        Some(value) if value.len() > MAX_CODE_LEN => Err(MeasureFormError::ValueTooLong),
        Some(value) => Ok(Measure::from_parts(dimension, &value)?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bucket::BucketKey;
    use crate::codebook::Code;
    use crate::encounter::{EncounterKind, Reach};
    use crate::protocol::{BucketUpdate, PublishedCount};
    use chrono::NaiveDate;
    use serde_json::json;

    fn every_measure() -> Vec<Measure> {
        let code = |s: &str| Code::new(s).unwrap();
        let mut all = vec![Measure::Encounters];
        all.extend(EncounterKind::ALL.map(Measure::Kind));
        all.extend(Reach::ALL.map(Measure::Reach));
        all.extend([
            Measure::Topic(code("naloxone")),
            Measure::Insight(code("new-substance")),
            Measure::Need(code("housing")),
            Measure::FreeTag(code("dental-care")),
            Measure::Supply(code("needles-syringes")),
            Measure::SupplyUnits(code("naloxone-kit")),
            Measure::Referral(code("drug-treatment")),
            // The longest code there can be.
            Measure::Need(code(&"a".repeat(MAX_CODE_LEN))),
        ]);
        all
    }

    fn key(measure: Measure) -> BucketKey {
        BucketKey {
            day: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            site: Code::new("van").unwrap(),
            measure,
        }
    }

    fn read(value: serde_json::Value) -> Result<Measure, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    fn read_key(text: &str) -> Result<BucketKey, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    #[test]
    fn every_measure_reads_back_as_serde_writes_it_alone_and_flattened() {
        for measure in every_measure() {
            let text = serde_json::to_string(&measure).unwrap();
            assert_eq!(serde_json::from_str::<Measure>(&text).unwrap(), measure);
            let key = key(measure.clone());
            let text = serde_json::to_string(&key).unwrap();
            assert_eq!(read_key(&text).unwrap(), key, "{text}");
            let update = BucketUpdate {
                day: key.day,
                site: key.site.clone(),
                measure: measure.clone(),
                count: 3,
                version: 7,
            };
            let text = serde_json::to_string(&update).unwrap();
            assert_eq!(serde_json::from_str::<BucketUpdate>(&text).unwrap(), update);
            let count = PublishedCount { measure, count: 9 };
            let text = serde_json::to_string(&count).unwrap();
            assert_eq!(
                serde_json::from_str::<PublishedCount>(&text).unwrap(),
                count
            );
        }
    }

    #[test]
    fn the_form_written_stays_what_it_was() {
        assert_eq!(
            serde_json::to_string(&key(Measure::Need(Code::new("housing").unwrap()))).unwrap(),
            r#"{"day":"2026-11-24","site":"van","dimension":"need","value":"housing"}"#
        );
        assert_eq!(
            serde_json::to_string(&key(Measure::Encounters)).unwrap(),
            r#"{"day":"2026-11-24","site":"van","dimension":"encounters"}"#
        );
    }

    #[test]
    fn forms_the_derive_read_are_read() {
        // Fields in any order, the value before its dimension, a null value on the total.
        assert_eq!(
            read(json!({"value": "outreach", "dimension": "kind"})),
            Ok(Measure::Kind(EncounterKind::Outreach))
        );
        assert_eq!(
            read(json!({"dimension": "encounters", "value": null})),
            Ok(Measure::Encounters)
        );
        assert_eq!(
            read_key(r#"{"value":"walk-in","site":"van","dimension":"reach","day":"2026-11-24"}"#),
            Ok(key(Measure::Reach(Reach::WalkIn)))
        );
        // Fields a newer writer adds are skipped.
        assert_eq!(
            read(json!({"dimension": "need", "value": "food", "unit": {"x": [1, 2]}})),
            Ok(Measure::Need(Code::new("food").unwrap()))
        );
    }

    #[test]
    fn wrong_or_missing_parts_are_refused_by_name() {
        let refused = |form: serde_json::Value, expected: &str| {
            let error = read(form.clone()).expect_err(&form.to_string());
            assert!(error.contains(expected), "{form}: {error}");
        };
        refused(
            json!({"dimension": "mood", "value": "x"}),
            "\"mood\" is not a dimension",
        );
        refused(
            json!({"dimension": "Need", "value": "food"}),
            "is not a dimension",
        );
        refused(json!({"dimension": 5, "value": "food"}), "invalid type");
        refused(json!({"dimension": null}), "invalid type");
        refused(json!({"value": "food"}), "needs a `dimension`");
        refused(json!({"dimension": "need"}), "needs a `value`");
        refused(
            json!({"dimension": "need", "value": null}),
            "needs a `value`",
        );
        refused(
            json!({"dimension": "encounters", "value": "x"}),
            "takes no value",
        );
        refused(
            json!({"dimension": "encounters", "value": ""}),
            "takes no value",
        );
        refused(
            json!({"dimension": "kind", "value": "teleport"}),
            "not a valid kind",
        );
        refused(json!({"dimension": "need", "value": "Not A Code"}), "code");
        refused(json!({"dimension": "need", "value": 7}), "invalid type");
        refused(
            json!({"dimension": "need", "value": ["food"]}),
            "invalid type",
        );
        refused(json!(["need", "food"]), "invalid type");
        refused(json!("need"), "invalid type");
        assert!(read_key(r#"{"day":"2026-11-24","site":"van","dimension":"fun"}"#).is_err());
    }

    #[test]
    fn an_attacker_cannot_smuggle_a_second_value_or_overload_the_reader() {
        // A repeated field would let the second silently replace the first.
        for dup in [
            r#"{"dimension":"need","value":"food","value":"housing"}"#,
            r#"{"dimension":"need","dimension":"topic","value":"food"}"#,
        ] {
            let error = serde_json::from_str::<Measure>(dup).expect_err(dup);
            assert!(error.to_string().contains("given twice"), "{dup}: {error}");
        }
        let flattened = r#"{"day":"2026-11-24","site":"van","dimension":"need","value":"food","value":"detox"}"#;
        assert!(read_key(flattened).unwrap_err().contains("given twice"));
        // A megabyte in either field is named in a short error, never echoed.
        let huge = "x".repeat(1 << 20);
        for form in [
            json!({"dimension": huge, "value": "food"}),
            json!({"dimension": "kind", "value": huge}),
            json!({"dimension": "need", "value": huge}),
        ] {
            let error = read(form).unwrap_err();
            assert!(error.len() < 200, "{} bytes of error", error.len());
        }
        // Deep nesting in the value or beside it is refused or skipped, never a stack overflow.
        let deep = |inner: &str| format!("{}{inner}{}", "[".repeat(100_000), "]".repeat(100_000));
        let in_value = format!(r#"{{"dimension":"need","value":{}}}"#, deep(""));
        assert!(serde_json::from_str::<Measure>(&in_value).is_err());
        let beside = format!(
            r#"{{"day":"2026-11-24","site":"van","dimension":"encounters","x":{}}}"#,
            deep("")
        );
        assert!(read_key(&beside).is_err(), "serde_json's depth limit");
        let skipped = format!(r#"{{"dimension":"encounters","x":{}}}"#, deep("1"));
        assert_eq!(
            serde_json::from_str::<Measure>(&skipped).unwrap(),
            Measure::Encounters
        );
    }
}
