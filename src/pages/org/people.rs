//! People of the organization: who may sign in, and with which role.

use crate::components::chip_picker::SingleChoice;
use crate::org_client;
use leptos::prelude::*;
use peerpulse_core::org_api::{NewUserRequest, SessionInfo};
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
    let people = LocalResource::new(move || {
        create.version().track();
        org_client::users()
    });
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
        <section aria-labelledby="people-heading">
            <h2 id="people-heading">"People"</h2>
            <Transition fallback=|| view! { <p>"Loading people…"</p> }>
                {move || people.get().map(|read| match read {
                    Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                    Ok(list) => view! {
                        <table>
                            <thead><tr><th scope="col">"Username"</th><th scope="col">"Role"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|u| view! { <tr><td>{u.username.to_string()}</td><td>{u.role.label()}</td></tr> }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </Transition>
            <form class="stack-form" on:submit=submit novalidate>
                <h3>"Add a person"</h3>
                <label for="new-username">"Username"</label>
                <input id="new-username" autocomplete="off" prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev)) />
                <SingleChoice
                    legend="Role"
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
