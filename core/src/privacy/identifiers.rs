//! Identifiers beyond phone numbers and emails: social-media handles, links to a person's
//! profile, vehicle plates, and the national ID numbers of the programs' countries (US SSN,
//! Canadian SIN, UK National Insurance number, Spanish DNI and NIE, French NIR, Brazilian CPF,
//! Mexican CURP). Numbers with a check digit are flagged only when it checks out, so that
//! counts and prices of the same shape pass.

use crate::privacy::guard::{Finding, Identifier};
use crate::privacy::words::Word;

fn finding(identifier: Identifier, first: &Word<'_>, last: &Word<'_>) -> Finding {
    Finding {
        identifier,
        span: first.start..last.end(),
    }
}

/// Platforms whose name before a colon or "is" introduces a handle: "ig: keisha_b_92".
const PLATFORMS: [&str; 16] = [
    "ig",
    "insta",
    "instagram",
    "snap",
    "snapchat",
    "tiktok",
    "fb",
    "facebook",
    "twitter",
    "telegram",
    "whatsapp",
    "discord",
    "kik",
    "grindr",
    "venmo",
    "cashapp",
];

/// A time written after an at sign: "@5pm", "@10:30", "@9h".
fn is_time(text: &str) -> bool {
    let rest = text.trim_start_matches(|c: char| c.is_ascii_digit() || c == ':' || c == '.');
    rest.len() < text.len()
        && ["", "am", "pm", "h", "hs", "hrs"].contains(&rest.to_lowercase().as_str())
}

/// Social-media handles: `@name_88`, `$cashtag`, or a word after "ig:" or "his snap is".
pub(crate) fn handles(text: &str, words: &[Word<'_>]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if let Some(name) = w.text.strip_prefix('@') {
            let handle = name.len() >= 2
                && !name.contains('@')
                && name.chars().any(char::is_alphabetic)
                && !is_time(name);
            if handle {
                out.push(finding(Identifier::Handle, w, w));
            }
            continue;
        }
        let cashtag = text[..w.start].ends_with('$')
            && w.text.chars().next().is_some_and(char::is_alphabetic)
            && w.text.len() >= 3;
        if cashtag {
            out.push(finding(Identifier::Handle, w, w));
            continue;
        }
        if !PLATFORMS.contains(&w.lower().as_str()) {
            continue;
        }
        let colon = text[w.end()..].starts_with(':');
        let after = if colon {
            words.get(i + 1)
        } else {
            words
                .get(i + 1)
                .filter(|is| ["is", "es", "é", "est", "as"].contains(&is.lower().as_str()))
                .and_then(|_| words.get(i + 2))
                // "his snap is cold" is no handle: one has a digit, an underscore or a dot.
                .filter(|h| {
                    h.text
                        .contains(|c: char| c.is_ascii_digit() || c == '_' || c == '.')
                })
        };
        if let Some(handle) = after.filter(|h| h.letters() > 0 && !h.text.starts_with('@')) {
            out.push(finding(Identifier::Handle, handle, handle));
        }
    }
    out
}

/// Sites where a link's path names a person: a profile, a chat, a payment page.
const PROFILE_SITES: [&str; 27] = [
    "facebook.com",
    "fb.com",
    "fb.me",
    "m.me",
    "instagram.com",
    "instagr.am",
    "t.me",
    "telegram.me",
    "tiktok.com",
    "x.com",
    "twitter.com",
    "wa.me",
    "wa.link",
    "linkedin.com",
    "snapchat.com",
    "youtube.com",
    "onlyfans.com",
    "reddit.com",
    "vk.com",
    "threads.net",
    "bsky.app",
    "linktr.ee",
    "venmo.com",
    "cash.app",
    "paypal.me",
    "grindr.com",
    "discord.gg",
];

/// Links to a person's profile: `instagram.com/dre_the_plug`, `https://wa.me/4477…`.
pub(crate) fn profile_links(words: &[Word<'_>]) -> Vec<Finding> {
    words
        .iter()
        .filter(|w| {
            let lower = w.lower();
            let mut link = lower.as_str();
            for prefix in ["https://", "http://", "www.", "m.", "mobile.", "web."] {
                link = link.strip_prefix(prefix).unwrap_or(link);
            }
            PROFILE_SITES.iter().any(|site| {
                link.strip_prefix(site)
                    .and_then(|rest| rest.strip_prefix('/'))
                    .is_some_and(|path| path.chars().any(char::is_alphanumeric))
            })
        })
        .map(|w| finding(Identifier::ProfileLink, w, w))
        .collect()
}

/// Words after which the next one or two are a plate: "plate AB12 CDE", "placa ABC-1D23".
const PLATE_CUES: [&str; 12] = [
    "plate",
    "plates",
    "rego",
    "reg",
    "registration",
    "matrícula",
    "matricula",
    "placa",
    "plaque",
    "immatriculée",
    "immatriculation",
    "patente",
];

/// Plate shapes of the programs' countries: `A` a capital letter, `9` a digit.
const PLATE_SHAPES: [&str; 20] = [
    "AA99 AAA",  // United Kingdom
    "AA99AAA",   // United Kingdom
    "9999 AAA",  // Spain
    "9999AAA",   // Spain
    "9999-AAA",  // Spain
    "AA-999-AA", // France, Italy
    "AAA-9A99",  // Brazil (Mercosur)
    "AAA9A99",   // Brazil (Mercosur)
    "AAA-9999",  // Brazil, United States
    "AAA 9999",  // United States
    "AA-99-AA",  // Portugal
    "99-AA-99",  // Portugal
    "99-99-AA",  // Portugal
    "AA-99-99",  // Portugal
    "AAA-999-A", // Mexico
    "AAA-99-99", // Mexico
    "9AAA999",   // United States (California)
    "AAAA 999",  // Canada (Ontario)
    "AAAA999",   // Canada (Ontario)
    "AAA-999",   // Mexico, United States
];

fn shape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'A'..='Z' => 'A',
            '0'..='9' => '9',
            other => other,
        })
        .collect()
}

/// Vehicle plates: after a cue, any word with a digit; otherwise a known plate shape in capitals.
pub(crate) fn vehicle_plates(words: &[Word<'_>]) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if out.last().is_some_and(|f| w.start < f.span.end) {
            continue;
        }
        if PLATE_CUES.contains(&w.lower().as_str()) {
            // The plate is the first word with a digit after "number", "is" and the like.
            let plate = (i + 1..words.len().min(i + 4))
                .find(|&j| {
                    !["number", "no", "is", "es", "é", "#"].contains(&words[j].lower().as_str())
                })
                .filter(|&j| words[j].digits() > 0);
            if let Some(j) = plate {
                // Its second half, if it was typed apart: "4821 KLM".
                let last = words
                    .get(j + 1)
                    .filter(|n| {
                        n.text.len() <= 4
                            && !n.after_pause
                            && shape(n.text).chars().all(|c| c == 'A' || c == '9')
                    })
                    .unwrap_or(&words[j]);
                out.push(finding(Identifier::VehiclePlate, &words[j], last));
            }
            continue;
        }
        let one = shape(w.text);
        if PLATE_SHAPES.contains(&one.as_str()) && (one.contains('A') && one.contains('9')) {
            out.push(finding(Identifier::VehiclePlate, w, w));
        } else if let Some(next) = words.get(i + 1).filter(|n| !n.after_pause) {
            let two = format!("{one} {}", shape(next.text));
            if PLATE_SHAPES.contains(&two.as_str()) {
                out.push(finding(Identifier::VehiclePlate, w, next));
            }
        }
    }
    out
}

/// The Luhn check, as Canadian SINs use it.
fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                (d * 2) / 10 + (d * 2) % 10
            } else {
                *d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Brazilian CPF: eleven digits, the last two check digits of the others.
fn cpf(digits: &[u32]) -> bool {
    if digits.len() != 11 || digits.iter().all(|d| *d == digits[0]) {
        return false;
    }
    let check = |n: usize| {
        let sum: u32 = digits[..n]
            .iter()
            .enumerate()
            .map(|(i, d)| d * (n as u32 + 1 - i as u32))
            .sum();
        (sum * 10) % 11 % 10
    };
    check(9) == digits[9] && check(10) == digits[10]
}

/// French NIR: 13 digits and a key, 97 less their remainder by 97.
fn nir(digits: &[u32]) -> bool {
    if digits.len() != 15 || ![1, 2, 7, 8].contains(&digits[0]) {
        return false;
    }
    let number = digits[..13]
        .iter()
        .fold(0u64, |n, d| n * 10 + u64::from(*d));
    let key = u64::from(digits[13] * 10 + digits[14]);
    97 - number % 97 == key
}

/// Spanish DNI (8 digits and a letter) and NIE (X, Y or Z, 7 digits and a letter).
fn dni_or_nie(compact: &str) -> bool {
    const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    let bytes = compact.as_bytes();
    if bytes.len() != 9 || !bytes[8].is_ascii_uppercase() {
        return false;
    }
    let lead = match bytes[0] {
        b'X' => b'0',
        b'Y' => b'1',
        b'Z' => b'2',
        d => d,
    };
    let digits = std::iter::once(lead).chain(bytes[1..8].iter().copied());
    let mut number = 0u32;
    for d in digits {
        if !d.is_ascii_digit() {
            return false;
        }
        number = number * 10 + u32::from(d - b'0');
    }
    LETTERS[(number % 23) as usize] == bytes[8]
}

/// UK National Insurance number: two letters, six digits, A to D.
fn national_insurance(compact: &str) -> bool {
    let b = compact.as_bytes();
    b.len() == 9
        && b[..2]
            .iter()
            .all(|c| c.is_ascii_uppercase() && !b"DFIQUV".contains(c))
        && b[1] != b'O'
        && b[2..8].iter().all(u8::is_ascii_digit)
        && (b'A'..=b'D').contains(&b[8])
}

/// Mexican CURP: four letters, a birth date, sex, five letters and two check characters.
fn curp(compact: &str) -> bool {
    let b = compact.as_bytes();
    b.len() == 18
        && b[..4].iter().all(u8::is_ascii_uppercase)
        && b[4..10].iter().all(u8::is_ascii_digit)
        && b"HMX".contains(&b[10])
        && b[11..16].iter().all(u8::is_ascii_uppercase)
        && b[16].is_ascii_alphanumeric()
        && b[17].is_ascii_digit()
}

/// Whether `raw` (a number as typed, separators and all) is a national ID number.
fn is_national_id(raw: &str) -> bool {
    let compact: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.'))
        .collect();
    let digits: Vec<u32> = compact.chars().filter_map(|c| c.to_digit(10)).collect();
    let all_digits = digits.len() == compact.len();
    let grouped = shape(raw);
    let ssn = all_digits
        && (grouped == "999-99-9999" || grouped == "999 99 9999")
        && !matches!(
            digits[0] * 100 + digits[1] * 10 + digits[2],
            0 | 666 | 900..
        )
        && digits[3..5] != [0, 0]
        && digits[5..] != [0, 0, 0, 0];
    let sin = all_digits && (grouped == "999-999-999" || grouped == "999 999 999") && luhn(&digits);
    ssn || sin
        || (all_digits && cpf(&digits))
        || (all_digits && nir(&digits))
        || dni_or_nie(&compact)
        || national_insurance(&compact)
        || curp(&compact)
}

/// National ID numbers, as one word or spread over up to seven ("1 85 05 78 006 084 91").
pub(crate) fn national_ids(text: &str, words: &[Word<'_>]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let longest = (i..words.len().min(i + 7))
            .take_while(|&j| {
                words[j]
                    .text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
                    && (j == i || !words[j].after_pause)
            })
            .filter(|&j| is_national_id(&text[words[i].start..words[j].end()]))
            .last();
        match longest {
            Some(j) => {
                out.push(finding(Identifier::NationalId, &words[i], &words[j]));
                i = j + 1;
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::words::words;

    fn found(text: &str, scan: fn(&str, &[Word<'_>]) -> Vec<Finding>) -> Vec<(Identifier, &str)> {
        scan(text, &words(text))
            .into_iter()
            .map(|f| (f.identifier, &text[f.span]))
            .collect()
    }

    #[test]
    fn handles_are_found_but_times_and_lone_at_signs_are_not() {
        let scan = |t: &str, w: &[Word<'_>]| handles(t, w);
        assert_eq!(
            found("@ty_bands_88 sells", scan),
            [(Identifier::Handle, "@ty_bands_88")]
        );
        assert_eq!(
            found("ig: keisha_b_92", scan),
            [(Identifier::Handle, "keisha_b_92")]
        );
        assert_eq!(
            found("his snap is bigmike4life", scan),
            [(Identifier::Handle, "bigmike4life")]
        );
        assert_eq!(
            found("pay $bigmike88", scan),
            [(Identifier::Handle, "bigmike88")]
        );
        assert_eq!(found("meet @5pm @ the park, $20 a point", scan), []);
        assert_eq!(found("his snap is cold", scan), []);
    }

    #[test]
    fn profile_links_are_found_but_other_links_are_not() {
        let scan = |_: &str, w: &[Word<'_>]| profile_links(w);
        for link in [
            "https://facebook.com/jason.miller.5682",
            "instagram.com/dre_the_plug",
            "t.me/pinkpills_dealer",
            "www.tiktok.com/@saint_nicks",
            "x.com/hrworker_jess",
            "wa.me/447700900123",
        ] {
            let note = format!("see {link} now");
            assert_eq!(
                found(&note, scan),
                [(Identifier::ProfileLink, link)],
                "{link}"
            );
        }
        assert_eq!(
            found(
                "read https://example.org/naloxone-guide and fox.com/news",
                scan
            ),
            []
        );
        assert_eq!(found("she is on facebook.com", scan), []);
    }

    #[test]
    fn plates_are_found_by_cue_or_by_shape() {
        let scan = |_: &str, w: &[Word<'_>]| vehicle_plates(w);
        for (note, plate) in [
            ("plate AB12 CDE", "AB12 CDE"),
            ("black truck ABC 1234 circling", "ABC 1234"),
            ("matrícula 4821 KLM buying", "4821 KLM"),
            ("placa ABC-1D23 passa", "ABC-1D23"),
            ("voiture AB-123-CD devant", "AB-123-CD"),
            ("rego is 1xyz 234", "1xyz 234"),
        ] {
            assert_eq!(
                found(note, scan),
                [(Identifier::VehiclePlate, plate)],
                "{note}"
            );
        }
        for note in [
            "NSP 200 fits",
            "took 3 kits",
            "HIV-1 and HCV",
            "M30s blue",
            "room 12B",
        ] {
            assert_eq!(found(note, scan), [], "{note}");
        }
    }

    #[test]
    fn national_ids_are_found_when_their_check_digits_check() {
        let scan = |t: &str, w: &[Word<'_>]| national_ids(t, w);
        for (note, id) in [
            ("SSN 123-45-6789 for", "123-45-6789"),
            ("SIN 046 454 286 ok", "046 454 286"),
            ("NI AB 12 34 56 C", "AB 12 34 56 C"),
            ("DNI 12345678Z", "12345678Z"),
            ("NIE X1234567L", "X1234567L"),
            ("sécu 1 85 05 78 006 084 91", "1 85 05 78 006 084 91"),
            ("CPF 123.456.789-09 para", "123.456.789-09"),
            ("CURP GODE561231HDFRRN09", "GODE561231HDFRRN09"),
        ] {
            assert_eq!(found(note, scan), [(Identifier::NationalId, id)], "{note}");
        }
        for note in [
            "SIN 046 454 287",
            "12345678A",
            "123.456.789-00",
            "666-12-3456",
            "1 85 05 78 006 084 36",
        ] {
            assert_eq!(found(note, scan), [], "{note}");
        }
    }
}
