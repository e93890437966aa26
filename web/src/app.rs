//! The root component: opens the phone's database, owns the language and the session, and shows
//! the login page or the logged-in shell.

use crate::i18n::Lang;
use crate::pages::login::Login;
use crate::session;
use crate::shell::Shell;
use crate::store::idb::Db;
use crate::store::marker::{self, Wiped};
use crate::store::StoreError;
use crate::sync::remote::Tokens;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use xunjian_shared::auth::TokenResponse;
use xunjian_shared::user::Me;
use yew::prelude::*;

/// Why login was refused on this phone, or why the session ended.
#[derive(Clone, PartialEq)]
pub enum Notice {
    SessionEnded,
    /// The phone holds unsynced data of another user.
    OtherOwner(u32),
    Storage(String),
}

#[component]
pub fn App() -> Html {
    let lang = use_state(Lang::load);
    let db = use_state(|| None::<Rc<Db>>);
    let boot_error = use_state(|| None::<String>);
    let me = use_state(|| None::<Rc<Me>>);
    let wiped = use_state(|| Wiped::No);
    let notice = use_state(|| None::<Notice>);
    // Shared with the sync engine, which refreshes the tokens.
    let tokens: Tokens = use_memo((), |_| RefCell::new(None::<TokenResponse>));

    use_effect_with(*lang, |lang| lang.apply());

    {
        let (db, boot_error, me, wiped, tokens) =
            (db.clone(), boot_error.clone(), me.clone(), wiped.clone(), tokens.clone());
        use_effect_with((), move |_| {
            spawn_local(async move {
                match Db::open().await {
                    Ok(opened) => {
                        wiped.set(if marker::check(&opened).await { Wiped::Marker } else { Wiped::No });
                        if let Some(t) = session::load(&opened).await {
                            if to_own_build(t.user.user.role) {
                                return; // before anything here uses the session
                            }
                            me.set(Some(Rc::new(t.user.clone())));
                            *tokens.borrow_mut() = Some(t);
                        }
                        db.set(Some(Rc::new(opened)));
                    }
                    Err(e) => boot_error.set(Some(e.0)),
                }
            });
        });
    }

    let t = lang.t();
    let body = match (&*db, &*me) {
        (None, _) => match &*boot_error {
            Some(e) => html! { <p class="error" role="alert">{ t.db_failed }{ " " }{ e }</p> },
            None => html! { <p class="muted">{ t.opening }</p> },
        },
        (Some(db), None) => {
            let on_login = {
                let (db, me, notice, tokens, wiped) =
                    (db.clone(), me.clone(), notice.clone(), tokens.clone(), wiped.clone());
                Callback::from(move |fresh: TokenResponse| {
                    let (db, me, notice, tokens, wiped) =
                        (db.clone(), me.clone(), notice.clone(), tokens.clone(), wiped.clone());
                    spawn_local(async move {
                        match adopt(&db, &fresh).await {
                            Ok(_) if to_own_build(fresh.user.user.role) => {}
                            Ok(first_here) => {
                                // An empty database, while the server still holds this phone's
                                // session that was never logged out: the browser likely cleared it.
                                if let (true, Some(at), Wiped::No) = (first_here, fresh.open_session_here, *wiped) {
                                    wiped.set(Wiped::Suspected(at));
                                }
                                // The phone's records are the worker's only copy while offline: ask
                                // the browser not to evict them under storage pressure. Browsers
                                // decide without asking (or prompt once); settings shows the answer.
                                spawn_local(async {
                                    crate::pages::settings_data::persisted(true).await;
                                });
                                notice.set(None);
                                me.set(Some(Rc::new(fresh.user.clone())));
                                *tokens.borrow_mut() = Some(fresh);
                            }
                            Err(refusal) => {
                                let _ = crate::api::logout(&fresh.refresh_token).await;
                                notice.set(Some(refusal));
                            }
                        }
                    });
                })
            };
            html! { <Login notice={(*notice).clone()} {on_login} /> }
        }
        (Some(db), Some(user)) => {
            let on_ended = {
                let (me, notice, tokens, db) = (me.clone(), notice.clone(), tokens.clone(), db.clone());
                Callback::from(move |()| {
                    // The data stays on the phone: the same worker logs in again and syncs it.
                    *tokens.borrow_mut() = None;
                    let db = db.clone();
                    spawn_local(async move {
                        let _ = session::clear(&db).await;
                    });
                    notice.set(Some(Notice::SessionEnded));
                    me.set(None);
                })
            };
            let on_logout = {
                let (me, tokens, db) = (me.clone(), tokens.clone(), db.clone());
                Callback::from(move |()| {
                    let old = tokens.borrow_mut().take();
                    let (me, db) = (me.clone(), db.clone());
                    spawn_local(async move {
                        if let Some(old) = old {
                            let _ = crate::api::logout(&old.refresh_token).await;
                        }
                        let _ = db.wipe_user_data().await;
                        marker::renew(&db).await;
                        me.set(None);
                    });
                })
            };
            let set_lang = {
                let lang = lang.clone();
                Callback::from(move |l: Lang| lang.set(l))
            };
            html! {
                <Shell db={db.clone()} me={user.clone()} tokens={tokens.clone()} lang={*lang} wiped={*wiped}
                    {on_ended} {on_logout} {set_lang} />
            }
        }
    };

    let toggle_lang = {
        let lang = lang.clone();
        Callback::from(move |_: MouseEvent| lang.set(lang.other()))
    };
    // Signed in, the shell draws the bar (none on a form) and the language lives in 设置 (issue 20).
    let signed_in = db.is_some() && me.is_some();
    html! {
        <ContextProvider<Lang> context={*lang}>
            if !signed_in {
                <header class="bar">
                    <h1 class="bar-title">{ t.app_name }</h1>
                    <button type="button" class="lang-toggle" onclick={toggle_lang}>{ t.switch_lang }</button>
                </header>
            }
            { body }
        </ContextProvider<Lang>>
    }
}

/// The phones' build has no office screens: an office role goes on in the full build at /office/
/// (and a field worker who signed in there comes back to the lighter one), on the same screen.
/// Done before the session is used here: refresh tokens work once, and the page that goes must not
/// spend one the page that comes needs.
fn to_own_build(role: xunjian_shared::Role) -> bool {
    let Some(w) = web_sys::window() else { return false };
    let (path, hash) = (w.location().pathname().unwrap_or_default(), w.location().hash().unwrap_or_default());
    match crate::office::other_build(role, &path, &hash) {
        Some(there) => w.location().replace(&there).is_ok(),
        None => false,
    }
}

/// Takes a fresh login on this phone. Another user's unsynced work must not be pushed under this
/// login, so that is refused; another user's synced data is cleared first.
/// Ok(true) when the phone held nobody's data before (a first sign-in here, or a wiped database).
async fn adopt(db: &Db, fresh: &TokenResponse) -> Result<bool, Notice> {
    let storage = |e: StoreError| Notice::Storage(e.0);
    let owner = session::owner(db).await;
    let first_here = owner.is_none();
    match owner {
        Some(owner) if owner != fresh.user.user.id => {
            let pending = db.count("outbox").await.map_err(storage)?;
            if pending > 0 {
                return Err(Notice::OtherOwner(pending));
            }
            db.wipe_user_data().await.map_err(storage)?;
            marker::renew(db).await;
        }
        _ => {}
    }
    session::save(db, fresh).await.map_err(storage)?;
    session::set_owner(db, fresh.user.user.id).await.map_err(storage)?;
    Ok(first_here)
}
