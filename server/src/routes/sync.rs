//! `/api/v1/sync/*`: the offline sync protocol (docs/sync.md).

use super::extractors::json_config;
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::services::sync;
use crate::state::AppState;
use actix_web::web;
use serde::Deserialize;
use xunjian_shared::sync::{PullResponse, PushRequest, PushResponse, MAX_PUSH_BYTES, PROTOCOL_VERSION};
use xunjian_shared::Problem;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/sync/push").app_data(json_config(MAX_PUSH_BYTES)).route(web::post().to(push)))
        .route("/sync/pull", web::get().to(pull));
}

/// Push a batch of operations from the device's outbox. Each op is applied at most once, in order,
/// and gets its own result; repeating a batch returns the same results and changes nothing.
#[utoipa::path(post, path = "/api/v1/sync/push", tag = "sync", security(("bearer" = [])), request_body = PushRequest,
    responses((status = 200, body = PushResponse), (status = 413, body = Problem), (status = 426, description = "client_outdated", body = Problem)))]
pub async fn push(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<PushRequest>,
) -> Result<web::Json<PushResponse>, AppError> {
    Ok(web::Json(sync::push(state, &user, body.into_inner()).await?))
}

/// Query of `GET /api/v1/sync/pull`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    /// The cursor from the last pull; none for a first sync.
    pub cursor: Option<String>,
    /// Page size, 1–1000 (default 500).
    pub limit: Option<i64>,
    /// The client's protocol version (default: the current one).
    pub protocol: Option<u32>,
}

/// The changes visible to the caller after the cursor, in order; pull until `has_more` is false.
#[utoipa::path(get, path = "/api/v1/sync/pull", tag = "sync", security(("bearer" = [])), params(PullQuery),
    responses((status = 200, body = PullResponse), (status = 426, description = "client_outdated", body = Problem)))]
pub async fn pull(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<PullQuery>,
) -> Result<web::Json<PullResponse>, AppError> {
    let q = q.into_inner();
    let protocol = q.protocol.unwrap_or(PROTOCOL_VERSION);
    Ok(web::Json(sync::pull(&state, &user, q.cursor, q.limit.unwrap_or(500), protocol).await?))
}
