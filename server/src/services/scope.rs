//! Scope helpers shared by the services: narrowing lists to a unit inside the caller's subtree,
//! and the "not found unless in scope" rule for single objects.

use crate::auth::AuthUser;
use crate::db::{org_units, DbConn};
use crate::error::AppError;
use xunjian_shared::{ErrorCode, OrgUnitId};

/// The path to filter a list by: the given unit's (which must be inside the caller's scope), or
/// the caller's whole scope.
pub fn narrow(conn: &mut DbConn, user: &AuthUser, unit: Option<OrgUnitId>) -> Result<String, AppError> {
    match unit {
        None => Ok(user.scope_path.clone()),
        Some(id) => org_units::find(conn, id)?
            .filter(|u| user.can_see(&u.path))
            .map(|u| u.path)
            .ok_or_else(|| AppError::with_detail(ErrorCode::OutOfScope, "org_unit_id")),
    }
}

/// Passes an object found with its unit path only if the caller may see it; otherwise "not
/// found", so other townships cannot be probed.
pub fn visible<T>(user: &AuthUser, found: Option<(T, String)>) -> Result<T, AppError> {
    found.filter(|(_, path)| user.can_see(path)).map(|(t, _)| t).ok_or_else(|| AppError::new(ErrorCode::NotFound))
}
