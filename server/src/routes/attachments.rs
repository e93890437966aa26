//! `/api/v1/attachments/{sha256}`: content-addressed photo upload and download.

use crate::auth::AuthUser;
use crate::error::AppError;
use crate::services::attachments;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use xunjian_shared::{ErrorCode, PhotoRef, Problem};

pub fn routes(cfg: &mut web::ServiceConfig, max_bytes: usize) {
    cfg.service(
        web::resource("/attachments/{sha256}")
            // The byte limit is checked by the service (a clear 413); this only stops runaway bodies.
            .app_data(web::PayloadConfig::new(max_bytes + 1024))
            .route(web::put().to(upload))
            .route(web::get().to(download)),
    );
}

fn sha_of(raw: &str) -> Result<PhotoRef, AppError> {
    PhotoRef::try_from(raw.to_owned()).map_err(|e| AppError::with_detail(ErrorCode::InvalidParameter, e))
}

/// Upload a photo under the SHA-256 of its bytes (JPEG, PNG or WebP). Uploading it again is a no-op.
#[utoipa::path(put, path = "/api/v1/attachments/{sha256}", operation_id = "upload_photo", tag = "sync", security(("bearer" = [])),
    params(("sha256" = String, Path, description = "SHA-256 of the bytes", pattern = "^[0-9a-f]{64}$")),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses((status = 201, description = "stored"), (status = 200, description = "already stored"),
        (status = 413, body = Problem), (status = 415, description = "unsupported_file_type", body = Problem),
        (status = 422, description = "hash_mismatch", body = Problem)))]
pub async fn upload(
    state: web::Data<AppState>,
    user: AuthUser,
    sha: web::Path<String>,
    body: Result<web::Bytes, actix_web::Error>,
) -> Result<HttpResponse, AppError> {
    let sha = sha_of(&sha)?;
    let body = body.map_err(|e| super::extractors::body_error(e, state.attachment_max_bytes))?;
    let new = attachments::upload(&state, &user, sha, body).await?;
    Ok(if new { HttpResponse::Created().finish() } else { HttpResponse::Ok().finish() })
}

/// Download a photo referenced by a record in the caller's scope (404 otherwise, and while pending).
#[utoipa::path(get, path = "/api/v1/attachments/{sha256}", operation_id = "download_photo", tag = "sync", security(("bearer" = [])),
    params(("sha256" = String, Path, description = "SHA-256 of the bytes", pattern = "^[0-9a-f]{64}$")),
    responses((status = 200, description = "the image"), (status = 404, body = Problem)))]
pub async fn download(
    state: web::Data<AppState>,
    user: AuthUser,
    sha: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let sha = sha_of(&sha)?;
    let (bytes, mime) = attachments::download(&state, &user, sha).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, mime))
        .insert_header((header::CACHE_CONTROL, "private, max-age=31536000, immutable"))
        .body(bytes))
}
