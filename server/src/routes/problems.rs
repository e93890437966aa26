//! Every error answer is a problem document, whoever makes it: the handlers answer `AppError`s,
//! and what actix makes itself (a body over a `PayloadConfig` limit, a method a resource lacks, a
//! static file's range error) is rewritten here. A method the path does not have is 405 with an
//! `Allow` header read from the OpenAPI document — the one list of what each path takes.

use super::openapi::document_json;
use crate::error::AppError;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use std::sync::OnceLock;
use xunjian_shared::ErrorCode;

/// The middleware: wraps the whole app.
pub fn middleware<B: 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(rewrite)
}

fn is_problem(res: &actix_web::HttpResponse<impl Sized>) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/problem+json"))
}

/// The code of an error status made outside the handlers.
fn code_of(status: StatusCode) -> ErrorCode {
    match status.as_u16() {
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        406 => ErrorCode::NotAcceptable,
        412 => ErrorCode::PreconditionFailed,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        416 => ErrorCode::RangeNotSatisfiable,
        429 => ErrorCode::TooManyAttempts,
        503 => ErrorCode::ServiceUnavailable,
        400..=499 => ErrorCode::InvalidParameter,
        _ => ErrorCode::Internal,
    }
}

fn rewrite<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    if is_problem(res.response()) {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let (req, old) = res.into_parts();
    let code = code_of(old.status());
    let mut new = match code {
        ErrorCode::MethodNotAllowed => method_not_allowed(&req),
        _ => AppError::new(code).error_response(),
    };
    if let Some(wait) = old.headers().get(header::RETRY_AFTER) {
        new.headers_mut().insert(header::RETRY_AFTER, wait.clone());
    }
    Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, new).map_into_right_body()))
}

/// 405 with the path's methods in `Allow`.
fn method_not_allowed(req: &HttpRequest) -> HttpResponse {
    let allowed = allowed_methods(req.path()).unwrap_or_else(|| vec!["GET", "HEAD"]);
    let detail = format!("{} is not one of {}", req.method(), allowed.join(", "));
    let mut res = AppError::with_detail(ErrorCode::MethodNotAllowed, detail).error_response();
    if let Ok(v) = HeaderValue::from_str(&allowed.join(", ")) {
        res.headers_mut().insert(header::ALLOW, v);
    }
    res
}

/// Unknown API requests: 405 (with `Allow`) when the path exists with other methods, else 404 —
/// never the web app's index page.
pub async fn api_fallback(req: HttpRequest) -> HttpResponse {
    match allowed_methods(req.path()) {
        Some(_) => method_not_allowed(&req),
        None => AppError::with_detail(ErrorCode::NotFound, req.path().to_owned()).error_response(),
    }
}

/// A documented path: its segments (`None` for a `{parameter}`) and its methods.
struct Documented {
    segments: Vec<Option<String>>,
    methods: Vec<&'static str>,
}

fn documented() -> &'static [Documented] {
    static TABLE: OnceLock<Vec<Documented>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let paths = document_json()["paths"].as_object().cloned().unwrap_or_default();
        paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .split('/')
                    .map(|s| (!(s.starts_with('{') && s.ends_with('}'))).then(|| s.to_owned()))
                    .collect();
                let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
                    .into_iter()
                    .filter(|m| item.get(m.to_ascii_lowercase()).is_some())
                    .collect();
                Documented { segments, methods }
            })
            .collect()
    })
}

/// The methods the API takes on a path: those of the documented template that matches it most
/// closely (`/premises/export` before `/premises/{id}`), or `None` when none matches.
pub fn allowed_methods(path: &str) -> Option<Vec<&'static str>> {
    let parts: Vec<&str> = path.split('/').collect();
    documented()
        .iter()
        .filter(|d| {
            d.segments.len() == parts.len()
                && d.segments.iter().zip(&parts).all(|(s, p)| match s {
                    Some(lit) => lit == p,
                    None => !p.is_empty(),
                })
        })
        .min_by_key(|d| d.segments.iter().filter(|s| s.is_none()).count())
        .map(|d| d.methods.clone())
}

/// Middleware of the API: a method the document does not give the path is 405 before routing,
/// so that `PATCH /premises/export` is not read as `PATCH /premises/{id}` with the id "export".
pub async fn documented_methods_only(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let refused = allowed_methods(req.path()).is_some_and(|m| !m.contains(&req.method().as_str()));
    if refused {
        let res = method_not_allowed(req.request());
        return Ok(req.into_response(res));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_come_from_the_document() {
        assert_eq!(allowed_methods("/api/v1/me"), Some(vec!["GET"]));
        let hazards = allowed_methods("/api/v1/hazards").unwrap();
        assert!(hazards.contains(&"GET") && hazards.contains(&"POST"), "{hazards:?}");
        assert_eq!(allowed_methods("/api/v1/hazards/0190a0a0-0000-7000-8000-000000000000/actions"), Some(vec!["POST"]));
        assert_eq!(allowed_methods("/api/v1/nothing"), None);
        assert_eq!(allowed_methods("/api/v1/hazards//actions"), None);
        assert_eq!(allowed_methods("/healthz"), Some(vec!["GET"]));
    }

    #[test]
    fn a_literal_path_is_not_its_parameter_sibling() {
        assert_eq!(allowed_methods("/api/v1/premises/export"), Some(vec!["GET"]));
        let id = allowed_methods("/api/v1/premises/0190a0a0-0000-7000-8000-000000000000").unwrap();
        assert!(id.contains(&"GET") && id.contains(&"PATCH"), "{id:?}");
    }
}
