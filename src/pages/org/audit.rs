//! The audit log for admins: who did what, when and from where, newest first, a page at a
//! time ("Older entries"). Entries hold names and ids only, never a note's words or a secret.

use crate::org_client::{self, OrgError};
use chrono::{DateTime, Local, NaiveDate};
use leptos::prelude::*;
use peerpulse_core::org_api::{AuditAction, AuditEntry, AuditPage, ExportKind};

/// What an entry says was done, in words.
fn what(entry: &AuditEntry) -> String {
    let detail = entry.detail.as_deref();
    let with = |text: &str| match detail {
        Some(d) => format!("{text}: {d}"),
        None => text.to_owned(),
    };
    match entry.action {
        AuditAction::SignedIn => match detail {
            Some(how) => format!("Signed in ({how})"),
            None => "Signed in".to_owned(),
        },
        AuditAction::Exported => match detail.and_then(ExportKind::parse) {
            Some(kind) => format!("Exported {}", kind.label()),
            None => with("Exported"),
        },
        AuditAction::CodebookChanged => with("Changed the codebook"),
        AuditAction::NoteReviewed => with("Reviewed a note"),
        AuditAction::EnrolmentCodeIssued => with("Issued an enrolment code for a phone"),
        AuditAction::PhoneRevoked => with("Revoked a phone"),
        AuditAction::PersonAdded => with("Added a person"),
        AuditAction::AccessChanged => with("Changed a person's access"),
        AuditAction::ResetLinkMade => with("Made a new password link"),
        AuditAction::IndicatorsChanged => with("Changed the indicators"),
        AuditAction::SentToDhis2 => with("Sent a report to DHIS2"),
    }
}

/// When, in this browser's local time and in words: "Today at 14:05", "Yesterday at 09:12",
/// "Tuesday at 18:40" (this week), "Mon 2 November 2026 at 10:00".
fn when(at: &str, today: NaiveDate) -> String {
    let Ok(utc) = DateTime::parse_from_rfc3339(at) else {
        return at.to_owned();
    };
    let local = utc.with_timezone(&Local);
    let (day, time) = (local.date_naive(), local.format("%H:%M"));
    match (today - day).num_days() {
        0 => format!("Today at {time}"),
        1 => format!("Yesterday at {time}"),
        2..=6 => format!("{} at {time}", local.format("%A")),
        _ => format!("{} at {time}", local.format("%a %-d %B %Y")),
    }
}

/// The organization's audit log (admins).
#[component]
pub fn AuditLog() -> impl IntoView {
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let older = RwSignal::new(None::<i64>);
    let problem = RwSignal::new(None::<OrgError>);
    let read = Action::new_local(|before: &Option<i64>| {
        let before = *before;
        async move { org_client::audit(before).await }
    });
    read.dispatch(None);
    Effect::new(move |_| match read.value().get() {
        Some(Ok(AuditPage {
            entries: page,
            next_before,
        })) => {
            problem.set(None);
            entries.update(|all| all.extend(page));
            older.set(next_before);
        }
        Some(Err(e)) => problem.set(Some(e)),
        None => {}
    });
    let today = crate::clock::today();
    let rows = move || {
        entries.with(|all| {
            all.iter()
                .map(|e| {
                    view! {
                        <tr>
                            <td><time datetime=e.at.clone()>{when(&e.at, today)}</time></td>
                            <td>{e.who.clone()}</td>
                            <td>{what(e)}</td>
                            <td>{e.address.clone().unwrap_or_else(|| "on the server".to_owned())}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section id="audit" class="audit" aria-labelledby="audit-heading">
            <h2 id="audit-heading">"Audit log"</h2>
            <p class="muted">"Who signed in, exported, changed the codebook, reviewed notes, issued codes, revoked phones or changed people's access; newest first, in this computer's local time. \u{201c}From\u{201d} is the address the request came from."</p>
            <div class="table-scroll">
                <table class="audit-log">
                    <caption class="visually-hidden">"Audit log, newest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"When"</th>
                            <th scope="col">"Who"</th>
                            <th scope="col">"What"</th>
                            <th scope="col">"From"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {move || problem.get().map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
            {move || read.pending().get().then(|| view! { <p role="status">"Reading the log…"</p> })}
            <Show when=move || older.get().is_some()>
                <button type="button" class="secondary" disabled=move || read.pending().get()
                    on:click=move |_| { read.dispatch(older.get_untracked()); }>"Older entries"</button>
            </Show>
        </section>
    }
}
