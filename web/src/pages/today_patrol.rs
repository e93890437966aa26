//! 今日巡查, the patrol worker's part of 今日: whether they were on the road today (by the phone's
//! on-road records, China time, as the county counts days; a patrol that does not count says why), the days on the road this month (a month with
//! none withholds pay, 第二十六条), and a button to start — or continue — the patrol.

use super::patrol::start_patrol;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::route::Route;
use crate::util::{date, distance, now};
use xunjian_shared::road::register::Segment;
use yew::prelude::*;

#[component]
pub fn TodayPatrol() -> Html {
    let ctx = use_ctx();
    let t = ctx.t();
    let error = use_state(|| None::<String>);
    let today = date(now());
    let month = &today[..7];
    let patrols = &ctx.world.patrols;
    // Only on-road records count (xunjian_shared::road::on_road): the phone's own judgement until the
    // server's copy arrives.
    let todays: Vec<_> = patrols.iter().filter(|p| date(p.value.submitted.started_at) == today).collect();
    let done: Vec<_> = todays.iter().filter(|p| p.value.on_road).collect();
    let not_counted: Vec<String> = todays
        .iter()
        .filter(|p| !p.value.on_road)
        .flat_map(|p| p.value.faults.iter().map(|f| i18n::on_road_fault(ctx.lang, f)))
        .collect();
    let metres: f64 = done.iter().map(|p| p.value.distance_m).sum();
    // Newest first, so the days of one date are side by side.
    let mut days: Vec<String> = patrols
        .iter()
        .filter(|p| p.value.on_road)
        .map(|p| date(p.value.submitted.started_at))
        .filter(|d| d.starts_with(month))
        .collect();
    days.dedup();
    let mine = ctx.world.my_segments(ctx.me.user.id);
    let start = {
        let (ctx, error) = (ctx.clone(), error.clone());
        let mine: Vec<Segment> = mine.iter().map(|s| (*s).clone()).collect();
        Callback::from(move |_: MouseEvent| {
            let refs: Vec<&Segment> = mine.iter().collect();
            let error = error.clone();
            start_patrol(&ctx, &refs, Callback::from(move |e| error.set(Some(e))));
        })
    };
    let state = if ctx.live.patrol.is_some() {
        "running"
    } else if !done.is_empty() {
        "done"
    } else if !todays.is_empty() {
        "not-counted"
    } else {
        "not-done"
    };
    html! {
        <section class={classes!("card", "tight", "today-patrol", state)} data-testid="today-patrol" data-state={state}>
            <h2>{ t.today_patrol }</h2>
            if ctx.live.patrol.is_some() {
                <p><strong>{ t.patrol_in_progress }</strong></p>
            } else if done.is_empty() {
                <p class="warn">{ t.not_patrolled_today }</p>
            } else {
                <p class="ok">{ "✓ " }{ (t.patrolled_today)(done.len() as u32, &distance(metres)) }</p>
            }
            if ctx.live.patrol.is_none() && !not_counted.is_empty() {
                <p class="warn small" data-testid="not-counted">{ t.patrol_not_counted }{ not_counted.join("；") }</p>
            }
            <p class="small muted">{ (t.month_days)(days.len() as u32) }</p>
            if mine.is_empty() {
                <p class="small muted">{ t.no_segments }</p>
            } else if ctx.live.patrol.is_some() {
                <a class="button primary block big" href={Route::Patrol.hash()} data-testid="continue-patrol">{ t.continue_patrol }</a>
            } else {
                <button type="button" class="button primary block big" onclick={start} disabled={!ctx.live.checked}
                    data-testid="today-start-patrol">{ t.start_patrol }</button>
            }
            if let Some(e) = &*error { <p class="error" role="alert">{ e }</p> }
        </section>
    }
}
