//! Who is signed in on this browser: asked of the service once when the organization's app
//! opens, then kept as people sign in and out here. The bar (for the account's language) and
//! every page (for who may do what) read this one answer, so opening a page asks once.

use crate::org_client::{self, OrgError};
use leptos::prelude::*;
use peerpulse_core::org_api::SessionInfo;

/// The signed-in person, for every page of the organization's app to read.
#[derive(Clone, Copy)]
pub struct OrgSession {
    /// The service's answer when the app opened.
    opened: LocalResource<Result<Option<SessionInfo>, OrgError>>,
    /// Who signed in (or out: `Some(None)`) on this page since.
    since: RwSignal<Option<Option<SessionInfo>>>,
}

impl OrgSession {
    /// Made once by the app, which asks the service who is signed in.
    pub fn provide() -> Self {
        let session = Self {
            opened: LocalResource::new(org_client::current),
            since: RwSignal::new(None),
        };
        provide_context(session);
        session
    }

    /// The app's (every page of the organization's app is inside it).
    pub fn get() -> Self {
        expect_context()
    }

    /// Who is signed in (`Ok(None)`: nobody); `None` while the service has not answered
    /// (tracked).
    pub fn read(self) -> Option<Result<Option<SessionInfo>, OrgError>> {
        match self.since.get() {
            Some(now) => Some(Ok(now)),
            None => self.opened.get(),
        }
    }

    /// Who is signed in, once the service has answered.
    pub async fn signed_in(self) -> Result<Option<SessionInfo>, OrgError> {
        match self.since.get_untracked() {
            Some(now) => Ok(now),
            None => self.opened.await,
        }
    }

    /// `info` signed in here, or (`None`) signed out.
    pub fn set(self, info: Option<SessionInfo>) {
        self.since.set(Some(info));
    }
}
