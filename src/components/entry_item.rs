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

fn code_labels(codebook: &Codebook, list: CodeList, codes: &BTreeSet<Code>) -> String {
    codes
        .iter()
        .map(|c| codebook.label(list, c))
        .collect::<Vec<_>>()
        .join(", ")
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
        .chain(e.referrals.iter().map(|r| {
            format!(
                "{} {}",
                forward_arrow(),
                codebook.label(CodeList::Referral, r)
            )
        }))
        .collect::<Vec<_>>()
        .join(", ");
    let part = |class: &'static str, label: &'static str, shown: String| {
        (!shown.is_empty()).then(|| {
            view! {
                <span class="part">
                    <span class="part-label">{t(label)}" "</span>
                    <span class=class dir="auto">{shown}</span>
                </span>
            }
        })
    };
    let note = e
        .insight_note
        .as_ref()
        .map(|n| n.as_str().to_owned())
        .unwrap_or_default();
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
    let offered = (e.share_insight_note && !note.is_empty())
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
            {part("insight-note", "entry.note", note)}
            {offered.map(|key| view! { <span class="offer">{t(key)}</span> })}
            {receipt}
            {e.private_note.is_some().then(|| view! { <span class="private muted">{t("entry.private_note")}</span> })}
            {children.map(|c| view! { <span class="actions">{c()}</span> })}
        </li>
    }
}
