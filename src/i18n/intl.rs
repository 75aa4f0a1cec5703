//! Numbers, dates, times and plural forms the language's way, through the browser's `Intl`
//! (CLDR data the phone already has).

use chrono::{Datelike, NaiveDate};
use js_sys::{Array, Date, Function, Intl, Object, Reflect};
use peerpulse_core::language::Language;
use wasm_bindgen::JsValue;

/// The browser's preferred language tags, best first (`navigator.languages`).
pub fn browser_languages() -> Vec<String> {
    web_sys::window()
        .map(|w| {
            w.navigator()
                .languages()
                .iter()
                .filter_map(|tag| tag.as_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The locales `Intl` formats `language` with: the browser's own regional variant first when
/// it prefers one of this language ("en-GB" writes 29/11, "pt-BR" is not "pt-PT"), then the
/// language itself.
fn locales(language: Language) -> Array {
    let regional = browser_languages()
        .into_iter()
        .find(|tag| Language::from_tag(tag) == Some(language));
    let all = Array::new();
    if let Some(tag) = regional {
        all.push(&JsValue::from_str(&tag));
    }
    all.push(&JsValue::from_str(language.tag()));
    all
}

/// A day as a `Date` at local midnight.
fn date_of(day: NaiveDate) -> Date {
    Date::new_with_year_month_day(day.year() as u32, day.month0() as i32, day.day() as i32)
}

/// Two days as a range in the shortest form the language has ("23–29 November 2026").
pub fn day_range(
    language: Language,
    first: NaiveDate,
    last: NaiveDate,
    style: &[(&str, &str)],
) -> String {
    Intl::DateTimeFormat::new(&locales(language), &options(style))
        .format_range(&date_of(first), &date_of(last))
        .map(String::from)
        .unwrap_or_default()
}

/// An options object from name–value pairs.
fn options(pairs: &[(&str, &str)]) -> Object {
    let object = Object::new();
    for (name, value) in pairs {
        let _ = Reflect::set(&object, &(*name).into(), &(*value).into());
    }
    object
}

/// Calls a formatter's bound `format` function on `value`.
fn call(format: Function, value: &JsValue) -> String {
    format
        .call1(&JsValue::NULL, value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// The CLDR plural category of `n` in `language`: "one", "few", "other", …
pub fn plural_category(language: Language, n: u64) -> String {
    Intl::PluralRules::new(&locales(language), &Object::new())
        .select(n as f64)
        .into()
}

/// `n` written the language's way ("1,234", "1 234", "١٬٢٣٤").
pub fn number(language: Language, n: f64) -> String {
    let format = Intl::NumberFormat::new(&locales(language), &Object::new()).format();
    call(format, &JsValue::from_f64(n))
}

/// A day as `style` says (`Intl.DateTimeFormat` options, such as `weekday: "long"`).
pub fn day(language: Language, day: NaiveDate, style: &[(&str, &str)]) -> String {
    let format = Intl::DateTimeFormat::new(&locales(language), &options(style)).format();
    call(format, &date_of(day))
}

/// The time of day of an RFC 3339 timestamp, in the phone's time zone ("21:04", "9:04 PM").
pub fn time_of_day(language: Language, rfc3339: &str) -> String {
    let date = Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return String::new();
    }
    let format = Intl::DateTimeFormat::new(
        &locales(language),
        &options(&[("hour", "2-digit"), ("minute", "2-digit")]),
    )
    .format();
    call(format, &date)
}

/// How long ago, `seconds` before now: "just now" under a minute, then minutes, hours,
/// days ("4 minutes ago", "hace 2 horas", "منذ 3 أيام").
pub fn ago(language: Language, seconds: i64) -> String {
    let (value, unit) = match seconds.max(0) {
        0..60 => return super::text("time.just_now"),
        s @ 60..3_600 => (s / 60, "minute"),
        s @ 3_600..86_400 => (s / 3_600, "hour"),
        s => (s / 86_400, "day"),
    };
    let format = Intl::RelativeTimeFormat::new(&locales(language), &Object::new());
    format.format(-(value as f64), unit).into()
}

/// A wait: seconds below two minutes, whole minutes (rounded up) from there ("30 seconds",
/// "2 minutos").
pub fn duration(language: Language, seconds: u64) -> String {
    let (value, unit) = if seconds < 120 {
        (seconds, "second")
    } else {
        (seconds.div_ceil(60), "minute")
    };
    let format = Intl::NumberFormat::new(
        &locales(language),
        &options(&[("style", "unit"), ("unit", unit), ("unitDisplay", "long")]),
    )
    .format();
    call(format, &JsValue::from_f64(value as f64))
}

/// A moment (RFC 3339) in the phone's time zone, short: "Sun 29 Nov, 21:34"; empty when it
/// is not a moment.
pub fn moment(language: Language, rfc3339: &str) -> String {
    let date = Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return String::new();
    }
    let style = [
        ("weekday", "short"),
        ("day", "numeric"),
        ("month", "short"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ];
    let format = Intl::DateTimeFormat::new(&locales(language), &options(&style)).format();
    call(format, &date)
}

/// An arrow pointing the way the language reads ("→", or "←" right to left), for "referred
/// on to".
pub fn forward_arrow() -> &'static str {
    match super::language().direction() {
        peerpulse_core::language::Direction::Ltr => "→",
        peerpulse_core::language::Direction::Rtl => "←",
    }
}

/// The day of a moment (RFC 3339) in the phone's time zone, short: "29 Nov".
pub fn moment_day(language: Language, rfc3339: &str) -> String {
    let date = Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return String::new();
    }
    let style = [("day", "numeric"), ("month", "short")];
    let format = Intl::DateTimeFormat::new(&locales(language), &options(&style)).format();
    call(format, &date)
}

/// A `NumberFormat` of `language` with options, some of them numbers.
fn number_format(language: Language, style: &[(&str, &str)], digits: u8) -> Function {
    let options = options(style);
    let _ = Reflect::set(
        &options,
        &"maximumFractionDigits".into(),
        &JsValue::from_f64(f64::from(digits)),
    );
    Intl::NumberFormat::new(&locales(language), &options).format()
}

/// `n` with at most `digits` decimals, none when whole, the language's way ("1,234.5",
/// "1 234,5").
pub fn decimal(language: Language, n: f64, digits: u8) -> String {
    call(number_format(language, &[], digits), &JsValue::from_f64(n))
}

/// A fraction as a whole percentage the language's way ("8%", "8 %", "٨٪").
pub fn percent(language: Language, fraction: f64) -> String {
    call(
        number_format(language, &[("style", "percent")], 0),
        &JsValue::from_f64(fraction),
    )
}
