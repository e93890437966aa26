//! 登录: username and password, exchanged for a token pair.

use crate::api::{self, ApiError};
use crate::app::Notice;
use crate::i18n::Lang;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use xunjian_shared::auth::{LoginRequest, TokenResponse};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LoginProps {
    /// Why the previous session ended, or why this phone refused the last login.
    pub notice: Option<Notice>,
    pub on_login: Callback<TokenResponse>,
}

#[derive(Clone, PartialEq)]
enum Failure {
    Empty,
    Api(ApiError),
}

#[component]
pub fn Login(props: &LoginProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::Zh);
    let t = lang.t();
    // Read the fields on submit only: no re-render per keystroke on a slow phone.
    let username = use_node_ref();
    let password = use_node_ref();
    let busy = use_state(|| false);
    let failure = use_state(|| None::<Failure>);

    let onsubmit = {
        let (username, password) = (username.clone(), password.clone());
        let (busy, failure) = (busy.clone(), failure.clone());
        let on_login = props.on_login.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let user = field(&username).trim().to_owned();
            let pass = field(&password);
            if user.is_empty() || pass.is_empty() {
                failure.set(Some(Failure::Empty));
                return;
            }
            busy.set(true);
            failure.set(None);
            let request = LoginRequest { username: user, password: pass, device_name: device_name() };
            let (busy, failure, on_login) = (busy.clone(), failure.clone(), on_login.clone());
            spawn_local(async move {
                let result = api::login(&request).await;
                busy.set(false);
                match result {
                    Ok(tokens) => on_login.emit(tokens),
                    Err(e) => failure.set(Some(Failure::Api(e))),
                }
            });
        })
    };

    let message = match (&*failure, &props.notice) {
        (Some(Failure::Empty), _) => Some(t.fill_both.to_owned()),
        (Some(Failure::Api(e)), _) => Some(e.message(lang)),
        (None, Some(Notice::SessionEnded)) => Some(t.session_ended.to_owned()),
        (None, Some(Notice::OtherOwner(n))) => Some((t.other_owner)(*n)),
        (None, Some(Notice::Storage(e))) => Some(format!("{}{e}", t.storage_failed)),
        (None, None) => None,
    };

    html! {
        <form class="card page" {onsubmit} novalidate=true>
            <h2>{ t.login_title }</h2>
            <label class="field">
                <span>{ t.username }</span>
                <input ref={username} type="text" name="username" autocomplete="username"
                    autocapitalize="none" spellcheck="false" enterkeyhint="next" />
            </label>
            <label class="field">
                <span>{ t.password }</span>
                <input ref={password} type="password" name="password"
                    autocomplete="current-password" enterkeyhint="go" />
            </label>
            if let Some(text) = message {
                <p class="error" role="alert">{ text }</p>
            }
            <button type="submit" class="button primary" disabled={*busy}>
                { if *busy { t.logging_in } else { t.login } }
            </button>
            <crate::components::offline::OfflineNote />
        </form>
    }
}

fn field(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>().map(|input| input.value()).unwrap_or_default()
}

/// A label for the server's session list: the platform part of the user agent, e.g.
/// "Linux; Android 10; M2006C3LC", so a worker can tell their phones apart.
fn device_name() -> Option<String> {
    let agent = web_sys::window()?.navigator().user_agent().ok()?;
    let inside = agent.split_once('(')?.1.split_once(')')?.0.trim();
    (!inside.is_empty()).then(|| inside.chars().take(64).collect())
}
