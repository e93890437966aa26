//! `/api/v1/auth/*` and `/api/v1/me`.

use super::extractors::client_ip;
use super::extractors::Json;
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::services::{auth, users};
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use xunjian_shared::auth::{LoginRequest, RefreshRequest, TokenResponse};
use xunjian_shared::user::Me;
use xunjian_shared::Problem;

/// Whether to trust proxy headers for the client address.
pub struct TrustProxy(pub bool);

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/login", web::post().to(login))
        .route("/auth/refresh", web::post().to(refresh))
        .route("/auth/logout", web::post().to(logout))
        .route("/me", web::get().to(me))
        .route("/me/password", web::post().to(change_password));
}

/// Log in with username and password; answers an access and a refresh token.
#[utoipa::path(post, path = "/api/v1/auth/login", operation_id = "login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse),
        (status = 401, description = "invalid_credentials (same for unknown user and wrong password)", body = Problem),
        (status = 403, description = "account_disabled", body = Problem),
        (status = 429, description = "too_many_attempts, with Retry-After", body = Problem)))]
pub async fn login(
    state: web::Data<AppState>,
    trust: web::Data<TrustProxy>,
    req: HttpRequest,
    body: Json<LoginRequest>,
) -> Result<web::Json<TokenResponse>, AppError> {
    let ip = client_ip(&req, trust.0);
    Ok(web::Json(auth::login(&state, body.into_inner(), &ip).await?))
}

/// Exchange a refresh token (once) for a new pair.
#[utoipa::path(post, path = "/api/v1/auth/refresh", operation_id = "refresh_tokens", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, description = "invalid_refresh_token", body = Problem)))]
pub async fn refresh(
    state: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, AppError> {
    Ok(web::Json(auth::refresh(&state, body.into_inner().refresh_token).await?))
}

/// End the session of a refresh token (idempotent).
#[utoipa::path(post, path = "/api/v1/auth/logout", operation_id = "logout", tag = "auth", request_body = RefreshRequest,
    responses((status = 204, description = "logged out")))]
pub async fn logout(state: web::Data<AppState>, body: Json<RefreshRequest>) -> Result<HttpResponse, AppError> {
    auth::logout(&state, body.into_inner().refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The current user and their chain of units.
#[utoipa::path(get, path = "/api/v1/me", operation_id = "get_me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
pub async fn me(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Me>, AppError> {
    Ok(web::Json(auth::me(&state, &user).await?))
}

/// Body of `POST /api/v1/me/password`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    /// The password policy: 8 to 128 characters, not only spaces, not the username.
    #[schema(min_length = 8, max_length = 128)]
    pub new_password: String,
}

/// Change one's own password; every session of the account ends (log in again).
#[utoipa::path(post, path = "/api/v1/me/password", operation_id = "change_own_password", tag = "auth", security(("bearer" = [])), request_body = ChangePassword,
    responses((status = 204, description = "changed"), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn change_password(
    state: web::Data<AppState>,
    trust: web::Data<TrustProxy>,
    req: HttpRequest,
    user: AuthUser,
    body: Json<ChangePassword>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let ip = client_ip(&req, trust.0);
    users::change_own_password(&state, &user, b.current_password, b.new_password, &ip).await?;
    Ok(HttpResponse::NoContent().finish())
}
