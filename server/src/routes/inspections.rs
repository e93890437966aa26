//! `/api/v1/inspections`.

use super::extractors::Json;
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::services::inspections;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use xunjian_shared::inspection::{Inspection, SubmitInspection};
use xunjian_shared::{InspectionId, Problem};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/inspections", web::post().to(submit)).route("/inspections/{id}", web::get().to(get));
}

/// Submit an inspection; failed items register hazards (fixed on the spot and closed, or ordered
/// to rectify by a deadline). Re-sending the same inspection answers the stored one.
#[utoipa::path(post, path = "/api/v1/inspections", operation_id = "submit_inspection", tag = "inspections", security(("bearer" = [])), request_body = SubmitInspection,
    responses((status = 201, body = Inspection), (status = 409, body = Problem), (status = 422, description = "validation_failed; detail lists the items at fault", body = Problem)))]
pub async fn submit(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<SubmitInspection>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(inspections::submit(&state, &user, body.into_inner()).await?))
}

/// One inspection.
#[utoipa::path(get, path = "/api/v1/inspections/{id}", operation_id = "get_inspection", tag = "inspections", security(("bearer" = [])),
    responses((status = 200, body = Inspection), (status = 404, body = Problem)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<InspectionId>,
) -> Result<web::Json<Inspection>, AppError> {
    Ok(web::Json(inspections::get(&state, &user, id.into_inner()).await?))
}
