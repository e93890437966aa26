//! Request parsing rules: size limits, the strict JSON body, the text rule on queries and paths,
//! and every parse failure as a 4xx problem document.

use super::strict_json::{self, Kind};
use crate::error::AppError;
use actix_web::body::MessageBody;
use actix_web::dev::{JsonBody, Payload, ServiceRequest, ServiceResponse};
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde_json::Value;
use xunjian_shared::ErrorCode;

/// The largest JSON body of a route or of the app (as app data; a route's own wins).
#[derive(Clone, Copy, Debug)]
pub struct JsonLimit(pub usize);

/// A JSON request body read by the strict rules of [`strict_json`]: `application/json` (or
/// `+json`), within the route's [`JsonLimit`], an object at the top, every struct an object, every
/// string within the text rule. The one body extractor of the API (`web::Json` only answers).
pub struct Json<T>(pub T);

impl<T> Json<T> {
    /// The body.
    pub fn into_inner(self) -> T {
        self.0
    }
}

/// A JSON body as a document, read by the same limits (for a route that reads parts of it in its
/// own way, as the sync push reads each operation on its own).
pub struct JsonObject(pub serde_json::Map<String, Value>);

impl FromRequest for JsonObject {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<JsonLimit>().map_or(256 * 1024, |l| l.0);
        let body = JsonBody::<Value>::new(req, payload, None, true).limit(limit);
        Box::pin(async move {
            match body.await.map_err(json_error)? {
                Value::Object(map) => Ok(JsonObject(map)),
                other => Err(AppError::with_detail(
                    ErrorCode::InvalidJson,
                    format!("the body must be a JSON object, not {}", strict_json::type_name(&other)),
                )),
            }
        })
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let object = JsonObject::from_request(req, payload);
        Box::pin(async move {
            let value = Value::Object(object.await?.0);
            strict_json::from_value(&value).map(Json).map_err(strict_error)
        })
    }
}

/// A refusal of the strict reader as the answer: a broken rule of text is 422 naming the field, a
/// wrong shape 400.
pub fn strict_error(e: strict_json::Error) -> AppError {
    match e.kind {
        Kind::Text => AppError::validation(e.path.as_deref().unwrap_or("body"), e.message),
        Kind::Shape => AppError::with_detail(ErrorCode::InvalidJson, e.to_string()),
    }
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

/// A raw body (a photo, an office file) that could not be read: over `limit` is 413, anything
/// else 400.
pub fn body_error(e: actix_web::Error, limit: usize) -> AppError {
    if e.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::with_detail(ErrorCode::PayloadTooLarge, format!("limit is {limit} bytes"))
    } else {
        AppError::with_detail(ErrorCode::InvalidParameter, format!("body: {e}"))
    }
}

/// Middleware of the API: a query or path that decodes to text the text rule refuses is 400
/// `invalid_parameter` before any handler runs (a `%00` never reaches the database). A request
/// without credentials is left to the handler, whose token extractor answers 401 first: a missing
/// token is the first thing wrong with it (until 2026-12-02 such a request with a bad query was
/// 400, which Schemathesis's `missing_required_header` caught). The routes that need no token take
/// no query text (login and refresh read JSON bodies, which `strict_json` holds to the same rule).
pub async fn refuse_control_chars(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if !req.headers().contains_key(actix_web::http::header::AUTHORIZATION) {
        return next.call(req).await;
    }
    let bad_path = percent_decoded(req.path()).and_then(|p| xunjian_shared::text::check(&p).err());
    if let Some(why) = bad_path {
        return Err(AppError::with_detail(ErrorCode::InvalidParameter, format!("path: {why}")).into());
    }
    for (k, v) in form_urlencoded::parse(req.query_string().as_bytes()) {
        for text in [&k, &v] {
            if let Err(why) = xunjian_shared::text::check(text) {
                return Err(AppError::with_detail(ErrorCode::InvalidParameter, format!("{k}: {why}")).into());
            }
        }
    }
    next.call(req).await
}

/// A path with its `%XX` escapes decoded (lossy: bytes that are not UTF-8 do not matter here).
fn percent_decoded(path: &str) -> Option<String> {
    path.contains('%')
        .then(|| String::from_utf8_lossy(&percent_encoding::percent_decode_str(path).collect::<Vec<u8>>()).into_owned())
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
