//! Phones: enrolment codes with a QR code, and revocation.

use super::changes::use_changes;
use crate::components::phone_week::moment;
use crate::i18n::{fill, org_errors, t};
use crate::org_client::{self, OrgError};
use leptos::prelude::*;
use peerpulse_core::org_api::{DeviceSummary, DeviceUpdate, SessionInfo};
use peerpulse_core::people::Permission;
use peerpulse_core::phone_label::{InvalidPhoneLabel, PhoneLabel};

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
            <h2 id="phones-heading">{t("org.phones.title")}</h2>
            <button type="button" class="primary" disabled=move || issue.pending().get() on:click=move |_| { issue.dispatch(()); }>
                {t("org.phones.new_code")}
            </button>
            // While a new code is on its way the previous one (perhaps used up) is not shown.
            <Show when=move || issue.pending().get()>
                <p role="status">{t("org.phones.issuing")}</p>
            </Show>
            {move || issue.value().get().filter(|_| !issue.pending().get()).map(|result| match result {
                Ok(issued) => {
                    let (url, until) = (issued.enrol_url.clone(), issued.expires_at.clone());
                    view! {
                        <div class="issued" role="status">
                            <p>{t("org.phones.type_or_scan")}</p>
                            <p class="issued-code">{issued.code.to_string()}</p>
                            <div class="qr" role="img" aria-label=move || fill("org.phones.qr", &[("link", &url)]) inner_html=issued.qr_svg.clone()></div>
                            <p class="muted">{move || fill("org.phones.works_until", &[("until", &moment(Some(&until)))])}</p>
                        </div>
                    }.into_any()
                }
                Err(e) => view! { <p role="alert" class="error">{org_errors::call(&e)}</p> }.into_any(),
            })}
            {move || revoke.value().get().and_then(Result::err).map(|e: OrgError| view! { <p role="alert" class="error">{org_errors::call(&e)}</p> })}
            {move || rename.value().get().and_then(Result::err).map(|e: OrgError| view! { <p role="alert" class="error">{org_errors::call(&e)}</p> })}
            <Transition fallback=|| view! { <p>{t("org.phones.loading")}</p> }>
                {move || devices.get().map(|read| match read {
                    Err(e) => view! { <p role="alert" class="error">{move || org_errors::call(&e)}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t("org.phones.none")}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="scroll" role="region" aria-label=t("org.phones.table") tabindex="0">
                        <table>
                            <thead><tr><th scope="col">{t("org.phones.phone")}</th><th scope="col">{t("org.phones.name")}</th><th scope="col">{t("org.phones.last_sync")}</th><th scope="col">{t("org.phones.status")}</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|d| {
                                    let id = d.id.clone();
                                    let name = d.label.as_ref().map_or_else(|| d.id.clone(), ToString::to_string);
                                    let active = d.revoked_at.is_none();
                                    let last_sync = d.last_sync_at.clone();
                                    let asked = {
                                        let id = id.clone();
                                        move || confirming.with(|c| c.as_deref() == Some(id.as_str()))
                                    };
                                    view! {
                                        <tr>
                                            <td class="phone-id">{d.id.clone()}</td>
                                            <td><PhoneName device=d.clone() name=name.clone() rename /></td>
                                            <td class="when">{move || moment(last_sync.as_deref())}</td>
                                            <td class="phone-state">
                                                {if active { t("org.phones.active") } else { t("org.phones.revoked") }}
                                                {(active && may_revoke).then(|| {
                                                    let (ask_id, yes_id) = (id.clone(), id.clone());
                                                    let (asked_now, asked_then) = (asked.clone(), asked);
                                                    let (asking, confirmed) = (name.clone(), name.clone());
                                                    let named = move |key: &'static str, name: String| move || fill(key, &[("name", &name)]);
                                                    view! {
                                                        <Show when=move || !asked_now()>
                                                            <button type="button" class="secondary" aria-label=named("org.phones.revoke_name", asking.clone())
                                                                on:click={
                                                                    let ask_id = ask_id.clone();
                                                                    move |_| confirming.set(Some(ask_id.clone()))
                                                                }>{t("org.phones.revoke")}</button>
                                                        </Show>
                                                        <Show when=asked_then.clone()>
                                                            <div class="confirm" role="group" aria-label=named("org.phones.revoke_question", confirmed.clone())>
                                                                <p>{named("org.phones.revoke_explain", confirmed.clone())}</p>
                                                                <button type="button" class="danger" aria-label=named("org.phones.yes_revoke_name", confirmed.clone())
                                                                    on:click={
                                                                        let yes_id = yes_id.clone();
                                                                        move |_| {
                                                                            confirming.set(None);
                                                                            revoke.dispatch(yes_id.clone());
                                                                        }
                                                                    }>{t("org.phones.yes_revoke")}</button>
                                                                <button type="button" class="secondary" aria-label=named("org.phones.keep_name", confirmed.clone())
                                                                    on:click=move |_| confirming.set(None)>{t("org.phones.keep")}</button>
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
    let problem = RwSignal::new(None::<InvalidPhoneLabel>);
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
                Err(e) => problem.set(Some(e)),
            }
        }
    };
    view! {
        <form class="phone-name" on:submit=save novalidate>
            <label class="visually-hidden" for=input_id.clone()>{
                let name = name.clone();
                move || fill("org.phones.name_for", &[("name", &name)])
            }</label>
            <input id=input_id maxlength="40" autocomplete="off" prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
            <button type="submit" class="secondary" aria-label=move || fill("org.phones.save_name_of", &[("name", &name)]) disabled=move || rename.pending().get()>{t("org.phones.save")}</button>
            <Show when=move || problem.with(Option::is_some)>
                <p class="error" role="alert">{move || problem.with(|p| p.as_ref().map(|e| format!("{}.", org_errors::phone_label(e))))}</p>
            </Show>
        </form>
    }
}
