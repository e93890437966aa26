//! `/api/v1/premises/import` and `/api/v1/premises/export`: the township ledger (台账) as a file.
//! Registered before `/premises/{id}` so that these paths are not read as ids.

use crate::auth::AuthUser;
use crate::error::AppError;
use crate::services::ledger::{self, ImportRequest};
use crate::services::ledger_io::FileFormat;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use xunjian_shared::ledger::{ImportResult, MAX_IMPORT_BYTES};
use xunjian_shared::{OrgUnitId, Problem};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/premises/import")
            // Only this route takes a large body; everything else keeps the app's JSON limit.
            .app_data(web::PayloadConfig::new(MAX_IMPORT_BYTES))
            .route(web::post().to(import)),
    )
    .route("/premises/export", web::get().to(export));
}

/// Options of `POST /api/v1/premises/import`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// The township (乡镇) the file belongs to; inside the caller's scope.
    pub township_id: OrgUnitId,
    /// Only check and report, write nothing (default true).
    pub dry_run: Option<bool>,
    /// Leave out rows that duplicate an existing premise or an earlier row (default false).
    pub skip_duplicates: Option<bool>,
}

/// An office file's body that could not be read: over the limit is 413, anything else 400.
pub(crate) fn body_error(e: actix_web::Error) -> AppError {
    super::extractors::body_error(e, MAX_IMPORT_BYTES)
}

/// Import a township's ledger file (台账导入): CSV or XLSX with a header row (Chinese or English
/// column names, see docs/ledger.md), at most 5 MiB and 5,000 rows. A dry run (the default) answers
/// the report and writes nothing. A real import writes all rows in one transaction; if any row has
/// an error nothing is written and the answer is 422 `validation_failed` whose `detail` is the
/// report (an `ImportReport`) as JSON. Duplicates are warnings (or skipped with `skip_duplicates`).
#[utoipa::path(post, path = "/api/v1/premises/import", operation_id = "import_ledger", tag = "premises", security(("bearer" = [])), params(ImportQuery),
    request_body(description = "The ledger file, raw", content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses((status = 200, body = ImportResult), (status = 403, description = "forbidden, out_of_scope", body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem),
        (status = 422, description = "validation_failed: `detail` is the ImportReport as JSON (row errors), or `file: …` (unreadable file, missing columns, too many rows)", body = Problem)))]
pub async fn import(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    q: web::Query<ImportQuery>,
    body: Result<web::Bytes, actix_web::Error>,
) -> Result<web::Json<ImportResult>, AppError> {
    let body = body.map_err(body_error)?;
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let format = FileFormat::of_upload(content_type, &body)?;
    let q = q.into_inner();
    let request = ImportRequest {
        township_id: q.township_id,
        dry_run: q.dry_run.unwrap_or(true),
        skip_duplicates: q.skip_duplicates.unwrap_or(false),
        format,
    };
    Ok(web::Json(ledger::import(&state, &user, request, body).await?))
}

/// Options of the file exports (`GET /api/v1/premises/export`, `/roads/export`, `/patrol-workers/export`).
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `xlsx` (default) or `csv` (UTF-8 with BOM).
    #[param(inline)]
    pub format: Option<FileFormat>,
    /// Only what lies under this unit inside the caller's scope (default: the whole scope).
    pub org_unit_id: Option<OrgUnitId>,
}

/// Download the ledger (active premises) as a file with the import's columns, sorted by township,
/// village, grid and name; it imports again as is. Named `ledger-<unit code>-<date>.<ext>`.
#[utoipa::path(get, path = "/api/v1/premises/export", operation_id = "export_ledger", tag = "premises", security(("bearer" = [])), params(ExportQuery),
    responses((status = 200, description = "The file (attachment)", content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv"))),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn export(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let d = ledger::export(&state, &user, q.org_unit_id, q.format.unwrap_or(FileFormat::Xlsx)).await?;
    Ok(ledger::respond(d))
}
