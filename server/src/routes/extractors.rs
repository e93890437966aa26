//! Request parsing rules: size limits and every parse failure as a 4xx problem document.

use crate::error::AppError;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{web, HttpRequest};
use xunjian_shared::ErrorCode;

/// JSON bodies: bounded, `application/json` required, serde's message (field names only) as detail.
pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default().limit(limit).error_handler(|err, _req| json_error(err).into())
}

fn json_error(err: JsonPayloadError) -> AppError {
    match err {
        JsonPayloadError::Overflow { limit } => {
            AppError::with_detail(ErrorCode::PayloadTooLarge, format!("limit is {limit} bytes"))
        }
        JsonPayloadError::OverflowKnownLength { length, limit } => {
            AppError::with_detail(ErrorCode::PayloadTooLarge, format!("{length} bytes sent, limit is {limit}"))
        }
        JsonPayloadError::ContentType => AppError::new(ErrorCode::UnsupportedMediaType),
        JsonPayloadError::Deserialize(e) => AppError::with_detail(ErrorCode::InvalidJson, e.to_string()),
        other => AppError::with_detail(ErrorCode::InvalidJson, other.to_string()),
    }
}

/// Query strings that do not parse are 400 `invalid_parameter`.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err: QueryPayloadError, _req| {
        AppError::with_detail(ErrorCode::InvalidParameter, err.to_string()).into()
    })
}

/// Path segments that do not parse (e.g. an id that is not a UUID) are 400 `invalid_parameter`.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err: PathError, _req| {
        AppError::with_detail(ErrorCode::InvalidParameter, err.to_string()).into()
    })
}

/// Unknown API paths: a problem document, not the web app's index page.
pub async fn api_not_found(req: HttpRequest) -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::with_detail(ErrorCode::NotFound, req.path().to_owned()))
}

/// The client address for throttling: the peer, or the proxy's `X-Forwarded-For` when trusted.
pub fn client_ip(req: &HttpRequest, trust_proxy: bool) -> String {
    let info = req.connection_info();
    let addr = if trust_proxy { info.realip_remote_addr() } else { info.peer_addr() };
    let addr = addr.unwrap_or("unknown");
    // Drop the port so one client is one key.
    match addr.parse::<std::net::SocketAddr>() {
        Ok(sa) => sa.ip().to_string(),
        Err(_) => addr.to_owned(),
    }
}
