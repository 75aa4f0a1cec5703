//! Capture oversight for managers ("did you write it down?"): how many encounters each
//! phone logged per ISO week, on how many days, and phones that went quiet. Only each
//! phone's encounter totals are used, nothing about any contact, and the weekly counts go
//! through the disclosure rule: a week below the threshold shows as "fewer than", never as
//! the one encounter of a day that could be matched with the trends.

use crate::org_api::DeviceSummary;
use crate::period::{Granularity, Period};
use crate::privacy::DisclosureRule;
use crate::privacy::cell_key::KeyedCount;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A phone that has not synced for this many days is flagged as quiet.
pub const QUIET_AFTER_DAYS: i64 = 3;

/// One phone's capture in one week.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekActivity {
    /// Encounters logged, as published (`None`: fewer than the threshold, or none).
    pub encounters: Option<u32>,
    /// Days with at least one encounter.
    pub days_active: u8,
}

/// One phone's capture over the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceActivity {
    /// The phone's public id.
    pub device_id: String,
    /// Each week of the period, oldest first.
    pub weeks: Vec<WeekActivity>,
    /// When it last synced, if ever.
    pub last_sync_at: Option<String>,
    /// No sync for [`QUIET_AFTER_DAYS`] days (or never).
    pub quiet: bool,
}

/// `GET /api/v1/oversight` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OversightResponse {
    /// The weeks of the period, oldest first (the last holds today).
    pub weeks: Vec<Period>,
    /// No weekly count below this is shown.
    pub threshold: u32,
    /// Every phone not revoked, quiet ones first.
    pub devices: Vec<DeviceActivity>,
}

/// The oversight grid of the `weeks` ISO weeks ending with the one holding `today`, from each
/// phone's daily encounter cells (device, day, count and key over every site).
pub fn oversight(
    rule: DisclosureRule,
    totals: &[(String, NaiveDate, KeyedCount)],
    devices: &[DeviceSummary],
    today: NaiveDate,
    weeks: u32,
    now: DateTime<Utc>,
) -> OversightResponse {
    let mut period = vec![Period::containing(Granularity::Week, today)];
    for _ in 1..weeks.max(1) {
        let earlier = period[0].previous();
        period.insert(0, earlier);
    }
    let mut cells: BTreeMap<(&str, usize), (KeyedCount, BTreeSet<NaiveDate>)> = BTreeMap::new();
    for (device, day, cell) in totals {
        if let Some(slot) = period.iter().position(|w| w.contains(*day)) {
            let (sum, days) = cells.entry((device.as_str(), slot)).or_default();
            *sum += *cell;
            if cell.count > 0 {
                days.insert(*day);
            }
        }
    }
    let mut activity: Vec<DeviceActivity> = devices
        .iter()
        .filter(|d| d.revoked_at.is_none())
        .map(|d| {
            let weeks = (0..period.len())
                .map(|slot| {
                    cells
                        .get(&(d.id.as_str(), slot))
                        .map(|(cell, days)| WeekActivity {
                            encounters: rule.publish(*cell),
                            days_active: u8::try_from(days.len()).unwrap_or(7),
                        })
                        .unwrap_or_default()
                })
                .collect();
            let quiet = d
                .last_sync_at
                .as_deref()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .is_none_or(|t| (now - t.with_timezone(&Utc)).num_days() >= QUIET_AFTER_DAYS);
            DeviceActivity {
                device_id: d.id.clone(),
                weeks,
                last_sync_at: d.last_sync_at.clone(),
                quiet,
            }
        })
        .collect();
    activity.sort_by(|a, b| {
        b.quiet
            .cmp(&a.quiet)
            .then_with(|| a.device_id.cmp(&b.device_id))
    });
    OversightResponse {
        weeks: period,
        threshold: rule.threshold().get(),
        devices: activity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::cell_key::CellKey;
    use chrono::Days;

    fn device(id: &str, last_sync: Option<&str>, revoked: bool) -> DeviceSummary {
        DeviceSummary {
            id: id.into(),
            enrolled_at: "2026-11-01T00:00:00Z".into(),
            last_sync_at: last_sync.map(Into::into),
            revoked_at: revoked.then(|| "2026-11-20T00:00:00Z".into()),
        }
    }

    #[test]
    fn phones_get_a_published_count_and_active_days_per_week_and_a_quiet_flag() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(); // Tuesday of W48
        let now = "2026-11-24T18:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let day = |back| today - Days::new(back);
        let cell = |n, k| KeyedCount::new(n, CellKey(k));
        let totals = vec![
            ("dev-a".to_owned(), day(0), cell(40, 1)),
            ("dev-a".to_owned(), day(1), cell(30, 2)),
            ("dev-a".to_owned(), day(8), cell(1, 3)),
            ("dev-b".to_owned(), day(1), cell(3, 4)),
            ("dev-gone".to_owned(), day(1), cell(9, 5)),
            ("dev-a".to_owned(), day(40), cell(99, 6)),
        ];
        let devices = [
            device("dev-a", Some("2026-11-24T17:00:00Z"), false),
            device("dev-b", Some("2026-11-20T09:00:00Z"), false),
            device("dev-c", None, false),
            device("dev-gone", Some("2026-11-24T10:00:00Z"), true),
        ];
        let rule = DisclosureRule::default();
        let grid = oversight(rule, &totals, &devices, today, 4, now);
        let weeks: Vec<String> = grid.weeks.iter().map(ToString::to_string).collect();
        assert_eq!(weeks, ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]);
        let ids: Vec<_> = grid.devices.iter().map(|d| d.device_id.as_str()).collect();
        // Quiet first (b last synced 4 days ago, c never); revoked phones are left out.
        assert_eq!(ids, ["dev-b", "dev-c", "dev-a"]);
        let a = &grid.devices[2];
        assert_eq!(a.weeks[3].encounters, rule.publish(cell(70, 3)));
        assert_eq!(a.weeks[3].days_active, 2);
        // One encounter in W47: the day is counted, the encounter is not shown.
        assert_eq!(
            a.weeks[2],
            WeekActivity {
                encounters: None,
                days_active: 1
            }
        );
        assert_eq!(
            grid.devices[0].weeks[3],
            WeekActivity {
                encounters: None,
                days_active: 1
            }
        );
        assert!(
            grid.devices[1]
                .weeks
                .iter()
                .all(|w| *w == WeekActivity::default())
        );
    }
}
