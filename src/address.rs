//! What the address bar holds beyond the path: one-time codes travel after the `#`, so they
//! never reach the service's logs.

/// The text after `#` in the address bar.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}
