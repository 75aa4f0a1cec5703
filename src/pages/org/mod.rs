//! The organization's screens (the organization's bundle). This module is the organization
//! page for admins, managers and viewers: sign in, live trends, capture oversight, phones,
//! notes to review, the codebook and people; the trend brief and the welcome page are beside it.

pub mod brief;
pub mod password;
pub mod reports;
pub mod welcome;

mod audit;
mod capture;
mod changes;
mod codebook;
mod dhis2_send;
mod field_alerts;
mod glance;
mod indicators;
mod keeping;
mod live_trends;
mod notes_review;

mod people;
mod phones;

use crate::i18n::org_errors::{self, AccountProblem};
use crate::i18n::{fill, org_labels, t};
use crate::org_client;
use crate::org_session::OrgSession;
use capture::Capture;
use changes::Changes;
use codebook::CodebookEditor;
use glance::AtAGlance;
use leptos::prelude::*;
use live_trends::LiveTrends;
use notes_review::NotesReview;
use peerpulse_core::org_api::{SessionInfo, SignInRequest};
use peerpulse_core::people::{OrgHandle, Permission, Username};
use people::People;
use phones::Phones;

/// Sign-in, or the organization's phones and people once signed in.
#[component]
pub fn OrgPage() -> impl IntoView {
    let session = OrgSession::get();
    // The organization to sign in to: from the address colleagues are given
    // (`/org?org=harbour`), then from the session last open here, so signing out and back
    // in needs only a password.
    let organization = RwSignal::new(org_in_address().unwrap_or_default());
    Effect::new(move |_| {
        if let Some(Ok(Some(info))) = session.read() {
            organization.set(info.org_handle.to_string());
        }
    });
    view! {
        <section class="org" aria-labelledby="org-heading">
            <Suspense fallback=|| view! { <p role="status">{t("org.home.checking")}</p> }>
                {move || {
                    session.read().map(|read| match read {
                        Err(e) => view! { <p role="alert" class="error">{move || org_errors::call(&e)}</p> }.into_any(),
                        Ok(None) => view! { <SignIn session organization /> }.into_any(),
                        Ok(Some(info)) => view! { <OrgHome info session /> }.into_any(),
                    })
                }}
            </Suspense>
        </section>
    }
}

/// The organization handle in the page's address (`?org=harbour`), if any.
fn org_in_address() -> Option<String> {
    let search = window().location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("org="))
        .and_then(|raw| OrgHandle::new(raw).ok())
        .map(String::from)
}

#[component]
fn SignIn(session: OrgSession, organization: RwSignal<String>) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<AccountProblem>);
    let sign_in = Action::new_local(|request: &SignInRequest| {
        let request = request.clone();
        async move { org_client::sign_in(&request).await }
    });
    Effect::new(move |_| match sign_in.value().get() {
        Some(Ok(info)) => session.set(Some(info)),
        Some(Err(e)) => problem.set(Some(AccountProblem::Call(e))),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed = OrgHandle::new(&organization.get_untracked())
            .map_err(AccountProblem::Organization)
            .and_then(|org| {
                Username::new(&username.get_untracked())
                    .map(|name| (org, name))
                    .map_err(AccountProblem::Username)
            });
        match parsed {
            Ok((organization, username)) => {
                problem.set(None);
                sign_in.dispatch(SignInRequest {
                    organization,
                    username,
                    password: password.get_untracked(),
                });
            }
            Err(e) => problem.set(Some(e)),
        }
    };
    view! {
        <h1 id="org-heading">{t("org.sign_in.title")}</h1>
        <p class="muted">{t("org.sign_in.who")}</p>
        <form class="stack-form" on:submit=submit novalidate>
            <label for="sign-in-org">{t("org.sign_in.organization")}</label>
            <p class="muted" id="sign-in-org-hint">{t("org.sign_in.organization_hint")}</p>
            <input id="sign-in-org" aria-describedby="sign-in-org-hint" autocomplete="organization" autocapitalize="none" spellcheck="false" prop:value=move || organization.get() on:input=move |ev| organization.set(event_target_value(&ev)) />
            <label for="sign-in-username">{t("org.sign_in.username")}</label>
            <input id="sign-in-username" autocomplete="username" prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev)) />
            <label for="sign-in-password">{t("org.sign_in.password")}</label>
            <input id="sign-in-password" type="password" autocomplete="current-password" prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
            <Show when=move || problem.with(Option::is_some)>
                <p class="error" role="alert">{move || problem.with(|p| p.as_ref().map(org_errors::account))}</p>
            </Show>
            <button type="submit" class="primary" disabled=move || sign_in.pending().get()>{t("org.sign_in.submit")}</button>
        </form>
    }
}

#[component]
fn OrgHome(info: SessionInfo, session: OrgSession) -> impl IntoView {
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
    // One stream of changes for every section below.
    Changes::listen();
    if role.may(Permission::ReviewNotes) {
        // Rises and approved notes open drafts in "Alerts to workers".
        field_alerts::AlertDesk::provide();
    }
    let (may_oversee, may_review) = (
        role.may(Permission::EnrolPhones),
        role.may(Permission::ReviewNotes),
    );
    let (may_edit, may_manage, may_audit, may_settle) = (
        role.may(Permission::EditCodebook),
        role.may(Permission::ManagePeople),
        role.may(Permission::ReadAuditLog),
        role.may(Permission::ChangeSettings),
    );
    let sections = [
        ("glance", t("org.sections.glance"), true),
        ("trends", t("org.sections.trends"), true),
        ("capture", t("org.sections.capture"), may_oversee),
        ("phones", t("org.sections.phones"), may_oversee),
        ("notes", t("org.sections.notes"), may_review),
        ("field-alerts", t("org.sections.field_alerts"), may_review),
        ("codebook", t("org.sections.codebook"), may_edit),
        ("indicators", t("org.sections.indicators"), may_edit),
        ("people", t("org.sections.people"), may_manage),
        ("audit", t("org.sections.audit"), may_audit),
        ("keeping", t("org.sections.keeping"), may_settle),
    ]
    .into_iter()
    .filter(|(_, _, shown)| *shown)
    .map(|(id, name, _)| view! { <li><a href=format!("#{id}") rel="external">{name}</a></li> })
    .collect_view();
    view! {
        <div class="org-head">
            <div>
                <h1 id="org-heading"><bdi>{info.org_name.clone()}</bdi></h1>
                <p class="muted">{move || fill("org.home.signed_in_as", &[("name", &signed_in.with_value(|i| i.username.clone())), ("role", &org_labels::role(role))])}</p>
            </div>
            <div class="actions">
                <button type="button" class="secondary" on:click=move |_| { sign_out.dispatch(false); }>{t("org.home.sign_out")}</button>
                <button type="button" class="secondary" on:click=move |_| { sign_out.dispatch(true); }>{t("org.home.sign_out_everywhere")}</button>
            </div>
        </div>
        <nav class="section-nav" aria-label=t("org.sections.label")>
            <ul>{sections}</ul>
        </nav>
        <AtAGlance may_oversee may_review />
        <LiveTrends />
        {may_oversee.then(|| view! { <Capture /> <Phones info=info.clone() /> })}
        {may_review.then(|| view! { <NotesReview info=info.clone() /> })}
        {may_review.then(|| view! { <field_alerts::FieldAlerts info=info.clone() /> })}
        {may_edit.then(|| view! { <CodebookEditor info=info.clone() /> })}
        {may_manage.then(|| view! { <People info=info.clone() /> })}
        {may_audit.then(|| view! { <audit::AuditLog /> })}
        {may_settle.then(|| view! { <keeping::Keeping info=info.clone() /> })}
        <p class="muted sign-in-line">
            {t("org.home.colleagues_sign_in_at")}
            " "
            <strong class="sign-in-address">{format!("{}/org?org={}", window().location().origin().unwrap_or_default(), info.org_handle)}</strong>
        </p>
    }
}
