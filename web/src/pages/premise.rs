//! One premise: its details, "inspect now", and its inspections and hazards on this phone.

use crate::components::saved::SavedBadge;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::route::Route;
use crate::store::Local;
use crate::util::{short_time, sort_by};
use xunjian_shared::hazard::{Hazard, HazardStatus};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PremiseProps {
    pub id: String,
}

#[component]
pub fn PremiseDetail(props: &PremiseProps) -> Html {
    let ctx = use_ctx();
    let t = ctx.t();
    let w = &ctx.world;
    let Some(p) = w.premise(&props.id) else {
        return html! { <p class="muted">{ t.not_found }</p> };
    };
    let premise = &p.value;
    let inspections: Vec<_> = w.inspections.iter().filter(|i| i.value.submitted.premise_id == premise.id).collect();
    let mut hazards: Vec<_> = ctx.all_hazards().filter(|h| h.value.premise_id == premise.id).collect();
    let key =
        |h: &&Local<Hazard>| (h.value.state.status == HazardStatus::Closed, std::cmp::Reverse(h.value.created_at));
    sort_by(&mut hazards, |a, b| key(a).cmp(&key(b)));
    let can_inspect = ctx.role().can_inspect() && premise.active;

    html! {
        <>
            <section class="card">
                <h2>{ &premise.name }</h2>
                <SavedBadge pending={p.pending()} />
                <dl class="facts">
                    <dt>{ t.premise_type }</dt><dd>{ i18n::premise_type(ctx.lang, premise.premise_type) }</dd>
                    <dt>{ t.address }</dt><dd>{ &premise.address }</dd>
                    <dt>{ t.responsible }</dt>
                    <dd>{ &premise.responsible_person }
                        if let Some(phone) = &premise.responsible_phone {
                            <a class="button secondary small-button call" href={format!("tel:{}", phone.replace(' ', ""))} data-testid="call">
                                { "📞 " }{ t.call }{ " " }{ phone }</a>
                        }
                    </dd>
                </dl>
                if can_inspect {
                    <a class="button primary block" href={Route::Inspect(props.id.clone()).hash()} data-testid="start-inspection">
                        { t.start_inspection }
                    </a>
                }
            </section>
            <h2 class="section">{ t.hazards }<span class="count">{ hazards.len() }</span></h2>
            <ul class="list" data-testid="premise-hazards">
                { for hazards.iter().map(|h| html! {
                    <li><a class="row" href={Route::Hazard(h.value.id.to_string()).hash()} data-status={h.value.state.status.as_str()}>
                        <span class="title">{ &h.value.description }</span>
                        <span class="sub">{ i18n::status(ctx.lang, h.value.state.status) }{ " · " }{ i18n::severity(ctx.lang, h.value.state.severity) }</span>
                        <SavedBadge pending={h.pending()} />
                    </a></li>
                }) }
            </ul>
            <h2 class="section">{ t.inspections }<span class="count">{ inspections.len() }</span></h2>
            <ul class="list" data-testid="premise-inspections">
                { for inspections.iter().map(|i| html! {
                    <li class="row" data-id={i.value.submitted.id.to_string()}>
                        <span class="title">{ short_time(i.value.submitted.finished_at) }</span>
                        <span class="sub">{ (t.hazards_found)(i.value.hazard_count) }
                            if i.value.submitted.location.is_some() { { " · 📍" } }
                        </span>
                        <SavedBadge pending={i.pending()} />
                    </li>
                }) }
            </ul>
            if inspections.is_empty() { <p class="muted">{ t.never_inspected }</p> }
        </>
    }
}
