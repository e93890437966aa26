//! Quarterly joint-meeting statistics (联席会议) and the hazard list file, against what the test did
//! through the API: inspections, fixes on the spot, re-checks, referrals, the scheduler's overdue.

use super::ledger::{read_xlsx, unit, XLSX};
use super::*;
use chrono::{Duration, TimeZone, Utc};
use xunjian_shared::api;
use xunjian_shared::checklist::HazardCategory;
use xunjian_shared::hazard::{HazardAction, ReferralTarget};
use xunjian_shared::inspection::{hazard_id_for, Inspection};
use xunjian_shared::premise::{Premise, PremisePage, PremiseType};
use xunjian_shared::stats::{QuarterCounts, QuarterStats};
use xunjian_shared::OrgUnitId;
use xunjian_tests::fire::{act_ok, inspection, photo, submit, template_for};

async fn premises(app: &TestApp, token: &str, village: OrgUnitId, t: PremiseType) -> Vec<Premise> {
    let path = format!("{}?org_unit_id={village}&premise_type={}", api::PREMISES, t.as_str());
    let page: PremisePage = expect_json(app.get(&path, token).await, 200).await;
    page.items
}

async fn stats(app: &TestApp, token: &str, unit: OrgUnitId, year: i32, quarter: u32) -> QuarterStats {
    let path = format!("{}?org_unit_id={unit}&year={year}&quarter={quarter}", api::STATS_QUARTER);
    expect_json(app.get(&path, token).await, 200).await
}

/// The counts as one comparable tuple (without categories).
fn nums(c: &QuarterCounts) -> [i64; 9] {
    [
        c.premises,
        c.inspections_due,
        c.inspections_done,
        c.hazards_found,
        c.fixed_on_spot,
        c.rectified,
        c.overdue,
        c.referred,
        c.open_at_end,
    ]
}

fn found(c: &QuarterCounts, cat: HazardCategory) -> i64 {
    c.by_category.iter().find(|x| x.category == cat).expect("every category listed").count
}

/// Moves the app clock to `t` (forward only).
fn set_clock(app: &TestApp, t: chrono::DateTime<Utc>) {
    let by = t - app.now();
    assert!(by >= Duration::zero());
    app.clock.advance(by);
}

/// Does, in 猗氏镇 as its office, what the quarter's statistics must then show. Returns a token
/// valid at the final clock (moving the clock expires access tokens).
async fn a_quarter_of_work(app: &TestApp, villages: &[OrgUnitId; 3]) -> String {
    let token = app.login("yishi.office").await.access_token;
    let tok = token.as_str();
    let shop_t = template_for(app, tok, PremiseType::StreetShop).await;
    let venue_t = template_for(app, tok, PremiseType::SmallVenue).await;
    let east = premises(app, tok, villages[0], PremiseType::StreetShop).await;
    let west = premises(app, tok, villages[1], PremiseType::StreetShop).await;
    let west_venue = premises(app, tok, villages[1], PremiseType::SmallVenue).await;
    let south = premises(app, tok, villages[2], PremiseType::StreetShop).await;
    let now = app.now();
    let evidence = vec![photo(3)];

    // 东街村: a clean inspection and its correction (counted once); a second shop with one item fixed
    // on the spot and one rectified and re-checked.
    let first = submit(app, tok, &inspection(&east[0], &shop_t, &[], &[], now)).await;
    let mut correction = inspection(&east[0], &shop_t, &[], &[], now);
    correction.corrects = Some(first.submitted.id);
    submit(app, tok, &correction).await;
    let two: Inspection = submit(
        app,
        tok,
        &inspection(&east[1], &shop_t, &["ebike-indoor-charging", "private-wiring"], &["ebike-indoor-charging"], now),
    )
    .await;
    assert_eq!(two.hazard_count, 2);
    let wiring = hazard_id_for(two.submitted.id, "private-wiring");
    act_ok(app, tok, wiring, HazardAction::ReportRectified { evidence: evidence.clone() }).await;
    act_ok(app, tok, wiring, HazardAction::RecheckPass { evidence }).await;

    // 西街村: one hazard referred to the enforcement team, one left to run past its deadline.
    let three = submit(app, tok, &inspection(&west[0], &shop_t, &["exit-clear"], &[], now)).await;
    act_ok(
        app,
        tok,
        hazard_id_for(three.submitted.id, "exit-clear"),
        HazardAction::Refer { to: ReferralTarget::Enforcement },
    )
    .await;
    submit(app, tok, &inspection(&west_venue[0], &venue_t, &["escape-route-clutter"], &[], now)).await;
    app.clock.advance(Duration::days(11));
    assert_eq!(app.run_scheduler().overdue, 1);
    let relogin = || async { app.login("yishi.office").await.access_token };

    // 南关村: 31 March 23:30 China time is still Q1; 1 April 00:30 China time (still 31 March in UTC)
    // is Q2.
    set_clock(app, Utc.with_ymd_and_hms(2026, 3, 31, 15, 30, 0).unwrap());
    let tok = &relogin().await;
    let late = inspection(&south[0], &shop_t, &["power-strip-overload"], &[], app.now() - Duration::minutes(10));
    submit(app, tok, &late).await;
    set_clock(app, Utc.with_ymd_and_hms(2026, 3, 31, 16, 30, 0).unwrap());
    let tok = relogin().await;
    let next = inspection(&south[1], &shop_t, &["private-wiring"], &[], app.now() - Duration::minutes(10));
    submit(app, &tok, &next).await;
    tok
}

both_backends!(quarterly_statistics_count_what_was_done_in_china_time, |app| {
    let office = app.login("yishi.office").await;
    let tok = office.access_token.as_str();
    let yishi = office.user.org_chain[1].id;
    let names = ["东街村", "西街村", "南关村"];
    let mut villages = [yishi; 3];
    for (i, n) in names.iter().enumerate() {
        villages[i] = unit(&app, tok, "village", n).await.id;
    }
    let tok = &a_quarter_of_work(&app, &villages).await;

    let q1 = stats(&app, tok, yishi, 2026, 1).await;
    assert_eq!((q1.unit_name.as_str(), q1.year, q1.quarter), ("猗氏镇", 2026, 1));
    assert_eq!(q1.from, Utc.with_ymd_and_hms(2025, 12, 31, 16, 0, 0).unwrap());
    assert_eq!(q1.to, Utc.with_ymd_and_hms(2026, 3, 31, 16, 0, 0).unwrap());
    assert_eq!(q1.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), names);
    // premises, due, done, found, fixed, rectified, overdue, referred, open at the end.
    // The demo premises were registered on 2 March: due for March only (monthly cadence).
    assert_eq!(nums(&q1.rows[0].counts), [8, 8, 2, 2, 1, 1, 0, 0, 0]);
    assert_eq!(nums(&q1.rows[1].counts), [8, 8, 2, 2, 0, 0, 1, 1, 2]);
    assert_eq!(nums(&q1.rows[2].counts), [8, 8, 1, 1, 0, 0, 0, 0, 1]);
    assert_eq!(nums(&q1.total), [24, 24, 5, 5, 1, 1, 1, 1, 3]);
    assert_eq!(found(&q1.rows[0].counts, HazardCategory::EBike), 1);
    assert_eq!(found(&q1.rows[0].counts, HazardCategory::Electrical), 1);
    assert_eq!(found(&q1.rows[1].counts, HazardCategory::Evacuation), 2);
    let total_by_cat: Vec<(HazardCategory, i64)> =
        q1.total.by_category.iter().filter(|c| c.count > 0).map(|c| (c.category, c.count)).collect();
    assert_eq!(
        total_by_cat,
        [(HazardCategory::Electrical, 2), (HazardCategory::Evacuation, 2), (HazardCategory::EBike, 1)]
    );
    assert_eq!(q1.total.by_category[0].label_zh, "电气线路");

    // Q2: a full quarter due (3 × 24); the 00:30 inspection and its hazard; four still open.
    let q2 = stats(&app, tok, yishi, 2026, 2).await;
    assert_eq!(nums(&q2.total), [24, 72, 1, 1, 0, 0, 0, 0, 4]);
    assert_eq!(nums(&q2.rows[2].counts), [8, 24, 1, 1, 0, 0, 0, 0, 2]);
    // Before the premises were registered: nothing.
    let q4 = stats(&app, tok, yishi, 2025, 4).await;
    assert_eq!(nums(&q4.total), [0; 9]);
    // The office's own township is the default unit.
    let own: QuarterStats =
        expect_json(app.get(&format!("{}?year=2026&quarter=1", api::STATS_QUARTER), tok).await, 200).await;
    assert_eq!(own, q1);

    // The county: one row per township; 猗氏镇's row is its own total; the total is the sum.
    let admin = app.login("admin").await;
    let county = admin.user.org_chain[0].id;
    let all = stats(&app, &admin.access_token, county, 2026, 1).await;
    assert_eq!(all.rows.len(), 14);
    assert_eq!(all.rows[0].name, "猗氏镇");
    assert_eq!(all.rows[0].counts, q1.total);
    let mut sum = QuarterCounts::default();
    all.rows.iter().for_each(|r| sum.add(&r.counts));
    assert_eq!(all.total, sum);
    assert_eq!(nums(&all.total), [336, 336, 5, 5, 1, 1, 1, 1, 3]);
    let niudu = app.login("niudu.office").await;
    let theirs = stats(&app, &niudu.access_token, niudu.user.org_chain[1].id, 2026, 1).await;
    assert_eq!(all.rows[1].counts, theirs.total);
    assert_eq!(nums(&theirs.total), [24, 24, 0, 0, 0, 0, 0, 0, 0]);
    let brigade = app.login("brigade").await;
    assert_eq!(stats(&app, &brigade.access_token, county, 2026, 1).await, all);

    // The printable workbook: title, period, header, one row per village, the total.
    let res =
        app.get(&format!("{}?org_unit_id={yishi}&year=2026&quarter=1&format=xlsx", api::STATS_QUARTER), tok).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], XLSX);
    assert_eq!(res.headers()["content-disposition"], "attachment; filename=\"stats-140821100-2026Q1.xlsx\"");
    let rows = read_xlsx(&res.bytes().await.unwrap());
    assert_eq!(rows[0][0], "猗氏镇2026年第1季度消防安全联席会议统计表");
    assert!(rows[1][0].contains("2026-01-01 至 2026-03-31"), "{:?}", rows[1]);
    assert_eq!(rows[2][..5], ["村(社区)", "场所数", "应检次数", "已检次数", "完成率(%)"]);
    assert_eq!(rows[2][11], "电气线路");
    assert_eq!(rows[3][0], "东街村");
    assert_eq!(rows[6][..4], ["合计", "24", "24", "5"]);
    assert_eq!(rows[6][4], "20.8", "5 of 24 due");
    assert_eq!(rows.len(), 7);
    app.stop().await;
});

both_backends!(statistics_are_for_offices_in_their_scope, |app| {
    let office = app.login("yishi.office").await;
    let yishi = office.user.org_chain[1].id;
    let path = |q: &str| format!("{}?org_unit_id={yishi}&year=2026&{q}", api::STATS_QUARTER);
    let niudu = app.login("niudu.office").await;
    expect_problem(app.get(&path("quarter=1"), &niudu.access_token).await, 403, "out_of_scope").await;
    for who in ["yishi.grid", "yishi.enforce", "yishi.road"] {
        let t = app.login(who).await;
        expect_problem(app.get(&path("quarter=1"), &t.access_token).await, 403, "forbidden").await;
    }
    let tok = office.access_token.as_str();
    expect_problem(app.get(&path("quarter=5"), tok).await, 400, "invalid_parameter").await;
    expect_problem(app.get(&path("quarter=x"), tok).await, 400, "invalid_parameter").await;
    expect_problem(app.get(&path("quarter=1&format=pdf"), tok).await, 400, "invalid_parameter").await;
    let grid = unit(&app, tok, "grid", "第一网格").await;
    let r = app.get(&format!("{}?org_unit_id={}&year=2026&quarter=1", api::STATS_QUARTER, grid.id), tok).await;
    expect_problem(r, 422, "validation_failed").await;
    // A village's report has a row per grid.
    let village = unit(&app, tok, "village", "东街村").await;
    let s = stats(&app, tok, village.id, 2026, 1).await;
    assert_eq!(s.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["第一网格", "第二网格"]);
    assert_eq!(nums(&s.total)[..2], [8, 8]);
    app.stop().await;
});

both_backends!(the_hazard_list_downloads_with_chinese_headers_and_filters, |app| {
    let office = app.login("yishi.office").await;
    let tok = office.access_token.as_str();
    let yishi = office.user.org_chain[1].id;
    let mut villages = [yishi; 3];
    for (i, n) in ["东街村", "西街村", "南关村"].iter().enumerate() {
        villages[i] = unit(&app, tok, "village", n).await.id;
    }
    let tok = &a_quarter_of_work(&app, &villages).await;
    let res = app.get(&format!("{}?format=xlsx&org_unit_id={yishi}", api::HAZARDS_EXPORT), tok).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], XLSX);
    assert_eq!(res.headers()["x-total-count"], "6");
    assert_eq!(res.headers()["content-disposition"], "attachment; filename=\"hazards-140821100-2026-04-01.xlsx\"");
    let rows = read_xlsx(&res.bytes().await.unwrap());
    assert_eq!(rows[0], ["场所", "地址", "类别", "等级", "状态", "登记时间", "期限", "移交至"]);
    assert_eq!(rows.len(), 1 + 6);
    // Newest first: the hazard registered at 00:30 on 1 April, China time.
    assert_eq!((rows[1][0].as_str(), rows[1][2].as_str()), ("南关村便民超市", "电气线路"));
    assert!(rows[1][1].starts_with("猗氏镇南关村主街"), "{:?}", rows[1]);
    assert_eq!(rows[1][3..6], ["一般", "限期整改", "2026-04-01 00:30"]);
    assert_eq!(rows[1][6], "2026-04-11 00:30");
    let referred: Vec<&Vec<String>> = rows.iter().filter(|r| r[4] == "已移交").collect();
    assert_eq!(referred.len(), 1);
    assert_eq!((referred[0][2].as_str(), referred[0][7].as_str()), ("安全疏散", "乡镇综合行政执法队"));
    assert_eq!(rows.iter().filter(|r| r[4] == "限时督办").count(), 1);

    // The list's filters apply: closed ones only; CSV.
    let res = app.get(&format!("{}?format=csv&status=closed&org_unit_id={yishi}", api::HAZARDS_EXPORT), tok).await;
    assert_eq!(res.headers()["x-total-count"], "2");
    let text = String::from_utf8(res.bytes().await.unwrap().to_vec()).unwrap();
    let lines: Vec<&str> = text.trim_end().lines().collect();
    assert_eq!(lines[0], "\u{feff}场所,地址,类别,等级,状态,登记时间,期限,移交至");
    assert_eq!(lines.len(), 3);
    assert!(lines[1..].iter().all(|l| l.contains(",已销号,")), "{lines:?}");
    let bad = app.get(&format!("{}?status=done", api::HAZARDS_EXPORT), tok).await;
    expect_problem(bad, 400, "invalid_parameter").await;
    // Another township's office sees none of these; a grid worker may not download.
    let niudu = app.login("niudu.office").await;
    let res = app.get(api::HAZARDS_EXPORT, &niudu.access_token).await;
    assert_eq!(res.headers()["x-total-count"], "0");
    assert_eq!(read_xlsx(&res.bytes().await.unwrap()).len(), 1);
    let grid = app.login("yishi.grid").await;
    expect_problem(app.get(api::HAZARDS_EXPORT, &grid.access_token).await, 403, "forbidden").await;
    app.stop().await;
});
