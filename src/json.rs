//! JSON through the browser's own `JSON.parse` and `JSON.stringify`, with serde-wasm-bindgen
//! in between: the app carries no JSON library of its own, which kept ~90 KB out of the wasm
//! every phone downloads.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

/// Why a value could not be written as JSON or read from it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct JsonError(String);

impl From<JsValue> for JsonError {
    fn from(e: JsValue) -> Self {
        Self(match e.dyn_ref::<js_sys::Error>() {
            Some(error) => String::from(error.message()),
            None => format!("{e:?}"),
        })
    }
}

impl From<serde_wasm_bindgen::Error> for JsonError {
    fn from(e: serde_wasm_bindgen::Error) -> Self {
        Self(e.to_string())
    }
}

/// `value` as plain JavaScript data: maps become objects, numbers stay numbers, as in JSON.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsonError> {
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}

/// `value` as compact JSON.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, JsonError> {
    Ok(js_sys::JSON::stringify(&to_js(value)?)?.into())
}

/// `value` as JSON indented by two spaces, for people to read.
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> Result<String, JsonError> {
    let text = js_sys::JSON::stringify_with_replacer_and_space(
        &to_js(value)?,
        &JsValue::NULL,
        &JsValue::from(2),
    )?;
    Ok(text.into())
}

/// The value `text` holds.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    Ok(serde_wasm_bindgen::from_value(js_sys::JSON::parse(text)?)?)
}
