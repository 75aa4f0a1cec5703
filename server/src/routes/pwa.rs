//! The built PWA: static files; the organization's pages answered by its app's shell, every
//! other path by the worker's (client routes). `scripts/build-pwa` writes a brotli and a gzip
//! copy beside each file, and the copy the browser accepts is sent; a file without copies is
//! compressed on the fly like any other response. Every response carries a
//! Content-Security-Policy (see [`super::content_policy`]); a shell's allows its own inline
//! scripts by their hashes. Every file but the shells is validated by its content
//! ([`content_tag`]), not its time, so a deploy costs a phone only the files that changed.

mod content_tag;

use super::content_policy;
use crate::answer_language;
use axum::Router;
use axum::extract::{Request, State};
use axum::handler::Handler;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, LINK, VARY};
use axum::response::{IntoResponse, Response};
use peerpulse_core::language::Language;
use peerpulse_core::org_api::{ORG_APP_DIR, ORG_APP_PATHS};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::{Layer, ServiceExt};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Serves `dir`; the service worker handles offline caching, so the browser always revalidates.
pub fn router<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let worker = Shell::new(dir.join("index.html"), WORKER_CATALOGS);
    let org = Shell::new(dir.join(ORG_APP_DIR).join("index.html"), ORG_CATALOGS);
    for shell in [&worker, &org] {
        if !shell.path.is_file() {
            tracing::warn!(
                "no PWA build at {}: run `scripts/build-pwa` (the API still works)",
                shell.path.display()
            );
        }
    }
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(serve_shell.with_state(worker.clone()));
    let files = axum::middleware::from_fn_with_state(
        content_tag::ContentTags::new(dir),
        content_tag::validate,
    )
    .layer(files);
    // The shells' own paths too, which the files service would send without their policy.
    let mut router = Router::new()
        .route_service("/", serve_shell.with_state(worker.clone()))
        .route_service("/index.html", serve_shell.with_state(worker));
    let org_paths = [
        format!("/{ORG_APP_DIR}/"),
        format!("/{ORG_APP_DIR}/index.html"),
    ];
    for path in ORG_APP_PATHS
        .into_iter()
        .chain(org_paths.iter().map(String::as_str))
    {
        router = router.route_service(path, serve_shell.with_state(org.clone()));
    }
    router
        .fallback_service(files)
        .layer(SetResponseHeaderLayer::if_not_present(
            CONTENT_SECURITY_POLICY,
            HeaderValue::try_from(content_policy::base())
                .expect("a policy is keywords and base64: visible ASCII"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        // Which copy is sent depends on Accept-Encoding, so no cache may reuse one for all.
        .layer(SetResponseHeaderLayer::if_not_present(
            VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
}

/// The folders of the worker app's translations, as it fetches them (`src/i18n`).
const WORKER_CATALOGS: &[&str] = &["/locales"];
/// The organization app's: its own, then the worker's for the words both share.
const ORG_CATALOGS: &[&str] = &["/locales/org", "/locales"];

/// An app's `index.html`.
#[derive(Clone)]
struct Shell {
    path: Arc<Path>,
    file: ServeFile,
    /// Where the app fetches a language other than English, which it has built in.
    catalogs: &'static [&'static str],
}

impl Shell {
    fn new(path: PathBuf, catalogs: &'static [&'static str]) -> Self {
        let file = ServeFile::new(&path)
            .precompressed_br()
            .precompressed_gzip();
        Self {
            path: path.into(),
            file,
            catalogs,
        }
    }

    /// A `Link` that has the browser fetch the translations of the language the request
    /// prefers while the app's code is still arriving, instead of after it starts: on a slow
    /// link that is one round trip less before a first screen in Spanish, French, Portuguese
    /// or Arabic. None for English, built into the app. The app still decides which language
    /// it shows (a worker's own choice comes first); a hint it does not use costs one small
    /// file.
    fn language_preload(&self, language: Language) -> Option<HeaderValue> {
        if language == Language::En {
            return None;
        }
        let links: Vec<String> = self
            .catalogs
            .iter()
            .map(|folder| {
                format!(
                    "<{folder}/{}.json>; rel=preload; as=fetch; crossorigin",
                    language.tag()
                )
            })
            .collect();
        HeaderValue::try_from(links.join(", ")).ok()
    }

    /// The policy for the shell as it is now. Read at each request, not once at start: trunk
    /// writes a new inline loader into each build, and a build made while the service runs
    /// must not be refused its own script. The file is a few kilobytes, read once per page load.
    async fn policy(&self) -> HeaderValue {
        let html = tokio::fs::read_to_string(&self.path)
            .await
            .unwrap_or_else(|e| {
                // The file service answers 404 (or 500) for the same reason.
                tracing::debug!("cannot read {}: {e}", self.path.display());
                String::new()
            });
        HeaderValue::try_from(content_policy::for_shell(&html))
            .expect("a policy is keywords and base64: visible ASCII")
    }
}

/// The shell, as its precompressed copy where there is one, with its own policy.
async fn serve_shell(State(shell): State<Shell>, request: Request) -> Response {
    let policy = shell.policy().await;
    let preload = shell.language_preload(answer_language::asked(&request));
    let mut response = match shell.file.oneshot(request).await {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    };
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, policy);
    if let Some(preload) = preload {
        headers.insert(LINK, preload);
    }
    // The copy sent depends on Accept-Encoding, and the preload on Accept-Language.
    headers.insert(
        VARY,
        HeaderValue::from_static("accept-encoding, accept-language"),
    );
    response
}
