//! `/api/v1/users`.

use super::extractors::Json;
use crate::auth::AuthUser;
use crate::db::users::UserFilter;
use crate::error::AppError;
use crate::services::users;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use xunjian_shared::api::List;
use xunjian_shared::user::{CreateUser, UpdateUser, User};
use xunjian_shared::{OrgUnitId, Problem, Role, UserId};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/users", web::get().to(list))
        .route("/users", web::post().to(create))
        .route("/users/{id}", web::get().to(get))
        .route("/users/{id}", web::patch().to(update))
        .route("/users/{id}/sessions", web::delete().to(revoke_sessions));
}

/// Filters of `GET /api/v1/users`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    /// Only accounts bound to this unit.
    pub org_unit_id: Option<OrgUnitId>,
    /// Only this role.
    pub role: Option<Role>,
    /// Part of the username or real name.
    pub q: Option<String>,
    /// Page size, 1–500 (default 100).
    pub limit: Option<i64>,
    /// Rows to skip.
    pub offset: Option<i64>,
}

/// Accounts in the caller's subtree, by username.
#[utoipa::path(get, path = "/api/v1/users", operation_id = "list_users", tag = "users", security(("bearer" = [])), params(UserQuery),
    responses((status = 200, body = inline(List<User>)), (status = 403, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<UserQuery>,
) -> Result<web::Json<List<User>>, AppError> {
    let q = q.into_inner();
    let filter = UserFilter {
        org_unit_id: q.org_unit_id,
        role: q.role,
        q: q.q,
        limit: q.limit.unwrap_or(100).clamp(1, 500),
        offset: q.offset.unwrap_or(0).max(0),
    };
    Ok(web::Json(List { items: users::list(&state, &user, filter).await? }))
}

/// One account in the caller's subtree.
#[utoipa::path(get, path = "/api/v1/users/{id}", operation_id = "get_user", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = User), (status = 404, body = Problem)))]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<UserId>,
) -> Result<web::Json<User>, AppError> {
    Ok(web::Json(users::get(&state, &user, id.into_inner()).await?))
}

/// Create an account of a role the caller manages, bound to a unit in their subtree.
#[utoipa::path(post, path = "/api/v1/users", operation_id = "create_user", tag = "users", security(("bearer" = [])), request_body = CreateUser,
    responses((status = 201, body = User), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<CreateUser>,
) -> Result<HttpResponse, AppError> {
    let created = users::create(&state, &user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Change, move, disable or reset the password of an account the caller manages.
#[utoipa::path(patch, path = "/api/v1/users/{id}", operation_id = "update_user", tag = "users", security(("bearer" = [])), request_body = UpdateUser,
    responses((status = 200, body = User), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<UserId>,
    body: Json<UpdateUser>,
) -> Result<web::Json<User>, AppError> {
    Ok(web::Json(users::update(&state, &user, id.into_inner(), body.into_inner()).await?))
}

/// Answer of `DELETE /api/v1/users/{id}/sessions`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Revoked {
    /// Refresh tokens revoked.
    pub revoked: usize,
}

/// Cut off every device of an account (a lost phone): refresh tokens stop at once.
#[utoipa::path(delete, path = "/api/v1/users/{id}/sessions", operation_id = "end_user_sessions", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = Revoked), (status = 404, body = Problem)))]
pub async fn revoke_sessions(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<UserId>,
) -> Result<web::Json<Revoked>, AppError> {
    Ok(web::Json(Revoked { revoked: users::revoke_sessions(&state, &user, id.into_inner()).await? }))
}
