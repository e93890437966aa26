//! Access tokens that must be refused: tampered, expired, unsigned, for another audience, or a
//! refresh token presented as an access token.

use super::*;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Duration;
use jsonwebtoken::{encode, EncodingKey, Header};
use xunjian_shared::api;
use xunjian_tests::TEST_SECRET;

async fn refused(app: &TestApp, token: &str) {
    expect_problem(app.get(api::ME, token).await, 401, "invalid_token").await;
}

/// The claims of a real token, re-signed after `change`.
fn forge(real: &str, change: impl FnOnce(&mut serde_json::Value)) -> String {
    let payload = real.split('.').nth(1).unwrap();
    let mut claims: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    change(&mut claims);
    encode(&Header::default(), &claims, &EncodingKey::from_secret(TEST_SECRET.as_bytes())).unwrap()
}

both_backends!(forged_and_stale_tokens_get_401, |app| {
    let t = app.login("yishi.office").await;
    let good = t.access_token.clone();
    // The forging helper itself makes accepted tokens when nothing is changed.
    let same = forge(&good, |_| {});
    assert_eq!(app.get(api::ME, &same).await.status(), 200);

    // Tampered: claims changed, signature kept.
    let parts: Vec<&str> = good.split('.').collect();
    let mut claims: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    claims["role"] = "county_admin".into();
    let tampered = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(claims.to_string()), parts[2]);
    refused(&app, &tampered).await;

    // alg: none, no signature.
    let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    refused(&app, &format!("{none_header}.{}.", parts[1])).await;

    // Signed with the right key but for another audience, issuer or type.
    refused(&app, &forge(&good, |c| c["aud"] = "other-app".into())).await;
    refused(&app, &forge(&good, |c| c["iss"] = "someone-else".into())).await;
    refused(&app, &forge(&good, |c| c["typ"] = "refresh".into())).await;

    // A refresh token is not an access token.
    refused(&app, &t.refresh_token).await;

    // Expired: 15 minutes later the same token is refused.
    app.clock.advance(Duration::seconds(899));
    assert_eq!(app.get(api::ME, &good).await.status(), 200);
    app.clock.advance(Duration::seconds(2));
    refused(&app, &good).await;
    app.stop().await;
});

both_backends!(missing_or_malformed_authorization_gets_401, |app| {
    let r = app.request(reqwest::Method::GET, api::ME, None).send().await.unwrap();
    expect_problem(r, 401, "unauthenticated").await;
    let r = app
        .request(reqwest::Method::GET, api::ME, None)
        .header("authorization", "Basic dXNlcjpwYXNz")
        .send()
        .await
        .unwrap();
    expect_problem(r, 401, "invalid_token").await;
    refused(&app, "not.a.jwt").await;
    app.stop().await;
});
