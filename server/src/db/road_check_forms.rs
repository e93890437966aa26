//! Queries on the county's check form and the station items scored in a check (第二十四条).

use super::schema::{road_check_form as f, road_check_stations as st};
use super::DbConn;
use crate::error::AppError;
use diesel::prelude::*;

/// The one row the county's form is kept in.
const COUNTY: &str = "county";

/// The county's form as stored.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = f)]
pub struct FormRow {
    /// JSON `CheckForm`.
    pub form: String,
    pub updated_by: String,
    pub updated_at: i64,
}

/// The county's form, if it set one.
pub fn county(conn: &mut DbConn) -> Result<Option<FormRow>, AppError> {
    Ok(f::table.find(COUNTY).select(FormRow::as_select()).first(conn).optional()?)
}

/// Sets the county's form.
pub fn save(conn: &mut DbConn, form: &str, by: &str, at: i64) -> Result<(), AppError> {
    let values = (f::form.eq(form), f::updated_by.eq(by), f::updated_at.eq(at));
    if diesel::update(f::table.find(COUNTY)).set(values).execute(conn)? == 0 {
        diesel::insert_into(f::table).values((f::id.eq(COUNTY), values)).execute(conn)?;
    }
    Ok(())
}

/// Removes the county's form: the default applies again.
pub fn remove(conn: &mut DbConn) -> Result<bool, AppError> {
    Ok(diesel::delete(f::table.find(COUNTY)).execute(conn)? > 0)
}

/// A township's scored station items as stored.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = st)]
pub struct StationRow {
    pub check_id: String,
    pub township_id: String,
    /// JSON `Vec<StationScore>`.
    pub items: String,
    pub points: f64,
    pub note: Option<String>,
    pub scored_by: Option<String>,
    pub at: i64,
}

/// Saves a township's station scoring in a check, replacing an earlier one.
pub fn save_station(conn: &mut DbConn, row: &StationRow) -> Result<(), AppError> {
    diesel::delete(st::table.find((&row.check_id, &row.township_id))).execute(conn)?;
    diesel::insert_into(st::table).values(row).execute(conn)?;
    Ok(())
}

/// The station scorings of a check.
pub fn stations(conn: &mut DbConn, check: &str) -> Result<Vec<StationRow>, AppError> {
    Ok(st::table.filter(st::check_id.eq(check)).select(StationRow::as_select()).load(conn)?)
}
