//! Field alerts over HTTP: a manager drafts one, a phone says it received and passed it on.

use super::TestServer;
use super::people::Session;
use peerpulse_core::org_api::FieldAlertSummary;
use reqwest::{Method, StatusCode};
use serde_json::Value;

impl TestServer {
    /// `session` drafts the alert `body`, which must be accepted.
    pub async fn draft_alert(&self, session: &Session, body: Value) -> FieldAlertSummary {
        let res = self
            .call(
                Method::POST,
                "/api/v1/field-alerts",
                Some(session),
                Some(body),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        res.json().await.expect("drafted alert")
    }

    /// The service's answer to `session` approving alert `id`.
    pub async fn approve_alert(&self, session: &Session, id: i64) -> reqwest::Response {
        self.call(
            Method::POST,
            &format!("/api/v1/field-alerts/{id}/approve"),
            Some(session),
            None,
        )
        .await
    }

    /// The alerts `session` lists.
    pub async fn field_alerts(&self, session: &Session) -> Vec<FieldAlertSummary> {
        let res = self
            .call(Method::GET, "/api/v1/field-alerts", Some(session), None)
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.expect("listed alerts")
    }

    /// The status of `token`'s phone reporting the alert receipts `body`.
    pub async fn alert_receipts(&self, token: &str, body: Value) -> StatusCode {
        self.client
            .post(self.at("/api/v1/field-alerts/receipts"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("receipts request")
            .status()
    }
}
