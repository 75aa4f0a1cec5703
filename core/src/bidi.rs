//! Text from people and data kept in its own direction inside a translated sentence.
//!
//! A name typed in Latin letters with punctuation at its ends ("‹img…>", "(A&B)", "5 ml")
//! sits inside an Arabic sentence as a run of its own only if it is isolated: otherwise the
//! Unicode Bidirectional Algorithm lets the sentence's direction take the brackets at its
//! ends and draws them on the wrong side, and a value holding U+202E (RIGHT-TO-LEFT
//! OVERRIDE) turns the rest of the sentence backwards. Like Fluent and ICU MessageFormat 2,
//! each value is wrapped in U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE:
//! its own first strong letter decides its direction, and outside it counts as one neutral
//! character. As in MessageFormat 2's default strategy, a value known to be left to right
//! in a left-to-right paragraph is left as it is, since nothing in it can reorder: an English
//! sentence about an English name carries no invisible characters.
//!
//! Only text people read goes through here: a CSV header or cell, a file name, a DHIS2
//! payload or a log line is read by a program, which would keep the invisible characters as
//! part of the value.

use crate::language::Direction;
use std::borrow::Cow;

/// U+2068 FIRST STRONG ISOLATE: opens an isolate whose direction is its first strong letter's.
pub const FIRST_STRONG_ISOLATE: char = '\u{2068}';
/// U+2066 LEFT-TO-RIGHT ISOLATE: opens an isolate that runs left to right.
pub const LEFT_TO_RIGHT_ISOLATE: char = '\u{2066}';
/// U+2067 RIGHT-TO-LEFT ISOLATE: opens an isolate that runs right to left.
pub const RIGHT_TO_LEFT_ISOLATE: char = '\u{2067}';
/// U+2069 POP DIRECTIONAL ISOLATE: closes the isolate opened last.
pub const POP_DIRECTIONAL_ISOLATE: char = '\u{2069}';

/// `value` ready to sit inside a sentence shown in a paragraph running `paragraph`: wrapped
/// in FSI … PDI unless it is plainly left to right in a left-to-right paragraph (in LRI or
/// RLI, the paragraph's direction, if it has no letter of its own to take one from). A PDI in the
/// value that closes nothing of its own is dropped, so it cannot close the wrapper early and
/// let the value's overrides run on into the sentence; an isolate the value leaves open is
/// closed before the wrapper's PDI, which would otherwise close it instead of the wrapper;
/// every embedding or override the value opens ends at the wrapper's PDI.
pub fn isolate(value: &str, paragraph: Direction) -> Cow<'_, str> {
    if paragraph == Direction::Ltr && is_plainly_left_to_right(value) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 6);
    out.push(if has_a_letter_of_its_own(value) {
        FIRST_STRONG_ISOLATE
    } else {
        // FSI would run a value with no letter of its own left to right, such as a list
        // of names isolated one by one: in Arabic it would read last name first.
        match paragraph {
            Direction::Ltr => LEFT_TO_RIGHT_ISOLATE,
            Direction::Rtl => RIGHT_TO_LEFT_ISOLATE,
        }
    });
    let mut open_isolates = 0usize;
    for c in value.chars() {
        match c {
            '\u{2066}'..='\u{2068}' => open_isolates += 1,
            POP_DIRECTIONAL_ISOLATE if open_isolates == 0 => continue,
            POP_DIRECTIONAL_ISOLATE => open_isolates -= 1,
            _ => {}
        }
        out.push(c);
    }
    // A PDI closes the isolate opened last: the value's own come first.
    out.extend(std::iter::repeat_n(
        POP_DIRECTIONAL_ISOLATE,
        open_isolates + 1,
    ));
    Cow::Owned(out)
}

/// Whether `text` has a letter outside the isolates it holds: what FSI takes its direction
/// from (a letter stands for a strong character; a number, a mark or punctuation is not one).
fn has_a_letter_of_its_own(text: &str) -> bool {
    let mut depth = 0usize;
    text.chars().any(|c| {
        match c {
            '\u{2066}'..='\u{2068}' => depth += 1,
            POP_DIRECTIONAL_ISOLATE => depth = depth.saturating_sub(1),
            _ => return depth == 0 && c.is_alphabetic(),
        }
        false
    })
}

/// Whether `text` holds nothing that can run right to left or change how text runs: no
/// letter or digit of a right-to-left script and no bidi control or mark. Generous on
/// purpose: whole blocks count, assigned or not, so a character this misjudges only costs an
/// isolate that was not needed.
pub fn is_plainly_left_to_right(text: &str) -> bool {
    !text.chars().any(|c| {
        matches!(c,
            // Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and the Arabic extensions.
            '\u{0590}'..='\u{08FF}'
            // LRM, RLM; embeddings and overrides; isolates.
            | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            // Hebrew and Arabic presentation forms.
            | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}'
            // The right-to-left scripts of the supplementary planes.
            | '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_bidi::{BidiInfo, Level};

    const RLO: char = '\u{202E}';

    /// The embedding level the Unicode Bidirectional Algorithm gives each character of
    /// `text` in a paragraph running `paragraph`, as a browser lays it out.
    fn levels(text: &str, paragraph: Direction) -> Vec<(char, u8)> {
        let base = match paragraph {
            Direction::Ltr => Level::ltr(),
            Direction::Rtl => Level::rtl(),
        };
        let info = BidiInfo::new(text, Some(base));
        text.char_indices()
            .map(|(i, c)| (c, info.levels[i].number()))
            .collect()
    }

    /// The levels of the characters of `part`, found in `sentence`.
    fn levels_of(sentence: &str, part: &str, paragraph: Direction) -> Vec<u8> {
        let start = sentence.find(part).expect("the part is in the sentence");
        let before = sentence[..start].chars().count();
        levels(sentence, paragraph)[before..before + part.chars().count()]
            .iter()
            .map(|(_, level)| *level)
            .collect()
    }

    #[test]
    fn a_latin_name_in_brackets_is_one_left_to_right_run_in_an_arabic_sentence() {
        for name in ["‹img…>", "(A&B)", "5 ml", "<img src=x>"] {
            let bare = format!("أضاف {name} بدور مسؤول");
            let isolated = format!("أضاف {} بدور مسؤول", isolate(name, Direction::Rtl));
            // Bare, the brackets at the ends take the sentence's direction and move.
            let bare_levels = levels_of(&bare, name, Direction::Rtl);
            assert!(
                bare_levels.iter().any(|l| l % 2 == 1),
                "{name}: {bare_levels:?}"
            );
            // Isolated, every character of the name runs left to right, in the order typed.
            let isolated_levels = levels_of(&isolated, name, Direction::Rtl);
            assert!(
                isolated_levels.iter().all(|l| *l == 2),
                "{name}: {isolated_levels:?}"
            );
        }
    }

    #[test]
    fn an_arabic_name_in_an_english_sentence_is_isolated_and_an_english_one_is_not() {
        let arabic = isolate("مريم 2", Direction::Ltr);
        assert_eq!(arabic, "\u{2068}مريم 2\u{2069}");
        // Bare, the number after the name joins its right-to-left run and the name reads
        // "2 مريم"; isolated, the number stays with the name and the sentence runs on.
        let sentence = format!("Added {arabic} as Manager");
        assert!(
            levels_of(&sentence, " as Manager", Direction::Ltr)
                .iter()
                .all(|l| *l == 0)
        );
        assert_eq!(isolate("mila (A&B)", Direction::Ltr), "mila (A&B)");
        assert_eq!(
            isolate("mila (A&B)", Direction::Rtl),
            "\u{2068}mila (A&B)\u{2069}"
        );
    }

    #[test]
    fn an_override_in_a_value_does_not_turn_the_rest_of_the_sentence() {
        let hostile = format!("{RLO}gnp.exe");
        let bare = format!("Added {hostile} as Manager");
        // Bare, the override runs to the end of the paragraph: the sentence reads backwards.
        assert!(
            levels_of(&bare, " as Manager", Direction::Ltr)
                .iter()
                .all(|l| *l == 1)
        );
        let sentence = format!("Added {} as Manager", isolate(&hostile, Direction::Ltr));
        assert!(
            levels_of(&sentence, " as Manager", Direction::Ltr)
                .iter()
                .all(|l| *l == 0)
        );
        assert!(
            levels_of(&sentence, "Added ", Direction::Ltr)
                .iter()
                .all(|l| *l == 0)
        );
    }

    #[test]
    fn a_value_cannot_close_its_isolate_early() {
        // A PDI of its own would close the wrapper and leave the override open after it.
        let hostile = format!("x\u{2069}{RLO}evil");
        let isolated = isolate(&hostile, Direction::Ltr);
        assert_eq!(isolated, format!("\u{2068}x{RLO}evil\u{2069}"));
        let sentence = format!("Added {isolated} as Manager");
        assert!(
            levels_of(&sentence, " as Manager", Direction::Ltr)
                .iter()
                .all(|l| *l == 0)
        );
        // Its own isolates stay as typed; one left open is closed before the wrapper's PDI,
        // which would otherwise close it and leave the wrapper open to the end.
        assert_eq!(
            isolate("\u{2067}a\u{2069}\u{2066}b", Direction::Rtl),
            "\u{2067}\u{2067}a\u{2069}\u{2066}b\u{2069}\u{2069}"
        );
    }

    /// The characters of `text` from left to right, as drawn in a paragraph running
    /// `paragraph`.
    fn drawn(text: &str, paragraph: Direction) -> String {
        let levels: Vec<Level> = levels(text, paragraph)
            .into_iter()
            .map(|(_, l)| Level::new(l).expect("a valid level"))
            .collect();
        let chars: Vec<char> = text.chars().collect();
        BidiInfo::reorder_visual(&levels)
            .into_iter()
            .map(|i| chars[i])
            .filter(|c| !matches!(c, '\u{2066}'..='\u{2069}'))
            .collect()
    }

    #[test]
    fn a_list_of_isolated_names_reads_in_the_sentences_direction() {
        let list = format!(
            "{}، {}",
            isolate("‹img…> (A&B)", Direction::Rtl),
            isolate("مؤشر 2", Direction::Rtl)
        );
        let sentence = format!("أضاف {}", isolate(&list, Direction::Rtl));
        let shown = drawn(&sentence, Direction::Rtl);
        // Read from the right: "أضاف", then the Latin name (typed order), then the Arabic one.
        let latin = shown
            .find("‹img…> (A&B)")
            .expect("the Latin name in typed order");
        let arabic = shown.find('2').expect("the Arabic name");
        assert!(arabic < latin, "{shown:?}");
        assert_eq!(isolate("12", Direction::Rtl), "\u{2067}12\u{2069}");
        assert_eq!(isolate("12", Direction::Ltr), "12");
    }

    #[test]
    fn bidi_marks_and_controls_are_never_plainly_left_to_right() {
        for text in [
            "\u{200F}a",
            "a\u{202E}",
            "\u{2066}",
            "ש",
            "ع",
            "\u{10900}",
            "١٢",
        ] {
            assert!(!is_plainly_left_to_right(text), "{text:?}");
        }
        for text in ["", "mila", "(A&B) 5 ml", "ñandú", "日本", "<img src=x>"] {
            assert!(is_plainly_left_to_right(text), "{text:?}");
        }
    }

    proptest! {
        /// Whatever a value holds, the sentence's own words keep the paragraph's level on
        /// both sides of it, in either direction.
        #[test]
        fn no_value_changes_the_level_of_the_words_around_it(
            value in proptest::collection::vec(
                prop_oneof![
                    Just('\u{202A}'), Just('\u{202B}'), Just('\u{202C}'), Just('\u{202D}'),
                    Just('\u{202E}'), Just('\u{2066}'), Just('\u{2067}'), Just('\u{2068}'),
                    Just('\u{2069}'), Just('\u{200E}'), Just('\u{200F}'), Just('ع'),
                    Just('a'), Just('1'), Just('('), Just(' '),
                ],
                0..12,
            ).prop_map(|cs| cs.into_iter().collect::<String>()),
            rtl in any::<bool>(),
        ) {
            let (paragraph, before, after, level) = if rtl {
                (Direction::Rtl, "أضاف ", " بدور", 1)
            } else {
                (Direction::Ltr, "Added ", " as", 0)
            };
            let sentence = format!("{before}{}{after}", isolate(&value, paragraph));
            let words = levels(&sentence, paragraph);
            let n = words.len();
            let outside = words[..before.chars().count()]
                .iter()
                .chain(&words[n - after.chars().count()..]);
            for (c, l) in outside {
                prop_assert_eq!(*l, level, "{:?} in {:?}", c, sentence);
            }
        }
    }
}
