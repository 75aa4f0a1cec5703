//! Answers in the reader's language: the client's `Accept-Language` picks one of the five
//! languages (core's one matcher, [`Language::from_accept_language`]), and an error answer's
//! message, left on the response as an [`ErrorMessage`], is written in it. Every answer says
//! it depends on the header (`Vary: Accept-Language`, so no cache hands a Spanish answer to
//! an Arabic reader), and an answer with words says their language (`Content-Language`).
//!
//! The header only ever chooses among the five languages: nothing of it reaches the text,
//! the `error` code or the status.

use crate::error::ErrorMessage;
use axum::Json;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::{ACCEPT_LANGUAGE, CONTENT_LANGUAGE, CONTENT_LENGTH, VARY};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use peerpulse_core::language::Language;
use peerpulse_core::protocol::ErrorBody;

/// The language a request asks for; English without a header or with one that is not text.
/// The one reading of `Accept-Language`: error answers and the shell's preload both use it.
pub(crate) fn asked(request: &Request) -> Language {
    request
        .headers()
        .get(ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .map_or(Language::En, Language::from_accept_language)
}

/// The layer: runs the request, then writes an error answer's message in the language asked.
pub async fn in_readers_language(request: Request, next: Next) -> Response {
    let language = asked(&request);
    let mut response = next.run(request).await;
    if let Some(written) = response.extensions_mut().remove::<ErrorMessage>() {
        if language != Language::En {
            response = rewritten(response, &written, language);
        }
        response
            .headers_mut()
            .insert(CONTENT_LANGUAGE, HeaderValue::from_static(language.tag()));
    }
    response
        .headers_mut()
        .append(VARY, HeaderValue::from_static("accept-language"));
    response
}

/// `response` with its body replaced by the message in `language`; status and headers kept.
fn rewritten(response: Response, written: &ErrorMessage, language: Language) -> Response {
    let (mut parts, _) = response.into_parts();
    let body = ErrorBody {
        error: written.code.to_owned(),
        message: written.message.render(language),
    };
    let (_, fresh) = Json(body).into_response().into_parts();
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, fresh)
}
