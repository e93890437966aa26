//! The month close (第二十一、二十二条): a frozen pay sheet, signatures in order by the right people,
//! and late records as corrections on the next sheet — never a change to a frozen sheet or a
//! published ranking (issue 16, defect 2: a November record synced in December turned a withheld
//! November pay into 550 yuan while the published ranking still had the township last).

use super::*;
use chrono::TimeZone;
use xunjian_shared::road::month_close::{MonthAct, MonthActRequest, MonthStatus, RoadSigners};
use xunjian_shared::user::CreateUser;
use xunjian_shared::{OrgUnitId, Role, UserId};

pub(super) async fn new_user(app: &TestApp, admin: &str, username: &str, role: Role, unit: OrgUnitId) -> UserId {
    let body = CreateUser {
        username: username.into(),
        display_name: format!("{username}名"),
        role,
        org_unit_id: unit,
        phone: None,
        password: "xunjian2026".into(),
    };
    let u: xunjian_shared::user::User =
        expect_json(app.send_json(Method::POST, api::USERS, Some(admin), &body).await, 201).await;
    u.id
}

pub(super) async fn sheet(app: &TestApp, token: &str, town: OrgUnitId, month: &str) -> PaySheet {
    expect_json(app.get(&format!("{}?township_id={town}&month={month}", api::ROADS_PAY_SHEET), token).await, 200).await
}

pub(super) async fn act(app: &TestApp, token: &str, town: OrgUnitId, month: &str, act: MonthAct) -> reqwest::Response {
    let body = MonthActRequest { month: month.into(), act };
    app.send_json(Method::POST, &api::road_month_acts(town), Some(token), &body).await
}

/// A real walk of a segment on a day of February (08:00 China time).
pub(super) async fn february_walk(app: &TestApp, token: &str, seg: &Segment, day: u32) -> Patrol {
    let start = Utc.with_ymd_and_hms(2026, 2, day, 0, 0, 0).unwrap();
    // A 5 km walk at 4.8 km/h is 62 min: every fix inside the two-hour patrol.
    expect_json(app.send_json(Method::POST, api::PATROLS, Some(token), &walk_body(seg, start)).await, 201).await
}

both_backends!(a_closed_month_is_frozen_signed_in_order_and_late_records_are_next_months_corrections, |app| {
    let admin = app.login("admin").await.access_token;
    let niudu_office = app.login("niudu.office").await;
    let town = niudu_office.user.org_chain[1].id;
    let office = niudu_office.access_token;
    new_user(&app, &admin, "niudu.road", Role::RoadStation, town).await;
    let deputy = new_user(&app, &admin, "niudu.deputy", Role::TownshipOffice, town).await;
    let head = new_user(&app, &admin, "niudu.head", Role::TownshipOffice, town).await;
    let station = app.login("niudu.road").await.access_token;
    let deputy_t = app.login("niudu.deputy").await.access_token;
    let head_t = app.login("niudu.head").await.access_token;
    let worker = app.login("niudu.patrol").await.access_token;

    // February's check is published with 牛杜镇 last by rule: its worker has no on-road record.
    let check = start_check(&app, &admin, &demo_month_check()).await;
    score_all(&app, &admin, &check, &|_| true).await;
    expect_json::<Check>(app.send_json(Method::POST, &api::road_check_publish(check.id), Some(&admin), &()).await, 200)
        .await;
    let published: Vec<Ranked> = expect_json(app.get(&api::road_check_ranking(check.id), &admin).await, 200).await;
    assert!(published.iter().any(|r| r.result.name == "牛杜镇" && r.last_by_rule));

    // Nobody closes a month that is not over (the clock is at 2026-03-02), nor out of turn.
    let p = expect_problem(act(&app, &station, town, "2026-03", MonthAct::Close).await, 422, "validation_failed").await;
    assert!(p.detail.unwrap().starts_with("month"));
    expect_problem(act(&app, &station, town, "2026-02", MonthAct::SignOfficer).await, 409, "out_of_order").await;
    expect_problem(act(&app, &office, town, "2026-02", MonthAct::Close).await, 403, "not_the_signer").await;
    expect_problem(
        act(&app, &app.login("yishi.road").await.access_token, town, "2026-02", MonthAct::Close).await,
        403,
        "out_of_scope",
    )
    .await;

    // The road station closes February: the sheet is frozen as it stands, withheld.
    let closed: PaySheet = expect_json(act(&app, &station, town, "2026-02", MonthAct::Close).await, 200).await;
    assert_eq!(closed.acts.iter().map(|a| a.act).collect::<Vec<_>>(), [MonthAct::Close]);
    assert_eq!(closed.next, Some(MonthAct::SignOfficer));
    assert!(closed.lines[0].withheld && closed.total_yuan == 0.0);
    expect_problem(act(&app, &station, town, "2026-02", MonthAct::Close).await, 409, "out_of_order").await;
    expect_problem(act(&app, &station, town, "2026-01", MonthAct::Close).await, 409, "out_of_order").await;

    // A February record arrives in March: accepted, and an on-road record, but February is frozen.
    let seg = segments(&app, &worker).await.remove(0);
    let late = february_walk(&app, &worker, &seg, 10).await;
    assert!(late.on_road, "{:?}", late.faults);
    let feb = sheet(&app, &office, town, "2026-02").await;
    assert_eq!((feb.lines.clone(), feb.total_yuan, feb.late_records), (closed.lines.clone(), 0.0, 1));
    let ranking: Vec<Ranked> = expect_json(app.get(&api::road_check_ranking(check.id), &admin).await, 200).await;
    assert_eq!(ranking, published, "the published ranking is as published");
    // It is a correction on March's sheet: the day February would have paid.
    let march = sheet(&app, &office, town, "2026-03").await;
    let c: Vec<(String, u32, u32, f64)> =
        march.corrections.iter().map(|c| (c.month.clone(), c.days_was, c.days_now, c.yuan)).collect();
    assert_eq!(c, [("2026-02".to_owned(), 0, 1, 550.0)]);
    assert_eq!(march.total_yuan, 550.0, "March itself has no record yet: withheld, plus the correction");
    assert!(march.acts.is_empty() && march.next == Some(MonthAct::Close));
    let csv = app.get(&format!("{}?township_id={town}&month=2026-03&format=csv", api::ROADS_PAY_SHEET), &office).await;
    let csv = String::from_utf8(csv.bytes().await.unwrap().to_vec()).unwrap();
    assert!(csv.contains("2026-02补记更正（0天→1天）") && csv.contains(",550,"), "the correction on the file: {csv}");

    // Signatures in order, each by its signer.
    expect_problem(act(&app, &deputy_t, town, "2026-02", MonthAct::SignDeputyHead).await, 409, "out_of_order").await;
    expect_problem(act(&app, &office, town, "2026-02", MonthAct::SignOfficer).await, 403, "not_the_signer").await;
    let signed: PaySheet = expect_json(act(&app, &station, town, "2026-02", MonthAct::SignOfficer).await, 200).await;
    assert_eq!(signed.signed_by_road_officer, "niudu.road名");
    let p =
        expect_problem(act(&app, &deputy_t, town, "2026-02", MonthAct::SignDeputyHead).await, 403, "not_the_signer")
            .await;
    assert!(p.detail.unwrap().contains("named no signers"), "nobody named yet");
    // The township names its signers; the same person twice, or a patrol worker, is refused.
    let same = RoadSigners { deputy_head_id: deputy, head_id: deputy };
    expect_problem(
        app.send_json(Method::PUT, &api::road_signers(town), Some(&office), &same).await,
        422,
        "validation_failed",
    )
    .await;
    let patrol_id = app.login("niudu.patrol").await.user.user.id;
    let wrong = RoadSigners { deputy_head_id: deputy, head_id: patrol_id };
    let p = expect_problem(
        app.send_json(Method::PUT, &api::road_signers(town), Some(&office), &wrong).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(p.detail.unwrap().starts_with("head_id"));
    let named = RoadSigners { deputy_head_id: deputy, head_id: head };
    expect_problem(
        app.send_json(Method::PUT, &api::road_signers(town), Some(&station), &named).await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(app.get(&api::road_signers(town), &office).await, 404, "not_found").await;
    let saved: RoadSigners =
        expect_json(app.send_json(Method::PUT, &api::road_signers(town), Some(&office), &named).await, 200).await;
    assert_eq!(saved, named);
    assert_eq!(expect_json::<RoadSigners>(app.get(&api::road_signers(town), &station).await, 200).await, named);
    expect_problem(act(&app, &head_t, town, "2026-02", MonthAct::SignDeputyHead).await, 403, "not_the_signer").await;
    expect_json::<PaySheet>(act(&app, &deputy_t, town, "2026-02", MonthAct::SignDeputyHead).await, 200).await;
    expect_problem(act(&app, &deputy_t, town, "2026-02", MonthAct::Approve).await, 403, "not_the_signer").await;
    let approved: PaySheet = expect_json(act(&app, &head_t, town, "2026-02", MonthAct::Approve).await, 200).await;
    assert_eq!(approved.next, None);
    assert_eq!(
        (approved.signed_by_deputy_head.as_str(), approved.approved_by_head.as_str()),
        ("niudu.deputy名", "niudu.head名")
    );
    let by: Vec<(MonthAct, String)> = approved.acts.iter().map(|a| (a.act, a.by_name.clone())).collect();
    assert_eq!(
        by,
        [
            (MonthAct::Close, "niudu.road名".into()),
            (MonthAct::SignOfficer, "niudu.road名".into()),
            (MonthAct::SignDeputyHead, "niudu.deputy名".into()),
            (MonthAct::Approve, "niudu.head名".into())
        ]
    );
    assert_eq!(approved.lines, closed.lines, "signing changes no figure");
    let csv = app.get(&format!("{}?township_id={town}&month=2026-02&format=csv", api::ROADS_PAY_SHEET), &office).await;
    let csv = String::from_utf8(csv.bytes().await.unwrap().to_vec()).unwrap();
    assert!(csv.contains("乡(镇)长审批：niudu.head名"), "who signed, on the file: {csv}");
    let p = expect_problem(act(&app, &head_t, town, "2026-02", MonthAct::Approve).await, 409, "out_of_order").await;
    assert!(p.detail.unwrap().contains("approved"));

    // The county sees which townships closed February.
    let months: Vec<MonthStatus> =
        expect_json(app.get(&format!("{}?month=2026-02", api::ROADS_MONTHS), &admin).await, 200).await;
    let state: Vec<(String, usize, u32)> =
        months.iter().map(|m| (m.township_name.clone(), m.acts.len(), m.late_records)).collect();
    assert!(state.contains(&("牛杜镇".into(), 4, 1)), "{state:?}");
    assert!(state.contains(&("猗氏镇".into(), 0, 0)), "{state:?}");
    expect_problem(app.get(&format!("{}?month=2026-02", api::ROADS_MONTHS), &worker).await, 403, "forbidden").await;

    // April: March closes with its correction frozen in; a second late February day is only the
    // difference on April's sheet (one day 550, two days 600: 50 more), never paid twice.
    app.clock.advance(Duration::days(30));
    let station = app.login("niudu.road").await.access_token;
    let office = app.login("niudu.office").await.access_token;
    let worker = app.login("niudu.patrol").await.access_token;
    let march: PaySheet = expect_json(act(&app, &station, town, "2026-03", MonthAct::Close).await, 200).await;
    assert_eq!(march.corrections.len(), 1);
    assert_eq!(march.total_yuan, 550.0);
    february_walk(&app, &worker, &seg, 11).await;
    let april = sheet(&app, &office, town, "2026-04").await;
    let c: Vec<(String, u32, u32, f64)> =
        april.corrections.iter().map(|c| (c.month.clone(), c.days_was, c.days_now, c.yuan)).collect();
    assert_eq!(c, [("2026-02".to_owned(), 0, 2, 50.0)]);
    assert_eq!(sheet(&app, &office, town, "2026-03").await.total_yuan, 550.0, "March is frozen too");
    assert_eq!(sheet(&app, &office, town, "2026-02").await.late_records, 2);
    app.stop().await;
});

/// A real walk of a segment from `start` (UTC), two hours long.
async fn walk_from(app: &TestApp, token: &str, seg: &Segment, start: chrono::DateTime<Utc>) -> Patrol {
    expect_json(app.send_json(Method::POST, api::PATROLS, Some(token), &walk_body(seg, start)).await, 201).await
}

// 上下班管理 (第三条): the station sets its working hours; a patrol outside them, one entered days
// later, and one of many days' records sent at once (突击上路) are marked for it, and still count.
both_backends!(working_hours_late_entries_and_bursts_mark_patrols_for_the_station, |app| {
    use xunjian_shared::road::attendance::{PatrolFlag, WorkingHours};
    let station = app.login("yishi.road").await;
    let (town, station) = (station.user.org_chain[1].id, station.access_token);
    let worker = app.login("yishi.patrol").await.access_token;
    let got: WorkingHours = expect_json(app.get(&api::road_hours(town), &station).await, 200).await;
    assert_eq!(got, WorkingHours::default());
    let weekdays = WorkingHours { days: vec![5, 1, 2, 3, 4], start: "08:00".into(), end: "17:00".into() };
    let bad = WorkingHours { end: "07:00".into(), ..weekdays.clone() };
    let p = expect_problem(
        app.send_json(Method::PUT, &api::road_hours(town), Some(&station), &bad).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(p.detail.unwrap().starts_with("end"));
    expect_problem(
        app.send_json(Method::PUT, &api::road_hours(town), Some(&worker), &weekdays).await,
        403,
        "forbidden",
    )
    .await;
    let niudu = app.login("niudu.office").await.user.org_chain[1].id;
    expect_problem(
        app.send_json(Method::PUT, &api::road_hours(niudu), Some(&station), &weekdays).await,
        403,
        "out_of_scope",
    )
    .await;
    let saved: WorkingHours =
        expect_json(app.send_json(Method::PUT, &api::road_hours(town), Some(&station), &weekdays).await, 200).await;
    assert_eq!(saved.days, [1, 2, 3, 4, 5], "kept in order");

    // The clock is at Monday 2026-03-02 16:00 China time.
    let seg = segments(&app, &worker).await.remove(0);
    let china = |d: u32, m: u32, h: u32| Utc.with_ymd_and_hms(2026, m, d, h, 0, 0).unwrap() - Duration::hours(8);
    let today = walk_from(&app, &worker, &seg, china(2, 3, 9)).await;
    assert_eq!((today.on_road, today.flags.clone()), (true, vec![]), "Monday 09:00–11:00, sent at 16:00");
    let saturday = walk_from(&app, &worker, &seg, china(28, 2, 9)).await;
    assert_eq!(saturday.flags, [PatrolFlag::OutsideHours]);
    // A third day's record in the same hour: a burst; ten days after it was walked: late.
    let old = walk_from(&app, &worker, &seg, china(20, 2, 9)).await;
    assert_eq!(old.flags, [PatrolFlag::EnteredLate { days: 10 }, PatrolFlag::Burst { days: 3 }]);
    assert!(old.on_road, "marked for the station, still counted");
    // The station's list shows the marks.
    let listed: Vec<xunjian_shared::road::patrol::PatrolSummary> =
        expect_json(app.get(&format!("{}?month=2026-02&township_id={town}", api::PATROLS), &station).await, 200).await;
    let marked: Vec<usize> = listed.iter().filter(|p| !p.flags.is_empty()).map(|p| p.flags.len()).collect();
    assert_eq!(marked, [2, 1], "oldest first: the 20th's two marks, the 28th's one; the demo's none");
    app.stop().await;
});
