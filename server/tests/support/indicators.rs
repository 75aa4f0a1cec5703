//! The organization's indicators over HTTP.

use super::TestServer;
use super::people::Session;
use peerpulse_core::org_api::IndicatorsResponse;
use reqwest::{Method, StatusCode};

impl TestServer {
    /// The indicators `session` reads: the organization's book and the starter set.
    pub async fn indicators(&self, session: &Session) -> IndicatorsResponse {
        let res = self
            .call(Method::GET, "/api/v1/indicators", Some(session), None)
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.expect("indicators answer")
    }
}
