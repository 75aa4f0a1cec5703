//! One module per screen.

pub mod capture;
pub mod edit;
pub mod history;
pub mod phone;
pub mod trends;
