//! Accounts inside one's scope.

use super::*;
use reqwest::Method;
use xunjian_shared::api;
use xunjian_shared::api::List;
use xunjian_shared::org::OrgUnit;
use xunjian_shared::user::{CreateUser, User};
use xunjian_shared::Role;

fn grid_worker(username: &str, unit: &OrgUnit) -> CreateUser {
    CreateUser {
        username: username.into(),
        display_name: "王网格".into(),
        role: Role::GridWorker,
        org_unit_id: unit.id,
        phone: Some("13800001111".into()),
        password: "field-pass-1".into(),
    }
}

async fn units(app: &TestApp, token: &str, query: &str) -> Vec<OrgUnit> {
    expect_json::<List<OrgUnit>>(app.get(&format!("{}?{query}", api::ORG_UNITS), token).await, 200).await.items
}

both_backends!(township_office_adds_grid_workers_in_its_township_only, |app| {
    let office = app.login("yishi.office").await;
    let tok = office.access_token.as_str();
    let grid = units(&app, tok, "level=grid").await.remove(0);
    let created: User =
        expect_json(app.send_json(Method::POST, api::USERS, Some(tok), &grid_worker("Wang.Wu", &grid)).await, 201)
            .await;
    assert_eq!(created.username, "wang.wu");
    assert_eq!(created.role, Role::GridWorker);
    // The new worker can log in with the password set.
    assert_eq!(app.try_login("wang.wu", "field-pass-1").await.status(), 200);
    // Same username again → 409; a role it does not manage → 403; a unit level the role
    // does not allow → 422; a weak password → 422.
    let r = app.send_json(Method::POST, api::USERS, Some(tok), &grid_worker("wang.wu", &grid)).await;
    expect_problem(r, 409, "already_exists").await;
    let mut admin = grid_worker("boss", &grid);
    admin.role = Role::CountyAdmin;
    expect_problem(app.send_json(Method::POST, api::USERS, Some(tok), &admin).await, 403, "forbidden").await;
    let township = office.user.org_chain[1].clone();
    let r = app.send_json(Method::POST, api::USERS, Some(tok), &grid_worker("zhao.liu", &township)).await;
    expect_problem(r, 422, "validation_failed").await;
    let mut weak = grid_worker("sun.qi", &grid);
    weak.password = "1234567".into();
    expect_problem(app.send_json(Method::POST, api::USERS, Some(tok), &weak).await, 422, "weak_password").await;
    app.stop().await;
});

both_backends!(township_office_cannot_read_or_change_another_townships_users, |app| {
    let admin = app.login("admin").await;
    let niudu_office = app.login("niudu.office").await;
    let niudu_grid = units(&app, &niudu_office.access_token, "level=grid").await.remove(0);
    let office = app.login("yishi.office").await;
    let tok = office.access_token.as_str();
    // Listing shows only 猗氏镇's accounts.
    let mine: List<User> = expect_json(app.get(api::USERS, tok).await, 200).await;
    let names: Vec<_> = mine.items.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["yishi.enforce", "yishi.grid", "yishi.office", "yishi.patrol", "yishi.patrol2", "yishi.road"]);
    let all: List<User> = expect_json(app.get(api::USERS, &admin.access_token).await, 200).await;
    assert_eq!(all.items.len(), 11, "the demo's 11 accounts");
    // Another township's user: invisible, unchangeable.
    let other = niudu_office.user.user.id;
    expect_problem(app.get(&api::user(other), tok).await, 404, "not_found").await;
    let r = app.send_json(Method::PATCH, &api::user(other), Some(tok), &serde_json::json!({"active": false})).await;
    expect_problem(r, 404, "not_found").await;
    let r = app.request(Method::DELETE, &api::user_sessions(other), Some(tok)).send().await.unwrap();
    expect_problem(r, 404, "not_found").await;
    // Nor create an account in another township's grid.
    let r = app.send_json(Method::POST, api::USERS, Some(tok), &grid_worker("spy.one", &niudu_grid)).await;
    expect_problem(r, 403, "out_of_scope").await;
    // niudu.office still works, untouched.
    app.login("niudu.office").await;
    app.stop().await;
});

both_backends!(managers_cannot_touch_roles_above_them_or_themselves, |app| {
    let office = app.login("yishi.office").await;
    let tok = office.access_token.as_str();
    let road = app.login("yishi.road").await.user.user.id;
    let r = app.send_json(Method::PATCH, &api::user(road), Some(tok), &serde_json::json!({"active": false})).await;
    expect_problem(r, 403, "forbidden").await;
    let me = office.user.user.id;
    let r = app.send_json(Method::PATCH, &api::user(me), Some(tok), &serde_json::json!({"role": "county_admin"})).await;
    expect_problem(r, 403, "forbidden").await;
    let grid = app.login("yishi.grid").await;
    expect_problem(app.get(api::USERS, &grid.access_token).await, 403, "forbidden").await;
    app.stop().await;
});

both_backends!(county_admin_moves_a_worker_and_old_sessions_end, |app| {
    let admin = app.login("admin").await;
    let tok = admin.access_token.as_str();
    let worker = app.login("yishi.grid").await;
    let target = units(&app, tok, "level=grid").await.into_iter().find(|u| u.code.starts_with("140821101")).unwrap();
    let body = serde_json::json!({"org_unit_id": target.id, "display_name": "张网格(调)"});
    let moved: User =
        expect_json(app.send_json(Method::PATCH, &api::user(worker.user.user.id), Some(tok), &body).await, 200).await;
    assert_eq!(moved.org_unit_id, target.id);
    let r = app.post(api::REFRESH, &serde_json::json!({"refresh_token": worker.refresh_token})).await;
    expect_problem(r, 401, "invalid_refresh_token").await;
    let again = app.login("yishi.grid").await;
    assert_eq!(again.user.org_chain[1].name, "牛杜镇");
    app.stop().await;
});
