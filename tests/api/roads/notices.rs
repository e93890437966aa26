//! Who hears of a road issue: the finder, the segment's worker and the township's road station —
//! not every patrol worker of the township (issue 16, defect 5).

use super::*;
use xunjian_shared::hazard::{ActOnHazard, HazardAction, NoticeKind};
use xunjian_shared::notification::Notification;
use xunjian_shared::road::issue::{FindingCategory, RoadFinding, RoadIssueDetail};
use xunjian_shared::road::patrol::UpdateSegment;
use xunjian_shared::user::{CreateUser, User};
use xunjian_shared::{RoadIssueId, Role};

async fn notices_about(app: &TestApp, token: &str, id: RoadIssueId) -> Vec<NoticeKind> {
    let all: Vec<Notification> = expect_json(app.get(api::NOTIFICATIONS, token).await, 200).await;
    all.into_iter().filter(|n| n.road_issue_id == Some(id)).map(|n| n.kind).collect()
}

both_backends!(road_issue_notices_reach_the_finder_the_segments_worker_and_the_station_only, |app| {
    let admin = app.login("admin").await.access_token;
    let finder = app.login("yishi.patrol").await;
    let town = finder.user.org_chain[1].id;
    let finder = finder.access_token;
    // 猗氏镇 has two patrol workers (yishi.patrol, yishi.patrol2); a third joins.
    let body = CreateUser {
        username: "yishi.patrol3".into(),
        display_name: "赵管护".into(),
        role: Role::PatrolWorker,
        org_unit_id: town,
        phone: None,
        password: "patrol-pass-3".into(),
    };
    expect_json::<User>(app.send_json(Method::POST, api::USERS, Some(&admin), &body).await, 201).await;
    let seg = segments(&app, &finder).await.remove(0);
    let start = app.now() - Duration::hours(2);
    let id = RoadIssueId::new();
    let body = SubmitPatrol {
        id: PatrolId::new(),
        segment_ids: vec![seg.id],
        started_at: start,
        ended_at: start + Duration::hours(2),
        track: walk(&seg.polyline, 5.0, start),
        checks: checks(true),
        findings: vec![RoadFinding {
            id,
            segment_id: seg.id,
            category: FindingCategory::PavementDamage,
            description: "坑槽".into(),
            location: seg.polyline[0],
            photos: vec![],
            found_at: start + Duration::minutes(10),
        }],
        notes: String::new(),
    };
    expect_json::<Patrol>(app.send_json(Method::POST, api::PATROLS, Some(&finder), &body).await, 201).await;
    // The station orders the repair; then the segment passes to yishi.patrol2.
    let station = app.login("yishi.road").await.access_token;
    let act = ActOnHazard {
        action: HazardAction::OrderRectification { deadline: app.now() + Duration::days(3) },
        expected_version: 1,
        device_time: None,
        location: None,
        note: String::new(),
    };
    let url = api::road_issue_actions(id);
    expect_json::<RoadIssueDetail>(app.send_json(Method::POST, &url, Some(&station), &act).await, 200).await;
    let second = app.login("yishi.patrol2").await;
    let reassign =
        UpdateSegment { worker_id: Some(Some(second.user.user.id)), polyline: None, polyline_from_patrol: None };
    expect_json::<Segment>(app.send_json(Method::PATCH, &api::segment(seg.id), Some(&admin), &reassign).await, 200)
        .await;
    app.clock.advance(Duration::days(4));
    assert_eq!(app.run_scheduler().road_overdue, 1);
    // The finder, the segment's worker now and the station are told it is overdue…
    let tokens = [
        ("finder", app.login("yishi.patrol").await.access_token),
        ("segment's worker", app.login("yishi.patrol2").await.access_token),
        ("station", app.login("yishi.road").await.access_token),
    ];
    for (who, t) in &tokens {
        assert!(notices_about(&app, t, id).await.contains(&NoticeKind::Overdue), "{who}");
    }
    // …and the third patrol worker of the township hears nothing of it, nor does anyone else.
    let third = app.try_login("yishi.patrol3", "patrol-pass-3").await;
    let third: xunjian_shared::auth::TokenResponse = expect_json(third, 200).await;
    assert_eq!(notices_about(&app, &third.access_token, id).await, [], "not the finder nor the segment's worker");
    for other in ["yishi.grid", "niudu.patrol", "niudu.office"] {
        let t = app.login(other).await.access_token;
        assert_eq!(notices_about(&app, &t, id).await, [], "{other}");
    }
    app.stop().await;
});
