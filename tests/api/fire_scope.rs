//! A user of one township cannot see or touch another township's premises, inspections, hazards
//! or notifications — every object endpoint tried.

use super::*;
use reqwest::Method;
use xunjian_shared::api;
use xunjian_shared::hazard::{ActOnHazard, HazardAction, HazardPage};
use xunjian_shared::notification::Notification;
use xunjian_shared::premise::{PremisePage, PremiseType};
use xunjian_tests::fire::{self, premise_of, submit, template_for};

both_backends!(another_township_sees_and_touches_nothing, |app| {
    let w = app.login("yishi.grid").await;
    let tok = w.access_token.as_str();
    let t = template_for(&app, tok, PremiseType::StreetShop).await;
    let p = premise_of(&app, tok, PremiseType::StreetShop).await;
    let item = fire::hazard_items(&t, false)[0].clone();
    let insp = submit(&app, tok, &fire::inspection(&p, &t, &[item.as_str()], &[], app.now())).await;
    let page: HazardPage = expect_json(app.get(&format!("{}?premise_id={}", api::HAZARDS, p.id), tok).await, 200).await;
    let h = page.items[0].clone();
    let office = app.login("yishi.office").await.access_token;
    let refer = ActOnHazard {
        action: HazardAction::Refer { to: xunjian_shared::hazard::ReferralTarget::Enforcement },
        expected_version: h.version,
        device_time: None,
        location: None,
        note: String::new(),
    };
    let ok: xunjian_shared::hazard::HazardDetail =
        expect_json(app.send_json(Method::POST, &api::hazard_actions(h.id), Some(&office), &refer).await, 200).await;
    let mine: Vec<Notification> =
        expect_json(app.get(api::NOTIFICATIONS, &app.login("yishi.enforce").await.access_token).await, 200).await;
    let note = mine.iter().find(|n| n.hazard_id == Some(h.id)).expect("enforcement notified").id;

    for other in ["niudu.office"] {
        let o = app.login(other).await.access_token;
        let o = o.as_str();
        expect_problem(app.get(&api::premise(p.id), o).await, 404, "not_found").await;
        expect_problem(app.get(&api::premise_history(p.id), o).await, 404, "not_found").await;
        expect_problem(app.get(&api::premise_inspections(p.id), o).await, 404, "not_found").await;
        let edit = serde_json::json!({"name": "改名"});
        expect_problem(app.send_json(Method::PATCH, &api::premise(p.id), Some(o), &edit).await, 404, "not_found").await;
        expect_problem(app.get(&api::inspection(insp.submitted.id), o).await, 404, "not_found").await;
        expect_problem(app.get(&api::hazard(h.id), o).await, 404, "not_found").await;
        let act = ActOnHazard { expected_version: ok.hazard.version, ..refer.clone() };
        let r = app.send_json(Method::POST, &api::hazard_actions(h.id), Some(o), &act).await;
        expect_problem(r, 404, "not_found").await;
        let r = app.request(Method::POST, &api::notification_read(note), Some(o)).send().await.unwrap();
        expect_problem(r, 404, "not_found").await;
        // Lists never include it, and narrowing to the other township is refused.
        let theirs: PremisePage = expect_json(app.get(&format!("{}?limit=500", api::PREMISES), o).await, 200).await;
        assert!(theirs.items.iter().all(|x| x.id != p.id));
        assert_eq!(theirs.total, 3 * 2 * 4, "their own 24 premises only");
        let hz: HazardPage = expect_json(app.get(api::HAZARDS, o).await, 200).await;
        assert_eq!(hz.total, 0);
        let yishi = w.user.org_chain[1].id;
        expect_problem(app.get(&format!("{}?org_unit_id={yishi}", api::HAZARDS), o).await, 403, "out_of_scope").await;
        expect_problem(app.get(&format!("{}?org_unit_id={yishi}", api::PREMISES), o).await, 403, "out_of_scope").await;
        // Nor can they inspect it.
        let body = fire::inspection(&p, &t, &[], &[], app.now());
        let r = app
            .send_json(Method::POST, api::INSPECTIONS, Some(&app.login("niudu.office").await.access_token), &body)
            .await;
        expect_problem(r, 404, "not_found").await;
    }
    // The enforcement team's own notification is still unread: nobody else could mark it.
    let enf = app.login("yishi.enforce").await.access_token;
    let unread: Vec<Notification> =
        expect_json(app.get(&format!("{}?unread=true", api::NOTIFICATIONS), &enf).await, 200).await;
    assert!(unread.iter().any(|n| n.id == note));
    let r = app.request(Method::POST, &api::notification_read(note), Some(&enf)).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let unread: Vec<Notification> =
        expect_json(app.get(&format!("{}?unread=true", api::NOTIFICATIONS), &enf).await, 200).await;
    assert!(unread.iter().all(|n| n.id != note));
    // The county-wide fire brigade sees it.
    let brigade = app.login("brigade").await.access_token;
    assert_eq!(fire::hazard(&app, &brigade, h.id).await.hazard.id, h.id);
    app.stop().await;
});
