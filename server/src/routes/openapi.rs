//! The OpenAPI document, generated from the handlers' annotations and the shared DTOs.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Xunjian API", description = "巡检: village fire-safety grids and rural road patrol. Errors are application/problem+json with a stable `code`."),
    paths(
        super::health::healthz,
        super::auth::login, super::auth::refresh, super::auth::logout, super::auth::me, super::auth::change_password,
        super::org::list, super::org::get, super::org::create, super::org::update,
        super::users::list, super::users::get, super::users::create, super::users::update, super::users::revoke_sessions,
        super::premises::list, super::premises::create, super::premises::get, super::premises::update,
        super::premises::history, super::premises::inspections,
        super::templates::list, super::templates::get, super::templates::publish,
        super::inspections::submit, super::inspections::get,
        super::hazards::list, super::hazards::get, super::hazards::act, super::hazards::register,
        super::notifications::list, super::notifications::read, super::notifications::today,
        super::roads::list_roads, super::roads::create_road, super::roads::create_segment, super::roads::list_segments,
        super::roads::assign, super::roads::save_worker, super::roads::assignments, super::roads::submit_patrol,
        super::roads::get_patrol, super::roads::list_patrols, super::roads::months, super::roads::segment_coverage, super::roads::pay_sheet, super::roads::funds,
        super::roads::create_check, super::roads::list_checks, super::roads::get_check, super::roads::score, super::roads::publish, super::roads::ranking,
        super::roads::export_roads, super::roads::import_roads, super::roads::export_workers, super::roads::import_workers,
        super::road_issues::list, super::road_issues::get, super::road_issues::act,
        super::road_issues::list_works, super::road_issues::file_works, super::road_issues::act_on_works,
        super::sync::push, super::sync::pull, super::attachments::upload, super::attachments::download,
        super::ledger::import, super::ledger::export, super::stats::quarter, super::stats::export_hazards, super::stats::dashboard,
    ),
    components(schemas(xunjian_shared::Problem, xunjian_shared::ErrorCode)),
    modifiers(&Bearer)
)]
pub struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let c = api.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

/// `GET /api/v1/openapi.json`.
pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
