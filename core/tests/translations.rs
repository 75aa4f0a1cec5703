//! The translation files under `locales/` (the worker app's, and the service's messages in
//! `locales/service/`) against English, and the keys the app asks for
//! against the English file: a missing, extra or mistyped key, a lost placeholder or a
//! missing plural form fails here, before any worker sees a raw key.

use peerpulse_core::language::Language;
use peerpulse_core::translations::{check, split_plural};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn file(language: Language) -> BTreeMap<String, String> {
    file_in("locales", language)
}

fn file_in(dir: &str, language: Language) -> BTreeMap<String, String> {
    let path = root().join(format!("{dir}/{}.json", language.tag()));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_language_has_every_message_in_every_plural_form_with_the_same_placeholders() {
    let english = file(Language::En);
    let problems: Vec<String> = Language::ALL
        .into_iter()
        .flat_map(|language| check(&english, language, &file(language)))
        .map(|p| p.to_string())
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_language_has_every_message_of_the_service_in_every_plural_form() {
    let english = file_in("locales/service", Language::En);
    assert!(english.len() > 100, "only {} messages", english.len());
    let problems: Vec<String> = Language::ALL
        .into_iter()
        .flat_map(|language| check(&english, language, &file_in("locales/service", language)))
        .map(|p| p.to_string())
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The string literals of the app's sources that look like message keys ("form.save") and
/// are passed to the text functions or as a picker's key.
fn keys_asked_for(dir: &Path, found: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("src is readable").path();
        if path.is_dir() {
            keys_asked_for(&path, found);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("a source file is text");
        let openers = [
            "t(\"",
            "text(\"",
            "fill(\"",
            "count(\"",
            "legend=\"",
            "label=\"",
            "notice.set(Some(\"",
        ];
        for opener in openers {
            for (at, _) in source.match_indices(opener) {
                let rest = &source[at + opener.len()..];
                let Some(end) = rest.find('"') else { continue };
                let key = &rest[..end];
                let looks_like_key = key.contains('.')
                    && key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
                if looks_like_key {
                    found.push((path.display().to_string(), key.to_owned()));
                }
            }
        }
    }
}

#[test]
fn every_key_the_app_asks_for_is_in_english() {
    let english = file(Language::En);
    let messages: std::collections::BTreeSet<&str> =
        english.keys().map(|k| split_plural(k).0).collect();
    let mut asked = Vec::new();
    keys_asked_for(&root().join("src"), &mut asked);
    assert!(
        asked.len() > 100,
        "the scan found only {} keys",
        asked.len()
    );
    let missing: Vec<String> = asked
        .iter()
        .filter(|(_, key)| !messages.contains(key.as_str()))
        .map(|(file, key)| format!("{file}: {key}"))
        .collect();
    assert!(
        missing.is_empty(),
        "not in locales/en.json:\n{}",
        missing.join("\n")
    );
}
