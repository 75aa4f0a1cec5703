//! Checks of the translation files (`locales/<tag>.json`) against English, so a translator's
//! slip shows up as a failing test, never as a raw key or a lost number on a worker's screen.
//!
//! The files are flat JSON objects in the i18next v4 layout that translation tools (Weblate,
//! Crowdin, Lokalise) edit directly: `"key": "text"`, placeholders as `{{name}}`, and a
//! counted phrase as one key per CLDR plural category, `"entries.count_one"`,
//! `"entries.count_other"`, with `{{count}}` for the number:
//! ```json
//! { "history.title": "History", "history.entries_one": "{{count}} entry", "history.entries_other": "{{count}} entries" }
//! ```

use crate::bidi;
use crate::language::{Direction, Language, PluralCategory};
use std::collections::{BTreeMap, BTreeSet};

/// One problem of one translation file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CatalogProblem {
    /// English has the message, this language does not.
    #[error("{language}: \"{key}\" is missing")]
    Missing {
        /// The file's language.
        language: Language,
        /// The message's key (without a plural ending).
        key: String,
    },
    /// This language has a message English does not (a typo, or a key left behind).
    #[error("{language}: \"{key}\" is not in English")]
    Extra {
        /// The file's language.
        language: Language,
        /// The key as written.
        key: String,
    },
    /// A counted message lacks a plural form this language needs, or has one it never uses.
    #[error("{language}: \"{key}\" needs the plural forms {expected:?}, has {found:?}")]
    PluralForms {
        /// The file's language.
        language: Language,
        /// The message's key (without a plural ending).
        key: String,
        /// The forms the language uses.
        expected: Vec<&'static str>,
        /// The forms the file has.
        found: Vec<&'static str>,
    },
    /// A form's placeholders differ from English's.
    #[error("{language}: \"{key}\" has the placeholders {found:?}, English has {expected:?}")]
    Placeholders {
        /// The file's language.
        language: Language,
        /// The key as written.
        key: String,
        /// English's placeholders.
        expected: BTreeSet<String>,
        /// This form's placeholders.
        found: BTreeSet<String>,
    },
    /// An empty text would show as nothing at all.
    #[error("{language}: \"{key}\" is empty")]
    Empty {
        /// The file's language.
        language: Language,
        /// The key as written.
        key: String,
    },
}

/// The `{{name}}` placeholders of a text.
pub fn placeholders(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        found.insert(after[..end].trim().to_owned());
        rest = &after[end + 2..];
    }
    found
}

/// `template` with each `{{name}}` replaced by `value(name)`, in one pass: what a value holds
/// (a label someone typed, a parser's words) is never read again as a placeholder, and a
/// placeholder with no value stays as written.
pub fn fill(template: &str, mut value: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            rest = &rest[start..];
            break;
        };
        match value(after[..end].trim()) {
            Some(filled) => out.push_str(&filled),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// [`fill`] for a sentence people read in a paragraph running `paragraph`: each value is
/// isolated ([`bidi::isolate`]), so a name typed in another direction, or with brackets at its
/// ends, shows as typed and cannot reorder the words around it. Text a program reads (a CSV,
/// a file name, a log line) takes [`fill`], without the invisible isolates.
pub fn fill_isolated(
    template: &str,
    paragraph: Direction,
    mut value: impl FnMut(&str) -> Option<String>,
) -> String {
    fill(template, |name| {
        value(name).map(|filled| bidi::isolate(&filled, paragraph).into_owned())
    })
}

/// A key split into its message and plural form: `a.b_one` is form `one` of `a.b`.
pub fn split_plural(key: &str) -> (&str, Option<PluralCategory>) {
    key.rsplit_once('_')
        .and_then(|(base, ending)| PluralCategory::parse(ending).map(|c| (base, Some(c))))
        .unwrap_or((key, None))
}

/// A file's messages: each key with its texts, one per plural form (`None` for a plain text).
type Messages<'a> = BTreeMap<&'a str, BTreeMap<Option<PluralCategory>, &'a str>>;

fn messages(file: &BTreeMap<String, String>) -> Messages<'_> {
    let mut out: Messages<'_> = BTreeMap::new();
    for (key, text) in file {
        let (base, form) = split_plural(key);
        out.entry(base).or_default().insert(form, text);
    }
    out
}

/// Every problem of `file`, the translation into `language`, against `english`; English
/// itself is checked with `english` as both.
pub fn check(
    english: &BTreeMap<String, String>,
    language: Language,
    file: &BTreeMap<String, String>,
) -> Vec<CatalogProblem> {
    let reference = messages(english);
    let translated = messages(file);
    let mut problems = Vec::new();
    for (key, text) in file {
        if text.trim().is_empty() {
            problems.push(CatalogProblem::Empty {
                language,
                key: key.clone(),
            });
        }
    }
    for key in reference.keys().filter(|k| !translated.contains_key(*k)) {
        problems.push(CatalogProblem::Missing {
            language,
            key: (*key).to_owned(),
        });
    }
    for (key, forms) in &translated {
        let Some(english_forms) = reference.get(key) else {
            problems.extend(forms.keys().map(|form| CatalogProblem::Extra {
                language,
                key: full_key(key, *form),
            }));
            continue;
        };
        let counted = !english_forms.contains_key(&None);
        let expected: Vec<Option<PluralCategory>> = if counted {
            language
                .plural_categories()
                .iter()
                .copied()
                .map(Some)
                .collect()
        } else {
            vec![None]
        };
        let found: Vec<Option<PluralCategory>> = forms.keys().copied().collect();
        if found != expected {
            problems.push(CatalogProblem::PluralForms {
                language,
                key: (*key).to_owned(),
                expected: expected.iter().map(|f| form_name(*f)).collect(),
                found: found.iter().map(|f| form_name(*f)).collect(),
            });
        }
        let wanted: BTreeSet<String> = english_forms
            .values()
            .flat_map(|t| placeholders(t))
            .collect();
        for (form, text) in forms {
            let mut have = placeholders(text);
            // A form for exactly one number may spell it out ("un mensaje", "رسالة واحدة").
            if counted && *form != Some(PluralCategory::Other) && !have.contains("count") {
                have.insert("count".to_owned());
            }
            if have != wanted {
                problems.push(CatalogProblem::Placeholders {
                    language,
                    key: full_key(key, *form),
                    expected: wanted.clone(),
                    found: placeholders(text),
                });
            }
        }
    }
    problems
}

fn form_name(form: Option<PluralCategory>) -> &'static str {
    form.map_or("(plain)", PluralCategory::as_str)
}

fn full_key(key: &str, form: Option<PluralCategory>) -> String {
    match form {
        Some(form) => format!("{key}_{}", form.as_str()),
        None => key.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_once_and_a_typed_brace_stays_as_typed() {
        let values = |name: &str| match name {
            "label" => Some("Meals {{count}}".to_owned()),
            "count" => Some("3".to_owned()),
            _ => None,
        };
        assert_eq!(
            fill("{{count}} of {{ label }}: {{unknown}} {{", values),
            "3 of Meals {{count}}: {{unknown}} {{"
        );
        assert_eq!(fill("no placeholders", values), "no placeholders");
        assert_eq!(fill("{{label}}}}", values), "Meals {{count}}}}");
    }

    #[test]
    fn a_sentence_people_read_isolates_each_value_and_only_its_values() {
        let values = |name: &str| match name {
            "name" => Some("(A&B) {{role}}".to_owned()),
            "role" => Some("مسؤول".to_owned()),
            _ => None,
        };
        let template = "أضاف {{name}} بدور {{role}} {{unknown}}";
        assert_eq!(
            fill_isolated(template, Direction::Rtl, values),
            "أضاف \u{2068}(A&B) {{role}}\u{2069} بدور \u{2068}مسؤول\u{2069} {{unknown}}"
        );
        assert_eq!(
            fill_isolated("Added {{name}} as {{role}}", Direction::Ltr, values),
            "Added (A&B) {{role}} as \u{2068}مسؤول\u{2069}"
        );
        // What a program reads stays bare.
        assert_eq!(
            fill(template, values),
            "أضاف (A&B) {{role}} بدور مسؤول {{unknown}}"
        );
    }

    fn file(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn english() -> BTreeMap<String, String> {
        file(&[
            ("nav.log", "Log"),
            ("saved", "Saved at {{time}}"),
            ("notes_one", "{{count}} note"),
            ("notes_other", "{{count}} notes"),
        ])
    }

    #[test]
    fn a_complete_translation_has_no_problem() {
        let spanish = file(&[
            ("nav.log", "Registrar"),
            ("saved", "Guardado a las {{time}}"),
            ("notes_one", "{{count}} nota"),
            ("notes_many", "{{count}} de notas"),
            ("notes_other", "{{count}} notas"),
        ]);
        assert_eq!(check(&english(), Language::Es, &spanish), vec![]);
        assert_eq!(check(&english(), Language::En, &english()), vec![]);
    }

    #[test]
    fn a_missing_and_an_extra_key_are_both_reported() {
        let french = file(&[
            ("nav.lgo", "Noter"),
            ("saved", "Enregistré à {{time}}"),
            ("notes_one", "{{count}} note"),
            ("notes_many", "{{count}} de notes"),
            ("notes_other", "{{count}} notes"),
        ]);
        let problems = check(&english(), Language::Fr, &french);
        assert!(problems.contains(&CatalogProblem::Missing {
            language: Language::Fr,
            key: "nav.log".into()
        }));
        assert!(problems.contains(&CatalogProblem::Extra {
            language: Language::Fr,
            key: "nav.lgo".into()
        }));
    }

    #[test]
    fn arabic_needs_all_six_forms_of_a_counted_phrase() {
        let arabic = file(&[
            ("nav.log", "تسجيل"),
            ("saved", "حُفظ الساعة {{time}}"),
            ("notes_one", "ملاحظة واحدة"),
            ("notes_other", "{{count}} ملاحظة"),
        ]);
        let problems = check(&english(), Language::Ar, &arabic);
        assert!(
            matches!(&problems[..], [CatalogProblem::PluralForms { found, .. }] if found == &["one", "other"]),
            "{problems:?}"
        );
    }

    #[test]
    fn a_changed_or_lost_placeholder_is_reported() {
        let portuguese = file(&[
            ("nav.log", "Registar"),
            ("saved", "Guardado às {{hora}}"),
            ("notes_one", "{{count}} nota"),
            ("notes_many", "{{count}} de notas"),
            ("notes_other", "notas"),
        ]);
        let problems = check(&english(), Language::Pt, &portuguese);
        let keys: Vec<&str> = problems
            .iter()
            .filter_map(|p| match p {
                CatalogProblem::Placeholders { key, .. } => Some(key.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(keys, ["notes_other", "saved"]);
    }

    #[test]
    fn an_empty_text_is_reported() {
        let mut spanish = english();
        spanish.insert("nav.log".into(), " ".into());
        assert!(
            check(&english(), Language::En, &spanish).contains(&CatalogProblem::Empty {
                language: Language::En,
                key: "nav.log".into()
            })
        );
    }

    #[test]
    fn placeholders_are_read_between_double_braces() {
        assert_eq!(
            placeholders("{{count}} of {{ total }} {unclosed"),
            ["count", "total"].map(String::from).into()
        );
        assert_eq!(
            split_plural("a.notes_few"),
            ("a.notes", Some(PluralCategory::Few))
        );
        assert_eq!(split_plural("a.just_now"), ("a.just_now", None));
    }
}
