//! Queries on inspections (rows are never updated: a correction is a new inspection).

use super::schema::{inspections, org_units, premises};
use super::{from_millis, DbConn};
use crate::error::AppError;
use diesel::prelude::*;
use xunjian_shared::inspection::{Inspection, SubmitInspection};
use xunjian_shared::{InspectionId, PremiseId};

/// A row of `inspections`; `body` is the submitted JSON as the device sent it.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = inspections)]
pub struct InspectionRow {
    pub id: String,
    pub premise_id: String,
    pub template_id: String,
    pub inspector_id: String,
    pub started_at: i64,
    pub finished_at: i64,
    pub received_at: i64,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub body: String,
    pub corrects_id: Option<String>,
    pub hazard_count: i32,
}

impl InspectionRow {
    /// The API shape.
    pub fn to_dto(&self) -> Result<Inspection, AppError> {
        let submitted: SubmitInspection = serde_json::from_str(&self.body).map_err(AppError::internal)?;
        Ok(Inspection {
            submitted,
            inspector_id: self.inspector_id.parse().map_err(AppError::internal)?,
            received_at: from_millis(self.received_at),
            hazard_count: self.hazard_count.max(0) as u32,
        })
    }
}

/// Inserts an inspection.
pub fn insert(conn: &mut DbConn, row: &InspectionRow) -> Result<(), AppError> {
    diesel::insert_into(inspections::table).values(row).execute(conn)?;
    Ok(())
}

/// Inserts many inspections in multi-row inserts.
pub fn insert_many(conn: &mut DbConn, rows: &[InspectionRow]) -> Result<(), AppError> {
    for chunk in rows.chunks(super::INSERT_CHUNK) {
        crate::insert_many!(conn, inspections::table, chunk)?;
    }
    Ok(())
}

/// Which of `ids` are stored inspections.
pub fn existing(conn: &mut DbConn, ids: &[String]) -> Result<std::collections::HashSet<String>, AppError> {
    let mut out = std::collections::HashSet::new();
    for chunk in ids.chunks(super::INSERT_CHUNK) {
        let found: Vec<String> =
            inspections::table.filter(inspections::id.eq_any(chunk)).select(inspections::id).load(conn)?;
        out.extend(found);
    }
    Ok(out)
}

/// One inspection with the path of its premise's grid (for scope checks).
pub fn find_with_path(conn: &mut DbConn, id: InspectionId) -> Result<Option<(InspectionRow, String)>, AppError> {
    Ok(inspections::table
        .inner_join(premises::table.inner_join(org_units::table))
        .filter(inspections::id.eq(id.to_string()))
        .select((InspectionRow::as_select(), org_units::path))
        .first(conn)
        .optional()?)
}

/// A premise's inspections, newest first.
pub fn for_premise(conn: &mut DbConn, premise: PremiseId) -> Result<Vec<InspectionRow>, AppError> {
    Ok(inspections::table
        .filter(inspections::premise_id.eq(premise.to_string()))
        .order(inspections::finished_at.desc())
        .select(InspectionRow::as_select())
        .load(conn)?)
}

/// The latest `finished_at` per premise for the given premises.
pub fn last_finished(conn: &mut DbConn, premise_ids: &[String]) -> Result<Vec<(String, Option<i64>)>, AppError> {
    let mut out = Vec::new();
    for chunk in premise_ids.chunks(500) {
        let rows: Vec<(String, Option<i64>)> = inspections::table
            .filter(inspections::premise_id.eq_any(chunk))
            .group_by(inspections::premise_id)
            .select((inspections::premise_id, diesel::dsl::max(inspections::finished_at)))
            .load(conn)?;
        out.extend(rows);
    }
    Ok(out)
}

/// Records how many hazards an inspection registered (set once, in its submitting transaction).
pub fn set_hazard_count(conn: &mut DbConn, id: &str, count: i32) -> Result<(), AppError> {
    diesel::update(inspections::table.find(id)).set(inspections::hazard_count.eq(count)).execute(conn)?;
    Ok(())
}
