//! What every request can reach: the database, the keys, the clock, the throttle and the limits.

use crate::auth::{JwtKeys, LoginThrottle};
use crate::clock::SharedClock;
use crate::db::Db;

/// Shared application state (one per server, cloned cheaply into handlers via `web::Data`).
pub struct AppState {
    pub db: Db,
    pub jwt: JwtKeys,
    pub throttle: LoginThrottle,
    /// Sessions lately found open (every authenticated request checks its session).
    pub sessions: crate::auth::sessions::OpenSessions,
    pub clock: SharedClock,
    pub refresh_idle_secs: i64,
    pub refresh_max_secs: i64,
    pub deadlines: xunjian_shared::hazard::DeadlinePolicy,
    pub cadence: xunjian_shared::cadence::Cadence,
    /// Where photos are stored (`<data_dir>/attachments`).
    pub attachments_dir: std::path::PathBuf,
    /// Largest photo accepted.
    pub attachment_max_bytes: usize,
    /// How patrol workers' pay is computed.
    pub pay_rules: xunjian_shared::road::pay::PayRules,
    /// Published checklist templates, parsed once.
    pub templates: crate::db::templates::TemplateCache,
}

impl AppState {
    /// Now in Unix milliseconds, by the app clock.
    pub fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }
}
