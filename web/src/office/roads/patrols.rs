//! 巡查记录 for the road station and the county: a month's on-road records (worker, day, segments,
//! time on the road, distance, coverage, checklist score, problems found); each opens the patrol
//! with its track. Below, each segment's month: its patrols, their days, and how much of its line
//! they covered together (`GET /api/v1/segments/coverage`) — the stretches nobody walked.

use super::{my_township, townships};
use crate::ctx::use_ctx;
use crate::i18n;
use crate::office::state::{not_ready, offline_note};
use crate::office::view::use_view;
use crate::route::Route;
use crate::util::{distance, hms, month_of, now, percent, short_time};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use xunjian_shared::api as paths;
use xunjian_shared::road::patrol::{PatrolSummary, SegmentMonth};
use yew::prelude::*;

#[component]
pub fn OfficePatrols() -> Html {
    let ctx = use_ctx();
    let (o, t) = (ctx.o(), ctx.t());
    let month = use_state(|| month_of(now()));
    let township = use_state(|| my_township(&ctx).unwrap_or_default());
    let mut query = format!("month={}", *month);
    if !township.is_empty() {
        query.push_str(&format!("&township_id={}", *township));
    }
    let view = use_view::<Vec<PatrolSummary>>(format!("{}?{query}", paths::PATROLS));
    let by_segment = use_view::<Vec<SegmentMonth>>(format!("{}?{query}", paths::SEGMENTS_COVERAGE));
    let on_month = {
        let month = month.clone();
        Callback::from(move |e: Event| month.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_township = {
        let township = township.clone();
        Callback::from(move |e: Event| township.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let county = my_township(&ctx).is_none();
    html! {
        <div data-testid="office-patrols">
            <h2 class="page-title">{ o.nav_patrols }</h2>
            <div class="filters">
                <label>{ o.month }<input type="month" value={(*month).clone()} onchange={on_month} data-testid="patrol-month" /></label>
                if county {
                    <label>{ o.col_township }
                        <select onchange={on_township}>
                            <option value="">{ o.all }</option>
                            { for townships(&ctx).into_iter().map(|(id, name)| html! { <option value={id}>{ name }</option> }) }
                        </select>
                    </label>
                }
            </div>
            { offline_note(&ctx, &view.load) }
            if let Some(h) = not_ready(&ctx, &view.load) { { h } }
            if let Some(list) = view.load.data() {
                if list.is_empty() { <p class="muted">{ t.no_patrols }</p> } else {
                    <div class="table-wrap"><table class="table" data-testid="patrol-table">
                        <thead><tr>
                            <th>{ t.started }</th><th>{ o.worker }</th><th>{ o.col_segment }</th><th class="num">{ t.elapsed }</th>
                            <th class="num">{ t.distance }</th><th>{ t.coverage }</th><th class="num">{ t.checklist_score }</th><th class="num">{ t.problems_found }</th><th>{ o.patrol_verdict }</th>
                        </tr></thead>
                        <tbody>
                            { for list.iter().rev().map(|p| html! {
                                <tr data-id={p.id.to_string()}>
                                    <td><a href={Route::PatrolDetail(p.id.to_string()).hash()}>{ short_time(p.started_at) }</a></td>
                                    <td>{ &p.worker_name }</td>
                                    <td class="wrap">{ p.segment_ids.iter().map(|s| ctx.world.segment_label(s)).collect::<Vec<_>>().join("；") }</td>
                                    <td class="num">{ hms((p.ended_at - p.started_at).num_seconds()) }</td>
                                    <td class="num">{ distance(p.distance_m) }</td>
                                    <td>{ p.coverage.iter().map(|(_, c)| c.map_or_else(|| "—".to_owned(), percent)).collect::<Vec<_>>().join(" / ") }</td>
                                    <td class="num">{ format!("{:.0}", p.checklist_score) }</td>
                                    <td class="num">{ p.findings }</td>
                                    <td class="wrap" data-on-road={p.on_road.to_string()} data-flags={p.flags.len().to_string()}>
                                        if p.on_road { { "✓" } } else {
                                            <span class="error">{ p.faults.iter().map(|f| i18n::on_road_fault(ctx.lang, f)).collect::<Vec<_>>().join("；") }</span>
                                        }
                                        { for p.flags.iter().map(|f| html! { <span class="tag warn">{ i18n::patrol_flag(ctx.lang, f) }</span> }) }
                                    </td>
                                </tr>
                            }) }
                        </tbody>
                    </table></div>
                }
            }
            if let Some(segments) = by_segment.load.data() {
                <h3 class="section">{ o.segment_month }</h3>
                <div class="table-wrap"><table class="table" data-testid="segment-month">
                    <thead><tr>
                        <th>{ o.col_segment }</th><th class="num">{ o.patrol_count }</th><th class="num">{ o.days_on_road }</th><th class="num">{ t.coverage }</th>
                    </tr></thead>
                    <tbody>
                        { for segments.iter().map(|s| html! {
                            <tr data-segment={s.segment_id.to_string()} data-coverage={s.coverage.map(|c| format!("{c:.2}")).unwrap_or_default()}
                                class={classes!((s.patrols == 0).then_some("flagged"))}>
                                <td>{ ctx.world.segment_label(&s.segment_id) }</td>
                                <td class="num">{ s.patrols }</td><td class="num">{ s.days }</td>
                                <td class="num">{ s.coverage.map_or_else(|| "—".to_owned(), percent) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table></div>
            }
        </div>
    }
}
