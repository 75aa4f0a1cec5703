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
