//! One patrol: the summary shown when it ends (distance, coverage per segment, the checklist, the
//! problems found), saved on the phone or synced. Each problem shows where the road station has got
//! with it (its road issue as last pulled: registered, referred, rectified, closed…).

use crate::components::photos::Thumbs;
use crate::components::saved::SavedBadge;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::route::Route;
use crate::store::place;
use crate::util::{distance, fixed, hms, percent, short_time};
use serde::Deserialize;
use std::collections::HashMap;
use wasm_bindgen_futures::spawn_local;
use xunjian_shared::hazard::HazardStatus;
use xunjian_shared::sync::RecordKind;
use yew::prelude::*;

/// The one field of a pulled road issue this page shows (its state is flattened into it).
#[derive(Deserialize)]
struct IssueStatus {
    status: HazardStatus,
}

#[derive(Properties, PartialEq)]
pub struct PatrolDetailProps {
    pub id: String,
}

#[component]
pub fn PatrolDetail(props: &PatrolDetailProps) -> Html {
    let ctx = use_ctx();
    let t = ctx.t();
    let statuses = use_state(HashMap::<String, HazardStatus>::new);
    {
        // The road issues arrive with the pull (kept in `other`): read again after each sync round
        // that brought something.
        let finding_ids: Vec<String> = ctx
            .world
            .patrol(&props.id)
            .map(|l| l.value.submitted.findings.iter().map(|f| f.id.to_string()).collect())
            .unwrap_or_default();
        let (db, statuses) = (ctx.db.clone(), statuses.clone());
        use_effect_with((finding_ids, ctx.status.data_rounds), move |(ids, _)| {
            let ids = ids.clone();
            spawn_local(async move {
                let mut found = HashMap::new();
                for id in ids {
                    let key = place(RecordKind::RoadIssue, &id).1;
                    if let Ok(Some(issue)) = db.record::<IssueStatus>("other", &key).await {
                        found.insert(id, issue.status);
                    }
                }
                statuses.set(found);
            });
        });
    }
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
                    <li class="row" data-id={f.id.to_string()}
                        data-status={statuses.get(&f.id.to_string()).map(|st| st.as_str())}>
                        <span class="title">{ i18n::finding_category(ctx.lang, f.category) }
                            if let Some(st) = statuses.get(&f.id.to_string()) {
                                <span class="tag">{ i18n::status(ctx.lang, *st) }</span>
                            }
                        </span>
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
