//! The roadside register (沿线责任户, 第七条): the parties along the roads whose 门前三包 agreement the
//! village signs — listed, registered and changed one by one or by file (XLSX or CSV, checked row by
//! row, every row in one transaction or none) — and the party a road issue names as responsible.

use super::ledger::{file_date, Download};
use super::ledger_io::{Cell, FileFormat, Sheet};
use super::road_register::{read_upload, render, Mapped};
use super::scope;
use crate::auth::AuthUser;
use crate::db::road_issues::IssueFull;
use crate::db::roads::{self, SegmentRow};
use crate::db::roadside::{self as db, PartyFilter, PartyRow};
use crate::db::{org_units, users, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use chrono::NaiveDate;
use std::collections::HashMap;
use xunjian_shared::hazard::HazardStatus;
use xunjian_shared::ledger::RowError;
use xunjian_shared::premise::GeoPoint;
use xunjian_shared::road::register_file::{
    read_roadside_row, RegisterImportReport, RegisterRowReport, RoadsideColumn, RoadsideFileRow, RoadsideImportResult,
    RowOutcome,
};
use xunjian_shared::road::roadside::{
    candidates, km_at, may_edit, may_name, may_read, plot_error, NameResponsible, PartyKind, Responsible, RoadSide,
    RoadsideCandidate, RoadsideParty, SaveRoadsideParty,
};
use xunjian_shared::time::china_date;
use xunjian_shared::{ErrorCode, OrgUnitId, RoadIssueId, RoadsidePartyId, SegmentId};

fn allowed(ok: bool) -> Result<(), AppError> {
    if ok {
        Ok(())
    } else {
        Err(AppError::new(ErrorCode::Forbidden))
    }
}

fn today(state: &AppState) -> NaiveDate {
    china_date(state.clock.now())
}

/// What to list.
#[derive(Clone, Debug, Default)]
pub struct PartyQuery {
    pub org_unit_id: Option<OrgUnitId>,
    pub segment_id: Option<SegmentId>,
    pub road_id: Option<String>,
    pub include_inactive: bool,
}

/// The parties in the caller's scope (or under a unit in it), by road, km and holder.
pub async fn list(state: &AppState, user: &AuthUser, q: PartyQuery) -> Result<Vec<RoadsideParty>, AppError> {
    allowed(may_read(user.role))?;
    let user = user.clone();
    state
        .db
        .read(move |conn| {
            let filter = PartyFilter {
                path: scope::narrow(conn, &user, q.org_unit_id)?,
                segment_id: q.segment_id,
                road_id: q.road_id,
                include_inactive: q.include_inactive,
            };
            db::list(conn, &filter)?.into_iter().map(PartyRow::to_dto).collect()
        })
        .await
}

/// The segment a party is saved on, if the caller may keep parties there (`out_of_scope` else).
fn segment_for(conn: &mut DbConn, user: &AuthUser, id: SegmentId) -> Result<SegmentRow, AppError> {
    let seg = roads::find_segment(conn, id)?.ok_or_else(|| AppError::validation("segment_id", "no such segment"))?;
    if !user.can_see(&seg.scope_path) {
        return Err(AppError::with_detail(ErrorCode::OutOfScope, "segment_id"));
    }
    Ok(seg)
}

/// A party's row from a save request, on its segment.
fn row_of(req: &SaveRoadsideParty, id: RoadsidePartyId, seg: &SegmentRow, user: &AuthUser, now: i64) -> PartyRow {
    PartyRow {
        id,
        segment_id: req.segment_id,
        scope_path: seg.scope_path.clone(),
        village: req.village.trim().to_owned(),
        kind: req.kind,
        holder: req.holder.trim().to_owned(),
        phone: req.phone.trim().to_owned(),
        from_km: req.from_km,
        to_km: req.to_km,
        side: req.side,
        agreement_on: req.agreement_on.map(|d| d.to_string()),
        note: req.note.trim().to_owned(),
        active: req.active,
        updated_by: Some(user.id),
        created_at: now,
        updated_at: now,
    }
}

/// Another active party of the same holder at the same plot start on the segment: one plot, one
/// entry (`already_exists`).
fn same_plot(conn: &mut DbConn, row: &PartyRow) -> Result<(), AppError> {
    let filter = PartyFilter { path: row.scope_path.clone(), segment_id: Some(row.segment_id), ..Default::default() };
    let twin = db::list(conn, &filter)?
        .into_iter()
        .any(|(p, ..)| p.id != row.id && p.holder == row.holder && (p.from_km - row.from_km).abs() < 1e-6);
    if twin && row.active {
        return Err(AppError::with_detail(ErrorCode::AlreadyExists, "holder"));
    }
    Ok(())
}

/// Registers a party (`id` none) or saves one (`id` given; `not_found` out of scope).
pub async fn save(
    state: &AppState,
    user: &AuthUser,
    id: Option<RoadsidePartyId>,
    req: SaveRoadsideParty,
) -> Result<RoadsideParty, AppError> {
    allowed(may_edit(user.role))?;
    let (user, now, today) = (user.clone(), state.now_ms(), today(state));
    state
        .db
        .write(move |conn| {
            let old = match id {
                Some(id) => Some(scope::visible(
                    &user,
                    db::find(conn, id)?.map(|p| {
                        let path = p.0.scope_path.clone();
                        (p.0, path)
                    }),
                )?),
                None => None,
            };
            let seg = segment_for(conn, &user, req.segment_id)?;
            req.validate((seg.from_km, seg.to_km), today).map_err(|(f, m)| AppError::validation(f, m))?;
            let mut row = row_of(&req, id.unwrap_or_else(RoadsidePartyId::new), &seg, &user, now);
            if let Some(old) = &old {
                row.created_at = old.created_at;
            }
            same_plot(conn, &row)?;
            match old {
                Some(_) => db::update(conn, &row)?,
                None => db::insert(conn, &row)?,
            }
            let found = db::find(conn, row.id)?.ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            PartyRow::to_dto(found)
        })
        .await
}

/// The party named for an issue and the ones the caller may name: for the issue's detail.
pub fn issue_parts(
    conn: &mut DbConn,
    user: &AuthUser,
    issue: &IssueFull,
) -> Result<(Option<Responsible>, Vec<RoadsideCandidate>), AppError> {
    let responsible = match db::of_issue(conn, issue.row.id)? {
        Some((party, named_by, named_at)) => {
            let party = db::find(conn, party)?.ok_or_else(|| crate::db::corrupt("road_issue_parties.party_id"))?;
            let named_by_name = match named_by {
                Some(u) => users::find(conn, u)?.map(|u| u.display_name).unwrap_or_default(),
                None => String::new(),
            };
            Some(Responsible {
                party: PartyRow::to_dto(party)?,
                named_by,
                named_by_name,
                named_at: crate::db::from_millis(named_at),
            })
        }
        None => None,
    };
    let open = issue.row.status != HazardStatus::Closed;
    if !(may_name(user.role) && issue.row.category.is_violation() && open) {
        return Ok((responsible, Vec::new()));
    }
    let filter =
        PartyFilter { path: issue.row.scope_path.clone(), road_id: Some(issue.road_id.clone()), ..Default::default() };
    let parties: Vec<RoadsideParty> =
        db::list(conn, &filter)?.into_iter().map(PartyRow::to_dto).collect::<Result<_, _>>()?;
    let km = match roads::find_segment(conn, issue.row.segment_id)? {
        Some(seg) => {
            let line: Vec<GeoPoint> = serde_json::from_str(&seg.polyline).map_err(AppError::internal)?;
            let at = GeoPoint { lat: issue.row.lat, lon: issue.row.lon, accuracy_m: None };
            km_at(&line, (seg.from_km, seg.to_km), &at).map(|k| k.km)
        }
        None => None,
    };
    Ok((responsible, candidates(parties, km)))
}

/// Names (or clears) the party responsible for a road issue; answers the issue's detail.
pub async fn name_responsible(
    state: &AppState,
    user: &AuthUser,
    id: RoadIssueId,
    req: NameResponsible,
) -> Result<xunjian_shared::road::issue::RoadIssueDetail, AppError> {
    use super::lifecycle::{find_visible, Tracked};
    let (user, now) = (user.clone(), state.clock.now());
    state
        .db
        .write(move |conn| {
            let issue: IssueFull = find_visible(conn, &user, &id.to_string())?;
            allowed(may_name(user.role))?;
            if issue.row.status == HazardStatus::Closed {
                return Err(AppError::with_detail(ErrorCode::TransitionNotAllowed, "the road issue is closed"));
            }
            if let Some(party) = req.party_id {
                if !issue.row.category.is_violation() {
                    let what = issue.row.category.label_zh();
                    return Err(AppError::validation("party_id", format!("{what} is not a violation by anyone")));
                }
                let found = db::find(conn, party)?.filter(|(p, road, ..)| {
                    *road == issue.road_id && xunjian_shared::org::is_within(&issue.row.scope_path, &p.scope_path)
                });
                match found {
                    None => {
                        return Err(AppError::validation(
                            "party_id",
                            "not on the register along this road in the township",
                        ))
                    }
                    Some((p, ..)) if !p.active => {
                        return Err(AppError::validation("party_id", "no longer on the register"))
                    }
                    Some(_) => {}
                }
            }
            db::name_for_issue(conn, issue.row.id, req.party_id, user.id, now.timestamp_millis())?;
            issue.detail(conn, &user, now)
        })
        .await
}

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
    let run = move |conn: &mut DbConn| {
        let ignored = file.ignored.clone();
        let planned = plan(conn, &user, now, today, file)?;
        let report = RegisterImportReport::from_rows(planned.iter().map(|p| p.report.clone()).collect(), ignored);
        Ok::<_, AppError>((planned, report))
    };
    if dry_run {
        return state.db.read(move |conn| Ok(RoadsideImportResult::new(true, run(conn)?.1))).await;
    }
    state
        .db
        .write(move |conn| {
            let (planned, report) = run(conn)?;
            if report.rows_with_errors > 0 {
                let json = serde_json::to_string(&report).map_err(AppError::internal)?;
                return Err(AppError::with_detail(ErrorCode::ValidationFailed, json));
            }
            for p in planned {
                match p.row {
                    Some((RowOutcome::Created, row)) => db::insert(conn, &row)?,
                    Some((RowOutcome::Updated, row)) => db::update(conn, &row)?,
                    _ => {}
                }
            }
            Ok(RoadsideImportResult::new(false, report))
        })
        .await
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
