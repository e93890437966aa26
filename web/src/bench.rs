//! Hooks for the browser bench (tests/browser/bench.mjs), compiled only with `--features bench`
//! (scripts/bench-browser builds that variant into its own folder): the phone's real store code,
//! timed in the page and called from it as `window.wasmBindings.xj_bench_*`. Nothing here is in
//! the app the server serves.

use crate::session;
use crate::store::idb::{done, meta_row, write_all, Db, Write};
use crate::store::records::{queue, sync_state_in, SYNC_KEY};
use crate::store::{record_parts, StoreError, SyncStore};
use crate::sync::wire::Pulled;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use xunjian_shared::checklist::{HazardCategory, Severity};
use xunjian_shared::hazard::{Hazard, HazardState, HazardStatus};
use xunjian_shared::ids::{HazardId, InspectionId, PremiseId, TemplateId};
use xunjian_shared::inspection::{Answer, AnswerValue, Inspection, SubmitInspection};
use xunjian_shared::premise::{GeoPoint, Premise, PremiseType};
use xunjian_shared::sync::{OpBody, Record, RecordKind};
use xunjian_shared::{OrgUnitId, PhotoRef, UserId};

/// Records per pulled page, the protocol's largest (`MAX_PULL_PAGE`).
const PAGE: usize = 1000;

fn js(e: StoreError) -> JsValue {
    JsValue::from_str(&e.0)
}

fn ms() -> f64 {
    js_sys::Date::now()
}

/// The outbox written `n` ops at a time: each op a 12-answer inspection with GPS and a photo,
/// with the phone's copy of the inspection, as the inspection screen commits them.
#[derive(Serialize)]
struct OutboxTimes {
    ops: u32,
    /// Each op in its own transaction (`Db::commit`, what the app does), ms per round.
    separate_ms: Vec<f64>,
    /// All of them in one transaction (the same `queue` step), ms per round.
    one_ms: Vec<f64>,
    /// Of which: making the rows (the ops' and records' JSON), ms per round.
    one_rows_ms: Vec<f64>,
    /// The ops alone (no copies of their records) in one transaction, ms per round.
    ops_only_ms: Vec<f64>,
    /// Rows in the outbox after each round (must equal `ops`).
    outbox_rows: Vec<u32>,
}

/// Times writing an `n`-op outbox, in a database of its own, `rounds` times each way.
#[wasm_bindgen]
pub async fn xj_bench_outbox(n: u32, rounds: u32) -> Result<JsValue, JsValue> {
    let db = Db::open_named("xunjian-bench").await.map_err(js)?;
    let now = crate::util::now();
    let me = UserId::new();
    let ops: Vec<(OpBody, Vec<Record>)> = (0..n).map(|i| inspection(i, me, now)).collect();
    let mut t = OutboxTimes {
        ops: n,
        separate_ms: vec![],
        one_ms: vec![],
        one_rows_ms: vec![],
        ops_only_ms: vec![],
        outbox_rows: vec![],
    };
    for _ in 0..rounds {
        db.wipe_user_data().await.map_err(js)?;
        let t0 = ms();
        let rows_ms = commit_all(&db, ops.clone(), now).await.map_err(js)?;
        t.one_ms.push(ms() - t0);
        t.one_rows_ms.push(rows_ms);
        t.outbox_rows.push(db.count("outbox").await.map_err(js)?);
        db.wipe_user_data().await.map_err(js)?;
        let t0 = ms();
        commit_all(&db, ops.iter().map(|(body, _)| (body.clone(), vec![])).collect(), now).await.map_err(js)?;
        t.ops_only_ms.push(ms() - t0);
        t.outbox_rows.push(db.count("outbox").await.map_err(js)?);
        db.wipe_user_data().await.map_err(js)?;
        let t0 = ms();
        for (body, locals) in ops.clone() {
            db.commit(body, &locals, None, now).await.map_err(js)?;
        }
        t.separate_ms.push(ms() - t0);
        t.outbox_rows.push(db.count("outbox").await.map_err(js)?);
    }
    db.wipe_user_data().await.map_err(js)?;
    Ok(serde_json::to_string(&t).map_err(|e| e.to_string())?.into())
}

/// Many ops and their records in one transaction, through the step `Db::commit` uses. Returns
/// the time spent making the rows, ms.
async fn commit_all(db: &Db, ops: Vec<(OpBody, Vec<Record>)>, now: DateTime<Utc>) -> Result<f64, StoreError> {
    let t0 = ms();
    let mut rows = Vec::new();
    for (_, locals) in &ops {
        rows.push(locals.iter().map(record_parts).collect::<Result<Vec<_>, _>>()?);
    }
    let tx = db.tx(&["outbox", "meta", "inspections"], true)?;
    let mut state = sync_state_in(&tx).await?;
    let mut writes = Vec::new();
    for ((body, _), rows) in ops.into_iter().zip(&rows) {
        queue(&mut state, body, rows, now, &mut writes)?;
    }
    writes.push(Write::Put("meta", meta_row(SYNC_KEY, &state)?));
    let rows_ms = ms() - t0;
    write_all(&tx, &writes).await?;
    done(tx).await?;
    Ok(rows_ms)
}

fn inspection(i: u32, me: UserId, now: DateTime<Utc>) -> (OpBody, Vec<Record>) {
    let photo = PhotoRef::try_from(format!("{i:064x}")).expect("64 hex digits");
    let answers = (1..=12)
        .map(|k| Answer {
            item_id: format!("item-{k:02}"),
            value: if k == 12 { AnswerValue::Photo } else { AnswerValue::Yes },
            note: (k == 5).then(|| "通道畅通".to_owned()),
            photos: if k == 12 { vec![photo.clone()] } else { vec![] },
        })
        .collect();
    let sub = SubmitInspection {
        id: InspectionId::new(),
        premise_id: PremiseId::new(),
        template_id: TemplateId::new(),
        started_at: now - Duration::minutes(6),
        finished_at: now,
        location: Some(GeoPoint { lat: 35.1 + f64::from(i) * 1e-5, lon: 110.7, accuracy_m: Some(8.0) }),
        answers,
        notes: String::new(),
        corrects: None,
        fixed_on_spot: vec![],
        deadlines: vec![],
    };
    let local = Inspection { submitted: sub.clone(), inspector_id: me, received_at: now, hazard_count: 0 };
    (OpBody::SubmitInspection(sub), vec![Record::Inspection(local)])
}

#[derive(Serialize)]
struct SeedTimes {
    premises: u32,
    hazards: u32,
    pages: u32,
    /// Applying the pages (`SyncStore::apply_pull`, one transaction per page), ms.
    apply_ms: f64,
}

/// Stores `premises` premises of the logged-in worker's grid and `hazards` hazards on them in
/// the app's database, as pulled pages of 1,000 through the pull's own write path. The sync
/// cursor stays the server's, so the next sync keeps them.
#[wasm_bindgen]
pub async fn xj_bench_seed(premises: u32, hazards: u32) -> Result<JsValue, JsValue> {
    let db = Db::open().await.map_err(js)?;
    let grid = session::load(&db).await.ok_or("log in first")?.user.user.org_unit_id;
    let cursor = db.sync_state().await.map_err(js)?.cursor.ok_or("sync once first")?;
    let now = crate::util::now();
    let ids: Vec<PremiseId> = (0..premises).map(|_| PremiseId::new()).collect();
    let mut changes: Vec<Pulled> = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        changes.push(upsert(RecordKind::Premise, id.to_string(), &premise(*id, grid, i)));
    }
    for i in 0..hazards as usize {
        let h = hazard(ids[i % ids.len()], i, now);
        changes.push(upsert(RecordKind::Hazard, h.id.to_string(), &h));
    }
    let t0 = ms();
    for page in changes.chunks(PAGE) {
        db.apply_pull(false, page, &cursor).await.map_err(js)?;
    }
    let t = SeedTimes { premises, hazards, pages: changes.chunks(PAGE).len() as u32, apply_ms: ms() - t0 };
    Ok(serde_json::to_string(&t).map_err(|e| e.to_string())?.into())
}

fn upsert<T: Serialize>(kind: RecordKind, id: String, value: &T) -> Pulled {
    Pulled::Upsert { kind, id, json: serde_json::to_string(value).expect("serialisable") }
}

fn premise(id: PremiseId, grid: OrgUnitId, i: usize) -> Premise {
    Premise {
        id,
        grid_id: grid,
        name: format!("测试场所{i:05}"),
        premise_type: PremiseType::ALL[i % PremiseType::ALL.len()],
        address: format!("东街{}号", i % 500 + 1),
        location: Some(GeoPoint {
            lat: 35.1 + (i % 200) as f64 * 1e-4,
            lon: 110.7 + (i / 200) as f64 * 1e-4,
            accuracy_m: None,
        }),
        responsible_person: "张三".into(),
        responsible_phone: Some("13800000000".into()),
        notes: String::new(),
        active: true,
        version: 1,
    }
}

/// Seven in ten closed; the rest in rectification, a third of those overdue.
fn hazard(premise_id: PremiseId, i: usize, now: DateTime<Utc>) -> Hazard {
    let created_at = now - Duration::days(1 + (i % 300) as i64);
    let open = i % 10 >= 7;
    let (status, deadline) = match (open, i % 3) {
        (false, _) => (HazardStatus::Closed, None),
        (true, 0) => (HazardStatus::RectificationOrdered, Some(now - Duration::days(2))),
        (true, _) => (HazardStatus::RectificationOrdered, Some(now + Duration::days(5))),
    };
    Hazard {
        id: HazardId::new(),
        premise_id,
        inspection_id: None,
        item_id: None,
        category: HazardCategory::ALL[i % HazardCategory::ALL.len()],
        description: "疏散通道堆放杂物".into(),
        photos: vec![],
        state: HazardState { status, deadline, ..HazardState::registered(Severity::General) },
        version: 2,
        created_at,
        closed_at: (!open).then_some(created_at + Duration::days(3)),
    }
}

#[derive(Serialize)]
struct WorldTimes {
    /// `World::load`: every record the first screen uses, read and parsed, ms.
    load_ms: f64,
    /// `World::closed_hazards`, read just after, ms.
    closed_ms: f64,
    closed: usize,
    /// Of which: the rows of every record store read out of IndexedDB (`getAll`), ms.
    rows_ms: f64,
    /// … and their JSON texts copied into WebAssembly, ms.
    texts_ms: f64,
    /// The rows of each store read alone (store, rows, ms).
    stores: Vec<(&'static str, usize, f64)>,
    premises: usize,
    hazards: usize,
}

/// Times reading the phone's records as the app does after start and after each change.
#[wasm_bindgen]
pub async fn xj_bench_world() -> Result<JsValue, JsValue> {
    let db = Db::open().await.map_err(js)?;
    let t0 = ms();
    let mut rows = Vec::new();
    let mut stores = Vec::new();
    for name in crate::store::idb::RECORD_STORES {
        let t1 = ms();
        let tx = db.tx(&[name], false).map_err(js)?;
        let read = tx.store(name).map_err(|e| js(e.into()))?.get_all(None, None).await.map_err(|e| js(e.into()))?;
        stores.push((name, read.len(), ms() - t1));
        rows.extend(read);
    }
    let rows_ms = ms() - t0;
    let texts: Vec<String> = rows.iter().filter_map(|r| crate::store::idb::str_field(r, "json")).collect();
    let texts_ms = ms() - t0;
    drop((rows, texts));
    let t0 = ms();
    let w = crate::world::World::load(&db).await.map_err(js)?;
    let load_ms = ms() - t0;
    let t0 = ms();
    let closed = crate::world::World::closed_hazards(&db).await.map_err(js)?.len();
    let closed_ms = ms() - t0;
    let t = WorldTimes {
        load_ms,
        closed_ms,
        closed,
        rows_ms,
        texts_ms,
        stores,
        premises: w.premises.len(),
        hazards: w.hazards.len(),
    };
    Ok(serde_json::to_string(&t).map_err(|e| e.to_string())?.into())
}
