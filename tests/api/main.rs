//! The API suite: every case runs against the real server on port 0, once on a SQLite file and
//! once on a fresh PostgreSQL database.

mod auth;
mod dashboard;
mod fire_hazards;
mod fire_premises;
mod fire_scope;
mod hardening;
mod hostile_files;
mod input;
mod ledger;
mod migrations;
mod org;
mod road_files;
mod road_issues;
mod roads;
mod stats;
mod sync;
mod sync_devices;
mod sync_runs;
mod tokens;
mod users;
mod web;

pub use xunjian_tests::{both_backends, expect_json, expect_problem, TestApp};
