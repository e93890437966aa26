//! HTTP routes: thin handlers that extract, authorise (via `AuthUser`) and call a service.

pub mod attachments;
pub mod auth;
pub mod extractors;
pub mod hazards;
pub mod health;
pub mod inspections;
pub mod ledger;
pub mod notifications;
pub mod openapi;
pub mod org;
pub mod premises;
pub mod problems;
pub mod road_checks;
pub mod road_issues;
pub mod road_months;
pub mod roads;
pub mod roadside;
pub mod stats;
pub mod strict_json;
pub mod sync;
pub mod templates;
pub mod users;

use actix_web::middleware::from_fn;
use actix_web::web;

/// Registers every `/api/v1` route on `cfg`.
pub fn api(cfg: &mut web::ServiceConfig, attachment_max_bytes: usize) {
    cfg.service(
        web::scope("/api/v1")
            .wrap(from_fn(problems::documented_methods_only))
            .wrap(from_fn(extractors::refuse_control_chars))
            // Before premises and hazards: /premises/import, /premises/export, /hazards/export are not ids.
            .configure(ledger::routes)
            .configure(stats::routes)
            .configure(auth::routes)
            .configure(org::routes)
            .configure(users::routes)
            .configure(premises::routes)
            .configure(templates::routes)
            .configure(inspections::routes)
            .configure(hazards::routes)
            .configure(notifications::routes)
            .configure(road_checks::routes)
            .configure(roads::routes)
            .configure(road_months::routes)
            .configure(road_issues::routes)
            .configure(roadside::routes)
            .configure(sync::routes)
            .configure(|c| attachments::routes(c, attachment_max_bytes))
            .route("/openapi.json", web::get().to(openapi::document))
            .default_service(web::to(problems::api_fallback)),
    );
}
