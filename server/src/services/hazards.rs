//! The hazard loop on the server: registration, actions through the shared state machine with a
//! version guard, the timeline, lists and notifications.

use super::{notify, scope};
use crate::auth::AuthUser;
use crate::db::changes::{self, Kind};
use crate::db::hazards::{self, EventRow, HazardFilter, HazardRow};
use crate::db::premises::PremiseRow;
use crate::db::{attachments, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use xunjian_shared::checklist::{HazardCategory, Severity};
use xunjian_shared::hazard::{
    allowed_actions, apply, notices_on_register, ActOnHazard, Actor, HazardAction, HazardDetail, HazardPage,
    HazardState, HazardStatus, ReferralTarget, RegisterHazard,
};
use xunjian_shared::premise::GeoPoint;
use xunjian_shared::{ErrorCode, HazardId, InspectionId, OrgUnitId, PhotoRef};

/// Who did something to a hazard, and from where.
pub struct Acting<'a> {
    pub actor: Actor,
    pub user_id: Option<String>,
    pub device_time: Option<DateTime<Utc>>,
    pub location: Option<GeoPoint>,
    pub note: &'a str,
}

impl Acting<'_> {
    pub fn role_name(&self) -> &'static str {
        match self.actor {
            Actor::User(r) => r.as_str(),
            Actor::System => "system",
        }
    }
}

/// What is registered.
pub struct NewHazard {
    pub id: HazardId,
    pub inspection_id: Option<InspectionId>,
    pub item_id: Option<String>,
    pub category: HazardCategory,
    pub severity: Severity,
    pub description: String,
    pub photos: Vec<PhotoRef>,
}

/// A timeline entry for the record `(id, version)` now at `to_status` (hazards and road issues
/// share the shape).
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
        hazard_id: id.to_owned(),
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

/// The photos an action brings (the fixed state, the rectification, the re-check), if any.
pub fn evidence(action: &HazardAction) -> &[PhotoRef] {
    match action {
        HazardAction::FixOnSpot { evidence }
        | HazardAction::ReportRectified { evidence }
        | HazardAction::RecheckPass { evidence } => evidence,
        _ => &[],
    }
}

/// The timeline entry of an action taken on `(id, version, to_status)`, from status `from`: named by
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

/// Registers a hazard at a premise (version 1, status registered) in the caller's transaction,
/// and reports a major one to the fire brigade.
pub fn register(
    conn: &mut DbConn,
    premise: &PremiseRow,
    grid_path: &str,
    h: NewHazard,
    by: &Acting<'_>,
    now: DateTime<Utc>,
) -> Result<HazardRow, AppError> {
    // No actions: no deadline is computed, so the policy is not consulted.
    let policy = xunjian_shared::hazard::DeadlinePolicy::default();
    register_with(conn, premise, grid_path, h, &[], by, now, &policy)
}

/// Registers a hazard and takes its first actions at once (an inspection's failed item: fixed on
/// the spot and closed, or ordered to rectify). The same states, versions, timeline entries and
/// notices as [`register`] followed by [`transition`] for each action — the shared machine decides
/// every step — but the row is written once, in its last state, with its feed rows, entries and
/// notices each in one insert.
#[allow(clippy::too_many_arguments)] // where, what, which actions, by whom, when, under which policy
pub fn register_with(
    conn: &mut DbConn,
    premise: &PremiseRow,
    grid_path: &str,
    h: NewHazard,
    actions: &[HazardAction],
    by: &Acting<'_>,
    now: DateTime<Utc>,
    policy: &xunjian_shared::hazard::DeadlinePolicy,
) -> Result<HazardRow, AppError> {
    let at = now.timestamp_millis();
    let mut row = HazardRow {
        id: h.id.to_string(),
        premise_id: premise.id.clone(),
        inspection_id: h.inspection_id.map(|i| i.to_string()),
        item_id: h.item_id,
        category: h.category.as_str().into(),
        severity: String::new(),
        status: String::new(),
        description: h.description,
        deadline: None,
        referred_to: None,
        brigade_accepted: false,
        reminded_deadline: None,
        photos: serde_json::to_string(&h.photos).map_err(AppError::internal)?,
        registered_by: by.user_id.clone(),
        version: 1,
        created_at: at,
        updated_at: at,
        closed_at: None,
    };
    row.set_state(&HazardState::registered(h.severity));
    let payload = serde_json::json!({ "photos": h.photos });
    let mut events = vec![event((&row.id, row.version, &row.status), "register", None, by, at, payload)];
    let mut notices = notices_on_register(h.severity);
    let mut photos = h.photos;
    for action in actions {
        let t = apply(&row.state()?, action, by.actor, now, policy).map_err(|r| AppError::new(ErrorCode::from(r)))?;
        let from = std::mem::take(&mut row.status);
        row.set_state(&t.state);
        row.version += 1;
        if t.state.status == HazardStatus::Closed {
            row.closed_at = Some(at);
        }
        events.push(action_event((&row.id, row.version, &row.status), action, &from, by, at)?);
        notices.extend(t.notices);
        photos.extend(evidence(action).iter().cloned());
    }
    hazards::insert(conn, &row)?;
    let scope = changes::Audience::Scope(grid_path.to_owned());
    changes::created_many(conn, &[(Kind::Hazard, &row.id, scope.clone()), (Kind::HazardTimeline, &row.id, scope)], at)?;
    attachments::add_refs_new(conn, &photos, "hazard", &row.id, grid_path)?;
    hazards::insert_events(conn, &events)?;
    let about = notify::About::Hazard { id: &row.id, premise_name: &premise.name };
    notify::send(conn, &notices, about, grid_path, at)?;
    Ok(row)
}

/// Where a hazard is: its premise's name (for messages) and its grid's path (for notices).
pub struct Place<'a> {
    pub premise_name: &'a str,
    pub grid_path: &'a str,
}

/// Applies an action to a loaded hazard in the caller's transaction: state machine, version guard,
/// timeline entry, notifications. Returns the updated row.
pub fn transition(
    conn: &mut DbConn,
    mut row: HazardRow,
    place: &Place<'_>,
    action: &HazardAction,
    by: &Acting<'_>,
    now: DateTime<Utc>,
    policy: &xunjian_shared::hazard::DeadlinePolicy,
) -> Result<HazardRow, AppError> {
    let before = row.state()?;
    let t = apply(&before, action, by.actor, now, policy).map_err(|r| AppError::new(ErrorCode::from(r)))?;
    let old_version = row.version;
    let from = row.status.clone();
    row.set_state(&t.state);
    row.version += 1;
    row.updated_at = now.timestamp_millis();
    if t.state.status == HazardStatus::Closed {
        row.closed_at = Some(row.updated_at);
    }
    if !hazards::update_if_version(conn, &row, old_version)? {
        return Err(AppError::new(ErrorCode::StaleVersion));
    }
    changes::scoped(conn, Kind::Hazard, &row.id, place.grid_path, row.updated_at)?;
    changes::scoped(conn, Kind::HazardTimeline, &row.id, place.grid_path, row.updated_at)?;
    attachments::add_refs(conn, evidence(action), "hazard", &row.id, place.grid_path)?;
    hazards::insert_event(
        conn,
        &action_event((&row.id, row.version, &row.status), action, &from, by, row.updated_at)?,
    )?;
    let about = notify::About::Hazard { id: &row.id, premise_name: place.premise_name };
    notify::send(conn, &t.notices, about, place.grid_path, row.updated_at)?;
    Ok(row)
}

fn detail_of(conn: &mut DbConn, user: &AuthUser, id: HazardId, now: DateTime<Utc>) -> Result<HazardDetail, AppError> {
    let (row, name, address, path) = hazards::find_full(conn, id)?
        .filter(|(_, _, _, path)| user.can_see(path))
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let _ = path;
    let hazard = row.to_dto()?;
    let allowed = allowed_actions(&hazard.state, Actor::User(user.role), now);
    Ok(HazardDetail {
        timeline: hazards::timeline(conn, id)?,
        hazard,
        premise_name: name,
        premise_address: address,
        allowed_actions: allowed,
    })
}

/// A hazard with its timeline and the caller's allowed actions.
pub async fn detail(state: &AppState, user: &AuthUser, id: HazardId) -> Result<HazardDetail, AppError> {
    let user = user.clone();
    let now = state.clock.now();
    state.db.read(move |conn| detail_of(conn, &user, id, now)).await
}

/// How an action sent against an older version is treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Staleness {
    /// Refuse it (`stale_version`): an office user acting on what they see now.
    Refuse,
    /// Re-validate it against the current state with the shared machine: still allowed → apply;
    /// not allowed → the caller reports a conflict. For operations made offline.
    Revalidate,
}

fn check_act(req: &ActOnHazard) -> Result<(), AppError> {
    if let Some(loc) = &req.location {
        loc.validate().map_err(|e| AppError::validation("location", e))?;
    }
    if req.note.chars().count() > 2000 {
        return Err(AppError::validation("note", "at most 2000 characters"));
    }
    Ok(())
}

/// Takes an action in the caller's transaction; answers the hazard's detail after it.
pub fn act_in(
    conn: &mut DbConn,
    user: &AuthUser,
    id: HazardId,
    req: &ActOnHazard,
    staleness: Staleness,
    now: DateTime<Utc>,
    policy: &xunjian_shared::hazard::DeadlinePolicy,
) -> Result<HazardDetail, AppError> {
    check_act(req)?;
    let (row, name, _, path) = hazards::find_full(conn, id)?
        .filter(|(_, _, _, path)| user.can_see(path))
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    if row.version != req.expected_version && staleness == Staleness::Refuse {
        return Err(AppError::with_detail(ErrorCode::StaleVersion, format!("current version is {}", row.version)));
    }
    let by = Acting {
        actor: Actor::User(user.role),
        user_id: Some(user.id.to_string()),
        device_time: req.device_time,
        location: req.location,
        note: &req.note,
    };
    transition(conn, row, &Place { premise_name: &name, grid_path: &path }, &req.action, &by, now, policy)?;
    detail_of(conn, user, id, now)
}

/// Takes an action on a hazard for a signed-in user.
pub async fn act(state: &AppState, user: &AuthUser, id: HazardId, req: ActOnHazard) -> Result<HazardDetail, AppError> {
    check_act(&req)?;
    let user = user.clone();
    let now = state.clock.now();
    let policy = state.deadlines.clone();
    state.db.write(move |conn| act_in(conn, &user, id, &req, Staleness::Refuse, now, &policy)).await
}

/// Registers a reported hazard in the caller's transaction.
pub fn register_in(
    conn: &mut DbConn,
    user: &AuthUser,
    req: &RegisterHazard,
    now: DateTime<Utc>,
) -> Result<HazardDetail, AppError> {
    if !user.role.can_inspect() {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let n = req.description.trim().chars().count();
    if n == 0 || n > 2000 {
        return Err(AppError::validation("description", "1 to 2000 characters"));
    }
    if let Some(loc) = &req.location {
        loc.validate().map_err(|e| AppError::validation("location", e))?;
    }
    let found = crate::db::premises::find_with_path(conn, req.premise_id)?;
    let (premise, path) = found.filter(|(_, p)| user.can_see(p)).ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let id = req.id.unwrap_or_default();
    if hazards::find_full(conn, id)?.is_some() {
        return Err(AppError::with_detail(ErrorCode::AlreadyExists, "id"));
    }
    let by = Acting {
        actor: Actor::User(user.role),
        user_id: Some(user.id.to_string()),
        device_time: req.device_time,
        location: req.location,
        note: "",
    };
    let h = NewHazard {
        id,
        inspection_id: None,
        item_id: None,
        category: req.category,
        severity: req.severity,
        description: req.description.trim().to_owned(),
        photos: req.photos.clone(),
    };
    register(conn, &premise, &path, h, &by, now)?;
    detail_of(conn, user, id, now)
}

/// Registers a hazard reported outside an inspection (public report verified in the field).
pub async fn register_reported(
    state: &AppState,
    user: &AuthUser,
    req: RegisterHazard,
) -> Result<HazardDetail, AppError> {
    let user = user.clone();
    let now = state.clock.now();
    state.db.write(move |conn| register_in(conn, &user, &req, now)).await
}

/// Filters of the hazard list.
#[derive(Default)]
pub struct HazardQuery {
    pub org_unit_id: Option<OrgUnitId>,
    pub statuses: Vec<HazardStatus>,
    pub severity: Option<Severity>,
    pub referred_to: Option<ReferralTarget>,
    pub overdue: bool,
    pub premise_id: Option<xunjian_shared::PremiseId>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: i64,
    pub offset: i64,
}

impl HazardQuery {
    /// The database filter for these criteria under a unit path, at `now` (for "overdue").
    pub fn filter(self, path_prefix: String, now: i64) -> HazardFilter {
        HazardFilter {
            path_prefix,
            statuses: self.statuses,
            severity: self.severity,
            referred_to: self.referred_to,
            overdue_at: self.overdue.then_some(now),
            premise_id: self.premise_id.map(|p| p.to_string()),
            created_from: self.from.map(|t| t.timestamp_millis()),
            created_to: self.to.map(|t| t.timestamp_millis()),
            limit: self.limit,
            offset: self.offset,
        }
    }
}

/// Hazards in scope with filters, a page of them, the total and counts per status.
pub async fn list(state: &AppState, user: &AuthUser, q: HazardQuery) -> Result<HazardPage, AppError> {
    let user = user.clone();
    let now = state.now_ms();
    state
        .db
        .read(move |conn| {
            let path = scope::narrow(conn, &user, q.org_unit_id)?;
            let f = q.filter(path, now);
            let hazards::Listing { rows, total, by_status: counts } = hazards::list(conn, &f)?;
            let by_status = counts.into_iter().filter_map(|(s, n)| HazardStatus::parse(&s).map(|s| (s, n))).collect();
            Ok(HazardPage { items: rows.iter().map(HazardRow::to_dto).collect::<Result<_, _>>()?, total, by_status })
        })
        .await
}
