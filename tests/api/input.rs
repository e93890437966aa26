//! Bad input is a 4xx problem document, never a 5xx, and changes nothing.

use super::*;
use reqwest::Method;
use xunjian_shared::api;

both_backends!(malformed_unknown_wrong_type_and_oversized_bodies_are_4xx, |app| {
    let login = |body: &'static str| {
        app.request(Method::POST, api::LOGIN, None).header("content-type", "application/json").body(body).send()
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
        .request(Method::POST, api::LOGIN, None)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    expect_problem(r, 413, "payload_too_large").await;
    let r = app
        .request(Method::POST, api::LOGIN, None)
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
    expect_problem(app.get(&format!("{}?level=province", api::ORG_UNITS), tok).await, 400, "invalid_parameter").await;
    expect_problem(app.get(&format!("{}?limit=lots", api::USERS), tok).await, 400, "invalid_parameter").await;
    expect_problem(app.get("/api/v1/no-such-thing", tok).await, 404, "not_found").await;
    // Without a token the token is what is wrong, even with a query the text rule refuses (until
    // 2026-12-02 that was 400; Schemathesis's missing_required_header).
    for path in [format!("{}?q=a%00b", api::PREMISES), format!("{}?q=%C2%84", api::USERS)] {
        let res = app.request(Method::GET, &path, None).send().await.unwrap();
        expect_problem(res, 401, "unauthenticated").await;
        expect_problem(app.get(&path, tok).await, 400, "invalid_parameter").await;
    }
    // A status list names statuses exactly: an empty one (`status=`, Schemathesis's `[""]`, seed
    // 589055319) or one padded with spaces is refused, not read as "every status" (until 2026-12-02
    // both answered 200). Left out, it is every status.
    for list in [api::HAZARDS, api::ROAD_ISSUES] {
        for bad in ["", "filed,", " filed", "filed, supervised", "Filed"] {
            let res = app.get(&format!("{list}?status={}", bad.replace(' ', "%20")), tok).await;
            let p = expect_problem(res, 400, "invalid_parameter").await;
            assert!(p.detail.unwrap_or_default().starts_with("status"), "{list}?status={bad}");
        }
        assert_eq!(app.get(&format!("{list}?status=filed,supervised"), tok).await.status(), 200);
        assert_eq!(app.get(list, tok).await.status(), 200);
    }
    let missing = xunjian_shared::UserId::new();
    expect_problem(app.get(&api::user(missing), tok).await, 404, "not_found").await;
    // Validation failures name the field and write nothing.
    let body = serde_json::json!({"code": "", "name": "村", "parent_id": t.user.org_chain[0].id});
    let p =
        expect_problem(app.send_json(Method::POST, api::ORG_UNITS, Some(tok), &body).await, 422, "validation_failed")
            .await;
    assert!(p.detail.unwrap().starts_with("code"));
    app.stop().await;
});
