//! Queries on on-road records and their coverage.

use super::escape_like;
use super::schema::{patrol_coverage, patrols, users};
use super::{corrupt, from_millis, DbConn};
use crate::error::AppError;
use diesel::prelude::*;
use xunjian_shared::road::on_road::{coverage_fault, OnRoadFault};
use xunjian_shared::road::patrol::{Patrol, SubmitPatrol};
use xunjian_shared::road::track::TrackPoint;
use xunjian_shared::PatrolId;

/// A row of `patrols`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = patrols)]
pub struct PatrolRow {
    pub id: String,
    pub worker_id: String,
    pub scope_path: String,
    pub started_at: i64,
    pub ended_at: i64,
    pub received_at: i64,
    /// The China-time day of the start (`YYYY-MM-DD`): days on the road are counted by it.
    pub day: String,
    pub distance_m: f64,
    /// The submitted body as sent (with the raw track).
    pub body: String,
    /// The thinned track.
    pub track: String,
    /// Why it is not an on-road record, as judged when it arrived (JSON; `[]`: it is). None for a
    /// patrol received before the rule: judged by its coverage alone.
    pub faults: Option<String>,
    /// Marks for the road station (JSON `Vec<PatrolFlag>`).
    pub flags: String,
}

impl PatrolRow {
    /// Why it is not an on-road record; none: it is. Every row has its judgement: those received
    /// before the rule get theirs at start-up ([`judge_unjudged`]).
    pub fn faults(&self) -> Result<Vec<OnRoadFault>, AppError> {
        serde_json::from_str(self.faults.as_deref().ok_or_else(|| corrupt("patrols.faults"))?)
            .map_err(|_| corrupt("patrols.faults"))
    }
}

/// Coverage of each segment a patrol names: (segment id, share covered or none without a line).
pub type Coverage = Vec<(String, Option<f64>)>;

/// Inserts a patrol with its coverage per segment.
pub fn insert(conn: &mut DbConn, row: &PatrolRow, coverage: &[(String, Option<f64>)]) -> Result<(), AppError> {
    diesel::insert_into(patrols::table).values(row).execute(conn)?;
    for (segment, covered) in coverage {
        diesel::insert_into(patrol_coverage::table)
            .values((
                patrol_coverage::patrol_id.eq(&row.id),
                patrol_coverage::segment_id.eq(segment),
                patrol_coverage::covered.eq(covered),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// One patrol with its coverage.
pub fn find(conn: &mut DbConn, id: PatrolId) -> Result<Option<(PatrolRow, Coverage)>, AppError> {
    let Some(row) = patrols::table.find(id.to_string()).select(PatrolRow::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    let cov = patrol_coverage::table
        .filter(patrol_coverage::patrol_id.eq(&row.id))
        .select((patrol_coverage::segment_id, patrol_coverage::covered))
        .load(conn)?;
    Ok(Some((row, cov)))
}

/// Judges the patrols received before the on-road rule (2026-12-02) by their coverage alone, as
/// they were counted then; answers how many. Run at start-up.
pub fn judge_unjudged(conn: &mut DbConn, min_coverage: f64) -> Result<usize, AppError> {
    let ids: Vec<String> = patrols::table.filter(patrols::faults.is_null()).select(patrols::id).load(conn)?;
    for chunk in ids.chunks(500) {
        let mut cov: std::collections::HashMap<String, Vec<Option<f64>>> = Default::default();
        for (patrol, _, covered) in coverage_of(conn, chunk)? {
            cov.entry(patrol).or_default().push(covered);
        }
        for id in chunk {
            let shares = cov.remove(id).unwrap_or_default();
            let faults: Vec<OnRoadFault> = coverage_fault(&shares, min_coverage).into_iter().collect();
            let json = serde_json::to_string(&faults).map_err(AppError::internal)?;
            diesel::update(patrols::table.find(id)).set(patrols::faults.eq(json)).execute(conn)?;
        }
    }
    Ok(ids.len())
}

/// The API shape of a stored patrol.
pub fn to_dto(row: &PatrolRow, coverage: Coverage) -> Result<Patrol, AppError> {
    let faults = row.faults()?;
    let mut submitted: SubmitPatrol = serde_json::from_str(&row.body).map_err(AppError::internal)?;
    submitted.track = serde_json::from_str::<Vec<TrackPoint>>(&row.track).map_err(AppError::internal)?;
    let score = xunjian_shared::road::checklist::score(&submitted.checks);
    Ok(Patrol {
        submitted,
        worker_id: row.worker_id.parse().map_err(AppError::internal)?,
        distance_m: row.distance_m,
        coverage: coverage
            .into_iter()
            .map(|(s, c)| Ok((s.parse().map_err(AppError::internal)?, c)))
            .collect::<Result<_, AppError>>()?,
        checklist_score: score,
        received_at: from_millis(row.received_at),
        on_road: faults.is_empty(),
        faults,
        flags: serde_json::from_str(&row.flags).map_err(|_| corrupt("patrols.flags"))?,
    })
}

/// Patrols under a path (or of one worker) with days between `from_day` and `to_day` inclusive.
pub fn between(
    conn: &mut DbConn,
    path: &str,
    worker: Option<&str>,
    from_day: &str,
    to_day: &str,
) -> Result<Vec<PatrolRow>, AppError> {
    let mut q = patrols::table
        .filter(patrols::scope_path.like(format!("{}%", escape_like(path))).escape('\\'))
        .filter(patrols::day.ge(from_day))
        .filter(patrols::day.le(to_day))
        .into_boxed();
    if let Some(w) = worker {
        q = q.filter(patrols::worker_id.eq(w.to_owned()));
    }
    Ok(q.order(patrols::started_at.asc()).select(PatrolRow::as_select()).load(conn)?)
}

/// The different days of a worker's patrols received at or after `since` (ms).
pub fn days_received_since(conn: &mut DbConn, worker: &str, since: i64) -> Result<Vec<String>, AppError> {
    Ok(patrols::table
        .filter(patrols::worker_id.eq(worker))
        .filter(patrols::received_at.ge(since))
        .select(patrols::day)
        .distinct()
        .load(conn)?)
}

/// Coverage rows of a set of patrols: (patrol, segment, covered).
pub fn coverage_of(conn: &mut DbConn, ids: &[String]) -> Result<Vec<(String, String, Option<f64>)>, AppError> {
    Ok(patrol_coverage::table
        .filter(patrol_coverage::patrol_id.eq_any(ids))
        .select((patrol_coverage::patrol_id, patrol_coverage::segment_id, patrol_coverage::covered))
        .load(conn)?)
}

/// Active patrol workers bound under a path: (id, name).
pub fn workers_within(conn: &mut DbConn, path: &str) -> Result<Vec<(String, String)>, AppError> {
    use super::schema::org_units;
    Ok(users::table
        .inner_join(org_units::table)
        .filter(users::role.eq("patrol_worker"))
        .filter(users::active.eq(true))
        .filter(org_units::path.like(format!("{}%", escape_like(path))).escape('\\'))
        .order(users::username.asc())
        .select((users::id, users::display_name))
        .load(conn)?)
}
