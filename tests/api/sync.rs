//! The sync protocol: nothing lost, nothing doubled, nothing out of scope.

use super::*;
use std::collections::HashSet;
use xunjian_shared::api;
use xunjian_shared::hazard::{ActOnHazard, HazardAction as A, HazardStatus};
use xunjian_shared::premise::{CreatePremise, PremisePage, PremiseType, UpdatePremise};
use xunjian_shared::sync::{Change, OpBody, OpOutcome};
use xunjian_shared::{ErrorCode, PremiseId};
use xunjian_tests::device::{key, Device};
use xunjian_tests::fire::{self, template_for};

pub(super) fn shop(grid: xunjian_shared::OrgUnitId, name: &str) -> CreatePremise {
    CreatePremise {
        id: Some(PremiseId::new()),
        grid_id: grid,
        name: name.into(),
        premise_type: PremiseType::StreetShop,
        address: format!("{name}门前"),
        location: None,
        responsible_person: "刘一".into(),
        responsible_phone: None,
        notes: String::new(),
    }
}

async fn premises_named(app: &TestApp, token: &str, name: &str) -> i64 {
    let page: PremisePage =
        expect_json(app.get(&format!("{}?q={name}&limit=500", api::PREMISES), token).await, 200).await;
    page.items.iter().filter(|p| p.name == name).count() as i64
}

/// A grid worker's device with a batch: create a premise, rename it, inspect it (one failure),
/// report the resulting hazard rectified.
async fn worker_batch(app: &TestApp, name: &str) -> (Device, PremiseId, xunjian_shared::HazardId) {
    let w = app.login("yishi.grid").await;
    let grid = w.user.org_chain.last().unwrap().id;
    let t = template_for(app, &w.access_token, PremiseType::StreetShop).await;
    let mut d = Device::new(w.access_token);
    let create = shop(grid, name);
    let pid = create.id.unwrap();
    let now = app.now();
    d.queue(OpBody::CreatePremise(create.clone()), now);
    let rename = UpdatePremise { notes: Some("夜间营业".into()), ..Default::default() };
    d.queue(OpBody::UpdatePremise { id: pid, base_version: 1, changes: rename }, now);
    let premise = xunjian_shared::premise::Premise {
        id: pid,
        grid_id: grid,
        name: create.name.clone(),
        premise_type: create.premise_type,
        address: create.address.clone(),
        location: None,
        responsible_person: create.responsible_person.clone(),
        responsible_phone: None,
        notes: String::new(),
        active: true,
        version: 1,
    };
    let item = fire::hazard_items(&t, false)[0].clone();
    let insp = fire::inspection(&premise, &t, &[item.as_str()], &[], now);
    let hazard = xunjian_shared::inspection::hazard_id_for(insp.id, &item);
    d.queue(OpBody::SubmitInspection(insp), now);
    let act = ActOnHazard {
        action: A::ReportRectified { evidence: vec![] },
        expected_version: 2,
        device_time: Some(now),
        location: None,
        note: String::new(),
    };
    d.queue(OpBody::ActOnHazard { id: hazard, act }, now);
    (d, pid, hazard)
}

both_backends!(a_batch_replayed_or_sent_twice_at_once_applies_once, |app| {
    let (d, pid, _) = worker_batch(&app, "重放超市").await;
    let first = d.send(&app, 10).await;
    assert!(first.results.iter().all(|r| r.outcome.applied()), "{first:?}");
    assert_eq!(first.results[1].outcome, OpOutcome::Applied { version: Some(2), merged: None });
    for _ in 0..2 {
        assert_eq!(d.send(&app, 10).await, first, "a replay answers the stored results");
    }
    // Two identical requests racing.
    let (d2, pid2, _) = worker_batch(&app, "并发超市").await;
    let (a, b) = futures_join(d2.send(&app, 10), d2.send(&app, 10)).await;
    assert_eq!(a, b);
    assert!(a.results.iter().all(|r| r.outcome.applied()), "{a:?}");
    let tok = app.login("yishi.grid").await.access_token;
    for (name, pid) in [("重放超市", pid), ("并发超市", pid2)] {
        assert_eq!(premises_named(&app, &tok, name).await, 1);
        let hz: xunjian_shared::hazard::HazardPage =
            expect_json(app.get(&format!("{}?premise_id={pid}", api::HAZARDS), &tok).await, 200).await;
        assert_eq!(hz.total, 1);
        let detail = fire::hazard(&app, &tok, hz.items[0].id).await;
        assert_eq!(detail.hazard.state.status, HazardStatus::Rectified);
        assert_eq!(detail.timeline.len(), 3, "register, order, report: once each");
        let insp: Vec<xunjian_shared::inspection::Inspection> =
            expect_json(app.get(&api::premise_inspections(pid), &tok).await, 200).await;
        assert_eq!(insp.len(), 1);
    }
    app.stop().await;
});

async fn futures_join<A: std::future::Future, B: std::future::Future>(a: A, b: B) -> (A::Output, B::Output) {
    tokio::join!(a, b)
}

both_backends!(an_op_id_reused_with_other_content_is_refused, |app| {
    let (mut d, _, _) = worker_batch(&app, "原名超市").await;
    let first = d.send(&app, 1).await;
    assert!(first.results[0].outcome.applied());
    if let OpBody::CreatePremise(c) = &mut d.outbox[0].body {
        c.name = "篡改超市".into();
    }
    let again = d.send(&app, 1).await;
    match &again.results[0].outcome {
        OpOutcome::Rejected { code, .. } => assert_eq!(*code, ErrorCode::OpIdReused),
        other => panic!("{other:?}"),
    }
    let tok = app.login("yishi.grid").await.access_token;
    assert_eq!(premises_named(&app, &tok, "原名超市").await, 1);
    assert_eq!(premises_named(&app, &tok, "篡改超市").await, 0);
    app.stop().await;
});

both_backends!(one_bad_op_does_not_block_the_rest, |app| {
    let w = app.login("yishi.grid").await;
    let grid = w.user.org_chain.last().unwrap().id;
    let mut d = Device::new(w.access_token.clone());
    d.queue(OpBody::CreatePremise(shop(grid, "好店一")), app.now());
    let mut bad = shop(grid, "坏店");
    bad.responsible_person = " ".into();
    d.queue(OpBody::CreatePremise(bad), app.now());
    d.queue(OpBody::CreatePremise(shop(grid, "好店二")), app.now());
    let res = d.send(&app, 10).await;
    let kinds: Vec<bool> = res.results.iter().map(|r| r.outcome.applied()).collect();
    assert_eq!(kinds, [true, false, true]);
    match &res.results[1].outcome {
        OpOutcome::Rejected { code, message } => {
            assert_eq!(*code, ErrorCode::ValidationFailed);
            assert!(message.contains("responsible_person"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(res.results.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2, 3]);
    app.stop().await;
});

/// Installs a trigger that fails the insert of one row: a fault in the middle of an op.
fn inject_fault(app: &TestApp, table: &str, column: &str, value: &str) {
    app.exec(
        &format!("CREATE TRIGGER fault BEFORE INSERT ON {table} WHEN NEW.{column} = '{value}' BEGIN SELECT RAISE(ABORT, 'injected fault'); END;"),
        &format!(
            "CREATE FUNCTION fault() RETURNS trigger AS $$ BEGIN IF NEW.{column} = '{value}' THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
             CREATE TRIGGER fault BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION fault();"
        ),
    );
}

fn clear_fault(app: &TestApp, table: &str) {
    app.exec("DROP TRIGGER fault;", &format!("DROP TRIGGER fault ON {table}; DROP FUNCTION fault();"));
}

both_backends!(a_fault_at_any_op_leaves_each_op_whole, |app| {
    let tok = app.login("yishi.grid").await.access_token;
    // Faults while writing the effect (the premise, or a hazard of an inspection) and while
    // recording the result, at every position of a batch.
    for position in 0..4 {
        for (table, column) in [("premises", "id"), ("hazards", "id"), ("device_ops", "op_id")] {
            // Premises are written only by op 0 and hazards only by op 2 of the batch.
            if table == "premises" && position != 0 || table == "hazards" && position != 2 {
                continue;
            }
            let (d, pid, hazard) = worker_batch(&app, &format!("故障{position}{table}")).await;
            let target = match table {
                "premises" => pid.to_string(),
                "hazards" => hazard.to_string(),
                _ => d.outbox[position].op_id.to_string(),
            };
            inject_fault(&app, table, column, &target);
            let res = app.send_json(reqwest::Method::POST, api::SYNC_PUSH, Some(&d.token), &d.request(10)).await;
            expect_problem(res, 500, "internal").await;
            // Ops before the fault are applied and recorded; the faulty one and those after are not.
            let name = format!("故障{position}{table}");
            let exists = premises_named(&app, &tok, &name).await;
            assert_eq!(exists, i64::from(position > 0), "{table} at {position}");
            clear_fault(&app, table);
            let done = d.send(&app, 10).await;
            assert!(done.results.iter().all(|r| r.outcome.applied()), "{table} at {position}: {done:?}");
            assert_eq!(premises_named(&app, &tok, &name).await, 1);
            let again = d.send(&app, 10).await;
            assert_eq!(again, done);
        }
    }
    app.stop().await;
});

both_backends!(pull_delivers_every_visible_change_once_and_nothing_else, |app| {
    let w = app.login("yishi.grid").await;
    let mut d = Device::new(w.access_token.clone());
    let changes = d.pull_all(&app, 7).await;
    let keys: Vec<(String, String)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Upsert { record, .. } => Some(key(record)),
            _ => None,
        })
        .collect();
    let unique: HashSet<_> = keys.iter().cloned().collect();
    assert_eq!(unique.len(), keys.len(), "each record once");
    let seqs: Vec<i64> = changes
        .iter()
        .map(|c| match c {
            Change::Upsert { seq, .. } | Change::Remove { seq, .. } => *seq,
        })
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "in order");
    assert_eq!(d.of_kind("template").len(), 5);
    assert_eq!(d.of_kind("premise").len(), 4, "only the worker's own grid");
    assert_eq!(d.of_kind("org_unit").len(), 1, "the grid itself");
    // Nothing new: an empty page.
    assert!(d.pull_page(&app, 7).await.changes.is_empty());
    // New work by the same worker on another device reaches this one, once.
    let (mut other, pid, _) = worker_batch(&app, "新开超市").await;
    other.push_all(&app, 10).await;
    let fresh = d.pull_all(&app, 100).await;
    let kinds: Vec<String> = fresh
        .iter()
        .filter_map(|c| match c {
            Change::Upsert { record, .. } => Some(key(record).0),
            _ => None,
        })
        .collect();
    assert_eq!(kinds.iter().filter(|k| *k == "premise").count(), 1);
    assert_eq!(kinds.iter().filter(|k| *k == "inspection").count(), 1);
    assert_eq!(kinds.iter().filter(|k| *k == "hazard").count(), 1);
    assert!(d.records.contains_key(&("premise".into(), pid.to_string())));
    // Another township's office sees none of it.
    let mut theirs = Device::new(app.login("niudu.office").await.access_token);
    theirs.pull_all(&app, 500).await;
    assert!(!theirs.records.contains_key(&("premise".into(), pid.to_string())));
    assert!(theirs.of_kind("premise").iter().all(|p| p["data"]["address"].as_str().unwrap().starts_with("牛杜镇")));
    assert_eq!(theirs.of_kind("premise").len(), 24);
    app.stop().await;
});

both_backends!(a_stale_hazard_action_is_a_conflict_unless_still_valid, |app| {
    let (mut d, pid, _) = worker_batch(&app, "冲突超市").await;
    d.outbox.truncate(3);
    d.push_all(&app, 10).await;
    let office = app.login("yishi.office").await.access_token;
    let hz: xunjian_shared::hazard::HazardPage =
        expect_json(app.get(&format!("{}?premise_id={pid}", api::HAZARDS), &office).await, 200).await;
    let h = hz.items[0].clone();
    // Offline, the worker reports it rectified (seen at version 2) ...
    let act =
        |action| ActOnHazard { action, expected_version: 2, device_time: None, location: None, note: String::new() };
    d.queue(OpBody::ActOnHazard { id: h.id, act: act(A::ReportRectified { evidence: vec![] }) }, app.now());
    // ... while the office files it (version 3): reporting is still valid from filed → applied.
    fire::act_ok(&app, &office, h.id, A::File).await;
    d.push_all(&app, 10).await;
    let last = d.results.values().max_by_key(|r| r.seq).unwrap().clone();
    assert_eq!(last.outcome, OpOutcome::Applied { version: Some(4), merged: None });
    // Now the office re-checks and fails it (version 5); the worker's offline re-check at version 4
    // no longer fits.
    fire::act_ok(&app, &office, h.id, A::RecheckFail { new_deadline: app.now() + chrono::Duration::days(5) }).await;
    let recheck = ActOnHazard {
        action: A::RecheckPass { evidence: vec![fire::photo(1)] },
        expected_version: 4,
        device_time: None,
        location: None,
        note: String::new(),
    };
    d.queue(OpBody::ActOnHazard { id: h.id, act: recheck }, app.now());
    d.push_all(&app, 10).await;
    let last = d.results.values().max_by_key(|r| r.seq).unwrap().clone();
    match last.outcome {
        OpOutcome::Conflict { code, current, .. } => {
            assert_eq!(code, ErrorCode::TransitionNotAllowed);
            assert_eq!(current["status"], "filed");
            assert_eq!(current["version"], 5);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fire::hazard(&app, &office, h.id).await.hazard.version, 5, "the conflict changed nothing");
    app.stop().await;
});

both_backends!(offline_premise_edits_merge_field_by_field, |app| {
    let (mut d, pid, _) = worker_batch(&app, "合并超市").await;
    d.outbox.truncate(1);
    d.push_all(&app, 10).await;
    let office = app.login("yishi.office").await.access_token;
    let edit = serde_json::json!({"expected_version": 1, "responsible_phone": "13900000000", "notes": "办公室备注"});
    expect_json::<serde_json::Value>(
        app.send_json(reqwest::Method::PATCH, &api::premise(pid), Some(&office), &edit).await,
        200,
    )
    .await;
    // Offline at version 1, the worker changed the address and the notes.
    let changes =
        UpdatePremise {
            address: Some("新地址1号".into()), notes: Some("网格员备注".into()), ..Default::default()
        };
    d.queue(OpBody::UpdatePremise { id: pid, base_version: 1, changes }, app.now());
    d.push_all(&app, 10).await;
    let last = d.results.values().max_by_key(|r| r.seq).unwrap().clone();
    match &last.outcome {
        OpOutcome::Applied { version, merged } => {
            assert_eq!(*version, Some(3));
            let m = merged.as_ref().unwrap();
            assert_eq!(m["notes"]["server"], "办公室备注");
            assert_eq!(m["notes"]["device"], "网格员备注");
            assert!(m.get("address").is_none(), "only the office changed nothing there");
        }
        other => panic!("{other:?}"),
    }
    let p: xunjian_shared::premise::Premise = expect_json(app.get(&api::premise(pid), &office).await, 200).await;
    assert_eq!(
        (p.address.as_str(), p.notes.as_str(), p.responsible_phone.as_deref()),
        ("新地址1号", "网格员备注", Some("13900000000"))
    );
    let hist: Vec<xunjian_shared::premise::PremiseChange> =
        expect_json(app.get(&api::premise_history(pid), &office).await, 200).await;
    assert_eq!(hist.last().unwrap().change["conflicts"]["notes"]["server"], "办公室备注");
    app.stop().await;
});

both_backends!(scope_changes_and_restored_databases_reset_the_device, |app| {
    let w = app.login("yishi.grid").await;
    let mut d = Device::new(w.access_token.clone());
    d.pull_all(&app, 500).await;
    let mine: HashSet<String> =
        d.of_kind("premise").iter().map(|p| p["data"]["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(mine.len(), 4);
    // A premise moved out of the worker's grid is dropped from the phone.
    let office = app.login("yishi.office").await.access_token;
    let grids: xunjian_shared::api::List<xunjian_shared::org::OrgUnit> =
        expect_json(app.get(&format!("{}?level=grid", api::ORG_UNITS), &office).await, 200).await;
    let my_grid = w.user.org_chain.last().unwrap().id;
    let other_grid = grids.items.iter().find(|g| g.id != my_grid).unwrap().id;
    let moved = mine.iter().next().unwrap().clone();
    let body = serde_json::json!({"grid_id": other_grid});
    expect_json::<serde_json::Value>(
        app.send_json(reqwest::Method::PATCH, &api::premise(moved.parse().unwrap()), Some(&office), &body).await,
        200,
    )
    .await;
    let changes = d.pull_all(&app, 500).await;
    assert!(changes.iter().any(|c| matches!(c, Change::Remove { id, .. } if *id == moved)));
    assert_eq!(d.of_kind("premise").len(), 3);
    // The worker is moved to the other grid: the next pull starts over with the new grid.
    let admin = app.login("admin").await.access_token;
    let body = serde_json::json!({"org_unit_id": other_grid});
    expect_json::<serde_json::Value>(
        app.send_json(reqwest::Method::PATCH, &api::user(w.user.user.id), Some(&admin), &body).await,
        200,
    )
    .await;
    d.token = app.login("yishi.grid").await.access_token;
    let page = d.pull_page(&app, 500).await;
    assert!(page.reset);
    d.pull_all(&app, 500).await;
    assert_eq!(d.of_kind("premise").len(), 5, "the other grid's four and the moved one");
    // A restored database (new epoch) and a junk cursor both restart the feed.
    let db = app.app_db.clone();
    db.write(xunjian_server::db::changes::new_epoch).await.unwrap();
    assert!(d.pull_page(&app, 500).await.reset);
    d.cursor = Some("v1.nonsense".into());
    assert!(d.pull_page(&app, 500).await.reset);
    let r = app.get(&format!("{}?protocol=0", api::SYNC_PULL), &d.token).await;
    expect_problem(r, 426, "client_outdated").await;
    app.stop().await;
});

both_backends!(photos_are_checked_stored_once_and_served_in_scope, |app| {
    use sha2::Digest;
    let w = app.login("yishi.grid").await;
    let tok = w.access_token.as_str();
    let jpeg: Vec<u8> = [&[0xFF, 0xD8, 0xFF, 0xE0][..], &[7u8; 2000][..]].concat();
    let sha = hex(&sha2::Sha256::digest(&jpeg));
    let put = |sha: String, body: Vec<u8>| {
        app.request(reqwest::Method::PUT, &api::attachment(&sha), Some(tok)).body(body).send()
    };
    assert_eq!(put(sha.clone(), jpeg.clone()).await.unwrap().status(), 201);
    assert_eq!(put(sha.clone(), jpeg.clone()).await.unwrap().status(), 200, "again: no-op");
    // Wrong hash, wrong type, too large: refused, nothing stored.
    let other: Vec<u8> = [&[0xFF, 0xD8, 0xFF, 0xE0][..], &[8u8; 100][..]].concat();
    let wrong = hex(&sha2::Sha256::digest(b"something else"));
    expect_problem(put(wrong.clone(), other).await.unwrap(), 422, "hash_mismatch").await;
    let text = b"<html>not a photo</html>".to_vec();
    expect_problem(put(hex(&sha2::Sha256::digest(&text)), text).await.unwrap(), 415, "unsupported_file_type").await;
    let big: Vec<u8> = [&[0xFF, 0xD8, 0xFF, 0xE0][..], &vec![1u8; 5 * 1024 * 1024][..]].concat();
    let big_sha = hex(&sha2::Sha256::digest(&big));
    expect_problem(put(big_sha.clone(), big).await.unwrap(), 413, "payload_too_large").await;
    expect_problem(put("not-a-hash".into(), vec![]).await.unwrap(), 400, "invalid_parameter").await;
    for missing in [wrong, big_sha] {
        expect_problem(app.get(&api::attachment(&missing), tok).await, 404, "not_found").await;
        assert!(!app
            .settings
            .data_dir
            .join("attachments")
            .join(&missing[0..2])
            .join(&missing[2..4])
            .join(&missing)
            .exists());
    }
    // The uploader can read it; the township office only once a record in its scope uses it.
    let got = app.get(&api::attachment(&sha), tok).await;
    assert_eq!(got.headers()["content-type"], "image/jpeg");
    assert_eq!(got.bytes().await.unwrap().to_vec(), jpeg);
    let office = app.login("yishi.office").await.access_token;
    expect_problem(app.get(&api::attachment(&sha), &office).await, 404, "not_found").await;
    let t = template_for(&app, tok, PremiseType::StreetShop).await;
    let p = fire::premise_of(&app, tok, PremiseType::StreetShop).await;
    let mut insp = fire::inspection(&p, &t, &[], &[], app.now());
    insp.answers[0].photos = vec![xunjian_shared::PhotoRef::try_from(sha.clone()).unwrap()];
    fire::submit(&app, tok, &insp).await;
    assert_eq!(app.get(&api::attachment(&sha), &office).await.status(), 200);
    let niudu = app.login("niudu.office").await.access_token;
    expect_problem(app.get(&api::attachment(&sha), &niudu).await, 404, "not_found").await;
    app.stop().await;
});

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
