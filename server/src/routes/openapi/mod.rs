//! The OpenAPI document, generated from the handlers' annotations and the shared DTOs.

mod modifiers;
mod schemas;

use actix_web::HttpResponse;
use modifiers::{Bearer, PathIds, Problems};
use std::sync::OnceLock;
use utoipa::OpenApi;

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
        super::road_checks::create_check, super::road_checks::list_checks, super::road_checks::get_check, super::road_checks::score, super::road_checks::mark_not_checkable,
        super::road_checks::score_station, super::road_checks::publish, super::road_checks::ranking,
        super::road_checks::check_form, super::road_checks::set_check_form, super::road_checks::reset_check_form,
        super::roads::export_roads, super::roads::import_roads, super::roads::export_workers, super::roads::import_workers,
        super::road_months::list, super::road_months::act, super::road_months::signers, super::road_months::set_signers, super::road_months::hours, super::road_months::set_hours,
        super::road_months::pay_rules, super::road_months::set_pay_rules, super::road_months::reset_pay_rules, super::road_months::rollup,
        super::road_issues::list, super::road_issues::register, super::road_issues::get, super::road_issues::act,
        super::road_issues::list_works, super::road_issues::file_works, super::road_issues::act_on_works,
        super::roadside::list, super::roadside::create, super::roadside::update, super::roadside::export, super::roadside::import,
        super::roadside::name_responsible,
        super::sync::push, super::sync::pull, super::attachments::upload, super::attachments::download,
        super::ledger::import, super::ledger::export, super::stats::quarter, super::stats::export_hazards, super::stats::dashboard,
    ),
    components(schemas(xunjian_shared::Problem, xunjian_shared::ErrorCode, crate::services::ledger_io::FileFormat)),
    modifiers(&Bearer, &PathIds, &Problems)
)]
pub struct ApiDoc;

/// The document as served: utoipa's, with the schema passes of `schemas.rs`. Built once.
pub fn document_json() -> &'static serde_json::Value {
    static DOC: OnceLock<serde_json::Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the document serializes");
        schemas::finish(&mut doc);
        doc
    })
}

/// `GET /api/v1/openapi.json`.
pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(document_json())
}

#[cfg(test)]
mod tests {
    use super::document_json;
    use serde_json::Value;
    use std::collections::HashSet;

    fn operations() -> Vec<(String, String, &'static Value)> {
        let doc = document_json();
        let mut out = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                out.push((method.clone(), path.clone(), op));
            }
        }
        out
    }

    #[test]
    fn operation_ids_are_unique_and_every_path_parameter_is_declared() {
        let mut ids = HashSet::new();
        for (method, path, op) in operations() {
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path}: no operationId"));
            assert!(ids.insert(id.to_owned()), "operationId {id} twice");
            let declared: Vec<&str> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            for name in path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))) {
                assert!(declared.contains(&name), "{method} {path}: {{{name}}} not declared");
            }
        }
        assert!(ids.len() > 60);
    }

    #[test]
    fn every_error_is_declared_as_a_problem_document() {
        for (method, path, op) in operations() {
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("default"), "{method} {path}: no default");
            if path.starts_with("/api/") && op.get("security").is_some() {
                assert!(responses.contains_key("401"), "{method} {path}: no 401");
            }
            for (status, r) in responses {
                if status == "default" || status.starts_with('4') || status.starts_with('5') {
                    let types: Vec<&String> = r["content"].as_object().unwrap().keys().collect();
                    assert_eq!(types, ["application/problem+json"], "{method} {path} {status}");
                }
            }
        }
    }

    #[test]
    fn every_reference_resolves_and_no_all_of_is_left() {
        let doc = document_json();
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for part in text.split("\"#/components/schemas/").skip(1) {
            let name = &part[..part.find('"').unwrap()];
            assert!(schemas.contains_key(name), "dangling $ref {name}");
        }
        assert!(!text.contains("\"allOf\""), "an allOf is left");
    }
}
