//! The encounter form: choices, validation, save, and a clear "Saved".

use crate::app::use_app;
use crate::clock;
use crate::components::chip_picker::{MultiChoice, SingleChoice};
use crate::components::free_tags::FreeTags;
use crate::components::supply_picker::SupplyPicker;
use crate::components::when_picker::{WhenPicker, date_value, parse_date_value};
use crate::store::encounters;
use crate::sync::scheduler::use_scheduler;
use leptos::prelude::*;
use peerpulse_core::codebook::{Code, CodeList, Codebook};
use peerpulse_core::encounter::{
    Encounter, EncounterDraft, EncounterError, EncounterId, NoteError, QuantityFieldError,
};
use peerpulse_core::usage::Usage;
use std::time::Duration;

use std::collections::{BTreeMap, BTreeSet};

/// How long "Undo" stays offered after a save.
const UNDO_WINDOW: Duration = Duration::from_secs(10);

/// What happened to the last save or undo.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    /// Committed to storage at this time of day.
    Saved(String),
    /// The last entry was removed again.
    Undone,
    /// Storage refused; the message says why.
    Failed(String),
}

fn code_options(codebook: &Codebook, usage: &Usage, list: CodeList) -> Vec<(Code, String)> {
    usage
        .order(codebook, list)
        .into_iter()
        .map(|e| (e.code.clone(), e.label.clone()))
        .collect()
}

/// Logs one encounter, or corrects a past one when `editing` is given.
#[component]
pub fn EncounterForm(
    /// The entry being corrected; a new encounter when absent.
    #[prop(optional)]
    editing: Option<Encounter>,
) -> impl IntoView {
    let app = use_app();
    let scheduler = use_scheduler();
    let navigate = leptos_router::hooks::use_navigate();
    // The order is fixed while the form is open, so chips never move under the worker's thumb.
    let usage = StoredValue::new(app.usage.get_untracked());
    let is_edit = editing.is_some();
    let original_id = editing.as_ref().map(|e| e.id.clone());
    let today = clock::today();
    let window = app.edit_window.get_untracked();
    let start = editing.as_ref().map_or_else(
        || EncounterDraft::new(today, clock::time_band_now()),
        EncounterDraft::from_encounter,
    );
    let day = RwSignal::new(date_value(start.day));
    let time_band = RwSignal::new(Some(start.time_band));
    let site = RwSignal::new(start.site);
    let kind = RwSignal::new(start.kind);
    let reach = RwSignal::new(start.reach);
    let topics = RwSignal::new(start.topics);
    let insights = RwSignal::new(start.insights);
    let needs = RwSignal::new(start.needs);
    let free_tags = RwSignal::new(start.free_tags);
    let supplies = RwSignal::new(start.supplies);
    let invalid_supplies = RwSignal::new(BTreeSet::<Code>::new());
    let referrals = RwSignal::new(start.referrals);
    let insight_note = RwSignal::new(start.insight_note);
    let share_note = RwSignal::new(start.share_insight_note);
    // A private note kept despite the guard stays kept when the entry is corrected.
    let keep_flagged = RwSignal::new(!start.private_note.is_empty());
    let private_note = RwSignal::new(start.private_note);
    let private_flagged = RwSignal::new(false);
    let problems = RwSignal::new(Vec::<String>::new());

    let undo = Action::new_local(move |id: &EncounterId| {
        let id = id.clone();
        let store = app.store();
        async move { encounters::delete(&store, &id).await }
    });
    // The entry that may still be undone: set on save, cleared after UNDO_WINDOW or on undo.
    let undoable = RwSignal::new(None::<EncounterId>);
    // What the status line says about the last save or undo.
    let last = RwSignal::new(None::<Outcome>);
    Effect::new(move |_| {
        if let Some(result) = undo.value().get() {
            undoable.set(None);
            last.set(Some(match result {
                Ok(_) => Outcome::Undone,
                Err(e) => Outcome::Failed(e.to_string()),
            }));
            app.notify_entries_changed();
            scheduler.request();
        }
    });

    let save = Action::new_local(move |encounter: &Encounter| {
        let encounter = encounter.clone();
        let store = app.store();
        async move {
            if is_edit {
                encounters::replace(&store, &encounter).await
            } else {
                encounters::save(&store, &encounter, &clock::now_rfc3339()).await
            }
        }
    });
    // After a save lands: clear what differs per contact, keep site and kind for the next one.
    Effect::new(move |_| {
        let Some(result) = save.value().get() else {
            return;
        };
        last.set(Some(match &result {
            Ok(stored) => Outcome::Saved(short_time(&stored.saved_at)),
            Err(e) => Outcome::Failed(e.to_string()),
        }));
        if is_edit {
            if result.is_ok() {
                app.notify_entries_changed();
                scheduler.request();
                navigate("/history", Default::default());
            }
            return;
        }
        if let Ok(stored) = result {
            app.usage.update(|u| u.record(&stored.encounter));
            let id = stored.encounter.id;
            undoable.set(Some(id.clone()));
            set_timeout(
                move || {
                    undoable.update(|u| {
                        u.take_if(|current| *current == id);
                    })
                },
                UNDO_WINDOW,
            );
            reach.set(None);
            topics.set(BTreeSet::new());
            insights.set(BTreeSet::new());
            needs.set(BTreeSet::new());
            free_tags.set(BTreeSet::new());
            supplies.set(BTreeMap::new());
            referrals.set(BTreeSet::new());
            insight_note.set(String::new());
            share_note.set(false);
            private_note.set(String::new());
            keep_flagged.set(false);
            private_flagged.set(false);
            app.notify_entries_changed();
            scheduler.request();
        }
    });

    let on_submit =
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(when) = parse_date_value(&day.get_untracked()) else {
                problems.set(vec!["Choose the date of the encounter.".to_owned()]);
                return;
            };
            let codebook = app.codebook.get_untracked();
            let supply_problems: Vec<String> = invalid_supplies
                .get_untracked()
                .iter()
                .map(|c| {
                    format!(
                        "Supplies given, {}: {}.",
                        codebook.label(CodeList::Supply, c),
                        QuantityFieldError
                    )
                })
                .collect();
            if !supply_problems.is_empty() {
                problems.set(supply_problems);
                return;
            }
            let draft = EncounterDraft {
                day: when,
                time_band: time_band
                    .get_untracked()
                    .unwrap_or_else(clock::time_band_now),
                site: site.get_untracked(),
                kind: kind.get_untracked(),
                reach: reach.get_untracked(),
                topics: topics.get_untracked(),
                insights: insights.get_untracked(),
                needs: needs.get_untracked(),
                free_tags: free_tags.get_untracked(),
                supplies: supplies.get_untracked(),
                referrals: referrals.get_untracked(),
                insight_note: insight_note.get_untracked(),
                share_insight_note: share_note.get_untracked(),
                private_note: private_note.get_untracked(),
                keep_flagged_private_note: keep_flagged.get_untracked(),
            };
            match draft.validate(
                original_id.clone().unwrap_or_else(clock::new_encounter_id),
                clock::today(),
                app.edit_window.get_untracked(),
                &codebook,
            ) {
                Ok(encounter) => {
                    problems.set(Vec::new());
                    save.dispatch(encounter);
                }
                Err(invalid) => {
                    private_flagged.set(invalid.0.iter().any(|e| {
                        matches!(e, EncounterError::PrivateNote(NoteError::Identifying(_)))
                    }));
                    problems.set(invalid.0.iter().map(ToString::to_string).collect());
                }
            }
        };

    let status = move || {
        if save.pending().get() {
            ("status", "Saving…".to_owned())
        } else {
            match last.get() {
                Some(Outcome::Saved(at)) => ("status saved", format!("Saved at {at}")),
                Some(Outcome::Undone) => ("status", "Undone: the entry was removed.".to_owned()),
                Some(Outcome::Failed(why)) => ("status error", why),
                None => ("status", String::new()),
            }
        }
    };

    view! {
        <form class="encounter-form" on:submit=on_submit novalidate>
            <h1>{if is_edit { "Correct an entry" } else { "Log an encounter" }}</h1>
            <WhenPicker day time_band today window />
            {move || {
                view! {
                    <SingleChoice
                        legend="Site or area"
                        name="site"
                        options=usage.with_value(|u| code_options(&app.codebook.get(), u, CodeList::Site))
                        selected=site
                    />
                }
            }}
            <SingleChoice
                legend="How it happened"
                name="kind"
                options=usage.with_value(Usage::kinds).into_iter().map(|k| (k, k.label().to_owned())).collect()
                selected=kind
            />
            <SingleChoice
                legend="How the contact was reached"
                name="reach"
                options=usage.with_value(Usage::reaches).into_iter().map(|r| (r, r.label().to_owned())).collect()
                selected=reach
            />
            {move || {
                view! {
                    <MultiChoice
                        legend="You shared"
                        name="topics"
                        options=usage.with_value(|u| code_options(&app.codebook.get(), u, CodeList::Topic))
                        selected=topics
                    />
                }
            }}
            {move || {
                view! {
                    <MultiChoice
                        legend="They shared"
                        name="insights"
                        options=usage.with_value(|u| code_options(&app.codebook.get(), u, CodeList::Insight))
                        selected=insights
                    />
                }
            }}
            <div class="note">
                <label for="insight-note">"Note on what they shared (optional)"</label>
                <textarea
                    id="insight-note"
                    name="insight-note"
                    rows="2"
                    aria-describedby="insight-note-hint"
                    prop:value=move || insight_note.get()
                    on:input=move |ev| insight_note.set(event_target_value(&ev))
                ></textarea>
                <p id="insight-note-hint" class="hint muted">
                    "No names, numbers or addresses: describe what, not who."
                </p>
                <label class="keep-anyway">
                    <input
                        type="checkbox"
                        prop:checked=move || share_note.get()
                        on:change=move |ev| share_note.set(event_target_checked(&ev))
                    />
                    "Offer this note for the organization's trend brief: only its words and week are sent, and a manager reads it first"
                </label>
            </div>
            {move || {
                view! {
                    <MultiChoice
                        legend="Needs"
                        name="needs"
                        options=usage.with_value(|u| code_options(&app.codebook.get(), u, CodeList::Need))
                        selected=needs
                    />
                }
            }}
            <FreeTags tags=free_tags />
            {move || {
                view! {
                    <SupplyPicker
                        options=usage.with_value(|u| code_options(&app.codebook.get(), u, CodeList::Supply))
                        selected=supplies
                        invalid=invalid_supplies
                    />
                }
            }}
            {move || {
                view! {
                    <MultiChoice
                        legend="Referred to"
                        name="referrals"
                        options=usage.with_value(|u| code_options(&app.codebook.get(), u, CodeList::Referral))
                        selected=referrals
                    />
                }
            }}
            <div class="note">
                <label for="private-note">"Private note (stays on this phone)"</label>
                <textarea
                    id="private-note"
                    name="private-note"
                    rows="2"
                    prop:value=move || private_note.get()
                    on:input=move |ev| {
                        private_note.set(event_target_value(&ev));
                        keep_flagged.set(false);
                    }
                ></textarea>
                <Show when=move || private_flagged.get()>
                    <label class="keep-anyway">
                        <input
                            type="checkbox"
                            prop:checked=move || keep_flagged.get()
                            on:change=move |ev| keep_flagged.set(event_target_checked(&ev))
                        />
                        "Keep this note anyway: it never leaves this phone"
                    </label>
                </Show>
            </div>
            <Show when=move || !problems.with(Vec::is_empty)>
                <div role="alert">
                    <ul class="problems">
                        {move || {
                            problems
                                .get()
                                .into_iter()
                                .map(|p| view! { <li>{p}</li> })
                                .collect_view()
                        }}
                    </ul>
                </div>
            </Show>
            <div class="save-bar">
                <button type="submit" class="primary" disabled=move || save.pending().get()>
                    {if is_edit { "Save correction" } else { "Save encounter" }}
                </button>
                <p class=move || status().0 role="status" aria-live="polite">
                    {move || status().1}
                </p>
                <Show when=move || undoable.with(Option::is_some)>
                    <button
                        type="button"
                        class="secondary"
                        disabled=move || undo.pending().get()
                        on:click=move |_| {
                            if let Some(id) = undoable.get_untracked() {
                                undo.dispatch(id);
                            }
                        }
                    >
                        "Undo"
                    </button>
                </Show>
            </div>
        </form>
    }
}

/// "21:04" from an RFC 3339 timestamp.
pub fn short_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.format("%H:%M").to_string())
        .unwrap_or_default()
}
