//! 计发办法 beside the pay sheet: the township's pay scheme (第十四、二十、二十六条) — base pay, the
//! required days and the deduction per missing day (责任到位率), and 扣劣奖优 by the month's checks.
//! The township office and the county set it (or go back to the county's defaults); the road station
//! reads it. Open months are paid by it at once; closed sheets keep the scheme they were closed with.

use crate::api::Body;
use crate::ctx::use_ctx;
use crate::office::view::use_view;
use gloo::net::http::Method;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use xunjian_shared::api as paths;
use xunjian_shared::road::pay::{PayScheme, TownshipPayScheme};
use xunjian_shared::{OrgUnitId, Role};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PayRulesProps {
    pub township_id: String,
    pub offline: bool,
    /// The sheet is computed by the scheme: reload it after a change.
    pub on_saved: Callback<()>,
}

/// One figure of the scheme: its label, its value, and how to set it from the input's text.
type Field = (&'static str, &'static str, f64, fn(&mut PayScheme, f64));

fn fields(o: &crate::i18n::OfficeTexts, s: &PayScheme) -> [Field; 7] {
    [
        ("base_yuan", o.rule_base, s.base_yuan, |s, v| s.base_yuan = v),
        ("required_days", o.rule_required_days, f64::from(s.required_days), |s, v| s.required_days = v as u32),
        ("deduction_per_missing_day_yuan", o.rule_per_day, s.deduction_per_missing_day_yuan, |s, v| {
            s.deduction_per_missing_day_yuan = v
        }),
        ("poor_below", o.rule_poor_below, s.poor_below, |s, v| s.poor_below = v),
        ("poor_deduction_yuan", o.rule_poor_deduction, s.poor_deduction_yuan, |s, v| s.poor_deduction_yuan = v),
        ("good_from", o.rule_good_from, s.good_from, |s, v| s.good_from = v),
        ("good_bonus_yuan", o.rule_good_bonus, s.good_bonus_yuan, |s, v| s.good_bonus_yuan = v),
    ]
}

#[component]
pub fn PayRules(props: &PayRulesProps) -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    // A sheet from the server always names its township; a nil id would find nothing.
    let town: OrgUnitId = props.township_id.parse().unwrap_or(OrgUnitId(Default::default()));
    let view = use_view::<TownshipPayScheme>(paths::road_pay_rules(town));
    let edited = use_state(|| None::<PayScheme>);
    let message = use_state(|| None::<(bool, String)>);
    let Some(current) = view.load.data() else { return html! {} };
    let may_set = matches!(ctx.role(), Role::TownshipOffice | Role::CountyAdmin) && !props.offline;
    let scheme = (*edited).clone().unwrap_or_else(|| current.scheme.clone());
    let send = |method: Method| {
        let (ctx, message, edited) = (ctx.clone(), message.clone(), edited.clone());
        let (reload, on_saved, scheme) = (view.reload.clone(), props.on_saved.clone(), scheme.clone());
        Callback::from(move |_: MouseEvent| {
            let json = if method == Method::PUT { serde_json::to_string(&scheme).ok() } else { None };
            let (ctx, message, edited) = (ctx.clone(), message.clone(), edited.clone());
            let (reload, on_saved, method) = (reload.clone(), on_saved.clone(), method.clone());
            spawn_local(async move {
                let body = json.as_deref().map_or(Body::Empty, Body::Json);
                match ctx.runner.call(method, &paths::road_pay_rules(town), body).await {
                    Ok(_) => {
                        message.set(Some((true, ctx.o().pay_rules_saved.to_owned())));
                        edited.set(None);
                        reload.emit(());
                        on_saved.emit(());
                    }
                    Err(e) => message.set(Some((false, e.message(ctx.lang)))),
                }
            });
        })
    };
    let source = if current.county_default {
        o.pay_rules_default.to_owned()
    } else {
        (o.pay_rules_set_by)(&current.updated_by_name)
    };
    html! {
        <section class="pay-rules" data-testid="pay-rules" data-default={current.county_default.to_string()}>
            <h3>{ o.pay_rules }</h3>
            <p class="small muted" data-testid="pay-rules-source">{ source }</p>
            <div class="rule-grid">
                { for fields(o, &scheme).into_iter().map(|(name, label, value, set)| {
                    if may_set {
                        let (edited, scheme) = (edited.clone(), scheme.clone());
                        let onchange = Callback::from(move |e: Event| {
                            let text = e.target_unchecked_into::<HtmlInputElement>().value();
                            if let Ok(v) = text.trim().parse::<f64>() {
                                let mut s = scheme.clone();
                                set(&mut s, v);
                                edited.set(Some(s));
                            }
                        });
                        html! { <label>{ label }<input type="number" min="0" step="any" name={name} value={value.to_string()} {onchange} /></label> }
                    } else {
                        html! { <p><span class="muted">{ label }{ "：" }</span><strong data-field={name}>{ value }</strong></p> }
                    }
                }) }
            </div>
            if may_set {
                <div class="no-print">
                    <button type="button" class="button secondary" onclick={send(Method::PUT)} data-testid="save-pay-rules">{ ctx.t().save }</button>
                    if !current.county_default {
                        <button type="button" class="button secondary" onclick={send(Method::DELETE)} data-testid="reset-pay-rules">{ o.pay_rules_reset }</button>
                    }
                </div>
            }
            if let Some((ok, m)) = &*message {
                <p class={if *ok { "notice" } else { "notice error" }} role="status" data-testid="pay-rules-message">{ m }</p>
            }
        </section>
    }
}
