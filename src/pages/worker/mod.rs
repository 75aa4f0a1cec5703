//! The worker's screens (the phone's bundle).

pub mod capture;
pub mod edit;
pub mod enrol;
pub mod history;
pub mod keep_entries;
pub mod phone;
pub mod trends;
