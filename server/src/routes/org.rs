//! `/api/v1/org-units`.

use super::extractors::Json;
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::services::org;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use xunjian_shared::api::List;
use xunjian_shared::org::{CreateOrgUnit, OrgLevel, OrgUnit, UpdateOrgUnit};
use xunjian_shared::{OrgUnitId, Problem};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/org-units", web::get().to(list))
        .route("/org-units", web::post().to(create))
        .route("/org-units/{id}", web::get().to(get))
        .route("/org-units/{id}", web::patch().to(update));
}

/// Filters of `GET /api/v1/org-units`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UnitQuery {
    /// Only this level.
    pub level: Option<OrgLevel>,
    /// Only children of this unit.
    pub parent_id: Option<OrgUnitId>,
}

/// Units in the caller's subtree (their own unit included), by code.
#[utoipa::path(get, path = "/api/v1/org-units", operation_id = "list_org_units", tag = "org", security(("bearer" = [])), params(UnitQuery),
    responses((status = 200, body = inline(List<OrgUnit>)), (status = 401, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<UnitQuery>,
) -> Result<web::Json<List<OrgUnit>>, AppError> {
    let q = q.into_inner();
    let items = org::list(&state, &user, q.level, q.parent_id).await?;
    Ok(web::Json(List { items }))
}

/// One unit in the caller's subtree.
#[utoipa::path(get, path = "/api/v1/org-units/{id}", operation_id = "get_org_unit", tag = "org", security(("bearer" = [])),
    responses((status = 200, body = OrgUnit), (status = 404, body = Problem)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<OrgUnitId>,
) -> Result<web::Json<OrgUnit>, AppError> {
    Ok(web::Json(org::get(&state, &user, id.into_inner()).await?))
}

/// Create a unit one level below a parent in the caller's subtree (county_admin, township_office).
#[utoipa::path(post, path = "/api/v1/org-units", operation_id = "create_org_unit", tag = "org", security(("bearer" = [])), request_body = CreateOrgUnit,
    responses((status = 201, body = OrgUnit), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<CreateOrgUnit>,
) -> Result<HttpResponse, AppError> {
    let unit = org::create(&state, &user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(unit))
}

/// Rename, re-code, activate or deactivate a unit below the caller's own.
#[utoipa::path(patch, path = "/api/v1/org-units/{id}", operation_id = "update_org_unit", tag = "org", security(("bearer" = [])), request_body = UpdateOrgUnit,
    responses((status = 200, body = OrgUnit), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<OrgUnitId>,
    body: Json<UpdateOrgUnit>,
) -> Result<web::Json<OrgUnit>, AppError> {
    Ok(web::Json(org::update(&state, &user, id.into_inner(), body.into_inner()).await?))
}
