//! Hazards read in two steps (store/open.rs) in a real browser: open ones and the phone's own
//! copies first, closed ones after; rows of an older build are flagged when the database opens.

use super::idb::{done, obj, Db};
use super::open::OPEN;
use super::SyncStore;
use crate::sync::wire::Pulled;
use crate::world::World;
use chrono::{DateTime, Utc};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use xunjian_shared::checklist::{HazardCategory, Severity};
use xunjian_shared::hazard::{Hazard, HazardState, HazardStatus};
use xunjian_shared::ids::{HazardId, NotificationId, PremiseId};
use xunjian_shared::sync::{OpBody, Record, RecordKind};

wasm_bindgen_test_configure!(run_in_browser);

fn at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 0).unwrap()
}

fn hazard(status: HazardStatus) -> Hazard {
    Hazard {
        id: HazardId::new(),
        premise_id: PremiseId::new(),
        inspection_id: None,
        item_id: None,
        category: HazardCategory::Evacuation,
        description: "通道堵塞".into(),
        photos: vec![],
        state: HazardState { status, ..HazardState::registered(Severity::General) },
        version: 2,
        created_at: at(),
        closed_at: None,
    }
}

fn pulled(h: &Hazard) -> Pulled {
    Pulled::Upsert { kind: RecordKind::Hazard, id: h.id.to_string(), json: serde_json::to_string(h).unwrap() }
}

fn ids(hazards: &[super::Local<Hazard>]) -> Vec<HazardId> {
    let mut v: Vec<HazardId> = hazards.iter().map(|h| h.value.id).collect();
    v.sort();
    v
}

async fn fresh(name: &str) -> Db {
    let db = Db::open_named(name).await.unwrap();
    db.wipe_user_data().await.unwrap();
    db
}

#[wasm_bindgen_test]
async fn closed_hazards_are_read_after_the_rest_and_the_phones_own_copies_first() {
    let db = fresh("test-open").await;
    let (open, closed, mine) =
        (hazard(HazardStatus::RectificationOrdered), hazard(HazardStatus::Closed), hazard(HazardStatus::Closed));
    db.apply_pull(false, &[pulled(&open), pulled(&closed)], "c1").await.unwrap();
    // Closed here and not synced yet: what the worker just did stays in the first read.
    let read = OpBody::MarkNotificationRead { id: NotificationId::new() };
    db.commit(read, &[Record::Hazard(mine.clone())], None, at()).await.unwrap();
    let first = World::load(&db).await.unwrap();
    assert_eq!(ids(&first.hazards), ids(&[local(&open), local(&mine)]));
    assert_eq!(ids(&World::closed_hazards(&db).await.unwrap()), vec![closed.id]);
}

#[wasm_bindgen_test]
async fn hazard_rows_of_an_older_build_are_flagged_when_the_database_opens() {
    let db = fresh("test-open-upgrade").await;
    let (open, closed) = (hazard(HazardStatus::Filed), hazard(HazardStatus::Closed));
    // Rows as a version-2 build wrote them: no `open` field, so in neither read.
    let tx = db.tx(&["hazards"], true).unwrap();
    for h in [&open, &closed] {
        let row = obj(&[
            ("id", h.id.to_string().into()),
            ("json", serde_json::to_string(h).unwrap().into()),
            ("op", JsValue::NULL),
        ]);
        tx.store("hazards").unwrap().put(&row, None).await.unwrap();
    }
    done(tx).await.unwrap();
    assert!(World::load(&db).await.unwrap().hazards.is_empty());
    db.flag_hazards().await.unwrap();
    assert_eq!(ids(&World::load(&db).await.unwrap().hazards), vec![open.id]);
    assert_eq!(ids(&World::closed_hazards(&db).await.unwrap()), vec![closed.id]);
    let tx = db.tx(&["hazards"], false).unwrap();
    assert_eq!(tx.store("hazards").unwrap().index(OPEN).unwrap().count(None).await.unwrap(), 2);
}

fn local(h: &Hazard) -> super::Local<Hazard> {
    super::Local { value: h.clone(), op: None }
}
