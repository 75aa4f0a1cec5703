//! Insight notes over HTTP: a phone offers one, a manager lists and reviews them.

use super::TestServer;
use super::people::Session;
use peerpulse_core::field_notes::OfferedNote;
use reqwest::{Method, StatusCode};
use serde_json::json;

impl TestServer {
    /// `token`'s phone offers `text` as entry `id`'s note, dated in `week`.
    pub async fn offer(&self, token: &str, id: &str, week: &str, text: &str) -> reqwest::Response {
        self.client
            .post(self.at("/api/v1/notes"))
            .bearer_auth(token)
            .json(&json!({"id": id, "week": week, "text": text}))
            .send()
            .await
            .expect("offer request")
    }

    /// `session` sets note `id`'s status.
    pub async fn review(&self, id: i64, status: &str, session: &Session) -> reqwest::Response {
        self.call(
            Method::POST,
            &format!("/api/v1/notes/{id}/review"),
            Some(session),
            Some(json!({ "status": status })),
        )
        .await
    }

    /// The notes `session` reads with `query` (`""`, or `"?status=pending"`, say).
    pub async fn notes(&self, session: &Session, query: &str) -> Vec<OfferedNote> {
        let res = self
            .call(
                Method::GET,
                &format!("/api/v1/notes{query}"),
                Some(session),
                None,
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.expect("notes answer")
    }
}
