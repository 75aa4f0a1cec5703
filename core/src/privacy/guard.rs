//! The free-text guard: finds what could identify a person in a note before it is saved.
//!
//! It is deliberately cautious: a worker asked to rephrase a harmless note loses seconds, a name
//! that leaves the phone cannot be taken back. Every finding carries its byte span in the text as
//! typed so the form can show exactly what to rephrase.
//!
//! The guard reads the text [folded](super::fold): fullwidth or Arabic-Indic digits, digits
//! split by zero-width characters, a fullwidth `＠` or a bidi override hide nothing from it. The
//! phone and the service both come through [`check`], so both read the same.

use crate::privacy::arabic;
use crate::privacy::fold::{Folded, RIGHT_TO_LEFT_OVERRIDE};
use crate::privacy::identifiers::{handles, national_ids, profile_links, vehicle_plates};
use crate::privacy::names::names;
use crate::privacy::words::{Word, words};
use std::fmt;
use std::ops::Range;

/// A kind of identifying detail. Where two findings overlap, the earlier kind wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Identifier {
    /// An email address.
    Email,
    /// A link to a person's profile or chat: `instagram.com/…`, `wa.me/…`.
    ProfileLink,
    /// A social-media handle: `@name_88`.
    Handle,
    /// A date that could be a date of birth.
    DateOfBirth,
    /// A street address or a flat, unit or room number.
    StreetAddress,
    /// A national ID number whose format (and check digit, where it has one) fits.
    NationalId,
    /// A phone number.
    PhoneNumber,
    /// A vehicle plate.
    VehiclePlate,
    /// A number that looks like an ID, card or case number.
    IdNumber,
    /// A person's name or nickname.
    Name,
}

impl Identifier {
    /// What a worker reads about it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Email => "an email address",
            Self::ProfileLink => "a link to someone's profile",
            Self::Handle => "a social-media handle",
            Self::DateOfBirth => "a date of birth",
            Self::StreetAddress => "an address",
            Self::NationalId => "a national ID number",
            Self::PhoneNumber => "a phone number",
            Self::VehiclePlate => "a vehicle plate",
            Self::IdNumber => "an ID number",
            Self::Name => "a name",
        }
    }

    /// The key of its words in the translation files (`guard.email`), the same in the apps'
    /// catalogs and the service's.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Email => "guard.email",
            Self::ProfileLink => "guard.profile_link",
            Self::Handle => "guard.handle",
            Self::DateOfBirth => "guard.date_of_birth",
            Self::StreetAddress => "guard.street_address",
            Self::NationalId => "guard.national_id",
            Self::PhoneNumber => "guard.phone_number",
            Self::VehiclePlate => "guard.vehicle_plate",
            Self::IdNumber => "guard.id_number",
            Self::Name => "guard.name",
        }
    }
}

/// One identifying detail found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// What it looks like.
    pub identifier: Identifier,
    /// Where it is in the text as typed, in bytes (it may hold invisible characters).
    pub span: Range<usize>,
}

impl Finding {
    /// The flagged part of `text` (the text that was scanned).
    pub fn excerpt<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.span.clone()).unwrap_or_default()
    }
}

/// A text refused because it may identify someone.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct FlaggedText {
    /// The text as typed.
    pub text: String,
    /// What was found, in order.
    pub findings: Vec<Finding>,
}

impl fmt::Display for FlaggedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let listed: Vec<String> = self
            .findings
            .iter()
            .map(|x| {
                format!(
                    "\"{}\" looks like {}",
                    x.excerpt(&self.text),
                    x.identifier.label()
                )
            })
            .collect();
        write!(
            f,
            "{}. Please rephrase without details that could identify someone.",
            listed.join("; ")
        )
    }
}

/// Accepts a text only when nothing in it looks identifying.
pub fn check(text: &str) -> Result<(), FlaggedText> {
    let findings = scan(text);
    if findings.is_empty() {
        Ok(())
    } else {
        Err(FlaggedText {
            text: text.to_owned(),
            findings,
        })
    }
}

/// Accepts a free tag only when nothing in it looks identifying and it is not just a name:
/// a tag is a need in two or three words, so "will brown" is a person even though "will" and
/// "brown" alone are words, and "maria" alone is a person too. A tag is a label, kept in lower
/// case: its capitals ("Dental Cares", "WINTER COATS") are style, not the mark of a name
/// they are in a sentence, so it is checked as it will be kept, on the phone as by the
/// service.
pub fn check_tag(text: &str) -> Result<(), FlaggedText> {
    let kept = text.to_lowercase();
    check(&kept)?;
    let folded = Folded::new(&kept);
    let words = words(folded.as_str());
    let names = crate::privacy::names::whole_name(&words).is_some()
        || crate::privacy::names::lone_name(&words);
    if names {
        Err(FlaggedText {
            findings: vec![finding(Identifier::Name, 0..kept.len())],
            text: kept,
        })
    } else {
        Ok(())
    }
}

/// Every identifying detail in `text`, in order, without overlaps.
pub fn scan(text: &str) -> Vec<Finding> {
    let mut readings = vec![Folded::new(text)];
    if text.contains(RIGHT_TO_LEFT_OVERRIDE) {
        readings.push(Folded::as_shown(text));
    }
    let mut found: Vec<Finding> = readings
        .iter()
        .flat_map(|reading| {
            findings(reading.as_str())
                .into_iter()
                .map(|f| finding(f.identifier, reading.typed_span(f.span)))
        })
        .collect();
    // Earlier kinds win where two findings overlap.
    found.sort_by_key(|f| f.identifier);
    // What is kept stays in reading order as it is built: placed, not sorted afterwards
    // (each sort of another closure is one more copy of the sort in the phone's wasm).
    let mut kept: Vec<Finding> = Vec::new();
    for finding in found {
        let overlaps = kept
            .iter()
            .any(|k| finding.span.start < k.span.end && k.span.start < finding.span.end);
        if !overlaps {
            let at = kept.partition_point(|k| k.span.start <= finding.span.start);
            kept.insert(at, finding);
        }
    }
    kept
}

/// Every identifying detail in a folded text, overlaps and all, with spans in that text.
fn findings(text: &str) -> Vec<Finding> {
    let words = words(text);
    let mut found = Vec::new();
    found.extend(emails(&words));
    found.extend(profile_links(&words));
    found.extend(handles(text, &words));
    found.extend(dates_of_birth(&words));
    found.extend(addresses(&words));
    found.extend(national_ids(text, &words));
    found.extend(phone_numbers(text));
    found.extend(vehicle_plates(&words));
    found.extend(id_numbers(&words));
    found.extend(names(text, &words));
    found.extend(arabic::findings(text, &words));
    found
}

fn finding(identifier: Identifier, span: Range<usize>) -> Finding {
    Finding { identifier, span }
}

fn emails(words: &[Word<'_>]) -> Vec<Finding> {
    words
        .iter()
        .filter(|w| {
            let Some((local, domain)) = w.text.split_once('@') else {
                return false;
            };
            let tld = domain.rsplit('.').next().unwrap_or_default();
            !local.is_empty()
                && domain.contains('.')
                && tld.len() >= 2
                && tld.chars().all(|c| c.is_ascii_alphabetic())
        })
        .map(|w| finding(Identifier::Email, w.start..w.end()))
        .collect()
}

/// Day, month and year of a numeric date such as 3/7/1988, 03-07-88 or 1988-07-03.
fn numeric_date(text: &str) -> Option<(u32, u32, u32)> {
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    let (day_or_month, other, year, year_digits) = if parts[0].len() == 4 {
        (n[2], n[1], n[0], 4)
    } else {
        (n[0], n[1], n[2], parts[2].len())
    };
    let plausible = (1..=31).contains(&day_or_month)
        && (1..=31).contains(&other)
        && (year_digits == 2 || year_digits == 4);
    plausible.then_some((day_or_month, other, year))
}

/// Years a contact could have been born in; later dates are events, not birthdays.
fn birth_year(year: u32) -> bool {
    match year {
        0..=99 => year >= 30,
        _ => (1900..=2012).contains(&year),
    }
}

/// Words after which a number is a birth date, in English, Spanish, French and Portuguese
/// (Arabic ones are in [`super::arabic`]).
const BIRTH_CUES: &[&str] = &[
    "born",
    "dob",
    "d.o.b",
    "birthday",
    "birthdate",
    "nació",
    "nacio",
    "nacido",
    "nacida",
    "nacimiento",
    "cumpleaños",
    "cumple",
    "né",
    "née",
    "naissance",
    "anniversaire",
    "anniv",
    "nasceu",
    "nascido",
    "nascida",
    "nascimento",
    "aniversário",
    "aniversario",
    "niver",
];

fn dates_of_birth(words: &[Word<'_>]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if numeric_date(w.text).is_some_and(|(_, _, y)| birth_year(y)) {
            out.push(finding(Identifier::DateOfBirth, w.start..w.end()));
        }
        let cue = BIRTH_CUES.contains(&w.lower().as_str())
            || (w.lower() == "birth" && i > 0 && words[i - 1].lower() == "of");
        if cue {
            // Flag the cue up to the first number that follows within four words.
            if let Some(last) = words[i + 1..].iter().take(4).find(|n| n.digits() > 0) {
                out.push(finding(Identifier::DateOfBirth, w.start..last.end()));
            }
        }
    }
    out
}

/// Street words written after the house number: "12 Main St", "12 rue Oberkampf".
const STREET_WORDS: &[&str] = &[
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "lane",
    "ln",
    "drive",
    "dr",
    "boulevard",
    "blvd",
    "way",
    "court",
    "ct",
    "place",
    "pl",
    "crescent",
    "cres",
    "terrace",
    "tce",
    "close",
    "parade",
    "highway",
    "hwy",
    "square",
    "sq",
    "alley",
    "grove",
    "row",
    "rue",
    "rua",
    "calle",
    "avenida",
    "bd",
    "impasse",
    "allée",
    "allee",
    "chemin",
    "quai",
];
/// Street words written before the street's name and number, in Spanish, French and Portuguese.
const STREET_FIRST_WORDS: &[&str] = &[
    "calle",
    "c/",
    "avenida",
    "av",
    "avda",
    "paseo",
    "carrera",
    "rue",
    "rua",
    "travessa",
    "praça",
    "plaza",
    "pasaje",
    "callejón",
    "camino",
    "alameda",
    "estrada",
    "beco",
];
/// Words for a flat, room or building, before its number, in English, Spanish, French and
/// Portuguese: "apt 4", "departamento 4B", "appartement 14", "apto 42".
const DWELLING_WORDS: &[&str] = &[
    "apt",
    "apartment",
    "unit",
    "flat",
    "room",
    "suite",
    "depto",
    "dpto",
    "departamento",
    "apartamento",
    "habitación",
    "habitacion",
    "appartement",
    "appart",
    "appt",
    "bâtiment",
    "chambre",
    "apto",
    "ap",
    "quarto",
];
/// What may stand between a dwelling word and its number: "room no 5", "piso nº 2".
const NUMBER_WORDS: &[&str] = &["no", "nº", "n°", "número", "numero", "numéro"];

fn is_house_number(w: &Word<'_>) -> bool {
    w.text.chars().next().is_some_and(|c| c.is_ascii_digit())
        && w.digits() <= 5
        && w.text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/')
}

fn addresses(words: &[Word<'_>]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if is_house_number(w) {
            let street = words[i + 1..]
                .iter()
                .take(4)
                .find(|s| STREET_WORDS.contains(&s.lower().as_str()));
            if let Some(street) = street {
                out.push(finding(Identifier::StreetAddress, w.start..street.end()));
            }
        }
        // A street word, its capitalized name, then the number: "calle Olmo 15", "rua das Flores 45".
        if STREET_FIRST_WORDS.contains(&w.lower().as_str()) {
            let name: Vec<&Word<'_>> = words[i + 1..]
                .iter()
                .take(3)
                .take_while(|n| n.digits() == 0)
                .collect();
            let number = words.get(i + 1 + name.len()).filter(|n| is_house_number(n));
            if let Some(number) = number.filter(|_| name.iter().any(|n| n.is_capitalized())) {
                out.push(finding(Identifier::StreetAddress, w.start..number.end()));
            }
        }
        let skip = usize::from(
            words
                .get(i + 1)
                .is_some_and(|n| NUMBER_WORDS.contains(&n.lower().as_str())),
        );
        if DWELLING_WORDS.contains(&w.lower().as_str())
            && let Some(number) = words.get(i + 1 + skip).filter(|n| n.digits() > 0)
        {
            out.push(finding(Identifier::StreetAddress, w.start..number.end()));
        }
    }
    out
}

/// Runs of digits and phone separators holding 7 to 15 digits.
fn phone_numbers(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit() || bytes[i] == b'+' || bytes[i] == b'(';
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut digits = 0;
        let mut last_digit = None;
        while j < bytes.len() {
            let b = bytes[j];
            if b.is_ascii_digit() {
                digits += 1;
                last_digit = Some(j);
            } else if !(b == b' '
                || b == b'-'
                || b == b'.'
                || b == b'('
                || b == b')'
                || (b == b'+' && j == i))
            {
                break;
            }
            j += 1;
        }
        // A full numeric date (2026-11-02) is a date, not a phone number.
        let is_phone =
            |end: usize| (7..=15).contains(&digits) && numeric_date(&text[i..=end]).is_none();
        if let Some(end) = last_digit.filter(|end| is_phone(*end)) {
            out.push(finding(Identifier::PhoneNumber, i..end + 1));
            i = end + 1;
        } else {
            i = j.max(i + 1);
        }
    }
    out
}

fn id_numbers(words: &[Word<'_>]) -> Vec<Finding> {
    words
        .iter()
        .filter(|w| {
            let alnum = w.text.chars().all(|c| c.is_ascii_alphanumeric());
            let mixed = w.digits() >= 4 && w.letters() >= 1 && w.text.len() >= 6;
            let long_number = w.digits() >= 6 && w.letters() == 0;
            alnum && (mixed || long_number)
        })
        .map(|w| finding(Identifier::IdNumber, w.start..w.end()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_is_checked_as_it_is_kept_so_its_capitals_are_style_not_a_name() {
        for plain in [
            "  Dental   CARES ",
            "Dental Cares",
            "WINTER COATS",
            "Hope",
            "dental care",
        ] {
            assert_eq!(check_tag(plain), Ok(()), "{plain:?}");
        }
        for person in [
            "Maria",
            "maria lopez",
            "Maria Lopez",
            "@jo_88",
            "0412 345 678",
        ] {
            assert!(check_tag(person).is_err(), "{person:?}");
        }
    }
    use proptest::prelude::*;

    fn flagged(text: &str) -> Vec<(Identifier, &str)> {
        scan(text)
            .into_iter()
            .map(|f| (f.identifier, f.excerpt(text)))
            .collect()
    }

    #[test]
    fn plain_harm_reduction_notes_pass() {
        for note in [
            "New batch of blues going round, much stronger than usual",
            "Two people asked about naloxone training at the drop-in",
            "Wants help with housing; waiting list is 6 months",
            "called an ambulance for a friend last week",
            "Police moving people on from the park since 20/11/2026",
            "took 3 kits and 20 needles",
        ] {
            assert_eq!(flagged(note), vec![], "{note}");
        }
    }

    #[test]
    fn findings_of_every_kind_come_in_reading_order_without_overlaps() {
        let text = "call 0412 345 678, born 03/04/1990, at 12 Smith Street, or jo@mail.example.org";
        let found = scan(text);
        let kinds: Vec<Identifier> = found.iter().map(|f| f.identifier).collect();
        assert_eq!(
            kinds,
            [
                Identifier::PhoneNumber,
                Identifier::DateOfBirth,
                Identifier::StreetAddress,
                Identifier::Email
            ]
        );
        assert!(
            found.windows(2).all(|w| w[0].span.end <= w[1].span.start),
            "{found:?}"
        );
    }

    #[test]
    fn emails_are_flagged() {
        assert_eq!(
            flagged("reach her at jo.smith+x@mail.example.org."),
            vec![(Identifier::Email, "jo.smith+x@mail.example.org")]
        );
        assert_eq!(flagged("meet @ the park"), vec![]);
    }

    #[test]
    fn phone_numbers_in_common_formats_are_flagged() {
        assert_eq!(
            flagged("his number 0412 345 678 ok"),
            vec![(Identifier::PhoneNumber, "0412 345 678")]
        );
        assert_eq!(
            flagged("call +61 (2) 9876-5432"),
            vec![(Identifier::PhoneNumber, "+61 (2) 9876-5432")]
        );
        assert_eq!(
            flagged("555.123.4567"),
            vec![(Identifier::PhoneNumber, "555.123.4567")]
        );
    }

    #[test]
    fn names_after_cue_words_are_flagged() {
        assert_eq!(
            flagged("a guy named Dave Brown sells it"),
            vec![(Identifier::Name, "Dave Brown")]
        );
        assert_eq!(
            flagged("her name is kylie"),
            vec![(Identifier::Name, "kylie")]
        );
        assert_eq!(
            flagged("Mr. Tan was there"),
            vec![(Identifier::Name, "Tan")]
        );
        assert_eq!(
            flagged("goes by Shorty"),
            vec![(Identifier::Name, "Shorty")]
        );
    }

    #[test]
    fn addresses_and_dwelling_numbers_are_flagged() {
        assert_eq!(
            flagged("staying at 12 King St with friends"),
            vec![(Identifier::StreetAddress, "12 King St")]
        );
        assert_eq!(
            flagged("in flat 4B now"),
            vec![(Identifier::StreetAddress, "flat 4B")]
        );
    }

    #[test]
    fn birth_dates_are_flagged_but_recent_dates_are_not() {
        assert_eq!(
            flagged("dob 3/7/88"),
            vec![(Identifier::DateOfBirth, "dob 3/7/88")]
        );
        assert_eq!(
            flagged("born on 1990-01-31"),
            vec![(Identifier::DateOfBirth, "born on 1990-01-31")]
        );
        assert_eq!(flagged("since 2026-11-02"), vec![]);
    }

    #[test]
    fn id_like_numbers_are_flagged() {
        assert_eq!(
            flagged("medicare card AB123456"),
            vec![(Identifier::IdNumber, "AB123456")]
        );
        assert_eq!(
            flagged("case 204518"),
            vec![(Identifier::IdNumber, "204518")]
        );
    }

    #[test]
    fn findings_come_in_order_without_overlaps() {
        let text = "Named Sam, call 0400 111 222 or sam@x.io";
        let kinds: Vec<Identifier> = scan(text).into_iter().map(|f| f.identifier).collect();
        assert_eq!(
            kinds,
            vec![Identifier::Name, Identifier::PhoneNumber, Identifier::Email]
        );
    }

    #[test]
    fn check_explains_what_to_rephrase() {
        let err = check("ring 0412 345 678").unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"0412 345 678\" looks like a phone number. Please rephrase without details that could identify someone."
        );
        assert_eq!(check("all good"), Ok(()));
    }

    #[test]
    fn spans_are_byte_ranges_that_survive_non_ascii_text() {
        let text = "café crew — named Zoë Ng";
        let found = scan(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].excerpt(text), "Zoë Ng");
    }

    fn kinds(text: &str) -> Vec<Identifier> {
        scan(text).into_iter().map(|f| f.identifier).collect()
    }

    #[test]
    fn look_alike_digits_hidden_characters_and_a_fullwidth_at_are_flagged_like_ascii() {
        for (typed, ascii, excerpt) in [
            (
                "ring ０７７００ ９００１２３ after 6",
                "ring 07700 900123 after 6",
                "０７７００ ９００１２３",
            ),
            ("رقمه ٠٧٧٠٠٩٠٠١٢٣", "رقمه 07700900123", "٠٧٧٠٠٩٠٠١٢٣"),
            (
                "ring 07700\u{200B}900\u{200B}123 later",
                "ring 07700900123 later",
                "07700\u{200B}900\u{200B}123",
            ),
            (
                "write to name＠example.org",
                "write to name@example.org",
                "name＠example.org",
            ),
            (
                "ring 0770\u{202D}0 900\u{202C} 1\u{2066}23\u{2069}",
                "ring 07700 900 123",
                "0770\u{202D}0 900\u{202C} 1\u{2066}23",
            ),
        ] {
            assert!(!kinds(ascii).is_empty(), "{ascii}");
            assert_eq!(kinds(typed), kinds(ascii), "{typed}");
            let found = scan(typed);
            assert_eq!(found[0].excerpt(typed), excerpt);
        }
    }

    #[test]
    fn a_right_to_left_override_hides_nothing_that_it_shows() {
        // Each is stored backwards and shown forwards: "named Dave", "name@example.org".
        assert_eq!(
            flagged("a guy named \u{202E}evaD\u{202C} sells it"),
            vec![(Identifier::Name, "evaD")]
        );
        assert_eq!(
            flagged("mail \u{202E}gro.elpmaxe@eman\u{202C}"),
            vec![(Identifier::Email, "gro.elpmaxe@eman")]
        );
        assert_eq!(
            flagged("ring \u{202E}321 009 00770"),
            vec![(Identifier::PhoneNumber, "321 009 00770")]
        );
        assert_eq!(flagged("\u{202E}sllip knip\u{202C} going round"), vec![]);
    }

    #[test]
    fn check_quotes_a_disguised_detail_as_it_was_typed() {
        let err = check("ring ０７７００ ９００１２３").unwrap_err();
        assert_eq!(err.text, "ring ０７７００ ９００１２３");
        assert!(
            err.to_string()
                .starts_with("\"０７７００ ９００１２３\" looks like a phone number."),
            "{err}"
        );
    }

    #[test]
    fn plain_notes_in_other_scripts_pass() {
        for note in [
            "necesita vivienda",
            "Necesita vivienda, está durmiendo en la calle desde hace 3 semanas",
            "يحتاج إلى سكن",
            "يحتاج إلى سكن منذ ٣ أسابيع",
            "می‌خواهد سرپناه پیدا کند",
            "उसे आवास चाहिए, २ हफ़्ते से बाहर सो रहा है",
            "需要住房，已经在外面睡了两周。",
            "Ему нужно жильё",
            "❤️ thanks for the kits",
        ] {
            assert_eq!(check(note), Ok(()), "{note}");
        }
    }

    /// A way of typing an ASCII text so that it looks the same or nearly so.
    #[derive(Clone, Copy, Debug)]
    enum Disguise {
        /// Digits of another script, from its zero.
        Digits(char),
        /// Fullwidth forms of everything, ideographic spaces.
        Fullwidth,
    }

    fn disguised(ascii: &str, disguise: Disguise, hidden: &[(usize, char)]) -> String {
        let mut chars: Vec<char> = ascii
            .chars()
            .map(|c| match (disguise, c) {
                (Disguise::Digits(zero), '0'..='9') => {
                    char::from_u32(u32::from(zero) + u32::from(c) - u32::from('0'))
                        .expect("a run of ten digits")
                }
                (Disguise::Digits(_), '@') => '＠',
                (Disguise::Fullwidth, ' ') => '\u{3000}',
                (Disguise::Fullwidth, '!'..='~') => {
                    char::from_u32(u32::from(c) - 0x21 + 0xFF01).expect("fullwidth ASCII")
                }
                _ => c,
            })
            .collect();
        for (at, invisible) in hidden {
            chars.insert(at % (chars.len() + 1), *invisible);
        }
        chars.into_iter().collect()
    }

    proptest! {
        #[test]
        fn a_disguised_text_is_flagged_exactly_like_its_ascii_form(
            pieces in proptest::collection::vec(
                prop_oneof![
                    "[0-9]{1,5}",
                    "[a-z]{1,8}",
                    "[A-Z][a-z]{1,6}",
                    "[a-z]{1,5}@[a-z]{1,5}\\.(org|com)",
                    "(named|name is|flat|St|born|case|call)",
                    "[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}",
                    "[.,()+-]",
                ],
                0..12,
            ),
            disguise in prop_oneof![
                proptest::sample::select(vec!['０', '٠', '۰', '०', '০', '๐', '𝟎', '𞥐'])
                    .prop_map(Disguise::Digits),
                Just(Disguise::Fullwidth),
            ],
            hidden in proptest::collection::vec(
                (
                    any::<usize>(),
                    proptest::sample::select(vec![
                        '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}',
                        '\u{200E}', '\u{200F}', '\u{202A}', '\u{202C}', '\u{2066}', '\u{2069}',
                    ]),
                ),
                0..4,
            ),
        ) {
            let ascii = pieces.join(" ");
            let typed = disguised(&ascii, disguise, &hidden);
            let plain = scan(&ascii);
            let found = scan(&typed);
            prop_assert_eq!(found.len(), plain.len(), "{} / {}", ascii, typed);
            for (f, p) in found.iter().zip(&plain) {
                prop_assert_eq!(f.identifier, p.identifier);
                let excerpt = Folded::new(f.excerpt(&typed)).as_str().to_owned();
                prop_assert_eq!(excerpt, p.excerpt(&ascii));
            }
        }
    }
}
