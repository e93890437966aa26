//! Works filings in the road area (先报备、再批复、后实施, 第五条): filed, routed by road level, decided
//! and done; an unfiled-works road issue links to its filing.

use super::lifecycle;
use super::scope;
use crate::auth::AuthUser;
use crate::db::changes::{self, Kind};
use crate::db::road_issues::{self as db, IssueFull, WorksRow};
use crate::db::roads;
use crate::error::AppError;
use crate::state::AppState;
use xunjian_shared::road::works::{
    filed_with, may_decide_works, may_manage_works, works_next, ActOnWorks, FileWorks, Works, WorksAction, WorksStatus,
};
use xunjian_shared::road::{ResponsibleUnit, RoadLevel};
use xunjian_shared::{ErrorCode, OrgUnitId, Role, WorksId};

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
            let road = roads::find_road(conn, seg.road_id.parse().map_err(AppError::internal)?)?
                .ok_or_else(|| AppError::internal(std::io::Error::other("a segment without its road")))?;
            let level = RoadLevel::parse(&road.level)
                .ok_or_else(|| AppError::internal(std::io::Error::other("corrupt roads.level")))?;
            let id = req.id.unwrap_or_default();
            if db::find_works(conn, &id.to_string())?.is_some() {
                return Err(AppError::with_detail(ErrorCode::AlreadyExists, "id"));
            }
            let linked = match req.issue_id {
                Some(issue) => {
                    let full: IssueFull = lifecycle::find_visible(conn, &user, &issue.to_string())
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
                filed_with: filed_with(level).as_str().into(),
                approval_ref: String::new(),
            };
            db::insert_works(conn, &row)?;
            if let Some(issue) = linked {
                db::link_works(conn, issue.id, &row.id)?;
                changes::scoped(conn, Kind::RoadIssue, &issue.id.to_string(), &issue.scope_path, now)?;
            }
            row.to_dto(&seg.township_id)
        })
        .await
}

/// Approves, refuses or completes a filing.
pub async fn act_on_works(state: &AppState, user: &AuthUser, id: WorksId, req: ActOnWorks) -> Result<Works, AppError> {
    req.action.validate().map_err(|(field, why)| AppError::validation(field, why))?;
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
            let authority = ResponsibleUnit::parse(&row.filed_with)
                .ok_or_else(|| AppError::internal(std::io::Error::other("corrupt road_works.filed_with")))?;
            let next = works_next(status, &req.action, user.role, authority).map_err(|r| {
                let code: ErrorCode = r.into();
                if code == ErrorCode::RoleNotAllowed {
                    let who = if may_decide_works(Role::RoadStation, authority) {
                        "the road station or the county"
                    } else {
                        "the county"
                    };
                    AppError::with_detail(code, format!("filed with {}: decided by {who}", authority.label_zh()))
                } else {
                    AppError::new(code)
                }
            })?;
            match &req.action {
                WorksAction::Approve { conditions, approval_ref } => {
                    row.decision_note = conditions.trim().into();
                    row.approval_ref = approval_ref.trim().into();
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
