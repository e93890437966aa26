//! `/api/v1/notifications`: the caller's own.

use crate::auth::AuthUser;
use crate::error::AppError;
use crate::services::notifications;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use xunjian_shared::notification::Notification;
use xunjian_shared::{NotificationId, Problem};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/today", web::get().to(today))
        .route("/notifications", web::get().to(list))
        .route("/notifications/{id}/read", web::post().to(read));
}

/// Filters of `GET /api/v1/notifications`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct NotificationQuery {
    /// Only unread ones.
    pub unread: Option<bool>,
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", operation_id = "list_notifications", tag = "notifications", security(("bearer" = [])), params(NotificationQuery),
    responses((status = 200, body = Vec<Notification>)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<NotificationQuery>,
) -> Result<web::Json<Vec<Notification>>, AppError> {
    Ok(web::Json(notifications::mine(&state, &user, q.unread.unwrap_or(false)).await?))
}

/// Mark one of the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", operation_id = "mark_notification_read", tag = "notifications", security(("bearer" = [])),
    responses((status = 204, description = "read"), (status = 404, body = Problem)))]
pub async fn read(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<NotificationId>,
) -> Result<HttpResponse, AppError> {
    notifications::mark_read(&state, &user, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// What the caller should do now: premises due for inspection in their scope, hazards waiting for
/// them (re-checks, overdue, filings, referrals, reviews), unread notifications.
#[utoipa::path(get, path = "/api/v1/today", operation_id = "get_today", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = xunjian_shared::today::Today)))]
pub async fn today(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<xunjian_shared::today::Today>, AppError> {
    Ok(web::Json(crate::services::today::today(&state, &user).await?))
}
