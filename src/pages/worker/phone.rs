//! This phone's own settings and figures: the PIN lock for shared phones, how long counted
//! entries stay, and the week's capture its managers see, shown to the worker too.

use super::keep_entries::KeepEntriesChoice;
use crate::components::phone_week::{Reader, status, week_cell, week_heading};
use crate::job::Job;
use crate::state::use_app;
use crate::store::device;
use crate::store::lock::{self, LockError, LockState};
use crate::sync::SyncError;
use crate::sync::client;
use leptos::prelude::*;
use peerpulse_core::pin::{MIN_PIN_DIGITS, Pin, PinError};

/// One change to the PIN lock.
#[derive(Clone)]
enum LockChange {
    Enable(Pin),
    Change { current: Pin, new: Pin },
    Disable(Pin),
}

impl LockChange {
    fn done(&self) -> &'static str {
        match self {
            Self::Enable(_) => "PIN set: entries on this phone are now encrypted.",
            Self::Change { .. } => "PIN changed.",
            Self::Disable(_) => "PIN removed: entries are stored without encryption again.",
        }
    }
}

/// A labelled PIN field.
#[component]
fn PinField(id: &'static str, label: &'static str, value: RwSignal<String>) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <input
            id=id
            type="password"
            inputmode="numeric"
            autocomplete="off"
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
        />
    }
}

/// The phone's settings page.
#[component]
pub fn PhonePage() -> impl IntoView {
    let app = use_app();
    let state = RwSignal::new(lock::state(&app.store()));
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Result<&'static str, String>>);

    let apply = Job::<()>::new();
    let change_lock = move |change: LockChange| {
        let store = app.store();
        apply.start(async move {
            let result = match &change {
                LockChange::Enable(pin) => lock::enable(&store, pin).await,
                LockChange::Change { current, new } => lock::change(&store, current, new).await,
                LockChange::Disable(pin) => lock::disable(&store, pin).await,
            }
            .map(|()| change.done());
            for field in [current, new, again] {
                field.set(String::new());
            }
            state.set(lock::state(&store));
            message.set(Some(result.map_err(|e: LockError| e.to_string())));
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pin = |field: RwSignal<String>| Pin::parse(&field.get_untracked());
        let chosen = || Pin::choose(&new.get_untracked(), &again.get_untracked());
        let change: Result<LockChange, PinError> = match state.get_untracked() {
            LockState::Off => chosen().map(LockChange::Enable),
            _ if new.with_untracked(String::is_empty) => pin(current).map(LockChange::Disable),
            _ => pin(current)
                .and_then(|current| chosen().map(|new| LockChange::Change { current, new })),
        };
        match change {
            Ok(change) => {
                message.set(None);
                change_lock(change);
            }
            Err(e) => message.set(Some(Err(e.to_string()))),
        }
    };
    let lock_now = move |_| {
        lock::lock(&app.store());
        app.locked.set(true);
    };

    view! {
        <section class="phone" aria-labelledby="phone-heading">
            <h1 id="phone-heading">"This phone"</h1>
            <p>
                <a href="/org" rel="external">"Manager, viewer or admin? Sign in to your organization"</a>
            </p>
            <h2>"PIN lock"</h2>
            {move || match state.get() {
                LockState::Off => view! {
                    <p class="muted">
                        {format!(
                            "For a phone others use too: entries are encrypted with a PIN of at least {MIN_PIN_DIGITS} digits and the app locks after 5 idle minutes. Syncing goes on while it is locked. A forgotten PIN cannot be recovered, so export your entries first."
                        )}
                    </p>
                }
                    .into_any(),
                _ => view! {
                    <p class="muted">"Entries on this phone are encrypted. To remove the PIN, enter it and leave the new PIN fields empty."</p>
                    <button type="button" class="secondary" on:click=lock_now>"Lock now"</button>
                }
                    .into_any(),
            }}
            <form class="pin-form" on:submit=submit novalidate>
                <Show when=move || state.get() != LockState::Off>
                    <PinField id="pin-current" label="Current PIN" value=current />
                </Show>
                <PinField id="pin-new" label="New PIN" value=new />
                <PinField id="pin-again" label="New PIN again" value=again />
                <button type="submit" class="primary" disabled=move || apply.pending()>
                    {move || match (apply.pending(), state.get()) {
                        (true, _) => "Working…",
                        (false, LockState::Off) => "Set PIN",
                        (false, _) => "Change or remove PIN",
                    }}
                </button>
            </form>
            {move || message.get().map(|m| match m {
                Ok(done) => view! { <p class="status saved" role="status">{done}</p> }.into_any(),
                Err(why) => view! { <p class="error" role="alert">{why}</p> }.into_any(),
            })}
            <KeepEntriesChoice />
            <YourWeek />
        </section>
    }
}

/// "Your phone's week": the figures managers see about this phone (encounters per week, the
/// days logged on, whether it went quiet against its own rhythm), as support for the worker.
#[component]
fn YourWeek() -> impl IntoView {
    let app = use_app();
    let figures = Job::new();
    figures.follow(move || {
        app.changed.track();
        let store = app.store();
        async move {
            let credentials = device::credentials(&store)
                .await?
                .ok_or(SyncError::NotEnrolled)?;
            Ok::<_, SyncError>(client::my_week(&credentials.token).await?)
        }
    });
    view! {
        <section class="own-week" aria-labelledby="own-week-heading">
            <h2 id="own-week-heading">"Your phone's week"</h2>
            <p class="muted">"What your organization sees about this phone: how many encounters it logged each week, on how many days, and whether it has gone quiet. Only totals, the same figures your manager has, so you can see what they see and say if something is off."</p>
            {move || figures.value().map_or_else(
                || view! { <p role="status">"Loading your figures…"</p> }.into_any(),
                |read| match read {
                    Err(SyncError::NotEnrolled) => view! { <p class="muted">"Connect this phone with an enrolment code to see its figures."</p> }.into_any(),
                    Err(e) => view! { <p class="muted">{e.to_string()}</p> }.into_any(),
                    Ok(grid) => match grid.devices.first() {
                        None => view! { <p class="muted">"Nothing logged yet."</p> }.into_any(),
                        Some(mine) => {
                            let threshold = grid.threshold;
                            // The last four weeks: enough to see a rhythm on a phone's width.
                            let skip = grid.weeks.len().saturating_sub(4);
                            let header = grid.weeks.iter().skip(skip).map(|&w| week_heading(w)).collect_view();
                            let cells = mine.weeks.iter().skip(skip).map(|&w| week_cell(w, threshold)).collect_view();
                            let flagged = mine.quiet.is_some();
                            view! {
                                <p class:quiet-note=flagged>{status(mine, Reader::Worker)}"."</p>
                                <div class="scroll" role="region" aria-label="Your encounters per week" tabindex="0">
                                    <table class="capture">
                                        <caption class="visually-hidden">"Your encounters per week"</caption>
                                        <thead><tr>{header}</tr></thead>
                                        <tbody><tr>{cells}</tr></tbody>
                                    </table>
                                </div>
                                <p class="muted">{format!("A week with fewer than {threshold} shows as \"fewer than {threshold}\", as for every phone.")}</p>
                            }.into_any()
                        }
                    },
                },
            )}
        </section>
    }
}
