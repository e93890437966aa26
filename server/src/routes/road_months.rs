//! A township's month of pay: `/api/v1/roads/months` (close, sign, approve),
//! `/api/v1/roads/signers` (who signs after the 交管员), `/api/v1/roads/hours` (working hours) and
//! `/api/v1/roads/pay-rules` (the township's pay scheme), and `/api/v1/roads/rollup` (the checks of a
//! quarter or year rolled up). The pay sheet itself is
//! `GET /api/v1/roads/pay-sheet` (routes/roads.rs).

use super::extractors::Json;
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::services::{road_months, road_pay, road_rollup};
use crate::state::AppState;
use actix_web::web;
use serde::Deserialize;
use xunjian_shared::road::attendance::WorkingHours;
use xunjian_shared::road::month_close::{MonthActRequest, MonthStatus, RoadSigners};
use xunjian_shared::road::pay::{PayScheme, PaySheet, TownshipPayScheme};
use xunjian_shared::road::rollup::Rollup;
use xunjian_shared::{OrgUnitId, Problem};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/roads/months", web::get().to(list))
        .route("/roads/months/{township_id}/acts", web::post().to(act))
        .route("/roads/signers/{township_id}", web::get().to(signers))
        .route("/roads/signers/{township_id}", web::put().to(set_signers))
        .route("/roads/hours/{township_id}", web::get().to(hours))
        .route("/roads/hours/{township_id}", web::put().to(set_hours))
        .route("/roads/pay-rules/{township_id}", web::get().to(pay_rules))
        .route("/roads/pay-rules/{township_id}", web::put().to(set_pay_rules))
        .route("/roads/pay-rules/{township_id}", web::delete().to(reset_pay_rules))
        .route("/roads/rollup", web::get().to(rollup));
}

/// A month.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MonthOnly {
    /// `YYYY-MM`.
    #[param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub month: String,
}

/// Where each township in the caller's scope stands with a month: closed or not, who signed, and
/// how many records arrived after the close.
#[utoipa::path(get, path = "/api/v1/roads/months", operation_id = "list_road_months", tag = "roads", security(("bearer" = [])), params(MonthOnly),
    responses((status = 200, body = Vec<MonthStatus>), (status = 403, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<MonthOnly>,
) -> Result<web::Json<Vec<MonthStatus>>, AppError> {
    Ok(web::Json(road_months::months(&state, &user, q.into_inner().month).await?))
}

/// The next act on a township's month (第二十一条): `close` (the road station, once the month is
/// over; months close in order), `sign_officer` (交管员), `sign_deputy_head` (the named 分管副职),
/// `approve` (the named 乡(镇)长). Answers the sheet as it now stands.
#[utoipa::path(post, path = "/api/v1/roads/months/{township_id}/acts", operation_id = "act_on_road_month", tag = "roads", security(("bearer" = [])), request_body = MonthActRequest,
    responses((status = 200, body = PaySheet),
        (status = 403, description = "forbidden, out_of_scope, not_the_signer", body = Problem),
        (status = 409, description = "out_of_order: not the next act, or not the next month to close", body = Problem),
        (status = 422, description = "validation_failed: the month is not over", body = Problem)))]
pub async fn act(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<OrgUnitId>,
    body: Json<MonthActRequest>,
) -> Result<web::Json<PaySheet>, AppError> {
    let body = body.into_inner();
    Ok(web::Json(road_months::act(&state, &user, id.into_inner(), body.month, body.act).await?))
}

/// Who signs the township's sheets after the 交管员; 404 until named.
#[utoipa::path(get, path = "/api/v1/roads/signers/{township_id}", operation_id = "get_road_signers", tag = "roads", security(("bearer" = [])),
    responses((status = 200, body = RoadSigners), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn signers(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<OrgUnitId>,
) -> Result<web::Json<RoadSigners>, AppError> {
    Ok(web::Json(road_months::signers(&state, &user, id.into_inner()).await?))
}

/// Names the township's 分管副职 and 乡(镇)长 (the township office, or the county admin): two
/// different active township office accounts of the township.
#[utoipa::path(put, path = "/api/v1/roads/signers/{township_id}", operation_id = "set_road_signers", tag = "roads", security(("bearer" = [])), request_body = RoadSigners,
    responses((status = 200, body = RoadSigners), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set_signers(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<OrgUnitId>,
    body: Json<RoadSigners>,
) -> Result<web::Json<RoadSigners>, AppError> {
    Ok(web::Json(road_months::set_signers(&state, &user, id.into_inner(), body.into_inner()).await?))
}

/// The township's working hours (上下班管理, 第三条), China time; the default (every day 07:00–19:00)
/// until the road station sets them.
#[utoipa::path(get, path = "/api/v1/roads/hours/{township_id}", operation_id = "get_road_hours", tag = "roads", security(("bearer" = [])),
    responses((status = 200, body = WorkingHours), (status = 403, body = Problem)))]
pub async fn hours(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<OrgUnitId>,
) -> Result<web::Json<WorkingHours>, AppError> {
    Ok(web::Json(road_months::hours(&state, &user, id.into_inner()).await?))
}

/// Sets the township's working hours (its road station, or the county admin): patrols received
/// from then on outside them are marked `outside_hours` for the station.
#[utoipa::path(put, path = "/api/v1/roads/hours/{township_id}", operation_id = "set_road_hours", tag = "roads", security(("bearer" = [])), request_body = WorkingHours,
    responses((status = 200, body = WorkingHours), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set_hours(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<OrgUnitId>,
    body: Json<WorkingHours>,
) -> Result<web::Json<WorkingHours>, AppError> {
    Ok(web::Json(road_months::set_hours(&state, &user, id.into_inner(), body.into_inner()).await?))
}

/// The township's pay scheme (第十四、二十、二十六条): base, the required days and the deduction per
/// day short (责任到位率), and 扣劣奖优 by the month's checks; the county's defaults until set.
#[utoipa::path(get, path = "/api/v1/roads/pay-rules/{township_id}", operation_id = "get_road_pay_rules", tag = "roads", security(("bearer" = [])),
    responses((status = 200, body = TownshipPayScheme), (status = 403, body = Problem)))]
pub async fn pay_rules(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<OrgUnitId>,
) -> Result<web::Json<TownshipPayScheme>, AppError> {
    Ok(web::Json(road_pay::get(&state, &user, id.into_inner()).await?))
}

/// Sets the township's pay scheme (its township office, or the county admin). Open months are paid
/// by it from now on; closed sheets keep the scheme they were closed with.
#[utoipa::path(put, path = "/api/v1/roads/pay-rules/{township_id}", operation_id = "set_road_pay_rules", tag = "roads", security(("bearer" = [])), request_body = PayScheme,
    responses((status = 200, body = TownshipPayScheme), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set_pay_rules(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<OrgUnitId>,
    body: Json<PayScheme>,
) -> Result<web::Json<TownshipPayScheme>, AppError> {
    Ok(web::Json(road_pay::set(&state, &user, id.into_inner(), body.into_inner()).await?))
}

/// Drops the township's own pay scheme: the county's defaults apply to its open months again.
#[utoipa::path(delete, path = "/api/v1/roads/pay-rules/{township_id}", operation_id = "reset_road_pay_rules", tag = "roads", security(("bearer" = [])),
    responses((status = 200, body = TownshipPayScheme), (status = 403, body = Problem)))]
pub async fn reset_pay_rules(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<OrgUnitId>,
) -> Result<web::Json<TownshipPayScheme>, AppError> {
    Ok(web::Json(road_pay::reset(&state, &user, id.into_inner()).await?))
}

/// A quarter or a year.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RollupQuery {
    /// `YYYY-Qn` (the quarter's monthly random checks and its full inspection) or `YYYY`.
    #[param(pattern = "^[0-9]{4}(-Q[1-4])?$")]
    pub period: String,
}

/// The published checks of a quarter or year rolled up per township (第九条 季度评议、年终考核):
/// its rank in each, the mean rank (the period's order), the mean score, and the times it was last
/// by 第二十六条, in the bottom two and flagged (第二十五条).
#[utoipa::path(get, path = "/api/v1/roads/rollup", operation_id = "get_road_rollup", tag = "roads", security(("bearer" = [])), params(RollupQuery),
    responses((status = 200, body = Rollup), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn rollup(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<RollupQuery>,
) -> Result<web::Json<Rollup>, AppError> {
    Ok(web::Json(road_rollup::get(&state, &user, q.into_inner().period).await?))
}
