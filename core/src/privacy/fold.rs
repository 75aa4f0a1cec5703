//! What the guard reads: a text with look-alike characters folded to ASCII and invisible ones
//! taken out, so `０７７００ ９００１２３`, `٠٧٧٠٠٩٠٠١٢٣`, `07700\u{200B}900\u{200B}123` and
//! `name＠example.org` are read as the ASCII forms the guard already refuses.
//!
//! Only the guard reads the folded text: the note is stored and shown as typed, and every span
//! found in the folded text is mapped back to the typed one ([`Folded::typed_span`]).
//!
//! The folding is written by hand rather than taken from `unicode-normalization`'s NFKC: NFKC
//! alone added 52 KiB of brotli to the worker's wasm bundle (338 KiB before), this folding adds
//! under 2 KiB, and NFKC does not even fold Arabic-Indic or most other digits, which have no
//! compatibility decomposition. The classes that matter to the guard fit in a few small tables:
//!
//! - invisible characters (every format character, general category Cf, such as zero-width
//!   spaces and joiners, bidi controls and the soft hyphen, and the other default-ignorable
//!   ones such as variation selectors) are taken out;
//! - decimal digits of every script (general category Nd) and the superscript, subscript and
//!   circled digits become ASCII digits;
//! - fullwidth ASCII (U+FF01–U+FF5E), small form variants (`﹫`), mathematical letters (`𝐒𝐭`)
//!   and ideographic full stops become ASCII;
//! - Cyrillic and Greek letters that look like Latin ones (`а`, `о`, `р`, `Μ`) become those;
//! - every space becomes a space and every dash a hyphen-minus.
//!
//! Each character folds to at most one character. A right-to-left override (U+202E) shows the
//! characters after it backwards, so the guard also reads a text that holds one in the order it
//! is shown ([`Folded::as_shown`]).

use std::ops::Range;

/// Right-to-left override: shows what follows backwards, up to a pop directional formatting.
pub const RIGHT_TO_LEFT_OVERRIDE: char = '\u{202E}';
/// Ends the latest bidi embedding or override.
const POP_DIRECTIONAL_FORMATTING: char = '\u{202C}';

/// A typed text as the guard reads it, with the way back to what was typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folded<'a> {
    typed: &'a str,
    text: String,
    /// For each byte of `text`, where the character it came from starts in `typed`.
    typed_start: Vec<usize>,
}

impl<'a> Folded<'a> {
    /// `typed` folded, in the order it was typed and is stored.
    pub fn new(typed: &'a str) -> Self {
        let mut folded = Self::empty(typed);
        for (at, c) in typed.char_indices() {
            folded.push(at, c);
        }
        folded
    }

    /// `typed` folded, in the order a reader sees it: a run after a right-to-left override is
    /// shown backwards, so `\u{202E}gro.elpmaxe@eman` shows as `name@example.org`. The run
    /// ends where the override is popped, at the end of an isolate or of a paragraph.
    pub fn as_shown(typed: &'a str) -> Self {
        let mut folded = Self::empty(typed);
        let mut backwards: Option<Vec<(usize, char)>> = None;
        for (at, c) in typed.char_indices() {
            let ends_run = matches!(
                c,
                POP_DIRECTIONAL_FORMATTING | '\u{2069}' | '\n' | '\r' | '\u{2029}'
            );
            match backwards.as_mut() {
                Some(run) if !ends_run => run.push((at, c)),
                Some(_) => {
                    for (at, c) in backwards.take().into_iter().flatten().rev() {
                        folded.push(at, c);
                    }
                    folded.push(at, c);
                }
                None if c == RIGHT_TO_LEFT_OVERRIDE => backwards = Some(Vec::new()),
                None => folded.push(at, c),
            }
        }
        for (at, c) in backwards.into_iter().flatten().rev() {
            folded.push(at, c);
        }
        folded
    }

    fn empty(typed: &'a str) -> Self {
        Self {
            typed,
            text: String::with_capacity(typed.len()),
            typed_start: Vec::with_capacity(typed.len()),
        }
    }

    /// Adds the folded form of `c`, typed at byte `at`.
    fn push(&mut self, at: usize, c: char) {
        if let Some(folded) = fold(c) {
            self.text.push(folded);
            self.typed_start.resize(self.text.len(), at);
        }
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The part of the typed text that `span` of the folded text came from: from the first
    /// character it came from to the last, with any invisible characters in between.
    pub fn typed_span(&self, span: Range<usize>) -> Range<usize> {
        let starts = self.typed_start.get(span.clone()).unwrap_or_default();
        let first = starts.iter().min();
        let last = starts.iter().max();
        match first.zip(last) {
            Some((&first, &last)) => {
                let last_len = self.typed[last..].chars().next().map_or(0, char::len_utf8);
                first..last + last_len
            }
            None => {
                let at = self
                    .typed_start
                    .get(span.start)
                    .copied()
                    .unwrap_or(self.typed.len());
                at..at
            }
        }
    }
}

/// What the guard reads for `c`: an ASCII look-alike, `c` itself, or nothing for an invisible
/// character.
pub fn fold(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    if is_invisible(c) {
        return None;
    }
    if let Some(digit) = digit_value(c) {
        return Some(char::from(b'0' + digit));
    }
    let code = u32::from(c);
    let ascii = |offset: u32| char::from_u32(offset).expect("an ASCII code point");
    Some(match code {
        0xFF01..=0xFF5E => ascii(code - 0xFF01 + 0x21),
        0x1D400..=0x1D6A3 => {
            // Thirteen mathematical alphabets of 52 letters each, A to Z then a to z.
            let letter = (code - 0x1D400) % 52;
            if letter < 26 {
                ascii(u32::from(b'A') + letter)
            } else {
                ascii(u32::from(b'a') + letter - 26)
            }
        }
        0x3002 | 0xFF61 => '.',
        0x2212 => '-',
        _ => match small_form(c) {
            Some(folded) => folded,
            None if is_space(c) => ' ',
            None if is_dash(c) => '-',
            None => latin_look_alike(c).unwrap_or(c),
        },
    })
}

/// The Latin letter that Cyrillic or Greek `c` cannot be told from in most fonts, so that
/// `M\u{430}ria L\u{43E}pez` (two Cyrillic letters) is read as the name it shows.
fn latin_look_alike(c: char) -> Option<char> {
    LOOK_ALIKES
        .binary_search_by_key(&c, |&(from, _)| from)
        .ok()
        .map(|i| LOOK_ALIKES[i].1)
}

/// Cyrillic and Greek letters (and the Latin script g) and the ASCII letters they look like, in
/// code point order.
const LOOK_ALIKES: [(char, char); 51] = [
    ('\u{0261}', 'g'),
    ('\u{0391}', 'A'),
    ('\u{0392}', 'B'),
    ('\u{0395}', 'E'),
    ('\u{0396}', 'Z'),
    ('\u{0397}', 'H'),
    ('\u{0399}', 'I'),
    ('\u{039A}', 'K'),
    ('\u{039C}', 'M'),
    ('\u{039D}', 'N'),
    ('\u{039F}', 'O'),
    ('\u{03A1}', 'P'),
    ('\u{03A4}', 'T'),
    ('\u{03A5}', 'Y'),
    ('\u{03A7}', 'X'),
    ('\u{03B9}', 'i'),
    ('\u{03BD}', 'v'),
    ('\u{03BF}', 'o'),
    ('\u{0405}', 'S'),
    ('\u{0406}', 'I'),
    ('\u{0408}', 'J'),
    ('\u{0410}', 'A'),
    ('\u{0412}', 'B'),
    ('\u{0415}', 'E'),
    ('\u{041A}', 'K'),
    ('\u{041C}', 'M'),
    ('\u{041D}', 'H'),
    ('\u{041E}', 'O'),
    ('\u{0420}', 'P'),
    ('\u{0421}', 'C'),
    ('\u{0422}', 'T'),
    ('\u{0423}', 'Y'),
    ('\u{0425}', 'X'),
    ('\u{0430}', 'a'),
    ('\u{0435}', 'e'),
    ('\u{043E}', 'o'),
    ('\u{0440}', 'p'),
    ('\u{0441}', 'c'),
    ('\u{0443}', 'y'),
    ('\u{0445}', 'x'),
    ('\u{0455}', 's'),
    ('\u{0456}', 'i'),
    ('\u{0458}', 'j'),
    ('\u{04AE}', 'Y'),
    ('\u{04BB}', 'h'),
    ('\u{04CF}', 'l'),
    ('\u{0501}', 'd'),
    ('\u{051A}', 'Q'),
    ('\u{051B}', 'q'),
    ('\u{051C}', 'W'),
    ('\u{051D}', 'w'),
];

/// Whether `c` shows nothing by itself, or only changes how its neighbours show: every format
/// character (general category Cf: zero-width spaces and joiners, bidi controls, the soft
/// hyphen, the byte order mark...) and the other default-ignorable code points (combining
/// grapheme joiner, Hangul fillers, variation selectors, tags).
pub fn is_invisible(c: char) -> bool {
    let code = u32::from(c);
    let i = INVISIBLE.partition_point(|range| *range.start() <= code);
    i > 0 && INVISIBLE[i - 1].contains(&code)
}

/// The first character of `label` that does not show as itself: a control character, or an
/// invisible one that could hide or reorder what a label says.
pub fn hidden_character(label: &str) -> Option<char> {
    // The zero-width non-joiner and joiner are part of correct spelling in Persian and Indic
    // scripts, and they and the emoji variation selectors make up emoji: they shape what is
    // shown, they cannot reorder or hide it.
    const SHAPING: [char; 4] = ['\u{200C}', '\u{200D}', '\u{FE0E}', '\u{FE0F}'];
    label
        .chars()
        .find(|c| c.is_control() || (is_invisible(*c) && !SHAPING.contains(c)))
}

/// Invisible code points, in order (the tests check them against the Unicode database).
const INVISIBLE: [std::ops::RangeInclusive<u32>; 25] = [
    0x00AD..=0x00AD,   // soft hyphen
    0x034F..=0x034F,   // combining grapheme joiner
    0x0600..=0x0605,   // Arabic number signs
    0x061C..=0x061C,   // Arabic letter mark
    0x06DD..=0x06DD,   // Arabic end of ayah
    0x070F..=0x070F,   // Syriac abbreviation mark
    0x0890..=0x0891,   // Arabic pound and piastre marks above
    0x08E2..=0x08E2,   // Arabic disputed end of ayah
    0x115F..=0x1160,   // Hangul fillers
    0x17B4..=0x17B5,   // Khmer inherent vowels
    0x180B..=0x180F,   // Mongolian variation selectors and vowel separator
    0x200B..=0x200F, // zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
    0x202A..=0x202E, // bidi embeddings and overrides
    0x2060..=0x206F, // word joiner, invisible operators, bidi isolates, deprecated controls
    0x3164..=0x3164, // Hangul filler
    0xFE00..=0xFE0F, // variation selectors
    0xFEFF..=0xFEFF, // zero-width no-break space, byte order mark
    0xFFA0..=0xFFA0, // halfwidth Hangul filler
    0xFFF9..=0xFFFB, // interlinear annotation controls
    0x110BD..=0x110BD, // Kaithi number sign
    0x110CD..=0x110CD, // Kaithi number sign above
    0x13430..=0x1343F, // Egyptian hieroglyph format controls
    0x1BCA0..=0x1BCA3, // shorthand format controls
    0x1D173..=0x1D17A, // musical symbol format controls
    0xE0000..=0xE0FFF, // tags and variation selectors supplement
];

/// The value of `c` as a digit: a decimal digit of any script, or a superscript, subscript or
/// circled digit.
fn digit_value(c: char) -> Option<u8> {
    let code = u32::from(c);
    let i = DECIMAL_ZEROS.partition_point(|zero| *zero <= code);
    if let Some(value) = i
        .checked_sub(1)
        .map(|i| code - DECIMAL_ZEROS[i])
        .filter(|value| *value < 10)
    {
        return u8::try_from(value).ok();
    }
    OTHER_DIGITS
        .iter()
        .find(|(first, _, last)| (*first..=*last).contains(&code))
        .and_then(|(first, value, _)| u8::try_from(code - first).ok().map(|d| d + value))
}

/// The zero of every run of decimal digits (general category Nd), in order (the tests check
/// them against the Unicode database).
/// Unicode keeps each script's decimal digits together, 0 to 9, so a digit's value is how far
/// it lies from its zero (`char::to_digit` knows ASCII digits only).
const DECIMAL_ZEROS: [u32; 77] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x10D40, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
    0x11650, 0x116C0, 0x116D0, 0x116DA, 0x11730, 0x118E0, 0x11950, 0x11BF0, 0x11C50, 0x11D50,
    0x11DA0, 0x11DE0, 0x11F50, 0x16130, 0x16A60, 0x16AC0, 0x16B50, 0x16D70, 0x1CCF0, 0x1D7CE,
    0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E5F1, 0x1E950, 0x1FBF0,
];

/// Digits that are not decimal digits in Unicode but read as one: `(first, its value, last)`.
const OTHER_DIGITS: [(u32, u8, u32); 14] = [
    (0x00B2, 2, 0x00B3),   // superscript two and three
    (0x00B9, 1, 0x00B9),   // superscript one
    (0x2070, 0, 0x2070),   // superscript zero
    (0x2074, 4, 0x2079),   // superscript four to nine
    (0x2080, 0, 0x2089),   // subscript zero to nine
    (0x2460, 1, 0x2468),   // circled one to nine
    (0x24EA, 0, 0x24EA),   // circled zero
    (0x24F5, 1, 0x24FD),   // double circled one to nine
    (0x24FF, 0, 0x24FF),   // negative circled zero
    (0x2776, 1, 0x277E),   // dingbat negative circled one to nine
    (0x2780, 1, 0x2788),   // dingbat circled sans-serif one to nine
    (0x278A, 1, 0x2792),   // dingbat negative circled sans-serif one to nine
    (0x1F10B, 0, 0x1F10B), // dingbat circled sans-serif zero
    (0x1F10C, 0, 0x1F10C), // dingbat negative circled sans-serif zero
];

/// The ASCII a small form variant (U+FE50–U+FE6B) stands for.
fn small_form(c: char) -> Option<char> {
    Some(match c {
        '\u{FE50}' => ',',
        '\u{FE52}' => '.',
        '\u{FE54}' => ';',
        '\u{FE55}' => ':',
        '\u{FE56}' => '?',
        '\u{FE57}' => '!',
        '\u{FE59}' => '(',
        '\u{FE5A}' => ')',
        '\u{FE5B}' => '{',
        '\u{FE5C}' => '}',
        '\u{FE5F}' => '#',
        '\u{FE60}' => '&',
        '\u{FE61}' => '*',
        '\u{FE62}' => '+',
        '\u{FE63}' => '-',
        '\u{FE64}' => '<',
        '\u{FE65}' => '>',
        '\u{FE66}' => '=',
        '\u{FE68}' => '\\',
        '\u{FE69}' => '$',
        '\u{FE6A}' => '%',
        '\u{FE6B}' => '@',
        _ => return None,
    })
}

/// Space separators (general category Zs) other than the ASCII space.
fn is_space(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// Dash punctuation (general category Pd) other than the hyphen-minus.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '\u{058A}' | '\u{05BE}' | '\u{1400}' | '\u{1806}' | '\u{2010}'
            ..='\u{2015}'
                | '\u{2E17}'
                | '\u{2E1A}'
                | '\u{2E3A}'
                | '\u{2E3B}'
                | '\u{2E40}'
                | '\u{2E5D}'
                | '\u{301C}'
                | '\u{3030}'
                | '\u{30A0}'
                | '\u{FE31}'
                | '\u{FE32}'
                | '\u{FE58}'
                | '\u{FF0D}'
                | '\u{10D6E}'
                | '\u{10EAD}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

    fn every_char() -> impl Iterator<Item = char> {
        (0..=u32::from(char::MAX)).filter_map(char::from_u32)
    }

    fn folded(text: &str) -> String {
        Folded::new(text).as_str().to_owned()
    }

    #[test]
    fn the_bypasses_reported_read_as_their_ascii_forms() {
        assert_eq!(folded("０７７００ ９００１２３"), "07700 900123");
        assert_eq!(folded("٠٧٧٠٠٩٠٠١٢٣"), "07700900123");
        assert_eq!(folded("07700\u{200B}900\u{200B}123"), "07700900123");
        assert_eq!(folded("name＠example.org"), "name@example.org");
        assert_eq!(
            folded("call \u{202E}321 009 00770\u{202C}"),
            "call 321 009 00770"
        );
    }

    #[test]
    fn other_look_alikes_read_as_ascii() {
        assert_eq!(folded("۰۷۷۰۰ ۹۰۰ ۱۲۳"), "07700 900 123");
        assert_eq!(folded("०७७००\u{00A0}९००\u{2009}१२३"), "07700 900 123");
        assert_eq!(folded("𝟎𝟕𝟕𝟎𝟎–⁹⁰⁰–①②③"), "07700-900-123");
        assert_eq!(folded("jo﹫mail。org"), "jo@mail.org");
        assert_eq!(folded("𝐧𝐚𝐦𝐞𝐝 𝐃𝐚𝐯𝐞"), "named Dave");
        assert_eq!(folded("ＡＢ１２３４５６"), "AB123456");
        assert_eq!(folded("so\u{00AD}fa\u{FE0F}\u{2066}x\u{2069}"), "sofax");
    }

    #[test]
    fn cyrillic_and_greek_look_alikes_read_as_the_latin_letters_they_show() {
        assert!(LOOK_ALIKES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(folded("M\u{430}ria L\u{43E}pez"), "Maria Lopez");
        assert_eq!(folded("\u{39C}\u{391}RIA"), "MARIA");
        assert_eq!(folded("J\u{43E}\u{455}\u{435}"), "Jose");
    }

    #[test]
    fn letters_of_every_script_are_kept() {
        for text in [
            "necesita vivienda, está en la calle",
            "يحتاج إلى سكن",
            "café au lait, Zoë",
            "住房",
        ] {
            assert_eq!(folded(text), text);
        }
    }

    #[test]
    fn every_decimal_digit_of_every_script_folds_to_its_ascii_digit() {
        let mut decimal = 0;
        for c in every_char() {
            let is_decimal = c.general_category() == GeneralCategory::DecimalNumber;
            let from_table = DECIMAL_ZEROS.partition_point(|zero| *zero <= u32::from(c));
            let in_table = from_table > 0 && u32::from(c) - DECIMAL_ZEROS[from_table - 1] < 10;
            assert_eq!(in_table, is_decimal, "{c:?} U+{:04X}", u32::from(c));
            if is_decimal {
                decimal += 1;
                assert!(fold(c).is_some_and(|d| d.is_ascii_digit()), "{c:?}");
            }
        }
        assert_eq!(decimal, DECIMAL_ZEROS.len() * 10);
        for zero in DECIMAL_ZEROS {
            let digits: String = (zero..zero + 10)
                .filter_map(char::from_u32)
                .filter_map(fold)
                .collect();
            assert_eq!(digits, "0123456789", "U+{zero:04X}");
        }
    }

    #[test]
    fn every_other_digit_is_a_number() {
        for (first, _, last) in OTHER_DIGITS {
            for c in (first..=last).filter_map(char::from_u32) {
                assert_eq!(c.general_category(), GeneralCategory::OtherNumber, "{c:?}");
                assert!(fold(c).is_some_and(|d| d.is_ascii_digit()), "{c:?}");
            }
        }
    }

    #[test]
    fn every_format_character_is_invisible_and_every_space_and_dash_folds() {
        for c in every_char() {
            match c.general_category() {
                GeneralCategory::Format => assert_eq!(fold(c), None, "U+{:04X}", u32::from(c)),
                GeneralCategory::SpaceSeparator => assert_eq!(fold(c), Some(' '), "{c:?}"),
                GeneralCategory::DashPunctuation => assert_eq!(fold(c), Some('-'), "{c:?}"),
                GeneralCategory::Control => assert_eq!(fold(c), Some(c), "{c:?}"),
                _ => {}
            }
        }
        assert!(INVISIBLE.windows(2).all(|w| w[0].end() < w[1].start()));
    }

    #[test]
    fn spans_map_back_to_the_typed_text_with_hidden_characters_inside() {
        let typed = "ring ０７７\u{200B}００ ９００ now";
        let folded = Folded::new(typed);
        let at = folded.as_str().find("077").unwrap();
        let span = folded.typed_span(at..at + "07700 900".len());
        assert_eq!(&typed[span], "０７７\u{200B}００ ９００");
        assert_eq!(folded.typed_span(0..4), 0..4);
        assert_eq!(folded.typed_span(3..3), 3..3);
    }

    #[test]
    fn a_right_to_left_override_is_read_backwards_as_shown() {
        let typed = "mail \u{202E}gro.elpmaxe@eman\u{202C} today";
        let shown = Folded::as_shown(typed);
        assert_eq!(shown.as_str(), "mail name@example.org today");
        let span = shown.typed_span(5..5 + "name@example.org".len());
        assert_eq!(&typed[span], "gro.elpmaxe@eman");
        assert_eq!(Folded::new(typed).as_str(), "mail gro.elpmaxe@eman today");
        assert_eq!(
            Folded::as_shown("\u{202E}321 009 00770\nok").as_str(),
            "07700 900 123\nok"
        );
    }
}
