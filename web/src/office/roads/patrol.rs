//! One on-road record for the office: the worker, the day, time on the road, distance, coverage of
//! each segment, the track drawn over the segments' lines, the seven items of 第十五条 and the
//! problems found (each a road issue).

use super::track_svg::track_map;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::office::server_photos::ServerPhotos;
use crate::office::state::{not_ready, offline_note};
use crate::office::view::send;
use crate::office::view::use_view;
use crate::route::Route;
use crate::util::{distance, hms, percent, short_time};
use gloo::net::http::Method;
use wasm_bindgen_futures::spawn_local;
use xunjian_shared::api as paths;
use xunjian_shared::road::patrol::{PatrolDetail, UpdateSegment};
use xunjian_shared::road::register::Segment;
use xunjian_shared::{PatrolId, Role};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct OfficePatrolProps {
    pub id: PatrolId,
}

#[component]
pub fn OfficePatrol(props: &OfficePatrolProps) -> Html {
    let ctx = use_ctx();
    let (o, t) = (ctx.o(), ctx.t());
    let view = use_view::<PatrolDetail>(paths::patrol(props.id));
    let taken = use_state(|| None::<Result<(), String>>);
    if let Some(h) = not_ready(&ctx, &view.load) {
        return h;
    }
    let Some(d) = view.load.data().cloned() else { return html! {} };
    let p = &d.patrol;
    let s = &p.submitted;
    let lines: Vec<_> = s
        .segment_ids
        .iter()
        .filter_map(|id| ctx.world.segments.iter().find(|x| &x.value.id == id))
        .map(|x| x.value.polyline.clone())
        .collect();
    let track: Vec<_> = s.track.iter().map(|f| f.point()).collect();
    let marks: Vec<_> = s.findings.iter().map(|f| f.location).collect();
    // An on-road record of one segment without a surveyed line: the station (or the county) may
    // make its track the line, after which patrols are measured against it.
    let unsurveyed = match p.coverage.as_slice() {
        [(id, None)] if p.on_road => Some(*id),
        _ => None,
    };
    let may_take = matches!(ctx.role(), Role::RoadStation | Role::CountyAdmin) && !view.load.offline();
    let take = unsurveyed.map(|segment| {
        let (ctx, taken, patrol) = (ctx.clone(), taken.clone(), s.id);
        Callback::from(move |_: MouseEvent| {
            let (ctx, taken) = (ctx.clone(), taken.clone());
            let body = UpdateSegment { polyline_from_patrol: Some(patrol), ..Default::default() };
            spawn_local(async move {
                let r = send::<_, Segment>(&ctx, Method::PATCH, &paths::segment(segment), &body).await;
                taken.set(Some(r.map(|_| ()).map_err(|e| e.message(ctx.lang))));
            });
        })
    });
    html! {
        <div data-testid="office-patrol" data-id={s.id.to_string()} data-worker={d.worker_name.clone()}>
            { offline_note(&ctx, &view.load) }
            <h2 class="page-title">{ t.patrols_title }{ " · " }{ &d.worker_name }{ " · " }{ short_time(s.started_at) }</h2>
            <div class="figures wide-figures">
                <div class="figure"><span class="label">{ t.elapsed }</span><strong>{ hms((s.ended_at - s.started_at).num_seconds()) }</strong></div>
                <div class="figure"><span class="label">{ t.distance }</span><strong>{ distance(p.distance_m) }</strong></div>
                <div class="figure"><span class="label">{ t.checklist_score }</span><strong>{ format!("{:.0}", p.checklist_score) }</strong></div>
                <div class="figure"><span class="label">{ t.track_points }</span><strong>{ s.track.len() }</strong></div>
                <div class="figure"><span class="label">{ t.problems_found }</span><strong>{ s.findings.len() }</strong></div>
            </div>
            <ul class="plain" data-testid="coverage">
                { for p.coverage.iter().map(|(id, c)| html! {
                    <li>{ ctx.world.segment_label(id) }{ " · " }{ t.coverage }{ " " }<strong>{ c.map_or_else(|| t.no_line.to_owned(), percent) }</strong></li>
                }) }
            </ul>
            { track_map(&lines, &track, &marks) }
            if let (Some(take), true) = (take, may_take) {
                <section class="card tight" data-testid="take-line">
                    <p class="small">{ o.take_line_help }</p>
                    { match &*taken {
                        Some(Ok(())) => html! { <p class="notice" role="status" data-testid="line-taken">{ o.line_taken }</p> },
                        Some(Err(e)) => html! { <p class="error" role="alert">{ e }</p> },
                        None => html! { <button type="button" class="button primary small-button" onclick={take} data-testid="take-line-button">{ o.take_line }</button> },
                    } }
                </section>
            }
            <p class="legend"><span><i style="background:#9aa3ad"></i>{ o.surveyed_line }</span><span><i style="background:#b71c1c"></i>{ o.walked_track }</span></p>
            <h3 class="section">{ t.road_checklist }</h3>
            <ul class="plain checks">
                { for s.checks.iter().map(|c| html! {
                    <li class={classes!((!c.pass).then_some("failed"))}>
                        { if c.pass { "✓ " } else { "✗ " } }{ i18n::road_check(ctx.lang, c.item) }
                        if let Some(n) = &c.note { <span class="muted small">{ " · " }{ n }</span> }
                        if let Some(ph) = &c.photo { <ServerPhotos shas={vec![ph.as_str().to_owned()]} /> }
                    </li>
                }) }
            </ul>
            <h3 class="section">{ t.problems_found }</h3>
            <ul class="list">
                { for s.findings.iter().map(|f| html! {
                    <li><a class="row" href={Route::RoadIssue(f.id.to_string()).hash()}>
                        <span class="title">{ i18n::finding_category(ctx.lang, f.category) }</span>
                        <span class="sub">{ &f.description }</span>
                    </a></li>
                }) }
            </ul>
            if !s.notes.is_empty() { <p class="small">{ t.notes }{ " · " }{ &s.notes }</p> }
        </div>
    }
}
