//! The page a one-time sign-in link opens: the new admin (or manager, or viewer) chooses a
//! username and password. The link's token is after the `#`, so it never reaches server logs.

use crate::address::fragment;
use crate::org_client;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use peerpulse_core::org_api::WelcomeRequest;
use peerpulse_core::people::{NewPassword, Username};

/// Creates the account the link offers.
#[component]
pub fn WelcomePage() -> impl IntoView {
    let navigate = use_navigate();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let create = Action::new_local(|request: &WelcomeRequest| {
        let request = request.clone();
        async move { org_client::welcome(&request).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(_)) => navigate("/org", Default::default()),
        Some(Err(e)) => problem.set(Some(e.to_string())),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = (|| {
            let username =
                Username::new(&username.get_untracked()).map_err(|e| format!("Username: {e}."))?;
            let first = password.get_untracked();
            if first != again.get_untracked() {
                return Err("The two passwords are not the same: type it twice.".to_owned());
            }
            let password = NewPassword::new(&first).map_err(|e| format!("Password: {e}."))?;
            Ok(WelcomeRequest {
                token: fragment(),
                username,
                password,
            })
        })();
        match request {
            Ok(request) => {
                problem.set(None);
                create.dispatch(request);
            }
            Err(why) => problem.set(Some(why)),
        }
    };
    let field =
        |id: &'static str, label: &'static str, kind: &'static str, value: RwSignal<String>| {
            view! {
                <label for=id>{label}</label>
                <input
                    id=id
                    type=kind
                    autocomplete=if kind == "password" { "new-password" } else { "username" }
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            }
        };
    view! {
        <form class="stack-form" on:submit=submit novalidate>
            <h1>"Welcome to PeerPulse"</h1>
            <p class="muted">"Choose how you will sign in. This link works once."</p>
            {field("welcome-username", "Username", "text", username)}
            {field("welcome-password", "Password (at least 10 characters)", "password", password)}
            {field("welcome-again", "Password again", "password", again)}
            <Show when=move || problem.with(Option::is_some)>
                <p class="error" role="alert">{move || problem.get().unwrap_or_default()}</p>
            </Show>
            <button type="submit" class="primary" disabled=move || create.pending().get()>
                "Create my account"
            </button>
        </form>
    }
}
