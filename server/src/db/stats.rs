//! Counting queries for the office's reports: everything grouped by grid (and type, category or
//! action) in SQL, so a county's quarter costs a few small result sets, never a row per record.

use super::escape_like;
use super::schema::{hazard_events, hazards, inspections, org_units, premises};
use super::DbConn;
use crate::error::AppError;
use diesel::dsl::{count, count_star};
use diesel::prelude::*;
use xunjian_shared::hazard::HazardStatus;

// GROUP BY a grid and a column of another table (the table! macro only allows one table's columns).
diesel::allow_columns_to_appear_in_same_group_by_clause!(
    premises::grid_id,
    hazards::category,
    hazards::status,
    hazards::severity,
    hazard_events::action
);

fn under(prefix: &str) -> String {
    format!("{}%", escape_like(prefix))
}

/// Active premises registered before `before`, per grid and type.
pub fn premises_before(conn: &mut DbConn, prefix: &str, before: i64) -> Result<Vec<(String, String, i64)>, AppError> {
    Ok(premises::table
        .inner_join(org_units::table)
        .filter(org_units::path.like(under(prefix)).escape('\\'))
        .filter(premises::active.eq(true))
        .filter(premises::created_at.lt(before))
        .group_by((premises::grid_id, premises::premise_type))
        .select((premises::grid_id, premises::premise_type, count_star()))
        .load(conn)?)
}

/// Inspections finished in `[from, to)` per grid, corrections of earlier inspections not counted.
pub fn inspections_done(conn: &mut DbConn, prefix: &str, from: i64, to: i64) -> Result<Vec<(String, i64)>, AppError> {
    Ok(inspections::table
        .inner_join(premises::table.inner_join(org_units::table))
        .filter(org_units::path.like(under(prefix)).escape('\\'))
        .filter(inspections::finished_at.ge(from).and(inspections::finished_at.lt(to)))
        .filter(inspections::corrects_id.is_null())
        .group_by(premises::grid_id)
        .select((premises::grid_id, count_star()))
        .load(conn)?)
}

/// Hazards registered in `[from, to)` per grid and category.
pub fn hazards_found(
    conn: &mut DbConn,
    prefix: &str,
    from: i64,
    to: i64,
) -> Result<Vec<(String, String, i64)>, AppError> {
    Ok(hazards::table
        .inner_join(premises::table.inner_join(org_units::table))
        .filter(org_units::path.like(under(prefix)).escape('\\'))
        .filter(hazards::created_at.ge(from).and(hazards::created_at.lt(to)))
        .group_by((premises::grid_id, hazards::category))
        .select((premises::grid_id, hazards::category, count_star()))
        .load(conn)?)
}

/// Distinct hazards that had an event of one of `actions` in `[from, to)`, per grid and action.
pub fn hazards_with_action(
    conn: &mut DbConn,
    prefix: &str,
    actions: &[&str],
    from: i64,
    to: i64,
) -> Result<Vec<(String, String, i64)>, AppError> {
    Ok(hazard_events::table
        .inner_join(hazards::table.inner_join(premises::table.inner_join(org_units::table)))
        .filter(org_units::path.like(under(prefix)).escape('\\'))
        .filter(hazard_events::at.ge(from).and(hazard_events::at.lt(to)))
        .filter(hazard_events::action.eq_any(actions))
        .group_by((premises::grid_id, hazard_events::action))
        .select((premises::grid_id, hazard_events::action, count(hazard_events::hazard_id).aggregate_distinct()))
        .load(conn)?)
}

/// Hazards registered before `at` and not closed by then, per grid.
pub fn open_at(conn: &mut DbConn, prefix: &str, at: i64) -> Result<Vec<(String, i64)>, AppError> {
    Ok(hazards::table
        .inner_join(premises::table.inner_join(org_units::table))
        .filter(org_units::path.like(under(prefix)).escape('\\'))
        .filter(hazards::created_at.lt(at))
        .filter(hazards::closed_at.is_null().or(hazards::closed_at.ge(at)))
        // A closed hazard always has closed_at; the status test keeps a hand-edited row honest.
        .filter(hazards::status.ne(HazardStatus::Closed.as_str()).or(hazards::closed_at.ge(at)))
        .group_by(premises::grid_id)
        .select((premises::grid_id, count_star()))
        .load(conn)?)
}

/// Id, name and address of the given premises (for hazard lists), in chunks.
pub fn premise_labels(conn: &mut DbConn, ids: &[String]) -> Result<Vec<(String, String, String)>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows: Vec<(String, String, String)> = premises::table
            .filter(premises::id.eq_any(chunk))
            .select((premises::id, premises::name, premises::address))
            .load(conn)?;
        out.extend(rows);
    }
    Ok(out)
}

/// Hazards not closed, per grid, status and severity.
pub fn open_by_grid(conn: &mut DbConn, prefix: &str) -> Result<Vec<(String, String, String, i64)>, AppError> {
    Ok(hazards::table
        .inner_join(premises::table.inner_join(org_units::table))
        .filter(org_units::path.like(under(prefix)).escape('\\'))
        .filter(hazards::status.ne(HazardStatus::Closed.as_str()))
        .group_by((premises::grid_id, hazards::status, hazards::severity))
        .select((premises::grid_id, hazards::status, hazards::severity, count_star()))
        .load(conn)?)
}

/// Hazards whose running deadline passed before `now` (not yet moved by the scheduler), per grid.
pub fn past_deadline_by_grid(conn: &mut DbConn, prefix: &str, now: i64) -> Result<Vec<(String, i64)>, AppError> {
    Ok(hazards::table
        .inner_join(premises::table.inner_join(org_units::table))
        .filter(org_units::path.like(under(prefix)).escape('\\'))
        .filter(hazards::status.eq_any([HazardStatus::RectificationOrdered.as_str(), HazardStatus::Filed.as_str()]))
        .filter(hazards::deadline.lt(now))
        .group_by(premises::grid_id)
        .select((premises::grid_id, count_star()))
        .load(conn)?)
}

/// Active premises of a type with no inspection finished since `since`, per grid.
pub fn not_inspected_since(
    conn: &mut DbConn,
    prefix: &str,
    premise_type: &str,
    since: i64,
) -> Result<Vec<(String, i64)>, AppError> {
    let recent =
        inspections::table.filter(inspections::premise_id.eq(premises::id)).filter(inspections::finished_at.ge(since));
    Ok(premises::table
        .inner_join(org_units::table)
        .filter(org_units::path.like(under(prefix)).escape('\\'))
        .filter(premises::active.eq(true))
        .filter(premises::premise_type.eq(premise_type))
        .filter(diesel::dsl::not(diesel::dsl::exists(recent)))
        .group_by(premises::grid_id)
        .select((premises::grid_id, count_star()))
        .load(conn)?)
}

/// Hazards closed in `[from, to)` under a unit path.
pub fn closed_between(conn: &mut DbConn, prefix: &str, from: i64, to: i64) -> Result<i64, AppError> {
    Ok(hazards::table
        .inner_join(premises::table.inner_join(org_units::table))
        .filter(org_units::path.like(under(prefix)).escape('\\'))
        .filter(hazards::closed_at.ge(from).and(hazards::closed_at.lt(to)))
        .count()
        .get_result(conn)?)
}

/// Major hazards waiting for the fire brigade's review under a unit path.
pub fn awaiting_brigade(conn: &mut DbConn, prefix: &str) -> Result<i64, AppError> {
    Ok(hazards::table
        .inner_join(premises::table.inner_join(org_units::table))
        .filter(org_units::path.like(under(prefix)).escape('\\'))
        .filter(hazards::status.eq(HazardStatus::AwaitingBrigadeReview.as_str()))
        .count()
        .get_result(conn)?)
}
