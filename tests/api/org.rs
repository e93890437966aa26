//! The county tree and scope: a township sees and changes only its own subtree.

use super::*;
use reqwest::Method;
use xunjian_shared::api;
use xunjian_shared::api::List;
use xunjian_shared::org::{CreateOrgUnit, OrgLevel, OrgUnit};

async fn unit_by_name(app: &TestApp, token: &str, level: &str, name: &str) -> OrgUnit {
    let list: List<OrgUnit> =
        expect_json(app.get(&format!("{}?level={level}", api::ORG_UNITS), token).await, 200).await;
    list.items.into_iter().find(|u| u.name == name).unwrap_or_else(|| panic!("{name} not visible"))
}

both_backends!(county_sees_all_townships_township_only_itself, |app| {
    let admin = app.login("admin").await;
    let all: List<OrgUnit> =
        expect_json(app.get(&format!("{}?level=township", api::ORG_UNITS), &admin.access_token).await, 200).await;
    assert_eq!(all.items.len(), 14);
    assert!(all.items.iter().all(|u| u.level == OrgLevel::Township));
    let office = app.login("yishi.office").await;
    let mine: List<OrgUnit> =
        expect_json(app.get(&format!("{}?level=township", api::ORG_UNITS), &office.access_token).await, 200).await;
    let names: Vec<_> = mine.items.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["猗氏镇"]);
    let whole: List<OrgUnit> = expect_json(app.get(api::ORG_UNITS, &office.access_token).await, 200).await;
    assert_eq!(whole.items.len(), 1 + 3 + 6, "township, 3 villages, 6 grids");
    app.stop().await;
});

both_backends!(township_office_cannot_read_or_change_another_township, |app| {
    let admin = app.login("admin").await;
    let niudu = unit_by_name(&app, &admin.access_token, "township", "牛杜镇").await;
    let office = app.login("yishi.office").await;
    let tok = office.access_token.as_str();
    expect_problem(app.get(&api::org_unit(niudu.id), tok).await, 404, "not_found").await;
    let children: List<OrgUnit> =
        expect_json(app.get(&format!("{}?parent_id={}", api::ORG_UNITS, niudu.id), tok).await, 200).await;
    assert!(children.items.is_empty());
    let rename = serde_json::json!({"name": "改名镇"});
    let r = app.send_json(Method::PATCH, &api::org_unit(niudu.id), Some(tok), &rename).await;
    expect_problem(r, 404, "not_found").await;
    let village = CreateOrgUnit { id: None, code: "140821101099".into(), name: "新村".into(), parent_id: niudu.id };
    let r = app.send_json(Method::POST, api::ORG_UNITS, Some(tok), &village).await;
    expect_problem(r, 403, "out_of_scope").await;
    // Nothing changed.
    let still = unit_by_name(&app, &admin.access_token, "township", "牛杜镇").await;
    assert_eq!(still, niudu);
    app.stop().await;
});

both_backends!(township_office_manages_villages_and_grids_below_it, |app| {
    let office = app.login("yishi.office").await;
    let tok = office.access_token.as_str();
    let own = &office.user.org_chain[1];
    let village = CreateOrgUnit { id: None, code: "140821100099".into(), name: "新建村".into(), parent_id: own.id };
    let created: OrgUnit =
        expect_json(app.send_json(Method::POST, api::ORG_UNITS, Some(tok), &village).await, 201).await;
    assert_eq!(created.level, OrgLevel::Village);
    assert_eq!(created.parent_id, Some(own.id));
    let grid =
        CreateOrgUnit { id: None, code: "140821100099-01".into(), name: "第一网格".into(), parent_id: created.id };
    let g: OrgUnit = expect_json(app.send_json(Method::POST, api::ORG_UNITS, Some(tok), &grid).await, 201).await;
    assert_eq!(g.level, OrgLevel::Grid);
    // No level below a grid; codes are unique; a township cannot rename itself.
    let below = CreateOrgUnit { id: None, code: "x-1".into(), name: "子网格".into(), parent_id: g.id };
    expect_problem(app.send_json(Method::POST, api::ORG_UNITS, Some(tok), &below).await, 422, "validation_failed")
        .await;
    expect_problem(app.send_json(Method::POST, api::ORG_UNITS, Some(tok), &village).await, 409, "already_exists").await;
    let r = app.send_json(Method::PATCH, &api::org_unit(own.id), Some(tok), &serde_json::json!({"name": "x"})).await;
    expect_problem(r, 403, "forbidden").await;
    // Deactivate the new village; the change is kept in the audit log.
    let r = app
        .send_json(Method::PATCH, &api::org_unit(created.id), Some(tok), &serde_json::json!({"active": false}))
        .await;
    let after: OrgUnit = expect_json(r, 200).await;
    assert!(!after.active);
    let db = app.app_db.clone();
    let id = created.id.to_string();
    let n = db.read(move |c| xunjian_server::db::audit::count_for(c, "org_unit", &id)).await.unwrap();
    assert_eq!(n, 2, "create and update audited");
    app.stop().await;
});

both_backends!(field_roles_cannot_change_the_tree, |app| {
    let grid = app.login("yishi.grid").await;
    let parent = grid.user.org_chain.last().unwrap().id;
    let body = CreateOrgUnit { id: None, code: "zz-1".into(), name: "网格".into(), parent_id: parent };
    let r = app.send_json(Method::POST, api::ORG_UNITS, Some(&grid.access_token), &body).await;
    expect_problem(r, 403, "forbidden").await;
    app.stop().await;
});
