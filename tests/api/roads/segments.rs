//! The register's segments: a surveyed line set after the fact (from points or from a patrol), and
//! the road km not divided into segments in the assignment report.

use super::*;
use xunjian_shared::api;
use xunjian_shared::road::patrol::{CreateRoad, CreateSegment, UnsegmentedRoad, UpdateSegment};
use xunjian_shared::road::register::Road;
use xunjian_shared::road::RoadLevel;
use xunjian_shared::user::{CreateUser, User};
use xunjian_shared::Role;

async fn new_road(app: &TestApp, admin: &str, code: &str, km: f64) -> Road {
    let body = CreateRoad {
        id: None,
        code: code.into(),
        name: format!("{code}线"),
        level: RoadLevel::Township,
        length_km: km,
        responsible: None,
    };
    expect_json(app.send_json(Method::POST, api::ROADS, Some(admin), &body).await, 201).await
}

/// A segment without a surveyed line, as an import makes it.
async fn bare_segment(
    app: &TestApp,
    token: &str,
    road: &Road,
    town: xunjian_shared::OrgUnitId,
    km: (f64, f64),
) -> Segment {
    let body =
        CreateSegment { id: None, township_id: town, from_km: km.0, to_km: km.1, polyline: vec![], worker_id: None };
    let url = api::road_segments(road.id);
    expect_json(app.send_json(Method::POST, &url, Some(token), &body).await, 201).await
}

async fn patch(app: &TestApp, token: &str, seg: &Segment, body: &UpdateSegment) -> reqwest::Response {
    app.send_json(Method::PATCH, &api::segment(seg.id), Some(token), body).await
}

/// A straight line north from a point, `km` long, a point every 100 m.
fn survey(lat: f64, lon: f64, km: f64) -> Vec<GeoPoint> {
    let n = (km * 10.0) as usize;
    (0..=n).map(|i| GeoPoint { lat: lat + km * i as f64 / n as f64 / 111.195, lon, accuracy_m: None }).collect()
}

async fn submit(app: &TestApp, token: &str, segs: &[&Segment], track: Vec<TrackPoint>) -> Patrol {
    let start = track[0].t;
    let body = SubmitPatrol {
        id: PatrolId::new(),
        segment_ids: segs.iter().map(|s| s.id).collect(),
        started_at: start,
        ended_at: start + Duration::hours(2), // a 5 km walk at 4.8 km/h is 62 min: every fix inside the patrol
        track,
        checks: checks(true),
        findings: vec![],
        notes: String::new(),
    };
    expect_json(app.send_json(Method::POST, api::PATROLS, Some(token), &body).await, 201).await
}

both_backends!(a_segment_gets_its_surveyed_line_from_points_or_from_a_patrol, |app| {
    let admin = app.login("admin").await.access_token;
    let station = app.login("yishi.road").await;
    let (town, station) = (station.user.org_chain[1].id, station.access_token);
    let worker = app.login("yishi.patrol").await;
    let (worker_id, worker) = (worker.user.user.id, worker.access_token);
    let road = new_road(&app, &admin, "Y901", 5.0).await;
    let first = bare_segment(&app, &station, &road, town, (0.0, 3.0)).await;
    let second = bare_segment(&app, &station, &road, town, (3.0, 5.0)).await;
    // The station assigns its worker; a patch that leaves the worker out leaves them assigned.
    let assign = UpdateSegment { worker_id: Some(Some(worker_id)), ..Default::default() };
    for s in [&first, &second] {
        let got: Segment = expect_json(patch(&app, &station, s, &assign).await, 200).await;
        assert_eq!((got.worker_id, got.polyline.len()), (Some(worker_id), 0));
    }
    // Without a line a patrol has no coverage figure.
    let line = survey(35.40, 110.80, 3.0);
    let start = app.now() - Duration::hours(3);
    let p = submit(&app, &worker, &[&first], walk(&line, 5.0, start)).await;
    assert_eq!(p.coverage, vec![(first.id, None)]);

    // Bad lines are refused: one point, out of range, too many points, both ways at once, nothing at all.
    let refuse = |body: UpdateSegment| {
        let (app, station, first) = (&app, &station, &first);
        async move { expect_problem(patch(app, station, first, &body).await, 422, "validation_failed").await }
    };
    let p1 = refuse(UpdateSegment { polyline: Some(line[..1].to_vec()), ..Default::default() }).await;
    assert!(p1.detail.unwrap_or_default().contains("polyline"));
    let mut off = line.clone();
    off[3].lat = 95.0;
    refuse(UpdateSegment { polyline: Some(off), ..Default::default() }).await;
    refuse(UpdateSegment { polyline: Some(survey(35.4, 110.8, 200.1)), ..Default::default() }).await;
    refuse(UpdateSegment {
        polyline: Some(line.clone()),
        polyline_from_patrol: Some(p.submitted.id),
        ..Default::default()
    })
    .await;
    refuse(UpdateSegment::default()).await;
    // Only the county and the road station of the segment's township may set it: a township office is
    // refused, another township's road station does not find it.
    let niudu_town = app.login("niudu.office").await.user.org_chain[1].id;
    let body = CreateUser {
        username: "niudu.road".into(),
        display_name: "牛杜镇交管站".into(),
        role: Role::RoadStation,
        org_unit_id: niudu_town,
        phone: None,
        password: "station-pass-1".into(),
    };
    expect_json::<User>(app.send_json(Method::POST, api::USERS, Some(&admin), &body).await, 201).await;
    let other: xunjian_shared::auth::TokenResponse =
        expect_json(app.try_login("niudu.road", "station-pass-1").await, 200).await;
    let set = UpdateSegment { polyline: Some(line.clone()), ..Default::default() };
    expect_problem(patch(&app, &other.access_token, &first, &set).await, 404, "not_found").await;
    let office = app.login("yishi.office").await.access_token;
    expect_problem(patch(&app, &office, &first, &set).await, 403, "forbidden").await;
    expect_problem(patch(&app, &worker, &first, &set).await, 403, "forbidden").await;
    let mine = segments(&app, &worker).await;
    assert!(mine.iter().filter(|s| s.road_id == road.id).all(|s| s.polyline.is_empty()), "nothing was written");

    // The station sets the points: the worker keeps the segment, and the next patrol is measured.
    let got: Segment = expect_json(patch(&app, &station, &first, &set).await, 200).await;
    assert_eq!((got.polyline, got.worker_id), (line.clone(), Some(worker_id)));
    let p = submit(&app, &worker, &[&first], walk(&line, 5.0, start)).await;
    assert!(p.coverage[0].1.unwrap() > 0.95, "{:?}", p.coverage);

    // The second segment takes its line from a patrol of it: the patrol's thinned track.
    let walked = survey(35.40 + 3.0 / 111.195, 110.80, 2.0);
    let p2 = submit(&app, &worker, &[&second], walk(&walked, 0.0, start)).await;
    assert!(p2.submitted.track.len() >= 100, "{} fixes kept", p2.submitted.track.len());
    // A patrol that is not an on-road record gives no line: here its track jumps 5 km in seconds.
    let mut jumps = walk(&walked, 0.0, start);
    let mid = jumps.len() / 2;
    jumps[mid].lat += 0.05;
    let bad = submit(&app, &worker, &[&second], jumps).await;
    assert!(!bad.on_road && !bad.faults.is_empty(), "{:?}", bad.faults);
    let from_bad = UpdateSegment { polyline_from_patrol: Some(bad.submitted.id), ..Default::default() };
    let refused = expect_problem(patch(&app, &station, &second, &from_bad).await, 422, "validation_failed").await;
    assert!(refused.detail.unwrap_or_default().contains("not an on-road record"));
    assert!(segments(&app, &station).await.iter().any(|s| s.id == second.id && s.polyline.is_empty()));
    // A patrol of another segment, or of both at once, is refused.
    let wrong = UpdateSegment { polyline_from_patrol: Some(p.submitted.id), ..Default::default() };
    expect_problem(patch(&app, &admin, &second, &wrong).await, 422, "validation_failed").await;
    let both = submit(&app, &worker, &[&first, &second], walk(&walked, 0.0, start)).await;
    let wrong = UpdateSegment { polyline_from_patrol: Some(both.submitted.id), ..Default::default() };
    expect_problem(patch(&app, &admin, &second, &wrong).await, 422, "validation_failed").await;
    let from = UpdateSegment { polyline_from_patrol: Some(p2.submitted.id), ..Default::default() };
    let got: Segment = expect_json(patch(&app, &admin, &second, &from).await, 200).await;
    let track: Vec<(f64, f64)> = p2.submitted.track.iter().map(|t| (t.lat, t.lon)).collect();
    assert_eq!(got.polyline.iter().map(|g| (g.lat, g.lon)).collect::<Vec<_>>(), track);
    assert_eq!(got.worker_id, Some(worker_id));
    // The worker's phone gets the new lines; unassigning is still `null`.
    let mine = segments(&app, &worker).await;
    assert!(mine.iter().filter(|s| s.road_id == road.id).all(|s| s.polyline.len() >= 2));
    let unassign = UpdateSegment { worker_id: Some(None), ..Default::default() };
    let got: Segment = expect_json(patch(&app, &station, &second, &unassign).await, 200).await;
    assert_eq!((got.worker_id, got.polyline.len()), (None, track.len()));
    app.stop().await;
});

both_backends!(assignments_count_road_km_not_divided_into_segments, |app| {
    let admin = app.login("admin").await.access_token;
    // The demo: 国道209 (12 km) and 省道237 (8 km) have no segments, but the 公路段 maintains them:
    // no patrol worker's gap. Y045 5–6 km and C201 have no worker.
    let r: AssignmentReport = expect_json(app.get(api::ROADS_ASSIGNMENTS, &admin).await, 200).await;
    let gaps = |r: &AssignmentReport| r.unsegmented.iter().map(|g| (g.code.clone(), g.km)).collect::<Vec<_>>();
    assert_eq!(gaps(&r), []);
    assert_eq!((r.unsegmented_km, r.unassigned_km), (0.0, 1.0 + 4.0));
    assert!(r.unsegmented_km.is_sign_positive(), "0 km, not -0 (which the app would print as -0.0)");
    // A road divided only in part: 0–3 and 5–8 of 10 km leave 4 km undivided.
    let road = new_road(&app, &admin, "Y950", 10.0).await;
    let station = app.login("yishi.road").await;
    let (town, station) = (station.user.org_chain[1].id, station.access_token);
    bare_segment(&app, &station, &road, town, (0.0, 3.0)).await;
    bare_segment(&app, &station, &road, town, (5.0, 8.0)).await;
    let r: AssignmentReport = expect_json(app.get(api::ROADS_ASSIGNMENTS, &station).await, 200).await;
    assert_eq!(r.unsegmented, [UnsegmentedRoad { road_id: road.id, code: "Y950".into(), km: 4.0 }]);
    assert_eq!((r.unsegmented_km, r.unassigned_km), (4.0, 1.0 + 6.0 + 4.0), "the station's roads only");
    let r: AssignmentReport = expect_json(app.get(api::ROADS_ASSIGNMENTS, &admin).await, 200).await;
    assert_eq!(gaps(&r), [("Y950".to_string(), 4.0)]);
    assert_eq!((r.unsegmented_km, r.unassigned_km), (4.0, 4.0 + 1.0 + 4.0 + 6.0));
    // 牛杜镇 has no segment of Y950 and no road without segments of its own.
    let niudu = app.login("niudu.office").await.user.org_chain[1].id;
    let r: AssignmentReport =
        expect_json(app.get(&format!("{}?org_unit_id={niudu}", api::ROADS_ASSIGNMENTS), &admin).await, 200).await;
    assert_eq!((r.unsegmented.len(), r.unsegmented_km, r.unassigned_km), (0, 0.0, 4.0));
    app.stop().await;
});

// Issue 16, defect 1: a patrol on a segment with no surveyed line counted as an on-road record
// whatever its track — a tap with no track and no duration gave a day on the road (until
// 2026-12-02). Now the on-road rule (shared/src/road/on_road.rs) judges every patrol as it arrives.
both_backends!(a_tap_on_an_unsurveyed_segment_is_not_an_on_road_record, |app| {
    use xunjian_shared::road::on_road::OnRoadFault;
    use xunjian_shared::road::pay::WorkerMonth;
    let admin = app.login("admin").await.access_token;
    let station = app.login("yishi.road").await;
    let (town, station) = (station.user.org_chain[1].id, station.access_token);
    let worker = app.login("yishi.patrol").await;
    let (worker_id, worker) = (worker.user.user.id, worker.access_token);
    let road = new_road(&app, &admin, "Y902", 5.0).await;
    let body = CreateSegment {
        id: None,
        township_id: town,
        from_km: 0.0,
        to_km: 3.0,
        polyline: vec![],
        worker_id: Some(worker_id),
    };
    let seg: Segment =
        expect_json(app.send_json(Method::POST, &api::road_segments(road.id), Some(&station), &body).await, 201).await;
    // The station sees the km it has still to survey.
    let report: AssignmentReport = expect_json(app.get(api::ROADS_ASSIGNMENTS, &station).await, 200).await;
    assert_eq!(
        (report.unsurveyed.clone(), report.unsurveyed_km),
        (vec![seg.id], 3.0),
        "the demo's segments all have lines"
    );
    let days =
        |months: &[WorkerMonth]| months.iter().find(|m| m.user_id == worker_id.to_string()).unwrap().days_on_road;
    let month_url = format!("{}?township_id={town}&month=2026-03", api::PATROLS_MONTHS);
    let before: Vec<WorkerMonth> = expect_json(app.get(&month_url, &station).await, 200).await;

    // The tap: no track, no time.
    let at = app.now() - Duration::hours(1);
    let tap = SubmitPatrol {
        id: PatrolId::new(),
        segment_ids: vec![seg.id],
        started_at: at,
        ended_at: at,
        track: vec![],
        checks: checks(true),
        findings: vec![],
        notes: String::new(),
    };
    let p: Patrol = expect_json(app.send_json(Method::POST, api::PATROLS, Some(&worker), &tap).await, 201).await;
    assert!(!p.on_road);
    assert_eq!(p.faults, [OnRoadFault::TooShort { minutes: 0, min_minutes: 20 }, OnRoadFault::NoTrack]);
    let after: Vec<WorkerMonth> = expect_json(app.get(&month_url, &station).await, 200).await;
    assert_eq!(days(&after), days(&before), "the tap adds no day");

    // A track that jumps 5 km in a minute, over an hour: not walked.
    let line = survey(35.30, 110.70, 1.0);
    let start = app.now() - Duration::hours(3);
    let mut jumpy = walk(&line, 0.0, start);
    let mid = jumpy.len() / 2;
    jumpy[mid].lat += 0.045;
    jumpy[mid].t = jumpy[mid - 1].t + Duration::minutes(1);
    let p = submit(&app, &worker, &[&seg], jumpy).await;
    assert!(matches!(p.faults[..], [OnRoadFault::TrackJumps { max_kmh: 60, .. }]), "{:?}", p.faults);
    // A real walk of the (unsurveyed) segment counts: judged on its track alone.
    let p = submit(&app, &worker, &[&seg], walk(&line, 0.0, start - Duration::hours(1))).await;
    assert!(p.on_road && p.faults.is_empty(), "{:?}", p.faults);
    let walked: Vec<WorkerMonth> = expect_json(app.get(&month_url, &station).await, 200).await;
    assert_eq!(days(&walked), days(&before) + 1);
    // The month's list says why each one counts or not.
    let listed: Vec<xunjian_shared::road::patrol::PatrolSummary> =
        expect_json(app.get(&format!("{}?month=2026-03", api::PATROLS), &worker).await, 200).await;
    let judged: Vec<(bool, usize)> = listed.iter().map(|s| (s.on_road, s.faults.len())).collect();
    assert_eq!(judged, [(true, 0), (false, 1), (false, 2)], "oldest first: the walk, the jump, the tap");
    app.stop().await;
});
