//! The organization's program indicators, beside its codebook: what it reports to funders
//! each month or quarter (contacts, syringes, naloxone kits, referrals), adopted from the
//! starter set or defined one by one, and where each goes in DHIS2. The service checks every
//! change again; what is typed here is parsed into core's types before it is sent.

use crate::i18n::{
    count, fill, intl, isolated, isolated_list, labels, language, org_errors, t, text,
};
use crate::org_client::{self, OrgError};
use leptos::prelude::*;
use peerpulse_core::bucket::{Dimension, Measure};
use peerpulse_core::codebook::{Code, CodeList, Codebook};
use peerpulse_core::dhis2::{Dhis2Mapping, Dhis2Settings, PeriodType, Uid};
use peerpulse_core::encounter::{EncounterKind, Reach};
use peerpulse_core::indicator::{Counted, Denominator, Indicator, MAX_NAME_CHARS};
use peerpulse_core::org_api::{IndicatorBook, IndicatorsResponse, IndicatorsUpdate, SessionInfo};
use std::collections::{BTreeMap, BTreeSet};

/// Problems of a form, each keyed by the id of the input it is about.
type Problems = BTreeMap<String, String>;

/// A save of the whole book, and what to say once it is stored.
type SaveAction = Action<(IndicatorsUpdate, String), Result<(IndicatorBook, String), OrgError>>;

/// What an indicator counts, as the form's first choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CountedKind {
    Encounters,
    EncountersWith,
    SupplyUnits,
    PhonesActive,
}

impl CountedKind {
    const ALL: [Self; 4] = [
        Self::Encounters,
        Self::EncountersWith,
        Self::SupplyUnits,
        Self::PhonesActive,
    ];

    fn label(self) -> String {
        text(match self {
            Self::Encounters => "org.indicators.kind.encounters",
            Self::EncountersWith => "org.indicators.kind.encounters_with",
            Self::SupplyUnits => "org.indicators.kind.supply_units",
            Self::PhonesActive => "org.indicators.kind.phones_active",
        })
    }

    fn of(counted: &Counted) -> Self {
        match counted {
            Counted::Encounters => Self::Encounters,
            Counted::EncountersWith { .. } => Self::EncountersWith,
            Counted::SupplyUnits { .. } => Self::SupplyUnits,
            Counted::PhonesActive => Self::PhonesActive,
        }
    }
}

/// A measure as an option's value: `referral:drug-treatment`.
fn measure_value(measure: &Measure) -> String {
    format!("{}:{}", measure.dimension().as_str(), measure.value())
}

fn parse_measure(value: &str) -> Option<Measure> {
    let (dimension, value) = value.split_once(':')?;
    Measure::from_parts(dimension.parse().ok()?, value).ok()
}

/// What `counted` counts, in words ("Encounters with referral: Detox").
pub fn describe_counted(counted: &Counted, codebook: &Codebook) -> String {
    match counted {
        Counted::Encounters => text("org.indicators.counted.encounters"),
        Counted::EncountersWith { measure } => {
            let key = match measure.dimension() {
                Dimension::Kind => "org.indicators.with.kind",
                Dimension::Reach => "org.indicators.with.reach",
                Dimension::Topic => "org.indicators.with.topic",
                Dimension::Insight => "org.indicators.with.insight",
                Dimension::Need | Dimension::FreeTag => "org.indicators.with.need",
                Dimension::Supply | Dimension::SupplyUnits => "org.indicators.with.supply",
                Dimension::Referral => "org.indicators.with.referral",
                Dimension::Encounters => "org.indicators.with.encounter",
            };
            fill(key, &[("value", &labels::measure(measure, codebook))])
        }
        Counted::SupplyUnits { supply } => fill(
            "org.indicators.counted.units",
            &[("supply", &codebook.label(CodeList::Supply, supply))],
        ),
        Counted::PhonesActive => text("org.indicators.counted.phones"),
    }
}

/// The codes an indicator may count encounters with, in groups (each by its name's key) as
/// the form offers them.
fn with_choices(codebook: &Codebook) -> Vec<(&'static str, Vec<Measure>)> {
    let coded = |list: CodeList, measure: fn(Code) -> Measure| {
        codebook
            .offered(list)
            .map(|e| measure(e.code.clone()))
            .collect::<Vec<_>>()
    };
    vec![
        (
            "org.indicators.group.referrals",
            coded(CodeList::Referral, Measure::Referral),
        ),
        (
            "org.indicators.group.supplies",
            coded(CodeList::Supply, Measure::Supply),
        ),
        (
            "org.indicators.group.needs",
            coded(CodeList::Need, Measure::Need),
        ),
        (
            "org.indicators.group.insights",
            coded(CodeList::Insight, Measure::Insight),
        ),
        (
            "org.indicators.group.topics",
            coded(CodeList::Topic, Measure::Topic),
        ),
        (
            "org.indicators.group.kinds",
            EncounterKind::ALL.into_iter().map(Measure::Kind).collect(),
        ),
        (
            "org.indicators.group.reach",
            Reach::ALL.into_iter().map(Measure::Reach).collect(),
        ),
    ]
}

fn period_type_value(p: PeriodType) -> &'static str {
    match p {
        PeriodType::Monthly => "monthly",
        PeriodType::Quarterly => "quarterly",
        PeriodType::Weekly => "weekly",
    }
}

fn period_type_label(p: PeriodType) -> String {
    text(match p {
        PeriodType::Monthly => "org.indicators.period_type.monthly",
        PeriodType::Quarterly => "org.indicators.period_type.quarterly",
        PeriodType::Weekly => "org.indicators.period_type.weekly",
    })
}

const PERIOD_TYPES: [PeriodType; 3] = [
    PeriodType::Monthly,
    PeriodType::Quarterly,
    PeriodType::Weekly,
];

/// The indicator form's one draft value, as typed.
#[derive(Clone, Debug)]
struct Draft {
    /// The indicator edited (its id stays), or none for a new one.
    editing: Option<Code>,
    name: String,
    kind: CountedKind,
    with: String,
    supply: String,
    sites: BTreeSet<Code>,
    divided: bool,
    denominator_label: String,
    denominator_value: String,
    per_year: bool,
    to_dhis2: bool,
    data_element: String,
    combo: String,
    period_type: PeriodType,
}

impl Draft {
    fn new(codebook: &Codebook) -> Self {
        Self {
            editing: None,
            name: String::new(),
            kind: CountedKind::Encounters,
            with: with_choices(codebook)
                .iter()
                .find_map(|(_, m)| m.first().map(measure_value))
                .unwrap_or_default(),
            supply: codebook
                .offered(CodeList::Supply)
                .next()
                .map(|e| e.code.to_string())
                .unwrap_or_default(),
            sites: BTreeSet::new(),
            divided: false,
            denominator_label: String::new(),
            denominator_value: String::new(),
            per_year: true,
            to_dhis2: false,
            data_element: String::new(),
            combo: String::new(),
            period_type: PeriodType::Monthly,
        }
    }

    fn of(indicator: &Indicator, codebook: &Codebook) -> Self {
        let mut draft = Self::new(codebook);
        draft.editing = Some(indicator.id.clone());
        draft.name = indicator.name.clone();
        draft.kind = CountedKind::of(&indicator.counted);
        match &indicator.counted {
            Counted::EncountersWith { measure } => draft.with = measure_value(measure),
            Counted::SupplyUnits { supply } => draft.supply = supply.to_string(),
            Counted::Encounters | Counted::PhonesActive => {}
        }
        draft.sites = indicator.sites.clone();
        if let Some(d) = &indicator.denominator {
            draft.divided = true;
            draft.denominator_label = d.label.clone();
            draft.denominator_value = d.value.to_string();
            draft.per_year = d.per_year;
        }
        if let Some(m) = &indicator.dhis2 {
            draft.to_dhis2 = true;
            draft.data_element = m.data_element.as_str().to_owned();
            draft.combo = m
                .category_option_combo
                .as_ref()
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default();
            draft.period_type = m.period_type;
        }
        draft
    }

    /// The indicator typed, or every problem with it, each by its input's id.
    fn parse(&self, others: &[Indicator], codebook: &Codebook) -> Result<Indicator, Problems> {
        let mut problems = Problems::new();
        let mut problem = |id: &str, said: String| {
            problems.insert(id.to_owned(), said);
        };
        let name = self.name.trim();
        let id = match &self.editing {
            Some(id) => Some(id.clone()),
            None => Code::from_label(name).ok(),
        };
        if name.is_empty() {
            problem("indicator-name", text("org.indicators.problem.no_name"));
        } else if name.chars().count() > MAX_NAME_CHARS {
            problem(
                "indicator-name",
                count(
                    "org.indicators.problem.too_long",
                    MAX_NAME_CHARS as u64,
                    &[],
                ),
            );
        } else if id.is_none() {
            problem("indicator-name", text("org.indicators.problem.no_letters"));
        } else if self.editing.is_none() && others.iter().any(|i| Some(&i.id) == id.as_ref()) {
            problem("indicator-name", text("org.indicators.problem.taken"));
        }
        let counted = match self.kind {
            CountedKind::Encounters => Some(Counted::Encounters),
            CountedKind::PhonesActive => Some(Counted::PhonesActive),
            CountedKind::EncountersWith => match parse_measure(&self.with) {
                Some(measure) => Some(Counted::EncountersWith { measure }),
                None => {
                    problem("indicator-with", text("org.indicators.problem.no_with"));
                    None
                }
            },
            CountedKind::SupplyUnits => match Code::new(&self.supply) {
                Ok(supply) => Some(Counted::SupplyUnits { supply }),
                Err(_) => {
                    problem("indicator-supply", text("org.indicators.problem.no_supply"));
                    None
                }
            },
        };
        let denominator = if self.divided {
            let label = self.denominator_label.trim();
            if label.is_empty() {
                problem(
                    "indicator-denominator-label",
                    text("org.indicators.problem.no_figure_label"),
                );
            }
            let cleaned: String = self
                .denominator_value
                .chars()
                .filter(|c| !matches!(c, ',' | ' ' | '\u{a0}'))
                .collect();
            match cleaned.parse::<f64>() {
                Ok(value) if value.is_finite() && value > 0.0 => Some(Denominator {
                    label: label.to_owned(),
                    value,
                    per_year: self.per_year,
                }),
                _ => {
                    problem(
                        "indicator-denominator-value",
                        text("org.indicators.problem.figure_value"),
                    );
                    None
                }
            }
        } else {
            None
        };
        let dhis2 = if self.to_dhis2 {
            let data_element = Uid::new(&self.data_element)
                .map_err(|_| problem("indicator-data-element", text("org.indicators.problem.uid")))
                .ok();
            let combo = if self.combo.trim().is_empty() {
                Some(None)
            } else {
                Uid::new(&self.combo)
                    .map(Some)
                    .map_err(|_| {
                        problem("indicator-combo", text("org.indicators.problem.combo_uid"))
                    })
                    .ok()
            };
            data_element
                .zip(combo)
                .map(|(data_element, category_option_combo)| Dhis2Mapping {
                    data_element,
                    category_option_combo,
                    period_type: self.period_type,
                })
        } else {
            None
        };
        let (Some(id), Some(counted), true) = (id, counted, problems.is_empty()) else {
            return Err(problems);
        };
        let indicator = Indicator {
            id,
            name: name.to_owned(),
            counted,
            sites: self.sites.clone(),
            denominator,
            dhis2,
        };
        indicator.check(codebook).map_err(|e| {
            Problems::from([(
                "indicator-form".to_owned(),
                fill(
                    "org.indicators.problem.cannot_keep",
                    &[("why", &org_errors::indicator(&e))],
                ),
            )])
        })?;
        Ok(indicator)
    }
}

/// The problem of input `id`, beside it.
fn problem_of(problems: RwSignal<Problems>, id: &'static str) -> impl IntoView {
    move || {
        problems.with(|p| p.get(id).cloned()).map(|text| {
            view! { <p class="field-error error" id=format!("{id}-error")>{text}</p> }
        })
    }
}

/// Whether input `id` has a problem, for `aria-invalid`.
fn invalid(problems: RwSignal<Problems>, id: &'static str) -> impl Fn() -> Option<&'static str> {
    move || problems.with(|p| p.contains_key(id)).then_some("true")
}

/// The organization's indicators: listed, adopted from the starter set, added, edited,
/// removed, mapped to DHIS2.
#[component]
pub fn Indicators(
    /// Who is signed in (a manager or an admin).
    info: SessionInfo,
    /// The codebook as the editor beside holds it: its codes are what indicators count.
    codebook: RwSignal<Option<Codebook>>,
) -> impl IntoView {
    let info = StoredValue::new(info);
    let save: SaveAction = Action::new_local(move |(update, said): &(IndicatorsUpdate, String)| {
        let (info, update, said) = (info.get_value(), update.clone(), said.clone());
        async move {
            org_client::save_indicators(&info, &update)
                .await
                .map(|book| (book, said))
        }
    });
    let codebook_version = move || codebook.with(|b| b.as_ref().map(|b| b.version));
    // The stored book, read again after each save (a refused one too: it may have changed
    // meanwhile) and after each codebook change (the starter set follows the codebook).
    let loaded = LocalResource::new(move || {
        save.version().track();
        codebook_version();
        org_client::indicators()
    });
    let draft = RwSignal::new(None::<Draft>);
    let problems = RwSignal::new(Problems::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            draft.set(None);
        }
    });
    let current = move || -> Option<IndicatorsResponse> { loaded.get().and_then(Result::ok) };
    let send = move |indicators: Vec<Indicator>, dhis2: Option<Dhis2Settings>, said: String| {
        let Some(now) = loaded.get_untracked().and_then(Result::ok) else {
            return;
        };
        save.dispatch((
            IndicatorsUpdate {
                base_version: now.book.version,
                indicators,
                dhis2: dhis2.unwrap_or(now.book.dhis2),
            },
            said,
        ));
    };
    let save_settings = Callback::new(move |settings: Dhis2Settings| {
        let Some(now) = loaded.get_untracked().and_then(Result::ok) else {
            return;
        };
        send(
            now.book.indicators,
            Some(settings),
            text("org.indicators.saved_settings"),
        );
    });
    let message = move || {
        save.value().get().map(|done| match done {
            Ok((_, said)) => view! { <p class="status saved" role="status">{said}</p> }.into_any(),
            Err(OrgError::Changed(why)) => view! {
                <p class="error" role="alert">{fill("org.indicators.changed", &[("why", &why)])}</p>
            }
            .into_any(),
            Err(e) => view! { <p class="error" role="alert">{org_errors::call(&e)}</p> }.into_any(),
        })
    };
    let adopt = move |_| {
        let Some(now) = current() else { return };
        let mut indicators = now.book.indicators.clone();
        let added: Vec<Indicator> = now
            .starter
            .iter()
            .filter(|s| !indicators.iter().any(|i| i.id == s.id))
            .cloned()
            .collect();
        let said = count("org.indicators.adopted", added.len() as u64, &[]);
        indicators.extend(added);
        send(indicators, None, said);
    };
    let list = move || {
        let (Some(now), Some(book)) = (current(), codebook.get()) else {
            return match loaded.get() {
                Some(Err(e)) => {
                    view! { <p class="error" role="alert">{org_errors::call(&e)}</p> }.into_any()
                }
                _ => view! { <p role="status">{t("org.indicators.loading")}</p> }.into_any(),
            };
        };
        let missing: Vec<String> = now
            .starter
            .iter()
            .filter(|s| !now.book.indicators.iter().any(|i| i.id == s.id))
            .map(|s| isolated(&s.name))
            .collect();
        let starter = (!missing.is_empty()).then(|| {
            view! {
                <div class="starter">
                    <p>{fill("org.indicators.starter", &[("names", &missing.join("; "))])}</p>
                    <button type="button" class="secondary" disabled=move || save.pending().get() on:click=adopt>
                        {t("org.indicators.adopt")}
                    </button>
                </div>
            }
        });
        let site_names = |sites: &BTreeSet<Code>| {
            if sites.is_empty() {
                text("org.reports.all_sites")
            } else {
                isolated_list(sites.iter().map(|s| book.label(CodeList::Site, s)))
            }
        };
        let rows = now
            .book
            .indicators
            .iter()
            .map(|indicator| {
                let name = indicator.name.clone();
                let (for_edit, id) = (indicator.clone(), indicator.id.clone());
                let book_for_edit = book.clone();
                let divided = indicator.denominator.as_ref().map_or_else(
                    || "—".to_owned(),
                    |d| {
                        let key = if d.per_year {
                            "org.indicators.divided.per_year"
                        } else {
                            "org.indicators.divided.period"
                        };
                        fill(
                            key,
                            &[
                                ("value", &intl::decimal(language(), d.value, 2)),
                                ("label", &d.label),
                            ],
                        )
                    },
                );
                let dhis2 = indicator.dhis2.as_ref().map_or_else(
                    || text("org.indicators.not_sent"),
                    |m| {
                        fill(
                            &format!("org.indicators.dhis2_cell.{}", period_type_value(m.period_type)),
                            &[("uid", &m.data_element.as_str())],
                        )
                    },
                );
                view! {
                    <tr>
                        <th scope="row"><bdi>{name.clone()}</bdi></th>
                        <td>{describe_counted(&indicator.counted, &book)}</td>
                        <td>{site_names(&indicator.sites)}</td>
                        <td>{divided}</td>
                        <td>{dhis2}</td>
                        <td class="row-actions">
                            <button type="button" class="secondary" aria-label=fill("org.indicators.edit_named", &[("name", &name)])
                                on:click=move |_| {
                                    problems.set(Problems::new());
                                    draft.set(Some(Draft::of(&for_edit, &book_for_edit)));
                                }>{t("org.indicators.edit")}</button>
                            <button type="button" class="secondary" aria-label=fill("org.indicators.remove_named", &[("name", &name)])
                                disabled=move || save.pending().get()
                                on:click={
                                    let name = name.clone();
                                    move |_| {
                                        let Some(now) = loaded.get_untracked().and_then(Result::ok) else { return };
                                        let kept = now.book.indicators.iter().filter(|i| i.id != id).cloned().collect();
                                        send(kept, None, fill("org.indicators.removed", &[("name", &name)]));
                                    }
                                }>{t("org.indicators.remove")}</button>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let table = if now.book.indicators.is_empty() {
            view! { <p class="muted">{t("org.indicators.none")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="indicator-list">
                        <caption class="visually-hidden">{t("org.indicators.caption")}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t("org.indicators.col.indicator")}</th>
                                <th scope="col">{t("org.indicators.col.counts")}</th>
                                <th scope="col">{t("org.indicators.col.sites")}</th>
                                <th scope="col">{t("org.indicators.col.divided")}</th>
                                <th scope="col">{t("org.indicators.col.dhis2")}</th>
                                <th scope="col"><span class="visually-hidden">{t("org.indicators.col.actions")}</span></th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        };
        let new_book = book.clone();
        view! {
            {table}
            {starter}
            <button type="button" class="secondary" on:click=move |_| {
                problems.set(Problems::new());
                draft.set(Some(Draft::new(&new_book)));
            }>{t("org.indicators.add")}</button>
            <Dhis2SettingsForm settings=now.book.dhis2.clone() codebook=book on_save=save_settings pending=save.pending() />
        }.into_any()
    };
    // Whether the form is open, and for a new indicator or an edit: a memo, so typing in the
    // form (a change of the draft) does not build the form again.
    let open = Memo::new(move |_| draft.with(|d| d.as_ref().map(|d| d.editing.is_some())));
    let form = move || {
        let editing = open.get()?;
        let book = codebook.get()?;
        Some(view! {
            <IndicatorForm editing draft problems codebook=book
                on_save=Callback::new(move |indicator: Indicator| {
                    let Some(now) = loaded.get_untracked().and_then(Result::ok) else { return };
                    let mut indicators = now.book.indicators.clone();
                    let said = match indicators.iter_mut().find(|i| i.id == indicator.id) {
                        Some(old) => {
                            *old = indicator.clone();
                            fill("org.indicators.saved", &[("name", &indicator.name)])
                        }
                        None => {
                            let said = fill("org.indicators.added", &[("name", &indicator.name)]);
                            indicators.push(indicator);
                            said
                        }
                    };
                    send(indicators, None, said);
                })
                others=Signal::derive(move || current().map(|c| c.book.indicators).unwrap_or_default())
                pending=save.pending()
            />
        })
    };
    view! {
        <section id="indicators" class="indicators" aria-labelledby="indicators-heading">
            <h2 id="indicators-heading">{t("org.indicators.heading")}</h2>
            <p class="muted">
                {t("org.indicators.intro")}" "
                <a href="/reports">{t("org.indicators.read_reports")}</a>
            </p>
            {message}
            {list}
            {form}
        </section>
    }
}

/// Adding or editing one indicator.
#[component]
fn IndicatorForm(
    editing: bool,
    draft: RwSignal<Option<Draft>>,
    problems: RwSignal<Problems>,
    codebook: Codebook,
    on_save: Callback<Indicator>,
    others: Signal<Vec<Indicator>>,
    pending: Memo<bool>,
) -> impl IntoView {
    let get = move |read: fn(&Draft) -> String| {
        move || draft.with(|d| d.as_ref().map(read).unwrap_or_default())
    };
    let set = move |write: fn(&mut Draft, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            draft.update(|d| {
                if let Some(d) = d {
                    write(d, value);
                }
            });
        }
    };
    let flag = move |read: fn(&Draft) -> bool| move || draft.with(|d| d.as_ref().is_some_and(read));
    let toggle = move |write: fn(&mut Draft, bool)| {
        move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            draft.update(|d| {
                if let Some(d) = d {
                    write(d, on);
                }
            });
        }
    };
    let kind = move || draft.with(|d| d.as_ref().map(|d| d.kind));
    let book = StoredValue::new(codebook.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed = draft.with_untracked(|d| {
            d.as_ref()
                .map(|d| book.with_value(|b| d.parse(&others.get_untracked(), b)))
        });
        match parsed {
            Some(Ok(indicator)) => {
                problems.set(Problems::new());
                on_save.run(indicator);
            }
            Some(Err(found)) => {
                problems.set(found);
                focus_first_problem(&problems.get_untracked());
            }
            None => {}
        }
    };
    let kinds = CountedKind::ALL
        .into_iter()
        .map(|k| {
            let value = format!("{k:?}");
            view! {
                <label class="choice">
                    <input type="radio" name="indicator-counts" value=value
                        prop:checked=move || kind() == Some(k)
                        on:change=move |_| draft.update(|d| if let Some(d) = d { d.kind = k; }) />
                    {k.label()}
                </label>
            }
        })
        .collect_view();
    let with_groups = with_choices(&codebook)
        .into_iter()
        .filter(|(_, m)| !m.is_empty())
        .map(|(group, measures)| {
            let options = measures
                .into_iter()
                .map(|m| {
                    let value = measure_value(&m);
                    let label = labels::measure(&m, &codebook);
                    let chosen = value.clone();
                    view! { <option value=value selected=move || draft.with(|d| d.as_ref().is_some_and(|d| d.with == chosen))>{label}</option> }
                })
                .collect_view();
            view! { <optgroup label=text(group)>{options}</optgroup> }
        })
        .collect_view();
    let supplies = codebook
        .offered(CodeList::Supply)
        .map(|e| {
            let value = e.code.to_string();
            let chosen = value.clone();
            view! { <option value=value selected=move || draft.with(|d| d.as_ref().is_some_and(|d| d.supply == chosen))>{e.label.clone()}</option> }
        })
        .collect_view();
    let sites = codebook
        .offered(CodeList::Site)
        .map(|e| {
            let code = e.code.clone();
            let (has, flip) = (code.clone(), code.clone());
            view! {
                <label class="choice">
                    <input type="checkbox"
                        prop:checked=move || draft.with(|d| d.as_ref().is_some_and(|d| d.sites.contains(&has)))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            draft.update(|d| if let Some(d) = d {
                                if on { d.sites.insert(flip.clone()); } else { d.sites.remove(&flip); }
                            });
                        } />
                    {e.label.clone()}
                </label>
            }
        })
        .collect_view();
    let period_types = PERIOD_TYPES
        .into_iter()
        .map(|p| view! {
            <option value=period_type_value(p) selected=move || draft.with(|d| d.as_ref().is_some_and(|d| d.period_type == p))>{period_type_label(p)}</option>
        })
        .collect_view();
    view! {
        <form class="stack-form indicator-form" on:submit=submit novalidate aria-labelledby="indicator-form-heading">
            <h3 id="indicator-form-heading">{if editing { t("org.indicators.form.edit") } else { t("org.indicators.form.new") }}</h3>
            <label for="indicator-name">{t("org.indicators.form.name")}</label>
            <input id="indicator-name" autocomplete="off" maxlength="120"
                aria-invalid=invalid(problems, "indicator-name") aria-describedby="indicator-name-error"
                prop:value=get(|d| d.name.clone()) on:input=set(|d, v| d.name = v) />
            {problem_of(problems, "indicator-name")}
            <fieldset>
                <legend>{t("org.indicators.col.counts")}</legend>
                {kinds}
            </fieldset>
            <div class="field" hidden=move || kind() != Some(CountedKind::EncountersWith)>
                <label for="indicator-with">{t("org.indicators.form.with")}</label>
                <select id="indicator-with" aria-invalid=invalid(problems, "indicator-with") aria-describedby="indicator-with-error"
                    on:change=set(|d, v| d.with = v)>
                    {with_groups}
                </select>
                {problem_of(problems, "indicator-with")}
            </div>
            <div class="field" hidden=move || kind() != Some(CountedKind::SupplyUnits)>
                <label for="indicator-supply">{t("org.indicators.form.supply")}</label>
                <select id="indicator-supply" aria-invalid=invalid(problems, "indicator-supply") aria-describedby="indicator-supply-error"
                    on:change=set(|d, v| d.supply = v)>
                    {supplies}
                </select>
                {problem_of(problems, "indicator-supply")}
            </div>
            <fieldset>
                <legend>{t("org.indicators.col.sites")}</legend>
                <p class="muted">{t("org.indicators.form.sites_hint")}</p>
                {sites}
            </fieldset>
            <label class="choice">
                <input type="checkbox" prop:checked=flag(|d| d.divided) on:change=toggle(|d, on| d.divided = on) />
                {t("org.indicators.form.divided")}
            </label>
            <div class="field" hidden=move || !flag(|d| d.divided)()>
                <label for="indicator-denominator-label">{t("org.indicators.form.figure_label")}</label>
                <input id="indicator-denominator-label" autocomplete="off" placeholder=t("org.indicators.form.figure_example")
                    aria-invalid=invalid(problems, "indicator-denominator-label") aria-describedby="indicator-denominator-label-error"
                    prop:value=get(|d| d.denominator_label.clone()) on:input=set(|d, v| d.denominator_label = v) />
                {problem_of(problems, "indicator-denominator-label")}
                <label for="indicator-denominator-value">{t("org.indicators.form.figure_value")}</label>
                <input id="indicator-denominator-value" inputmode="decimal" autocomplete="off"
                    aria-invalid=invalid(problems, "indicator-denominator-value") aria-describedby="indicator-denominator-value-error"
                    prop:value=get(|d| d.denominator_value.clone()) on:input=set(|d, v| d.denominator_value = v) />
                {problem_of(problems, "indicator-denominator-value")}
                <label class="choice">
                    <input type="checkbox" prop:checked=flag(|d| d.per_year) on:change=toggle(|d, on| d.per_year = on) />
                    {t("org.indicators.form.per_year")}
                </label>
            </div>
            <label class="choice">
                <input type="checkbox" prop:checked=flag(|d| d.to_dhis2) on:change=toggle(|d, on| d.to_dhis2 = on) />
                {t("org.indicators.form.to_dhis2")}
            </label>
            <div class="field" hidden=move || !flag(|d| d.to_dhis2)()>
                <label for="indicator-data-element">{t("org.indicators.form.data_element")}</label>
                <input id="indicator-data-element" autocomplete="off" spellcheck="false" placeholder="fbfJHSPpUQD"
                    aria-invalid=invalid(problems, "indicator-data-element") aria-describedby="indicator-data-element-error"
                    prop:value=get(|d| d.data_element.clone()) on:input=set(|d, v| d.data_element = v) />
                {problem_of(problems, "indicator-data-element")}
                <label for="indicator-combo">{t("org.indicators.form.combo")}</label>
                <input id="indicator-combo" autocomplete="off" spellcheck="false"
                    aria-invalid=invalid(problems, "indicator-combo") aria-describedby="indicator-combo-error"
                    prop:value=get(|d| d.combo.clone()) on:input=set(|d, v| d.combo = v) />
                {problem_of(problems, "indicator-combo")}
                <label for="indicator-period-type">{t("org.indicators.form.period_type")}</label>
                <select id="indicator-period-type" on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    if let Some(p) = PERIOD_TYPES.into_iter().find(|p| period_type_value(*p) == chosen) {
                        draft.update(|d| if let Some(d) = d { d.period_type = p; });
                    }
                }>
                    {period_types}
                </select>
                <p class="muted">{t("org.indicators.form.period_type_hint")}</p>
            </div>
            {problem_of(problems, "indicator-form")}
            <div class="actions">
                <button type="submit" class="primary" disabled=move || pending.get()>{if editing { t("org.indicators.form.save") } else { t("org.indicators.form.add") }}</button>
                <button type="button" class="secondary" on:click=move |_| draft.set(None)>{t("org.indicators.form.cancel")}</button>
            </div>
        </form>
    }
}

/// Moves focus to the first input with a problem, so a keyboard or screen reader user lands on it.
fn focus_first_problem(problems: &Problems) {
    const FORM_ORDER: [&str; 7] = [
        "indicator-name",
        "indicator-with",
        "indicator-supply",
        "indicator-denominator-label",
        "indicator-denominator-value",
        "indicator-data-element",
        "indicator-combo",
    ];
    let Some(id) = FORM_ORDER.into_iter().find(|id| problems.contains_key(*id)) else {
        return;
    };
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        // Focus is a courtesy; nothing to report if the browser declines.
        let _ = element.focus();
    }
}

/// The organization's DHIS2 organisation units and data set.
#[component]
fn Dhis2SettingsForm(
    settings: Dhis2Settings,
    codebook: Codebook,
    on_save: Callback<Dhis2Settings>,
    pending: Memo<bool>,
) -> impl IntoView {
    let uid_text = |u: &Option<Uid>| {
        u.as_ref()
            .map(|u| u.as_str().to_owned())
            .unwrap_or_default()
    };
    let org_unit = RwSignal::new(uid_text(&settings.org_unit));
    let data_set = RwSignal::new(uid_text(&settings.data_set));
    let sites: Vec<(Code, String, RwSignal<String>)> = codebook
        .offered(CodeList::Site)
        .map(|e| {
            let unit = settings
                .site_org_units
                .get(&e.code)
                .map(|u| u.as_str().to_owned());
            (
                e.code.clone(),
                e.label.clone(),
                RwSignal::new(unit.unwrap_or_default()),
            )
        })
        .collect();
    let problems = RwSignal::new(Problems::new());
    let site_inputs = StoredValue::new(sites.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut found = Problems::new();
        let mut uid = |id: String, typed: String| -> Option<Uid> {
            if typed.trim().is_empty() {
                return None;
            }
            Uid::new(&typed)
                .map_err(|_| {
                    found.insert(id, text("org.indicators.problem.uid_or_empty"));
                })
                .ok()
        };
        let org_unit = uid("dhis2-org-unit".to_owned(), org_unit.get_untracked());
        let data_set = uid("dhis2-data-set".to_owned(), data_set.get_untracked());
        let site_org_units = site_inputs.with_value(|sites| {
            sites
                .iter()
                .filter_map(|(code, _, unit)| {
                    uid(format!("dhis2-site-{code}"), unit.get_untracked())
                        .map(|u| (code.clone(), u))
                })
                .collect()
        });
        if found.is_empty() {
            problems.set(found);
            on_save.run(Dhis2Settings {
                org_unit,
                site_org_units,
                data_set,
            });
        } else {
            problems.set(found);
        }
    };
    let site_rows = sites
        .into_iter()
        .map(|(code, label, unit)| {
            let id = format!("dhis2-site-{code}");
            let (error_id, key, key2) = (format!("{id}-error"), id.clone(), id.clone());
            view! {
                <label for=id.clone()>{fill("org.indicators.dhis2.site_unit", &[("site", &label)])}</label>
                <input id=id autocomplete="off" spellcheck="false" aria-describedby=error_id.clone()
                    aria-invalid=move || problems.with(|p| p.contains_key(&key)).then_some("true")
                    prop:value=move || unit.get() on:input=move |ev| unit.set(event_target_value(&ev)) />
                {move || problems.with(|p| p.get(&key2).cloned()).map(|t| view! { <p class="field-error error" id=error_id.clone()>{t}</p> })}
            }
        })
        .collect_view();
    view! {
        <details class="dhis2-settings">
            <summary>{t("org.indicators.dhis2.heading")}</summary>
            <form class="stack-form" on:submit=submit novalidate>
                <p class="muted">{t("org.indicators.dhis2.intro")}</p>
                <label for="dhis2-org-unit">{t("org.indicators.dhis2.org_unit")}</label>
                <input id="dhis2-org-unit" autocomplete="off" spellcheck="false" aria-describedby="dhis2-org-unit-error"
                    aria-invalid=move || problems.with(|p| p.contains_key("dhis2-org-unit")).then_some("true")
                    prop:value=move || org_unit.get() on:input=move |ev| org_unit.set(event_target_value(&ev)) />
                {move || problems.with(|p| p.get("dhis2-org-unit").cloned()).map(|t| view! { <p class="field-error error" id="dhis2-org-unit-error">{t}</p> })}
                {site_rows}
                <label for="dhis2-data-set">{t("org.indicators.dhis2.data_set")}</label>
                <input id="dhis2-data-set" autocomplete="off" spellcheck="false" aria-describedby="dhis2-data-set-error"
                    aria-invalid=move || problems.with(|p| p.contains_key("dhis2-data-set")).then_some("true")
                    prop:value=move || data_set.get() on:input=move |ev| data_set.set(event_target_value(&ev)) />
                {move || problems.with(|p| p.get("dhis2-data-set").cloned()).map(|t| view! { <p class="field-error error" id="dhis2-data-set-error">{t}</p> })}
                <button type="submit" class="primary" disabled=move || pending.get()>{t("org.indicators.dhis2.save")}</button>
            </form>
        </details>
    }
}
