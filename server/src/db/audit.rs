//! The audit log: who changed which account or unit, when.

use super::schema::audit_log;
use super::DbConn;
use crate::error::AppError;
use diesel::prelude::*;
use uuid::Uuid;

/// Records one action in the current transaction.
pub fn record(
    conn: &mut DbConn,
    actor_id: Option<&str>,
    action: &str,
    target_kind: &str,
    target_id: &str,
    detail: serde_json::Value,
    at: i64,
) -> Result<(), AppError> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(Uuid::now_v7().to_string()),
            audit_log::actor_id.eq(actor_id),
            audit_log::action.eq(action),
            audit_log::target_kind.eq(target_kind),
            audit_log::target_id.eq(target_id),
            audit_log::detail.eq(detail.to_string()),
            audit_log::at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Number of entries about one target (for tests and the admin view).
pub fn count_for(conn: &mut DbConn, target_kind: &str, target_id: &str) -> Result<i64, AppError> {
    Ok(audit_log::table
        .filter(audit_log::target_kind.eq(target_kind))
        .filter(audit_log::target_id.eq(target_id))
        .count()
        .get_result(conn)?)
}
