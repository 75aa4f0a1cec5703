//! Validators from each static file's content, so a deploy costs a phone only what changed.
//!
//! The file service alone validates by modification time, and every deploy (a copy of a new
//! build) gives every file a new one: the service worker then downloaded `names.txt`
//! (46.6 KiB brotli) and the icons again on each deploy, unchanged. Each file answered here
//! carries a weak `ETag` made from a hash of its bytes, and a request whose `If-None-Match`
//! names it gets `304 Not Modified` whatever the file's time. Weak, because the same file is
//! sent as brotli, gzip or as is: one tag names the content, not one encoding's bytes.
//!
//! A file is hashed once per modification time and length, on a blocking thread.

use axum::extract::{Request, State};
use axum::http::header::{ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// The tags of the files under one directory, kept while the files do not change.
#[derive(Clone)]
pub struct ContentTags {
    dir: Arc<Path>,
    known: Arc<Mutex<HashMap<PathBuf, Known>>>,
}

/// A file's tag and what it was computed for.
struct Known {
    modified: SystemTime,
    len: u64,
    tag: HeaderValue,
}

impl ContentTags {
    /// Tags for the files under `dir`.
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.into(),
            known: Arc::default(),
        }
    }

    /// The file a request path names, if it names one plainly: percent-escapes, `.` and `..`
    /// are left to the file service (such a file is served as before, without a tag).
    fn file_of(&self, path: &str) -> Option<PathBuf> {
        let mut file = self.dir.to_path_buf();
        for segment in path.strip_prefix('/')?.split('/') {
            let plain = !segment.is_empty()
                && segment != "."
                && segment != ".."
                && !segment.contains(['%', '\\', '\0']);
            if !plain {
                return None;
            }
            file.push(segment);
        }
        Some(file)
    }

    /// The tag of `file` as it is now; `None` when it is not a readable regular file.
    async fn tag_of(&self, file: PathBuf) -> Option<HeaderValue> {
        let meta = tokio::fs::metadata(&file).await.ok()?;
        if !meta.is_file() {
            return None;
        }
        let (modified, len) = (meta.modified().ok()?, meta.len());
        if let Some(known) = self.lock().get(&file)
            && known.modified == modified
            && known.len == len
        {
            return Some(known.tag.clone());
        }
        let read = file.clone();
        let tag = tokio::task::spawn_blocking(move || std::fs::read(read).ok().map(|b| tag(&b)))
            .await
            .ok()??;
        self.lock().insert(
            file,
            Known {
                modified,
                len,
                tag: tag.clone(),
            },
        );
        Some(tag)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Known>> {
        // The map holds only finished entries: one left by a panicking thread is still whole.
        self.known.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// `W/"<first 128 bits of the SHA-256 of bytes, in hex>"`.
fn tag(bytes: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::try_from(format!("W/\"{hex}\"")).expect("hex in quotes is a header value")
}

/// Whether `If-None-Match` in `headers` names `tag`, by the weak comparison HTTP asks for it.
fn names(headers: &HeaderMap, tag: &HeaderValue) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let ours = tag.to_str().map(opaque).unwrap_or_default();
    headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || opaque(t) == ours)
}

/// Answers `304` to a request that names the file's current tag, and tags every file sent.
pub async fn validate(
    State(tags): State<ContentTags>,
    mut request: Request,
    next: Next,
) -> Response {
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        return next.run(request).await;
    }
    let Some(file) = tags.file_of(request.uri().path()) else {
        return next.run(request).await;
    };
    let Some(tag) = tags.tag_of(file).await else {
        return next.run(request).await;
    };
    if names(request.headers(), &tag) {
        return (StatusCode::NOT_MODIFIED, [(ETAG, tag)]).into_response();
    }
    // A tag was asked for and differs: the time must not answer instead (RFC 9110, 13.2.2).
    if request.headers().contains_key(IF_NONE_MATCH) {
        request.headers_mut().remove(IF_MODIFIED_SINCE);
    }
    let mut response = next.run(request).await;
    if response.status() == StatusCode::OK {
        response.headers_mut().insert(ETAG, tag);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asking(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(IF_NONE_MATCH, HeaderValue::try_from(value).unwrap());
        headers
    }

    #[test]
    fn a_tag_names_the_content_and_only_it() {
        assert_eq!(tag(b"names"), tag(b"names"));
        assert_ne!(tag(b"names"), tag(b"names\n"));
        assert!(tag(b"").to_str().unwrap().starts_with("W/\""));
    }

    #[test]
    fn if_none_match_compares_weakly_and_reads_lists() {
        let ours = tag(b"icon");
        let opaque = ours.to_str().unwrap().trim_start_matches("W/").to_owned();
        assert!(names(&asking(ours.to_str().unwrap()), &ours));
        assert!(names(&asking(&opaque), &ours));
        assert!(names(&asking(&format!("\"other\", {opaque}")), &ours));
        assert!(names(&asking("*"), &ours));
        assert!(!names(&asking("W/\"other\""), &ours));
        assert!(!names(&HeaderMap::new(), &ours));
    }

    #[test]
    fn only_plain_paths_under_the_directory_name_a_file() {
        let tags = ContentTags::new(Path::new("/srv/pwa"));
        assert_eq!(
            tags.file_of("/icons/icon.svg"),
            Some(PathBuf::from("/srv/pwa/icons/icon.svg"))
        );
        for path in [
            "/../etc/passwd",
            "/icons/../x",
            "/./x",
            "/a%2e%2e/x",
            "/",
            "//x",
            "x",
        ] {
            assert_eq!(tags.file_of(path), None, "{path}");
        }
    }
}
