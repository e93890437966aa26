//! Checks and ranking: who sees a check before and after publishing, the published ranking frozen,
//! the scoring forms, on-road records that never reached the road, and the ranking rules over four
//! townships, two months and a quarter.

use super::*;
use chrono::TimeZone;
use std::collections::HashMap;
use xunjian_shared::api::List;
use xunjian_shared::org::{OrgLevel, OrgUnit};
use xunjian_shared::road::check::CheckDetail;
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

/// Scores every drawn segment, failing as many items as `fails` says for its township.
async fn score_by_township(app: &TestApp, admin: &str, check: &Check, fails: &HashMap<OrgUnitId, usize>) {
    let town_of: HashMap<String, OrgUnitId> =
        segments(app, admin).await.into_iter().map(|s| (s.id.to_string(), s.township_id)).collect();
    for seg in &check.draw.segments {
        let body = ScoreSegment { items: failing(fails[&town_of[seg]]) };
        let url = format!("/api/v1/road-checks/{}/scores/{seg}", check.id);
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
    expect_json(app.send_json(Method::POST, "/api/v1/road-checks", Some(admin), &body).await, 201).await
}

async fn ranking(app: &TestApp, token: &str, check: &Check) -> Vec<Ranked> {
    expect_json(app.get(&format!("/api/v1/road-checks/{}/ranking", check.id), token).await, 200).await
}

async fn publish(app: &TestApp, admin: &str, check: &Check) -> Check {
    let url = format!("/api/v1/road-checks/{}/publish", check.id);
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
        ended_at: start + Duration::hours(1),
        track: walk(&line, off_m, start),
        checks: checks(true),
        findings: vec![],
        notes: String::new(),
    };
    expect_json(app.send_json(Method::POST, "/api/v1/patrols", Some(token), &body).await, 201).await
}

/// 08:00 China time on a day of 2026.
fn day(month: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, d, 0, 0, 0).unwrap()
}

async fn township(app: &TestApp, admin: &str, name: &str) -> OrgUnitId {
    let all: List<OrgUnit> = expect_json(app.get("/api/v1/org-units?level=township", admin).await, 200).await;
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
    let u: User = expect_json(app.send_json(Method::POST, "/api/v1/users", Some(admin), &body).await, 201).await;
    let file = PatrolWorker {
        user_id: u.id,
        name: String::new(),
        birth_date: chrono::NaiveDate::from_ymd_opt(1975, 1, 1).unwrap(),
        probation_month: None,
        contract_signed: true,
        insured: true,
    };
    expect_json::<PatrolWorker>(
        app.send_json(Method::PUT, &format!("/api/v1/patrol-workers/{}", u.id), Some(admin), &file).await,
        200,
    )
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
    let road: Road = expect_json(app.send_json(Method::POST, "/api/v1/roads", Some(admin), &road).await, 201).await;
    let seg = CreateSegment { id: None, township_id: town, from_km: 0.0, to_km: km, polyline, worker_id: Some(worker) };
    let url = format!("/api/v1/roads/{}/segments", road.id);
    expect_json(app.send_json(Method::POST, &url, Some(admin), &seg).await, 201).await
}

both_backends!(a_check_stays_with_the_county_until_published_and_then_is_frozen, |app| {
    let admin = app.login("admin").await;
    let (admin_id, admin) = (admin.user.user.id, admin.access_token);
    let check = super::start_check(&app, &admin, &super::demo_month_check()).await;
    let (one, rank_url) =
        (format!("/api/v1/road-checks/{}", check.id), format!("/api/v1/road-checks/{}/ranking", check.id));
    // Patrol workers never see checks; before publishing, nobody but the county does (404 as if out of scope).
    let worker = app.login("yishi.patrol").await.access_token;
    for url in ["/api/v1/road-checks", one.as_str(), rank_url.as_str()] {
        expect_problem(app.get(url, &worker).await, 403, "forbidden").await;
    }
    let station = app.login("yishi.road").await.access_token;
    let office = app.login("niudu.office").await.access_token;
    let grid = app.login("yishi.grid").await.access_token;
    for t in [&station, &office, &grid] {
        let listed: Vec<Check> = expect_json(app.get("/api/v1/road-checks", t).await, 200).await;
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
        let url = format!("/api/v1/road-checks/{}/scores/{seg}", check.id);
        expect_json::<Check>(app.send_json(Method::PUT, &url, Some(&admin), &ScoreSegment { items }).await, 200).await;
    }
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
        let listed: Vec<Check> = expect_json(app.get("/api/v1/road-checks", t).await, 200).await;
        assert_eq!(listed.iter().map(|c| c.id).collect::<Vec<_>>(), [check.id]);
        let d: CheckDetail = expect_json(app.get(&one, t).await, 200).await;
        assert_eq!(d.check, published);
        assert_eq!(d.scores.len(), 4, "the four drawn segments' forms");
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
    assert!(csv.contains("2,牛杜镇,100,1,是,是,") && !csv.contains("楚侯乡"), "{csv}");
    // …while the figures computed today have changed: 牛杜镇's worker has a February day now, and a
    // check drawn today ranks three townships.
    let niudu_town = township(&app, &admin, "牛杜镇").await;
    let url = format!("/api/v1/roads/pay-sheet?township_id={niudu_town}&month=2026-02");
    let sheet: PaySheet = expect_json(app.get(&url, &admin).await, 200).await;
    assert_eq!(sheet.lines.iter().map(|l| l.month.days_on_road).collect::<Vec<_>>(), [1]);
    let q1 = new_check(&app, &admin, CheckKind::QuarterlyFull, "2026-Q1", 9).await;
    assert_eq!(ranking(&app, &admin, &q1).await.len(), 3);
    // Publishing again changes nothing; a published check takes no more scores.
    assert_eq!(publish(&app, &admin, &check).await.published_at, Some(at));
    let url = format!("/api/v1/road-checks/{}/scores/{}", check.id, check.draw.segments[0]);
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
    let listed: Vec<PatrolSummary> = expect_json(app.get("/api/v1/patrols?month=2026-03", &admin).await, 200).await;
    let mine: Vec<&PatrolSummary> = listed.iter().filter(|p| p.worker_id == niudu.user.user.id).collect();
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].id, &mine[0].coverage), (lazy.submitted.id, &lazy.coverage));
    // …but it is not an on-road record: no day, no km, the pay withheld (第二十六条).
    let town = niudu.user.org_chain[1].id;
    let sheet: PaySheet =
        expect_json(app.get(&format!("/api/v1/roads/pay-sheet?township_id={town}&month=2026-03"), &admin).await, 200)
            .await;
    let line = &sheet.lines[0];
    assert_eq!((line.month.days_on_road, line.month.km_covered, line.withheld), (0, 0.0, true));
    let yishi = app.login("yishi.road").await;
    let url = format!("/api/v1/roads/pay-sheet?township_id={}&month=2026-03", yishi.user.org_chain[1].id);
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
    let url = format!("/api/v1/roads/pay-sheet?township_id={chuhou}&month=2026-01");
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
    let scores: Vec<f64> = r1.iter().map(|r| (r.result.score * 10.0).round() / 10.0).collect();
    assert_eq!(scores, [100.0, 85.7, 71.4, 57.1]);
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
