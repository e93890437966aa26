//! Road issues on the server: findings registered from patrols, actions through the shared hazard
//! machine with road roles (`xunjian_shared::road::issue`), the timeline, lists and notifications.
//! The works filings that unfiled-works findings link to are in `road_works`.

use super::lifecycle::{self, event, Acting, Machine, Tracked};
use super::{notify, scope};
use crate::auth::AuthUser;
use crate::db::changes::{self, Audience, Kind};
use crate::db::road_issues::{self as db, IssueFilter, IssueFull, IssueRow};
use crate::db::roads::SegmentRow;
use crate::db::timelines::Timeline;
use crate::db::{attachments, roads, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use xunjian_shared::hazard::{ActionKind, HazardState, HazardStatus, NoticeKind, ReferralTarget};
use xunjian_shared::road::issue::{
    allowed_road_actions, apply_road, registered, RoadFinding, RoadIssueDetail, RoadIssuePage,
};
use xunjian_shared::{ErrorCode, OrgUnitId, PatrolId, Role, SegmentId};

/// A road issue in the shared lifecycle, with road roles: a patrol worker sees the ones they found
/// or on their segments, others the ones in their scope; the feed reaches the township's users,
/// the segment's worker and the finder.
impl Tracked for IssueFull {
    type Detail = RoadIssueDetail;
    const NOUN: &'static str = "road issue";
    const OWNER: &'static str = "road_issue";
    const MACHINE: Machine = apply_road;
    const ALLOWED: fn(&HazardState, Role, DateTime<Utc>) -> Vec<ActionKind> = allowed_road_actions;
    const TIMELINE: Timeline = Timeline::RoadIssues;

    lifecycle::row_accessors!();

    fn find(conn: &mut DbConn, id: &str) -> Result<Option<Self>, AppError> {
        db::find_full(conn, id)
    }
    fn visible_to(&self, conn: &mut DbConn, user: &AuthUser) -> Result<bool, AppError> {
        let me = user.id.to_string();
        Ok(if user.role == Role::PatrolWorker {
            self.row.registered_by == Some(user.id) || self.worker_id.as_deref() == Some(me.as_str())
        } else if let Some(to) = ReferralTarget::grant_of(user.role) {
            db::is_granted(conn, self.row.id, to)?
        } else {
            user.can_see(&self.row.scope_path)
        })
    }
    fn scope_path(&self) -> &str {
        &self.row.scope_path
    }
    fn save_if_version(&self, conn: &mut DbConn, old_version: i64) -> Result<bool, AppError> {
        db::update_if_version(conn, &self.row, old_version)
    }
    fn feed(&self, conn: &mut DbConn, at: i64) -> Result<(), AppError> {
        feed(conn, &self.row, self.worker_id.as_deref(), at)
    }
    /// A notice for the patrol workers goes to the finder and the segment's worker, not to every
    /// patrol worker of the township; one for a unit's role (the road station, the receiver of a
    /// referral) to that role's users over the township.
    fn tell(&self, conn: &mut DbConn, notices: &[(Role, NoticeKind)], at: i64) -> Result<(), AppError> {
        let place = self.place();
        let about = notify::About::RoadIssue { id: self.row.id, place: &place };
        let people = self.people(conn)?;
        let mut to: Vec<(String, NoticeKind)> = Vec::new();
        for (role, kind) in notices {
            if *role == Role::PatrolWorker {
                to.extend(people.iter().map(|p| (p.clone(), *kind)));
            } else {
                to.extend(notify::users_over(conn, *role, &self.row.scope_path)?.into_iter().map(|u| (u, *kind)));
            }
        }
        notify::send_to(conn, &to, about, at).map(drop)
    }
    fn past_deadline(conn: &mut DbConn, now: i64, limit: i64) -> Result<Vec<(String, i64)>, AppError> {
        db::past_deadline(conn, now, limit)
    }
    fn current(&self) -> Result<serde_json::Value, AppError> {
        serde_json::to_value(self.row.to_dto(&self.road_id)?).map_err(AppError::internal)
    }
    fn detail(self, conn: &mut DbConn, user: &AuthUser, now: DateTime<Utc>) -> Result<RoadIssueDetail, AppError> {
        let issue = self.row.to_dto(&self.road_id)?;
        let (responsible, candidates) = super::roadside::issue_parts(conn, user, &self)?;
        Ok(RoadIssueDetail {
            allowed_actions: IssueFull::ALLOWED(&issue.state, user.role, now),
            timeline: Timeline::RoadIssues.of(conn, &self.row.id.to_string())?,
            place: self.place(),
            issue,
            responsible,
            candidates,
        })
    }
}

impl IssueFull {
    /// The patrol workers a road issue concerns: the finder and the segment's worker (active ones).
    fn people(&self, conn: &mut DbConn) -> Result<Vec<String>, AppError> {
        let ids: Vec<String> =
            self.row.registered_by.map(|u| u.to_string()).into_iter().chain(self.worker_id.clone()).collect();
        notify::active_users(conn, &ids)
    }
}

/// Records the change for the township's users, the segment's worker and the finder.
fn feed(conn: &mut DbConn, row: &IssueRow, worker: Option<&str>, at: i64) -> Result<(), AppError> {
    let id = row.id.to_string();
    changes::scoped(conn, Kind::RoadIssue, &id, &row.scope_path, at)?;
    let mut people: Vec<String> =
        worker.map(str::to_owned).into_iter().chain(row.registered_by.map(|u| u.to_string())).collect();
    people.dedup();
    for p in people {
        changes::record(conn, Kind::RoadIssue, &id, &Audience::User(p), false, at)?;
    }
    Ok(())
}

/// Registers findings as road issues in the caller's transaction — a patrol's (`patrol_id`) or the
/// road station's own (none); each is on one of `segments` and tells the township road station.
pub fn register_findings(
    conn: &mut DbConn,
    user: &AuthUser,
    patrol_id: Option<PatrolId>,
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
            id: f.id,
            patrol_id,
            segment_id: f.segment_id,
            scope_path: seg.scope_path.clone(),
            category: f.category,
            description: f.description.trim().to_owned(),
            lat: f.location.lat,
            lon: f.location.lon,
            photos: serde_json::to_string(&f.photos).map_err(AppError::internal)?,
            works_id: None,
            status: registered().status,
            deadline: None,
            referred_to: None,
            reminded_deadline: None,
            registered_by: Some(user.id),
            version: 1,
            found_at: f.found_at.timestamp_millis(),
            created_at: now_ms,
            updated_at: now_ms,
            closed_at: None,
        };
        row.set_state(&registered());
        db::insert(conn, &row)?;
        feed(conn, &row, seg.worker_id.as_deref(), now_ms)?;
        let id = row.id.to_string();
        attachments::add_refs_new(conn, &f.photos, "road_issue", &id, &row.scope_path)?;
        let by = Acting::user(user, Some(f.found_at), Some(f.location), "");
        let payload = serde_json::json!({ "photos": f.photos, "category": f.category });
        Timeline::RoadIssues
            .insert(conn, &[event((&id, 1, row.status.as_str()), "register", None, &by, now_ms, payload)])?;
        let road = roads::find_road(conn, seg.road_id.parse().map_err(AppError::internal)?)?;
        let place = format!("{} {}–{} km", road.map(|r| r.code).unwrap_or_default(), seg.from_km, seg.to_km);
        let about = notify::About::RoadIssue { id: row.id, place: &place };
        notify::send(conn, &[(Role::RoadStation, NoticeKind::NewFinding)], about, &row.scope_path, now_ms)?;
    }
    Ok(())
}

/// How far ahead of the server's clock a finding's time may be (a device's clock drifts).
const CLOCK_SKEW_MINUTES: i64 = 5;

/// The road station registers a road issue it found itself (第十八条: the station patrols the
/// roads and stops and reports what harms them) on a segment of its township. The same request
/// again (same id, same finding, same station account) answers the issue as registered, `false`;
/// another finding under a used id is 409 `already_exists`.
pub async fn register(
    state: &AppState,
    user: &AuthUser,
    req: RoadFinding,
) -> Result<(bool, RoadIssueDetail), AppError> {
    if user.role != Role::RoadStation {
        return Err(AppError::new(ErrorCode::Forbidden));
    }
    let now = state.clock.now();
    req.validate().map_err(|(field, why)| AppError::validation(field, why))?;
    if req.found_at > now + chrono::Duration::minutes(CLOCK_SKEW_MINUTES) {
        return Err(AppError::validation("found_at", "is in the future"));
    }
    let user = user.clone();
    state
        .db
        .write(move |conn| {
            let id = req.id.to_string();
            if let Some(old) = db::find_full(conn, &id)? {
                let same = old.row.registered_by == Some(user.id)
                    && old.row.patrol_id.is_none()
                    && old.row.segment_id == req.segment_id
                    && old.row.category == req.category
                    && old.row.description == req.description.trim();
                if !same {
                    return Err(AppError::with_detail(ErrorCode::AlreadyExists, "id"));
                }
                return Ok((false, old.detail(conn, &user, now)?));
            }
            let seg = roads::find_segment(conn, req.segment_id)?
                .filter(|s| user.can_see(&s.scope_path))
                .ok_or_else(|| AppError::with_detail(ErrorCode::OutOfScope, "segment_id"))?;
            register_findings(conn, &user, None, &[req], std::slice::from_ref(&seg), now)?;
            let full = lifecycle::find_visible::<IssueFull>(conn, &user, &id)?;
            Ok((true, full.detail(conn, &user, now)?))
        })
        .await
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
            // A receiving-only role (the traffic police) lists what is granted to it, county-wide.
            let granted_to = ReferralTarget::grant_of(user.role);
            let f = IssueFilter {
                path_prefix: if granted_to.is_some() {
                    String::new()
                } else {
                    scope::narrow(conn, &user, q.org_unit_id)?
                },
                granted_to,
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
