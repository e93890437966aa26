//! Accounts: listing in scope, creating, changing and disabling them, cutting off lost phones,
//! and changing one's own password.

use crate::auth::{password, AuthUser};
use crate::db::org_units::{self, OrgUnitRow};
use crate::db::users::{self, UserFilter, UserRow};
use crate::db::{audit, refresh_tokens, run_blocking, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use serde_json::json;
use xunjian_shared::auth::{normalize_username, validate_password, validate_username};
use xunjian_shared::org::validate_name;
use xunjian_shared::user::{validate_phone, CreateUser, UpdateUser, User};
use xunjian_shared::{ErrorCode, OrgUnitId, Role, UserId};

/// Accounts inside the user's scope.
pub async fn list(state: &AppState, user: &AuthUser, filter: UserFilter) -> Result<Vec<User>, AppError> {
    if !user.role.can_view_accounts() {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let scope = user.scope_path.clone();
    state.db.read(move |conn| users::list_within(conn, &scope, &filter)?.iter().map(UserRow::to_dto).collect()).await
}

/// One account inside the user's scope.
pub async fn get(state: &AppState, user: &AuthUser, id: UserId) -> Result<User, AppError> {
    if !user.role.can_view_accounts() && user.id != id {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let user = user.clone();
    state.db.read(move |conn| visible(conn, &user, id)?.to_dto()).await
}

fn visible(conn: &mut DbConn, actor: &AuthUser, id: UserId) -> Result<UserRow, AppError> {
    users::find_with_path(conn, id)?
        .filter(|(_, path)| actor.can_see(path))
        .map(|(row, _)| row)
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))
}

/// A unit the account may be bound to: inside the actor's scope (if any), active, of a level the
/// role allows.
fn bindable_unit(
    conn: &mut DbConn,
    actor: Option<&AuthUser>,
    id: OrgUnitId,
    role: Role,
) -> Result<OrgUnitRow, AppError> {
    let unit = org_units::find(conn, id)?
        .filter(|u| actor.is_none_or(|a| a.can_see(&u.path)))
        .ok_or_else(|| AppError::with_detail(ErrorCode::OutOfScope, "org_unit_id"))?;
    if !unit.active {
        return Err(AppError::validation("org_unit_id", "the unit is inactive"));
    }
    if !role.allowed_levels().contains(&unit.level()?) {
        return Err(AppError::validation(
            "org_unit_id",
            format!("a {} cannot be bound to a {} unit", role.as_str(), unit.level),
        ));
    }
    Ok(unit)
}

fn check_fields(username: &str, req: &CreateUser) -> Result<(), AppError> {
    validate_username(username).map_err(|e| AppError::validation("username", e))?;
    validate_name("display_name", &req.display_name).map_err(|e| AppError::validation("display_name", e))?;
    if let Some(p) = &req.phone {
        validate_phone(p).map_err(|e| AppError::validation("phone", e))?;
    }
    validate_password(username, &req.password).map_err(|e| AppError::with_detail(ErrorCode::WeakPassword, e))
}

/// Creates an account. `actor` is `None` only for the command line, which acts as the system.
pub fn create_blocking(
    conn: &mut DbConn,
    actor: Option<&AuthUser>,
    req: &CreateUser,
    password_hash: String,
    now: i64,
) -> Result<User, AppError> {
    let username = normalize_username(&req.username);
    bindable_unit(conn, actor, req.org_unit_id, req.role)?;
    if users::find_by_username(conn, &username)?.is_some() {
        return Err(AppError::with_detail(ErrorCode::AlreadyExists, "username"));
    }
    let row = UserRow {
        id: UserId::new().to_string(),
        username,
        display_name: req.display_name.trim().to_owned(),
        role: req.role.as_str().into(),
        org_unit_id: req.org_unit_id.to_string(),
        phone: req.phone.clone(),
        password_hash,
        active: true,
        created_at: now,
        updated_at: now,
    };
    users::insert(conn, &row)?;
    let actor_id = actor.map(|a| a.id.to_string());
    audit::record(
        conn,
        actor_id.as_deref(),
        "user.create",
        "user",
        &row.id,
        json!({"username": row.username, "role": row.role}),
        now,
    )?;
    row.to_dto()
}

/// Checks the request and hashes the password (slow, so outside any transaction).
pub async fn prepare(actor: Option<&AuthUser>, req: &CreateUser) -> Result<String, AppError> {
    if let Some(a) = actor {
        if !a.role.can_manage_role(req.role) {
            return Err(AppError::with_detail(
                ErrorCode::Forbidden,
                format!("cannot manage {} accounts", req.role.as_str()),
            ));
        }
    }
    check_fields(&normalize_username(&req.username), req)?;
    let pw = req.password.clone();
    run_blocking(move || password::hash(&pw)).await
}

/// Creates an account on behalf of a signed-in manager.
pub async fn create(state: &AppState, actor: &AuthUser, req: CreateUser) -> Result<User, AppError> {
    let hash = prepare(Some(actor), &req).await?;
    let now = state.now_ms();
    let actor = actor.clone();
    state.db.write(move |conn| create_blocking(conn, Some(&actor), &req, hash, now)).await
}

/// Changes an account below the manager. Disabling it or setting a password ends its sessions.
pub async fn update(state: &AppState, actor: &AuthUser, id: UserId, req: UpdateUser) -> Result<User, AppError> {
    if actor.id == id {
        return Err(AppError::with_detail(ErrorCode::Forbidden, "change your own account through /api/v1/me"));
    }
    if let Some(n) = &req.display_name {
        validate_name("display_name", n).map_err(|e| AppError::validation("display_name", e))?;
    }
    if let Some(p) = &req.phone {
        validate_phone(p).map_err(|e| AppError::validation("phone", e))?;
    }
    let new_hash = match &req.password {
        Some(pw) => {
            // The username is needed for the policy; read it first (cheap) then hash off-transaction.
            let actor2 = actor.clone();
            let username = state.db.read(move |conn| Ok(visible(conn, &actor2, id)?.username)).await?;
            validate_password(&username, pw).map_err(|e| AppError::with_detail(ErrorCode::WeakPassword, e))?;
            let pw = pw.clone();
            Some(run_blocking(move || password::hash(&pw)).await?)
        }
        None => None,
    };
    let now = state.now_ms();
    let actor = actor.clone();
    let updated = state
        .db
        .write(move |conn| {
            let mut row = visible(conn, &actor, id)?;
            let current = row.role()?;
            let role = req.role.unwrap_or(current);
            if !actor.role.can_manage_role(current) || !actor.role.can_manage_role(role) {
                return Err(AppError::new(ErrorCode::Forbidden));
            }
            let unit = req.org_unit_id.unwrap_or(row.org_unit_id.parse().map_err(AppError::internal)?);
            if req.role.is_some() || req.org_unit_id.is_some() {
                bindable_unit(conn, Some(&actor), unit, role)?;
            }
            let ends_sessions = new_hash.is_some() || req.active == Some(false) || role != current || req.org_unit_id.is_some();
            row.role = role.as_str().into();
            row.org_unit_id = unit.to_string();
            if let Some(n) = req.display_name {
                row.display_name = n.trim().to_owned();
            }
            if req.phone.is_some() {
                row.phone = req.phone;
            }
            if let Some(a) = req.active {
                row.active = a;
            }
            if let Some(h) = new_hash {
                row.password_hash = h;
            }
            row.updated_at = now;
            users::update(conn, &row)?;
            if ends_sessions {
                refresh_tokens::revoke_user(conn, &row.id, now)?;
            }
            let actor_id = actor.id.to_string();
            let detail = json!({"role": row.role, "org_unit_id": row.org_unit_id, "active": row.active, "password_changed": req.password.is_some()});
            audit::record(conn, Some(&actor_id), "user.update", "user", &row.id, detail, now)?;
            row.to_dto()
        })
        .await;
    // Disabled, moved, or given a new role or password: its access tokens stop now.
    state.sessions.forget_all();
    updated
}

/// Ends every session of an account (a lost or stolen phone): its refresh and access tokens stop
/// working at once. Returns how many tokens were revoked.
pub async fn revoke_sessions(state: &AppState, actor: &AuthUser, id: UserId) -> Result<usize, AppError> {
    let now = state.now_ms();
    let actor = actor.clone();
    let revoked = state
        .db
        .write(move |conn| {
            let row = visible(conn, &actor, id)?;
            if actor.id != id && !actor.role.can_manage_role(row.role()?) {
                return Err(AppError::new(ErrorCode::Forbidden));
            }
            let n = refresh_tokens::revoke_user(conn, &row.id, now)?;
            let actor_id = actor.id.to_string();
            audit::record(conn, Some(&actor_id), "user.revoke_sessions", "user", &row.id, json!({"revoked": n}), now)?;
            Ok(n)
        })
        .await;
    state.sessions.forget_all();
    revoked
}

/// Changes one's own password after checking the current one; every session ends (log in again).
/// Wrong current passwords count against the login throttle (by username and by address), so a
/// stolen access token cannot guess the password faster than a login could.
pub async fn change_own_password(
    state: &AppState,
    actor: &AuthUser,
    current: String,
    new: String,
    client_ip: &str,
) -> Result<(), AppError> {
    let id = actor.id;
    let row =
        state.db.read(move |conn| users::find(conn, id)?.ok_or_else(|| AppError::new(ErrorCode::NotFound))).await?;
    if let Err(wait) = state.throttle.check(&row.username, client_ip, state.clock.now()) {
        return Err(AppError::too_many(wait));
    }
    let stored = row.password_hash.clone();
    let matches = run_blocking(move || Ok(password::verify(&stored, &current))).await?;
    if !matches {
        state.throttle.record_failure(&row.username, client_ip, state.clock.now());
        // Not 401: the access token is fine, and a 401 would make the client try to refresh.
        return Err(AppError::validation("current_password", "does not match"));
    }
    validate_password(&row.username, &new).map_err(|e| AppError::with_detail(ErrorCode::WeakPassword, e))?;
    let hash = run_blocking(move || password::hash(&new)).await?;
    let now = state.now_ms();
    state
        .db
        .write(move |conn| {
            let mut row = row;
            row.password_hash = hash;
            row.updated_at = now;
            users::update(conn, &row)?;
            refresh_tokens::revoke_user(conn, &row.id, now)?;
            audit::record(conn, Some(&row.id), "user.change_password", "user", &row.id, json!({}), now)?;
            Ok(())
        })
        .await?;
    state.sessions.forget_all();
    Ok(())
}
