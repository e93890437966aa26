//! Bad input is a 4xx problem document, never a 5xx, and changes nothing.

use super::*;
use reqwest::Method;

both_backends!(malformed_unknown_wrong_type_and_oversized_bodies_are_4xx, |app| {
    let login = |body: &'static str| {
        app.request(Method::POST, "/api/v1/auth/login", None)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    expect_problem(login("{\"username\": ").await.unwrap(), 400, "invalid_json").await;
    let p =
        expect_problem(login(r#"{"username":"a","password":"b","admin":true}"#).await.unwrap(), 400, "invalid_json")
            .await;
    assert!(p.detail.unwrap().contains("unknown field"));
    expect_problem(login(r#"{"username":1,"password":"b"}"#).await.unwrap(), 400, "invalid_json").await;
    expect_problem(login(r#"[]"#).await.unwrap(), 400, "invalid_json").await;
    let big = format!(r#"{{"username":"a","password":"{}"}}"#, "x".repeat(300 * 1024));
    let r = app
        .request(Method::POST, "/api/v1/auth/login", None)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    expect_problem(r, 413, "payload_too_large").await;
    let r = app
        .request(Method::POST, "/api/v1/auth/login", None)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    expect_problem(r, 415, "unsupported_media_type").await;
    app.stop().await;
});

both_backends!(bad_paths_and_queries_are_4xx, |app| {
    let t = app.login("admin").await;
    let tok = t.access_token.as_str();
    expect_problem(app.get("/api/v1/org-units/not-a-uuid", tok).await, 400, "invalid_parameter").await;
    expect_problem(app.get("/api/v1/org-units?level=province", tok).await, 400, "invalid_parameter").await;
    expect_problem(app.get("/api/v1/users?limit=lots", tok).await, 400, "invalid_parameter").await;
    expect_problem(app.get("/api/v1/no-such-thing", tok).await, 404, "not_found").await;
    let missing = uuid::Uuid::now_v7();
    expect_problem(app.get(&format!("/api/v1/users/{missing}"), tok).await, 404, "not_found").await;
    // Validation failures name the field and write nothing.
    let body = serde_json::json!({"code": "", "name": "村", "parent_id": t.user.org_chain[0].id});
    let p = expect_problem(
        app.send_json(Method::POST, "/api/v1/org-units", Some(tok), &body).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(p.detail.unwrap().starts_with("code"));
    app.stop().await;
});
