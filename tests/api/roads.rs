//! Road patrol: the register, on-road records with coverage, checks, ranking, pay and funds.

mod check_form;
mod checks;
mod months;
mod notices;
mod pay;
mod police;
mod roadside;
mod rollup;
mod segments;
mod station;

use super::*;
use chrono::{Datelike, Duration, Utc};
use reqwest::Method;
use xunjian_shared::api;
use xunjian_shared::premise::GeoPoint;
use xunjian_shared::road::check::CheckDetail;
use xunjian_shared::road::check_form::{ScoreStation, StationScore};
use xunjian_shared::road::checklist::{RoadCheck, RoadCheckItem};
use xunjian_shared::road::draw::{draw, township_seed};
use xunjian_shared::road::funds::Allocation;
use xunjian_shared::road::patrol::{
    AssignmentReport, Check, CheckKind, CreateCheck, Patrol, PatrolDetail, ScoreSegment, SubmitPatrol,
};
use xunjian_shared::road::pay::PaySheet;
use xunjian_shared::road::ranking::Ranked;
use xunjian_shared::road::register::{PatrolWorker, Segment};
use xunjian_shared::road::track::TrackPoint;
use xunjian_shared::{OrgUnitId, PatrolId};

fn checks(pass: bool) -> Vec<RoadCheck> {
    RoadCheckItem::ALL
        .into_iter()
        .map(|item| RoadCheck { item, pass, photo: None, location: None, note: None })
        .collect()
}

/// A walk along a line `off_m` metres to the east, a fix every ~4 m (a phone on foot, every second or two).
fn walk(line: &[GeoPoint], off_m: f64, start: chrono::DateTime<Utc>) -> Vec<TrackPoint> {
    let (a, b) = (line[0], line[line.len() - 1]);
    let n = (a.distance_m(&b) / 4.0).ceil() as i64;
    let east = off_m / (111_320.0 * a.lat.to_radians().cos());
    (0..=n)
        .map(|i| {
            let f = i as f64 / n as f64;
            TrackPoint {
                lat: a.lat + f * (b.lat - a.lat),
                lon: a.lon + f * (b.lon - a.lon) + east,
                t: start + Duration::seconds(i * 3),
                acc: 6.0,
            }
        })
        .collect()
}

/// A real two-hour walk of a segment from `start`, with no findings.
fn walk_body(seg: &Segment, start: chrono::DateTime<Utc>) -> SubmitPatrol {
    SubmitPatrol {
        id: PatrolId::new(),
        segment_ids: vec![seg.id],
        started_at: start,
        ended_at: start + Duration::hours(2),
        track: walk(&seg.polyline, 5.0, start),
        checks: checks(true),
        findings: vec![],
        notes: String::new(),
    }
}

async fn segments(app: &TestApp, token: &str) -> Vec<Segment> {
    expect_json(app.get(api::SEGMENTS, token).await, 200).await
}

/// The monthly random check of the demo month (February 2026: 猗氏镇's workers patrolled, 牛杜镇's
/// did not), drawn from seed 7, two segments per township.
pub(crate) fn demo_month_check() -> CreateCheck {
    CreateCheck {
        kind: CheckKind::MonthlyRandom,
        period: "2026-02".into(),
        seed: Some(7),
        segments_per_township: Some(2),
        inspectors: Some(1),
    }
}

/// Starts a check as the county admin.
pub(crate) async fn start_check(app: &TestApp, admin: &str, body: &CreateCheck) -> Check {
    expect_json(app.send_json(Method::POST, api::ROAD_CHECKS, Some(admin), body).await, 201).await
}

both_backends!(a_patrol_is_recorded_with_its_coverage, |app| {
    let w = app.login("yishi.patrol").await.access_token;
    let mine = segments(&app, &w).await;
    assert_eq!(mine.len(), 1, "a patrol worker sees only their own segment");
    let seg = &mine[0];
    let start = app.now() - Duration::hours(2);
    let body = SubmitPatrol {
        id: PatrolId::new(),
        segment_ids: vec![seg.id],
        started_at: start,
        ended_at: start + Duration::hours(2), // a 5 km walk at 4.8 km/h is 62 min: every fix inside the patrol
        track: walk(&seg.polyline, 5.0, start),
        checks: checks(true),
        findings: vec![],
        notes: String::new(),
    };
    let p: Patrol = expect_json(app.send_json(Method::POST, api::PATROLS, Some(&w), &body).await, 201).await;
    let covered = p.coverage[0].1.unwrap();
    assert!(covered > 0.95, "walked the whole segment: {covered}");
    assert!((p.distance_m - 5000.0).abs() < 100.0, "{}", p.distance_m);
    assert!(p.submitted.track.len() < body.track.len(), "the track is thinned");
    assert_eq!(p.checklist_score, 100.0);
    // The same patrol again is one patrol.
    let again: Patrol = expect_json(app.send_json(Method::POST, api::PATROLS, Some(&w), &body).await, 201).await;
    assert_eq!(again, p);
    // Staying in the village 300 m from the road covers nothing.
    let lazy = SubmitPatrol { id: PatrolId::new(), track: walk(&seg.polyline, 300.0, start), ..body.clone() };
    let p2: Patrol = expect_json(app.send_json(Method::POST, api::PATROLS, Some(&w), &lazy).await, 201).await;
    assert_eq!(p2.coverage[0].1, Some(0.0));
    // Another worker's segment, a checklist short of an item: refused.
    let road = app.login("yishi.road").await.access_token;
    let all = segments(&app, &road).await;
    assert_eq!(all.len(), 4, "the road station sees its township's segments");
    let other = all.iter().find(|s| s.worker_id.is_some() && s.id != seg.id).unwrap();
    let theirs = SubmitPatrol { id: PatrolId::new(), segment_ids: vec![other.id], ..body.clone() };
    expect_problem(app.send_json(Method::POST, api::PATROLS, Some(&w), &theirs).await, 403, "out_of_scope").await;
    let mut short = SubmitPatrol { id: PatrolId::new(), ..body.clone() };
    short.checks.pop();
    expect_problem(app.send_json(Method::POST, api::PATROLS, Some(&w), &short).await, 422, "validation_failed").await;
    // The road station reads it; another township's worker does not.
    let got: PatrolDetail = expect_json(app.get(&api::patrol(p.submitted.id), &road).await, 200).await;
    assert_eq!(got.patrol, p, "the record as submitted and measured");
    assert_eq!(got.worker_name, app.login("yishi.patrol").await.user.user.display_name, "and who walked it");
    let niudu = app.login("niudu.patrol").await.access_token;
    expect_problem(app.get(&api::patrol(p.submitted.id), &niudu).await, 404, "not_found").await;
    assert!(segments(&app, &niudu).await.iter().all(|s| s.id != seg.id));
    app.stop().await;
});

both_backends!(assignments_report_unassigned_km_long_beats_and_worker_files, |app| {
    let road = app.login("yishi.road").await.access_token;
    let r: AssignmentReport = expect_json(app.get(api::ROADS_ASSIGNMENTS, &road).await, 200).await;
    assert!((r.unassigned_km - 1.0).abs() < 1e-9, "{}", r.unassigned_km);
    let patrol2 = app.login("yishi.patrol2").await.user.user.id;
    assert_eq!(r.over_length, vec![(patrol2, 10.5)]);
    let flags = &r.flagged_workers.iter().find(|(w, _)| *w == patrol2).unwrap().1;
    assert_eq!(flags, &vec!["over_60".to_string(), "no_insurance".to_string()]);
    // Field and fire roles may not read it.
    let grid = app.login("yishi.grid").await.access_token;
    expect_problem(app.get(api::ROADS_ASSIGNMENTS, &grid).await, 403, "forbidden").await;
    app.stop().await;
});

both_backends!(worker_files_are_judged_on_the_china_day, |app| {
    // 07:30 on 3 March in China is still 2 March in UTC. A worker born on 3 March 1965 is 61 — over
    // 60 — on the China day; the report used the UTC date and called them 60 until 08:00.
    let now = app.now();
    let china_morning = now.date_naive().succ_opt().unwrap().and_hms_opt(7, 30, 0).unwrap();
    let at = xunjian_shared::time::from_china(china_morning).unwrap();
    app.clock.advance(at - now);
    assert_eq!(app.now().date_naive(), now.date_naive(), "still the same UTC day");
    let admin = app.login("admin").await.access_token;
    let road = app.login("yishi.road").await.access_token;
    let patrol = app.login("yishi.patrol").await.user.user.id;
    let birth = xunjian_shared::time::china_date(at).with_year(1965).unwrap();
    let file = PatrolWorker {
        user_id: patrol,
        name: String::new(),
        birth_date: birth,
        probation_month: None,
        contract_signed: true,
        insured: true,
    };
    let r = app.send_json(Method::PUT, &api::patrol_worker(patrol), Some(&admin), &file).await;
    expect_json::<PatrolWorker>(r, 200).await;
    let r: AssignmentReport = expect_json(app.get(api::ROADS_ASSIGNMENTS, &road).await, 200).await;
    let flags = r.flagged_workers.iter().find(|(w, _)| *w == patrol).map(|(_, f)| f.clone());
    assert_eq!(flags, Some(vec!["over_60".to_string()]), "{:?}", r.flagged_workers);
    app.stop().await;
});

/// Scores every drawn township's station items (第二十四条), each at `share(township)` of its full
/// points (1.0: full marks).
pub(crate) async fn score_stations(app: &TestApp, admin: &str, check: &Check, share: &dyn Fn(OrgUnitId) -> f64) {
    let town_of: std::collections::HashMap<String, OrgUnitId> =
        segments(app, admin).await.into_iter().map(|s| (s.id.to_string(), s.township_id)).collect();
    let towns: std::collections::BTreeSet<OrgUnitId> = check.draw.segments.iter().map(|s| town_of[s]).collect();
    for town in towns {
        let items = check
            .form
            .station_items
            .iter()
            .map(|i| StationScore { key: i.key.clone(), points: f64::from(i.points) * share(town) })
            .collect();
        let url = api::road_check_station(check.id, town);
        let body = ScoreStation { items, note: None };
        expect_json::<CheckDetail>(app.send_json(Method::PUT, &url, Some(admin), &body).await, 200).await;
    }
}

/// Scores every drawn segment, passing all seven items where `pass` says so and failing all
/// elsewhere, and every township's station items with full marks.
async fn score_all(app: &TestApp, admin: &str, check: &Check, pass: &dyn Fn(&str) -> bool) {
    score_stations(app, admin, check, &|_| 1.0).await;
    for seg in &check.draw.segments {
        let items = checks(pass(seg));
        let r = app
            .send_json(
                Method::PUT,
                &api::road_check_score(check.id, seg.parse().unwrap()),
                Some(admin),
                &ScoreSegment { items },
            )
            .await;
        expect_json::<Check>(r, 200).await;
    }
}

both_backends!(a_month_without_on_road_records_ranks_last_and_withholds_pay, |app| {
    let admin = app.login("admin").await.access_token;
    let feb = demo_month_check();
    let check = start_check(&app, &admin, &feb).await;
    assert_eq!(check.draw.seed, 7);
    assert_eq!(check.draw.segments.len(), 4, "two per township");
    // 牛杜镇's road is in better shape on the day, but 第二十六条 still puts it last.
    let road = app.login("yishi.road").await.access_token;
    let yishi: Vec<String> = segments(&app, &road).await.iter().map(|s| s.id.to_string()).collect();
    score_all(&app, &admin, &check, &|seg| !yishi.contains(&seg.to_string())).await;
    let ranking: Vec<Ranked> = expect_json(app.get(&api::road_check_ranking(check.id), &admin).await, 200).await;
    let order: Vec<&str> = ranking.iter().map(|r| r.result.name.as_str()).collect();
    assert_eq!(order, ["猗氏镇", "牛杜镇"]);
    assert!(ranking[1].last_by_rule && ranking[1].result.workers_without_record == 1);
    assert!(ranking[1].result.score > ranking[0].result.score);
    assert!(ranking.iter().all(|r| !r.flagged), "no January check: not twice in a row");
    // A January check makes the bottom two twice in a row: flagged (第二十五条).
    let jan = CreateCheck { period: "2026-01".into(), seed: Some(8), ..feb.clone() };
    let c1: Check = expect_json(app.send_json(Method::POST, api::ROAD_CHECKS, Some(&admin), &jan).await, 201).await;
    score_all(&app, &admin, &c1, &|_| true).await;
    let again: Vec<Ranked> = expect_json(app.get(&api::road_check_ranking(check.id), &admin).await, 200).await;
    assert!(again.iter().all(|r| r.flagged && r.bottom_two), "only two townships have roads: both bottom two, twice");
    // The same check cannot be drawn twice; a non-drawn segment cannot be scored.
    expect_problem(app.send_json(Method::POST, api::ROAD_CHECKS, Some(&admin), &feb).await, 409, "already_exists")
        .await;
    // Both checks are listed, the newest period first, with their draws.
    let listed: Vec<Check> = expect_json(app.get(api::ROAD_CHECKS, &admin).await, 200).await;
    assert_eq!(listed.iter().map(|c| c.id).collect::<Vec<_>>(), vec![check.id, c1.id]);
    assert_eq!(listed[0].draw, check.draw);
    // The pay sheet: 20 days → full pay; 12 days → 8 days short × 50; none → withheld.
    let office = app.login("yishi.road").await;
    let town = office.user.org_chain[1].id;
    let sheet: PaySheet = expect_json(
        app.get(&format!("{}?township_id={town}&month=2026-02", api::ROADS_PAY_SHEET), &office.access_token).await,
        200,
    )
    .await;
    let pay: Vec<(String, u32, f64, bool)> =
        sheet.lines.iter().map(|l| (l.month.name.clone(), l.month.days_on_road, l.pay_yuan, l.withheld)).collect();
    assert_eq!(pay, [("李管护".into(), 20, 1500.0, false), ("王管护".into(), 12, 1100.0, false)]);
    assert!(sheet.lines[0].month.km_covered > 90.0, "20 walks of 5 km: {}", sheet.lines[0].month.km_covered);
    let niudu_town = app.login("niudu.office").await.user.org_chain[1].id;
    let theirs: PaySheet = expect_json(
        app.get(&format!("{}?township_id={niudu_town}&month=2026-02", api::ROADS_PAY_SHEET), &admin).await,
        200,
    )
    .await;
    assert_eq!(theirs.lines.len(), 1);
    assert!(theirs.lines[0].withheld && theirs.lines[0].pay_yuan == 0.0);
    expect_problem(
        app.get(&format!("{}?township_id={niudu_town}&month=2026-02", api::ROADS_PAY_SHEET), &office.access_token)
            .await,
        403,
        "out_of_scope",
    )
    .await;
    app.stop().await;
});

both_backends!(the_double_random_draw_is_reproducible_from_its_seed, |app| {
    let admin = app.login("admin").await.access_token;
    let mut draws = Vec::new();
    for (i, seed) in [11u64, 12, 13, 14, 15, 16].into_iter().enumerate() {
        let req = CreateCheck {
            kind: CheckKind::MonthlyRandom,
            period: format!("2025-{:02}", i + 1),
            seed: Some(seed),
            segments_per_township: Some(1),
            inspectors: Some(1),
        };
        let c: Check = expect_json(app.send_json(Method::POST, api::ROAD_CHECKS, Some(&admin), &req).await, 201).await;
        draws.push(c);
    }
    // Anyone can repeat the draw from the seed and the published algorithm.
    let road_station = app.login("yishi.road").await.access_token;
    let yishi: Vec<String> = segments(&app, &road_station).await.iter().map(|s| s.id.to_string()).collect();
    for c in &draws {
        let expected = draw(township_seed(c.draw.seed, "140821100"), &yishi, 1);
        assert!(c.draw.segments.contains(&expected[0]), "{c:?}");
        let stored: Check = expect_json(app.get(&api::road_check(c.id), &admin).await, 200).await;
        assert_eq!(stored.draw, c.draw);
    }
    let distinct: std::collections::HashSet<Vec<String>> = draws.iter().map(|c| c.draw.segments.clone()).collect();
    assert!(distinct.len() > 1, "different seeds draw differently");
    let grid = app.login("yishi.grid").await.access_token;
    let req = CreateCheck {
        kind: CheckKind::QuarterlyFull,
        period: "2026-Q1".into(),
        seed: None,
        segments_per_township: None,
        inspectors: None,
    };
    expect_problem(app.send_json(Method::POST, api::ROAD_CHECKS, Some(&grid), &req).await, 403, "forbidden").await;
    let full: Check = expect_json(app.send_json(Method::POST, api::ROAD_CHECKS, Some(&admin), &req).await, 201).await;
    assert_eq!(full.draw.segments.len(), 7, "a quarterly full inspection checks every segment");
    app.stop().await;
});

both_backends!(fund_allocation_matches_the_hand_computed_figures, |app| {
    let admin = app.login("admin").await.access_token;
    let a: Allocation = expect_json(app.get(&format!("{}?year=2026", api::ROADS_FUNDS), &admin).await, 200).await;
    // G209 12 km × 8000 + S237 8 × 8000 + X321 15 × 5000 + Y045 6 × 4000 + C012 3 × 4000
    // + Y112 5 × 4000 + C201 4 × 4000.
    assert_eq!(a.total_yuan, 96_000.0 + 64_000.0 + 75_000.0 + 24_000.0 + 12_000.0 + 20_000.0 + 16_000.0);
    let town = |name: &str| a.by_township.iter().find(|l| l.to == name).map(|l| l.amount_yuan);
    assert_eq!(town("猗氏镇"), Some(37_500.0 + 24_000.0 + 12_000.0));
    assert_eq!(town("牛杜镇"), Some(37_500.0 + 20_000.0 + 16_000.0));
    assert_eq!(town("未分段"), Some(160_000.0), "national and provincial roads are not divided among townships");
    let unit = |u: &str| a.by_responsible.iter().find(|l| l.to == u).map(|l| l.amount_yuan);
    assert_eq!(
        (unit("highway_section"), unit("transport_bureau"), unit("township"), unit("village_committee")),
        (Some(160_000.0), Some(75_000.0), Some(44_000.0), Some(28_000.0))
    );
    let road = app.login("yishi.road").await.access_token;
    expect_problem(app.get(&format!("{}?year=2026", api::ROADS_FUNDS), &road).await, 403, "forbidden").await;
    app.stop().await;
});

both_backends!(a_phone_syncs_its_patrol_once_and_pulls_its_segments, |app| {
    use xunjian_shared::sync::{OpBody, OpOutcome};
    use xunjian_tests::device::Device;
    let w = app.login("yishi.patrol").await.access_token;
    let mut d = Device::new(w.clone());
    d.pull_all(&app, 200).await;
    assert_eq!(d.of_kind("segment").len(), 1, "the worker's own segment");
    assert_eq!(d.of_kind("road").len(), 7, "the road register");
    let seg: Segment = serde_json::from_value(d.of_kind("segment")[0]["data"].clone()).unwrap();
    let start = app.now() - Duration::hours(3);
    let body = SubmitPatrol {
        id: PatrolId::new(),
        segment_ids: vec![seg.id],
        started_at: start,
        ended_at: start + Duration::hours(2), // a 5 km walk at 4.8 km/h is 62 min: every fix inside the patrol
        track: walk(&seg.polyline, 3.0, start),
        checks: checks(true),
        findings: vec![],
        notes: "离线记录".into(),
    };
    d.queue(OpBody::SubmitPatrol(body.clone()), app.now());
    let first = d.send(&app, 10).await;
    assert!(matches!(first.results[0].outcome, OpOutcome::Applied { .. }));
    assert_eq!(d.send(&app, 10).await, first, "the retry is the same answer");
    d.take(first);
    d.pull_all(&app, 200).await;
    let mine = d.of_kind("patrol");
    assert_eq!(mine.iter().filter(|p| p["data"]["id"] == body.id.to_string()).count(), 1);
    let p: PatrolDetail = expect_json(app.get(&api::patrol(body.id), &w).await, 200).await;
    assert!(p.patrol.coverage[0].1.unwrap() > 0.95);
    app.stop().await;
});

both_backends!(pay_sheet_and_funds_download_as_printable_xlsx, |app| {
    let admin = app.login("admin").await.access_token;
    let niudu = app.login("niudu.office").await.user.org_chain[1].id;
    let r = app.get(&format!("{}?township_id={niudu}&month=2026-02&format=xlsx", api::ROADS_PAY_SHEET), &admin).await;
    assert_eq!(r.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains(".xlsx"));
    let rows = super::ledger::read_xlsx(&r.bytes().await.unwrap());
    let flat: Vec<String> = rows.concat();
    assert!(flat.iter().any(|c| c.contains("牛杜镇 五级公路管护人员工资表")));
    let zhao = rows.iter().find(|r| r.first().is_some_and(|c| c == "赵管护")).expect("the worker's line");
    // 姓名, 上路天数, 责任到位率, 里程, 基本工资, 缺勤扣减, 检查得分, 扣劣, 奖优, 应发, 备注.
    assert_eq!((zhao[1].as_str(), zhao[2].as_str(), zhao[9].as_str()), ("0", "0%", "0"));
    assert_eq!((zhao[4].as_str(), zhao[10].as_str()), ("1500", "无上路记录，扣发"));
    assert!(flat.iter().any(|c| c == "交管员签字：") && flat.iter().any(|c| c == "分管副职签字："));
    let r = app.get(&format!("{}?year=2026&format=xlsx", api::ROADS_FUNDS), &admin).await;
    let rows = super::ledger::read_xlsx(&r.bytes().await.unwrap());
    let total = rows.iter().find(|r| r.first().is_some_and(|c| c == "合计")).unwrap();
    assert_eq!(total.last().unwrap(), "307000");
    let csv = app.get(&format!("{}?year=2026&format=csv", api::ROADS_FUNDS), &admin).await.text().await.unwrap();
    assert!(csv.contains("公路段") && csv.contains("307000"), "{csv}");
    app.stop().await;
});

both_backends!(a_segments_month_counts_what_its_patrols_covered_together, |app| {
    use chrono::Datelike;
    use xunjian_shared::road::patrol::SegmentMonth;
    let w = app.login("yishi.patrol").await.access_token;
    let seg = segments(&app, &w).await.remove(0);
    let line = &seg.polyline;
    let mid = GeoPoint {
        lat: (line[0].lat + line[line.len() - 1].lat) / 2.0,
        lon: (line[0].lon + line[line.len() - 1].lon) / 2.0,
        accuracy_m: None,
    };
    // Two patrols of this month, on two days: the first half of the segment, then the second.
    let month_start = app.now().date_naive().with_day(1).unwrap().and_hms_opt(1, 0, 0).unwrap().and_utc();
    let patrol = |half: Vec<GeoPoint>, start: chrono::DateTime<Utc>| SubmitPatrol {
        id: PatrolId::new(),
        segment_ids: vec![seg.id],
        started_at: start,
        ended_at: start + Duration::hours(2), // a 5 km walk at 4.8 km/h is 62 min: every fix inside the patrol
        track: walk(&half, 5.0, start),
        checks: checks(true),
        findings: vec![],
        notes: String::new(),
    };
    let first = patrol(vec![line[0], mid], month_start);
    let second = patrol(vec![mid, line[line.len() - 1]], month_start + Duration::days(1));
    let mut each = Vec::new();
    for p in [&first, &second] {
        let got: Patrol = expect_json(app.send_json(Method::POST, api::PATROLS, Some(&w), p).await, 201).await;
        each.push(got.coverage[0].1.unwrap());
    }
    assert!(each.iter().all(|c| (0.4..0.6).contains(c)), "each patrol walked half: {each:?}");
    let month = app.now().format("%Y-%m").to_string();
    let url = format!("{}?month={month}", api::SEGMENTS_COVERAGE);
    let mine: Vec<SegmentMonth> = expect_json(app.get(&url, &w).await, 200).await;
    assert_eq!(mine.len(), 1, "a patrol worker sees their own segment only");
    let m = &mine[0];
    assert_eq!((m.segment_id, m.patrols, m.days), (seg.id, 2, 2));
    assert!(m.coverage.unwrap() > 0.95, "together the whole segment: {:?}", m.coverage);
    // The road station sees every segment of its township; one nobody walked this month shows 0.
    let station = app.login("yishi.road").await.access_token;
    let all: Vec<SegmentMonth> = expect_json(app.get(&url, &station).await, 200).await;
    assert_eq!(all.len(), 4);
    let idle = all.iter().find(|s| s.patrols == 0).expect("a segment nobody patrolled this month");
    assert_eq!((idle.days, idle.coverage), (0, Some(0.0)));
    // Another township's station sees none of these; a bad month is refused.
    let niudu = app.login("niudu.office").await.access_token;
    let theirs: Vec<SegmentMonth> = expect_json(app.get(&url, &niudu).await, 200).await;
    assert!(theirs.iter().all(|s| s.segment_id != seg.id));
    expect_problem(
        app.get(&format!("{}?month=2026-13", api::SEGMENTS_COVERAGE), &station).await,
        422,
        "validation_failed",
    )
    .await;
    app.stop().await;
});
