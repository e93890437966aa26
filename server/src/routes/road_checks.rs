//! The county's road checks (第二十四、二十五、二十六条): `/api/v1/road-checks` — the double-random
//! draw, scoring of the drawn segments and of the townships' station items, publishing, the
//! ranking — and the county's check form, `/api/v1/roads/check-form`.

use super::extractors::Json;
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::services::ledger::respond;
use crate::services::ledger_io::FileFormat;
use crate::services::{road_check_form, road_checks, road_files};
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use xunjian_shared::road::check::{CheckDetail, MarkNotCheckable};
use xunjian_shared::road::check_form::{CheckForm, CountyCheckForm, ScoreStation};
use xunjian_shared::road::patrol::{Check, CreateCheck, ScoreSegment};
use xunjian_shared::road::ranking::Ranked;
use xunjian_shared::{CheckId, OrgUnitId, Problem, SegmentId};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/road-checks", web::post().to(create_check))
        .route("/road-checks", web::get().to(list_checks))
        .route("/road-checks/{id}", web::get().to(get_check))
        .route("/road-checks/{id}/scores/{segment_id}", web::put().to(score))
        .route("/road-checks/{id}/not-checkable/{segment_id}", web::put().to(mark_not_checkable))
        .route("/road-checks/{id}/station/{township_id}", web::put().to(score_station))
        .route("/road-checks/{id}/publish", web::post().to(publish))
        .route("/road-checks/{id}/ranking", web::get().to(ranking))
        .route("/roads/check-form", web::get().to(check_form))
        .route("/roads/check-form", web::put().to(set_check_form))
        .route("/roads/check-form", web::delete().to(reset_check_form));
}

/// Start a monthly random check or quarterly full inspection, with its double-random draw.
#[utoipa::path(post, path = "/api/v1/road-checks", operation_id = "create_road_check", tag = "roads", security(("bearer" = [])), request_body = CreateCheck,
    responses((status = 201, body = Check), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn create_check(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<CreateCheck>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(road_checks::create(&state, &user, body.into_inner()).await?))
}

/// The checks held so far, newest period first (at most 100): what a county user picks up again.
/// The county admin sees every check; other roles only published ones; patrol workers none (403).
#[utoipa::path(get, path = "/api/v1/road-checks", operation_id = "list_road_checks", tag = "roads", security(("bearer" = [])),
    responses((status = 200, body = Vec<Check>), (status = 403, body = Problem)))]
pub async fn list_checks(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Vec<Check>>, AppError> {
    Ok(web::Json(road_checks::list(&state, &user).await?))
}

/// One check with its draw and the scoring forms of its scored segments (the seven items, score,
/// inspector, time). An unpublished check is 404 to all but the county admin; patrol workers 403.
#[utoipa::path(get, path = "/api/v1/road-checks/{id}", operation_id = "get_road_check", tag = "roads", security(("bearer" = [])),
    responses((status = 200, body = CheckDetail), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_check(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<CheckId>,
) -> Result<web::Json<CheckDetail>, AppError> {
    Ok(web::Json(road_checks::get(&state, &user, id.into_inner()).await?))
}

/// Score a drawn segment (the seven items). Only an inspector drawn for the check scores
/// (`not_an_inspector` to any other county admin).
#[utoipa::path(put, path = "/api/v1/road-checks/{id}/scores/{segment_id}", operation_id = "score_segment", tag = "roads", security(("bearer" = [])), request_body = ScoreSegment,
    responses((status = 200, body = Check), (status = 403, description = "account_disabled, forbidden, not_an_inspector: only a drawn inspector scores", body = Problem), (status = 404, description = "not_found: no such check", body = Problem), (status = 409, description = "conflict: the check is published", body = Problem), (status = 422, body = Problem)))]
pub async fn score(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(CheckId, SegmentId)>,
    body: Json<ScoreSegment>,
) -> Result<web::Json<Check>, AppError> {
    let (id, seg) = path.into_inner();
    Ok(web::Json(road_checks::score_segment(&state, &user, id, seg, body.into_inner()).await?))
}

/// Mark a drawn segment not checkable (不具备检查条件) with the reason, as a drawn inspector: it is
/// left out of its township's mean (a township all of whose drawn segments are marked has no score
/// and is not ranked on one); it replaces the segment's score, and a later score replaces it.
#[utoipa::path(put, path = "/api/v1/road-checks/{id}/not-checkable/{segment_id}", operation_id = "mark_segment_not_checkable", tag = "roads", security(("bearer" = [])), request_body = MarkNotCheckable,
    responses((status = 200, body = CheckDetail), (status = 403, description = "account_disabled, forbidden, not_an_inspector: only a drawn inspector marks", body = Problem), (status = 404, description = "not_found: no such check", body = Problem), (status = 409, description = "conflict: the check is published", body = Problem), (status = 422, description = "validation_failed: no reason, or the segment is not drawn", body = Problem)))]
pub async fn mark_not_checkable(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(CheckId, SegmentId)>,
    body: Json<MarkNotCheckable>,
) -> Result<web::Json<CheckDetail>, AppError> {
    let (id, seg) = path.into_inner();
    Ok(web::Json(road_checks::mark_not_checkable(&state, &user, id, seg, body.into_inner()).await?))
}

/// Score a township's station items (第二十四条: the check's form — 交管站建设, 交管员配备, 养护队伍,
/// 公路法规宣传, 打药灭草 by default), as a drawn inspector, before publishing; a new scoring replaces
/// the earlier one. Each item of the form once, 0 to its points; the township must have a drawn
/// segment. Answers the check with its forms.
#[utoipa::path(put, path = "/api/v1/road-checks/{id}/station/{township_id}", operation_id = "score_station", tag = "roads", security(("bearer" = [])), request_body = ScoreStation,
    responses((status = 200, body = CheckDetail), (status = 403, description = "account_disabled, forbidden, not_an_inspector: only a drawn inspector scores", body = Problem), (status = 404, description = "not_found: no such check", body = Problem), (status = 409, description = "conflict: the check is published", body = Problem), (status = 422, description = "validation_failed: an item missing, twice, unknown or out of its points; the form has no station items; the township has no drawn segment", body = Problem)))]
pub async fn score_station(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(CheckId, OrgUnitId)>,
    body: Json<ScoreStation>,
) -> Result<web::Json<CheckDetail>, AppError> {
    let (id, town) = path.into_inner();
    Ok(web::Json(road_checks::score_station(&state, &user, id, town, body.into_inner()).await?))
}

/// The county's check form (第二十四条), which checks are drawn with from now on: the road part's
/// points and the station items, 100 in all; the default until the county sets one. County admin,
/// road stations and township offices.
#[utoipa::path(get, path = "/api/v1/roads/check-form", operation_id = "get_road_check_form", tag = "roads", security(("bearer" = [])),
    responses((status = 200, body = CountyCheckForm), (status = 403, body = Problem)))]
pub async fn check_form(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<CountyCheckForm>, AppError> {
    Ok(web::Json(road_check_form::get(&state, &user).await?))
}

/// Set the county's check form (county admin). Checks drawn before keep the form they were drawn
/// with. The points must add up to 100.
#[utoipa::path(put, path = "/api/v1/roads/check-form", operation_id = "set_road_check_form", tag = "roads", security(("bearer" = [])), request_body = CheckForm,
    responses((status = 200, body = CountyCheckForm), (status = 403, body = Problem), (status = 422, description = "validation_failed: not 100 points in all, a key twice or malformed, a label blank or too long, more than 12 items", body = Problem)))]
pub async fn set_check_form(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<CheckForm>,
) -> Result<web::Json<CountyCheckForm>, AppError> {
    Ok(web::Json(road_check_form::set(&state, &user, body.into_inner()).await?))
}

/// Go back to the default check form (county admin).
#[utoipa::path(delete, path = "/api/v1/roads/check-form", operation_id = "reset_road_check_form", tag = "roads", security(("bearer" = [])),
    responses((status = 200, body = CountyCheckForm), (status = 403, body = Problem)))]
pub async fn reset_check_form(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<CountyCheckForm>, AppError> {
    Ok(web::Json(road_check_form::reset(&state, &user).await?))
}

/// Publish a check's results (county admin): the ranking as it stands is kept and answered from
/// then on; publishing again changes nothing. Every drawn segment must be scored or marked not
/// checkable first (409 `segments_unscored`, the detail says how many are left).
#[utoipa::path(post, path = "/api/v1/road-checks/{id}/publish", operation_id = "publish_road_check", tag = "roads", security(("bearer" = [])),
    responses((status = 200, body = Check), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, description = "segments_unscored: drawn segments neither scored nor marked not checkable", body = Problem)))]
pub async fn publish(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<CheckId>,
) -> Result<web::Json<Check>, AppError> {
    Ok(web::Json(road_checks::publish(&state, &user, id.into_inner()).await?))
}

/// An optional file format.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct FormatQuery {
    /// `xlsx` or `csv` for a file (default: JSON).
    #[param(inline)]
    pub format: Option<FileFormat>,
}

/// The township ranking of a check with the flags of 第二十五、二十六条; with `format=xlsx|csv` the
/// printable file for the notice (通报), named `ranking-<kind>-<period>.<ext>`. A published check
/// answers the ranking as it stood when published; before that only the county admin may read it
/// (computed live; 404 to others); patrol workers 403.
#[utoipa::path(get, path = "/api/v1/road-checks/{id}/ranking", operation_id = "get_road_ranking", tag = "roads", security(("bearer" = [])), params(FormatQuery),
    responses((status = 200, description = "The ranking, or the file (attachment) with `format`",
        content((Vec<Ranked> = "application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv"))),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn ranking(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<CheckId>,
    q: web::Query<FormatQuery>,
) -> Result<HttpResponse, AppError> {
    let (check, ranked) = road_checks::ranking(&state, &user, id.into_inner()).await?;
    Ok(match q.format {
        Some(f) => respond(road_files::ranking(&check, &ranked, f)?),
        None => HttpResponse::Ok().json(ranked),
    })
}
