//! The page a one-time password reset link opens: the person chooses a new password and is
//! signed in. The link's token is after the `#`, so it never reaches server logs.

use crate::address::fragment;
use crate::i18n::org_errors::{self, AccountProblem};
use crate::i18n::t;
use crate::org_client;
use crate::org_session::OrgSession;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use peerpulse_core::org_api::PasswordResetRequest;
use peerpulse_core::people::NewPassword;

/// Sets the new password the link allows.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let navigate = use_navigate();
    let session = OrgSession::get();
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<AccountProblem>);
    let reset = Action::new_local(|request: &PasswordResetRequest| {
        let request = request.clone();
        async move { org_client::reset_password(&request).await }
    });
    Effect::new(move |_| match reset.value().get() {
        Some(Ok(info)) => {
            session.set(Some(info));
            navigate("/org", Default::default());
        }
        Some(Err(e)) => problem.set(Some(AccountProblem::Call(e))),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let first = password.get_untracked();
        let request = if first != again.get_untracked() {
            Err(AccountProblem::Mismatch)
        } else {
            NewPassword::new(&first)
                .map(|password| PasswordResetRequest {
                    token: fragment(),
                    password,
                })
                .map_err(AccountProblem::Password)
        };
        match request {
            Ok(request) => {
                problem.set(None);
                reset.dispatch(request);
            }
            Err(why) => problem.set(Some(why)),
        }
    };
    view! {
        <form class="stack-form" on:submit=submit novalidate>
            <h1>{t("org.password.title")}</h1>
            <p class="muted">{t("org.password.explain")}</p>
            {field("reset-password", t("org.password.new"), password)}
            {field("reset-again", t("org.password.new_again"), again)}
            <Show when=move || problem.with(Option::is_some)>
                <p class="error" role="alert">{move || problem.with(|p| p.as_ref().map(org_errors::account))}</p>
            </Show>
            <button type="submit" class="primary" disabled=move || reset.pending().get()>
                {t("org.password.submit")}
            </button>
        </form>
    }
}

/// One labelled new-password field.
fn field(
    id: &'static str,
    label: impl Fn() -> String + Send + Sync + 'static,
    value: RwSignal<String>,
) -> impl IntoView {
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
}
