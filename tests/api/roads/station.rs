//! The road station's own work (第十八条): it patrols the roads of its township itself and
//! registers what it finds (`POST /api/v1/road-issues`), not only acts on the workers' findings.

use super::*;
use xunjian_shared::hazard::HazardStatus;
use xunjian_shared::road::issue::{FindingCategory, RoadFinding, RoadIssueDetail};
use xunjian_shared::RoadIssueId;

both_backends!(the_road_station_patrols_its_township_and_registers_road_issues_itself, |app| {
    let station = app.login("yishi.road").await;
    let (station, station_id) = (station.access_token, station.user.user.id);
    let ours = segments(&app, &app.login("yishi.patrol").await.access_token).await.remove(0);
    let theirs = segments(&app, &app.login("niudu.patrol").await.access_token).await.remove(0);
    let finding = |segment: &Segment| RoadFinding {
        id: RoadIssueId::new(),
        segment_id: segment.id,
        category: FindingCategory::Rubbish,
        description: " 路肩垃圾堆放 ".into(),
        location: segment.polyline[0],
        photos: vec![],
        found_at: app.now() - Duration::minutes(10),
    };
    let post = |token: String, body: RoadFinding| {
        let app = &app;
        async move { app.send_json(Method::POST, api::ROAD_ISSUES, Some(&token), &body).await }
    };

    // Registered by the station on a segment of its township: the same procedure as a finding.
    let f = finding(&ours);
    let d: RoadIssueDetail = expect_json(post(station.clone(), f.clone()).await, 201).await;
    assert_eq!((d.issue.id, d.issue.patrol_id, d.issue.registered_by), (f.id, None, Some(station_id)));
    assert_eq!((d.issue.description.as_str(), d.issue.state.status), ("路肩垃圾堆放", HazardStatus::Registered));
    assert!(!d.allowed_actions.is_empty(), "the station carries it on");
    assert_eq!(d.timeline.len(), 1);
    // The same request again is the same issue; another finding under its id is refused.
    let again: RoadIssueDetail = expect_json(post(station.clone(), f.clone()).await, 200).await;
    assert_eq!(again.issue, d.issue);
    let other = RoadFinding { description: "另一处".into(), ..f.clone() };
    expect_problem(post(station.clone(), other).await, 409, "already_exists").await;
    let listed = app.get(&format!("{}?segment_id={}", api::ROAD_ISSUES, ours.id), &station).await;
    let listed: xunjian_shared::road::issue::RoadIssuePage = expect_json(listed, 200).await;
    assert!(listed.items.iter().any(|i| i.id == f.id));

    // Only a road station, only in its township, with a finding that holds.
    for who in ["yishi.patrol", "admin", "yishi.office"] {
        let t = app.login(who).await.access_token;
        expect_problem(post(t, finding(&ours)).await, 403, "forbidden").await;
    }
    expect_problem(post(station.clone(), finding(&theirs)).await, 403, "out_of_scope").await;
    let later = RoadFinding { found_at: app.now() + Duration::hours(1), ..finding(&ours) };
    let p = expect_problem(post(station.clone(), later).await, 422, "validation_failed").await;
    assert!(p.detail.unwrap().starts_with("found_at"));
    let blank = RoadFinding { description: "  ".into(), ..finding(&ours) };
    let p = expect_problem(post(station.clone(), blank).await, 422, "validation_failed").await;
    assert!(p.detail.unwrap().starts_with("description"));

    // The station's own patrol: an on-road record of its own, on any segment of its township, and
    // no worker's day on the road.
    let month = app.now().format("%Y-%m").to_string();
    let town = app.login("yishi.office").await.user.org_chain[1].id;
    let sheet_url = format!("{}?township_id={town}&month={month}", api::ROADS_PAY_SHEET);
    let before: PaySheet = expect_json(app.get(&sheet_url, &station).await, 200).await;
    let start = app.now() - Duration::hours(3);
    let walk_on = |seg: &Segment| walk_body(seg, start);
    let mine: Patrol =
        expect_json(app.send_json(Method::POST, api::PATROLS, Some(&station), &walk_on(&ours)).await, 201).await;
    assert!(mine.on_road, "{:?}", mine.faults);
    let after: PaySheet = expect_json(app.get(&sheet_url, &station).await, 200).await;
    assert_eq!(after.lines, before.lines, "the station's patrol pays no worker");
    let r = app.send_json(Method::POST, api::PATROLS, Some(&station), &walk_on(&theirs)).await;
    expect_problem(r, 403, "out_of_scope").await;
    let grid = app.login("yishi.grid").await.access_token;
    expect_problem(app.send_json(Method::POST, api::PATROLS, Some(&grid), &walk_on(&ours)).await, 403, "forbidden")
        .await;
    app.stop().await;
});
