//! People of the organization: who may sign in, and with which role.

use crate::components::chip_picker::SingleChoice;
use crate::i18n::org_errors::{self, AccountProblem};
use crate::i18n::{fill, intl, language, org_labels, t};
use crate::org_client;
use leptos::prelude::*;
use peerpulse_core::org_api::{
    NewUserRequest, ResetLinkIssued, SessionInfo, UserSummary, UserUpdate,
};
use peerpulse_core::people::{NewPassword, Role, Username};

/// The people list, and a form to add one (admins).
#[component]
pub fn People(info: SessionInfo) -> impl IntoView {
    let info = StoredValue::new(info);
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(Some(Role::Viewer));
    let problem = RwSignal::new(None::<AccountProblem>);
    let create = Action::new_local(move |request: &NewUserRequest| {
        let (info, request) = (info.get_value(), request.clone());
        async move { org_client::create_user(&info, &request).await }
    });
    let update = Action::new_local(move |(username, change): &(Username, UserUpdate)| {
        let (info, username, change) = (info.get_value(), username.clone(), change.clone());
        async move { org_client::update_user(&info, &username, &change).await }
    });
    let reset = Action::new_local(move |username: &Username| {
        let (info, username) = (info.get_value(), username.clone());
        async move {
            org_client::issue_reset_link(&info, &username)
                .await
                .map(|issued| (username, issued))
        }
    });
    let people = LocalResource::new(move || {
        create.version().track();
        update.version().track();
        org_client::users()
    });
    let update_problem = move || match update.value().get() {
        Some(Err(e)) => Some(org_errors::call(&e)),
        _ => None,
    };
    Effect::new(move |_| match create.value().get() {
        Some(Ok(_)) => {
            username.set(String::new());
            password.set(String::new());
            problem.set(None);
        }
        Some(Err(e)) => problem.set(Some(AccountProblem::Call(e))),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = Username::new(&username.get_untracked())
            .map_err(AccountProblem::Username)
            .and_then(|username| {
                NewPassword::new(&password.get_untracked())
                    .map_err(AccountProblem::FirstPassword)
                    .map(|password| NewUserRequest {
                        username,
                        role: role.get_untracked().unwrap_or(Role::Viewer),
                        password,
                    })
            });
        match request {
            Ok(request) => {
                problem.set(None);
                create.dispatch(request);
            }
            Err(why) => problem.set(Some(why)),
        }
    };
    view! {
        <section id="people" aria-labelledby="people-heading">
            <h2 id="people-heading">{t("org.people.title")}</h2>
            <Transition fallback=|| view! { <p>{t("org.people.loading")}</p> }>
                {move || people.get().map(|read| match read {
                    Err(e) => view! { <p role="alert" class="error">{move || org_errors::call(&e)}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="scroll" role="region" aria-label=t("org.people.table") tabindex="0">
                        <table class="people">
                            <thead><tr>
                                <th scope="col">{t("org.people.username")}</th>
                                <th scope="col">{t("org.people.role")}</th>
                                <th scope="col">{t("org.people.access")}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|u| view! { <PersonRow person=u update=update reset=reset /> }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                        <Show when=move || update_problem().is_some()>
                            <p class="error" role="alert">{move || update_problem().unwrap_or_default()}</p>
                        </Show>
                        <ResetLinkShown reset />
                    }.into_any(),
                })}
            </Transition>
            <form class="stack-form" on:submit=submit novalidate>
                <h3>{t("org.people.add_title")}</h3>
                <label for="new-username">{t("org.people.username")}</label>
                <input id="new-username" autocomplete="off" prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev)) />
                // Drawn again in a language switch; the choice is kept in `role`.
                {move || view! {
                    <SingleChoice
                        legend="org.people.role"
                        name="new-role"
                        options=Role::ALL.into_iter().map(|r| (r, org_labels::role(r))).collect()
                        selected=role
                    />
                }}
                <label for="new-password">{t("org.people.first_password")}</label>
                <input id="new-password" type="password" autocomplete="new-password" prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                <Show when=move || problem.with(Option::is_some)>
                    <p class="error" role="alert">{move || problem.with(|p| p.as_ref().map(org_errors::account))}</p>
                </Show>
                <button type="submit" class="primary" disabled=move || create.pending().get()>{t("org.people.add")}</button>
            </form>
        </section>
    }
}

/// The change an admin makes to a person.
type PersonChange = Action<(Username, UserUpdate), Result<(), org_client::OrgError>>;
/// A password reset link an admin asks for, for one person.
type ResetLink = Action<Username, Result<(Username, ResetLinkIssued), org_client::OrgError>>;

/// The last reset link made, to hand over, or why none was.
#[component]
fn ResetLinkShown(reset: ResetLink) -> impl IntoView {
    move || {
        reset.value().get().map(|made| match made {
            Ok((username, issued)) => {
                let until = issued.expires_at.clone();
                view! {
                <div class="reset-link" role="status">
                    <p>{move || fill(
                        "org.people.reset_link",
                        &[
                            ("until", &intl::moment(language(), &until)),
                            ("name", &username),
                        ],
                    )}</p>
                    <p class="issued-link">{issued.link}</p>
                </div>
                }
                .into_any()
            }
            Err(e) => view! { <p class="error" role="alert">{org_errors::call(&e)}</p> }.into_any(),
        })
    }
}

/// One person: their role, which an admin can change, and whether they may sign in.
#[component]
fn PersonRow(person: UserSummary, update: PersonChange, reset: ResetLink) -> impl IntoView {
    let UserSummary {
        username,
        role,
        disabled,
        ..
    } = person;
    let name = username.to_string();
    let select_id = format!("role-of-{name}");
    let for_role = username.clone();
    let change_role = move |ev: leptos::ev::Event| {
        if let Some(role) = Role::ALL
            .into_iter()
            .find(|r| r.as_str() == event_target_value(&ev))
        {
            update.dispatch((
                for_role.clone(),
                UserUpdate {
                    role: Some(role),
                    ..UserUpdate::default()
                },
            ));
        }
    };
    let for_reset = username.clone();
    let new_password = move |_| {
        reset.dispatch(for_reset.clone());
    };
    let toggle = move |_| {
        update.dispatch((
            username.clone(),
            UserUpdate {
                disabled: Some(!disabled),
                ..UserUpdate::default()
            },
        ));
    };
    view! {
        <tr>
            <th scope="row"><bdi>{name.clone()}</bdi></th>
            <td>
                <label class="visually-hidden" for=select_id.clone()>{
                    let name = name.clone();
                    move || fill("org.people.role_of", &[("name", &name)])
                }</label>
                <select id=select_id on:change=change_role disabled=move || update.pending().get()>
                    {Role::ALL.into_iter().map(|r| view! {
                        <option value=r.as_str() selected=r == role>{move || org_labels::role(r)}</option>
                    }).collect_view()}
                </select>
            </td>
            <td class="access">
                <span>{if disabled { t("org.people.access_taken_away") } else { t("org.people.can_sign_in") }}</span>
                <button type="button" class="secondary" on:click=toggle disabled=move || update.pending().get()>
                    {if disabled { t("org.people.give_access_back") } else { t("org.people.take_access_away") }}
                </button>
                {(!disabled).then(|| view! {
                    <button type="button" class="secondary" on:click=new_password disabled=move || reset.pending().get()>
                        {t("org.people.new_password_link")}
                    </button>
                })}
            </td>
        </tr>
    }
}
