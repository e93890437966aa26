//! The roadside register as a file (沿线地块户主登记册, 第七条): a village's register in — every row
//! checked, the plot's segment found by road and km, a row matched to the registered party of the
//! same holder and plot start — and the register out with the same columns.

use super::ledger::{file_date, Download};
use super::ledger_io::{Cell, FileFormat, Sheet};
use super::register_files::{read_upload, render, run_import, Mapped};
use super::roadside::{allowed, today};
use super::scope;
use crate::auth::AuthUser;
use crate::db::roads::{self, SegmentRow};
use crate::db::roadside::{self as db, PartyFilter, PartyRow};
use crate::db::{org_units, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use chrono::NaiveDate;
use std::collections::HashMap;
use xunjian_shared::ledger::RowError;
use xunjian_shared::road::register_file::{
    read_roadside_row, RegisterImportReport, RegisterRowReport, RoadsideColumn, RoadsideFileRow, RoadsideImportResult,
    RowOutcome,
};
use xunjian_shared::road::roadside::{may_edit, may_read, plot_error, PartyKind, RoadSide};
use xunjian_shared::{ErrorCode, OrgUnitId, RoadsidePartyId, SegmentId};

/// A file row as it will be saved, with what it does.
struct PlannedParty {
    report: RegisterRowReport,
    row: Option<(RowOutcome, PartyRow)>,
}

/// The segment of `road` whose range holds the plot, or why none does.
fn plot_segment<'a>(segs: &'a [SegmentRow], code: &str, (from, to): (f64, f64)) -> Result<&'a SegmentRow, RowError> {
    if let Some(s) = segs.iter().find(|s| plot_error(from, to, (s.from_km, s.to_km)).is_none()) {
        return Ok(s);
    }
    Err(match segs.iter().find(|s| plot_error(from, from, (s.from_km, s.to_km)).is_none()) {
        Some(s) => RowError::new(
            "to_km",
            format!("runs past the end of the segment {}–{} km; one row per segment", s.from_km, s.to_km),
        ),
        None => RowError::new("from_km", format!("no segment of {code} covers km {from}")),
    })
}

/// Checks every row; writes nothing. A row is the same party as a registered one when the holder
/// and the plot's start on the segment are the same.
fn plan(
    conn: &mut DbConn,
    user: &AuthUser,
    now: i64,
    today: NaiveDate,
    file: Mapped<RoadsideColumn>,
) -> Result<Vec<PlannedParty>, AppError> {
    let mut roads_by_code: HashMap<String, Option<(String, Vec<SegmentRow>)>> = HashMap::new();
    let mut seen: HashMap<(String, String, String), u32> = HashMap::new();
    let mut out = Vec::with_capacity(file.rows.len());
    for (n, cells) in file.rows {
        let (r, mut errors) = read_roadside_row(n, &cells, today);
        let key = format!("{} {} {}", r.road_code, r.from_km.map_or(String::new(), |k| k.to_string()), r.holder);
        let mut planned = None;
        if !r.road_code.is_empty() {
            if !roads_by_code.contains_key(&r.road_code) {
                let found = match roads::find_road_by_code(conn, &r.road_code)? {
                    Some(road) if road.active => {
                        let segs = roads::segments_of_road(conn, &road.id)?;
                        Some((road.id, segs))
                    }
                    _ => None,
                };
                roads_by_code.insert(r.road_code.clone(), found);
            }
            match (&roads_by_code[&r.road_code], r.plot()) {
                (None, _) => errors.push(RowError::new("road_code", format!("no road {} in use", r.road_code))),
                (Some((_, segs)), Some(plot)) if errors.is_empty() => match plot_segment(segs, &r.road_code, plot) {
                    Err(e) => errors.push(e),
                    Ok(seg) if !user.can_see(&seg.scope_path) => errors.push(RowError::new(
                        "from_km",
                        format!("the segment {}–{} km is outside your area", seg.from_km, seg.to_km),
                    )),
                    Ok(seg) => planned = Some(seg.clone()),
                },
                _ => {}
            }
        }
        if let Some(seg) = &planned {
            let twin = (seg.id.clone(), r.holder.clone(), r.from_km.unwrap_or_default().to_string());
            if let Some(first) = seen.get(&twin) {
                errors.push(RowError::new("holder", format!("the same plot and holder as row {first}")));
            }
            seen.entry(twin).or_insert(n);
        }
        let row = match planned.filter(|_| errors.is_empty()) {
            Some(seg) => Some(file_party(conn, user, &r, &seg, now)?),
            None => None,
        };
        out.push(PlannedParty {
            report: RegisterRowReport { row: n, key, errors, record: row.as_ref().map(|p| p.0), segment: None },
            row,
        });
    }
    Ok(out)
}

/// The row a checked file row saves, and whether it registers, changes or leaves a party.
fn file_party(
    conn: &mut DbConn,
    user: &AuthUser,
    r: &RoadsideFileRow,
    seg: &SegmentRow,
    now: i64,
) -> Result<(RowOutcome, PartyRow), AppError> {
    let (from_km, to_km) = r.plot().unwrap_or_default();
    let segment_id: SegmentId = seg.id.parse().map_err(|_| crate::db::corrupt("road_segments.id"))?;
    let filter = PartyFilter {
        path: seg.scope_path.clone(),
        segment_id: Some(segment_id),
        include_inactive: true,
        ..Default::default()
    };
    let old = db::list(conn, &filter)?
        .into_iter()
        .map(|p| p.0)
        .find(|p| p.holder == r.holder && (p.from_km - from_km).abs() < 1e-6);
    let new = PartyRow {
        id: old.as_ref().map_or_else(RoadsidePartyId::new, |o| o.id),
        segment_id,
        scope_path: seg.scope_path.clone(),
        village: r.village.clone(),
        kind: r.kind.unwrap_or(PartyKind::Household),
        holder: r.holder.clone(),
        phone: r.phone.clone(),
        from_km,
        to_km,
        side: r.side.unwrap_or(RoadSide::Both),
        agreement_on: r.agreement_on.map(|d| d.to_string()),
        note: r.note.clone(),
        active: true,
        updated_by: Some(user.id),
        created_at: old.as_ref().map_or(now, |o| o.created_at),
        updated_at: now,
    };
    let outcome = match &old {
        None => RowOutcome::Created,
        Some(o) if same_fields(o, &new) => RowOutcome::Unchanged,
        Some(_) => RowOutcome::Updated,
    };
    Ok((outcome, new))
}

/// Whether two rows of one party say the same (who and when aside).
fn same_fields(a: &PartyRow, b: &PartyRow) -> bool {
    (&a.village, a.kind, &a.phone, a.to_km, a.side, &a.agreement_on, &a.note, a.active)
        == (&b.village, b.kind, &b.phone, b.to_km, b.side, &b.agreement_on, &b.note, b.active)
}

/// Imports a roadside file. A dry run only reports; a real import saves every row in one
/// transaction or — when any row has an error — nothing (422 with the report as JSON in `detail`).
pub async fn import(
    state: &AppState,
    user: &AuthUser,
    dry_run: bool,
    format: FileFormat,
    body: actix_web::web::Bytes,
) -> Result<RoadsideImportResult, AppError> {
    allowed(may_edit(user.role))?;
    const REQUIRED: &[(RoadsideColumn, &str)] = &[
        (RoadsideColumn::Holder, "户主"),
        (RoadsideColumn::RoadCode, "路线编码"),
        (RoadsideColumn::FromKm, "起点桩号"),
        (RoadsideColumn::Village, "村"),
    ];
    let file = read_upload(format, body, RoadsideColumn::from_header, REQUIRED).await?;
    let (user, now, today) = (user.clone(), state.now_ms(), today(state));
    let plan = move |conn: &mut DbConn| {
        let ignored = file.ignored.clone();
        let planned = plan(conn, &user, now, today, file)?;
        let report = RegisterImportReport::from_rows(planned.iter().map(|p| p.report.clone()).collect(), ignored);
        Ok((planned, report))
    };
    let apply = |conn: &mut DbConn, planned: Vec<PlannedParty>| {
        for p in planned {
            match p.row {
                Some((RowOutcome::Created, row)) => db::insert(conn, &row)?,
                Some((RowOutcome::Updated, row)) => db::update(conn, &row)?,
                _ => {}
            }
        }
        Ok(())
    };
    run_import(state, dry_run, plan, apply, RoadsideImportResult::new).await
}

/// The active parties in scope (or under a unit in it) as a file with the import's columns, by
/// road code, km and holder; it imports again as is.
pub async fn export(
    state: &AppState,
    user: &AuthUser,
    unit: Option<OrgUnitId>,
    format: FileFormat,
) -> Result<Download, AppError> {
    allowed(may_read(user.role))?;
    let user = user.clone();
    let (code, rows) = state
        .db
        .read(move |conn| {
            let path = scope::narrow(conn, &user, unit)?;
            let root = org_units::find(conn, unit.unwrap_or(user.org_unit_id))?
                .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            let parties = db::list(conn, &PartyFilter { path, ..Default::default() })?;
            let rows = parties
                .into_iter()
                .map(|(p, _, _, code)| {
                    vec![
                        code.into(),
                        Cell::Number(p.from_km),
                        Cell::Number(p.to_km),
                        p.side.label_zh().into(),
                        p.village.into(),
                        p.kind.label_zh().into(),
                        p.holder.into(),
                        p.phone.into(),
                        p.agreement_on.unwrap_or_default().into(),
                        p.note.into(),
                    ]
                })
                .collect::<Vec<Vec<Cell>>>();
            Ok((root.code, rows))
        })
        .await?;
    let sheet = Sheet {
        name: "沿线责任户".into(),
        headers: RoadsideColumn::ALL.iter().map(|c| c.header_zh().to_owned()).collect(),
        widths: vec![10.0, 10.0, 10.0, 8.0, 12.0, 8.0, 16.0, 16.0, 14.0, 24.0],
        rows,
        ..Default::default()
    };
    let filename = format!("roadside-{code}-{}.{}", file_date(state), format.extension());
    render(sheet, format, filename).await
}
