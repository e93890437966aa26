//! 巡路: the patrol worker's own segments (road, km range, from the pulled register) and 开始巡查.
//! While a patrol is being recorded the tab shows the live screen (`patrol_live`) instead.

use crate::ctx::{use_ctx, Ctx};
use crate::patrol_draft::PatrolDraft;
use crate::route::Route;
use crate::util::{fixed, now};
use wasm_bindgen_futures::spawn_local;
use xunjian_shared::road::register::Segment;
use xunjian_shared::{PatrolId, SegmentId};
use yew::prelude::*;

/// Starts a patrol of `segments`: the draft is saved (any stray track dropped) before the GPS
/// starts, then the live screen opens. `on_error` gets what to show when saving failed.
pub fn start_patrol(ctx: &Ctx, segments: &[&Segment], on_error: Callback<String>) {
    if ctx.live.patrol.is_some() {
        Route::Patrol.open();
        return;
    }
    if segments.is_empty() || !ctx.live.checked {
        return;
    }
    let lines = segments.iter().map(|s| (s.id, s.polyline.clone())).collect();
    let draft = PatrolDraft::new(PatrolId::new(), lines, now());
    let ctx = ctx.clone();
    spawn_local(async move {
        match ctx.db.begin_patrol(&draft).await {
            Ok(()) => {
                ctx.recorder.follow(&draft, Default::default());
                Route::Patrol.open();
            }
            Err(e) => on_error.emit(format!("{}{}", ctx.t().storage_failed, e.0)),
        }
    });
}

/// The tab when no patrol is in progress (the shell shows the live screen otherwise).
#[component]
pub fn PatrolStart() -> Html {
    let ctx = use_ctx();
    let t = ctx.t();
    // None: every segment of mine (the usual case: one segment per worker).
    let chosen = use_state(|| None::<Vec<SegmentId>>);
    let error = use_state(|| None::<String>);
    let mine = ctx.world.my_segments(ctx.me.user.id);
    let picked: Vec<&Segment> =
        mine.iter().copied().filter(|s| chosen.as_ref().is_none_or(|c| c.contains(&s.id))).collect();

    let toggle = |id: SegmentId| {
        let (chosen, all): (_, Vec<SegmentId>) = (chosen.clone(), mine.iter().map(|s| s.id).collect());
        Callback::from(move |_: Event| {
            let mut now: Vec<SegmentId> = chosen.as_ref().cloned().unwrap_or_else(|| all.clone());
            if now.contains(&id) {
                now.retain(|x| *x != id);
            } else {
                now.push(id);
            }
            chosen.set(Some(now));
        })
    };
    let start = {
        let (ctx, error) = (ctx.clone(), error.clone());
        let picked: Vec<Segment> = picked.iter().map(|s| (*s).clone()).collect();
        Callback::from(move |_: MouseEvent| {
            if picked.is_empty() {
                error.set(Some(ctx.t().pick_segments.to_owned()));
                return;
            }
            let refs: Vec<&Segment> = picked.iter().collect();
            let error = error.clone();
            start_patrol(&ctx, &refs, Callback::from(move |e| error.set(Some(e))));
        })
    };
    html! {
        <>
            <h2 class="section">{ t.my_segments }<span class="count">{ mine.len() }</span></h2>
            if mine.is_empty() {
                <p class="muted">{ t.no_segments }</p>
            }
            <ul class="list" data-testid="my-segments">
                { for mine.iter().map(|s| {
                    let on = picked.iter().any(|p| p.id == s.id);
                    let road = ctx.world.road_of(s);
                    html! {
                        <li><label class="row segment" data-segment={s.id.to_string()}>
                            <span class="title">
                                <span>{ road.map(|r| format!("{} {}", r.code, r.name)).unwrap_or_default() }</span>
                                if mine.len() > 1 {
                                    <input type="checkbox" checked={on} onchange={toggle(s.id)} />
                                }
                            </span>
                            <span class="sub">{ format!("{}–{} km · {} km", fixed(s.from_km, 1), fixed(s.to_km, 1), fixed(s.length_km(), 1)) }
                                if s.polyline.len() < 2 { { " · " }{ t.no_line } }
                            </span>
                        </label></li>
                    }
                }) }
            </ul>
            if let Some(e) = &*error { <p class="error" role="alert">{ e }</p> }
            if !mine.is_empty() {
                <button type="button" class="button primary block big" onclick={start} disabled={!ctx.live.checked}
                    data-testid="start-patrol">{ t.start_patrol }</button>
            }
        </>
    }
}
