//! Privacy by construction: what may be published, and what may be written down.
//!
//! - [`disclosure`]: the one rule every published count goes through.
//! - [`cell_key`]: consistent perturbation by cell keys, which that rule applies.
//! - [`suppression`]: the organization's threshold, below which nothing is published.
//! - [`guard`]: free text is checked for names, contact details and other identifiers before it is saved.
//! - [`fold`]: look-alike and invisible characters folded away, so the guard reads through them.
//! - [`free_tag`]: the worker's own need tags, normalized so the same need is counted once.

pub mod cell_key;
pub mod disclosure;
pub mod fold;
pub mod free_tag;
pub mod guard;
pub mod suppression;

pub use disclosure::DisclosureRule;
pub use suppression::{MIN_THRESHOLD, SuppressionThreshold, ThresholdTooLow};
