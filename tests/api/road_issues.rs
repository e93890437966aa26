//! Road issues: a patrol finding goes to the road station, to enforcement and back to closed
//! through the shared hazard machine with road roles; overdue supervision; works filings that an
//! unfiled-works finding links to; who sees what.

use super::*;
use chrono::{Duration, NaiveDate};
use reqwest::Method;
use xunjian_shared::api;
use xunjian_shared::hazard::{ActOnHazard, HazardAction as A, HazardStatus, NoticeKind, ReferralTarget};
use xunjian_shared::notification::Notification;
use xunjian_shared::premise::GeoPoint;
use xunjian_shared::road::checklist::{RoadCheck, RoadCheckItem};
use xunjian_shared::road::issue::{FindingCategory, RoadFinding, RoadIssueDetail, RoadIssuePage};
use xunjian_shared::road::patrol::{Patrol, PatrolSummary, SubmitPatrol};
use xunjian_shared::road::register::Segment;
use xunjian_shared::road::track::TrackPoint;
use xunjian_shared::road::works::{ActOnWorks, FileWorks, Works, WorksAction, WorksKind, WorksStatus};
use xunjian_shared::road::ResponsibleUnit;
use xunjian_shared::sync::{OpBody, OpOutcome};
use xunjian_shared::{PatrolId, RoadIssueId};

/// The patrol worker walks their segment and reports findings of `categories` on it.
pub(crate) async fn patrol_with_findings(
    app: &TestApp,
    token: &str,
    categories: &[FindingCategory],
) -> (Patrol, Vec<RoadIssueId>) {
    patrol_with_photographed_findings(app, token, categories, &[]).await
}

/// [`patrol_with_findings`] with `photos` on every finding.
pub(crate) async fn patrol_with_photographed_findings(
    app: &TestApp,
    token: &str,
    categories: &[FindingCategory],
    photos: &[xunjian_shared::PhotoRef],
) -> (Patrol, Vec<RoadIssueId>) {
    let seg: Vec<Segment> = expect_json(app.get(api::SEGMENTS, token).await, 200).await;
    let seg = &seg[0];
    let start = app.now() - Duration::hours(2);
    let (a, b) = (seg.polyline[0], seg.polyline[seg.polyline.len() - 1]);
    let track: Vec<TrackPoint> = (0..=100)
        .map(|i| {
            let f = f64::from(i) / 100.0;
            TrackPoint {
                lat: a.lat + f * (b.lat - a.lat),
                lon: a.lon + f * (b.lon - a.lon),
                t: start + Duration::seconds(i64::from(i) * 30),
                acc: 5.0,
            }
        })
        .collect();
    let findings: Vec<RoadFinding> = categories
        .iter()
        .map(|c| RoadFinding {
            id: RoadIssueId::new(),
            segment_id: seg.id,
            category: *c,
            description: format!("{}，位置见照片", c.label_zh()),
            location: GeoPoint { lat: a.lat, lon: a.lon, accuracy_m: Some(6.0) },
            photos: photos.to_vec(),
            found_at: start + Duration::minutes(10),
        })
        .collect();
    let body = SubmitPatrol {
        id: PatrolId::new(),
        segment_ids: vec![seg.id],
        started_at: start,
        ended_at: start + Duration::hours(2), // a 5 km walk at 4.8 km/h is 62 min: every fix inside the patrol
        track,
        checks: RoadCheckItem::ALL
            .into_iter()
            .map(|item| RoadCheck {
                item,
                pass: item != RoadCheckItem::Ditches,
                photo: None,
                location: None,
                note: None,
            })
            .collect(),
        findings: findings.clone(),
        notes: String::new(),
    };
    let p: Patrol = expect_json(app.send_json(Method::POST, api::PATROLS, Some(token), &body).await, 201).await;
    (p, findings.iter().map(|f| f.id).collect())
}

pub(crate) async fn act(app: &TestApp, token: &str, id: RoadIssueId, version: i64, action: A) -> reqwest::Response {
    let body =
        ActOnHazard { action, expected_version: version, device_time: None, location: None, note: String::new() };
    app.send_json(Method::POST, &api::road_issue_actions(id), Some(token), &body).await
}

pub(crate) async fn detail(app: &TestApp, token: &str, id: RoadIssueId) -> RoadIssueDetail {
    expect_json(app.get(&api::road_issue(id), token).await, 200).await
}

pub(crate) async fn notices(app: &TestApp, token: &str) -> Vec<Notification> {
    expect_json(app.get(api::NOTIFICATIONS, token).await, 200).await
}

both_backends!(a_finding_goes_to_enforcement_and_back_to_closed, |app| {
    let worker = app.login("yishi.patrol").await.access_token;
    let (patrol, ids) = patrol_with_findings(&app, &worker, &[FindingCategory::GrainDrying]).await;
    let id = ids[0];
    assert_eq!(patrol.submitted.findings.len(), 1);
    // Sending the same patrol again registers nothing twice.
    let station = app.login("yishi.road").await.access_token;
    let page: RoadIssuePage =
        expect_json(app.get(&format!("{}?status=registered", api::ROAD_ISSUES), &station).await, 200).await;
    assert_eq!(page.items.iter().filter(|i| i.id == id).count(), 1);
    let d = detail(&app, &station, id).await;
    assert_eq!(d.issue.state.status, HazardStatus::Registered);
    assert_eq!(d.issue.patrol_id, Some(patrol.submitted.id));
    assert!(d.place.starts_with("X321") || d.place.contains(" km"), "{}", d.place);
    assert!(d.allowed_actions.contains(&xunjian_shared::hazard::ActionKind::Refer));
    // The road station heard of it.
    let n = notices(&app, &station).await;
    assert!(n.iter().any(|n| n.road_issue_id == Some(id) && n.kind == NoticeKind::NewFinding), "{n:?}");

    // The fire brigade has no part in road issues; the station refers to enforcement.
    expect_problem(
        act(&app, &station, id, 1, A::Refer { to: ReferralTarget::FireBrigade }).await,
        409,
        "not_the_receiver",
    )
    .await;
    expect_problem(
        act(&app, &worker, id, 1, A::Refer { to: ReferralTarget::Enforcement }).await,
        409,
        "role_not_allowed",
    )
    .await;
    let d: RoadIssueDetail =
        expect_json(act(&app, &station, id, 1, A::Refer { to: ReferralTarget::Enforcement }).await, 200).await;
    assert_eq!(d.issue.state.status, HazardStatus::Referred);
    let enforce = app.login("yishi.enforce").await.access_token;
    assert!(notices(&app, &enforce)
        .await
        .iter()
        .any(|n| n.road_issue_id == Some(id) && n.kind == NoticeKind::NewReferral));
    let queue: RoadIssuePage =
        expect_json(app.get(&format!("{}?referred_to=enforcement", api::ROAD_ISSUES), &enforce).await, 200).await;
    assert!(queue.items.iter().any(|i| i.id == id));
    // Enforcement returns it once, the station refers again, enforcement accepts and concludes.
    let d: RoadIssueDetail =
        expect_json(act(&app, &enforce, id, 2, A::ReturnReferral { reason: "请先补充照片".into() }).await, 200).await;
    assert_eq!(d.issue.state.status, HazardStatus::Returned);
    assert!(notices(&app, &station)
        .await
        .iter()
        .any(|n| n.road_issue_id == Some(id) && n.kind == NoticeKind::ReferralReturned));
    expect_json::<RoadIssueDetail>(act(&app, &station, id, 3, A::Refer { to: ReferralTarget::Enforcement }).await, 200)
        .await;
    expect_json::<RoadIssueDetail>(act(&app, &enforce, id, 4, A::AcceptReferral).await, 200).await;
    let d: RoadIssueDetail =
        expect_json(act(&app, &enforce, id, 5, A::RecordOutcome { outcome: "责令清除，已清除".into() }).await, 200)
            .await;
    assert_eq!(d.issue.state.status, HazardStatus::EnforcementConcluded);
    // The station re-checks and closes; a stale version is refused.
    expect_problem(act(&app, &station, id, 5, A::RecheckPass { evidence: vec![] }).await, 409, "stale_version").await;
    expect_problem(act(&app, &station, id, 6, A::RecheckPass { evidence: vec![] }).await, 422, "evidence_required")
        .await;
    let photo = xunjian_shared::PhotoRef::try_from("ab".repeat(32)).unwrap();
    let d: RoadIssueDetail =
        expect_json(act(&app, &station, id, 6, A::RecheckPass { evidence: vec![photo] }).await, 200).await;
    assert_eq!(d.issue.state.status, HazardStatus::Closed);
    assert!(d.issue.closed_at.is_some());
    let steps: Vec<&str> = d.timeline.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        steps,
        ["register", "refer", "return_referral", "refer", "accept_referral", "record_outcome", "recheck_pass"]
    );
    assert_eq!(d.timeline[0].actor_role, "patrol_worker");
    assert!(d.allowed_actions.is_empty());

    // The patrol worker's phone pulls the issue with its outcome.
    let mut phone = xunjian_tests::device::Device::new(worker.clone());
    phone.pull_all(&app, 500).await;
    let issues = phone.of_kind("road_issue");
    assert_eq!(issues.len(), 3, "this one and the demo month's two: {issues:?}");
    let mine: Vec<_> = issues.iter().filter(|r| r["data"]["id"] == id.to_string()).collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["data"]["status"], "closed");
    assert_eq!(mine[0]["data"]["version"], 7);

    // Another township's station and patrol worker cannot see it; a grid worker cannot either.
    for who in ["niudu.office", "niudu.patrol", "yishi.grid"] {
        let t = app.login(who).await.access_token;
        expect_problem(app.get(&api::road_issue(id), &t).await, 404, "not_found").await;
    }
    app.stop().await;
});

both_backends!(an_ordered_road_repair_goes_overdue_once, |app| {
    let worker = app.login("yishi.patrol").await.access_token;
    let (_, ids) = patrol_with_findings(&app, &worker, &[FindingCategory::PavementDamage]).await;
    let id = ids[0];
    let station = app.login("yishi.road").await.access_token;
    let deadline = app.now() + Duration::days(3);
    expect_json::<RoadIssueDetail>(act(&app, &station, id, 1, A::OrderRectification { deadline }).await, 200).await;
    app.clock.advance(Duration::days(4));
    let (worker, station) = (app.login("yishi.patrol").await.access_token, app.login("yishi.road").await.access_token);
    assert_eq!(app.run_scheduler().road_overdue, 1);
    assert_eq!(app.run_scheduler().road_overdue, 0, "exactly once");
    let d = detail(&app, &station, id).await;
    assert_eq!(d.issue.state.status, HazardStatus::Supervised);
    assert_eq!(d.timeline.last().unwrap().actor_role, "system");
    assert!(notices(&app, &worker).await.iter().any(|n| n.road_issue_id == Some(id) && n.kind == NoticeKind::Overdue));
    // The worker reports it repaired from the phone, offline (through the sync op).
    let mut phone = xunjian_tests::device::Device::new(worker.clone());
    let act = |action| OpBody::ActOnRoadIssue {
        id,
        act: ActOnHazard { action, expected_version: 3, device_time: None, location: None, note: String::new() },
    };
    let done = phone.queue(act(A::ReportRectified { evidence: vec![] }), app.now());
    phone.push_all(&app, 10).await;
    assert!(matches!(phone.results[&done.to_string()].outcome, OpOutcome::Applied { version: Some(4), .. }));
    assert_eq!(detail(&app, &station, id).await.issue.state.status, HazardStatus::Rectified);
    // A fix on the spot made offline before all this is now a conflict the worker sees.
    let late = phone.queue(
        OpBody::ActOnRoadIssue {
            id,
            act: ActOnHazard {
                action: A::FixOnSpot { evidence: vec![xunjian_shared::PhotoRef::try_from("cd".repeat(32)).unwrap()] },
                expected_version: 1,
                device_time: None,
                location: None,
                note: String::new(),
            },
        },
        app.now(),
    );
    phone.push_all(&app, 10).await;
    assert!(
        matches!(&phone.results[&late.to_string()].outcome, OpOutcome::Conflict { code, .. } if code.as_str() == "transition_not_allowed"),
        "{:?}",
        phone.results[&late.to_string()]
    );
    assert_eq!(detail(&app, &station, id).await.issue.version, 4);
    app.stop().await;
});

both_backends!(works_are_filed_approved_and_done_and_a_finding_links_to_them, |app| {
    let worker = app.login("yishi.patrol").await.access_token;
    let (_, ids) = patrol_with_findings(&app, &worker, &[FindingCategory::UnfiledWorks]).await;
    let station = app.login("yishi.road").await.access_token;
    let issue = detail(&app, &station, ids[0]).await.issue;
    let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    let filing = FileWorks {
        id: None,
        segment_id: issue.segment_id,
        kind: WorksKind::Pipe,
        applicant: "东张村委会 王某 13800000000".into(),
        description: "横穿路面埋设排水管一处，宽0.5米".into(),
        planned_from: day(5),
        planned_to: day(7),
        location: Some(issue.location),
        issue_id: Some(issue.id),
    };
    // Patrol workers and other townships may not file; bad dates are refused.
    expect_problem(app.send_json(Method::POST, api::ROAD_WORKS, Some(&worker), &filing).await, 403, "forbidden").await;
    let bad = FileWorks { planned_to: day(1), ..filing.clone() };
    expect_problem(app.send_json(Method::POST, api::ROAD_WORKS, Some(&station), &bad).await, 422, "validation_failed")
        .await;
    let w: Works = expect_json(app.send_json(Method::POST, api::ROAD_WORKS, Some(&station), &filing).await, 201).await;
    assert_eq!(w.status, WorksStatus::Requested);
    let works_id = w.filed.id.unwrap();
    // The finding now names the filing; linking it twice is refused.
    assert_eq!(detail(&app, &station, ids[0]).await.issue.works_id, Some(works_id));
    let again = FileWorks { id: None, ..filing.clone() };
    expect_problem(app.send_json(Method::POST, api::ROAD_WORKS, Some(&station), &again).await, 409, "conflict").await;
    // Not done before approval; approved; done.
    let step = |action, v| ActOnWorks { action, expected_version: v };
    let url = api::road_works_actions(works_id);
    expect_problem(
        app.send_json(Method::POST, &url, Some(&station), &step(WorksAction::Complete, 1)).await,
        409,
        "transition_not_allowed",
    )
    .await;
    expect_problem(
        app.send_json(Method::POST, &url, Some(&station), &step(WorksAction::Refuse { reason: " ".into() }, 1)).await,
        422,
        "reason_required",
    )
    .await;
    // On a 乡道 the filing is the township's (第五条), and an approval names the 行政审批局's number.
    assert_eq!(w.filed_with, ResponsibleUnit::Township);
    let bare = WorksAction::Approve { conditions: "施工后三日内恢复路面".into(), approval_ref: " ".into() };
    let p = expect_problem(
        app.send_json(Method::POST, &url, Some(&station), &step(bare, 1)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(p.detail.unwrap().starts_with("approval_ref"));
    let approve = WorksAction::Approve {
        conditions: "施工后三日内恢复路面".into(),
        approval_ref: " 临审批〔2026〕12号 ".into(),
    };
    let w: Works = expect_json(app.send_json(Method::POST, &url, Some(&station), &step(approve, 1)).await, 200).await;
    assert_eq!((w.status, w.decision_note.as_str()), (WorksStatus::Approved, "施工后三日内恢复路面"));
    assert_eq!(w.approval_ref, "临审批〔2026〕12号");
    let w: Works =
        expect_json(app.send_json(Method::POST, &url, Some(&station), &step(WorksAction::Complete, 2)).await, 200)
            .await;
    assert_eq!(w.status, WorksStatus::Done);
    assert!(w.done_at.is_some() && w.decided_by.is_some());
    let list: Vec<Works> = expect_json(app.get(&format!("{}?status=done", api::ROAD_WORKS), &station).await, 200).await;
    assert_eq!(list.iter().filter(|x| x.filed.id == Some(works_id)).count(), 1);
    // Another township's road station does not see it.
    let other = app.login("niudu.office").await.access_token;
    let theirs: Vec<Works> = expect_json(app.get(api::ROAD_WORKS, &other).await, 200).await;
    assert!(theirs.iter().all(|x| x.filed.id != Some(works_id)));
    expect_problem(
        app.send_json(Method::POST, &url, Some(&other), &step(WorksAction::Complete, 3)).await,
        404,
        "not_found",
    )
    .await;
    app.stop().await;
});

both_backends!(works_on_a_county_road_are_filed_with_the_transport_bureau_and_decided_by_the_county, |app| {
    let station = app.login("yishi.road").await.access_token;
    let admin = app.login("admin").await.access_token;
    // yishi.patrol2 keeps 猗氏镇's stretch of X321, a county road.
    let segs: Vec<Segment> =
        expect_json(app.get(api::SEGMENTS, &app.login("yishi.patrol2").await.access_token).await, 200).await;
    let roads: Vec<xunjian_shared::road::register::Road> = expect_json(app.get(api::ROADS, &admin).await, 200).await;
    let x321 = roads.iter().find(|r| r.code == "X321").unwrap().id;
    let seg = segs.iter().find(|s| s.road_id == x321).expect("the X321 segment");
    let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    let filing = FileWorks {
        id: None,
        segment_id: seg.id,
        kind: WorksKind::Pole,
        applicant: "县供电公司".into(),
        description: "路肩外缘栽电杆两根".into(),
        planned_from: day(5),
        planned_to: day(6),
        location: None,
        issue_id: None,
    };
    let w: Works = expect_json(app.send_json(Method::POST, api::ROAD_WORKS, Some(&station), &filing).await, 201).await;
    assert_eq!(w.filed_with, ResponsibleUnit::TransportBureau, "县道报备县交通运输局执法队");
    let url = api::road_works_actions(w.filed.id.unwrap());
    let step = |action, v| ActOnWorks { action, expected_version: v };
    let approve =
        || WorksAction::Approve { conditions: String::new(), approval_ref: "临审批〔2026〕30号".into() };
    let p = expect_problem(
        app.send_json(Method::POST, &url, Some(&station), &step(approve(), 1)).await,
        409,
        "role_not_allowed",
    )
    .await;
    assert!(p.detail.unwrap().contains("县交通运输局"), "says where it is filed");
    let refuse = WorksAction::Refuse { reason: "影响排水".into() };
    expect_problem(app.send_json(Method::POST, &url, Some(&station), &step(refuse, 1)).await, 409, "role_not_allowed")
        .await;
    let w: Works = expect_json(app.send_json(Method::POST, &url, Some(&admin), &step(approve(), 1)).await, 200).await;
    assert_eq!((w.status, w.approval_ref.as_str()), (WorksStatus::Approved, "临审批〔2026〕30号"));
    // The station still records the works done on its township's stretch.
    let w: Works =
        expect_json(app.send_json(Method::POST, &url, Some(&station), &step(WorksAction::Complete, 2)).await, 200)
            .await;
    assert_eq!(w.status, WorksStatus::Done);
    app.stop().await;
});

both_backends!(the_station_lists_a_month_of_patrols_and_the_worker_only_theirs, |app| {
    let station = app.login("yishi.road").await.access_token;
    let month = (app.now() - Duration::days(20)).format("%Y-%m").to_string();
    let all: Vec<PatrolSummary> =
        expect_json(app.get(&format!("{}?month={month}", api::PATROLS), &station).await, 200).await;
    // The demo month: yishi.patrol 20 days, yishi.patrol2 12 days; three of them with a finding.
    assert_eq!(all.len(), 32);
    assert_eq!(all.iter().map(|p| p.findings).sum::<usize>(), 3);
    assert!(all.iter().all(|p| p.distance_m > 0.0 && !p.worker_name.is_empty()));
    assert!(all.windows(2).all(|w| w[0].started_at <= w[1].started_at), "oldest first");
    let worker = app.login("yishi.patrol").await;
    let mine: Vec<PatrolSummary> =
        expect_json(app.get(&format!("{}?month={month}", api::PATROLS), &worker.access_token).await, 200).await;
    assert_eq!(mine.len(), 20);
    assert!(mine.iter().all(|p| p.worker_id == worker.user.user.id));
    // The worker's phone receives its own demo month in the pull.
    let mut phone = xunjian_tests::device::Device::new(worker.access_token.clone());
    phone.pull_all(&app, 500).await;
    assert_eq!(phone.of_kind("patrol").len(), 20);
    // Another township sees none of them; a bad month is refused.
    let niudu = app.login("niudu.office").await.access_token;
    let none: Vec<PatrolSummary> =
        expect_json(app.get(&format!("{}?month={month}", api::PATROLS), &niudu).await, 200).await;
    assert!(none.is_empty());
    expect_problem(app.get(&format!("{}?month=2026-13", api::PATROLS), &station).await, 422, "validation_failed").await;
    app.stop().await;
});

both_backends!(the_station_orders_a_repair_rechecks_it_and_closes_it_itself, |app| {
    let worker = app.login("yishi.patrol").await.access_token;
    let (_, ids) = patrol_with_findings(&app, &worker, &[FindingCategory::Rubbish]).await;
    let id = ids[0];
    let station = app.login("yishi.road").await.access_token;
    let photo = |n: u8| xunjian_shared::PhotoRef::try_from(format!("{n:02x}").repeat(32)).unwrap();
    // The station orders the worker to clear it.
    let deadline = app.now() + Duration::days(3);
    let d: RoadIssueDetail =
        expect_json(act(&app, &station, id, 1, A::OrderRectification { deadline }).await, 200).await;
    assert_eq!(d.issue.state.status, HazardStatus::RectificationOrdered);
    // Reported cleared; the station's re-check finds it still there and sets a new deadline.
    let d: RoadIssueDetail =
        expect_json(act(&app, &worker, id, 2, A::ReportRectified { evidence: vec![photo(1)] }).await, 200).await;
    assert_eq!(d.issue.state.status, HazardStatus::Rectified);
    let new_deadline = app.now() + Duration::days(5);
    let d: RoadIssueDetail = expect_json(act(&app, &station, id, 3, A::RecheckFail { new_deadline }).await, 200).await;
    assert_eq!(d.issue.state.status, HazardStatus::Filed, "on file with the new deadline");
    assert_eq!(d.issue.state.deadline, Some(new_deadline));
    // Cleared again, re-checked with a photo: closed, with no enforcement and no referral.
    expect_json::<RoadIssueDetail>(
        act(&app, &worker, id, 4, A::ReportRectified { evidence: vec![photo(2)] }).await,
        200,
    )
    .await;
    expect_problem(act(&app, &station, id, 5, A::RecheckPass { evidence: vec![] }).await, 422, "evidence_required")
        .await;
    let d: RoadIssueDetail =
        expect_json(act(&app, &station, id, 5, A::RecheckPass { evidence: vec![photo(3)] }).await, 200).await;
    assert_eq!(d.issue.state.status, HazardStatus::Closed);
    assert!(d.issue.closed_at.is_some() && d.allowed_actions.is_empty());
    let steps: Vec<&str> = d.timeline.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        steps,
        ["register", "order_rectification", "report_rectified", "recheck_fail", "report_rectified", "recheck_pass"]
    );
    let roles: Vec<&str> = d.timeline.iter().map(|e| e.actor_role.as_str()).collect();
    assert_eq!(
        roles,
        ["patrol_worker", "road_station", "patrol_worker", "road_station", "patrol_worker", "road_station"]
    );
    let closed: RoadIssuePage =
        expect_json(app.get(&format!("{}?status=closed", api::ROAD_ISSUES), &station).await, 200).await;
    assert_eq!(closed.items.iter().filter(|i| i.id == id).count(), 1);
    app.stop().await;
});
