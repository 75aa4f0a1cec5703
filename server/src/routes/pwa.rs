//! The built PWA: static files, with every other path answered by the app shell (client routes).

use axum::Router;
use axum::http::HeaderValue;
use axum::http::header::CACHE_CONTROL;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Serves `dir`; the service worker handles offline caching, so the browser always revalidates.
pub fn router<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    if !dir.join("index.html").is_file() {
        tracing::warn!(
            "no PWA build at {}: run `trunk build --release` (the API still works)",
            dir.display()
        );
    }
    let files = ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")));
    Router::new()
        .fallback_service(files)
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
}
