//! The organization's alerts at the top of the Log screen, kept on the phone and shown offline
//! until they expire: in the worker's language, to share, mark passed on, or print as a poster.

use crate::i18n::{self, errors, fill, intl, labels, t, text};
use crate::job::Job;
use crate::notification;
use crate::pass_on::{self, Shared};
use crate::state::{AppContext, use_app};
use crate::store::StoreError;
use crate::store::field_alerts::{self, KeptAlert};
use leptos::prelude::*;
use peerpulse_core::codebook::{CodeList, Codebook};
use peerpulse_core::language::LanguageTag;

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
            Err(e) => {
                view! { <p role="alert" class="error">{move || errors::store(&e)}</p> }.into_any()
            }
            Ok(list) if list.is_empty() => ().into_any(),
            Ok(list) => {
                let codebook = app.codebook.get();
                // The shown language: a switch redraws the alerts in it.
                let language = LanguageTag::new(i18n::language().tag())
                    .expect("every interface language is a tag");
                view! {
                    <section class="field-alerts" aria-labelledby="field-alerts-heading">
                        <h2 id="field-alerts-heading">{t("alerts.title")}</h2>
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
    let mut text = fill(
        "alerts.share_text",
        &[
            ("kind", &labels::alert_kind(content.kind)),
            (
                "status",
                &labels::verification(content.verification).to_lowercase(),
            ),
            ("message", &message),
        ],
    );
    if !sites.is_empty() {
        text.push(' ');
        text.push_str(&fill("alerts.share_where", &[("sites", &sites)]));
    }
    text.push(' ');
    text.push_str(&fill("alerts.share_until", &[("until", &until)]));
    text
}

/// What the card says after an action.
#[derive(Clone, Debug, PartialEq)]
enum Said {
    /// A fixed text, by key.
    Text(&'static str),
    /// Sharing and copying both failed, for this reason.
    ShareFailed(String),
    /// Marking it passed on failed.
    Store(StoreError),
}

impl Said {
    fn words(&self) -> String {
        match self {
            Self::Text(key) => text(key),
            Self::ShareFailed(why) => fill("alerts.share_failed", &[("why", why)]),
            Self::Store(e) => errors::store(e),
        }
    }
}

#[component]
fn AlertCard(
    kept: KeptAlert,
    codebook: Codebook,
    language: LanguageTag,
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
    let sites = i18n::isolated_list(
        content
            .sites
            .iter()
            .map(|s| codebook.label(CodeList::Site, s)),
    );
    let until = intl::moment(i18n::language(), &content.expires_at.to_rfc3339());
    let until_day = fill(
        "alerts.until_day",
        &[(
            "day",
            &intl::moment_day(i18n::language(), &content.expires_at.to_rfc3339()),
        )],
    );
    let to_share = share_text(&kept, &message, &sites, &until);
    let passed_on = RwSignal::new(kept.passed_on);
    let said = RwSignal::new(None::<Said>);
    let sharing = Job::new();
    let share = move |_| {
        let to_share = to_share.clone();
        sharing.start(async move {
            let words = match pass_on::share(&to_share).await {
                Ok(Shared::Shared) => Some(Said::Text("alerts.shared")),
                Ok(Shared::Copied) => Some(Said::Text("alerts.copied")),
                Ok(Shared::Cancelled) => None,
                Err(why) => Some(Said::ShareFailed(why.to_string())),
            };
            said.try_set(words);
        });
    };
    let toggle = move |_| {
        let now = !passed_on.get_untracked();
        passed_on.set(now);
        leptos::task::spawn_local(async move {
            if let Err(e) = app.mark_passed_on(id, now).await {
                passed_on.try_set(!now);
                said.try_set(Some(Said::Store(e)));
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
                    {labels::alert_kind(content.kind)}
                </span>
                <span class="alert-headline" lang=lang.clone()>{message.clone()}</span>
                <span class="alert-summary-until">{until_day}</span>
            </summary>
            <p class="alert-kind">
                <span aria-hidden="true">"⚠ "</span>
                {format!("{} · {}", labels::alert_kind(content.kind), labels::verification(content.verification))}
            </p>
            <p class="alert-message" id=message_id.clone() lang=lang>{message}</p>
            <p class="alert-meta">
                {(!sites.is_empty()).then(|| fill("alerts.where", &[("sites", &sites)]))}
                {fill("alerts.until", &[("until", &until)])}
            </p>
            <div class="alert-actions">
                <button type="button" class="secondary" aria-describedby=message_id.clone() on:click=share>
                    {t("alerts.share")}
                </button>
                <button
                    type="button"
                    class="secondary"
                    aria-pressed=move || passed_on.get().to_string()
                    aria-describedby=message_id.clone()
                    on:click=toggle
                >
                    {move || text(if passed_on.get() { "alerts.passed_on" } else { "alerts.mark_passed_on" })}
                </button>
                <button type="button" class="secondary" aria-describedby=message_id on:click=print>
                    {t("alerts.print")}
                </button>
            </div>
            </details>
            <p class="alert-said" role="status">{move || said.with(|s| s.as_ref().map(Said::words))}</p>
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
                "alerts.notify_on"
            } else {
                "alerts.notify_off"
            }));
        });
    };
    view! {
        <Show when=move || offer.get()>
            <button type="button" class="secondary notify" on:click=ask>
                {t("alerts.notify_offer")}
            </button>
        </Show>
        <p class="alert-said" role="status">{move || said.get().map(text)}</p>
    }
}
