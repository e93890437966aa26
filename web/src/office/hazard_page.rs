//! One hazard for the office, the enforcement team and the fire brigade: premise and address,
//! what, severity and category, deadline and receiver, the photos, the position (coordinates and
//! a geo: link), the actions the server allows the caller now, the rectification notice to print,
//! and the full timeline.

use super::actions::Actions;
use super::hazard_table::receiver;
use super::position::position;
use super::server_photos::ServerPhotos;
use super::state::{not_ready, offline_note};
use super::timeline::timeline;
use super::view::use_view;
use crate::ctx::use_ctx;
use crate::i18n;
use crate::route::Route;
use crate::util::{date, date_time, now};
use xunjian_shared::api as paths;
use xunjian_shared::checklist::Severity;
use xunjian_shared::hazard::HazardDetail;
use xunjian_shared::HazardId;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HazardPageProps {
    pub id: HazardId,
}

#[component]
pub fn HazardPage(props: &HazardPageProps) -> Html {
    let ctx = use_ctx();
    let (o, t) = (ctx.o(), ctx.t());
    let view = use_view::<HazardDetail>(paths::hazard(props.id));
    if let Some(h) = not_ready(&ctx, &view.load) {
        return html! { <>{ h }<p><a href={Route::Hazards(None).hash()}>{ o.back_to_queue }</a></p></> };
    }
    let Some(d) = view.load.data().cloned() else { return html! {} };
    let h = &d.hazard;
    let premise = ctx.world.premise(&h.premise_id.to_string()).map(|p| p.value.clone());
    let found_at = d.timeline.first().and_then(|e| e.location);
    let overdue = h.state.is_overdue(now());
    let shas: Vec<String> = h.photos.iter().map(|p| p.as_str().to_owned()).collect();
    html! {
        <div class="hazard-page" data-testid="office-hazard" data-status={h.state.status.as_str()} data-version={h.version.to_string()}>
            { offline_note(&ctx, &view.load) }
            <section class="card">
                <h2>{ &d.premise_name }</h2>
                <p class="muted">{ &d.premise_address }</p>
                <p>
                    <span class="tag status" data-testid="status">{ i18n::status(ctx.lang, h.state.status) }</span>
                    <span class={classes!("tag", (h.state.severity == Severity::Major).then_some("major"))}>{ i18n::severity(ctx.lang, h.state.severity) }</span>
                    <span class="tag">{ i18n::category(ctx.lang, h.category) }</span>
                    if let Some(dl) = h.state.deadline {
                        <span class={classes!("tag", overdue.then_some("error"))}>{ t.deadline }{ " " }{ date(dl) }</span>
                    }
                    if let Some(r) = h.state.referred_to { <span class="tag">{ o.refer_to }{ " " }{ receiver(&ctx, r) }</span> }
                </p>
                <p class="description">{ &h.description }</p>
                <dl class="facts">
                    if let Some(p) = &premise {
                        <dt>{ t.responsible }</dt>
                        <dd>{ &p.responsible_person }{ " " }{ p.responsible_phone.clone().unwrap_or_default() }</dd>
                    }
                    <dt>{ o.col_registered }</dt><dd>{ date_time(h.created_at) }</dd>
                    if let Some(c) = h.closed_at { <dt>{ o.closed_at }</dt><dd>{ date(c) }</dd> }
                </dl>
                <ServerPhotos shas={shas} />
                if let Some(p) = premise.as_ref().and_then(|p| p.location) {
                    { position(&ctx, o.premise_position, &p) }
                }
                if let Some(p) = found_at { { position(&ctx, o.found_position, &p) } }
                if h.state.deadline.is_some() {
                    <p class="no-print"><a class="button secondary small-button" href={Route::Notice(props.id.to_string()).hash()} data-testid="open-notice">{ "🖨 " }{ o.notice_title }</a></p>
                }
            </section>
            <Actions allowed={d.allowed_actions.clone()} version={h.version} severity={h.state.severity}
                post={paths::hazard_actions(props.id)} offline={view.load.offline()} on_done={view.reload.clone()} />
            { timeline(&ctx, &d.timeline) }
        </div>
    }
}
