//! `/api/v1/stats/quarter` (联席会议 statistics) and `/api/v1/hazards/export` (the hazard list as a
//! file). Registered before `/hazards/{id}` so that `export` is not read as an id.

use crate::auth::AuthUser;
use crate::error::AppError;
use crate::services::hazards::HazardQuery;
use crate::services::ledger::respond;
use crate::services::ledger_io::FileFormat;
use crate::services::stats::{self, QuarterRequest};
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use xunjian_shared::checklist::Severity;
use xunjian_shared::dashboard::Dashboard;
use xunjian_shared::hazard::ReferralTarget;
use xunjian_shared::stats::QuarterStats;
use xunjian_shared::{OrgUnitId, PremiseId, Problem};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/stats/quarter", web::get().to(quarter))
        .route("/hazards/export", web::get().to(export_hazards))
        .route("/dashboard", web::get().to(dashboard));
}

/// Parameters of `GET /api/v1/dashboard`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DashboardQuery {
    /// A unit inside the caller's scope (default: the caller's unit).
    pub org_unit_id: Option<OrgUnitId>,
}

/// The office dashboard: this month's inspection progress per unit below (villages of a township,
/// townships of the county), open hazards by status and severity, overdue, referrals out and
/// returned, major hazards waiting for the brigade, and a 12-month trend.
#[utoipa::path(get, path = "/api/v1/dashboard", operation_id = "get_dashboard", tag = "stats", security(("bearer" = [])), params(DashboardQuery),
    responses((status = 200, body = Dashboard), (status = 403, description = "forbidden, out_of_scope", body = Problem)))]
pub async fn dashboard(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<DashboardQuery>,
) -> Result<web::Json<Dashboard>, AppError> {
    Ok(web::Json(crate::services::dashboard::dashboard(&state, &user, q.into_inner().org_unit_id).await?))
}

/// The answer format of the statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatsFormat {
    Json,
    Xlsx,
}

/// Parameters of `GET /api/v1/stats/quarter`.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct QuarterQuery {
    /// The county, a township or a village inside the caller's scope (default: the caller's unit).
    pub org_unit_id: Option<OrgUnitId>,
    /// Year, 2000–2100.
    #[param(minimum = 2000, maximum = 2100)]
    pub year: i32,
    /// Quarter, 1–4 (China time: Q1 is 1 January 00:00 to 1 April 00:00 UTC+8).
    #[param(minimum = 1, maximum = 4)]
    pub quarter: u32,
    /// `json` (default) or `xlsx` (printable, with a title row).
    #[param(inline)]
    pub format: Option<StatsFormat>,
}

/// Quarterly statistics for the joint meeting (联席会议): one row per unit directly below the one
/// asked for (the villages of a township, the townships of the county) and the total. Definitions in
/// docs/ledger.md.
#[utoipa::path(get, path = "/api/v1/stats/quarter", operation_id = "get_quarter_stats", tag = "stats", security(("bearer" = [])), params(QuarterQuery),
    responses((status = 200, body = QuarterStats,
        content((QuarterStats = "application/json"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = Problem), (status = 403, description = "forbidden, out_of_scope", body = Problem)))]
pub async fn quarter(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<QuarterQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let s =
        stats::quarter(&state, &user, QuarterRequest { org_unit_id: q.org_unit_id, year: q.year, quarter: q.quarter })
            .await?;
    Ok(match q.format.unwrap_or(StatsFormat::Json) {
        StatsFormat::Json => HttpResponse::Ok().json(s),
        StatsFormat::Xlsx => respond(stats::quarter_xlsx(&state, s).await?),
    })
}

/// Filters of `GET /api/v1/hazards/export`: those of `GET /api/v1/hazards`, and the format.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct HazardExportQuery {
    /// `xlsx` (default) or `csv`.
    #[param(inline)]
    pub format: Option<FileFormat>,
    /// Only under this unit (township, village or grid) inside the caller's scope.
    pub org_unit_id: Option<OrgUnitId>,
    /// Comma-separated statuses, e.g. `filed,supervised`.
    #[param(value_type = Option<Vec<xunjian_shared::hazard::HazardStatus>>, style = Form, explode = false, min_items = 1)]
    pub status: Option<String>,
    /// 一般 `general` or 重大 `major`.
    pub severity: Option<Severity>,
    /// Referred to `enforcement` or `fire_brigade`.
    pub referred_to: Option<ReferralTarget>,
    /// Only overdue ones (under supervision, or past a running deadline).
    pub overdue: Option<bool>,
    /// Only at this premise.
    pub premise_id: Option<PremiseId>,
    /// Registered at or after (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Registered before (RFC 3339).
    pub to: Option<DateTime<Utc>>,
}

/// Download the hazards matching the list filters (newest first, at most 10,000; `X-Total-Count`
/// tells how many matched) with Chinese headers: 场所, 地址, 类别, 等级, 状态, 登记时间, 期限, 移交至.
#[utoipa::path(get, path = "/api/v1/hazards/export", operation_id = "export_hazards", tag = "hazards", security(("bearer" = [])), params(HazardExportQuery),
    responses((status = 200, description = "The file (attachment)", content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv"))),
        (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn export_hazards(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<HazardExportQuery>,
) -> Result<HttpResponse, AppError> {
    let q = q.into_inner();
    let statuses = super::hazards::parse_statuses(q.status.as_deref())?;
    let query = HazardQuery {
        org_unit_id: q.org_unit_id,
        statuses,
        severity: q.severity,
        referred_to: q.referred_to,
        overdue: q.overdue.unwrap_or(false),
        premise_id: q.premise_id,
        from: q.from,
        to: q.to,
        limit: stats::MAX_HAZARD_EXPORT,
        offset: 0,
    };
    let format = q.format.unwrap_or(FileFormat::Xlsx);
    Ok(respond(stats::export_hazards(&state, &user, query, format).await?))
}
