//! What is waiting to sync, the Sync button, and connecting the phone with an enrolment code.

use crate::app::use_app;
use crate::components::encounter_form::short_time;
use crate::store::device::{self, Credentials, SyncState};
use crate::store::{StoreError, buckets, encounters};
use crate::sync::scheduler::{Scheduler, use_scheduler};
use crate::sync::{self, SyncError};
use leptos::prelude::*;
use peerpulse_core::enrolment::EnrolmentCode;

/// Everything the panel shows, read from the store in one go.
#[derive(Clone, Debug, PartialEq)]
struct SyncView {
    credentials: Option<Credentials>,
    state: SyncState,
    waiting: Waiting,
}

/// What has not reached the service yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Waiting {
    /// Entries saved or changed since the last ack.
    entries: u32,
    /// Buckets changed since the last ack (deletes change buckets without leaving an entry).
    buckets: u32,
}

impl Waiting {
    fn text(self) -> String {
        match (self.entries, self.buckets) {
            (0, 0) => "Everything is synced".to_owned(),
            (0, _) => "Changes waiting to sync".to_owned(),
            (1, _) => "1 waiting to sync".to_owned(),
            (n, _) => format!("{n} waiting to sync"),
        }
    }
}

/// The sync status bar at the top of the log screen.
#[component]
pub fn SyncPanel() -> impl IntoView {
    let app = use_app();
    let snapshot = LocalResource::new(move || {
        app.changed.track();
        let store = app.store();
        async move {
            let credentials = device::credentials(&store).await?;
            let state = device::sync_state(&store).await?;
            let waiting = Waiting {
                entries: encounters::waiting(&store, state.acked_through).await?,
                buckets: buckets::changed(&store, state.acked_through).await?,
            };
            Ok::<_, StoreError>(SyncView {
                credentials,
                state,
                waiting,
            })
        }
    });

    let scheduler = use_scheduler();
    // Kept here, not in the form, so a re-read of the store never wipes what was typed.
    let typed_code = RwSignal::new(String::new());
    let enrol_action = Action::new_local(move |code: &EnrolmentCode| {
        let store = app.store();
        let code = code.clone();
        async move { sync::enrol(&store, code).await }
    });
    Effect::new(move |_| {
        // A failed enrolment changed nothing stored: the form keeps what was typed.
        if let Some(Ok(_)) = enrol_action.value().get() {
            app.notify_changed();
            scheduler.request();
        }
    });

    view! {
        <section class="sync-panel" aria-label="Sync">
            <Transition fallback=|| view! { <p>"Checking what is waiting…"</p> }>
                {move || {
                    snapshot
                        .get()
                        .map(|read| match read {
                            Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                            Ok(view) => {
                                match view.credentials {
                                    None => {
                                        view! {
                                            <EnrolForm action=enrol_action code=typed_code waiting=view.waiting />
                                        }
                                            .into_any()
                                    }
                                    Some(credentials) => {
                                        view! {
                                            <SyncStatus
                                                org_name=credentials.org_name
                                                state=view.state
                                                waiting=view.waiting
                                                scheduler
                                            />
                                        }
                                            .into_any()
                                    }
                                }
                            }
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn SyncStatus(
    org_name: String,
    state: SyncState,
    waiting: Waiting,
    scheduler: Scheduler,
) -> impl IntoView {
    let action = scheduler.action();
    let last = state.last_synced_at.as_deref().map_or_else(
        || "Never synced".to_owned(),
        |t| format!("Last synced {}", short_time(t)),
    );
    let result = move || match action.value().get() {
        None => String::new(),
        Some(Ok(outcome)) => {
            let mut said = if outcome.rejected.is_empty() {
                "Sync complete.".to_owned()
            } else {
                format!(
                    "Synced, but the service refused {} count(s): {}",
                    outcome.rejected.len(),
                    outcome
                        .rejected
                        .iter()
                        .map(|r| r.reason.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            };
            if outcome.notes_sent > 0 {
                said += &format!(
                    " {} note(s) offered for the trend brief.",
                    outcome.notes_sent
                );
            }
            if outcome.notes_withdrawn > 0 {
                said += &format!(
                    " {} note(s) withdrawn from the trend brief.",
                    outcome.notes_withdrawn
                );
            }
            for why in &outcome.notes_refused {
                said += &format!(" A note was not offered: {why}");
            }
            said
        }
        Some(Err(e)) => e.to_string(),
    };
    let failed = move || matches!(action.value().get(), Some(Err(_)));
    view! {
        <div class="sync-status">
            <p class="waiting" data-testid="waiting">
                <strong>{waiting.text()}</strong>
                <span class="muted">{format!(" · {org_name} · {last}")}</span>
            </p>
            <button
                type="button"
                class="secondary"
                on:click=move |_| scheduler.request()
                disabled=move || action.pending().get()
            >
                {move || if action.pending().get() { "Syncing…" } else { "Sync now" }}
            </button>
            <p class="sync-result" class:error=failed role="status" aria-live="polite">
                {result}
            </p>
        </div>
    }
}

#[component]
fn EnrolForm(
    action: Action<EnrolmentCode, Result<Credentials, SyncError>>,
    code: RwSignal<String>,
    waiting: Waiting,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match code.get_untracked().parse::<EnrolmentCode>() {
            Ok(parsed) => {
                problem.set(None);
                action.dispatch(parsed);
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };
    let message = move || {
        problem.get().or_else(|| match action.value().get() {
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        })
    };
    view! {
        <form class="enrol" on:submit=on_submit>
            <p class="waiting" data-testid="waiting">
                <strong>{waiting.text()}</strong>
            </p>
            <label for="enrol-code">"Enrolment code from your manager"</label>
            <div class="row">
                <input
                    id="enrol-code"
                    name="enrol-code"
                    autocomplete="off"
                    autocapitalize="characters"
                    placeholder="K7QD-3MXR"
                    prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))
                />
                <button type="submit" class="secondary" disabled=move || action.pending().get()>
                    "Connect"
                </button>
            </div>
            <Show when=move || message().is_some()>
                <p class="error" role="alert">{move || message().unwrap_or_default()}</p>
            </Show>
        </form>
    }
}
