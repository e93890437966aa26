//! The defects of the hardening issue (#13), each as found on the landed main: control characters,
//! bodies of the wrong shape, errors that were not problem documents, 404 for a wrong method,
//! tokens of disabled accounts, unthrottled password guessing, and photos named by hash.

use super::*;
use reqwest::Method;
use serde_json::{json, Value};
use sha2::Digest;
use xunjian_shared::api;
use xunjian_shared::checklist::{HazardCategory, Severity};
use xunjian_shared::hazard::RegisterHazard;
use xunjian_shared::premise::{PremiseType, UpdatePremise};
use xunjian_shared::sync::{OpBody, OpOutcome};
use xunjian_shared::{ErrorCode, HazardId, PhotoRef};
use xunjian_tests::device::Device;
use xunjian_tests::{fire, DEMO_PASSWORD};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn report(premise: xunjian_shared::PremiseId, description: &str, photos: Vec<PhotoRef>) -> RegisterHazard {
    RegisterHazard {
        id: Some(HazardId::new()),
        premise_id: premise,
        category: HazardCategory::Electrical,
        severity: Severity::General,
        description: description.into(),
        photos,
        device_time: None,
        location: None,
    }
}

both_backends!(nul_and_other_control_characters_are_refused_not_500, |app| {
    // No login needed: the login form itself.
    let r = app.post(api::LOGIN, &json!({"username": "ab\u{0}cd", "password": "x"})).await;
    let p = expect_problem(r, 422, "validation_failed").await;
    assert_eq!(p.detail.as_deref(), Some("username: control character U+0000 is not allowed"));
    let w = app.login("yishi.grid").await;
    let tok = w.access_token.as_str();
    let premise = fire::premise_of(&app, tok, PremiseType::StreetShop).await;
    let r = app.send_json(Method::POST, api::HAZARDS, Some(tok), &report(premise.id, "电线\u{0}乱拉", vec![])).await;
    let p = expect_problem(r, 422, "validation_failed").await;
    assert!(p.detail.unwrap().starts_with("description: control character U+0000"));
    let r = app.send_json(Method::POST, api::HAZARDS, Some(tok), &report(premise.id, "响铃\u{7}", vec![])).await;
    expect_problem(r, 422, "validation_failed").await;
    // Queries and paths, decoded.
    for (path, query) in [(api::PREMISES, "q=a%00b"), (api::USERS, "q=a%00b"), (api::HAZARDS, "status=a%1Bb")] {
        let path = format!("{path}?{query}");
        let p = expect_problem(app.get(&path, tok).await, 400, "invalid_parameter").await;
        assert!(p.detail.unwrap().contains("control character"), "{path}");
    }
    let admin = app.login("admin").await.access_token;
    expect_problem(app.get(&format!("{}?q=a%00b", api::USERS), &admin).await, 400, "invalid_parameter").await;
    expect_problem(app.get("/api/v1/org-units/a%00b", &admin).await, 400, "invalid_parameter").await;
    // And in an office file's cells.
    let office = app.login("yishi.office").await;
    let township = office.user.org_chain[1].id;
    let csv = "名称,类型,网格编码,地址,负责人\n坏店\u{0},沿街商铺,140821100001-01,东街,刘一\n";
    let r = app
        .request(
            Method::POST,
            &format!("{}?township_id={township}&dry_run=false", api::PREMISES_IMPORT),
            Some(&office.access_token),
        )
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    let p = expect_problem(r, 422, "validation_failed").await;
    assert_eq!(p.detail.as_deref(), Some("file: row 2, column A: control character U+0000 is not allowed"));
    // Line breaks and tabs are text.
    let r = app.send_json(Method::POST, api::HAZARDS, Some(tok), &report(premise.id, "一处\n两处\t三处", vec![])).await;
    assert_eq!(r.status(), 201);
    app.stop().await;
});

both_backends!(a_bad_op_in_a_push_gets_its_own_refusal_and_the_batch_goes_on, |app| {
    let w = app.login("yishi.grid").await;
    let grid = w.user.org_chain.last().unwrap().id;
    let mut d = Device::new(w.access_token.clone());
    let create = super::sync::shop(grid, "控制字符小店");
    let pid = create.id.unwrap();
    let now = app.now();
    d.queue(OpBody::CreatePremise(create), now);
    let bad = report(pid, "描述里有\u{0}", vec![]);
    let bad_id = bad.id.unwrap();
    d.queue(OpBody::RegisterHazard(bad), now);
    let edit = UpdatePremise { notes: Some("夜间营业".into()), ..Default::default() };
    d.queue(OpBody::UpdatePremise { id: pid, base_version: 1, changes: edit }, now);
    let first = d.send(&app, 10).await;
    assert_eq!(first.results.len(), 3);
    assert!(first.results[0].outcome.applied() && first.results[2].outcome.applied(), "{first:?}");
    match &first.results[1].outcome {
        OpOutcome::Rejected { code, message } => {
            assert_eq!(*code, ErrorCode::ValidationFailed);
            assert!(message.contains("ops[1]") && message.contains("U+0000"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // Recorded: the same answer on every retry, and the phone's outbox moves past it.
    assert_eq!(d.send(&app, 10).await, first);
    d.take(first);
    assert!(d.outbox.is_empty());
    // Nothing of the refused op was written; the edit after it was.
    let tok = w.access_token.as_str();
    expect_problem(app.get(&api::hazard(bad_id), tok).await, 404, "not_found").await;
    let p: Value = expect_json(app.get(&api::premise(pid), tok).await, 200).await;
    assert_eq!(p["notes"], "夜间营业");
    // A fault of shape is the whole push's (only a broken client sends one).
    let mut body = serde_json::to_value(d.request(0)).unwrap();
    body["ops"] = json!([{"op_id": xunjian_shared::ids::OpId::new(), "seq": 9, "device_time": now, "body": [1]}]);
    let p =
        expect_problem(app.send_json(Method::POST, api::SYNC_PUSH, Some(tok), &body).await, 400, "invalid_json").await;
    assert!(p.detail.unwrap().starts_with("ops[0].body"));
    app.stop().await;
});

both_backends!(request_bodies_are_objects_only, |app| {
    let road = app.login("yishi.road").await.access_token;
    let segments: Value = expect_json(app.get(api::SEGMENTS, &road).await, 200).await;
    let seg = segments
        .as_array()
        .and_then(|a| a.iter().find(|s| !s["worker_id"].is_null()))
        .cloned()
        .or_else(|| segments["items"].as_array().and_then(|a| a.iter().find(|s| !s["worker_id"].is_null()).cloned()))
        .expect("an assigned segment");
    let id = seg["id"].as_str().unwrap();
    let r = app.send_json(Method::PATCH, &api::segment(id.parse().unwrap()), Some(&road), &json!([null])).await;
    let p = expect_problem(r, 400, "invalid_json").await;
    assert!(p.detail.unwrap().contains("must be a JSON object"));
    let after: Value = expect_json(app.get(api::SEGMENTS, &road).await, 200).await;
    let text = after.to_string();
    assert!(text.contains(seg["worker_id"].as_str().unwrap()), "the segment keeps its worker");
    expect_problem(app.post(api::LOGIN, &json!(["yishi.grid", DEMO_PASSWORD])).await, 400, "invalid_json").await;
    let admin = app.login("admin").await;
    let unit = admin.user.org_chain[0].id;
    let r = app.send_json(Method::PATCH, &api::org_unit(unit), Some(&admin.access_token), &json!([null, null])).await;
    expect_problem(r, 400, "invalid_json").await;
    let w = app.login("yishi.grid").await.access_token;
    let premise = fire::premise_of(&app, &w, PremiseType::StreetShop).await;
    let r = app.send_json(Method::PATCH, &api::premise(premise.id), Some(&w), &json!([null, null])).await;
    expect_problem(r, 400, "invalid_json").await;
    // Nested too: the action inside a hazard action.
    let r = app
        .send_json(
            Method::POST,
            api::HAZARDS,
            Some(&w),
            &json!({"premise_id": premise.id, "category": ["x"], "severity": "general", "description": "x"}),
        )
        .await;
    expect_problem(r, 400, "invalid_json").await;
    app.stop().await;
});

both_backends!(integral_numbers_are_integers, |app| {
    let w = app.login("yishi.grid").await.access_token;
    let premise = fire::premise_of(&app, &w, PremiseType::StreetShop).await;
    let mut body = serde_json::to_value(UpdatePremise { notes: Some("改".into()), ..Default::default() }).unwrap();
    body["expected_version"] = json!(1.0);
    let r = app.send_json(Method::PATCH, &api::premise(premise.id), Some(&w), &body).await;
    let p: Value = expect_json(r, 200).await;
    assert_eq!(p["version"], 2);
    body["expected_version"] = json!(2.5);
    let r = app.send_json(Method::PATCH, &api::premise(premise.id), Some(&w), &body).await;
    expect_problem(r, 400, "invalid_json").await;
    // Beyond 2^53 a number read as a float stands for several integers: refused, not read as a
    // neighbour. (Seen: a push whose op had `seq: -9223372036854775809` was answered as seq -2^63.)
    let raw = |path: &str, method: Method, body: String| {
        app.request(method, path, Some(&w)).header("content-type", "application/json").body(body).send()
    };
    let patch = api::premise(premise.id);
    let r = raw(&patch, Method::PATCH, r#"{"notes": "再改", "expected_version": 9007199254740993.0}"#.into())
        .await
        .unwrap();
    let p = expect_problem(r, 400, "invalid_json").await;
    assert!(p.detail.unwrap().starts_with("expected_version: integer out of range"));
    let op = json!({"op_id": xunjian_shared::ids::OpId::new(), "seq": 1, "device_time": app.now(),
        "body": {"kind": "mark_notification_read", "payload": {"id": xunjian_shared::NotificationId::new()}}});
    let push = json!({"protocol": 1, "device_id": xunjian_shared::ids::DeviceId::new(), "ops": [op]}).to_string();
    let push = push.replace(r#""seq":1"#, r#""seq":-9223372036854775809"#);
    let r = raw(api::SYNC_PUSH, Method::POST, push).await.unwrap();
    let p = expect_problem(r, 400, "invalid_json").await;
    assert!(p.detail.unwrap().starts_with("ops[0].seq: integer out of range"));
    app.stop().await;
});

both_backends!(every_error_is_a_problem_document, |app| {
    let w = app.login("yishi.grid").await.access_token;
    // Over the photo limit by far: actix's own limit answers, as a problem.
    let big = vec![0xFFu8; 50 * 1024 * 1024];
    let sha = hex(&sha2::Sha256::digest(&big));
    let r = app.request(Method::PUT, &api::attachment(&sha), Some(&w)).body(big).send().await.unwrap();
    let p = expect_problem(r, 413, "payload_too_large").await;
    assert!(p.detail.unwrap().contains("limit is"));
    // A method a path lacks: 405 with Allow, inside and outside the API.
    for (method, path, allow) in [
        (Method::PUT, api::HEALTHZ, "GET"),
        (Method::PUT, api::ME, "GET"),
        (Method::DELETE, api::HAZARDS, "GET, POST"),
        (Method::GET, api::SYNC_PUSH, "POST"),
        (Method::OPTIONS, api::LOGIN, "POST"),
    ] {
        let r = app.request(method.clone(), path, Some(&w)).send().await.unwrap();
        assert_eq!(
            r.headers().get("allow").map(|v| v.to_str().unwrap().to_owned()).as_deref(),
            Some(allow),
            "{method} {path}"
        );
        expect_problem(r, 405, "method_not_allowed").await;
    }
    expect_problem(app.get("/api/v1/no-such-thing", &w).await, 404, "not_found").await;
    app.stop().await;
});

both_backends!(a_disabled_account_or_ended_session_is_cut_off_at_once, |app| {
    let admin = app.login("admin").await.access_token;
    let w = app.login("yishi.grid").await;
    let tok = w.access_token.clone();
    assert_eq!(app.get(api::ME, &tok).await.status(), 200);
    // Ending the worker's sessions (a lost phone) stops the access token too, not in 15 minutes.
    let id = w.user.user.id;
    let r = app.request(Method::DELETE, &api::user_sessions(id), Some(&admin)).send().await.unwrap();
    assert!(r.status().is_success());
    expect_problem(app.get(api::ME, &tok).await, 401, "invalid_token").await;
    // Disabling: 403 account_disabled, and a push applies nothing.
    let tok = app.login("yishi.grid").await.access_token;
    let r = app.send_json(Method::PATCH, &api::user(id), Some(&admin), &json!({"active": false})).await;
    assert_eq!(r.status(), 200);
    expect_problem(app.get(api::ME, &tok).await, 403, "account_disabled").await;
    let mut d = Device::new(tok.clone());
    d.queue(OpBody::CreatePremise(super::sync::shop(w.user.org_chain.last().unwrap().id, "停用后")), app.now());
    let r = app.send_json(Method::POST, api::SYNC_PUSH, Some(&tok), &d.request(1)).await;
    expect_problem(r, 403, "account_disabled").await;
    // Ended by another process (the CLI, another instance) on the same database: seen within
    // the recheck time.
    let office = app.login("yishi.office").await;
    assert_eq!(app.get(api::ME, &office.access_token).await.status(), 200);
    let uid = office.user.user.id;
    app.exec(
        &format!("UPDATE refresh_tokens SET revoked_at = 1 WHERE user_id = '{uid}'"),
        &format!("UPDATE refresh_tokens SET revoked_at = 1 WHERE user_id = '{uid}'"),
    );
    app.clock.advance(chrono::Duration::seconds(xunjian_server::auth::sessions::RECHECK_SECS));
    expect_problem(app.get(api::ME, &office.access_token).await, 401, "invalid_token").await;
    app.stop().await;
});

both_backends!(guessing_the_current_password_is_throttled_like_login, |app| {
    let w = app.login("yishi.patrol").await.access_token;
    let guess = |n: usize| {
        let body = json!({"current_password": format!("guess-{n}"), "new_password": "a-new-password-1"});
        app.request(Method::POST, api::ME_PASSWORD, Some(&w)).json(&body).send()
    };
    for n in 0..app.settings.login_max_failures_per_user as usize {
        expect_problem(guess(n).await.unwrap(), 422, "validation_failed").await;
    }
    let r = guess(99).await.unwrap();
    assert!(r.headers().get("retry-after").is_some());
    expect_problem(r, 429, "too_many_attempts").await;
    // Even the right password waits: the guesser cannot tell.
    let r = app
        .send_json(
            Method::POST,
            api::ME_PASSWORD,
            Some(&w),
            &json!({"current_password": DEMO_PASSWORD, "new_password": "a-new-password-1"}),
        )
        .await;
    expect_problem(r, 429, "too_many_attempts").await;
    app.stop().await;
});

both_backends!(a_record_may_name_only_photos_its_author_may_see, |app| {
    // A 猗氏镇 grid worker's photo, used in a record of 猗氏镇.
    let w = app.login("yishi.grid").await.access_token;
    let jpeg: Vec<u8> = [&[0xFF, 0xD8, 0xFF, 0xE0][..], &[9u8; 3000][..]].concat();
    let sha = hex(&sha2::Sha256::digest(&jpeg));
    let photo = PhotoRef::try_from(sha.clone()).unwrap();
    let url = api::attachment(&sha);
    let put = |tok: &str| app.request(Method::PUT, &url, Some(tok)).body(jpeg.clone()).send();
    assert_eq!(put(&w).await.unwrap().status(), 201);
    let here = fire::premise_of(&app, &w, PremiseType::StreetShop).await;
    let r =
        app.send_json(Method::POST, api::HAZARDS, Some(&w), &report(here.id, "电线老化", vec![photo.clone()])).await;
    assert_eq!(r.status(), 201);
    // 牛杜镇's office names it in a record of its own: refused, and the photo stays invisible.
    let niudu = app.login("niudu.office").await.access_token;
    let there = fire::premise_of(&app, &niudu, PremiseType::StreetShop).await;
    let r = app
        .send_json(Method::POST, api::HAZARDS, Some(&niudu), &report(there.id, "借用照片", vec![photo.clone()]))
        .await;
    let p = expect_problem(r, 422, "validation_failed").await;
    assert!(p.detail.unwrap().starts_with("photos:"));
    expect_problem(app.get(&api::attachment(&sha), &niudu).await, 404, "not_found").await;
    // Through the sync push too: that op is refused, recorded, and nothing is written.
    let mut d = Device::new(niudu.clone());
    d.queue(OpBody::RegisterHazard(report(there.id, "借用照片", vec![photo.clone()])), app.now());
    let res = d.send(&app, 1).await;
    assert!(
        matches!(&res.results[0].outcome, OpOutcome::Rejected { code: ErrorCode::ValidationFailed, .. }),
        "{res:?}"
    );
    expect_problem(app.get(&api::attachment(&sha), &niudu).await, 404, "not_found").await;
    // Whoever has the bytes has the photo: after uploading them, the office may name it.
    assert_eq!(put(&niudu).await.unwrap().status(), 200);
    let r = app.send_json(Method::POST, api::HAZARDS, Some(&niudu), &report(there.id, "同一张照片", vec![photo])).await;
    assert_eq!(r.status(), 201);
    assert_eq!(app.get(&api::attachment(&sha), &niudu).await.status(), 200);
    // A photo not uploaded yet may be named (pending), as before.
    let pending = fire::photo(0x42);
    let r = app.send_json(Method::POST, api::HAZARDS, Some(&w), &report(here.id, "待上传照片", vec![pending])).await;
    assert_eq!(r.status(), 201);
    app.stop().await;
});
