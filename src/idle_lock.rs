//! Locks a PIN-protected phone after a few idle minutes, so a phone put down stays private.

use crate::state::AppContext;
use crate::store::lock::{self, LockState};
use leptos::prelude::*;
use peerpulse_core::pin::idle_expired;
use std::time::Duration;

/// How often idleness is checked.
const CHECK_EVERY: Duration = Duration::from_secs(10);

/// Watches for touches and keys, and locks the phone when none came for
/// [`peerpulse_core::pin::IDLE_LOCK_AFTER`].
pub fn start(app: AppContext) {
    let last_activity = StoredValue::new(js_sys::Date::now());
    let touched = move || last_activity.set_value(js_sys::Date::now());
    // The handles live as long as the app: the listeners are never removed.
    let _pointer = window_event_listener(leptos::ev::pointerdown, move |_| touched());
    let _keys = window_event_listener(leptos::ev::keydown, move |_| touched());
    set_interval(
        move || {
            let store = app.store();
            if lock::state(&store) == LockState::Unlocked
                && idle_expired(last_activity.get_value(), js_sys::Date::now())
            {
                lock::lock(&store);
                app.locked.set(true);
            }
        },
        CHECK_EVERY,
    );
}
