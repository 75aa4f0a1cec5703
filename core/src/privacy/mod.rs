//! Privacy by construction: what may be published, and what may be written down.
//!
//! - [`disclosure`]: the one rule every published count goes through.
//! - [`cell_key`]: consistent perturbation by cell keys, which that rule applies.
//! - [`suppression`]: the organization's threshold, below which nothing is published.
//! - [`guard`]: free text is checked for names, contact details and other identifiers before it is saved.
//! - [`names`]: names, with cue words in four languages or from a lexicon of given and family names.
//! - [`arabic`]: names, addresses and birth dates in Arabic script, which has no capitals to go by.
//! - [`identifiers`]: handles, profile links, vehicle plates and national ID numbers.
//! - [`words`]: the words of a text as the guard reads them.
//! - [`fold`]: look-alike and invisible characters folded away, so the guard reads through them.
//! - [`free_tag`]: the worker's own need tags, normalized so the same need is counted once.

pub(crate) mod arabic;
pub mod cell_key;
pub mod disclosure;
pub mod fold;
pub mod free_tag;
pub mod guard;
pub(crate) mod identifiers;
pub mod names;
pub mod suppression;
pub(crate) mod words;

pub use disclosure::DisclosureRule;
pub use suppression::{MIN_THRESHOLD, SuppressionThreshold, ThresholdTooLow};
