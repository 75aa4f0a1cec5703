//! Calendar days as `YYYY-MM-DD`, the form a date input holds, read and written without
//! chrono's format strings: their parser and `strftime` machinery cost the phone's wasm about
//! 6 KB for this one fixed form.

use chrono::{Datelike, NaiveDate};

/// Why text is not a `YYYY-MM-DD` day.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IsoDateError {
    /// Not four digits, '-', two digits, '-', two digits.
    #[error("{0:?} is not a date written YYYY-MM-DD")]
    Shape(String),
    /// The digits name no day of the calendar, such as 2026-02-30.
    #[error("{0:?} is not a day of the calendar")]
    NoSuchDay(String),
}

/// `day` as `YYYY-MM-DD`: the year in four digits (days before year 1 or after 9999 never
/// reach a date field; they are written with the year as it is).
pub fn write(day: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
}

/// The day `text` writes as `YYYY-MM-DD`, with nothing around it.
pub fn read(text: &str) -> Result<NaiveDate, IsoDateError> {
    let shape = || IsoDateError::Shape(text.chars().take(40).collect());
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return Err(shape());
    }
    let number = |range: std::ops::Range<usize>| {
        bytes[range].iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return Err(shape());
    };
    // Four digits always fit an i32.
    let year = i32::try_from(year).map_err(|_| shape())?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| IsoDateError::NoSuchDay(text.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_day_is_written_as_a_date_input_holds_it() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
        assert_eq!(write(day), "2026-03-07");
        assert_eq!(
            write(NaiveDate::from_ymd_opt(987, 1, 1).unwrap()),
            "0987-01-01"
        );
        assert_eq!(read("2026-03-07"), Ok(day));
    }

    #[test]
    fn anything_but_a_whole_calendar_day_is_refused() {
        for bad in [
            "",
            "2026-3-07",
            "2026-03-7",
            "26-03-07",
            "2026/03/07",
            " 2026-03-07",
            "2026-03-07 ",
            "2026-03-07T10:00",
            "+2026-03-07",
            "2026-0a-07",
            "2026-03-0٧",
            "２０２６-03-07",
            "2026-03-07\0",
            "-026-03-07",
            "20260307",
        ] {
            assert!(
                matches!(read(bad), Err(IsoDateError::Shape(_))),
                "{bad:?} was read as {:?}",
                read(bad)
            );
        }
        for impossible in [
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "0000-00-00",
        ] {
            assert_eq!(
                read(impossible),
                Err(IsoDateError::NoSuchDay(impossible.into())),
                "{impossible}"
            );
        }
        assert!(read("2024-02-29").is_ok(), "a leap day");
        // A megabyte of input is named by its first 40 characters.
        let huge = "9".repeat(1 << 20);
        assert!(read(&huge).unwrap_err().to_string().len() < 100);
    }

    proptest! {
        #[test]
        fn every_day_of_four_digit_years_reads_back_as_chrono_writes_it(
            days in 0i64..3_652_059,
        ) {
            let day = NaiveDate::from_ymd_opt(1, 1, 1).unwrap() + chrono::Days::new(days as u64);
            prop_assert_eq!(write(day), day.format("%Y-%m-%d").to_string());
            prop_assert_eq!(read(&write(day)), Ok(day));
        }

        #[test]
        fn any_text_chrono_refuses_is_refused(text in "[0-9+ -]{0,12}") {
            if let Ok(day) = read(&text) {
                prop_assert_eq!(NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok(), Some(day));
            }
        }
    }
}
