//! Queries on the road register: roads, segments and patrol workers' files.

use super::corrupt;
use super::escape_like;
use super::schema::{patrol_workers, road_segments, roads, users};
use super::DbConn;
use crate::error::AppError;
use diesel::prelude::*;
use xunjian_shared::premise::GeoPoint;
use xunjian_shared::road::register::{PatrolWorker, Road, Segment};
use xunjian_shared::road::{ResponsibleUnit, RoadLevel};
use xunjian_shared::{RoadId, SegmentId};

/// A row of `roads`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = roads)]
pub struct RoadRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub level: String,
    pub length_km: f64,
    pub responsible: String,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl RoadRow {
    /// The API shape, with the townships its segments lie in.
    pub fn to_dto(&self, townships: Vec<xunjian_shared::OrgUnitId>) -> Result<Road, AppError> {
        Ok(Road {
            id: self.id.parse().map_err(|_| corrupt("roads.id"))?,
            code: self.code.clone(),
            name: self.name.clone(),
            level: RoadLevel::parse(&self.level).ok_or_else(|| corrupt("roads.level"))?,
            length_km: self.length_km,
            responsible: ResponsibleUnit::parse(&self.responsible).ok_or_else(|| corrupt("roads.responsible"))?,
            township_ids: townships,
            active: self.active,
        })
    }
}

/// A row of `road_segments`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = road_segments)]
pub struct SegmentRow {
    pub id: String,
    pub road_id: String,
    pub township_id: String,
    pub scope_path: String,
    pub from_km: f64,
    pub to_km: f64,
    pub polyline: String,
    pub worker_id: Option<String>,
    pub updated_at: i64,
}

impl SegmentRow {
    /// The API shape.
    pub fn to_dto(&self) -> Result<Segment, AppError> {
        Ok(Segment {
            id: self.id.parse().map_err(|_| corrupt("road_segments.id"))?,
            road_id: self.road_id.parse().map_err(|_| corrupt("road_segments.road_id"))?,
            township_id: self.township_id.parse().map_err(|_| corrupt("road_segments.township_id"))?,
            from_km: self.from_km,
            to_km: self.to_km,
            polyline: serde_json::from_str::<Vec<GeoPoint>>(&self.polyline).map_err(AppError::internal)?,
            worker_id: self
                .worker_id
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(|_| corrupt("road_segments.worker_id"))?,
        })
    }
}

/// Inserts a road.
pub fn insert_road(conn: &mut DbConn, row: &RoadRow) -> Result<(), AppError> {
    diesel::insert_into(roads::table).values(row).execute(conn)?;
    Ok(())
}

/// Saves a road's name, level, length and responsible unit.
pub fn update_road(conn: &mut DbConn, row: &RoadRow) -> Result<(), AppError> {
    diesel::update(roads::table.find(&row.id))
        .set((
            roads::name.eq(&row.name),
            roads::level.eq(&row.level),
            roads::length_km.eq(row.length_km),
            roads::responsible.eq(&row.responsible),
            roads::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// One road.
pub fn find_road(conn: &mut DbConn, id: RoadId) -> Result<Option<RoadRow>, AppError> {
    Ok(roads::table.find(id.to_string()).select(RoadRow::as_select()).first(conn).optional()?)
}

/// One road by code.
pub fn find_road_by_code(conn: &mut DbConn, code: &str) -> Result<Option<RoadRow>, AppError> {
    Ok(roads::table.filter(roads::code.eq(code)).select(RoadRow::as_select()).first(conn).optional()?)
}

/// Every road, by code.
pub fn all_roads(conn: &mut DbConn) -> Result<Vec<RoadRow>, AppError> {
    Ok(roads::table.order(roads::code.asc()).select(RoadRow::as_select()).load(conn)?)
}

/// Inserts a segment.
pub fn insert_segment(conn: &mut DbConn, row: &SegmentRow) -> Result<(), AppError> {
    diesel::insert_into(road_segments::table).values(row).execute(conn)?;
    Ok(())
}

/// One segment.
pub fn find_segment(conn: &mut DbConn, id: SegmentId) -> Result<Option<SegmentRow>, AppError> {
    Ok(road_segments::table.find(id.to_string()).select(SegmentRow::as_select()).first(conn).optional()?)
}

/// Segments under a unit path, by road and km.
pub fn segments_within(conn: &mut DbConn, path: &str) -> Result<Vec<SegmentRow>, AppError> {
    Ok(road_segments::table
        .filter(road_segments::scope_path.like(format!("{}%", escape_like(path))).escape('\\'))
        .order((road_segments::road_id.asc(), road_segments::from_km.asc()))
        .select(SegmentRow::as_select())
        .load(conn)?)
}

/// Segments of one road.
pub fn segments_of_road(conn: &mut DbConn, road: &str) -> Result<Vec<SegmentRow>, AppError> {
    Ok(road_segments::table
        .filter(road_segments::road_id.eq(road))
        .order(road_segments::from_km.asc())
        .select(SegmentRow::as_select())
        .load(conn)?)
}

/// Segments assigned to a worker.
pub fn segments_of_worker(conn: &mut DbConn, worker: &str) -> Result<Vec<SegmentRow>, AppError> {
    Ok(road_segments::table
        .filter(road_segments::worker_id.eq(worker))
        .order((road_segments::road_id.asc(), road_segments::from_km.asc()))
        .select(SegmentRow::as_select())
        .load(conn)?)
}

/// Saves a segment's worker and surveyed line.
pub fn update_segment(conn: &mut DbConn, row: &SegmentRow) -> Result<(), AppError> {
    diesel::update(road_segments::table.find(&row.id))
        .set((
            road_segments::worker_id.eq(row.worker_id.as_deref()),
            road_segments::polyline.eq(&row.polyline),
            road_segments::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Sets a segment's worker.
pub fn assign(conn: &mut DbConn, id: &str, worker: Option<&str>, at: i64) -> Result<(), AppError> {
    diesel::update(road_segments::table.find(id))
        .set((road_segments::worker_id.eq(worker), road_segments::updated_at.eq(at)))
        .execute(conn)?;
    Ok(())
}

/// Saves a patrol worker's file (insert or replace).
pub fn save_worker(conn: &mut DbConn, w: &PatrolWorker, at: i64) -> Result<(), AppError> {
    let id = w.user_id.to_string();
    diesel::delete(patrol_workers::table.find(&id)).execute(conn)?;
    diesel::insert_into(patrol_workers::table)
        .values((
            patrol_workers::user_id.eq(&id),
            patrol_workers::birth_date.eq(w.birth_date.to_string()),
            patrol_workers::probation_month.eq(w.probation_month.map(|d| d.to_string())),
            patrol_workers::contract_signed.eq(w.contract_signed),
            patrol_workers::insured.eq(w.insured),
            patrol_workers::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Patrol workers' files (with names) for the given user ids.
pub fn workers(conn: &mut DbConn, ids: &[String]) -> Result<Vec<PatrolWorker>, AppError> {
    let rows: Vec<(String, String, Option<String>, bool, bool, String)> = patrol_workers::table
        .inner_join(users::table.on(users::id.eq(patrol_workers::user_id)))
        .filter(patrol_workers::user_id.eq_any(ids))
        .select((
            patrol_workers::user_id,
            patrol_workers::birth_date,
            patrol_workers::probation_month,
            patrol_workers::contract_signed,
            patrol_workers::insured,
            users::display_name,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, birth, probation, contract, insured, name)| {
            Ok(PatrolWorker {
                user_id: id.parse().map_err(|_| corrupt("patrol_workers.user_id"))?,
                name,
                birth_date: birth.parse().map_err(|_| corrupt("patrol_workers.birth_date"))?,
                probation_month: probation
                    .map(|p| p.parse())
                    .transpose()
                    .map_err(|_| corrupt("patrol_workers.probation_month"))?,
                contract_signed: contract,
                insured,
            })
        })
        .collect()
}

/// A road with the townships its segments lie in.
pub fn road_dto(conn: &mut DbConn, row: &RoadRow) -> Result<Road, AppError> {
    let mut t: Vec<String> = segments_of_road(conn, &row.id)?.into_iter().map(|s| s.township_id).collect();
    t.sort();
    t.dedup();
    let t = t.iter().map(|s| s.parse().map_err(AppError::internal)).collect::<Result<_, _>>()?;
    row.to_dto(t)
}
