//! PeerPulse domain logic: pure Rust, no I/O, shared by the PWA and the service.
//!
//! - [`aberration`]: emerging-need alerts with CDC's EARS C1, C2 and C3.
//! - [`backoff`]: when a failed sync is tried again.
//! - [`bidi`]: typed text kept in its own direction inside a translated sentence.
//! - [`codebook`]: the organization's vocabulary (sites, topics, insights, needs).
//! - [`csv`]: CSV exports a spreadsheet opens safely.
//! - [`encounter`]: one anonymous encounter and its validation.
//! - [`field_notes`]: insight notes a worker offers for the brief, and their review.
//! - [`enrolment`]: one-time codes that connect a phone to an organization.
//! - [`language`]: the interface's languages and how a browser's preferences pick one.
//! - [`accept_language`]: which language an HTTP client reads, from its `Accept-Language`.
//! - [`translations`]: checks of the translation files against English.
//! - [`iso_date`]: calendar days written `YYYY-MM-DD`, as date inputs hold them.
//! - [`history`]: the worker's own day summaries, filters and exports.
//! - [`oversight`]: encounters each phone captured per week, for managers, under the disclosure rule.
//! - [`period`]: the calendar periods counts are published for.
//! - [`consistency`]: what one phone's counts of a day and site must agree on.
//! - [`page_window`]: the few pages of a long history held in memory at a time.
//! - [`people`]: people who sign in, their roles and what each may do.
//! - [`pin`]: the optional PIN lock for shared phones.
//! - [`bucket`]: aggregation of encounters into trend buckets.
//! - [`protocol`]: the sync and trends API types used by both sides.
//! - [`org_api`]: the sign-in and organization-management API types.
//! - [`trend_view`]: series, chart axes and CSV drawn from published counts only.
//! - [`usage`]: most-used choices first in the form.
//! - [`privacy`]: the disclosure rule (cell-key perturbation and the threshold), the free-text guard and free-tag normalization.

pub mod aberration;
pub mod accept_language;
pub mod audit;
pub mod backoff;
pub mod bidi;
pub mod bucket;
pub mod codebook;
pub mod consistency;
pub mod csv;
pub mod date_wire;
pub mod dhis2;
pub mod dhis2_export;
pub mod encounter;
pub mod enrolment;
pub mod field_alert;
pub mod field_notes;
pub mod history;
pub mod indicator;
pub mod indicator_change;
pub mod iso_date;
pub mod language;
pub mod org_api;
pub mod oversight;
pub mod page_window;
pub mod people;
pub mod period;
pub mod phone_label;
pub mod pin;
pub mod privacy;
pub mod protocol;
pub mod retention;
pub mod tagged_pair;
pub mod translations;
pub mod trend_view;
pub mod usage;
