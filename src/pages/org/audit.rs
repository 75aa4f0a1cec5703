//! The audit log for admins: who did what, when and from where, newest first, a page at a
//! time ("Older entries"). Entries hold names and ids only, never a note's words or a secret;
//! each is said in the language shown (see `i18n::audit_words`).

use crate::i18n::audit_words::what;
use crate::i18n::{fill, intl, language, org_errors, t, text};
use crate::org_client::{self, OrgError};
use chrono::{DateTime, Local, NaiveDate};
use leptos::prelude::*;
use peerpulse_core::org_api::{AuditEntry, AuditPage};

/// When, in this browser's local time and the language shown: "Today at 14:05", "Yesterday
/// at 09:12", "Tuesday at 18:40" (this week), "Mon 2 November 2026 at 10:00".
fn when(at: &str, today: NaiveDate) -> String {
    let Ok(utc) = DateTime::parse_from_rfc3339(at) else {
        return at.to_owned();
    };
    let shown = language();
    let day = utc.with_timezone(&Local).date_naive();
    let time = intl::time_of_day(shown, at);
    let on = |style: &[(&str, &str)]| intl::day(shown, day, style);
    match (today - day).num_days() {
        0 => fill("org.audit.today_at", &[("time", &time)]),
        1 => fill("org.audit.yesterday_at", &[("time", &time)]),
        2..=6 => fill(
            "org.audit.day_at",
            &[("day", &on(&[("weekday", "long")])), ("time", &time)],
        ),
        _ => fill(
            "org.audit.day_at",
            &[
                (
                    "day",
                    &on(&[
                        ("weekday", "short"),
                        ("day", "numeric"),
                        ("month", "long"),
                        ("year", "numeric"),
                    ]),
                ),
                ("time", &time),
            ],
        ),
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
                            <td><bdi>{e.who.clone()}</bdi></td>
                            <td>{what(e)}</td>
                            <td><bdi>{e.address.clone().unwrap_or_else(|| text("org.audit.on_the_server"))}</bdi></td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section id="audit" class="audit" aria-labelledby="audit-heading">
            <h2 id="audit-heading">{t("org.audit.title")}</h2>
            <p class="muted">{t("org.audit.explain")}</p>
            <div class="table-scroll">
                <table class="audit-log">
                    <caption class="visually-hidden">{t("org.audit.caption")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t("org.audit.when")}</th>
                            <th scope="col">{t("org.audit.who")}</th>
                            <th scope="col">{t("org.audit.what")}</th>
                            <th scope="col">{t("org.audit.from")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {move || problem.get().map(|e| view! { <p class="error" role="alert">{org_errors::call(&e)}</p> })}
            {move || read.pending().get().then(|| view! { <p role="status">{t("org.audit.reading")}</p> })}
            <Show when=move || older.get().is_some()>
                <button type="button" class="secondary" disabled=move || read.pending().get()
                    on:click=move |_| { read.dispatch(older.get_untracked()); }>{t("org.audit.older")}</button>
            </Show>
        </section>
    }
}
