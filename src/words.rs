//! Words the worker's app puts together from numbers, in one place until the interface is
//! translated (issue #18): "1 note", "2 notes", "30 seconds", "2 minutes".

/// "1 note", "3 notes".
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A wait, in seconds below two minutes and in whole minutes (rounded up) from there.
pub fn duration(seconds: u64) -> String {
    if seconds < 120 {
        count(seconds, "second", "seconds")
    } else {
        count(seconds.div_ceil(60), "minute", "minutes")
    }
}

/// How long ago something happened, `seconds` before now: "just now", "4 minutes ago",
/// "2 hours ago", "3 days ago".
pub fn ago(seconds: i64) -> String {
    match seconds.max(0) {
        0..60 => "just now".to_owned(),
        s @ 60..3_600 => format!("{} ago", count((s / 60) as u64, "minute", "minutes")),
        s @ 3_600..86_400 => format!("{} ago", count((s / 3_600) as u64, "hour", "hours")),
        s => format!("{} ago", count((s / 86_400) as u64, "day", "days")),
    }
}
