//! The record of applied device operations (what makes a repeated op a no-op).

use super::schema::device_ops;
use super::DbConn;
use crate::error::AppError;
use diesel::prelude::*;

/// A row of `device_ops`.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = device_ops)]
pub struct OpRow {
    pub op_id: String,
    pub device_id: String,
    pub user_id: String,
    pub device_seq: i64,
    pub kind: String,
    pub payload_hash: String,
    pub result: String,
    pub applied_at: i64,
}

/// The stored ops among `op_ids` (a batch's, read once before it is applied).
pub fn find_many(conn: &mut DbConn, op_ids: &[String]) -> Result<std::collections::HashMap<String, OpRow>, AppError> {
    let mut out = std::collections::HashMap::new();
    for chunk in op_ids.chunks(500) {
        let rows: Vec<OpRow> =
            device_ops::table.filter(device_ops::op_id.eq_any(chunk)).select(OpRow::as_select()).load(conn)?;
        out.extend(rows.into_iter().map(|r| (r.op_id.clone(), r)));
    }
    Ok(out)
}

/// Records an op and its result (in the transaction that applied it).
pub fn insert(conn: &mut DbConn, row: &OpRow) -> Result<(), AppError> {
    diesel::insert_into(device_ops::table).values(row).execute(conn)?;
    Ok(())
}

/// Records many ops and their results in multi-row inserts.
pub fn insert_many(conn: &mut DbConn, rows: &[OpRow]) -> Result<(), AppError> {
    for chunk in rows.chunks(super::INSERT_CHUNK) {
        crate::insert_many!(conn, device_ops::table, chunk)?;
    }
    Ok(())
}

/// Serialises the pushes of one device on PostgreSQL (a transaction-scoped advisory lock, one per
/// batch rather than one per op, so a 500-op batch holds one lock): a racing duplicate batch waits,
/// then finds the first one's stored results. SQLite already runs one writer at a time.
pub fn lock_device(conn: &mut DbConn, device_id: &str) -> Result<(), AppError> {
    if let DbConn::Pg(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind::<diesel::sql_types::Text, _>(device_id)
            .execute(pg)?;
    }
    Ok(())
}
