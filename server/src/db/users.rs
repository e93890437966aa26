//! Queries on user accounts.

use super::corrupt;
use super::escape_like;
use super::schema::{org_units, users};
use super::{from_millis, DbConn};
use crate::error::AppError;
use diesel::prelude::*;
use xunjian_shared::user::User;
use xunjian_shared::{OrgUnitId, Role, UserId};

/// A row of `users`.
#[derive(Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub org_unit_id: String,
    pub phone: Option<String>,
    pub password_hash: String,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl UserRow {
    /// The API shape (without the hash).
    pub fn to_dto(&self) -> Result<User, AppError> {
        Ok(User {
            id: self.user_id()?,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role()?,
            org_unit_id: self.org_unit_id.parse().map_err(|_| corrupt("users.org_unit_id"))?,
            phone: self.phone.clone(),
            active: self.active,
            created_at: from_millis(self.created_at),
        })
    }

    /// The id, parsed.
    pub fn user_id(&self) -> Result<UserId, AppError> {
        self.id.parse().map_err(|_| corrupt("users.id"))
    }

    /// The role, parsed.
    pub fn role(&self) -> Result<Role, AppError> {
        Role::parse(&self.role).ok_or_else(|| corrupt("users.role"))
    }
}

/// Inserts an account.
pub fn insert(conn: &mut DbConn, row: &UserRow) -> Result<(), AppError> {
    diesel::insert_into(users::table).values(row).execute(conn)?;
    Ok(())
}

/// One account by id.
pub fn find(conn: &mut DbConn, id: UserId) -> Result<Option<UserRow>, AppError> {
    Ok(users::table.find(id.to_string()).select(UserRow::as_select()).first(conn).optional()?)
}

/// An account's display name, or nothing for an account no longer there (records keep who acted).
pub fn display_name(conn: &mut DbConn, id: UserId) -> Result<String, AppError> {
    Ok(users::table.find(id.to_string()).select(users::display_name).first(conn).optional()?.unwrap_or_default())
}

/// One account by (normalised) username.
pub fn find_by_username(conn: &mut DbConn, username: &str) -> Result<Option<UserRow>, AppError> {
    Ok(users::table.filter(users::username.eq(username)).select(UserRow::as_select()).first(conn).optional()?)
}

/// An account with the path of its unit (for scope checks).
pub fn find_with_path(conn: &mut DbConn, id: UserId) -> Result<Option<(UserRow, String)>, AppError> {
    Ok(users::table
        .inner_join(org_units::table)
        .filter(users::id.eq(id.to_string()))
        .select((UserRow::as_select(), org_units::path))
        .first(conn)
        .optional()?)
}

/// Filters for listing accounts.
#[derive(Default)]
pub struct UserFilter {
    pub org_unit_id: Option<OrgUnitId>,
    pub role: Option<Role>,
    /// Substring of username or display name.
    pub q: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// Accounts whose unit lies under `scope_path`, ordered by username.
pub fn list_within(conn: &mut DbConn, scope_path: &str, f: &UserFilter) -> Result<Vec<UserRow>, AppError> {
    let mut q = users::table
        .inner_join(org_units::table)
        .filter(org_units::path.like(format!("{}%", escape_like(scope_path))).escape('\\'))
        .select(UserRow::as_select())
        .order(users::username.asc())
        .limit(f.limit)
        .offset(f.offset)
        .into_boxed();
    if let Some(unit) = f.org_unit_id {
        q = q.filter(users::org_unit_id.eq(unit.to_string()));
    }
    if let Some(role) = f.role {
        q = q.filter(users::role.eq(role.as_str()));
    }
    if let Some(text) = f.q.as_deref().filter(|t| !t.is_empty()) {
        let pat = format!("%{}%", escape_like(text));
        q = q.filter(users::username.like(pat.clone()).escape('\\').or(users::display_name.like(pat).escape('\\')));
    }
    Ok(q.load(conn)?)
}

/// Saves every changeable column of an account.
pub fn update(conn: &mut DbConn, row: &UserRow) -> Result<(), AppError> {
    diesel::update(users::table.find(&row.id))
        .set((
            users::display_name.eq(&row.display_name),
            users::role.eq(&row.role),
            users::org_unit_id.eq(&row.org_unit_id),
            users::phone.eq(&row.phone),
            users::password_hash.eq(&row.password_hash),
            users::active.eq(row.active),
            users::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}
