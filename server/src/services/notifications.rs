//! A user's own notifications.

use crate::auth::AuthUser;
use crate::db::changes::{self, Audience, Kind};
use crate::db::{notifications, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use xunjian_shared::notification::Notification;
use xunjian_shared::{ErrorCode, NotificationId, UserId};

/// The caller's notifications, newest first (at most 200).
pub async fn mine(state: &AppState, user: &AuthUser, unread_only: bool) -> Result<Vec<Notification>, AppError> {
    let id = user.id;
    state
        .db
        .read(move |conn| notifications::for_user(conn, id, unread_only, 200)?.iter().map(|n| n.to_dto()).collect())
        .await
}

/// Marks one of `user`'s notifications read in the caller's transaction (the first time, the change
/// reaches their devices); someone else's, or none, is "not found".
pub fn mark_read_in(conn: &mut DbConn, user: UserId, id: NotificationId, at: i64) -> Result<(), AppError> {
    match notifications::mark_read(conn, user, id, at)? {
        None => Err(AppError::new(ErrorCode::NotFound)),
        Some(false) => Ok(()),
        Some(true) => {
            let to = Audience::User(user.to_string());
            changes::record(conn, Kind::Notification, &id.to_string(), &to, false, at).map(drop)
        }
    }
}

/// Marks one of the caller's notifications read.
pub async fn mark_read(state: &AppState, user: &AuthUser, id: NotificationId) -> Result<(), AppError> {
    let (uid, now) = (user.id, state.now_ms());
    state.db.write(move |conn| mark_read_in(conn, uid, id, now)).await
}
