//! The built PWA: static files; the organization's pages answered by its app's shell, every
//! other path by the worker's (client routes). `scripts/build-pwa` writes a brotli and a gzip
//! copy beside each file, and the copy the browser accepts is sent; a file without copies is
//! compressed on the fly like any other response.

use axum::Router;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, VARY};
use peerpulse_core::org_api::{ORG_APP_DIR, ORG_APP_PATHS};
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Serves `dir`; the service worker handles offline caching, so the browser always revalidates.
pub fn router<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let org_shell = dir.join(ORG_APP_DIR).join("index.html");
    for shell in [dir.join("index.html"), org_shell.clone()] {
        if !shell.is_file() {
            tracing::warn!(
                "no PWA build at {}: run `scripts/build-pwa` (the API still works)",
                shell.display()
            );
        }
    }
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(shell(&dir.join("index.html")));
    let mut router = Router::new();
    for path in ORG_APP_PATHS {
        router = router.route_service(path, shell(&org_shell));
    }
    router
        .fallback_service(files)
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

/// An app's `index.html`, sent as its precompressed copy where there is one.
fn shell(path: &Path) -> ServeFile {
    ServeFile::new(path).precompressed_br().precompressed_gzip()
}
