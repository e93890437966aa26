//! 管护员工资表: a township's month — per patrol worker the days on the road and 责任到位率, km
//! covered, base pay, the missing days' deduction, the check score with 扣劣 or 奖优, pay due, and
//! pay withheld for a month with no on-road record (第二十六条); the township's pay scheme; the
//! signature lines of 第二十一条 and the month close; the XLSX file to print and sign.

use super::month_close::{MonthClose, Signers};
use super::pay_rules::PayRules;
use super::{my_township, townships};
use crate::ctx::use_ctx;
use crate::office::download::DownloadButton;
use crate::office::state::{not_ready, offline_note};
use crate::office::view::use_view;
use crate::util::{month_before, now};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use xunjian_shared::api as paths;
use xunjian_shared::road::pay::PaySheet;
use xunjian_shared::Role;
use yew::prelude::*;

#[component]
pub fn Pay() -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let month = use_state(|| month_before(now()));
    let township =
        use_state(|| my_township(&ctx).or_else(|| townships(&ctx).first().map(|t| t.0.clone())).unwrap_or_default());
    let query = format!("township_id={}&month={}", *township, *month);
    let view = use_view::<PaySheet>(format!("{}?{query}", paths::ROADS_PAY_SHEET));
    let on_month = {
        let month = month.clone();
        Callback::from(move |e: Event| month.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_township = {
        let township = township.clone();
        Callback::from(move |e: Event| township.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    html! {
        <div data-testid="pay">
            <h2 class="page-title">{ o.nav_pay }</h2>
            <div class="filters no-print">
                <label>{ o.month }<input type="month" value={(*month).clone()} onchange={on_month} /></label>
                if my_township(&ctx).is_none() {
                    <label>{ o.col_township }
                        <select onchange={on_township}>
                            { for townships(&ctx).into_iter().map(|(id, name)| html! { <option selected={id == *township} value={id.clone()}>{ name }</option> }) }
                        </select></label>
                }
                <DownloadButton path={format!("{}?{query}&format=xlsx", paths::ROADS_PAY_SHEET)} filename={format!("pay-{}.xlsx", *month)} label={o.export_xlsx} />
            </div>
            { offline_note(&ctx, &view.load) }
            if let Some(h) = not_ready(&ctx, &view.load) { { h } }
            if let Some(s) = view.load.data() {
                <article class="paper wide-paper">
                    <h1 class="paper-title">{ (o.pay_title)(&s.township_name, &s.month) }</h1>
                    <div class="table-wrap"><table class="table report" data-testid="pay-table">
                        <thead><tr>
                            <th>{ o.worker }</th><th class="num">{ o.days_on_road }</th><th class="num">{ o.attendance_rate }</th>
                            <th class="num">{ o.km_covered }</th><th class="num">{ o.base_pay }</th><th class="num">{ o.attendance_deduction }</th>
                            <th class="num">{ o.check_score }</th><th class="num">{ o.poor_deduction }</th><th class="num">{ o.bonus }</th>
                            <th class="num">{ o.pay_due }</th><th>{ o.withheld }</th>
                        </tr></thead>
                        <tbody>
                            { for s.lines.iter().map(|l| html! {
                                <tr class={classes!(l.withheld.then_some("flagged"))}>
                                    <td>{ &l.month.name }</td><td class="num">{ l.month.days_on_road }</td>
                                    <td class="num">{ format!("{:.0}%", l.attendance_rate * 100.0) }</td>
                                    <td class="num">{ format!("{:.1}", l.month.km_covered) }</td><td class="num">{ format!("{:.0}", l.base_yuan) }</td>
                                    <td class="num">{ format!("{:.0}", l.attendance_deduction_yuan) }</td>
                                    <td class="num" data-testid="check-score">{ l.check_score.map(|s| format!("{s:.1}")).unwrap_or_else(|| "—".into()) }</td>
                                    <td class="num">{ format!("{:.0}", l.check_deduction_yuan) }</td><td class="num">{ format!("{:.0}", l.bonus_yuan) }</td>
                                    <td class="num" data-testid="pay-due">{ format!("{:.0}", l.pay_yuan) }</td>
                                    <td class="error">{ if l.withheld { o.withheld_26 } else { "" } }</td>
                                </tr>
                            }) }
                        </tbody>
                        <tfoot><tr><th colspan="9">{ o.total }</th><th class="num">{ format!("{:.0}", s.total_yuan) }</th><th></th></tr></tfoot>
                    </table></div>
                    <div class="signature">
                        <p>{ o.sign_officer }{ &s.signed_by_road_officer }{ "__________" }</p>
                        <p>{ o.sign_deputy }{ &s.signed_by_deputy_head }{ "__________" }</p>
                        <p>{ o.sign_head }{ &s.approved_by_head }{ "__________" }</p>
                    </div>
                    <PayRules township_id={s.township_id.clone()} offline={view.load.offline()} on_saved={view.reload.clone()} />
                    <MonthClose sheet={s.clone()} offline={view.load.offline()} on_done={view.reload.clone()} />
                    if matches!(ctx.role(), Role::TownshipOffice | Role::CountyAdmin) && !view.load.offline() {
                        <Signers township_id={s.township_id.clone()} />
                    }
                </article>
            }
        </div>
    }
}
