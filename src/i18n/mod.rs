//! The interface in the worker's language.
//!
//! Texts live in `locales/<tag>.json` (see `peerpulse_core::translations` for the layout and
//! its checks), which a translator edits without touching Rust; the organization's app adds
//! its own texts, every key starting `org.`, in `locales/org/<tag>.json`, so a worker's phone
//! never carries them. Each app says which catalogs it shows with a [`Bundle`]. English is
//! built into the app; every other language is one small file per catalog fetched when chosen
//! (and cached by the service worker for offline use), so the English first load carries no
//! translation.
//! Plural forms come from the browser's `Intl.PluralRules` and numbers, dates and times from
//! `Intl`: the CLDR data is already on the phone and costs the app no bytes.
//!
//! Views ask for texts with [`t`] (a reactive text for a view), [`text`], [`fill`] and
//! [`count`]; each reads the language shown, so a switch redraws every text in place and
//! nothing typed is lost.

pub mod audit_words;
pub mod choice;
pub mod csv_words;
pub mod errors;
pub mod intl;
pub mod labels;
pub mod org_errors;
pub mod org_labels;

use js_sys::{Object, Reflect};
use leptos::prelude::*;
use peerpulse_core::language::Language;
use std::cell::{Cell, RefCell};
use std::fmt::Display;
use wasm_bindgen::JsValue;

/// The texts an app shows: its catalogs, looked up in order, and where the person's choice
/// of language is kept.
pub struct Bundle {
    /// Each catalog: its folder on the site and its English file, built in.
    catalogs: &'static [(&'static str, &'static str)],
    /// The `localStorage` key of the chosen language.
    kept_as: &'static str,
}

/// The worker's app: the worker catalog.
pub const WORKER: Bundle = Bundle {
    catalogs: &[("/locales", include_str!("../../locales/en.json"))],
    kept_as: "peerpulse-language",
};

/// The organization's app: its own catalog (`org.` keys), then the worker catalog for the
/// words both apps share (kinds, dimensions, errors).
pub const ORG: Bundle = Bundle {
    catalogs: &[
        ("/locales/org", include_str!("../../locales/org/en.json")),
        ("/locales", include_str!("../../locales/en.json")),
    ],
    kept_as: "peerpulse-org-language",
};

/// One language's texts, as the browser parsed its file.
#[derive(Clone)]
struct Catalog(Object);

impl Catalog {
    fn parse(json: &str) -> Result<Self, JsValue> {
        js_sys::JSON::parse(json).map(|v| Self(Object::from(v)))
    }

    fn get(&self, key: &str) -> Option<String> {
        Reflect::get(&self.0, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_string())
    }
}

thread_local! {
    /// The app's texts: the worker's unless [`install`] said otherwise.
    static BUNDLE: Cell<&'static Bundle> = const { Cell::new(&WORKER) };
    /// The app's catalogs in English, in lookup order.
    static ENGLISH: RefCell<Vec<Catalog>> = RefCell::new(english(&WORKER));
    /// The other language loaded, if any: its catalogs in lookup order.
    static LOADED: RefCell<Option<(Language, Vec<Catalog>)>> = const { RefCell::new(None) };
    /// The language shown: reference counted, not owned by any view, so it lives as long as
    /// the page.
    static SHOWN: ArcRwSignal<Language> = ArcRwSignal::new(Language::En);
}

fn english(bundle: &Bundle) -> Vec<Catalog> {
    bundle
        .catalogs
        .iter()
        .map(|(_, json)| {
            Catalog::parse(json)
                .expect("the English catalogs are JSON (core/tests/translations.rs reads them)")
        })
        .collect()
}

/// Makes `bundle` the app's texts; called once, before the app mounts.
pub fn install(bundle: &'static Bundle) {
    BUNDLE.with(|b| b.set(bundle));
    ENGLISH.with(|e| *e.borrow_mut() = english(bundle));
    LOADED.with(|loaded| *loaded.borrow_mut() = None);
}

/// The app's texts.
fn bundle() -> &'static Bundle {
    BUNDLE.with(Cell::get)
}

/// The language the interface is shown in (tracked: a view reading it redraws on a switch).
pub fn language() -> Language {
    SHOWN.with(|shown| shown.get())
}

/// The language shown, read without tracking.
pub fn language_untracked() -> Language {
    SHOWN.with(|shown| shown.get_untracked())
}

/// Shows the interface in `language`, whose catalogs (unless English) were just parsed.
fn show(language: Language, catalogs: Option<Vec<Catalog>>) {
    if let Some(catalogs) = catalogs {
        LOADED.with(|loaded| *loaded.borrow_mut() = Some((language, catalogs)));
    }
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", language.tag());
        let _ = root.set_attribute("dir", language.direction().as_str());
    }
    SHOWN.with(|shown| shown.set(language));
}

/// The raw text of `key` in the language shown, falling back to English; the key itself
/// (which a test looks for) when even English lacks it.
fn lookup(key: &str) -> Option<String> {
    let shown = language();
    let translated = LOADED.with(|loaded| match &*loaded.borrow() {
        Some((language, catalogs)) if *language == shown => {
            catalogs.iter().find_map(|c| c.get(key))
        }
        _ => None,
    });
    translated.or_else(|| ENGLISH.with(|english| english.borrow().iter().find_map(|c| c.get(key))))
}

/// The text of `key` in the language shown.
pub fn text(key: &str) -> String {
    lookup(key).unwrap_or_else(|| {
        leptos::logging::warn!("no text for \"{key}\"");
        key.to_owned()
    })
}

/// The text of `key` as a view's reactive text: it follows the language shown.
pub fn t(key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    move || text(key)
}

/// `text` with each `{{name}}` replaced by its value, in one pass (a `{{…}}` typed into a
/// value stays as typed), each value isolated for the direction of the language shown (see
/// `peerpulse_core::bidi`): a name typed in another direction, or with brackets at its ends,
/// shows as typed and cannot reorder the sentence.
fn replace(text: String, values: &[(&str, &dyn Display)]) -> String {
    peerpulse_core::translations::fill_isolated(&text, language().direction(), |name| {
        value_of(values, name)
    })
}

fn value_of(values: &[(&str, &dyn Display)], name: &str) -> Option<String> {
    values
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_string())
}

/// `value` isolated for the direction of the language shown, to sit in a list that fills one
/// placeholder: each name of "added ‹A›, مؤشر" keeps its own direction, not the first one's.
pub fn isolated(value: &str) -> String {
    peerpulse_core::bidi::isolate(value, language().direction()).into_owned()
}

/// `names` as one list in the language shown, each name isolated on its own and the
/// language's separator between them. Were only the whole list isolated, its first name
/// would set the direction of all: in an English sentence, a list starting with an Arabic
/// name would read from the right.
pub fn isolated_list(names: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    names
        .into_iter()
        .map(|name| isolated(name.as_ref()))
        .collect::<Vec<_>>()
        .join(&text("list.separator"))
}

/// The text of `key` with its placeholders filled, for people to read:
/// `fill("saved", &[("time", &at)])`.
pub fn fill(key: &str, values: &[(&str, &dyn Display)]) -> String {
    replace(text(key), values)
}

/// The text of `key` with its placeholders filled and no isolates, for a program to read
/// (a CSV header): invisible characters there would become part of the value.
pub fn fill_plain(key: &str, values: &[(&str, &dyn Display)]) -> String {
    peerpulse_core::translations::fill(&text(key), |name| value_of(values, name))
}

/// The form of the counted phrase `key` for `n` (`{{count}}` is `n` written the language's
/// way), with any other placeholders filled.
pub fn count(key: &str, n: u64, values: &[(&str, &dyn Display)]) -> String {
    let shown = language();
    let form = format!("{key}_{}", intl::plural_category(shown, n));
    let message = lookup(&form).or_else(|| lookup(&format!("{key}_other")));
    let Some(message) = message else {
        leptos::logging::warn!("no text for \"{key}\"");
        return key.to_owned();
    };
    let number = intl::number(shown, n as f64);
    let mut all: Vec<(&str, &dyn Display)> = vec![("count", &number)];
    all.extend_from_slice(values);
    replace(message, &all)
}
