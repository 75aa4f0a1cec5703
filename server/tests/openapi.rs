//! The OpenAPI document at `/api/v1/openapi.json`: valid JSON of OpenAPI 3.1, describing every
//! endpoint the router serves (both come from one route table, and every documented route is
//! asked of the running service), with the core types' schemas and every reference resolved.

mod support;

use peerpulse_server::routes::endpoints;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::collections::BTreeSet;
use support::TestServer;

/// Every `$ref` in `value`.
fn refs(value: &Value, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(to)) => {
                        found.insert(to.clone());
                    }
                    _ => refs(inner, found),
                }
            }
        }
        Value::Array(list) => list.iter().for_each(|inner| refs(inner, found)),
        _ => {}
    }
}

async fn document(server: &TestServer) -> Value {
    let res = server
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let text = res.text().await.unwrap();
    serde_json::from_str(&text).expect("the document is JSON")
}

#[tokio::test]
async fn the_document_describes_every_route_the_router_serves() {
    let server = TestServer::start(None).await;
    let doc = document(&server).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let table = endpoints();
    assert!(
        table.len() > 35,
        "the route table holds the API: {}",
        table.len()
    );
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    let served: BTreeSet<(String, String)> = table
        .iter()
        .map(|e| (e.method.as_str().to_owned(), e.path.clone()))
        .collect();
    assert_eq!(
        documented, served,
        "the document and the router's table agree"
    );
    // And the router answers each one: no documented route is unknown to it.
    for (method, path) in &documented {
        let concrete = path.replace("{username}", "nobody").replace(['{', '}'], "");
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let res = server.call(method.clone(), &concrete, None, None).await;
        let status = res.status();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        assert!(
            body["error"] != "not_found" && status != StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path} is documented but not served: {status} {body}"
        );
    }
}

#[tokio::test]
async fn the_document_holds_the_core_schemas_errors_and_auth_and_every_reference_resolves() {
    let server = TestServer::start(None).await;
    let doc = document(&server).await;
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "SyncRequest",
        "SyncResponse",
        "EnrolRequest",
        "TrendsResponse",
        "Measure",
        "Codebook",
        "Report",
        "Indicator",
        "IndicatorsUpdate",
        "DataValueSet",
        "Dhis2SendRequest",
        "Dhis2SendResponse",
        "ImportCounts",
        "AuditPage",
        "ErrorBody",
    ] {
        assert!(schemas.contains_key(name), "{name} is a component schema");
    }
    let error = &schemas["ErrorBody"];
    assert_eq!(error["required"], serde_json::json!(["error", "message"]));
    // A sync request is described as it travels (saves of counts), not as the Rust type.
    assert!(schemas["SyncRequest"]["properties"].get("saves").is_some());
    assert_eq!(schemas["Period"]["type"], "string");

    let mut found = BTreeSet::new();
    refs(&doc, &mut found);
    for to in &found {
        let name = to.strip_prefix("#/components/schemas/").unwrap_or(to);
        assert!(schemas.contains_key(name), "{to} refers to no schema");
    }

    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    assert_eq!(schemes["session_cookie"]["in"], "cookie");
    assert_eq!(schemes["csrf_header"]["name"], "x-csrf-token");
    assert_eq!(schemes["device_token"]["scheme"], "bearer");
    let operation = |method: &str, path: &str| doc["paths"][path][method].clone();
    let sync = operation("post", "/api/v1/sync");
    assert_eq!(sync["security"], serde_json::json!([{"device_token": []}]));
    assert_eq!(
        sync["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/SyncRequest"
    );
    let change = operation("put", "/api/v1/indicators");
    assert_eq!(
        change["security"],
        serde_json::json!([{"session_cookie": [], "csrf_header": []}])
    );
    let read = operation("get", "/api/v1/reports");
    assert_eq!(
        read["security"],
        serde_json::json!([{"session_cookie": []}])
    );
    let period = read["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "period")
        .expect("the report's period is a query parameter");
    assert_eq!(period["in"], "query");
    let sign_in = operation("post", "/api/v1/session");
    assert!(
        sign_in
            .get("security")
            .is_none_or(|s| s == &serde_json::json!([]))
    );
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert_eq!(
                op["responses"]["default"]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorBody",
                "{method} {path} names its error body"
            );
        }
    }
}
