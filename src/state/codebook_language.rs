//! The languages the phone shows codebook labels in.

use peerpulse_core::language::{self, LanguageTag};

/// The languages the worker reads codebook labels in, best first: the interface language the
/// worker chose on the Phone page (or the browser's, when none was chosen), then the browser's
/// languages. A code without a label in any of them shows the organization's default. The
/// labels follow a new choice from the next time the codebook is read (a sync or a reload).
pub fn codebook_languages() -> Vec<LanguageTag> {
    let interface = crate::i18n::choice::resolve(crate::i18n::choice::kept());
    let browser: Vec<String> = web_sys::window()
        .map(|w| w.navigator().languages())
        .map(|tags| tags.iter().filter_map(|tag| tag.as_string()).collect())
        .unwrap_or_default();
    language::preferred(std::iter::once(interface.tag().to_owned()).chain(browser))
}
