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

pub use pool::{run_blocking, Backend, Db, DbConn};

/// Unix milliseconds, the time representation of every `*_at` column.
pub fn to_millis(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_millis()
}

/// The inverse of [`to_millis`]; out-of-range values (never written by us) clamp to the epoch.
pub fn from_millis(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
