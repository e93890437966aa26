//! One patrol: the summary shown when it ends (distance, coverage per segment, the checklist, the
//! problems found), saved on the phone or synced.

use crate::components::photos::Thumbs;
use crate::components::saved::SavedBadge;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::route::Route;
use crate::util::{distance, fixed, hms, percent, short_time};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PatrolDetailProps {
    pub id: String,
}

#[component]
pub fn PatrolDetail(props: &PatrolDetailProps) -> Html {
    let ctx = use_ctx();
    let t = ctx.t();
    let Some(local) = ctx.world.patrol(&props.id) else {
        return html! { <p class="muted">{ t.not_found }</p> };
    };
    let p = &local.value;
    let s = &p.submitted;
    let secs = (s.ended_at - s.started_at).num_seconds();
    let fact = |label: &'static str, value: String, id: &'static str| {
        html! { <><dt>{ label }</dt><dd data-testid={id}>{ value }</dd></> }
    };
    html! {
        <>
            <section class="card tight" data-testid="patrol-summary" data-id={s.id.to_string()}
                data-distance={fixed(p.distance_m, 0)}>
                <h2>{ if local.pending() { t.patrol_saved } else { t.patrols_title } }</h2>
                if local.pending() { <p class="small">{ t.saved_local_long }</p> }
                <SavedBadge pending={local.pending()} />
                <dl class="facts">
                    { fact(t.started, short_time(s.started_at), "started") }
                    { fact(t.elapsed, hms(secs), "elapsed") }
                    { fact(t.distance, distance(p.distance_m), "distance") }
                    { fact(t.checklist_score, fixed(p.checklist_score, 0), "score") }
                </dl>
                <h3 class="small">{ t.coverage }</h3>
                <ul class="plain" data-testid="coverage">
                    { for p.coverage.iter().map(|(id, c)| html! {
                        <li data-segment={id.to_string()} data-coverage={c.map(|c| format!("{c:.3}"))}>
                            { ctx.world.segment_label(id) }{ " · " }
                            <strong>{ c.map_or_else(|| t.no_line.to_owned(), percent) }</strong>
                        </li>
                    }) }
                </ul>
            </section>
            <h2 class="section">{ t.road_checklist }</h2>
            <ul class="plain checks" data-testid="summary-checks">
                { for s.checks.iter().map(|c| html! {
                    <li class={classes!((!c.pass).then_some("failed"))}>
                        { if c.pass { "✓ " } else { "✗ " } }{ i18n::road_check(ctx.lang, c.item) }
                        if let Some(n) = &c.note { <span class="muted small">{ " · " }{ n }</span> }
                        if let Some(ph) = &c.photo { <Thumbs shas={vec![ph.as_str().to_owned()]} /> }
                    </li>
                }) }
            </ul>
            <h2 class="section">{ t.problems_found }<span class="count">{ s.findings.len() }</span></h2>
            <ul class="list" data-testid="summary-findings">
                { for s.findings.iter().map(|f| html! {
                    <li class="row">
                        <span class="title">{ i18n::finding_category(ctx.lang, f.category) }</span>
                        <span class="sub">{ &f.description }</span>
                        <Thumbs shas={f.photos.iter().map(|p| p.as_str().to_owned()).collect::<Vec<_>>()} />
                    </li>
                }) }
            </ul>
            if !s.notes.is_empty() { <p class="small">{ t.notes }{ " · " }{ &s.notes }</p> }
            <a class="button secondary block" href={Route::Patrols.hash()}>{ t.back_to_patrols }</a>
        </>
    }
}
