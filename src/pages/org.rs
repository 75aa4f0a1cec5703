//! The organization page for admins and managers: sign in, phones (enrolment codes with a QR
//! code, revocation) and people.

use crate::app::use_app;
use crate::components::chip_picker::SingleChoice;
use crate::org_client::{self, OrgError};
use crate::pages::trends::{DAYS, Rising, TrendTables};
use leptos::prelude::*;
use peerpulse_core::codebook::{CodeList, Codebook, CodebookEdit};
use peerpulse_core::org_api::{CodebookEditRequest, NewUserRequest, SessionInfo, SignInRequest};
use peerpulse_core::people::{NewPassword, Permission, Role, Username};
use peerpulse_core::protocol::EVENTS_PATH;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

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
    let sign_out = Action::new_local(move |_: &()| {
        let info = signed_in.get_value();
        async move { org_client::sign_out(&info).await }
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
        <button type="button" class="secondary" on:click=move |_| { sign_out.dispatch(()); }>"Sign out"</button>
        <LiveTrends />
        {role.may(Permission::EnrolPhones).then(|| view! { <Capture /> <Phones info=info.clone() /> })}
        {role.may(Permission::EditCodebook).then(|| view! { <CodebookEditor info=info.clone() /> })}
        {role.may(Permission::ManagePeople).then(|| view! { <People info=info.clone() /> })}
    }
}

/// The organization's trends, reloaded whenever a phone's sync lands (server-sent events).
#[component]
fn LiveTrends() -> impl IntoView {
    let app = use_app();
    let landed = RwSignal::new(0u32);
    if let Ok(source) = web_sys::EventSource::new(EVENTS_PATH) {
        let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            landed.update(|n| *n = n.wrapping_add(1));
        });
        if source
            .add_event_listener_with_callback("changed", on_change.as_ref().unchecked_ref())
            .is_ok()
        {
            let kept = StoredValue::new_local((source, on_change));
            on_cleanup(move || kept.with_value(|(source, _)| source.close()));
        }
    }
    let data = LocalResource::new(move || {
        landed.track();
        async move {
            let trends = org_client::trends(DAYS).await?;
            let alerts = org_client::alerts().await?;
            Ok::<_, OrgError>((trends, alerts))
        }
    });
    view! {
        <section aria-labelledby="live-heading">
            <h2 id="live-heading">"Trends, live"</h2>
            <Transition fallback=|| view! { <p>"Loading trends…"</p> }>
                {move || {
                    let codebook = app.codebook();
                    data.get().map(|read| match read {
                        Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                        Ok((trends, alerts)) => view! {
                            <Rising alerts codebook=codebook.clone() />
                            <TrendTables trends codebook />
                        }
                            .into_any(),
                    })
                }}
            </Transition>
        </section>
    }
}

/// Days of the capture grid shown.
const CAPTURE_DAYS: usize = 14;

/// Encounters each phone captured per day: a table whose cells shade like a calendar heat map.
#[component]
fn Capture() -> impl IntoView {
    let grid = LocalResource::new(org_client::oversight);
    view! {
        <section aria-labelledby="capture-heading">
            <h2 id="capture-heading">"Captured per phone"</h2>
            <Transition fallback=|| view! { <p>"Loading captures…"</p> }>
                {move || grid.get().map(|read| match read {
                    Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                    Ok(grid) if grid.devices.is_empty() => view! { <p class="muted">"No phone has enrolled yet."</p> }.into_any(),
                    Ok(grid) => {
                        let skip = grid.days.len().saturating_sub(CAPTURE_DAYS);
                        let header = grid.days.iter().skip(skip).map(|d| view! {
                            <th scope="col" abbr=d.format("%A %d %B").to_string()>{d.format("%d").to_string()}</th>
                        }).collect_view();
                        let rows = grid.devices.into_iter().map(|device| {
                            let cells = device.daily.iter().skip(skip).map(|&n| {
                                let level = match n { 0 => 0, 1..=2 => 1, 3..=5 => 2, 6..=9 => 3, _ => 4 };
                                view! { <td class=format!("heat heat-{level}")>{n}</td> }
                            }).collect_view();
                            let status = if device.quiet {
                                format!("Quiet: last sync {}", device.last_sync_at.clone().unwrap_or_else(|| "never".into()))
                            } else {
                                format!("Last sync {}", device.last_sync_at.clone().unwrap_or_default())
                            };
                            view! {
                                <tr class:quiet=device.quiet>
                                    <th scope="row">{device.device_id.clone()}<br /><span class="muted">{status}</span></th>
                                    {cells}
                                    <td class="count">{device.last_week}</td>
                                </tr>
                            }
                        }).collect_view();
                        view! {
                            <div class="scroll" role="region" aria-label="Encounters per phone and day" tabindex="0">
                                <table class="capture">
                                    <caption class="muted">"Encounters logged per day, last 14 days; totals only, nothing about any contact."</caption>
                                    <thead><tr><th scope="col">"Phone"</th>{header}<th scope="col">"7 days"</th></tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Phones(info: SessionInfo) -> impl IntoView {
    let info = StoredValue::new(info);
    let may_revoke = info.with_value(|i| i.role.may(Permission::RevokePhones));
    let issue = Action::new_local(move |_: &()| {
        let info = info.get_value();
        async move { org_client::issue_code(&info).await }
    });
    let revoke = Action::new_local(move |id: &String| {
        let (info, id) = (info.get_value(), id.clone());
        async move { org_client::revoke(&info, &id).await }
    });
    let devices = LocalResource::new(move || {
        revoke.version().track();
        issue.version().track();
        org_client::devices()
    });
    view! {
        <section aria-labelledby="phones-heading">
            <h2 id="phones-heading">"Phones"</h2>
            <button type="button" class="primary" disabled=move || issue.pending().get() on:click=move |_| { issue.dispatch(()); }>
                "New enrolment code"
            </button>
            {move || issue.value().get().map(|result| match result {
                Ok(issued) => view! {
                    <div class="issued" role="status">
                        <p>"Type this code on the phone, or scan the QR code with its camera:"</p>
                        <p class="issued-code">{issued.code.to_string()}</p>
                        <div class="qr" role="img" aria-label=format!("QR code for {}", issued.enrol_url) inner_html=issued.qr_svg.clone()></div>
                        <p class="muted">{format!("Works once, until {}.", issued.expires_at)}</p>
                    </div>
                }.into_any(),
                Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
            })}
            {move || revoke.value().get().and_then(Result::err).map(|e: OrgError| view! { <p role="alert" class="error">{e.to_string()}</p> })}
            <Transition fallback=|| view! { <p>"Loading phones…"</p> }>
                {move || devices.get().map(|read| match read {
                    Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="muted">"No phone has enrolled yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <table>
                            <thead><tr><th scope="col">"Phone"</th><th scope="col">"Last sync"</th><th scope="col">"Status"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|d| {
                                    let id = d.id.clone();
                                    let active = d.revoked_at.is_none();
                                    view! {
                                        <tr>
                                            <td>{d.id.clone()}</td>
                                            <td>{d.last_sync_at.clone().unwrap_or_else(|| "never".into())}</td>
                                            <td>
                                                {if active { "Active".to_owned() } else { "Revoked".to_owned() }}
                                                {(active && may_revoke).then(|| view! {
                                                    <button type="button" class="secondary" aria-label=format!("Revoke {id}")
                                                        on:click=move |_| {
                                                            let sure = web_sys::window().and_then(|w| w.confirm_with_message("Revoke this phone? It can no longer sync; its past counts stay.").ok()).unwrap_or(false);
                                                            if sure { revoke.dispatch(id.clone()); }
                                                        }>"Revoke"</button>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

fn list_heading(list: CodeList) -> &'static str {
    match list {
        CodeList::Site => "Sites",
        CodeList::Topic => "Topics",
        CodeList::Insight => "Insights",
        CodeList::Need => "Needs",
        CodeList::Supply => "Supplies",
        CodeList::Referral => "Referrals",
    }
}

/// The co-produced codebook: add, rename, retire and restore codes; each change is the next
/// version, which phones get on their next sync.
#[component]
fn CodebookEditor(info: SessionInfo) -> impl IntoView {
    let info = StoredValue::new(info);
    let book = RwSignal::new(None::<Codebook>);
    let list = RwSignal::new(Some(CodeList::Need));
    let new_label = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Result<String, String>>);
    let loaded = LocalResource::new(org_client::codebook);
    Effect::new(move |_| match loaded.get() {
        Some(Ok(current)) => book.set(Some(current)),
        Some(Err(e)) => message.set(Some(Err(e.to_string()))),
        None => {}
    });
    let edit = Action::new_local(move |change: &CodebookEdit| {
        let (info, change) = (info.get_value(), change.clone());
        let base_version = book.with_untracked(|b| b.as_ref().map_or(0, |b| b.version));
        async move {
            org_client::edit_codebook(
                &info,
                &CodebookEditRequest {
                    base_version,
                    edit: change,
                },
            )
            .await
        }
    });
    Effect::new(move |_| match edit.value().get() {
        Some(Ok(stored)) => {
            message.set(Some(Ok(format!(
                "Saved as version {}: phones get it on their next sync.",
                stored.version
            ))));
            new_label.set(String::new());
            book.set(Some(stored));
        }
        Some(Err(e)) => message.set(Some(Err(e.to_string()))),
        None => {}
    });
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(list) = list.get_untracked() {
            edit.dispatch(CodebookEdit::Add {
                list,
                label: new_label.get_untracked(),
            });
        }
    };
    view! {
        <section aria-labelledby="codebook-heading">
            <h2 id="codebook-heading">"Codebook"</h2>
            <SingleChoice
                legend="List"
                name="codebook-list"
                options=CodeList::ALL.into_iter().map(|l| (l, list_heading(l).to_owned())).collect()
                selected=list
            />
            {move || message.get().map(|m| match m {
                Ok(done) => view! { <p class="status saved" role="status">{done}</p> }.into_any(),
                Err(why) => view! { <p class="error" role="alert">{why}</p> }.into_any(),
            })}
            {move || {
                let (Some(current), Some(chosen)) = (book.get(), list.get()) else {
                    return view! { <p>"Loading the codebook…"</p> }.into_any();
                };
                let rows = current.entries(chosen).iter().map(|entry| {
                    let label = RwSignal::new(entry.label.clone());
                    let (code, retired) = (entry.code.clone(), entry.retired);
                    let (rename_code, toggle_code) = (code.clone(), code.clone());
                    let name = entry.label.clone();
                    view! {
                        <tr class:retired=retired>
                            <td>
                                <label class="visually-hidden" for=format!("label-{code}")>{format!("Label of {code}")}</label>
                                <input id=format!("label-{code}") prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev)) />
                                <span class="muted">{format!("{code}{}", if retired { " (retired)" } else { "" })}</span>
                            </td>
                            <td>
                                <button type="button" class="secondary" aria-label=format!("Rename {name}")
                                    on:click=move |_| { edit.dispatch(CodebookEdit::Rename { list: chosen, code: rename_code.clone(), label: label.get_untracked() }); }>
                                    "Rename"
                                </button>
                                <button type="button" class="secondary" aria-label=format!("{} {name}", if retired { "Restore" } else { "Retire" })
                                    on:click=move |_| {
                                        let code = toggle_code.clone();
                                        edit.dispatch(if retired { CodebookEdit::Restore { list: chosen, code } } else { CodebookEdit::Retire { list: chosen, code } });
                                    }>
                                    {if retired { "Restore" } else { "Retire" }}
                                </button>
                            </td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <p class="muted">{format!("Version {}. Codes are never deleted: retired ones stop being offered, and past counts keep their meaning.", current.version)}</p>
                    <table class="codebook"><tbody>{rows}</tbody></table>
                }.into_any()
            }}
            <form class="stack-form" on:submit=add novalidate>
                <label for="new-code-label">"New entry in this list"</label>
                <input id="new-code-label" autocomplete="off" prop:value=move || new_label.get() on:input=move |ev| new_label.set(event_target_value(&ev)) />
                <button type="submit" class="primary" disabled=move || edit.pending().get()>"Add"</button>
            </form>
        </section>
    }
}

#[component]
fn People(info: SessionInfo) -> impl IntoView {
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
