//! One logged encounter in a list.

use crate::components::encounter_form::short_time;
use crate::store::encounters::StoredEncounter;
use leptos::prelude::*;
use peerpulse_core::codebook::{CodeList, Codebook};
use peerpulse_core::privacy::free_tag::label as tag_label;

/// A compact line: time, site, how, the needs noted, supplies and referrals, and any actions
/// given as children.
#[component]
pub fn EntryItem(
    stored: StoredEncounter,
    codebook: Codebook,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let e = &stored.encounter;
    let needs = e
        .needs
        .iter()
        .map(|n| codebook.label(CodeList::Need, n).to_owned())
        .chain(e.free_tags.iter().map(tag_label))
        .collect::<Vec<_>>()
        .join(", ");
    let given = e
        .supplies
        .iter()
        .map(|s| {
            format!(
                "{} ×{}",
                codebook.label(CodeList::Supply, &s.item),
                s.quantity.get()
            )
        })
        .chain(
            e.referrals
                .iter()
                .map(|r| format!("→ {}", codebook.label(CodeList::Referral, r))),
        )
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <li class="entry">
            <span class="time">{short_time(&stored.saved_at)}</span>
            <span class="site">{codebook.label(CodeList::Site, &e.site).to_owned()}</span>
            <span class="kind">{e.kind.label()}</span>
            <span class="needs">{needs}</span>
            <span class="given">{given}</span>
            {children.map(|c| view! { <span class="actions">{c()}</span> })}
        </li>
    }
}
