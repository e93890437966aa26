//! The county tree: listing inside one's scope, creating and changing units below one's own.

use crate::auth::AuthUser;
use crate::db::changes::{self, Kind};
use crate::db::org_units::{self, OrgUnitRow};
use crate::db::{audit, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use serde_json::json;
use xunjian_shared::org::{self, CreateOrgUnit, OrgLevel, OrgUnit, UpdateOrgUnit};
use xunjian_shared::{ErrorCode, OrgUnitId};

/// Units visible to the user, optionally filtered by level or parent.
pub async fn list(
    state: &AppState,
    user: &AuthUser,
    level: Option<OrgLevel>,
    parent: Option<OrgUnitId>,
) -> Result<Vec<OrgUnit>, AppError> {
    let scope = user.scope_path.clone();
    state
        .db
        .read(move |conn| org_units::list_within(conn, &scope, level, parent)?.iter().map(|r| r.to_dto()).collect())
        .await
}

/// One unit, if inside the user's scope (otherwise "not found": no probing of other townships).
pub async fn get(state: &AppState, user: &AuthUser, id: OrgUnitId) -> Result<OrgUnit, AppError> {
    let user = user.clone();
    state.db.read(move |conn| visible(conn, &user, id)?.to_dto()).await
}

fn visible(conn: &mut DbConn, user: &AuthUser, id: OrgUnitId) -> Result<OrgUnitRow, AppError> {
    org_units::find(conn, id)?.filter(|r| user.can_see(&r.path)).ok_or_else(|| AppError::new(ErrorCode::NotFound))
}

/// Checks that the user may manage units and that `path` lies strictly below their own unit.
fn ensure_manages(user: &AuthUser, path: &str) -> Result<(), AppError> {
    if !user.role.can_manage_units() {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    if path == user.scope_path {
        return Err(AppError::with_detail(ErrorCode::Forbidden, "a unit cannot change itself"));
    }
    Ok(())
}

/// Creates a unit one level below its parent.
pub async fn create(state: &AppState, user: &AuthUser, req: CreateOrgUnit) -> Result<OrgUnit, AppError> {
    if !user.role.can_manage_units() {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let code = req.code.trim().to_owned();
    org::validate_code(&code).map_err(|e| AppError::validation("code", e))?;
    org::validate_name("name", &req.name).map_err(|e| AppError::validation("name", e))?;
    let now = state.now_ms();
    let user = user.clone();
    state
        .db
        .write(move |conn| {
            let parent = org_units::find(conn, req.parent_id)?
                .filter(|p| user.can_see(&p.path))
                .ok_or_else(|| AppError::with_detail(ErrorCode::OutOfScope, "parent_id"))?;
            let level = parent
                .level()?
                .child()
                .ok_or_else(|| AppError::validation("parent_id", "a grid cannot have units below it"))?;
            let id = req.id.unwrap_or_default();
            let row = OrgUnitRow {
                id: id.to_string(),
                code,
                name: req.name.trim().to_owned(),
                level: level.as_str().into(),
                parent_id: Some(parent.id.clone()),
                path: org::child_path(Some(&parent.path), id),
                active: true,
                created_at: now,
                updated_at: now,
            };
            if org_units::find_by_code(conn, &row.code)?.is_some() {
                return Err(AppError::with_detail(ErrorCode::AlreadyExists, "code"));
            }
            insert_unit(conn, &row)?;
            let actor = user.id.to_string();
            audit::record(
                conn,
                Some(&actor),
                "org_unit.create",
                "org_unit",
                &row.id,
                json!({"code": row.code, "name": row.name}),
                now,
            )?;
            row.to_dto()
        })
        .await
}

/// Renames, re-codes, activates or deactivates a unit below the user's own.
pub async fn update(state: &AppState, user: &AuthUser, id: OrgUnitId, req: UpdateOrgUnit) -> Result<OrgUnit, AppError> {
    if let Some(code) = &req.code {
        org::validate_code(code.trim()).map_err(|e| AppError::validation("code", e))?;
    }
    if let Some(name) = &req.name {
        org::validate_name("name", name).map_err(|e| AppError::validation("name", e))?;
    }
    let now = state.now_ms();
    let user = user.clone();
    state
        .db
        .write(move |conn| {
            let mut row = visible(conn, &user, id)?;
            ensure_manages(&user, &row.path)?;
            let before = json!({"code": row.code, "name": row.name, "active": row.active});
            if let Some(code) = req.code {
                let code = code.trim().to_owned();
                if code != row.code && org_units::find_by_code(conn, &code)?.is_some() {
                    return Err(AppError::with_detail(ErrorCode::AlreadyExists, "code"));
                }
                row.code = code;
            }
            if let Some(name) = req.name {
                row.name = name.trim().to_owned();
            }
            if let Some(active) = req.active {
                row.active = active;
            }
            row.updated_at = now;
            update_unit(conn, &row)?;
            let after = json!({"code": row.code, "name": row.name, "active": row.active});
            let actor = user.id.to_string();
            audit::record(
                conn,
                Some(&actor),
                "org_unit.update",
                "org_unit",
                &row.id,
                json!({"before": before, "after": after}),
                now,
            )?;
            row.to_dto()
        })
        .await
}

/// Adds a unit in the caller's transaction; the users in its scope get it with their next pull.
pub fn insert_unit(conn: &mut DbConn, row: &OrgUnitRow) -> Result<(), AppError> {
    org_units::insert(conn, row)?;
    changes::scoped(conn, Kind::OrgUnit, &row.id, &row.path, row.updated_at).map(drop)
}

/// Saves a unit's name, code and state in the caller's transaction, and feeds the change.
pub fn update_unit(conn: &mut DbConn, row: &OrgUnitRow) -> Result<(), AppError> {
    org_units::update(conn, row)?;
    changes::scoped(conn, Kind::OrgUnit, &row.id, &row.path, row.updated_at).map(drop)
}
