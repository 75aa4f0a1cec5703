//! One logged encounter in a list: everything that was logged, in the words of the form.

use crate::components::encounter_form::short_time;
use crate::i18n::intl::forward_arrow;
use crate::i18n::{labels, t, text};
use crate::state::AppContext;
use crate::store::encounters::StoredEncounter;
use leptos::prelude::*;
use peerpulse_core::codebook::{Code, CodeList, Codebook};
use peerpulse_core::privacy::free_tag::label as tag_label;
use std::collections::BTreeSet;

/// Where an offered note stands, as far as this phone knows. (Whether a manager approved it
/// or kept it out of the brief is decided on the service and not sent back to phones.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfferState {
    /// Offered, not yet sent.
    Waiting,
    /// The service has it; a manager reviews it before the brief quotes it.
    Sent,
}

impl OfferState {
    fn key(self) -> &'static str {
        match self {
            Self::Waiting => "entry.offer_waiting",
            Self::Sent => "entry.offer_sent",
        }
    }
}

/// One codebook label or free tag of a list, in a `<bdi>` of its own: laid out by its own
/// letters, so a Latin label in an Arabic list keeps its brackets where they were typed.
fn label(shown: impl Into<String>) -> AnyView {
    view! { <bdi>{shown.into()}</bdi> }.into_any()
}

fn code_labels(codebook: &Codebook, list: CodeList, codes: &BTreeSet<Code>) -> Vec<AnyView> {
    codes
        .iter()
        .map(|c| label(codebook.label(list, c)))
        .collect()
}

/// `items` as one list, the language's separator between them and outside every item: the
/// list runs in the page's direction, so in Arabic it reads from the right in the order
/// logged whatever script each label is in (one `dir="auto"` run would take the first
/// label's direction and, for a Latin one, read the list from the left).
fn listed(items: Vec<AnyView>) -> impl IntoView {
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| view! { {(i > 0).then_some(t("list.separator"))}{item} })
        .collect_view()
}

/// Time, site, how, reached; then each part logged, labelled; and any actions given as
/// children.
#[component]
pub fn EntryItem(
    stored: StoredEncounter,
    codebook: Codebook,
    /// Where the entry's offered note stands, when the list knows.
    #[prop(optional)]
    offer: Option<OfferState>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let e = &stored.encounter;
    let needs = e
        .needs
        .iter()
        .map(|n| label(codebook.label(CodeList::Need, n)))
        .chain(e.free_tags.iter().map(|tag| label(tag_label(tag))))
        .collect::<Vec<_>>();
    let given = e
        .supplies
        .iter()
        .map(|s| {
            let quantity = format!(" ×{}", s.quantity.get());
            view! { {label(codebook.label(CodeList::Supply, &s.item))}{quantity} }.into_any()
        })
        .chain(e.referrals.iter().map(|r| {
            view! { {forward_arrow()}" "{label(codebook.label(CodeList::Referral, r))} }.into_any()
        }))
        .collect::<Vec<_>>();
    let part = |class: &'static str, key: &'static str, items: Vec<AnyView>| {
        (!items.is_empty()).then(|| {
            view! {
                <span class="part">
                    <span class="part-label">{t(key)}" "</span>
                    <span class=class>{listed(items)}</span>
                </span>
            }
        })
    };
    // One text of the worker's own: laid out by its own first letter.
    let note_text = e.insight_note.as_ref().filter(|n| !n.as_str().is_empty());
    let note = note_text.map(|n| {
        view! {
            <span class="part">
                <span class="part-label">{t("entry.note")}" "</span>
                <span class="insight-note" dir="auto">{n.as_str().to_owned()}</span>
            </span>
        }
    });
    // Where its counts stand, from the service's acks (only inside the worker's app).
    // A correction's counts stand on their own: it says so.
    let (version, corrected) = (stored.version, stored.corrected);
    let receipt = use_context::<AppContext>().map(|app| {
        let receipt = move || app.sync_state.with(|s| s.receipt(version));
        let words = move || {
            text(if corrected {
                receipt().correction_key()
            } else {
                receipt().key()
            })
        };
        view! {
            <span class="receipt" data-receipt=move || receipt().name()>
                <span class="receipt-mark" aria-hidden="true">{move || receipt().mark()}</span>
                " "
                {words}
            </span>
        }
    });
    let offered = (e.share_insight_note && note_text.is_some())
        .then(|| offer.map_or("entry.offered", OfferState::key));
    view! {
        <li class="entry">
            <span class="time">{short_time(&stored.saved_at)}</span>
            <span class="site" dir="auto">{codebook.label(CodeList::Site, &e.site).to_owned()}</span>
            <span class="kind">{labels::kind(e.kind)}</span>
            <span class="reach">{labels::reach(e.reach)}</span>
            {part("needs", "entry.needs", needs)}
            {part("given", "entry.given", given)}
            {part("topics", "entry.you_shared", code_labels(&codebook, CodeList::Topic, &e.topics))}
            {part("insights", "entry.they_shared", code_labels(&codebook, CodeList::Insight, &e.insights))}
            {note}
            {offered.map(|key| view! { <span class="offer">{t(key)}</span> })}
            {receipt}
            {e.private_note.is_some().then(|| view! { <span class="private muted">{t("entry.private_note")}</span> })}
            {children.map(|c| view! { <span class="actions">{c()}</span> })}
        </li>
    }
}
