//! One function per domain operation: one transaction, authorisation by role and org scope.
//! Routes call these; these call the query functions in `db`.

pub mod attachments;
pub mod auth;
pub mod dashboard;
pub mod hazards;
pub mod inspections;
pub mod ledger;
pub mod ledger_io;
pub mod lifecycle;
pub mod notifications;
pub mod notify;
pub mod org;
pub mod patrols;
pub mod premises;
pub mod register_files;
pub mod road_check_form;
pub mod road_checks;
pub mod road_files;
pub mod road_issues;
pub mod road_money;
pub mod road_months;
pub mod road_pay;
pub mod road_ranking;
pub mod road_register;
pub mod road_rollup;
pub mod road_workers;
pub mod road_works;
pub mod roads;
pub mod roadside;
pub mod roadside_file;
pub mod scope;
pub mod stats;
pub mod sync;
pub mod templates;
pub mod today;
pub mod users;
