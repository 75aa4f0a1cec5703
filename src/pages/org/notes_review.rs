//! Insight notes workers offered for the trend brief, for a manager to approve or keep out;
//! an approved note of the last weeks can open a draft alert.

use super::changes::use_changes;
use super::field_alerts::AlertDesk;
use crate::i18n::{fill, intl, language, org_errors, t, text};
use crate::org_client::{self, OrgError};
use chrono::NaiveDate;
use leptos::prelude::*;
use peerpulse_core::field_notes::{NoteStatus, NotesQuery, OfferedNote};
use peerpulse_core::org_api::SessionInfo;

/// How far back approved notes are offered for an alert: what workers said lately.
const RECENT_DAYS: u64 = 28;

/// The notes waiting for review, each with Approve and Keep out; approved ones appear in the
/// trend brief of their week.
#[component]
pub fn NotesReview(info: SessionInfo) -> impl IntoView {
    let info = StoredValue::new(info);
    let message = RwSignal::new(None::<Result<NoteStatus, OrgError>>);
    let review = Action::new_local(move |(id, status): &(i64, NoteStatus)| {
        let (info, id, status) = (info.get_value(), *id, *status);
        async move {
            org_client::review_note(&info, id, status)
                .await
                .map(|()| status)
        }
    });
    let changes = use_changes();
    let pending = LocalResource::new(move || {
        // Read again after each decision, and when a phone offers or withdraws a note.
        changes.track();
        review.version().get();
        async move {
            org_client::notes(&NotesQuery {
                status: Some(NoteStatus::Pending),
                ..NotesQuery::default()
            })
            .await
        }
    });
    let approved = LocalResource::new(move || {
        changes.track();
        review.version().get();
        async move {
            org_client::notes(&NotesQuery {
                status: Some(NoteStatus::Approved),
                from: Some(crate::clock::today() - chrono::Days::new(RECENT_DAYS)),
                ..NotesQuery::default()
            })
            .await
        }
    });
    Effect::new(move |_| {
        if let Some(done) = review.value().get() {
            message.set(Some(done));
        }
    });
    let row = move |note: OfferedNote| {
        let week = note.week;
        // The note's first words name its buttons, so two notes of one week differ.
        let gist = gist(&note.text);
        let (approve_gist, keep_out_gist) = (gist.clone(), gist);
        let decide = move |status| {
            move |_| {
                review.dispatch((note.id, status));
            }
        };
        view! {
            <li>
                <blockquote dir="auto">{note.text}</blockquote>
                <p class="muted">{move || week_of(week)}</p>
                <div class="actions">
                    <button type="button" class="primary" aria-label=move || fill("org.notes.approve_note", &[("gist", &approve_gist)])
                        disabled=move || review.pending().get() on:click=decide(NoteStatus::Approved)>{t("org.notes.approve")}</button>
                    <button type="button" class="secondary" aria-label=move || fill("org.notes.keep_out_note", &[("gist", &keep_out_gist)])
                        disabled=move || review.pending().get() on:click=decide(NoteStatus::Rejected)>{t("org.notes.keep_out")}</button>
                </div>
            </li>
        }
    };
    view! {
        <section id="notes" aria-labelledby="notes-review-heading">
            <h2 id="notes-review-heading">{t("org.notes.title")}</h2>
            <p class="muted">{t("org.notes.explain")}</p>
            {move || message.get().map(|m| match m {
                Ok(NoteStatus::Approved) => view! { <p class="status saved" role="status">{text("org.notes.approved")}</p> }.into_any(),
                Ok(_) => view! { <p class="status saved" role="status">{text("org.notes.kept_out")}</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{org_errors::call(&e)}</p> }.into_any(),
            })}
            <Transition fallback=|| view! { <p>{t("org.notes.loading")}</p> }>
                {move || pending.get().map(|read| match read {
                    Err(e) => view! { <p role="alert" class="error">{move || org_errors::call(&e)}</p> }.into_any(),
                    Ok(notes) if notes.is_empty() => view! { <p>{t("org.notes.none_waiting")}</p> }.into_any(),
                    Ok(notes) => view! {
                        <ul class="notes" aria-labelledby="notes-review-heading">
                            {notes.into_iter().map(row).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
            {AlertDesk::of_page().map(|desk| view! { <ApprovedNotes approved desk /> })}
        </section>
    }
}

/// Notes approved lately, each with "Draft an alert" that starts an alert from its words.
#[component]
fn ApprovedNotes(
    approved: LocalResource<Result<Vec<OfferedNote>, OrgError>>,
    desk: AlertDesk,
) -> impl IntoView {
    let row = move |note: OfferedNote| {
        let week = note.week;
        let gist = gist(&note.text);
        let text = note.text.clone();
        view! {
            <li>
                <blockquote dir="auto">{note.text}</blockquote>
                <p class="muted">{move || week_of(week)}</p>
                <div class="actions">
                    <button type="button" class="secondary" aria-label=move || fill("org.notes.draft_alert_from", &[("gist", &gist)])
                        on:click=move |_| desk.draft_from_note(&text)>{t("org.notes.draft_alert")}</button>
                </div>
            </li>
        }
    };
    view! {
        <h3 id="notes-approved-heading">{t("org.notes.approved_lately")}</h3>
        <Transition fallback=|| ()>
            {move || approved.get().map(|read| match read {
                Err(e) => view! { <p role="alert" class="error">{move || org_errors::call(&e)}</p> }.into_any(),
                Ok(notes) if notes.is_empty() => view! { <p class="muted">{t("org.notes.none_approved")}</p> }.into_any(),
                Ok(notes) => view! {
                    <ul class="notes" aria-labelledby="notes-approved-heading">
                        {notes.into_iter().map(row).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Transition>
    }
}

/// The week a note was offered in: "Week of 02 Nov 2026", in the language shown.
fn week_of(monday: NaiveDate) -> String {
    let day = intl::day(
        language(),
        monday,
        &[("day", "2-digit"), ("month", "short"), ("year", "numeric")],
    );
    fill("week.of", &[("day", &day)])
}

/// A note's first few words: "Pills sold as oxy are…".
fn gist(text: &str) -> String {
    const WORDS: usize = 6;
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= WORDS {
        words.join(" ")
    } else {
        format!("{}…", words[..WORDS].join(" "))
    }
}
