//! Calendar periods a published count covers: a day, an ISO week, a month or a quarter.
//!
//! Published counts exist only for these periods, never for an arbitrary run of days. Each
//! day then lies in exactly four periods, so a reader cannot set many overlapping ranges
//! against one another to average the noise of [`crate::privacy::cell_key`] away (the
//! attack that defeats perturbation over free ranges). Tables with fixed categories are how
//! the ABS TableBuilder keeps its cell-key perturbation sound too.
//!
//! In the API a period is written `2026-11-24`, `2026-W48`, `2026-11` or `2026-Q4`.

use chrono::{Datelike, Days, IsoWeek, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How long a period is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Granularity {
    /// One day.
    Day,
    /// An ISO week, Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
    /// A calendar quarter.
    Quarter,
}

/// A day, an ISO week, a calendar month or a calendar quarter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Period {
    /// One day.
    Day(NaiveDate),
    /// The ISO week starting on this Monday.
    Week(NaiveDate),
    /// The month starting on this first day.
    Month(NaiveDate),
    /// The quarter starting on this first day.
    Quarter(NaiveDate),
}

impl Period {
    /// The period of `granularity` that holds `day`.
    pub fn containing(granularity: Granularity, day: NaiveDate) -> Self {
        match granularity {
            Granularity::Day => Self::Day(day),
            Granularity::Week => {
                Self::Week(day - Days::new(u64::from(day.weekday().num_days_from_monday())))
            }
            Granularity::Month => Self::Month(day.with_day(1).expect("every month has a 1st")),
            Granularity::Quarter => {
                let month = (day.month0() / 3) * 3 + 1;
                Self::Quarter(
                    NaiveDate::from_ymd_opt(day.year(), month, 1).expect("a quarter's first day"),
                )
            }
        }
    }

    /// How long it is.
    pub fn granularity(self) -> Granularity {
        match self {
            Self::Day(_) => Granularity::Day,
            Self::Week(_) => Granularity::Week,
            Self::Month(_) => Granularity::Month,
            Self::Quarter(_) => Granularity::Quarter,
        }
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        match self {
            Self::Day(d) | Self::Week(d) | Self::Month(d) | Self::Quarter(d) => d,
        }
    }

    /// Its last day.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day() - Days::new(1)
    }

    /// Whether `day` lies in it.
    pub fn contains(self, day: NaiveDate) -> bool {
        self.first_day() <= day && day <= self.last_day()
    }

    /// The period of the same length right after it.
    pub fn next(self) -> Self {
        match self {
            Self::Day(d) => Self::Day(d + Days::new(1)),
            Self::Week(d) => Self::Week(d + Days::new(7)),
            Self::Month(d) => Self::Month(d + Months::new(1)),
            Self::Quarter(d) => Self::Quarter(d + Months::new(3)),
        }
    }

    /// The period of the same length right before it.
    pub fn previous(self) -> Self {
        match self {
            Self::Day(d) => Self::Day(d - Days::new(1)),
            Self::Week(d) => Self::Week(d - Days::new(7)),
            Self::Month(d) => Self::Month(d - Months::new(1)),
            Self::Quarter(d) => Self::Quarter(d - Months::new(3)),
        }
    }

    /// How a chart of it is split: a week and a month by day, a quarter by the weeks that
    /// start in it. `None` for a day. Each part is a period of its own, published by the
    /// same rule, so the parts of a period need not add up to its total.
    pub fn parts_granularity(self) -> Option<Granularity> {
        match self {
            Self::Day(_) => None,
            Self::Week(_) | Self::Month(_) => Some(Granularity::Day),
            Self::Quarter(_) => Some(Granularity::Week),
        }
    }

    /// The periods of `granularity` that start in it, oldest first.
    pub fn parts(self, granularity: Granularity) -> Vec<Period> {
        let last = self.last_day();
        let mut part = Period::containing(granularity, self.first_day());
        if part.first_day() < self.first_day() {
            part = part.next();
        }
        let mut parts = Vec::new();
        while part.first_day() <= last {
            parts.push(part);
            part = part.next();
        }
        parts
    }

    /// The ISO week, for weeks.
    fn iso_week(self) -> IsoWeek {
        self.first_day().iso_week()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Day(d) => write!(f, "{d}"),
            Self::Week(_) => {
                let w = self.iso_week();
                write!(f, "{}-W{:02}", w.year(), w.week())
            }
            Self::Month(d) => write!(f, "{}-{:02}", d.year(), d.month()),
            Self::Quarter(d) => write!(f, "{}-Q{}", d.year(), d.month0() / 3 + 1),
        }
    }
}

/// A string that names no period.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a period: write a day (2026-11-24), an ISO week (2026-W48), a month (2026-11) or a quarter (2026-Q4)"
)]
pub struct InvalidPeriod(pub String);

impl FromStr for Period {
    type Err = InvalidPeriod;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidPeriod(s.to_owned());
        let number = |t: &str| -> Result<u32, InvalidPeriod> {
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid());
            }
            t.parse().map_err(|_| invalid())
        };
        let (year, rest) = s.split_once('-').ok_or_else(invalid)?;
        if year.len() != 4 {
            return Err(invalid());
        }
        let year = i32::try_from(number(year)?).map_err(|_| invalid())?;
        if let Some(week) = rest.strip_prefix('W') {
            if week.len() != 2 {
                return Err(invalid());
            }
            let monday = NaiveDate::from_isoywd_opt(year, number(week)?, Weekday::Mon)
                .ok_or_else(invalid)?;
            return Ok(Self::Week(monday));
        }
        if let Some(quarter) = rest.strip_prefix('Q') {
            let q = number(quarter)?;
            if !(1..=4).contains(&q) || quarter.len() != 1 {
                return Err(invalid());
            }
            let first = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1).ok_or_else(invalid)?;
            return Ok(Self::Quarter(first));
        }
        match rest.split_once('-') {
            None if rest.len() == 2 => Ok(Self::Month(
                NaiveDate::from_ymd_opt(year, number(rest)?, 1).ok_or_else(invalid)?,
            )),
            Some((month, day)) if month.len() == 2 && day.len() == 2 => Ok(Self::Day(
                NaiveDate::from_ymd_opt(year, number(month)?, number(day)?).ok_or_else(invalid)?,
            )),
            _ => Err(invalid()),
        }
    }
}

impl TryFrom<String> for Period {
    type Error = InvalidPeriod;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Period> for String {
    fn from(p: Period) -> Self {
        p.to_string()
    }
}

/// On the wire a period is a string.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Period {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "A calendar day, ISO week, month or quarter: 2026-11-30, 2026-W48, 2026-11, 2026-Q4",
            ))
            .pattern(Some(r"^[0-9]{4}-([0-9]{2}-[0-9]{2}|W[0-9]{2}|[0-9]{2}|Q[1-4])$"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Period {}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn each_day_lies_in_one_period_of_each_length() {
        let d = day(2026, 11, 29); // a Sunday
        assert_eq!(
            Period::containing(Granularity::Day, d).to_string(),
            "2026-11-29"
        );
        let week = Period::containing(Granularity::Week, d);
        assert_eq!(week.to_string(), "2026-W48");
        assert_eq!((week.first_day(), week.last_day()), (day(2026, 11, 23), d));
        let month = Period::containing(Granularity::Month, d);
        assert_eq!(month.to_string(), "2026-11");
        assert_eq!(month.last_day(), day(2026, 11, 30));
        let quarter = Period::containing(Granularity::Quarter, d);
        assert_eq!(quarter.to_string(), "2026-Q4");
        assert_eq!(
            (quarter.first_day(), quarter.last_day()),
            (day(2026, 10, 1), day(2026, 12, 31))
        );
        assert!(quarter.contains(d) && !quarter.contains(day(2027, 1, 1)));
    }

    #[test]
    fn periods_read_back_what_they_write_and_refuse_anything_else() {
        for text in [
            "2026-11-24",
            "2026-W48",
            "2026-W01",
            "2026-11",
            "2026-Q4",
            "2020-W53",
        ] {
            let period: Period = text.parse().unwrap();
            assert_eq!(period.to_string(), text);
            let json = serde_json::to_string(&period).unwrap();
            assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), period);
        }
        // ISO week 1 of 2026 starts in 2025.
        assert_eq!(
            "2026-W01".parse::<Period>().unwrap().first_day(),
            day(2025, 12, 29)
        );
        for bad in [
            "",
            "2026",
            "2026-13",
            "2026-W54",
            "2026-W5",
            "2026-Q5",
            "2026-Q0",
            "2026-11-31",
            "26-11",
            "2026-1",
            "2026-+1",
            "2026-11-24T00:00",
            "last 30 days",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad:?} parsed");
        }
        let error = "2026-13".parse::<Period>().unwrap_err().to_string();
        assert!(error.contains("2026-W48"), "{error}");
    }

    #[test]
    fn a_period_splits_into_the_parts_that_start_in_it() {
        let month: Period = "2026-11".parse().unwrap();
        let days = month.parts(Granularity::Day);
        assert_eq!(days.len(), 30);
        assert_eq!(days[0], Period::Day(day(2026, 11, 1)));
        let quarter: Period = "2026-Q4".parse().unwrap();
        let weeks = quarter.parts(Granularity::Week);
        // Weeks starting Mon 5 Oct to Mon 28 Dec.
        assert_eq!(weeks.first().unwrap().first_day(), day(2026, 10, 5));
        assert_eq!(weeks.last().unwrap().first_day(), day(2026, 12, 28));
        assert_eq!(weeks.len(), 13);
        assert_eq!(month.previous().to_string(), "2026-10");
        assert_eq!(quarter.next().to_string(), "2027-Q1");
        assert_eq!(Period::Day(day(2026, 11, 1)).parts_granularity(), None);
    }
}
