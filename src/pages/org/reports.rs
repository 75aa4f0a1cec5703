//! The indicator report (`/reports?period=2026-11`): each of the organization's indicators for
//! a week, a month or a quarter, by site and in total, beside the period before; printable on
//! one page, as CSV, and for managers as DHIS2 `dataValueSets` JSON and ADX. Every value is
//! published by the service's disclosure rule; what it does not show is in no file either.

use super::dhis2_send::SendToDhis2;
use super::indicators::describe_counted;
use crate::clock;
use crate::components::period_picker::{Recent, describe};
use crate::download;
use crate::i18n::{count, fill, intl, labels, language, org_errors, t, text};
use crate::org_client::{self, OrgError};
use crate::org_session::OrgSession;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use peerpulse_core::codebook::{CodeList, Codebook};
use peerpulse_core::indicator::{IndicatorReport, Report, Value, report_csv};
use peerpulse_core::org_api::{Dhis2Format, ExportKind, SessionInfo};
use peerpulse_core::people::Permission;
use peerpulse_core::period::{Granularity, Period};
use peerpulse_core::privacy::cell_key::NoiseTable;

/// The periods a report offers by name.
const NAMED: [Recent; 6] = [
    Recent::ThisWeek,
    Recent::LastWeek,
    Recent::ThisMonth,
    Recent::LastMonth,
    Recent::ThisQuarter,
    Recent::LastQuarter,
];

/// Quarters offered in the quarter list, this one first.
const QUARTERS: usize = 8;

/// Everything a report page shows.
#[derive(Clone)]
struct ReportData {
    session: SessionInfo,
    report: Report,
    codebook: Codebook,
}

async fn load(signed_in: OrgSession, period: Period) -> Result<ReportData, OrgError> {
    let Some(session) = signed_in.signed_in().await? else {
        return Err(OrgError::SignedOut("not signed in".to_owned()));
    };
    let report = org_client::report(period).await?;
    let codebook = org_client::codebook().await?;
    Ok(ReportData {
        session,
        report,
        codebook,
    })
}

/// `/reports?period=2026-11` (an ISO week, a month or a quarter; by default this month).
#[component]
pub fn ReportsPage() -> impl IntoView {
    let params = use_query_map();
    let today = clock::today();
    let asked = Memo::new(move |_| {
        params.with(|p| match p.get("period") {
            None => Ok(Recent::ThisMonth.period(today)),
            Some(raw) => match raw.parse::<Period>() {
                Ok(p) if p.granularity() != Granularity::Day => Ok(p),
                Ok(_) => Err(text("org.reports.not_a_day")),
                Err(e) => Err(org_errors::period(&e)),
            },
        })
    });
    let signed_in = OrgSession::get();
    let data = LocalResource::new(move || {
        let asked = asked.get();
        async move { load(signed_in, asked.map_err(OrgError::Refused)?).await }
    });
    let shown = move || asked.get().ok();
    view! {
        <article class="report" aria-labelledby="report-heading">
            <div class="no-print">
                <PeriodChooser shown=Signal::derive(shown) />
            </div>
            <Transition fallback=|| view! { <p role="status">{t("org.reports.preparing")}</p> }>
                {move || data.get().map(|read| match read {
                    Err(OrgError::SignedOut(_)) => view! {
                        <h1 id="report-heading">{t("org.reports.title")}</h1>
                        <p role="alert"><a href="/org">{t("org.reports.sign_in")}</a></p>
                    }.into_any(),
                    Err(e) => view! {
                        <h1 id="report-heading">{t("org.reports.title")}</h1>
                        <p role="alert" class="error">{org_errors::call(&e)}</p>
                    }.into_any(),
                    Ok(data) => view! { <ReportView data /> }.into_any(),
                })}
            </Transition>
        </article>
    }
}

/// The period links and lists: named recent periods, then any month, quarter or ISO week.
#[component]
fn PeriodChooser(shown: Signal<Option<Period>>) -> impl IntoView {
    let today = clock::today();
    let navigate = use_navigate();
    let go = move |period: Period| {
        navigate(&format!("/reports?period={period}"), Default::default());
    };
    let named = NAMED
        .into_iter()
        .map(|recent| {
            let period = recent.period(today);
            view! {
                <a class="chip-link" href=format!("/reports?period={period}")
                    aria-current=move || (shown.get() == Some(period)).then_some("page")>
                    {recent.label()}
                </a>
            }
        })
        .collect_view();
    let of = move |granularity: Granularity| {
        move || {
            shown
                .get()
                .filter(|p| p.granularity() == granularity)
                .map(|p| p.to_string())
                .unwrap_or_default()
        }
    };
    let from_input = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            if let Ok(period) = event_target_value(&ev).parse::<Period>() {
                go(period);
            }
        }
    };
    let quarters = std::iter::successors(
        Some(Period::containing(Granularity::Quarter, today)),
        |q| Some(q.previous()),
    )
    .take(QUARTERS)
    .map(|q| {
        let label = quarter_name(q);
        view! { <option value=q.to_string() selected=move || shown.get() == Some(q)>{label}</option> }
    })
    .collect_view();
    let this_month = Period::containing(Granularity::Month, today).to_string();
    let this_week = Period::containing(Granularity::Week, today).to_string();
    view! {
        <p class="period-links-label" id="report-period">{t("trends.period")}</p>
        <nav class="period-links" aria-labelledby="report-period">{named}</nav>
        <div class="period-inputs">
            <label>
                {t("org.reports.month")}
                <input type="month" max=this_month prop:value=of(Granularity::Month) on:change=from_input.clone() />
            </label>
            <label>
                {t("org.reports.quarter")}
                <select on:change=from_input.clone()>
                    <option value="" selected=move || shown.get().is_none_or(|p| p.granularity() != Granularity::Quarter)>{t("org.reports.choose_quarter")}</option>
                    {quarters}
                </select>
            </label>
            <label>
                {t("org.reports.iso_week")}
                <input type="week" max=this_week prop:value=of(Granularity::Week) on:change=from_input />
            </label>
        </div>
        <p class="muted">{t("org.reports.calendar_only")}</p>
    }
}

/// A quarter in the quarter list: "Q4: October to December 2026", the quarter's number and
/// its months in the language shown.
fn quarter_name(quarter: Period) -> String {
    fill(
        "org.reports.quarter_option",
        &[
            (
                "number",
                &quarter.to_string().rsplit('Q').next().unwrap_or_default(),
            ),
            ("months", &describe(quarter)),
        ],
    )
}

/// A published value as the table shows it.
fn shown_value(value: Option<u32>, threshold: u32) -> String {
    value.map_or_else(
        || fill("org.reports.fewer_than", &[("threshold", &threshold)]),
        |v| intl::number(language(), f64::from(v)),
    )
}

/// The change from the period before: "+12 (+8%)", "−3", "no change", its numbers written
/// the language's way.
fn change_text(value: Value) -> Option<String> {
    let change = value.change()?;
    let sign = match change {
        c if c > 0 => "+",
        c if c < 0 => "\u{2212}",
        _ => return Some(text("org.reports.no_change")),
    };
    let shown = language();
    let percent = value
        .previous
        .filter(|p| *p > 0)
        .map(|p| {
            let percent = ((change.abs() as f64) * 100.0 / f64::from(p)).round();
            format!(" ({sign}{})", intl::percent(shown, percent / 100.0))
        })
        .unwrap_or_default();
    Some(format!(
        "{sign}{}{percent}",
        intl::number(shown, change.abs() as f64)
    ))
}

/// Text with its first letter capitalized.
fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A number for reading: at most two decimals, none when whole, the language's way.
fn readable(n: f64) -> String {
    intl::decimal(language(), n, 2)
}

/// One row of the table: a place, its value, the period before's and the change.
fn value_row(place: String, value: Value, threshold: u32, total: bool) -> impl IntoView {
    let change = change_text(value);
    view! {
        <tr class:total=total class:site=!total>
            <th scope="row">{place}</th>
            <td class="number" class:withheld=value.value.is_none()>{shown_value(value.value, threshold)}</td>
            <td class="number" class:withheld=value.previous.is_none()>{shown_value(value.previous, threshold)}</td>
            <td class="number">
                {match change {
                    Some(text) => view! { <span>{text}</span> }.into_any(),
                    None => view! { <span aria-hidden="true">"—"</span><span class="visually-hidden">{t("org.reports.not_compared")}</span> }.into_any(),
                }}
            </td>
        </tr>
    }
}

/// One indicator's rows: its name, the total, each site and its rate.
fn indicator_rows(row: &IndicatorReport, codebook: &Codebook, threshold: u32) -> impl IntoView {
    let counted = describe_counted(&row.indicator.counted, codebook);
    let rate = row.indicator.denominator.as_ref().map(|d| {
        let per = if d.per_year { "year" } else { "period" };
        let values: [(&str, &dyn std::fmt::Display); 2] =
            [("of", &readable(d.value)), ("label", &d.label)];
        let text = match row.rate {
            Some(rate) => fill(
                &format!("org.reports.rate.{per}"),
                &[("rate", &readable(rate)), values[0], values[1]],
            ),
            None => fill(&format!("org.reports.rate_hidden.{per}"), &values),
        };
        view! { <tr class="rate"><td colspan="4">{text}</td></tr> }
    });
    let sites = row
        .by_site
        .iter()
        .map(|(site, value)| {
            value_row(
                codebook.label(CodeList::Site, site).to_owned(),
                *value,
                threshold,
                false,
            )
        })
        .collect_view();
    let everywhere = if row.indicator.sites.is_empty() {
        text("org.reports.all_sites_total")
    } else {
        text("org.reports.its_sites_total")
    };
    view! {
        <tbody>
            <tr class="indicator">
                <th scope="rowgroup" colspan="4">
                    {row.indicator.name.clone()}
                    <span class="counts">{counted}</span>
                </th>
            </tr>
            {value_row(everywhere, row.total, threshold, true)}
            {sites}
            {rate}
        </tbody>
    }
}

fn print() {
    if let Some(window) = web_sys::window() {
        // Printing is the browser's own dialog; nothing to report if it is refused.
        let _ = window.print();
    }
}

#[component]
fn ReportView(data: ReportData) -> impl IntoView {
    let ReportData {
        session,
        report,
        codebook,
    } = data;
    let threshold = report.threshold;
    let noise = NoiseTable::reaching(threshold).max();
    let (period, previous) = (report.period, report.previous);
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let signed_in = StoredValue::new(session.clone());
    let record = Action::new_local(move |what: &ExportKind| {
        let (session, what) = (signed_in.get_value(), *what);
        async move { org_client::record_export(&session, what).await }
    });
    Effect::new(move |_| {
        if let Some(Err(e)) = record.value().get() {
            problem.set(Some(fill(
                "org.reports.not_audited",
                &[("why", &org_errors::call(&e))],
            )));
        }
    });
    let dhis2 = Action::new_local(move |format: &Dhis2Format| {
        let format = *format;
        async move {
            let text = org_client::dhis2_export(period, format).await?;
            Ok::<_, OrgError>((format, text))
        }
    });
    Effect::new(move |_| match dhis2.value().get() {
        Some(Ok((format, text))) => {
            let (name, mime, kind) = match format {
                Dhis2Format::Json => (
                    format!("peerpulse-dhis2-{period}.json"),
                    "application/json",
                    ExportKind::Dhis2Json,
                ),
                Dhis2Format::Adx => (
                    format!("peerpulse-dhis2-{period}.adx.xml"),
                    "application/adx+xml",
                    ExportKind::Dhis2Adx,
                ),
            };
            match download::save(&name, mime, &text) {
                Ok(()) => {
                    problem.set(None);
                    done.set(Some(fill("org.reports.saved", &[("file", &name)])));
                    record.dispatch(kind);
                }
                Err(e) => problem.set(Some(org_errors::download(&e))),
            }
        }
        Some(Err(e)) => problem.set(Some(org_errors::call(&e))),
        None => {}
    });
    let csv = {
        let book = codebook.clone();
        report_csv(
            &report,
            move |site| match site {
                Some(site) => book.label(CodeList::Site, site).to_owned(),
                None => text("org.reports.all_sites"),
            },
            labels::csv_column,
        )
    };
    let csv_name = format!("peerpulse-report-{period}.csv");
    let save_csv = move |_| match download::save(&csv_name, "text/csv", &csv) {
        Ok(()) => {
            problem.set(None);
            done.set(Some(fill("org.reports.saved", &[("file", &csv_name)])));
            record.dispatch(ExportKind::ReportCsv);
        }
        Err(e) => problem.set(Some(org_errors::download(&e))),
    };
    let print_it = move |_| {
        record.dispatch(ExportKind::ReportPrint);
        print();
    };
    let mapped = report
        .indicators
        .iter()
        .filter(|r| {
            r.indicator
                .dhis2
                .as_ref()
                .is_some_and(|m| m.period_type.granularity() == period.granularity())
        })
        .count();
    let kind_of_period = match period.granularity() {
        Granularity::Week => "weekly",
        Granularity::Quarter => "quarterly",
        _ => "monthly",
    };
    let dhis2_part = session.role.may(Permission::EditCodebook).then(|| {
        let note = if mapped == 0 {
            text(&format!("org.reports.dhis2_none.{kind_of_period}"))
        } else {
            count(&format!("org.reports.dhis2_mapped.{kind_of_period}"), mapped as u64, &[])
        };
        view! {
            <button type="button" class="secondary" disabled=move || dhis2.pending().get()
                on:click=move |_| { dhis2.dispatch(Dhis2Format::Json); }>{t("org.reports.dhis2_json")}</button>
            <button type="button" class="secondary" disabled=move || dhis2.pending().get()
                on:click=move |_| { dhis2.dispatch(Dhis2Format::Adx); }>{t("org.reports.dhis2_adx")}</button>
            <p class="muted dhis2-note">{note}</p>
            <SendToDhis2 session=session.clone() period=period/>
        }
    });
    let body = if report.indicators.is_empty() {
        view! {
            <p>
                {t("org.reports.none_defined")}" "
                <a href="/org#indicators">{t("org.reports.define_them")}</a>
            </p>
        }
        .into_any()
    } else {
        let groups = report
            .indicators
            .iter()
            .map(|row| indicator_rows(row, &codebook, threshold))
            .collect_view();
        view! {
            <table class="report-table">
                <caption class="visually-hidden">{fill("org.reports.caption", &[("period", &describe(period)), ("previous", &describe(previous))])}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t("org.reports.indicator_and_site")}</th>
                        <th scope="col" class="number">{sentence_case(&describe(period))}</th>
                        <th scope="col" class="number">{sentence_case(&describe(previous))}</th>
                        <th scope="col" class="number">{t("org.reports.change")}</th>
                    </tr>
                </thead>
                {groups}
            </table>
        }
        .into_any()
    };
    let made = intl::day(
        language(),
        clock::today(),
        &[("day", "numeric"), ("month", "long"), ("year", "numeric")],
    );
    view! {
        <header>
            <h1 id="report-heading">{fill("org.reports.heading", &[("org", &session.org_name)])}</h1>
            <p class="report-period">{fill("org.reports.compared", &[("period", &sentence_case(&describe(period))), ("previous", &describe(previous))])}</p>
        </header>
        <div class="actions no-print">
            <button type="button" class="primary" on:click=print_it>{t("org.brief.print")}</button>
            <button type="button" class="secondary" on:click=save_csv>{t("org.reports.download_csv")}</button>
            {dhis2_part}
        </div>
        <Show when=move || problem.with(Option::is_some)>
            <p class="error no-print" role="alert">{move || problem.get().unwrap_or_default()}</p>
        </Show>
        <p class="status saved no-print" role="status">{move || done.get().unwrap_or_default()}</p>
        {body}
        <section class="protection" aria-labelledby="protection-heading">
            <h2 id="protection-heading">{t("org.reports.protected_heading")}</h2>
            <p>{fill("org.reports.protected", &[("noise", &noise), ("threshold", &threshold)])}</p>
        </section>
        <footer class="muted">{fill("org.reports.made", &[("day", &made)])}</footer>
    }
}
