//! 移交案件: what was referred to my team — hazards (enforcement team, fire brigade) and, for the
//! enforcement team and the traffic police (road issues only), road violations — waiting to be
//! accepted or with an outcome to record. Opening one offers 受理, 退回 (with a reason) or 登记查处结果.

use super::hazard_table::hazard_table;
use super::road_table::road_issue_table;
use super::state::{not_ready, offline_note};
use super::view::use_view;
use crate::ctx::use_ctx;
use xunjian_shared::api as paths;
use xunjian_shared::hazard::HazardPage;
use xunjian_shared::road::issue::RoadIssuePage;
use xunjian_shared::Role;
use yew::prelude::*;

const WAITING: &str = "status=referred,referral_accepted";

#[component]
pub fn Referrals() -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    // The traffic police receive road issues only (第八条).
    if ctx.role() == Role::TrafficPolice {
        return html! {
            <div data-testid="referrals">
                <h2 class="page-title">{ o.nav_referrals }</h2>
                <p class="muted">{ o.referrals_help }</p>
                <RoadReferrals to="traffic_police" />
            </div>
        };
    }
    let target = if ctx.role() == Role::FireBrigade { "fire_brigade" } else { "enforcement" };
    let hazards = use_view::<HazardPage>(format!("{}?referred_to={target}&{WAITING}&limit=200", paths::HAZARDS));
    html! {
        <div data-testid="referrals">
            <h2 class="page-title">{ o.nav_referrals }</h2>
            <p class="muted">{ o.referrals_help }</p>
            { offline_note(&ctx, &hazards.load) }
            <h3 class="section">{ o.fire_hazards }</h3>
            if let Some(h) = not_ready(&ctx, &hazards.load) { { h } }
            if let Some(page) = hazards.load.data() {
                { hazard_table(&ctx, &page.items, "referred-hazards") }
            }
            if ctx.role() == Role::Enforcement {
                <RoadReferrals to="enforcement" />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RoadReferralsProps {
    /// The receiver (`ReferralTarget`'s wire name).
    to: &'static str,
}

#[component]
fn RoadReferrals(props: &RoadReferralsProps) -> Html {
    let ctx = use_ctx();
    let to = props.to;
    let issues = use_view::<RoadIssuePage>(format!("{}?referred_to={to}&{WAITING}&limit=200", paths::ROAD_ISSUES));
    html! {
        <>
            <h3 class="section">{ ctx.o().road_violations }</h3>
            if let Some(h) = not_ready(&ctx, &issues.load) { { h } }
            if let Some(page) = issues.load.data() {
                { road_issue_table(&ctx, &page.items, "referred-road-issues") }
            }
        </>
    }
}
