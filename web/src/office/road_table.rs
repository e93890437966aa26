//! Road issues as a table for the station's and the enforcement team's queues: segment, category,
//! what, status, deadline, receiver, found. Each row opens the issue's page.

use super::hazard_table::receiver;
use crate::ctx::Ctx;
use crate::i18n;
use crate::route::Route;
use crate::util::{date, now, short_time};
use xunjian_shared::road::issue::RoadIssue;
use yew::prelude::*;

/// The table (a plain function, not a component).
pub fn road_issue_table(ctx: &Ctx, items: &[RoadIssue], testid: &'static str) -> Html {
    let (o, t) = (ctx.o(), ctx.t());
    let now = now();
    if items.is_empty() {
        return html! { <p class="muted" data-testid={testid}>{ t.nothing_here }</p> };
    }
    html! {
        <div class="table-wrap">
            <table class="table" data-testid={testid}>
                <thead><tr>
                    <th>{ o.col_segment }</th><th>{ t.category }</th><th>{ t.description }</th>
                    <th>{ o.col_status }</th><th>{ t.deadline }</th><th>{ o.col_referred }</th><th>{ o.col_found }</th>
                </tr></thead>
                <tbody>
                    { for items.iter().map(|i| {
                        let overdue = i.state.is_overdue(now);
                        html! {
                            <tr data-id={i.id.to_string()} data-status={i.state.status.as_str()}>
                                <td><a href={Route::RoadIssue(i.id.to_string()).hash()}>{ ctx.world.issue_place(i) }</a></td>
                                <td>{ i18n::finding_category(ctx.lang, i.category) }</td>
                                <td class="wrap">{ &i.description }</td>
                                <td>{ i18n::status(ctx.lang, i.state.status) }</td>
                                <td class={classes!(overdue.then_some("error"))}>{ i.state.deadline.map(date).unwrap_or_default() }</td>
                                <td>{ i.state.referred_to.map(|r| receiver(ctx, r)).unwrap_or_default() }</td>
                                <td>{ short_time(i.found_at) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}
