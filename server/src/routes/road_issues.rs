//! `/api/v1/road-issues` (patrol findings carried to closed) and `/api/v1/road-works` (works
//! filings in the road area).

use super::extractors::Json;
use super::hazards::parse_statuses;
use crate::auth::AuthUser;
use crate::db::road_issues::IssueFull;
use crate::error::AppError;
use crate::services::lifecycle;
use crate::services::road_issues::{self, IssueQuery};
use crate::services::road_works;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use xunjian_shared::hazard::{ActOnHazard, ReferralTarget};
use xunjian_shared::road::issue::{RoadFinding, RoadIssueDetail, RoadIssuePage};
use xunjian_shared::road::works::{ActOnWorks, FileWorks, Works, WorksStatus};
use xunjian_shared::{OrgUnitId, Problem, RoadIssueId, SegmentId, WorksId};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/road-issues", web::get().to(list))
        .route("/road-issues", web::post().to(register))
        .route("/road-issues/{id}", web::get().to(get))
        .route("/road-issues/{id}/actions", web::post().to(act))
        .route("/road-works", web::get().to(list_works))
        .route("/road-works", web::post().to(file_works))
        .route("/road-works/{id}/actions", web::post().to(act_on_works));
}

/// Filters of `GET /api/v1/road-issues`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct IssueListQuery {
    /// Only under this unit inside the caller's scope.
    pub org_unit_id: Option<OrgUnitId>,
    /// Comma-separated statuses (the hazard statuses), e.g. `registered,referred`.
    #[param(value_type = Option<Vec<xunjian_shared::hazard::HazardStatus>>, style = Form, explode = false, min_items = 1)]
    pub status: Option<String>,
    /// Only referred to `enforcement`.
    pub referred_to: Option<ReferralTarget>,
    /// Only on this segment.
    pub segment_id: Option<SegmentId>,
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// Rows to skip.
    pub offset: Option<i64>,
}

/// Road issues in the caller's scope (a patrol worker: the ones they found), newest first.
#[utoipa::path(get, path = "/api/v1/road-issues", operation_id = "list_road_issues", tag = "roads", security(("bearer" = [])), params(IssueListQuery),
    responses((status = 200, body = RoadIssuePage), (status = 400, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<IssueListQuery>,
) -> Result<web::Json<RoadIssuePage>, AppError> {
    let q = q.into_inner();
    let query = IssueQuery {
        org_unit_id: q.org_unit_id,
        statuses: parse_statuses(q.status.as_deref())?,
        referred_to: q.referred_to,
        segment_id: q.segment_id,
        limit: q.limit.unwrap_or(50).clamp(1, 500),
        offset: q.offset.unwrap_or(0).max(0),
    };
    Ok(web::Json(road_issues::list(&state, &user, query).await?))
}

/// The road station registers a road issue it found itself (第十八条) on a segment of its township;
/// it goes through the same procedure as a patrol's finding. Sent again with the same id and
/// finding: 200 with the issue as registered.
#[utoipa::path(post, path = "/api/v1/road-issues", operation_id = "register_road_issue", tag = "roads", security(("bearer" = [])), request_body = RoadFinding,
    responses((status = 201, body = RoadIssueDetail), (status = 200, description = "already registered by this request", body = RoadIssueDetail),
        (status = 403, description = "forbidden (not a road station), out_of_scope (a segment of another township)", body = Problem),
        (status = 409, description = "already_exists: the id names another issue", body = Problem),
        (status = 422, body = Problem)))]
pub async fn register(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<RoadFinding>,
) -> Result<HttpResponse, AppError> {
    let (created, detail) = road_issues::register(&state, &user, body.into_inner()).await?;
    Ok(if created { HttpResponse::Created() } else { HttpResponse::Ok() }.json(detail))
}

/// A road issue with its timeline and the actions the caller may take now.
#[utoipa::path(get, path = "/api/v1/road-issues/{id}", operation_id = "get_road_issue", tag = "roads", security(("bearer" = [])),
    responses((status = 200, body = RoadIssueDetail), (status = 404, body = Problem)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<RoadIssueId>,
) -> Result<web::Json<RoadIssueDetail>, AppError> {
    Ok(web::Json(lifecycle::detail::<IssueFull>(&state, &user, id.to_string()).await?))
}

/// Take an action on a road issue: the hazard actions with road roles (the road station orders
/// rectification, refers to enforcement, closes; enforcement accepts, returns, records the outcome).
#[utoipa::path(post, path = "/api/v1/road-issues/{id}/actions", operation_id = "act_on_road_issue", tag = "roads", security(("bearer" = [])), request_body = ActOnHazard,
    responses((status = 200, body = RoadIssueDetail), (status = 404, body = Problem),
        (status = 409, description = "transition_not_allowed, role_not_allowed, not_the_receiver (referral to the fire brigade), stale_version", body = Problem),
        (status = 422, description = "invalid_deadline, evidence_required, reason_required", body = Problem)))]
pub async fn act(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<RoadIssueId>,
    body: Json<ActOnHazard>,
) -> Result<web::Json<RoadIssueDetail>, AppError> {
    Ok(web::Json(lifecycle::act_for::<IssueFull>(&state, &user, id.to_string(), body.into_inner()).await?))
}

/// Filters of `GET /api/v1/road-works`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct WorksListQuery {
    /// Only under this unit inside the caller's scope.
    pub org_unit_id: Option<OrgUnitId>,
    /// Only in this status.
    pub status: Option<WorksStatus>,
}

/// Works filings in the caller's scope, newest first (at most 500).
#[utoipa::path(get, path = "/api/v1/road-works", operation_id = "list_road_works", tag = "roads", security(("bearer" = [])), params(WorksListQuery),
    responses((status = 200, body = [Works]), (status = 403, body = Problem)))]
pub async fn list_works(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<WorksListQuery>,
) -> Result<web::Json<Vec<Works>>, AppError> {
    let q = q.into_inner();
    Ok(web::Json(road_works::list_works(&state, &user, q.org_unit_id, q.status).await?))
}

/// File works in the road area before approval (先报备); `issue_id` links a finding of the same
/// works done unfiled.
#[utoipa::path(post, path = "/api/v1/road-works", operation_id = "file_road_works", tag = "roads", security(("bearer" = [])), request_body = FileWorks,
    responses((status = 201, body = Works), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn file_works(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<FileWorks>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(road_works::file_works(&state, &user, body.into_inner()).await?))
}

/// Approve (再批复), refuse, or report done (后实施) a filing.
#[utoipa::path(post, path = "/api/v1/road-works/{id}/actions", operation_id = "act_on_road_works", tag = "roads", security(("bearer" = [])), request_body = ActOnWorks,
    responses((status = 200, body = Works), (status = 404, body = Problem),
        (status = 409, description = "transition_not_allowed, role_not_allowed, stale_version", body = Problem),
        (status = 422, description = "reason_required", body = Problem)))]
pub async fn act_on_works(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<WorksId>,
    body: Json<ActOnWorks>,
) -> Result<web::Json<Works>, AppError> {
    Ok(web::Json(road_works::act_on_works(&state, &user, id.into_inner(), body.into_inner()).await?))
}
