//! Large tappable chips over native radio buttons and checkboxes, so screen readers and keyboards work.

use leptos::prelude::*;
use peerpulse_core::codebook::Code;
use std::collections::BTreeSet;

/// Pick exactly one of `options`.
#[component]
pub fn SingleChoice<T>(
    /// The question, read as the group's name.
    legend: &'static str,
    /// The form field name shared by the radio buttons.
    name: &'static str,
    /// Each choice with its label.
    options: Vec<(T, String)>,
    /// The current choice.
    selected: RwSignal<Option<T>>,
) -> impl IntoView
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    view! {
        <fieldset class="chips">
            <legend>{legend}</legend>
            {options
                .into_iter()
                .map(|(value, label)| {
                    let for_checked = value.clone();
                    view! {
                        <label class="chip">
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
    /// The question, read as the group's name.
    legend: &'static str,
    /// The form field name shared by the checkboxes.
    name: &'static str,
    /// Each code with its label.
    options: Vec<(Code, String)>,
    /// The codes picked.
    selected: RwSignal<BTreeSet<Code>>,
) -> impl IntoView {
    view! {
        <fieldset class="chips">
            <legend>{legend}</legend>
            {options
                .into_iter()
                .map(|(code, label)| {
                    let for_checked = code.clone();
                    view! {
                        <label class="chip">
                            <input
                                type="checkbox"
                                name=name
                                value=code.to_string()
                                prop:checked=move || selected.with(|s| s.contains(&for_checked))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    selected
                                        .update(|s| {
                                            if on {
                                                s.insert(code.clone());
                                            } else {
                                                s.remove(&code);
                                            }
                                        });
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
