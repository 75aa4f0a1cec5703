//! How a [`Choice`] is read: the `list` it belongs to and its `value`.
//!
//! ```json
//! {"list": "need", "value": "housing"}
//! {"list": "kind", "value": "outreach"}
//! ```
//!
//! The phone writes a choice with serde's derive (adjacently tagged) into its usage counts and
//! the day's frequent marks, both kept in IndexedDB. Reading them back through the derive cost
//! the phone's wasm 2.5 KB (the tag, and the content buffered when it comes first); this reader
//! takes the two fields as they come. Fields it does not know are skipped. The derive also read
//! the two-element array `["need", "housing"]`, which no writer ever wrote; it is refused.

use super::Choice;
use crate::codebook::{Code, CodeError, CodeList, MAX_CODE_LEN};
use crate::encounter::{EncounterKind, Reach};
use crate::tagged_pair;
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use std::fmt;

/// Why an object is not a [`Choice`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChoiceFormError {
    /// A field the choice needs is absent.
    #[error("a choice needs a `{0}` field")]
    MissingField(&'static str),
    /// A field given twice: which of the two is meant cannot be told.
    #[error("the choice's `{0}` field is given twice")]
    DuplicateField(&'static str),
    /// A list this app does not know (its first 40 characters).
    #[error("{0:?} is not a list of the form this app knows")]
    UnknownList(String),
    /// A value longer than any code or closed value.
    #[error("the choice's value is longer than {MAX_CODE_LEN} characters")]
    ValueTooLong,
    /// A value outside a closed list (how it happened, how the contact was reached).
    #[error("{value:?} is not a {list} this app knows")]
    NotInList {
        /// The list's name.
        list: &'static str,
        /// The value given.
        value: String,
    },
    /// The value of a codebook list is not a code.
    #[error("invalid code: {0}")]
    Code(#[from] CodeError),
}

/// The choice's two fields.
const FIELDS: &[&str] = &["list", "value"];

impl<'de> Deserialize<'de> for Choice {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("Choice", FIELDS, ChoiceVisitor)
    }
}

struct ChoiceVisitor;

impl<'de> Visitor<'de> for ChoiceVisitor {
    type Value = Choice;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a choice: a list of the form and a value in it")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Choice, A::Error> {
        let pair = tagged_pair::read(map, "list", ChoiceFormError::DuplicateField)?;
        choice(pair.tag, pair.value).map_err(de::Error::custom)
    }
}

/// The choice a list's name and a value make.
fn choice(list: Option<String>, value: Option<String>) -> Result<Choice, ChoiceFormError> {
    let list = list.ok_or(ChoiceFormError::MissingField("list"))?;
    let value = value.ok_or(ChoiceFormError::MissingField("value"))?;
    if value.len() > MAX_CODE_LEN {
        return Err(ChoiceFormError::ValueTooLong);
    }
    let not_in = |list| ChoiceFormError::NotInList {
        list,
        value: value.clone(),
    };
    let codebook_list = match list.as_str() {
        "kind" => {
            return EncounterKind::ALL
                .into_iter()
                .find(|k| k.as_str() == value)
                .map(Choice::Kind)
                .ok_or_else(|| not_in("kind"));
        }
        "reach" => {
            return Reach::ALL
                .into_iter()
                .find(|r| r.as_str() == value)
                .map(Choice::Reach)
                .ok_or_else(|| not_in("reach"));
        }
        "site" => CodeList::Site,
        "topic" => CodeList::Topic,
        "insight" => CodeList::Insight,
        "need" => CodeList::Need,
        "supply" => CodeList::Supply,
        "referral" => CodeList::Referral,
        other => {
            return Err(ChoiceFormError::UnknownList(
                other.chars().take(40).collect(),
            ));
        }
    };
    Ok(Choice::of_code(codebook_list, Code::new(&value)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usage::{FrequentSnapshot, Usage};
    use chrono::NaiveDate;
    use serde_json::json;

    fn code(s: &str) -> Code {
        Code::new(s).unwrap()
    }

    fn every_choice() -> Vec<Choice> {
        let mut all = vec![
            Choice::Site(code("van")),
            Choice::Topic(code("naloxone")),
            Choice::Insight(code("new-substance")),
            Choice::Need(code("housing")),
            Choice::Supply(code("needles-syringes")),
            Choice::Referral(code("drug-treatment")),
            Choice::Need(code(&"z".repeat(MAX_CODE_LEN))),
        ];
        all.extend(EncounterKind::ALL.map(Choice::Kind));
        all.extend(Reach::ALL.map(Choice::Reach));
        all
    }

    fn read(value: serde_json::Value) -> Result<Choice, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn every_choice_reads_back_as_serde_writes_it_in_what_the_phone_keeps() {
        for choice in every_choice() {
            let text = serde_json::to_string(&choice).unwrap();
            assert_eq!(
                serde_json::from_str::<Choice>(&text).unwrap(),
                choice,
                "{text}"
            );
        }
        let usage = Usage::from(every_choice().into_iter().zip(1..).collect::<Vec<_>>());
        let text = serde_json::to_string(&usage).unwrap();
        assert_eq!(serde_json::from_str::<Usage>(&text).unwrap(), usage);
        let snapshot = FrequentSnapshot {
            day: NaiveDate::from_ymd_opt(2026, 11, 24),
            choices: every_choice(),
        };
        let text = serde_json::to_string(&snapshot).unwrap();
        assert_eq!(
            serde_json::from_str::<FrequentSnapshot>(&text).unwrap(),
            snapshot
        );
    }

    #[test]
    fn records_kept_before_this_reader_are_read() {
        // Usage counts as the phone has kept them since usage marks came (the derive's form).
        let kept = json!([[{"list": "site", "value": "van"}, 4],
            [{"list": "kind", "value": "peer-delivered"}, 2],
            [{"value": "contact-network", "list": "reach"}, 1]]);
        let usage: Usage = serde_json::from_value(kept).unwrap();
        assert_eq!(usage.count(&Choice::Site(code("van"))), 4);
        assert_eq!(usage.count(&Choice::Kind(EncounterKind::PeerDelivered)), 2);
        assert_eq!(usage.count(&Choice::Reach(Reach::ContactNetwork)), 1);
        assert_eq!(
            serde_json::to_string(&Choice::Need(code("food"))).unwrap(),
            r#"{"list":"need","value":"food"}"#
        );
        // Fields a newer app adds are skipped.
        assert_eq!(
            read(json!({"list": "need", "value": "food", "pinned": {"at": [1]}})),
            Ok(Choice::Need(code("food")))
        );
    }

    #[test]
    fn wrong_or_missing_parts_are_refused_by_name() {
        let refused = |form: serde_json::Value, expected: &str| {
            let error = read(form.clone()).expect_err(&form.to_string());
            assert!(error.contains(expected), "{form}: {error}");
        };
        refused(
            json!({"list": "mood", "value": "x"}),
            "\"mood\" is not a list",
        );
        refused(json!({"list": "Need", "value": "food"}), "is not a list");
        refused(
            json!({"list": "free-tag", "value": "food"}),
            "is not a list",
        );
        refused(json!({"list": 3, "value": "food"}), "invalid type");
        refused(json!({"value": "food"}), "needs a `list`");
        refused(json!({"list": "need"}), "needs a `value`");
        refused(json!({"list": "need", "value": null}), "invalid type");
        refused(json!({"list": "kind", "value": "teleport"}), "not a kind");
        refused(json!({"list": "reach", "value": "outreach"}), "not a reach");
        refused(json!({"list": "site", "value": "Van"}), "code");
        refused(json!({"list": "need", "value": ""}), "empty");
        refused(json!(["need", "food"]), "invalid type");
        refused(json!(null), "invalid type");
    }

    #[test]
    fn an_attacker_cannot_smuggle_a_second_value_or_overload_the_reader() {
        for dup in [
            r#"{"list":"need","value":"food","value":"housing"}"#,
            r#"{"list":"need","list":"site","value":"food"}"#,
        ] {
            let error = serde_json::from_str::<Choice>(dup).expect_err(dup);
            assert!(error.to_string().contains("given twice"), "{dup}: {error}");
        }
        let huge = "x".repeat(1 << 20);
        for form in [
            json!({"list": huge, "value": "food"}),
            json!({"list": "kind", "value": huge}),
            json!({"list": "need", "value": huge}),
        ] {
            let error = read(form).unwrap_err();
            assert!(error.len() < 200, "{} bytes of error", error.len());
        }
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let in_value = format!(r#"{{"list":"need","value":{deep}}}"#);
        assert!(serde_json::from_str::<Choice>(&in_value).is_err());
        let skipped = format!(r#"{{"list":"need","value":"food","x":{deep}}}"#);
        assert_eq!(
            serde_json::from_str::<Choice>(&skipped).unwrap(),
            Choice::Need(code("food"))
        );
    }
}
