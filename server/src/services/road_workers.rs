//! Patrol workers' files as a file (管护员档案): out with age, the flags of 第十二、十三、二十三条 and
//! the km assigned; in (birth date, probation month, agreement, insurance) checked row by row and
//! saved in one transaction or not at all.

use super::ledger::{file_date, Download};
use super::ledger_io::{Cell, FileFormat, Sheet};
use super::register_files::{read_upload, render, run_import, Mapped, Townships};
use super::scope;
use crate::auth::AuthUser;
use crate::db::{roads, users, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use chrono::NaiveDate;
use std::collections::HashMap;
use xunjian_shared::ledger::RowError;
use xunjian_shared::road::register::{age_on, worker_flags, PatrolWorker, MAX_WORKER_AGE};
use xunjian_shared::road::register_file::{
    flag_label_zh, read_worker_row, yes_no, RegisterImportReport, RegisterRowReport, RowOutcome, WorkerColumn,
    WorkerImportResult,
};
use xunjian_shared::time::china_date;
use xunjian_shared::{ErrorCode, OrgUnitId, Role};

fn manager(user: &AuthUser) -> Result<(), AppError> {
    if user.role.can_manage_roads() {
        Ok(())
    } else {
        Err(AppError::new(ErrorCode::Forbidden))
    }
}

/// Today in China (ages and flags are as of this day).
fn today(state: &AppState) -> NaiveDate {
    china_date(state.clock.now())
}

/// Checks every row against the accounts in the caller's scope; writes nothing.
fn plan(
    conn: &mut DbConn,
    user: &AuthUser,
    today: NaiveDate,
    file: Mapped<WorkerColumn>,
) -> Result<Vec<(RegisterRowReport, Option<PatrolWorker>)>, AppError> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut out = Vec::with_capacity(file.rows.len());
    for (n, cells) in file.rows {
        let (w, mut errors) = read_worker_row(n, &cells, today);
        let mut file_of = None;
        if !w.username.is_empty() {
            if let Some(first) = seen.get(&w.username) {
                errors.push(RowError::new("username", format!("also in row {first}")));
            }
            seen.entry(w.username.clone()).or_insert(n);
            let account = match users::find_by_username(conn, &w.username)? {
                Some(u) if u.role()? == Role::PatrolWorker && u.active => {
                    users::find_with_path(conn, u.user_id()?)?.filter(|(_, p)| user.can_see(p)).map(|(u, _)| u)
                }
                _ => None,
            };
            match account {
                None => errors
                    .push(RowError::new("username", format!("no active patrol worker '{}' in your area", w.username))),
                Some(u) if w.name.as_ref().is_some_and(|n| *n != u.display_name) => errors.push(RowError::new(
                    "name",
                    format!("{} is {}, not {}", w.username, u.display_name, w.name.clone().unwrap_or_default()),
                )),
                Some(u) => file_of = Some(u),
            }
        }
        let planned = match (file_of, w.birth_date) {
            (Some(u), Some(birth_date)) if errors.is_empty() => {
                let new = PatrolWorker {
                    user_id: u.user_id()?,
                    name: u.display_name.clone(),
                    birth_date,
                    probation_month: w.probation_month,
                    contract_signed: w.contract_signed,
                    insured: w.insured,
                };
                let old = roads::workers(conn, &[u.id])?.into_iter().next();
                let outcome = match old {
                    None => RowOutcome::Created,
                    Some(old) if old == new => RowOutcome::Unchanged,
                    Some(_) => RowOutcome::Updated,
                };
                Some((outcome, new))
            }
            _ => None,
        };
        let report =
            RegisterRowReport { row: n, key: w.username, errors, record: planned.as_ref().map(|p| p.0), segment: None };
        out.push((report, planned.map(|p| p.1)));
    }
    Ok(out)
}

/// Imports a workers' file. A dry run only reports; a real import saves every row's file in one
/// transaction or — when any row has an error — nothing (422 with the report as JSON in `detail`).
pub async fn import(
    state: &AppState,
    user: &AuthUser,
    dry_run: bool,
    format: FileFormat,
    body: actix_web::web::Bytes,
) -> Result<WorkerImportResult, AppError> {
    manager(user)?;
    const REQUIRED: &[(WorkerColumn, &str)] =
        &[(WorkerColumn::Username, "账号"), (WorkerColumn::BirthDate, "出生日期")];
    let file = read_upload(format, body, WorkerColumn::from_header, REQUIRED).await?;
    let (user, now, today) = (user.clone(), state.now_ms(), today(state));
    let plan = move |conn: &mut DbConn| {
        let ignored = file.ignored.clone();
        let planned = plan(conn, &user, today, file)?;
        let report = RegisterImportReport::from_rows(planned.iter().map(|p| p.0.clone()).collect(), ignored);
        Ok((planned, report))
    };
    let apply = move |conn: &mut DbConn, planned: Vec<(RegisterRowReport, Option<PatrolWorker>)>| {
        for (row, w) in planned {
            if let (Some(w), Some(RowOutcome::Created | RowOutcome::Updated)) = (w, row.record) {
                roads::save_worker(conn, &w, now)?;
            }
        }
        Ok(())
    };
    run_import(state, dry_run, plan, apply, WorkerImportResult::new).await
}

/// The headers of the export: the import's columns with what the office reads beside them.
const EXPORT_HEADERS: [&str; 11] = [
    "乡镇",
    "账号",
    "姓名",
    "出生日期",
    "年龄",
    "超过60岁",
    "试用月份",
    "签订协议",
    "意外保险",
    "管护里程(公里)",
    "问题",
];

/// The active patrol workers in scope (or under one unit in it) with their files, sorted by
/// township and username; a worker without a file has blank file columns and the flag 无档案.
pub async fn export(
    state: &AppState,
    user: &AuthUser,
    unit: Option<OrgUnitId>,
    format: FileFormat,
) -> Result<Download, AppError> {
    manager(user)?;
    let (user, today) = (user.clone(), today(state));
    let (code, rows) = state
        .db
        .read(move |conn| {
            let path = scope::narrow(conn, &user, unit)?;
            let root = crate::db::org_units::find(conn, unit.unwrap_or(user.org_unit_id))?
                .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            let towns = Townships::load(conn)?;
            let filter = users::UserFilter { role: Some(Role::PatrolWorker), limit: 100_000, ..Default::default() };
            let mut accounts = Vec::new();
            for u in users::list_within(conn, &path, &filter)?.into_iter().filter(|u| u.active) {
                let unit_path = users::find_with_path(conn, u.user_id()?)?.map(|(_, p)| p).unwrap_or_default();
                accounts.push((u, unit_path));
            }
            let ids: Vec<String> = accounts.iter().map(|(u, _)| u.id.clone()).collect();
            let files: HashMap<String, PatrolWorker> =
                roads::workers(conn, &ids)?.into_iter().map(|w| (w.user_id.to_string(), w)).collect();
            let mut km: HashMap<String, f64> = HashMap::new();
            for s in roads::segments_within(conn, &path)? {
                if let Some(w) = s.worker_id {
                    *km.entry(w).or_default() += s.to_km - s.from_km;
                }
            }
            let mut rows: Vec<((String, String), Vec<Cell>)> = accounts
                .iter()
                .map(|(u, path)| {
                    let town = towns.of_path(path);
                    let key = (town.map_or(String::new(), |t| t.code.clone()), u.username.clone());
                    let mut cells: Vec<Cell> = vec![
                        town.map_or(String::new(), |t| t.name.clone()).into(),
                        u.username.as_str().into(),
                        u.display_name.as_str().into(),
                    ];
                    cells.extend(file_cells(files.get(&u.id), today));
                    cells.push(Cell::Number(km.get(&u.id).copied().unwrap_or(0.0)));
                    let flags = files.get(&u.id).map_or(vec!["no_file"], |w| worker_flags(w, today));
                    cells.push(flags.into_iter().map(flag_label_zh).collect::<Vec<_>>().join("、").into());
                    (key, cells)
                })
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            Ok((root.code, rows.into_iter().map(|(_, c)| c).collect()))
        })
        .await?;
    let sheet = Sheet {
        name: "管护员档案".into(),
        headers: EXPORT_HEADERS.map(String::from).to_vec(),
        widths: vec![10.0, 14.0, 10.0, 12.0, 6.0, 9.0, 10.0, 9.0, 9.0, 13.0, 24.0],
        rows,
        ..Default::default()
    };
    let filename = format!("patrol-workers-{code}-{}.{}", file_date(state), format.extension());
    render(sheet, format, filename).await
}

/// 出生日期, 年龄, 超过60岁, 试用月份, 签订协议, 意外保险 of a worker's file (blank without one).
fn file_cells(w: Option<&PatrolWorker>, today: NaiveDate) -> Vec<Cell> {
    let Some(w) = w else { return vec![Cell::Empty; 6] };
    let age = age_on(w.birth_date, today);
    vec![
        w.birth_date.format("%Y-%m-%d").to_string().into(),
        Cell::Number(f64::from(age)),
        yes_no(age > MAX_WORKER_AGE).into(),
        w.probation_month.map_or(Cell::Empty, |m| m.format("%Y-%m").to_string().into()),
        yes_no(w.contract_signed).into(),
        yes_no(w.insured).into(),
    ]
}
