//! A user's own notifications.

use crate::auth::AuthUser;
use crate::db::notifications;
use crate::error::AppError;
use crate::state::AppState;
use xunjian_shared::notification::Notification;
use xunjian_shared::{ErrorCode, NotificationId};

/// The caller's notifications, newest first (at most 200).
pub async fn mine(state: &AppState, user: &AuthUser, unread_only: bool) -> Result<Vec<Notification>, AppError> {
    let id = user.id;
    state
        .db
        .read(move |conn| notifications::for_user(conn, id, unread_only, 200)?.iter().map(|n| n.to_dto()).collect())
        .await
}

/// Marks one of the caller's notifications read; someone else's is "not found".
pub async fn mark_read(state: &AppState, user: &AuthUser, id: NotificationId) -> Result<(), AppError> {
    let (uid, now) = (user.id, state.now_ms());
    let found = state.db.write(move |conn| notifications::mark_read(conn, uid, id, now)).await?;
    if found {
        Ok(())
    } else {
        Err(AppError::new(ErrorCode::NotFound))
    }
}
