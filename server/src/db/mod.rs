//! The database: one diesel code path over embedded SQLite (the default) or PostgreSQL.

pub mod attachments;
pub mod audit;
pub mod changes;
mod connection;
pub mod device_ops;
pub mod hazards;
pub mod inspections;
pub mod notifications;
pub mod org_units;
pub mod patrols;
pub mod pool;
pub mod premises;
pub mod refresh_tokens;
pub mod road_check_forms;
pub mod road_checks;
pub mod road_hours;
pub mod road_issues;
pub mod road_months;
pub mod road_pay;
pub mod roads;
pub mod roadside;
pub mod schema;
mod sql_types;
pub mod stats;
pub mod templates;
pub mod timelines;
pub mod users;
mod writer;

pub use connection::{commits, Backend, DbConn};
pub use pool::{run_blocking, Db};

/// At most this many rows in one multi-row `INSERT` (SQLite allows 32,766 bound values, PostgreSQL
/// 65,535; the widest batched row has 13 columns).
pub const INSERT_CHUNK: usize = 500;

/// One multi-row `INSERT` of `rows` (a slice of `Insertable`s): diesel's batch insert needs the
/// concrete connection, not the `MultiConnection`, so the statement is written once per backend here.
#[macro_export]
macro_rules! insert_many {
    ($conn:expr, $table:expr, $rows:expr) => {{
        use diesel::RunQueryDsl as _;
        match $conn {
            $crate::db::DbConn::Sqlite(c) => diesel::insert_into($table).values($rows).execute(c),
            $crate::db::DbConn::Pg(c) => diesel::insert_into($table).values($rows).execute(c),
        }
    }};
}

/// The error of a stored value that does not read back (`what`: `table.column`): never written
/// by the server, so a 500 with the place named.
pub(crate) fn corrupt(what: &str) -> crate::error::AppError {
    crate::error::AppError::internal(std::io::Error::other(format!("corrupt value in {what}")))
}

/// Escapes LIKE wildcards; paths hold only hex digits, `-` and `/`, but a rule should not rely on it.
pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// The stored statuses in which a record's deadline runs, so that the overdue pass may move it: the
/// shared machine's own starting points of `mark_overdue` (hazards and road issues alike).
pub(crate) fn overdue_candidates() -> Vec<&'static str> {
    use xunjian_shared::hazard::{from_statuses, ActionKind};
    from_statuses(ActionKind::MarkOverdue).iter().map(|s| s.as_str()).collect()
}

/// Unix milliseconds, the time representation of every `*_at` column.
pub fn to_millis(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_millis()
}

/// The inverse of [`to_millis`]; out-of-range values (never written by us) clamp to the epoch.
pub fn from_millis(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
