//! What a locked phone shows: only a PIN field. The form behind it keeps what was typed.

use crate::app::use_app;
use crate::store::lock;
use leptos::prelude::*;
use peerpulse_core::pin::Pin;

/// Asks for the PIN and unlocks.
#[component]
pub fn LockScreen() -> impl IntoView {
    let app = use_app();
    let typed = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let unlock = Action::new_local(move |pin: &Pin| {
        let pin = pin.clone();
        let store = app.store();
        async move { lock::unlock(&store, &pin).await }
    });
    Effect::new(move |_| match unlock.value().get() {
        Some(Ok(())) => {
            typed.set(String::new());
            problem.set(None);
            app.locked.set(false);
            app.notify_entries_changed();
        }
        Some(Err(e)) => {
            typed.set(String::new());
            problem.set(Some(e.to_string()));
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Pin::parse(&typed.get_untracked()) {
            Ok(pin) => {
                problem.set(None);
                unlock.dispatch(pin);
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };
    view! {
        <form class="lock-screen" on:submit=on_submit>
            <h1>"PeerPulse is locked"</h1>
            <p class="muted">"Enter this phone's PIN to see and log entries. Syncing goes on while it is locked."</p>
            <label for="unlock-pin">"PIN"</label>
            <input
                id="unlock-pin"
                type="password"
                inputmode="numeric"
                autocomplete="off"
                enterkeyhint="go"
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev))
            />
            <Show when=move || problem.with(Option::is_some)>
                <p class="error" role="alert">{move || problem.get().unwrap_or_default()}</p>
            </Show>
            <button type="submit" class="primary" disabled=move || unlock.pending().get()>
                {move || if unlock.pending().get() { "Checking…" } else { "Unlock" }}
            </button>
        </form>
    }
}
