//! Program indicators for funders: what an organization reports each month or quarter
//! (contacts, syringes distributed, naloxone kits, referrals...), defined once on the
//! codebook page and computed from the published counts, never from the exact ones.
//!
//! Counts are kept one dimension at a time (a day, a site, one code), never crossed with
//! each other, so that no cell narrows down to a person. An indicator therefore counts one
//! thing (encounters, encounters with one code, units of one supply, phones active) at some
//! or all sites; "naloxone kits given in street outreach to people referred to treatment"
//! cannot be asked, by design.

use crate::bucket::Measure;
use crate::codebook::{Code, CodeList, Codebook};
use crate::csv::Column;
use crate::dhis2::Dhis2Mapping;
use crate::period::Period;
use crate::privacy::DisclosureRule;
use crate::privacy::disclosure::{Cells, SiteCount, cells_of};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What an indicator counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Counted {
    /// Encounters (contacts).
    Encounters,
    /// Encounters with one code: a kind of encounter, a topic, an insight, a need, a supply
    /// handed out or a referral.
    EncountersWith {
        /// The code counted.
        measure: Measure,
    },
    /// Units of one supply handed out.
    SupplyUnits {
        /// The supply.
        supply: Code,
    },
    /// Phones that logged at least one encounter.
    PhonesActive,
}

impl Counted {
    /// The measure summed, for all but phones active.
    fn measure(&self) -> Option<Measure> {
        match self {
            Self::Encounters => Some(Measure::Encounters),
            Self::EncountersWith { measure } => Some(measure.clone()),
            Self::SupplyUnits { supply } => Some(Measure::SupplyUnits(supply.clone())),
            Self::PhonesActive => None,
        }
    }
}

/// A figure an indicator is divided by, entered by a manager: for example the estimated
/// number of people who inject in the area, for syringes per person per year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Denominator {
    /// What it is ("people who inject in the area (2025 estimate)").
    pub label: String,
    /// Its value.
    pub value: f64,
    /// Whether the rate is per year: the period's value scaled to 365 days.
    #[serde(default)]
    pub per_year: bool,
}

/// One indicator of an organization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Indicator {
    /// Its stable id, made from its first name.
    pub id: Code,
    /// What funders read.
    pub name: String,
    /// What it counts.
    pub counted: Counted,
    /// The sites it covers (none: all).
    #[serde(default)]
    pub sites: BTreeSet<Code>,
    /// What it is divided by, if anything.
    #[serde(default)]
    pub denominator: Option<Denominator>,
    /// Where it goes in DHIS2, if it is exported there.
    #[serde(default)]
    pub dhis2: Option<Dhis2Mapping>,
}

/// Why an indicator cannot be stored.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum IndicatorError {
    /// The name is empty, too long, or hides characters.
    #[error("an indicator's name is 1 to {MAX_NAME_CHARS} visible characters")]
    Name,
    /// It counts a code or covers a site the codebook does not have.
    #[error("{0:?} is not in the codebook")]
    UnknownCode(String),
    /// It counts free tags, which are not published per phone use.
    #[error("an indicator counts codes of the codebook, not free tags")]
    FreeTag,
    /// The denominator is not a positive number, or has no label.
    #[error("a denominator is a positive number with a label")]
    Denominator,
    /// Two indicators have the same id.
    #[error("two indicators are called {0:?}")]
    Duplicate(String),
    /// More indicators than a book holds.
    #[error("a book holds at most {MAX_INDICATORS} indicators")]
    TooMany,
    /// The DHIS2 mapping is wrong.
    #[error(transparent)]
    Dhis2(#[from] crate::dhis2::MappingError),
}

/// Most characters in an indicator's name.
pub const MAX_NAME_CHARS: usize = 80;

/// Most indicators in a book: a program reports tens; every reader's report computes each.
pub const MAX_INDICATORS: usize = 100;

impl Indicator {
    /// Checks it against `codebook`: every code and site it names exists there.
    pub fn check(&self, codebook: &Codebook) -> Result<(), IndicatorError> {
        let name = self.name.trim();
        if name.is_empty()
            || name.chars().count() > MAX_NAME_CHARS
            || crate::privacy::fold::hidden_character(name).is_some()
        {
            return Err(IndicatorError::Name);
        }
        let known = |list: CodeList, code: &Code| {
            codebook
                .knows(list, code)
                .then_some(())
                .ok_or_else(|| IndicatorError::UnknownCode(code.to_string()))
        };
        for site in &self.sites {
            known(CodeList::Site, site)?;
        }
        match &self.counted {
            Counted::Encounters | Counted::PhonesActive => {}
            Counted::SupplyUnits { supply } => known(CodeList::Supply, supply)?,
            Counted::EncountersWith { measure } => match measure {
                Measure::Encounters | Measure::Kind(_) | Measure::Reach(_) => {}
                Measure::Topic(c) => known(CodeList::Topic, c)?,
                Measure::Insight(c) => known(CodeList::Insight, c)?,
                Measure::Need(c) => known(CodeList::Need, c)?,
                Measure::Supply(c) | Measure::SupplyUnits(c) => known(CodeList::Supply, c)?,
                Measure::Referral(c) => known(CodeList::Referral, c)?,
                Measure::FreeTag(_) => return Err(IndicatorError::FreeTag),
            },
        }
        if let Some(d) = &self.denominator
            && (!(d.value.is_finite() && d.value > 0.0) || d.label.trim().is_empty())
        {
            return Err(IndicatorError::Denominator);
        }
        if let Some(mapping) = &self.dhis2 {
            mapping.check()?;
        }
        Ok(())
    }
}

/// Checks a whole set: each indicator, and no id twice.
pub fn check_all(indicators: &[Indicator], codebook: &Codebook) -> Result<(), IndicatorError> {
    if indicators.len() > MAX_INDICATORS {
        return Err(IndicatorError::TooMany);
    }
    let mut ids = BTreeSet::new();
    for indicator in indicators {
        indicator.check(codebook)?;
        if !ids.insert(&indicator.id) {
            return Err(IndicatorError::Duplicate(indicator.id.to_string()));
        }
    }
    Ok(())
}

/// The starter set a manager can adopt, as far as `codebook` has its codes: contacts,
/// syringes and needles distributed, naloxone kits distributed, referrals to treatment,
/// referrals to testing, and overdose-related insights (adverse reactions).
pub fn starter_set(codebook: &Codebook) -> Vec<Indicator> {
    let code = |s: &str| s.parse::<Code>().expect("a starter code is a code");
    let candidates = [
        ("Contacts", Counted::Encounters),
        (
            "Syringes and needles distributed",
            Counted::SupplyUnits {
                supply: code("needles-syringes"),
            },
        ),
        (
            "Naloxone kits distributed",
            Counted::SupplyUnits {
                supply: code("naloxone-kit"),
            },
        ),
        (
            "Referrals to drug treatment",
            Counted::EncountersWith {
                measure: Measure::Referral(code("drug-treatment")),
            },
        ),
        (
            "Referrals to HIV or hep C testing",
            Counted::EncountersWith {
                measure: Measure::Referral(code("testing-service")),
            },
        ),
        (
            "Overdose-related insights (adverse reactions)",
            Counted::EncountersWith {
                measure: Measure::Insight(code("adverse-reaction")),
            },
        ),
    ];
    candidates
        .into_iter()
        .map(|(name, counted)| Indicator {
            id: Code::from_label(name).expect("a starter name makes a code"),
            name: name.to_owned(),
            counted,
            sites: BTreeSet::new(),
            denominator: None,
            dhis2: None,
        })
        .filter(|i| i.check(codebook).is_ok())
        .collect()
}

/// An indicator's value for one period at one place, as published.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Value {
    /// The published value (`None`: below the threshold, so not shown and not exported).
    pub value: Option<u32>,
    /// The same for the period before.
    pub previous: Option<u32>,
}

impl Value {
    /// The change from the period before, when both are published.
    pub fn change(self) -> Option<i64> {
        Some(i64::from(self.value?) - i64::from(self.previous?))
    }
}

/// One indicator in a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorReport {
    /// The indicator.
    pub indicator: Indicator,
    /// Over every site it covers (one published cell, not a sum of the sites' values).
    pub total: Value,
    /// Each site it covers, in codebook order.
    pub by_site: Vec<(Code, Value)>,
    /// The total divided by the denominator (per year if it says so), when both are known.
    pub rate: Option<f64>,
}

/// A report: every indicator for a period and the one before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    /// The period reported.
    pub period: Period,
    /// The one it is compared with.
    pub previous: Period,
    /// No value below this is shown.
    pub threshold: u32,
    /// The indicators, in the organization's order.
    pub indicators: Vec<IndicatorReport>,
}

/// Phones that logged an encounter, per site and period, for [`Counted::PhonesActive`].
pub trait PhonesActive {
    /// Phones that logged an encounter in `period` at `sites` (none: any site).
    fn phones_active(&self, period: Period, sites: &BTreeSet<Code>) -> u32;
}

/// The report of `indicators` for `period` from the organization's `counts` (as the codebook
/// codes them now, covering `period` and the one before). Every count goes through `rule`:
/// what may not be shown is `None`, and exports leave it out. The total is its own published
/// cell, so it need not equal the sum of the sites' values (each carries its own noise, and a
/// site below the threshold is left out).
pub fn report(
    rule: DisclosureRule,
    indicators: &[Indicator],
    codebook: &Codebook,
    counts: &[SiteCount],
    phones: &impl PhonesActive,
    period: Period,
) -> Report {
    let previous = period.previous();
    // Every cell a report reads, summed once: the two periods at every site and at each site,
    // whatever the number of indicators (a book of thousands summed them once per indicator
    // and site, and three reports held the service for a minute).
    let mut summed: BTreeMap<(Period, Option<&Code>), Cells<'_>> = BTreeMap::new();
    for p in [period, previous] {
        summed.insert((p, None), cells_of(counts, p, None));
        for entry in &codebook.sites {
            summed.insert(
                (p, Some(&entry.code)),
                cells_of(counts, p, Some(&entry.code)),
            );
        }
    }
    // One published cell: a period at one site, or at every site (`None`), as trends
    // publish it. Units are shown only beside the encounters they were handed out in (see
    // `publish_cells`): twenty syringes given to one person are still one person.
    let cell_at = |measure: &Measure, period: Period, site: Option<&Code>| {
        let cells = summed.get(&(period, site));
        let published = |m: &Measure| {
            cells
                .and_then(|cells| cells.get(m))
                .and_then(|cell| rule.publish(*cell))
        };
        match measure {
            Measure::SupplyUnits(item) => {
                published(&Measure::Supply(item.clone())).and_then(|_| published(measure))
            }
            _ => published(measure),
        }
    };
    let value_at = |indicator: &Indicator, period: Period, sites: &BTreeSet<Code>| {
        let Some(measure) = indicator.counted.measure() else {
            // Phones active is exact: shown for every site only, and only when the period's
            // encounters are published, so that it never tells a place or a period with a
            // few encounters from one with none.
            return (sites.is_empty() && cell_at(&Measure::Encounters, period, None).is_some())
                .then(|| phones.phones_active(period, sites));
        };
        match sites.len() {
            0 => cell_at(&measure, period, None),
            1 => cell_at(&measure, period, sites.first()),
            // A set of sites is no cell of its own: with noise of its own, the sets with and
            // without a small site would each give that site's count plus fresh noise, and
            // enough of them average the noise away. It is the sum of what its sites publish.
            _ => sites
                .iter()
                .filter_map(|site| cell_at(&measure, period, Some(site)))
                .reduce(|a, b| a.saturating_add(b)),
        }
    };
    let value = |indicator: &Indicator, sites: &BTreeSet<Code>| Value {
        value: value_at(indicator, period, sites),
        previous: value_at(indicator, previous, sites),
    };
    let reports = indicators
        .iter()
        .map(|indicator| {
            let covered: Vec<Code> = codebook
                .sites
                .iter()
                .map(|e| e.code.clone())
                .filter(|s| indicator.sites.is_empty() || indicator.sites.contains(s))
                .collect();
            let total = value(indicator, &indicator.sites);
            let by_site = covered
                .into_iter()
                .map(|site| {
                    let one = BTreeSet::from([site.clone()]);
                    (site, value(indicator, &one))
                })
                .collect();
            let rate = indicator.denominator.as_ref().and_then(|d| {
                let days = (period.last_day() - period.first_day()).num_days() + 1;
                let scale = if d.per_year { 365.0 / days as f64 } else { 1.0 };
                total.value.map(|v| f64::from(v) * scale / d.value)
            });
            IndicatorReport {
                indicator: indicator.clone(),
                total,
                by_site,
                rate,
            }
        })
        .collect();
    Report {
        period,
        previous,
        threshold: rule.threshold().get(),
        indicators: reports,
    }
}

/// A report as CSV: one row per indicator and place (the total first, site `all`), the
/// site's code beside its name as `site_label` writes it, with the period, the value, the
/// period before and the change, under headers `heading` writes; values that may not be
/// shown are empty.
pub fn report_csv(
    report: &Report,
    site_label: impl Fn(Option<&Code>) -> String,
    heading: impl Fn(Column) -> String,
) -> String {
    let cell = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
    let rows = report.indicators.iter().flat_map(|r| {
        let total = (None, r.total);
        std::iter::once(total)
            .chain(r.by_site.iter().map(|(s, v)| (Some(s), *v)))
            .map(|(site, v)| {
                [
                    r.indicator.name.clone(),
                    site.map_or_else(|| "all".to_owned(), ToString::to_string),
                    site_label(site),
                    report.period.to_string(),
                    cell(v.value),
                    report.previous.to_string(),
                    cell(v.previous),
                    v.change().map(|c| c.to_string()).unwrap_or_default(),
                ]
            })
            .collect::<Vec<_>>()
    });
    crate::csv::headed(
        [
            Column::Indicator,
            Column::Site,
            Column::SiteLabel,
            Column::Period,
            Column::Figure,
            Column::PreviousPeriod,
            Column::PreviousValue,
            Column::Change,
        ],
        heading,
        rows,
    )
}

/// An organization's indicators and how they go to DHIS2, at a version.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorBook {
    /// Raised by each change; a change made on an older one is refused.
    pub version: u32,
    /// The indicators, in the order reports show them.
    pub indicators: Vec<Indicator>,
    /// Which DHIS2 organisation units the totals and sites report as.
    #[serde(default)]
    pub dhis2: crate::dhis2::Dhis2Settings,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::Granularity;
    use crate::privacy::SuppressionThreshold;
    use crate::privacy::cell_key::{CellKey, KeyedCount};
    use chrono::NaiveDate;

    fn code(s: &str) -> Code {
        s.parse().unwrap()
    }

    struct NoPhones;
    impl PhonesActive for NoPhones {
        fn phones_active(&self, _: Period, sites: &BTreeSet<Code>) -> u32 {
            if sites.is_empty() { 4 } else { 2 }
        }
    }

    fn count(day: u32, site: &str, measure: Measure, n: u32) -> SiteCount {
        SiteCount {
            day: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            site: code(site),
            measure,
            // Key 0 on one bucket: the noise of a cell of one bucket is the table's at 0.
            cell: KeyedCount::new(n, CellKey(0)),
        }
    }

    #[test]
    fn the_starter_set_is_valid_against_the_default_codebook() {
        let book = Codebook::harm_reduction_default();
        let set = starter_set(&book);
        assert_eq!(set.len(), 6);
        assert!(check_all(&set, &book).is_ok());
        assert_eq!(set[0].id.as_str(), "contacts");
    }

    #[test]
    fn indicators_naming_unknown_codes_free_tags_or_bad_denominators_are_refused() {
        let book = Codebook::harm_reduction_default();
        let mut i = starter_set(&book).remove(0);
        i.sites.insert(code("the-moon"));
        assert_eq!(
            i.check(&book),
            Err(IndicatorError::UnknownCode("the-moon".into()))
        );
        i.sites.clear();
        i.counted = Counted::EncountersWith {
            measure: Measure::FreeTag(code("coats")),
        };
        assert_eq!(i.check(&book), Err(IndicatorError::FreeTag));
        i.counted = Counted::Encounters;
        i.denominator = Some(Denominator {
            label: "people who inject".into(),
            value: 0.0,
            per_year: true,
        });
        assert_eq!(i.check(&book), Err(IndicatorError::Denominator));
        i.denominator = None;
        i.name = " ".into();
        assert_eq!(i.check(&book), Err(IndicatorError::Name));
        let twice = vec![starter_set(&book).remove(0), starter_set(&book).remove(0)];
        assert!(matches!(
            check_all(&twice, &book),
            Err(IndicatorError::Duplicate(_))
        ));
    }

    #[test]
    fn a_report_publishes_each_value_by_the_rule_with_the_period_before_and_a_rate() {
        let book = Codebook::harm_reduction_default();
        let month = Period::containing(
            Granularity::Month,
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        );
        let mut counts = vec![
            count(3, "van", Measure::Encounters, 30),
            count(4, "street", Measure::Encounters, 3),
            count(3, "van", Measure::Supply(code("needles-syringes")), 20),
            count(
                3,
                "van",
                Measure::SupplyUnits(code("needles-syringes")),
                400,
            ),
            count(4, "street", Measure::Supply(code("needles-syringes")), 2),
            count(
                4,
                "street",
                Measure::SupplyUnits(code("needles-syringes")),
                300,
            ),
        ];
        counts.push(SiteCount {
            day: NaiveDate::from_ymd_opt(2026, 10, 9).unwrap(),
            ..count(1, "van", Measure::Encounters, 25)
        });
        let mut indicators = starter_set(&book);
        indicators[1].denominator = Some(Denominator {
            label: "people who inject in the area".into(),
            value: 1000.0,
            per_year: true,
        });
        indicators.push(Indicator {
            id: code("phones"),
            name: "Phones active".into(),
            counted: Counted::PhonesActive,
            sites: BTreeSet::new(),
            denominator: None,
            dhis2: None,
        });
        let rule = DisclosureRule::new(SuppressionThreshold::new(5).unwrap());
        let report = report(rule, &indicators, &book, &counts, &NoPhones, month);
        assert_eq!(report.previous.to_string(), "2026-10");
        let contacts = &report.indicators[0];
        // Every value is published through the rule, so it is near the truth, never exact
        // by construction; 3 street contacts are below the threshold and not shown.
        let near = |v: Option<u32>, truth: u32| v.is_some_and(|v| v.abs_diff(truth) <= 5);
        assert!(near(contacts.total.value, 33), "{:?}", contacts.total);
        assert!(near(contacts.total.previous, 25));
        let street = contacts
            .by_site
            .iter()
            .find(|(s, _)| s.as_str() == "street")
            .unwrap();
        assert_eq!(street.1.value, None);
        // 300 syringes handed out in 2 street encounters: not shown, for they are two people.
        let syringes = &report.indicators[1];
        let street = syringes
            .by_site
            .iter()
            .find(|(s, _)| s.as_str() == "street")
            .unwrap();
        assert_eq!(street.1.value, None);
        assert!(near(syringes.total.value, 700));
        let rate = syringes.rate.unwrap();
        let expected = f64::from(syringes.total.value.unwrap()) * 365.0 / 30.0 / 1000.0;
        assert!((rate - expected).abs() < 1e-9);
        let phones = report.indicators.last().unwrap();
        assert_eq!(phones.total.value, Some(4));
        assert_eq!(phones.total.change(), Some(0));
        let csv = report_csv(
            &report,
            |s| s.map_or_else(|| "All".to_owned(), |s| s.to_string().to_uppercase()),
            |c| c.name().to_owned(),
        );
        assert!(csv.starts_with(
            "indicator,site,site_label,period,value,previous_period,previous_value,change\r\n"
        ));
        assert!(
            csv.contains("Contacts,street,STREET,2026-11,,2026-10,,\r\n"),
            "{csv}"
        );
        assert!(csv.contains("Contacts,all,All,2026-11,"), "{csv}");
    }
}
