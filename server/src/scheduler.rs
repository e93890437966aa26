//! The deadline scheduler: hazards and road issues whose deadline passed go into time-limited
//! supervision (限时督办), and the responsible workers are reminded before a deadline.
//!
//! Exactly once, across restarts and across several server processes sharing one PostgreSQL:
//! each hazard is moved in its own transaction guarded by its version (`UPDATE … WHERE version =
//! old`), and each reminder is claimed by writing the deadline it was sent for. A process that
//! loses either race changes nothing. State lives only in the database, so a restart re-reads it.

use crate::db::{hazards, Db};
use crate::error::AppError;
use crate::services::hazards::{transition, Acting, Place};
use crate::services::notify;
use chrono::{DateTime, Duration, Utc};
use xunjian_shared::hazard::{Actor, DeadlinePolicy, HazardAction, NoticeKind};
use xunjian_shared::{ErrorCode, Role};

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

/// Hazards handled per run; the next run continues.
const BATCH: i64 = 500;

/// Whether a scheduled step failed because another process took it first, or because it no longer
/// applies: nothing to do then.
pub fn lost_race(e: &AppError) -> bool {
    matches!(e.code, ErrorCode::StaleVersion | ErrorCode::TransitionNotAllowed | ErrorCode::InvalidDeadline)
}

/// One pass: overdue hazards into supervision, then reminders for deadlines within the window.
pub fn run_once(db: &Db, now: DateTime<Utc>, policy: &DeadlinePolicy) -> Result<Tick, AppError> {
    let mut tick = Tick::default();
    let now_ms = now.timestamp_millis();
    let candidates = hazards::past_deadline(&mut *db.conn()?, now_ms, BATCH)?;
    for candidate in candidates {
        let moved = db.write_blocking(|conn| {
            // Re-read inside the transaction: another process may have moved it already.
            let Some((row, name, _, path)) =
                hazards::find_full(conn, candidate.id.parse().map_err(AppError::internal)?)?
            else {
                return Ok(false);
            };
            if row.version != candidate.version {
                return Ok(false);
            }
            let by = Acting {
                actor: Actor::System,
                user_id: None,
                device_time: None,
                location: None,
                note: "逾期未整改，转入限时督办",
            };
            match transition(
                conn,
                row,
                &Place { premise_name: &name, grid_path: &path },
                &HazardAction::MarkOverdue,
                &by,
                now,
                policy,
            ) {
                Ok(_) => Ok(true),
                Err(e) if lost_race(&e) => Ok(false),
                Err(e) => Err(e),
            }
        })?;
        tick.overdue += usize::from(moved);
    }
    tick.road_overdue = crate::services::road_issues::mark_overdue(db, now, policy, BATCH)?;
    let until = (now + Duration::days(policy.reminder_days_before)).timestamp_millis();
    let due = hazards::due_for_reminder(&mut *db.conn()?, until, BATCH)?;
    for h in due {
        let Some(deadline) = h.deadline.filter(|d| *d > now_ms) else { continue };
        let sent = db.write_blocking(|conn| {
            if !hazards::claim_reminder(conn, &h.id, deadline)? {
                return Ok(false);
            }
            let Some((_, name, _, path)) = hazards::find_full(conn, h.id.parse().map_err(AppError::internal)?)? else {
                return Ok(false);
            };
            let about = notify::About::Hazard { id: &h.id, premise_name: &name };
            notify::send(conn, &[(Role::GridWorker, NoticeKind::DeadlineSoon)], about, &path, now_ms)?;
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
