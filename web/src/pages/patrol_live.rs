//! The patrol in progress (巡查中): elapsed time, points saved, distance and coverage so far (the
//! shared rules on the saved track), GPS accuracy; the seven-item checklist; problems found with
//! category, photos and position; remarks; and 结束巡查, which queues one `submit_patrol`
//! operation with the phone's copy of the record (works with no signal) and opens its summary.

use super::patrol_check::{check_row, CheckProps};
use super::patrol_finding::{finding_card, FindingProps};
use crate::ctx::{use_ctx, Ctx};
use crate::geo::{self, GeoError};
use crate::patrol_draft::{mean_coverage, nearest_segment, patrol_record, Blocker, Edit, PatrolDraft, DRAFT_KEY};
use crate::route::Route;
use crate::util::{distance, fixed, hms, now, percent};
use gloo::timers::callback::Interval;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlTextAreaElement;
use xunjian_shared::road::checklist::RoadCheckItem;
use xunjian_shared::road::issue::{FindingCategory, RoadFinding};
use xunjian_shared::sync::{OpBody, Record};
use xunjian_shared::RoadIssueId;
use yew::prelude::*;

type DraftCell = Rc<RefCell<Option<PatrolDraft>>>;

#[component]
pub fn PatrolLive() -> Html {
    let ctx = use_ctx();
    let t = ctx.t();
    // The authoritative draft: every edit applies to the latest, then the screen re-renders.
    let draft: DraftCell = use_mut_ref(|| None);
    let shown = use_state(|| 0u32);
    let blockers = use_state(Vec::<Blocker>::new);
    let confirm = use_state(|| false);
    let busy = use_state(|| false);
    let message = use_state(|| None::<String>);
    // The last edit is on disk ("draft saved"), or failed.
    let saved = use_state(|| None::<bool>);
    let tick = use_state(|| 0u32);

    {
        // The clock on screen.
        let tick = tick.clone();
        use_effect_with((), move |_| {
            let timer = Interval::new(1_000, move || tick.set(js_sys::Date::now() as u32));
            move || drop(timer)
        });
    }
    {
        let (db, draft, shown) = (ctx.db.clone(), draft.clone(), shown.clone());
        use_effect_with(ctx.live.patrol, move |patrol| {
            let patrol = *patrol;
            spawn_local(async move {
                let saved: Option<PatrolDraft> = db.draft(DRAFT_KEY).await.ok().flatten();
                *draft.borrow_mut() = saved.filter(|d| Some(d.id) == patrol);
                shown.set(*shown + 1);
            });
        });
    }
    // Every change is applied to the latest draft and written to IndexedDB at once.
    let edit = {
        let (db, draft, shown, saved) = (ctx.db.clone(), draft.clone(), shown.clone(), saved.clone());
        Callback::from(move |e: Edit| {
            let snapshot = {
                let mut d = draft.borrow_mut();
                // Gone once the patrol is being ended: a late photo must not bring the draft back.
                let Some(d) = d.as_mut() else { return };
                d.apply(e);
                d.clone()
            };
            shown.set(*shown + 1);
            let (db, saved) = (db.clone(), saved.clone());
            spawn_local(async move {
                saved.set(Some(db.put_draft(DRAFT_KEY, &snapshot).await.is_ok()));
            });
        })
    };

    let Some(current) = draft.borrow().clone() else {
        return html! { <p class="muted">{ t.opening }</p> };
    };
    let report = report_problem(&ctx, &current, edit.clone(), message.clone());
    let end = end_patrol(&ctx, &draft, &blockers, &confirm, &busy, &message);
    let on_notes = edit.reform(|e: InputEvent| Edit::Notes(e.target_unchecked_into::<HtmlTextAreaElement>().value()));
    let blocked_check =
        |item: RoadCheckItem| blockers.iter().any(|b| matches!(b, Blocker::Unanswered(i) if *i == item));
    let blocked_finding = |id: RoadIssueId| blockers.iter().any(|b| matches!(b, Blocker::Finding(f) if *f == id));
    html! {
        <>
            { figures_card(&ctx) }
            <h2 class="section">{ t.road_checklist }<span class="count" data-testid="answered">{ format!("{}/7", current.answered()) }</span></h2>
            { match *saved {
                Some(true) => html! { <p class="small"><span class="tag local" data-testid="draft-saved">{ t.draft_saved }</span></p> },
                Some(false) => html! { <p class="error small" role="alert">{ t.storage_failed }</p> },
                None => html! {},
            } }
            <ol class="checklist" data-testid="road-checklist">
                { for RoadCheckItem::ALL.iter().map(|item| check_row(&ctx, CheckProps {
                    item: *item,
                    check: current.check(*item),
                    blocked: blocked_check(*item),
                    here: ctx.live.last,
                    on_edit: &edit,
                })) }
            </ol>
            <h2 class="section">{ t.problems_found }<span class="count">{ current.findings.len() }</span></h2>
            <ul class="checklist" data-testid="findings">
                { for current.findings.iter().map(|f| finding_card(&ctx, FindingProps {
                    finding: f,
                    place: ctx.world.segment_label(&f.segment_id),
                    blocked: blocked_finding(f.id),
                    on_edit: &edit,
                })) }
            </ul>
            <button type="button" class="button secondary block" onclick={report} data-testid="report-problem">{ t.report_problem }</button>
            <label class="field"><span>{ t.notes }</span>
                <textarea value={current.notes.clone()} oninput={on_notes} rows="2" /></label>
            if !blockers.is_empty() {
                <p class="error" role="alert" data-testid="patrol-blockers">{ (t.patrol_blockers)(blockers.len() as u32) }</p>
            }
            if let Some(m) = &*message { <p class="error" role="alert">{ t.storage_failed }{ m }</p> }
            <button type="button" class={classes!("button", "block", "big", if *confirm { "danger" } else { "primary" })}
                onclick={end} disabled={*busy} data-testid="end-patrol">
                { if *confirm { t.confirm_end } else { t.end_patrol } }
            </button>
        </>
    }
}

/// The figures at the top: time, points, distance, coverage, GPS.
fn figures_card(ctx: &Ctx) -> Html {
    let t = ctx.t();
    let live = &ctx.live;
    let secs = live.started_at.map_or(0, |s| (now() - s).num_seconds());
    let coverage = mean_coverage(&live.figures.coverage).map_or_else(|| "—".to_owned(), percent);
    let gps = match (&live.problem, &live.last) {
        (Some(GeoError::Denied), _) => html! { <span class="error small">{ t.gps_denied }</span> },
        (Some(GeoError::Unavailable), None) => html! { <span class="warn small">{ t.gps_unavailable }</span> },
        (_, None) => html! { <span class="muted small">{ t.gps_waiting }</span> },
        (_, Some(p)) => {
            let acc = p.accuracy_m.unwrap_or(f64::INFINITY);
            html! { <>
                <span data-testid="accuracy">{ format!("±{} m", fixed(acc, 0)) }</span>
                if acc > xunjian_shared::road::track::MAX_ACCURACY_M { <span class="warn small">{ " " }{ t.gps_weak }</span> }
            </> }
        }
    };
    let cell = |label: &'static str, value: Html, id: &'static str| {
        html! { <div class="figure"><span class="label">{ label }</span><strong data-testid={id}>{ value }</strong></div> }
    };
    html! {
        <section class="card tight live" data-testid="patrol-live" data-points={live.points.to_string()}
            data-distance={fixed(live.figures.distance_m, 0)}>
            <h2><span class="rec"></span>{ t.patrolling }</h2>
            <div class="figures">
                { cell(t.elapsed, html! { hms(secs) }, "elapsed") }
                { cell(t.track_points, html! { live.points }, "points") }
                { cell(t.distance, html! { distance(live.figures.distance_m) }, "distance") }
                { cell(t.coverage, html! { coverage }, "coverage") }
            </div>
            <p class="small">{ t.gps_accuracy }{ " " }{ gps }</p>
            if live.storage_failed { <p class="error small">{ t.storage_failed }</p> }
            <p class="small" data-testid="screen" data-awake={live.awake.to_string()}>
                { if live.awake { t.screen_held } else { t.keep_screen_on } }</p>
        </section>
    }
}

/// 上报问题: a new finding at the latest fix (or a fresh one), on the nearest of the patrol's
/// segments, edited in place.
fn report_problem(
    ctx: &Ctx,
    current: &PatrolDraft,
    edit: Callback<Edit>,
    message: UseStateHandle<Option<String>>,
) -> Callback<MouseEvent> {
    let (here, segments, no_position) = (ctx.live.last, current.segments.clone(), ctx.t().no_position);
    Callback::from(move |_: MouseEvent| {
        let (edit, message, segments) = (edit.clone(), message.clone(), segments.clone());
        spawn_local(async move {
            let location = match here {
                Some(p) => Some(p),
                None => geo::position().await.ok(),
            };
            let (Some(location), Some(segment_id)) = (location, nearest_segment(&segments, location.as_ref())) else {
                message.set(Some(no_position.to_owned()));
                return;
            };
            edit.emit(Edit::AddFinding(Box::new(RoadFinding {
                id: RoadIssueId::new(),
                segment_id,
                category: FindingCategory::PavementDamage,
                description: String::new(),
                location,
                photos: Vec::new(),
                found_at: now(),
            })));
        });
    })
}

/// 结束巡查: checks what blocks it, asks once more, then holds new fixes, reads the saved track
/// and commits the operation and the phone's copy of the record in one transaction (clearing the
/// draft and the track with it).
fn end_patrol(
    ctx: &Ctx,
    draft: &DraftCell,
    blockers: &UseStateHandle<Vec<Blocker>>,
    confirm: &UseStateHandle<bool>,
    busy: &UseStateHandle<bool>,
    message: &UseStateHandle<Option<String>>,
) -> Callback<MouseEvent> {
    let (ctx, draft, blockers, confirm, busy, message) =
        (ctx.clone(), draft.clone(), blockers.clone(), confirm.clone(), busy.clone(), message.clone());
    Callback::from(move |_: MouseEvent| {
        let Some(d) = draft.borrow().clone() else { return };
        if let Err(b) = d.submission(&[], now()) {
            blockers.set(b);
            confirm.set(false);
            return;
        }
        blockers.set(Vec::new());
        if !*confirm {
            confirm.set(true);
            return;
        }
        busy.set(true);
        ctx.recorder.pause(true);
        // No edit is saved from here on: the commit deletes the draft.
        *draft.borrow_mut() = None;
        let (ctx, draft, busy, message) = (ctx.clone(), draft.clone(), busy.clone(), message.clone());
        spawn_local(async move {
            let at = now();
            let committed = async {
                let track = ctx.db.track(&d.id).await?;
                let sub = d.submission(&track, at).map_err(|_| crate::store::StoreError("blocked".into()))?;
                let record = patrol_record(&sub, &d.segments, ctx.me.user.id, at);
                let body = OpBody::SubmitPatrol(sub);
                ctx.db.commit_clearing(body, &[Record::Patrol(record)], Some(DRAFT_KEY), &["track"], at).await
            };
            match committed.await {
                Ok(_) => {
                    ctx.recorder.stop();
                    ctx.saved.emit(());
                    Route::PatrolDetail(d.id.to_string()).open();
                }
                Err(e) => {
                    *draft.borrow_mut() = Some(d);
                    ctx.recorder.pause(false);
                    message.set(Some(e.0));
                    busy.set(false);
                }
            }
        });
    })
}
