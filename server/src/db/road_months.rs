//! Queries on townships' closed months (pay sheets frozen and signed) and who signs them.

use super::schema::{patrols, road_months as m, road_signers as s};
use super::{escape_like, DbConn};
use crate::error::AppError;
use diesel::prelude::*;

/// A row of `road_months`: a closed month.
#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = m, treat_none_as_null = true)]
pub struct MonthRow {
    pub township_id: String,
    pub month: String,
    /// The pay sheet as frozen at the close (JSON `PaySheet`, without acts).
    pub sheet: String,
    pub closed_by: String,
    pub closed_at: i64,
    pub officer_id: Option<String>,
    pub officer_at: Option<i64>,
    pub deputy_id: Option<String>,
    pub deputy_at: Option<i64>,
    pub head_id: Option<String>,
    pub head_at: Option<i64>,
}

/// A row of `road_signers`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = s)]
pub struct SignersRow {
    pub township_id: String,
    pub deputy_head_id: String,
    pub head_id: String,
    pub updated_by: String,
    pub updated_at: i64,
}

/// A township's closed months, oldest first.
pub fn of_township(conn: &mut DbConn, township: &str) -> Result<Vec<MonthRow>, AppError> {
    Ok(m::table.filter(m::township_id.eq(township)).order(m::month.asc()).select(MonthRow::as_select()).load(conn)?)
}

/// Every township's close of one month.
pub fn of_month(conn: &mut DbConn, month: &str) -> Result<Vec<MonthRow>, AppError> {
    Ok(m::table.filter(m::month.eq(month)).select(MonthRow::as_select()).load(conn)?)
}

/// Closes a month.
pub fn insert(conn: &mut DbConn, row: &MonthRow) -> Result<(), AppError> {
    diesel::insert_into(m::table).values(row).execute(conn)?;
    Ok(())
}

/// Saves a signature.
pub fn update(conn: &mut DbConn, row: &MonthRow) -> Result<(), AppError> {
    diesel::update(m::table.find((&row.township_id, &row.month))).set(row).execute(conn)?;
    Ok(())
}

/// Who signs a township's sheets.
pub fn signers(conn: &mut DbConn, township: &str) -> Result<Option<SignersRow>, AppError> {
    Ok(s::table.find(township).select(SignersRow::as_select()).first(conn).optional()?)
}

/// Names who signs a township's sheets.
pub fn save_signers(conn: &mut DbConn, row: &SignersRow) -> Result<(), AppError> {
    let updated = diesel::update(s::table.find(&row.township_id)).set(row).execute(conn)?;
    if updated == 0 {
        diesel::insert_into(s::table).values(row).execute(conn)?;
    }
    Ok(())
}

/// Patrols under a path with days in `from_day..=to_day` received at or after `at` (ms). "At" is
/// counted: a record received in the close's own millisecond may be late, and counting one that
/// was not only costs a recomputation (a correction is the difference of the sheets, never a count).
pub fn received_after(conn: &mut DbConn, path: &str, from_day: &str, to_day: &str, at: i64) -> Result<i64, AppError> {
    Ok(patrols::table
        .filter(patrols::scope_path.like(format!("{}%", escape_like(path))).escape('\\'))
        .filter(patrols::day.ge(from_day))
        .filter(patrols::day.le(to_day))
        .filter(patrols::received_at.ge(at))
        .count()
        .get_result(conn)?)
}
