//! The road register as files: roads with segments and the patrol workers' files out and in again
//! (round trip, dry-run reports, all or nothing, the road station's township), and the ranking of a
//! check as XLSX.

use super::ledger::{read_xlsx, XLSX};
use super::*;
use reqwest::Method;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use xunjian_shared::api;
use xunjian_shared::road::patrol::{AssignmentReport, Check};
use xunjian_shared::road::register::{Road, Segment};
use xunjian_shared::road::register_file::{RegisterImportReport, RoadImportResult, RowOutcome, WorkerImportResult};

async fn upload(app: &TestApp, token: &str, path: &str, ct: &str, body: Vec<u8>) -> reqwest::Response {
    app.request(Method::POST, path, Some(token)).header("content-type", ct).body(body).send().await.expect("request")
}

async fn download(app: &TestApp, token: &str, path: &str) -> Vec<u8> {
    let r = app.get(path, token).await;
    assert_eq!(r.status(), 200, "{path}");
    r.bytes().await.unwrap().to_vec()
}

fn csv(lines: &[&str]) -> Vec<u8> {
    lines.join("\r\n").into_bytes()
}

/// Row number → the fields it has errors on.
fn errors_by_row(r: &RegisterImportReport) -> Vec<(u32, Vec<String>)> {
    r.rows.iter().map(|row| (row.row, row.errors.iter().map(|e| e.field.clone()).collect())).collect()
}

async fn roads(app: &TestApp, token: &str) -> Vec<Road> {
    expect_json(app.get(api::ROADS, token).await, 200).await
}

async fn segments(app: &TestApp, token: &str) -> Vec<Segment> {
    expect_json(app.get(api::SEGMENTS, token).await, 200).await
}

/// Empties the road register, the patrol records that refer to it and the workers' files.
fn wipe_register(app: &TestApp) {
    app.exec(
        "PRAGMA foreign_keys = OFF;
         DELETE FROM road_check_scores; DELETE FROM road_checks; DELETE FROM patrol_coverage; DELETE FROM patrols;
         DELETE FROM road_segments; DELETE FROM roads; DELETE FROM patrol_workers;
         PRAGMA foreign_keys = ON;",
        "TRUNCATE road_check_scores, road_checks, patrol_coverage, patrols, road_segments, roads, patrol_workers CASCADE;",
    );
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

both_backends!(the_register_and_the_workers_files_round_trip, |app| {
    let admin = app.login("admin").await.access_token;
    let roads_xlsx = download(&app, &admin, api::ROADS_EXPORT).await;
    let workers_xlsx = download(&app, &admin, &format!("{}?format=xlsx", api::PATROL_WORKERS_EXPORT)).await;
    let roads_before = read_xlsx(&roads_xlsx);
    assert_eq!(
        roads_before[0],
        row(&[
            "路线编码",
            "路线名称",
            "行政等级",
            "里程(公里)",
            "管养单位",
            "乡镇",
            "起点桩号(公里)",
            "止点桩号(公里)",
            "管护员账号",
            "管护员"
        ])
    );
    assert_eq!(roads_before.len(), 1 + 7 + 2, "a line per segment, and G209 and S237 without segments");
    assert!(roads_before.contains(&row(&[
        "X321",
        "猗牛旅游公路",
        "县道",
        "15",
        "县交通运输局",
        "牛杜镇",
        "7.5",
        "15",
        "niudu.patrol",
        "赵管护"
    ])));
    assert_eq!(&roads_before[3][..5], row(&["G209", "国道209线", "国道", "12", "公路段"]).as_slice());
    let workers_before = read_xlsx(&workers_xlsx);
    assert_eq!(workers_before.len(), 4);
    assert_eq!(
        workers_before[2],
        row(&[
            "猗氏镇",
            "yishi.patrol2",
            "王管护",
            "1963-02-01",
            "63",
            "是",
            "",
            "是",
            "否",
            "10.5",
            "超过60岁、未参保"
        ])
    );

    wipe_register(&app);
    assert!(roads(&app, &admin).await.is_empty());
    // A dry run says what would be done and writes nothing.
    let dry: RoadImportResult =
        expect_json(upload(&app, &admin, api::ROADS_IMPORT, XLSX, roads_xlsx.clone()).await, 200).await;
    assert!(dry.dry_run);
    assert_eq!((dry.roads_created, dry.segments_created, dry.report.rows_with_errors), (7, 7, 0), "{dry:?}");
    assert!(roads(&app, &admin).await.is_empty());
    let done: RoadImportResult = expect_json(
        upload(&app, &admin, &format!("{}?dry_run=false", api::ROADS_IMPORT), XLSX, roads_xlsx.clone()).await,
        200,
    )
    .await;
    assert_eq!((done.dry_run, done.roads_created, done.roads_updated, done.segments_created), (false, 7, 0, 7));
    let w: WorkerImportResult = expect_json(
        upload(&app, &admin, &format!("{}?dry_run=false", api::PATROL_WORKERS_IMPORT), XLSX, workers_xlsx.clone())
            .await,
        200,
    )
    .await;
    assert_eq!((w.files_created, w.files_updated, w.report.rows_with_errors), (3, 0, 0), "{w:?}");
    assert_eq!(w.report.ignored_columns, ["乡镇", "年龄", "超过60岁", "管护里程(公里)", "问题"]);

    // The same files come out again, and the road station sees its township's segments.
    assert_eq!(read_xlsx(&download(&app, &admin, api::ROADS_EXPORT).await), roads_before);
    assert_eq!(read_xlsx(&download(&app, &admin, api::PATROL_WORKERS_EXPORT).await), workers_before);
    let x321 = roads(&app, &admin).await.into_iter().find(|r| r.code == "X321").unwrap();
    assert_eq!(x321.township_ids.len(), 2);
    let station = app.login("yishi.road").await.access_token;
    assert_eq!(segments(&app, &station).await.len(), 4);
    let mine = segments(&app, &app.login("yishi.patrol").await.access_token).await;
    assert_eq!(mine.iter().map(|s| (s.from_km, s.to_km)).collect::<Vec<_>>(), [(0.0, 5.0)]);

    // Importing the register again (here as CSV) changes nothing.
    let csv_file = download(&app, &admin, &format!("{}?format=csv", api::ROADS_EXPORT)).await;
    assert!(csv_file.starts_with(b"\xEF\xBB\xBF"));
    let again: RoadImportResult = expect_json(
        upload(&app, &admin, &format!("{}?dry_run=false", api::ROADS_IMPORT), "text/csv", csv_file).await,
        200,
    )
    .await;
    assert_eq!(
        (again.roads_created, again.roads_updated, again.segments_created, again.segments_reassigned),
        (0, 0, 0, 0)
    );
    assert!(again.report.rows.iter().all(|r| r.record == Some(RowOutcome::Unchanged)));
    app.stop().await;
});

both_backends!(a_dry_run_reports_a_bad_level_and_a_km_past_the_road_end_and_writes_nothing, |app| {
    let admin = app.login("admin").await.access_token;
    let file = || {
        csv(&[
            "路线编码,路线名称,行政等级,里程(公里),管养单位,乡镇,起点桩号(公里),止点桩号(公里),管护员账号,管护员",
            "Y300,新建乡道,乡道,4,,猗氏镇,K0+000,K4+000,yishi.patrol,李管护",
            "Y301,高速连接线,高速,3,,,,,,",
            ",,,,,,,,,",
            "C300,新建村道,村道,2,,牛杜镇,1,2.5,,",
        ])
    };
    let res: RoadImportResult = expect_json(
        upload(&app, &admin, &format!("{}?dry_run=true", api::ROADS_IMPORT), "text/csv", file()).await,
        200,
    )
    .await;
    let want: Vec<(u32, Vec<String>)> = vec![(2, vec![]), (3, vec!["level".into()]), (5, vec!["to_km".into()])];
    assert_eq!(errors_by_row(&res.report), want, "{res:?}");
    assert!(res.report.rows[1].errors[0].message.contains("高速"));
    assert!(res.report.rows[2].errors[0].message.contains("2 km"), "{:?}", res.report.rows[2]);
    assert_eq!(
        (res.report.rows[0].record, res.report.rows[0].segment),
        (Some(RowOutcome::Created), Some(RowOutcome::Created))
    );
    assert_eq!(roads(&app, &admin).await.len(), 7, "a dry run writes nothing");
    // The real import of the same file: 422 with the report, and not even row 2 is written.
    let p = expect_problem(
        upload(&app, &admin, &format!("{}?dry_run=false", api::ROADS_IMPORT), "text/csv", file()).await,
        422,
        "validation_failed",
    )
    .await;
    let report: RegisterImportReport = serde_json::from_str(&p.detail.expect("detail")).expect("the report as JSON");
    assert_eq!(errors_by_row(&report), want);
    assert!(!roads(&app, &admin).await.iter().any(|r| r.code == "Y300"));
    // Files that cannot be read at all.
    let p = expect_problem(
        upload(&app, &admin, api::ROADS_IMPORT, "text/csv", csv(&["名称,等级", "x,乡道"])).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(p.detail.unwrap().starts_with("file:"));
    expect_problem(
        upload(&app, &admin, api::ROADS_IMPORT, "image/png", vec![1, 2]).await,
        415,
        "unsupported_media_type",
    )
    .await;
    app.stop().await;
});

both_backends!(a_road_station_imports_segments_only_in_its_own_township, |app| {
    let station = app.login("yishi.road").await.access_token;
    let file = csv(&[
        "路线编码,乡镇,起点桩号(公里),止点桩号(公里),管护员账号",
        "G209,猗氏镇,0,4,yishi.patrol",
        "G209,牛杜镇,4,8,niudu.patrol",
        "Y046,猗氏镇,0,1,",
        "Y045,猗氏镇,5,6,yishi.patrol",
    ]);
    let res: RoadImportResult =
        expect_json(upload(&app, &station, api::ROADS_IMPORT, "text/csv", file.clone()).await, 200).await;
    let want: Vec<(u32, Vec<String>)> =
        vec![(2, vec![]), (3, vec!["township".into()]), (4, vec!["code".into()]), (5, vec![])];
    assert_eq!(errors_by_row(&res.report), want, "{res:?}");
    assert!(res.report.rows[1].errors[0].message.contains("outside your area"));
    assert_eq!(res.report.rows[3].segment, Some(RowOutcome::Updated), "the 5–6 km segment gets a worker");
    expect_problem(
        upload(&app, &station, &format!("{}?dry_run=false", api::ROADS_IMPORT), "text/csv", file).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(segments(&app, &station).await.len(), 4, "nothing written");
    // Roads are the county's: a road station may not change one.
    let change = csv(&["路线编码,里程(公里)", "Y045,6.5"]);
    let res: RoadImportResult =
        expect_json(upload(&app, &station, api::ROADS_IMPORT, "text/csv", change.clone()).await, 200).await;
    assert_eq!(errors_by_row(&res.report), [(2, vec!["length_km".to_string()])]);
    let admin = app.login("admin").await.access_token;
    let res: RoadImportResult = expect_json(
        upload(&app, &admin, &format!("{}?dry_run=false", api::ROADS_IMPORT), "text/csv", change).await,
        200,
    )
    .await;
    assert_eq!(res.roads_updated, 1);
    // Its own township's rows import.
    let ok = csv(&[
        "路线编码,乡镇,起点桩号(公里),止点桩号(公里),管护员账号",
        "G209,140821100,0,4,yishi.patrol",
        "Y045,猗氏镇,5,6,yishi.patrol",
    ]);
    let res: RoadImportResult =
        expect_json(upload(&app, &station, &format!("{}?dry_run=false", api::ROADS_IMPORT), "text/csv", ok).await, 200)
            .await;
    assert_eq!((res.segments_created, res.segments_reassigned), (1, 1));
    let mine = segments(&app, &app.login("yishi.patrol").await.access_token).await;
    assert_eq!(mine.len(), 3);
    // Other roles may not import.
    let office = app.login("niudu.office").await.access_token;
    expect_problem(
        upload(&app, &office, api::ROADS_IMPORT, "text/csv", csv(&["路线编码", "G209"])).await,
        403,
        "forbidden",
    )
    .await;
    expect_problem(app.get(api::PATROL_WORKERS_EXPORT, &office).await, 403, "forbidden").await;
    app.stop().await;
});

/// A workers' file as an office types it: a 序号 column and the birth date as an Excel date.
fn workers_workbook(rows: &[(&str, &str, (u16, u8, u8))]) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in ["序号", "账号", "姓名", "出生日期", "试用月份", "签订协议", "意外保险"].iter().enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (i, (username, name, (y, m, d))) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, f64::from(r)).unwrap();
        ws.write_string(r, 1, *username).unwrap();
        ws.write_string(r, 2, *name).unwrap();
        ws.write_datetime_with_format(r, 3, ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), &date).unwrap();
        ws.write_string(r, 4, "2026年2月").unwrap();
        ws.write_string(r, 5, "是").unwrap();
        ws.write_string(r, 6, "已参保").unwrap();
    }
    book.save_to_buffer().unwrap()
}

both_backends!(a_road_station_files_its_own_workers_only, |app| {
    let station = app.login("yishi.road").await.access_token;
    let file = workers_workbook(&[("yishi.patrol2", "王管护", (1966, 5, 1)), ("niudu.patrol", "赵管护", (1975, 9, 9))]);
    let res: WorkerImportResult =
        expect_json(upload(&app, &station, api::PATROL_WORKERS_IMPORT, XLSX, file.clone()).await, 200).await;
    assert_eq!(errors_by_row(&res.report), [(2, vec![]), (3, vec!["username".to_string()])], "{res:?}");
    assert_eq!(res.report.rows[0].record, Some(RowOutcome::Updated));
    assert_eq!(res.report.ignored_columns, ["序号"]);
    expect_problem(
        upload(&app, &station, &format!("{}?dry_run=false", api::PATROL_WORKERS_IMPORT), XLSX, file).await,
        422,
        "validation_failed",
    )
    .await;
    let own = workers_workbook(&[("yishi.patrol2", "王管护", (1966, 5, 1))]);
    let res: WorkerImportResult = expect_json(
        upload(&app, &station, &format!("{}?dry_run=false", api::PATROL_WORKERS_IMPORT), XLSX, own).await,
        200,
    )
    .await;
    assert_eq!((res.files_created, res.files_updated), (0, 1));
    // Born 1966: 59 on the demo date, insured, agreement signed: nothing left to flag.
    let r: AssignmentReport = expect_json(app.get(api::ROADS_ASSIGNMENTS, &station).await, 200).await;
    let patrol2 = app.login("yishi.patrol2").await.user.user.id;
    assert!(!r.flagged_workers.iter().any(|(w, _)| *w == patrol2), "{r:?}");
    let rows = read_xlsx(&download(&app, &station, api::PATROL_WORKERS_EXPORT).await);
    assert_eq!(rows.len(), 3, "the township's two workers");
    assert_eq!(rows[2][3..10], row(&["1966-05-01", "59", "否", "2026-02", "是", "是", "10.5"]));
    // A name that is not the account's is an error, not a silent mix-up.
    let wrong = csv(&["账号,姓名,出生日期", "yishi.patrol,王管护,1970-06-01"]);
    let res: WorkerImportResult =
        expect_json(upload(&app, &station, api::PATROL_WORKERS_IMPORT, "text/csv", wrong).await, 200).await;
    assert_eq!(errors_by_row(&res.report), [(2, vec!["name".to_string()])]);
    app.stop().await;
});

both_backends!(the_ranking_downloads_as_xlsx_with_the_flags_of_articles_25_and_26, |app| {
    let admin = app.login("admin").await.access_token;
    let check = super::roads::start_check(&app, &admin, &super::roads::demo_month_check()).await;
    let path = format!("{}?format=xlsx", api::road_check_ranking(check.id));
    let r = app.get(&path, &admin).await;
    assert_eq!(r.headers()["content-type"], XLSX);
    let disposition = r.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.contains("ranking-monthly_random-2026-02.xlsx"), "{disposition}");
    let rows = read_xlsx(&r.bytes().await.unwrap());
    assert_eq!(rows[0][0], "2026-02 五级公路管护月度随机抽查排名");
    assert_eq!(rows[2][..3], row(&["名次", "乡镇", "得分"]));
    // Nothing scored yet: 牛杜镇's worker has no on-road record in February, so it is last by 第二十六条.
    // 名次, 乡镇, 得分, 路段得分, 站所考核得分 (not scored yet), 无上路记录人数, the marks.
    assert_eq!(rows[2][3..5], row(&["路段得分(百分制)", "站所考核得分"]));
    assert_eq!(rows[3], row(&["1", "猗氏镇", "0", "0", "", "0", "", "是", ""]));
    assert_eq!(rows[4], row(&["2", "牛杜镇", "0", "0", "", "1", "是", "是", ""]));
    assert_eq!(rows.len(), 5);
    // The road station reads it (as CSV) once published, not before; a grid worker does not.
    let station = app.login("yishi.road").await.access_token;
    expect_problem(app.get(&path, &station).await, 404, "not_found").await;
    // Publishing needs every drawn segment scored (issue 16): each fails every item, so the scores
    // stay 0.
    for seg in &check.draw.segments {
        let items = xunjian_shared::road::checklist::RoadCheckItem::ALL
            .into_iter()
            .map(|item| xunjian_shared::road::checklist::RoadCheck {
                item,
                pass: false,
                photo: None,
                location: None,
                note: None,
            })
            .collect();
        let body = xunjian_shared::road::patrol::ScoreSegment { items };
        let url = api::road_check_score(check.id, seg.parse().unwrap());
        expect_json::<Check>(app.send_json(Method::PUT, &url, Some(&admin), &body).await, 200).await;
    }
    // And the stations' items too, with no points.
    super::roads::score_stations(&app, &admin, &check, &|_| 0.0).await;
    let publish = api::road_check_publish(check.id);
    expect_json::<Check>(app.send_json(Method::POST, &publish, Some(&admin), &()).await, 200).await;
    let csv_text = String::from_utf8(download(&app, &station, &path.replace("xlsx", "csv")).await).unwrap();
    assert!(csv_text.contains("2,牛杜镇,0,0,0,1,是,是,"), "{csv_text}");
    let grid = app.login("yishi.grid").await.access_token;
    expect_problem(app.get(&path, &grid).await, 403, "forbidden").await;
    app.stop().await;
});
