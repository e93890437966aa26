//! The ledger as a file: the export (XLSX, CSV) and the import of the township's Excel ledger —
//! first a dry run whose report lists every row's errors and likely duplicates, then the import
//! itself (all rows or none), optionally leaving the duplicates out.

use super::download::DownloadButton;
use super::roads::{my_township, townships};
use super::upload::{picked, send_import, Picked, Sent};
use crate::ctx::use_ctx;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use xunjian_shared::api as paths;
use xunjian_shared::ledger::ImportResult;
use yew::prelude::*;

#[component]
pub fn LedgerFile() -> Html {
    let ctx = use_ctx();
    let o = ctx.o();
    let file = use_state(|| None::<Picked>);
    let township = use_state(|| my_township(&ctx).unwrap_or_default());
    let skip = use_state(|| true);
    let result = use_state(|| None::<ImportResult>);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let on_file = {
        let (file, result, error) = (file.clone(), result.clone(), error.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let (file, result, error) = (file.clone(), result.clone(), error.clone());
            spawn_local(async move {
                match picked(input).await {
                    Some(f) => {
                        file.set(Some(f));
                        result.set(None);
                        error.set(None);
                    }
                    None => error.set(Some("file".into())),
                }
            });
        })
    };
    let run = |dry_run: bool| {
        let (ctx, file, township, skip, result, error, busy) =
            (ctx.clone(), file.clone(), township.clone(), skip.clone(), result.clone(), error.clone(), busy.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(f) = (*file).clone() else { return };
            let path = format!(
                "{}?township_id={}&dry_run={dry_run}&skip_duplicates={}",
                paths::PREMISES_IMPORT,
                *township,
                *skip
            );
            let (ctx, result, error, busy) = (ctx.clone(), result.clone(), error.clone(), busy.clone());
            busy.set(true);
            spawn_local(async move {
                match send_import::<ImportResult, _>(&ctx, &path, &f).await {
                    Ok(Sent::Done(res)) => {
                        if !res.dry_run {
                            ctx.sync_now.emit(());
                        }
                        result.set(Some(res));
                        error.set(None);
                    }
                    // A real import with row errors: the report, nothing written.
                    Ok(Sent::Refused(report)) => {
                        result.set(Some(ImportResult { dry_run: true, imported: 0, skipped: 0, report }))
                    }
                    Err(e) => error.set(Some(e.message(ctx.lang))),
                }
                busy.set(false);
            });
        })
    };
    let on_township = {
        let township = township.clone();
        Callback::from(move |e: Event| township.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_skip = {
        let skip = skip.clone();
        Callback::from(move |e: Event| skip.set(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };
    let scope = if township.is_empty() { String::new() } else { format!("&org_unit_id={}", *township) };
    html! {
        <section class="card tight filters" data-testid="ledger-file">
            <DownloadButton path={format!("{}?format=xlsx{scope}", paths::PREMISES_EXPORT)} filename="ledger.xlsx" label={o.export_xlsx} />
            <DownloadButton path={format!("{}?format=csv{scope}", paths::PREMISES_EXPORT)} filename="ledger.csv" label={o.export_csv} />
            if my_township(&ctx).is_none() {
                <label>{ o.col_township }
                    <select onchange={on_township}>
                        <option value="">{ "—" }</option>
                        { for townships(&ctx).into_iter().map(|(id, name)| html! { <option value={id}>{ name }</option> }) }
                    </select></label>
            }
            <label>{ o.import_file }<input type="file" accept=".xlsx,.csv" onchange={on_file} data-testid="import-file" /></label>
            <label class="check"><input type="checkbox" checked={*skip} onchange={on_skip} />{ o.skip_duplicates }</label>
            <button type="button" class="button secondary small-button" disabled={file.is_none() || *busy} onclick={run(true)} data-testid="dry-run">{ o.dry_run }</button>
            if result.as_ref().is_some_and(|r| r.dry_run && r.report.rows_with_errors == 0) {
                <button type="button" class="button primary small-button" disabled={*busy} onclick={run(false)} data-testid="import">{ o.import_now }</button>
            }
            if let Some(e) = &*error { <p class="error small" role="alert">{ e }</p> }
            if let Some(r) = &*result {
                <div class="import-report" data-testid="import-report" data-errors={r.report.rows_with_errors.to_string()}>
                    <p><strong>{ if r.dry_run { (o.dry_run_summary)(r.report.rows_total, r.report.rows_with_errors, r.report.rows_with_duplicates) }
                        else { (o.imported_summary)(r.imported, r.skipped) } }</strong></p>
                    if !r.report.ignored_columns.is_empty() { <p class="small muted">{ o.ignored_columns }{ r.report.ignored_columns.join("、") }</p> }
                    <ul class="plain small">
                        { for r.report.rows.iter().filter(|row| !row.errors.is_empty() || !row.duplicates.is_empty()).map(|row| html! {
                            <li class={classes!((!row.errors.is_empty()).then_some("failed"))}>
                                { (o.row_n)(row.row) }{ " " }{ &row.name }{ "：" }
                                { row.errors.iter().map(|e| format!("{} {}", e.field, e.message)).collect::<Vec<_>>().join("；") }
                                if !row.duplicates.is_empty() {
                                    <span class="warn">{ " " }{ o.likely_duplicate }{ row.duplicates.iter().map(|d| d.name.clone()).collect::<Vec<_>>().join("、") }</span>
                                }
                            </li>
                        }) }
                    </ul>
                </div>
            }
        </section>
    }
}
