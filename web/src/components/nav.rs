//! The tab bar at the bottom, where a thumb reaches; on a wide screen a side bar (styles.css). The
//! office roles get their own items (office/mod.rs).

use crate::ctx::use_ctx;
use crate::route::Route;
use xunjian_shared::Role;
use yew::prelude::*;

#[component]
pub fn Nav() -> Html {
    let ctx = use_ctx();
    let t = ctx.t();
    let unread = ctx.world.unread();
    // A patrol worker (管护员) walks roads; a grid worker inspects premises.
    let tabs = if ctx.role() == Role::PatrolWorker {
        [
            (Route::Today, t.tab_today, 0, false),
            (Route::Patrol, t.tab_patrol, 0, ctx.live.patrol.is_some()),
            (Route::Patrols, t.tab_patrols, 0, false),
            (Route::Notifications, t.tab_notifications, unread, false),
            (Route::Settings, t.tab_settings, 0, false),
        ]
    } else {
        [
            (Route::Today, t.tab_today, 0, false),
            (Route::Premises, t.tab_premises, 0, false),
            (Route::Hazards(None), t.tab_hazards, 0, false),
            (Route::Notifications, t.tab_notifications, unread, false),
            (Route::Settings, t.tab_settings, 0, false),
        ]
    };
    let current = ctx.route.tab();
    #[cfg(feature = "office")]
    if crate::office::is_office(ctx.role()) {
        let items = crate::office::nav(ctx.role(), ctx.o(), t);
        return html! {
            <nav class="tabs office-nav" data-testid="office-nav">
                <div class="who">{ &ctx.me.user.display_name }<span>{ crate::i18n::role(ctx.lang, ctx.role()) }{ " · " }{ ctx.me.org_chain.last().map(|u| u.name.clone()).unwrap_or_default() }</span></div>
                { for items.into_iter().map(|(route, label)| {
                    let class = classes!("tab", (route.tab() == current).then_some("on"));
                    let badge = if route == Route::Notifications { unread } else { 0 };
                    html! {
                        <a {class} href={route.hash()} data-tab={route.hash()}>
                            { label }
                            if badge > 0 { <span class="badge">{ badge }</span> }
                        </a>
                    }
                }) }
            </nav>
        };
    }
    html! {
        <nav class="tabs">
            { for tabs.into_iter().map(|(route, label, badge, recording)| {
                let class = classes!("tab", (route == current).then_some("on"));
                html! {
                    <a {class} href={route.hash()} data-tab={route.hash()}>
                        { label }
                        if badge > 0 { <span class="badge">{ badge }</span> }
                        // A patrol is being recorded: the GPS is on.
                        if recording { <span class="rec" data-testid="recording"></span> }
                    </a>
                }
            }) }
        </nav>
    }
}
