//! `GET /healthz`: the database answers a query.

use crate::error::AppError;
use crate::state::AppState;
use actix_web::web;
use diesel::connection::SimpleConnection;
use xunjian_shared::api::Health;

/// Liveness and database check.
#[utoipa::path(get, path = "/healthz", operation_id = "healthz", tag = "system",
    responses((status = 200, body = Health), (status = 503, body = xunjian_shared::Problem)))]
pub async fn healthz(state: web::Data<AppState>) -> Result<web::Json<Health>, AppError> {
    state.db.read(|conn| conn.batch_execute("SELECT 1").map_err(AppError::unavailable)).await?;
    Ok(web::Json(Health {
        status: "ok".into(),
        database: state.db.backend().name().into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}
