//! The service's words in each language: `locales/service/<tag>.json`, built into the binary,
//! in the flat i18next layout of the apps' files (a counted text has one key per CLDR plural
//! form, `_one`, `_other`, ...), checked against English by `core::translations`.

use super::{Arg, Text};
use peerpulse_core::language::{Direction, Language};
use peerpulse_core::translations;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// One language's texts by key.
pub type Catalog = BTreeMap<String, String>;

/// The file of `language`, as written.
pub fn source(language: Language) -> &'static str {
    match language {
        Language::En => include_str!("../../../locales/service/en.json"),
        Language::Es => include_str!("../../../locales/service/es.json"),
        Language::Fr => include_str!("../../../locales/service/fr.json"),
        Language::Pt => include_str!("../../../locales/service/pt.json"),
        Language::Ar => include_str!("../../../locales/service/ar.json"),
    }
}

static CATALOGS: LazyLock<BTreeMap<Language, Catalog>> = LazyLock::new(|| {
    Language::ALL
        .into_iter()
        .map(|language| {
            let catalog = serde_json::from_str(source(language)).expect(
                "the service's translation files are checked JSON (core/tests/translations.rs)",
            );
            (language, catalog)
        })
        .collect()
});

/// The catalog of `language`.
pub fn catalog(language: Language) -> &'static Catalog {
    CATALOGS
        .get(&language)
        .expect("every language has a catalog")
}

/// The template of `key` in `language` for the count `count`: the plain text, or the plural
/// form the count takes; English's when the language lacks it (a test keeps that from
/// happening), and the key itself as the last resort, never a panic.
fn template(key: &str, count: Option<u64>, language: Language) -> String {
    let lookup = |language: Language| {
        let texts = catalog(language);
        texts.get(key).cloned().or_else(|| {
            let form = language.plural_category(count.unwrap_or(0));
            texts.get(&format!("{key}_{}", form.as_str())).cloned()
        })
    };
    lookup(language)
        .or_else(|| lookup(Language::En))
        .unwrap_or_else(|| key.to_owned())
}

/// `text` in `language`, for a person to read (the JSON `message` the apps show). Placeholders
/// are filled in one pass over the template, so what an argument holds (a name someone typed,
/// a parser's words) is never read as a placeholder, and each is isolated for the language's
/// direction (`peerpulse_core::bidi`), so it cannot reorder the sentence around it.
pub fn render(text: &Text, language: Language) -> String {
    fill_in(text, language, Some(language.direction()))
}

/// `text` in `language` with no isolates, for a program to read (a log line).
pub fn render_plain(text: &Text, language: Language) -> String {
    fill_in(text, language, None)
}

/// `text` filled in, each value isolated for a paragraph running `isolated_in` if given.
fn fill_in(text: &Text, language: Language, isolated_in: Option<Direction>) -> String {
    let count = text.args.iter().find_map(|(_, arg)| match arg {
        Arg::Count(n) => Some(*n),
        _ => None,
    });
    let template = template(text.key, count, language);
    let value = |name: &str| {
        text.args
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, arg)| argument(arg, language, isolated_in))
    };
    match isolated_in {
        Some(paragraph) => translations::fill_isolated(&template, paragraph, value),
        None => translations::fill(&template, value),
    }
}

fn argument(arg: &Arg, language: Language, isolated_in: Option<Direction>) -> String {
    match arg {
        Arg::Count(n) | Arg::Number(n) => n.to_string(),
        Arg::Verbatim(value) => value.clone(),
        Arg::Text(inner) => fill_in(inner, language, isolated_in),
        Arg::Texts(texts) => {
            let separator = template("list.separator", None, language);
            texts
                .iter()
                .map(|t| fill_in(t, language, isolated_in))
                .collect::<Vec<_>>()
                .join(&separator)
        }
    }
}
