//! Reports in the form DHIS2 takes them: indicators mapped to DHIS2 data elements and sites
//! to organisation units, exported as a `dataValueSets` JSON document (DHIS2 Web API,
//! "Data values") or as ADX XML (the IHE format DHIS2 and OpenHIE exchange). Only published
//! values are exported: a value the disclosure rule does not show leaves nothing.

use crate::codebook::Code;
use crate::indicator::Report;
use crate::period::{Granularity, Period};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;

/// A DHIS2 identifier: 11 characters, a letter then letters and digits.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uid(String);

/// Why text is not a DHIS2 identifier.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a DHIS2 UID: 11 letters and digits, starting with a letter")]
pub struct InvalidUid(String);

impl Uid {
    /// Parses a UID as DHIS2 shows it.
    pub fn new(raw: &str) -> Result<Self, InvalidUid> {
        let uid = raw.trim();
        let mut chars = uid.chars();
        let valid = uid.len() == 11
            && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric());
        if valid {
            Ok(Self(uid.to_owned()))
        } else {
            Err(InvalidUid(raw.to_owned()))
        }
    }

    /// The UID as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Uid {
    type Error = InvalidUid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(&value)
    }
}

impl From<Uid> for String {
    fn from(uid: Uid) -> Self {
        uid.0
    }
}

/// How often DHIS2 takes a data element's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PeriodType {
    /// ISO weeks (`2026W48`).
    Weekly,
    /// Months (`202611`).
    Monthly,
    /// Quarters (`2026Q4`).
    Quarterly,
}

impl PeriodType {
    /// The calendar period it reports.
    pub fn granularity(self) -> Granularity {
        match self {
            Self::Weekly => Granularity::Week,
            Self::Monthly => Granularity::Month,
            Self::Quarterly => Granularity::Quarter,
        }
    }
}

/// Where one indicator goes in DHIS2.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dhis2Mapping {
    /// The data element.
    pub data_element: Uid,
    /// The category option combo (none: DHIS2's default).
    #[serde(default)]
    pub category_option_combo: Option<Uid>,
    /// How often DHIS2 takes it: only a report of that kind of period exports it.
    pub period_type: PeriodType,
}

/// A mapping that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    /// A UID is malformed.
    #[error(transparent)]
    Uid(#[from] InvalidUid),
}

impl Dhis2Mapping {
    /// Checks it (its UIDs parse already; kept for rules to come).
    pub fn check(&self) -> Result<(), MappingError> {
        Ok(())
    }
}

/// An organization's DHIS2 settings: which organisation unit each site reports as, and the
/// unit for the organization as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dhis2Settings {
    /// The organisation unit of the totals over every site, if they are reported.
    #[serde(default)]
    pub org_unit: Option<Uid>,
    /// The organisation unit of each site reported on its own.
    #[serde(default)]
    pub site_org_units: BTreeMap<Code, Uid>,
    /// The data set the values belong to (ADX groups name it; DHIS2 needs it for ADX).
    #[serde(default)]
    pub data_set: Option<Uid>,
}

/// `period` as DHIS2 writes it: `20261124`, `2026W48`, `202611`, `2026Q4`.
pub fn period_code(period: Period) -> String {
    let first = period.first_day();
    match period.granularity() {
        Granularity::Day => first.format("%Y%m%d").to_string(),
        Granularity::Week => {
            let week = first.iso_week();
            format!("{}W{}", week.year(), week.week())
        }
        Granularity::Month => first.format("%Y%m").to_string(),
        Granularity::Quarter => format!("{}Q{}", first.year(), first.month0() / 3 + 1),
    }
}

/// `period` as ADX writes it: its first day and ISO 8601 duration (`2026-11-01/P1M`).
pub fn adx_period(period: Period) -> String {
    let duration = match period.granularity() {
        Granularity::Day => "P1D",
        Granularity::Week => "P7D",
        Granularity::Month => "P1M",
        Granularity::Quarter => "P3M",
    };
    format!("{}/{duration}", period.first_day())
}

/// One value of a `dataValueSets` document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataValue {
    /// The data element.
    pub data_element: String,
    /// The period code.
    pub period: String,
    /// The organisation unit.
    pub org_unit: String,
    /// The category option combo, if not the default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category_option_combo: Option<String>,
    /// The value, as DHIS2 takes it: a string.
    pub value: String,
}

/// A `dataValueSets` document (`POST /api/dataValueSets`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataValueSet {
    /// The data set, if named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_set: Option<String>,
    /// The values.
    pub data_values: Vec<DataValue>,
}

/// Every published value of `report` that DHIS2 takes: indicators mapped with the report's
/// kind of period, at the organisation units `settings` give, the totals and each mapped site.
pub fn data_values(report: &Report, settings: &Dhis2Settings) -> Vec<DataValue> {
    let period = period_code(report.period);
    let mut values = Vec::new();
    for row in &report.indicators {
        let Some(mapping) = &row.indicator.dhis2 else {
            continue;
        };
        if mapping.period_type.granularity() != report.period.granularity() {
            continue;
        }
        let places = settings
            .org_unit
            .iter()
            .map(|unit| (unit, row.total.value))
            .chain(row.by_site.iter().filter_map(|(site, v)| {
                settings
                    .site_org_units
                    .get(site)
                    .map(|unit| (unit, v.value))
            }));
        for (unit, value) in places {
            if let Some(value) = value {
                values.push(DataValue {
                    data_element: mapping.data_element.as_str().to_owned(),
                    period: period.clone(),
                    org_unit: unit.as_str().to_owned(),
                    category_option_combo: mapping
                        .category_option_combo
                        .as_ref()
                        .map(|c| c.as_str().to_owned()),
                    value: value.to_string(),
                });
            }
        }
    }
    values
}

/// `report` as a `dataValueSets` document.
pub fn data_value_set(report: &Report, settings: &Dhis2Settings) -> DataValueSet {
    DataValueSet {
        data_set: settings.data_set.as_ref().map(|d| d.as_str().to_owned()),
        data_values: data_values(report, settings),
    }
}

/// `report` as an ADX document: one group per organisation unit.
pub fn adx(report: &Report, settings: &Dhis2Settings) -> String {
    let mut groups: BTreeMap<String, Vec<DataValue>> = BTreeMap::new();
    for value in data_values(report, settings) {
        groups
            .entry(value.org_unit.clone())
            .or_default()
            .push(value);
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<adx xmlns=\"urn:ihe:qrph:adx:2015\">\n",
    );
    let period = adx_period(report.period);
    // UIDs are letters and digits, periods digits and '-', '/', 'P': nothing to escape.
    for (unit, values) in groups {
        let data_set = settings
            .data_set
            .as_ref()
            .map(|d| format!(" dataSet=\"{}\"", d.as_str()))
            .unwrap_or_default();
        writeln!(
            xml,
            "  <group orgUnit=\"{unit}\" period=\"{period}\"{data_set}>"
        )
        .expect("writing to a String cannot fail");
        for v in values {
            let combo = v
                .category_option_combo
                .map(|c| format!(" categoryOptionCombo=\"{c}\""))
                .unwrap_or_default();
            writeln!(
                xml,
                "    <dataValue dataElement=\"{}\"{combo} value=\"{}\"/>",
                v.data_element, v.value
            )
            .expect("writing to a String cannot fail");
        }
        xml.push_str("  </group>\n");
    }
    xml.push_str("</adx>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator::{Counted, Indicator, IndicatorReport, Value};
    use chrono::NaiveDate;
    use std::collections::BTreeSet;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn period_codes_are_dhis2s() {
        let on = day(2026, 11, 24);
        let code = |g| period_code(Period::containing(g, on));
        assert_eq!(code(Granularity::Month), "202611");
        assert_eq!(code(Granularity::Quarter), "2026Q4");
        assert_eq!(code(Granularity::Week), "2026W48");
        assert_eq!(code(Granularity::Day), "20261124");
        // ISO week 1 of 2027 starts on 4 January; 1 January 2027 is in 2026W53.
        assert_eq!(
            period_code(Period::containing(Granularity::Week, day(2027, 1, 1))),
            "2026W53"
        );
        assert_eq!(
            adx_period(Period::containing(Granularity::Quarter, on)),
            "2026-10-01/P3M"
        );
    }

    #[test]
    fn uids_are_eleven_letters_and_digits_starting_with_a_letter() {
        assert!(Uid::new("fbfJHSPpUQD").is_ok());
        for bad in ["fbfJHSPpUQ", "1bfJHSPpUQD", "fbfJHSPpUQ-", "fbfJHSPpUQDx"] {
            assert!(Uid::new(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<Uid>("\"short\"").is_err());
    }

    fn report(period: Period) -> Report {
        let mapped = |element: &str, period_type| Indicator {
            id: "contacts".parse().unwrap(),
            name: "Contacts".into(),
            counted: Counted::Encounters,
            sites: BTreeSet::new(),
            denominator: None,
            dhis2: Some(Dhis2Mapping {
                data_element: Uid::new(element).unwrap(),
                category_option_combo: None,
                period_type,
            }),
        };
        let v = |value| Value {
            value,
            previous: None,
        };
        Report {
            period,
            previous: period.previous(),
            threshold: 5,
            indicators: vec![
                IndicatorReport {
                    indicator: mapped("dEContacts1", PeriodType::Monthly),
                    total: v(Some(42)),
                    by_site: vec![
                        ("van".parse().unwrap(), v(Some(30))),
                        ("street".parse().unwrap(), v(None)),
                    ],
                    rate: None,
                },
                IndicatorReport {
                    indicator: mapped("dEQuarterly", PeriodType::Quarterly),
                    total: v(Some(7)),
                    by_site: vec![],
                    rate: None,
                },
            ],
        }
    }

    #[test]
    fn a_data_value_set_holds_published_mapped_values_as_dhis2_documents_them() {
        let month = Period::containing(Granularity::Month, day(2026, 11, 24));
        let settings = Dhis2Settings {
            org_unit: Some(Uid::new("OrgUnitAll1").unwrap()),
            site_org_units: BTreeMap::from([
                ("van".parse().unwrap(), Uid::new("OrgUnitVan1").unwrap()),
                ("street".parse().unwrap(), Uid::new("OrgUnitStr1").unwrap()),
            ]),
            data_set: None,
        };
        let json = serde_json::to_value(data_value_set(&report(month), &settings)).unwrap();
        // The street value is below the threshold: not exported. The quarterly indicator is
        // not in a monthly export.
        assert_eq!(
            json,
            serde_json::json!({"dataValues": [
                {"dataElement": "dEContacts1", "period": "202611", "orgUnit": "OrgUnitAll1", "value": "42"},
                {"dataElement": "dEContacts1", "period": "202611", "orgUnit": "OrgUnitVan1", "value": "30"},
            ]})
        );
        for value in json["dataValues"].as_array().unwrap() {
            assert!(value["value"].is_string());
            for uid in ["dataElement", "orgUnit"] {
                assert!(Uid::new(value[uid].as_str().unwrap()).is_ok());
            }
        }
        let xml = adx(&report(month), &settings);
        assert!(
            xml.contains("<group orgUnit=\"OrgUnitVan1\" period=\"2026-11-01/P1M\">"),
            "{xml}"
        );
        assert!(xml.contains("<dataValue dataElement=\"dEContacts1\" value=\"30\"/>"));
        assert!(!xml.contains("OrgUnitStr1"));
    }
}
