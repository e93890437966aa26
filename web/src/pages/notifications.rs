//! 消息: the worker's notifications (deadline soon, overdue, sent back…); opening one marks it
//! read on the phone and queues `mark_notification_read`.

use crate::components::saved::SavedBadge;
use crate::ctx::use_ctx;
use crate::route::Route;
use crate::util::{now, short_time};
use wasm_bindgen_futures::spawn_local;
use xunjian_shared::notification::Notification;
use xunjian_shared::sync::{OpBody, Record};
use yew::prelude::*;

#[component]
pub fn Notifications() -> Html {
    let ctx = use_ctx();
    let t = ctx.t();
    let open = |n: &Notification| {
        let (ctx, n) = (ctx.clone(), n.clone());
        Callback::from(move |_: MouseEvent| {
            let target = n.hazard_id.map(|h| Route::Hazard(h.to_string()));
            if n.read_at.is_none() {
                let at = now();
                let read = Notification { read_at: Some(at), ..n.clone() };
                let ctx = ctx.clone();
                spawn_local(async move {
                    let body = OpBody::MarkNotificationRead { id: read.id };
                    if ctx.db.commit(body, &[Record::Notification(read)], None, at).await.is_ok() {
                        ctx.saved.emit(());
                    }
                });
            }
            if let Some(route) = target {
                route.open();
            }
        })
    };
    let list = &ctx.world.notifications;
    html! {
        <>
            <h2 class="section">{ t.tab_notifications }<span class="count">{ ctx.world.unread() }</span></h2>
            if list.is_empty() { <p class="muted">{ t.nothing_here }</p> }
            <ul class="list" data-testid="notifications">
                { for list.iter().map(|n| html! {
                    <li data-id={n.value.id.to_string()} data-unread={n.value.read_at.is_none().to_string()}><button type="button" class={classes!("row", n.value.read_at.is_none().then_some("unread"))} onclick={open(&n.value)}>
                        <span class="title">{ &n.value.message }</span>
                        <span class="sub">{ short_time(n.value.created_at) }</span>
                        if n.pending() { <SavedBadge pending=true /> }
                    </button></li>
                }) }
            </ul>
        </>
    }
}
