//! Reports in the form DHIS2 takes them: indicators mapped to DHIS2 data elements and sites
//! to organisation units, exported as a `dataValueSets` JSON document (DHIS2 Web API,
//! "Data values") or as ADX XML (the IHE format DHIS2 and OpenHIE exchange). Only published
//! values are exported: a value the disclosure rule does not show leaves nothing.

use crate::dhis2::{DataValue, DataValueSet, Dhis2Settings, adx_period, period_code};
use crate::indicator::Report;
use std::collections::BTreeMap;
use std::fmt::Write;

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
    use crate::dhis2::{Dhis2Mapping, PeriodType, Uid};
    use crate::indicator::{Counted, Indicator, IndicatorReport, Value};
    use crate::period::{Granularity, Period};
    use chrono::NaiveDate;
    use std::collections::BTreeSet;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
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
