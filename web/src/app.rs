//! The root component: owns the language and the session, and picks the page.

use crate::api::{self, ApiError};
use crate::i18n::Lang;
use crate::pages::home::Home;
use crate::pages::login::Login;
use crate::session::{self, Checked};
use wasm_bindgen_futures::spawn_local;
use xunjian_shared::auth::TokenResponse;
use yew::prelude::*;

#[component]
pub fn App() -> Html {
    let lang = use_state(Lang::load);
    // A stored session opens the home page at once, with no network: the phone may be offline.
    let tokens = use_state(session::load);
    // Why the server did not confirm the stored session (shown on home) or why it ended (on login).
    let notice = use_state(|| None::<ApiError>);

    use_effect_with(*lang, |lang| lang.apply());

    {
        let tokens = tokens.clone();
        let notice = notice.clone();
        use_effect_with((), move |_| {
            if let Some(stored) = (*tokens).clone() {
                spawn_local(async move {
                    match session::check(stored).await {
                        Checked::Valid(fresh) => tokens.set(Some(fresh)),
                        Checked::Unverified(e) => notice.set(Some(e)),
                        Checked::Ended(e) => {
                            tokens.set(None);
                            notice.set(Some(e));
                        }
                        Checked::Superseded => {}
                    }
                });
            }
        });
    }

    let on_login = {
        let tokens = tokens.clone();
        let notice = notice.clone();
        Callback::from(move |fresh: TokenResponse| {
            session::save(&fresh);
            notice.set(None);
            tokens.set(Some(fresh));
        })
    };

    let on_logout = {
        let tokens = tokens.clone();
        let notice = notice.clone();
        Callback::from(move |()| {
            // Forget the session here first, so logging out works offline; the server is told
            // when it can be reached, and otherwise the refresh token simply expires.
            if let Some(old) = (*tokens).clone() {
                spawn_local(async move {
                    let _ = api::logout(&old.refresh_token).await;
                });
            }
            session::clear();
            notice.set(None);
            tokens.set(None);
        })
    };

    let toggle_lang = {
        let lang = lang.clone();
        Callback::from(move |_: MouseEvent| lang.set(lang.other()))
    };

    let t = lang.t();
    html! {
        <ContextProvider<Lang> context={*lang}>
            <header class="bar">
                <h1 class="bar-title">{ t.app_name }</h1>
                <button type="button" class="lang-toggle" onclick={toggle_lang}>{ t.switch_lang }</button>
            </header>
            <main class="page">
                if let Some(current) = &*tokens {
                    <Home me={current.user.clone()} notice={(*notice).clone()} {on_logout} />
                } else {
                    <Login notice={(*notice).clone()} {on_login} />
                }
            </main>
        </ContextProvider<Lang>>
    }
}
