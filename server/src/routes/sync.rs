//! `/api/v1/sync/*`: the offline sync protocol (docs/sync.md).

use super::extractors::{strict_error, JsonLimit, JsonObject};
use super::strict_json;
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::services::sync;
use crate::state::AppState;
use actix_web::web;
use serde::Deserialize;
use serde_json::Value;
use xunjian_shared::sync::{Operation, PullResponse, PushRequest, PushResponse, MAX_PUSH_BYTES, PROTOCOL_VERSION};
use xunjian_shared::{ErrorCode, Problem};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/sync/push").app_data(JsonLimit(MAX_PUSH_BYTES)).route(web::post().to(push)))
        .route("/sync/pull", web::get().to(pull));
}

/// Push a batch of operations from the device's outbox. Each op is applied at most once, in order,
/// and gets its own result; repeating a batch returns the same results and changes nothing.
#[utoipa::path(post, path = "/api/v1/sync/push", operation_id = "sync_push", tag = "sync", security(("bearer" = [])), request_body = PushRequest,
    responses((status = 200, body = PushResponse), (status = 413, body = Problem), (status = 426, description = "client_outdated", body = Problem)))]
pub async fn push(
    state: web::Data<AppState>,
    user: AuthUser,
    body: JsonObject,
) -> Result<web::Json<PushResponse>, AppError> {
    let (req, refused) = read_push(body.0)?;
    Ok(web::Json(sync::push(state, &user, req, refused).await?))
}

/// Reads a push by the strict rules, op by op. An op whose text breaks the text rule (a control
/// character a user pasted into a description) is read anyway and refused on its own — recorded,
/// so the phone's outbox moves on past it — while the rest of the batch goes on. Any other fault
/// of shape refuses the whole push (400): only a broken client sends one.
fn read_push(mut body: serde_json::Map<String, Value>) -> Result<(PushRequest, Vec<Option<AppError>>), AppError> {
    let ops = match body.remove("ops") {
        Some(Value::Array(ops)) => ops,
        Some(_) => return Err(AppError::with_detail(ErrorCode::InvalidJson, "ops: expected an array")),
        None => return Err(AppError::with_detail(ErrorCode::InvalidJson, "missing field `ops`")),
    };
    body.insert("ops".into(), Value::Array(vec![]));
    let mut req: PushRequest = strict_json::from_value(&Value::Object(body)).map_err(strict_error)?;
    let mut refused = Vec::with_capacity(ops.len());
    for (i, value) in ops.iter().enumerate() {
        let at = |e: strict_json::Error| strict_error(e.within(&format!("ops[{i}]")));
        let op: Operation = match strict_json::bad_text(value) {
            None => strict_json::from_value(value).map_err(at)?,
            // Read with the refused characters escaped: the op is answered and recorded, never applied.
            Some(text) => {
                let op = strict_json::from_value(&strict_json::escaped_text(value)).map_err(at)?;
                refused.resize_with(i, || None);
                refused.push(Some(at(text)));
                op
            }
        };
        req.ops.push(op);
    }
    Ok((req, refused))
}

/// Query of `GET /api/v1/sync/pull`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    /// The cursor from the last pull; none for a first sync.
    pub cursor: Option<String>,
    /// Page size, 1–1000 (default 500).
    pub limit: Option<i64>,
    /// The client's protocol version (default: the current one; older: 426 `client_outdated`).
    #[param(minimum = 1, maximum = 1)]
    pub protocol: Option<u32>,
}

/// The changes visible to the caller after the cursor, in order; pull until `has_more` is false.
#[utoipa::path(get, path = "/api/v1/sync/pull", operation_id = "sync_pull", tag = "sync", security(("bearer" = [])), params(PullQuery),
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
