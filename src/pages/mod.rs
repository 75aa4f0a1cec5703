//! One module per screen.

pub mod capture;
pub mod trends;
