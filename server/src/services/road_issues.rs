//! Road issues on the server: findings registered from patrols, actions through the shared hazard
//! machine with road roles (`xunjian_shared::road::issue`), the timeline, lists and notifications,
//! and works filings (先报备、再批复、后实施) that unfiled-works findings link to.

use super::hazards::{action_event, event, evidence, Acting};
use super::{notify, scope};
use crate::auth::AuthUser;
use crate::db::changes::{self, Audience, Kind};
use crate::db::road_issues::{self as db, IssueFilter, IssueFull, IssueRow, WorksRow};
use crate::db::roads::SegmentRow;
use crate::db::{attachments, roads, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use xunjian_shared::hazard::{Actor, DeadlinePolicy, HazardAction, HazardStatus, NoticeKind, ReferralTarget, Refusal};
use xunjian_shared::road::issue::{
    allowed_road_actions, apply_road, registered, RoadFinding, RoadIssueDetail, RoadIssuePage,
};
use xunjian_shared::road::works::{
    may_manage_works, works_next, ActOnWorks, FileWorks, Works, WorksAction, WorksStatus,
};
use xunjian_shared::{ErrorCode, OrgUnitId, PatrolId, RoadIssueId, Role, SegmentId, WorksId};

/// Whether `user` may see an issue: a patrol worker the ones they found or on their segments;
/// others the ones in their scope.
fn may_see(user: &AuthUser, f: &IssueFull) -> bool {
    let me = user.id.to_string();
    if user.role == Role::PatrolWorker {
        f.row.registered_by.as_deref() == Some(me.as_str()) || f.worker_id.as_deref() == Some(me.as_str())
    } else {
        user.can_see(&f.row.scope_path)
    }
}

fn find_visible(conn: &mut DbConn, user: &AuthUser, id: RoadIssueId) -> Result<IssueFull, AppError> {
    db::find_full(conn, &id.to_string())?.filter(|f| may_see(user, f)).ok_or_else(|| AppError::new(ErrorCode::NotFound))
}

/// Records the change for the township's users, the segment's worker and the finder.
fn feed(conn: &mut DbConn, row: &IssueRow, worker: Option<&str>, at: i64) -> Result<(), AppError> {
    changes::scoped(conn, Kind::RoadIssue, &row.id, &row.scope_path, at)?;
    let mut people: Vec<&str> = worker.into_iter().chain(row.registered_by.as_deref()).collect();
    people.dedup();
    for p in people {
        changes::record(conn, Kind::RoadIssue, &row.id, &Audience::User(p.to_owned()), false, at)?;
    }
    Ok(())
}

/// Registers a patrol's findings as road issues in the caller's transaction; each is on one of
/// the patrol's segments (`segments`) and tells the township road station.
pub fn register_findings(
    conn: &mut DbConn,
    user: &AuthUser,
    patrol_id: PatrolId,
    findings: &[RoadFinding],
    segments: &[SegmentRow],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let now_ms = now.timestamp_millis();
    for (i, f) in findings.iter().enumerate() {
        f.validate().map_err(|(field, msg)| AppError::validation(&format!("findings[{i}].{field}"), msg))?;
        let seg = segments.iter().find(|s| s.id == f.segment_id.to_string()).ok_or_else(|| {
            AppError::validation(&format!("findings[{i}].segment_id"), "not one of the patrol's segments")
        })?;
        if db::find_full(conn, &f.id.to_string())?.is_some() {
            return Err(AppError::with_detail(ErrorCode::AlreadyExists, format!("findings[{i}].id")));
        }
        let mut row = IssueRow {
            id: f.id.to_string(),
            patrol_id: Some(patrol_id.to_string()),
            segment_id: seg.id.clone(),
            scope_path: seg.scope_path.clone(),
            category: f.category.as_str().into(),
            description: f.description.trim().to_owned(),
            lat: f.location.lat,
            lon: f.location.lon,
            photos: serde_json::to_string(&f.photos).map_err(AppError::internal)?,
            works_id: None,
            status: String::new(),
            deadline: None,
            referred_to: None,
            reminded_deadline: None,
            registered_by: Some(user.id.to_string()),
            version: 1,
            found_at: f.found_at.timestamp_millis(),
            created_at: now_ms,
            updated_at: now_ms,
            closed_at: None,
        };
        row.set_state(&registered());
        db::insert(conn, &row)?;
        feed(conn, &row, seg.worker_id.as_deref(), now_ms)?;
        attachments::add_refs_new(conn, &f.photos, "road_issue", &row.id, &row.scope_path)?;
        let by = Acting {
            actor: Actor::User(user.role),
            user_id: Some(user.id.to_string()),
            device_time: Some(f.found_at),
            location: Some(f.location),
            note: "",
        };
        let payload = serde_json::json!({ "photos": f.photos, "category": f.category });
        db::insert_event(conn, &event((&row.id, 1, &row.status), "register", None, &by, now_ms, payload))?;
        let road = roads::find_road(conn, seg.road_id.parse().map_err(AppError::internal)?)?;
        let place = format!("{} {}–{} km", road.map(|r| r.code).unwrap_or_default(), seg.from_km, seg.to_km);
        let about = notify::About::RoadIssue { id: &row.id, place: &place };
        notify::send(conn, &[(Role::RoadStation, NoticeKind::NewFinding)], about, &row.scope_path, now_ms)?;
    }
    Ok(())
}

/// Applies an action to a loaded issue in the caller's transaction: the shared machine with road
/// roles, the version guard, the timeline entry and notifications.
pub fn transition(
    conn: &mut DbConn,
    full: IssueFull,
    action: &HazardAction,
    by: &Acting<'_>,
    now: DateTime<Utc>,
    policy: &DeadlinePolicy,
) -> Result<IssueRow, AppError> {
    let place = full.place();
    let mut row = full.row;
    let t = apply_road(&row.state()?, action, by.actor, now, policy).map_err(|r: Refusal| AppError::new(r.into()))?;
    let (old_version, from) = (row.version, row.status.clone());
    row.set_state(&t.state);
    row.version += 1;
    row.updated_at = now.timestamp_millis();
    if t.state.status == HazardStatus::Closed {
        row.closed_at = Some(row.updated_at);
    }
    if !db::update_if_version(conn, &row, old_version)? {
        return Err(AppError::new(ErrorCode::StaleVersion));
    }
    feed(conn, &row, full.worker_id.as_deref(), row.updated_at)?;
    attachments::add_refs(conn, evidence(action), "road_issue", &row.id, &row.scope_path)?;
    db::insert_event(conn, &action_event((&row.id, row.version, &row.status), action, &from, by, row.updated_at)?)?;
    let about = notify::About::RoadIssue { id: &row.id, place: &place };
    notify::send(conn, &t.notices, about, &row.scope_path, row.updated_at)?;
    Ok(row)
}

fn detail_of(
    conn: &mut DbConn,
    user: &AuthUser,
    id: RoadIssueId,
    now: DateTime<Utc>,
) -> Result<RoadIssueDetail, AppError> {
    let full = find_visible(conn, user, id)?;
    let issue = full.row.to_dto(&full.road_id)?;
    Ok(RoadIssueDetail {
        allowed_actions: allowed_road_actions(&issue.state, user.role, now),
        timeline: db::timeline(conn, &full.row.id)?,
        place: full.place(),
        issue,
    })
}

/// An issue with its timeline and the caller's allowed actions.
pub async fn detail(state: &AppState, user: &AuthUser, id: RoadIssueId) -> Result<RoadIssueDetail, AppError> {
    let user = user.clone();
    let now = state.clock.now();
    state.db.read(move |conn| detail_of(conn, &user, id, now)).await
}

/// Takes an action in the caller's transaction. With `revalidate` (an operation made offline), a
/// version that moved meanwhile is not refused: the machine decides on the current state.
pub fn act_in(
    conn: &mut DbConn,
    user: &AuthUser,
    id: RoadIssueId,
    req: &xunjian_shared::hazard::ActOnHazard,
    revalidate: bool,
    now: DateTime<Utc>,
    policy: &DeadlinePolicy,
) -> Result<RoadIssueDetail, AppError> {
    if let Some(loc) = &req.location {
        loc.validate().map_err(|e| AppError::validation("location", e))?;
    }
    if req.note.chars().count() > 2000 {
        return Err(AppError::validation("note", "at most 2000 characters"));
    }
    let full = find_visible(conn, user, id)?;
    if full.row.version != req.expected_version && !revalidate {
        return Err(AppError::with_detail(ErrorCode::StaleVersion, format!("current version is {}", full.row.version)));
    }
    let by = Acting {
        actor: Actor::User(user.role),
        user_id: Some(user.id.to_string()),
        device_time: req.device_time,
        location: req.location,
        note: &req.note,
    };
    transition(conn, full, &req.action, &by, now, policy)?;
    detail_of(conn, user, id, now)
}

/// The issue's detail if it moved past `seen` (for reporting an offline action's conflict).
pub fn moved_since(
    conn: &mut DbConn,
    user: &AuthUser,
    id: RoadIssueId,
    seen: i64,
    now: DateTime<Utc>,
) -> Result<Option<RoadIssueDetail>, AppError> {
    match detail_of(conn, user, id, now) {
        Ok(d) if d.issue.version != seen => Ok(Some(d)),
        Ok(_) | Err(AppError { code: ErrorCode::NotFound, .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Takes an action on a road issue for a signed-in user.
pub async fn act(
    state: &AppState,
    user: &AuthUser,
    id: RoadIssueId,
    req: xunjian_shared::hazard::ActOnHazard,
) -> Result<RoadIssueDetail, AppError> {
    let user = user.clone();
    let now = state.clock.now();
    let policy = state.deadlines.clone();
    state.db.write(move |conn| act_in(conn, &user, id, &req, false, now, &policy)).await
}

/// Filters of the road issue list.
#[derive(Default)]
pub struct IssueQuery {
    pub org_unit_id: Option<OrgUnitId>,
    pub statuses: Vec<HazardStatus>,
    pub referred_to: Option<ReferralTarget>,
    pub segment_id: Option<SegmentId>,
    pub limit: i64,
    pub offset: i64,
}

/// Road issues in scope (a patrol worker: the ones they found), newest first.
pub async fn list(state: &AppState, user: &AuthUser, q: IssueQuery) -> Result<RoadIssuePage, AppError> {
    let user = user.clone();
    state
        .db
        .read(move |conn| {
            let f = IssueFilter {
                path_prefix: scope::narrow(conn, &user, q.org_unit_id)?,
                statuses: q.statuses,
                referred_to: q.referred_to,
                registered_by: (user.role == Role::PatrolWorker).then(|| user.id.to_string()),
                segment_id: q.segment_id.map(|s| s.to_string()),
                limit: q.limit,
                offset: q.offset,
            };
            let (rows, total, counts) = db::list(conn, &f)?;
            Ok(RoadIssuePage {
                items: rows.iter().map(|(r, road)| r.to_dto(road)).collect::<Result<_, _>>()?,
                total,
                by_status: counts.into_iter().filter_map(|(s, n)| HazardStatus::parse(&s).map(|s| (s, n))).collect(),
            })
        })
        .await
}

/// Files works in the road area (报备); with `issue_id`, links an unfiled-works finding to it.
pub async fn file_works(state: &AppState, user: &AuthUser, req: FileWorks) -> Result<Works, AppError> {
    if !may_manage_works(user.role) {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    req.validate().map_err(|(field, msg)| AppError::validation(field, msg))?;
    let user = user.clone();
    let now = state.now_ms();
    state
        .db
        .write(move |conn| {
            let seg = roads::find_segment(conn, req.segment_id)?
                .filter(|s| user.can_see(&s.scope_path))
                .ok_or_else(|| AppError::with_detail(ErrorCode::NotFound, "segment_id"))?;
            let id = req.id.unwrap_or_default();
            if db::find_works(conn, &id.to_string())?.is_some() {
                return Err(AppError::with_detail(ErrorCode::AlreadyExists, "id"));
            }
            let linked = match req.issue_id {
                Some(issue) => {
                    let full = find_visible(conn, &user, issue)
                        .map_err(|_| AppError::with_detail(ErrorCode::NotFound, "issue_id"))?;
                    if full.row.works_id.is_some() {
                        return Err(AppError::with_detail(
                            ErrorCode::Conflict,
                            "the finding is already linked to a filing",
                        ));
                    }
                    Some(full.row)
                }
                None => None,
            };
            let row = WorksRow {
                id: id.to_string(),
                segment_id: seg.id.clone(),
                scope_path: seg.scope_path.clone(),
                kind: req.kind.as_str().into(),
                applicant: req.applicant.trim().into(),
                description: req.description.trim().into(),
                planned_from: req.planned_from.to_string(),
                planned_to: req.planned_to.to_string(),
                lat: req.location.map(|l| l.lat),
                lon: req.location.map(|l| l.lon),
                issue_id: req.issue_id.map(|i| i.to_string()),
                status: WorksStatus::Requested.as_str().into(),
                decision_note: String::new(),
                filed_by: Some(user.id.to_string()),
                decided_by: None,
                version: 1,
                created_at: now,
                decided_at: None,
                done_at: None,
            };
            db::insert_works(conn, &row)?;
            if let Some(issue) = linked {
                db::link_works(conn, &issue.id, &row.id)?;
                changes::scoped(conn, Kind::RoadIssue, &issue.id, &issue.scope_path, now)?;
            }
            row.to_dto(&seg.township_id)
        })
        .await
}

/// Approves, refuses or completes a filing.
pub async fn act_on_works(state: &AppState, user: &AuthUser, id: WorksId, req: ActOnWorks) -> Result<Works, AppError> {
    let user = user.clone();
    let now = state.now_ms();
    state
        .db
        .write(move |conn| {
            let (mut row, township) = db::find_works(conn, &id.to_string())?
                .filter(|(w, _)| user.can_see(&w.scope_path))
                .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
            if row.version != req.expected_version {
                return Err(AppError::with_detail(
                    ErrorCode::StaleVersion,
                    format!("current version is {}", row.version),
                ));
            }
            let status = WorksStatus::parse(&row.status)
                .ok_or_else(|| AppError::internal(std::io::Error::other("corrupt road_works.status")))?;
            let next = works_next(status, &req.action, user.role).map_err(|r| AppError::new(r.into()))?;
            match &req.action {
                WorksAction::Approve { conditions } => {
                    row.decision_note = conditions.trim().into();
                    (row.decided_by, row.decided_at) = (Some(user.id.to_string()), Some(now));
                }
                WorksAction::Refuse { reason } => {
                    row.decision_note = reason.trim().into();
                    (row.decided_by, row.decided_at) = (Some(user.id.to_string()), Some(now));
                }
                WorksAction::Complete => row.done_at = Some(now),
            }
            row.status = next.as_str().into();
            row.version += 1;
            if !db::update_works_if_version(conn, &row, req.expected_version)? {
                return Err(AppError::new(ErrorCode::StaleVersion));
            }
            row.to_dto(&township)
        })
        .await
}

/// Filings in scope, newest first.
pub async fn list_works(
    state: &AppState,
    user: &AuthUser,
    org_unit_id: Option<OrgUnitId>,
    status: Option<WorksStatus>,
) -> Result<Vec<Works>, AppError> {
    if user.role == Role::PatrolWorker || user.role == Role::GridWorker {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let user = user.clone();
    state
        .db
        .read(move |conn| {
            let path = scope::narrow(conn, &user, org_unit_id)?;
            db::list_works(conn, &path, status, 500)?.iter().map(|(w, t)| w.to_dto(t)).collect()
        })
        .await
}

/// One pass of the overdue rule over road issues (the scheduler's, like hazards'): each in its
/// own transaction guarded by its version, so it happens exactly once.
pub fn mark_overdue(
    db: &crate::db::Db,
    now: DateTime<Utc>,
    policy: &DeadlinePolicy,
    batch: i64,
) -> Result<usize, AppError> {
    let candidates = db::past_deadline(&mut *db.conn()?, now.timestamp_millis(), batch)?;
    let mut moved = 0;
    for c in candidates {
        let done = db.write_blocking(|conn| {
            let Some(full) = db::find_full(conn, &c.id)? else { return Ok(false) };
            if full.row.version != c.version {
                return Ok(false);
            }
            let by = Acting {
                actor: Actor::System,
                user_id: None,
                device_time: None,
                location: None,
                note: "逾期未整改，转入限时督办",
            };
            match transition(conn, full, &HazardAction::MarkOverdue, &by, now, policy) {
                Ok(_) => Ok(true),
                Err(e) if crate::scheduler::lost_race(&e) => Ok(false),
                Err(e) => Err(e),
            }
        })?;
        moved += usize::from(done);
    }
    Ok(moved)
}
