//! The page a one-time sign-in link opens: the new admin (or manager, or viewer) chooses a
//! username and password. The link's token is after the `#`, so it never reaches server logs.

use crate::address::fragment;
use crate::i18n::org_errors::{self, AccountProblem};
use crate::i18n::t;
use crate::org_client;
use crate::org_session::OrgSession;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use peerpulse_core::org_api::WelcomeRequest;
use peerpulse_core::people::{NewPassword, Username};

/// Creates the account the link offers.
#[component]
pub fn WelcomePage() -> impl IntoView {
    let navigate = use_navigate();
    let session = OrgSession::get();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<AccountProblem>);
    let create = Action::new_local(|request: &WelcomeRequest| {
        let request = request.clone();
        async move { org_client::welcome(&request).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(info)) => {
            session.set(Some(info));
            navigate("/org", Default::default());
        }
        Some(Err(e)) => problem.set(Some(AccountProblem::Call(e))),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = (|| {
            let username =
                Username::new(&username.get_untracked()).map_err(AccountProblem::Username)?;
            let first = password.get_untracked();
            if first != again.get_untracked() {
                return Err(AccountProblem::Mismatch);
            }
            let password = NewPassword::new(&first).map_err(AccountProblem::Password)?;
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
    view! {
        <form class="stack-form" on:submit=submit novalidate>
            <h1>{t("org.welcome.title")}</h1>
            <p class="muted">{t("org.welcome.explain")}</p>
            {field("welcome-username", t("org.welcome.username"), "text", username)}
            {field("welcome-password", t("org.welcome.password"), "password", password)}
            {field("welcome-again", t("org.welcome.password_again"), "password", again)}
            <Show when=move || problem.with(Option::is_some)>
                <p class="error" role="alert">{move || problem.with(|p| p.as_ref().map(org_errors::account))}</p>
            </Show>
            <button type="submit" class="primary" disabled=move || create.pending().get()>
                {t("org.welcome.submit")}
            </button>
        </form>
    }
}

/// One labelled field of the form.
fn field(
    id: &'static str,
    label: impl Fn() -> String + Send + Sync + 'static,
    kind: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
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
}
