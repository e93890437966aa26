//! What a screen shows around its data: a loading line, the server's refusal in its own words,
//! and the notice that the data is the stored copy (read-only) while the server is away.

use super::view::{unreachable, Load};
use crate::ctx::Ctx;
use crate::util::short_time;
use yew::prelude::*;

/// The loading line or the failure, when there is no data to show.
pub fn not_ready<T>(ctx: &Ctx, load: &Load<T>) -> Option<Html> {
    let o = ctx.o();
    match load {
        Load::Ready(..) => None,
        Load::Loading => Some(html! { <p class="muted" data-testid="loading">{ o.loading }</p> }),
        Load::Failed(e) if unreachable(e) => {
            Some(html! { <p class="notice error" role="alert" data-testid="no-copy">{ o.offline_no_copy }</p> })
        }
        Load::Failed(e) => {
            let status = e.status().unwrap_or(0);
            let hint = match status {
                404 => o.refused_404,
                403 => o.refused_403,
                _ => "",
            };
            Some(html! {
                <div class="notice error" role="alert" data-testid="refused" data-status={status.to_string()}>
                    <strong>{ o.server_refused }</strong>{ e.message(ctx.lang) }
                    if !hint.is_empty() { <p class="small">{ hint }</p> }
                </div>
            })
        }
    }
}

/// Says the screen shows the stored copy, when it does.
pub fn offline_note<T>(ctx: &Ctx, load: &Load<T>) -> Html {
    match load {
        Load::Ready(_, Some(at)) => html! {
            <p class="notice" role="status" data-testid="offline-copy">{ (ctx.o().offline_copy)(&short_time(*at)) }</p>
        },
        _ => html! {},
    }
}
