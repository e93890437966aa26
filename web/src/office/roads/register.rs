//! 路线与管护员: the road register as the road station (its township) or the county sees it — the
//! assignment report (km with no worker, km not divided into segments, workers over 5 km, workers'
//! files flagged by 第十二、十三、二十三条), the segments with their worker and whether their line is
//! surveyed (coverage needs it), the roadside register (第七条), and the register, the workers' files
//! and the roadside register as Excel, out and in (a dry run first, then all rows or none).

use super::my_township;
use super::roadside::RoadsideTable;
use crate::ctx::{use_ctx, Ctx};
use crate::i18n;
use crate::office::download::DownloadButton;
use crate::office::state::{not_ready, offline_note};
use crate::office::upload::{picked, send_import, Picked, Sent};
use crate::office::view::use_view;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use xunjian_shared::api as paths;
use xunjian_shared::api::List;
use xunjian_shared::road::patrol::AssignmentReport;
use xunjian_shared::road::register::{Road, Segment};
use xunjian_shared::road::register_file::{RegisterImportReport, RowOutcome};
use xunjian_shared::user::User;
use yew::prelude::*;

#[component]
pub fn Register() -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let report = use_view::<AssignmentReport>(paths::ROADS_ASSIGNMENTS.into());
    let roads = use_view::<Vec<Road>>(paths::ROADS.into());
    let segments = use_view::<Vec<Segment>>(paths::SEGMENTS.into());
    let workers = use_view::<List<User>>(format!("{}?role=patrol_worker&limit=500", paths::USERS));
    let worker_name = |id: &xunjian_shared::UserId| {
        workers.load.data().and_then(|l| l.items.iter().find(|u| &u.id == id)).map(|u| u.display_name.clone())
    };
    let offline = report.load.offline();
    // Each real import remounts the roadside table, which loads it again.
    let imports = use_state(|| 0u32);
    let imports_seen = imports.to_string();
    html! {
        <div data-testid="register">
            <h2 class="page-title">{ o.nav_register }</h2>
            { offline_note(&ctx, &report.load) }
            if let Some(h) = not_ready(&ctx, &report.load) { { h } }
            if let Some(r) = report.load.data() {
                <div class="figures wide-figures" data-testid="assignment-report"
                    data-unassigned={format!("{:.1}", r.unassigned_km)} data-unsegmented={format!("{:.1}", r.unsegmented_km)} data-unsurveyed={format!("{:.1}", r.unsurveyed_km)}>
                    { figure(o.unassigned_km, format!("{:.1}", r.unassigned_km), r.unassigned_km > 0.05) }
                    { figure(o.unsegmented_km, format!("{:.1}", r.unsegmented_km), r.unsegmented_km > 0.05) }
                    { figure(o.unsurveyed_km, format!("{:.1}", r.unsurveyed_km), r.unsurveyed_km > 0.05) }
                    { figure(o.over_length, r.over_length.len().to_string(), !r.over_length.is_empty()) }
                    { figure(o.flagged_workers, r.flagged_workers.len().to_string(), !r.flagged_workers.is_empty()) }
                </div>
                if !r.over_length.is_empty() || !r.flagged_workers.is_empty() {
                    <div class="table-wrap"><table class="table" data-testid="worker-problems">
                        <thead><tr><th>{ o.worker }</th><th class="num">{ o.assigned_km }</th><th>{ o.problems }</th></tr></thead>
                        <tbody>
                            { for worker_rows(r).into_iter().map(|(id, km, flags)| html! {
                                <tr data-worker={id.to_string()}>
                                    <td>{ worker_name(&id).unwrap_or_else(|| id.to_string()) }</td>
                                    <td class={classes!("num", km.is_some().then_some("bad"))}>{ km.map(|k| format!("{k:.1}")).unwrap_or_default() }</td>
                                    <td>{ flags.iter().map(|f| flag_label(&ctx, f)).collect::<Vec<_>>().join("、") }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table></div>
                }
                if !r.unsegmented.is_empty() {
                    <p class="small" data-testid="unsegmented">{ o.unsegmented_roads }
                        { r.unsegmented.iter().map(|u| format!("{} {:.1} km", u.code, u.km)).collect::<Vec<_>>().join("，") }</p>
                }
            }
            if !offline {
                <RegisterFile on_imported={Callback::from(move |()| imports.set(*imports + 1))} />
            }
            if let (Some(roads), Some(segs)) = (roads.load.data(), segments.load.data()) {
                { segment_table(&ctx, roads, segs, &worker_name) }
            }
            <RoadsideTable key={imports_seen} />
        </div>
    }
}

fn figure(label: &'static str, value: String, bad: bool) -> Html {
    html! {
        <div class={classes!("figure", bad.then_some("bad"))}><span class="label">{ label }</span><strong>{ value }</strong></div>
    }
}

/// One row per worker with a problem: km when over the length, and the file's flags.
fn worker_rows(r: &AssignmentReport) -> Vec<(xunjian_shared::UserId, Option<f64>, Vec<String>)> {
    let mut rows: Vec<(xunjian_shared::UserId, Option<f64>, Vec<String>)> =
        r.over_length.iter().map(|(id, km)| (*id, Some(*km), Vec::new())).collect();
    for (id, flags) in &r.flagged_workers {
        match rows.iter_mut().find(|row| row.0 == *id) {
            Some(row) => row.2.extend(flags.iter().cloned()),
            None => rows.push((*id, None, flags.clone())),
        }
    }
    rows
}

fn flag_label(ctx: &Ctx, flag: &str) -> String {
    let o = ctx.o();
    match flag {
        "over_60" => o.flag_over_60.to_owned(),
        "no_contract" => o.flag_no_contract.to_owned(),
        "no_insurance" => o.flag_no_insurance.to_owned(),
        "no_file" => o.flag_no_file.to_owned(),
        other => other.to_owned(),
    }
}

fn segment_table(
    ctx: &Ctx,
    roads: &[Road],
    segments: &[Segment],
    worker_name: &dyn Fn(&xunjian_shared::UserId) -> Option<String>,
) -> Html {
    let o = ctx.o();
    let township = |id: &xunjian_shared::OrgUnitId| {
        ctx.world.org_units.iter().find(|u| &u.value.id == id).map(|u| u.value.name.clone()).unwrap_or_default()
    };
    let mut rows: Vec<(&Road, &Segment)> =
        segments.iter().filter_map(|s| roads.iter().find(|r| r.id == s.road_id).map(|r| (r, s))).collect();
    rows.sort_by(|a, b| {
        (a.0.code.as_str(), a.1.from_km)
            .partial_cmp(&(b.0.code.as_str(), b.1.from_km))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    html! {
        <>
            <h3 class="section">{ o.segments_title }<span class="count">{ rows.len() }</span></h3>
            <div class="table-wrap"><table class="table" data-testid="segment-table">
                <thead><tr>
                    <th>{ o.col_road }</th><th>{ o.road_level }</th><th>{ o.col_township }</th><th class="num">{ o.km_range }</th>
                    <th class="num">{ o.assigned_km }</th><th>{ o.worker }</th><th>{ o.surveyed_line }</th>
                </tr></thead>
                <tbody>
                    { for rows.iter().map(|(r, s)| html! {
                        <tr data-segment={s.id.to_string()} class={classes!(s.worker_id.is_none().then_some("flagged"))}>
                            <td>{ &r.code }{ " " }{ &r.name }</td>
                            <td>{ i18n::road_level(ctx.lang, r.level) }</td>
                            <td>{ township(&s.township_id) }</td>
                            <td class="num">{ format!("K{:.1}–K{:.1}", s.from_km, s.to_km) }</td>
                            <td class="num">{ format!("{:.1}", s.length_km()) }</td>
                            <td>{ s.worker_id.as_ref().and_then(worker_name).unwrap_or_else(|| o.no_worker.to_owned()) }</td>
                            <td>{ if s.polyline.len() >= 2 { o.line_yes } else { o.line_no } }</td>
                        </tr>
                    }) }
                </tbody>
            </table></div>
        </>
    }
}

/// What both imports answer (`RoadImportResult`, `WorkerImportResult`), as far as this screen needs.
#[derive(serde::Deserialize)]
struct ImportAnswer {
    dry_run: bool,
    report: RegisterImportReport,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Roads,
    Workers,
    Roadside,
}

impl Kind {
    fn path(self) -> &'static str {
        match self {
            Kind::Roads => paths::ROADS_IMPORT,
            Kind::Workers => paths::PATROL_WORKERS_IMPORT,
            Kind::Roadside => paths::ROADSIDE_PARTIES_IMPORT,
        }
    }
}

#[derive(Properties, PartialEq)]
struct RegisterFileProps {
    /// A real import was done (the lists below reload).
    on_imported: Callback<()>,
}

/// The register, the workers' files and the roadside register out (XLSX) and in (dry run, then all
/// rows or none).
#[component]
fn RegisterFile(props: &RegisterFileProps) -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let kind = use_state(|| Kind::Roads);
    let file = use_state(|| None::<Picked>);
    let result = use_state(|| None::<(bool, RegisterImportReport)>);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let on_kind = {
        let (kind, result) = (kind.clone(), result.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            kind.set(match v.as_str() {
                "workers" => Kind::Workers,
                "roadside" => Kind::Roadside,
                _ => Kind::Roads,
            });
            result.set(None);
        })
    };
    let on_file = {
        let (file, result, error) = (file.clone(), result.clone(), error.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let (file, result, error) = (file.clone(), result.clone(), error.clone());
            spawn_local(async move {
                file.set(picked(input).await);
                result.set(None);
                error.set(None);
            });
        })
    };
    let run = |dry_run: bool| {
        let (ctx, kind, file, result, error, busy, imported) =
            (ctx.clone(), *kind, file.clone(), result.clone(), error.clone(), busy.clone(), props.on_imported.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(f) = (*file).clone() else { return };
            let path = format!("{}?dry_run={dry_run}", kind.path());
            let (ctx, result, error, busy, imported) =
                (ctx.clone(), result.clone(), error.clone(), busy.clone(), imported.clone());
            busy.set(true);
            spawn_local(async move {
                match send_import::<ImportAnswer, RegisterImportReport>(&ctx, &path, &f).await {
                    Ok(Sent::Done(answer)) => {
                        if !answer.dry_run {
                            ctx.sync_now.emit(());
                            imported.emit(());
                        }
                        result.set(Some((answer.dry_run, answer.report)));
                        error.set(None);
                    }
                    Ok(Sent::Refused(report)) => result.set(Some((true, report))),
                    Err(e) => error.set(Some(e.message(ctx.lang))),
                }
                busy.set(false);
            });
        })
    };
    let scope = my_township(&ctx).map(|t| format!("&org_unit_id={t}")).unwrap_or_default();
    let outcome = |x: &Option<RowOutcome>| match x {
        Some(RowOutcome::Created) => o.outcome_created,
        Some(RowOutcome::Updated) => o.outcome_updated,
        Some(RowOutcome::Unchanged) => o.outcome_unchanged,
        None => "",
    };
    html! {
        <section class="card tight filters" data-testid="register-file">
            <DownloadButton path={format!("{}?format=xlsx{scope}", paths::ROADS_EXPORT)} filename="roads.xlsx" label={o.export_roads} />
            <DownloadButton path={format!("{}?format=xlsx{scope}", paths::PATROL_WORKERS_EXPORT)} filename="patrol-workers.xlsx" label={o.export_workers} />
            <DownloadButton path={format!("{}?format=xlsx{scope}", paths::ROADSIDE_PARTIES_EXPORT)} filename="roadside.xlsx" label={o.export_roadside} />
            <label>{ o.import_kind }
                <select onchange={on_kind} data-testid="import-kind">
                    <option value="roads" selected={*kind == Kind::Roads}>{ o.kind_roads }</option>
                    <option value="workers" selected={*kind == Kind::Workers}>{ o.kind_workers }</option>
                    <option value="roadside" selected={*kind == Kind::Roadside}>{ o.kind_roadside }</option>
                </select></label>
            <label>{ o.import_file }<input type="file" accept=".xlsx,.csv" onchange={on_file} data-testid="register-import-file" /></label>
            <button type="button" class="button secondary small-button" disabled={file.is_none() || *busy} onclick={run(true)} data-testid="register-dry-run">{ o.dry_run }</button>
            if result.as_ref().is_some_and(|(dry, r)| *dry && r.rows_with_errors == 0) {
                <button type="button" class="button primary small-button" disabled={*busy} onclick={run(false)} data-testid="register-import">{ o.import_now }</button>
            }
            if let Some(e) = &*error { <p class="error small" role="alert">{ e }</p> }
            if let Some((dry, r)) = &*result {
                <div class="import-report" data-testid="register-report" data-errors={r.rows_with_errors.to_string()} data-dry={dry.to_string()}>
                    <p><strong>{ (o.register_summary)(*dry, r.rows_total, r.rows_with_errors) }</strong></p>
                    if !r.ignored_columns.is_empty() { <p class="small muted">{ o.ignored_columns }{ r.ignored_columns.join("、") }</p> }
                    <ul class="plain small">
                        { for r.rows.iter().map(|row| html! {
                            <li class={classes!((!row.errors.is_empty()).then_some("failed"))} data-row={row.row.to_string()}>
                                { (o.row_n)(row.row) }{ " " }{ &row.key }{ "：" }
                                if row.errors.is_empty() {
                                    { outcome(&row.record) }
                                    if row.segment.is_some() { { " · " }{ o.col_segment }{ outcome(&row.segment) } }
                                } else {
                                    { row.errors.iter().map(|e| format!("{} {}", e.field, e.message)).collect::<Vec<_>>().join("；") }
                                }
                            </li>
                        }) }
                    </ul>
                </div>
            }
        </section>
    }
}
