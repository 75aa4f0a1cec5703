//! Small values kept in the browser's Web Storage rather than IndexedDB, because they must be
//! read at once when a screen opens: the wait after wrong PINs (kept in `localStorage`, so a
//! reload does not reset it) and the half-filled entry (kept in `sessionStorage`: it survives
//! a reload but not closing the tab, and never leaves the phone).

use crate::json;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Which of the browser's two stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    /// Until the site's data is cleared.
    Local,
    /// Until the tab is closed.
    Session,
}

fn storage(kept: Kept) -> Option<web_sys::Storage> {
    let window = web_sys::window()?;
    match kept {
        Kept::Local => window.local_storage(),
        Kept::Session => window.session_storage(),
    }
    .ok()
    .flatten()
}

/// The value kept under `key`, if any can be read.
pub fn get<T: DeserializeOwned>(kept: Kept, key: &str) -> Option<T> {
    let text = storage(kept)?.get_item(key).ok().flatten()?;
    json::from_str(&text).ok()
}

/// Keeps `value` under `key`. Storage that is full or switched off keeps nothing: these
/// values are a convenience, the app works without them.
pub fn set<T: Serialize>(kept: Kept, key: &str, value: &T) {
    if let (Some(storage), Ok(text)) = (storage(kept), json::to_string(value)) {
        let _ = storage.set_item(key, &text);
    }
}

/// Forgets the value under `key`.
pub fn remove(kept: Kept, key: &str) {
    if let Some(storage) = storage(kept) {
        let _ = storage.remove_item(key);
    }
}
