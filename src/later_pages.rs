//! The worker's pages other than Log: History, Edit, Trends, Phone and Enrol.
//!
//! In the release build (cargo feature `split`, set by `scripts/build-pwa`) these pages' code is
//! one wasm chunk, `later`, cut off the app by `scripts/link-wasm`, so the first load carries
//! only the Log page, the shell and the state. Syncing and enrolling come in the same chunk
//! (`crate::sync::sync`): nothing of them is needed to log. The chunk is fetched once the form is
//! usable ([`prefetch`]), or when one of these pages is opened first, so a tap on History does
//! not wait on the network. The service worker keeps it with the shell: after the first visit
//! every page opens offline. A chunk that cannot be fetched (offline before it was ever kept)
//! leaves a message and a button to try again, never a broken app.
//!
//! One chunk for the five pages, not one each: a chunk per page (History with Edit) weighed
//! 100.2 KiB brotli in all against 84.2 KiB for one, since each chunk is compressed alone and
//! the code two pages share went into chunks of its own; every code deploy sends them all, so
//! one chunk costs a phone 16 KiB less per update and one request instead of eleven.
//!
//! Without `split` (`trunk serve`, the tests) the pages are in the app's one wasm module, as
//! they always were: the split points need the splitter to resolve their imports.

use crate::i18n::t;
use crate::job::Job;
use crate::pages::worker::{
    edit::EditPage, enrol::EnrolPage, history::HistoryPage, phone::PhonePage, trends::TrendsPage,
};
use leptos::prelude::*;

/// A page's code could not be fetched (the loader logs the network's reason to the console).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("this page's code could not be fetched")]
pub struct NotFetched;

#[cfg(feature = "split")]
impl From<wasm_split_helpers::SplitLoaderError> for NotFetched {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        NotFetched
    }
}

/// The view of a split page whose chunk is loaded: the split point's future is then ready at
/// its first poll.
#[cfg(feature = "split")]
macro_rules! view_now {
    ($view:ident) => {
        ready_now($view()).unwrap_or(Err(NotFetched))
    };
}

#[cfg(not(feature = "split"))]
macro_rules! view_now {
    ($view:ident) => {
        $view()
    };
}

/// Declares the later pages, once: [`LaterPage`], and for each page its component behind a
/// split point. With `split`, `$view` is cut into the chunk `later` and becomes `async`, and
/// `$fetch` fetches that chunk.
macro_rules! later_pages {
    ($($variant:ident => $fetch:ident, $view:ident, $page:ident;)+) => {
        /// A page whose code may arrive after the first load.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum LaterPage {
            $($variant,)+
        }

        impl LaterPage {
            /// Every page that may come later, in the order [`prefetch`] fetches them.
            pub const ALL: &[LaterPage] = &[$(LaterPage::$variant,)+];

            /// Fetches the page's chunk, unless it is loaded (or the page has none). A failure
            /// is not remembered: the next call tries again.
            pub async fn fetch(self) -> Result<(), NotFetched> {
                #[cfg(feature = "split")]
                match self {
                    $(LaterPage::$variant => $fetch().await?,)+
                }
                Ok(())
            }

            /// The page, once [`LaterPage::fetch`] succeeded.
            fn view(self) -> Result<AnyView, NotFetched> {
                match self {
                    $(LaterPage::$variant => view_now!($view),)+
                }
            }
        }

        $(
            #[cfg_attr(
                feature = "split",
                wasm_split_helpers::wasm_split(later, fallible, preload($fetch))
            )]
            fn $view() -> Result<AnyView, NotFetched> {
                Ok(view! { <$page /> }.into_any())
            }
        )+
    };
}

later_pages! {
    History => fetch_history, history_view, HistoryPage;
    Trends => fetch_trends, trends_view, TrendsPage;
    Phone => fetch_phone, phone_view, PhonePage;
    Edit => fetch_edit, edit_view, EditPage;
    Enrol => fetch_enrol, enrol_view, EnrolPage;
}

/// Polls `future` once: its output if it is ready at once.
#[cfg(feature = "split")]
fn ready_now<F: std::future::Future>(future: F) -> Option<F::Output> {
    use std::task::{Context, Poll, Waker};
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

/// Fetches the later pages' chunk in the background: the first page's fetch brings it, and
/// each other page's split point then finds it loaded. A failure is left for the page to
/// report when it is opened.
pub fn prefetch() {
    leptos::task::spawn_local(async {
        for &page in LaterPage::ALL {
            if page.fetch().await.is_err() {
                break;
            }
        }
    });
}

/// Shows `page`, after fetching its code if need be; if that fails, says so and offers to try
/// again.
#[component]
pub fn Later(page: LaterPage) -> impl IntoView {
    let fetched = Job::new();
    fetched.start(page.fetch());
    let retry = move |_| fetched.start(page.fetch());
    move || match fetched.value().map(|done| done.and_then(|()| page.view())) {
        None => view! { <p role="status">{t("later.fetching")}</p> }.into_any(),
        Some(Ok(page)) => page,
        Some(Err(NotFetched)) => view! {
            <div class="error" role="alert">
                <p>{t("later.not_fetched")}</p>
                <button
                    type="button"
                    class="primary"
                    disabled=move || fetched.pending()
                    on:click=retry
                >
                    {t("later.retry")}
                </button>
            </div>
        }
        .into_any(),
    }
}
