//! Supplies handed out: a stepper per item, so counts go in with the thumb, no keyboard needed.
//! Rows keep the codebook's order; only which rows show before "All supplies" depends on the
//! worker's frequent ones, fixed for the day.

use crate::components::chip_picker::Picked;
use crate::i18n::{count, fill, t, text};
use leptos::prelude::*;
use peerpulse_core::codebook::Code;
use peerpulse_core::encounter::{MAX_QUANTITY, Quantity};
use std::collections::{BTreeMap, BTreeSet};

/// Rows always shown before "All supplies" (the frequent ones show too).
const SHOWN_FIRST: usize = 4;

/// One row per supply: minus, how many, plus. Until the worker asks for all, only the first
/// few rows, the frequent ones and those with a count show.
#[component]
pub fn SupplyPicker(
    /// Each supply with its label, in codebook order.
    options: Vec<(Code, String)>,
    /// The supplies marked frequent.
    frequent: BTreeSet<Code>,
    /// The supplies given and how many.
    #[prop(into)]
    selected: Picked<BTreeMap<Code, Quantity>>,
    /// Supplies whose field holds something that is not a count from 0 to 500.
    invalid: RwSignal<BTreeSet<Code>>,
) -> impl IntoView {
    let set = move |code: &Code, quantity: Option<Quantity>| {
        let mut given = selected.get_untracked();
        match quantity {
            Some(q) => {
                given.insert(code.clone(), q);
            }
            None => {
                given.remove(code);
            }
        }
        selected.set(given);
        invalid.update(|i| {
            i.remove(code);
        });
    };
    let total = options.len();
    let first_shown = |rank: usize, code: &Code| rank < SHOWN_FIRST || frequent.contains(code);
    let folded = options
        .iter()
        .enumerate()
        .filter(|(rank, (code, _))| !first_shown(*rank, code))
        .count();
    let expanded = RwSignal::new(false);
    view! {
        <fieldset class="supplies" id="supplies">
            <legend>{t("form.supplies")}</legend>
            {options
                .into_iter()
                .enumerate()
                .map(|(rank, (code, label))| {
                    let id = format!("supply-{code}");
                    let marked = frequent.contains(&code);
                    let folds = !first_shown(rank, &code);
                    let (c0, c1, c2, c3, c4, c5) =
                        (code.clone(), code.clone(), code.clone(), code.clone(), code.clone(), code);
                    let given = Memo::new(move |_| selected.with(|s| s.contains_key(&c0)));
                    let hidden = move || folds && !expanded.get() && !given.get();
                    let shown = move || selected.with(|s| s.get(&c1).map_or(0, |q| q.get()));
                    view! {
                        <div class="supply" class:given=move || given.get() hidden=hidden>
                            <label for=id.clone() class:frequent=marked>{label.clone()}</label>
                            <button
                                type="button"
                                class="step"
                                aria-label={
                                    let label = label.clone();
                                    move || fill("form.one_less", &[("item", &label)])
                                }
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
                                aria-label={
                                    let label = label.clone();
                                    move || fill("form.one_more", &[("item", &label)])
                                }
                                on:click=move |_| set(&c5, Quantity::step(selected.with_untracked(|s| s.get(&c5).copied()), true))
                            >
                                "+"
                            </button>
                        </div>
                    }
                })
                .collect_view()}
            <Show when=move || { folded > 0 }>
                <button
                    type="button"
                    class="secondary"
                    aria-expanded=move || expanded.get().to_string()
                    on:click=move |_| expanded.update(|e| *e = !*e)
                >
                    {move || if expanded.get() { text("form.fewer_supplies") } else { count("form.all_supplies", total as u64, &[]) }}
                </button>
            </Show>
        </fieldset>
    }
}
