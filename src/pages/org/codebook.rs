//! The co-produced codebook editor.

use crate::components::chip_picker::SingleChoice;
use crate::org_client;
use leptos::prelude::*;
use peerpulse_core::codebook::{CodeList, Codebook, CodebookEdit};
use peerpulse_core::org_api::{CodebookEditRequest, SessionInfo};

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
pub fn CodebookEditor(info: SessionInfo) -> impl IntoView {
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
