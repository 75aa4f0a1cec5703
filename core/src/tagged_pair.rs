//! Reads an object of two string fields, a tag and its value, as serde's derive writes an
//! adjacently tagged enum (`{"dimension": "need", "value": "housing"}`): each field once, in any
//! order, other fields skipped. What the pair means is for the type's own reader
//! (`bucket::measure_wire`, `usage::choice_wire`); this is only the reading, shared so both
//! refuse a repeated field the same way.

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess};
use std::fmt::Display;

/// The two fields as given (`V`: the value as the type reads it, an `Option` where a null
/// value is allowed).
#[derive(Debug)]
pub struct TaggedPair<V> {
    /// The tag's text, if the tag field was there.
    pub tag: Option<String>,
    /// The value, if the `value` field was there.
    pub value: Option<V>,
}

/// Reads `map`'s `tag_field` and `value`; a field given twice is refused with `twice(name)`,
/// which says so in the type's own words.
pub fn read<'de, A, V, E>(
    mut map: A,
    tag_field: &'static str,
    twice: impl Fn(&'static str) -> E,
) -> Result<TaggedPair<V>, A::Error>
where
    A: MapAccess<'de>,
    V: Deserialize<'de>,
    E: Display,
{
    let mut pair = TaggedPair {
        tag: None,
        value: None,
    };
    while let Some(key) = map.next_key::<String>()? {
        let repeated = if key == tag_field {
            pair.tag.replace(map.next_value()?).is_some()
        } else if key == "value" {
            pair.value.replace(map.next_value()?).is_some()
        } else {
            map.next_value::<IgnoredAny>()?;
            false
        };
        if repeated {
            let name = if key == tag_field { tag_field } else { "value" };
            return Err(de::Error::custom(twice(name)));
        }
    }
    Ok(pair)
}
