//! CSV (RFC 4180) whose cells a spreadsheet will not run as formulas.

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
