//! One check: the draw (the seed, so anyone can repeat it; the segments per township; the
//! inspectors), a scoring form of the seven items for each drawn segment, publishing (通报), and
//! the ranking with the marks of 第二十六条 (a worker without on-road records ranks last) and
//! 第二十五条 (bottom two twice in a row), as a table and an XLSX file.

use super::checks::remember;
use super::station_scores::StationScores;
use crate::ctx::{use_ctx, Ctx};
use crate::i18n;
use crate::office::download::DownloadButton;
use crate::office::state::{not_ready, offline_note};
use crate::office::view::{send, use_view};
use crate::util::short_time;
use gloo::net::http::Method;
use wasm_bindgen_futures::spawn_local;
use xunjian_shared::api as paths;
use xunjian_shared::api::List;
use xunjian_shared::road::check::CheckDetail;
use xunjian_shared::road::checklist::{RoadCheck, RoadCheckItem};
use xunjian_shared::road::patrol::{Check, CheckKind, ScoreSegment};
use xunjian_shared::road::ranking::Ranked;
use xunjian_shared::user::User;
use xunjian_shared::{CheckId, SegmentId};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CheckProps {
    pub id: CheckId,
}

#[component]
pub fn CheckPage(props: &CheckProps) -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let view = use_view::<CheckDetail>(paths::road_check(props.id));
    let ranking = use_view::<Vec<Ranked>>(paths::road_check_ranking(props.id));
    let users = use_view::<List<User>>(format!("{}?role=county_admin", paths::USERS));
    let scoring = use_state(|| None::<String>);
    let error = use_state(|| None::<String>);
    {
        let (db, data) = (ctx.db.clone(), view.load.data().map(|d| d.check.clone()));
        use_effect_with(data.as_ref().map(|c| c.id), move |_| {
            if let Some(c) = data {
                spawn_local(async move { remember(&db, &c).await });
            }
        });
    }
    if let Some(h) = not_ready(&ctx, &view.load) {
        return h;
    }
    let Some(detail) = view.load.data().cloned() else { return html! {} };
    let c = detail.check.clone();
    // The scoring form of a segment, so a township sees why it lost points.
    let card = |seg: &str| detail.scores.iter().find(|x| x.segment_id.to_string() == seg);
    // A drawn segment the inspector marked not checkable (不具备检查条件), with the reason.
    let mark = |seg: &str| detail.not_checkable.iter().find(|x| x.segment_id.to_string() == seg);
    let settled = c.draw.segments.iter().filter(|s| card(s).is_some() || mark(s).is_some()).count();
    let not_checkable_label = ctx.lang.pick("不具备检查条件", "Not checkable");
    let offline = view.load.offline();
    // Scoring and publishing are the county's; a township reads its published result.
    let county = ctx.role() == xunjian_shared::Role::CountyAdmin;
    let reload = {
        let (a, b) = (view.reload.clone(), ranking.reload.clone());
        Callback::from(move |()| {
            a.emit(());
            b.emit(());
        })
    };
    let publish = {
        let (ctx, error, reload, id) = (ctx.clone(), error.clone(), reload.clone(), props.id);
        Callback::from(move |_: MouseEvent| {
            let (ctx, error, reload, path) =
                (ctx.clone(), error.clone(), reload.clone(), paths::road_check_publish(id));
            spawn_local(async move {
                match send::<_, Check>(&ctx, Method::POST, &path, &serde_json::json!({})).await {
                    Ok(_) => reload.emit(()),
                    // segments_unscored: the detail says how many drawn segments are left.
                    Err(e) => error.set(Some(match &e {
                        crate::api::ApiError::Problem { problem, .. } if problem.detail.is_some() => {
                            format!("{}（{}）", e.message(ctx.lang), problem.detail.as_deref().unwrap_or_default())
                        }
                        _ => e.message(ctx.lang),
                    })),
                }
            });
        })
    };
    let name_of = |id: &str| {
        users
            .load
            .data()
            .and_then(|l| l.items.iter().find(|u| u.id.to_string() == id).map(|u| u.display_name.clone()))
            .unwrap_or_else(|| id.chars().take(8).collect())
    };
    let township_of = |seg: &str| {
        ctx.world
            .segments
            .iter()
            .find(|s| s.value.id.to_string() == seg)
            .and_then(|s| ctx.world.org_units.iter().find(|u| u.value.id == s.value.township_id))
            .map(|u| u.value.name.clone())
            .unwrap_or_default()
    };
    let mut drawn: Vec<(String, String)> = c.draw.segments.iter().map(|s| (township_of(s), s.clone())).collect();
    drawn.sort();
    let kind = if c.kind == CheckKind::MonthlyRandom { o.monthly_random } else { o.quarterly_full };
    html! {
        <div data-testid="check" data-published={c.published_at.is_some().to_string()} data-seed={c.draw.seed.to_string()}>
            { offline_note(&ctx, &view.load) }
            <h2 class="page-title">{ &c.period }{ " " }{ kind }</h2>
            <dl class="facts">
                <dt>{ o.seed }</dt><dd data-testid="seed">{ c.draw.seed }</dd>
                <dt>{ o.inspectors }</dt><dd>{ c.draw.inspectors.iter().map(|i| name_of(i)).collect::<Vec<_>>().join("、") }</dd>
                <dt>{ o.published }</dt><dd>{ c.published_at.map(short_time).unwrap_or_else(|| o.not_yet.to_owned()) }</dd>
            </dl>
            <p class="muted small">{ o.draw_help }</p>
            <h3 class="section">{ o.drawn_segments }<span class="count">{ format!("{} / {}", settled, c.draw.segments.len()) }</span></h3>
            <div class="table-wrap"><table class="table" data-testid="draw-table">
                <thead><tr><th>{ o.col_township }</th><th>{ o.col_segment }</th><th class="num">{ o.score_col }</th><th>{ o.failed_items }</th><th></th></tr></thead>
                <tbody>
                    { for drawn.iter().map(|(township, seg)| {
                        let done = c.scored.iter().any(|s| s.to_string() == *seg);
                        let open = {
                            let (scoring, seg) = (scoring.clone(), seg.clone());
                            Callback::from(move |_: MouseEvent| scoring.set(Some(seg.clone())))
                        };
                        let label = seg.parse().map(|id| ctx.world.segment_label(&id)).unwrap_or_else(|_| seg.clone());
                        html! {
                            <tr data-segment={seg.clone()} data-scored={done.to_string()} data-not-checkable={mark(seg).is_some().to_string()}
                                data-score={card(seg).map(|x| format!("{:.1}", x.score)).unwrap_or_default()}>
                                <td>{ township }</td><td>{ label }</td>
                                <td class="num">{ card(seg).map(|x| format!("{:.1}", x.score)).unwrap_or_else(|| if done { "✓".into() } else { String::new() }) }</td>
                                <td class="small">{ card(seg).map(|x| x.items.iter().filter(|i| !i.pass).map(|i| i18n::road_check(ctx.lang, i.item)).collect::<Vec<_>>().join("、")).unwrap_or_default() }
                                    { card(seg).map(|x| format!(" · {}", x.scored_by_name)).unwrap_or_default() }
                                    { mark(seg).map(|m| format!("{not_checkable_label}：{} · {}", m.reason, m.marked_by_name)).unwrap_or_default() }</td>
                                <td>if county && !offline && c.published_at.is_none() {
                                    <button type="button" class="button secondary small-button" onclick={open} data-testid="score">{ o.score }</button>
                                }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table></div>
            // Keyed by segment: opening another segment's form starts afresh, not from the last one's answers.
            if let Some(seg) = scoring.as_deref().and_then(|s| s.parse::<SegmentId>().ok()) {
                <ScoreForm key={seg.to_string()} check={props.id} segment={seg} on_done={
                    let (scoring, reload) = (scoring.clone(), reload.clone());
                    Callback::from(move |()| { scoring.set(None); reload.emit(()); })
                } />
            }
            <StationScores detail={(*detail).clone()} may_score={county && !offline && c.published_at.is_none()} on_done={reload.clone()} />
            if county && !offline && c.published_at.is_none() {
                <p><button type="button" class="button primary small-button" onclick={publish} data-testid="publish">{ o.publish }</button></p>
            }
            if let Some(e) = &*error { <p class="error" role="alert">{ e }</p> }
            <h3 class="section">{ o.ranking }</h3>
            if let Some(h) = not_ready(&ctx, &ranking.load) { { h } }
            if let Some(list) = ranking.load.data() { { ranking_table(&ctx, list) } }
            <DownloadButton path={format!("{}?format=xlsx", paths::road_check_ranking(props.id))} filename={format!("ranking-{}.xlsx", c.period)} label={o.export_xlsx} />
        </div>
    }
}

fn ranking_table(ctx: &Ctx, ranked: &[Ranked]) -> Html {
    let o = ctx.o();
    let yes = |b: bool| if b { o.yes_mark } else { "" };
    html! {
        <div class="table-wrap"><table class="table" data-testid="ranking">
            <thead><tr>
                <th class="num">{ o.rank }</th><th>{ o.col_township }</th><th class="num">{ o.score_col }</th>
                <th class="num">{ o.road_part }</th><th class="num">{ o.station_part }</th>
                <th class="num">{ o.without_record }</th><th>{ o.last_by_rule }</th><th>{ o.bottom_two }</th><th>{ o.flagged }</th>
            </tr></thead>
            <tbody>
                { for ranked.iter().map(|r| html! {
                    <tr class={classes!(r.flagged.then_some("flagged"))} data-township={r.result.name.clone()} data-rank={r.rank.to_string()} data-score={format!("{:.1}", r.result.score)}>
                        <td class="num">{ r.rank }</td><td>{ &r.result.name }</td><td class="num">{ if r.result.not_checkable { ctx.lang.pick("不具备检查条件", "Not checkable").to_owned() } else { format!("{:.1}", r.result.score) } }</td>
                        <td class="num">{ r.result.road_score.filter(|_| !r.result.not_checkable).map(|s| format!("{s:.1}")).unwrap_or_default() }</td>
                        <td class="num">{ r.result.station_points.map(|p| format!("{p:.1}")).unwrap_or_default() }</td>
                        <td class="num">{ r.result.workers_without_record }</td>
                        <td class="error">{ yes(r.last_by_rule) }</td><td>{ yes(r.bottom_two) }</td><td class="error">{ yes(r.flagged) }</td>
                    </tr>
                }) }
            </tbody>
        </table></div>
    }
}

#[derive(Properties, PartialEq)]
struct ScoreFormProps {
    check: CheckId,
    segment: SegmentId,
    on_done: Callback<()>,
}

/// The seven items of 第十五条 for one drawn segment, as found by the inspectors.
#[component]
fn ScoreForm(props: &ScoreFormProps) -> Html {
    let ctx = use_ctx();
    let (o, t) = (ctx.o(), ctx.t());
    let passed = use_state(|| [true; 7]);
    let error = use_state(|| None::<String>);
    let reason = use_state(String::new);
    let on_reason = {
        let reason = reason.clone();
        Callback::from(move |e: Event| reason.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let mark = {
        let (ctx, reason, error, on_done) = (ctx.clone(), reason.clone(), error.clone(), props.on_done.clone());
        let path = paths::road_check_not_checkable(props.check, props.segment);
        Callback::from(move |_: MouseEvent| {
            let body = xunjian_shared::road::check::MarkNotCheckable { reason: (*reason).clone() };
            let (ctx, error, on_done, path) = (ctx.clone(), error.clone(), on_done.clone(), path.clone());
            spawn_local(async move {
                match send::<_, CheckDetail>(&ctx, Method::PUT, &path, &body).await {
                    Ok(_) => on_done.emit(()),
                    Err(e) => error.set(Some(e.message(ctx.lang))),
                }
            });
        })
    };
    let toggle = |i: usize| {
        let passed = passed.clone();
        Callback::from(move |_: MouseEvent| {
            let mut p = *passed;
            p[i] = !p[i];
            passed.set(p);
        })
    };
    let save = {
        let (ctx, passed, error, on_done) = (ctx.clone(), passed.clone(), error.clone(), props.on_done.clone());
        let path = paths::road_check_score(props.check, props.segment);
        Callback::from(move |_: MouseEvent| {
            let items: Vec<RoadCheck> = RoadCheckItem::ALL
                .iter()
                .zip(passed.iter())
                .map(|(item, pass)| RoadCheck { item: *item, pass: *pass, photo: None, location: None, note: None })
                .collect();
            let (ctx, error, on_done, path) = (ctx.clone(), error.clone(), on_done.clone(), path.clone());
            spawn_local(async move {
                match send::<_, Check>(&ctx, Method::PUT, &path, &ScoreSegment { items }).await {
                    Ok(_) => on_done.emit(()),
                    Err(e) => error.set(Some(e.message(ctx.lang))),
                }
            });
        })
    };
    html! {
        <section class="card tight" data-testid="score-form" data-segment={props.segment.to_string()}>
            <h3>{ o.score }{ " · " }{ ctx.world.segment_label(&props.segment) }</h3>
            <ul class="plain checks">
                { for RoadCheckItem::ALL.iter().enumerate().map(|(i, item)| html! {
                    <li class={classes!((!passed[i]).then_some("failed"))}>
                        <button type="button" class={classes!("choice", if passed[i] { "pass on" } else { "fail on" })} onclick={toggle(i)} data-item={i.to_string()}>
                            { if passed[i] { t.pass } else { t.fail } }
                        </button>
                        { " " }{ i18n::road_check(ctx.lang, *item) }
                    </li>
                }) }
            </ul>
            if let Some(e) = &*error { <p class="error small" role="alert">{ e }</p> }
            <button type="button" class="button primary small-button" onclick={save} data-testid="save-score">{ t.save }</button>
            <p class="small">
                <input type="text" maxlength="500" placeholder={ctx.lang.pick("不具备检查条件的原因", "Why it cannot be checked")} onchange={on_reason} data-testid="not-checkable-reason" />
                { " " }
                <button type="button" class="button secondary small-button" onclick={mark} data-testid="mark-not-checkable">{ ctx.lang.pick("不具备检查条件", "Not checkable") }</button>
            </p>
        </section>
    }
}
