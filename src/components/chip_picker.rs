//! Large tappable chips over native radio buttons and checkboxes, so screen readers and
//! keyboards work. Chips keep the order they are given: nothing moves under the thumb. The
//! worker's frequent choices are marked where they stand (a star drawn by the style sheet, with
//! "frequent" as its spoken text).

use crate::i18n::t;
use leptos::prelude::*;
use peerpulse_core::codebook::Code;
use std::collections::BTreeSet;

/// What a picker reads and sets: a signal of its own, or one field of a larger value (a slice
/// of the form's one draft, made with `create_slice`).
pub struct Picked<T: Send + Sync + 'static> {
    get: Signal<T>,
    set: SignalSetter<T>,
}

impl<T: Send + Sync> Clone for Picked<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync> Copy for Picked<T> {}

impl<T: Clone + Send + Sync + 'static> Picked<T> {
    /// The value now, tracked.
    pub fn get(&self) -> T {
        self.get.get()
    }

    /// The value now, untracked (in event handlers).
    pub fn get_untracked(&self) -> T {
        self.get.get_untracked()
    }

    /// Reads the value, tracked.
    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.get.with(f)
    }

    /// Reads the value, untracked (in event handlers).
    pub fn with_untracked<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.get.with_untracked(f)
    }

    /// Sets the value.
    pub fn set(&self, value: T) {
        self.set.set(value);
    }
}

impl<T: Send + Sync + 'static> From<RwSignal<T>> for Picked<T> {
    fn from(signal: RwSignal<T>) -> Self {
        Self {
            get: signal.into(),
            set: signal.into(),
        }
    }
}

impl<T: Send + Sync> From<(Signal<T>, SignalSetter<T>)> for Picked<T> {
    fn from((get, set): (Signal<T>, SignalSetter<T>)) -> Self {
        Self { get, set }
    }
}

/// Pick exactly one of `options`.
#[component]
pub fn SingleChoice<T>(
    /// The key of the question, read as the group's name.
    legend: &'static str,
    /// The form field name shared by the radio buttons; also the fieldset's id.
    name: &'static str,
    /// Each choice with its label, in the order shown.
    options: Vec<(T, String)>,
    /// The choices marked frequent.
    #[prop(optional)]
    frequent: Vec<T>,
    /// The current choice.
    #[prop(into)]
    selected: Picked<Option<T>>,
) -> impl IntoView
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    view! {
        <fieldset class="chips" id=name>
            <legend>{t(legend)}</legend>
            {options
                .into_iter()
                .map(|(value, label)| {
                    let for_checked = value.clone();
                    let marked = frequent.contains(&value);
                    view! {
                        <label class="chip" class:frequent=marked>
                            <input
                                type="radio"
                                name=name
                                prop:checked=move || {
                                    selected.with(|s| s.as_ref() == Some(&for_checked))
                                }
                                on:change=move |_| selected.set(Some(value.clone()))
                            />
                            <span>{label}</span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// Pick any number of codebook codes.
#[component]
pub fn MultiChoice(
    /// The key of the question, read as the group's name.
    legend: &'static str,
    /// The form field name shared by the checkboxes; also the fieldset's id.
    name: &'static str,
    /// Each code with its label, in the order shown.
    options: Vec<(Code, String)>,
    /// The codes marked frequent.
    #[prop(optional)]
    frequent: BTreeSet<Code>,
    /// The codes picked.
    #[prop(into)]
    selected: Picked<BTreeSet<Code>>,
) -> impl IntoView {
    view! {
        <fieldset class="chips" id=name>
            <legend>{t(legend)}</legend>
            {options
                .into_iter()
                .map(|(code, label)| {
                    let for_checked = code.clone();
                    let marked = frequent.contains(&code);
                    view! {
                        <label class="chip" class:frequent=marked>
                            <input
                                type="checkbox"
                                name=name
                                value=code.to_string()
                                prop:checked=move || selected.with(|s| s.contains(&for_checked))
                                on:change=move |ev| {
                                    let mut picked = selected.get_untracked();
                                    if event_target_checked(&ev) {
                                        picked.insert(code.clone());
                                    } else {
                                        picked.remove(&code);
                                    }
                                    selected.set(picked);
                                }
                            />
                            <span>{label}</span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// One yes-or-no choice as a chip-sized toggle (a button that stays pressed), for choices
/// that sit among chips.
#[component]
pub fn ToggleChip(
    /// The key of what is turned on, read as the button's name.
    label: &'static str,
    /// The element id.
    id: &'static str,
    /// Whether it is on.
    #[prop(into)]
    on: Picked<bool>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="toggle-chip"
            id=id
            aria-pressed=move || on.get().to_string()
            on:click=move |_| on.set(!on.get_untracked())
        >
            <span class="toggle-box" aria-hidden="true">{move || if on.get() { "✓" } else { "" }}</span>
            {t(label)}
        </button>
    }
}
