//! The database: one diesel code path over embedded SQLite (the default) or PostgreSQL.

pub mod attachments;
pub mod audit;
pub mod changes;
pub mod device_ops;
pub mod hazards;
pub mod inspections;
pub mod notifications;
pub mod org_units;
pub mod patrols;
pub mod pool;
pub mod premises;
pub mod refresh_tokens;
pub mod road_checks;
pub mod road_issues;
pub mod roads;
pub mod schema;
pub mod stats;
pub mod templates;
pub mod users;
mod writer;

pub use pool::{run_blocking, Backend, Db, DbConn};

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

/// Unix milliseconds, the time representation of every `*_at` column.
pub fn to_millis(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_millis()
}

/// The inverse of [`to_millis`]; out-of-range values (never written by us) clamp to the epoch.
pub fn from_millis(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
