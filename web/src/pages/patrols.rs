//! 巡查记录: the worker's patrols on the phone — pulled from the server and ended here but not yet
//! synced — newest first, with distance and coverage.

use crate::components::saved::SavedBadge;
use crate::ctx::use_ctx;
use crate::patrol_draft::mean_coverage;
use crate::route::Route;
use crate::util::{distance, fixed, percent, short_time};
use yew::prelude::*;

#[component]
pub fn Patrols() -> Html {
    let ctx = use_ctx();
    let t = ctx.t();
    let list = &ctx.world.patrols;
    html! {
        <>
            <h2 class="section">{ t.patrols_title }<span class="count">{ list.len() }</span></h2>
            if ctx.live.patrol.is_some() {
                <a class="notice warn block" href={Route::Patrol.hash()}>{ t.patrol_in_progress }{ " · " }{ t.continue_patrol }</a>
            }
            if list.is_empty() { <p class="muted">{ t.no_patrols }</p> }
            <ul class="list" data-testid="patrol-list">
                { for list.iter().map(|p| {
                    let v = &p.value;
                    let s = &v.submitted;
                    let coverage = mean_coverage(&v.coverage).map_or_else(|| "—".to_owned(), percent);
                    let roads: Vec<String> = s.segment_ids.iter().map(|id| ctx.world.segment_label(id)).collect();
                    let failed = s.checks.iter().filter(|c| !c.pass).count() as u32;
                    let mut found = Vec::new();
                    if failed > 0 {
                        found.push((t.failed_n)(failed));
                    }
                    if !s.findings.is_empty() {
                        found.push((t.problems_n)(s.findings.len() as u32));
                    }
                    html! {
                        <li><a class="row" href={Route::PatrolDetail(s.id.to_string()).hash()} data-id={s.id.to_string()}
                            data-coverage={fixed(mean_coverage(&v.coverage).unwrap_or(0.0), 3)}>
                            <span class="title">{ short_time(s.started_at) }
                                <span class="dist">{ distance(v.distance_m) }{ " · " }{ coverage }</span></span>
                            <span class="sub">{ roads.join("、") }</span>
                            if !found.is_empty() { <span class="sub">{ found.join(" · ") }</span> }
                            <SavedBadge pending={p.pending()} />
                        </a></li>
                    }
                }) }
            </ul>
        </>
    }
}
