//! Insight notes workers offered for the trend brief, for a manager to approve or keep out;
//! an approved note of the last weeks can open a draft alert.

use super::changes::use_changes;
use super::field_alerts::AlertDesk;
use crate::org_client;
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
    let message = RwSignal::new(None::<Result<String, String>>);
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
    Effect::new(move |_| match review.value().get() {
        Some(Ok(NoteStatus::Approved)) => message.set(Some(Ok(
            "Approved: the note appears in the trend brief of its week.".to_owned(),
        ))),
        Some(Ok(_)) => message.set(Some(Ok("Kept out of the brief.".to_owned()))),
        Some(Err(e)) => message.set(Some(Err(e.to_string()))),
        None => {}
    });
    let row = move |note: OfferedNote| {
        let week = note.week.format("%d %b %Y").to_string();
        // The note's first words name its buttons, so two notes of one week differ.
        let gist = gist(&note.text);
        let decide = move |status| {
            move |_| {
                review.dispatch((note.id, status));
            }
        };
        view! {
            <li>
                <blockquote>{note.text}</blockquote>
                <p class="muted">{format!("Week of {week}")}</p>
                <div class="actions">
                    <button type="button" class="primary" aria-label=format!("Approve the note “{gist}”")
                        disabled=move || review.pending().get() on:click=decide(NoteStatus::Approved)>"Approve"</button>
                    <button type="button" class="secondary" aria-label=format!("Keep out the note “{gist}”")
                        disabled=move || review.pending().get() on:click=decide(NoteStatus::Rejected)>"Keep out"</button>
                </div>
            </li>
        }
    };
    view! {
        <section id="notes" aria-labelledby="notes-review-heading">
            <h2 id="notes-review-heading">"Notes to review"</h2>
            <p class="muted">"Insight notes workers offered for the trend brief: only the words and the week arrive. Approve those that identify no one and say something worth sharing."</p>
            {move || message.get().map(|m| match m {
                Ok(done) => view! { <p class="status saved" role="status">{done}</p> }.into_any(),
                Err(why) => view! { <p class="error" role="alert">{why}</p> }.into_any(),
            })}
            <Transition fallback=|| view! { <p>"Loading notes…"</p> }>
                {move || pending.get().map(|read| match read {
                    Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                    Ok(notes) if notes.is_empty() => view! { <p>"No notes are waiting."</p> }.into_any(),
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
    approved: LocalResource<Result<Vec<OfferedNote>, org_client::OrgError>>,
    desk: AlertDesk,
) -> impl IntoView {
    let row = move |note: OfferedNote| {
        let week = note.week.format("%d %b %Y").to_string();
        let gist = gist(&note.text);
        let text = note.text.clone();
        view! {
            <li>
                <blockquote>{note.text}</blockquote>
                <p class="muted">{format!("Week of {week}")}</p>
                <div class="actions">
                    <button type="button" class="secondary" aria-label=format!("Draft an alert from the note “{gist}”")
                        on:click=move |_| desk.draft_from_note(&text)>"Draft an alert"</button>
                </div>
            </li>
        }
    };
    view! {
        <h3 id="notes-approved-heading">"Approved lately"</h3>
        <Transition fallback=|| ()>
            {move || approved.get().map(|read| match read {
                Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                Ok(notes) if notes.is_empty() => view! { <p class="muted">"No note approved in the last four weeks."</p> }.into_any(),
                Ok(notes) => view! {
                    <ul class="notes" aria-labelledby="notes-approved-heading">
                        {notes.into_iter().map(row).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Transition>
    }
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
