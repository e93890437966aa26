//! One lifecycle for every record that moves through the shared hazard machine — hazards and road
//! issues today, incidents and public reports next. A kind says what it is in a small trait
//! ([`Tracked`]: its state, who sees it, its machine, its feed, its timeline, its notices); this
//! module holds, once, what happens to any of them:
//!
//! - [`transition`]: the machine decides, the row is saved under its version guard (`UPDATE … WHERE
//!   version = old`), the change goes to the feed, the action's photos are referenced, the timeline
//!   gets its entry and the notices go out — all in the caller's transaction;
//! - [`act`] (a user in the office or online: a version that moved is refused with
//!   `stale_version`) and [`act_offline`] (an op from a phone's outbox: the machine re-decides on the
//!   current state; still allowed → applied, refused → a conflict the user resolves), each owning
//!   all of the request's checks, so the HTTP route and the sync push call the same function;
//! - [`mark_overdue`]: the scheduler's overdue pass, each record in its own transaction guarded by
//!   its version, so it happens exactly once across processes.

use crate::auth::AuthUser;
use crate::db::timelines::{EventRow, Timeline};
use crate::db::{attachments, Db, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use xunjian_shared::hazard::{
    ActOnHazard, ActionKind, Actor, DeadlinePolicy, HazardAction, HazardState, HazardStatus, NoticeKind, Refusal,
    Transition,
};
use xunjian_shared::premise::GeoPoint;
use xunjian_shared::sync::OpOutcome;
use xunjian_shared::{ErrorCode, PhotoRef, Role};

/// A record kind that moves through the shared hazard machine, loaded with what its messages,
/// scope and feed need (its place).
pub trait Tracked: Sized + Send + 'static {
    /// What a user is shown of one: the record, its timeline, the actions they may take now.
    type Detail: Send + 'static;

    /// Its name in messages ("hazard", "road issue").
    const NOUN: &'static str;
    /// The owner kind of its photo references.
    const OWNER: &'static str;
    /// Where its timeline is kept.
    const TIMELINE: Timeline;

    /// Loads one by id.
    fn find(conn: &mut DbConn, id: &str) -> Result<Option<Self>, AppError>;
    /// Whether `user` may see it (and so act on it): by scope, or by a grant the database holds.
    fn visible_to(&self, conn: &mut DbConn, user: &AuthUser) -> Result<bool, AppError>;
    /// The shared machine with this kind's roles.
    const MACHINE: Machine;
    /// The actions a role may take on a state now, by this kind's machine.
    const ALLOWED: fn(&HazardState, Role, DateTime<Utc>) -> Vec<ActionKind>;

    fn id(&self) -> String;
    /// The unit path its photos and notices are scoped to.
    fn scope_path(&self) -> &str;
    fn state(&self) -> Result<HazardState, AppError>;
    /// Writes a new state into the row.
    fn set_state(&mut self, state: &HazardState);
    /// Its version and times, which the lifecycle moves.
    fn stamps(&mut self) -> Stamps<'_>;
    fn version(&self) -> i64;
    /// Saves the row only if it is still at `old_version`; whether it did.
    fn save_if_version(&self, conn: &mut DbConn, old_version: i64) -> Result<bool, AppError>;
    /// Records the change in the sync feed for everyone who sees it.
    fn feed(&self, conn: &mut DbConn, at: i64) -> Result<(), AppError>;
    /// Sends a transition's notices about it.
    fn tell(&self, conn: &mut DbConn, notices: &[(Role, NoticeKind)], at: i64) -> Result<(), AppError>;
    /// Candidates of the overdue pass, `(id, version)`, oldest deadline first.
    fn past_deadline(conn: &mut DbConn, now: i64, limit: i64) -> Result<Vec<(String, i64)>, AppError>;
    /// Its API shape, shown to the user beside a conflict.
    fn current(&self) -> Result<serde_json::Value, AppError>;
    /// Its detail for `user` at `now`.
    fn detail(self, conn: &mut DbConn, user: &AuthUser, now: DateTime<Utc>) -> Result<Self::Detail, AppError>;
}

/// A state machine over [`HazardState`]: the hazard machine, or it with a kind's own roles.
pub type Machine =
    fn(&HazardState, &HazardAction, Actor, DateTime<Utc>, &DeadlinePolicy) -> Result<Transition, Refusal>;

/// The accessors of a [`Tracked`] kind that keeps its row in `self.row` (a row with `id`, `version`,
/// `updated_at`, `closed_at`, and `state()`/`set_state()`), written once for every kind.
macro_rules! row_accessors {
    () => {
        fn id(&self) -> String {
            self.row.id.to_string()
        }
        fn state(&self) -> Result<xunjian_shared::hazard::HazardState, crate::error::AppError> {
            self.row.state()
        }
        fn set_state(&mut self, state: &xunjian_shared::hazard::HazardState) {
            self.row.set_state(state)
        }
        fn stamps(&mut self) -> crate::services::lifecycle::Stamps<'_> {
            let r = &mut self.row;
            crate::services::lifecycle::Stamps {
                version: &mut r.version,
                updated_at: &mut r.updated_at,
                closed_at: &mut r.closed_at,
            }
        }
        fn version(&self) -> i64 {
            self.row.version
        }
    };
}
pub(crate) use row_accessors;

/// The lifecycle's columns of a row.
pub struct Stamps<'a> {
    pub version: &'a mut i64,
    pub updated_at: &'a mut i64,
    pub closed_at: &'a mut Option<i64>,
}

/// Who did something to a record, and from where.
pub struct Acting<'a> {
    pub actor: Actor,
    pub user_id: Option<String>,
    pub device_time: Option<DateTime<Utc>>,
    pub location: Option<GeoPoint>,
    pub note: &'a str,
}

impl<'a> Acting<'a> {
    /// A signed-in user, with what their request says of when and where.
    pub fn user(
        user: &AuthUser,
        device_time: Option<DateTime<Utc>>,
        location: Option<GeoPoint>,
        note: &'a str,
    ) -> Self {
        Acting { actor: Actor::User(user.role), user_id: Some(user.id.to_string()), device_time, location, note }
    }

    /// The server itself (the scheduler).
    pub fn system(note: &'a str) -> Self {
        Acting { actor: Actor::System, user_id: None, device_time: None, location: None, note }
    }

    pub fn role_name(&self) -> &'static str {
        match self.actor {
            Actor::User(r) => r.as_str(),
            Actor::System => "system",
        }
    }
}

/// A timeline entry for the record `(id, version)` now at `to_status`.
pub fn event(
    (id, version, to_status): (&str, i64, &str),
    action: &str,
    from: Option<&str>,
    by: &Acting<'_>,
    now: i64,
    payload: serde_json::Value,
) -> EventRow {
    EventRow {
        id: uuid::Uuid::now_v7().to_string(),
        record_id: id.to_owned(),
        version,
        action: action.into(),
        from_status: from.map(str::to_owned),
        to_status: to_status.to_owned(),
        actor_id: by.user_id.clone(),
        actor_role: by.role_name().into(),
        at: now,
        device_at: by.device_time.map(|t| t.timestamp_millis()),
        lat: by.location.map(|l| l.lat),
        lon: by.location.map(|l| l.lon),
        note: by.note.trim().to_owned(),
        payload: payload.to_string(),
    }
}

/// The timeline entry of `action` taken on `(id, version, to_status)` from status `from`: named by
/// the action kind's wire name, with the action as sent for its payload.
pub fn action_event(
    record: (&str, i64, &str),
    action: &HazardAction,
    from: &str,
    by: &Acting<'_>,
    at: i64,
) -> Result<EventRow, AppError> {
    let payload = serde_json::to_value(action).map_err(AppError::internal)?;
    let kind = serde_json::to_value(action.kind()).map_err(AppError::internal)?;
    Ok(event(record, kind.as_str().unwrap_or("action"), Some(from), by, at, payload))
}

/// The photos an action brings (the fixed state, the rectification, the re-check), if any.
pub fn evidence(action: &HazardAction) -> &[PhotoRef] {
    match action {
        HazardAction::FixOnSpot { evidence }
        | HazardAction::ReportRectified { evidence }
        | HazardAction::RecheckPass { evidence } => evidence,
        _ => &[],
    }
}

/// Moves `record` to the state the machine gives `action`, in the caller's transaction: the row
/// under its version guard (a record changed meanwhile: `stale_version`, nothing written), the feed,
/// the photos' references, the timeline entry, the notices.
pub fn transition<R: Tracked>(
    conn: &mut DbConn,
    record: &mut R,
    action: &HazardAction,
    by: &Acting<'_>,
    now: DateTime<Utc>,
    policy: &DeadlinePolicy,
) -> Result<(), AppError> {
    let before = record.state()?;
    let t = (R::MACHINE)(&before, action, by.actor, now, policy).map_err(|r| AppError::new(ErrorCode::from(r)))?;
    let at = now.timestamp_millis();
    record.set_state(&t.state);
    let stamps = record.stamps();
    let old_version = *stamps.version;
    *stamps.version += 1;
    *stamps.updated_at = at;
    if t.state.status == HazardStatus::Closed {
        *stamps.closed_at = Some(at);
    }
    if !record.save_if_version(conn, old_version)? {
        return Err(AppError::new(ErrorCode::StaleVersion));
    }
    record.feed(conn, at)?;
    let id = record.id();
    attachments::add_refs(conn, evidence(action), R::OWNER, &id, record.scope_path())?;
    let entry = (id.as_str(), record.version(), t.state.status.as_str());
    R::TIMELINE.insert(conn, &[action_event(entry, action, before.status.as_str(), by, at)?])?;
    record.tell(conn, &t.notices, at)
}

/// The record `id` if `user` may see it; `not_found` otherwise, out of scope alike.
pub fn find_visible<R: Tracked>(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<R, AppError> {
    match R::find(conn, id)? {
        Some(r) if r.visible_to(conn, user)? => Ok(r),
        _ => Err(AppError::new(ErrorCode::NotFound)),
    }
}

/// A user's action on a record, in the caller's transaction, with every check the request needs:
/// its own rules, scope, the version the user saw (moved meanwhile: `stale_version`), the right to
/// the photos it references, then the machine. Answers the record after it.
pub fn act<R: Tracked>(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    req: &ActOnHazard,
    now: DateTime<Utc>,
    policy: &DeadlinePolicy,
) -> Result<R, AppError> {
    let record: R = checked(conn, user, id, req)?;
    if record.version() != req.expected_version {
        return Err(AppError::with_detail(ErrorCode::StaleVersion, format!("current version is {}", record.version())));
    }
    take(conn, user, record, req, now, policy)
}

/// An action made offline (an op of a phone's outbox), in the caller's transaction, with the same
/// checks as [`act`] except the version: one that moved meanwhile is re-decided by the machine on
/// the current state — still allowed, it is applied; refused, the op is a conflict showing the
/// record as it is now, and nothing is written.
pub fn act_offline<R: Tracked>(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    req: &ActOnHazard,
    now: DateTime<Utc>,
    policy: &DeadlinePolicy,
) -> Result<OpOutcome, AppError> {
    let record: R = checked(conn, user, id, req)?;
    if record.version() != req.expected_version {
        let state = record.state()?;
        if let Err(refusal) = (R::MACHINE)(&state, &req.action, Actor::User(user.role), now, policy) {
            return Ok(OpOutcome::Conflict {
                code: ErrorCode::from(refusal),
                message: format!("the {} changed to {} meanwhile", R::NOUN, state.status.as_str()),
                current: record.current()?,
            });
        }
    }
    let record = take(conn, user, record, req, now, policy)?;
    Ok(OpOutcome::Applied { version: Some(record.version()), merged: None })
}

/// The common start of [`act`] and [`act_offline`]: the request's own rules, then the record in scope.
fn checked<R: Tracked>(conn: &mut DbConn, user: &AuthUser, id: &str, req: &ActOnHazard) -> Result<R, AppError> {
    req.validate().map_err(|(field, why)| AppError::validation(field, why))?;
    find_visible(conn, user, id)
}

/// The common end of [`act`] and [`act_offline`]: the photos' right, then the transition.
fn take<R: Tracked>(
    conn: &mut DbConn,
    user: &AuthUser,
    mut record: R,
    req: &ActOnHazard,
    now: DateTime<Utc>,
    policy: &DeadlinePolicy,
) -> Result<R, AppError> {
    super::attachments::may_reference(conn, user, evidence(&req.action))?;
    let by = Acting::user(user, req.device_time, req.location, &req.note);
    transition(conn, &mut record, &req.action, &by, now, policy)?;
    Ok(record)
}

/// The detail of the record `id` for a signed-in user (`not_found` out of scope).
pub async fn detail<R: Tracked>(state: &AppState, user: &AuthUser, id: String) -> Result<R::Detail, AppError> {
    let user = user.clone();
    let now = state.clock.now();
    state.db.read(move |conn| find_visible::<R>(conn, &user, &id)?.detail(conn, &user, now)).await
}

/// A signed-in user's action on the record `id` ([`act`] in a transaction of its own); answers the
/// record's detail after it.
pub async fn act_for<R: Tracked>(
    state: &AppState,
    user: &AuthUser,
    id: String,
    req: ActOnHazard,
) -> Result<R::Detail, AppError> {
    let user = user.clone();
    let now = state.clock.now();
    let policy = state.deadlines.clone();
    state.db.write(move |conn| act::<R>(conn, &user, &id, &req, now, &policy)?.detail(conn, &user, now)).await
}

/// Whether a scheduled step failed because another process took it first, or because it no longer
/// applies: nothing to do then.
pub fn lost_race(e: &AppError) -> bool {
    matches!(e.code, ErrorCode::StaleVersion | ErrorCode::TransitionNotAllowed | ErrorCode::InvalidDeadline)
}

/// The timeline note of the overdue pass.
pub const OVERDUE_NOTE: &str = "逾期未整改，转入限时督办";

/// One pass of the overdue rule over records of kind `R` (at most `batch`): each whose running
/// deadline has passed goes into time-limited supervision (限时督办) in its own transaction, guarded
/// by its version, so it happens exactly once however many processes run the pass. Returns how many
/// this pass moved.
pub fn mark_overdue<R: Tracked>(
    db: &Db,
    now: DateTime<Utc>,
    policy: &DeadlinePolicy,
    batch: i64,
) -> Result<usize, AppError> {
    let candidates = R::past_deadline(&mut *db.conn()?, now.timestamp_millis(), batch)?;
    let mut moved = 0;
    for (id, version) in candidates {
        let done = db.write_blocking(|conn| {
            // Re-read inside the transaction: another process may have moved it already.
            let Some(mut record) = R::find(conn, &id)? else { return Ok(false) };
            if record.version() != version {
                return Ok(false);
            }
            match transition(conn, &mut record, &HazardAction::MarkOverdue, &Acting::system(OVERDUE_NOTE), now, policy)
            {
                Ok(()) => Ok(true),
                Err(e) if lost_race(&e) => Ok(false),
                Err(e) => Err(e),
            }
        })?;
        moved += usize::from(done);
    }
    Ok(moved)
}
