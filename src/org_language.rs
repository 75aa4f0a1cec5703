//! The organization app's language, kept on the person's account: once someone is signed in
//! (or found signed in when the app opens), the app shows the language their account holds,
//! on whatever browser they use, and a language picked then is saved to their account. Before
//! sign-in, and for a person whose account holds none, the app follows this browser: the
//! choice kept in it, else its languages.

use crate::i18n::choice::{self, Choice};
use crate::job::Job;
use crate::org_client::{self, OrgError};
use leptos::prelude::*;
use peerpulse_core::org_api::SessionInfo;

/// Who is signed in, as far as their language goes, and the last saving of a choice.
#[derive(Clone, Copy)]
pub struct AccountLanguage {
    signed_in: StoredValue<Option<SessionInfo>>,
    saving: Job<Result<(), OrgError>>,
}

impl AccountLanguage {
    /// Made once by the app, for every page to reach.
    pub fn provide() -> Self {
        let account = Self {
            signed_in: StoredValue::new(None),
            saving: Job::new(),
        };
        provide_context(account);
        account
    }

    /// The app's; `None` outside it (the worker's app keeps no account).
    pub fn get() -> Option<Self> {
        use_context()
    }

    /// `info` signed in, or was found signed in (`None`: nobody is): the app now shows the
    /// language their account holds, if it holds one.
    pub fn signed_in(self, info: Option<SessionInfo>) {
        let language = info.as_ref().and_then(|info| info.language);
        self.signed_in.set_value(info);
        self.saving.clear();
        let Some(language) = language else { return };
        let wanted = Choice::Chosen(language);
        if choice::chosen_untracked() != wanted {
            leptos::task::spawn_local(async move {
                if let Err(why) = choice::apply(wanted).await {
                    leptos::logging::warn!("the account's language could not be shown: {why}");
                }
            });
        }
    }

    /// A language picked and shown: kept on the account of whoever is signed in.
    pub fn picked(self, picked: Choice) {
        let Some(info) = self.signed_in.get_value() else {
            return;
        };
        let language = match picked {
            Choice::Browser => None,
            Choice::Chosen(language) => Some(language),
        };
        let signed_in = self.signed_in;
        self.saving.start(async move {
            let saved = org_client::set_my_language(&info, language).await?;
            signed_in.set_value(Some(saved));
            Ok(())
        });
    }

    /// Why the last choice was not kept on the account, if it was not (tracked).
    pub fn problem(self) -> Option<OrgError> {
        self.saving.value().and_then(Result::err)
    }
}
