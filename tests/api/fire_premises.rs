//! The premises ledger and inspections.

use super::*;
use reqwest::Method;
use xunjian_shared::api;
use xunjian_shared::hazard::{HazardPage, HazardStatus};
use xunjian_shared::inspection::Inspection;
use xunjian_shared::premise::{CreatePremise, Premise, PremiseChange, PremisePage, PremiseType};
use xunjian_tests::fire::{self, premise_of, submit, template_for};

fn new_shop(grid: xunjian_shared::OrgUnitId) -> CreatePremise {
    CreatePremise {
        id: None,
        grid_id: grid,
        name: "老王五金店".into(),
        premise_type: PremiseType::StreetShop,
        address: "猗氏镇东街88号".into(),
        location: None,
        responsible_person: "王五".into(),
        responsible_phone: Some("13900001111".into()),
        notes: String::new(),
    }
}

both_backends!(grid_worker_registers_and_edits_premises_with_history, |app| {
    let w = app.login("yishi.grid").await;
    let tok = w.access_token.as_str();
    let grid = w.user.org_chain.last().unwrap().id;
    let p: Premise =
        expect_json(app.send_json(Method::POST, api::PREMISES, Some(tok), &new_shop(grid)).await, 201).await;
    assert_eq!((p.version, p.active), (1, true));
    let found: PremisePage = expect_json(app.get(&format!("{}?q=五金", api::PREMISES), tok).await, 200).await;
    assert_eq!(found.items.iter().map(|x| x.id).collect::<Vec<_>>(), vec![p.id]);
    // Edit with the right version, then a stale edit is refused and changes nothing.
    let edit = serde_json::json!({"expected_version": 1, "responsible_person": "王小五", "notes": "新店主"});
    let p2: Premise = expect_json(app.send_json(Method::PATCH, &api::premise(p.id), Some(tok), &edit).await, 200).await;
    assert_eq!((p2.version, p2.responsible_person.as_str()), (2, "王小五"));
    let stale = serde_json::json!({"expected_version": 1, "name": "旧名"});
    let r = app.send_json(Method::PATCH, &api::premise(p.id), Some(tok), &stale).await;
    expect_problem(r, 409, "stale_version").await;
    let off = serde_json::json!({"expected_version": 2, "active": false});
    let p3: Premise = expect_json(app.send_json(Method::PATCH, &api::premise(p.id), Some(tok), &off).await, 200).await;
    assert!(!p3.active);
    let hist: Vec<PremiseChange> = expect_json(app.get(&api::premise_history(p.id), tok).await, 200).await;
    assert_eq!(hist.iter().map(|h| h.version).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(hist[1].change["before"]["responsible_person"], "王五");
    assert_eq!(hist[1].change["after"]["responsible_person"], "王小五");
    assert_eq!(hist[2].change["after"], serde_json::json!({"active": false}));
    assert_eq!(hist[1].changed_by, Some(w.user.user.id));
    app.stop().await;
});

both_backends!(premises_belong_to_grids_in_scope, |app| {
    let office = app.login("yishi.office").await;
    let tok = office.access_token.as_str();
    let township = office.user.org_chain[1].id;
    let r = app.send_json(Method::POST, api::PREMISES, Some(tok), &new_shop(township)).await;
    expect_problem(r, 422, "validation_failed").await;
    let niudu = app.login("niudu.office").await;
    let their_grid = niudu.user.org_chain[1].id;
    let grids: xunjian_shared::api::List<xunjian_shared::org::OrgUnit> = expect_json(
        app.get(&format!("{}?level=grid&parent_id={their_grid}", api::ORG_UNITS), &niudu.access_token).await,
        200,
    )
    .await;
    assert!(grids.items.is_empty(), "grids are below villages");
    let all: xunjian_shared::api::List<xunjian_shared::org::OrgUnit> =
        expect_json(app.get(&format!("{}?level=grid", api::ORG_UNITS), &niudu.access_token).await, 200).await;
    let r = app.send_json(Method::POST, api::PREMISES, Some(tok), &new_shop(all.items[0].id)).await;
    expect_problem(r, 403, "out_of_scope").await;
    let mut bad = new_shop(office.user.org_chain[1].id);
    bad.name = "  ".into();
    let r = app.send_json(Method::POST, api::PREMISES, Some(tok), &bad).await;
    expect_problem(r, 422, "validation_failed").await;
    // Roles that do not keep the ledger cannot register premises.
    let road = app.login("yishi.road").await;
    let r = app.send_json(Method::POST, api::PREMISES, Some(&road.access_token), &new_shop(all.items[0].id)).await;
    expect_problem(r, 403, "forbidden").await;
    app.stop().await;
});

both_backends!(an_inspection_is_stored_once_and_registers_hazards, |app| {
    let w = app.login("yishi.grid").await;
    let tok = w.access_token.as_str();
    let t = template_for(&app, tok, PremiseType::StreetShop).await;
    let p = premise_of(&app, tok, PremiseType::StreetShop).await;
    let general = fire::hazard_items(&t, false);
    let (a, b) = (general[0].as_str(), general[1].as_str());
    let body = fire::inspection(&p, &t, &[a, b], &[a], app.now());
    let first = submit(&app, tok, &body).await;
    assert_eq!(first.hazard_count, 2);
    assert_eq!(first.submitted.template_id, t.id);
    // Re-sent (a retry after a lost answer): the same stored inspection, nothing doubled.
    let again = submit(&app, tok, &body).await;
    assert_eq!(again, first);
    let list: Vec<Inspection> = expect_json(app.get(&api::premise_inspections(p.id), tok).await, 200).await;
    assert_eq!(list.len(), 1);
    let page: HazardPage = expect_json(app.get(&format!("{}?premise_id={}", api::HAZARDS, p.id), tok).await, 200).await;
    assert_eq!(page.total, 2);
    let fixed = page.items.iter().find(|h| h.item_id.as_deref() == Some(a)).unwrap();
    let open = page.items.iter().find(|h| h.item_id.as_deref() == Some(b)).unwrap();
    assert_eq!(fixed.state.status, HazardStatus::Closed, "fixed on the spot and closed");
    assert_eq!(open.state.status, HazardStatus::RectificationOrdered);
    assert_eq!(open.state.deadline, Some(app.now() + chrono::Duration::days(10)), "default general deadline");
    let detail = fire::hazard(&app, tok, fixed.id).await;
    let steps: Vec<&str> = detail.timeline.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(steps, ["register", "fix_on_spot", "close"]);
    assert_eq!(detail.timeline[0].actor_name.as_deref(), Some("张网格"));
    // The same id with different content is refused.
    let mut other = body.clone();
    other.notes = "改过".into();
    let r = app.send_json(Method::POST, api::INSPECTIONS, Some(tok), &other).await;
    expect_problem(r, 409, "already_exists").await;
    // A later inspection failing the same item does not register a second open hazard.
    let next = fire::inspection(&p, &t, &[b], &[], app.now());
    assert_eq!(submit(&app, tok, &next).await.hazard_count, 0);
    app.stop().await;
});

both_backends!(inspections_are_checked_against_their_template, |app| {
    let w = app.login("yishi.grid").await;
    let tok = w.access_token.as_str();
    let t = template_for(&app, tok, PremiseType::StreetShop).await;
    let p = premise_of(&app, tok, PremiseType::StreetShop).await;
    let mut body = fire::inspection(&p, &t, &[], &[], app.now());
    let required = t.content.items.iter().rposition(|i| !i.optional).unwrap();
    let missing = body.answers.remove(required);
    let r = app.send_json(Method::POST, api::INSPECTIONS, Some(tok), &body).await;
    let problem = expect_problem(r, 422, "validation_failed").await;
    assert!(problem.detail.unwrap().contains(&missing.item_id));
    // A template for another type of premise.
    let wrong = template_for(&app, tok, PremiseType::Residential).await;
    let body = fire::inspection(&p, &wrong, &[], &[], app.now());
    let r = app.send_json(Method::POST, api::INSPECTIONS, Some(tok), &body).await;
    expect_problem(r, 422, "validation_failed").await;
    // Finished before started; fixed-on-spot of an item that did not fail.
    let mut body = fire::inspection(&p, &t, &[], &[], app.now());
    body.finished_at = body.started_at - chrono::Duration::minutes(1);
    expect_problem(app.send_json(Method::POST, api::INSPECTIONS, Some(tok), &body).await, 422, "validation_failed")
        .await;
    let ok_item = fire::hazard_items(&t, false)[0].clone();
    let body = fire::inspection(&p, &t, &[], &[ok_item.as_str()], app.now());
    expect_problem(app.send_json(Method::POST, api::INSPECTIONS, Some(tok), &body).await, 422, "validation_failed")
        .await;
    // Nothing was stored by any of these.
    let list: Vec<Inspection> = expect_json(app.get(&api::premise_inspections(p.id), tok).await, 200).await;
    assert!(list.is_empty());
    // Only inspecting roles submit.
    let road = app.login("yishi.road").await;
    let body = fire::inspection(&p, &t, &[], &[], app.now());
    expect_problem(
        app.send_json(Method::POST, api::INSPECTIONS, Some(&road.access_token), &body).await,
        403,
        "forbidden",
    )
    .await;
    // 其他情况及整改要求（没有可不填） left blank, as its words allow: accepted (issue 20; it was
    // refused as not answered).
    let mut body = fire::inspection(&p, &t, &[], &[], app.now());
    let before = body.answers.len();
    body.answers.retain(|a| a.item_id != "remarks");
    assert_eq!(body.answers.len(), before - 1, "the street-shop checklist has its remarks item");
    let saved = submit(&app, tok, &body).await;
    assert!(saved.submitted.answers.iter().all(|a| a.item_id != "remarks"));
    app.stop().await;
});

both_backends!(templates_are_versioned_and_immutable, |app| {
    let admin = app.login("admin").await;
    let w = app.login("yishi.grid").await;
    let v1 = template_for(&app, &w.access_token, PremiseType::StreetShop).await;
    assert_eq!(v1.version, 1);
    let p = premise_of(&app, &w.access_token, PremiseType::StreetShop).await;
    let done = submit(&app, &w.access_token, &fire::inspection(&p, &v1, &[], &[], app.now())).await;
    let mut content = v1.content.clone();
    content.title = "沿街门店消防安全检查表（2027版）".into();
    content.items.truncate(9);
    let r = app.send_json(Method::POST, api::TEMPLATES, Some(&w.access_token), &content).await;
    expect_problem(r, 403, "forbidden").await;
    let v2: xunjian_shared::checklist::Template =
        expect_json(app.send_json(Method::POST, api::TEMPLATES, Some(&admin.access_token), &content).await, 201).await;
    assert_eq!(v2.version, 2);
    assert_eq!(template_for(&app, &w.access_token, PremiseType::StreetShop).await.id, v2.id);
    // The old version and the inspection made with it are unchanged.
    let old: xunjian_shared::checklist::Template =
        expect_json(app.get(&api::template(v1.id), &w.access_token).await, 200).await;
    assert_eq!(old, v1);
    let insp: Inspection = expect_json(app.get(&api::inspection(done.submitted.id), &w.access_token).await, 200).await;
    assert_eq!(insp.submitted.template_id, v1.id);
    // A broken template is refused.
    content.items[1].id = content.items[0].id.clone();
    let r = app.send_json(Method::POST, api::TEMPLATES, Some(&admin.access_token), &content).await;
    expect_problem(r, 422, "validation_failed").await;
    app.stop().await;
});

both_backends!(today_lists_due_premises_and_hazards_waiting_for_me, |app| {
    use xunjian_shared::today::Today;
    let w = app.login("yishi.grid").await;
    let tok = w.access_token.as_str();
    let before: Today = expect_json(app.get(api::TODAY, tok).await, 200).await;
    assert_eq!(before.premises_due_total, 4, "the four demo premises of the worker's grid");
    assert!(before.hazards.is_empty());
    let t = template_for(&app, tok, PremiseType::StreetShop).await;
    let p = premise_of(&app, tok, PremiseType::StreetShop).await;
    let item = fire::hazard_items(&t, false)[0].clone();
    submit(&app, tok, &fire::inspection(&p, &t, &[item.as_str()], &[], app.now())).await;
    let after: Today = expect_json(app.get(api::TODAY, tok).await, 200).await;
    assert_eq!(after.premises_due_total, 3);
    assert!(after.premises_due.iter().all(|d| d.premise.id != p.id));
    assert_eq!(after.hazards.len(), 1, "the hazard to rectify and re-check");
    let office: Today =
        expect_json(app.get(api::TODAY, &app.login("yishi.office").await.access_token).await, 200).await;
    assert_eq!(office.premises_due_total, 3 * 2 * 4 - 1);
    assert_eq!(office.hazards.len(), 1, "the rectification to file");
    let patrol: Today =
        expect_json(app.get(api::TODAY, &app.login("yishi.patrol").await.access_token).await, 200).await;
    assert_eq!((patrol.premises_due_total, patrol.hazards.len()), (0, 0));
    // Next month everything is due again.
    app.clock.advance(chrono::Duration::days(31));
    let next: Today = expect_json(app.get(api::TODAY, &app.login("yishi.grid").await.access_token).await, 200).await;
    assert_eq!(next.premises_due_total, 4);
    assert_eq!(next.premises_due.last().unwrap().premise.id, p.id, "the inspected one comes last");
    app.stop().await;
});
