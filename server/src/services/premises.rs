//! The premises ledger: list, register, edit with history, deactivate.

use super::scope;
use crate::auth::AuthUser;
use crate::db::changes::{self, Kind};
use crate::db::premises::{self, PremiseFilter, PremiseRow};
use crate::db::{from_millis, inspections, org_units, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use serde_json::json;
use xunjian_shared::inspection::Inspection;
use xunjian_shared::premise::{
    validate_premise, CreatePremise, Premise, PremiseChange, PremisePage, PremiseType, UpdatePremise,
};
use xunjian_shared::{ErrorCode, OrgLevel, OrgUnitId, PremiseId};

/// Query of the ledger list.
pub struct LedgerQuery {
    pub org_unit_id: Option<OrgUnitId>,
    pub premise_type: Option<PremiseType>,
    pub active: Option<bool>,
    pub q: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// Premises in scope (or in one unit inside it), by name.
pub async fn list(state: &AppState, user: &AuthUser, q: LedgerQuery) -> Result<PremisePage, AppError> {
    let user = user.clone();
    state
        .db
        .read(move |conn| {
            let filter = PremiseFilter {
                path_prefix: scope::narrow(conn, &user, q.org_unit_id)?,
                premise_type: q.premise_type,
                active: q.active,
                q: q.q,
                limit: q.limit,
                offset: q.offset,
            };
            let (rows, total) = premises::list(conn, &filter)?;
            Ok(PremisePage { items: rows.iter().map(PremiseRow::to_dto).collect::<Result<_, _>>()?, total })
        })
        .await
}

/// Loads a premise the user may see.
pub fn visible(conn: &mut DbConn, user: &AuthUser, id: PremiseId) -> Result<PremiseRow, AppError> {
    scope::visible(user, premises::find_with_path(conn, id)?)
}

/// One premise.
pub async fn get(state: &AppState, user: &AuthUser, id: PremiseId) -> Result<Premise, AppError> {
    let user = user.clone();
    state.db.read(move |conn| visible(conn, &user, id)?.to_dto()).await
}

/// Checks that a unit is a grid inside the user's scope (premises belong to grids).
/// The grid's path, if it is an active grid inside the user's scope (premises belong to grids).
fn grid_in_scope(conn: &mut DbConn, user: &AuthUser, grid: OrgUnitId) -> Result<String, AppError> {
    let unit = org_units::find(conn, grid)?
        .filter(|u| user.can_see(&u.path))
        .ok_or_else(|| AppError::with_detail(ErrorCode::OutOfScope, "grid_id"))?;
    if unit.level()? != OrgLevel::Grid {
        return Err(AppError::validation("grid_id", "premises belong to a grid (网格)"));
    }
    if !unit.active {
        return Err(AppError::validation("grid_id", "the grid is inactive"));
    }
    Ok(unit.path)
}

fn check_editor(user: &AuthUser) -> Result<(), AppError> {
    if user.role.can_edit_premises() {
        Ok(())
    } else {
        Err(AppError::new(ErrorCode::Forbidden))
    }
}

fn check_fields(p: &Premise) -> Result<(), AppError> {
    validate_premise(p).map_err(|(field, why)| AppError::validation(field, why))
}

/// The premise a create request describes (version 1, active).
pub fn from_create(req: CreatePremise) -> Premise {
    Premise {
        id: req.id.unwrap_or_default(),
        grid_id: req.grid_id,
        name: req.name,
        premise_type: req.premise_type,
        address: req.address,
        location: req.location,
        responsible_person: req.responsible_person,
        responsible_phone: req.responsible_phone.filter(|p| !p.trim().is_empty()),
        notes: req.notes,
        active: true,
        version: 1,
    }
}

/// Inserts a new premise and its first history entry, in the caller's transaction.
pub fn insert_new(conn: &mut DbConn, user: &AuthUser, p: &Premise, now: i64) -> Result<(), AppError> {
    let path = grid_in_scope(conn, user, p.grid_id)?;
    if premises::find_with_path(conn, p.id)?.is_some() {
        return Err(AppError::with_detail(ErrorCode::AlreadyExists, "id"));
    }
    let by = user.id.to_string();
    let row = PremiseRow::from_dto(p, Some(by.clone()), now, now);
    premises::insert(conn, &row)?;
    changes::scoped(conn, Kind::Premise, &row.id, &path, now)?;
    premises::record_history(conn, &row.id, 1, Some(&by), now, &json!({ "created": row.to_dto()? }))
}

/// Registers a premise.
pub async fn create(state: &AppState, user: &AuthUser, req: CreatePremise) -> Result<Premise, AppError> {
    check_editor(user)?;
    let p = from_create(req);
    check_fields(&p)?;
    let now = state.now_ms();
    let user = user.clone();
    state
        .db
        .write(move |conn| {
            insert_new(conn, &user, &p, now)?;
            Ok(p)
        })
        .await
}

/// The fields that differ, as `{before: {...}, after: {...}}`.
fn diff(before: &Premise, after: &Premise) -> serde_json::Value {
    let (b, a) = (json!(before), json!(after));
    let (mut old, mut new) = (serde_json::Map::new(), serde_json::Map::new());
    if let (Some(bo), Some(ao)) = (b.as_object(), a.as_object()) {
        for (k, v) in ao {
            if k != "version" && bo.get(k) != Some(v) {
                old.insert(k.clone(), bo.get(k).cloned().unwrap_or_default());
                new.insert(k.clone(), v.clone());
            }
        }
    }
    json!({ "before": old, "after": new })
}

/// How an edit made against an older version is treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditMode {
    /// An office edit: a different current version is refused (`stale_version`).
    Strict,
    /// A device's offline edit made at `base_version`: merged field by field. Fields only the
    /// device changed apply; a field both changed takes the device's value (it arrived later) and
    /// both values are kept in the history under `conflicts`.
    Merge { base_version: i64 },
}

/// What an edit did.
pub struct Edited {
    pub premise: Premise,
    /// Fields both sides changed: `{field: {"server": …, "device": …}}`.
    pub conflicts: serde_json::Map<String, serde_json::Value>,
}

/// Applies an edit in the caller's transaction.
pub fn update_in(
    conn: &mut DbConn,
    user: &AuthUser,
    id: PremiseId,
    req: &UpdatePremise,
    mode: EditMode,
    now: i64,
) -> Result<Edited, AppError> {
    check_editor(user)?;
    let (row, old_path) = premises::find_with_path(conn, id)?
        .filter(|(_, path)| user.can_see(path))
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let current = row.to_dto()?;
    let mut conflicts = serde_json::Map::new();
    match mode {
        EditMode::Strict if req.expected_version.is_some_and(|v| v != current.version) => {
            return Err(AppError::with_detail(
                ErrorCode::StaleVersion,
                format!("current version is {}", current.version),
            ));
        }
        EditMode::Merge { base_version } if base_version < current.version => {
            let theirs: std::collections::BTreeSet<String> = premises::history(conn, id)?
                .into_iter()
                .filter(|h| h.version > base_version)
                .filter_map(|h| serde_json::from_str::<serde_json::Value>(&h.change).ok())
                .filter_map(|c| c["after"].as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()))
                .flatten()
                .collect();
            let (now_json, mine) = (json!(current), json!(req.applied_to(&current)));
            for field in theirs {
                if now_json.get(&field) != mine.get(&field) {
                    conflicts
                        .insert(field.clone(), json!({"server": now_json.get(&field), "device": mine.get(&field)}));
                }
            }
        }
        _ => {}
    }
    let mut next = req.applied_to(&current);
    check_fields(&next)?;
    let path =
        if next.grid_id != current.grid_id { grid_in_scope(conn, user, next.grid_id)? } else { old_path.clone() };
    let mut change = diff(&current, &next);
    if change["after"].as_object().is_some_and(|m| m.is_empty()) {
        return Ok(Edited { premise: current, conflicts });
    }
    if !conflicts.is_empty() {
        change["conflicts"] = serde_json::Value::Object(conflicts.clone());
    }
    next.version = current.version + 1;
    let new_row = PremiseRow::from_dto(&next, row.created_by.clone(), row.created_at, now);
    if !premises::update_if_version(conn, &new_row, current.version)? {
        return Err(AppError::new(ErrorCode::StaleVersion));
    }
    premises::record_history(conn, &new_row.id, next.version, Some(&user.id.to_string()), now, &change)?;
    if path != old_path {
        // Moved to another grid: those who could see the old grid only are told to drop it.
        changes::record(conn, Kind::Premise, &new_row.id, &changes::Audience::Scope(old_path), true, now)?;
    }
    changes::scoped(conn, Kind::Premise, &new_row.id, &path, now)?;
    Ok(Edited { premise: next, conflicts })
}

/// Edits a premise; refuses a stale edit; records what changed.
pub async fn update(state: &AppState, user: &AuthUser, id: PremiseId, req: UpdatePremise) -> Result<Premise, AppError> {
    let now = state.now_ms();
    let user = user.clone();
    state.db.write(move |conn| Ok(update_in(conn, &user, id, &req, EditMode::Strict, now)?.premise)).await
}

/// A premise's change history, oldest first.
pub async fn history(state: &AppState, user: &AuthUser, id: PremiseId) -> Result<Vec<PremiseChange>, AppError> {
    let user = user.clone();
    state
        .db
        .read(move |conn| {
            visible(conn, &user, id)?;
            premises::history(conn, id)?
                .into_iter()
                .map(|h| {
                    Ok(PremiseChange {
                        version: h.version,
                        changed_by: h.changed_by.as_deref().map(str::parse).transpose().map_err(AppError::internal)?,
                        at: from_millis(h.at),
                        change: serde_json::from_str(&h.change).map_err(AppError::internal)?,
                    })
                })
                .collect()
        })
        .await
}

/// A premise's inspections, newest first.
pub async fn inspections_of(state: &AppState, user: &AuthUser, id: PremiseId) -> Result<Vec<Inspection>, AppError> {
    let user = user.clone();
    state
        .db
        .read(move |conn| {
            visible(conn, &user, id)?;
            inspections::for_premise(conn, id)?.iter().map(|r| r.to_dto()).collect()
        })
        .await
}
