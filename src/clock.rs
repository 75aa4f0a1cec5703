//! The phone's local clock and random ids, in one place so pages stay pure.

use chrono::{Local, NaiveDate};
use peerpulse_core::encounter::{EncounterId, TimeBand};

/// Now, as RFC 3339 with the phone's offset.
pub fn now_rfc3339() -> String {
    Local::now().to_rfc3339()
}

/// The phone's local date.
pub fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// The part of the day it is now.
pub fn time_band_now() -> TimeBand {
    TimeBand::of(Local::now().time())
}

/// A fresh random encounter id from the browser's cryptographic generator.
pub fn new_encounter_id() -> EncounterId {
    let uuid = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .expect("the app runs in a window with WebCrypto (secure context)");
    EncounterId::new(&uuid).expect("a UUID is a valid encounter id")
}

/// Waits `delay` (a browser timer), or less if the network comes back meanwhile (the
/// window's `online` event): a retry after lost signal need not wait out its backoff.
/// Returns whether the network coming back ended the wait.
pub async fn sleep_unless_online(delay: std::time::Duration) -> bool {
    let millis = i32::try_from(delay.as_millis()).unwrap_or(i32::MAX);
    let Some(window) = web_sys::window() else {
        return false;
    };
    let woken = std::rc::Rc::new(std::cell::RefCell::new(None::<js_sys::Function>));
    let keep = woken.clone();
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
        let _ = window.add_event_listener_with_callback("online", &resolve);
        *keep.borrow_mut() = Some(resolve);
    });
    // The timer resolves with nothing, the event with itself.
    let online = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .is_ok_and(|v| !v.is_undefined());
    if let Some(resolve) = woken.borrow_mut().take() {
        let _ = window.remove_event_listener_with_callback("online", &resolve);
    }
    online
}
