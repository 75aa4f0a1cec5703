//! This phone's own settings: the PIN lock for shared phones.

use crate::job::Job;
use crate::state::use_app;
use crate::store::lock::{self, LockError, LockState};
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
        </section>
    }
}
