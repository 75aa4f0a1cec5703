//! One stream of the service's `changed` events for the whole organization page, so the
//! trends, the summary, the captures, the phones and the notes to review read again together
//! when a phone syncs or offers a note.

use leptos::prelude::*;
use peerpulse_core::protocol::EVENTS_PATH;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// A counter that moves each time the service says something of the organization changed.
#[derive(Clone, Copy)]
pub struct Changes(RwSignal<u32>);

impl Changes {
    /// Listens to the service's events for as long as the calling owner lives, and offers the
    /// counter to its children through context.
    pub fn listen() -> Self {
        let landed = RwSignal::new(0u32);
        if let Ok(source) = web_sys::EventSource::new(EVENTS_PATH) {
            let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                landed.update(|n| *n = n.wrapping_add(1));
            });
            if source
                .add_event_listener_with_callback("changed", on_change.as_ref().unchecked_ref())
                .is_ok()
            {
                let kept = StoredValue::new_local((source, on_change));
                on_cleanup(move || kept.with_value(|(source, _)| source.close()));
            }
        }
        let changes = Self(landed);
        provide_context(changes);
        changes
    }

    /// Tells every section that something changed here (a phone renamed or revoked), as a
    /// change the service announced would.
    pub fn raise(self) {
        self.0.update(|n| *n = n.wrapping_add(1));
    }

    /// Makes the calling resource read again at the next change.
    pub fn track(self) {
        self.0.track();
    }
}

/// The page's changes; outside a listening page, a counter that never moves.
pub fn use_changes() -> Changes {
    use_context::<Changes>().unwrap_or_else(|| Changes(RwSignal::new(0)))
}
