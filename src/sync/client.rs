//! How the phone talks to the service: one function per API call, typed errors.

use crate::json;
use crate::service_http::{self, Answer, acknowledgement, answer, to_service};
use gloo_net::http::{Request, RequestBuilder, Response};
use peerpulse_core::encounter::EncounterId;
use peerpulse_core::field_alert::PublishedAlert;
use peerpulse_core::field_notes::{NOTE_OF_ENTRY_PATH, NOTES_PATH, NoteOffer, NoteOfferAnswer};
use peerpulse_core::org_api::{
    AlertReceipts, CURRENT_FIELD_ALERTS_PATH, FIELD_ALERT_RECEIPTS_PATH, MY_OVERSIGHT_PATH,
};
use peerpulse_core::oversight::OversightResponse;
use peerpulse_core::period::Period;
use peerpulse_core::protocol::{
    ALERTS_PATH, AlertsQuery, AlertsResponse, ENROL_PATH, EnrolRequest, EnrolResponse, SYNC_PATH,
    SyncRequest, SyncResponse, TRENDS_PATH, TrendsQuery, TrendsResponse,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why a call to the service did not succeed, phrased for the worker.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ServiceError {
    /// No connection (offline, or the service is unreachable).
    #[error(
        "No connection to the PeerPulse service. Your entries are safe on this phone; sync again when you have signal."
    )]
    Offline,
    /// The service does not accept this device's token (the phone was revoked).
    #[error("The service no longer accepts this phone. Ask your manager for a new enrolment code.")]
    Unauthorized,
    /// The service refused an enrolment code; its message says why (unknown, used, expired).
    #[error("{0}")]
    CodeRefused(String),
    /// The service refused the request as invalid.
    #[error("The service refused the request: {0}")]
    Refused(String),
    /// The service asked this phone to slow down.
    #[error("The service is busy with this phone's requests; it will try again by itself shortly.")]
    Busy,
    /// The service failed.
    #[error(
        "The service had a problem (HTTP {0}). Your entries are safe on this phone; try again later."
    )]
    Server(u16),
    /// The answer could not be understood (for example an old service version).
    #[error("The service's answer could not be read ({0}). Try again later or update the app.")]
    BadAnswer(String),
}

impl ServiceError {
    /// Whether trying again by itself later may succeed (no signal, a busy or failing service),
    /// rather than needing the worker.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Offline | Self::Busy | Self::Server(_))
    }
}

fn bearer(builder: RequestBuilder, token: &str) -> RequestBuilder {
    builder.header("Authorization", &format!("Bearer {token}"))
}

/// `builder` carrying `body` as JSON.
fn with_json<T: Serialize>(builder: RequestBuilder, body: &T) -> Result<Request, ServiceError> {
    service_http::with_json(builder, body).map_err(ServiceError::BadAnswer)
}

/// Exchanges a one-time enrolment code for device credentials.
pub async fn enrol(request: &EnrolRequest) -> Result<EnrolResponse, ServiceError> {
    let response = with_json(to_service::post(ENROL_PATH), request)?
        .send()
        .await
        .map_err(|_| ServiceError::Offline)?;
    // No device token is involved: a refusal is about the code, never "this phone".
    match answer(response).await {
        Answer::Failed {
            status: 401 | 403,
            message,
        } => Err(ServiceError::CodeRefused(message)),
        other => from_answer(other),
    }
}

/// Sends one batch of changed buckets, gzipped where the browser can (a year of counts is
/// about a tenth of its JSON size that way, which matters on a prepaid plan and a weak signal).
pub async fn push(token: &str, request: &SyncRequest) -> Result<SyncResponse, ServiceError> {
    let json = json::to_string(request)
        .map_err(|e| ServiceError::BadAnswer(e.to_string()))?
        .into_bytes();
    let builder =
        bearer(to_service::post(SYNC_PATH), token).header("Content-Type", "application/json");
    let req = match gzip(&json).await {
        Ok(packed) => builder
            .header("Content-Encoding", "gzip")
            .body(js_sys::Uint8Array::from(packed.as_slice())),
        // No CompressionStream (an old browser): the same JSON, uncompressed.
        Err(_) => builder.body(js_sys::Uint8Array::from(json.as_slice())),
    }
    .map_err(|e| ServiceError::BadAnswer(e.to_string()))?;
    read(req.send().await).await
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The browser's `CompressionStream` (web-sys has it only behind an unstable flag).
    #[wasm_bindgen(js_name = CompressionStream)]
    type CompressionStream;
    #[wasm_bindgen(constructor, js_class = "CompressionStream", catch)]
    fn new(format: &str) -> Result<CompressionStream, wasm_bindgen::JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &CompressionStream) -> web_sys::ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &CompressionStream) -> web_sys::WritableStream;
}

/// `bytes` gzipped by the browser's own CompressionStream.
async fn gzip(bytes: &[u8]) -> Result<Vec<u8>, wasm_bindgen::JsValue> {
    let stream = CompressionStream::new("gzip")?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts)?;
    let pair = web_sys::ReadableWritablePair::new(&stream.readable(), &stream.writable());
    let packed = blob.stream().pipe_through(&pair);
    let response = web_sys::Response::new_with_opt_readable_stream(Some(&packed))?;
    let buffer = wasm_bindgen_futures::JsFuture::from(response.array_buffer()?).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Offers one entry's insight note for the trend brief; offering it again is harmless.
pub async fn offer_note(token: &str, offer: &NoteOffer) -> Result<NoteOfferAnswer, ServiceError> {
    read(
        with_json(bearer(to_service::post(NOTES_PATH), token), offer)?
            .send()
            .await,
    )
    .await
}

/// Withdraws the note offered for entry `id`; withdrawing one the service lacks is harmless.
pub async fn withdraw_note(token: &str, id: &EncounterId) -> Result<(), ServiceError> {
    let url = format!("{NOTE_OF_ENTRY_PATH}/{}", id.as_str());
    let response = bearer(to_service::delete(&url), token)
        .send()
        .await
        .map_err(|_| ServiceError::Offline)?;
    from_answer(acknowledgement(response).await)
}

/// Reads the organization's published trends for `period`, a week, month or quarter (a
/// phone is not given single days).
pub async fn trends(token: &str, period: Period) -> Result<TrendsResponse, ServiceError> {
    let query = TrendsQuery {
        period: Some(period),
        ..TrendsQuery::default()
    };
    let url = format!("{TRENDS_PATH}{}", query.to_query_string());
    read(bearer(to_service::get(&url), token).send().await).await
}

/// Reads what rose on each day of `period` and the free tags first used in it.
pub async fn alerts(token: &str, period: Period) -> Result<AlertsResponse, ServiceError> {
    let query = AlertsQuery {
        period: Some(period),
    };
    let url = format!("{ALERTS_PATH}{}", query.to_query_string());
    read(bearer(to_service::get(&url), token).send().await).await
}

/// Reads this phone's own row of the capture figures its managers see: the same weeks, the
/// same published counts, and whether it is flagged as quiet.
pub async fn my_week(token: &str) -> Result<OversightResponse, ServiceError> {
    read(
        bearer(to_service::get(MY_OVERSIGHT_PATH), token)
            .send()
            .await,
    )
    .await
}

/// The alerts the organization has up now for this phone.
pub async fn current_field_alerts(token: &str) -> Result<Vec<PublishedAlert>, ServiceError> {
    read(
        bearer(to_service::get(CURRENT_FIELD_ALERTS_PATH), token)
            .send()
            .await,
    )
    .await
}

/// Tells the service which alerts this phone holds and which its worker passed on.
pub async fn report_field_alerts(
    token: &str,
    receipts: &AlertReceipts,
) -> Result<(), ServiceError> {
    let response = with_json(
        bearer(to_service::post(FIELD_ALERT_RECEIPTS_PATH), token),
        receipts,
    )?
    .send()
    .await
    .map_err(|_| ServiceError::Offline)?;
    from_answer(acknowledgement(response).await)
}

async fn read<T: DeserializeOwned>(
    sent: Result<Response, gloo_net::Error>,
) -> Result<T, ServiceError> {
    let response = sent.map_err(|_| ServiceError::Offline)?;
    from_answer(answer(response).await)
}

/// What the service answered, as the value or the worker's reason it did not come.
fn from_answer<T>(answer: Answer<T>) -> Result<T, ServiceError> {
    match answer {
        Answer::Value(value) => Ok(value),
        Answer::Unreadable(why) => Err(ServiceError::BadAnswer(why)),
        Answer::Failed { status, message } => Err(match status {
            401 | 403 => ServiceError::Unauthorized,
            429 => ServiceError::Busy,
            400..=499 => ServiceError::Refused(message),
            _ => ServiceError::Server(status),
        }),
    }
}
