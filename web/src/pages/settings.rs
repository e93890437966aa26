//! 设置: language, storage (used, kept for good), account and logout (refused while work is
//! unsynced, unless the worker insists), the sync log, conflicts and refusals from the server,
//! and exporting unsynced work to a file.

use super::settings_data::{estimate, export, persisted};
use crate::ctx::use_ctx;
use crate::i18n::{self, Lang};
use crate::store::SyncStore;
use crate::util::{megabytes, short_time};
use wasm_bindgen_futures::spawn_local;
use xunjian_shared::hazard::Hazard;
use yew::prelude::*;

#[component]
pub fn Settings() -> Html {
    let ctx = use_ctx();
    let t = ctx.t();
    let usage = use_state(|| None::<(f64, f64)>);
    let kept = use_state(|| None::<bool>);
    let log = use_state(Vec::new);
    let confirm_logout = use_state(|| false);
    let message = use_state(|| None::<String>);

    {
        let (db, usage, kept, log) = (ctx.db.clone(), usage.clone(), kept.clone(), log.clone());
        use_effect_with(ctx.rev, move |_| {
            spawn_local(async move {
                usage.set(estimate().await);
                kept.set(persisted(false).await);
                if let Ok(state) = db.sync_state().await {
                    log.set(state.log);
                }
            });
        });
    }

    let ask_persist = {
        let kept = kept.clone();
        Callback::from(move |_: MouseEvent| {
            let kept = kept.clone();
            spawn_local(async move { kept.set(persisted(true).await) });
        })
    };
    let do_export = {
        let (db, message) = (ctx.db.clone(), message.clone());
        Callback::from(move |_: MouseEvent| {
            let (db, message) = (db.clone(), message.clone());
            spawn_local(async move {
                if let Err(e) = export(&db).await {
                    message.set(Some(e));
                }
            });
        })
    };
    // A patrol in progress is unsynced work too: logging out would delete it.
    let (ops, photos) = (ctx.status.pending + u32::from(ctx.live.patrol.is_some()), ctx.status.photos_waiting);
    let pending = ops + photos;
    let logout = {
        let (confirm, go) = (confirm_logout.clone(), ctx.logout.clone());
        Callback::from(move |_: MouseEvent| {
            if pending > 0 && !*confirm {
                confirm.set(true);
            } else {
                go.emit(());
            }
        })
    };
    let lang_button = |l: Lang, label: &'static str| {
        let set = ctx.set_lang.clone();
        html! { <button type="button" class={classes!("choice", (ctx.lang == l).then_some("on"))}
        onclick={Callback::from(move |_: MouseEvent| set.emit(l))}>{ label }</button> }
    };
    let dismiss = |op_id: String| {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            let (ctx, op_id) = (ctx.clone(), op_id.clone());
            spawn_local(async move {
                if ctx.db.dismiss(&op_id).await.is_ok() {
                    ctx.saved.emit(());
                }
            });
        })
    };
    let user = &ctx.me.user;
    let chain: Vec<&str> = ctx.me.org_chain.iter().map(|u| u.name.as_str()).collect();

    html! {
        <>
            if !ctx.world.inbox.is_empty() {
                <section class="card tight" data-testid="inbox">
                    <h2>{ t.inbox_title }</h2>
                    <p class="small muted">{ t.inbox_help }</p>
                    <ul class="list">
                        { for ctx.world.inbox.iter().map(|e| {
                            let o = &e.outcome;
                            let (kind, current) = match o.status.as_str() {
                                // The record as the server has it, read with the Hazard parser the app already has.
                                "conflict" => (t.conflict, o.current.as_deref().and_then(|c| serde_json::from_str::<Hazard>(c).ok())),
                                "rejected" => (t.rejected, None),
                                _ => ("", None),
                            };
                            let (code, detail, current) = (o.code, o.message.clone(), current.map(|h| h.state.status));
                            html! { <li class="row">
                                <span class="title">{ kind }{ " · " }{ i18n::op_kind(ctx.lang, &e.op.body.kind) }</span>
                                if let Some(code) = code { <span>{ ctx.lang.pick(code.message_zh(), code.message_en()) }</span> }
                                if let Some(status) = current { <span>{ t.now_status }{ i18n::status(ctx.lang, status) }</span> }
                                <span class="sub small">{ detail }{ " · " }{ short_time(e.at) }</span>
                                <button type="button" class="button small-button secondary" onclick={dismiss(e.op.op_id.to_string())}>{ t.dismiss }</button>
                            </li> }
                        }) }
                    </ul>
                </section>
            }
            <section class="card tight">
                <h2>{ t.language }</h2>
                <div class="choices">{ lang_button(Lang::Zh, "中文") }{ lang_button(Lang::En, "English") }</div>
            </section>
            <section class="card tight" data-testid="storage">
                <h2>{ t.storage }</h2>
                <p>{ match *usage { Some((used, quota)) => format!("{} / {}", megabytes(used), megabytes(quota)), None => "—".into() } }</p>
                <p class="small">{ match *kept { Some(true) => t.storage_kept, Some(false) => t.storage_not_kept, None => "" } }</p>
                if *kept != Some(true) {
                    <button type="button" class="button secondary" onclick={ask_persist}>{ t.keep_storage }</button>
                }
                <button type="button" class="button secondary" onclick={do_export} data-testid="export">{ t.export_unsynced }</button>
                if let Some(m) = &*message { <p class="error">{ m }</p> }
                <crate::components::offline::OfflineNote build=true />
            </section>
            <section class="card tight">
                <h2>{ t.account }</h2>
                <p>{ &user.display_name }{ " · " }{ &user.username }</p>
                <p class="small">{ i18n::role(ctx.lang, user.role) }{ " · " }{ chain.join(" / ") }</p>
                if *confirm_logout {
                    <p class="error" role="alert" data-testid="logout-warning">{ (t.logout_unsynced)(ops, photos) }</p>
                }
                <button type="button" class={classes!("button", if *confirm_logout { "danger" } else { "secondary" })}
                    onclick={logout} data-testid="logout">
                    { if *confirm_logout { t.logout_anyway } else { t.logout } }
                </button>
            </section>
            <section class="card tight">
                <h2>{ t.sync_log }</h2>
                <ul class="log">
                    { for log.iter().map(|l| html! {
                        <li class={classes!((!l.ok).then_some("problem"))}>{ short_time(l.at) }{ " " }
                            { l.what.as_ref().map(|w| log_line(ctx.lang, w)).unwrap_or_default() }
                            if !l.text.is_empty() { { " " }<span class="muted small">{ &l.text }</span> }</li>
                    }) }
                </ul>
            </section>
        </>
    }
}

/// A sync log line in the worker's words.
fn log_line(lang: crate::i18n::Lang, what: &crate::store::LogWhat) -> String {
    use crate::store::LogWhat;
    let t = lang.t();
    match what {
        LogWhat::Synced { applied, refused, pulled, photos } => (t.log_synced)(*applied, *refused, *pulled, *photos),
        LogWhat::Offline => t.cannot_connect.to_owned(),
        LogWhat::SessionEnded => t.log_session_ended.to_owned(),
        LogWhat::Server { zh, en } => format!("{}{}", t.log_server, lang.pick(zh, en)),
        LogWhat::Storage => t.storage_failed.to_owned(),
    }
}
