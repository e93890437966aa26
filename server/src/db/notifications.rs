//! Queries on in-app notifications.

use super::schema::notifications as n;
use super::{from_millis, DbConn};
use crate::error::AppError;
use diesel::prelude::*;
use xunjian_shared::hazard::NoticeKind;
use xunjian_shared::notification::Notification;
use xunjian_shared::{NotificationId, UserId};

/// A row of `notifications`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = n)]
pub struct NotificationRow {
    pub id: String,
    pub user_id: String,
    pub kind: String,
    pub hazard_id: Option<String>,
    pub message: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
    pub road_issue_id: Option<String>,
}

impl NotificationRow {
    /// The API shape.
    pub fn to_dto(&self) -> Result<Notification, AppError> {
        Ok(Notification {
            id: self.id.parse().map_err(AppError::internal)?,
            kind: NoticeKind::parse(&self.kind)
                .ok_or_else(|| AppError::internal(std::io::Error::other("corrupt notifications.kind")))?,
            hazard_id: self.hazard_id.as_deref().map(str::parse).transpose().map_err(AppError::internal)?,
            road_issue_id: self.road_issue_id.as_deref().map(str::parse).transpose().map_err(AppError::internal)?,
            message: self.message.clone(),
            created_at: from_millis(self.created_at),
            read_at: self.read_at.map(from_millis),
        })
    }
}

/// Inserts notifications.
pub fn insert_many(conn: &mut DbConn, rows: &[NotificationRow]) -> Result<(), AppError> {
    for chunk in rows.chunks(super::INSERT_CHUNK) {
        crate::insert_many!(conn, n::table, chunk)?;
    }
    Ok(())
}

/// A user's notifications, newest first.
pub fn for_user(
    conn: &mut DbConn,
    user: UserId,
    unread_only: bool,
    limit: i64,
) -> Result<Vec<NotificationRow>, AppError> {
    let mut q = n::table.filter(n::user_id.eq(user.to_string())).into_boxed();
    if unread_only {
        q = q.filter(n::read_at.is_null());
    }
    Ok(q.order((n::created_at.desc(), n::id.desc())).limit(limit).select(NotificationRow::as_select()).load(conn)?)
}

/// Marks one of the user's notifications read, keeping the first read time: whether this changed
/// it, or `None` if it is not theirs or does not exist.
pub fn mark_read(conn: &mut DbConn, user: UserId, id: NotificationId, at: i64) -> Result<Option<bool>, AppError> {
    let mine = || n::table.find(id.to_string()).filter(n::user_id.eq(user.to_string()));
    let exists: i64 = mine().count().get_result(conn)?;
    let changed = diesel::update(mine().filter(n::read_at.is_null())).set(n::read_at.eq(at)).execute(conn)?;
    Ok((exists == 1).then_some(changed == 1))
}

/// How many unread notifications a user has.
pub fn unread_count(conn: &mut DbConn, user: UserId) -> Result<i64, AppError> {
    Ok(n::table.filter(n::user_id.eq(user.to_string())).filter(n::read_at.is_null()).count().get_result(conn)?)
}

/// One notification by id.
pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<NotificationRow>, AppError> {
    Ok(n::table.find(id).select(NotificationRow::as_select()).first(conn).optional()?)
}
