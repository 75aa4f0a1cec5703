//! Each person's own language on the organization's app, over real HTTP: kept on their
//! account, given back with their session wherever they sign in, and set by them alone.

mod support;

use peerpulse_core::language::Language;
use peerpulse_core::org_api::SessionInfo;
use peerpulse_core::people::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::TestServer;
use support::people::Session;

const MY_LANGUAGE: &str = "/api/v1/me/language";

/// The language the session of `session` reports.
async fn language_of(server: &TestServer, session: &Session) -> Option<Language> {
    let res = server
        .call(Method::GET, "/api/v1/session", Some(session), None)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json::<SessionInfo>().await.unwrap().language
}

/// Signs `username` of `org` in again with a password, as on a fresh browser.
async fn sign_in_again(server: &TestServer, org: &str, username: &str) -> SessionInfo {
    let res = server.sign_in(org, username, "a long enough secret").await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_chosen_language_is_kept_on_the_account_and_comes_back_at_the_next_sign_in() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let mia = server.person(org, Role::Manager, "mia").await;
    assert_eq!(
        language_of(&server, &mia).await,
        None,
        "a new account follows the browser"
    );

    let res = server
        .call(
            Method::PUT,
            MY_LANGUAGE,
            Some(&mia),
            Some(json!({"language": "es"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let answered: SessionInfo = res.json().await.unwrap();
    assert_eq!(
        (answered.username.as_str(), answered.language),
        ("mia", Some(Language::Es))
    );

    assert_eq!(language_of(&server, &mia).await, Some(Language::Es));
    let again = sign_in_again(&server, "harbour", "mia").await;
    assert_eq!(again.language, Some(Language::Es));
}

#[tokio::test]
async fn null_goes_back_to_following_the_browser() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let mia = server.person(org, Role::Admin, "mia").await;
    for (sent, kept) in [(json!("ar"), Some(Language::Ar)), (Value::Null, None)] {
        let res = server
            .call(
                Method::PUT,
                MY_LANGUAGE,
                Some(&mia),
                Some(json!({ "language": sent })),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(language_of(&server, &mia).await, kept);
    }
    assert_eq!(
        sign_in_again(&server, "harbour", "mia").await.language,
        None
    );
}

#[tokio::test]
async fn a_language_peerpulse_does_not_speak_is_refused_with_the_ones_it_does_and_nothing_changes()
{
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let mia = server.person(org, Role::Manager, "mia").await;
    server
        .call(
            Method::PUT,
            MY_LANGUAGE,
            Some(&mia),
            Some(json!({"language": "fr"})),
        )
        .await;
    for bad in ["de", "Spanish", "es-MX", ""] {
        let res = server
            .call(
                Method::PUT,
                MY_LANGUAGE,
                Some(&mia),
                Some(json!({ "language": bad })),
            )
            .await;
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert_eq!(body["error"], "invalid_body", "{bad}");
        let message = body["message"].as_str().unwrap();
        assert!(message.contains("language"), "{bad}: {message}");
        assert!(
            message.contains("`es`") && message.contains("`ar`"),
            "the message lists the languages there are: {message}"
        );
    }
    // Not even a string: refused as a body that is not what it should be.
    let number = server
        .call(
            Method::PUT,
            MY_LANGUAGE,
            Some(&mia),
            Some(json!({"language": 7})),
        )
        .await;
    assert!(number.status().is_client_error(), "{}", number.status());
    assert_eq!(language_of(&server, &mia).await, Some(Language::Fr));
}

#[tokio::test]
async fn a_viewer_sets_their_own_language() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let vic = server.person(org, Role::Viewer, "vic").await;
    let res = server
        .call(
            Method::PUT,
            MY_LANGUAGE,
            Some(&vic),
            Some(json!({"language": "pt"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(language_of(&server, &vic).await, Some(Language::Pt));
}

#[tokio::test]
async fn nobody_sets_anyone_elses_language() {
    let server = TestServer::start(None).await;
    let harbour = server.org("Harbour").await;
    let elsewhere = server.org("Elsewhere").await;
    let admin = server.person(harbour, Role::Admin, "ada").await;
    let colleague = server.person(harbour, Role::Viewer, "vic").await;
    let stranger = server.person(elsewhere, Role::Admin, "vic").await;

    // The admin's own choice is theirs alone.
    server
        .call(
            Method::PUT,
            MY_LANGUAGE,
            Some(&admin),
            Some(json!({"language": "es"})),
        )
        .await;
    // Naming someone else in the body is refused, not quietly applied to the caller.
    let named = server
        .call(
            Method::PUT,
            MY_LANGUAGE,
            Some(&admin),
            Some(json!({"language": "ar", "username": "vic"})),
        )
        .await;
    assert_eq!(named.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // No path takes a person's name.
    for path in ["/api/v1/users/vic/language", "/api/v1/me/language/vic"] {
        let res = server
            .call(
                Method::PUT,
                path,
                Some(&admin),
                Some(json!({"language": "ar"})),
            )
            .await;
        assert!(
            res.status() == StatusCode::NOT_FOUND || res.status() == StatusCode::METHOD_NOT_ALLOWED,
            "{path}: {}",
            res.status()
        );
    }
    // Without a session there is no one to set it for.
    let anonymous = server
        .call(
            Method::PUT,
            MY_LANGUAGE,
            None,
            Some(json!({"language": "ar"})),
        )
        .await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    assert_eq!(language_of(&server, &admin).await, Some(Language::Es));
    assert_eq!(language_of(&server, &colleague).await, None);
    assert_eq!(language_of(&server, &stranger).await, None);
    assert_eq!(
        sign_in_again(&server, "harbour", "vic").await.language,
        None
    );
    assert_eq!(
        sign_in_again(&server, "elsewhere", "vic").await.language,
        None
    );
}

#[tokio::test]
async fn setting_a_language_needs_the_sessions_csrf_token() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let mia = server.person(org, Role::Manager, "mia").await;
    for token in [None, Some("not-the-token")] {
        let mut request = server
            .client
            .put(server.at(MY_LANGUAGE))
            .header("cookie", &mia.cookie)
            .json(&json!({"language": "es"}));
        if let Some(token) = token {
            request = request.header("x-csrf-token", token);
        }
        let res = request.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{token:?}");
    }
    assert_eq!(language_of(&server, &mia).await, None);
}
