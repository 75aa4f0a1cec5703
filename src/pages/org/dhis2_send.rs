//! "Send to DHIS2" on the report page, for managers and admins: first a dry run, whose counts
//! DHIS2 gives and the page says in plain words; then the real send, on a second press, which
//! the service again precedes with a dry run of its own.

use crate::i18n::{count, fill, intl, language, org_errors, t, text};
use crate::org_client;
use leptos::prelude::*;
use peerpulse_core::dhis2::{ImportCounts, ImportStatus};
use peerpulse_core::org_api::{Dhis2SendRequest, Dhis2SendResponse, SessionInfo};
use peerpulse_core::period::Period;

/// DHIS2's counts in words, in the language shown, for a dry run ("would import") or a real
/// send; its conflicts as DHIS2 wrote them.
fn counts_in_words(counts: &ImportCounts, dry_run: bool) -> String {
    let number = |n: u64| intl::number(language(), n as f64);
    let key = if dry_run {
        "org.dhis2.would"
    } else {
        "org.dhis2.did"
    };
    let mut words = count(
        key,
        counts.imported,
        &[
            ("updated", &number(counts.updated)),
            ("ignored", &number(counts.ignored)),
        ],
    );
    if counts.deleted > 0 {
        words.push_str(&fill(
            "org.dhis2.deleted",
            &[("deleted", &number(counts.deleted))],
        ));
    }
    if counts.conflicts.is_empty() {
        words.push_str(&text("org.dhis2.no_conflicts"));
    } else {
        words.push_str(&count(
            "org.dhis2.conflicts",
            counts.conflicts.len() as u64,
            &[("list", &counts.conflicts.join("; "))],
        ));
    }
    if counts.status == ImportStatus::Error {
        words.push(' ');
        words.push_str(&text("org.dhis2.refused_import"));
    }
    words
}

/// What an answer says, in words, for a request that was a dry run only or not.
fn said(answer: &Dhis2SendResponse, dry_run: bool) -> String {
    let what = count(
        "org.dhis2.values",
        answer.values as u64,
        &[("period", &answer.period)],
    );
    match &answer.sent {
        Some(sent) => fill(
            "org.dhis2.sent",
            &[("what", &what), ("counts", &counts_in_words(sent, false))],
        ),
        None if dry_run => fill(
            "org.dhis2.dry_run",
            &[
                ("what", &what),
                ("counts", &counts_in_words(&answer.dry_run, true)),
            ],
        ),
        None => fill(
            "org.dhis2.refused",
            &[
                ("what", &what),
                ("counts", &counts_in_words(&answer.dry_run, true)),
            ],
        ),
    }
}

/// The dry-run and send buttons for the report of `period`, with DHIS2's answer beside them.
#[component]
pub fn SendToDhis2(session: SessionInfo, period: Period) -> impl IntoView {
    let session = StoredValue::new(session);
    let send = Action::new_local(move |dry_run: &bool| {
        let (session, dry_run) = (session.get_value(), *dry_run);
        async move {
            let answer =
                org_client::send_to_dhis2(&session, &Dhis2SendRequest { period, dry_run }).await;
            (dry_run, answer)
        }
    });
    let checked = move || {
        send.value()
            .with(|v| matches!(v, Some((true, Ok(a))) if a.dry_run.status != ImportStatus::Error))
    };
    let words = move || match send.value().get() {
        Some((dry_run, Ok(answer))) => said(&answer, dry_run),
        _ => String::new(),
    };
    let problem = move || match send.value().get() {
        Some((_, Err(e))) => org_errors::call(&e),
        _ => String::new(),
    };
    view! {
        <div class="dhis2-send" role="group" aria-label=t("org.dhis2.send")>
            <button type="button" class="secondary" disabled=move || send.pending().get()
                on:click=move |_| { send.dispatch(true); }>{t("org.dhis2.check")}</button>
            <button type="button" class="primary" disabled=move || send.pending().get() || !checked()
                on:click=move |_| { send.dispatch(false); }>{t("org.dhis2.send")}</button>
            <p class="status" role="status">
                {move || if send.pending().get() { text("org.dhis2.waiting") } else { words() }}
            </p>
            <p class="error" role="alert">{problem}</p>
        </div>
    }
}
