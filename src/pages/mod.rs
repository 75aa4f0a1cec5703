//! One module per screen.

pub mod brief;
pub mod capture;
pub mod edit;
pub mod enrol;
pub mod history;
pub mod org;
pub mod phone;
pub mod trends;
pub mod welcome;
