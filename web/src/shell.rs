//! The logged-in app: the screen for the URL, the tab bar, the sync status bar and the update
//! banner; it reloads the phone's data after every change and runs the sync.

use crate::components::nav::Nav;
use crate::components::sync_bar::SyncBar;
use crate::components::update::UpdateBanner;
use crate::ctx::Ctx;
use crate::i18n::Lang;
use crate::pages;
use crate::recorder::{Live, Recorder};
use crate::route::Route;
use crate::store::idb::Db;
use crate::store::Local;
use crate::sync::remote::Tokens;
use crate::sync::runner::{Runner, Status};
use crate::world::World;
use gloo::events::EventListener;
use gloo::timers::callback::Interval;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use xunjian_shared::hazard::Hazard;
use xunjian_shared::user::Me;
use yew::prelude::*;

#[derive(Properties)]
pub struct ShellProps {
    pub db: Rc<Db>,
    pub me: Rc<Me>,
    pub tokens: Tokens,
    pub lang: Lang,
    pub wiped: crate::store::marker::Wiped,
    pub on_ended: Callback<()>,
    pub on_logout: Callback<()>,
    pub set_lang: Callback<Lang>,
}

impl PartialEq for ShellProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.db, &o.db)
            && Rc::ptr_eq(&self.me, &o.me)
            && Rc::ptr_eq(&self.tokens, &o.tokens)
            && self.lang == o.lang
            && self.wiped == o.wiped
    }
}

#[component]
pub fn Shell(props: &ShellProps) -> Html {
    let route = use_state(Route::current);
    let rev = use_state(|| 0u32);
    let world = use_state(|| None::<Rc<World>>);
    let closed = use_state(|| None::<Rc<Vec<Local<Hazard>>>>);
    let settled = use_state(|| false);
    let status = use_state(Status::default);
    let live = use_state(Live::default);
    let me = use_state(|| props.me.clone());
    // The inspection form says while it is being filled (ctx.filling): no tab bar under it.
    let filling = use_state(|| false);

    let runner = {
        let (db, tokens, status, on_ended) =
            (props.db.clone(), props.tokens.clone(), status.clone(), props.on_ended.clone());
        use_memo((), move |_| Runner::new(db, tokens, Callback::from(move |s| status.set(s)), on_ended))
    };

    let recorder = {
        let (db, live) = (props.db.clone(), live.clone());
        use_memo((), move |_| Recorder::new(db, Callback::from(move |l| live.set(l))))
    };

    // Sync at start, on `online`, on a timer; follow the URL hash; resume a patrol in progress.
    {
        let (runner, route, me, recorder) = ((*runner).clone(), route.clone(), me.clone(), (*recorder).clone());
        use_effect_with((), move |_| {
            spawn_local(async move { recorder.resume().await });
            runner.refresh_counts();
            runner.now();
            let window = web_sys::window().expect("window");
            let r = runner.clone();
            let online = EventListener::new(&window, "online", move |_| r.now());
            let hash = EventListener::new(&window, "hashchange", move |_| {
                route.set(Route::current());
                // A new screen starts at its top, not where the last one was scrolled to.
                if let Some(w) = web_sys::window() {
                    w.scroll_to_with_x_and_y(0.0, 0.0);
                }
            });
            let r = runner.clone();
            let timer = Interval::new(5_000, move || r.tick());
            // Fresh name and units for the header; offline the stored ones stay.
            let r = runner.clone();
            spawn_local(async move {
                if let Ok(fresh) = r.me().await {
                    me.set(Rc::new(fresh));
                }
            });
            move || drop((online, hash, timer))
        });
    }

    // Reload the phone's data after every change, and after a sync round that brought or settled
    // something (not after one that changed nothing: on a phone with tens of thousands of records
    // a reload is a second of work, and at start it doubled the wait for the first screen).
    let data_rounds = status.data_rounds;
    {
        let (db, world, closed, settled) = (props.db.clone(), world.clone(), closed.clone(), settled.clone());
        use_effect_with((*rev, data_rounds, status.pending), move |_| {
            settled.set(false);
            spawn_local(async move {
                match World::load(&db).await {
                    Ok(w) => world.set(Some(Rc::new(w))),
                    Err(e) => gloo::console::error!("load:", e.0),
                }
                // After the first screen: a phone may hold tens of thousands of closed hazards.
                match World::closed_hazards(&db).await {
                    Ok(c) => closed.set(Some(Rc::new(c))),
                    Err(e) => gloo::console::error!("load closed hazards:", e.0),
                }
                settled.set(true);
            });
        });
    }

    let Some(loaded) = (*world).clone() else {
        return html! { <p class="muted page">{ props.lang.t().opening }</p> };
    };
    let saved = {
        let (rev, runner) = (rev.clone(), (*runner).clone());
        Callback::from(move |()| {
            rev.set(*rev + 1);
            runner.soon();
        })
    };
    let sync_now = {
        let runner = (*runner).clone();
        Callback::from(move |()| runner.now())
    };
    let ctx = Ctx {
        lang: props.lang,
        db: props.db.clone(),
        me: (*me).clone(),
        world: loaded,
        closed: (*closed).clone(),
        settled: *settled,
        rev: *rev,
        status: (*status).clone(),
        live: (*live).clone(),
        recorder: (*recorder).clone(),
        runner: (*runner).clone(),
        route: (*route).clone(),
        wiped: props.wiped,
        saved,
        sync_now,
        logout: props.on_logout.clone(),
        set_lang: props.set_lang.clone(),
        filling: {
            let filling = filling.clone();
            Callback::from(move |on: bool| filling.set(on))
        },
    };
    let role = ctx.me.user.role;
    let office = crate::office::is_office(role);
    #[cfg(feature = "office")]
    let office_page = if office { crate::office::page(&route, role) } else { None };
    #[cfg(not(feature = "office"))]
    let office_page: Option<Html> = None;
    let page = match office_page {
        Some(page) => page,
        None => match &*route {
            Route::Premises => html! { <pages::premises::Premises /> },
            Route::NewPremise => html! { <pages::premise_new::NewPremise /> },
            Route::Premise(id) => html! { <pages::premise::PremiseDetail id={id.clone()} /> },
            Route::Inspect(id) => html! { <pages::inspect::Inspect premise={id.clone()} /> },
            Route::Hazards(_) => html! { <pages::hazards::Hazards /> },
            Route::Hazard(id) => html! { <pages::hazard::HazardDetail id={id.clone()} /> },
            Route::Notifications => html! { <pages::notifications::Notifications /> },
            Route::Settings => html! { <pages::settings::Settings /> },
            Route::Patrol if live.patrol.is_some() => html! { <pages::patrol_live::PatrolLive /> },
            Route::Patrol => html! { <pages::patrol::PatrolStart /> },
            Route::Patrols => html! { <pages::patrols::Patrols /> },
            Route::PatrolDetail(id) => html! { <pages::patrol_detail::PatrolDetail id={id.clone()} /> },
            // The office screens' addresses open the field worker's home.
            _ => html! { <pages::today::Today /> },
        },
    };
    // Never offer to swap versions under a half-filled form or a patrol being recorded: the
    // screens with forms (a hazard's or road issue's action with its photos, a check's scores, the
    // checklist editor) wait until the worker leaves them.
    let form_open = matches!(
        &*route,
        Route::Inspect(_)
            | Route::NewPremise
            | Route::Patrol
            | Route::Hazard(_)
            | Route::RoadIssue(_)
            | Route::Check(_)
            | Route::Templates
    );
    // On a phone a form gets the screen (issue 20): no title bar and the sync bar on one line; the
    // inspection form, while it is being filled, has its own way back (返回场所 at its top), so no
    // tab bar under it either; once saved, the tabs are back.
    let compact = form_open && !office;
    let tabs = !(compact && *filling && matches!(&*route, Route::Inspect(_)));
    html! {
        <ContextProvider<Ctx> context={ctx}>
            if !compact {
                <header class="bar"><h1 class="bar-title">{ props.lang.t().app_name }</h1></header>
            }
            <SyncBar {compact} />
            if !form_open {
                <UpdateBanner />
            }
            <main class={classes!("page", tabs.then_some("with-nav"), compact.then_some("compact"), if office { "office" } else { "field" })}>{ page }</main>
            if tabs {
                <Nav />
            }
        </ContextProvider<Ctx>>
    }
}
