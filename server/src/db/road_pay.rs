//! Queries on townships' pay schemes (第十四、二十、二十六条).

use super::schema::road_pay_schemes as p;
use super::{corrupt, DbConn};
use crate::error::AppError;
use diesel::prelude::*;
use xunjian_shared::road::pay::PayScheme;

/// A row of `road_pay_schemes`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = p)]
pub struct SchemeRow {
    pub township_id: String,
    pub base_yuan: f64,
    pub required_days: i32,
    pub deduction_per_missing_day_yuan: f64,
    pub poor_below: f64,
    pub poor_deduction_yuan: f64,
    pub good_from: f64,
    pub good_bonus_yuan: f64,
    pub updated_by: String,
    pub updated_at: i64,
}

impl SchemeRow {
    /// The row of a township's scheme.
    pub fn new(township_id: &str, s: &PayScheme, by: &str, at: i64) -> Self {
        SchemeRow {
            township_id: township_id.to_owned(),
            base_yuan: s.base_yuan,
            required_days: s.required_days as i32,
            deduction_per_missing_day_yuan: s.deduction_per_missing_day_yuan,
            poor_below: s.poor_below,
            poor_deduction_yuan: s.poor_deduction_yuan,
            good_from: s.good_from,
            good_bonus_yuan: s.good_bonus_yuan,
            updated_by: by.to_owned(),
            updated_at: at,
        }
    }

    /// The scheme it holds.
    pub fn scheme(&self) -> Result<PayScheme, AppError> {
        Ok(PayScheme {
            base_yuan: self.base_yuan,
            required_days: u32::try_from(self.required_days).map_err(|_| corrupt("road_pay_schemes.required_days"))?,
            deduction_per_missing_day_yuan: self.deduction_per_missing_day_yuan,
            poor_below: self.poor_below,
            poor_deduction_yuan: self.poor_deduction_yuan,
            good_from: self.good_from,
            good_bonus_yuan: self.good_bonus_yuan,
        })
    }
}

/// A township's own scheme, if it set one.
pub fn of(conn: &mut DbConn, township: &str) -> Result<Option<SchemeRow>, AppError> {
    Ok(p::table.find(township).select(SchemeRow::as_select()).first(conn).optional()?)
}

/// Sets a township's scheme.
pub fn save(conn: &mut DbConn, row: &SchemeRow) -> Result<(), AppError> {
    if diesel::update(p::table.find(&row.township_id)).set(row).execute(conn)? == 0 {
        diesel::insert_into(p::table).values(row).execute(conn)?;
    }
    Ok(())
}

/// Removes a township's scheme: the county's defaults apply again.
pub fn remove(conn: &mut DbConn, township: &str) -> Result<bool, AppError> {
    Ok(diesel::delete(p::table.find(township)).execute(conn)? > 0)
}
