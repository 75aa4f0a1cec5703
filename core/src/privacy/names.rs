//! Names in free text: after cue words in English, Spanish, French and Portuguese ("named",
//! "se llama", "s'appelle", "chama-se", "goes by"), and without cues, from a lexicon of given
//! and family names.
//!
//! The lexicon (`core/data/names.txt`, made by `scripts/names-lexicon` from Faker's MIT-licensed
//! name lists) marks names that are also everyday words, places, months or drug street names
//! ("Will", "Grace", "May", "Jordan", "Molly", "Tina"): alone they are read as words, beside
//! another name ("Will Smith") or after a cue as names. Places are told apart by the words
//! around them: "Victoria Park", "St Mary's", "the Jordan river", "Main and Hastings".
//!
//! The service and native code carry the lexicon built in (feature `bundled-names`). The phone
//! does not: 150 KB would weigh on its first screen, so it fetches the file later and hands it
//! to [`install`]; until then the guard finds names after cue words only.

use crate::privacy::guard::{Finding, Identifier};
use crate::privacy::words::Word;
use std::ops::Range;
use std::sync::OnceLock;

/// The lexicon as the service carries it.
#[cfg(feature = "bundled-names")]
const BUNDLED: &str = include_str!("../../data/names.txt");

/// Given and family names, and which of them are also everyday words.
#[derive(Debug)]
pub struct Lexicon {
    text: Box<str>,
    given: Vec<Range<u32>>,
    family: Vec<Range<u32>>,
    word: Vec<Range<u32>>,
    not_name: Vec<Range<u32>>,
}

/// Why a text is not a name lexicon.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LexiconError {
    /// A section the lexicon does not have.
    #[error("line {line}: {section:?} is not a section of the name lexicon")]
    UnknownSection {
        /// Line number, from 1.
        line: usize,
        /// The header read.
        section: String,
    },
    /// A name before any section header.
    #[error("line {line}: a name before the first section")]
    NoSection {
        /// Line number, from 1.
        line: usize,
    },
    /// Names out of order, so they could not be looked up.
    #[error("line {line}: {name:?} is out of order")]
    Unsorted {
        /// Line number, from 1.
        line: usize,
        /// The name out of order.
        name: String,
    },
    /// No name at all: the file was cut or is something else.
    #[error("the name lexicon holds no names")]
    Empty,
}

impl Lexicon {
    /// Reads a lexicon: `#` comments, then `[given]`, `[family]`, `[word]` (names that are also
    /// everyday words) and `[not-name]` (months, places, drug street names) sections of
    /// lowercase ASCII keys (see [`ascii_key`]), each sorted.
    pub fn parse(text: impl Into<Box<str>>) -> Result<Self, LexiconError> {
        let text: Box<str> = text.into();
        let mut sections: [Vec<Range<u32>>; 4] = Default::default();
        let mut current: Option<usize> = None;
        let mut offset = 0;
        for (number, line) in text.split_inclusive('\n').enumerate() {
            let start = offset;
            offset += line.len();
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.starts_with('[') {
                current = Some(match line {
                    "[given]" => 0,
                    "[family]" => 1,
                    "[word]" => 2,
                    "[not-name]" => 3,
                    _ => {
                        return Err(LexiconError::UnknownSection {
                            line: number + 1,
                            section: line.to_owned(),
                        });
                    }
                });
                continue;
            }
            let section = current.ok_or(LexiconError::NoSection { line: number + 1 })?;
            let names = &mut sections[section];
            if names
                .last()
                .is_some_and(|last| &text[last.start as usize..last.end as usize] >= line)
            {
                return Err(LexiconError::Unsorted {
                    line: number + 1,
                    name: line.to_owned(),
                });
            }
            let start = u32::try_from(start).expect("a lexicon is far under 4 GB");
            names.push(start..start + line.len() as u32);
        }
        let [given, family, word, not_name] = sections;
        if given.is_empty() || family.is_empty() {
            return Err(LexiconError::Empty);
        }
        Ok(Self {
            text,
            given,
            family,
            word,
            not_name,
        })
    }

    fn has(&self, section: &[Range<u32>], key: &str) -> bool {
        section
            .binary_search_by(|r| self.text[r.start as usize..r.end as usize].cmp(key))
            .is_ok()
    }

    /// What the lexicon says of a word; of a hyphenated one, what its parts say together
    /// ("Jean-Baptiste" is a given name, "Saint-Denis" is not).
    fn read(&self, word: &str) -> Kinds {
        let parts: Vec<Kinds> = word.split('-').map(|part| self.read_part(part)).collect();
        if parts.len() == 1 {
            return parts[0];
        }
        let capitalized = word
            .split('-')
            .all(|part| part.chars().next().is_some_and(char::is_uppercase));
        if capitalized && parts[0].given && !parts[0].not_name {
            // "Jean-Baptiste", "Marie-Claire": a compound given name.
            return Kinds {
                given: true,
                ..Kinds::default()
            };
        }
        if !parts.iter().all(|k| k.is_name()) {
            return Kinds::default();
        }
        Kinds {
            given: parts.iter().any(|k| k.given),
            family: parts.iter().any(|k| k.family),
            word: parts.iter().all(|k| k.word || k.not_name),
            not_name: false,
        }
    }

    fn read_part(&self, part: &str) -> Kinds {
        let key = ascii_key(part);
        if key.len() < 3 {
            return Kinds::default();
        }
        Kinds {
            given: self.has(&self.given, &key),
            family: self.has(&self.family, &key),
            word: self.has(&self.word, &key),
            not_name: self.has(&self.not_name, &key),
        }
    }
}

/// What a word is, by the lexicon.
#[derive(Clone, Copy, Debug, Default)]
struct Kinds {
    given: bool,
    family: bool,
    /// Also an everyday word: a name alone only when capitalized inside a sentence.
    word: bool,
    /// A month, place or drug street name: never a name alone.
    not_name: bool,
}

impl Kinds {
    fn is_name(self) -> bool {
        self.given || self.family
    }
}

static INSTALLED: OnceLock<Lexicon> = OnceLock::new();

/// Hands the guard its lexicon; false when it already had one, which it keeps.
pub fn install(lexicon: Lexicon) -> bool {
    INSTALLED.set(lexicon).is_ok()
}

#[cfg(feature = "bundled-names")]
fn lexicon() -> Option<&'static Lexicon> {
    Some(INSTALLED.get_or_init(|| {
        Lexicon::parse(BUNDLED).expect("the bundled lexicon parses: a test reads it")
    }))
}

#[cfg(not(feature = "bundled-names"))]
fn lexicon() -> Option<&'static Lexicon> {
    INSTALLED.get()
}

/// Letters of U+00C0 to U+017F without their marks, lowercase (`.`: not a letter of a name).
const LATIN_BASES: &[u8; 192] = b"aaaaaaaceeeeiiiidnooooo.ouuuuytsaaaaaaaceeeeiiiidnooooo.ouuuuyty\
aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiii.i..jjkkklllllll\
lllnnnnnn.nnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzz.";

/// The lexicon's key for a word: lowercase ASCII letters only, marks and a possessive dropped
/// ("José" and "jose", "O'Brien's" and "obrien").
pub fn ascii_key(word: &str) -> String {
    let word = ["'s", "’s", "s'", "s’"]
        .iter()
        .find_map(|s| word.strip_suffix(s))
        .filter(|w| !w.is_empty())
        .unwrap_or(word);
    let mut key = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            'a'..='z' => key.push(c),
            'A'..='Z' => key.push(c.to_ascii_lowercase()),
            'ß' => key.push_str("ss"),
            'æ' | 'Æ' => key.push_str("ae"),
            'œ' | 'Œ' => key.push_str("oe"),
            'þ' | 'Þ' => key.push_str("th"),
            '\u{C0}'..='\u{17F}' => {
                let base = LATIN_BASES[c as usize - 0xC0];
                if base != b'.' {
                    key.push(char::from(base));
                }
            }
            _ => {}
        }
    }
    key
}

/// Whether a name after a cue may be in lowercase ("her name is kylie"), or must be
/// capitalized ("called Reggie", not "called an ambulance").
#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    Any,
    Capitalized,
}

/// Words after which a name follows.
const CUES: &[(&[&str], Case)] = &[
    (&["name's"], Case::Any),
    (&["names"], Case::Any),
    (&["goes", "by"], Case::Any),
    (&["known", "as"], Case::Any),
    (&["aka"], Case::Any),
    (&["a.k.a"], Case::Any),
    (&["se", "llama"], Case::Any),
    (&["le", "dicen"], Case::Any),
    (&["le", "llaman"], Case::Any),
    (&["conocido", "como"], Case::Any),
    (&["conocida", "como"], Case::Any),
    (&["alias"], Case::Any),
    (&["s'appelle"], Case::Any),
    (&["l'appelle"], Case::Any),
    (&["on", "appelle"], Case::Capitalized),
    (&["qu'on", "appelle"], Case::Capitalized),
    (&["chama-se"], Case::Any),
    (&["se", "chama"], Case::Any),
    (&["conhecido", "como"], Case::Any),
    (&["conhecida", "como"], Case::Any),
    (&["vulgo"], Case::Any),
    (&["chamam", "ele"], Case::Capitalized),
    (&["chamam", "ela"], Case::Capitalized),
    (&["chamam-no"], Case::Capitalized),
    (&["chamam-na"], Case::Capitalized),
    (&["named"], Case::Capitalized),
    (&["called"], Case::Capitalized),
    (&["nicknamed"], Case::Capitalized),
    (&["they", "call"], Case::Capitalized),
    (&["call", "him"], Case::Capitalized),
    (&["call", "her"], Case::Capitalized),
    (&["calls", "him"], Case::Capitalized),
    (&["calls", "her"], Case::Capitalized),
    (&["calls", "himself"], Case::Capitalized),
    (&["calls", "herself"], Case::Capitalized),
    (&["llamado"], Case::Capitalized),
    (&["llamada"], Case::Capitalized),
    (&["apodado"], Case::Capitalized),
    (&["apodada"], Case::Capitalized),
    (&["nommé"], Case::Capitalized),
    (&["nommée"], Case::Capitalized),
    (&["appelé"], Case::Capitalized),
    (&["appelée"], Case::Capitalized),
    (&["surnommé"], Case::Capitalized),
    (&["surnommée"], Case::Capitalized),
    (&["chamado"], Case::Capitalized),
    (&["chamada"], Case::Capitalized),
    (&["apelidado"], Case::Capitalized),
    (&["apelidada"], Case::Capitalized),
];

/// Titles before a capitalized name, in the four languages.
const TITLES: [&str; 23] = [
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "mister",
    "sr",
    "sra",
    "srta",
    "señor",
    "señora",
    "señorita",
    "don",
    "doña",
    "dona",
    "seu",
    "senhor",
    "senhora",
    "m",
    "mme",
    "mlle",
    "monsieur",
    "madame",
];

/// Words for a name, before "is" in some language: "her name is", "o nome dele é".
const NAME_NOUNS: [&str; 11] = [
    "name", "nickname", "nombre", "apodo", "nome", "apelido", "nom", "surnom", "prénom", "prenom",
    "handle",
];
const COPULAS: [&str; 6] = ["is", "es", "é", "est", "was", "era"];

/// Articles between a cue and a name: "le dicen la Güera", "known as the Preacher".
const ARTICLES: [&str; 14] = [
    "the", "el", "la", "lo", "los", "las", "le", "les", "o", "a", "os", "as", "al", "un",
];

/// Words after a name that make it a place or a day: "Victoria Park", "Jordan river",
/// "Christmas Eve". Alone, they are no names either.
const PLACE_AFTER: [&str; 59] = [
    "park",
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "av",
    "lane",
    "ln",
    "drive",
    "dr",
    "boulevard",
    "blvd",
    "way",
    "court",
    "place",
    "square",
    "sq",
    "river",
    "creek",
    "lake",
    "beach",
    "bay",
    "hill",
    "heights",
    "valley",
    "bridge",
    "station",
    "hospital",
    "clinic",
    "centre",
    "center",
    "church",
    "chapel",
    "house",
    "hall",
    "hotel",
    "motel",
    "inn",
    "lodge",
    "shelter",
    "mission",
    "market",
    "mall",
    "plaza",
    "library",
    "school",
    "college",
    "university",
    "pharmacy",
    "gardens",
    "estate",
    "village",
    "cross",
    "day",
    "eve",
    "trail",
    "club",
];

/// Words before a name that make it a place: "St Mary's", "San José", "East Hastings".
const PLACE_BEFORE: [&str; 35] = [
    "st", "saint", "ste", "sainte", "san", "santa", "santo", "são", "sao", "mount", "mt", "lake",
    "port", "fort", "cape", "east", "west", "north", "south", "upper", "lower", "the", "rue",
    "calle", "avenida", "rua", "praça", "praca", "plaza", "parque", "parc", "barrio", "bairro",
    "río", "rio",
];

/// Words before a lone family name that make it a place: "SCS at Oppenheimer".
const PLACE_PREPOSITIONS: [&str; 12] = [
    "at", "in", "near", "behind", "outside", "from", "to", "on", "en", "à", "na", "no",
];

/// Pairs of names that are drug street names: "Mary Jane going around".
const DRUG_NAMES: [[&str; 2]; 4] = [
    ["mary", "jane"],
    ["marie", "jeanne"],
    ["maria", "joana"],
    ["maria", "juana"],
];

fn lower_is(word: Option<&Word<'_>>, list: &[&str]) -> bool {
    word.is_some_and(|w| list.contains(&w.lower().replace('’', "'").as_str()))
}

/// Every name in the words of a folded text: after cues, and, once the lexicon is there,
/// without.
pub(crate) fn names(text: &str, words: &[Word<'_>]) -> Vec<Finding> {
    let mut found = after_cues(text, words);
    if let Some(lexicon) = lexicon() {
        let cued = found.clone();
        found.extend(from_lexicon(lexicon, words).into_iter().filter(|f| {
            !cued
                .iter()
                .any(|c| f.span.start < c.span.end && c.span.start < f.span.end)
        }));
    }
    found
}

fn name_finding(span: Range<usize>) -> Finding {
    Finding {
        identifier: Identifier::Name,
        span,
    }
}

/// Where a cue ends at word `i`: the index of the word after it, and the case the name takes.
fn cue_at(text: &str, words: &[Word<'_>], i: usize) -> Option<(usize, Case)> {
    let lower: Vec<String> = words[i..]
        .iter()
        .take(2)
        .map(|w| w.lower().replace('’', "'"))
        .collect();
    let matches =
        |cue: &[&str]| cue.len() <= lower.len() && cue.iter().zip(&lower).all(|(c, w)| c == w);
    if let Some((cue, case)) = CUES.iter().find(|(cue, _)| matches(cue)) {
        return Some((i + cue.len(), *case));
    }
    let first = lower[0].trim_end_matches('.');
    if TITLES.contains(&first) && (first != "m" || words[i].text == "M") {
        return Some((i + 1, Case::Capitalized));
    }
    if NAME_NOUNS.contains(&lower[0].as_str()) {
        // "nombre: Juan", or the noun, up to two words, then "is": "o nome dele é Anderson".
        if text[words[i].end()..].starts_with(':') {
            return Some((i + 1, Case::Any));
        }
        let copula = words[i + 1..]
            .iter()
            .take(3)
            .position(|w| COPULAS.contains(&w.lower().as_str()))?;
        return Some((i + 2 + copula, Case::Any));
    }
    None
}

fn after_cues(text: &str, words: &[Word<'_>]) -> Vec<Finding> {
    let mut out = Vec::new();
    for i in 0..words.len() {
        let Some((mut after, mut case)) = cue_at(text, words, i) else {
            continue;
        };
        // "apelidado de Baiano", "chamam ele de Neguinho".
        if lower_is(words.get(after), &["de"]) {
            after += 1;
            case = Case::Capitalized;
        }
        if lower_is(words.get(after), &ARTICLES) {
            after += 1;
            case = Case::Capitalized;
        }
        let Some(first) = words.get(after).filter(|w| w.letters() > 0) else {
            continue;
        };
        if case == Case::Capitalized && !first.is_capitalized() {
            continue;
        }
        let end = words[after + 1..]
            .iter()
            .take(2)
            .take_while(|w| w.is_capitalized() && w.letters() > 0 && !w.after_pause)
            .last()
            .map_or(first.end(), Word::end);
        out.push(name_finding(first.start..end));
    }
    out
}

/// The span of a whole short text that is a person's name and nothing else ("maria lopez",
/// "John Smith", "will brown"), even where each word alone is an everyday word: a free tag
/// names a need, so two name words and nothing more are a name.
pub(crate) fn whole_name(words: &[Word<'_>]) -> Option<Range<usize>> {
    let lexicon = lexicon()?;
    let [first, .., last] = words else {
        return None;
    };
    if words.len() > 3 || !words.iter().all(name_shaped) {
        return None;
    }
    let kinds: Vec<Kinds> = words.iter().map(|w| lexicon.read(w.text)).collect();
    let names = kinds[0].given
        && kinds[words.len() - 1].family
        && kinds.iter().all(|k| k.is_name() && !k.not_name)
        && !words.iter().any(|w| lower_is(Some(w), &PLACE_AFTER));
    names.then(|| first.start..last.end())
}

/// Whether `words` is one word that is a name and not also an everyday word ("maria", not
/// "hope" or "cares"): a free tag that is a name alone.
pub(crate) fn lone_name(words: &[Word<'_>]) -> bool {
    let (Some(lexicon), [only]) = (lexicon(), words) else {
        return false;
    };
    let kinds = lexicon.read(only.text);
    name_shaped(only) && kinds.is_name() && !kinds.word && !kinds.not_name
}

/// A word that could be a name: letters, and apostrophes or hyphens inside.
fn name_shaped(word: &Word<'_>) -> bool {
    word.text.chars().count() >= 2
        && word
            .text
            .chars()
            .all(|c| c.is_alphabetic() || c == '\'' || c == '’' || c == '-')
}

fn is_lowercase(word: &Word<'_>) -> bool {
    !word.text.chars().any(char::is_uppercase)
}

fn from_lexicon(lexicon: &Lexicon, words: &[Word<'_>]) -> Vec<Finding> {
    let kinds: Vec<Kinds> = words
        .iter()
        .map(|w| {
            if name_shaped(w) {
                lexicon.read(w.text)
            } else {
                Kinds::default()
            }
        })
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        let before = i.checked_sub(1).and_then(|b| words.get(b));
        let next = words.get(i + 1).filter(|n| !n.after_pause);
        let a_place =
            lower_is(before, &PLACE_BEFORE) && !word.after_pause || lower_is(next, &PLACE_AFTER);
        let this = kinds[i];
        i += 1;
        let drug = DRUG_NAMES
            .iter()
            .any(|[a, b]| ascii_key(word.text) == format!("{a}{b}"));
        if !this.is_name() || a_place || drug || lower_is(Some(word), &PLACE_AFTER) {
            continue;
        }
        // Two names side by side, in the same case: "Maria Lopez", "Will Smith", "juan perez".
        if let Some(next) = next {
            let that = kinds[i];
            if DRUG_NAMES
                .iter()
                .any(|[a, b]| ascii_key(word.text) == *a && ascii_key(next.text) == *b)
            {
                i += 1;
                continue;
            }
            let same_case = (word.is_capitalized() && next.is_capitalized())
                || (is_lowercase(word) && is_lowercase(next) && !this.not_name && !that.not_name);
            let pair = this.given
                && (that.family || that.given)
                && (word.is_capitalized() || !(this.word && that.word));
            if same_case && pair && !lower_is(words.get(i + 1), &PLACE_AFTER) {
                out.push(name_finding(word.start..next.end()));
                i += 1;
                continue;
            }
        }
        // After an initial: "J. Morales".
        if before.is_some_and(|b| b.is_initial()) && !word.after_pause && word.is_capitalized() {
            let initial = before.expect("checked above");
            out.push(name_finding(initial.start..word.end()));
            continue;
        }
        if this.not_name {
            continue;
        }
        // One name alone: a given name anywhere, in any case, unless it is also an everyday
        // word ("Will", "Hope"), which counts only capitalized inside a sentence; a family name
        // capitalized inside a sentence, not where a place would stand ("at Oppenheimer").
        let inside = word.is_capitalized() && !word.opens_sentence;
        let alone = if this.word {
            inside && !lower_is(before, &PLACE_PREPOSITIONS)
        } else if this.given {
            word.is_capitalized() || is_lowercase(word)
        } else {
            word.is_capitalized() && !word.opens_sentence && !lower_is(before, &PLACE_PREPOSITIONS)
        };
        if alone {
            out.push(name_finding(word.start..word.end()));
        }
    }
    out
}

#[cfg(all(test, feature = "bundled-names"))]
mod tests {
    use super::*;
    use crate::privacy::words::words;

    fn found(text: &str) -> Vec<&str> {
        names(text, &words(text))
            .into_iter()
            .map(|f| &text[f.span])
            .collect()
    }

    #[test]
    fn the_bundled_lexicon_parses() {
        let parsed = Lexicon::parse(BUNDLED).unwrap();
        assert!(parsed.given.len() > 5_000 && parsed.family.len() > 5_000);
        assert!(lexicon().is_some());
    }

    #[test]
    fn keys_drop_case_marks_and_possessives() {
        assert_eq!(ascii_key("José"), "jose");
        assert_eq!(ascii_key("O'Brien's"), "obrien");
        assert_eq!(ascii_key("Tyrone’s"), "tyrone");
        assert_eq!(ascii_key("ŁUKASZ"), "lukasz");
        assert_eq!(ascii_key("Straße"), "strasse");
    }

    #[test]
    fn a_broken_lexicon_is_refused() {
        assert_eq!(
            Lexicon::parse("ana\n").unwrap_err(),
            LexiconError::NoSection { line: 1 }
        );
        assert!(matches!(
            Lexicon::parse("[given]\nzoe\nana\n"),
            Err(LexiconError::Unsorted { line: 3, .. })
        ));
        assert!(matches!(
            Lexicon::parse("[nick]\n"),
            Err(LexiconError::UnknownSection { line: 1, .. })
        ));
        assert_eq!(
            Lexicon::parse("# nothing\n").unwrap_err(),
            LexiconError::Empty
        );
    }

    #[test]
    fn names_without_cues_are_found() {
        assert_eq!(found("Told John Smith about the new site"), ["John Smith"]);
        assert_eq!(
            found("Met Tyrone and Keisha at the camp"),
            ["Tyrone", "Keisha"]
        );
        assert_eq!(found("met tyrone by the bridge"), ["tyrone"]);
        assert_eq!(found("gave supplies to maria lopez"), ["maria lopez"]);
        assert_eq!(found("Will Thompson came by"), ["Will Thompson"]);
        assert_eq!(found("Jean-Baptiste cherche"), ["Jean-Baptiste"]);
        assert_eq!(found("J. Morales asked"), ["J. Morales"]);
        assert_eq!(found("told Destiny about it"), ["Destiny"]);
    }

    #[test]
    fn a_text_of_two_names_and_nothing_else_is_a_name() {
        let whole = |text: &str| whole_name(&words(text)).map(|span| text[span].to_owned());
        assert_eq!(whole("will brown").as_deref(), Some("will brown"));
        assert_eq!(whole("Maria Lopez").as_deref(), Some("Maria Lopez"));
        assert_eq!(whole("dental care"), None);
        assert_eq!(whole("hope street"), None);
        assert_eq!(whole("mary jane"), None);
    }

    #[test]
    fn names_that_are_words_places_months_or_drugs_alone_are_not() {
        for note in [
            "Will come back tomorrow",
            "Hope the shelter opens early",
            "Molly going around, some of it is meth",
            "Tina is everywhere this week",
            "Mary Jane is legal now",
            "camp at Victoria Park cleared",
            "people sleeping near St Mary's church",
            "new tents by the Jordan river",
            "June is when the camp gets cleared",
            "bad date with a john",
            "Main and Hastings crowd bigger",
            "Marie-Jeanne moins chère",
            "the Red Cross and Grace Church",
        ] {
            assert_eq!(found(note), Vec::<&str>::new(), "{note}");
        }
    }

    #[test]
    fn cues_in_four_languages_and_nicknames_are_found() {
        assert_eq!(found("se llama Lupita, tiene 19"), ["Lupita"]);
        assert_eq!(found("il s'appelle Karim"), ["Karim"]);
        assert_eq!(found("chama-se Joana"), ["Joana"]);
        assert_eq!(found("o nome dele é Anderson"), ["Anderson"]);
        assert_eq!(found("su nombre es alejandro"), ["alejandro"]);
        assert_eq!(found("known as Big Mike, deals"), ["Big Mike"]);
        assert_eq!(found("goes by Snake"), ["Snake"]);
        assert_eq!(found("le dicen la Güera"), ["Güera"]);
        assert_eq!(found("called an ambulance"), Vec::<&str>::new());
        assert_eq!(found("known as a dealer"), Vec::<&str>::new());
    }
}
