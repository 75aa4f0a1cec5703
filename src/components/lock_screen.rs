//! What a locked phone shows: only a PIN field. The form behind it keeps what was typed.

use crate::i18n::errors::{self, PinProblem};
use crate::i18n::{fill, intl, language, t, text};
use crate::job::Job;
use crate::state::use_app;
use crate::store::lock;
use leptos::prelude::*;
use peerpulse_core::pin::Pin;
use std::time::Duration;

/// Asks for the PIN and unlocks.
#[component]
pub fn LockScreen() -> impl IntoView {
    let app = use_app();
    let typed = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<PinProblem>);
    // After several wrong PINs, seconds before the next try (kept across reloads by the store).
    let wait = RwSignal::new(lock::seconds_to_wait());
    if let Ok(ticking) = set_interval_with_handle(
        move || wait.set(lock::seconds_to_wait()),
        Duration::from_secs(1),
    ) {
        on_cleanup(move || ticking.clear());
    }
    let unlock = Job::<()>::new();
    let try_pin = move |pin: Pin| {
        let store = app.store();
        unlock.start(async move {
            match lock::unlock(&store, &pin).await {
                Ok(()) => {
                    typed.set(String::new());
                    problem.set(None);
                    app.locked.set(false);
                    app.notify_entries_changed();
                }
                Err(e) => {
                    typed.set(String::new());
                    wait.set(lock::seconds_to_wait());
                    problem.set(Some(PinProblem::Lock(e)));
                }
            }
        });
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Pin::parse(&typed.get_untracked()) {
            Ok(pin) => {
                problem.set(None);
                try_pin(pin);
            }
            Err(e) => problem.set(Some(PinProblem::Shape(e))),
        }
    };
    view! {
        <form class="lock-screen" on:submit=on_submit>
            <h1>{t("lock.title")}</h1>
            <p class="muted">{t("lock.explain")}</p>
            <label for="unlock-pin">{t("lock.pin")}</label>
            <input
                id="unlock-pin"
                type="password"
                inputmode="numeric"
                autocomplete="off"
                enterkeyhint="go"
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev))
            />
            <Show when=move || problem.with(Option::is_some) && wait.get() == 0>
                <p class="error" role="alert">{move || problem.with(|p| p.as_ref().map(errors::pin_problem))}</p>
            </Show>
            <Show when=move || { wait.get() > 0 }>
                <p class="error" role="alert" data-testid="pin-wait">
                    {move || fill("error.lock.wait", &[("wait", &intl::duration(language(), wait.get()))])}
                </p>
            </Show>
            <button
                type="submit"
                class="primary"
                disabled=move || { unlock.pending() || wait.get() > 0 }
            >
                {move || text(if unlock.pending() { "lock.checking" } else { "lock.unlock" })}
            </button>
        </form>
    }
}
