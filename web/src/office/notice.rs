//! 消防安全隐患限期整改通知书: the notice the office hands to a premise's responsible person, with
//! the premise, the responsible person, the hazard, the deadline and the issuing office, laid out
//! for A4 (styles.css `@media print` drops everything else from the page).

use super::state::not_ready;
use super::view::use_view;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::util::{date_zh, now};
use xunjian_shared::api as paths;
use xunjian_shared::hazard::HazardDetail;
use xunjian_shared::org::OrgLevel;
use xunjian_shared::{HazardId, Role};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    pub id: HazardId,
}

#[component]
pub fn Notice(props: &NoticeProps) -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let view = use_view::<HazardDetail>(paths::hazard(props.id));
    if let Some(h) = not_ready(&ctx, &view.load) {
        return h;
    }
    let Some(d) = view.load.data().cloned() else { return html! {} };
    let h = &d.hazard;
    let premise = ctx.world.premise(&h.premise_id.to_string()).map(|p| p.value.clone());
    let responsible = premise.as_ref().map(|p| p.responsible_person.clone()).unwrap_or_default();
    let phone = premise.as_ref().and_then(|p| p.responsible_phone.clone()).unwrap_or_default();
    // The issuing office: the township's committee office, or the county's fire brigade.
    let chain = &ctx.me.org_chain;
    let township = chain.iter().find(|u| u.level == OrgLevel::Township).or(chain.last());
    let issuer = match (ctx.role(), township) {
        (Role::FireBrigade, _) => {
            format!("{}{}", chain.first().map(|u| u.name.as_str()).unwrap_or_default(), o.brigade_name)
        }
        (_, Some(u)) => format!("{}{}", u.name, o.office_name),
        (_, None) => String::new(),
    };
    let short: String = township.map(|u| u.name.chars().take(2).collect()).unwrap_or_default();
    let year = date_zh(h.created_at).chars().take(4).collect::<String>();
    // The end of the id (UUIDv7: the start is the time, shared by hazards of one inspection).
    let id = h.id.to_string();
    let number = id.get(id.len().saturating_sub(6)..).unwrap_or_default().to_uppercase();
    let deadline = h.state.deadline.map(date_zh).unwrap_or_else(|| "____年__月__日".into());
    let print = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    html! {
        <div>
            <p class="no-print toolbar">
                <button type="button" class="button primary small-button" onclick={print} data-testid="print">{ "🖨 " }{ o.print }</button>
                <a class="button secondary small-button" href={crate::route::Route::Hazard(props.id.to_string()).hash()}>{ o.back_to_hazard }</a>
            </p>
            <article class="paper" data-testid="notice">
                <h1 class="paper-title">{ o.notice_title }</h1>
                <p class="paper-number">{ (o.notice_number)(&short, &year, &number) }</p>
                <p class="addressee"><u>{ &d.premise_name }</u>{ "：" }</p>
                <p class="indent">{ (o.notice_found)(&d.premise_address) }</p>
                <table class="paper-table">
                    <tr><th>{ o.col_premise }</th><td>{ &d.premise_name }</td></tr>
                    <tr><th>{ ctx.t().address }</th><td>{ &d.premise_address }</td></tr>
                    <tr><th>{ ctx.t().responsible }</th><td data-testid="notice-responsible">{ &responsible }{ " " }{ phone }</td></tr>
                    <tr><th>{ o.col_hazard }</th><td>{ &h.description }{ "（" }{ i18n::category(ctx.lang, h.category) }{ "，" }{ i18n::severity(ctx.lang, h.state.severity) }{ "）" }</td></tr>
                    <tr><th>{ o.notice_deadline }</th><td data-testid="notice-deadline"><strong>{ &deadline }</strong></td></tr>
                </table>
                <p class="indent">{ (o.notice_order)(&deadline) }</p>
                <p class="indent">{ o.notice_meanwhile }</p>
                <div class="signature">
                    <p data-testid="notice-issuer">{ &issuer }{ o.seal }</p>
                    <p>{ date_zh(now()) }</p>
                </div>
                <div class="receipt">
                    <p>{ o.receipt_line }</p>
                    <p>{ o.inspector_line }</p>
                </div>
                <p class="small muted">{ o.notice_copies }</p>
            </article>
        </div>
    }
}
