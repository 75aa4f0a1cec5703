//! Supplies handed out: a stepper per item, so counts go in with the thumb, no keyboard needed.

use leptos::prelude::*;
use peerpulse_core::codebook::Code;
use peerpulse_core::encounter::{MAX_QUANTITY, Quantity};
use std::collections::{BTreeMap, BTreeSet};

/// One row per supply: minus, how many, plus.
#[component]
pub fn SupplyPicker(
    /// Each supply with its label, most used first.
    options: Vec<(Code, String)>,
    /// The supplies given and how many.
    selected: RwSignal<BTreeMap<Code, Quantity>>,
    /// Supplies whose field holds something that is not a count from 0 to 500.
    invalid: RwSignal<BTreeSet<Code>>,
) -> impl IntoView {
    let set = move |code: &Code, quantity: Option<Quantity>| {
        selected.update(|s| match quantity {
            Some(q) => {
                s.insert(code.clone(), q);
            }
            None => {
                s.remove(code);
            }
        });
        invalid.update(|i| {
            i.remove(code);
        });
    };
    view! {
        <fieldset class="supplies">
            <legend>"Supplies given"</legend>
            {options
                .into_iter()
                .map(|(code, label)| {
                    let id = format!("supply-{code}");
                    let (c0, c1, c2, c3, c4, c5) =
                        (code.clone(), code.clone(), code.clone(), code.clone(), code.clone(), code);
                    let given = move || selected.with(|s| s.contains_key(&c0));
                    let shown = move || selected.with(|s| s.get(&c1).map_or(0, |q| q.get()));
                    view! {
                        <div class="supply" class:given=given>
                            <label for=id.clone()>{label.clone()}</label>
                            <button
                                type="button"
                                class="step"
                                aria-label=format!("One less: {label}")
                                on:click=move |_| set(&c2, Quantity::step(selected.with_untracked(|s| s.get(&c2).copied()), false))
                            >
                                "−"
                            </button>
                            <input
                                id=id
                                type="number"
                                inputmode="numeric"
                                min="0"
                                max=MAX_QUANTITY.to_string()
                                aria-invalid=move || invalid.with(|i| i.contains(&c3)).to_string()
                                prop:value=move || shown().to_string()
                                on:change=move |ev| {
                                    match Quantity::parse_field(&event_target_value(&ev)) {
                                        Ok(quantity) => set(&c4, quantity),
                                        Err(_) => invalid.update(|i| {
                                            i.insert(c4.clone());
                                        }),
                                    }
                                }
                            />
                            <button
                                type="button"
                                class="step"
                                aria-label=format!("One more: {label}")
                                on:click=move |_| set(&c5, Quantity::step(selected.with_untracked(|s| s.get(&c5).copied()), true))
                            >
                                "+"
                            </button>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
