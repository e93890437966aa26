//! The web app's files, the security headers, health and the OpenAPI document.

use super::*;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use xunjian_shared::api;
use xunjian_tests::{INLINE_SCRIPT, OFFICE_INLINE_SCRIPT};

both_backends!(shell_is_served_with_csp_and_right_caching, |app| {
    let r = app.http.get(format!("{}/", app.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap();
    let hash = |script: &str| {
        use sha2::Digest;
        STANDARD.encode(sha2::Sha256::digest(script.as_bytes()))
    };
    // Both builds' loaders: the phones' at / and the office build's at /office/.
    assert!(csp.contains(&format!("'sha256-{}'", hash(INLINE_SCRIPT))), "{csp}");
    assert!(csp.contains(&format!("'sha256-{}'", hash(OFFICE_INLINE_SCRIPT))), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let script_src = csp.split(';').map(str::trim).find(|d| d.starts_with("script-src")).unwrap();
    assert!(!script_src.contains("'unsafe-inline'") && !script_src.contains(" 'unsafe-eval'"), "{script_src}");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["cache-control"], "no-cache");
    assert!(h.get("access-control-allow-origin").is_none(), "no CORS");
    assert!(r.text().await.unwrap().contains("巡检"));

    let wasm = app.http.get(format!("{}/xunjian-web-0123456789abcdef_bg.wasm", app.base)).send().await.unwrap();
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(wasm.headers()["cache-control"], "public, max-age=31536000, immutable");

    // The office build is served at /office/, not cached either.
    let office = app.http.get(format!("{}/office/", app.base)).send().await.unwrap();
    assert_eq!(office.status(), 200);
    assert_eq!(office.headers()["cache-control"], "no-cache");
    assert!(office.text().await.unwrap().contains("办公端"));

    // A client-side route gets the shell; an unknown API path does not.
    let route = app.http.get(format!("{}/premises/123", app.base)).send().await.unwrap();
    assert_eq!(route.status(), 200);
    assert!(route.text().await.unwrap().contains("巡检"));
    let api = app.http.get(format!("{}/api/v1/nothing", app.base)).send().await.unwrap();
    assert_eq!(api.headers()["cache-control"], "no-store");
    expect_problem(api, 404, "not_found").await;
    app.stop().await;
});

both_backends!(healthz_reports_the_database, |app| {
    let v: serde_json::Value =
        expect_json(app.http.get(format!("{}{}", app.base, api::HEALTHZ)).send().await.unwrap(), 200).await;
    assert_eq!(v["status"], "ok");
    let expected = match app.backend {
        xunjian_tests::Backend::Sqlite => "sqlite",
        xunjian_tests::Backend::Postgres => "postgres",
    };
    assert_eq!(v["database"], expected);
    app.stop().await;
});

both_backends!(openapi_document_lists_the_routes, |app| {
    let v: serde_json::Value =
        expect_json(app.http.get(format!("{}{}", app.base, api::OPENAPI)).send().await.unwrap(), 200).await;
    assert!(v["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/org-units",
        "/api/v1/users/{id}",
    ] {
        assert!(v["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(v["components"]["schemas"].get("Problem").is_some());
    // docs/openapi.json is the committed copy: an API change must update it in the same commit
    // (XUNJIAN_UPDATE_OPENAPI=1 cargo test -p xunjian-tests -- openapi rewrites it).
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.json");
    let pretty = serde_json::to_string_pretty(&v).unwrap() + "\n";
    if std::env::var("XUNJIAN_UPDATE_OPENAPI").is_ok() {
        std::fs::write(path, &pretty).unwrap();
    }
    let committed = std::fs::read_to_string(path).expect("docs/openapi.json exists");
    assert!(committed == pretty, "docs/openapi.json is stale: rerun with XUNJIAN_UPDATE_OPENAPI=1");
    app.stop().await;
});
