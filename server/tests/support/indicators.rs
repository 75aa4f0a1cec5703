//! The organization's indicators over HTTP.

use super::TestServer;
use super::people::Session;
use peerpulse_core::org_api::IndicatorsResponse;
use reqwest::{Method, StatusCode};
use serde_json::Value;

impl TestServer {
    /// The indicators `session` reads: the organization's book and the starter set.
    pub async fn indicators(&self, session: &Session) -> IndicatorsResponse {
        let res = self
            .call(Method::GET, "/api/v1/indicators", Some(session), None)
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.expect("indicators answer")
    }

    /// The service's answer to `session` replacing the indicators with `body` (its base
    /// version, the indicators and any DHIS2 settings).
    pub async fn edit_indicators(&self, session: &Session, body: Value) -> reqwest::Response {
        self.call(Method::PUT, "/api/v1/indicators", Some(session), Some(body))
            .await
    }
}
