//! The township ledger as a file: import (dry run, errors by row, all or nothing, duplicates, scope,
//! limits) and export (sorted, re-importable).

use super::*;
use reqwest::Method;
use rust_xlsxwriter::Workbook;
use xunjian_shared::api;
use xunjian_shared::api::List;
use xunjian_shared::ledger::{ImportReport, ImportResult, LedgerColumn};
use xunjian_shared::org::{CreateOrgUnit, OrgUnit};
use xunjian_shared::premise::{Premise, PremiseChange, PremisePage};
use xunjian_shared::{OrgUnitId, PremiseId};

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The cells of the first sheet of a workbook, as text, by row (from the sheet's first used row).
pub fn read_xlsx(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an XLSX file");
    let range = book.worksheet_range_at(0).expect("a sheet").expect("readable");
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

/// A unit by level and name, as `token` sees it.
pub async fn unit(app: &TestApp, token: &str, level: &str, name: &str) -> OrgUnit {
    let list: List<OrgUnit> =
        expect_json(app.get(&format!("{}?level={level}", api::ORG_UNITS), token).await, 200).await;
    list.items.into_iter().find(|u| u.name == name).unwrap_or_else(|| panic!("{name} not visible"))
}

pub(super) async fn import(
    app: &TestApp,
    token: &str,
    township: OrgUnitId,
    query: &str,
    ct: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    app.request(Method::POST, &format!("{}?township_id={township}{query}", api::PREMISES_IMPORT), Some(token))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .expect("request")
}

/// Premises under a unit (all, active or not).
pub(super) async fn premises_under(app: &TestApp, token: &str, unit: OrgUnitId) -> PremisePage {
    expect_json(app.get(&format!("{}?org_unit_id={unit}&limit=500", api::PREMISES), token).await, 200).await
}

pub(super) async fn premise(app: &TestApp, token: &str, id: PremiseId) -> Premise {
    expect_json(app.get(&api::premise(id), token).await, 200).await
}

fn csv(lines: &[&str]) -> Vec<u8> {
    lines.join("\r\n").into_bytes()
}

/// Row number → the fields it has errors on.
fn errors_by_row(r: &ImportReport) -> Vec<(u32, Vec<String>)> {
    r.rows.iter().map(|row| (row.row, row.errors.iter().map(|e| e.field.clone()).collect())).collect()
}

const HEADER: &str = "名称,类型,地址,村,网格,负责人,电话,纬度,经度,备注";

fn file_with_errors() -> Vec<u8> {
    csv(&[
        HEADER,
        "新华书店,沿街门店,东街村新华路1号,东街村,第一网格,刘一,13800000001,,,",
        "老李加油点,加油站,东街村新华路2号,东街村,第一网格,李二,13800000002,,,",
        ",,,,,,,,,",
        ",家庭作坊,东街村新华路3号,东街村,第二网格,张三,,,,",
        "王家小卖部,门店,北关村1号,北关村,第一网格,王四,,,,",
        "赵家餐馆,小场所,西街村饭店街5号,西街村,第一网格,赵五,phone-123,,,",
    ])
}

both_backends!(a_dry_run_reports_errors_by_spreadsheet_row_and_writes_nothing, |app| {
    let office = app.login("yishi.office").await;
    let tok = office.access_token.as_str();
    let yishi = office.user.org_chain[1].id;
    assert_eq!(premises_under(&app, tok, yishi).await.total, 24);
    // No dry_run parameter: a dry run.
    let res: ImportResult = expect_json(import(&app, tok, yishi, "", "text/csv", file_with_errors()).await, 200).await;
    assert!(res.dry_run);
    assert_eq!((res.imported, res.skipped), (0, 0));
    assert_eq!((res.report.rows_total, res.report.rows_with_errors), (5, 4));
    let want: Vec<(u32, Vec<String>)> = vec![
        (2, vec![]),
        (3, vec!["premise_type".into()]),
        // Row 4 is blank: not reported, but counted in the numbering as the spreadsheet shows it.
        (5, vec!["name".into()]),
        (6, vec!["village".into()]),
        (7, vec!["responsible_phone".into()]),
    ];
    assert_eq!(errors_by_row(&res.report), want);
    assert!(res.report.rows[3].errors[0].message.contains("北关村"), "{:?}", res.report.rows[3]);
    assert_eq!(premises_under(&app, tok, yishi).await.total, 24, "a dry run writes nothing");

    // The real import of the same file: 422, the report in `detail`, nothing written (not even row 2).
    let p = expect_problem(
        import(&app, tok, yishi, "&dry_run=false", "text/csv", file_with_errors()).await,
        422,
        "validation_failed",
    )
    .await;
    let report: ImportReport = serde_json::from_str(&p.detail.expect("detail")).expect("the report as JSON");
    assert_eq!(errors_by_row(&report), want);
    assert!(report.rows.iter().all(|r| r.premise_id.is_none()));
    let after = premises_under(&app, tok, yishi).await;
    assert_eq!(after.total, 24);
    assert!(!after.items.iter().any(|p| p.name == "新华书店"));
    app.stop().await;
});

/// 新建村 with its one grid 一组, under a township: rows of a single-grid village may leave 网格 blank.
pub(super) async fn new_village_with_one_grid(app: &TestApp, tok: &str, township: OrgUnitId) -> (OrgUnit, OrgUnit) {
    let village =
        CreateOrgUnit { id: None, code: "140821100009".into(), name: "新建村".into(), parent_id: township };
    let village: OrgUnit =
        expect_json(app.send_json(Method::POST, api::ORG_UNITS, Some(tok), &village).await, 201).await;
    let grid = CreateOrgUnit { id: None, code: "140821100009-01".into(), name: "一组".into(), parent_id: village.id };
    let grid: OrgUnit = expect_json(app.send_json(Method::POST, api::ORG_UNITS, Some(tok), &grid).await, 201).await;
    (village, grid)
}

both_backends!(a_clean_csv_imports_every_row_in_one_go_with_history, |app| {
    let office = app.login("yishi.office").await;
    let tok = office.access_token.as_str();
    let yishi = office.user.org_chain[1].id;
    // A new village with a single grid: its rows may leave 网格 blank.
    let (_, grid) = new_village_with_one_grid(&app, tok, yishi).await;
    let east2 = unit(&app, tok, "grid", "第二网格").await; // 东街村 comes first by code
    let file = csv(&[
        "序号,场所名称,场所类型,地址,行政村,网格,消防安全责任人,联系电话,纬度,经度,备注",
        "1,新华书店,沿街门店,东街村新华路1号,东街村,第二网格,刘一,13800000001,35.2001,110.8001,二楼为住宅",
        "2,\"老张 \"\"木器\"\" 作坊\",家庭工厂,新建村一组7号,新建村,,张三,,,,",
        "3,村委会,机关,新建村委会,新建村,一组,王书记,0359-4021234,,,",
    ]);
    let res: ImportResult =
        expect_json(import(&app, tok, yishi, "&dry_run=false", "text/csv; charset=utf-8", file).await, 200).await;
    assert!(!res.dry_run);
    assert_eq!((res.imported, res.skipped, res.report.rows_with_errors), (3, 0, 0));
    assert_eq!(res.report.ignored_columns, ["序号"]);
    assert_eq!(premises_under(&app, tok, yishi).await.total, 27);
    let ids: Vec<PremiseId> = res.report.rows.iter().map(|r| r.premise_id.expect("created")).collect();
    let shop: Premise = premise(&app, tok, ids[0]).await;
    assert_eq!((shop.grid_id, shop.name.as_str(), shop.notes.as_str()), (east2.id, "新华书店", "二楼为住宅"));
    assert_eq!(shop.premise_type, xunjian_shared::premise::PremiseType::StreetShop);
    assert_eq!(shop.location.map(|l| (l.lat, l.lon)), Some((35.2001, 110.8001)));
    let workshop: Premise = premise(&app, tok, ids[1]).await;
    assert_eq!((workshop.grid_id, workshop.name.as_str()), (grid.id, "老张 \"木器\" 作坊"));
    assert_eq!(workshop.responsible_phone, None);
    let unit_premise: Premise = premise(&app, tok, ids[2]).await;
    assert_eq!(unit_premise.responsible_phone.as_deref(), Some("0359-4021234"));
    for id in ids {
        let hist: Vec<PremiseChange> = expect_json(app.get(&api::premise_history(id), tok).await, 200).await;
        assert_eq!(hist.len(), 1);
        assert_eq!((hist[0].version, hist[0].changed_by), (1, Some(office.user.user.id)));
        assert_eq!(hist[0].change["created"]["id"], serde_json::json!(id));
    }
    app.stop().await;
});

fn xlsx(rows: &[Vec<&str>], phone_as_number: Option<(u32, f64)>) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "猗氏镇消防安全台账（2026年）").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *text).unwrap();
        }
    }
    if let Some((row, n)) = phone_as_number {
        ws.write_number(row, 6, n).unwrap();
    }
    book.save_to_buffer().unwrap()
}

both_backends!(an_xlsx_with_a_title_row_imports_with_spreadsheet_row_numbers, |app| {
    let office = app.login("yishi.office").await;
    let tok = office.access_token.as_str();
    let yishi = office.user.org_chain[1].id;
    let header = vec!["name", "premise_type", "address", "village", "grid", "responsible_person", "responsible_phone"];
    let good = vec!["百货商店", "门店", "西街村中街3号", "西街村", "第一网格", "周六", ""];
    let bad = vec!["粮油加工坊", "作坊间", "南关村南街8号", "南关村", "第三网格", "吴七", ""];
    // Title in row 1, header in row 2, data from row 3: the bad row is row 4.
    let file = xlsx(&[header.clone(), good.clone(), bad], Some((2, 13800001234.0)));
    let res: ImportResult = expect_json(import(&app, tok, yishi, "&dry_run=true", XLSX, file.clone()).await, 200).await;
    assert_eq!(
        errors_by_row(&res.report),
        vec![(3, vec![]), (4, vec!["premise_type".to_string(), "grid".to_string()])]
    );
    expect_problem(import(&app, tok, yishi, "&dry_run=false", XLSX, file).await, 422, "validation_failed").await;
    assert_eq!(premises_under(&app, tok, yishi).await.total, 24);

    let fixed = vec!["粮油加工坊", "小作坊", "南关村南街8号", "南关村", "第二网格", "吴七", ""];
    // Sent as a generic binary type, as some browsers do: recognised by its content.
    let file = xlsx(&[header, good, fixed], Some((2, 13800001234.0)));
    let res: ImportResult =
        expect_json(import(&app, tok, yishi, "&dry_run=false", "application/octet-stream", file).await, 200).await;
    assert_eq!(res.imported, 2);
    let page = premises_under(&app, tok, yishi).await;
    assert_eq!(page.total, 26);
    let shop = page.items.iter().find(|p| p.name == "百货商店").expect("imported");
    assert_eq!(shop.responsible_phone.as_deref(), Some("13800001234"), "a number cell is read as the phone it is");
    assert!(page.items.iter().any(|p| p.name == "粮油加工坊"));
    app.stop().await;
});

both_backends!(likely_duplicates_are_flagged_and_can_be_skipped, |app| {
    let office = app.login("yishi.office").await;
    let tok = office.access_token.as_str();
    let yishi = office.user.org_chain[1].id;
    let existing = premises_under(&app, tok, yishi).await.items;
    let shop = existing.iter().find(|p| p.name == "东街村便民超市").expect("demo shop");
    let workshop = existing.iter().find(|p| p.name == "西街村木器加工作坊").expect("demo workshop");
    // The shop's address without the township, with a space and a full-width digit.
    let same_address = shop.address.replace("猗氏镇", "").replacen("主街", "主街 ", 1).replace('1', "１");
    assert_ne!(same_address, shop.address);
    let near = workshop.location.expect("demo premises have positions");
    let lat_10m_north = format!("{:.7}", near.lat + 10.0 / 111_195.0);
    let lon = format!("{:.7}", near.lon);
    let lines = [
        HEADER.to_string(),
        format!("甲商店,门店,{same_address},东街村,第一网格,甲,,,,"),
        format!("乙作坊,家庭作坊,东街村新街99号,东街村,第一网格,乙,,{lat_10m_north},{lon},"),
        "丙店,门店,东街村新街100号,东街村,第二网格,丙,,,,".to_string(),
        "丁店,门店,东街村 新街100号,东街村,第二网格,丁,,,,".to_string(),
        "戊店,门店,东街村新街101号,东街村,第二网格,戊,,,,".to_string(),
    ];
    let file = lines.join("\n").into_bytes();
    let res: ImportResult = expect_json(import(&app, tok, yishi, "", "text/csv", file.clone()).await, 200).await;
    let r = &res.report;
    assert_eq!((r.rows_with_errors, r.rows_with_duplicates), (0, 4));
    let hit = |i: usize| r.rows[i].duplicates.clone();
    assert_eq!(hit(0).len(), 1);
    assert_eq!((hit(0)[0].premise_id, hit(0)[0].same_address), (Some(shop.id), true));
    assert_eq!(hit(1).len(), 1);
    assert_eq!((hit(1)[0].premise_id, hit(1)[0].same_address), (Some(workshop.id), false));
    let d = hit(1)[0].distance_m.expect("distance");
    assert!((d - 10.0).abs() < 0.5, "{d}");
    assert_eq!((hit(2)[0].row, hit(2)[0].name.as_str(), hit(2)[0].same_address), (Some(5), "丁店", true));
    assert_eq!((hit(3)[0].row, hit(3)[0].name.as_str()), (Some(4), "丙店"));
    assert!(hit(4).is_empty());
    assert_eq!(res.skipped, 0, "not skipped unless asked");

    // Skipping: the rows duplicating the ledger and the later of the two equal rows stay out.
    let res: ImportResult =
        expect_json(import(&app, tok, yishi, "&dry_run=false&skip_duplicates=true", "text/csv", file).await, 200).await;
    assert_eq!((res.imported, res.skipped), (2, 3));
    let skipped: Vec<u32> = res.report.rows.iter().filter(|r| r.skipped).map(|r| r.row).collect();
    assert_eq!(skipped, [2, 3, 5]);
    let names: Vec<String> = premises_under(&app, tok, yishi).await.items.into_iter().map(|p| p.name).collect();
    assert_eq!(names.len(), 26);
    assert!(names.contains(&"丙店".into()) && names.contains(&"戊店".into()) && !names.contains(&"丁店".into()));
    app.stop().await;
});

both_backends!(only_offices_import_and_only_into_their_township, |app| {
    let admin = app.login("admin").await;
    let yishi = unit(&app, &admin.access_token, "township", "猗氏镇").await;
    let niudu = unit(&app, &admin.access_token, "township", "牛杜镇").await;
    let file = || csv(&[HEADER, "新华书店,沿街门店,西街村新华路1号,西街村,第一网格,刘一,,,,"]);
    let other = app.login("niudu.office").await;
    let r = import(&app, &other.access_token, yishi.id, "", "text/csv", file()).await;
    expect_problem(r, 403, "out_of_scope").await;
    for who in ["yishi.grid", "brigade", "yishi.enforce"] {
        let t = app.login(who).await;
        expect_problem(import(&app, &t.access_token, yishi.id, "", "text/csv", file()).await, 403, "forbidden").await;
    }
    // The county admin imports anywhere (西街村 is a village of 牛杜镇 too).
    let res: ImportResult =
        expect_json(import(&app, &admin.access_token, niudu.id, "&dry_run=false", "text/csv", file()).await, 200).await;
    assert_eq!(res.imported, 1);
    // A village is not a township; a file without the needed columns or header is refused whole.
    let office = app.login("yishi.office").await;
    let tok = office.access_token.as_str();
    let village = unit(&app, tok, "village", "东街村").await;
    let p = expect_problem(import(&app, tok, village.id, "", "text/csv", file()).await, 422, "validation_failed").await;
    assert!(p.detail.unwrap().starts_with("township_id"));
    let no_type = csv(&["名称,地址,村,负责人", "a,b,东街村,c"]);
    let p = expect_problem(import(&app, tok, yishi.id, "", "text/csv", no_type).await, 422, "validation_failed").await;
    assert_eq!(p.detail.as_deref(), Some("file: missing columns: 类型"));
    let p = expect_problem(
        import(&app, tok, yishi.id, "", "text/csv", csv(&["a,b", "c,d"])).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(p.detail.unwrap().starts_with("file: no header row"));
    let p =
        expect_problem(import(&app, tok, yishi.id, "", XLSX, b"not a zip".to_vec()).await, 422, "validation_failed")
            .await;
    assert!(p.detail.unwrap().starts_with("file: not a readable XLSX"));
    expect_problem(import(&app, tok, yishi.id, "", "image/png", file()).await, 415, "unsupported_media_type").await;
    let r = app
        .request(Method::POST, &format!("{}?township_id=nope", api::PREMISES_IMPORT), Some(tok))
        .body(file())
        .send()
        .await
        .unwrap();
    expect_problem(r, 400, "invalid_parameter").await;
    assert_eq!(premises_under(&app, tok, yishi.id).await.total, 24);
    app.stop().await;
});

both_backends!(an_import_over_5_mib_or_5000_rows_is_refused, |app| {
    let office = app.login("yishi.office").await;
    let tok = office.access_token.as_str();
    let yishi = office.user.org_chain[1].id;
    let mut big = csv(&[HEADER]);
    big.resize(5 * 1024 * 1024 + 1, b' ');
    expect_problem(import(&app, tok, yishi, "", "text/csv", big).await, 413, "payload_too_large").await;
    let mut lines = vec![HEADER.to_string()];
    lines.extend((0..5001).map(|i| format!("店{i},门店,东街村{i}号,东街村,第一网格,某,,,,")));
    let many = lines.join("\n").into_bytes();
    assert!(many.len() < 5 * 1024 * 1024);
    let p = expect_problem(import(&app, tok, yishi, "", "text/csv", many).await, 422, "validation_failed").await;
    assert!(p.detail.unwrap().contains("5000"));
    // Other endpoints keep their small limit.
    let r = app
        .request(Method::POST, api::PREMISES, Some(tok))
        .header("content-type", "application/json")
        .body(vec![b' '; 300 * 1024])
        .send()
        .await
        .unwrap();
    expect_problem(r, 413, "payload_too_large").await;
    app.stop().await;
});

both_backends!(the_export_is_sorted_and_imports_again_as_duplicates_of_itself, |app| {
    let office = app.login("yishi.office").await;
    let tok = office.access_token.as_str();
    let yishi = office.user.org_chain[1].id;
    let res = app.get(&format!("{}?format=xlsx", api::PREMISES_EXPORT), tok).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], XLSX);
    assert_eq!(res.headers()["content-disposition"], "attachment; filename=\"ledger-140821100-2026-03-02.xlsx\"");
    let bytes = res.bytes().await.unwrap().to_vec();
    let rows = read_xlsx(&bytes);
    let headers: Vec<String> = LedgerColumn::ALL.iter().map(|c| c.header_zh().to_string()).collect();
    assert_eq!(rows[0], headers);
    assert_eq!(rows.len(), 1 + 24);
    // Sorted by village and grid (by code: 东街村, 西街村, 南关村; 第一 before 第二 网格), then name.
    let order = |v: &str| ["东街村", "西街村", "南关村"].iter().position(|x| *x == v).expect("a village of 猗氏镇");
    let keys: Vec<(usize, String, String)> =
        rows[1..].iter().map(|r| (order(&r[1]), r[2].clone(), r[3].clone())).collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| (a.0, a.1 != "第一网格", &a.2).cmp(&(b.0, b.1 != "第一网格", &b.2)));
    assert_eq!(keys, sorted);
    assert!(rows[1..].iter().all(|r| r[0] == "猗氏镇" && r[7].starts_with("1380359")));

    // Re-imported as a dry run: clean, every row a duplicate of the premise it came from.
    let res: ImportResult = expect_json(import(&app, tok, yishi, "", XLSX, bytes.clone()).await, 200).await;
    let r = &res.report;
    assert_eq!((r.rows_total, r.rows_with_errors, r.rows_with_duplicates), (24, 0, 24));
    // Names repeat across grids (two 东街村便民超市), so match by the premise each row points at.
    let mut own: Vec<PremiseId> = r
        .rows
        .iter()
        .map(|row| {
            let hit = row.duplicates.iter().find(|h| h.same_address && h.distance_m.is_some_and(|d| d < 0.01));
            hit.and_then(|h| h.premise_id).unwrap_or_else(|| panic!("no duplicate of itself: {row:?}"))
        })
        .collect();
    let mut all: Vec<PremiseId> = premises_under(&app, tok, yishi).await.items.into_iter().map(|p| p.id).collect();
    own.sort();
    all.sort();
    assert_eq!(own, all, "each row matches its own premise, one to one");
    // With skip_duplicates a real import changes nothing.
    let res: ImportResult =
        expect_json(import(&app, tok, yishi, "&dry_run=false&skip_duplicates=true", XLSX, bytes).await, 200).await;
    assert_eq!((res.imported, res.skipped), (0, 24));
    assert_eq!(premises_under(&app, tok, yishi).await.total, 24);

    // CSV: UTF-8 with BOM, the same header, and it re-imports the same way.
    let res = app.get(&format!("{}?format=csv", api::PREMISES_EXPORT), tok).await;
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(res.headers()["content-disposition"].to_str().unwrap().ends_with(".csv\""));
    let text = res.bytes().await.unwrap().to_vec();
    assert!(text.starts_with("\u{feff}乡镇,村,网格,名称,类型,地址,负责人,电话,纬度,经度,备注\n".as_bytes()));
    let res: ImportResult = expect_json(import(&app, tok, yishi, "", "text/csv", text).await, 200).await;
    assert_eq!((res.report.rows_total, res.report.rows_with_errors, res.report.rows_with_duplicates), (24, 0, 24));

    // The county sees every township; others are refused.
    let admin = app.login("admin").await;
    let res = app.get(api::PREMISES_EXPORT, &admin.access_token).await;
    assert_eq!(res.headers()["content-disposition"], "attachment; filename=\"ledger-140821-2026-03-02.xlsx\"");
    assert_eq!(read_xlsx(&res.bytes().await.unwrap()).len(), 1 + 14 * 24);
    let niudu = unit(&app, &admin.access_token, "township", "牛杜镇").await;
    let r = app.get(&format!("{}?org_unit_id={}", api::PREMISES_EXPORT, niudu.id), tok).await;
    expect_problem(r, 403, "out_of_scope").await;
    let grid = app.login("yishi.grid").await;
    expect_problem(app.get(api::PREMISES_EXPORT, &grid.access_token).await, 403, "forbidden").await;
    app.stop().await;
});
