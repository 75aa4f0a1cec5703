//! What the phone's and the organization's clients share: JSON request bodies, and reading the
//! service's answers (a value, or a status with the message of its error body).

use crate::json;
use gloo_net::http::{Request, RequestBuilder, Response};
use peerpulse_core::protocol::ErrorBody;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Requests to the service. Each says which language the interface is shown in
/// (`Accept-Language`), so that what the service writes back (a refused code, a refused
/// change) comes in the person's language.
pub mod to_service {
    use gloo_net::http::{Request, RequestBuilder};

    fn in_language(builder: RequestBuilder) -> RequestBuilder {
        builder.header("Accept-Language", crate::i18n::language_untracked().tag())
    }

    /// A GET to `url`.
    pub fn get(url: &str) -> RequestBuilder {
        in_language(Request::get(url))
    }

    /// A POST to `url`.
    pub fn post(url: &str) -> RequestBuilder {
        in_language(Request::post(url))
    }

    /// A PUT to `url`.
    pub fn put(url: &str) -> RequestBuilder {
        in_language(Request::put(url))
    }

    /// A PATCH to `url`.
    pub fn patch(url: &str) -> RequestBuilder {
        in_language(Request::patch(url))
    }

    /// A DELETE to `url`.
    pub fn delete(url: &str) -> RequestBuilder {
        in_language(Request::delete(url))
    }
}

/// `builder` carrying `body` as JSON; why not, if it cannot be written or sent that way.
pub fn with_json<T: Serialize>(builder: RequestBuilder, body: &T) -> Result<Request, String> {
    let text = json::to_string(body).map_err(|e| e.to_string())?;
    builder
        .header("Content-Type", "application/json")
        .body(text)
        .map_err(|e| e.to_string())
}

/// What one answer of the service says.
pub enum Answer<T> {
    /// A success whose body reads as `T`.
    Value(T),
    /// A success whose body could not be read, and why.
    Unreadable(String),
    /// A refusal or failure: its HTTP status and the message of its error body ("HTTP n"
    /// when it has none).
    Failed {
        /// The HTTP status.
        status: u16,
        /// What the service said.
        message: String,
    },
}

/// Reads `response` as a `T` on success, else as the service's error body.
pub async fn answer<T: DeserializeOwned>(response: Response) -> Answer<T> {
    let status = response.status();
    let body = response.text().await;
    if response.ok() {
        return match body
            .map_err(|e| e.to_string())
            .and_then(|text| json::from_str(&text).map_err(|e| e.to_string()))
        {
            Ok(value) => Answer::Value(value),
            Err(why) => Answer::Unreadable(why),
        };
    }
    let message = match body
        .ok()
        .and_then(|text| json::from_str::<ErrorBody>(&text).ok())
    {
        Some(body) => body.message,
        None => format!("HTTP {status}"),
    };
    Answer::Failed { status, message }
}

/// Reads `response` as an acknowledgement: a success has no body to read.
pub async fn acknowledgement(response: Response) -> Answer<()> {
    if response.ok() {
        Answer::Value(())
    } else {
        answer(response).await
    }
}
