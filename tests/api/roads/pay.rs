//! Pay tied to the checks (第十四、二十六条 扣劣奖优 by 责任到位率): each township's pay scheme as
//! data, the county's defaults until set; a line's parts; a closed sheet keeps its scheme.

use super::months::{act, february_walk, new_user, sheet};
use super::*;
use xunjian_shared::road::month_close::MonthAct;
use xunjian_shared::road::pay::{PayLine, PayScheme, TownshipPayScheme};
use xunjian_shared::{Role, UserId};

/// The one worker's line: days, 到位率, missing-day deduction, check score, 扣劣, 奖优, pay.
fn parts(s: &PaySheet) -> (u32, f64, f64, Option<f64>, f64, f64, f64) {
    let l: &PayLine = &s.lines[0];
    (
        l.month.days_on_road,
        l.attendance_rate,
        l.attendance_deduction_yuan,
        l.check_score,
        l.check_deduction_yuan,
        l.bonus_yuan,
        l.pay_yuan,
    )
}

both_backends!(pay_follows_the_townships_scheme_and_its_workers_check_scores, |app| {
    let admin = app.login("admin").await.access_token;
    let niudu_office = app.login("niudu.office").await;
    let town = niudu_office.user.org_chain[1].id;
    let office = niudu_office.access_token;
    let worker = app.login("niudu.patrol").await.access_token;
    let rules = api::road_pay_rules(town);

    // The county's defaults until the township sets its own.
    let read: TownshipPayScheme = expect_json(app.get(&rules, &office).await, 200).await;
    assert!(read.county_default && read.updated_at.is_none());
    assert_eq!((read.scheme.base_yuan, read.scheme.required_days), (1500.0, 20));

    // Only the township office and the county set it, within their scope, with sane figures.
    let a = PayScheme {
        base_yuan: 1200.0,
        required_days: 2,
        deduction_per_missing_day_yuan: 100.0,
        poor_below: 60.0,
        poor_deduction_yuan: 150.0,
        good_from: 90.0,
        good_bonus_yuan: 200.0,
    };
    expect_problem(app.send_json(Method::PUT, &rules, Some(&worker), &a).await, 403, "forbidden").await;
    let yishi_office = app.login("yishi.office").await.access_token;
    expect_problem(app.send_json(Method::PUT, &rules, Some(&yishi_office), &a).await, 403, "out_of_scope").await;
    for (bad, field) in [
        (PayScheme { good_from: 50.0, ..a.clone() }, "good_from"),
        (PayScheme { required_days: 32, ..a.clone() }, "required_days"),
        (PayScheme { base_yuan: 100_001.0, ..a.clone() }, "base_yuan"),
    ] {
        let p = expect_problem(app.send_json(Method::PUT, &rules, Some(&office), &bad).await, 422, "validation_failed")
            .await;
        assert!(p.detail.unwrap().starts_with(field), "{field}");
    }
    let set: TownshipPayScheme = expect_json(app.send_json(Method::PUT, &rules, Some(&office), &a).await, 200).await;
    assert!(!set.county_default && set.scheme == a && set.updated_by_name == niudu_office.user.user.display_name);

    // No record: withheld by the township's base.
    let feb = sheet(&app, &office, town, "2026-02").await;
    assert!(feb.lines[0].withheld && feb.lines[0].base_yuan == 1200.0 && feb.scheme.as_ref() == Some(&a));
    // One day of two: 到位率 50 %, one day's deduction; no check yet.
    let seg = segments(&app, &worker).await.remove(0);
    february_walk(&app, &worker, &seg, 3).await;
    assert_eq!(parts(&sheet(&app, &office, town, "2026-02").await), (1, 0.5, 100.0, None, 0.0, 0.0, 1100.0));

    // February's check finds 牛杜镇's road poor (every item failed): 扣劣 once published, not before.
    let check = start_check(&app, &admin, &demo_month_check()).await;
    let mine: Vec<String> = segments(&app, &worker).await.iter().map(|s| s.id.to_string()).collect();
    assert!(check.draw.segments.iter().any(|s| mine.contains(s)), "the draw reaches the worker's road");
    score_all(&app, &admin, &check, &|seg| !mine.contains(&seg.to_string())).await;
    assert_eq!(parts(&sheet(&app, &office, town, "2026-02").await).3, None, "an unpublished check pays nothing");
    expect_json::<Check>(app.send_json(Method::POST, &api::road_check_publish(check.id), Some(&admin), &()).await, 200)
        .await;
    assert_eq!(parts(&sheet(&app, &office, town, "2026-02").await), (1, 0.5, 100.0, Some(0.0), 150.0, 0.0, 950.0));
    // The second day: fully in place, still poor.
    february_walk(&app, &worker, &seg, 4).await;
    assert_eq!(parts(&sheet(&app, &office, town, "2026-02").await), (2, 1.0, 0.0, Some(0.0), 150.0, 0.0, 1050.0));

    // A scheme for which that score is good: 奖优, at 100 % 到位率.
    let b = PayScheme { poor_below: 0.0, good_from: 0.0, ..a.clone() };
    expect_json::<TownshipPayScheme>(app.send_json(Method::PUT, &rules, Some(&admin), &b).await, 200).await;
    let open = sheet(&app, &office, town, "2026-02").await;
    assert_eq!(parts(&open), (2, 1.0, 0.0, Some(0.0), 0.0, 200.0, 1400.0));
    assert_eq!(open.total_yuan, 1400.0);

    // Closed, the sheet keeps its scheme: going back to the county's defaults changes open months only.
    new_user(&app, &admin, "niudu.road", Role::RoadStation, town).await;
    let station = app.login("niudu.road").await.access_token;
    let closed: PaySheet = expect_json(act(&app, &station, town, "2026-02", MonthAct::Close).await, 200).await;
    assert_eq!((closed.scheme.as_ref(), closed.lines.clone()), (Some(&b), open.lines.clone()));
    expect_problem(app.request(Method::DELETE, &rules, Some(&station)).send().await.unwrap(), 403, "forbidden").await;
    let reset: TownshipPayScheme =
        expect_json(app.request(Method::DELETE, &rules, Some(&office)).send().await.unwrap(), 200).await;
    assert!(reset.county_default && reset.scheme.base_yuan == 1500.0);
    assert_eq!(sheet(&app, &office, town, "2026-02").await.lines, closed.lines, "frozen");
    let march = sheet(&app, &office, town, "2026-03").await;
    assert_eq!((march.lines[0].base_yuan, march.scheme.map(|s| s.required_days)), (1500.0, Some(20)));

    // The file shows each line's parts and the scheme it was paid by.
    let csv = app.get(&format!("{}?township_id={town}&month=2026-02&format=csv", api::ROADS_PAY_SHEET), &office).await;
    let csv = String::from_utf8(csv.bytes().await.unwrap().to_vec()).unwrap();
    assert!(csv.contains("责任到位率") && csv.contains("扣劣(元)") && csv.contains("奖优(元)"), "{csv}");
    assert!(csv.contains("100%") && csv.contains(",200,1400,"), "the line's parts: {csv}");
    assert!(csv.contains("计发办法：基本工资1200元，每月应上路2天"), "the scheme: {csv}");
    app.stop().await;
});

both_backends!(a_segments_check_score_pays_the_worker_who_held_it_in_the_month, |app| {
    // Issue 16: the score of a segment went to the worker assigned to it when the sheet is computed,
    // so a segment handed over after the month took its February score to the new worker.
    let admin = app.login("admin").await.access_token;
    let niudu_office = app.login("niudu.office").await;
    let (town, office) = (niudu_office.user.org_chain[1].id, niudu_office.access_token);
    let worker = app.login("niudu.patrol").await;
    let (old_id, old) = (worker.user.user.id, worker.access_token);
    let mine = segments(&app, &old).await;
    for (day, seg) in mine.iter().enumerate() {
        february_walk(&app, &old, seg, 3 + day as u32).await;
    }
    // February's check fails every item of his road, and is published.
    let check = start_check(&app, &admin, &demo_month_check()).await;
    let ids: Vec<String> = mine.iter().map(|s| s.id.to_string()).collect();
    score_all(&app, &admin, &check, &|seg| !ids.contains(&seg.to_string())).await;
    expect_json::<Check>(app.send_json(Method::POST, &api::road_check_publish(check.id), Some(&admin), &()).await, 200)
        .await;
    // In March his segments go to a new worker.
    let new_id = new_user(&app, &admin, "niudu.patrol2", Role::PatrolWorker, town).await;
    for s in &mine {
        let body = xunjian_shared::road::patrol::UpdateSegment { worker_id: Some(Some(new_id)), ..Default::default() };
        expect_json::<Segment>(app.send_json(Method::PATCH, &api::segment(s.id), Some(&admin), &body).await, 200).await;
    }
    let feb = sheet(&app, &office, town, "2026-02").await;
    let score_of = |id: UserId| feb.lines.iter().find(|l| l.month.user_id == id.to_string()).map(|l| l.check_score);
    assert_eq!(score_of(old_id), Some(Some(0.0)), "the worker who walked it in February: {feb:?}");
    assert_eq!(score_of(new_id), Some(None), "not the one who holds it now");
    app.stop().await;
});
