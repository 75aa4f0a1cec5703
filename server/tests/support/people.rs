//! People signed in over HTTP: sessions and calls made with them.

use super::TestServer;
use peerpulse_core::org_api::SessionInfo;
use peerpulse_core::people::Role;
use peerpulse_server::db::people;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A signed-in person: the session cookie and the CSRF token to echo.
pub struct Session {
    /// The cookie header value.
    pub cookie: String,
    /// The CSRF token.
    pub csrf: String,
}

impl TestServer {
    /// Sends `method` to `path`, signed in as `session` when given, with a JSON `body`.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        session: Option<&Session>,
        body: Option<Value>,
    ) -> reqwest::Response {
        let mut request = self.client.request(method, self.at(path));
        if let Some(session) = session {
            request = request
                .header("cookie", &session.cookie)
                .header("x-csrf-token", &session.csrf);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request")
    }

    /// The service's answer to `username` signing in to organization `org` (its handle) with
    /// `password`.
    pub async fn sign_in(&self, org: &str, username: &str, password: &str) -> reqwest::Response {
        let body = json!({"organization": org, "username": username, "password": password});
        self.call(Method::POST, "/api/v1/session", None, Some(body))
            .await
    }

    /// The service's answer to `by` adding `username` to their organization as `role` (as the
    /// API spells it: "viewer", say) with `password`.
    pub async fn add_person(
        &self,
        by: &Session,
        username: &str,
        role: &str,
        password: &str,
    ) -> reqwest::Response {
        let body = json!({"username": username, "role": role, "password": password});
        self.call(Method::POST, "/api/v1/users", Some(by), Some(body))
            .await
    }

    /// The service's answer to `by` asking for a password reset link for `who`.
    pub async fn reset_link(&self, by: &Session, who: &str) -> reqwest::Response {
        let path = format!("/api/v1/users/{who}/reset-link");
        self.call(Method::POST, &path, Some(by), None).await
    }

    /// The service's answer to `session` revoking the phone `device_id`.
    pub async fn revoke_device(&self, session: &Session, device_id: &str) -> reqwest::Response {
        self.call(
            Method::POST,
            &format!("/api/v1/devices/{device_id}/revoke"),
            Some(session),
            None,
        )
        .await
    }

    /// Redeems a sign-in link for `role` in `org` and returns the new person's session.
    pub async fn person(&self, org: i64, role: Role, username: &str) -> Session {
        let res = self.welcome(org, role, username).await;
        assert_eq!(res.status(), StatusCode::OK);
        session_of(res).await
    }

    /// The service's answer to redeeming a new sign-in link for `role` in `org`.
    pub async fn welcome(&self, org: i64, role: Role, username: &str) -> reqwest::Response {
        let token = people::create_link(&self.state.db, org, role)
            .await
            .unwrap();
        self.call(
            Method::POST,
            "/api/v1/welcome",
            None,
            Some(json!({"token": token, "username": username, "password": "a long enough secret"})),
        )
        .await
    }
}

/// The session a sign-in or welcome answer opened.
pub async fn session_of(res: reqwest::Response) -> Session {
    let set_cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let info: SessionInfo = res.json().await.unwrap();
    Session {
        cookie,
        csrf: info.csrf_token,
    }
}
