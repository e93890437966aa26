//! The township ledger as a file (台账导入 / 导出): a township's Excel ledger in — checked row by row
//! with the premise rules, duplicates flagged, all rows in one transaction or none — and the ledger
//! in scope out.

use super::ledger_io::{self, attachment, Cell, FileFormat, Sheet, TextRow};
use super::register_files::map_columns;
use super::{premises as premise_service, scope};
use crate::auth::AuthUser;
use crate::db::org_units::{self, OrgUnitRow};
use crate::db::premises::{self, PremiseFilter, PremiseRow};
use crate::db::{run_blocking, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use std::collections::HashMap;
use xunjian_shared::ledger::{
    self, find_duplicates, normalise_address, read_row, validate_all, DupEntry, DupTarget, DuplicateHit, ImportReport,
    ImportResult, ImportRowReport, LedgerColumn, LedgerRow, RowError, DUPLICATE_RADIUS_M, HEADER_SEARCH_ROWS,
    MAX_IMPORT_ROWS,
};
use xunjian_shared::premise::{GeoPoint, Premise, PremiseType};
use xunjian_shared::time::china_date;
use xunjian_shared::{ErrorCode, OrgLevel, OrgUnitId, PremiseId};

/// Most premises one export holds (a county's ledger is tens of thousands).
pub const MAX_EXPORT_ROWS: i64 = 100_000;

/// What an import request asks for.
pub struct ImportRequest {
    pub township_id: OrgUnitId,
    pub dry_run: bool,
    pub skip_duplicates: bool,
    pub format: FileFormat,
}

/// A file's rows, read and mapped to ledger columns (no database needed).
struct ReadFile {
    ignored_columns: Vec<String>,
    rows: Vec<(LedgerRow, Vec<RowError>)>,
}

/// Finds the header row (the first of the first rows naming a 名称 column), maps the columns (as
/// every office file is: `register_files::map_columns`) and reads every row after it.
fn read_file(table: Vec<TextRow>) -> Result<ReadFile, AppError> {
    let required: Vec<(LedgerColumn, &str)> = LedgerColumn::REQUIRED.iter().map(|c| (*c, c.header_zh())).collect();
    let mapped = map_columns(table, LedgerColumn::from_header, &required)?;
    let rows = mapped.rows.into_iter().map(|(n, cells)| read_row(n, &cells)).collect();
    Ok(ReadFile { ignored_columns: mapped.ignored, rows })
}

/// The township's units, by id.
struct Tree {
    township: OrgUnitRow,
    units: HashMap<String, OrgUnitRow>,
}

impl Tree {
    fn children<'a>(&'a self, parent: &str, level: OrgLevel) -> impl Iterator<Item = &'a OrgUnitRow> + 'a {
        let (parent, level) = (parent.to_owned(), level.as_str());
        self.units.values().filter(move |u| u.parent_id.as_deref() == Some(parent.as_str()) && u.level == level)
    }

    /// A child by name or code; ambiguous names are an error.
    fn child(&self, parent: &str, level: OrgLevel, key: &str, field: &str) -> Result<&OrgUnitRow, RowError> {
        let mut found = self.children(parent, level).filter(|u| u.name == key || u.code == key);
        match (found.next(), found.next()) {
            (Some(u), None) if u.active => Ok(u),
            (Some(u), None) => Err(RowError::new(field, format!("'{}' is inactive", u.name))),
            (Some(_), Some(_)) => Err(RowError::new(field, format!("'{key}' names more than one; use the code"))),
            (None, _) => {
                let parent_name = self.units.get(parent).map_or("", |p| p.name.as_str());
                Err(RowError::new(field, format!("no {} '{key}' in {parent_name}", level.as_str())))
            }
        }
    }

    /// The village and grid a row names (a blank grid is the village's only active grid).
    fn place(&self, row: &LedgerRow) -> (Option<&OrgUnitRow>, Result<&OrgUnitRow, RowError>) {
        if row.village.is_empty() {
            return (None, Err(RowError::new("village", "is empty")));
        }
        let village = match self.child(&self.township.id, OrgLevel::Village, &row.village, "village") {
            Ok(v) => v,
            Err(e) => return (None, Err(e)),
        };
        let grid = if row.grid.is_empty() {
            let active: Vec<&OrgUnitRow> = self.children(&village.id, OrgLevel::Grid).filter(|g| g.active).collect();
            match active.as_slice() {
                [only] => Ok(*only),
                _ => Err(RowError::new("grid", format!("{} has {} grids; name one", village.name, active.len()))),
            }
        } else {
            self.child(&village.id, OrgLevel::Grid, &row.grid, "grid")
        };
        (Some(village), grid)
    }
}

/// A row checked against the database: its report and, when it has no error, the premise.
struct Planned {
    report: ImportRowReport,
    premise: Option<Premise>,
}

/// Checks every row and finds duplicates; writes nothing.
fn plan(conn: &mut DbConn, user: &AuthUser, req: &ImportRequest, file: ReadFile) -> Result<Vec<Planned>, AppError> {
    let township = org_units::find(conn, req.township_id)?
        .filter(|u| user.can_see(&u.path))
        .ok_or_else(|| AppError::with_detail(ErrorCode::OutOfScope, "township_id"))?;
    if township.level()? != OrgLevel::Township {
        return Err(AppError::validation("township_id", "is not a township (乡镇)"));
    }
    let units = org_units::list_within(conn, &township.path, None, None)?;
    let tree = Tree { units: units.into_iter().map(|u| (u.id.clone(), u)).collect(), township };
    let filter = PremiseFilter { path_prefix: tree.township.path.clone(), limit: i64::MAX, ..Default::default() };
    let (existing, _) = premises::list(conn, &filter)?;

    let village_of = |grid_id: &str| tree.units.get(grid_id).and_then(|g| tree.units.get(g.parent_id.as_deref()?));
    let existing_keys: Vec<DupEntry> = existing
        .iter()
        .map(|p| {
            let v = village_of(&p.grid_id);
            DupEntry {
                village: v.map_or_else(String::new, |v| v.id.clone()),
                address: normalise_address(&p.address, v.map_or("", |v| v.name.as_str())),
                location: p.lat.zip(p.lon).map(|(lat, lon)| GeoPoint { lat, lon, accuracy_m: None }),
            }
        })
        .collect();

    let mut planned = Vec::with_capacity(file.rows.len());
    let mut row_keys = Vec::with_capacity(file.rows.len());
    for (row, mut errors) in file.rows {
        let township_named = [&tree.township.name, &tree.township.code];
        if !row.township.is_empty() && !township_named.contains(&&row.township) {
            errors.push(RowError::new(
                "township",
                format!("the row is for '{}', not {}", row.township, tree.township.name),
            ));
        }
        let (village, grid) = tree.place(&row);
        let grid_id = match grid {
            Ok(g) => Some(g.id.parse::<OrgUnitId>().map_err(AppError::internal)?),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let premise = Premise {
            id: PremiseId::new(),
            grid_id: grid_id.unwrap_or_default(),
            name: row.name.clone(),
            premise_type: row.premise_type.unwrap_or(PremiseType::StreetShop),
            address: row.address.clone(),
            location: row.location,
            responsible_person: row.responsible_person.clone(),
            responsible_phone: row.responsible_phone.clone(),
            notes: row.notes.clone(),
            active: true,
            version: 1,
        };
        if row.premise_type.is_none() && !errors.iter().any(|e| e.field == "premise_type") {
            errors.push(RowError::new("premise_type", "is empty"));
        }
        errors.extend(validate_all(&premise));
        row_keys.push(DupEntry {
            // An unknown village still groups the file's own rows by the name written.
            village: village.map_or_else(|| format!("?{}", row.village), |v| v.id.clone()),
            address: normalise_address(&row.address, village.map_or(row.village.as_str(), |v| v.name.as_str())),
            location: row.location,
        });
        planned.push(Planned {
            premise: errors.is_empty().then_some(premise),
            report: ImportRowReport {
                row: row.row,
                name: row.name,
                errors,
                duplicates: vec![],
                skipped: false,
                premise_id: None,
            },
        });
    }

    let matches = find_duplicates(&row_keys, &existing_keys, DUPLICATE_RADIUS_M);
    let names: Vec<(u32, String)> = planned.iter().map(|p| (p.report.row, p.report.name.clone())).collect();
    for (i, (p, found)) in planned.iter_mut().zip(matches).enumerate() {
        for m in found {
            let (premise_id, row, name) = match m.target {
                DupTarget::Existing(j) => {
                    (Some(existing[j].id.parse().map_err(AppError::internal)?), None, existing[j].name.clone())
                }
                DupTarget::Row(j) => (None, Some(names[j].0), names[j].1.clone()),
            };
            // Only the later of two duplicate rows is left out, so one of them is imported.
            let before = matches!(m.target, DupTarget::Existing(_)) || matches!(m.target, DupTarget::Row(j) if j < i);
            p.report.skipped |= req.skip_duplicates && before;
            let (same_address, distance_m) = (m.same_address, m.distance_m);
            p.report.duplicates.push(DuplicateHit { premise_id, row, name, same_address, distance_m });
        }
    }
    Ok(planned)
}

fn result(planned: Vec<Planned>, ignored: Vec<String>, dry_run: bool) -> ImportResult {
    let rows: Vec<ImportRowReport> = planned.into_iter().map(|p| p.report).collect();
    let imported = rows.iter().filter(|r| r.premise_id.is_some()).count() as u32;
    let skipped = rows.iter().filter(|r| r.skipped).count() as u32;
    ImportResult { dry_run, imported, skipped, report: ImportReport::from_rows(rows, ignored) }
}

/// Imports a ledger file into a township. A dry run (the default) only reports. A real import
/// writes every row that is not skipped, in one transaction, or — when any row has an error —
/// nothing, answering 422 with the report as JSON in `detail`.
pub async fn import(
    state: &AppState,
    user: &AuthUser,
    req: ImportRequest,
    body: actix_web::web::Bytes,
) -> Result<ImportResult, AppError> {
    if !ledger::may_import(user.role) {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let format = req.format;
    let file =
        run_blocking(move || read_file(ledger_io::read_table(format, &body, MAX_IMPORT_ROWS + HEADER_SEARCH_ROWS)?))
            .await?;
    let user = user.clone();
    if req.dry_run {
        return state
            .db
            .read(move |conn| {
                let ignored = file.ignored_columns.clone();
                Ok(result(plan(conn, &user, &req, file)?, ignored, true))
            })
            .await;
    }
    let now = state.now_ms();
    state
        .db
        .write(move |conn| {
            let ignored = file.ignored_columns.clone();
            let mut planned = plan(conn, &user, &req, file)?;
            if planned.iter().any(|p| !p.report.errors.is_empty()) {
                let report = result(planned, ignored, false).report;
                let json = serde_json::to_string(&report).map_err(AppError::internal)?;
                return Err(AppError::with_detail(ErrorCode::ValidationFailed, json));
            }
            for p in planned.iter_mut().filter(|p| !p.report.skipped) {
                if let Some(premise) = &p.premise {
                    premise_service::insert_new(conn, &user, premise, now)?;
                    p.report.premise_id = Some(premise.id);
                }
            }
            Ok(result(planned, ignored, false))
        })
        .await
}

pub use super::ledger_io::Download;

/// Today in China, as file names carry it (`2026-05-01`).
pub fn file_date(state: &AppState) -> String {
    china_date(state.clock.now()).to_string()
}

/// The active premises in scope (or under one unit in it) as a ledger file, sorted by township,
/// village, grid (by code) and name, with the columns an import reads.
pub async fn export(
    state: &AppState,
    user: &AuthUser,
    unit: Option<OrgUnitId>,
    format: FileFormat,
) -> Result<Download, AppError> {
    if !ledger::may_export(user.role) {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let user = user.clone();
    let (root, mut rows) = state
        .db
        .read(move |conn| {
            let path = scope::narrow(conn, &user, unit)?;
            let root = org_units::find(conn, unit.unwrap_or(user.org_unit_id))?
                .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            let filter = PremiseFilter {
                path_prefix: path.clone(),
                active: Some(true),
                limit: MAX_EXPORT_ROWS + 1,
                ..Default::default()
            };
            let (found, total) = premises::list(conn, &filter)?;
            if total > MAX_EXPORT_ROWS {
                return Err(AppError::validation(
                    "org_unit_id",
                    format!("{total} premises; export at most {MAX_EXPORT_ROWS}, one township at a time"),
                ));
            }
            let mut units: HashMap<String, OrgUnitRow> =
                org_units::chain(conn, &path)?.into_iter().map(|u| (u.id.clone(), u)).collect();
            units.extend(org_units::list_within(conn, &path, None, None)?.into_iter().map(|u| (u.id.clone(), u)));
            let rows = found.into_iter().map(|p| ledger_line(&units, p)).collect::<Vec<_>>();
            Ok((root, rows))
        })
        .await?;
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let filename = format!("ledger-{}-{}.{}", root.code, file_date(state), format.extension());
    let sheet = Sheet {
        name: "台账".into(),
        headers: LedgerColumn::ALL.iter().map(|c| c.header_zh().to_owned()).collect(),
        widths: vec![10.0, 10.0, 10.0, 24.0, 16.0, 30.0, 10.0, 14.0, 11.0, 11.0, 20.0],
        rows: rows.into_iter().map(|(_, cells)| cells).collect(),
        ..Default::default()
    };
    let bytes = run_blocking(move || match format {
        FileFormat::Csv => ledger_io::to_csv(&sheet),
        FileFormat::Xlsx => ledger_io::to_xlsx(&sheet),
    })
    .await?;
    Ok(Download { filename, content_type: format.content_type(), bytes, total: None })
}

type SortKey = (String, String, String, String);

/// A premise as a ledger line (in [`LedgerColumn::ALL`] order) with its sort key.
fn ledger_line(units: &HashMap<String, OrgUnitRow>, p: PremiseRow) -> (SortKey, Vec<Cell>) {
    let grid = units.get(&p.grid_id);
    let up = |u: Option<&OrgUnitRow>| u.and_then(|u| units.get(u.parent_id.as_deref()?));
    let (village, township) = (up(grid), up(up(grid)));
    let code = |u: Option<&OrgUnitRow>| u.map_or_else(String::new, |u| u.code.clone());
    let name = |u: Option<&OrgUnitRow>| u.map_or_else(String::new, |u| u.name.clone());
    let kind = PremiseType::parse(&p.premise_type).map_or(p.premise_type.as_str(), |t| t.label_zh());
    let key = (code(township), code(village), code(grid), p.name.clone());
    let cells = vec![
        name(township).into(),
        name(village).into(),
        name(grid).into(),
        p.name.as_str().into(),
        kind.into(),
        p.address.as_str().into(),
        p.responsible_person.as_str().into(),
        p.responsible_phone.clone().unwrap_or_default().into(),
        p.lat.into(),
        p.lon.into(),
        p.notes.as_str().into(),
    ];
    (key, cells)
}

/// The response for a download.
pub fn respond(d: Download) -> actix_web::HttpResponse {
    let mut res = actix_web::HttpResponse::Ok();
    res.content_type(d.content_type).insert_header(("Content-Disposition", attachment(&d.filename)));
    if let Some(n) = d.total {
        res.insert_header(("X-Total-Count", n.to_string()));
    }
    res.body(d.bytes)
}
