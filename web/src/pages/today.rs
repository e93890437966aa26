//! 今日: hazards waiting for me (overdue first, marked), overdue hazards of my grids that wait for
//! others (supervised, referred), premises due this period, and what is not synced yet — all from
//! the phone's data, so it works with no signal. A patrol worker sees 今日巡查 instead.

use super::today_patrol::TodayPatrol;
use crate::components::more::{use_limit, More};
use crate::components::saved::SavedBadge;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::local::{is_due, last_inspected, my_actions};
use crate::route::Route;
use crate::store::marker::Wiped;
use crate::util::{date, now, short_time, sort_by};
use xunjian_shared::Role;
use yew::prelude::*;

#[component]
pub fn Today() -> Html {
    let ctx = use_ctx();
    let (mine_limit, more_mine) = use_limit();
    let (due_limit, more_due) = use_limit();
    let t = ctx.t();
    let w = &ctx.world;
    let now = now();
    let due: Vec<_> = w.premises.iter().filter(|p| is_due(&p.value, &w.inspections, now)).collect();
    let (mut mine, mut watched): (Vec<_>, Vec<_>) =
        w.open_hazards().partition(|h| !my_actions(&h.value.state, ctx.role(), now).is_empty());
    // Overdue first, then by deadline.
    sort_by(&mut mine, |a, b| {
        (!a.value.state.is_overdue(now), a.value.state.deadline)
            .cmp(&(!b.value.state.is_overdue(now), b.value.state.deadline))
    });
    // Overdue hazards in my grids that wait for others (the office's supervision, a referral): the
    // worker keeps an eye on them and is asked about them.
    watched.retain(|h| h.value.state.is_overdue(now));
    sort_by(&mut watched, |a, b| a.value.state.deadline.cmp(&b.value.state.deadline));
    let notices = html! {
        <>
            // Until the app is all on the phone, the worker should not walk out of signal.
            <crate::components::offline::OfflineNote quiet_when_ready=true />
            { match ctx.wiped {
                Wiped::No => html! {},
                Wiped::Marker => html! { <p class="notice error" role="alert" data-testid="db-wiped">{ t.db_wiped }</p> },
                Wiped::Suspected(at) => html! {
                    <p class="notice error" role="alert" data-testid="db-wiped">{ (t.db_wiped_suspected)(&short_time(at)) }</p>
                },
            } }
            if !w.inbox.is_empty() {
                <a class="notice warn block" href="#/settings">{ (t.inbox_n)(w.inbox.len() as u32) }</a>
            }
        </>
    };
    let row = |h: &&crate::store::Local<xunjian_shared::hazard::Hazard>| {
        let href = Route::Hazard(h.value.id.to_string()).hash();
        let overdue = h.value.state.is_overdue(now);
        html! {
            <li data-overdue={overdue.to_string()} data-id={h.value.id.to_string()}><a class="row" {href}>
                <span class="title">{ w.premise_name(&h.value.premise_id) }
                    if overdue { { " " }<span class="tag major">{ t.overdue }</span> }</span>
                <span class="sub">{ i18n::status(ctx.lang, h.value.state.status) }
                    if let Some(d) = h.value.state.deadline { { " · " }{ t.deadline }{ " " }{ date(d) } }
                </span>
                <SavedBadge pending={h.pending()} />
            </a></li>
        }
    };
    if ctx.role() == Role::PatrolWorker {
        return html! { <>{ notices }<TodayPatrol /></> };
    }

    html! {
        <>
            { notices }
            <h2 class="section">{ t.hazards_for_me }<span class="count">{ mine.len() }</span></h2>
            if mine.is_empty() {
                <p class="muted">{ t.nothing_here }</p>
            }
            <ul class="list" data-testid="today-hazards">
                { for mine.iter().take(mine_limit).map(&row) }
            </ul>
            <More shown={mine_limit} total={mine.len()} on_more={more_mine} />
            if !watched.is_empty() {
                <h2 class="section">{ t.overdue_with_others }<span class="count">{ watched.len() }</span></h2>
                <ul class="list" data-testid="today-watched">
                    { for watched.iter().take(20).map(&row) }
                </ul>
            }
            <h2 class="section">{ t.due_premises }<span class="count">{ due.len() }</span></h2>
            if due.is_empty() {
                <p class="muted">{ if w.premises.is_empty() { t.no_data_yet } else { t.all_inspected } }</p>
            }
            <ul class="list" data-testid="today-due">
                { for due.iter().take(due_limit).map(|p| {
                    let href = Route::Premise(p.value.id.to_string()).hash();
                    let last = last_inspected(&p.value, &w.inspections);
                    html! {
                        <li><a class="row" {href}>
                            <span class="title">{ &p.value.name }</span>
                            <span class="sub">{ i18n::premise_type(ctx.lang, p.value.premise_type) }{ " · " }
                                { match last { Some(d) => format!("{}{}", t.last_inspected, date(d)), None => t.never_inspected.to_owned() } }
                            </span>
                        </a></li>
                    }
                }) }
            </ul>
            <More shown={due_limit} total={due.len()} on_more={more_due} />
        </>
    }
}
