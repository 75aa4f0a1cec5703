//! Alerts to workers: a manager drafts one (kind, sites, message per language, how sure,
//! expiry), a second person approves it, it goes to the phones on their next sync; updates
//! and withdrawals follow the same way. Reach shows only from the disclosure threshold.
//! A rise in the trends or an approved worker note opens a draft, prefilled ([`AlertDesk`]).

use crate::org_client::{self, FieldAlertStep};
use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};
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
    /// What the draft was opened from ("the rise of Wound care on Tue 3 Nov"), if anything.
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

    /// The content to send, or what is wrong in the manager's words.
    fn content(&self) -> Result<AlertContent, String> {
        let mut messages = BTreeMap::new();
        if !self.message.trim().is_empty() {
            messages.insert(LanguageTag::english(), self.message.trim().to_owned());
        }
        if !self.other_message.trim().is_empty() {
            let language = LanguageTag::new(&self.other_language)
                .map_err(|e| format!("Second language: {e}."))?;
            messages.insert(language, self.other_message.trim().to_owned());
        }
        if messages.is_empty() {
            return Err("Write the message workers will see.".to_owned());
        }
        let expires_at = NaiveDateTime::parse_from_str(&self.expires, "%Y-%m-%dT%H:%M")
            .ok()
            .and_then(|t| Local.from_local_datetime(&t).single())
            .map(|t| t.with_timezone(&Utc))
            .ok_or("Choose when the alert expires.")?;
        Ok(AlertContent {
            kind: self.kind,
            sites: self.sites.clone(),
            messages,
            verification: self.verification,
            expires_at,
        })
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
    pub fn draft_from_rise(self, label: &str, day: NaiveDate, site: Option<Code>) {
        let when = if day == crate::clock::today() {
            "today".to_owned()
        } else {
            format!("on {}", day.format("%a %-d %b"))
        };
        self.open(Draft {
            from: Some(format!("the rise of {label} {when}")),
            sites: site.into_iter().collect(),
            message: format!("{label}: workers report more than usual {when}. What to do: "),
            ..Draft::new()
        });
    }

    /// Opens a new draft whose message starts as a worker's approved note, to edit.
    pub fn draft_from_note(self, text: &str) {
        self.open(Draft {
            from: Some("a worker's note: edit it into what to do".to_owned()),
            message: text.to_owned(),
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
            let content = draft.content()?;
            match draft.updating {
                None => org_client::draft_field_alert(&info, &content).await,
                Some(id) => org_client::update_field_alert(&info, id, &content).await,
            }
            .map_err(|e| e.to_string())
        }
    });
    let step = Action::new_local(move |(id, step): &(i64, FieldAlertStep)| {
        let (info, id, step) = (info.get_value(), *id, *step);
        async move {
            org_client::field_alert_step(&info, id, step)
                .await
                .map(|_| step)
                .map_err(|e| e.to_string())
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
            message.set(Some(Ok(format!(
                "Saved as a draft (version {}): a second person approves it before it goes out.",
                saved.version
            ))));
        }
        Some(Err(why)) => message.set(Some(Err(why))),
        None => {}
    });
    Effect::new(move |_| match step.value().get() {
        Some(Ok(FieldAlertStep::Approve)) => message.set(Some(Ok(
            "Approved: phones get it on their next sync.".to_owned(),
        ))),
        Some(Ok(FieldAlertStep::Withdraw)) => message.set(Some(Ok(
            "Withdrawn: it leaves the phones on their next sync.".to_owned(),
        ))),
        Some(Err(why)) => message.set(Some(Err(why))),
        None => {}
    });
    let busy = move || save.pending().get() || step.pending().get();
    view! {
        <section id="field-alerts" class="field-alerts-org" aria-labelledby="field-alerts-org-heading">
            <h2 id="field-alerts-org-heading">"Alerts to workers"</h2>
            <p class="muted">"What the organization verified goes back to the workers' phones, shown offline until it expires. A second person approves each alert and each update."</p>
            {move || message.get().map(|m| match m {
                Ok(done) => view! { <p class="status saved" role="status">{done}</p> }.into_any(),
                Err(why) => view! { <p class="error" role="alert">{why}</p> }.into_any(),
            })}
            <DraftForm draft codebook=Signal::derive(move || codebook.get().and_then(Result::ok)) on_save=move || { save.dispatch(draft.get_untracked()); } busy=Signal::derive(busy) />
            <Transition fallback=|| view! { <p>"Loading alerts…"</p> }>
                {move || alerts.get().map(|read| match read {
                    Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>"No alerts yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="field-alert-list" aria-label="Alerts">
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
            <option value=format!("{kind:?}") selected=move || draft.with(|d| d.kind == kind)>{kind.label()}</option>
        }
    });
    let verifications = Verification::ALL.map(|v| {
        view! {
            <option value=format!("{v:?}") selected=move || draft.with(|d| d.verification == v)>{v.label()}</option>
        }
    });
    view! {
        <form class="stack-form alert-draft" on:submit=submit novalidate>
            <h3>{move || match draft.with(|d| d.updating) {
                None => "Draft an alert".to_owned(),
                Some(id) => format!("Update alert {id}"),
            }}</h3>
            {move || draft.with(|d| d.from.clone()).map(|from| view! {
                <p class="muted alert-draft-from">{format!("From {from}.")}</p>
            })}
            <label for="alert-kind">"Kind"</label>
            <select id="alert-kind" on:change=move |ev| {
                let chosen = event_target_value(&ev);
                if let Some(kind) = AlertKind::ALL.into_iter().find(|k| format!("{k:?}") == chosen) {
                    draft.update(|d| d.kind = kind);
                }
            }>{kinds}</select>
            <fieldset>
                <legend>"Sites (none: everywhere)"</legend>
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
            <label for="alert-message">"Message in English, with what to do"</label>
            <textarea id="alert-message" maxlength=MAX_MESSAGE_CHARS.to_string() rows="3"
                prop:value=move || draft.with(|d| d.message.clone())
                on:input=move |ev| draft.update(|d| d.message = event_target_value(&ev))></textarea>
            <label for="alert-other-language">"Another language (optional), such as es"</label>
            <input id="alert-other-language" maxlength="3" autocapitalize="none"
                prop:value=move || draft.with(|d| d.other_language.clone())
                on:input=move |ev| draft.update(|d| d.other_language = event_target_value(&ev)) />
            <label for="alert-other-message">"Message in that language"</label>
            <textarea id="alert-other-message" maxlength=MAX_MESSAGE_CHARS.to_string() rows="3"
                prop:value=move || draft.with(|d| d.other_message.clone())
                on:input=move |ev| draft.update(|d| d.other_message = event_target_value(&ev))></textarea>
            <label for="alert-verification">"How sure"</label>
            <select id="alert-verification" on:change=move |ev| {
                let chosen = event_target_value(&ev);
                if let Some(v) = Verification::ALL.into_iter().find(|v| format!("{v:?}") == chosen) {
                    draft.update(|d| d.verification = v);
                }
            }>{verifications}</select>
            <label for="alert-expires">"Expires"</label>
            <input id="alert-expires" type="datetime-local"
                prop:value=move || draft.with(|d| d.expires.clone())
                on:input=move |ev| draft.update(|d| d.expires = event_target_value(&ev)) />
            <div class="actions">
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if draft.with(|d| d.updating.is_some()) { "Save the update as a draft" } else { "Save as a draft" }}
                </button>
                <Show when=move || draft.with(|d| d.updating.is_some())>
                    <button type="button" class="secondary" on:click=move |_| draft.set(Draft::new())>"Cancel the update"</button>
                </Show>
                <Show when=move || draft.with(|d| d.from.is_some())>
                    <button type="button" class="secondary" on:click=move |_| draft.set(Draft::new())>"Start from nothing"</button>
                </Show>
            </div>
        </form>
    }
}

/// "received by 12 phones", "received by fewer than 5 phones".
fn reach_text(reach: AlertReach) -> String {
    let figure = |n: Option<u32>| match n {
        Some(n) => format!("{n}"),
        None => format!("fewer than {}", reach.threshold),
    };
    format!(
        "Received by {} phones, passed on by {}",
        figure(reach.received),
        figure(reach.passed_on)
    )
}

fn status_text(alert: &FieldAlertSummary) -> String {
    match (alert.status, alert.published_version) {
        (AlertStatus::Draft, Some(up)) => {
            format!("Update waiting for approval (version {up} stays up)")
        }
        (AlertStatus::Draft, None) => "Draft: waiting for approval".to_owned(),
        (AlertStatus::Published, _) if alert.content.expires_at <= Utc::now() => {
            "Expired".to_owned()
        }
        (AlertStatus::Published, _) => "Published: on the phones".to_owned(),
        (AlertStatus::Withdrawn, _) => "Withdrawn".to_owned(),
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
    let name = |verb: &str| format!("{verb} the alert: {short}");
    let until = alert
        .content
        .expires_at
        .with_timezone(&Local)
        .format("%d %b %Y %H:%M")
        .to_string();
    let live = alert.status != AlertStatus::Withdrawn;
    let approvable = alert.status == AlertStatus::Draft;
    let for_update = StoredValue::new(alert.clone());
    let history = alert
        .history
        .iter()
        .map(|event| {
            let what = match event.action {
                AlertEventAction::Drafted => "Drafted",
                AlertEventAction::Updated => "Updated",
                AlertEventAction::Approved => "Approved",
                AlertEventAction::Withdrawn => "Withdrawn",
            };
            let at = DateTime::parse_from_rfc3339(&event.at)
                .map(|t| t.with_timezone(&Local).format("%d %b %Y %H:%M").to_string())
                .unwrap_or_else(|_| event.at.clone());
            view! { <li>{format!("{what} (version {}) by {} on {at}", event.version, event.by)}</li> }
        })
        .collect_view();
    view! {
        <li class="field-alert-row" data-status=format!("{:?}", alert.status)>
            <p class="alert-kind">{format!("{} · {} · {}", alert.content.kind.label(), alert.content.verification.label(), status_text(&alert))}</p>
            <blockquote>{message.clone()}</blockquote>
            {alert.content.messages.iter().filter(|(l, _)| **l != en).map(|(l, m)| view! {
                <p class="muted" lang=l.as_str().to_owned()>{format!("{}: {m}", l.as_str())}</p>
            }).collect_view()}
            <p class="muted">{format!("Version {} by {} · until {until}", alert.version, alert.author)}</p>
            <p class="reach">{reach_text(alert.reach)}</p>
            <div class="actions">
                {approvable.then(|| view! {
                    <button type="button" class="primary" aria-label=name("Approve") disabled=move || busy.get()
                        on:click=move |_| step(id, FieldAlertStep::Approve)>"Approve"</button>
                })}
                {live.then(|| view! {
                    <button type="button" class="secondary" aria-label=name("Update") disabled=move || busy.get()
                        on:click=move |_| draft.set(Draft::of(&for_update.get_value()))>"Update"</button>
                    <button type="button" class="secondary" aria-label=name("Withdraw") disabled=move || busy.get()
                        on:click=move |_| step(id, FieldAlertStep::Withdraw)>"Withdraw"</button>
                })}
            </div>
            <details>
                <summary>"History"</summary>
                <ol class="alert-history">{history}</ol>
            </details>
        </li>
    }
}
