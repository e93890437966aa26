//! The road register: roads (county), segments and patrol workers' files (county and township road
//! station), and the assignment report of 第十一、十二条.

use crate::auth::AuthUser;
use crate::db::changes::{self, Audience, Kind};
use crate::db::roads::{self, RoadRow, SegmentRow};
use crate::db::{org_units, patrols, users, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use std::collections::BTreeMap;
use xunjian_shared::org::validate_name;
use xunjian_shared::premise::GeoPoint;
use xunjian_shared::road::patrol::{AssignmentReport, CreateRoad, CreateSegment, UnsegmentedRoad, UpdateSegment};
use xunjian_shared::road::register::{
    unsegmented_km, validate_polyline, validate_segment, worker_flags, PatrolWorker, ResponsibleUnit, Road, Segment,
    KM_PER_WORKER,
};
use xunjian_shared::road::track::TrackPoint;
use xunjian_shared::{ErrorCode, OrgLevel, OrgUnitId, RoadId, Role, SegmentId};

fn manager(user: &AuthUser) -> Result<(), AppError> {
    if user.role.can_manage_roads() {
        Ok(())
    } else {
        Err(AppError::new(ErrorCode::Forbidden))
    }
}

/// A road with its townships.
pub fn road_dto(conn: &mut DbConn, row: &RoadRow) -> Result<Road, AppError> {
    roads::road_dto(conn, row)
}

/// Registers a road (county admin).
pub async fn create_road(state: &AppState, user: &AuthUser, req: CreateRoad) -> Result<Road, AppError> {
    if user.role != Role::CountyAdmin {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    xunjian_shared::org::validate_code(req.code.trim()).map_err(|e| AppError::validation("code", e))?;
    validate_name("name", &req.name).map_err(|e| AppError::validation("name", e))?;
    if !(req.length_km.is_finite() && req.length_km > 0.0 && req.length_km < 1000.0) {
        return Err(AppError::validation("length_km", "between 0 and 1000 km"));
    }
    let now = state.now_ms();
    state
        .db
        .write(move |conn| {
            if roads::find_road_by_code(conn, req.code.trim())?.is_some() {
                return Err(AppError::with_detail(ErrorCode::AlreadyExists, "code"));
            }
            let row = RoadRow {
                id: req.id.unwrap_or_default().to_string(),
                code: req.code.trim().to_owned(),
                name: req.name.trim().to_owned(),
                level: req.level.as_str().into(),
                length_km: req.length_km,
                responsible: req.responsible.unwrap_or(req.level.default_responsible()).as_str().into(),
                active: true,
                created_at: now,
                updated_at: now,
            };
            roads::insert_road(conn, &row)?;
            changes::record(conn, Kind::Road, &row.id, &Audience::Everyone, false, now)?;
            row.to_dto(vec![])
        })
        .await
}

/// Every road (the register is public to signed-in users: roads cross townships).
pub async fn list_roads(state: &AppState) -> Result<Vec<Road>, AppError> {
    state
        .db
        .read(|conn| {
            let rows = roads::all_roads(conn)?;
            rows.iter().map(|r| road_dto(conn, r)).collect()
        })
        .await
}

/// Records a segment change for its township and for its worker.
pub(super) fn segment_changed(
    conn: &mut DbConn,
    row: &SegmentRow,
    old_worker: Option<&str>,
    at: i64,
) -> Result<(), AppError> {
    changes::scoped(conn, Kind::Segment, &row.id, &row.scope_path, at)?;
    if let Some(w) = &row.worker_id {
        changes::record(conn, Kind::Segment, &row.id, &Audience::User(w.clone()), false, at)?;
    }
    if let Some(old) = old_worker.filter(|o| Some(*o) != row.worker_id.as_deref()) {
        changes::record(conn, Kind::Segment, &row.id, &Audience::User(old.to_owned()), true, at)?;
    }
    Ok(())
}

/// Checks that a worker is an active patrol worker inside the township.
fn worker_in(conn: &mut DbConn, worker: xunjian_shared::UserId, township_path: &str) -> Result<(), AppError> {
    let (row, path) =
        users::find_with_path(conn, worker)?.ok_or_else(|| AppError::validation("worker_id", "no such user"))?;
    if row.role()? != Role::PatrolWorker || !row.active || !xunjian_shared::org::is_within(township_path, &path) {
        return Err(AppError::validation("worker_id", "an active patrol worker of the segment's township"));
    }
    Ok(())
}

/// Adds a segment to a road, in a township of the caller's scope.
pub async fn create_segment(
    state: &AppState,
    user: &AuthUser,
    road: RoadId,
    req: CreateSegment,
) -> Result<Segment, AppError> {
    manager(user)?;
    if !req.polyline.is_empty() {
        validate_polyline(&req.polyline).map_err(|e| AppError::validation("polyline", e))?;
    }
    let now = state.now_ms();
    let user = user.clone();
    state
        .db
        .write(move |conn| {
            let road = roads::find_road(conn, road)?.ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            validate_segment(req.from_km, req.to_km, road.length_km).map_err(|e| AppError::validation("to_km", e))?;
            let town = org_units::find(conn, req.township_id)?
                .filter(|u| user.can_see(&u.path))
                .ok_or_else(|| AppError::with_detail(ErrorCode::OutOfScope, "township_id"))?;
            if town.level()? != OrgLevel::Township {
                return Err(AppError::validation("township_id", "segments belong to a township"));
            }
            let overlaps =
                roads::segments_of_road(conn, &road.id)?.iter().any(|s| s.from_km < req.to_km && req.from_km < s.to_km);
            if overlaps {
                return Err(AppError::with_detail(
                    ErrorCode::Conflict,
                    "the km range overlaps another segment of the road",
                ));
            }
            if let Some(w) = req.worker_id {
                worker_in(conn, w, &town.path)?;
            }
            let row = SegmentRow {
                id: req.id.unwrap_or_default().to_string(),
                road_id: road.id.clone(),
                township_id: town.id.clone(),
                scope_path: town.path.clone(),
                from_km: req.from_km,
                to_km: req.to_km,
                polyline: serde_json::to_string(&req.polyline).map_err(AppError::internal)?,
                worker_id: req.worker_id.map(|w| w.to_string()),
                updated_at: now,
            };
            roads::insert_segment(conn, &row)?;
            segment_changed(conn, &row, None, now)?;
            // The road's township list changed.
            changes::record(conn, Kind::Road, &road.id, &Audience::Everyone, false, now)?;
            row.to_dto()
        })
        .await
}

/// The surveyed line a segment update asks for: the points given, or the thinned track of a patrol
/// that walked this segment alone; none when the update leaves the line as it is.
fn new_line(conn: &mut DbConn, segment: &SegmentRow, req: &UpdateSegment) -> Result<Option<Vec<GeoPoint>>, AppError> {
    let line = match (&req.polyline, req.polyline_from_patrol) {
        (None, None) => return Ok(None),
        (Some(_), Some(_)) => {
            return Err(AppError::validation("polyline", "give the points or a patrol to take them from, not both"))
        }
        (Some(points), None) => points.clone(),
        (None, Some(patrol)) => {
            let (row, cov) = patrols::find(conn, patrol)?
                .filter(|(_, cov)| cov.iter().any(|(s, _)| *s == segment.id))
                .ok_or_else(|| AppError::validation("polyline_from_patrol", "no patrol of this segment"))?;
            if cov.len() > 1 {
                return Err(AppError::validation(
                    "polyline_from_patrol",
                    "the patrol walked several segments; take the line from one that walked this one alone",
                ));
            }
            // The line measures every later patrol: it comes only from an on-road record, one whose
            // track passed the rule on its own (no teleporting, long and far enough).
            let faults = match row.faults.as_deref() {
                Some(_) => row.faults()?,
                None => return Err(AppError::validation("polyline_from_patrol", "the patrol is not judged yet")),
            };
            if !faults.is_empty() {
                let why: Vec<String> = faults.iter().map(|f| f.label_zh()).collect();
                return Err(AppError::validation(
                    "polyline_from_patrol",
                    format!("the patrol is not an on-road record ({}): take the line from one that is", why.join("；")),
                ));
            }
            let track: Vec<TrackPoint> = serde_json::from_str(&row.track).map_err(AppError::internal)?;
            track.iter().map(|p| GeoPoint { lat: p.lat, lon: p.lon, accuracy_m: None }).collect()
        }
    };
    let field = if req.polyline.is_some() { "polyline" } else { "polyline_from_patrol" };
    validate_polyline(&line).map_err(|e| AppError::validation(field, e))?;
    Ok(Some(line))
}

/// Changes a segment: (re)assigns or unassigns its patrol worker and/or sets its surveyed line.
/// County admin, or the road station of its township. The line measures patrols received from now on.
pub async fn update_segment(
    state: &AppState,
    user: &AuthUser,
    id: SegmentId,
    req: UpdateSegment,
) -> Result<Segment, AppError> {
    manager(user)?;
    if req.worker_id.is_none() && req.polyline.is_none() && req.polyline_from_patrol.is_none() {
        return Err(AppError::validation(
            "worker_id",
            "nothing to change: give worker_id, polyline or polyline_from_patrol",
        ));
    }
    let now = state.now_ms();
    let user = user.clone();
    state
        .db
        .write(move |conn| {
            let mut row = roads::find_segment(conn, id)?
                .filter(|s| user.can_see(&s.scope_path))
                .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            let old = row.worker_id.clone();
            if let Some(worker) = req.worker_id {
                if let Some(w) = worker {
                    worker_in(conn, w, &row.scope_path)?;
                }
                row.worker_id = worker.map(|w| w.to_string());
            }
            if let Some(line) = new_line(conn, &row, &req)? {
                row.polyline = serde_json::to_string(&line).map_err(AppError::internal)?;
            }
            row.updated_at = now;
            roads::update_segment(conn, &row)?;
            segment_changed(conn, &row, old.as_deref(), now)?;
            row.to_dto()
        })
        .await
}

/// Segments visible to the caller: a patrol worker's own, otherwise those in scope.
pub async fn list_segments(state: &AppState, user: &AuthUser) -> Result<Vec<Segment>, AppError> {
    let user = user.clone();
    state
        .db
        .read(move |conn| {
            let rows = if user.role == Role::PatrolWorker {
                roads::segments_of_worker(conn, &user.id.to_string())?
            } else {
                roads::segments_within(conn, &user.scope_path)?
            };
            rows.iter().map(SegmentRow::to_dto).collect()
        })
        .await
}

/// Saves a patrol worker's file (road station or county admin, worker in scope).
pub async fn save_worker(state: &AppState, user: &AuthUser, w: PatrolWorker) -> Result<PatrolWorker, AppError> {
    manager(user)?;
    let now = state.now_ms();
    let user = user.clone();
    state
        .db
        .write(move |conn| {
            let (row, path) = users::find_with_path(conn, w.user_id)?
                .filter(|(_, p)| user.can_see(p))
                .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            if row.role()? != Role::PatrolWorker {
                return Err(AppError::validation("user_id", "not a patrol worker"));
            }
            let _ = path;
            roads::save_worker(conn, &w, now)?;
            Ok(PatrolWorker { name: row.display_name, ..w })
        })
        .await
}

/// Per road, the km not divided into segments: of every active road when the path is the county's
/// (or wider), else of the roads with a segment under the path (the km belong to no township yet).
/// Roads the 公路段 maintains (national and provincial by default, 第二条) are left out: the
/// county's patrol workers are not assigned to them, so their km are nobody's gap.
fn unsegmented_roads(conn: &mut DbConn, path: &str, in_scope: &[SegmentRow]) -> Result<Vec<UnsegmentedRoad>, AppError> {
    let unit_level = org_units::chain(conn, path)?.last().map(|u| u.level()).transpose()?;
    let county_wide = unit_level.is_none_or(|l| l == OrgLevel::County);
    let mut out = Vec::new();
    let patrolled = |r: &RoadRow| r.active && r.responsible != ResponsibleUnit::HighwaySection.as_str();
    for road in roads::all_roads(conn)?.into_iter().filter(patrolled) {
        if !county_wide && !in_scope.iter().any(|s| s.road_id == road.id) {
            continue;
        }
        let ranges: Vec<(f64, f64)> =
            roads::segments_of_road(conn, &road.id)?.iter().map(|s| (s.from_km, s.to_km)).collect();
        let km = (unsegmented_km(road.length_km, &ranges) * 1000.0).round() / 1000.0;
        if km > 0.0 {
            out.push(UnsegmentedRoad { road_id: road.id.parse().map_err(AppError::internal)?, code: road.code, km });
        }
    }
    Ok(out)
}

/// Unassigned km, workers over 5 km and flagged workers' files in a township (or the caller's scope).
pub async fn assignment_report(
    state: &AppState,
    user: &AuthUser,
    unit: Option<OrgUnitId>,
) -> Result<AssignmentReport, AppError> {
    manager(user)?;
    let user = user.clone();
    let today = xunjian_shared::time::china_date(state.clock.now());
    state
        .db
        .read(move |conn| {
            let path = super::scope::narrow(conn, &user, unit)?;
            let segments = roads::segments_within(conn, &path)?;
            let unsegmented = unsegmented_roads(conn, &path, &segments)?;
            // fold from +0.0: an empty f64 `sum()` is -0.0, which JSON shows as "-0.0".
            let unsegmented_km = unsegmented.iter().fold(0.0, |a, r| a + r.km);
            let unassigned_km =
                segments.iter().filter(|s| s.worker_id.is_none()).map(|s| s.to_km - s.from_km).sum::<f64>()
                    + unsegmented_km;
            let mut per_worker: BTreeMap<String, f64> = BTreeMap::new();
            for s in segments.iter().filter(|s| s.worker_id.is_some()) {
                *per_worker.entry(s.worker_id.clone().unwrap_or_default()).or_default() += s.to_km - s.from_km;
            }
            let over_length = per_worker
                .iter()
                .filter(|(_, km)| **km > KM_PER_WORKER + 1e-9)
                .map(|(w, km)| Ok((w.parse().map_err(AppError::internal)?, *km)))
                .collect::<Result<_, AppError>>()?;
            let ids: Vec<String> = patrols::workers_within(conn, &path)?.into_iter().map(|(id, _)| id).collect();
            let files = roads::workers(conn, &ids)?;
            let mut flagged: Vec<(xunjian_shared::UserId, Vec<String>)> = files
                .iter()
                .map(|w| (w.user_id, worker_flags(w, today).into_iter().map(str::to_owned).collect::<Vec<_>>()))
                .filter(|(_, f)| !f.is_empty())
                .collect();
            for id in ids.iter().filter(|id| !files.iter().any(|w| w.user_id.to_string() == **id)) {
                flagged.push((id.parse().map_err(AppError::internal)?, vec!["no_file".into()]));
            }
            let mut unsurveyed = Vec::new();
            let mut unsurveyed_km = 0.0;
            for s in &segments {
                let line = s.to_dto()?.polyline;
                if line.len() < 2 {
                    unsurveyed.push(s.id.parse().map_err(AppError::internal)?);
                    unsurveyed_km += s.to_km - s.from_km;
                }
            }
            let unsurveyed_km = (unsurveyed_km * 1000.0_f64).round() / 1000.0;
            Ok(AssignmentReport {
                unassigned_km,
                unsegmented_km,
                unsegmented,
                unsurveyed_km,
                unsurveyed,
                over_length,
                flagged_workers: flagged,
            })
        })
        .await
}
