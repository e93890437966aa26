//! `/api/v1/templates`: the county's checklists.

use super::extractors::Json;
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::services::templates;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use xunjian_shared::checklist::{Template, TemplateContent};
use xunjian_shared::premise::PremiseType;
use xunjian_shared::{Problem, TemplateId};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/templates", web::get().to(list))
        .route("/templates", web::post().to(publish))
        .route("/templates/{id}", web::get().to(get));
}

/// Filters of `GET /api/v1/templates`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TemplateQuery {
    /// Every version of this type, newest first (default: the latest of every type).
    pub premise_type: Option<PremiseType>,
}

/// The latest checklist of every premise type, or every version of one type.
#[utoipa::path(get, path = "/api/v1/templates", operation_id = "list_templates", tag = "templates", security(("bearer" = [])), params(TemplateQuery),
    responses((status = 200, body = Vec<Template>)))]
pub async fn list(
    state: web::Data<AppState>,
    _user: AuthUser,
    q: web::Query<TemplateQuery>,
) -> Result<web::Json<Vec<Template>>, AppError> {
    Ok(web::Json(match q.premise_type {
        Some(pt) => templates::versions(&state, pt).await?,
        None => templates::latest(&state).await?,
    }))
}

/// One template version.
#[utoipa::path(get, path = "/api/v1/templates/{id}", operation_id = "get_template", tag = "templates", security(("bearer" = [])),
    responses((status = 200, body = Template), (status = 404, body = Problem)))]
pub async fn get(
    state: web::Data<AppState>,
    _user: AuthUser,
    id: web::Path<TemplateId>,
) -> Result<web::Json<Template>, AppError> {
    Ok(web::Json(templates::get(&state, id.into_inner()).await?))
}

/// Publish a new version of a premise type's checklist (county_admin).
#[utoipa::path(post, path = "/api/v1/templates", operation_id = "publish_template", tag = "templates", security(("bearer" = [])), request_body = TemplateContent,
    responses((status = 201, body = Template), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn publish(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<TemplateContent>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(templates::publish(&state, &user, body.into_inner()).await?))
}
