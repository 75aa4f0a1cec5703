//! One module per screen.

pub mod capture;
pub mod history;
pub mod trends;
