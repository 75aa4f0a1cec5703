//! The organization's codebook over HTTP.

use super::TestServer;
use super::people::Session;
use reqwest::Method;
use serde_json::Value;

impl TestServer {
    /// The service's answer to `session` making the codebook change `body` (its base version
    /// and the edit).
    pub async fn edit_codebook(&self, session: &Session, body: Value) -> reqwest::Response {
        self.call(Method::POST, "/api/v1/codebook", Some(session), Some(body))
            .await
    }
}
