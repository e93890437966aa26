//! The roadside register (第七条): parties registered by hand and by file (dry-run report, all or
//! nothing, the road station's township, round trip), who reads and keeps it, and a violation on
//! the road naming the household at its place.

use super::*;
use crate::ledger::{read_xlsx, XLSX};
use crate::road_issues::patrol_with_findings;
use chrono::NaiveDate;
use xunjian_shared::hazard::HazardStatus;
use xunjian_shared::road::issue::{FindingCategory, RoadIssueDetail};
use xunjian_shared::road::register::Road;
use xunjian_shared::road::register_file::{RegisterImportReport, RoadsideImportResult};
use xunjian_shared::road::roadside::{NameResponsible, PartyKind, RoadSide, RoadsideParty, SaveRoadsideParty};
use xunjian_shared::{RoadIssueId, RoadsidePartyId};

/// The road station's segment of `code` starting at `from_km`.
async fn segment_of(app: &TestApp, token: &str, code: &str, from_km: f64) -> Segment {
    let roads: Vec<Road> = expect_json(app.get(api::ROADS, token).await, 200).await;
    let road = roads.iter().find(|r| r.code == code).expect("road").id;
    segments(app, token).await.into_iter().find(|s| s.road_id == road && s.from_km == from_km).expect("segment")
}

fn party(seg: &Segment, holder: &str, from_km: f64, to_km: f64) -> SaveRoadsideParty {
    SaveRoadsideParty {
        segment_id: seg.id,
        village: "东张村".into(),
        kind: PartyKind::Household,
        holder: holder.into(),
        phone: "13912345678".into(),
        from_km,
        to_km,
        side: RoadSide::Left,
        agreement_on: NaiveDate::from_ymd_opt(2026, 1, 5),
        note: String::new(),
        active: true,
    }
}

async fn register(app: &TestApp, token: &str, body: &SaveRoadsideParty) -> reqwest::Response {
    app.send_json(Method::POST, api::ROADSIDE_PARTIES, Some(token), body).await
}

async fn list(app: &TestApp, token: &str, query: &str) -> Vec<RoadsideParty> {
    expect_json(app.get(&format!("{}{query}", api::ROADSIDE_PARTIES), token).await, 200).await
}

async fn import(app: &TestApp, token: &str, dry_run: bool, ct: &str, body: Vec<u8>) -> reqwest::Response {
    let path = format!("{}?dry_run={dry_run}", api::ROADSIDE_PARTIES_IMPORT);
    app.request(Method::POST, &path, Some(token)).header("content-type", ct).body(body).send().await.expect("request")
}

fn csv(lines: &[&str]) -> Vec<u8> {
    lines.join("\r\n").into_bytes()
}

/// Row number → the fields it has errors on.
fn errors_by_row(r: &RegisterImportReport) -> Vec<(u32, Vec<String>)> {
    r.rows.iter().map(|row| (row.row, row.errors.iter().map(|e| e.field.clone()).collect())).collect()
}

const HEADER: &str = "户主,路线编码,起点桩号,止点桩号,位置,村,类别,联系电话,协议签订日期";

both_backends!(the_roadside_register_by_hand_and_by_file, |app| {
    let station = app.login("yishi.road").await.access_token;
    let admin = app.login("admin").await.access_token;
    let y045 = segment_of(&app, &station, "Y045", 0.0).await;
    let niudu = segment_of(&app, &admin, "X321", 7.5).await;

    // By hand: registered on the station's segment, with the road and township.
    let p: RoadsideParty = expect_json(register(&app, &station, &party(&y045, "张建国", 3.2, 3.45)).await, 201).await;
    assert_eq!((p.road_code.as_str(), p.township_id, p.side), ("Y045", y045.township_id, RoadSide::Left));
    // One entry per holder and plot; the plot within the segment; the station's township only.
    expect_problem(register(&app, &station, &party(&y045, "张建国", 3.2, 3.3)).await, 409, "already_exists").await;
    let e =
        expect_problem(register(&app, &station, &party(&y045, "李四", 4.9, 5.2)).await, 422, "validation_failed").await;
    assert!(e.detail.as_deref().unwrap_or("").starts_with("to_km"), "{e:?}");
    expect_problem(register(&app, &station, &party(&niudu, "孙八", 8.0, 8.1)).await, 403, "out_of_scope").await;
    let mut future = party(&y045, "李四", 1.0, 1.1);
    future.agreement_on = Some(app.now().date_naive() + Duration::days(2));
    expect_problem(register(&app, &station, &future).await, 422, "validation_failed").await;

    // Who reads and keeps it: the station and the county keep it, enforcement reads it, a patrol
    // worker and the township's fire office do neither.
    let enforce = app.login("yishi.enforce").await.access_token;
    assert_eq!(list(&app, &enforce, "").await, vec![p.clone()]);
    expect_problem(register(&app, &enforce, &party(&y045, "李四", 1.0, 1.1)).await, 403, "forbidden").await;
    for who in ["yishi.patrol", "yishi.office"] {
        let t = app.login(who).await.access_token;
        expect_problem(app.get(api::ROADSIDE_PARTIES, &t).await, 403, "forbidden").await;
        expect_problem(register(&app, &t, &party(&y045, "李四", 1.0, 1.1)).await, 403, "forbidden").await;
    }
    // The county admin registers on any township's segment.
    expect_json::<RoadsideParty>(register(&app, &admin, &party(&niudu, "孙八", 8.0, 8.1)).await, 201).await;
    assert_eq!(list(&app, &admin, "").await.len(), 2);
    assert_eq!(list(&app, &station, "").await.len(), 1, "the station sees its township's");

    // A change, and a party taken off the register is kept but not listed.
    let mut moved = party(&y045, "张建国", 3.2, 3.45);
    moved.phone = "0359-4021234".into();
    moved.active = false;
    let put = app.send_json(Method::PUT, &api::roadside_party(p.id), Some(&station), &moved).await;
    let saved: RoadsideParty = expect_json(put, 200).await;
    assert_eq!((saved.phone.as_str(), saved.active), ("0359-4021234", false));
    assert!(list(&app, &station, "").await.is_empty());
    assert_eq!(list(&app, &station, "?include_inactive=true").await.len(), 1);
    let put = app.send_json(Method::PUT, &api::roadside_party(RoadsidePartyId::new()), Some(&station), &moved).await;
    expect_problem(put, 404, "not_found").await;

    // By file: every bad row named, and a real import with one writes nothing.
    let bad = csv(&[
        HEADER,
        "王五,Y045,K1+200,1.35,右,东张村,农户,13900000001,2026-01-05",
        "临猗果库,y045,2.0,2.3,左侧,东张村,果库,0359-4021234,",
        "赵六,Y045,4.9,5.3,,西张村,,,",
        "钱七,Y999,1,,,东张村,,,",
        "孙八,X321,8.0,8.1,,牛杜村,,,",
        "王五,Y045,1.2,1.3,,东张村,,,",
        "周九,Y045,1.5,,北,东张村,合作社,123,是",
    ]);
    let dry: RoadsideImportResult = expect_json(import(&app, &station, true, "text/csv", bad.clone()).await, 200).await;
    assert_eq!(
        errors_by_row(&dry.report),
        [
            (2, vec![]),
            (3, vec![]),
            (4, vec!["to_km".to_owned()]),
            (5, vec!["road_code".to_owned()]),
            (6, vec!["from_km".to_owned()]),
            (7, vec!["holder".to_owned()]),
            (8, ["side", "kind", "agreement_on", "phone"].map(str::to_owned).to_vec()),
        ]
    );
    assert_eq!((dry.parties_created, dry.report.rows_with_errors), (2, 5));
    let p = expect_problem(import(&app, &station, false, "text/csv", bad).await, 422, "validation_failed").await;
    let report: RegisterImportReport = serde_json::from_str(p.detail.as_deref().unwrap()).unwrap();
    assert_eq!(report.rows_with_errors, 5);
    assert!(list(&app, &station, "").await.is_empty(), "nothing written");

    let good = [
        HEADER,
        "王五,Y045,K1+200,1.35,右,东张村,农户,13900000001,2026-01-05",
        "临猗果库,Y045,2.0,2.3,左侧,东张村,果库,0359-4021234,",
        "赵六,Y045,4.9,5.0,,西张村,,,",
        "张建国,Y045,3.2,3.45,左,东张村,,0359-4021234,2026-01-05",
    ];
    let done: RoadsideImportResult =
        expect_json(import(&app, &station, false, "text/csv", csv(&good)).await, 200).await;
    // 张建国 is the inactive entry of the same plot: on the register again.
    assert_eq!((done.dry_run, done.parties_created, done.parties_updated), (false, 3, 1));
    let now = list(&app, &station, "").await;
    let holders: Vec<&str> = now.iter().map(|p| p.holder.as_str()).collect();
    assert_eq!(holders, ["王五", "临猗果库", "张建国", "赵六"], "by road, km and holder");
    assert_eq!(now[1].kind, PartyKind::FruitStore);
    assert_eq!((now[3].from_km, now[3].to_km, now[3].side), (4.9, 5.0, RoadSide::Both));
    // The same file again changes nothing; one changed cell changes one party.
    let again: RoadsideImportResult =
        expect_json(import(&app, &station, false, "text/csv", csv(&good)).await, 200).await;
    assert_eq!((again.parties_created, again.parties_updated), (0, 0));
    let mut changed = good;
    changed[3] = "赵六,Y045,4.9,5.0,,西张村,,13900000009,";
    let one: RoadsideImportResult =
        expect_json(import(&app, &station, false, "text/csv", csv(&changed)).await, 200).await;
    assert_eq!((one.parties_created, one.parties_updated), (0, 1));

    // Out as XLSX with the import's columns, and in again as is.
    let r = app.get(&format!("{}?format=xlsx", api::ROADSIDE_PARTIES_EXPORT), &station).await;
    assert_eq!(r.status(), 200);
    let xlsx = r.bytes().await.unwrap().to_vec();
    let table = read_xlsx(&xlsx);
    assert_eq!(
        table[0],
        ["路线编码", "起点桩号", "止点桩号", "位置", "村", "类别", "户主", "联系电话", "协议签订日期", "备注"]
    );
    assert_eq!(table.len(), 1 + 4);
    assert_eq!(table[1][..8], ["Y045", "1.2", "1.35", "右侧", "东张村", "农户", "王五", "13900000001"]);
    let back: RoadsideImportResult = expect_json(import(&app, &station, false, XLSX, xlsx).await, 200).await;
    assert_eq!((back.report.rows_with_errors, back.parties_created, back.parties_updated), (0, 0, 0));
    // A patrol worker may not export it.
    let worker = app.login("yishi.patrol").await.access_token;
    expect_problem(app.get(api::ROADSIDE_PARTIES_EXPORT, &worker).await, 403, "forbidden").await;
});

async fn name(app: &TestApp, token: &str, id: RoadIssueId, party: Option<RoadsidePartyId>) -> reqwest::Response {
    app.send_json(Method::PUT, &api::road_issue_responsible(id), Some(token), &NameResponsible { party_id: party })
        .await
}

both_backends!(a_violation_names_the_household_at_its_place, |app| {
    let worker = app.login("yishi.patrol").await.access_token;
    let station = app.login("yishi.road").await.access_token;
    let (_, ids) =
        patrol_with_findings(&app, &worker, &[FindingCategory::GrainDrying, FindingCategory::PavementDamage]).await;
    let (drying, pothole) = (ids[0], ids[1]);
    let d: RoadIssueDetail = expect_json(app.get(&api::road_issue(drying), &station).await, 200).await;
    assert!(d.responsible.is_none() && d.candidates.is_empty(), "no one registered yet");
    // The finding lies at the start of the worker's segment; register a party there, one further
    // on, one gone, and one on another road of the township.
    let seg = segments(&app, &station).await.into_iter().find(|s| s.id == d.issue.segment_id).unwrap();
    let at = seg.from_km;
    let here: RoadsideParty =
        expect_json(register(&app, &station, &party(&seg, "张建国", at, at + 0.2)).await, 201).await;
    let further: RoadsideParty =
        expect_json(register(&app, &station, &party(&seg, "李四", at + 1.0, at + 1.2)).await, 201).await;
    let mut gone = party(&seg, "已搬走", at, at + 0.1);
    gone.active = false;
    expect_json::<RoadsideParty>(register(&app, &station, &gone).await, 201).await;
    let c012 = segment_of(&app, &station, "C012", 0.0).await;
    let elsewhere: RoadsideParty =
        expect_json(register(&app, &station, &party(&c012, "王五", 0.0, 0.1)).await, 201).await;

    // The station is offered the parties along this road, nearest first, in metres along it.
    let d: RoadIssueDetail = expect_json(app.get(&api::road_issue(drying), &station).await, 200).await;
    let offered: Vec<(&str, Option<f64>)> =
        d.candidates.iter().map(|c| (c.party.holder.as_str(), c.distance_m)).collect();
    assert_eq!(offered, [("张建国", Some(0.0)), ("李四", Some(1000.0))]);
    // Names the one at the place; everyone who sees the issue sees who.
    let d: RoadIssueDetail = expect_json(name(&app, &station, drying, Some(here.id)).await, 200).await;
    let named = d.responsible.expect("named");
    assert_eq!((named.party.id, named.named_by_name.as_str()), (here.id, "猗氏镇交管站"));
    let seen: RoadIssueDetail = expect_json(app.get(&api::road_issue(drying), &worker).await, 200).await;
    assert_eq!(seen.responsible.map(|r| r.party.holder), Some("张建国".to_owned()));
    assert!(seen.candidates.is_empty(), "the patrol worker does not name");
    expect_problem(name(&app, &worker, drying, Some(further.id)).await, 403, "forbidden").await;

    // Only a party along this road in the township, still registered; only a violation.
    for wrong in [elsewhere.id, RoadsidePartyId::new()] {
        let p = expect_problem(name(&app, &station, drying, Some(wrong)).await, 422, "validation_failed").await;
        assert!(p.detail.unwrap().starts_with("party_id"));
    }
    let gone_id = list(&app, &station, "?include_inactive=true").await.into_iter().find(|p| !p.active).unwrap().id;
    expect_problem(name(&app, &station, drying, Some(gone_id)).await, 422, "validation_failed").await;
    expect_problem(name(&app, &station, pothole, Some(here.id)).await, 422, "validation_failed").await;
    let d: RoadIssueDetail = expect_json(app.get(&api::road_issue(pothole), &station).await, 200).await;
    assert!(d.candidates.is_empty(), "a pothole is nobody's violation");

    // Enforcement, acting on violations, may change the name; null clears it.
    let enforce = app.login("yishi.enforce").await.access_token;
    let d: RoadIssueDetail = expect_json(name(&app, &enforce, drying, Some(further.id)).await, 200).await;
    assert_eq!(d.responsible.map(|r| r.named_by_name), Some("猗氏镇执法队".to_owned()));
    let d: RoadIssueDetail = expect_json(name(&app, &station, drying, None).await, 200).await;
    assert!(d.responsible.is_none());
    // A closed issue keeps what it had.
    expect_json::<RoadIssueDetail>(name(&app, &station, drying, Some(here.id)).await, 200).await;
    let close = format!("UPDATE road_issues SET status = 'closed' WHERE id = '{drying}';");
    app.exec(&close, &close);
    let d: RoadIssueDetail = expect_json(app.get(&api::road_issue(drying), &station).await, 200).await;
    assert_eq!(d.issue.state.status, HazardStatus::Closed);
    assert!(d.candidates.is_empty());
    expect_problem(name(&app, &station, drying, None).await, 409, "transition_not_allowed").await;
    assert_eq!(d.responsible.map(|r| r.party.id), Some(here.id));
});
