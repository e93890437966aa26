//! `/api/v1/hazards`: the hazard loop.

use crate::auth::AuthUser;
use crate::error::AppError;
use crate::services::hazards::{self, HazardQuery};
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use xunjian_shared::checklist::Severity;
use xunjian_shared::hazard::{ActOnHazard, HazardDetail, HazardPage, HazardStatus, ReferralTarget, RegisterHazard};
use xunjian_shared::{ErrorCode, HazardId, OrgUnitId, PremiseId, Problem};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/hazards", web::get().to(list))
        .route("/hazards", web::post().to(register))
        .route("/hazards/{id}", web::get().to(get))
        .route("/hazards/{id}/actions", web::post().to(act));
}

/// Filters of `GET /api/v1/hazards`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct HazardListQuery {
    /// Only under this unit (township, village or grid) inside the caller's scope.
    pub org_unit_id: Option<OrgUnitId>,
    /// Comma-separated statuses, e.g. `filed,supervised`.
    pub status: Option<String>,
    /// 一般 `general` or 重大 `major`.
    pub severity: Option<Severity>,
    /// Referred to `enforcement` or `fire_brigade`.
    pub referred_to: Option<ReferralTarget>,
    /// Only overdue ones (under supervision, or past a running deadline).
    pub overdue: Option<bool>,
    /// Only at this premise.
    pub premise_id: Option<PremiseId>,
    /// Registered at or after (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Registered before (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// Page size, 1–500 (default 50).
    pub limit: Option<i64>,
    /// Rows to skip.
    pub offset: Option<i64>,
}

/// Reads `status=a,b,c` (empty or absent: all statuses).
pub fn parse_statuses(raw: Option<&str>) -> Result<Vec<HazardStatus>, AppError> {
    raw.filter(|s| !s.is_empty())
        .map(|s| {
            s.split(',')
                .map(|x| {
                    HazardStatus::parse(x.trim()).ok_or_else(|| {
                        AppError::with_detail(ErrorCode::InvalidParameter, format!("status: unknown '{x}'"))
                    })
                })
                .collect()
        })
        .unwrap_or(Ok(vec![]))
}

/// Hazards in the caller's scope, newest first, with the total and counts per status.
#[utoipa::path(get, path = "/api/v1/hazards", tag = "hazards", security(("bearer" = [])), params(HazardListQuery),
    responses((status = 200, body = HazardPage), (status = 400, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<HazardListQuery>,
) -> Result<web::Json<HazardPage>, AppError> {
    let q = q.into_inner();
    let statuses = parse_statuses(q.status.as_deref())?;
    let query = HazardQuery {
        org_unit_id: q.org_unit_id,
        statuses,
        severity: q.severity,
        referred_to: q.referred_to,
        overdue: q.overdue.unwrap_or(false),
        premise_id: q.premise_id,
        from: q.from,
        to: q.to,
        limit: q.limit.unwrap_or(50).clamp(1, 500),
        offset: q.offset.unwrap_or(0).max(0),
    };
    Ok(web::Json(hazards::list(&state, &user, query).await?))
}

/// A hazard with its timeline and the actions the caller may take now.
#[utoipa::path(get, path = "/api/v1/hazards/{id}", tag = "hazards", security(("bearer" = [])),
    responses((status = 200, body = HazardDetail), (status = 404, body = Problem)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<HazardId>,
) -> Result<web::Json<HazardDetail>, AppError> {
    Ok(web::Json(hazards::detail(&state, &user, id.into_inner()).await?))
}

/// Take an action (order rectification, file, refer, accept, return, re-check, close, …).
/// Refused with 409 and a code when the status, the role or the version does not allow it.
#[utoipa::path(post, path = "/api/v1/hazards/{id}/actions", tag = "hazards", security(("bearer" = [])), request_body = ActOnHazard,
    responses((status = 200, body = HazardDetail), (status = 404, body = Problem),
        (status = 409, description = "transition_not_allowed, role_not_allowed, not_the_receiver, stale_version, no_change", body = Problem),
        (status = 422, description = "invalid_deadline, evidence_required, reason_required", body = Problem)))]
pub async fn act(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<HazardId>,
    body: web::Json<ActOnHazard>,
) -> Result<web::Json<HazardDetail>, AppError> {
    Ok(web::Json(hazards::act(&state, &user, id.into_inner(), body.into_inner()).await?))
}

/// Register a hazard found outside an inspection (e.g. a verified public report).
#[utoipa::path(post, path = "/api/v1/hazards", tag = "hazards", security(("bearer" = [])), request_body = RegisterHazard,
    responses((status = 201, body = HazardDetail), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn register(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<RegisterHazard>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(hazards::register_reported(&state, &user, body.into_inner()).await?))
}
