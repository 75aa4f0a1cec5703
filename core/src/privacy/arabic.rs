//! Names, addresses and birth dates in Arabic script.
//!
//! Arabic has no capitals, so nothing in a word's shape says "name": the guard relies on cue
//! words ("اسمه", "يدعى", "أبو"), on a short list of common given names that are not also
//! everyday words (so "كريم", generous, and "نور", light, are left to the cues), and on street,
//! dwelling and birth words followed by a number. Words are compared [folded](key): without
//! short vowels or tatweel, with every alif written plainly, ta marbuta as ha and alif maqsura
//! as ya, as people type them either way. A leading "و" (and) or "ب" (with) is read through:
//! "ومحمد" is "and Muhammad".

use crate::privacy::guard::{Finding, Identifier};
use crate::privacy::words::Word;

/// Cue words after which the next word is a name: "اسمه يوسف", "يدعى كريم", "المدعو سامر".
const CUES: &[&str] = &[
    "اسمه",
    "اسمها",
    "اسمو",
    "يدعي",
    "تدعي",
    "يسمي",
    "تسمي",
    "يسمونه",
    "يسمونها",
    "يلقب",
    "تلقب",
    "يلقبونه",
    "يلقبونها",
    "لقبه",
    "لقبها",
    "المدعو",
    "المدعوه",
    "الملقب",
    "الملقبه",
    "ينادونه",
    "ينادونها",
    "السيد",
    "السيده",
    "الحاج",
    "الحاجه",
];

/// Two-word cues: "معروف باسم" (known as).
const CUE_PAIRS: [[&str; 2]; 4] = [
    ["معروف", "باسم"],
    ["معروفه", "باسم"],
    ["المعروف", "باسم"],
    ["المعروفه", "باسم"],
];

/// "أبو" and "أم" before a name make a kunya ("أبو علي", "أم خالد"): "أبو" before anything,
/// "أم" (also "mother" and "or") only before a listed name.
const FATHER_OF: &str = "ابو";
const MOTHER_OF: &str = "ام";

/// Nouns that name a name when a colon follows: "الاسم: رامي".
const NAME_NOUNS: &[&str] = &["الاسم", "اسم", "اللقب", "لقب"];

/// Words after a cue that say the name is not there: "اسمه غير معروف" (his name is unknown).
const NO_NAME: &[&str] = &["غير", "لا", "ما", "مش", "مجهول", "مجهوله"];

/// Common given names, folded, that are not everyday words.
const GIVEN_NAMES: &[&str] = &[
    "محمد",
    "احمد",
    "محمود",
    "مصطفي",
    "خالد",
    "يوسف",
    "ابراهيم",
    "اسماعيل",
    "عبدالله",
    "عبدالرحمن",
    "عبدالعزيز",
    "عبدالكريم",
    "حسين",
    "طارق",
    "وليد",
    "هشام",
    "بلال",
    "زكريا",
    "ياسين",
    "رامي",
    "سامر",
    "فراس",
    "عيسي",
    "حمزه",
    "معاذ",
    "فيصل",
    "عمرو",
    "زياد",
    "مهدي",
    "عثمان",
    "يونس",
    "ادريس",
    "نبيل",
    "مراد",
    "فاطمه",
    "عائشه",
    "مريم",
    "زينب",
    "خديجه",
    "ساره",
    "رانيا",
    "نادين",
    "ناديه",
    "سعاد",
    "منال",
    "رشا",
    "ريم",
    "لينا",
    "رنا",
    "غاده",
    "رقيه",
    "كوثر",
    "يسرا",
    "نسرين",
    "سميره",
    "شيماء",
];

/// Street words, before the street's name and number: "شارع الجمهورية 12".
const STREET_WORDS: &[&str] = &["شارع", "طريق", "جاده", "زقاق"];

/// Words between a street word and a number that make the number something else: "في شارع
/// قريب منذ 3 ليال" (in a nearby street for 3 nights).
const NOT_A_STREET_NAME: &[&str] = &[
    "منذ",
    "من",
    "في",
    "الي",
    "لمده",
    "حوالي",
    "قبل",
    "بعد",
    "كل",
    "مع",
    "عند",
    "لكن",
];

/// Dwelling words before a number, maybe with "رقم" (number) between: "شقة رقم 8".
const DWELLING_WORDS: &[&str] = &["شقه", "غرفه", "عماره", "بنايه", "منزل"];

/// Words after which a number is a birth date or year: "مواليد 1990", "تاريخ الميلاد".
const BIRTH_CUES: &[&str] = &["مواليد", "الميلاد", "ميلاده", "ميلادها", "مولود", "مولوده"];

/// Letters read through at the start of a word: and, with (not ل, to: "لدينا", we have,
/// would read as the name Dina).
const PREFIXES: [char; 2] = ['و', 'ب'];

/// A word as the guard compares it: without short vowels and tatweel, alifs plain, ta marbuta
/// as ha, alif maqsura as ya. Empty for words with no Arabic letter.
pub(crate) fn key(word: &str) -> String {
    if !word.chars().any(is_arabic_letter) {
        return String::new();
    }
    word.chars()
        .filter(|c| !matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}'))
        .map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ة' => 'ه',
            'ى' => 'ي',
            other => other,
        })
        .collect()
}

fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{064A}' | '\u{0671}'..='\u{06D3}')
}

/// The word's key and, when it starts with "و" or "ب" and more than two letters follow,
/// the key without that letter.
fn readings(word: &Word<'_>) -> Vec<String> {
    let whole = key(word.text);
    let mut out = Vec::new();
    if let Some(rest) = whole.strip_prefix(PREFIXES)
        && rest.chars().count() > 2
    {
        out.push(rest.to_owned());
    }
    out.insert(0, whole);
    out
}

fn reads_as(word: Option<&Word<'_>>, list: &[&str]) -> bool {
    word.is_some_and(|w| readings(w).iter().any(|r| list.contains(&r.as_str())))
}

/// Every name, address and birth date in Arabic script in `words`.
pub(crate) fn findings(text: &str, words: &[Word<'_>]) -> Vec<Finding> {
    if !text.chars().any(is_arabic_letter) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let next = words.get(i + 1);
        if let Some(name) = name_after_cue(text, words, i) {
            out.push(finding(Identifier::Name, word.start..name.end()));
        }
        if reads_as(Some(word), GIVEN_NAMES) {
            out.push(finding(Identifier::Name, word.start..word.end()));
        }
        if key(word.text) == MOTHER_OF && reads_as(next, GIVEN_NAMES) {
            let name = next.expect("checked above");
            out.push(finding(Identifier::Name, word.start..name.end()));
        }
        if let Some(number) = street_number(words, i) {
            out.push(finding(Identifier::StreetAddress, word.start..number.end()));
        }
        if reads_as(Some(word), BIRTH_CUES)
            && let Some(number) = words[i + 1..].iter().take(4).find(|n| n.digits() > 0)
        {
            out.push(finding(Identifier::DateOfBirth, word.start..number.end()));
        }
    }
    out
}

fn finding(identifier: Identifier, span: std::ops::Range<usize>) -> Finding {
    Finding { identifier, span }
}

/// The name a cue at `i` points to.
fn name_after_cue<'a>(text: &str, words: &'a [Word<'a>], i: usize) -> Option<&'a Word<'a>> {
    let word = &words[i];
    let after = if reads_as(Some(word), CUES) || reads_as(Some(word), &[FATHER_OF]) {
        i + 1
    } else if CUE_PAIRS
        .iter()
        .any(|[a, b]| reads_as(Some(word), &[a]) && reads_as(words.get(i + 1), &[b]))
    {
        i + 2
    } else if reads_as(Some(word), NAME_NOUNS) && text[word.end()..].starts_with(':') {
        i + 1
    } else {
        return None;
    };
    let name = words
        .get(after)
        .filter(|name| name.letters() > 0 && !reads_as(Some(name), NO_NAME))?;
    // A kunya is two words: "أبو شنب".
    if reads_as(Some(name), &[FATHER_OF, MOTHER_OF]) {
        return words.get(after + 1).or(Some(name));
    }
    Some(name)
}

/// The number of a street address that starts at `i`: a street word, up to three words of
/// its name, then a house number; or a dwelling word, maybe "رقم", then a number.
fn street_number<'a>(words: &'a [Word<'a>], i: usize) -> Option<&'a Word<'a>> {
    let word = &words[i];
    let is_number = |w: &&Word<'_>| w.digits() > 0 && w.digits() <= 5 && w.letters() <= 1;
    if reads_as(Some(word), STREET_WORDS) {
        let name: Vec<&Word<'_>> = words[i + 1..]
            .iter()
            .take(3)
            .take_while(|w| w.digits() == 0)
            .collect();
        if name.iter().any(|w| reads_as(Some(w), NOT_A_STREET_NAME)) {
            return None;
        }
        return words.get(i + 1 + name.len()).filter(is_number);
    }
    if reads_as(Some(word), DWELLING_WORDS) {
        let skip = usize::from(words.get(i + 1).is_some_and(|w| key(w.text) == "رقم"));
        return words.get(i + 1 + skip).filter(is_number);
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::privacy::guard::{Identifier, scan};

    fn flagged(text: &str) -> Vec<(Identifier, &str)> {
        scan(text)
            .into_iter()
            .map(|f| (f.identifier, f.excerpt(text)))
            .collect()
    }

    #[test]
    fn names_after_arabic_cue_words_are_flagged_however_the_alif_is_written() {
        assert_eq!(
            flagged("اسمه يوسف، ينام تحت الجسر"),
            vec![(Identifier::Name, "اسمه يوسف")]
        );
        assert_eq!(
            flagged("شاب يُدعى كريم عنده خراج"),
            vec![(Identifier::Name, "يُدعى كريم")]
        );
        assert_eq!(
            flagged("المعروف باسم أبو شنب طلب شرائط"),
            vec![(Identifier::Name, "المعروف باسم أبو شنب")]
        );
        assert_eq!(
            flagged("الاسم: رامي، أول زيارة"),
            vec![(Identifier::Name, "الاسم: رامي")]
        );
        assert_eq!(flagged("اسمه غير معروف"), vec![]);
    }

    #[test]
    fn listed_arabic_names_are_flagged_without_cues_and_everyday_words_are_not() {
        assert_eq!(
            flagged("تحدثت مع محمد عن النالوكسون"),
            vec![(Identifier::Name, "محمد")]
        );
        assert_eq!(
            flagged("رأينا مريم وزينب في المخيم"),
            vec![(Identifier::Name, "مريم"), (Identifier::Name, "وزينب")]
        );
        assert_eq!(
            flagged("أم خالد تقول إن الشرطة أخذت أدواتها"),
            vec![(Identifier::Name, "أم خالد")]
        );
        // Generous, light, hope, mother of three: words, not names.
        assert_eq!(flagged("رجل كريم، نور، أمل، أم لثلاثة أطفال"), vec![]);
    }

    #[test]
    fn arabic_addresses_and_birth_years_are_flagged_but_durations_are_not() {
        assert_eq!(
            flagged("يسكن في شارع الجمهورية 12 مع أخيه"),
            vec![(Identifier::StreetAddress, "شارع الجمهورية 12")]
        );
        assert_eq!(
            flagged("تنام في شقة رقم ٨"),
            vec![(Identifier::StreetAddress, "شقة رقم ٨")]
        );
        assert_eq!(
            flagged("مواليد 1990 وفقد أوراقه"),
            vec![(Identifier::DateOfBirth, "مواليد 1990")]
        );
        assert_eq!(flagged("نام في شارع قريب منذ 3 ليال"), vec![]);
        assert_eq!(flagged("في الشارع منذ 3 أسابيع"), vec![]);
    }
}
