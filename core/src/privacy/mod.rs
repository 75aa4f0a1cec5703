//! Privacy by construction: what may be shown, and what may be written down.
//!
//! - [`suppression`]: counts too small to publish are hidden.
//! - [`guard`]: free text is checked for names, contact details and other identifiers before it is saved.
//! - [`free_tag`]: the worker's own need tags, normalized so the same need is counted once.

pub mod free_tag;
pub mod guard;
pub mod suppression;

pub use suppression::{
    MIN_THRESHOLD, ReportedCount, Suppressed, SuppressionThreshold, ThresholdTooLow,
};
