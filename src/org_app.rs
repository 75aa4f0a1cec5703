//! The organization's app: the organization page, the trend brief and the welcome page for
//! admins, managers and viewers. It is a bundle of its own (`src/bin/org.rs`, `org.html`), so a
//! worker's phone never downloads the dashboard, and it opens no phone storage.

use crate::components::language_picker::LanguagePicker;
use crate::i18n::{org_errors, t, text};
use crate::org_language::AccountLanguage;
use crate::org_session::OrgSession;
use crate::pages::org::{
    OrgPage, brief::BriefPage, password::PasswordPage, reports::ReportsPage, welcome::WelcomePage,
};
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

/// The whole organization app.
#[component]
pub fn OrgApp() -> impl IntoView {
    let account = AccountLanguage::provide();
    let session = OrgSession::provide();
    // Whoever is signed in on this browser sees their account's language on every page, and
    // signing in or out here changes it.
    Effect::new(move |_| match session.read() {
        Some(Ok(info)) => account.signed_in(info),
        Some(Err(why)) => leptos::logging::warn!("the account's language is not known: {why}"),
        None => {}
    });
    let picked = Callback::new(move |picked| account.picked(picked));
    let not_kept = Signal::derive(move || {
        account.problem().map(|why| {
            format!(
                "{} {}",
                text("org.language_not_saved"),
                org_errors::call(&why)
            )
        })
    });
    view! {
        <Router>
            // Past the menu, straight to the page's own content (and on the organization
            // page, to its list of sections).
            <a class="skip-link" href="#main" rel="external">{t("org.skip")}</a>
            <header class="topbar">
                <span class="brand">"PeerPulse"</span>
                <nav aria-label=t("nav.label")>
                    <A href="/org">{t("org.nav.organization")}</A>
                    <A href="/brief">{t("org.nav.brief")}</A>
                    <A href="/reports">{t("org.nav.reports")}</A>
                    // The worker's app is another bundle: a full page load.
                    <a href="/" rel="external">{t("nav.log")}</a>
                </nav>
                <LanguagePicker browser="org.language_browser" chosen_by=picked not_kept />
            </header>
            <main id="main" tabindex="-1">
                // The service sends this app's shell for exactly these paths
                // (`peerpulse_core::org_api::ORG_APP_PATHS`).
                <Routes fallback=|| view! { <p>{t("app.no_such_page")}</p> }>
                    <Route path=path!("/org") view=OrgPage />
                    <Route path=path!("/brief") view=|| view! { <Redrawn><BriefPage /></Redrawn> } />
                    <Route path=path!("/reports") view=|| view! { <Redrawn><ReportsPage /></Redrawn> } />
                    <Route path=path!("/welcome") view=WelcomePage />
                    <Route path=path!("/password") view=PasswordPage />
                </Routes>
            </main>
        </Router>
    }
}

/// A page whose words are written as it is drawn, and whose state lives in its address (the
/// period, the site): drawn again when the language shown changes, so nothing stays in the
/// language before and nothing is lost.
#[component]
fn Redrawn(children: ChildrenFn) -> impl IntoView {
    move || {
        crate::i18n::language();
        children()
    }
}
