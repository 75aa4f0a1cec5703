//! The encounter form: one draft, validation shown beside Save, save, and a clear "Saved".
//!
//! The form holds exactly one [`EncounterDraft`]; every field is a slice of it, so a new field
//! is a change to core and one view here. A new entry's draft is kept across a reload
//! (`crate::state::draft`).

use crate::clock;
use crate::components::chip_picker::{MultiChoice, Picked, SingleChoice, ToggleChip};
use crate::components::free_tags::FreeTags;
use crate::components::supply_picker::SupplyPicker;
use crate::components::when_picker::{WhenPicker, long_day};
use crate::i18n::{count, errors, fill, intl, labels, language, t, text};
use crate::job::Job;
use crate::state::{draft, use_app};
use crate::store::StoreError;
use crate::store::lock::{self, LockState};
use leptos::prelude::*;
use peerpulse_core::codebook::{Code, CodeList, Codebook};
use peerpulse_core::encounter::{
    Encounter, EncounterDraft, EncounterError, EncounterId, EncounterKind, MAX_QUANTITY, NoteError,
    Reach,
};
use peerpulse_core::usage::{Choice, FrequentSnapshot};
use std::collections::BTreeSet;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// How long "Undo" stays offered after a save.
const UNDO_WINDOW: Duration = Duration::from_secs(10);

/// What happened to the last save or undo.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    /// Committed to storage at this time of day.
    Saved(String),
    /// The last entry was removed again.
    Undone,
    /// Storage refused.
    Failed(StoreError),
}

/// One problem that stops a save, and the id of the field to fix it in.
#[derive(Clone, Debug, PartialEq)]
struct Problem {
    field: String,
    text: String,
}

/// The field each validation error is fixed in.
fn field_of(error: &EncounterError) -> &'static str {
    match error {
        EncounterError::DayInFuture { .. } | EncounterError::DayTooFarBack { .. } => {
            "encounter-day"
        }
        EncounterError::MissingSite => "site",
        EncounterError::MissingKind => "kind",
        EncounterError::MissingReach => "reach",
        EncounterError::UnknownCode { list, .. } => match list {
            CodeList::Site => "site",
            CodeList::Topic => "topics",
            CodeList::Insight => "insights",
            CodeList::Need => "needs",
            CodeList::Supply => "supplies",
            CodeList::Referral => "referrals",
        },
        EncounterError::TooManyFreeTags => "free-tag",
        EncounterError::InsightNote(_) => "insight-note",
        EncounterError::PrivateNote(_) => "private-note",
    }
}

/// One field of the draft, as a picker reads and sets it. Plain functions, not closures, so
/// every field of one type shares one copy of the code.
fn field<T: Clone + Send + Sync + 'static>(
    draft: RwSignal<EncounterDraft>,
    get: fn(&EncounterDraft) -> T,
    set: fn(&mut EncounterDraft, T),
) -> Picked<T> {
    (
        Signal::derive(move || draft.with(get)),
        SignalSetter::map(move |value| draft.update(|d| set(d, value))),
    )
        .into()
}

/// Each offered code of `list` with its label, in codebook order.
fn code_options(codebook: &Codebook, list: CodeList) -> Vec<(Code, String)> {
    codebook
        .offered(list)
        .map(|e| (e.code.clone(), e.label.clone()))
        .collect()
}

/// The codes of `list` marked frequent today.
fn frequent_codes(frequent: &FrequentSnapshot, list: CodeList) -> BTreeSet<Code> {
    frequent
        .choices
        .iter()
        .filter_map(|choice| match (list, choice) {
            (CodeList::Site, Choice::Site(c))
            | (CodeList::Topic, Choice::Topic(c))
            | (CodeList::Insight, Choice::Insight(c))
            | (CodeList::Need, Choice::Need(c))
            | (CodeList::Supply, Choice::Supply(c))
            | (CodeList::Referral, Choice::Referral(c)) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

/// Moves focus to the field with `id`, opening the section it is folded in.
fn focus_field(id: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(element) = document.get_element_by_id(id) else {
        return;
    };
    if let Ok(Some(details)) = element.closest("details") {
        let _ = details.set_attribute("open", "");
    }
    // A fieldset takes focus on its first control.
    let target = element
        .query_selector("input, textarea, button")
        .ok()
        .flatten()
        .unwrap_or(element);
    if let Ok(target) = target.dyn_into::<web_sys::HtmlElement>() {
        let _ = target.focus();
    }
}

/// The draft a new entry starts from: the one kept across a reload if it has anything about
/// a contact, else a fresh one keeping its site and kind.
fn starting_draft() -> EncounterDraft {
    let fresh = EncounterDraft::new(clock::today(), clock::time_band_now());
    match draft::restore() {
        Some(kept) if kept.has_contact_details() => kept,
        Some(kept) => EncounterDraft {
            site: kept.site,
            kind: kept.kind,
            ..fresh
        },
        None => fresh,
    }
}

/// Logs one encounter, or corrects a past one when `editing` is given.
#[component]
pub fn EncounterForm(
    /// The entry being corrected (its id and what it holds); a new encounter when absent.
    #[prop(optional)]
    editing: Option<(EncounterId, EncounterDraft)>,
) -> impl IntoView {
    let app = use_app();
    let navigate = leptos_router::hooks::use_navigate();
    let frequent = app.frequent.get_value();
    let is_edit = editing.is_some();
    let (original_id, start) = match editing {
        Some((id, draft)) => (Some(id), draft),
        None => (None, starting_draft()),
    };
    let original_id_value = StoredValue::new(original_id.clone());
    let today = clock::today();
    let window = app.edit_window.get_untracked();
    // When shows unfolded when it is not simply today: a correction, or a kept draft of
    // another day.
    let when_open = is_edit || start.day != today;
    // A private note kept despite the guard stays kept when the entry is corrected.
    let keep_flagged_start = is_edit && !start.private_note.is_empty();
    let draft = RwSignal::new(EncounterDraft {
        keep_flagged_private_note: keep_flagged_start,
        ..start
    });
    if !is_edit {
        // The half-filled entry survives a reload (it never leaves the phone).
        let pin_set = lock::state(&app.store()) != LockState::Off;
        Effect::new(move |_| draft.with(|d| draft::keep(d, pin_set)));
    }

    let day = field(draft, |d| d.day, |d, v| d.day = v);
    let time_band = field(
        draft,
        |d| Some(d.time_band),
        |d, v| {
            if let Some(v) = v {
                d.time_band = v;
            }
        },
    );
    let site = field(draft, |d| d.site.clone(), |d, v| d.site = v);
    let kind = field(draft, |d| d.kind, |d, v| d.kind = v);
    let reach = field(draft, |d| d.reach, |d, v| d.reach = v);
    let topics = field(draft, |d| d.topics.clone(), |d, v| d.topics = v);
    let insights = field(draft, |d| d.insights.clone(), |d, v| d.insights = v);
    let needs = field(draft, |d| d.needs.clone(), |d, v| d.needs = v);
    let free_tags = field(draft, |d| d.free_tags.clone(), |d, v| d.free_tags = v);
    let supplies = field(draft, |d| d.supplies.clone(), |d, v| d.supplies = v);
    let referrals = field(draft, |d| d.referrals.clone(), |d, v| d.referrals = v);
    let share_note = field(
        draft,
        |d| d.share_insight_note,
        |d, v| d.share_insight_note = v,
    );
    let keep_flagged = field(
        draft,
        |d| d.keep_flagged_private_note,
        |d, v| d.keep_flagged_private_note = v,
    );
    // Supply fields holding something that is not a count: view state, not part of the draft.
    let invalid_supplies = RwSignal::new(BTreeSet::<Code>::new());
    // Set once Save was tapped on an invalid form: from then on the problems follow the draft,
    // so each goes away as soon as it is fixed.
    let tried = RwSignal::new(false);

    // Every problem with the draft now, validated as entry `id`; and whether the guard flagged
    // the private note (the worker may keep it anyway).
    let check = move |id: EncounterId| {
        let codebook = app.codebook.get();
        let mut problems: Vec<Problem> = invalid_supplies.with(|invalid| {
            invalid
                .iter()
                .map(|c| Problem {
                    field: format!("supply-{c}"),
                    text: fill(
                        "form.supply_not_a_count",
                        &[
                            ("item", &codebook.label(CodeList::Supply, c)),
                            ("max", &MAX_QUANTITY),
                        ],
                    ),
                })
                .collect()
        });
        let validated = draft
            .get()
            .validate(id, clock::today(), app.edit_window.get(), &codebook);
        let mut flagged = false;
        if let Err(invalid) = &validated {
            flagged = invalid
                .0
                .iter()
                .any(|e| matches!(e, EncounterError::PrivateNote(NoteError::Identifying(_))));
            problems.extend(invalid.0.iter().map(|e| Problem {
                field: field_of(e).to_owned(),
                text: errors::encounter(e, &codebook),
            }));
        }
        (validated, problems, flagged)
    };
    // What stops a save now, once Save was tried (re-checked on every change: it is cheap), and
    // whether the guard flagged the private note. A new entry is checked under a stand-in id;
    // it gets its own at save.
    let found = move || {
        if tried.get() {
            let id = original_id_value
                .get_value()
                .unwrap_or_else(|| EncounterId::new("new").expect("\"new\" is a valid id"));
            let (_, problems, flagged) = check(id);
            (problems, flagged)
        } else {
            (Vec::new(), false)
        }
    };
    let problems = move || found().0;
    let no_problems = move || found().0.is_empty();
    let private_flagged = move || found().1;

    // The entry that may still be undone: set on save, cleared after UNDO_WINDOW, on undo, or
    // when a new attempt fails (so "Undo" never takes back another entry than the worker thinks).
    let undoable = RwSignal::new(None::<EncounterId>);
    // What the status line says about the last save or undo.
    let last = RwSignal::new(None::<Outcome>);
    let undo = Job::<()>::new();
    let undo_last = move |id: EncounterId| {
        undo.start(async move {
            let result = app.undo(id).await;
            undoable.set(None);
            last.set(Some(match result {
                Ok(_) => Outcome::Undone,
                Err(e) => Outcome::Failed(e),
            }));
        });
    };

    let save = Job::<()>::new();
    // After a save lands: clear what differs per contact, keep when, site and kind.
    let save_entry = move |encounter: Encounter| {
        let navigate = navigate.clone();
        save.start(async move {
            let result = if is_edit {
                app.correct(encounter).await
            } else {
                app.save(encounter).await
            };
            last.set(Some(match &result {
                Ok(stored) => Outcome::Saved(stored.saved_at.clone()),
                Err(e) => Outcome::Failed(e.clone()),
            }));
            let Ok(stored) = result else {
                return;
            };
            if is_edit {
                app.notice.set(Some("form.correction_saved"));
                navigate("/history", Default::default());
                return;
            }
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
            tried.set(false);
            draft.update(|d| *d = d.next_contact());
        });
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = original_id.clone().unwrap_or_else(clock::new_encounter_id);
        match check(id) {
            (Ok(encounter), found, _) if found.is_empty() => {
                tried.set(false);
                save_entry(encounter);
            }
            _ => {
                tried.set(true);
                // The last save's "Saved at … / Undo" would read as this attempt's.
                last.set(None);
                undoable.set(None);
                // The problems are next to Save; focus goes to the first, which reads it out.
                request_animation_frame(|| focus_field("first-problem"));
            }
        }
    };

    let status = move || {
        if save.pending() {
            ("status", text("form.saving"))
        } else {
            match last.get() {
                Some(Outcome::Saved(at)) if is_edit => (
                    "status saved",
                    fill("form.correction_saved_at", &[("time", &short_time(&at))]),
                ),
                Some(Outcome::Saved(at)) => (
                    "status saved",
                    fill("form.saved_at", &[("time", &short_time(&at))]),
                ),
                Some(Outcome::Undone) => ("status", text("form.undone")),
                Some(Outcome::Failed(why)) => ("status error", errors::store(&why)),
                None => ("status", String::new()),
            }
        }
    };

    let book = app.codebook;
    let when_text = move || {
        let d = draft.with(|d| (d.day, d.time_band));
        fill(
            "form.when_line",
            &[
                ("day", &long_day(d.0, clock::today())),
                ("part", &labels::time_band(d.1).to_lowercase()),
            ],
        )
    };
    let frequent_kinds: Vec<EncounterKind> = EncounterKind::ALL
        .into_iter()
        .filter(|k| frequent.marks(&Choice::Kind(*k)))
        .collect();
    let frequent_reaches: Vec<Reach> = Reach::ALL
        .into_iter()
        .filter(|r| frequent.marks(&Choice::Reach(*r)))
        .collect();
    let frequent_sites: Vec<Code> = frequent_codes(&frequent, CodeList::Site)
        .into_iter()
        .collect();

    view! {
        <form class="encounter-form" on:submit=on_submit novalidate>
            // The Log tab already says where the worker is: the heading is for screen readers,
            // and its height goes to the choices. A correction shows its heading.
            <h1 class:visually-hidden=!is_edit>
                {t(if is_edit { "form.correct_title" } else { "form.log_title" })}
            </h1>
            <details class="when-fold" open=when_open>
                <summary>
                    <span class="muted">{t("form.when")}</span>" "
                    <strong data-testid="when">{when_text}</strong>
                    <span class="change">{t("form.change")}</span>
                </summary>
                <WhenPicker day time_band today window />
            </details>
            {move || {
                view! {
                    <SingleChoice
                        legend="form.site"
                        name="site"
                        options=code_options(&book.get(), CodeList::Site)
                        frequent=frequent_sites.clone()
                        selected=site
                    />
                }
            }}
            {move || view! {
                <SingleChoice
                    legend="form.kind"
                    name="kind"
                    options=EncounterKind::ALL.into_iter().map(|k| (k, labels::kind(k))).collect()
                    frequent=frequent_kinds.clone()
                    selected=kind
                />
            }}
            {move || view! {
                <SingleChoice
                    legend="form.reach"
                    name="reach"
                    options=Reach::ALL.into_iter().map(|r| (r, labels::reach(r))).collect()
                    frequent=frequent_reaches.clone()
                    selected=reach
                />
            }}
            {
                let frequent = frequent.clone();
                move || {
                    view! {
                        <MultiChoice
                            legend="form.needs"
                            name="needs"
                            options=code_options(&book.get(), CodeList::Need)
                            frequent=frequent_codes(&frequent, CodeList::Need)
                            selected=needs
                        />
                    }
                }
            }
            {
                let frequent = frequent.clone();
                move || {
                    view! {
                        <SupplyPicker
                            options=code_options(&book.get(), CodeList::Supply)
                            frequent=frequent_codes(&frequent, CodeList::Supply)
                            selected=supplies
                            invalid=invalid_supplies
                        />
                    }
                }
            }
            <FreeTags tags=free_tags />
            {
                let frequent = frequent.clone();
                move || {
                    view! {
                        <MultiChoice
                            legend="form.you_shared"
                            name="topics"
                            options=code_options(&book.get(), CodeList::Topic)
                            frequent=frequent_codes(&frequent, CodeList::Topic)
                            selected=topics
                        />
                    }
                }
            }
            {
                let frequent = frequent.clone();
                move || {
                    view! {
                        <MultiChoice
                            legend="form.they_shared"
                            name="insights"
                            options=code_options(&book.get(), CodeList::Insight)
                            frequent=frequent_codes(&frequent, CodeList::Insight)
                            selected=insights
                        />
                    }
                }
            }
            <div class="note">
                <label for="insight-note">{t("form.insight_note")}</label>
                <textarea
                    id="insight-note"
                    name="insight-note"
                    rows="2"
                    aria-describedby="insight-note-hint"
                    prop:value=move || draft.with(|d| d.insight_note.clone())
                    on:input=move |ev| draft.update(|d| d.insight_note = event_target_value(&ev))
                ></textarea>
                <p id="insight-note-hint" class="hint muted">
                    {t("form.insight_note_hint")}
                </p>
                <ToggleChip
                    id="offer-note"
                    label="form.offer_note"
                    on=share_note
                />
                <p class="hint muted">
                    {t("form.offer_note_hint")}
                </p>
            </div>
            {
                let frequent = frequent.clone();
                move || {
                    view! {
                        <MultiChoice
                            legend="form.referrals"
                            name="referrals"
                            options=code_options(&book.get(), CodeList::Referral)
                            frequent=frequent_codes(&frequent, CodeList::Referral)
                            selected=referrals
                        />
                    }
                }
            }
            <div class="note">
                <label for="private-note">{t("form.private_note")}</label>
                <textarea
                    id="private-note"
                    name="private-note"
                    rows="2"
                    prop:value=move || draft.with(|d| d.private_note.clone())
                    on:input=move |ev| {
                        draft
                            .update(|d| {
                                d.private_note = event_target_value(&ev);
                                d.keep_flagged_private_note = false;
                            })
                    }
                ></textarea>
                <Show when=move || private_flagged() || keep_flagged.get()>
                    <ToggleChip
                        id="keep-private-note"
                        label="form.keep_private_note"
                        on=keep_flagged
                    />
                </Show>
            </div>
            <div class="save-bar">
                <Show when=move || !no_problems()>
                    <div class="problems" role="alert" data-testid="problems">
                        <p class="problems-title">
                            {move || {
                                count("form.not_saved", found().0.len() as u64, &[])
                            }}
                        </p>
                        <ul>
                            {move || {
                                problems()
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, p)| {
                                        let field = p.field.clone();
                                        view! {
                                            <li>
                                                <button
                                                    type="button"
                                                    class="problem"
                                                    id=(i == 0).then_some("first-problem")
                                                    on:click=move |_| focus_field(&field)
                                                >
                                                    {p.text}
                                                </button>
                                            </li>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </ul>
                    </div>
                </Show>
                <div class="save-row">
                    <button type="submit" class="primary" disabled=move || save.pending()>
                        {t(if is_edit { "form.save_correction" } else { "form.save" })}
                    </button>
                    <Show when=move || undoable.with(Option::is_some)>
                        <button
                            type="button"
                            class="secondary undo"
                            disabled=move || undo.pending()
                            on:click=move |_| {
                                if let Some(id) = undoable.get_untracked() {
                                    undo_last(id);
                                }
                            }
                        >
                            {t("form.undo")}
                        </button>
                    </Show>
                </div>
                <p class=move || status().0 role="status" aria-live="polite" data-testid="save-status">
                    {move || status().1}
                </p>
            </div>
        </form>
    }
}

/// "21:04" (or "9:04 PM", as the language writes it) from an RFC 3339 timestamp.
pub fn short_time(rfc3339: &str) -> String {
    intl::time_of_day(language(), rfc3339)
}
