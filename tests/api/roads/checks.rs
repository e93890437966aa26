//! Checks and ranking: who sees a check before and after publishing, the published ranking frozen,
//! the scoring forms, on-road records that never reached the road, and the ranking rules over four
//! townships, two months and a quarter.

use super::*;
use chrono::TimeZone;
use std::collections::HashMap;
use xunjian_shared::api;
use xunjian_shared::api::List;
use xunjian_shared::org::{OrgLevel, OrgUnit};
use xunjian_shared::road::patrol::{CreateRoad, CreateSegment, PatrolSummary};
use xunjian_shared::road::register::{PatrolWorker, Road};
use xunjian_shared::road::RoadLevel;
use xunjian_shared::user::{CreateUser, User};
use xunjian_shared::{OrgUnitId, Role, UserId};

/// The seven items with the first `fails` failing.
fn failing(fails: usize) -> Vec<RoadCheck> {
    let mut items = checks(true);
    for c in items.iter_mut().take(fails) {
        c.pass = false;
    }
    items
}

/// Scores every drawn segment, failing as many items as `fails` says for its township, and every
/// township's station items with full marks.
async fn score_by_township(app: &TestApp, admin: &str, check: &Check, fails: &HashMap<OrgUnitId, usize>) {
    score_stations(app, admin, check, &|_| 1.0).await;
    let town_of: HashMap<String, OrgUnitId> =
        segments(app, admin).await.into_iter().map(|s| (s.id.to_string(), s.township_id)).collect();
    for seg in &check.draw.segments {
        let body = ScoreSegment { items: failing(fails[&town_of[seg]]) };
        let url = api::road_check_score(check.id, seg.parse().unwrap());
        expect_json::<Check>(app.send_json(Method::PUT, &url, Some(admin), &body).await, 200).await;
    }
}

async fn new_check(app: &TestApp, admin: &str, kind: CheckKind, period: &str, seed: u64) -> Check {
    // More segments per township than any has: every segment is drawn, so the scores are as built.
    let body = CreateCheck {
        kind,
        period: period.into(),
        seed: Some(seed),
        segments_per_township: Some(50),
        inspectors: Some(1),
    };
    expect_json(app.send_json(Method::POST, api::ROAD_CHECKS, Some(admin), &body).await, 201).await
}

async fn ranking(app: &TestApp, token: &str, check: &Check) -> Vec<Ranked> {
    expect_json(app.get(&api::road_check_ranking(check.id), token).await, 200).await
}

pub(super) async fn publish(app: &TestApp, admin: &str, check: &Check) -> Check {
    let url = api::road_check_publish(check.id);
    expect_json(app.send_json(Method::POST, &url, Some(admin), &()).await, 200).await
}

/// (name, rank, bottom two, flagged, last by 第二十六条) in order.
fn marks(r: &[Ranked]) -> Vec<(String, u32, bool, bool, bool)> {
    r.iter().map(|x| (x.result.name.clone(), x.rank, x.bottom_two, x.flagged, x.last_by_rule)).collect()
}

/// A patrol of `seg` starting at `start`, walked `off_m` beside its line (or, without a line,
/// somewhere in the county: there is nothing to measure it against).
async fn patrol_on(app: &TestApp, token: &str, seg: &Segment, start: chrono::DateTime<Utc>, off_m: f64) -> Patrol {
    let line = if seg.polyline.len() >= 2 {
        seg.polyline.clone()
    } else {
        vec![
            GeoPoint { lat: 35.30, lon: 110.70, accuracy_m: None },
            GeoPoint { lat: 35.31, lon: 110.70, accuracy_m: None },
        ]
    };
    let body = SubmitPatrol {
        id: PatrolId::new(),
        segment_ids: vec![seg.id],
        started_at: start,
        ended_at: start + Duration::hours(2), // a 5 km walk at 4.8 km/h is 62 min: every fix inside the patrol
        track: walk(&line, off_m, start),
        checks: checks(true),
        findings: vec![],
        notes: String::new(),
    };
    expect_json(app.send_json(Method::POST, api::PATROLS, Some(token), &body).await, 201).await
}

/// 08:00 China time on a day of 2026.
fn day(month: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, d, 0, 0, 0).unwrap()
}

async fn township(app: &TestApp, admin: &str, name: &str) -> OrgUnitId {
    let all: List<OrgUnit> =
        expect_json(app.get(&format!("{}?level=township", api::ORG_UNITS), admin).await, 200).await;
    all.items.iter().find(|u| u.name == name && u.level == OrgLevel::Township).unwrap().id
}

/// A new patrol worker of a township with a complete file; answers their id and token.
async fn new_worker(app: &TestApp, admin: &str, username: &str, town: OrgUnitId) -> (UserId, String) {
    let body = CreateUser {
        username: username.into(),
        display_name: format!("{username} 管护员"),
        role: Role::PatrolWorker,
        org_unit_id: town,
        phone: None,
        password: "patrol-pass-1".into(),
    };
    let u: User = expect_json(app.send_json(Method::POST, api::USERS, Some(admin), &body).await, 201).await;
    let file = PatrolWorker {
        user_id: u.id,
        name: String::new(),
        birth_date: chrono::NaiveDate::from_ymd_opt(1975, 1, 1).unwrap(),
        probation_month: None,
        contract_signed: true,
        insured: true,
    };
    expect_json::<PatrolWorker>(app.send_json(Method::PUT, &api::patrol_worker(u.id), Some(admin), &file).await, 200)
        .await;
    let t: xunjian_shared::auth::TokenResponse = expect_json(app.try_login(username, "patrol-pass-1").await, 200).await;
    (u.id, t.access_token)
}

/// Registers a road of `km` with one segment over all of it in `town`, worked by `worker`.
async fn road_with_segment(
    app: &TestApp,
    admin: &str,
    code: &str,
    km: f64,
    town: OrgUnitId,
    polyline: Vec<GeoPoint>,
    worker: UserId,
) -> Segment {
    let road = CreateRoad {
        id: None,
        code: code.into(),
        name: format!("{code}线"),
        level: RoadLevel::Village,
        length_km: km,
        responsible: None,
    };
    let road: Road = expect_json(app.send_json(Method::POST, api::ROADS, Some(admin), &road).await, 201).await;
    let seg = CreateSegment { id: None, township_id: town, from_km: 0.0, to_km: km, polyline, worker_id: Some(worker) };
    let url = api::road_segments(road.id);
    expect_json(app.send_json(Method::POST, &url, Some(admin), &seg).await, 201).await
}

both_backends!(a_check_stays_with_the_county_until_published_and_then_is_frozen, |app| {
    let admin = app.login("admin").await;
    let (admin_id, admin) = (admin.user.user.id, admin.access_token);
    let check = super::start_check(&app, &admin, &super::demo_month_check()).await;
    let (one, rank_url) = (api::road_check(check.id), api::road_check_ranking(check.id));
    // Patrol workers never see checks; before publishing, nobody but the county does (404 as if out of scope).
    let worker = app.login("yishi.patrol").await.access_token;
    for url in [api::ROAD_CHECKS, one.as_str(), rank_url.as_str()] {
        expect_problem(app.get(url, &worker).await, 403, "forbidden").await;
    }
    let station = app.login("yishi.road").await.access_token;
    let office = app.login("niudu.office").await.access_token;
    let grid = app.login("yishi.grid").await.access_token;
    for t in [&station, &office, &grid] {
        let listed: Vec<Check> = expect_json(app.get(api::ROAD_CHECKS, t).await, 200).await;
        assert!(listed.is_empty(), "the draw does not leak: {listed:?}");
        expect_problem(app.get(&one, t).await, 404, "not_found").await;
    }
    for t in [&station, &office] {
        expect_problem(app.get(&rank_url, t).await, 404, "not_found").await;
        expect_problem(app.get(&format!("{rank_url}?format=csv"), t).await, 404, "not_found").await;
    }
    // The inspector scores: 猗氏镇's ditches fail, 牛杜镇 passes everything.
    let yishi: Vec<String> = segments(&app, &station).await.iter().map(|s| s.id.to_string()).collect();
    for seg in &check.draw.segments {
        let items = checks(true)
            .into_iter()
            .map(|c| RoadCheck { pass: !(yishi.contains(seg) && c.item == RoadCheckItem::Ditches), ..c })
            .collect();
        let url = api::road_check_score(check.id, seg.parse().unwrap());
        expect_json::<Check>(app.send_json(Method::PUT, &url, Some(&admin), &ScoreSegment { items }).await, 200).await;
    }
    // And both stations' items (第二十四条), with full marks.
    score_stations(&app, &admin, &check, &|_| 1.0).await;
    let before: Vec<Ranked> = expect_json(app.get(&rank_url, &admin).await, 200).await;
    assert_eq!(
        marks(&before),
        [("猗氏镇".into(), 1, true, false, false), ("牛杜镇".into(), 2, true, false, true)],
        "牛杜镇's worker has no February record"
    );
    let published = publish(&app, &admin, &check).await;
    let at = published.published_at.expect("published");
    // Now everyone but the patrol workers sees it, with its scoring forms.
    for t in [&station, &office, &grid] {
        let listed: Vec<Check> = expect_json(app.get(api::ROAD_CHECKS, t).await, 200).await;
        assert_eq!(listed.iter().map(|c| c.id).collect::<Vec<_>>(), [check.id]);
        let d: CheckDetail = expect_json(app.get(&one, t).await, 200).await;
        assert_eq!(d.check, published);
        assert_eq!(d.scores.len(), 4, "the four drawn segments' forms");
        assert_eq!(d.station_scores.iter().map(|c| c.points).collect::<Vec<_>>(), [25.0, 25.0], "both stations");
        assert_eq!(
            d.scores.iter().map(|s| s.segment_id.to_string()).collect::<Vec<_>>(),
            check.draw.segments,
            "in the order of the draw"
        );
        for s in &d.scores {
            assert_eq!(
                (s.scored_by, s.scored_by_name.as_str(), s.scored_at),
                (Some(admin_id), "县级管理员", app.now())
            );
            assert_eq!(s.items.len(), 7);
            let failed: Vec<RoadCheckItem> = s.items.iter().filter(|i| !i.pass).map(|i| i.item).collect();
            if yishi.contains(&s.segment_id.to_string()) {
                assert_eq!(failed, [RoadCheckItem::Ditches], "why 猗氏镇 lost points");
                assert!((s.score - 600.0 / 7.0).abs() < 1e-9);
            } else {
                assert!(failed.is_empty() && s.score == 100.0);
            }
        }
    }
    expect_problem(app.get(&one, &worker).await, 403, "forbidden").await;
    expect_problem(app.get(&rank_url, &grid).await, 403, "forbidden").await;
    // Later the world changes: 牛杜镇's worker hands in a February patrol, a third township gets a
    // road and a worker. The published ranking does not change, for anyone, in any format.
    let niudu = app.login("niudu.patrol").await.access_token;
    let his = segments(&app, &niudu).await;
    patrol_on(&app, &niudu, &his[0], day(2, 20), 5.0).await;
    let chuhou = township(&app, &admin, "楚侯乡").await;
    let (w, _) = new_worker(&app, &admin, "chuhou.patrol", chuhou).await;
    road_with_segment(&app, &admin, "C777", 2.0, chuhou, vec![], w).await;
    for t in [&admin, &station, &office] {
        let after: Vec<Ranked> = expect_json(app.get(&rank_url, t).await, 200).await;
        assert_eq!(after, before, "the 通报 as published");
    }
    let csv = app.get(&format!("{rank_url}?format=csv"), &station).await.text().await.unwrap();
    assert!(csv.contains("2,牛杜镇,100,100,25,1,是,是,") && !csv.contains("楚侯乡"), "{csv}");
    // …while the figures computed today have changed: 牛杜镇's worker has a February day now, and a
    // check drawn today ranks three townships.
    let niudu_town = township(&app, &admin, "牛杜镇").await;
    let url = format!("{}?township_id={niudu_town}&month=2026-02", api::ROADS_PAY_SHEET);
    let sheet: PaySheet = expect_json(app.get(&url, &admin).await, 200).await;
    assert_eq!(sheet.lines.iter().map(|l| l.month.days_on_road).collect::<Vec<_>>(), [1]);
    let q1 = new_check(&app, &admin, CheckKind::QuarterlyFull, "2026-Q1", 9).await;
    assert_eq!(ranking(&app, &admin, &q1).await.len(), 3);
    // Publishing again changes nothing; a published check takes no more scores.
    assert_eq!(publish(&app, &admin, &check).await.published_at, Some(at));
    let url = api::road_check_score(check.id, check.draw.segments[0].parse().unwrap());
    let body = ScoreSegment { items: checks(true) };
    expect_problem(app.send_json(Method::PUT, &url, Some(&admin), &body).await, 409, "conflict").await;
    assert_eq!(ranking(&app, &station, &check).await, before);
    app.stop().await;
});

both_backends!(a_walk_beside_the_road_is_stored_but_is_no_day_on_the_road, |app| {
    let admin = app.login("admin").await.access_token;
    let today = app.now() - Duration::hours(2);
    // In March 猗氏镇's two workers walk their roads; 牛杜镇's stays in the village, 300 m beside his.
    for who in ["yishi.patrol", "yishi.patrol2"] {
        let t = app.login(who).await.access_token;
        let mine = segments(&app, &t).await;
        let p = patrol_on(&app, &t, &mine[0], today, 5.0).await;
        assert!(p.coverage[0].1.unwrap() > 0.95);
    }
    let niudu = app.login("niudu.patrol").await;
    let his = segments(&app, &niudu.access_token).await;
    let lazy = patrol_on(&app, &niudu.access_token, &his[0], today, 300.0).await;
    assert_eq!(lazy.coverage, vec![(his[0].id, Some(0.0))]);
    // It is stored and listed with its coverage…
    let listed: Vec<PatrolSummary> =
        expect_json(app.get(&format!("{}?month=2026-03", api::PATROLS), &admin).await, 200).await;
    let mine: Vec<&PatrolSummary> = listed.iter().filter(|p| p.worker_id == niudu.user.user.id).collect();
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].id, &mine[0].coverage), (lazy.submitted.id, &lazy.coverage));
    // …but it is not an on-road record: no day, no km, the pay withheld (第二十六条).
    let town = niudu.user.org_chain[1].id;
    let sheet: PaySheet =
        expect_json(app.get(&format!("{}?township_id={town}&month=2026-03", api::ROADS_PAY_SHEET), &admin).await, 200)
            .await;
    let line = &sheet.lines[0];
    assert_eq!((line.month.days_on_road, line.month.km_covered, line.withheld), (0, 0.0, true));
    let yishi = app.login("yishi.road").await;
    let url = format!("{}?township_id={}&month=2026-03", api::ROADS_PAY_SHEET, yishi.user.org_chain[1].id);
    let theirs: PaySheet = expect_json(app.get(&url, &yishi.access_token).await, 200).await;
    assert!(theirs.lines.iter().all(|l| l.month.days_on_road == 1 && !l.withheld), "{:?}", theirs.lines);
    // 牛杜镇's roads score better, yet it ranks last.
    let check = new_check(&app, &admin, CheckKind::MonthlyRandom, "2026-03", 3).await;
    let fails: HashMap<OrgUnitId, usize> = [(town, 0), (yishi.user.org_chain[1].id, 3)].into();
    score_by_township(&app, &admin, &check, &fails).await;
    let r = ranking(&app, &admin, &check).await;
    assert_eq!(marks(&r), [("猗氏镇".into(), 1, true, false, false), ("牛杜镇".into(), 2, true, false, true)]);
    assert_eq!((r[1].result.workers_without_record, r[1].result.score), (1, 100.0));
    app.stop().await;
});

both_backends!(four_townships_ranked_over_two_months_and_a_quarter, |app| {
    let admin = app.login("admin").await.access_token;
    let (yishi, niudu) = (township(&app, &admin, "猗氏镇").await, township(&app, &admin, "牛杜镇").await);
    let (chuhou, meiyang) = (township(&app, &admin, "楚侯乡").await, township(&app, &admin, "嵋阳镇").await);
    // Two more townships get a road each: 楚侯乡's without a surveyed line, 嵋阳镇's with one.
    let (cw, ct) = new_worker(&app, &admin, "chuhou.patrol", chuhou).await;
    let (mw, mt) = new_worker(&app, &admin, "meiyang.patrol", meiyang).await;
    road_with_segment(&app, &admin, "C801", 2.5, chuhou, vec![], cw).await;
    let line = vec![
        GeoPoint { lat: 35.20, lon: 110.90, accuracy_m: None },
        GeoPoint { lat: 35.20 + 4.0 / 111.195, lon: 110.90, accuracy_m: None },
    ];
    road_with_segment(&app, &admin, "C802", 4.0, meiyang, line, mw).await;
    let mut workers = Vec::new();
    for who in ["yishi.patrol", "yishi.patrol2", "niudu.patrol"] {
        workers.push((who.to_string(), app.login(who).await.access_token));
    }
    workers.push(("chuhou.patrol".into(), ct));
    workers.push(("meiyang.patrol".into(), mt));
    // Every worker is on the road in January and February (猗氏镇's February is the demo month's) and
    // in March, except 嵋阳镇's, who has no record in March.
    for (who, t) in &workers {
        let seg = segments(&app, t).await.remove(0);
        patrol_on(&app, t, &seg, day(1, 12), 4.0).await;
        if !who.starts_with("yishi") {
            patrol_on(&app, t, &seg, day(2, 12), 4.0).await;
        }
        if who != "meiyang.patrol" {
            patrol_on(&app, t, &seg, day(3, 1), 4.0).await;
        }
    }
    // A road without a surveyed line: the patrol counts, there is nothing to measure it against.
    let url = format!("{}?township_id={chuhou}&month=2026-01", api::ROADS_PAY_SHEET);
    let sheet: PaySheet = expect_json(app.get(&url, &admin).await, 200).await;
    assert_eq!(sheet.lines.iter().map(|l| (l.month.days_on_road, l.withheld)).collect::<Vec<_>>(), [(1, false)]);

    // January: 猗氏镇 100, 牛杜镇 6/7, 楚侯乡 5/7, 嵋阳镇 4/7 — the last two are 楚侯乡 and 嵋阳镇.
    let jan = new_check(&app, &admin, CheckKind::MonthlyRandom, "2026-01", 31).await;
    let fails = |a, b, c, d| HashMap::from([(yishi, a), (niudu, b), (chuhou, c), (meiyang, d)]);
    score_by_township(&app, &admin, &jan, &fails(0, 1, 2, 3)).await;
    let r1 = ranking(&app, &admin, &jan).await;
    assert_eq!(
        marks(&r1),
        [
            ("猗氏镇".into(), 1, false, false, false),
            ("牛杜镇".into(), 2, false, false, false),
            ("楚侯乡".into(), 3, true, false, false),
            ("嵋阳镇".into(), 4, true, false, false),
        ],
        "no December check: nobody is twice in the bottom two"
    );
    assert!(r1.iter().all(|r| r.result.workers_without_record == 0));
    let tenth = |x: f64| (x * 10.0).round() / 10.0;
    let roads: Vec<f64> = r1.iter().map(|r| tenth(r.result.road_score.unwrap())).collect();
    assert_eq!(roads, [100.0, 85.7, 71.4, 57.1]);
    // By the default form (第二十四条): 75 % of the roads plus the stations' 25 (full marks here).
    let scores: Vec<f64> = r1.iter().map(|r| tenth(r.result.score)).collect();
    assert_eq!(scores, [100.0, 89.3, 78.6, 67.9]);
    assert!(r1.iter().all(|r| r.result.station_points == Some(25.0)));
    publish(&app, &admin, &jan).await;
    // February: 牛杜镇 100, 楚侯乡 6/7, 嵋阳镇 5/7, 猗氏镇 3/7. The bottom two are 嵋阳镇 and 猗氏镇;
    // only 嵋阳镇 was in January's bottom two as well: it alone is flagged (第二十五条).
    let feb = new_check(&app, &admin, CheckKind::MonthlyRandom, "2026-02", 32).await;
    score_by_township(&app, &admin, &feb, &fails(4, 0, 1, 2)).await;
    let r2 = ranking(&app, &admin, &feb).await;
    assert_eq!(
        marks(&r2),
        [
            ("牛杜镇".into(), 1, false, false, false),
            ("楚侯乡".into(), 2, false, false, false),
            ("嵋阳镇".into(), 3, true, true, false),
            ("猗氏镇".into(), 4, true, false, false),
        ]
    );
    // Published, the flags stay as they are.
    publish(&app, &admin, &feb).await;
    let station = app.login("yishi.road").await.access_token;
    assert_eq!(ranking(&app, &station, &feb).await, r2);

    // The first quarter's full inspection covers January to March: 嵋阳镇 scores best but its worker has
    // no record in March, so it ranks last (第二十六条); no fourth-quarter check, so nobody is flagged.
    let q1 = new_check(&app, &admin, CheckKind::QuarterlyFull, "2026-Q1", 33).await;
    assert_eq!(q1.draw.segments.len(), 9, "every segment: 4 + 3 + 1 + 1");
    score_by_township(&app, &admin, &q1, &fails(1, 2, 3, 0)).await;
    let rq = ranking(&app, &admin, &q1).await;
    assert_eq!(
        marks(&rq),
        [
            ("猗氏镇".into(), 1, false, false, false),
            ("牛杜镇".into(), 2, false, false, false),
            ("楚侯乡".into(), 3, true, false, false),
            ("嵋阳镇".into(), 4, true, false, true),
        ]
    );
    assert_eq!((rq[3].result.score, rq[3].result.workers_without_record), (100.0, 1));
    assert!(rq[..3].iter().all(|r| r.result.workers_without_record == 0));
    app.stop().await;
});

/// A new county admin; answers their id and token.
pub(super) async fn new_admin(app: &TestApp, admin: &str, username: &str, county: OrgUnitId) -> (UserId, String) {
    let body = CreateUser {
        username: username.into(),
        display_name: format!("{username} 检查员"),
        role: Role::CountyAdmin,
        org_unit_id: county,
        phone: None,
        password: "inspector-pass-1".into(),
    };
    let u: User = expect_json(app.send_json(Method::POST, api::USERS, Some(admin), &body).await, 201).await;
    let t: xunjian_shared::auth::TokenResponse =
        expect_json(app.try_login(username, "inspector-pass-1").await, 200).await;
    (u.id, t.access_token)
}

both_backends!(only_a_drawn_inspector_scores_a_drawn_segment, |app| {
    // Issue 16, defect 3: the double-random inspectors were only recorded — a third county admin,
    // not drawn, scored a drawn segment with 200.
    let login = app.login("admin").await;
    let (admin_id, admin) = (login.user.user.id, login.access_token);
    let county = login.user.org_chain[0].id;
    let (second, second_t) = new_admin(&app, &admin, "inspector.two", county).await;
    let (third, third_t) = new_admin(&app, &admin, "inspector.three", county).await;
    let body = CreateCheck { inspectors: Some(2), ..super::demo_month_check() };
    let check = super::start_check(&app, &admin, &body).await;
    assert_eq!(check.draw.inspectors.len(), 2);
    let tokens: HashMap<String, &str> =
        [(admin_id.to_string(), admin.as_str()), (second.to_string(), &second_t), (third.to_string(), &third_t)].into();
    let outsider = tokens.keys().find(|id| !check.draw.inspectors.contains(id)).expect("one of three is not drawn");
    let url = api::road_check_score(check.id, check.draw.segments[0].parse().unwrap());
    let body = ScoreSegment { items: checks(true) };
    let p =
        expect_problem(app.send_json(Method::PUT, &url, Some(tokens[outsider]), &body).await, 403, "not_an_inspector")
            .await;
    assert!(p.message.contains("抽中"), "{}", p.message);
    // Nothing was recorded for the outsider…
    let d: CheckDetail = expect_json(app.get(&api::road_check(check.id), &admin).await, 200).await;
    assert!(d.scores.is_empty() && d.check.scored.is_empty(), "{d:?}");
    // …while each drawn inspector scores, and is named on the form.
    for (i, who) in check.draw.inspectors.iter().enumerate() {
        let url = api::road_check_score(check.id, check.draw.segments[i].parse().unwrap());
        expect_json::<Check>(app.send_json(Method::PUT, &url, Some(tokens[who]), &body).await, 200).await;
    }
    let d: CheckDetail = expect_json(app.get(&api::road_check(check.id), &admin).await, 200).await;
    let by: Vec<String> = d.scores.iter().map(|s| s.scored_by.unwrap().to_string()).collect();
    assert_eq!(by, check.draw.inspectors);
    app.stop().await;
});

both_backends!(townships_last_by_rule_share_the_last_rank_and_equal_scores_share_a_rank, |app| {
    // Issue 16, defect 6: two townships last by 第二十六条 ranked 3 and 4 instead of sharing last
    // place, and equal scores took different ranks by name.
    let admin = app.login("admin").await.access_token;
    let (chuhou, meiyang) = (township(&app, &admin, "楚侯乡").await, township(&app, &admin, "嵋阳镇").await);
    // February: 猗氏镇's workers patrolled (the demo), 牛杜镇's did not; 楚侯乡's worker does not
    // either, 嵋阳镇's does.
    let (cw, _) = new_worker(&app, &admin, "chuhou.patrol", chuhou).await;
    let (mw, mt) = new_worker(&app, &admin, "meiyang.patrol", meiyang).await;
    road_with_segment(&app, &admin, "C811", 2.0, chuhou, vec![], cw).await;
    let line = vec![
        GeoPoint { lat: 35.20, lon: 110.90, accuracy_m: None },
        GeoPoint { lat: 35.20 + 3.0 / 111.195, lon: 110.90, accuracy_m: None },
    ];
    let seg = road_with_segment(&app, &admin, "C812", 3.0, meiyang, line, mw).await;
    patrol_on(&app, &mt, &seg, day(2, 12), 4.0).await;
    // Every drawn segment passes everything: 猗氏镇 and 嵋阳镇 score 100 both.
    let check = new_check(&app, &admin, CheckKind::MonthlyRandom, "2026-02", 41).await;
    let all_pass: HashMap<OrgUnitId, usize> = [
        (township(&app, &admin, "猗氏镇").await, 0),
        (township(&app, &admin, "牛杜镇").await, 0),
        (chuhou, 0),
        (meiyang, 0),
    ]
    .into();
    score_by_township(&app, &admin, &check, &all_pass).await;
    let expected = [
        ("嵋阳镇".to_string(), 1, false, false, false),
        ("猗氏镇".into(), 1, false, false, false),
        ("楚侯乡".into(), 4, true, false, true),
        ("牛杜镇".into(), 4, true, false, true),
    ];
    assert_eq!(marks(&ranking(&app, &admin, &check).await), expected, "shared first and shared last");
    // The CSV for the notice says the same.
    let url = format!("{}?format=csv", api::road_check_ranking(check.id));
    let csv = app.get(&url, &admin).await.text().await.unwrap();
    // 名次, 乡镇, 得分, 路段得分, 站所考核得分, 无上路记录人数, the three marks.
    assert!(csv.contains("4,楚侯乡,100,100,25,1,是,是,") && csv.contains("4,牛杜镇,100,100,25,1,是,是,"), "{csv}");
    assert!(csv.contains("1,嵋阳镇,100,100,25,0,,,") && csv.contains("1,猗氏镇,100,100,25,0,,,"), "{csv}");
    // Published, as it stood.
    publish(&app, &admin, &check).await;
    assert_eq!(marks(&ranking(&app, &admin, &check).await), expected);
    app.stop().await;
});

both_backends!(a_check_publishes_only_when_every_drawn_segment_is_scored_or_not_checkable, |app| {
    // Issue 16, defect 4: a check published with drawn segments unscored scored that township 0 and
    // could put it in the bottom two and flag it.
    let admin = app.login("admin").await.access_token;
    let check = super::start_check(&app, &admin, &super::demo_month_check()).await;
    let station = app.login("yishi.road").await.access_token;
    let yishi: Vec<String> = segments(&app, &station).await.iter().map(|s| s.id.to_string()).collect();
    let (theirs, others): (Vec<&String>, Vec<&String>) = check.draw.segments.iter().partition(|s| yishi.contains(s));
    assert_eq!((theirs.len(), others.len()), (2, 2));
    // 牛杜镇's two segments are scored; 猗氏镇's are not: publishing is refused and says how many.
    let body = ScoreSegment { items: checks(true) };
    for seg in &others {
        let url = api::road_check_score(check.id, seg.parse().unwrap());
        expect_json::<Check>(app.send_json(Method::PUT, &url, Some(&admin), &body).await, 200).await;
    }
    let publish_url = api::road_check_publish(check.id);
    let p =
        expect_problem(app.send_json(Method::POST, &publish_url, Some(&admin), &()).await, 409, "segments_unscored")
            .await;
    assert!(p.detail.as_deref().unwrap_or_default().contains("2 of 4"), "{p:?}");
    let d: CheckDetail = expect_json(app.get(&api::road_check(check.id), &admin).await, 200).await;
    assert!(d.check.published_at.is_none());
    // One of 猗氏镇's is under works: the drawn inspector marks it not checkable, with a reason.
    let mark = |seg: &str| api::road_check_not_checkable(check.id, seg.parse().unwrap());
    let blank = serde_json::json!({"reason": "  "});
    expect_problem(app.send_json(Method::PUT, &mark(theirs[0]), Some(&admin), &blank).await, 422, "validation_failed")
        .await;
    let why = serde_json::json!({"reason": "道路施工封闭，不具备检查条件"});
    let grid = app.login("yishi.grid").await.access_token;
    expect_problem(app.send_json(Method::PUT, &mark(theirs[0]), Some(&grid), &why).await, 403, "forbidden").await;
    let marked: CheckDetail =
        expect_json(app.send_json(Method::PUT, &mark(theirs[0]), Some(&admin), &why).await, 200).await;
    let nc = &marked.not_checkable;
    assert_eq!(nc.len(), 1);
    assert_eq!(
        (nc[0].segment_id.to_string(), nc[0].reason.as_str()),
        (theirs[0].clone(), "道路施工封闭，不具备检查条件")
    );
    assert_eq!((nc[0].marked_by_name.as_str(), nc[0].marked_at), ("县级管理员", app.now()));
    let p =
        expect_problem(app.send_json(Method::POST, &publish_url, Some(&admin), &()).await, 409, "segments_unscored")
            .await;
    assert!(p.detail.as_deref().unwrap_or_default().contains("1 of 4"), "{p:?}");
    // The other is marked too: 猗氏镇 is shown as not checkable, not scored 0 nor put in the bottom
    // two; 牛杜镇 is last by rule (its worker has no February record).
    expect_json::<CheckDetail>(app.send_json(Method::PUT, &mark(theirs[1]), Some(&admin), &why).await, 200).await;
    // 牛杜镇's station items (第二十四条) are still to be scored; 猗氏镇, not checkable, is not waited for.
    let p =
        expect_problem(app.send_json(Method::POST, &publish_url, Some(&admin), &()).await, 409, "segments_unscored")
            .await;
    assert!(p.detail.as_deref().unwrap_or_default().contains("1 of 2 townships"), "{p:?}");
    let niudu = segments(&app, &admin).await.into_iter().find(|s| s.id.to_string() == *others[0]).unwrap().township_id;
    let items = check.form.station_items.iter().map(|i| StationScore { key: i.key.clone(), points: 5.0 }).collect();
    let body = ScoreStation { items, note: Some("交管站有牌有人".into()) };
    let d: CheckDetail = expect_json(
        app.send_json(Method::PUT, &api::road_check_station(check.id, niudu), Some(&admin), &body).await,
        200,
    )
    .await;
    assert_eq!(d.station_scores.len(), 1);
    assert_eq!((d.station_scores[0].township_id, d.station_scores[0].points), (niudu, 25.0));
    publish(&app, &admin, &check).await;
    let r = ranking(&app, &admin, &check).await;
    assert_eq!(marks(&r), [("猗氏镇".into(), 1, false, false, false), ("牛杜镇".into(), 2, true, false, true)]);
    assert!(r[0].result.not_checkable && !r[1].result.not_checkable);
    // The ranking file says so too, rather than a score of 0.
    let csv = app.get(&format!("{}?format=csv", api::road_check_ranking(check.id)), &admin).await.text().await.unwrap();
    let yishi = csv.lines().find(|l| l.contains("猗氏镇")).unwrap_or_default();
    assert_eq!(yishi.split(',').nth(2), Some("不具备检查条件"), "the score column: {csv}");
    // Published: no more marks either.
    expect_problem(app.send_json(Method::PUT, &mark(theirs[0]), Some(&admin), &why).await, 409, "conflict").await;
    app.stop().await;
});
