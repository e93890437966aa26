//! The hazard loop on the server: registration, actions through the shared state machine with a
//! version guard, the timeline, lists and notifications.

use super::lifecycle::{self, action_event, event, evidence, Acting, Machine, Tracked};
use super::{notify, scope};
use crate::auth::AuthUser;
use crate::db::changes::{self, Kind};
use crate::db::hazards::{self, HazardFilter, HazardFull, HazardRow};
use crate::db::premises::PremiseRow;
use crate::db::timelines::Timeline;
use crate::db::{attachments, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use xunjian_shared::checklist::{HazardCategory, Severity};
use xunjian_shared::hazard::{
    allowed_actions, apply, notices_on_register, ActionKind, Actor, DeadlinePolicy, HazardAction, HazardDetail,
    HazardPage, HazardState, HazardStatus, NoticeKind, ReferralTarget, RegisterHazard,
};
use xunjian_shared::text::MAX_FREE_TEXT;
use xunjian_shared::{ErrorCode, HazardId, InspectionId, OrgUnitId, PhotoRef, Role};

/// A hazard in the shared lifecycle: seen by its grid's scope, notices to the roles over its grid.
impl Tracked for HazardFull {
    type Detail = HazardDetail;
    const NOUN: &'static str = "hazard";
    const OWNER: &'static str = "hazard";
    const MACHINE: Machine = apply;
    const ALLOWED: fn(&HazardState, Role, DateTime<Utc>) -> Vec<ActionKind> =
        |state, role, now| allowed_actions(state, Actor::User(role), now);
    const TIMELINE: Timeline = Timeline::Hazards;

    lifecycle::row_accessors!();

    fn find(conn: &mut DbConn, id: &str) -> Result<Option<Self>, AppError> {
        hazards::find_full(conn, id)
    }
    fn visible_to(&self, _: &mut DbConn, user: &AuthUser) -> Result<bool, AppError> {
        Ok(user.can_see(&self.grid_path))
    }
    fn scope_path(&self) -> &str {
        &self.grid_path
    }
    fn save_if_version(&self, conn: &mut DbConn, old_version: i64) -> Result<bool, AppError> {
        hazards::update_if_version(conn, &self.row, old_version)
    }
    fn feed(&self, conn: &mut DbConn, at: i64) -> Result<(), AppError> {
        let id = self.row.id.to_string();
        changes::scoped(conn, Kind::Hazard, &id, &self.grid_path, at)?;
        changes::scoped(conn, Kind::HazardTimeline, &id, &self.grid_path, at).map(drop)
    }
    fn tell(&self, conn: &mut DbConn, notices: &[(Role, NoticeKind)], at: i64) -> Result<(), AppError> {
        let about = notify::About::Hazard { id: self.row.id, premise_name: &self.premise_name };
        notify::send(conn, notices, about, &self.grid_path, at).map(drop)
    }
    fn past_deadline(conn: &mut DbConn, now: i64, limit: i64) -> Result<Vec<(String, i64)>, AppError> {
        hazards::past_deadline(conn, now, limit)
    }
    fn current(&self) -> Result<serde_json::Value, AppError> {
        serde_json::to_value(self.row.to_dto()?).map_err(AppError::internal)
    }
    fn detail(self, conn: &mut DbConn, user: &AuthUser, now: DateTime<Utc>) -> Result<HazardDetail, AppError> {
        let hazard = self.row.to_dto()?;
        Ok(HazardDetail {
            timeline: Timeline::Hazards.of(conn, &self.row.id.to_string())?,
            allowed_actions: HazardFull::ALLOWED(&hazard.state, user.role, now),
            hazard,
            premise_name: self.premise_name,
            premise_address: self.premise_address,
        })
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
    let policy = DeadlinePolicy::default();
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
    policy: &DeadlinePolicy,
) -> Result<HazardRow, AppError> {
    let at = now.timestamp_millis();
    let mut row = HazardRow {
        id: h.id,
        premise_id: premise.id.parse().map_err(|_| crate::db::corrupt("premises.id"))?,
        inspection_id: h.inspection_id,
        item_id: h.item_id,
        category: h.category,
        severity: h.severity,
        status: HazardStatus::Registered,
        description: h.description,
        deadline: None,
        referred_to: None,
        brigade_accepted: false,
        reminded_deadline: None,
        photos: serde_json::to_string(&h.photos).map_err(AppError::internal)?,
        registered_by: by.user_id.as_deref().map(str::parse).transpose().map_err(AppError::internal)?,
        version: 1,
        created_at: at,
        updated_at: at,
        closed_at: None,
    };
    row.set_state(&HazardState::registered(h.severity));
    let payload = serde_json::json!({ "photos": h.photos });
    let id = row.id.to_string();
    let mut events = vec![event((&id, row.version, row.status.as_str()), "register", None, by, at, payload)];
    let mut notices = notices_on_register(h.severity);
    let mut photos = h.photos;
    for action in actions {
        let t = apply(&row.state()?, action, by.actor, now, policy).map_err(|r| AppError::new(ErrorCode::from(r)))?;
        let from = row.status;
        row.set_state(&t.state);
        row.version += 1;
        if t.state.status == HazardStatus::Closed {
            row.closed_at = Some(at);
        }
        events.push(action_event((&id, row.version, row.status.as_str()), action, from.as_str(), by, at)?);
        notices.extend(t.notices);
        photos.extend(evidence(action).iter().cloned());
    }
    hazards::insert(conn, &row)?;
    let scope = changes::Audience::Scope(grid_path.to_owned());
    changes::created_many(conn, &[(Kind::Hazard, &id, scope.clone()), (Kind::HazardTimeline, &id, scope)], at)?;
    attachments::add_refs_new(conn, &photos, "hazard", &id, grid_path)?;
    Timeline::Hazards.insert(conn, &events)?;
    let about = notify::About::Hazard { id: row.id, premise_name: &premise.name };
    notify::send(conn, &notices, about, grid_path, at)?;
    Ok(row)
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
    if n == 0 || n > MAX_FREE_TEXT {
        return Err(AppError::validation("description", format!("1 to {MAX_FREE_TEXT} characters")));
    }
    if let Some(loc) = &req.location {
        loc.validate().map_err(|e| AppError::validation("location", e))?;
    }
    let found = crate::db::premises::find_with_path(conn, req.premise_id)?;
    let (premise, path) = found.filter(|(_, p)| user.can_see(p)).ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let id = req.id.unwrap_or_default();
    if hazards::find_full(conn, &id.to_string())?.is_some() {
        return Err(AppError::with_detail(ErrorCode::AlreadyExists, "id"));
    }
    super::attachments::may_reference(conn, user, &req.photos)?;
    let by = Acting::user(user, req.device_time, req.location, "");
    let h = NewHazard {
        id,
        inspection_id: None,
        item_id: None,
        category: req.category,
        severity: req.severity,
        description: req.description.trim().to_owned(),
        photos: req.photos.clone(),
    };
    let row = register(conn, &premise, &path, h, &by, now)?;
    let full = HazardFull { row, premise_name: premise.name, premise_address: premise.address, grid_path: path };
    full.detail(conn, user, now)
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
