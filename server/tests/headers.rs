//! Browser-side headers over real HTTP: each app shell's Content-Security-Policy allows its own
//! inline scripts by hash, every response forbids type sniffing and referrers, API answers are
//! never stored, and over https the session cookie is `__Host-` prefixed.

mod support;

use peerpulse_core::people::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::path::Path;
use support::TestServer;
use support::people::session_of;

/// The example script of the CSP specification, and its hash as the specification gives it.
const WORKER_SCRIPT: &str = "alert('Hello, world.');";
const WORKER_HASH: &str = "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='";
/// Hashes computed with `printf %s '…' | openssl dgst -sha256 -binary | base64`.
const ORG_SCRIPT: &str = "startOrganization();";
const ORG_HASH: &str = "'sha256-5WgbFaK1nwt2QltqpnVVkBzJe0+IaBB5LFeN39xnAIo='";
const REBUILT_SCRIPT: &str = "startRebuilt();";
const REBUILT_HASH: &str = "'sha256-eqUsM5CB8nV+d44EiHMeXo9ABGLk0+qelZR5Zd4YyeQ='";

fn shell(inline: &str) -> String {
    format!(
        "<!doctype html><html><head><script type=\"module\">{inline}</script>\
         <script src=\"/app.js\"></script></head><body></body></html>"
    )
}

/// A PWA build like trunk's: two shells with an inline script each, and a script file.
fn dist() -> tempfile::TempDir {
    let dist = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &str| std::fs::write(dist.path().join(name), body).unwrap();
    write("index.html", &shell(WORKER_SCRIPT));
    // What scripts/build-pwa writes beside it; a browser that accepts brotli gets this copy.
    write("index.html.br", "brotli shell");
    write("app.js", "export default 1;");
    std::fs::create_dir(dist.path().join("org-app")).unwrap();
    write("org-app/index.html", &shell(ORG_SCRIPT));
    dist
}

async fn get(server: &TestServer, path: &str) -> reqwest::Response {
    server.client.get(server.at(path)).send().await.unwrap()
}

fn policy_of(res: &reqwest::Response) -> String {
    let policy = &res.headers()["content-security-policy"];
    policy.to_str().unwrap().to_owned()
}

/// The directives every page of ours has, whatever its scripts.
fn assert_base(policy: &str) {
    for directive in [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(
            policy.split("; ").any(|d| d == directive),
            "{directive} in {policy}"
        );
    }
    assert!(
        policy.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{policy}"
    );
    assert!(!policy.contains("'unsafe-eval'"), "{policy}");
}

#[tokio::test]
async fn each_shell_allows_its_own_inline_scripts_by_hash_and_no_others() {
    let dist = dist();
    let server = TestServer::start(Some(dist.path().to_path_buf())).await;
    for path in ["/", "/index.html", "/history", "/enrol"] {
        let res = get(&server, path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let policy = policy_of(&res);
        assert_base(&policy);
        assert!(policy.contains(WORKER_HASH), "{path}: {policy}");
        assert!(!policy.contains(ORG_HASH), "{path}: {policy}");
        assert_eq!(res.text().await.unwrap(), shell(WORKER_SCRIPT), "{path}");
    }
    for path in [
        "/org",
        "/brief",
        "/reports",
        "/welcome",
        "/org-app/",
        "/org-app/index.html",
    ] {
        let res = get(&server, path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let policy = policy_of(&res);
        assert_base(&policy);
        assert!(policy.contains(ORG_HASH), "{path}: {policy}");
        assert!(!policy.contains(WORKER_HASH), "{path}: {policy}");
        assert_eq!(res.text().await.unwrap(), shell(ORG_SCRIPT), "{path}");
    }
    // Any other file: the same rules, and no inline script allowed.
    let file = get(&server, "/app.js").await;
    assert_eq!(file.status(), StatusCode::OK);
    let policy = policy_of(&file);
    assert_base(&policy);
    assert!(!policy.contains("'sha256-"), "{policy}");
}

#[tokio::test]
async fn a_precompressed_shell_carries_the_hashes_of_the_file_it_copies() {
    let dist = dist();
    let server = TestServer::start(Some(dist.path().to_path_buf())).await;
    for path in ["/", "/history"] {
        let res = server
            .client
            .get(server.at(path))
            .header("accept-encoding", "br")
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["content-encoding"], "br", "{path}");
        assert!(policy_of(&res).contains(WORKER_HASH), "{path}");
    }
}

#[tokio::test]
async fn a_shell_rebuilt_while_the_service_runs_is_served_with_its_new_hashes() {
    let dist = dist();
    let server = TestServer::start(Some(dist.path().to_path_buf())).await;
    assert!(policy_of(&get(&server, "/").await).contains(WORKER_HASH));
    let rebuild = |path: &Path| {
        std::fs::write(path.join("index.html"), shell(REBUILT_SCRIPT)).unwrap();
        std::fs::remove_file(path.join("index.html.br")).unwrap();
    };
    rebuild(dist.path());
    for path in ["/", "/history"] {
        let policy = policy_of(&get(&server, path).await);
        assert!(policy.contains(REBUILT_HASH), "{path}: {policy}");
        assert!(!policy.contains(WORKER_HASH), "{path}: {policy}");
    }
}

#[tokio::test]
async fn every_response_forbids_sniffing_and_referrers_and_no_api_answer_is_stored() {
    let dist = dist();
    let server = TestServer::start(Some(dist.path().to_path_buf())).await;
    let org = server.org("Harbour").await;
    let code = server.code(org).await;
    let responses = [
        ("shell", get(&server, "/history").await),
        ("file", get(&server, "/app.js").await),
        (
            "enrolment",
            server
                .client
                .post(server.at("/api/v1/enrol"))
                .json(&json!({ "code": code }))
                .send()
                .await
                .unwrap(),
        ),
        ("signed out", get(&server, "/api/v1/session").await),
        ("wrong method", get(&server, "/api/v1/sync").await),
        ("no such endpoint", get(&server, "/api/nothing").await),
    ];
    for (what, res) in &responses {
        let headers = res.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{what}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{what}");
    }
    let statuses: Vec<_> = responses.iter().map(|(_, r)| r.status()).collect();
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::CREATED,
            StatusCode::UNAUTHORIZED,
            StatusCode::METHOD_NOT_ALLOWED,
            StatusCode::NOT_FOUND,
        ]
    );
    for (what, res) in &responses[..2] {
        // The service worker revalidates the app's files; it may keep them.
        assert_eq!(res.headers()["cache-control"], "no-cache", "{what}");
    }
    for (what, res) in &responses[2..] {
        assert_eq!(res.headers()["cache-control"], "no-store", "{what}");
    }
}

#[tokio::test]
async fn over_https_the_session_cookie_is_host_prefixed_and_only_that_name_signs_in() {
    let server = TestServer::reached_at("https://pulse.example.org").await;
    let org = server.org("Harbour").await;
    let res = server.welcome(org, Role::Admin, "ana").await;
    assert_eq!(res.status(), StatusCode::OK);
    let set_cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    // What a browser demands of a `__Host-` cookie: Secure, Path=/ and no Domain.
    assert!(set_cookie.starts_with("__Host-pp_session="), "{set_cookie}");
    for part in ["; Secure", "; Path=/;", "; HttpOnly", "; SameSite=Strict"] {
        assert!(set_cookie.contains(part), "{part} in {set_cookie}");
    }
    assert!(!set_cookie.to_ascii_lowercase().contains("domain"));
    let session = session_of(res).await;
    let signed_in = server
        .call(Method::GET, "/api/v1/session", Some(&session), None)
        .await;
    assert_eq!(signed_in.status(), StatusCode::OK);

    // The same token under the bare name, as a page on plain http or a sibling subdomain
    // could have planted it, is nobody's session here.
    let session_token = session.cookie.split_once('=').unwrap().1;
    let planted = server
        .client
        .get(server.at("/api/v1/session"))
        .header("cookie", format!("pp_session={session_token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(planted.status(), StatusCode::UNAUTHORIZED);

    let signed_out = server
        .call(Method::DELETE, "/api/v1/session", Some(&session), None)
        .await;
    assert_eq!(signed_out.status(), StatusCode::NO_CONTENT);
    let cleared = signed_out.headers()["set-cookie"].to_str().unwrap();
    assert!(cleared.starts_with("__Host-pp_session=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
}

#[tokio::test]
async fn over_plain_http_the_session_cookie_keeps_its_bare_name() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let session = server.person(org, Role::Admin, "ana").await;
    assert!(
        session.cookie.starts_with("pp_session="),
        "{}",
        session.cookie
    );
    let signed_in = server
        .call(Method::GET, "/api/v1/session", Some(&session), None)
        .await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    let prefixed = server
        .client
        .get(server.at("/api/v1/session"))
        .header("cookie", format!("__Host-{}", session.cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(prefixed.status(), StatusCode::UNAUTHORIZED);
}

/// A deploy copies every file anew, so every file gets a new time; the service worker asks
/// again for the files without a hash in their name (the name lexicon, the icons), and a phone
/// must not download them again unless their bytes changed.
#[tokio::test]
async fn a_file_deployed_again_unchanged_is_not_sent_again_and_a_changed_one_is() {
    use reqwest::header::{ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
    let dist = dist();
    let server = TestServer::start(Some(dist.path().to_path_buf())).await;
    let first = get(&server, "/app.js").await;
    assert_eq!(first.status(), StatusCode::OK);
    let tag = first.headers()[ETAG].clone();
    let time = first.headers()[LAST_MODIFIED].clone();
    let file = dist.path().join("app.js");
    let deploy = |body: &str| {
        std::fs::write(&file, body).unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(later)
            .unwrap();
    };
    let revalidate = || {
        server
            .client
            .get(server.at("/app.js"))
            .header(IF_NONE_MATCH, tag.clone())
            .header(IF_MODIFIED_SINCE, time.clone())
            .send()
    };

    deploy("export default 1;");
    let same = revalidate().await.unwrap();
    assert_eq!(same.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(same.headers()[ETAG], tag);
    assert_eq!(same.bytes().await.unwrap().len(), 0);

    deploy("export default 2;");
    let changed = revalidate().await.unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(changed.headers()[ETAG], tag);
    assert_eq!(changed.text().await.unwrap(), "export default 2;");

    // The shells are never answered 304: a 304's headers replace the cached ones, and its
    // policy would not carry the shell's script hashes.
    for path in ["/", "/index.html", "/history", "/org-app/"] {
        let res = get(&server, path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert!(res.headers().get(ETAG).is_none(), "{path}");
    }
}

async fn shell_in(server: &TestServer, path: &str, accept_language: &str) -> reqwest::Response {
    let res = server
        .client
        .get(server.at(path))
        .header("accept-language", accept_language)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path} in {accept_language}");
    res
}

fn link_of(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get("link")
        .map(|link| link.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_shell_asked_for_in_another_language_has_the_browser_fetch_its_translations_at_once() {
    let dist = dist();
    let server = TestServer::start(Some(dist.path().to_path_buf())).await;
    for path in ["/", "/history"] {
        let res = shell_in(&server, path, "es-ES,es;q=0.9,en;q=0.8").await;
        assert_eq!(
            link_of(&res).as_deref(),
            Some("</locales/es.json>; rel=preload; as=fetch; crossorigin"),
            "{path}"
        );
        let vary = res.headers()["vary"].to_str().unwrap().to_owned();
        assert!(vary.contains("accept-language"), "{path}: {vary}");
        assert!(vary.contains("accept-encoding"), "{path}: {vary}");
    }
    let org = shell_in(&server, "/org", "ar").await;
    assert_eq!(
        link_of(&org).as_deref(),
        Some(
            "</locales/org/ar.json>; rel=preload; as=fetch; crossorigin, \
             </locales/ar.json>; rel=preload; as=fetch; crossorigin"
        )
    );
    // English is built into both apps: nothing to fetch.
    for accept_language in ["en-GB,en;q=0.9", "de-DE", ""] {
        let res = shell_in(&server, "/", accept_language).await;
        assert_eq!(link_of(&res), None, "{accept_language:?}");
    }
    assert_eq!(link_of(&get(&server, "/").await), None);
}

#[tokio::test]
async fn a_crafted_accept_language_only_ever_names_one_of_the_five_translations() {
    let dist = dist();
    let server = TestServer::start(Some(dist.path().to_path_buf())).await;
    let long = format!("{}fr", "x-".repeat(4000));
    for hostile in [
        "../../etc/passwd",
        "es>; rel=stylesheet, <https://evil.example/x.css",
        "fr;q=1, <https://evil.example>",
        "es\u{202e}",
        long.as_str(),
        "*;q=0.1, es;q=0",
    ] {
        let Ok(res) = server
            .client
            .get(server.at("/"))
            .header("accept-language", hostile)
            .send()
            .await
        else {
            // A header reqwest itself refuses to send never reaches the service.
            continue;
        };
        assert_eq!(res.status(), StatusCode::OK, "{hostile:?}");
        if let Some(link) = link_of(&res) {
            let allowed = ["es", "fr", "pt", "ar"]
                .map(|tag| format!("</locales/{tag}.json>; rel=preload; as=fetch; crossorigin"));
            assert!(allowed.contains(&link), "{hostile:?} gave {link}");
        }
    }
}
