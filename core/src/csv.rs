//! CSV (RFC 4180) whose cells a spreadsheet will not run as formulas, and the columns of the
//! organization's exports, whose headers a person reads in their own language while the
//! values stay machine-readable (ISO dates, period ids, codes, with labels beside them).

/// A column of the organization's exports (trends, brief, indicator report). Its [`name`]
/// is the header when no language is asked for; its [`key`] names its translation.
///
/// [`name`]: Column::name
/// [`key`]: Column::key
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    /// A period id (`2026-11`, `2026-W47`, `2026-Q4`, `2026-11-29`).
    Period,
    /// A site's code, or `all`.
    Site,
    /// A site's name, beside its code.
    SiteLabel,
    /// What a count is of: a dimension's code.
    Dimension,
    /// A value's code (what a count is of).
    Value,
    /// A published figure of a report (its header is also `value`).
    Figure,
    /// A value's label, beside its code.
    Label,
    /// A published count.
    Count,
    /// An ISO date.
    Day,
    /// About how many a day it usually was.
    UsualPerDay,
    /// The aberration methods that signalled.
    Methods,
    /// A free tag's code.
    Tag,
    /// The ISO date a free tag was first seen.
    FirstSeen,
    /// The ISO date of a note's week's Monday.
    WeekOf,
    /// A note's text.
    Note,
    /// An indicator's name.
    Indicator,
    /// The period before's id.
    PreviousPeriod,
    /// The period before's published value.
    PreviousValue,
    /// The change from the period before.
    Change,
}

impl Column {
    /// Every column.
    pub const ALL: [Self; 19] = [
        Self::Period,
        Self::Site,
        Self::SiteLabel,
        Self::Dimension,
        Self::Value,
        Self::Figure,
        Self::Label,
        Self::Count,
        Self::Day,
        Self::UsualPerDay,
        Self::Methods,
        Self::Tag,
        Self::FirstSeen,
        Self::WeekOf,
        Self::Note,
        Self::Indicator,
        Self::PreviousPeriod,
        Self::PreviousValue,
        Self::Change,
    ];

    /// The stable name of its translation: its machine name, but for a report's figure,
    /// whose header shares the name `value` with a value's code.
    pub fn key(self) -> &'static str {
        match self {
            Self::Figure => "figure",
            other => other.name(),
        }
    }

    /// Its stable machine name, the header in no particular language.
    pub fn name(self) -> &'static str {
        match self {
            Self::Period => "period",
            Self::Site => "site",
            Self::SiteLabel => "site_label",
            Self::Dimension => "dimension",
            Self::Value | Self::Figure => "value",
            Self::Label => "label",
            Self::Count => "count",
            Self::Day => "day",
            Self::UsualPerDay => "usual_per_day",
            Self::Methods => "methods",
            Self::Tag => "tag",
            Self::FirstSeen => "first_seen",
            Self::WeekOf => "week_of",
            Self::Note => "note",
            Self::Indicator => "indicator",
            Self::PreviousPeriod => "previous_period",
            Self::PreviousValue => "previous_value",
            Self::Change => "change",
        }
    }
}

/// A CSV document whose header is each column's heading, as `heading` writes it (in a
/// person's language, or [`Column::name`]).
pub fn headed<const N: usize>(
    columns: [Column; N],
    heading: impl Fn(Column) -> String,
    rows: impl IntoIterator<Item = [String; N]>,
) -> String {
    let header = columns.map(heading);
    let mut out = line(header.iter().map(String::as_str));
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str)));
    }
    out
}

/// A CSV document: the header, then one line per row, CRLF line ends.
pub fn table<const N: usize>(
    header: [&str; N],
    rows: impl IntoIterator<Item = [String; N]>,
) -> String {
    let mut out = line(header.iter().copied());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str)));
    }
    out
}

fn line<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let mut out = cells.map(cell).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

/// Quotes a cell when needed, and defuses text a spreadsheet would run as a formula.
fn cell(raw: &str) -> String {
    let defused = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{raw}")
    } else {
        raw.to_owned()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_written_as_asked_and_cells_still_defused() {
        let csv = headed(
            [Column::Day, Column::Count],
            |c| match c {
                Column::Day => "=día".to_owned(),
                other => other.name().to_uppercase(),
            },
            [["2026-11-29".to_owned(), "12".to_owned()]],
        );
        assert_eq!(csv, "'=día,COUNT\r\n2026-11-29,12\r\n");
    }

    #[test]
    fn column_keys_are_distinct() {
        let keys: std::collections::BTreeSet<&str> = Column::ALL.iter().map(|c| c.key()).collect();
        assert_eq!(keys.len(), Column::ALL.len());
    }

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        let csv = table(
            ["what", "count"],
            [
                ["Food, water".to_owned(), "12".to_owned()],
                ["=HYPERLINK(\"x\")".to_owned(), "<5".to_owned()],
                ["plain".to_owned(), "-3".to_owned()],
            ],
        );
        assert_eq!(
            csv,
            "what,count\r\n\"Food, water\",12\r\n\"'=HYPERLINK(\"\"x\"\")\",<5\r\nplain,'-3\r\n"
        );
    }
}
