//! People of the organization: who may sign in, and with which role.

use crate::components::chip_picker::SingleChoice;
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
    let problem = RwSignal::new(None::<String>);
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
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    Effect::new(move |_| match create.value().get() {
        Some(Ok(_)) => {
            username.set(String::new());
            password.set(String::new());
            problem.set(None);
        }
        Some(Err(e)) => problem.set(Some(e.to_string())),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = Username::new(&username.get_untracked())
            .map_err(|e| format!("Username: {e}."))
            .and_then(|username| {
                NewPassword::new(&password.get_untracked())
                    .map_err(|e| format!("First password: {e}."))
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
            <h2 id="people-heading">"People"</h2>
            <Transition fallback=|| view! { <p>"Loading people…"</p> }>
                {move || people.get().map(|read| match read {
                    Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="scroll" role="region" aria-label="Accounts and roles" tabindex="0">
                        <table class="people">
                            <thead><tr>
                                <th scope="col">"Username"</th>
                                <th scope="col">"Role"</th>
                                <th scope="col">"Access"</th>
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
                <h3>"Add a person"</h3>
                <label for="new-username">"Username"</label>
                <input id="new-username" autocomplete="off" prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev)) />
                <SingleChoice
                    legend="org.people.role"
                    name="new-role"
                    options=Role::ALL.into_iter().map(|r| (r, r.label().to_owned())).collect()
                    selected=role
                />
                <label for="new-password">"First password (hand it over in person)"</label>
                <input id="new-password" type="password" autocomplete="new-password" prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                <Show when=move || problem.with(Option::is_some)>
                    <p class="error" role="alert">{move || problem.get().unwrap_or_default()}</p>
                </Show>
                <button type="submit" class="primary" disabled=move || create.pending().get()>"Add person"</button>
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
            Ok((username, issued)) => view! {
                <div class="reset-link" role="status">
                    <p>{format!(
                        "{username} is signed out everywhere. Hand them this link in person or by a private message: it works once, until {}.",
                        issued.expires_at.replace('T', " ").trim_end_matches('Z'),
                    )}</p>
                    <p class="issued-link">{issued.link}</p>
                </div>
            }
            .into_any(),
            Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
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
            <th scope="row">{name.clone()}</th>
            <td>
                <label class="visually-hidden" for=select_id.clone()>{format!("Role of {name}")}</label>
                <select id=select_id on:change=change_role disabled=move || update.pending().get()>
                    {Role::ALL.into_iter().map(|r| view! {
                        <option value=r.as_str() selected=r == role>{r.label()}</option>
                    }).collect_view()}
                </select>
            </td>
            <td class="access">
                <span>{if disabled { "Access taken away" } else { "Can sign in" }}</span>
                <button type="button" class="secondary" on:click=toggle disabled=move || update.pending().get()>
                    {if disabled { "Give access back" } else { "Take access away" }}
                </button>
                {(!disabled).then(|| view! {
                    <button type="button" class="secondary" on:click=new_password disabled=move || reset.pending().get()>
                        "New password link"
                    </button>
                })}
            </td>
        </tr>
    }
}
