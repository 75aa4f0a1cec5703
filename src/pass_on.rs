//! Passing an alert on: as text through the Web Share API, or the clipboard where sharing is
//! missing; and as a poster through the browser's print.

use wasm_bindgen_futures::JsFuture;

/// How the text left the phone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shared {
    /// Through the phone's share sheet.
    Shared,
    /// Copied, to paste into a message.
    Copied,
    /// The worker closed the share sheet.
    Cancelled,
}

/// Shares `text` through the phone's share sheet, or copies it where there is none.
pub async fn share(text: &str) -> Result<Shared, String> {
    let window = web_sys::window().ok_or("no window")?;
    let navigator = window.navigator();
    if js_sys::Reflect::has(&navigator, &"share".into()).unwrap_or(false) {
        let data = web_sys::ShareData::new();
        data.set_text(text);
        return match JsFuture::from(navigator.share_with_data(&data)).await {
            Ok(_) => Ok(Shared::Shared),
            Err(e) if error_name(&e).as_deref() == Some("AbortError") => Ok(Shared::Cancelled),
            // Refused (no user gesture, nothing to share to): the clipboard still works.
            Err(_) => copy(&navigator, text).await,
        };
    }
    copy(&navigator, text).await
}

async fn copy(navigator: &web_sys::Navigator, text: &str) -> Result<Shared, String> {
    JsFuture::from(navigator.clipboard().write_text(text))
        .await
        .map(|_| Shared::Copied)
        .map_err(|e| error_name(&e).unwrap_or_else(|| "the clipboard refused".to_owned()))
}

fn error_name(e: &wasm_bindgen::JsValue) -> Option<String> {
    js_sys::Reflect::get(e, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
}

/// Opens the browser's print dialog (the print style makes the marked alert an A4 poster).
pub fn print() {
    if let Some(window) = web_sys::window()
        && let Err(e) = window.print()
    {
        leptos::logging::warn!("could not print: {e:?}");
    }
}
