//! One module per screen, in two folders because they are two bundles: `worker/` is the
//! worker's app on the phone (`src/main.rs`), `org/` the organization's (`src/bin/org.rs`).
//! Views both show live in `components/`.

pub mod org;
pub mod worker;
