//! Queries on townships' working hours (上下班管理, 第三条).

use super::schema::road_hours as h;
use super::{corrupt, DbConn};
use crate::error::AppError;
use diesel::prelude::*;
use xunjian_shared::road::attendance::WorkingHours;

/// A row of `road_hours`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = h)]
pub struct HoursRow {
    pub township_id: String,
    /// JSON list of the working days, 1 (Monday) to 7.
    pub days: String,
    pub start_time: String,
    pub end_time: String,
    pub updated_by: String,
    pub updated_at: i64,
}

/// A township's hours; the default when it has set none.
pub fn of(conn: &mut DbConn, township: &str) -> Result<WorkingHours, AppError> {
    let Some(row) = h::table.find(township).select(HoursRow::as_select()).first(conn).optional()? else {
        return Ok(WorkingHours::default());
    };
    Ok(WorkingHours {
        days: serde_json::from_str(&row.days).map_err(|_| corrupt("road_hours.days"))?,
        start: row.start_time,
        end: row.end_time,
    })
}

/// Sets a township's hours.
pub fn save(conn: &mut DbConn, row: &HoursRow) -> Result<(), AppError> {
    if diesel::update(h::table.find(&row.township_id)).set(row).execute(conn)? == 0 {
        diesel::insert_into(h::table).values(row).execute(conn)?;
    }
    Ok(())
}
