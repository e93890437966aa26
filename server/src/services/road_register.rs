//! The road register as a file (路线台账): roads with their segments, one line a segment, out as
//! XLSX or CSV and in again — checked row by row, all rows in one transaction or none. The county
//! admin registers and changes roads; a road station adds segments and (re)assigns their workers in
//! its township. Segments missing from a file are left as they are.

use super::ledger::{file_date, Download};
use super::ledger_io::{Cell, FileFormat, Sheet};
use super::register_files::{read_upload, render, run_import, Mapped, Townships};
use super::roads::segment_changed;
use super::scope;
use crate::auth::AuthUser;
use crate::db::changes::{self, Audience, Kind};
use crate::db::org_units;
use crate::db::roads::{self, RoadRow, SegmentRow};
use crate::db::{users, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use std::collections::HashMap;
use xunjian_shared::ledger::RowError;
use xunjian_shared::road::register::Road;
use xunjian_shared::road::register_file::{
    may_edit_roads, may_import_roads, new_road, ranges_overlap, read_road_row, road_changes, road_fields_differ,
    same_range, segment_km_error, RegisterImportReport, RegisterRowReport, RoadColumn, RoadFileRow, RoadImportResult,
    RowOutcome,
};
use xunjian_shared::{ErrorCode, OrgUnitId, Role, SegmentId};

/// A road as the file meets it: registered (and maybe changed by the file) or new.
struct FileRoad {
    first_row: RoadFileRow,
    /// The row as it will be saved.
    road: RoadRow,
    outcome: RowOutcome,
    /// The registered segments of the road.
    segments: Vec<SegmentRow>,
    /// Segments named by earlier rows of the file: (from, to, row).
    in_file: Vec<(f64, f64, u32)>,
}

/// What a checked row writes.
struct Planned {
    report: RegisterRowReport,
    /// The road to insert or update (on the first row of each road only).
    road: Option<(RowOutcome, RoadRow)>,
    segment: Option<(RowOutcome, SegmentRow, Option<String>)>,
}

struct Planner<'a> {
    user: &'a AuthUser,
    now: i64,
    towns: Townships,
    roads: HashMap<String, FileRoad>,
}

impl Planner<'_> {
    /// The road of a row, checked against the register and the file's earlier rows.
    fn road(&mut self, conn: &mut DbConn, r: &RoadFileRow, errors: &mut Vec<RowError>) -> Result<bool, AppError> {
        if let Some(known) = self.roads.get(&r.code) {
            for field in road_fields_differ(&known.first_row, r) {
                errors.push(RowError::new(field, format!("differs from row {} of the same road", known.first_row.row)));
            }
            return Ok(false);
        }
        let editor = may_edit_roads(self.user.role);
        let (road, outcome, segments) = match roads::find_road_by_code(conn, &r.code)? {
            Some(row) if !row.active => {
                errors.push(RowError::new("code", format!("road {} is out of use", r.code)));
                return Ok(false);
            }
            Some(row) => {
                let dto: Road = row.to_dto(vec![])?;
                let changed = road_changes(&dto, r);
                if !changed.is_empty() && !editor {
                    for field in &changed {
                        errors.push(RowError::new(
                            field,
                            "differs from the register; only the county admin changes a road",
                        ));
                    }
                }
                let segments = roads::segments_of_road(conn, &row.id)?;
                let length = r.length_km.unwrap_or(row.length_km);
                if let Some(end) = segments.iter().map(|s| s.to_km).reduce(f64::max).filter(|end| *end > length + 1e-9)
                {
                    errors.push(RowError::new("length_km", format!("segments of the road run to {end} km")));
                }
                let saved = RoadRow {
                    name: r.name.clone().unwrap_or(row.name.clone()),
                    level: r.level.map_or(row.level.clone(), |l| l.as_str().into()),
                    length_km: length,
                    responsible: r.responsible.map_or(row.responsible.clone(), |u| u.as_str().into()),
                    updated_at: self.now,
                    ..row
                };
                let outcome = if changed.is_empty() { RowOutcome::Unchanged } else { RowOutcome::Updated };
                (saved, outcome, segments)
            }
            None if !editor => {
                errors.push(RowError::new(
                    "code",
                    format!("no road {} in the register; the county admin registers roads", r.code),
                ));
                return Ok(false);
            }
            None => match new_road(r) {
                Err(missing) => {
                    // A cell that could not be read is already reported; do not call it empty too.
                    let unread: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
                    errors.extend(missing.into_iter().filter(|e| !unread.contains(&e.field)));
                    return Ok(false);
                }
                Ok((name, level, length_km, responsible)) => {
                    let row = RoadRow {
                        id: xunjian_shared::RoadId::new().to_string(),
                        code: r.code.clone(),
                        name,
                        level: level.as_str().into(),
                        length_km,
                        responsible: responsible.as_str().into(),
                        active: true,
                        created_at: self.now,
                        updated_at: self.now,
                    };
                    (row, RowOutcome::Created, vec![])
                }
            },
        };
        let first_row = r.clone();
        self.roads.insert(r.code.clone(), FileRoad { first_row, road, outcome, segments, in_file: vec![] });
        Ok(true)
    }

    /// The segment of a row: the km range on its road, its township, overlaps, its worker.
    fn segment(
        &mut self,
        conn: &mut DbConn,
        r: &RoadFileRow,
        errors: &mut Vec<RowError>,
    ) -> Result<Option<(RowOutcome, SegmentRow, Option<String>)>, AppError> {
        let (Some(cells), Some(road)) = (&r.segment, self.roads.get_mut(&r.code)) else { return Ok(None) };
        let before = errors.len();
        let range = (cells.from_km, cells.to_km);
        errors.extend(segment_km_error(cells.from_km, cells.to_km, road.road.length_km));
        let town = match self.towns.find(self.user, &cells.township) {
            Ok(t) => Some(t),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        if let Some((_, _, row)) = road.in_file.iter().find(|(f, t, _)| ranges_overlap((*f, *t), range)) {
            errors.push(RowError::new("from_km", format!("overlaps the segment of row {row}")));
        }
        road.in_file.push((cells.from_km, cells.to_km, r.row));
        let registered = road.segments.iter().find(|s| same_range((s.from_km, s.to_km), range)).cloned();
        if registered.is_none() {
            if let Some(s) = road.segments.iter().find(|s| ranges_overlap((s.from_km, s.to_km), range)) {
                let msg = format!("overlaps the registered segment {}–{} km", s.from_km, s.to_km);
                errors.push(RowError::new("from_km", msg));
            }
        }
        if let (Some(s), Some(t)) = (&registered, town) {
            if s.township_id != t.id {
                let name = self.towns.by_id(&s.township_id).map_or("another township", |t| t.name.as_str());
                errors.push(RowError::new("township", format!("this segment is registered in {name}")));
            }
        }
        let worker = match (&r.worker_username, town) {
            (Some(username), Some(town)) => worker_in(conn, username, r.worker_name.as_deref(), &town.path, errors)?,
            _ => None,
        };
        let (Some(town), true) = (town, errors.len() == before) else { return Ok(None) };
        Ok(Some(match registered {
            Some(s) if s.worker_id == worker => (RowOutcome::Unchanged, s, None),
            Some(s) => {
                let old = s.worker_id.clone();
                (RowOutcome::Updated, SegmentRow { worker_id: worker, updated_at: self.now, ..s }, old)
            }
            None => {
                let row = SegmentRow {
                    id: SegmentId::new().to_string(),
                    road_id: road.road.id.clone(),
                    township_id: town.id.clone(),
                    scope_path: town.path.clone(),
                    from_km: cells.from_km,
                    to_km: cells.to_km,
                    polyline: "[]".into(),
                    worker_id: worker,
                    updated_at: self.now,
                };
                (RowOutcome::Created, row, None)
            }
        }))
    }
}

/// The id of an active patrol worker of the township, by username (and name, when given).
fn worker_in(
    conn: &mut DbConn,
    username: &str,
    name: Option<&str>,
    township_path: &str,
    errors: &mut Vec<RowError>,
) -> Result<Option<String>, AppError> {
    let found = match users::find_by_username(conn, username)? {
        Some(u) if u.active && u.role()? == Role::PatrolWorker => users::find_with_path(conn, u.user_id()?)?
            .filter(|(_, path)| xunjian_shared::org::is_within(township_path, path))
            .map(|(u, _)| u),
        _ => None,
    };
    let Some(u) = found else {
        errors.push(RowError::new("worker_username", format!("no active patrol worker '{username}' in the township")));
        return Ok(None);
    };
    if let Some(name) = name.filter(|n| *n != u.display_name) {
        errors.push(RowError::new("worker_name", format!("{username} is {}, not {name}", u.display_name)));
    }
    Ok(Some(u.id))
}

/// Checks every row; writes nothing.
fn plan(conn: &mut DbConn, user: &AuthUser, now: i64, file: Mapped<RoadColumn>) -> Result<Vec<Planned>, AppError> {
    let mut p = Planner { user, now, towns: Townships::load(conn)?, roads: HashMap::new() };
    let mut planned = Vec::with_capacity(file.rows.len());
    for (n, cells) in file.rows {
        let (r, mut errors) = read_road_row(n, &cells);
        let first = if errors.iter().any(|e| e.field == "code") { false } else { p.road(conn, &r, &mut errors)? };
        let segment = p.segment(conn, &r, &mut errors)?;
        let record = p.roads.get(&r.code).map(|road| road.outcome).filter(|_| errors.is_empty());
        let road = p.roads.get(&r.code).filter(|_| first).map(|road| (road.outcome, road.road.clone()));
        planned.push(Planned {
            report: RegisterRowReport {
                row: n,
                key: r.code,
                segment: segment.as_ref().map(|s| s.0).filter(|_| errors.is_empty()),
                record,
                errors,
            },
            road,
            segment,
        });
    }
    Ok(planned)
}

/// Imports a roads file. A dry run only reports. A real import writes every row in one transaction
/// or — when any row has an error — nothing, answering 422 with the report as JSON in `detail`.
pub async fn import(
    state: &AppState,
    user: &AuthUser,
    dry_run: bool,
    format: FileFormat,
    body: actix_web::web::Bytes,
) -> Result<RoadImportResult, AppError> {
    if !may_import_roads(user.role) {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    const REQUIRED: &[(RoadColumn, &str)] = &[(RoadColumn::Code, "路线编码")];
    let file = read_upload(format, body, RoadColumn::from_header, REQUIRED).await?;
    let (user, now) = (user.clone(), state.now_ms());
    let plan = move |conn: &mut DbConn| {
        let ignored = file.ignored.clone();
        let planned = plan(conn, &user, now, file)?;
        let report = RegisterImportReport::from_rows(planned.iter().map(|p| p.report.clone()).collect(), ignored);
        Ok((planned, report))
    };
    let apply = move |conn: &mut DbConn, planned: Vec<Planned>| {
        for p in planned {
            if let Some((outcome, row)) = &p.road {
                match outcome {
                    RowOutcome::Created => roads::insert_road(conn, row)?,
                    RowOutcome::Updated => roads::update_road(conn, row)?,
                    RowOutcome::Unchanged => {}
                }
                if *outcome != RowOutcome::Unchanged {
                    changes::record(conn, Kind::Road, &row.id, &Audience::Everyone, false, now)?;
                }
            }
            match p.segment {
                Some((RowOutcome::Created, row, _)) => {
                    roads::insert_segment(conn, &row)?;
                    segment_changed(conn, &row, None, now)?;
                    // The road's township list changed.
                    changes::record(conn, Kind::Road, &row.road_id, &Audience::Everyone, false, now)?;
                }
                Some((RowOutcome::Updated, row, old)) => {
                    roads::assign(conn, &row.id, row.worker_id.as_deref(), now)?;
                    segment_changed(conn, &row, old.as_deref(), now)?;
                }
                _ => {}
            }
        }
        Ok(())
    };
    run_import(state, dry_run, plan, apply, RoadImportResult::new).await
}

/// The register in scope (or under one unit in it) as a file with the import's columns: one line a
/// segment, sorted by road code and km; a road with no segment is one line when the county admin
/// exports the whole county.
pub async fn export(
    state: &AppState,
    user: &AuthUser,
    unit: Option<OrgUnitId>,
    format: FileFormat,
) -> Result<Download, AppError> {
    if !may_import_roads(user.role) {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let user = user.clone();
    let (code, rows) = state
        .db
        .read(move |conn| {
            let path = scope::narrow(conn, &user, unit)?;
            let root = org_units::find(conn, unit.unwrap_or(user.org_unit_id))?
                .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            let whole_county = unit.is_none() && may_edit_roads(user.role);
            let towns = Townships::load(conn)?;
            let mut in_scope: HashMap<String, Vec<SegmentRow>> = HashMap::new();
            for s in roads::segments_within(conn, &path)? {
                in_scope.entry(s.road_id.clone()).or_default().push(s);
            }
            let mut workers: HashMap<String, (String, String)> = HashMap::new();
            let mut rows = Vec::new();
            for road in roads::all_roads(conn)?.into_iter().filter(|r| r.active) {
                let dto = road.to_dto(vec![])?;
                let head: Vec<Cell> = vec![
                    road.code.as_str().into(),
                    road.name.as_str().into(),
                    dto.level.label_zh().into(),
                    Cell::Number(road.length_km),
                    dto.responsible.label_zh().into(),
                ];
                let mut segs = in_scope.remove(&road.id).unwrap_or_default();
                segs.sort_by(|a, b| a.from_km.total_cmp(&b.from_km));
                if segs.is_empty() && whole_county {
                    rows.push([head.clone(), vec![Cell::Empty; 5]].concat());
                }
                for s in segs {
                    let (username, name) = match &s.worker_id {
                        Some(w) => match workers.get(w) {
                            Some(found) => found.clone(),
                            None => {
                                let u = users::find(conn, w.parse().map_err(AppError::internal)?)?;
                                let found = u.map(|u| (u.username, u.display_name)).unwrap_or_default();
                                workers.insert(w.clone(), found.clone());
                                found
                            }
                        },
                        None => Default::default(),
                    };
                    let town = towns.by_id(&s.township_id).map_or(String::new(), |t| t.name.clone());
                    let tail: Vec<Cell> =
                        vec![town.into(), Cell::Number(s.from_km), Cell::Number(s.to_km), username.into(), name.into()];
                    rows.push([head.clone(), tail].concat());
                }
            }
            Ok((root.code, rows))
        })
        .await?;
    let sheet = Sheet {
        name: "路线台账".into(),
        headers: RoadColumn::ALL.iter().map(|c| c.header_zh().to_owned()).collect(),
        widths: vec![10.0, 20.0, 8.0, 10.0, 14.0, 10.0, 13.0, 13.0, 14.0, 10.0],
        rows,
        ..Default::default()
    };
    let filename = format!("roads-{code}-{}.{}", file_date(state), format.extension());
    render(sheet, format, filename).await
}
