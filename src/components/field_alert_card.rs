//! The organization's alerts at the top of the Log screen, kept on the phone and shown offline
//! until they expire: in the worker's language, to share, mark passed on, or print as a poster.

use crate::job::Job;
use crate::notification;
use crate::pass_on::{self, Shared};
use crate::state::{AppContext, use_app, worker_language};
use crate::store::field_alerts::{self, KeptAlert};
use leptos::prelude::*;
use peerpulse_core::codebook::{CodeList, Codebook};
use peerpulse_core::field_alert::Language;

/// Every alert up now, newest first; nothing at all when there is none.
#[component]
pub fn FieldAlerts() -> impl IntoView {
    let app = use_app();
    let alerts = Job::new();
    alerts.follow(move || {
        app.changed.track();
        let store = app.store();
        async move { field_alerts::shown(&store, chrono::Utc::now()).await }
    });
    // Which alert the print style turns into a poster.
    let printing = RwSignal::new(None::<i64>);
    // Alerts opened from their one-line summary; they stay open when a sync redraws the list.
    // (A short list: a set type would add its own code to the first load.)
    let opened = RwSignal::new(Vec::<i64>::new());
    move || {
        alerts.value().map(|read| match read {
            Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
            Ok(list) if list.is_empty() => ().into_any(),
            Ok(list) => {
                let codebook = app.codebook.get();
                let language = worker_language();
                view! {
                    <section class="field-alerts" aria-labelledby="field-alerts-heading">
                        <h2 id="field-alerts-heading">"Alerts from your organization"</h2>
                        <ul class="alert-list">
                            {list
                                .into_iter()
                                .map(|kept| {
                                    view! {
                                        <AlertCard
                                            kept
                                            codebook=codebook.clone()
                                            language=language.clone()
                                            app
                                            printing
                                            opened
                                        />
                                    }
                                })
                                .collect_view()}
                        </ul>
                        <NotifyOffer />
                    </section>
                }
                .into_any()
            }
        })
    }
}

/// The alert as text to pass on: kind, how sure, the message, where and until when.
fn share_text(kept: &KeptAlert, message: &str, sites: &str, until: &str) -> String {
    let content = &kept.alert.content;
    let mut text = format!(
        "ALERT ({}, {}): {message}",
        content.kind.label(),
        content.verification.label().to_lowercase()
    );
    if !sites.is_empty() {
        text.push_str(&format!(" Where: {sites}."));
    }
    text.push_str(&format!(" Until {until}."));
    text
}

#[component]
fn AlertCard(
    kept: KeptAlert,
    codebook: Codebook,
    language: Language,
    app: AppContext,
    printing: RwSignal<Option<i64>>,
    opened: RwSignal<Vec<i64>>,
) -> impl IntoView {
    let id = kept.id;
    let content = &kept.alert.content;
    let message = content.message_in(&language).unwrap_or_default().to_owned();
    // The language the shown message is in, so a screen reader reads it right.
    let lang = content
        .messages
        .iter()
        .find(|(_, m)| **m == message)
        .map(|(l, _)| l.as_str().to_owned())
        .unwrap_or_default();
    let sites = content
        .sites
        .iter()
        .map(|s| codebook.label(CodeList::Site, s).to_owned())
        .collect::<Vec<_>>()
        .join(", ");
    let expires = content.expires_at.with_timezone(&chrono::Local);
    let until = expires.format("%a %-d %b, %H:%M").to_string();
    let text = share_text(&kept, &message, &sites, &until);
    let passed_on = RwSignal::new(kept.passed_on);
    let said = RwSignal::new(None::<String>);
    let sharing = Job::new();
    let share = move |_| {
        let text = text.clone();
        sharing.start(async move {
            let words = match pass_on::share(&text).await {
                Ok(Shared::Shared) => "Shared.".to_owned(),
                Ok(Shared::Copied) => "Copied: paste it into a message.".to_owned(),
                Ok(Shared::Cancelled) => String::new(),
                Err(why) => format!("Could not share or copy it ({why})."),
            };
            said.try_set(Some(words));
        });
    };
    let toggle = move |_| {
        let now = !passed_on.get_untracked();
        passed_on.set(now);
        leptos::task::spawn_local(async move {
            if let Err(e) = app.mark_passed_on(id, now).await {
                passed_on.try_set(!now);
                said.try_set(Some(e.to_string()));
            }
        });
    };
    let print = move |_| {
        printing.set(Some(id));
        pass_on::print();
    };
    let message_id = format!("alert-message-{id}");
    // Folded to its kind, the day it ends and the message's start, so the Log form starts on
    // the first screen; a tap opens the rest.
    let toggled = move |ev: leptos::ev::Event| {
        let open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
        opened.update(|o| {
            o.retain(|&other| other != id);
            if open {
                o.push(id);
            }
        });
    };
    view! {
        <li
            class="alert-card"
            class:printing=move || printing.get() == Some(id)
            data-kind=format!("{:?}", content.kind)
            data-alert-id=id.to_string()
        >
            <details prop:open=move || opened.with(|o| o.contains(&id)) on:toggle=toggled>
            <summary class="alert-summary">
                <span class="alert-summary-kind">
                    <span aria-hidden="true">"⚠ "</span>
                    {content.kind.label()}
                </span>
                <span class="alert-headline" lang=lang.clone()>{message.clone()}</span>
                <span class="alert-summary-until">{expires.format("until %-d %b").to_string()}</span>
            </summary>
            <p class="alert-kind">
                <span aria-hidden="true">"⚠ "</span>
                {format!("{} · {}", content.kind.label(), content.verification.label())}
            </p>
            <p class="alert-message" id=message_id.clone() lang=lang>{message}</p>
            <p class="alert-meta">
                {(!sites.is_empty()).then(|| format!("Where: {sites} · "))}
                {format!("Until {until}")}
            </p>
            <div class="alert-actions">
                <button type="button" class="secondary" aria-describedby=message_id.clone() on:click=share>
                    "Share"
                </button>
                <button
                    type="button"
                    class="secondary"
                    aria-pressed=move || passed_on.get().to_string()
                    aria-describedby=message_id.clone()
                    on:click=toggle
                >
                    {move || if passed_on.get() { "✓ Passed on" } else { "Mark passed on" }}
                </button>
                <button type="button" class="secondary" aria-describedby=message_id on:click=print>
                    "Print poster"
                </button>
            </div>
            </details>
            <p class="alert-said" role="status">{move || said.get().unwrap_or_default()}</p>
        </li>
    }
}

/// "Tell me when a new alert comes": the moment to ask for notifications is when the
/// worker has an alert in front of them, never at first start.
#[component]
fn NotifyOffer() -> impl IntoView {
    let offer = RwSignal::new(notification::may_ask());
    let said = RwSignal::new(None::<&'static str>);
    let ask = move |_| {
        leptos::task::spawn_local(async move {
            let allowed = notification::ask().await;
            offer.try_set(false);
            said.try_set(Some(if allowed {
                "This phone will tell you when a new alert comes."
            } else {
                "No notifications: new alerts still show here."
            }));
        });
    };
    view! {
        <Show when=move || offer.get()>
            <button type="button" class="secondary notify" on:click=ask>
                "Tell me when a new alert comes"
            </button>
        </Show>
        <p class="alert-said" role="status">{move || said.get().unwrap_or_default()}</p>
    }
}
