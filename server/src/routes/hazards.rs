//! `/api/v1/hazards`: the hazard loop.

use super::extractors::Json;
use crate::auth::AuthUser;
use crate::db::hazards::HazardFull;
use crate::error::AppError;
use crate::services::hazards::{self, HazardQuery};
use crate::services::lifecycle;
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
    #[param(value_type = Option<Vec<HazardStatus>>, style = Form, explode = false, min_items = 1)]
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

/// Reads `status=a,b,c`: status names exactly as the API spells them, at least one (absent: every
/// status). An empty value or an empty or padded item is refused, not read as "every status".
pub fn parse_statuses(raw: Option<&str>) -> Result<Vec<HazardStatus>, AppError> {
    let Some(raw) = raw else { return Ok(vec![]) };
    if raw.is_empty() {
        return Err(AppError::with_detail(
            ErrorCode::InvalidParameter,
            "status: empty; name at least one status, or leave the parameter out for every status",
        ));
    }
    raw.split(',')
        .map(|x| {
            HazardStatus::parse(x)
                .ok_or_else(|| AppError::with_detail(ErrorCode::InvalidParameter, format!("status: unknown '{x}'")))
        })
        .collect()
}

/// Hazards in the caller's scope, newest first, with the total and counts per status.
#[utoipa::path(get, path = "/api/v1/hazards", operation_id = "list_hazards", tag = "hazards", security(("bearer" = [])), params(HazardListQuery),
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
#[utoipa::path(get, path = "/api/v1/hazards/{id}", operation_id = "get_hazard", tag = "hazards", security(("bearer" = [])),
    responses((status = 200, body = HazardDetail), (status = 404, body = Problem)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<HazardId>,
) -> Result<web::Json<HazardDetail>, AppError> {
    Ok(web::Json(lifecycle::detail::<HazardFull>(&state, &user, id.to_string()).await?))
}

/// Take an action (order rectification, file, refer, accept, return, re-check, close, …).
/// Refused with 409 and a code when the status, the role or the version does not allow it.
#[utoipa::path(post, path = "/api/v1/hazards/{id}/actions", operation_id = "act_on_hazard", tag = "hazards", security(("bearer" = [])), request_body = ActOnHazard,
    responses((status = 200, body = HazardDetail), (status = 404, body = Problem),
        (status = 409, description = "transition_not_allowed, role_not_allowed, not_the_receiver, stale_version, no_change", body = Problem),
        (status = 422, description = "invalid_deadline, evidence_required, reason_required", body = Problem)))]
pub async fn act(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<HazardId>,
    body: Json<ActOnHazard>,
) -> Result<web::Json<HazardDetail>, AppError> {
    Ok(web::Json(lifecycle::act_for::<HazardFull>(&state, &user, id.to_string(), body.into_inner()).await?))
}

/// Register a hazard found outside an inspection (e.g. a verified public report).
#[utoipa::path(post, path = "/api/v1/hazards", operation_id = "register_hazard", tag = "hazards", security(("bearer" = [])), request_body = RegisterHazard,
    responses((status = 201, body = HazardDetail), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn register(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<RegisterHazard>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(hazards::register_reported(&state, &user, body.into_inner()).await?))
}
