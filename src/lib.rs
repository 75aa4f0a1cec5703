//! PeerPulse PWA: offline encounter logging for peer workers, with trend sync.

pub mod address;
pub mod app;
pub mod clock;
pub mod components;
pub mod download;
pub mod i18n;
pub mod idle_lock;
pub mod job;
pub mod json;
pub mod later_pages;
pub mod name_lexicon;
pub mod notification;
pub mod org_app;
pub mod org_client;
pub mod org_language;
pub mod org_session;
pub mod pages;
pub mod pass_on;
pub mod service_http;
pub mod state;
pub mod store;
pub mod sync;
