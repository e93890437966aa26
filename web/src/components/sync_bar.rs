//! Always visible: how many records wait for the server, when the last sync succeeded, what went
//! wrong in plain words, and a button to sync now.

use crate::ctx::use_ctx;
use crate::sync::runner::Problem;
use crate::util::short_time;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SyncBarProps {
    /// One line at the top of the screen, under a form (shell.rs): the count and the button.
    #[prop_or_default]
    pub compact: bool,
}

#[component]
pub fn SyncBar(props: &SyncBarProps) -> Html {
    let ctx = use_ctx();
    let t = ctx.t();
    let s = &ctx.status;
    let state = if s.running {
        "running"
    } else if s.problem.is_some() {
        "error"
    } else if s.pending == 0 && s.last_success.is_some() {
        "synced"
    } else {
        "pending"
    };
    let headline = if s.running {
        t.syncing.to_owned()
    } else if s.pending > 0 {
        (t.pending_n)(s.pending)
    } else if s.last_success.is_some() {
        t.all_synced.to_owned()
    } else {
        t.never_synced.to_owned()
    };
    let problem = s.problem.as_ref().map(|p| match p {
        Problem::Offline => t.sync_offline.to_owned(),
        Problem::SessionEnded => t.session_ended.to_owned(),
        Problem::Server(e) => format!("{}{}", t.sync_server, e.message(ctx.lang)),
        Problem::Storage(e) => format!("{}{e}", t.storage_failed),
    });
    let last = s.last_success.map(|at| format!("{}{}", t.last_sync, short_time(at)));
    let onclick = ctx.sync_now.reform(|_: MouseEvent| ());
    html! {
        <section class={classes!("syncbar", state, props.compact.then_some("compact"))} data-testid="sync-bar" data-state={state}
            data-pending={s.pending.to_string()}
            data-last={s.last_success.map(|t| t.timestamp_millis().to_string())} role="status">
            <div class="sync-text">
                <strong>{ headline }</strong>
                if let (Some(last), false) = (last, props.compact) { <span class="muted small">{ last }</span> }
                if s.inbox > 0 { <a class="small warn" href="#/settings">{ (t.inbox_n)(s.inbox) }</a> }
                if let Some(p) = problem { <span class="small problem">{ p }</span> }
            </div>
            <button type="button" class="button small-button" data-testid="sync-now" {onclick} disabled={s.running}>
                { t.sync_now }
            </button>
        </section>
    }
}
