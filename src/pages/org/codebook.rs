//! The co-produced codebook editor.

use crate::clock;
use crate::components::chip_picker::SingleChoice;
use crate::components::period_picker::Recent;
use crate::i18n::{count, fill, intl, language, org_errors, org_labels, t, text};
use crate::org_client::{self, OrgError};
use leptos::prelude::*;
use peerpulse_core::bucket::{Dimension, Measure};
use peerpulse_core::codebook::{Code, CodeList, Codebook, CodebookEdit};
use peerpulse_core::language::{LanguageTag, LanguageTagError};
use peerpulse_core::org_api::{CodebookEditRequest, SessionInfo};
use peerpulse_core::privacy::free_tag;
use peerpulse_core::protocol::TrendsQuery;
use std::collections::BTreeMap;

/// A codebook change on its way to the service.
type EditAction = Action<CodebookEdit, Result<Codebook, OrgError>>;

/// Why an edit from a field did not happen: kept typed, so its words follow a language
/// switch.
#[derive(Clone, Debug, PartialEq)]
enum Refusal {
    /// The language typed is no language tag.
    Language(LanguageTagError),
    /// The service did not take the edit.
    Service(OrgError),
}

impl Refusal {
    /// In the language shown.
    fn say(&self) -> String {
        match self {
            Self::Language(e) => org_errors::language_tag(e),
            Self::Service(e) => org_errors::call(e),
        }
    }
}

/// Where a refused edit's reason shows: beside the field it came from, or at the top.
#[derive(Clone, PartialEq)]
enum ErrorAt {
    /// The field with this id.
    Field(String),
    /// The top of the editor.
    Top,
}

/// The co-produced codebook: add, rename, retire, restore and merge codes, translate their
/// labels and choose the codebook's language, promote free tags into needs; each change is
/// the next version, which phones get on their next sync.
#[component]
pub fn CodebookEditor(info: SessionInfo) -> impl IntoView {
    let info = StoredValue::new(info);
    let book = RwSignal::new(None::<Codebook>);
    let list = RwSignal::new(Some(CodeList::Need));
    let new_label = RwSignal::new(String::new());
    // The version just saved, or why the codebook could not be read or changed.
    let message = RwSignal::new(None::<Result<u32, OrgError>>);
    // The field the edit on its way came from, and a refusal shown beside it.
    let editing = RwSignal::new(ErrorAt::Top);
    let field_error = RwSignal::new(None::<(String, Refusal)>);
    let translating = RwSignal::new("es".to_owned());
    let default_language = RwSignal::new(String::new());
    let loaded = LocalResource::new(org_client::codebook);
    Effect::new(move |_| match loaded.get() {
        Some(Ok(current)) => {
            default_language.set(current.language.to_string());
            book.set(Some(current));
        }
        Some(Err(e)) => message.set(Some(Err(e))),
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
            message.set(Some(Ok(stored.version)));
            new_label.set(String::new());
            field_error.set(None);
            default_language.set(stored.language.to_string());
            book.set(Some(stored));
        }
        Some(Err(e)) => match editing.get_untracked() {
            ErrorAt::Field(id) => {
                message.set(None);
                field_error.set(Some((id, Refusal::Service(e))));
            }
            ErrorAt::Top => message.set(Some(Err(e))),
        },
        None => {}
    });
    // An edit from a field: its refusal shows beside it, or the field's own check fails first.
    let dispatch_from = move |id: String, change: Result<CodebookEdit, Refusal>| match change {
        Ok(change) => {
            editing.set(ErrorAt::Field(id));
            edit.dispatch(change);
        }
        Err(why) => field_error.set(Some((id, why))),
    };
    let language_is_bad = move || LanguageTag::new(&translating.get()).is_err();
    let set_default = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let change = LanguageTag::new(&default_language.get_untracked())
            .map(|language| CodebookEdit::SetLanguage { language })
            .map_err(Refusal::Language);
        dispatch_from("codebook-language".to_owned(), change);
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        editing.set(ErrorAt::Top);
        if let Some(list) = list.get_untracked() {
            edit.dispatch(CodebookEdit::Add {
                list,
                label: new_label.get_untracked(),
            });
        }
    };
    view! {
        <section id="codebook" aria-labelledby="codebook-heading">
            <h2 id="codebook-heading">{t("org.codebook.title")}</h2>
            // Drawn again in a language switch; the choice is kept in `list`.
            {move || view! {
                <SingleChoice
                    legend="org.codebook.list"
                    name="codebook-list"
                    options=CodeList::ALL.into_iter().map(|l| (l, org_labels::code_list(l))).collect()
                    selected=list
                />
            }}
            <form class="stack-form" on:submit=set_default novalidate>
                <label for="codebook-language">{t("org.codebook.default_language")}</label>
                <input id="codebook-language" autocomplete="off" aria-describedby="codebook-language-error"
                    prop:value=move || default_language.get() on:input=move |ev| default_language.set(event_target_value(&ev)) />
                <button type="submit" class="secondary" disabled=move || edit.pending().get()>{t("org.codebook.set_default_language")}</button>
                <FieldError id="codebook-language".to_owned() errors=field_error />
            </form>
            <div class="stack-form">
                <label for="translation-language">{t("org.codebook.translate_into")}</label>
                <input id="translation-language" autocomplete="off" aria-describedby="translation-language-error"
                    prop:value=move || translating.get() on:input=move |ev| translating.set(event_target_value(&ev)) />
                {move || LanguageTag::new(&translating.get()).err().map(|e| view! {
                    <p class="error" id="translation-language-error" role="alert">{org_errors::language_tag(&e)}</p>
                })}
            </div>
            {move || message.get().map(|m| match m {
                Ok(version) => view! { <p class="status saved" role="status">{fill("org.codebook.saved", &[("version", &version)])}</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{org_errors::call(&e)}</p> }.into_any(),
            })}
            {move || {
                let (Some(current), Some(chosen)) = (book.get(), list.get()) else {
                    return view! { <p>{t("org.codebook.loading")}</p> }.into_any();
                };
                let language = LanguageTag::new(&translating.get()).ok();
                let rows = current.entries(chosen).iter().map(|entry| {
                    let label = RwSignal::new(entry.label.clone());
                    let translation = RwSignal::new(
                        language.as_ref().and_then(|l| entry.translations.get(l)).cloned().unwrap_or_default(),
                    );
                    let had_translation = language.as_ref().is_some_and(|l| entry.translations.contains_key(l));
                    let translate_code = entry.code.clone();
                    let translation_id = format!("translation-{}", entry.code);
                    let shown_language = language.clone();
                    let save_translation = {
                        let id = translation_id.clone();
                        move |_| {
                            let Some(language) = shown_language.clone() else {
                                return;
                            };
                            let (code, text) = (translate_code.clone(), translation.get_untracked());
                            let change = if text.trim().is_empty() && had_translation {
                                CodebookEdit::Untranslate { list: chosen, code, language }
                            } else {
                                CodebookEdit::Translate { list: chosen, code, language, label: text }
                            };
                            dispatch_from(id.clone(), Ok(change));
                        }
                    };
                    let (code, retired) = (entry.code.clone(), entry.retired);
                    let (rename_code, toggle_code) = (code.clone(), code.clone());
                    let name = entry.label.clone();
                    let merged_into = entry.merged_into.as_ref().map(|into| current.label(chosen, into).to_string());
                    let state = {
                        let code = code.clone();
                        move || match &merged_into {
                            Some(into) => fill("org.codebook.merged_into", &[("code", &code), ("label", into)]),
                            None if retired => fill("org.codebook.retired", &[("code", &code)]),
                            None => code.to_string(),
                        }
                    };
                    let language_now = translating.get_untracked();
                    let named = move |key: &'static str, name: String, language: String| {
                        // What a person typed goes in last, so a "{{…}}" in it stays as typed.
                        move || fill(key, &[("language", &language), ("name", &name)])
                    };
                    view! {
                        <tr class:retired=retired>
                            <td>
                                <label class="visually-hidden" for=format!("label-{code}")>{named("org.codebook.label_of", code.to_string(), language_now.clone())}</label>
                                <input id=format!("label-{code}") dir="auto" prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev)) />
                                <span class="muted">{state}</span>
                            </td>
                            <td>
                                <label class="visually-hidden" for=translation_id.clone()>{named("org.codebook.translation_of", name.clone(), language_now.clone())}</label>
                                <input id=translation_id.clone() lang=translating.get_untracked() dir="auto"
                                    aria-describedby=format!("{translation_id}-error")
                                    prop:value=move || translation.get() on:input=move |ev| translation.set(event_target_value(&ev)) />
                                <button type="button" class="secondary" aria-label=named("org.codebook.save_translation_of", name.clone(), language_now.clone())
                                    disabled=move || edit.pending().get() || language_is_bad()
                                    on:click=save_translation>
                                    {t("org.codebook.save_translation")}
                                </button>
                                <FieldError id=translation_id.clone() errors=field_error />
                            </td>
                            <td>
                                <button type="button" class="secondary" aria-label=named("org.codebook.rename_name", name.clone(), String::new())
                                    on:click=move |_| { edit.dispatch(CodebookEdit::Rename { list: chosen, code: rename_code.clone(), label: label.get_untracked() }); }>
                                    {t("org.codebook.rename")}
                                </button>
                                <button type="button" class="secondary" aria-label=named(if retired { "org.codebook.restore_name" } else { "org.codebook.retire_name" }, name.clone(), String::new())
                                    on:click=move |_| {
                                        let code = toggle_code.clone();
                                        edit.dispatch(if retired { CodebookEdit::Restore { list: chosen, code } } else { CodebookEdit::Retire { list: chosen, code } });
                                    }>
                                    {if retired { t("org.codebook.restore") } else { t("org.codebook.retire") }}
                                </button>
                            </td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <p class="muted">{
                        let version = current.version;
                        move || fill("org.codebook.version", &[("version", &version)])
                    }</p>
                    <table class="codebook">
                        <thead><tr>
                            <th scope="col">{
                                let language = current.language.to_string();
                                move || fill("org.codebook.label_column", &[("language", &language)])
                            }</th>
                            <th scope="col">{
                                let language = translating.get_untracked();
                                move || fill("org.codebook.translation_column", &[("language", &language)])
                            }</th>
                            <th scope="col"><span class="visually-hidden">{t("org.codebook.changes")}</span></th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <MergeForm book=current list=chosen edit />
                }.into_any()
            }}
            <form class="stack-form" on:submit=add novalidate>
                <label for="new-code-label">{t("org.codebook.new_entry")}</label>
                <input id="new-code-label" autocomplete="off" prop:value=move || new_label.get() on:input=move |ev| new_label.set(event_target_value(&ev)) />
                <button type="submit" class="primary" disabled=move || edit.pending().get()>{t("org.codebook.add")}</button>
            </form>
            <FreeTagsInUse book edit />
        </section>
        <super::indicators::Indicators info=info.get_value() codebook=book />
    }
}

/// A refused edit's reason, beside the field `id` it came from.
#[component]
fn FieldError(id: String, errors: RwSignal<Option<(String, Refusal)>>) -> impl IntoView {
    let error_id = format!("{id}-error");
    move || {
        errors.get().filter(|(at, _)| *at == id).map(
            |(_, why)| view! { <p class="error" id=error_id.clone() role="alert">{why.say()}</p> },
        )
    }
}

/// Two entries of one list that mean the same: the first is retired and its past counts count
/// as the second's.
#[component]
fn MergeForm(book: Codebook, list: CodeList, edit: EditAction) -> impl IntoView {
    let entries = book.entries(list);
    let mergeable: Vec<(Code, String)> = entries
        .iter()
        .filter(|e| e.merged_into.is_none())
        .map(|e| (e.code.clone(), e.label.clone()))
        .collect();
    let targets: Vec<(Code, String)> = entries
        .iter()
        .filter(|e| !e.retired)
        .map(|e| (e.code.clone(), e.label.clone()))
        .collect();
    if mergeable.len() < 2 {
        return None;
    }
    let from = RwSignal::new(Some(mergeable[0].0.clone()));
    let into = RwSignal::new(
        targets
            .iter()
            .find(|(c, _)| *c != mergeable[0].0)
            .map(|(c, _)| c.clone()),
    );
    let options = |choices: Vec<(Code, String)>, chosen: RwSignal<Option<Code>>| {
        choices
            .into_iter()
            .map(|(code, label)| {
                let value = code.to_string();
                view! { <option value=value selected=move || chosen.get().as_ref() == Some(&code)>{label}</option> }
            })
            .collect_view()
    };
    let merge = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let (Some(code), Some(into)) = (from.get_untracked(), into.get_untracked()) {
            edit.dispatch(CodebookEdit::Merge { list, code, into });
        }
    };
    let choose = move |chosen: RwSignal<Option<Code>>| {
        move |ev: leptos::ev::Event| chosen.set(Code::new(&event_target_value(&ev)).ok())
    };
    Some(view! {
        <form class="stack-form" on:submit=merge novalidate>
            <h3>{t("org.codebook.merge_title")}</h3>
            <p class="muted">{t("org.codebook.merge_explain")}</p>
            <label for="merge-from">{t("org.codebook.merge_from")}</label>
            <select id="merge-from" on:change=choose(from)>
                {options(mergeable, from)}
            </select>
            <label for="merge-into">{t("org.codebook.merge_into")}</label>
            <select id="merge-into" on:change=choose(into)>
                {options(targets, into)}
            </select>
            <button type="submit" class="primary" disabled=move || edit.pending().get()>{t("org.codebook.merge")}</button>
        </form>
    })
}

/// How a free tag's count over a quarter reads: "12" or "fewer than 5".
fn quarter_count(counted: Option<u32>, threshold: u32) -> String {
    counted.map_or_else(
        || count("week.fewer_than", u64::from(threshold), &[]),
        |n| intl::number(language(), f64::from(n)),
    )
}

/// Free tags workers typed this quarter or last, as the service publishes them (in enough
/// encounters, and by at least two phones), each one tap away from being a need in the
/// codebook.
#[component]
fn FreeTagsInUse(book: RwSignal<Option<Codebook>>, edit: EditAction) -> impl IntoView {
    let version = move || book.with(|b| b.as_ref().map(|b| b.version));
    let tags = LocalResource::new(move || {
        // Fetched again after each edit: a promoted tag is counted as its need from then on.
        version();
        let this_quarter = Recent::ThisQuarter.period(clock::today());
        async move {
            let of = |period| TrendsQuery {
                period: Some(period),
                dimension: Some(Dimension::FreeTag),
                ..TrendsQuery::default()
            };
            let now = org_client::trends(&of(this_quarter)).await?;
            let before = org_client::trends(&of(this_quarter.previous())).await?;
            Ok::<_, OrgError>((now, before))
        }
    });
    move || {
        let (now, before) = match tags.get()? {
            Ok(both) => both,
            Err(e) => {
                return Some(
                    view! { <p role="alert" class="error">{org_errors::call(&e)}</p> }.into_any(),
                );
            }
        };
        let threshold = now.threshold;
        let mut shown: BTreeMap<Code, (Option<u32>, Option<u32>)> = BTreeMap::new();
        for (trends, this) in [(&now, true), (&before, false)] {
            for c in &trends.totals {
                if let Measure::FreeTag(tag) = &c.measure {
                    let counts = shown.entry(tag.clone()).or_default();
                    if this {
                        counts.0 = Some(c.count);
                    } else {
                        counts.1 = Some(c.count);
                    }
                }
            }
        }
        if shown.is_empty() {
            return Some(view! {
                <h3>{text("org.codebook.free_tags")}</h3>
                <p class="muted">{count("org.codebook.no_free_tags", u64::from(threshold), &[])}</p>
            }.into_any());
        }
        let mut shown: Vec<_> = shown.into_iter().collect();
        shown.sort_by(|(a, x), (b, y)| y.cmp(x).then(a.cmp(b)));
        let items = shown
            .into_iter()
            .map(|(tag, (this, last))| {
                let label = free_tag::label(&tag);
                let promote = tag.clone();
                let counts = fill(
                    "org.codebook.free_tag_counts",
                    &[
                        ("this", &quarter_count(this, threshold)),
                        ("last", &quarter_count(last, threshold)),
                        ("tag", &label),
                    ],
                );
                view! {
                    <li>
                        <span>{counts}</span>
                        <button type="button" class="secondary" aria-label=fill("org.codebook.add_tag_to_needs", &[("tag", &label)])
                            disabled=move || edit.pending().get()
                            on:click=move |_| { edit.dispatch(CodebookEdit::Promote { tag: promote.clone() }); }>
                            {text("org.codebook.add_to_needs")}
                        </button>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <h3 id="free-tags-heading">{text("org.codebook.free_tags")}</h3>
            <p class="muted">{count("org.codebook.free_tags_explain", u64::from(threshold), &[])}</p>
            <ul class="free-tags" aria-labelledby="free-tags-heading">{items}</ul>
        }.into_any())
    }
}
