//! The home screen after login: who is logged in, in which role and unit.

use crate::api::ApiError;
use crate::i18n::Lang;
use xunjian_shared::user::Me;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HomeProps {
    pub me: Me,
    /// Why the server could not confirm the stored session (usually: offline).
    pub notice: Option<ApiError>,
    pub on_logout: Callback<()>,
}

#[component]
pub fn Home(props: &HomeProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::Zh);
    let t = lang.t();
    let user = &props.me.user;
    let chain: Vec<&str> = props.me.org_chain.iter().map(|unit| unit.name.as_str()).collect();
    let notice = props.notice.as_ref().map(|e| match e {
        ApiError::Network => t.offline.to_owned(),
        other => other.message(lang),
    });
    let logout = props.on_logout.reform(|_: MouseEvent| ());

    html! {
        <section class="card">
            if let Some(text) = notice {
                <p class="notice" role="status">{ text }</p>
            }
            <h2 class="name">{ &user.display_name }</h2>
            <p class="username">{ &user.username }</p>
            <dl class="facts">
                <dt>{ t.role }</dt>
                <dd>{ match lang { Lang::Zh => user.role.label_zh(), Lang::En => user.role.label_en() } }</dd>
                <dt>{ t.org }</dt>
                <dd>{ chain.join(" / ") }</dd>
            </dl>
            <button type="button" class="button secondary" onclick={logout}>{ t.logout }</button>
        </section>
    }
}
