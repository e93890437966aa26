//! The office screens, in the same app as the field screens: the township office, the road
//! station, the enforcement team, the fire brigade and the county admin each land on their own
//! home and get their own navigation (a side bar on a desktop). They work on the server's answers
//! (`view`), kept in IndexedDB so they still show, read-only, when the server cannot be reached.
//! Every rule — which actions are allowed, the ranking marks — comes from the server's answer or
//! the shared crate.

mod actions;
mod admin;
mod dashboard;
mod download;
mod form;
mod hazard_page;
mod hazard_queue;
mod hazard_table;
mod ledger;
mod ledger_file;
mod notice;
mod position;
mod quarter;
mod referrals;
mod road_table;
mod roads;
mod server_photos;
mod state;
pub(crate) mod timeline;
mod trend;
mod upload;
mod view;

use crate::i18n::{OfficeTexts, Texts};
use crate::route::Route;
use xunjian_shared::Role;
use yew::prelude::*;

/// Whether a role works at a desk (the office screens) rather than in the field.
pub fn is_office(role: Role) -> bool {
    !matches!(role, Role::GridWorker | Role::PatrolWorker)
}

/// The navigation of an office role: its home first, messages and settings last.
pub fn nav(role: Role, o: &'static OfficeTexts, t: &'static Texts) -> Vec<(Route, &'static str)> {
    let home = match role {
        Role::Enforcement => o.nav_referrals,
        Role::RoadStation => o.nav_road_issues,
        Role::FireBrigade | Role::CountyAdmin => o.nav_county,
        _ => o.nav_dashboard,
    };
    let mut items = vec![(Route::Today, home)];
    items.extend(match role {
        Role::TownshipOffice => vec![
            (Route::Hazards(None), o.nav_hazards),
            (Route::Premises, o.nav_ledger),
            (Route::Quarter, o.nav_quarter),
            (Route::Users, o.nav_admin),
        ],
        Role::FireBrigade => vec![
            (Route::Review, o.nav_review),
            (Route::Referrals, o.nav_referrals),
            (Route::Hazards(None), o.nav_hazards),
            (Route::Quarter, o.nav_quarter),
        ],
        Role::RoadStation => vec![
            (Route::Patrols, o.nav_patrols),
            (Route::Register, o.nav_register),
            (Route::Works, o.nav_works),
            (Route::PaySheet, o.nav_pay),
            (Route::Checks, o.nav_checks),
            (Route::Users, o.nav_users),
        ],
        Role::CountyAdmin => vec![
            (Route::Hazards(None), o.nav_hazards),
            (Route::Checks, o.nav_checks),
            (Route::RoadIssues, o.nav_road_issues),
            (Route::Patrols, o.nav_patrols),
            (Route::Register, o.nav_register),
            (Route::PaySheet, o.nav_pay),
            (Route::Funds, o.nav_funds),
            (Route::Quarter, o.nav_quarter),
            (Route::Units, o.nav_units),
            (Route::Users, o.nav_users),
            (Route::Templates, o.nav_templates),
        ],
        _ => vec![],
    });
    items.push((Route::Notifications, t.tab_notifications));
    items.push((Route::Settings, t.tab_settings));
    items
}

/// The office screen for a route, or none where the field screen serves (ledger, messages,
/// settings).
pub fn page(route: &Route, role: Role) -> Option<Html> {
    Some(match route {
        Route::Today => match role {
            Role::Enforcement => html! { <referrals::Referrals /> },
            Role::RoadStation => html! { <roads::issues::RoadIssues /> },
            _ => html! { <dashboard::DashboardPage /> },
        },
        Route::Dashboard(unit) => {
            html! { <dashboard::DashboardPage key={unit.clone().unwrap_or_default()} unit={unit.clone()} /> }
        }
        Route::Hazards(unit) => {
            html! { <hazard_queue::HazardQueue key={unit.clone().unwrap_or_default()} unit={unit.clone()} /> }
        }
        Route::Hazard(id) => html! { <hazard_page::HazardPage id={id.clone()} /> },
        Route::Notice(id) => html! { <notice::Notice id={id.clone()} /> },
        Route::Referrals => html! { <referrals::Referrals /> },
        Route::Review => html! { <dashboard::ReviewList /> },
        Route::Quarter => html! { <quarter::Quarter /> },
        Route::Premises => html! { <ledger::Ledger /> },
        Route::RoadIssues => html! { <roads::issues::RoadIssues /> },
        Route::RoadIssue(id) => html! { <roads::issue::RoadIssuePage id={id.clone()} /> },
        Route::Patrols => html! { <roads::patrols::OfficePatrols /> },
        Route::PatrolDetail(id) => html! { <roads::patrol::OfficePatrol id={id.clone()} /> },
        Route::Works => html! { <roads::works::WorksPage /> },
        Route::Checks => html! { <roads::checks::Checks /> },
        Route::Register => html! { <roads::register::Register /> },
        Route::Check(id) => html! { <roads::check::CheckPage id={id.clone()} /> },
        Route::PaySheet => html! { <roads::pay::Pay /> },
        Route::Funds => html! { <roads::funds::Funds /> },
        Route::Units => html! { <admin::units::Units /> },
        Route::Users => html! { <admin::users::Users /> },
        Route::Templates => html! { <admin::templates::Templates /> },
        _ => return None,
    })
}
