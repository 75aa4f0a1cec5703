//! Capture oversight for managers ("did you write it down?"): how many encounters each
//! phone logged per ISO week, on how many days, and phones that went quiet. Only each
//! phone's encounter totals are used, nothing about any contact, and the weekly counts go
//! through the disclosure rule: a week below the threshold shows as "fewer than", never as
//! the one encounter of a day that could be matched with the trends.

use crate::org_api::DeviceSummary;
use crate::period::{Granularity, Period};
use crate::phone_label::PhoneLabel;
use crate::privacy::DisclosureRule;
use crate::privacy::cell_key::KeyedCount;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A phone is flagged after this many days without a sync or an encounter, when it has not
/// logged on enough days yet for its own rhythm to say otherwise.
pub const QUIET_AFTER_DAYS: u32 = 7;
/// Fewest days a phone must have logged on before its own rhythm sets when it is quiet.
pub const RHYTHM_AFTER_DAYS: usize = 3;
/// A phone is flagged once its silence is this many times its usual gap between days it logs
/// on (never sooner than [`SOONEST_QUIET_DAYS`]).
pub const USUAL_GAPS: u32 = 2;
/// Fewest days of silence ever flagged: a day or two off is nobody's business.
pub const SOONEST_QUIET_DAYS: u32 = 3;

/// One phone's capture in one week.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekActivity {
    /// Encounters logged, as published (`None`: fewer than the threshold, or none).
    pub encounters: Option<u32>,
    /// Days with at least one encounter.
    pub days_active: u8,
    /// The organization folded some or all of this week's per-phone counts into its totals
    /// (see [`crate::retention`]): what this phone logged that week is no longer known here,
    /// so `encounters` and `days_active` say nothing, rather than zero.
    #[serde(default)]
    pub folded: bool,
}

/// Why a phone is flagged: something a manager may ask a worker about, to help, not to blame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Quiet {
    /// Enrolled a while ago and never synced: maybe it was never set up, or it is lost.
    NeverSynced,
    /// No sync for this many days, longer than its usual rhythm: nothing it logged since is
    /// known here.
    NotSynced {
        /// Days since its last sync.
        days: u32,
    },
    /// It syncs, but has logged nothing for this many days, longer than its usual rhythm.
    NothingLogged {
        /// Days since the last day it logged on (`None`: not in the weeks shown).
        days: Option<u32>,
    },
}

/// One phone's capture over the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceActivity {
    /// The phone's public id.
    pub device_id: String,
    /// What its managers call it, if they named it.
    #[serde(default)]
    pub label: Option<PhoneLabel>,
    /// Each week of the period, oldest first.
    pub weeks: Vec<WeekActivity>,
    /// When it last synced, if ever.
    pub last_sync_at: Option<String>,
    /// It was revoked: it is listed only while its counts are in the weeks shown, so the rows
    /// account for every encounter the trends count.
    #[serde(default)]
    pub revoked: bool,
    /// The days it usually leaves between days it logs on (the median gap), once it logged on
    /// [`RHYTHM_AFTER_DAYS`] days in the weeks shown.
    #[serde(default)]
    pub usual_gap_days: Option<u32>,
    /// Why it is flagged, if it is.
    #[serde(default)]
    pub quiet: Option<Quiet>,
}

/// `GET /api/v1/oversight` answer (and `/mine`, a phone's own row).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OversightResponse {
    /// The weeks of the period, oldest first (the last holds today).
    pub weeks: Vec<Period>,
    /// No weekly count below this is shown.
    pub threshold: u32,
    /// Every phone not revoked, and revoked ones with counts in the weeks shown; flagged ones
    /// first.
    pub devices: Vec<DeviceActivity>,
    /// The last day whose per-phone counts the organization folded into its totals, if any.
    #[serde(
        default,
        with = "crate::date_wire::optional_day",
        skip_serializing_if = "Option::is_none"
    )]
    pub folded_through: Option<NaiveDate>,
}

/// The median of the gaps between consecutive `days` (sorted), in days.
fn usual_gap(days: &BTreeSet<NaiveDate>) -> Option<u32> {
    if days.len() < RHYTHM_AFTER_DAYS {
        return None;
    }
    let mut gaps: Vec<u32> = days
        .iter()
        .zip(days.iter().skip(1))
        .map(|(a, b)| u32::try_from((*b - *a).num_days()).unwrap_or(u32::MAX))
        .collect();
    gaps.sort_unstable();
    Some(gaps[gaps.len() / 2])
}

/// Whole days from `then` (RFC 3339) to `now`, if `then` reads as a time.
fn days_since(then: Option<&str>, now: DateTime<Utc>) -> Option<u32> {
    let then = DateTime::parse_from_rfc3339(then?).ok()?;
    u32::try_from((now - then.with_timezone(&Utc)).num_days().max(0)).ok()
}

/// Why `device`, which logged on `days` (in the weeks shown) and usually leaves `gap` days
/// between them, is flagged at `now`, if it is.
fn quiet(
    device: &DeviceSummary,
    days: &BTreeSet<NaiveDate>,
    gap: Option<u32>,
    now: DateTime<Utc>,
) -> Option<Quiet> {
    if device.revoked_at.is_some() {
        return None;
    }
    let allowed = gap.map_or(QUIET_AFTER_DAYS, |g| {
        g.saturating_mul(USUAL_GAPS).max(SOONEST_QUIET_DAYS)
    });
    let enrolled = days_since(Some(&device.enrolled_at), now).unwrap_or(0);
    match days_since(device.last_sync_at.as_deref(), now) {
        None => (enrolled >= allowed).then_some(Quiet::NeverSynced),
        Some(since_sync) if since_sync >= allowed => Some(Quiet::NotSynced { days: since_sync }),
        Some(_) => {
            let today = now.date_naive();
            let since_logged = days
                .last()
                .map(|d| u32::try_from((today - *d).num_days().max(0)).unwrap_or(u32::MAX));
            match since_logged {
                Some(n) if n >= allowed => Some(Quiet::NothingLogged { days: Some(n) }),
                Some(_) => None,
                None => (enrolled >= allowed).then_some(Quiet::NothingLogged { days: None }),
            }
        }
    }
}

/// The oversight grid of the `weeks` ISO weeks ending with the one holding `today`, from each
/// phone's daily encounter cells (device, day, count and key over every site). Weeks that
/// begin on or before `folded_through` are marked folded, never shown as empty.
pub fn oversight(
    rule: DisclosureRule,
    totals: &[(String, NaiveDate, KeyedCount)],
    devices: &[DeviceSummary],
    today: NaiveDate,
    weeks: u32,
    now: DateTime<Utc>,
    folded_through: Option<NaiveDate>,
) -> OversightResponse {
    let mut period = vec![Period::containing(Granularity::Week, today)];
    for _ in 1..weeks.max(1) {
        let earlier = period[0].previous();
        period.insert(0, earlier);
    }
    let mut cells: BTreeMap<(&str, usize), (KeyedCount, BTreeSet<NaiveDate>)> = BTreeMap::new();
    let mut active: BTreeMap<&str, BTreeSet<NaiveDate>> = BTreeMap::new();
    for (device, day, cell) in totals {
        if let Some(slot) = period.iter().position(|w| w.contains(*day)) {
            let (sum, days) = cells.entry((device.as_str(), slot)).or_default();
            *sum += *cell;
            if cell.count > 0 {
                days.insert(*day);
                active.entry(device.as_str()).or_default().insert(*day);
            }
        }
    }
    let none = BTreeSet::new();
    let mut activity: Vec<DeviceActivity> = devices
        .iter()
        .filter(|d| d.revoked_at.is_none() || active.contains_key(d.id.as_str()))
        .map(|d| {
            let weeks = (0..period.len())
                .map(|slot| {
                    if folded_through.is_some_and(|f| period[slot].first_day() <= f) {
                        return WeekActivity {
                            folded: true,
                            ..WeekActivity::default()
                        };
                    }
                    cells
                        .get(&(d.id.as_str(), slot))
                        .map(|(cell, days)| WeekActivity {
                            encounters: rule.publish(*cell),
                            days_active: u8::try_from(days.len()).unwrap_or(7),
                            folded: false,
                        })
                        .unwrap_or_default()
                })
                .collect();
            let days = active.get(d.id.as_str()).unwrap_or(&none);
            let usual_gap_days = usual_gap(days);
            DeviceActivity {
                device_id: d.id.clone(),
                label: d.label.clone(),
                weeks,
                last_sync_at: d.last_sync_at.clone(),
                revoked: d.revoked_at.is_some(),
                usual_gap_days,
                quiet: quiet(d, days, usual_gap_days, now),
            }
        })
        .collect();
    activity.sort_by(|a, b| {
        b.quiet
            .is_some()
            .cmp(&a.quiet.is_some())
            .then_with(|| a.revoked.cmp(&b.revoked))
            .then_with(|| a.label.cmp(&b.label))
            .then_with(|| a.device_id.cmp(&b.device_id))
    });
    OversightResponse {
        weeks: period,
        threshold: rule.threshold().get(),
        devices: activity,
        folded_through,
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
            label: None,
            enrolled_at: "2026-11-01T00:00:00Z".into(),
            last_sync_at: last_sync.map(Into::into),
            revoked_at: revoked.then(|| "2026-11-20T00:00:00Z".into()),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap() // Tuesday of W48
    }

    fn now() -> DateTime<Utc> {
        "2026-11-24T18:00:00Z".parse().unwrap()
    }

    fn cell(n: u32, k: u32) -> KeyedCount {
        KeyedCount::new(n, CellKey(k))
    }

    #[test]
    fn phones_get_a_published_count_and_active_days_per_week() {
        let day = |back| today() - Days::new(back);
        let totals = vec![
            ("dev-a".to_owned(), day(0), cell(40, 1)),
            ("dev-a".to_owned(), day(1), cell(30, 2)),
            ("dev-a".to_owned(), day(8), cell(1, 3)),
            ("dev-b".to_owned(), day(1), cell(3, 4)),
            ("dev-a".to_owned(), day(40), cell(99, 6)),
        ];
        let devices = [
            device("dev-a", Some("2026-11-24T17:00:00Z"), false),
            device("dev-b", Some("2026-11-24T09:00:00Z"), false),
        ];
        let rule = DisclosureRule::default();
        let grid = oversight(rule, &totals, &devices, today(), 4, now(), None);
        let weeks: Vec<String> = grid.weeks.iter().map(ToString::to_string).collect();
        assert_eq!(weeks, ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]);
        let a = &grid.devices[0];
        assert_eq!(a.device_id, "dev-a");
        assert_eq!(a.weeks[3].encounters, rule.publish(cell(70, 3)));
        assert_eq!(a.weeks[3].days_active, 2);
        // One encounter in W47: the day is counted, the encounter is not shown.
        assert_eq!(
            a.weeks[2],
            WeekActivity {
                encounters: None,
                days_active: 1,
                folded: false,
            }
        );
        assert_eq!(grid.devices[1].weeks[3].encounters, None);
    }

    #[test]
    fn a_phone_is_quiet_against_its_own_rhythm_not_a_fixed_rule() {
        let day = |back| today() - Days::new(back);
        let mut totals = Vec::new();
        // Daily logs until 4 days ago: quiet (twice its usual gap of 1 is 2; never under 3).
        for back in 4..20 {
            totals.push(("daily".to_owned(), day(back), cell(6, 1)));
        }
        // Logs every 7 days, last 6 days ago: that is its rhythm, not a silence.
        for back in [6, 13, 20, 27, 34] {
            totals.push(("weekly".to_owned(), day(back), cell(6, 1)));
        }
        // Logged every 3 days until 12 days ago: quiet after 6.
        for back in [12, 15, 18, 21] {
            totals.push(("sparse".to_owned(), day(back), cell(6, 1)));
        }
        let synced = Some("2026-11-24T08:00:00Z");
        let devices = [
            device("daily", synced, false),
            device("weekly", synced, false),
            device("sparse", synced, false),
            device("unsynced", Some("2026-11-10T08:00:00Z"), false),
            device("never", None, false),
        ];
        let grid = oversight(
            DisclosureRule::default(),
            &totals,
            &devices,
            today(),
            8,
            now(),
            None,
        );
        let quiet: BTreeMap<&str, (Option<Quiet>, Option<u32>)> = grid
            .devices
            .iter()
            .map(|d| (d.device_id.as_str(), (d.quiet, d.usual_gap_days)))
            .collect();
        assert_eq!(
            quiet["daily"],
            (Some(Quiet::NothingLogged { days: Some(4) }), Some(1))
        );
        assert_eq!(quiet["weekly"], (None, Some(7)));
        assert_eq!(
            quiet["sparse"],
            (Some(Quiet::NothingLogged { days: Some(12) }), Some(3))
        );
        assert_eq!(
            quiet["unsynced"],
            (Some(Quiet::NotSynced { days: 14 }), None)
        );
        assert_eq!(quiet["never"], (Some(Quiet::NeverSynced), None));
        // Flagged phones first.
        assert!(grid.devices[..4].iter().all(|d| d.quiet.is_some()));
        assert_eq!(grid.devices[4].device_id, "weekly");
    }

    #[test]
    fn a_new_phone_is_not_flagged_before_it_had_a_chance() {
        let mut new = device("new", None, false);
        new.enrolled_at = "2026-11-23T10:00:00Z".into();
        let grid = oversight(
            DisclosureRule::default(),
            &[],
            &[new],
            today(),
            8,
            now(),
            None,
        );
        assert_eq!(grid.devices[0].quiet, None);
    }

    #[test]
    fn a_revoked_phone_is_listed_while_its_counts_are_shown_so_rows_add_up() {
        let totals = vec![("gone".to_owned(), today(), cell(9, 5))];
        let devices = [
            device("gone", Some("2026-11-24T10:00:00Z"), true),
            device("gone-long-ago", Some("2026-10-01T10:00:00Z"), true),
        ];
        let grid = oversight(
            DisclosureRule::default(),
            &totals,
            &devices,
            today(),
            8,
            now(),
            None,
        );
        let ids: Vec<_> = grid.devices.iter().map(|d| d.device_id.as_str()).collect();
        assert_eq!(ids, ["gone"]);
        assert!(grid.devices[0].revoked);
        assert_eq!(
            grid.devices[0].quiet, None,
            "a revoked phone is not asked after"
        );
    }

    #[test]
    fn weeks_whose_phone_counts_were_folded_say_so_rather_than_nothing() {
        let day = |back| today() - Days::new(back);
        let totals = vec![("dev-a".to_owned(), day(1), cell(40, 1))];
        let devices = [device("dev-a", Some("2026-11-24T17:00:00Z"), false)];
        // Folded through Tuesday of W46: W45 and W46 are folded, W47 and W48 are not.
        let folded = Some(day(14));
        let grid = oversight(
            DisclosureRule::default(),
            &totals,
            &devices,
            today(),
            4,
            now(),
            folded,
        );
        assert_eq!(grid.folded_through, folded);
        let weeks = &grid.devices[0].weeks;
        assert!(weeks[0].folded && weeks[1].folded);
        assert_eq!(weeks[0].encounters, None);
        assert!(!weeks[2].folded && !weeks[3].folded);
        assert!(weeks[3].encounters.is_some());
    }
}
