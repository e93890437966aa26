//! The deadline scheduler: hazards and road issues whose deadline passed go into time-limited
//! supervision (限时督办), and the responsible workers are reminded before a deadline.
//!
//! Exactly once, across restarts and across several server processes sharing one PostgreSQL:
//! each hazard is moved in its own transaction guarded by its version (`UPDATE … WHERE version =
//! old`), and each reminder is claimed by writing the deadline it was sent for. A process that
//! loses either race changes nothing. State lives only in the database, so a restart re-reads it.

use crate::db::hazards::{self, HazardFull};
use crate::db::road_issues::IssueFull;
use crate::db::Db;
use crate::error::AppError;
use crate::services::lifecycle::{mark_overdue, Tracked};
use chrono::{DateTime, Duration, Utc};
use xunjian_shared::hazard::{DeadlinePolicy, NoticeKind};
use xunjian_shared::Role;

/// What one run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tick {
    /// Hazards put under supervision by this run.
    pub overdue: usize,
    /// Deadline reminders sent by this run (hazards, not notifications).
    pub reminded: usize,
    /// Road issues put under supervision by this run.
    pub road_overdue: usize,
}

/// Records handled per run and kind; the next run continues.
const BATCH: i64 = 500;

/// One pass: overdue hazards and road issues into supervision (the lifecycle's one overdue pass),
/// then reminders for deadlines within the window.
pub fn run_once(db: &Db, now: DateTime<Utc>, policy: &DeadlinePolicy) -> Result<Tick, AppError> {
    let mut tick = Tick {
        overdue: mark_overdue::<HazardFull>(db, now, policy, BATCH)?,
        road_overdue: mark_overdue::<IssueFull>(db, now, policy, BATCH)?,
        ..Tick::default()
    };
    let now_ms = now.timestamp_millis();
    let until = (now + Duration::days(policy.reminder_days_before)).timestamp_millis();
    let due = hazards::due_for_reminder(&mut *db.conn()?, until, BATCH)?;
    for h in due {
        let Some(deadline) = h.deadline.filter(|d| *d > now_ms) else { continue };
        let sent = db.write_blocking(|conn| {
            if !hazards::claim_reminder(conn, h.id, deadline)? {
                return Ok(false);
            }
            let Some(full) = hazards::find_full(conn, &h.id.to_string())? else {
                return Ok(false);
            };
            full.tell(conn, &[(Role::GridWorker, NoticeKind::DeadlineSoon)], now_ms)?;
            Ok(true)
        })?;
        tick.reminded += usize::from(sent);
    }
    Ok(tick)
}

/// Runs the scheduler every `interval` until the server stops.
pub fn spawn(db: Db, clock: crate::clock::SharedClock, policy: DeadlinePolicy, interval: std::time::Duration) {
    actix_web::rt::spawn(async move {
        let mut ticker = actix_web::rt::time::interval(interval);
        loop {
            ticker.tick().await;
            let (db, now, policy) = (db.clone(), clock.now(), policy.clone());
            match crate::db::run_blocking(move || run_once(&db, now, &policy)).await {
                Ok(t) if t != Tick::default() => {
                    tracing::info!(overdue = t.overdue, reminded = t.reminded, "scheduler")
                }
                Ok(_) => {}
                Err(e) => tracing::error!("scheduler: {e}"),
            }
        }
    });
}
