//! `/api/v1/roadside-parties`: the households, fruit stores and businesses along the roads (第七条),
//! and `PUT /api/v1/road-issues/{id}/responsible`, naming one responsible for a violation.

use super::extractors::Json;
use super::roads::{upload_format, ImportQuery};
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::routes::ledger::{body_error, ExportQuery};
use crate::services::ledger::respond;
use crate::services::ledger_io::FileFormat;
use crate::services::roadside::{self, PartyQuery};
use crate::services::roadside_file;
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use xunjian_shared::ledger::MAX_IMPORT_BYTES;
use xunjian_shared::road::issue::RoadIssueDetail;
use xunjian_shared::road::register_file::RoadsideImportResult;
use xunjian_shared::road::roadside::{NameResponsible, RoadsideParty, SaveRoadsideParty};
use xunjian_shared::{OrgUnitId, Problem, RoadId, RoadIssueId, RoadsidePartyId, SegmentId};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/roadside-parties", web::get().to(list))
        .route("/roadside-parties", web::post().to(create))
        .route("/roadside-parties/export", web::get().to(export))
        .service(
            web::resource("/roadside-parties/import")
                .app_data(web::PayloadConfig::new(MAX_IMPORT_BYTES))
                .route(web::post().to(import)),
        )
        .route("/roadside-parties/{id}", web::put().to(update))
        .route("/road-issues/{id}/responsible", web::put().to(name_responsible));
}

/// Filters of `GET /api/v1/roadside-parties`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PartyListQuery {
    /// Only under this unit inside the caller's scope.
    pub org_unit_id: Option<OrgUnitId>,
    /// Only on this segment.
    pub segment_id: Option<SegmentId>,
    /// Only along this road.
    pub road_id: Option<RoadId>,
    /// Parties no longer on the register too (default false).
    pub include_inactive: Option<bool>,
}

/// The roadside register in the caller's scope, by road code, km and holder. Road station, county
/// admin and the enforcement team.
#[utoipa::path(get, path = "/api/v1/roadside-parties", operation_id = "list_roadside_parties", tag = "roads", security(("bearer" = [])), params(PartyListQuery),
    responses((status = 200, body = [RoadsideParty]), (status = 403, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<PartyListQuery>,
) -> Result<web::Json<Vec<RoadsideParty>>, AppError> {
    let q = q.into_inner();
    let query = PartyQuery {
        org_unit_id: q.org_unit_id,
        segment_id: q.segment_id,
        road_id: q.road_id.map(|r| r.to_string()),
        include_inactive: q.include_inactive.unwrap_or(false),
    };
    Ok(web::Json(roadside::list(&state, &user, query).await?))
}

/// Register a party along a road: its plot on a segment of the caller's township (road station)
/// or anywhere (county admin). One active entry per holder and plot start on a segment.
#[utoipa::path(post, path = "/api/v1/roadside-parties", operation_id = "create_roadside_party", tag = "roads", security(("bearer" = [])), request_body = SaveRoadsideParty,
    responses((status = 201, body = RoadsideParty), (status = 403, description = "forbidden, out_of_scope (a segment of another township)", body = Problem),
        (status = 409, description = "already_exists: the holder is registered at this plot", body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: Json<SaveRoadsideParty>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Created().json(roadside::save(&state, &user, None, body.into_inner()).await?))
}

/// Change a party (every field; `active: false` takes it off the register, kept for old issues).
#[utoipa::path(put, path = "/api/v1/roadside-parties/{id}", operation_id = "update_roadside_party", tag = "roads", security(("bearer" = [])), request_body = SaveRoadsideParty,
    responses((status = 200, body = RoadsideParty), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<RoadsidePartyId>,
    body: Json<SaveRoadsideParty>,
) -> Result<web::Json<RoadsideParty>, AppError> {
    Ok(web::Json(roadside::save(&state, &user, Some(id.into_inner()), body.into_inner()).await?))
}

/// Download the roadside register in scope (沿线责任户) with the import's columns (路线编码, 起点桩号,
/// 止点桩号, 位置, 村, 类别, 户主, 联系电话, 协议签订日期, 备注); it imports again as is. Named
/// `roadside-<unit code>-<date>.<ext>`.
#[utoipa::path(get, path = "/api/v1/roadside-parties/export", operation_id = "export_roadside_parties", tag = "roads", security(("bearer" = [])), params(ExportQuery),
    responses((status = 200, description = "The file (attachment)", content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv"))),
        (status = 403, body = Problem)))]
pub async fn export(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let d = roadside_file::export(&state, &user, q.org_unit_id, q.format.unwrap_or(FileFormat::Xlsx)).await?;
    Ok(respond(d))
}

/// Import a village's register (CSV or XLSX: 户主, 路线编码, 起点桩号 and 村 required; see
/// docs/roads.md). A row is the registered party with the same holder and plot start on the
/// segment, else a new one. Dry run by default; a real import saves every row or nothing (422 with
/// the `RegisterImportReport` as JSON in `detail`).
#[utoipa::path(post, path = "/api/v1/roadside-parties/import", operation_id = "import_roadside_parties", tag = "roads", security(("bearer" = [])), params(ImportQuery),
    request_body(description = "The file, raw", content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses((status = 200, body = RoadsideImportResult), (status = 403, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem),
        (status = 422, description = "validation_failed: `detail` is the RegisterImportReport as JSON (row errors), or `file: …`", body = Problem)))]
pub async fn import(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    q: web::Query<ImportQuery>,
    body: Result<web::Bytes, actix_web::Error>,
) -> Result<web::Json<RoadsideImportResult>, AppError> {
    let body = body.map_err(body_error)?;
    let format = upload_format(&req, &body)?;
    Ok(web::Json(roadside_file::import(&state, &user, q.dry_run.unwrap_or(true), format, body).await?))
}

/// Name the party responsible for a violation on the road (or clear it with `party_id: null`): the
/// road station or the enforcement team, on an issue not yet closed, a party registered along its
/// road in its township. Answers the issue's detail.
#[utoipa::path(put, path = "/api/v1/road-issues/{id}/responsible", operation_id = "name_road_issue_responsible", tag = "roads", security(("bearer" = [])), request_body = NameResponsible,
    responses((status = 200, body = RoadIssueDetail), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "transition_not_allowed: the issue is closed", body = Problem),
        (status = 422, description = "validation_failed: not a violation, or not a party along this road in the township", body = Problem)))]
pub async fn name_responsible(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<RoadIssueId>,
    body: Json<NameResponsible>,
) -> Result<web::Json<RoadIssueDetail>, AppError> {
    Ok(web::Json(roadside::name_responsible(&state, &user, id.into_inner(), body.into_inner()).await?))
}
