//! Alerts to workers: a manager drafts one (kind, sites, message per language, how sure,
//! expiry), a second person approves it, it goes to the phones on their next sync; updates
//! and withdrawals follow the same way. Reach shows only from the disclosure threshold.
//! A rise in the trends or an approved worker note opens a draft, prefilled ([`AlertDesk`]).

use crate::i18n::{fill, intl, labels, language, org_errors, t, text};
use crate::org_client::{self, FieldAlertStep};
use chrono::{Local, NaiveDate, NaiveDateTime, TimeZone, Utc};
use leptos::prelude::*;
use peerpulse_core::codebook::{Code, CodeList, Codebook};
use peerpulse_core::field_alert::{
    AlertContent, AlertKind, AlertStatus, MAX_MESSAGE_CHARS, Verification,
};
use peerpulse_core::language::LanguageTag;
use peerpulse_core::org_api::{AlertEventAction, AlertReach, FieldAlertSummary, SessionInfo};
use std::collections::{BTreeMap, BTreeSet};
use wasm_bindgen::JsCast;

/// What the draft form holds: one value, not a signal per field.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// The alert being updated, or `None` for a new one.
    updating: Option<i64>,
    /// What the draft was opened from, in the manager's words ("From the rise of Wound care
    /// on Tue 3 Nov."), if anything.
    from: Option<String>,
    kind: AlertKind,
    sites: BTreeSet<Code>,
    /// The first language's message (English).
    message: String,
    /// A second language, as typed (`es`), and its message.
    other_language: String,
    other_message: String,
    verification: Verification,
    /// `datetime-local` text in the manager's time zone.
    expires: String,
}

impl Draft {
    fn new() -> Self {
        Self {
            updating: None,
            from: None,
            kind: AlertKind::DrugSupply,
            sites: BTreeSet::new(),
            message: String::new(),
            other_language: String::new(),
            other_message: String::new(),
            verification: Verification::ReportedByWorkers,
            expires: (Local::now() + chrono::Days::new(3))
                .format("%Y-%m-%dT%H:%M")
                .to_string(),
        }
    }

    fn of(alert: &FieldAlertSummary) -> Self {
        let content = &alert.content;
        let en = LanguageTag::english();
        let other = content.messages.iter().find(|(l, _)| **l != en);
        Self {
            updating: Some(alert.id),
            from: None,
            kind: content.kind,
            sites: content.sites.clone(),
            message: content.messages.get(&en).cloned().unwrap_or_default(),
            other_language: other
                .map(|(l, _)| l.as_str().to_owned())
                .unwrap_or_default(),
            other_message: other.map(|(_, m)| m.clone()).unwrap_or_default(),
            verification: content.verification,
            expires: content
                .expires_at
                .with_timezone(&Local)
                .format("%Y-%m-%dT%H:%M")
                .to_string(),
        }
    }

    /// The content to send, or what is wrong with the draft.
    fn content(&self) -> Result<AlertContent, DraftProblem> {
        let mut messages = BTreeMap::new();
        if !self.message.trim().is_empty() {
            messages.insert(LanguageTag::english(), self.message.trim().to_owned());
        }
        if !self.other_message.trim().is_empty() {
            let language = LanguageTag::new(&self.other_language)
                .map_err(|_| DraftProblem::SecondLanguage(self.other_language.clone()))?;
            messages.insert(language, self.other_message.trim().to_owned());
        }
        if messages.is_empty() {
            return Err(DraftProblem::NoMessage);
        }
        let expires_at = NaiveDateTime::parse_from_str(&self.expires, "%Y-%m-%dT%H:%M")
            .ok()
            .and_then(|t| Local.from_local_datetime(&t).single())
            .map(|t| t.with_timezone(&Utc))
            .ok_or(DraftProblem::NoExpiry)?;
        Ok(AlertContent {
            kind: self.kind,
            sites: self.sites.clone(),
            messages,
            verification: self.verification,
            expires_at,
        })
    }
}

/// What keeps a draft from being saved.
#[derive(Clone, Debug, PartialEq, Eq)]
enum DraftProblem {
    /// The second language, as typed, is not a language tag.
    SecondLanguage(String),
    /// No message in any language.
    NoMessage,
    /// No moment of expiry.
    NoExpiry,
}

impl DraftProblem {
    /// What to fix, in the language shown.
    fn text(&self) -> String {
        match self {
            Self::SecondLanguage(typed) => fill("org.alerts.bad_language", &[("language", typed)]),
            Self::NoMessage => text("org.alerts.no_message"),
            Self::NoExpiry => text("org.alerts.no_expiry"),
        }
    }
}

/// The draft being written in "Alerts to workers", shared so that a rise in the trends or an
/// approved worker note can open one, prefilled. Provided only to people who may draft.
#[derive(Clone, Copy)]
pub struct AlertDesk(RwSignal<Draft>);

impl AlertDesk {
    /// Makes the desk for this page's sections.
    pub fn provide() {
        provide_context(Self(RwSignal::new(Draft::new())));
    }

    /// The desk, for someone who may draft alerts; `None` for anyone else.
    pub fn of_page() -> Option<Self> {
        use_context()
    }

    /// Opens a new draft about a rise of `label` on `day`: a drug-supply alert for `site`
    /// (none: everywhere) with a message to finish.
    /// The message starts in English, the draft's first language.
    pub fn draft_from_rise(self, label: &str, day: NaiveDate, site: Option<Code>) {
        let today = day == crate::clock::today();
        let when = if today {
            "today".to_owned()
        } else {
            format!("on {}", day.format("%a %-d %b"))
        };
        let said_when = if today {
            text("period.in_sentence.today")
        } else {
            let shown = intl::day(
                language(),
                day,
                &[("weekday", "short"), ("day", "numeric"), ("month", "short")],
            );
            fill("period.during_day", &[("period", &shown)])
        };
        self.open(Draft {
            from: Some(fill(
                "org.alerts.from_rise",
                &[("what", &label), ("when", &said_when)],
            )),
            sites: site.into_iter().collect(),
            message: format!("{label}: workers report more than usual {when}. What to do: "),
            ..Draft::new()
        });
    }

    /// Opens a new draft whose message starts as a worker's approved note, to edit.
    pub fn draft_from_note(self, note: &str) {
        self.open(Draft {
            from: Some(text("org.alerts.from_note")),
            message: note.to_owned(),
            ..Draft::new()
        });
    }

    /// Puts `draft` in the form and takes the manager to its message.
    fn open(self, draft: Draft) {
        self.0.set(draft);
        if let Some(field) = document()
            .get_element_by_id("alert-message")
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = field.focus();
        }
    }
}

/// The section "Alerts to workers".
#[component]
pub fn FieldAlerts(info: SessionInfo) -> impl IntoView {
    let info = StoredValue::new(info);
    let draft = AlertDesk::of_page()
        .expect("the page provides the alert desk to those who see this section")
        .0;
    let message = RwSignal::new(None::<Result<String, String>>);
    let save = Action::new_local(move |draft: &Draft| {
        let (info, draft) = (info.get_value(), draft.clone());
        async move {
            let content = draft.content().map_err(|p| p.text())?;
            match draft.updating {
                None => org_client::draft_field_alert(&info, &content).await,
                Some(id) => org_client::update_field_alert(&info, id, &content).await,
            }
            .map_err(|e| org_errors::call(&e))
        }
    });
    let step = Action::new_local(move |(id, step): &(i64, FieldAlertStep)| {
        let (info, id, step) = (info.get_value(), *id, *step);
        async move {
            org_client::field_alert_step(&info, id, step)
                .await
                .map(|_| step)
                .map_err(|e| org_errors::call(&e))
        }
    });
    let alerts = LocalResource::new(move || {
        save.version().get();
        step.version().get();
        org_client::field_alerts()
    });
    let codebook = LocalResource::new(org_client::codebook);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            draft.set(Draft::new());
            message.set(Some(Ok(fill(
                "org.alerts.saved",
                &[("version", &saved.version)],
            ))));
        }
        Some(Err(why)) => message.set(Some(Err(why))),
        None => {}
    });
    Effect::new(move |_| match step.value().get() {
        Some(Ok(FieldAlertStep::Approve)) => message.set(Some(Ok(text("org.alerts.approved")))),
        Some(Ok(FieldAlertStep::Withdraw)) => message.set(Some(Ok(text("org.alerts.withdrawn")))),
        Some(Err(why)) => message.set(Some(Err(why))),
        None => {}
    });
    let busy = move || save.pending().get() || step.pending().get();
    view! {
        <section id="field-alerts" class="field-alerts-org" aria-labelledby="field-alerts-org-heading">
            <h2 id="field-alerts-org-heading">{t("org.alerts.heading")}</h2>
            <p class="muted">{t("org.alerts.intro")}</p>
            {move || message.get().map(|m| match m {
                Ok(done) => view! { <p class="status saved" role="status">{done}</p> }.into_any(),
                Err(why) => view! { <p class="error" role="alert">{why}</p> }.into_any(),
            })}
            <DraftForm draft codebook=Signal::derive(move || codebook.get().and_then(Result::ok)) on_save=move || { save.dispatch(draft.get_untracked()); } busy=Signal::derive(busy) />
            <Transition fallback=|| view! { <p>{t("org.alerts.loading")}</p> }>
                {move || alerts.get().map(|read| match read {
                    Err(e) => view! { <p role="alert" class="error">{org_errors::call(&e)}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>{t("org.alerts.none")}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="field-alert-list" aria-label=t("org.alerts.list")>
                            {list.into_iter().map(|alert| view! {
                                <AlertRow alert draft step=move |id, s| { step.dispatch((id, s)); } busy=Signal::derive(busy) />
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn DraftForm(
    draft: RwSignal<Draft>,
    codebook: Signal<Option<Codebook>>,
    on_save: impl Fn() + 'static,
    busy: Signal<bool>,
) -> impl IntoView {
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_save();
    };
    let kinds = AlertKind::ALL.map(|kind| {
        view! {
            <option value=format!("{kind:?}") selected=move || draft.with(|d| d.kind == kind)>{move || labels::alert_kind(kind)}</option>
        }
    });
    let verifications = Verification::ALL.map(|v| {
        view! {
            <option value=format!("{v:?}") selected=move || draft.with(|d| d.verification == v)>{move || labels::verification(v)}</option>
        }
    });
    view! {
        <form class="stack-form alert-draft" on:submit=submit novalidate>
            <h3>{move || match draft.with(|d| d.updating) {
                None => text("org.trends.draft"),
                Some(id) => fill("org.alerts.update_heading", &[("id", &id)]),
            }}</h3>
            {move || draft.with(|d| d.from.clone()).map(|from| view! {
                <p class="muted alert-draft-from">{from}</p>
            })}
            <label for="alert-kind">{t("org.alerts.kind")}</label>
            <select id="alert-kind" on:change=move |ev| {
                let chosen = event_target_value(&ev);
                if let Some(kind) = AlertKind::ALL.into_iter().find(|k| format!("{k:?}") == chosen) {
                    draft.update(|d| d.kind = kind);
                }
            }>{kinds}</select>
            <fieldset>
                <legend>{t("org.alerts.sites")}</legend>
                {move || codebook.get().map(|codebook| {
                    codebook.entries(CodeList::Site).iter().filter(|e| !e.retired).map(|entry| {
                        let code = entry.code.clone();
                        let label = entry.label.clone();
                        let checked = {
                            let code = code.clone();
                            move || draft.with(|d| d.sites.contains(&code))
                        };
                        view! {
                            <label class="check">
                                <input type="checkbox" prop:checked=checked on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let code = code.clone();
                                    draft.update(|d| { if on { d.sites.insert(code); } else { d.sites.remove(&code); } });
                                } />
                                {label}
                            </label>
                        }
                    }).collect_view()
                })}
            </fieldset>
            <label for="alert-message">{t("org.alerts.message")}</label>
            <textarea id="alert-message" maxlength=MAX_MESSAGE_CHARS.to_string() rows="3"
                prop:value=move || draft.with(|d| d.message.clone())
                on:input=move |ev| draft.update(|d| d.message = event_target_value(&ev))></textarea>
            <label for="alert-other-language">{t("org.alerts.other_language")}</label>
            <input id="alert-other-language" maxlength="3" autocapitalize="none"
                prop:value=move || draft.with(|d| d.other_language.clone())
                on:input=move |ev| draft.update(|d| d.other_language = event_target_value(&ev)) />
            <label for="alert-other-message">{t("org.alerts.other_message")}</label>
            <textarea id="alert-other-message" maxlength=MAX_MESSAGE_CHARS.to_string() rows="3"
                prop:value=move || draft.with(|d| d.other_message.clone())
                on:input=move |ev| draft.update(|d| d.other_message = event_target_value(&ev))></textarea>
            <label for="alert-verification">{t("org.alerts.how_sure")}</label>
            <select id="alert-verification" on:change=move |ev| {
                let chosen = event_target_value(&ev);
                if let Some(v) = Verification::ALL.into_iter().find(|v| format!("{v:?}") == chosen) {
                    draft.update(|d| d.verification = v);
                }
            }>{verifications}</select>
            <label for="alert-expires">{t("org.alerts.expires")}</label>
            <input id="alert-expires" type="datetime-local"
                prop:value=move || draft.with(|d| d.expires.clone())
                on:input=move |ev| draft.update(|d| d.expires = event_target_value(&ev)) />
            <div class="actions">
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if draft.with(|d| d.updating.is_some()) { text("org.alerts.save_update") } else { text("org.alerts.save") }}
                </button>
                <Show when=move || draft.with(|d| d.updating.is_some())>
                    <button type="button" class="secondary" on:click=move |_| draft.set(Draft::new())>{t("org.alerts.cancel_update")}</button>
                </Show>
                <Show when=move || draft.with(|d| d.from.is_some())>
                    <button type="button" class="secondary" on:click=move |_| draft.set(Draft::new())>{t("org.alerts.start_over")}</button>
                </Show>
            </div>
        </form>
    }
}

/// "Received by 12 phones, passed on by 5", "Received by fewer than 5 phones, …".
fn reach_text(reach: AlertReach) -> String {
    let figure = |n: Option<u32>| match n {
        Some(n) => intl::number(language(), f64::from(n)),
        None => fill("org.chart.fewer_than", &[("threshold", &reach.threshold)]),
    };
    fill(
        "org.alerts.reach",
        &[
            ("received", &figure(reach.received)),
            ("passed_on", &figure(reach.passed_on)),
        ],
    )
}

fn status_text(alert: &FieldAlertSummary) -> String {
    match (alert.status, alert.published_version) {
        (AlertStatus::Draft, Some(up)) => fill("org.alerts.status.update", &[("version", &up)]),
        (AlertStatus::Draft, None) => text("org.alerts.status.draft"),
        (AlertStatus::Published, _) if alert.content.expires_at <= Utc::now() => {
            text("org.alerts.status.expired")
        }
        (AlertStatus::Published, _) => text("org.alerts.status.published"),
        (AlertStatus::Withdrawn, _) => text("org.alerts.status.withdrawn"),
    }
}

#[component]
fn AlertRow(
    alert: FieldAlertSummary,
    draft: RwSignal<Draft>,
    step: impl Fn(i64, FieldAlertStep) + Copy + 'static,
    busy: Signal<bool>,
) -> impl IntoView {
    let id = alert.id;
    let en = LanguageTag::english();
    let message = alert.content.message_in(&en).unwrap_or_default().to_owned();
    // Buttons name their alert for screen readers: "Approve the alert: Strong batch…".
    let short: String = message.chars().take(60).collect();
    let name = |key: &str| fill(key, &[("alert", &short)]);
    let shown = language();
    let until = intl::moment(shown, &alert.content.expires_at.to_rfc3339());
    let live = alert.status != AlertStatus::Withdrawn;
    let approvable = alert.status == AlertStatus::Draft;
    let for_update = StoredValue::new(alert.clone());
    let history = alert
        .history
        .iter()
        .map(|event| {
            let key = match event.action {
                AlertEventAction::Drafted => "org.alerts.event.drafted",
                AlertEventAction::Updated => "org.alerts.event.updated",
                AlertEventAction::Approved => "org.alerts.event.approved",
                AlertEventAction::Withdrawn => "org.alerts.event.withdrawn",
            };
            let at = Some(intl::moment(shown, &event.at))
                .filter(|at| !at.is_empty())
                .unwrap_or_else(|| event.at.clone());
            view! { <li>{fill(key, &[("version", &event.version), ("by", &event.by), ("at", &at)])}</li> }
        })
        .collect_view();
    view! {
        <li class="field-alert-row" data-status=format!("{:?}", alert.status)>
            <p class="alert-kind">{format!("{} · {} · {}", labels::alert_kind(alert.content.kind), labels::verification(alert.content.verification), status_text(&alert))}</p>
            <blockquote>{message.clone()}</blockquote>
            {alert.content.messages.iter().filter(|(l, _)| **l != en).map(|(l, m)| view! {
                <p class="muted" lang=l.as_str().to_owned()>{format!("{}: {m}", l.as_str())}</p>
            }).collect_view()}
            <p class="muted">{fill("org.alerts.version", &[("version", &alert.version), ("by", &alert.author), ("until", &until)])}</p>
            <p class="reach">{reach_text(alert.reach)}</p>
            <div class="actions">
                {approvable.then(|| view! {
                    <button type="button" class="primary" aria-label=name("org.alerts.approve_named") disabled=move || busy.get()
                        on:click=move |_| step(id, FieldAlertStep::Approve)>{t("org.alerts.approve")}</button>
                })}
                {live.then(|| view! {
                    <button type="button" class="secondary" aria-label=name("org.alerts.update_named") disabled=move || busy.get()
                        on:click=move |_| draft.set(Draft::of(&for_update.get_value()))>{t("org.alerts.update")}</button>
                    <button type="button" class="secondary" aria-label=name("org.alerts.withdraw_named") disabled=move || busy.get()
                        on:click=move |_| step(id, FieldAlertStep::Withdraw)>{t("org.alerts.withdraw")}</button>
                })}
            </div>
            <details>
                <summary>{t("org.alerts.history")}</summary>
                <ol class="alert-history">{history}</ol>
            </details>
        </li>
    }
}
