//! Which of PeerPulse's languages an HTTP client reads, from its `Accept-Language` header
//! (RFC 9110 §12.5.4): `es-MX,es;q=0.9,en;q=0.5` asks for Spanish. The one matcher the
//! service uses to answer in a person's language.
//!
//! The header is outside input: it is read in bounded work (at most [`MAX_HEADER_BYTES`]
//! bytes and [`MAX_RANGES`] ranges), a range that does not parse is skipped, never an
//! error, and nothing of it is kept but the [`Language`] chosen, so it cannot reach a
//! message's text.

use crate::language::Language;

/// Bytes of a header read: a browser's list is rarely above 100.
pub const MAX_HEADER_BYTES: usize = 1024;

/// Language ranges read: the rest of a longer list is ignored.
pub const MAX_RANGES: usize = 32;

/// A weight in thousandths (`q=0.8` is 800), the precision RFC 9110 allows.
type Weight = u16;

/// One range of the header: a language (or `*`, any) and how much it is wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Range {
    /// A language PeerPulse speaks, by the range's primary subtag.
    Speaks(Language),
    /// A language PeerPulse does not speak.
    Other,
    /// `*`: any language.
    Any,
}

impl Language {
    /// The language to answer in, given an `Accept-Language` header: the most wanted of the
    /// five (the first listed among equals; `*` stands for the first not named otherwise),
    /// English when the header names none of them, is empty or is garbage. A weight of 0
    /// means "not this one".
    pub fn from_accept_language(header: &str) -> Self {
        let header = truncated(header, MAX_HEADER_BYTES);
        let ranges: Vec<(Range, Weight)> = header
            .split(',')
            .take(MAX_RANGES)
            .filter_map(parse_range)
            .collect();
        let named = |language: Language| {
            ranges
                .iter()
                .any(|(range, _)| *range == Range::Speaks(language))
        };
        let mut best: Option<(Language, Weight)> = None;
        for (range, weight) in &ranges {
            let language = match range {
                Range::Speaks(language) => Some(*language),
                Range::Any => Self::ALL.into_iter().find(|l| !named(*l)),
                Range::Other => None,
            };
            if let Some(language) = language
                && *weight > 0
                && best.is_none_or(|(_, w)| *weight > w)
            {
                best = Some((language, *weight));
            }
        }
        best.map_or(Self::En, |(language, _)| language)
    }
}

/// `text` cut to at most `max` bytes, on a character boundary.
fn truncated(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// One `range;q=weight` item, or `None` if it is not one.
fn parse_range(item: &str) -> Option<(Range, Weight)> {
    let mut parts = item.split(';');
    let tag = parts.next()?.trim();
    let mut weight: Weight = 1000;
    for parameter in parts {
        let (name, value) = parameter.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("q") {
            return None;
        }
        weight = parse_weight(value.trim())?;
    }
    if tag == "*" {
        return Some((Range::Any, weight));
    }
    let well_formed = tag.split('-').all(|subtag| {
        (1..=8).contains(&subtag.len()) && subtag.chars().all(|c| c.is_ascii_alphanumeric())
    });
    if !well_formed {
        return None;
    }
    let range = Language::from_tag(tag).map_or(Range::Other, Range::Speaks);
    Some((range, weight))
}

/// A `qvalue`: `0`, `1`, `0.5`, `0.125`, `1.000`; anything else is `None`.
fn parse_weight(value: &str) -> Option<Weight> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{fraction:0<3}").parse::<Weight>().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn answer(header: &str) -> Language {
        Language::from_accept_language(header)
    }

    #[test]
    fn a_browser_list_chooses_its_most_wanted_language() {
        assert_eq!(answer("es-MX,es;q=0.9,en;q=0.8"), Language::Es);
        assert_eq!(answer("ar"), Language::Ar);
        assert_eq!(answer("pt-BR"), Language::Pt);
        assert_eq!(answer("FR-ca"), Language::Fr);
        assert_eq!(answer("zh-Hant-TW, fr;q=0.4, en;q=0.3"), Language::Fr);
    }

    #[test]
    fn weights_outrank_order_and_order_breaks_ties() {
        assert_eq!(answer("en;q=0.5, ar;q=0.9"), Language::Ar);
        assert_eq!(answer("fr;q=0.7, es;q=0.7"), Language::Fr);
        assert_eq!(answer("en;q=0.001, pt;q=0.002"), Language::Pt);
        assert_eq!(answer("es ; q=1.000, fr"), Language::Es);
    }

    #[test]
    fn a_weight_of_zero_refuses_a_language() {
        assert_eq!(answer("es;q=0, fr;q=0.1"), Language::Fr);
        assert_eq!(answer("ar;q=0"), Language::En);
        assert_eq!(answer("ar;q=0.000"), Language::En);
    }

    #[test]
    fn any_language_is_the_first_not_named_otherwise() {
        assert_eq!(answer("*"), Language::En);
        assert_eq!(answer("en;q=0, *;q=0.5"), Language::Es);
        assert_eq!(answer("de, *;q=0.1"), Language::En);
        assert_eq!(answer("ar;q=0.2, *;q=0.5"), Language::En);
    }

    #[test]
    fn no_language_of_ours_or_nothing_at_all_is_english() {
        for header in ["", " ", "de-DE,de;q=0.9", "zh", ",,,", ";q=1"] {
            assert_eq!(answer(header), Language::En, "{header:?}");
        }
    }

    #[test]
    fn a_malformed_range_is_skipped_and_the_rest_still_counts() {
        assert_eq!(answer("es;q=2, fr;q=0.5"), Language::Fr);
        assert_eq!(answer("es;q=0.1234, fr;q=0.5"), Language::Fr);
        assert_eq!(answer("es;q=-1, fr;q=0.5"), Language::Fr);
        assert_eq!(answer("es;q=abc, fr;q=0.5"), Language::Fr);
        assert_eq!(answer("es;level=1, fr;q=0.5"), Language::Fr);
        assert_eq!(answer("<script>es</script>, fr;q=0.5"), Language::Fr);
        assert_eq!(answer("es_MX;q=1, fr;q=0.5"), Language::Fr);
        assert_eq!(answer("español, ar;q=0.5"), Language::Ar);
        assert_eq!(answer("averyveryverylongsubtag, ar;q=0.5"), Language::Ar);
    }

    #[test]
    fn only_the_start_of_an_absurdly_long_header_is_read() {
        let mut header = "de;q=0.5,".repeat(100_000);
        header.push_str("es");
        assert_eq!(answer(&header), Language::En);
        let many_ranges = format!("{}ar", "x,".repeat(MAX_RANGES));
        assert_eq!(answer(&many_ranges), Language::En);
        let within = format!("{}ar", "x,".repeat(MAX_RANGES - 1));
        assert_eq!(answer(&within), Language::Ar);
        // A cut in the middle of a character is no panic.
        let wide = "é".repeat(MAX_HEADER_BYTES);
        assert_eq!(answer(&wide), Language::En);
    }

    proptest! {
        #[test]
        fn any_header_gets_one_of_the_five_without_a_panic(header in ".{0,300}") {
            let language = answer(&header);
            prop_assert!(Language::ALL.contains(&language));
        }

        #[test]
        fn a_language_listed_alone_is_the_answer(index in 0usize..5, region in "[A-Z]{2}") {
            let language = Language::ALL[index];
            prop_assert_eq!(answer(&format!("{}-{region}", language.tag())), language);
        }
    }
}
