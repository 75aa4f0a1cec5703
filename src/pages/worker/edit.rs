//! Correcting a past entry, within the edit window.

use crate::clock;
use crate::components::encounter_form::EncounterForm;
use crate::i18n::{count, errors, t, text};
use crate::job::Job;
use crate::state::use_app;
use crate::store::encounters;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use peerpulse_core::encounter::{EncounterDraft, EncounterId};

/// The form, filled with the entry named in the path.
#[component]
pub fn EditPage() -> impl IntoView {
    let app = use_app();
    let params = use_params_map();
    let entry = Job::new();
    entry.follow(move || {
        // Read again after an unlock: a locked phone cannot open the entry.
        app.entries_changed.track();
        let raw = params.read().get("id").unwrap_or_default();
        let store = app.store();
        async move {
            let id = EncounterId::new(&raw).map_err(|_| text("edit.gone"))?;
            encounters::get(&store, &id)
                .await
                .map_err(|e| errors::store(&e))?
                .ok_or_else(|| text("edit.gone"))
        }
    });
    view! {
            {move || {
                entry
                    .value()
                    .map_or_else(|| view! { <p role="status">{t("edit.loading")}</p> }.into_any(), |read| match read {
                        Err(e) => view! { <p role="alert" class="error">{e}</p> }.into_any(),
                        Ok(stored) if !app.edit_window.get().allows(stored.encounter.day, clock::today()) => {
                            view! {
                                <p role="alert" class="error">
                                    {count("edit.too_old", u64::from(app.edit_window.get().days()), &[])}
                                </p>
                            }
                                .into_any()
                        }
                        Ok(stored) => {
                            let draft = EncounterDraft::from_encounter(&stored.encounter);
                            view! { <EncounterForm editing=(stored.encounter.id, draft) /> }.into_any()
                        }
                    })
            }}
    }
}
