//! The office screens, in the same app as the field screens: the township office, the road
//! station, the enforcement team, the fire brigade and the county admin each land on their own
//! home and get their own navigation (a side bar on a desktop). They work on the server's answers
//! (`view`), kept in IndexedDB so they still show, read-only, when the server cannot be reached.
//! Every rule — which actions are allowed, the ranking marks — comes from the server's answer or
//! the shared crate.
//!
//! The screens are built only with the `office` feature: the phones' build (`web/index.html`,
//! served at `/`) leaves them out and sends an office role to the full build at `/office/`
//! (`web/office/index.html`). A hazard's timeline, its photos from the server and positions are
//! shown on the phone too, so those three modules are in both.

#[cfg(feature = "office")]
mod actions;
#[cfg(feature = "office")]
mod admin;
#[cfg(feature = "office")]
mod dashboard;
#[cfg(feature = "office")]
mod download;
#[cfg(feature = "office")]
mod form;
#[cfg(feature = "office")]
mod hazard_page;
#[cfg(feature = "office")]
mod hazard_queue;
#[cfg(feature = "office")]
mod hazard_table;
#[cfg(feature = "office")]
mod ledger;
#[cfg(feature = "office")]
mod ledger_file;
#[cfg(feature = "office")]
mod notice;
mod position;
#[cfg(feature = "office")]
mod quarter;
#[cfg(feature = "office")]
mod referrals;
#[cfg(feature = "office")]
mod road_table;
#[cfg(feature = "office")]
mod roads;
mod server_photos;
#[cfg(feature = "office")]
mod state;
pub(crate) mod timeline;
#[cfg(feature = "office")]
mod trend;
#[cfg(feature = "office")]
mod upload;
#[cfg(feature = "office")]
mod view;

#[cfg(feature = "office")]
use crate::i18n::{OfficeTexts, Texts};
#[cfg(feature = "office")]
use crate::route::Route;
use xunjian_shared::Role;
#[cfg(feature = "office")]
use xunjian_shared::{CheckId, HazardId, PatrolId, RoadIssueId};
#[cfg(feature = "office")]
use yew::prelude::*;

/// Whether a role works at a desk (the office screens) rather than in the field.
pub fn is_office(role: Role) -> bool {
    !matches!(role, Role::GridWorker | Role::PatrolWorker)
}

/// Where the build with the office screens is served.
pub const OFFICE_BUILD: &str = "/office/";

/// The other build's address when this one is not the one for `role` (the same screen there), else
/// none: the phones' build sends an office role to `/office/`, and the office build sends a field
/// worker back to the lighter phones' build at `/`.
pub fn other_build(role: Role, path: &str, hash: &str) -> Option<String> {
    let here_office = path.starts_with(OFFICE_BUILD);
    match (cfg!(feature = "office"), is_office(role)) {
        (false, true) => Some(format!("{OFFICE_BUILD}{hash}")),
        (true, false) if here_office => Some(format!("/{hash}")),
        _ => None,
    }
}

/// The navigation of an office role: its home first, messages and settings last.
#[cfg(feature = "office")]
pub fn nav(role: Role, o: &'static OfficeTexts, t: &'static Texts) -> Vec<(Route, &'static str)> {
    let home = match role {
        Role::Enforcement | Role::TrafficPolice => o.nav_referrals,
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
#[cfg(feature = "office")]
pub fn page(route: &Route, role: Role) -> Option<Html> {
    Some(match route {
        Route::Today => match role {
            Role::Enforcement | Role::TrafficPolice => html! { <referrals::Referrals /> },
            Role::RoadStation => html! { <roads::issues::RoadIssues /> },
            _ => html! { <dashboard::DashboardPage /> },
        },
        Route::Dashboard(unit) => {
            html! { <dashboard::DashboardPage key={unit.clone().unwrap_or_default()} unit={unit.clone()} /> }
        }
        Route::Hazards(unit) => {
            html! { <hazard_queue::HazardQueue key={unit.clone().unwrap_or_default()} unit={unit.clone()} /> }
        }
        // An address whose id is not one falls through to the field screens (or the home).
        Route::Hazard(id) => html! { <hazard_page::HazardPage id={id.parse::<HazardId>().ok()?} /> },
        Route::Notice(id) => html! { <notice::Notice id={id.parse::<HazardId>().ok()?} /> },
        Route::Referrals => html! { <referrals::Referrals /> },
        Route::Review => html! { <dashboard::ReviewList /> },
        Route::Quarter => html! { <quarter::Quarter /> },
        Route::Premises => html! { <ledger::Ledger /> },
        Route::RoadIssues => html! { <roads::issues::RoadIssues /> },
        Route::RoadIssue(id) => html! { <roads::issue::RoadIssuePage id={id.parse::<RoadIssueId>().ok()?} /> },
        Route::Patrols => html! { <roads::patrols::OfficePatrols /> },
        Route::PatrolDetail(id) => html! { <roads::patrol::OfficePatrol id={id.parse::<PatrolId>().ok()?} /> },
        Route::Works => html! { <roads::works::WorksPage /> },
        Route::Checks => html! { <roads::checks::Checks /> },
        Route::Register => html! { <roads::register::Register /> },
        Route::Check(id) => html! { <roads::check::CheckPage id={id.parse::<CheckId>().ok()?} /> },
        Route::PaySheet => html! { <roads::pay::Pay /> },
        Route::Funds => html! { <roads::funds::Funds /> },
        Route::Units => html! { <admin::units::Units /> },
        Route::Users => html! { <admin::users::Users /> },
        Route::Templates => html! { <admin::templates::Templates /> },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_ends_up_on_its_own_build() {
        for role in Role::ALL {
            let office = is_office(role);
            let from_root = other_build(role, "/", "#/hazard/1");
            let from_office = other_build(role, "/office/", "#/hazard/1");
            if cfg!(feature = "office") {
                assert_eq!(from_root, None, "{role:?}: the full build serves anyone where it is");
                assert_eq!(from_office, (!office).then(|| "/#/hazard/1".to_owned()), "{role:?}");
            } else {
                assert_eq!(from_root, office.then(|| "/office/#/hazard/1".to_owned()), "{role:?}");
            }
        }
    }
}
