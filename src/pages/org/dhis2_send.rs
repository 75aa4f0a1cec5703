//! "Send to DHIS2" on the report page, for managers and admins: first a dry run, whose counts
//! DHIS2 gives and the page says in plain words; then the real send, on a second press, which
//! the service again precedes with a dry run of its own.

use crate::org_client;
use leptos::prelude::*;
use peerpulse_core::dhis2::ImportStatus;
use peerpulse_core::org_api::{Dhis2SendRequest, Dhis2SendResponse, SessionInfo};
use peerpulse_core::period::Period;

/// What an answer says, in words, for a request that was a dry run only or not.
fn said(answer: &Dhis2SendResponse, dry_run: bool) -> String {
    let values = if answer.values == 1 {
        "value"
    } else {
        "values"
    };
    let what = format!("{} {values} for {}", answer.values, answer.period);
    match &answer.sent {
        Some(sent) => format!("Sent {what}. {}", sent.in_words(false)),
        None if dry_run => format!(
            "Dry run of {what}: {} Nothing is stored in DHIS2 until you press \u{201c}Send to DHIS2\u{201d}.",
            answer.dry_run.in_words(true)
        ),
        None => format!(
            "Nothing was sent: DHIS2 refused the dry run of {what}. {}",
            answer.dry_run.in_words(true)
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
        Some((_, Err(e))) => e.to_string(),
        _ => String::new(),
    };
    view! {
        <div class="dhis2-send" role="group" aria-label="Send to DHIS2">
            <button type="button" class="secondary" disabled=move || send.pending().get()
                on:click=move |_| { send.dispatch(true); }>"Check with DHIS2 (dry run)"</button>
            <button type="button" class="primary" disabled=move || send.pending().get() || !checked()
                on:click=move |_| { send.dispatch(false); }>"Send to DHIS2"</button>
            <p class="status" role="status">
                {move || if send.pending().get() { "Waiting for DHIS2…".to_owned() } else { words() }}
            </p>
            <p class="error" role="alert">{problem}</p>
        </div>
    }
}
