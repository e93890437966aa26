//! The tab bar at the bottom, where a thumb reaches.

use crate::ctx::use_ctx;
use crate::route::Route;
use yew::prelude::*;

#[component]
pub fn Nav() -> Html {
    let ctx = use_ctx();
    let t = ctx.t();
    let unread = ctx.world.unread();
    // Road patrol (巡路) gets its tab here once the road API exists; until then it is left out
    // rather than shown as a screen that cannot work.
    let tabs = [
        (Route::Today, t.tab_today, 0),
        (Route::Premises, t.tab_premises, 0),
        (Route::Hazards, t.tab_hazards, 0),
        (Route::Notifications, t.tab_notifications, unread),
        (Route::Settings, t.tab_settings, 0),
    ];
    let current = ctx.route.tab();
    html! {
        <nav class="tabs">
            { for tabs.into_iter().map(|(route, label, badge)| {
                let class = classes!("tab", (route == current).then_some("on"));
                html! {
                    <a {class} href={route.hash()} data-tab={route.hash()}>
                        { label }
                        if badge > 0 { <span class="badge">{ badge }</span> }
                    </a>
                }
            }) }
        </nav>
    }
}
