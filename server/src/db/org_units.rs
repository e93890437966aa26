//! Queries on the county tree.

use super::schema::org_units;
use super::DbConn;
use super::{corrupt, escape_like};
use crate::error::AppError;
use diesel::prelude::*;
use xunjian_shared::org::{OrgLevel, OrgUnit};
use xunjian_shared::OrgUnitId;

/// A row of `org_units`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = org_units)]
pub struct OrgUnitRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_id: Option<String>,
    pub path: String,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl OrgUnitRow {
    /// The API shape. Rows are only written by this crate, so a bad value is a corrupt database.
    pub fn to_dto(&self) -> Result<OrgUnit, AppError> {
        Ok(OrgUnit {
            id: parse_id(&self.id)?,
            code: self.code.clone(),
            name: self.name.clone(),
            level: OrgLevel::parse(&self.level).ok_or_else(|| corrupt("org_units.level"))?,
            parent_id: self.parent_id.as_deref().map(parse_id).transpose()?,
            active: self.active,
        })
    }

    /// The level, parsed.
    pub fn level(&self) -> Result<OrgLevel, AppError> {
        OrgLevel::parse(&self.level).ok_or_else(|| corrupt("org_units.level"))
    }
}

fn parse_id(s: &str) -> Result<OrgUnitId, AppError> {
    s.parse().map_err(|_| corrupt("org_units.id"))
}

/// Inserts a unit.
pub fn insert(conn: &mut DbConn, row: &OrgUnitRow) -> Result<(), AppError> {
    diesel::insert_into(org_units::table).values(row).execute(conn)?;
    Ok(())
}

/// One unit by id.
pub fn find(conn: &mut DbConn, id: OrgUnitId) -> Result<Option<OrgUnitRow>, AppError> {
    Ok(org_units::table.find(id.to_string()).select(OrgUnitRow::as_select()).first(conn).optional()?)
}

/// One unit by code.
pub fn find_by_code(conn: &mut DbConn, code: &str) -> Result<Option<OrgUnitRow>, AppError> {
    Ok(org_units::table.filter(org_units::code.eq(code)).select(OrgUnitRow::as_select()).first(conn).optional()?)
}

/// Units in the subtree under `scope_path` (inclusive), optionally only one level or children of
/// one parent, ordered by code.
pub fn list_within(
    conn: &mut DbConn,
    scope_path: &str,
    level: Option<OrgLevel>,
    parent: Option<OrgUnitId>,
) -> Result<Vec<OrgUnitRow>, AppError> {
    let mut q = org_units::table
        .filter(org_units::path.like(format!("{}%", escape_like(scope_path))).escape('\\'))
        .select(OrgUnitRow::as_select())
        .order(org_units::code.asc())
        .into_boxed();
    if let Some(level) = level {
        q = q.filter(org_units::level.eq(level.as_str()));
    }
    if let Some(parent) = parent {
        q = q.filter(org_units::parent_id.eq(parent.to_string()));
    }
    Ok(q.load(conn)?)
}

/// The units on a path, root first (the path lists every ancestor's id).
pub fn chain(conn: &mut DbConn, path: &str) -> Result<Vec<OrgUnitRow>, AppError> {
    let ids: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut rows: Vec<OrgUnitRow> =
        org_units::table.filter(org_units::id.eq_any(&ids)).select(OrgUnitRow::as_select()).load(conn)?;
    rows.sort_by_key(|r| r.path.len());
    Ok(rows)
}

/// Saves changed name, code or active flag.
pub fn update(conn: &mut DbConn, row: &OrgUnitRow) -> Result<(), AppError> {
    diesel::update(org_units::table.find(&row.id))
        .set((
            org_units::name.eq(&row.name),
            org_units::code.eq(&row.code),
            org_units::active.eq(row.active),
            org_units::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// All units, ordered by path (parents before children); for the CLI listing.
pub fn all(conn: &mut DbConn) -> Result<Vec<OrgUnitRow>, AppError> {
    Ok(org_units::table.select(OrgUnitRow::as_select()).order((org_units::path.asc(),)).load(conn)?)
}
