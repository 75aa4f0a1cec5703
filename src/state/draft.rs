//! The half-filled entry, kept across a reload in the tab's `sessionStorage`: it never leaves
//! the phone and is gone when the tab closes. On a phone with a PIN its typed notes are left
//! out, so no words rest unencrypted; the choices are kept.

use crate::store::web_storage::{self, Kept};
use peerpulse_core::encounter::EncounterDraft;

const KEY: &str = "peerpulse-draft";

/// The draft kept by the last [`keep`], if any.
pub fn restore() -> Option<EncounterDraft> {
    web_storage::get(Kept::Session, KEY)
}

/// Keeps `draft` for a reload; without the notes when `pin_set`.
pub fn keep(draft: &EncounterDraft, pin_set: bool) {
    if pin_set && !(draft.insight_note.is_empty() && draft.private_note.is_empty()) {
        let without_words = EncounterDraft {
            insight_note: String::new(),
            private_note: String::new(),
            ..draft.clone()
        };
        web_storage::set(Kept::Session, KEY, &without_words);
    } else {
        web_storage::set(Kept::Session, KEY, draft);
    }
}
