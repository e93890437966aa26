//! Refresh token rows. Only the SHA-256 of a token is stored; a family is one login on one device.

use super::schema::refresh_tokens;
use super::DbConn;
use crate::error::AppError;
use diesel::prelude::*;

/// A row of `refresh_tokens`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: String,
    pub user_id: String,
    pub family_id: String,
    pub token_hash: String,
    pub device_name: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub family_expires_at: i64,
    pub used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// Stores a newly issued token.
pub fn insert(conn: &mut DbConn, row: &RefreshTokenRow) -> Result<(), AppError> {
    diesel::insert_into(refresh_tokens::table).values(row).execute(conn)?;
    Ok(())
}

/// The token with this hash.
pub fn find_by_hash(conn: &mut DbConn, hash: &str) -> Result<Option<RefreshTokenRow>, AppError> {
    Ok(refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash))
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .optional()?)
}

/// Marks a token used, only if it is still unused; returns whether this call did it. The guard
/// makes two racing refreshes with one token end with exactly one winner.
pub fn mark_used(conn: &mut DbConn, id: &str, at: i64) -> Result<bool, AppError> {
    let n = diesel::update(refresh_tokens::table.find(id).filter(refresh_tokens::used_at.is_null()))
        .set(refresh_tokens::used_at.eq(at))
        .execute(conn)?;
    Ok(n == 1)
}

/// Whether a session (a family) of the user is still open: some token of it not revoked.
pub fn session_open(conn: &mut DbConn, user_id: &str, family_id: &str) -> Result<bool, AppError> {
    let n: i64 = refresh_tokens::table
        .filter(refresh_tokens::family_id.eq(family_id))
        .filter(refresh_tokens::user_id.eq(user_id))
        .filter(refresh_tokens::revoked_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Revokes every token of a family (logout, or reuse of a used token).
pub fn revoke_family(conn: &mut DbConn, family_id: &str, at: i64) -> Result<usize, AppError> {
    Ok(diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)?)
}

/// Revokes every token of a user (account disabled, password changed, phone lost).
pub fn revoke_user(conn: &mut DbConn, user_id: &str, at: i64) -> Result<usize, AppError> {
    Ok(diesel::update(
        refresh_tokens::table.filter(refresh_tokens::user_id.eq(user_id)).filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)?)
}

/// Deletes a user's tokens that can no longer be used for anything (expired, so reuse detection
/// no longer matters). Run at login, which keeps the table bounded by active devices.
pub fn delete_expired_for_user(conn: &mut DbConn, user_id: &str, now: i64) -> Result<usize, AppError> {
    Ok(diesel::delete(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::expires_at.lt(now).or(refresh_tokens::family_expires_at.lt(now))),
    )
    .execute(conn)?)
}

/// When the newest still-open session of a user on a device of this name was last used (the
/// creation of its live token: each refresh issues a new one), if any. A session ended by logout,
/// revocation or expiry does not count.
pub fn open_session_on(conn: &mut DbConn, user_id: &str, device: &str, now: i64) -> Result<Option<i64>, AppError> {
    Ok(refresh_tokens::table
        .filter(refresh_tokens::user_id.eq(user_id))
        .filter(refresh_tokens::device_name.eq(device))
        .filter(refresh_tokens::used_at.is_null())
        .filter(refresh_tokens::revoked_at.is_null())
        .filter(refresh_tokens::expires_at.ge(now))
        .filter(refresh_tokens::family_expires_at.ge(now))
        .select(diesel::dsl::max(refresh_tokens::created_at))
        .first::<Option<i64>>(conn)?)
}

/// Revokes a user's sessions on a device of this name: a new sign-in there replaces them (the
/// device lost or gave up their tokens).
pub fn revoke_device(conn: &mut DbConn, user_id: &str, device: &str, at: i64) -> Result<usize, AppError> {
    Ok(diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::device_name.eq(device))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)?)
}

/// Stored tokens of a user (used and unused), for the admin view and tests.
pub fn count_for_user(conn: &mut DbConn, user_id: &str) -> Result<i64, AppError> {
    Ok(refresh_tokens::table.filter(refresh_tokens::user_id.eq(user_id)).count().get_result(conn)?)
}
