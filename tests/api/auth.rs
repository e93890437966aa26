//! Login, throttling, refresh rotation, logout.

use super::*;
use chrono::Duration;
use reqwest::Method;
use xunjian_shared::api;
use xunjian_shared::auth::{RefreshRequest, TokenResponse};
use xunjian_shared::user::Me;
use xunjian_shared::Role;
use xunjian_tests::DEMO_PASSWORD;

both_backends!(login_gives_tokens_and_me, |app| {
    let t = app.login("Yishi.Office").await; // usernames are case-insensitive
    assert_eq!(t.token_type, "Bearer");
    assert_eq!(t.expires_in, 900);
    assert_eq!(t.refresh_expires_in, 30 * 86_400);
    assert_eq!(t.user.user.role, Role::TownshipOffice);
    let chain: Vec<&str> = t.user.org_chain.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(chain, ["临猗县", "猗氏镇"]);
    let me: Me = expect_json(app.get(api::ME, &t.access_token).await, 200).await;
    assert_eq!(me, t.user);
    app.stop().await;
});

both_backends!(unknown_user_and_wrong_password_answer_alike, |app| {
    let wrong = app.try_login("yishi.office", "not-the-password").await;
    let unknown = app.try_login("no.such.user", "not-the-password").await;
    let (s1, s2) = (wrong.status(), unknown.status());
    let (b1, b2) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert_eq!((s1.as_u16(), s2.as_u16()), (401, 401));
    assert_eq!(b1, b2, "same body for unknown user and wrong password");
    assert!(b1.contains("invalid_credentials"));
    app.stop().await;
});

both_backends!(repeated_failures_are_throttled_with_retry_after, |app| {
    for _ in 0..5 {
        let r = app.try_login("yishi.grid", "wrong-password").await;
        assert_eq!(r.status(), 401);
    }
    // Locked: even the right password is refused until the window ends.
    let r = app.try_login("yishi.grid", DEMO_PASSWORD).await;
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    expect_problem(r, 429, "too_many_attempts").await;
    // Other users from the same address still log in.
    app.login("yishi.road").await;
    app.clock.advance(Duration::seconds(901));
    app.login("yishi.grid").await;
    app.stop().await;
});

both_backends!(address_spraying_many_usernames_is_throttled, |app| {
    for i in 0..30 {
        assert_eq!(app.try_login(&format!("guess{i}"), "wrong-password").await.status(), 401);
    }
    expect_problem(app.try_login("yishi.road", DEMO_PASSWORD).await, 429, "too_many_attempts").await;
    app.stop().await;
});

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    app.post(api::REFRESH, &RefreshRequest { refresh_token: token.into() }).await
}

both_backends!(refresh_token_works_once_and_reuse_revokes_the_family, |app| {
    let first = app.login("yishi.grid").await;
    let second: TokenResponse = expect_json(refresh(&app, &first.refresh_token).await, 200).await;
    assert_ne!(second.refresh_token, first.refresh_token);
    expect_json::<Me>(app.get(api::ME, &second.access_token).await, 200).await;
    // The first token was used: presenting it again is refused, and kills the second too.
    expect_problem(refresh(&app, &first.refresh_token).await, 401, "invalid_refresh_token").await;
    expect_problem(refresh(&app, &second.refresh_token).await, 401, "invalid_refresh_token").await;
    // Another device's login is a different family and unaffected.
    let other = app.login("yishi.grid").await;
    expect_json::<TokenResponse>(refresh(&app, &other.refresh_token).await, 200).await;
    app.stop().await;
});

both_backends!(refresh_survives_days_offline_but_not_the_idle_limit, |app| {
    let t = app.login("yishi.patrol").await;
    app.clock.advance(Duration::days(29));
    let t2: TokenResponse = expect_json(refresh(&app, &t.refresh_token).await, 200).await;
    app.clock.advance(Duration::days(30) + Duration::seconds(1));
    expect_problem(refresh(&app, &t2.refresh_token).await, 401, "invalid_refresh_token").await;
    app.stop().await;
});

both_backends!(logout_ends_the_session, |app| {
    let t = app.login("yishi.office").await;
    let r = app.post(api::LOGOUT, &RefreshRequest { refresh_token: t.refresh_token.clone() }).await;
    assert_eq!(r.status(), 204);
    expect_problem(refresh(&app, &t.refresh_token).await, 401, "invalid_refresh_token").await;
    // Logging out twice, or with an unknown token, is harmless.
    let again = app.post(api::LOGOUT, &RefreshRequest { refresh_token: t.refresh_token }).await;
    assert_eq!(again.status(), 204);
    app.stop().await;
});

both_backends!(disabling_a_user_cuts_off_their_phone, |app| {
    let admin = app.login("admin").await;
    let worker = app.login("yishi.grid").await;
    let id = worker.user.user.id;
    let body = serde_json::json!({"active": false});
    let r = app.send_json(Method::PATCH, &api::user(id), Some(&admin.access_token), &body).await;
    expect_json::<serde_json::Value>(r, 200).await;
    expect_problem(refresh(&app, &worker.refresh_token).await, 401, "invalid_refresh_token").await;
    expect_problem(app.try_login("yishi.grid", DEMO_PASSWORD).await, 403, "account_disabled").await;
    app.stop().await;
});

both_backends!(revoking_sessions_of_a_lost_phone, |app| {
    let office = app.login("yishi.office").await;
    let worker = app.login("yishi.grid").await;
    let id = worker.user.user.id;
    let r = app.request(Method::DELETE, &api::user_sessions(id), Some(&office.access_token)).send().await.unwrap();
    let v: serde_json::Value = expect_json(r, 200).await;
    assert_eq!(v["revoked"], 1);
    expect_problem(refresh(&app, &worker.refresh_token).await, 401, "invalid_refresh_token").await;
    // The account itself still works: the worker logs in on the new phone.
    app.login("yishi.grid").await;
    app.stop().await;
});

both_backends!(changing_own_password, |app| {
    let t = app.login("yishi.road").await;
    let body = serde_json::json!({"current_password": "wrong-one", "new_password": "new-password-1"});
    let r = app.send_json(Method::POST, api::ME_PASSWORD, Some(&t.access_token), &body).await;
    expect_problem(r, 422, "validation_failed").await;
    let body = serde_json::json!({"current_password": DEMO_PASSWORD, "new_password": "short"});
    let r = app.send_json(Method::POST, api::ME_PASSWORD, Some(&t.access_token), &body).await;
    expect_problem(r, 422, "weak_password").await;
    let body = serde_json::json!({"current_password": DEMO_PASSWORD, "new_password": "new-password-1"});
    let r = app.send_json(Method::POST, api::ME_PASSWORD, Some(&t.access_token), &body).await;
    assert_eq!(r.status(), 204);
    expect_problem(refresh(&app, &t.refresh_token).await, 401, "invalid_refresh_token").await;
    assert_eq!(app.try_login("yishi.road", DEMO_PASSWORD).await.status(), 401);
    assert_eq!(app.try_login("yishi.road", "new-password-1").await.status(), 200);
    app.stop().await;
});

both_backends!(expired_tokens_are_pruned_at_login, |app| {
    let t = app.login("yishi.grid").await;
    let _ = refresh(&app, &t.refresh_token).await;
    let id = t.user.user.id.to_string();
    let count = |id: String| {
        let db = app.app_db.clone();
        async move { db.read(move |c| xunjian_server::db::refresh_tokens::count_for_user(c, &id)).await.unwrap() }
    };
    assert_eq!(count(id.clone()).await, 2, "used and new token");
    app.clock.advance(Duration::days(31));
    app.login("yishi.grid").await;
    assert_eq!(count(id).await, 1, "only the new login's token is left");
    app.stop().await;
});

both_backends!(login_and_me_carry_the_countys_field_rules, |app| {
    let t = app.login("yishi.grid").await;
    assert_eq!(t.user.rules.deadlines, app.settings.deadlines, "the phone orders deadlines as the server would");
    assert_ne!(t.user.rules.deadlines, Default::default(), "the server's settings, not the built-in defaults");
    assert_eq!(t.user.rules.cadence, app.settings.cadence);
    let me: xunjian_shared::user::Me = expect_json(app.get(api::ME, &t.access_token).await, 200).await;
    assert_eq!(me.rules, t.user.rules);
    app.stop().await;
});

both_backends!(a_login_on_a_device_whose_session_was_never_ended_says_so, |app| {
    use xunjian_shared::auth::LoginRequest;
    let on = |device: &str| LoginRequest {
        username: "yishi.grid".into(),
        password: DEMO_PASSWORD.into(),
        device_name: Some(device.into()),
    };
    let phone = "Linux; Android 10; M2006C3LC";
    let first: TokenResponse = expect_json(app.post(api::LOGIN, &on(phone)).await, 200).await;
    assert_eq!(first.open_session_here, None, "the first login on this phone");
    // The phone's browser cleared the app's data: the worker signs in again on the same phone.
    app.clock.advance(Duration::hours(2));
    let again: TokenResponse = expect_json(app.post(api::LOGIN, &on(phone)).await, 200).await;
    let open = again.open_session_here.expect("the earlier session on this phone is still open");
    assert_eq!(open.timestamp(), (app.now() - Duration::hours(2)).timestamp(), "when it was last used");
    // One session per phone: the lost one is ended (a copy of its token stops working), so the
    // next sign-in there has nothing to say.
    expect_problem(refresh(&app, &first.refresh_token).await, 401, "invalid_refresh_token").await;
    // Another phone of the account: nothing to say.
    let other: TokenResponse = expect_json(app.post(api::LOGIN, &on("Linux; Android 13; SM-A135F")).await, 200).await;
    assert_eq!(other.open_session_here, None);
    // A refresh moves "last used" on; a logout ends the session, and then there is nothing to say.
    app.clock.advance(Duration::minutes(30));
    let rotated: TokenResponse = expect_json(refresh(&app, &again.refresh_token).await, 200).await;
    assert_eq!(rotated.open_session_here, None, "only a login says it");
    let r = app.post(api::LOGOUT, &RefreshRequest { refresh_token: rotated.refresh_token.clone() }).await;
    assert_eq!(r.status(), 204);
    let after: TokenResponse = expect_json(app.post(api::LOGIN, &on(phone)).await, 200).await;
    assert_eq!(after.open_session_here, None, "the phone's session was logged out");
    // The other phone's session is untouched by all this.
    expect_json::<TokenResponse>(refresh(&app, &other.refresh_token).await, 200).await;
    app.stop().await;
});
