//! The traffic police (县公安局交警大队, 第八条), a receiving-only role: the road station refers a
//! vehicle parked on the road to them; they see that issue — in their list, its detail and
//! timeline, its photo — and nothing else of the county (no premises, hazards, other road issues,
//! dashboard, or sync feed beyond their notices and the public road register). They accept and record the outcome, the enforcement team may not; once
//! the station has closed it, it stays in their list by their work in its timeline. The fire
//! procedure refuses them as a target.

use super::*;
use crate::fire_hazards::reported;
use crate::road_issues::{act, detail, notices, patrol_with_photographed_findings};
use sha2::Digest;
use xunjian_shared::checklist::Severity;
use xunjian_shared::hazard::{ActOnHazard, ActionKind, HazardAction as A, HazardStatus, NoticeKind, ReferralTarget};
use xunjian_shared::road::issue::{FindingCategory, RoadIssueDetail, RoadIssuePage};
use xunjian_shared::PhotoRef;

/// How many records a list answer holds (a page's `items`, or a bare array).
fn listed(v: &serde_json::Value) -> usize {
    v.get("items").unwrap_or(v).as_array().map_or(usize::MAX, Vec::len)
}

/// Every road issue the caller's list gives.
async fn all_of(app: &TestApp, token: &str) -> RoadIssuePage {
    expect_json(app.get(api::ROAD_ISSUES, token).await, 200).await
}

both_backends!(parked_vehicles_go_to_the_traffic_police_who_see_that_and_nothing_else, |app| {
    let worker = app.login("yishi.patrol").await.access_token;
    let jpeg: Vec<u8> = [&[0xFF, 0xD8, 0xFF, 0xE0][..], &[9u8; 1500][..]].concat();
    let sha = format!("{:x}", sha2::Sha256::digest(&jpeg));
    let put = app.request(Method::PUT, &api::attachment(&sha), Some(&worker)).body(jpeg.clone()).send().await.unwrap();
    assert_eq!(put.status(), 201);
    let photo = PhotoRef::try_from(sha.clone()).unwrap();
    let (_, ids) = patrol_with_photographed_findings(
        &app,
        &worker,
        &[FindingCategory::IllegalParking, FindingCategory::Rubbish],
        &[photo],
    )
    .await;
    let (parked, rubbish) = (ids[0], ids[1]);
    let station = app.login("yishi.road").await.access_token;
    let police = app.login("police").await.access_token;

    // Before any referral the police see nothing of it, nor its photo.
    expect_problem(app.get(&api::road_issue(parked), &police).await, 404, "not_found").await;
    assert_eq!(all_of(&app, &police).await.total, 0);
    expect_problem(app.get(&api::attachment(&sha), &police).await, 404, "not_found").await;

    // The station refers the parked vehicle to them: told at once, in their queue, with its photo.
    let d = expect_json::<RoadIssueDetail>(
        act(&app, &station, parked, 1, A::Refer { to: ReferralTarget::TrafficPolice }).await,
        200,
    )
    .await;
    assert_eq!(d.issue.state.referred_to, Some(ReferralTarget::TrafficPolice));
    assert!(notices(&app, &police)
        .await
        .iter()
        .any(|n| n.road_issue_id == Some(parked) && n.kind == NoticeKind::NewReferral));
    let queue: RoadIssuePage = expect_json(
        app.get(&format!("{}?referred_to=traffic_police&status=referred,referral_accepted", api::ROAD_ISSUES), &police)
            .await,
        200,
    )
    .await;
    assert_eq!(queue.items.iter().map(|i| i.id).collect::<Vec<_>>(), vec![parked]);
    let all = all_of(&app, &police).await;
    assert_eq!((all.total, all.items.iter().map(|i| i.id).collect::<Vec<_>>()), (1, vec![parked]), "nothing else");
    let d = detail(&app, &police, parked).await;
    assert_eq!(d.allowed_actions, vec![ActionKind::AcceptReferral, ActionKind::ReturnReferral]);
    assert_eq!(d.timeline.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["register", "refer"]);
    let got = app.get(&api::attachment(&sha), &police).await;
    assert_eq!(got.status(), 200);
    assert_eq!(got.bytes().await.unwrap().to_vec(), jpeg);

    // Nothing else of the county: the other finding, premises, hazards, the dashboard, the feed.
    expect_problem(app.get(&api::road_issue(rubbish), &police).await, 404, "not_found").await;
    for path in [api::PREMISES, api::HAZARDS, api::SEGMENTS] {
        let r = app.get(path, &police).await;
        let status = r.status().as_u16();
        let v: serde_json::Value = r.json().await.unwrap_or_default();
        assert!(status == 403 || (status == 200 && listed(&v) == 0), "{path}: {status} {v}");
    }
    let dash = app.get(api::DASHBOARD, &police).await;
    assert_eq!(dash.status(), 403, "the county's figures are not theirs");
    let mut device = xunjian_tests::device::Device::new(police.clone());
    // The sync feed carries what is addressed to them — the referral's notice — and the public
    // road register (codes and names, as every role gets), nothing else.
    let pulled = device.pull_all(&app, 500).await.len();
    let (notes, roads) = (device.of_kind("notification").len(), device.of_kind("road").len());
    assert!(roads > 0, "the road register");
    assert_eq!((notes, pulled), (1, 1 + roads), "only their notice besides the roads");

    // Only the receiver works it: the enforcement team may not accept the police's referral.
    let enforce = app.login("yishi.enforce").await.access_token;
    expect_problem(act(&app, &enforce, parked, 2, A::AcceptReferral).await, 409, "not_the_receiver").await;
    expect_json::<RoadIssueDetail>(act(&app, &police, parked, 2, A::AcceptReferral).await, 200).await;
    let outcome = A::RecordOutcome { outcome: "已责令车主驶离，处以罚款".into() };
    let d: RoadIssueDetail = expect_json(act(&app, &police, parked, 3, outcome).await, 200).await;
    assert_eq!(d.issue.state.status, HazardStatus::EnforcementConcluded);
    // The police neither refer nor close anything.
    expect_problem(act(&app, &police, parked, 4, A::Close).await, 409, "role_not_allowed").await;

    // The station re-checks and closes it; it stays in the police's list, by their work.
    let evidence = xunjian_shared::PhotoRef::try_from("cd".repeat(32)).unwrap();
    let d: RoadIssueDetail =
        expect_json(act(&app, &station, parked, 4, A::RecheckPass { evidence: vec![evidence] }).await, 200).await;
    assert_eq!((d.issue.state.status, d.issue.state.referred_to), (HazardStatus::Closed, None));
    let all = all_of(&app, &police).await;
    assert_eq!(all.items.iter().map(|i| i.id).collect::<Vec<_>>(), vec![parked], "their done work");
    let d = detail(&app, &police, parked).await;
    assert!(d.allowed_actions.is_empty());
    let roles: Vec<&str> = d.timeline.iter().map(|e| e.actor_role.as_str()).collect();
    assert_eq!(roles, ["patrol_worker", "road_station", "traffic_police", "traffic_police", "road_station"]);
    assert_eq!(app.get(&api::attachment(&sha), &police).await.status(), 200);

    // The fire procedure has no such receiver.
    let hazard = reported(&app, Severity::General).await;
    let office = app.login("yishi.office").await.access_token;
    let body = ActOnHazard {
        action: A::Refer { to: ReferralTarget::TrafficPolice },
        expected_version: 1,
        device_time: None,
        location: None,
        note: String::new(),
    };
    let r = app.send_json(Method::POST, &api::hazard_actions(hazard), Some(&office), &body).await;
    expect_problem(r, 409, "not_the_receiver").await;
    app.stop().await;
});
