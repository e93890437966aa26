//! 沿线责任户 (第七条): the register of the households, fruit stores and businesses along the roads
//! on the register page, and, on a road issue's page, who is responsible — the party named, and for
//! the road station and the enforcement team the parties along the road nearest the issue's place,
//! each with a button to name it.

use crate::ctx::{use_ctx, Ctx};
use crate::i18n;
use crate::office::state::not_ready;
use crate::office::view::{send, use_view};
use crate::util::short_time;
use gloo::net::http::Method;
use wasm_bindgen_futures::spawn_local;
use xunjian_shared::api as paths;
use xunjian_shared::road::issue::RoadIssueDetail;
use xunjian_shared::road::roadside::{NameResponsible, Responsible, RoadsideCandidate, RoadsideParty, RoadsideSummary};
use xunjian_shared::{RoadIssueId, RoadsidePartyId};
use yew::prelude::*;

/// "Y045 K1.20–K1.35 右侧".
fn plot(ctx: &Ctx, p: &RoadsideParty) -> String {
    let side = i18n::road_side(ctx.lang, p.side);
    if p.to_km > p.from_km {
        format!("{} K{:.2}–K{:.2} {side}", p.road_code, p.from_km, p.to_km)
    } else {
        format!("{} K{:.2} {side}", p.road_code, p.from_km)
    }
}

/// The register in scope: its counts and a line a party.
#[component]
pub fn RoadsideTable() -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let view = use_view::<Vec<RoadsideParty>>(paths::ROADSIDE_PARTIES.into());
    if let Some(h) = not_ready(&ctx, &view.load) {
        return h;
    }
    let Some(parties) = view.load.data() else { return html! {} };
    let s = RoadsideSummary::of(parties);
    html! {
        <section data-testid="roadside" data-parties={s.parties.to_string()} data-signed={s.signed.to_string()}>
            <h3 class="section">{ o.roadside_title }<span class="count">{ s.parties }</span></h3>
            <p class="small muted">{ (o.roadside_summary)(s.parties, s.signed, s.no_phone) }</p>
            if !parties.is_empty() {
                <div class="table-wrap"><table class="table" data-testid="roadside-table">
                    <thead><tr>
                        <th>{ o.col_plot }</th><th>{ o.col_village }</th><th>{ o.col_party_kind }</th><th>{ o.col_holder }</th>
                        <th>{ ctx.t().phone }</th><th>{ o.col_agreement }</th>
                    </tr></thead>
                    <tbody>
                        { for parties.iter().map(|p| html! {
                            <tr data-party={p.id.to_string()} class={classes!(p.agreement_on.is_none().then_some("flagged"))}>
                                <td>{ plot(&ctx, p) }</td>
                                <td>{ &p.village }</td>
                                <td>{ i18n::party_kind(ctx.lang, p.kind) }</td>
                                <td>{ &p.holder }</td>
                                <td>{ &p.phone }</td>
                                <td>{ p.agreement_on.map_or_else(|| o.agreement_none.to_owned(), |d| d.to_string()) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table></div>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ResponsibleProps {
    pub issue: RoadIssueId,
    pub responsible: Option<Responsible>,
    /// Offered to the road station and enforcement on a violation not yet closed.
    pub candidates: Vec<RoadsideCandidate>,
    pub offline: bool,
    pub on_done: Callback<()>,
}

/// Who is responsible for a violation on the road, and naming one.
#[component]
pub fn ResponsibleCard(props: &ResponsibleProps) -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let error = use_state(|| None::<String>);
    if props.responsible.is_none() && props.candidates.is_empty() {
        return html! {};
    }
    let name = |party: Option<RoadsidePartyId>| {
        let (ctx, error, on_done) = (ctx.clone(), error.clone(), props.on_done.clone());
        let path = paths::road_issue_responsible(props.issue);
        Callback::from(move |_: MouseEvent| {
            let (ctx, error, on_done, path) = (ctx.clone(), error.clone(), on_done.clone(), path.clone());
            spawn_local(async move {
                match send::<_, RoadIssueDetail>(&ctx, Method::PUT, &path, &NameResponsible { party_id: party }).await {
                    Ok(_) => {
                        error.set(None);
                        on_done.emit(());
                    }
                    Err(e) => error.set(Some(e.message(ctx.lang))),
                }
            });
        })
    };
    let may_name = !props.candidates.is_empty() && !props.offline;
    html! {
        <section class="card" data-testid="responsible"
            data-party={props.responsible.as_ref().map(|r| r.party.id.to_string()).unwrap_or_default()}>
            <h3>{ o.responsible_title }</h3>
            if let Some(r) = &props.responsible {
                <p data-testid="responsible-party">
                    <strong>{ &r.party.holder }</strong>{ " · " }{ i18n::party_kind(ctx.lang, r.party.kind) }{ " · " }{ &r.party.village }
                    if !r.party.phone.is_empty() {
                        { " · " }<a class="tap" href={format!("tel:{}", r.party.phone.replace(' ', ""))}>{ &r.party.phone }</a>
                    }
                </p>
                <p class="small muted">{ plot(&ctx, &r.party) }{ " · " }{ o.col_agreement }{ "：" }
                    { r.party.agreement_on.map_or_else(|| o.agreement_none.to_owned(), |d| d.to_string()) }{ " · " }
                    { (o.named_by)(&r.named_by_name, short_time(r.named_at)) }</p>
                if may_name {
                    <p><button type="button" class="button secondary small-button" onclick={name(None)} data-testid="clear-responsible">{ o.clear_responsible }</button></p>
                }
            } else {
                <p class="muted">{ o.responsible_none }</p>
            }
            if may_name {
                <h4 class="small">{ o.candidates_title }</h4>
                <ul class="plain" data-testid="candidates">
                    { for props.candidates.iter().map(|c| {
                        let named = props.responsible.as_ref().is_some_and(|r| r.party.id == c.party.id);
                        html! {
                            <li data-party={c.party.id.to_string()}>
                                <strong>{ &c.party.holder }</strong>{ " · " }{ plot(&ctx, &c.party) }
                                if let Some(d) = c.distance_m { { " · " }<span class="small">{ (o.distance_m)(d) }</span> }
                                if !named {
                                    { " " }<button type="button" class="button primary small-button" onclick={name(Some(c.party.id))}
                                        data-testid="name-party">{ o.name_this }</button>
                                }
                            </li>
                        }
                    }) }
                </ul>
            }
            if let Some(e) = &*error { <p class="error small" role="alert">{ e }</p> }
        </section>
    }
}
