//! The organization's screens (the organization's bundle). This module is the organization
//! page for admins, managers and viewers: sign in, live trends, capture oversight, phones,
//! notes to review, the codebook and people; the trend brief and the welcome page are beside it.

pub mod brief;
pub mod welcome;

mod capture;
mod codebook;
mod live_trends;
mod notes_review;
mod people;
mod phones;

use crate::org_client;
use capture::Capture;
use codebook::CodebookEditor;
use leptos::prelude::*;
use live_trends::LiveTrends;
use notes_review::NotesReview;
use peerpulse_core::org_api::{SessionInfo, SignInRequest};
use peerpulse_core::people::{Permission, Username};
use people::People;
use phones::Phones;

/// Sign-in, or the organization's phones and people once signed in.
#[component]
pub fn OrgPage() -> impl IntoView {
    let session = RwSignal::new(None::<SessionInfo>);
    let checked = LocalResource::new(org_client::current);
    Effect::new(move |_| {
        if let Some(Ok(current)) = checked.get() {
            session.set(current);
        }
    });
    view! {
        <section class="org" aria-labelledby="org-heading">
            <Suspense fallback=|| view! { <p role="status">"Checking your session…"</p> }>
                {move || {
                    checked.get().map(|read| match (read, session.get()) {
                        (Err(e), _) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                        (Ok(_), None) => view! { <SignIn session /> }.into_any(),
                        (Ok(_), Some(info)) => view! { <OrgHome info session /> }.into_any(),
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn SignIn(session: RwSignal<Option<SessionInfo>>) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let sign_in = Action::new_local(|request: &SignInRequest| {
        let request = request.clone();
        async move { org_client::sign_in(&request).await }
    });
    Effect::new(move |_| match sign_in.value().get() {
        Some(Ok(info)) => session.set(Some(info)),
        Some(Err(e)) => problem.set(Some(e.to_string())),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Username::new(&username.get_untracked()) {
            Ok(username) => {
                problem.set(None);
                sign_in.dispatch(SignInRequest {
                    username,
                    password: password.get_untracked(),
                });
            }
            Err(e) => problem.set(Some(format!("Username: {e}."))),
        }
    };
    view! {
        <h1 id="org-heading">"Sign in"</h1>
        <p class="muted">"For managers, viewers and admins. Peer workers need no account: their phones log without one."</p>
        <form class="stack-form" on:submit=submit novalidate>
            <label for="sign-in-username">"Username"</label>
            <input id="sign-in-username" autocomplete="username" prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev)) />
            <label for="sign-in-password">"Password"</label>
            <input id="sign-in-password" type="password" autocomplete="current-password" prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
            <Show when=move || problem.with(Option::is_some)>
                <p class="error" role="alert">{move || problem.get().unwrap_or_default()}</p>
            </Show>
            <button type="submit" class="primary" disabled=move || sign_in.pending().get()>"Sign in"</button>
        </form>
    }
}

#[component]
fn OrgHome(info: SessionInfo, session: RwSignal<Option<SessionInfo>>) -> impl IntoView {
    let signed_in = StoredValue::new(info.clone());
    let sign_out = Action::new_local(move |everywhere: &bool| {
        let (info, everywhere) = (signed_in.get_value(), *everywhere);
        async move { org_client::sign_out(&info, everywhere).await }
    });
    Effect::new(move |_| {
        if sign_out.value().get().is_some() {
            session.set(None);
        }
    });
    let role = info.role;
    view! {
        <h1 id="org-heading">{info.org_name.clone()}</h1>
        <p class="muted">{format!("Signed in as {} ({})", info.username, role.label())}</p>
        <button type="button" class="secondary" on:click=move |_| { sign_out.dispatch(false); }>"Sign out"</button>
        " "
        <button type="button" class="secondary" on:click=move |_| { sign_out.dispatch(true); }>"Sign me out everywhere"</button>
        <LiveTrends />
        {role.may(Permission::EnrolPhones).then(|| view! { <Capture /> <Phones info=info.clone() /> })}
        {role.may(Permission::ReviewNotes).then(|| view! { <NotesReview info=info.clone() /> })}
        {role.may(Permission::EditCodebook).then(|| view! { <CodebookEditor info=info.clone() /> })}
        {role.may(Permission::ManagePeople).then(|| view! { <People info=info.clone() /> })}
    }
}
