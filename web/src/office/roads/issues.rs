//! 道路问题: the road station's queue of patrol findings and its own (the road station's home), open
//! first, with the count per status; each opens its page with the actions the server allows. The
//! station registers what it finds itself above the list (第十八条).

use super::issue_form::RegisterIssue;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::office::hazard_table::status_chips;
use crate::office::road_table::road_issue_table;
use crate::office::state::{not_ready, offline_note};
use crate::office::view::use_view;
use crate::route::Route;
use web_sys::HtmlSelectElement;
use xunjian_shared::api as paths;
use xunjian_shared::hazard::HazardStatus;
use xunjian_shared::road::issue::RoadIssuePage;
use xunjian_shared::road::patrol::AssignmentReport;
use xunjian_shared::Role;
use yew::prelude::*;

#[component]
pub fn RoadIssues() -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let status = use_state(|| "open".to_owned());
    let query = if *status == "open" {
        let open: Vec<&str> =
            HazardStatus::ALL.iter().filter(|s| **s != HazardStatus::Closed).map(|s| s.as_str()).collect();
        format!("status={}", open.join(","))
    } else if status.is_empty() {
        String::new()
    } else {
        format!("status={}", *status)
    };
    let view = use_view::<RoadIssuePage>(format!("{}?{query}&limit=200", paths::ROAD_ISSUES));
    // The station's segments without a surveyed line (their patrols are judged on the track alone).
    let report = use_view::<AssignmentReport>(paths::ROADS_ASSIGNMENTS.into());
    let unsurveyed = report.load.data().filter(|r| !r.unsurveyed.is_empty()).cloned();
    let on_status = {
        let status = status.clone();
        Callback::from(move |e: Event| status.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    html! {
        <div data-testid="road-issues">
            <h2 class="page-title">{ o.nav_road_issues }</h2>
            <div class="filters">
                <label>{ o.col_status }
                    <select onchange={on_status}>
                        <option value="open" selected={*status == "open"}>{ o.open_only }</option>
                        <option value="" selected={status.is_empty()}>{ o.all }</option>
                        { for HazardStatus::ALL.iter().map(|s| html! {
                            <option value={s.as_str()} selected={*status == s.as_str()}>{ i18n::status(ctx.lang, *s) }</option>
                        }) }
                    </select>
                </label>
            </div>
            if let (Some(r), Role::RoadStation) = (&unsurveyed, ctx.role()) {
                <p class="notice" data-testid="unsurveyed" data-km={format!("{:.1}", r.unsurveyed_km)}>
                    <strong>{ format!("{} · {:.1} km", r.unsurveyed.len(), r.unsurveyed_km) }</strong>{ " " }{ o.unsurveyed_notice }{ " " }
                    <a href={Route::Patrols.hash()}>{ ctx.t().patrols_title }</a>
                </p>
            }
            if ctx.role() == Role::RoadStation && !view.load.offline() {
                <RegisterIssue on_done={view.reload.clone()} />
            }
            { offline_note(&ctx, &view.load) }
            if let Some(h) = not_ready(&ctx, &view.load) { { h } }
            if let Some(page) = view.load.data() {
                { status_chips(&ctx, page.total, &page.by_status) }
                { road_issue_table(&ctx, &page.items, "road-issue-list") }
            }
        </div>
    }
}
