//! The translation files under `locales/` (the worker catalog) and `locales/org/` (the
//! organization app's, every key `org.`) against English, and the keys the apps ask for
//! against the English files: a missing, extra or mistyped key, a lost placeholder or a
//! missing plural form fails here, before anyone sees a raw key.

use peerpulse_core::language::Language;
use peerpulse_core::translations::{check, split_plural};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The two catalogs' folders under `locales/`: the worker's, and the organization app's.
const CATALOGS: [&str; 2] = ["", "org/"];

fn file(language: Language) -> BTreeMap<String, String> {
    catalog("", language)
}

fn catalog(folder: &str, language: Language) -> BTreeMap<String, String> {
    let path = root().join(format!("locales/{folder}{}.json", language.tag()));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_language_has_every_message_in_every_plural_form_with_the_same_placeholders() {
    for folder in CATALOGS {
        let english = catalog(folder, Language::En);
        let problems: Vec<String> = Language::ALL
            .into_iter()
            .flat_map(|language| check(&english, language, &catalog(folder, language)))
            .map(|p| format!("locales/{folder}: {p}"))
            .collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

#[test]
fn the_organization_catalog_holds_only_org_keys_and_the_worker_catalog_none() {
    let misplaced: Vec<String> = catalog("org/", Language::En)
        .into_keys()
        .filter(|k| !k.starts_with("org."))
        .chain(
            file(Language::En)
                .into_keys()
                .filter(|k| k.starts_with("org.")),
        )
        .collect();
    assert!(misplaced.is_empty(), "misplaced keys: {misplaced:?}");
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
            "browser=\"",
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
    // A worker page never loads the organization's catalog, so `org.` keys are the only ones
    // that may live there.
    let messages = |folder| -> BTreeSet<String> {
        catalog(folder, Language::En)
            .keys()
            .map(|k| split_plural(k).0.to_owned())
            .collect()
    };
    let (worker, org) = (messages(""), messages("org/"));
    let mut asked = Vec::new();
    keys_asked_for(&root().join("src"), &mut asked);
    assert!(
        asked.len() > 100,
        "the scan found only {} keys",
        asked.len()
    );
    let missing: Vec<String> = asked
        .iter()
        .filter(|(_, key)| {
            let its_catalog = if key.starts_with("org.") {
                &org
            } else {
                &worker
            };
            !its_catalog.contains(key)
        })
        .map(|(file, key)| format!("{file}: {key}"))
        .collect();
    assert!(
        missing.is_empty(),
        "not in locales/en.json (or locales/org/en.json for org. keys):\n{}",
        missing.join("\n")
    );
}
