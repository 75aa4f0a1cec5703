//! Capture oversight for managers: encounters each phone logged per day, and phones that went
//! quiet. Only each phone's daily encounter total is used; nothing about any contact.

use crate::org_api::DeviceSummary;
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A phone that has not synced for this many days is flagged as quiet.
pub const QUIET_AFTER_DAYS: i64 = 3;

/// One phone's capture over the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceActivity {
    /// The phone's public id.
    pub device_id: String,
    /// Encounters logged each day of the period, oldest first.
    pub daily: Vec<u32>,
    /// Encounters logged in the last 7 days.
    pub last_week: u32,
    /// When it last synced, if ever.
    pub last_sync_at: Option<String>,
    /// No sync for [`QUIET_AFTER_DAYS`] days (or never).
    pub quiet: bool,
}

/// `GET /api/v1/oversight` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OversightResponse {
    /// The days of the period, oldest first.
    pub days: Vec<NaiveDate>,
    /// Every phone not revoked, quiet ones first.
    pub devices: Vec<DeviceActivity>,
}

/// The oversight grid of `days` days ending `today`, from each phone's daily encounter totals.
pub fn oversight(
    totals: &[(String, NaiveDate, u32)],
    devices: &[DeviceSummary],
    today: NaiveDate,
    days: u32,
    now: DateTime<Utc>,
) -> OversightResponse {
    let first = today - Days::new(u64::from(days.max(1)) - 1);
    let period: Vec<NaiveDate> = first.iter_days().take_while(|d| *d <= today).collect();
    let mut per_device: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (device, day, count) in totals {
        if let Some(slot) = period.iter().position(|d| d == day) {
            per_device
                .entry(device.as_str())
                .or_insert_with(|| vec![0; period.len()])[slot] += count;
        }
    }
    let week_start = today - Days::new(6);
    let mut activity: Vec<DeviceActivity> = devices
        .iter()
        .filter(|d| d.revoked_at.is_none())
        .map(|d| {
            let daily = per_device
                .get(d.id.as_str())
                .cloned()
                .unwrap_or_else(|| vec![0; period.len()]);
            let last_week = period
                .iter()
                .zip(&daily)
                .filter(|(day, _)| **day >= week_start)
                .map(|(_, n)| n)
                .sum();
            let quiet = d
                .last_sync_at
                .as_deref()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .is_none_or(|t| (now - t.with_timezone(&Utc)).num_days() >= QUIET_AFTER_DAYS);
            DeviceActivity {
                device_id: d.id.clone(),
                daily,
                last_week,
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
        days: period,
        devices: activity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(id: &str, last_sync: Option<&str>, revoked: bool) -> DeviceSummary {
        DeviceSummary {
            id: id.into(),
            enrolled_at: "2026-11-01T00:00:00Z".into(),
            last_sync_at: last_sync.map(Into::into),
            revoked_at: revoked.then(|| "2026-11-20T00:00:00Z".into()),
        }
    }

    #[test]
    fn phones_get_a_count_per_day_a_week_total_and_a_quiet_flag() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let now = "2026-11-24T18:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let day = |back| today - Days::new(back);
        let totals = vec![
            ("dev-a".to_owned(), day(0), 4),
            ("dev-a".to_owned(), day(8), 6),
            ("dev-b".to_owned(), day(2), 3),
            ("dev-gone".to_owned(), day(1), 9),
            ("dev-a".to_owned(), day(40), 99),
        ];
        let devices = [
            device("dev-a", Some("2026-11-24T17:00:00Z"), false),
            device("dev-b", Some("2026-11-20T09:00:00Z"), false),
            device("dev-c", None, false),
            device("dev-gone", Some("2026-11-24T10:00:00Z"), true),
        ];
        let grid = oversight(&totals, &devices, today, 14, now);
        assert_eq!(grid.days.len(), 14);
        assert_eq!(grid.days.last(), Some(&today));
        let ids: Vec<_> = grid.devices.iter().map(|d| d.device_id.as_str()).collect();
        // Quiet first (b last synced 4 days ago, c never); revoked phones are left out.
        assert_eq!(ids, ["dev-b", "dev-c", "dev-a"]);
        let a = &grid.devices[2];
        assert_eq!(
            (a.daily[13], a.daily[5], a.last_week, a.quiet),
            (4, 6, 4, false)
        );
        assert_eq!(
            a.daily.iter().sum::<u32>(),
            10,
            "day 40 is outside the period"
        );
        assert!(grid.devices[1].daily.iter().all(|n| *n == 0));
    }
}
