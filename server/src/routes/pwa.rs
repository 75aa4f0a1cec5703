//! The built PWA: static files; the organization's pages answered by its app's shell, every
//! other path by the worker's (client routes).

use axum::Router;
use axum::http::HeaderValue;
use axum::http::header::CACHE_CONTROL;
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
    let files = ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")));
    let mut router = Router::new();
    for path in ORG_APP_PATHS {
        router = router.route_service(path, ServeFile::new(&org_shell));
    }
    router
        .fallback_service(files)
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
}
