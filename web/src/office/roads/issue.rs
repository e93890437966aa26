//! One road issue: where (road, segment, position), what (category, description, photos), the
//! works filing it concerns, who is responsible (第七条: the party named, and naming one), the actions
//! the server allows (the hazard machine with road roles), and the timeline.

use crate::ctx::use_ctx;
use crate::i18n;
use crate::office::actions::Actions;
use crate::office::hazard_table::receiver;
use crate::office::position::position;
use crate::office::roads::roadside::ResponsibleCard;
use crate::office::server_photos::ServerPhotos;
use crate::office::state::{not_ready, offline_note};
use crate::office::timeline::timeline;
use crate::office::view::use_view;
use crate::route::Route;
use crate::util::{date, short_time};
use xunjian_shared::api as paths;
use xunjian_shared::road::issue::RoadIssueDetail;
use xunjian_shared::RoadIssueId;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RoadIssueProps {
    pub id: RoadIssueId,
}

#[component]
pub fn RoadIssuePage(props: &RoadIssueProps) -> Html {
    let ctx = use_ctx();
    let (o, t) = (ctx.o(), ctx.t());
    let view = use_view::<RoadIssueDetail>(paths::road_issue(props.id));
    if let Some(h) = not_ready(&ctx, &view.load) {
        return html! { <>{ h }<p><a href={Route::RoadIssues.hash()}>{ o.nav_road_issues }</a></p></> };
    }
    let Some(d) = view.load.data().cloned() else { return html! {} };
    let i = &d.issue;
    let shas: Vec<String> = i.photos.iter().map(|p| p.as_str().to_owned()).collect();
    html! {
        <div class="hazard-page" data-testid="road-issue" data-status={i.state.status.as_str()} data-version={i.version.to_string()}>
            { offline_note(&ctx, &view.load) }
            <section class="card">
                <h2>{ i18n::finding_category(ctx.lang, i.category) }</h2>
                <p class="muted">{ &d.place }</p>
                <p>
                    <span class="tag status">{ i18n::status(ctx.lang, i.state.status) }</span>
                    if let Some(dl) = i.state.deadline { <span class="tag">{ t.deadline }{ " " }{ date(dl) }</span> }
                    if let Some(r) = i.state.referred_to { <span class="tag">{ o.refer_to }{ " " }{ receiver(&ctx, r) }</span> }
                    if i.category.is_violation() { <span class="tag major">{ o.violation }</span> }
                </p>
                <p class="description">{ &i.description }</p>
                <dl class="facts">
                    <dt>{ o.col_found }</dt><dd>{ short_time(i.found_at) }</dd>
                    if let Some(w) = i.works_id { <dt>{ o.nav_works }</dt><dd class="small">{ w.to_string() }</dd> }
                </dl>
                <ServerPhotos shas={shas} />
                { position(&ctx, o.found_position, &i.location) }
            </section>
            <ResponsibleCard issue={props.id} responsible={d.responsible.clone()} candidates={d.candidates.clone()}
                offline={view.load.offline()} on_done={view.reload.clone()} />
            <Actions allowed={d.allowed_actions.clone()} version={i.version} severity={i.state.severity} road=true
                post={paths::road_issue_actions(props.id)} offline={view.load.offline()} on_done={view.reload.clone()} />
            { timeline(&ctx, &d.timeline) }
        </div>
    }
}
