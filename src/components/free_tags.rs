//! Needs the codebook does not know yet: typed, normalized, shown as removable chips.

use crate::components::chip_picker::Picked;
use crate::i18n::{errors, fill, t};
use leptos::prelude::*;
use peerpulse_core::codebook::Code;
use peerpulse_core::privacy::free_tag::{self, FreeTagError};
use std::collections::BTreeSet;

/// The free-tag field under the codebook needs.
#[component]
pub fn FreeTags(
    /// The tags added so far.
    #[prop(into)]
    tags: Picked<BTreeSet<Code>>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<FreeTagError>);
    let add = move || match free_tag::normalize(&typed.get_untracked()) {
        Ok(tag) => {
            let mut all = tags.get_untracked();
            all.insert(tag);
            tags.set(all);
            typed.set(String::new());
            problem.set(None);
        }
        Err(e) => problem.set(Some(e)),
    };
    view! {
        <div class="free-tags">
            <label for="free-tag">{t("form.free_tag")}</label>
            <div class="row">
                <input
                    id="free-tag"
                    name="free-tag"
                    autocomplete="off"
                    enterkeyhint="done"
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            add();
                        }
                    }
                />
                <button type="button" class="secondary" on:click=move |_| add()>
                    {t("form.add_need")}
                </button>
            </div>
            <Show when=move || problem.with(Option::is_some)>
                <p class="error" role="alert">{move || problem.with(|p| p.as_ref().map(errors::free_tag))}</p>
            </Show>
            <ul class="tag-list" aria-label=t("form.needs_added")>
                {move || {
                    tags.get()
                        .into_iter()
                        .map(|tag| {
                            let label = free_tag::label(&tag);
                            let remove_label = {
                                let label = label.clone();
                                move || fill("form.remove_tag", &[("tag", &label)])
                            };
                            view! {
                                <li class="tag">
                                    <span dir="auto">{label}</span>
                                    <button
                                        type="button"
                                        class="remove"
                                        aria-label=remove_label
                                        on:click=move |_| {
                                            let mut all = tags.get_untracked();
                                            all.remove(&tag);
                                            tags.set(all);
                                        }
                                    >
                                        "×"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}
