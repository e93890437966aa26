//! `/api/v1/premises`: the ledger.

use super::extractors::Json;
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::services::premises::{self, LedgerQuery};
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use xunjian_shared::inspection::Inspection;
use xunjian_shared::premise::{CreatePremise, Premise, PremiseChange, PremisePage, PremiseType, UpdatePremise};
use xunjian_shared::{OrgUnitId, PremiseId, Problem};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/premises", web::get().to(list))
        .route("/premises", web::post().to(create))
        .route("/premises/{id}", web::get().to(get))
        .route("/premises/{id}", web::patch().to(update))
        .route("/premises/{id}/history", web::get().to(history))
        .route("/premises/{id}/inspections", web::get().to(inspections));
}

/// Filters of `GET /api/v1/premises`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PremiseQuery {
    /// Only premises under this unit (township, village or grid) inside the caller's scope.
    pub org_unit_id: Option<OrgUnitId>,
    /// Only this type.
    pub premise_type: Option<PremiseType>,
    /// Only active (true) or inactive (false) premises.
    pub active: Option<bool>,
    /// Part of the name, address or responsible person.
    pub q: Option<String>,
    /// Page size, 1–500 (default 100).
    pub limit: Option<i64>,
    /// Rows to skip.
    pub offset: Option<i64>,
}

/// The ledger in the caller's scope, by name.
#[utoipa::path(get, path = "/api/v1/premises", operation_id = "list_premises", tag = "premises", security(("bearer" = [])), params(PremiseQuery),
    responses((status = 200, body = PremisePage), (status = 403, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<PremiseQuery>,
) -> Result<web::Json<PremisePage>, AppError> {
    let q = q.into_inner();
    let query = LedgerQuery {
        org_unit_id: q.org_unit_id,
        premise_type: q.premise_type,
        active: q.active,
        q: q.q,
        limit: q.limit.unwrap_or(100).clamp(1, 500),
        offset: q.offset.unwrap_or(0).max(0),
    };
    Ok(web::Json(premises::list(&state, &user, query).await?))
}

/// Register a premise in a grid of the caller's scope.
#[utoipa::path(post, path = "/api/v1/premises", operation_id = "create_premise", tag = "premises", security(("bearer" = [])), request_body = CreatePremise,
    responses((status = 201, body = Premise), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<CreatePremise>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(premises::create(&state, &user, body.into_inner()).await?))
}

/// One premise.
#[utoipa::path(get, path = "/api/v1/premises/{id}", operation_id = "get_premise", tag = "premises", security(("bearer" = [])),
    responses((status = 200, body = Premise), (status = 404, body = Problem)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<PremiseId>,
) -> Result<web::Json<Premise>, AppError> {
    Ok(web::Json(premises::get(&state, &user, id.into_inner()).await?))
}

/// Edit, move or deactivate a premise; `expected_version` guards against overwriting a newer edit.
#[utoipa::path(patch, path = "/api/v1/premises/{id}", operation_id = "update_premise", tag = "premises", security(("bearer" = [])), request_body = UpdatePremise,
    responses((status = 200, body = Premise), (status = 404, body = Problem), (status = 409, description = "stale_version", body = Problem)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<PremiseId>,
    body: Json<UpdatePremise>,
) -> Result<web::Json<Premise>, AppError> {
    Ok(web::Json(premises::update(&state, &user, id.into_inner(), body.into_inner()).await?))
}

/// Every change to a premise, oldest first.
#[utoipa::path(get, path = "/api/v1/premises/{id}/history", operation_id = "get_premise_history", tag = "premises", security(("bearer" = [])),
    responses((status = 200, body = Vec<PremiseChange>), (status = 404, body = Problem)))]
pub async fn history(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<PremiseId>,
) -> Result<web::Json<Vec<PremiseChange>>, AppError> {
    Ok(web::Json(premises::history(&state, &user, id.into_inner()).await?))
}

/// A premise's inspections, newest first.
#[utoipa::path(get, path = "/api/v1/premises/{id}/inspections", operation_id = "list_premise_inspections", tag = "premises", security(("bearer" = [])),
    responses((status = 200, body = Vec<Inspection>), (status = 404, body = Problem)))]
pub async fn inspections(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<PremiseId>,
) -> Result<web::Json<Vec<Inspection>>, AppError> {
    Ok(web::Json(premises::inspections_of(&state, &user, id.into_inner()).await?))
}
