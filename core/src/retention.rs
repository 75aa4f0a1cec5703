//! Keeping only what is needed: how long the service keeps per-phone counts before folding
//! them into the organization's totals, and how long a phone keeps entries whose counts the
//! service has confirmed.
//!
//! Folding never changes a published figure: the organization's totals (counts and cell-key
//! sums) already hold every phone's rows, so only the per-phone rows go. A day once folded is
//! closed: a later sync of one of its buckets is answered "closed" and changes nothing.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Fewest months an organization may keep per-phone rows: oversight looks back eight weeks,
/// and phones that were offline a while still get their counts in.
pub const MIN_KEEP_MONTHS: u16 = 3;
/// Most months an organization may ask for (ten years); no phone can sync a day older than
/// [`crate::protocol::MAX_AGE_DAYS`] anyway.
pub const MAX_KEEP_MONTHS: u16 = 120;

/// How many months an organization keeps each phone's own counts of a day; older days keep
/// only the organization's totals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "u16", into = "u16")]
pub struct KeepPhoneRows(u16);

/// A number of months outside [`MIN_KEEP_MONTHS`]..=[`MAX_KEEP_MONTHS`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "per-phone counts are kept {MIN_KEEP_MONTHS} to {MAX_KEEP_MONTHS} months (or always), not {0}"
)]
pub struct InvalidKeepMonths(pub u16);

impl KeepPhoneRows {
    /// Keeps per-phone rows for `months` months.
    pub fn months(months: u16) -> Result<Self, InvalidKeepMonths> {
        if (MIN_KEEP_MONTHS..=MAX_KEEP_MONTHS).contains(&months) {
            Ok(Self(months))
        } else {
            Err(InvalidKeepMonths(months))
        }
    }

    /// The number of months.
    pub fn get(self) -> u16 {
        self.0
    }

    /// The last day whose per-phone rows are folded on `today`: the day before the same date
    /// this many months back, clamped to the month's end (with three months, on 30 November
    /// through 29 August, on 31 May through 27 February).
    pub fn folded_through(self, today: NaiveDate) -> NaiveDate {
        let kept_from = today
            .checked_sub_months(Months::new(u32::from(self.0)))
            .unwrap_or(NaiveDate::MIN);
        kept_from
            .checked_sub_days(Days::new(1))
            .unwrap_or(kept_from)
    }
}

impl TryFrom<u16> for KeepPhoneRows {
    type Error = InvalidKeepMonths;
    fn try_from(months: u16) -> Result<Self, Self::Error> {
        Self::months(months)
    }
}

impl From<KeepPhoneRows> for u16 {
    fn from(keep: KeepPhoneRows) -> Self {
        keep.0
    }
}

/// How long a phone keeps an entry once the service has confirmed its counts: a worker's
/// choice, off by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeepEntries {
    /// Entries stay until the worker deletes them.
    #[default]
    Always,
    /// Entries older than 7 days go once counted.
    Week,
    /// Entries older than 30 days go once counted.
    Month,
    /// Entries older than 90 days go once counted.
    Quarter,
}

impl KeepEntries {
    /// Every choice, in the order the Phone page offers them.
    pub const ALL: [Self; 4] = [Self::Always, Self::Week, Self::Month, Self::Quarter];

    /// Days an entry is kept after its day, if it ever goes.
    pub fn days(self) -> Option<u64> {
        match self {
            Self::Always => None,
            Self::Week => Some(7),
            Self::Month => Some(30),
            Self::Quarter => Some(90),
        }
    }

    /// A short stable name (its serde name), for the form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Always => "always",
            Self::Week => "week",
            Self::Month => "month",
            Self::Quarter => "quarter",
        }
    }

    /// The choice named `name` (see [`Self::as_str`]).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The choice in a worker's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Always => "Keep every entry",
            Self::Week => "After 7 days",
            Self::Month => "After 30 days",
            Self::Quarter => "After 90 days",
        }
    }

    /// Whether an entry of `day`, last changed at device clock `version`, goes on `today`
    /// when the service has settled every change up to `acked_through`: only once it is
    /// older than the choice allows and its counts are confirmed. Its counts stay in the
    /// phone's buckets either way.
    pub fn drops(self, day: NaiveDate, version: u64, acked_through: u64, today: NaiveDate) -> bool {
        let Some(days) = self.days() else {
            return false;
        };
        let Some(kept_from) = today.checked_sub_days(Days::new(days)) else {
            return false;
        };
        day < kept_from && version <= acked_through
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn organizations_keep_phone_rows_three_months_at_least() {
        assert_eq!(KeepPhoneRows::months(2), Err(InvalidKeepMonths(2)));
        assert_eq!(KeepPhoneRows::months(0), Err(InvalidKeepMonths(0)));
        assert_eq!(KeepPhoneRows::months(121), Err(InvalidKeepMonths(121)));
        assert_eq!(KeepPhoneRows::months(3).unwrap().get(), 3);
        assert!(serde_json::from_str::<KeepPhoneRows>("1").is_err());
        assert_eq!(serde_json::from_str::<KeepPhoneRows>("6").unwrap().get(), 6);
    }

    #[test]
    fn days_older_than_the_months_kept_are_folded() {
        let three = KeepPhoneRows::months(3).unwrap();
        assert_eq!(three.folded_through(date("2026-11-30")), date("2026-08-29"));
        // Month ends clamp: three months before 31 May is 28 February.
        assert_eq!(three.folded_through(date("2026-05-31")), date("2026-02-27"));
        let twelve = KeepPhoneRows::months(12).unwrap();
        assert_eq!(
            twelve.folded_through(date("2026-11-30")),
            date("2025-11-29")
        );
    }

    #[test]
    fn a_phone_drops_only_old_entries_whose_counts_are_confirmed() {
        let today = date("2026-11-30");
        let old = date("2026-11-01");
        let recent = date("2026-11-25");
        assert!(KeepEntries::Week.drops(old, 5, 5, today));
        assert!(!KeepEntries::Week.drops(old, 6, 5, today), "unconfirmed");
        assert!(!KeepEntries::Week.drops(recent, 1, 5, today), "too recent");
        assert!(!KeepEntries::Always.drops(old, 1, 5, today), "off");
        assert!(!KeepEntries::Month.drops(old, 1, 5, today));
        assert!(!KeepEntries::Week.drops(date("2026-11-23"), 1, 5, today));
        assert!(KeepEntries::Week.drops(date("2026-11-22"), 1, 5, today));
    }

    #[test]
    fn the_choices_read_back_by_name() {
        for keep in KeepEntries::ALL {
            assert_eq!(KeepEntries::parse(keep.as_str()), Some(keep));
            assert_eq!(
                serde_json::to_string(&keep).unwrap(),
                format!("\"{}\"", keep.as_str())
            );
        }
        assert_eq!(KeepEntries::parse("forever"), None);
    }
}
