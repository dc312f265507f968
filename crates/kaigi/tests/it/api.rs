//! The JSON API and its OpenAPI document.

use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn the_openapi_document_is_valid_openapi_3_and_lists_every_api_route() {
    let app = TestApp::spawn().await;
    let answer = app.client().get("/api/openapi.json").await;
    assert_eq!(answer.status, StatusCode::OK);
    let document: openapiv3::OpenAPI = serde_json::from_str(&answer.body).expect("deserialises as OpenAPI 3");
    assert!(document.openapi.starts_with("3.0"));
    for route in kaigi_web::route_table().iter().filter(|r| r.path.starts_with("/api/v1/")) {
        let item = document.paths.paths.get(route.path).unwrap_or_else(|| panic!("{} is not documented", route.path));
        let item = item.as_item().unwrap();
        assert!(item.get.is_some(), "{} has no GET operation", route.path);
    }
    // Every $ref points at a schema that exists.
    let raw = answer.json();
    let schemas = raw["components"]["schemas"].as_object().unwrap();
    for reference in answer.body.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(schemas.contains_key(name), "dangling $ref to {name}");
    }
}

#[tokio::test]
async fn the_api_answers_json_and_checks_roles() {
    let app = TestApp::with_demo().await;
    let mut public = app.client();
    let editions = public.get("/api/v1/editions").await.json();
    assert_eq!(editions["editions"][0]["slug"], "igf-2026");
    let edition = public.get("/api/v1/editions/igf-2026").await.json();
    assert_eq!(edition["rooms"].as_array().unwrap().len(), 14);
    assert_eq!(edition["days"].as_array().unwrap().len(), 5);
    let missing = public.get("/api/v1/editions/nope").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"]["code"], "not-found");
    let refused = public.get("/api/v1/people").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.json()["error"]["code"], "unauthenticated");
    let mut evaluator = app.signed_in(EVALUATOR).await;
    assert_eq!(evaluator.get("/api/v1/people").await.status, StatusCode::FORBIDDEN);
    assert_eq!(evaluator.get("/api/v1/me").await.json()["roles"][0]["role"], "evaluator");
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    let people = secretariat.get("/api/v1/people?limit=5&q=%E4%BD%90").await.json();
    let people = people["people"].as_array().unwrap();
    assert!(!people.is_empty() && people.len() <= 5);
    assert!(people.iter().all(|p| p["display_name"].as_str().unwrap().contains('佐')));
    let id = people[0]["id"].as_str().unwrap();
    let person = secretariat.get(&format!("/api/v1/people/{id}")).await.json();
    assert!(!person["affiliations"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_home_page_shows_the_edition_and_health_answers() {
    let app = TestApp::with_demo().await;
    let mut client = app.client();
    client.accept_language = Some("en".into());
    let home = client.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Internet Governance Forum 2026"));
    assert!(home.body.contains("300"), "the proposal count is shown");
    assert_eq!(client.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(client.get("/no/such/page").await.status, StatusCode::NOT_FOUND);
}
