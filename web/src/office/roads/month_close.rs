//! 结算与签字 under the pay sheet (第二十一条): the acts done on the month with who and when, the button
//! for the next one (the server decides who may: the road station closes and signs as 交管员, the
//! named 分管副职 and 乡(镇)长 sign and approve), the corrections late records put on this sheet, and
//! how many records arrived after the month was closed.

use crate::api::Body;
use crate::ctx::use_ctx;
use crate::i18n::Lang;
use crate::office::view::use_view;
use crate::util::short_time;
use gloo::net::http::Method;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlSelectElement;
use xunjian_shared::api as paths;
use xunjian_shared::api::List;
use xunjian_shared::road::month_close::{MonthAct, MonthActRequest, RoadSigners};
use xunjian_shared::road::pay::PaySheet;
use xunjian_shared::user::User;
use xunjian_shared::OrgUnitId;
use yew::prelude::*;

fn act_label(lang: Lang, a: MonthAct) -> &'static str {
    match lang {
        Lang::Zh => a.label_zh(),
        Lang::En => a.label_en(),
    }
}

#[derive(Properties, PartialEq)]
pub struct MonthCloseProps {
    pub sheet: std::rc::Rc<PaySheet>,
    pub offline: bool,
    pub on_done: Callback<()>,
}

#[component]
pub fn MonthClose(props: &MonthCloseProps) -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let error = use_state(|| None::<String>);
    let s = &props.sheet;
    let lang = ctx.lang;
    let next = s.next.filter(|_| !props.offline).map(|act| {
        let (ctx, error, on_done) = (ctx.clone(), error.clone(), props.on_done.clone());
        let (town, month) = (s.township_id.clone(), s.month.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            let Ok(town) = town.parse::<OrgUnitId>() else { return };
            let Ok(json) = serde_json::to_string(&MonthActRequest { month: month.clone(), act }) else { return };
            let (ctx, error, on_done) = (ctx.clone(), error.clone(), on_done.clone());
            spawn_local(async move {
                match ctx.runner.call(Method::POST, &paths::road_month_acts(town), Body::Json(&json)).await {
                    Ok(_) => {
                        error.set(None);
                        on_done.emit(());
                    }
                    Err(e) => error.set(Some(e.message(ctx.lang))),
                }
            });
        });
        html! {
            <button type="button" class="button primary" {onclick} data-testid="month-act" data-act={act.as_str()}>
                { act_label(lang, act) }</button>
        }
    });
    let state = if s.acts.is_empty() {
        "open"
    } else if s.next.is_none() {
        "approved"
    } else {
        "closed"
    };
    html! {
        <section class="month-close" data-testid="month-close" data-state={state}>
            <h3>{ o.month_close }</h3>
            if s.acts.is_empty() {
                <p class="small muted">{ o.month_open_help }</p>
            } else {
                <ol class="acts" data-testid="month-acts">
                    { for s.acts.iter().map(|a| html! {
                        <li data-act={a.act.as_str()}>{ act_label(ctx.lang, a.act) }{ "：" }<strong>{ &a.by_name }</strong>{ " " }{ short_time(a.at) }</li>
                    }) }
                </ol>
            }
            if s.late_records > 0 {
                <p class="warn small" data-testid="late-records">{ (o.late_records)(s.late_records) }</p>
            }
            if !s.corrections.is_empty() {
                <table class="table report" data-testid="corrections">
                    <thead><tr><th>{ o.worker }</th><th>{ o.month }</th><th class="num">{ o.days_was_now }</th><th class="num">{ o.correction_yuan }</th></tr></thead>
                    <tbody>
                        { for s.corrections.iter().map(|c| html! {
                            <tr><td>{ &c.name }</td><td>{ &c.month }</td><td class="num">{ format!("{} → {}", c.days_was, c.days_now) }</td>
                                <td class="num">{ format!("{:+.0}", c.yuan) }</td></tr>
                        }) }
                    </tbody>
                </table>
            }
            <div class="no-print">
                { for next }
                if let Some(e) = &*error { <p class="error small" role="alert" data-testid="month-act-error">{ e }</p> }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct SignersProps {
    pub township_id: String,
}

/// 签字人: the township office (or the county) names the 分管副职 and the 乡(镇)长 who sign the
/// township's sheets after the 交管员 — two of the township's office accounts.
#[component]
pub fn Signers(props: &SignersProps) -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    // A sheet from the server always names its township; a nil id would find nothing.
    let town: OrgUnitId = props.township_id.parse().unwrap_or(OrgUnitId(Default::default()));
    let accounts =
        use_view::<List<User>>(format!("{}?role=township_office&org_unit_id={town}&limit=500", paths::USERS));
    let named = use_view::<RoadSigners>(paths::road_signers(town));
    let pick = use_state(|| None::<(String, String)>);
    let message = use_state(|| None::<(bool, String)>);
    let Some(list) = accounts.load.data() else { return html! {} };
    let current = named.load.data().map(|n| (n.deputy_head_id.to_string(), n.head_id.to_string()));
    let (deputy, head) = (*pick).clone().or(current).unwrap_or_default();
    let select = |value: String, which: bool| {
        let (pick, other) = (pick.clone(), if which { head.clone() } else { deputy.clone() });
        let onchange = Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            pick.set(Some(if which { (v, other.clone()) } else { (other.clone(), v) }));
        });
        html! {
            <select {onchange} data-testid={if which { "signer-deputy" } else { "signer-head" }}>
                <option value="" selected={value.is_empty()}>{ "—" }</option>
                { for list.items.iter().map(|u| html! {
                    <option value={u.id.to_string()} selected={u.id.to_string() == value}>{ &u.display_name }</option>
                }) }
            </select>
        }
    };
    let save = {
        let (ctx, message, reload) = (ctx.clone(), message.clone(), named.reload.clone());
        let (deputy, head) = (deputy.clone(), head.clone());
        Callback::from(move |_: MouseEvent| {
            let (Ok(d), Ok(h)) = (deputy.parse(), head.parse()) else { return };
            let Ok(json) = serde_json::to_string(&RoadSigners { deputy_head_id: d, head_id: h }) else { return };
            let (ctx, message, reload) = (ctx.clone(), message.clone(), reload.clone());
            spawn_local(async move {
                match ctx.runner.call(Method::PUT, &paths::road_signers(town), Body::Json(&json)).await {
                    Ok(_) => {
                        message.set(Some((true, ctx.o().signers_saved.to_owned())));
                        reload.emit(());
                    }
                    Err(e) => message.set(Some((false, e.message(ctx.lang)))),
                }
            });
        })
    };
    html! {
        <section class="signers no-print" data-testid="signers">
            <h3>{ o.signers }</h3>
            <label>{ o.sign_deputy }{ select(deputy.clone(), true) }</label>
            <label>{ o.sign_head }{ select(head.clone(), false) }</label>
            <button type="button" class="button secondary" onclick={save} disabled={deputy.is_empty() || head.is_empty()}
                data-testid="save-signers">{ ctx.t().save }</button>
            if let Some((ok, m)) = &*message {
                <p class={if *ok { "notice" } else { "notice error" }} role="status">{ m }</p>
            }
        </section>
    }
}
