//! The languages the phone shows codebook labels in.

use peerpulse_core::language::{self, Language, LanguageTag};

/// The languages the worker reads codebook labels in, best first: `interface`, the language
/// the app is shown in (the one the worker chose on the Phone page, or the browser's), then
/// the browser's languages. A code without a label in any of them shows the organization's
/// default.
pub fn codebook_languages(interface: Language) -> Vec<LanguageTag> {
    let browser: Vec<String> = web_sys::window()
        .map(|w| w.navigator().languages())
        .map(|tags| tags.iter().filter_map(|tag| tag.as_string()).collect())
        .unwrap_or_default();
    language::preferred(std::iter::once(interface.tag().to_owned()).chain(browser))
}
