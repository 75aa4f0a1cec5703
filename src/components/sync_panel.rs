//! The sync line at the top of the log screen: whether this phone is connected, online, and
//! what is waiting; the Sync button; and a field for an enrolment code whenever the phone
//! needs one (never connected, or no longer accepted).

use crate::i18n::{count, errors, fill, intl, language, t, text};
use crate::job::Job;
use crate::state::{AppContext, use_app};
use crate::store::device::{self, Credentials, SyncState};
use crate::store::{StoreError, buckets, encounters};
use crate::sync::client::ServiceError;
use crate::sync::{SyncError, SyncOutcome};
use leptos::prelude::*;
use peerpulse_core::enrolment::{EnrolmentCode, InvalidEnrolmentCode};

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
    /// "Everything is synced", "3 waiting to sync": only true of a connected phone.
    fn text(self) -> String {
        match (self.entries, self.buckets) {
            (0, 0) => text("sync.all_synced"),
            (0, _) => text("sync.changes_waiting"),
            (n, _) => count("sync.waiting", u64::from(n), &[]),
        }
    }

    /// What waits on a phone that cannot sync now: "3 entries kept on this phone".
    fn kept(self) -> String {
        match (self.entries, self.buckets) {
            (0, 0) => text("sync.nothing_waiting"),
            (0, _) => text("sync.changes_kept"),
            (n, _) => count("sync.entries_kept", u64::from(n), &[]),
        }
    }
}

/// Where the phone stands with the service, for the first words of the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Standing {
    /// Never enrolled.
    NotConnected,
    /// Enrolled, but the service refused its token (revoked).
    Refused,
    /// The browser has no network.
    Offline,
    /// Enrolled and online.
    Connected,
}

/// The sync line, the Sync button and, when needed, the enrolment field.
#[component]
pub fn SyncPanel() -> impl IntoView {
    let app = use_app();
    let snapshot = Job::new();
    snapshot.follow(move || {
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
    let scheduler = app.scheduler();
    let refused = move || {
        scheduler.with_last(|last| {
            matches!(
                last,
                Some(Err(SyncError::Service(ServiceError::Unauthorized)))
            )
        })
    };
    // Kept here, not in the form, so a re-read of the store never wipes what was typed.
    let typed_code = RwSignal::new(String::new());
    let enrolling = Job::<Result<Credentials, SyncError>>::new();
    let retries = RwSignal::new(0u32);

    view! {
        <section class="sync-panel" aria-label=t("sync.label")>
                {move || {
                    snapshot
                        .value()
                        .map_or_else(|| view! { <p>{t("sync.checking")}</p> }.into_any(), |read| match read {
                            Err(e) => view! { <p role="alert" class="error">{move || errors::store(&e)}</p> }.into_any(),
                            Ok(view) => {
                                let enrolled = view.credentials.is_some();
                                let standing = Signal::derive(move || match (enrolled, refused(), app.online.get()) {
                                    (false, _, _) => Standing::NotConnected,
                                    (true, true, _) => Standing::Refused,
                                    (true, false, false) => Standing::Offline,
                                    (true, false, true) => Standing::Connected,
                                });
                                let org = view.credentials.as_ref().map(|c| c.org_name.clone());
                                view! {
                                    <SyncLine standing waiting=view.waiting />
                                    {move || match standing.get() {
                                        Standing::NotConnected | Standing::Refused => {
                                            view! {
                                                <EnrolForm job=enrolling code=typed_code retries again=standing.get_untracked() == Standing::Refused />
                                            }
                                                .into_any()
                                        }
                                        Standing::Offline | Standing::Connected => {
                                            view! {
                                                <SyncStatus
                                                    org_name=org.clone().unwrap_or_default()
                                                    state=view.state.clone()
                                                    app
                                                />
                                            }
                                                .into_any()
                                        }
                                    }}
                                }
                                    .into_any()
                            }
                        })
                }}
        </section>
    }
}

/// The first line: connected or not, online or not, and what waits.
#[component]
fn SyncLine(standing: Signal<Standing>, waiting: Waiting) -> impl IntoView {
    let text = move || match standing.get() {
        Standing::NotConnected => fill("sync.not_connected", &[("kept", &waiting.kept())]),
        Standing::Refused => fill("sync.refused", &[("kept", &waiting.kept())]),
        Standing::Offline => fill("sync.offline", &[("kept", &waiting.kept())]),
        Standing::Connected => waiting.text(),
    };
    view! {
        <p class="waiting" data-testid="waiting">
            <span class=move || match standing.get() {
                Standing::Connected => "dot ok",
                _ => "dot off",
            } aria-hidden="true"></span>
            <strong>{text}</strong>
        </p>
    }
}

/// What one finished sync did, in a sentence ("" when there is nothing to add to the line).
fn outcome_text(outcome: &SyncOutcome) -> String {
    let mut said = Vec::new();
    if !outcome.rejected.is_empty() {
        let reasons = outcome
            .rejected
            .iter()
            .map(|r| r.reason.to_string())
            .collect::<Vec<_>>()
            .join("; ");
        said.push(count(
            "sync.refused_counts",
            outcome.rejected.len() as u64,
            &[("reasons", &reasons)],
        ));
    }
    if !outcome.closed.is_empty() {
        said.push(count("sync.closed_days", outcome.closed.len() as u64, &[]));
    }
    if outcome.notes_sent > 0 {
        said.push(count("sync.notes_sent", u64::from(outcome.notes_sent), &[]));
    }
    if outcome.notes_withdrawn > 0 {
        said.push(count(
            "sync.notes_withdrawn",
            u64::from(outcome.notes_withdrawn),
            &[],
        ));
    }
    for why in &outcome.notes_refused {
        said.push(fill("sync.note_refused", &[("why", why)]));
    }
    said.join(" ")
}

/// The organization, the last sync, "Sync now", and what the last sync said.
#[component]
fn SyncStatus(org_name: String, state: SyncState, app: AppContext) -> impl IntoView {
    let scheduler = app.scheduler();
    // How long ago the service last confirmed this phone's counts, kept current each minute.
    let confirmed_at = state
        .last_synced_at
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
    let now = RwSignal::new(chrono::Utc::now());
    if let Ok(tick) = set_interval_with_handle(
        move || now.set(chrono::Utc::now()),
        std::time::Duration::from_secs(30),
    ) {
        on_cleanup(move || tick.clear());
    }
    let last = move || match confirmed_at {
        None => text("sync.none_confirmed"),
        Some(t) => fill(
            "sync.confirmed",
            &[
                (
                    "ago",
                    &intl::ago(
                        language(),
                        (now.get() - t.with_timezone(&chrono::Utc)).num_seconds(),
                    ),
                ),
                ("time", &intl::time_of_day(language(), &t.to_rfc3339())),
            ],
        ),
    };
    // Only the latest sync speaks: a success clears an earlier failure's words.
    let result = move || {
        scheduler.with_last(|last| match last {
            None => String::new(),
            Some(Ok(outcome)) => outcome_text(outcome),
            Some(Err(e)) => errors::sync(e),
        })
    };
    let failed = move || scheduler.with_last(|last| matches!(last, Some(Err(_))));
    view! {
        <div class="sync-status">
            <p class="muted org-line" data-testid="confirmed"><bdi>{org_name}</bdi>" · "{last}</p>
            <button
                type="button"
                class="secondary"
                on:click=move |_| scheduler.request()
                disabled=move || scheduler.pending()
            >
                {move || text(if scheduler.pending() { "sync.syncing" } else { "sync.now" })}
            </button>
            <p class="sync-result" class:error=failed role="status" aria-live="polite">
                {result}
            </p>
        </div>
    }
}

/// A field for the code from the manager; `again` when the phone was connected before.
#[component]
fn EnrolForm(
    job: Job<Result<Credentials, SyncError>>,
    code: RwSignal<String>,
    /// Tries that went unanswered, counted by the enrolment.
    retries: RwSignal<u32>,
    again: bool,
) -> impl IntoView {
    let app = use_app();
    let problem = RwSignal::new(None::<InvalidEnrolmentCode>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if job.pending_untracked() {
            return;
        }
        match code.get_untracked().parse::<EnrolmentCode>() {
            Ok(parsed) => {
                problem.set(None);
                job.start(app.enrol(parsed, retries));
            }
            Err(e) => problem.set(Some(e)),
        }
    };
    let message = move || {
        problem
            .with(|p| p.as_ref().map(errors::enrolment_code))
            .or_else(|| {
                job.with_value(|v| match v {
                    Some(Err(e)) if !job.pending() => Some(errors::sync(e)),
                    _ => None,
                })
            })
    };
    view! {
        <form class="enrol" on:submit=on_submit novalidate>
            <label for="enrol-code">
                {t(if again { "enrol.code_again" } else { "enrol.code" })}
            </label>
            <div class="row">
                <input
                    id="enrol-code"
                    name="enrol-code"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    placeholder=t("enrol.placeholder")
                    prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))
                    readonly=move || job.pending()
                />
                <button type="submit" class="secondary" aria-disabled=move || job.pending().to_string()>
                    {move || text(if job.pending() { "enrol.connecting" } else { "enrol.connect" })}
                </button>
            </div>
            <Show when=move || job.pending()>
                <Connecting retries />
            </Show>
            <Show when=move || message().is_some()>
                <p class="error" role="alert">{move || message().unwrap_or_default()}</p>
            </Show>
        </form>
    }
}

/// "Connecting…" while an enrolment waits for its answer, saying it tries again by itself
/// once a try went unanswered: a weak signal is not the worker's error.
#[component]
pub fn Connecting(retries: RwSignal<u32>) -> impl IntoView {
    view! {
        <p role="status" class="status connecting" data-testid="connecting">
            {move || text(match retries.get() {
                0 => "enrol.connecting",
                _ => "enrol.weak_signal",
            })}
        </p>
    }
}
