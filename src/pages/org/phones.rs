//! Phones: enrolment codes with a QR code, and revocation.

use super::changes::use_changes;
use crate::components::phone_week::moment;
use crate::org_client::{self, OrgError};
use leptos::prelude::*;
use peerpulse_core::org_api::{DeviceSummary, DeviceUpdate, SessionInfo};
use peerpulse_core::people::Permission;
use peerpulse_core::phone_label::PhoneLabel;

/// Enrolled phones, a new enrolment code, and revocation for admins.
#[component]
pub fn Phones(info: SessionInfo) -> impl IntoView {
    let info = StoredValue::new(info);
    let may_revoke = info.with_value(|i| i.role.may(Permission::RevokePhones));
    let issue = Action::new_local(move |_: &()| {
        let info = info.get_value();
        async move { org_client::issue_code(&info).await }
    });
    let changes = use_changes();
    // A phone renamed or revoked here changes "Captured per phone" and the summary too.
    let revoke = Action::new_local(move |id: &String| {
        let (info, id) = (info.get_value(), id.clone());
        async move {
            let done = org_client::revoke(&info, &id).await;
            if done.is_ok() {
                changes.raise();
            }
            done
        }
    });
    let rename = Action::new_local(move |(id, update): &(String, DeviceUpdate)| {
        let (info, id, update) = (info.get_value(), id.clone(), update.clone());
        async move {
            let done = org_client::name_device(&info, &id, &update).await;
            if done.is_ok() {
                changes.raise();
            }
            done
        }
    });
    // The phone whose revocation waits for a second click, in the page (never the browser's
    // own dialog, which screen readers and kiosks handle badly).
    let confirming = RwSignal::new(None::<String>);
    let devices = LocalResource::new(move || {
        changes.track();
        issue.version().track();
        org_client::devices()
    });
    view! {
        <section id="phones" aria-labelledby="phones-heading">
            <h2 id="phones-heading">"Phones"</h2>
            <button type="button" class="primary" disabled=move || issue.pending().get() on:click=move |_| { issue.dispatch(()); }>
                "New enrolment code"
            </button>
            // While a new code is on its way the previous one (perhaps used up) is not shown.
            <Show when=move || issue.pending().get()>
                <p role="status">"Issuing a new code…"</p>
            </Show>
            {move || issue.value().get().filter(|_| !issue.pending().get()).map(|result| match result {
                Ok(issued) => view! {
                    <div class="issued" role="status">
                        <p>"Type this code on the phone, or scan the QR code with its camera:"</p>
                        <p class="issued-code">{issued.code.to_string()}</p>
                        <div class="qr" role="img" aria-label=format!("QR code for {}", issued.enrol_url) inner_html=issued.qr_svg.clone()></div>
                        <p class="muted">{format!("Works once, until {}.", moment(Some(&issued.expires_at)))}</p>
                    </div>
                }.into_any(),
                Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
            })}
            {move || revoke.value().get().and_then(Result::err).map(|e: OrgError| view! { <p role="alert" class="error">{e.to_string()}</p> })}
            {move || rename.value().get().and_then(Result::err).map(|e: OrgError| view! { <p role="alert" class="error">{e.to_string()}</p> })}
            <Transition fallback=|| view! { <p>"Loading phones…"</p> }>
                {move || devices.get().map(|read| match read {
                    Err(e) => view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="muted">"No phone has enrolled yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="scroll" role="region" aria-label="Enrolled devices" tabindex="0">
                        <table>
                            <thead><tr><th scope="col">"Phone"</th><th scope="col">"Name (an alias or a team, never a legal name)"</th><th scope="col">"Last sync"</th><th scope="col">"Status"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|d| {
                                    let id = d.id.clone();
                                    let name = d.label.as_ref().map_or_else(|| d.id.clone(), ToString::to_string);
                                    let active = d.revoked_at.is_none();
                                    let asked = {
                                        let id = id.clone();
                                        move || confirming.with(|c| c.as_deref() == Some(id.as_str()))
                                    };
                                    view! {
                                        <tr>
                                            <td class="phone-id">{d.id.clone()}</td>
                                            <td><PhoneName device=d.clone() name=name.clone() rename /></td>
                                            <td class="when">{moment(d.last_sync_at.as_deref())}</td>
                                            <td class="phone-state">
                                                {if active { "Active" } else { "Revoked" }}
                                                {(active && may_revoke).then(|| {
                                                    let (ask_id, yes_id) = (id.clone(), id.clone());
                                                    let (asked_now, asked_then) = (asked.clone(), asked);
                                                    let (asking, confirmed) = (name.clone(), name.clone());
                                                    view! {
                                                        <Show when=move || !asked_now()>
                                                            <button type="button" class="secondary" aria-label=format!("Revoke {asking}")
                                                                on:click={
                                                                    let ask_id = ask_id.clone();
                                                                    move |_| confirming.set(Some(ask_id.clone()))
                                                                }>"Revoke"</button>
                                                        </Show>
                                                        <Show when=asked_then.clone()>
                                                            <div class="confirm" role="group" aria-label=format!("Revoke {confirmed}?")>
                                                                <p>{format!("Revoke {confirmed}? It can no longer sync; its past counts stay.")}</p>
                                                                <button type="button" class="danger" aria-label=format!("Yes, revoke {confirmed}")
                                                                    on:click={
                                                                        let yes_id = yes_id.clone();
                                                                        move |_| {
                                                                            confirming.set(None);
                                                                            revoke.dispatch(yes_id.clone());
                                                                        }
                                                                    }>"Yes, revoke"</button>
                                                                <button type="button" class="secondary" aria-label=format!("Keep {confirmed}")
                                                                    on:click=move |_| confirming.set(None)>"Keep it"</button>
                                                            </div>
                                                        </Show>
                                                    }
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// Naming a phone.
type Rename = Action<(String, DeviceUpdate), Result<DeviceSummary, OrgError>>;

/// A phone's name, which a manager can change: an alias or a team, never a legal name.
#[component]
fn PhoneName(device: DeviceSummary, name: String, rename: Rename) -> impl IntoView {
    let typed = RwSignal::new(
        device
            .label
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    );
    let problem = RwSignal::new(None::<String>);
    let id = device.id;
    let input_id = format!("name-of-{id}");
    let save = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let text = typed.get_untracked();
            let label = if text.trim().is_empty() {
                Ok(None)
            } else {
                PhoneLabel::new(&text).map(Some)
            };
            match label {
                Ok(label) => {
                    problem.set(None);
                    rename.dispatch((id.clone(), DeviceUpdate { label }));
                }
                Err(e) => problem.set(Some(format!("{e}."))),
            }
        }
    };
    view! {
        <form class="phone-name" on:submit=save novalidate>
            <label class="visually-hidden" for=input_id.clone()>{format!("Name for {name}")}</label>
            <input id=input_id maxlength="40" autocomplete="off" prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
            <button type="submit" class="secondary" aria-label=format!("Save the name of {name}") disabled=move || rename.pending().get()>"Save"</button>
            <Show when=move || problem.with(Option::is_some)>
                <p class="error" role="alert">{move || problem.get().unwrap_or_default()}</p>
            </Show>
        </form>
    }
}
