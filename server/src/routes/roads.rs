//! Road patrol: `/api/v1/roads`, `/segments`, `/patrol-workers`, `/patrols` (the checks are in
//! `road_checks`).

use super::extractors::Json;
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::routes::ledger::{body_error, ExportQuery};
use crate::services::ledger::respond;
use crate::services::ledger_io::FileFormat;
use crate::services::{patrols, road_files, road_money, road_register, road_workers, roads};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use xunjian_shared::ledger::MAX_IMPORT_BYTES;
use xunjian_shared::road::funds::Allocation;
use xunjian_shared::road::patrol::{
    AssignmentReport, CreateRoad, CreateSegment, Patrol, PatrolDetail, PatrolSummary, SegmentMonth, SubmitPatrol,
    UpdateSegment,
};
use xunjian_shared::road::pay::{PaySheet, WorkerMonth};
use xunjian_shared::road::register::{PatrolWorker, Road, Segment};
use xunjian_shared::road::register_file::{RoadImportResult, WorkerImportResult};
use xunjian_shared::{OrgUnitId, PatrolId, Problem, RoadId, SegmentId, UserId};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/roads", web::get().to(list_roads))
        .route("/roads", web::post().to(create_road))
        .route("/roads/assignments", web::get().to(assignments))
        .route("/roads/pay-sheet", web::get().to(pay_sheet))
        .route("/roads/funds", web::get().to(funds))
        .route("/roads/export", web::get().to(export_roads))
        // Only the imports take a large body; everything else keeps the app's JSON limit.
        .service(
            web::resource("/roads/import")
                .app_data(web::PayloadConfig::new(MAX_IMPORT_BYTES))
                .route(web::post().to(import_roads)),
        )
        .route("/patrol-workers/export", web::get().to(export_workers))
        .service(
            web::resource("/patrol-workers/import")
                .app_data(web::PayloadConfig::new(MAX_IMPORT_BYTES))
                .route(web::post().to(import_workers)),
        )
        .route("/roads/{id}/segments", web::post().to(create_segment))
        .route("/segments", web::get().to(list_segments))
        .route("/segments/{id}", web::patch().to(assign))
        .route("/patrol-workers/{user_id}", web::put().to(save_worker))
        .route("/patrols", web::post().to(submit_patrol))
        .route("/patrols", web::get().to(list_patrols))
        .route("/patrols/months", web::get().to(months))
        .route("/segments/coverage", web::get().to(segment_coverage))
        .route("/patrols/{id}", web::get().to(get_patrol));
}

/// The road register.
#[utoipa::path(get, path = "/api/v1/roads", operation_id = "list_roads", tag = "roads", security(("bearer" = [])), responses((status = 200, body = Vec<Road>)))]
pub async fn list_roads(state: web::Data<AppState>, _user: AuthUser) -> Result<web::Json<Vec<Road>>, AppError> {
    Ok(web::Json(roads::list_roads(&state).await?))
}

/// Register a road (county admin).
#[utoipa::path(post, path = "/api/v1/roads", operation_id = "create_road", tag = "roads", security(("bearer" = [])), request_body = CreateRoad,
    responses((status = 201, body = Road), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn create_road(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<CreateRoad>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(roads::create_road(&state, &user, body.into_inner()).await?))
}

/// Add a segment (km range in one township, optional surveyed line, optional worker).
#[utoipa::path(post, path = "/api/v1/roads/{id}/segments", operation_id = "create_segment", tag = "roads", security(("bearer" = [])), request_body = CreateSegment,
    responses((status = 201, body = Segment), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_segment(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<RoadId>,
    body: Json<CreateSegment>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(roads::create_segment(&state, &user, id.into_inner(), body.into_inner()).await?))
}

/// Segments: a patrol worker's own, otherwise those in the caller's scope.
#[utoipa::path(get, path = "/api/v1/segments", operation_id = "list_segments", tag = "roads", security(("bearer" = [])), responses((status = 200, body = Vec<Segment>)))]
pub async fn list_segments(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Vec<Segment>>, AppError> {
    Ok(web::Json(roads::list_segments(&state, &user).await?))
}

/// Change a segment (county admin, or the road station of its township): assign (`worker_id`) or
/// unassign (`null`) its patrol worker, and/or set its surveyed line from points (`polyline`, 2 to
/// 2,000 WGS-84 points) or from a patrol of it alone (`polyline_from_patrol`: its thinned track). Fields
/// left out are left as they are.
#[utoipa::path(patch, path = "/api/v1/segments/{id}", operation_id = "update_segment", tag = "roads", security(("bearer" = [])), request_body = UpdateSegment,
    responses((status = 200, body = Segment), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn assign(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<SegmentId>,
    body: Json<UpdateSegment>,
) -> Result<web::Json<Segment>, AppError> {
    Ok(web::Json(roads::update_segment(&state, &user, id.into_inner(), body.into_inner()).await?))
}

/// Save a patrol worker's file (birth date, probation, contract, insurance).
#[utoipa::path(put, path = "/api/v1/patrol-workers/{user_id}", operation_id = "save_patrol_worker", tag = "roads", security(("bearer" = [])), request_body = PatrolWorker,
    responses((status = 200, body = PatrolWorker), (status = 404, body = Problem)))]
pub async fn save_worker(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<UserId>,
    body: Json<PatrolWorker>,
) -> Result<web::Json<PatrolWorker>, AppError> {
    let w = PatrolWorker { user_id: id.into_inner(), ..body.into_inner() };
    Ok(web::Json(roads::save_worker(&state, &user, w).await?))
}

/// A unit filter.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UnitQuery {
    /// A township (default: the caller's scope).
    pub org_unit_id: Option<OrgUnitId>,
}

/// Unassigned km, workers over 5 km (第十一条) and workers' files to fix (第十二、十三、二十三条).
#[utoipa::path(get, path = "/api/v1/roads/assignments", operation_id = "get_road_assignments", tag = "roads", security(("bearer" = [])), params(UnitQuery),
    responses((status = 200, body = AssignmentReport)))]
pub async fn assignments(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<UnitQuery>,
) -> Result<web::Json<AssignmentReport>, AppError> {
    Ok(web::Json(roads::assignment_report(&state, &user, q.org_unit_id).await?))
}

/// Submit an on-road record: a patrol worker on their assigned segments, or the road station on any
/// segment of its township (its own patrols, 第十八条; they are no worker's day on the road). The same id
/// again answers the stored one.
#[utoipa::path(post, path = "/api/v1/patrols", operation_id = "submit_patrol", tag = "roads", security(("bearer" = [])), request_body = SubmitPatrol,
    responses((status = 201, body = Patrol), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn submit_patrol(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<SubmitPatrol>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(patrols::submit(&state, &user, body.into_inner()).await?))
}

/// One on-road record.
#[utoipa::path(get, path = "/api/v1/patrols/{id}", operation_id = "get_patrol", tag = "roads", security(("bearer" = [])), responses((status = 200, body = PatrolDetail), (status = 404, body = Problem)))]
pub async fn get_patrol(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<PatrolId>,
) -> Result<web::Json<PatrolDetail>, AppError> {
    Ok(web::Json(patrols::get(&state, &user, id.into_inner()).await?))
}

/// A township and month.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MonthQuery {
    /// The township.
    pub township_id: OrgUnitId,
    /// `YYYY-MM`.
    #[param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub month: String,
    /// `xlsx` or `csv` for a file (default: JSON).
    pub format: Option<FileFormat>,
}

/// Parameters of `GET /api/v1/patrols`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PatrolListQuery {
    /// `YYYY-MM` (days in China time).
    #[param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub month: String,
    /// Only this township (inside the caller's scope).
    pub township_id: Option<OrgUnitId>,
    /// Only this worker.
    pub worker_id: Option<xunjian_shared::UserId>,
}

/// The on-road records of a month, oldest first, without their tracks (a patrol worker: their own).
#[utoipa::path(get, path = "/api/v1/patrols", operation_id = "list_patrols", tag = "roads", security(("bearer" = [])), params(PatrolListQuery),
    responses((status = 200, body = Vec<PatrolSummary>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_patrols(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<PatrolListQuery>,
) -> Result<web::Json<Vec<PatrolSummary>>, AppError> {
    let q = q.into_inner();
    Ok(web::Json(crate::services::patrols::list(&state, &user, q.month, q.township_id, q.worker_id).await?))
}

/// Parameters of `GET /api/v1/segments/coverage`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SegmentMonthQuery {
    /// `YYYY-MM` (days in China time).
    #[param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub month: String,
    /// Only this township (inside the caller's scope).
    pub township_id: Option<OrgUnitId>,
}

/// Each segment's month: the patrols that named it, their days, and how much of its line they
/// covered together (a patrol worker: their own segments).
#[utoipa::path(get, path = "/api/v1/segments/coverage", operation_id = "list_segment_coverage", tag = "roads", security(("bearer" = [])), params(SegmentMonthQuery),
    responses((status = 200, body = Vec<SegmentMonth>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn segment_coverage(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<SegmentMonthQuery>,
) -> Result<web::Json<Vec<SegmentMonth>>, AppError> {
    let q = q.into_inner();
    Ok(web::Json(crate::services::patrols::segment_months(&state, &user, q.month, q.township_id).await?))
}

/// Each patrol worker's month: days on the road, km covered.
#[utoipa::path(get, path = "/api/v1/patrols/months", operation_id = "list_worker_months", tag = "roads", security(("bearer" = [])), params(MonthQuery),
    responses((status = 200, description = "The months, or the file (attachment) with `format`",
        content((Vec<WorkerMonth> = "application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv")))))]
pub async fn months(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<MonthQuery>,
) -> Result<web::Json<Vec<WorkerMonth>>, AppError> {
    let q = q.into_inner();
    Ok(web::Json(
        crate::services::road_months::pay_sheet(&state, &user, q.township_id, q.month)
            .await?
            .lines
            .into_iter()
            .map(|l| l.month)
            .collect(),
    ))
}

/// The pay sheet of a township's month (第二十、二十一、二十六条).
#[utoipa::path(get, path = "/api/v1/roads/pay-sheet", operation_id = "get_pay_sheet", tag = "roads", security(("bearer" = [])), params(MonthQuery),
    responses((status = 200, description = "The pay sheet, or the file (attachment) with `format`",
        content((PaySheet = "application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv"))), (status = 403, body = Problem)))]
pub async fn pay_sheet(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<MonthQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let sheet = crate::services::road_months::pay_sheet(&state, &user, q.township_id, q.month).await?;
    Ok(match q.format {
        Some(f) => respond(road_files::pay_sheet(&sheet, f)?),
        None => HttpResponse::Ok().json(sheet),
    })
}

/// A year.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    pub year: i32,
    /// `xlsx` or `csv` for a file (default: JSON).
    pub format: Option<FileFormat>,
}

/// The year's fund allocation by km and level (第二十条).
#[utoipa::path(get, path = "/api/v1/roads/funds", operation_id = "get_road_funds", tag = "roads", security(("bearer" = [])), params(YearQuery),
    responses((status = 200, description = "The allocation, or the file (attachment) with `format`",
        content((Allocation = "application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv"))), (status = 403, body = Problem)))]
pub async fn funds(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, AppError> {
    let a = road_money::funds(&state, &user, q.year).await?;
    Ok(match q.format {
        Some(f) => respond(road_files::funds(&a, f)?),
        None => HttpResponse::Ok().json(a),
    })
}

/// Download the road register (路线台账) with the import's columns: one line a segment (路线编码, 路线名称,
/// 行政等级, 里程, 管养单位, 乡镇, 起点桩号, 止点桩号, 管护员账号, 管护员), sorted by road code and km; it imports again
/// as is. County admin and road station; named `roads-<unit code>-<date>.<ext>`.
#[utoipa::path(get, path = "/api/v1/roads/export", operation_id = "export_road_register", tag = "roads", security(("bearer" = [])), params(ExportQuery),
    responses((status = 200, description = "The file (attachment)", content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv"))),
        (status = 403, body = Problem)))]
pub async fn export_roads(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let d = road_register::export(&state, &user, q.org_unit_id, q.format.unwrap_or(FileFormat::Xlsx)).await?;
    Ok(respond(d))
}

/// Options of the register imports.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Only check and report, write nothing (default true).
    pub dry_run: Option<bool>,
}

/// The upload's format, from its `Content-Type` and content.
pub(super) fn upload_format(req: &HttpRequest, body: &[u8]) -> Result<FileFormat, AppError> {
    FileFormat::of_upload(req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()), body)
}

/// Import a road register file (CSV or XLSX, the export's columns; see docs/roads.md): registers roads
/// not yet in the register and changes the name, level, length or unit of those that are (county admin
/// only), adds segments and (re)assigns their workers (county admin, and a road station in its
/// township). A dry run (the default) answers the report and writes nothing; a real import writes
/// every row in one transaction or, if any row has an error, nothing: 422 `validation_failed` whose
/// `detail` is the `RegisterImportReport` as JSON.
#[utoipa::path(post, path = "/api/v1/roads/import", operation_id = "import_road_register", tag = "roads", security(("bearer" = [])), params(ImportQuery),
    request_body(description = "The file, raw", content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses((status = 200, body = RoadImportResult), (status = 403, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem),
        (status = 422, description = "validation_failed: `detail` is the RegisterImportReport as JSON (row errors), or `file: …`", body = Problem)))]
pub async fn import_roads(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    q: web::Query<ImportQuery>,
    body: Result<web::Bytes, actix_web::Error>,
) -> Result<web::Json<RoadImportResult>, AppError> {
    let body = body.map_err(body_error)?;
    let format = upload_format(&req, &body)?;
    Ok(web::Json(road_register::import(&state, &user, q.dry_run.unwrap_or(true), format, body).await?))
}

/// Download the patrol workers' files in scope (管护员档案): 乡镇, 账号, 姓名, 出生日期, 年龄, 超过60岁, 试用月份,
/// 签订协议, 意外保险, 管护里程(公里) and the flags of 第十二、十三、二十三条 (问题). County admin and road station;
/// named `patrol-workers-<unit code>-<date>.<ext>`.
#[utoipa::path(get, path = "/api/v1/patrol-workers/export", operation_id = "export_patrol_workers", tag = "roads", security(("bearer" = [])), params(ExportQuery),
    responses((status = 200, description = "The file (attachment)", content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv"))),
        (status = 403, body = Problem)))]
pub async fn export_workers(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let d = road_workers::export(&state, &user, q.org_unit_id, q.format.unwrap_or(FileFormat::Xlsx)).await?;
    Ok(respond(d))
}

/// Import patrol workers' files (账号, 出生日期, 试用月份, 签订协议, 意外保险; 姓名 checked when given) for
/// workers in the caller's scope. Dry run by default; a real import saves every row or nothing (422
/// with the `RegisterImportReport` as JSON in `detail`).
#[utoipa::path(post, path = "/api/v1/patrol-workers/import", operation_id = "import_patrol_workers", tag = "roads", security(("bearer" = [])), params(ImportQuery),
    request_body(description = "The file, raw", content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses((status = 200, body = WorkerImportResult), (status = 403, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem),
        (status = 422, description = "validation_failed: `detail` is the RegisterImportReport as JSON (row errors), or `file: …`", body = Problem)))]
pub async fn import_workers(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    q: web::Query<ImportQuery>,
    body: Result<web::Bytes, actix_web::Error>,
) -> Result<web::Json<WorkerImportResult>, AppError> {
    let body = body.map_err(body_error)?;
    let format = upload_format(&req, &body)?;
    Ok(web::Json(road_workers::import(&state, &user, q.dry_run.unwrap_or(true), format, body).await?))
}
