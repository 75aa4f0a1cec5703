//! The languages the phone shows codebook labels in.

use peerpulse_core::language::{self, LanguageTag};

/// The languages the worker reads codebook labels in, best first: the browser's languages for
/// now. The worker's own choice of codebook language (issue 18, point 2) is wired in here, and
/// every label the phone shows follows it; a code without a label in any of them shows the
/// organization's default.
pub fn codebook_languages() -> Vec<LanguageTag> {
    let listed: Vec<String> = web_sys::window()
        .map(|w| w.navigator().languages())
        .map(|tags| tags.iter().filter_map(|tag| tag.as_string()).collect())
        .unwrap_or_default();
    language::preferred(listed)
}
