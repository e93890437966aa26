//! The append-only timelines of the records that move through the shared hazard machine: one row
//! shape, one table per kind (`hazard_events`, `road_issue_events`), the same queries on each.

use super::schema::{hazard_events, road_issue_events, users};
use super::{corrupt, from_millis, DbConn};
use crate::error::AppError;
use diesel::prelude::*;
use std::collections::HashMap;
use xunjian_shared::hazard::{HazardEvent, HazardStatus};
use xunjian_shared::premise::GeoPoint;

/// One timeline entry: the record `record_id` reached `version` (status `to_status`) by `action`.
#[derive(Clone, Debug, Queryable)]
pub struct EventRow {
    pub id: String,
    pub record_id: String,
    pub version: i64,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_id: Option<String>,
    pub actor_role: String,
    pub at: i64,
    pub device_at: Option<i64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub note: String,
    pub payload: String,
}

/// Which record kind's timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timeline {
    Hazards,
    RoadIssues,
}

/// The queries of one timeline table, whose record column is `$record` (the rest are named alike).
macro_rules! timeline_queries {
    ($m:ident, $t:ident, $record:ident) => {
        mod $m {
            use super::*;

            pub fn insert(conn: &mut DbConn, rows: &[EventRow]) -> Result<usize, AppError> {
                let values: Vec<_> = rows
                    .iter()
                    .map(|e| {
                        (
                            $t::id.eq(&e.id),
                            $t::$record.eq(&e.record_id),
                            $t::version.eq(e.version),
                            $t::action.eq(&e.action),
                            $t::from_status.eq(&e.from_status),
                            $t::to_status.eq(&e.to_status),
                            $t::actor_id.eq(&e.actor_id),
                            $t::actor_role.eq(&e.actor_role),
                            $t::at.eq(e.at),
                            $t::device_at.eq(e.device_at),
                            $t::lat.eq(e.lat),
                            $t::lon.eq(e.lon),
                            $t::note.eq(&e.note),
                            $t::payload.eq(&e.payload),
                        )
                    })
                    .collect();
                Ok(crate::insert_many!(conn, $t::table, values)?)
            }

            pub fn load(conn: &mut DbConn, ids: &[String]) -> Result<Vec<(EventRow, Option<String>)>, AppError> {
                Ok($t::table
                    .left_join(users::table.on(users::id.nullable().eq($t::actor_id)))
                    .filter($t::$record.eq_any(ids))
                    .order(($t::$record.asc(), $t::version.asc()))
                    .select((
                        (
                            $t::id,
                            $t::$record,
                            $t::version,
                            $t::action,
                            $t::from_status,
                            $t::to_status,
                            $t::actor_id,
                            $t::actor_role,
                            $t::at,
                            $t::device_at,
                            $t::lat,
                            $t::lon,
                            $t::note,
                            $t::payload,
                        ),
                        users::display_name.nullable(),
                    ))
                    .load(conn)?)
            }
        }
    };
}

timeline_queries!(hazard_timeline, hazard_events, hazard_id);
timeline_queries!(road_issue_timeline, road_issue_events, issue_id);

impl Timeline {
    /// Appends entries in one multi-row insert. `(record, version)` is unique in each table, so a
    /// racing duplicate fails.
    pub fn insert(self, conn: &mut DbConn, rows: &[EventRow]) -> Result<(), AppError> {
        for chunk in rows.chunks(super::INSERT_CHUNK) {
            match self {
                Timeline::Hazards => hazard_timeline::insert(conn, chunk)?,
                Timeline::RoadIssues => road_issue_timeline::insert(conn, chunk)?,
            };
        }
        Ok(())
    }

    /// The timelines of several records, oldest entry first each, with actor names, in one query.
    pub fn of_many(self, conn: &mut DbConn, ids: &[String]) -> Result<HashMap<String, Vec<HazardEvent>>, AppError> {
        let rows = match self {
            Timeline::Hazards => hazard_timeline::load(conn, ids)?,
            Timeline::RoadIssues => road_issue_timeline::load(conn, ids)?,
        };
        let mut out: HashMap<String, Vec<HazardEvent>> = HashMap::new();
        for (e, name) in rows {
            out.entry(e.record_id.clone()).or_default().push(event_dto(e, name)?);
        }
        Ok(out)
    }

    /// The timeline of one record, oldest first.
    pub fn of(self, conn: &mut DbConn, id: &str) -> Result<Vec<HazardEvent>, AppError> {
        Ok(self.of_many(conn, &[id.to_owned()])?.remove(id).unwrap_or_default())
    }
}

/// A timeline row as the API returns it.
fn event_dto(e: EventRow, actor_name: Option<String>) -> Result<HazardEvent, AppError> {
    Ok(HazardEvent {
        version: e.version,
        action: e.action,
        from_status: e.from_status.as_deref().and_then(HazardStatus::parse),
        to_status: HazardStatus::parse(&e.to_status).ok_or_else(|| corrupt("events.to_status"))?,
        actor_id: e.actor_id.as_deref().map(str::parse).transpose().map_err(|_| corrupt("events.actor_id"))?,
        actor_name,
        actor_role: e.actor_role,
        at: from_millis(e.at),
        device_at: e.device_at.map(from_millis),
        location: match (e.lat, e.lon) {
            (Some(lat), Some(lon)) => Some(GeoPoint { lat, lon, accuracy_m: None }),
            _ => None,
        },
        note: e.note,
        payload: serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::Null),
    })
}
