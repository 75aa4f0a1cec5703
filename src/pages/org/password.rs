//! The page a one-time password reset link opens: the person chooses a new password and is
//! signed in. The link's token is after the `#`, so it never reaches server logs.

use crate::address::fragment;
use crate::org_client;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use peerpulse_core::org_api::PasswordResetRequest;
use peerpulse_core::people::NewPassword;

/// Sets the new password the link allows.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let navigate = use_navigate();
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let reset = Action::new_local(|request: &PasswordResetRequest| {
        let request = request.clone();
        async move { org_client::reset_password(&request).await }
    });
    Effect::new(move |_| match reset.value().get() {
        Some(Ok(_)) => navigate("/org", Default::default()),
        Some(Err(e)) => problem.set(Some(e.to_string())),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let first = password.get_untracked();
        let request = if first != again.get_untracked() {
            Err("The two passwords are not the same: type it twice.".to_owned())
        } else {
            NewPassword::new(&first)
                .map(|password| PasswordResetRequest {
                    token: fragment(),
                    password,
                })
                .map_err(|e| format!("Password: {e}."))
        };
        match request {
            Ok(request) => {
                problem.set(None);
                reset.dispatch(request);
            }
            Err(why) => problem.set(Some(why)),
        }
    };
    let field = |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <label for=id>{label}</label>
            <input
                id=id
                type="password"
                autocomplete="new-password"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        }
    };
    view! {
        <form class="stack-form" on:submit=submit novalidate>
            <h1>"Choose a new password"</h1>
            <p class="muted">"Your admin made this link for you. It works once; your old password stops working."</p>
            {field("reset-password", "New password (at least 10 characters)", password)}
            {field("reset-again", "New password again", again)}
            <Show when=move || problem.with(Option::is_some)>
                <p class="error" role="alert">{move || problem.get().unwrap_or_default()}</p>
            </Show>
            <button type="submit" class="primary" disabled=move || reset.pending().get()>
                "Save my new password"
            </button>
        </form>
    }
}
