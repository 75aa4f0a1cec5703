//! Which language the worker chose, kept on the phone, and loading it.
//!
//! With no choice made the app follows the browser's languages (`navigator.languages`). A
//! choice is kept in `localStorage`, so it holds offline and across reloads; it is kept only
//! once its translation has loaded, so a language that cannot load never leaves the worker
//! with a screen they cannot read.

use super::{Catalog, bundle, show};
use crate::store::web_storage::{self, Kept};
use gloo_net::http::Request;
use leptos::prelude::*;
use peerpulse_core::language::Language;

thread_local! {
    /// What the person chose, as a picker shows it: read at start, then set by each choice
    /// that loaded, wherever it came from (a picker, or the organization app's account).
    static CHOSEN: ArcRwSignal<Choice> = ArcRwSignal::new(Choice::Browser);
}

/// What the worker asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Whatever the browser prefers.
    Browser,
    /// This language.
    Chosen(Language),
}

/// Why a language could not be shown.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The file could not be fetched (offline and not cached yet).
    #[error("the translation could not be fetched: {0}")]
    Unreachable(String),
    /// The service answered with an error.
    #[error("the translation answered HTTP {0}")]
    Status(u16),
    /// The file is not JSON.
    #[error("the translation file could not be read")]
    Unreadable,
}

/// The choice the interface follows (tracked: a picker redraws when it changes).
pub fn chosen() -> Choice {
    CHOSEN.with(|chosen| chosen.get())
}

/// The choice the interface follows, read without tracking.
pub fn chosen_untracked() -> Choice {
    CHOSEN.with(|chosen| chosen.get_untracked())
}

/// The kept choice.
pub fn kept() -> Choice {
    web_storage::get::<Language>(Kept::Local, bundle().kept_as)
        .map_or(Choice::Browser, Choice::Chosen)
}

/// The browser's preferred language among those PeerPulse speaks.
pub fn browser_language() -> Language {
    let tags = super::intl::browser_languages();
    Language::preferred(tags.iter().map(String::as_str))
}

/// The language a choice means on this phone.
pub fn resolve(choice: Choice) -> Language {
    match choice {
        Choice::Browser => browser_language(),
        Choice::Chosen(language) => language,
    }
}

/// The address of a language's file in a catalog's folder.
fn path(folder: &str, language: Language) -> String {
    format!("{folder}/{}.json", language.tag())
}

/// A language's file in each of the app's catalogs, in lookup order.
async fn fetch_all(language: Language) -> Result<Vec<Catalog>, LoadError> {
    let mut catalogs = Vec::new();
    for (folder, _) in bundle().catalogs {
        catalogs.push(fetch(&path(folder, language)).await?);
    }
    Ok(catalogs)
}

async fn fetch(path: &str) -> Result<Catalog, LoadError> {
    let response = Request::get(path)
        .send()
        .await
        .map_err(|e| LoadError::Unreachable(e.to_string()))?;
    if !response.ok() {
        return Err(LoadError::Status(response.status()));
    }
    let text = response
        .text()
        .await
        .map_err(|e| LoadError::Unreachable(e.to_string()))?;
    Catalog::parse(&text).map_err(|_| LoadError::Unreadable)
}

/// Loads and shows the language `choice` means; on success the choice is kept.
pub async fn apply(choice: Choice) -> Result<(), LoadError> {
    let language = resolve(choice);
    let catalog = match language {
        Language::En => None,
        other => Some(fetch_all(other).await?),
    };
    show(language, catalog);
    match choice {
        Choice::Browser => web_storage::remove(Kept::Local, bundle().kept_as),
        Choice::Chosen(language) => web_storage::set(Kept::Local, bundle().kept_as, &language),
    }
    CHOSEN.with(|chosen| chosen.set(choice));
    Ok(())
}

/// At start: shows the kept (or the browser's) language once it has loaded; English, built
/// in, when it is English or cannot load.
pub async fn start() {
    let choice = kept();
    CHOSEN.with(|chosen| chosen.set(choice));
    let loaded = match resolve(choice) {
        Language::En => Ok(()),
        _ => apply(choice).await,
    };
    if let Err(why) = loaded {
        leptos::logging::warn!("the interface stays in English: {why}");
    }
    if super::language_untracked() == Language::En {
        show(Language::En, None);
    }
}
